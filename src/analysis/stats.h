/* The statistics of the analysis: Welford's running mean and variance, the
 * median, Student's t distribution (CDF and quantiles), the 95% confidence
 * interval of a mean, outliers by the modified z-score on the median absolute
 * deviation (Iglewicz and Hoaglin), Pearson's correlation and Welch's t-test.
 * Unknown results are NAN, never 0: callers print them as empty/null. */
#ifndef WB_ANALYSIS_STATS_H
#define WB_ANALYSIS_STATS_H

#include <stdint.h>

/* Welford's running accumulator: numerically stable mean and variance in one pass. */
typedef struct wb_stats {
    int64_t n;
    double mean;
    double m2;  /* sum of squared deviations from the running mean */
    double min;
    double max;
} wb_stats;

#define WB_STATS_INIT {0, 0.0, 0.0, 0.0, 0.0}

/* Start empty. */
void wb_stats_init(wb_stats *s);
/* Add one observation (a NAN is ignored: unknown figures do not count). */
void wb_stats_add(wb_stats *s, double x);
/* The mean; NAN when n == 0. */
double wb_stats_mean(const wb_stats *s);
/* Sample variance (divisor n - 1); NAN when n < 2. */
double wb_stats_variance(const wb_stats *s);
/* Sample standard deviation (divisor n - 1); NAN when n < 2. */
double wb_stats_sd(const wb_stats *s);
/* Smallest / largest observation; NAN when n == 0. */
double wb_stats_min(const wb_stats *s);
double wb_stats_max(const wb_stats *s);

/* The median of x[0..n) (sorts a copy; x is untouched); mean of the two middle
 * values when n is even; NAN when n == 0. */
double wb_median(const double *x, int n);

/* Student's t CDF: P(T <= t) with df degrees of freedom (df > 0, need not be whole);
 * NAN for df <= 0 or NAN t. */
double wb_t_cdf(double t, double df);
/* The two-sided p-value of a t statistic: 2 * P(T >= |t|). */
double wb_t_p_two_sided(double t, double df);
/* The t quantile: the x with wb_t_cdf(x, df) = p, 0 < p < 1; NAN otherwise. */
double wb_t_quantile(double p, double df);
/* The two-sided 95% critical value t(0.975, df): 12.706 for df 1, 2.228 for 10,
 * 1.960 as df grows; NAN for df < 1. */
double wb_t_quantile_975(int df);

/* The 95% confidence interval of the mean: mean -/+ t(0.975, n-1) * sd / sqrt(n).
 * Both NAN when n < 2 (one observation says nothing about spread). With zero
 * variance the interval is [mean, mean]. */
void wb_stats_ci95(const wb_stats *s, double *low, double *high);

/* Iglewicz and Hoaglin's threshold: |modified z| above it is an outlier. */
#define WB_OUTLIER_Z 3.5

/* The median absolute deviation from the median; NAN when n == 0. */
double wb_mad(const double *x, int n);
/* Modified z-scores of x[0..n) into z[0..n): 0.6745 * (x - median) / MAD.
 * When MAD = 0 (more than half the values equal) the mean absolute deviation
 * from the median is used instead, as (x - median) / (1.253314 * MeanAD); when
 * that is 0 too (all values equal) every z is 0. n == 0 does nothing. */
void wb_modified_z(const double *x, int n, double *z);
/* How many of x[0..n) have |modified z| > WB_OUTLIER_Z (0 when n < 3: with one or
 * two values nothing can stand out). */
int wb_count_outliers(const double *x, int n);

/* Pearson's correlation coefficient of the pairs (x[i], y[i]); pairs where either
 * is NAN are left out. NAN when fewer than 3 complete pairs remain or either
 * variable is constant over them (the coefficient is undefined). */
double wb_pearson(const double *x, const double *y, int n);
/* The number of complete (both known) pairs wb_pearson would use. */
int wb_pearson_pairs(const double *x, const double *y, int n);

/* Welch's unequal-variances t-test of two samples' means. */
typedef struct wb_welch {
    double mean_a, mean_b;
    double t;   /* (mean_a - mean_b) / sqrt(var_a/n_a + var_b/n_b) */
    double df;  /* Welch–Satterthwaite degrees of freedom */
    double p;   /* two-sided p-value */
} wb_welch;

/* Welch's test from two accumulators. -1 (and *out all NAN) when either has fewer
 * than 2 observations. When both variances are 0: equal means give t = 0, p = 1;
 * different means give t = +/-INFINITY, p = 0 (a difference with no noise at all);
 * df is NAN in both cases. */
int wb_welch_stats(const wb_stats *a, const wb_stats *b, wb_welch *out);
/* Welch's test of the samples a[0..na) and b[0..nb) (NAN values ignored). */
int wb_welch_test(const double *a, int na, const double *b, int nb, wb_welch *out);

#endif
