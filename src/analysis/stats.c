/* Statistics of the analysis (see stats.h).
 *
 * Student's t distribution is computed, not tabulated: its CDF through the
 * regularized incomplete beta function, I_x(df/2, 1/2) with x = df/(df + t^2),
 * evaluated by Lentz's continued fraction (Numerical Recipes §6.4), and its
 * quantiles by bisection on that CDF, so every degree of freedom (and the
 * fractional ones of Welch's test) gets the exact value to ~1e-12. */
#include "analysis/stats.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* ---- Welford ---- */

void wb_stats_init(wb_stats *s)
{
    s->n = 0;
    s->mean = s->m2 = s->min = s->max = 0.0;
}

void wb_stats_add(wb_stats *s, double x)
{
    if (isnan(x))
        return;
    s->n++;
    double delta = x - s->mean;
    s->mean += delta / (double)s->n;
    s->m2 += delta * (x - s->mean);
    if (s->n == 1 || x < s->min)
        s->min = x;
    if (s->n == 1 || x > s->max)
        s->max = x;
}

double wb_stats_mean(const wb_stats *s)
{
    return s->n > 0 ? s->mean : NAN;
}

double wb_stats_variance(const wb_stats *s)
{
    if (s->n < 2)
        return NAN;
    /* m2 is a sum of non-negative terms; rounding may leave -0 or a tiny negative. */
    double v = s->m2 / (double)(s->n - 1);
    return v > 0.0 ? v : 0.0;
}

double wb_stats_sd(const wb_stats *s)
{
    return sqrt(wb_stats_variance(s));
}

double wb_stats_min(const wb_stats *s)
{
    return s->n > 0 ? s->min : NAN;
}

double wb_stats_max(const wb_stats *s)
{
    return s->n > 0 ? s->max : NAN;
}

/* ---- median, MAD ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of an array that may be reordered. */
static double median_in_place(double *x, int n)
{
    if (n <= 0)
        return NAN;
    qsort(x, (size_t)n, sizeof *x, compare_doubles);
    return (n % 2) ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2.0;
}

double wb_median(const double *x, int n)
{
    if (n <= 0)
        return NAN;
    double *copy = wb_xmalloc((size_t)n * sizeof *copy);
    memcpy(copy, x, (size_t)n * sizeof *copy);
    double m = median_in_place(copy, n);
    free(copy);
    return m;
}

double wb_mad(const double *x, int n)
{
    if (n <= 0)
        return NAN;
    double med = wb_median(x, n);
    double *dev = wb_xmalloc((size_t)n * sizeof *dev);
    for (int i = 0; i < n; i++)
        dev[i] = fabs(x[i] - med);
    double mad = median_in_place(dev, n);
    free(dev);
    return mad;
}

void wb_modified_z(const double *x, int n, double *z)
{
    if (n <= 0)
        return;
    double med = wb_median(x, n);
    double mad = wb_mad(x, n);
    /* 0.6745 = the 0.75 quantile of the standard normal, so that MAD/0.6745
     * estimates the sd of normal data (Iglewicz & Hoaglin 1993). */
    double scale = mad / 0.6745;
    if (!(mad > 0.0)) {
        /* More than half the values are equal. The mean absolute deviation still
         * sees the others; 1.253314 = sqrt(pi/2) makes it estimate the sd too
         * (the fallback IBM SPSS documents for MAD = 0). */
        double sum = 0.0;
        for (int i = 0; i < n; i++)
            sum += fabs(x[i] - med);
        scale = 1.253314 * (sum / n);
    }
    for (int i = 0; i < n; i++)
        z[i] = scale > 0.0 ? (x[i] - med) / scale : 0.0;
}

int wb_count_outliers(const double *x, int n)
{
    if (n < 3)
        return 0;
    double *z = wb_xmalloc((size_t)n * sizeof *z);
    wb_modified_z(x, n, z);
    int count = 0;
    for (int i = 0; i < n; i++)
        count += fabs(z[i]) > WB_OUTLIER_Z;
    free(z);
    return count;
}

