/* Zipf keys by rejection-inversion (see zipf.h): H is the integral of
 * h(x) = x^-s, inverted in closed form; a draw inverts a uniform on H's range
 * and accepts the rounded key unless it falls outside the hat. The helpers keep
 * (x^(1-s) - 1)/(1-s) accurate when s is near 1, where it tends to log(x). */
#include "profile/zipf.h"

#include <math.h>

uint64_t wb_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double wb_uniform01(uint64_t *state)
{
    return (double)(wb_splitmix64(state) >> 11) * 0x1.0p-53;
}

/* log1p(x)/x, finite at 0 (Taylor series near 0 avoids 0/0). */
static double helper1(double x)
{
    if (fabs(x) > 1e-8)
        return log1p(x) / x;
    return 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

/* expm1(x)/x, finite at 0. */
static double helper2(double x)
{
    if (fabs(x) > 1e-8)
        return expm1(x) / x;
    return 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
}

/* h(x) = x^-s, the unnormalised density. */
static double h(double s, double x)
{
    return exp(-s * log(x));
}

/* H(x) = (x^(1-s) - 1)/(1-s), or log(x) for s = 1: the integral of h. */
static double h_integral(double s, double x)
{
    double log_x = log(x);
    return helper2((1.0 - s) * log_x) * log_x;
}

/* The inverse of H. */
static double h_integral_inverse(double s, double x)
{
    double t = x * (1.0 - s);
    if (t < -1.0)
        t = -1.0; /* rounding may push t just below -1, where log1p is undefined */
    return exp(helper1(t) * x);
}

int wb_zipf_init(wb_zipf *z, int64_t n, double s, uint64_t seed, wb_error *e)
{
    if (n < 1)
        return wb_fail(e, "zipf: number of keys must be at least 1, got %lld", (long long)n);
    if (!(s > 0.0) || !isfinite(s))
        return wb_fail(e, "zipf: exponent must be a finite number > 0, got %g", s);
    z->n = n;
    z->s = s;
    z->rng_state = seed;
    z->h_integral_x1 = h_integral(s, 1.5) - 1.0;
    z->h_integral_n = h_integral(s, (double)n + 0.5);
    z->s_threshold = 2.0 - h_integral_inverse(s, h_integral(s, 2.5) - h(s, 2.0));
    return 0;
}

int64_t wb_zipf_next(wb_zipf *z)
{
    for (;;) {
        double u = z->h_integral_n + wb_uniform01(&z->rng_state) * (z->h_integral_x1 - z->h_integral_n);
        double x = h_integral_inverse(z->s, u);
        double kd = floor(x + 0.5);
        int64_t k;
        if (kd < 1.0)
            k = 1;
        else if (kd > (double)z->n)
            k = z->n;
        else
            k = (int64_t)kd;
        /* The squeeze (k - x <= threshold) accepts most draws without another log/exp. */
        if ((double)k - x <= z->s_threshold || u >= h_integral(z->s, (double)k + 0.5) - h(z->s, (double)k))
            return k;
    }
}

double wb_zipf_probability(int64_t n, double s, int64_t k)
{
    if (n < 1 || k < 1 || k > n)
        return 0.0;
    double total = 0.0;
    /* Smallest terms first, so the sum loses less to rounding. */
    for (int64_t i = n; i >= 1; i--)
        total += h(s, (double)i);
    return h(s, (double)k) / total;
}
