/* The ratio of two means, its interval and the findings' verdict rule (see ratio.h). */
#include "analysis/ratio.h"

#include <math.h>
#include <stddef.h>

#include "analysis/stats.h"

static const char *const verdict_names[] = {
    [WB_FINDING_CONFIRMED] = "confirmed",
    [WB_FINDING_REFUTED] = "refuted",
    [WB_FINDING_NOISE] = "within noise",
    [WB_FINDING_NOT_COMPARED] = "not compared",
    [WB_FINDING_TRAP] = "trap",
};

const char *wb_finding_verdict_name(wb_finding_verdict v)
{
    return (int)v >= 0 && (size_t)v < sizeof verdict_names / sizeof *verdict_names ? verdict_names[v] : "unknown";
}

static wb_stats accumulate(const double *x, int n)
{
    wb_stats s;
    wb_stats_init(&s);
    for (int i = 0; i < n; i++)
        wb_stats_add(&s, x[i]); /* a NAN is left out */
    return s;
}

int wb_ratio_of_means(const double *a, int na, const double *b, int nb, wb_ratio *out)
{
    wb_stats sa = accumulate(a, na), sb = accumulate(b, nb);
    out->ratio = out->low = out->high = out->df = NAN;
    out->n_a = (int)sa.n;
    out->n_b = (int)sb.n;
    out->single_run = sa.n < 2 || sb.n < 2;
    double ma = wb_stats_mean(&sa), mb = wb_stats_mean(&sb);
    if (sa.n == 0 || sb.n == 0 || !(ma > 0) || !(mb > 0))
        return -1;
    out->ratio = mb / ma;
    if (out->single_run)
        return 0; /* one observation says nothing about the spread */
    /* each side's share of the variance of ln(ratio), by the delta method */
    double va = wb_stats_variance(&sa) / ((double)sa.n * ma * ma);
    double vb = wb_stats_variance(&sb) / ((double)sb.n * mb * mb);
    double var = va + vb;
    if (!(var > 0)) {
        out->low = out->high = out->ratio; /* no noise at all on either side */
        out->df = INFINITY;
        return 0;
    }
    out->df = var * var / (va * va / (double)(sa.n - 1) + vb * vb / (double)(sb.n - 1));
    double t = wb_t_quantile(0.975, out->df);
    double se = sqrt(var);
    out->low = exp(log(out->ratio) - t * se);
    out->high = exp(log(out->ratio) + t * se);
    return 0;
}

wb_finding_verdict wb_ratio_verdict(const wb_ratio *r)
{
    double x = r->ratio;
    if (r->single_run || isnan(r->low)) {
        if (x >= 1.0 - WB_RATIO_SINGLE_RUN_BAND && x <= 1.0 + WB_RATIO_SINGLE_RUN_BAND)
            return WB_FINDING_NOISE;
        return x > 1.0 ? WB_FINDING_CONFIRMED : WB_FINDING_REFUTED;
    }
    if ((r->low <= 1.0 && r->high >= 1.0) || (x >= 1.0 - WB_RATIO_NOISE_BAND && x <= 1.0 + WB_RATIO_NOISE_BAND))
        return WB_FINDING_NOISE;
    return x > 1.0 ? WB_FINDING_CONFIRMED : WB_FINDING_REFUTED;
}