/* ---- Student's t ---- */

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b), 0 <= x <= 1. */
static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    /* The fraction converges fast only below (a+1)/(a+b+2); use the symmetry above it. */
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_cf(a, b, x) / a;
    return 1.0 - front * beta_cf(b, a, 1.0 - x) / b;
}

double wb_t_cdf(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (isinf(t))
        return t > 0 ? 1.0 : 0.0;
    /* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) */
    double tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    return t > 0 ? 1.0 - tail : tail;
}

double wb_t_p_two_sided(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (isinf(t))
        return 0.0;
    return incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
}

double wb_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return NAN;
    if (p == 0.5)
        return 0.0;
    /* Symmetric: solve for the upper half and mirror. */
    double q = p > 0.5 ? p : 1.0 - p;
    double lo = 0.0, hi = 1.0;
    while (wb_t_cdf(hi, df) < q && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (wb_t_cdf(mid, df) < q)
            lo = mid;
        else
            hi = mid;
    }
    double x = 0.5 * (lo + hi);
    return p > 0.5 ? x : -x;
}

double wb_t_quantile_975(int df)
{
    if (df < 1)
        return NAN;
    return wb_t_quantile(0.975, (double)df);
}

void wb_stats_ci95(const wb_stats *s, double *low, double *high)
{
    if (s->n < 2) {
        *low = *high = NAN;
        return;
    }
    double half = wb_t_quantile_975((int)(s->n - 1)) * wb_stats_sd(s) / sqrt((double)s->n);
    *low = s->mean - half;
    *high = s->mean + half;
}

/* ---- Pearson ---- */

int wb_pearson_pairs(const double *x, const double *y, int n)
{
    int pairs = 0;
    for (int i = 0; i < n; i++)
        pairs += !isnan(x[i]) && !isnan(y[i]);
    return pairs;
}

double wb_pearson(const double *x, const double *y, int n)
{
    /* Two passes (means first) rather than sums of squares, which cancel badly
     * for large values with small spread (byte counts). */
    double sx = 0.0, sy = 0.0;
    int pairs = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            sx += x[i];
            sy += y[i];
            pairs++;
        }
    if (pairs < 3)
        return NAN;
    double mx = sx / pairs, my = sy / pairs;
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
    if (!(sxx > 0.0) || !(syy > 0.0))
        return NAN;
    double r = sxy / sqrt(sxx * syy);
    /* Rounding can push a perfect correlation a hair past +/-1. */
    return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

/* ---- Welch ---- */

int wb_welch_stats(const wb_stats *a, const wb_stats *b, wb_welch *out)
{
    out->mean_a = out->mean_b = out->t = out->df = out->p = NAN;
    if (a->n < 2 || b->n < 2)
        return -1;
    out->mean_a = a->mean;
    out->mean_b = b->mean;
    double va = wb_stats_variance(a) / (double)a->n;
    double vb = wb_stats_variance(b) / (double)b->n;
    double se2 = va + vb;
    double diff = a->mean - b->mean;
    if (!(se2 > 0.0)) {
        out->t = diff == 0.0 ? 0.0 : diff > 0 ? INFINITY : -INFINITY;
        out->p = diff == 0.0 ? 1.0 : 0.0;
        return 0;
    }
    out->t = diff / sqrt(se2);
    out->df = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    out->p = wb_t_p_two_sided(out->t, out->df);
    return 0;
}

int wb_welch_test(const double *a, int na, const double *b, int nb, wb_welch *out)
{
    wb_stats sa, sb;
    wb_stats_init(&sa);
    wb_stats_init(&sb);
    for (int i = 0; i < na; i++)
        wb_stats_add(&sa, a[i]);
    for (int i = 0; i < nb; i++)
        wb_stats_add(&sb, b[i]);
    return wb_welch_stats(&sa, &sb, out);
}
