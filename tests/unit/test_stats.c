/* Unit tests of analysis/stats: every expected value below was obtained
 * independently of the code under test -- by hand (the arithmetic is written
 * next to it), from a closed form, or from a published table or textbook
 * example (named) -- never by running wb_* and copying its output. */
#include <math.h>
#include <stdlib.h>

#include "analysis/stats.h"
#include "check.h"

/* |a - b| <= tol, with both values printed on failure. */
#define CHECK_NEAR(a, b, tol)                                                                   \
    do {                                                                                        \
        double check_a_ = (a), check_b_ = (b);                                                  \
        if (fabs(check_a_ - check_b_) <= (tol)) {                                               \
            check_passed++;                                                                     \
        } else {                                                                                \
            check_failed++;                                                                     \
            fprintf(stderr, "%s:%d: %s ~ %s failed: %.12g vs %.12g (tolerance %g)\n", __FILE__, \
                    __LINE__, #a, #b, check_a_, check_b_, (double)(tol));                       \
        }                                                                                       \
    } while (0)

static wb_stats stats_of(const double *x, int n)
{
    wb_stats s;
    wb_stats_init(&s);
    for (int i = 0; i < n; i++)
        wb_stats_add(&s, x[i]);
    return s;
}

static void test_welford(void)
{
    /* 2,4,4,4,5,5,7,9: sum 40, n 8, mean 5; squared deviations 9,1,1,1,0,0,4,16 = 32;
     * sample variance 32/7 = 4.571428571, sd sqrt(32/7) = 2.138089935. */
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    wb_stats s = stats_of(x, 8);
    CHECK_INT(s.n, 8);
    CHECK_NEAR(wb_stats_mean(&s), 5.0, 1e-12);
    CHECK_NEAR(wb_stats_variance(&s), 32.0 / 7.0, 1e-12);
    CHECK_NEAR(wb_stats_sd(&s), 2.138089935299395, 1e-12);
    CHECK_NEAR(wb_stats_min(&s), 2.0, 0);
    CHECK_NEAR(wb_stats_max(&s), 9.0, 0);

    /* n = 0: everything unknown. */
    wb_stats empty;
    wb_stats_init(&empty);
    CHECK(isnan(wb_stats_mean(&empty)));
    CHECK(isnan(wb_stats_sd(&empty)));
    CHECK(isnan(wb_stats_min(&empty)));

    /* n = 1: the mean is the value; the sd (divisor n - 1 = 0) is unknown. */
    const double one[] = {0.25};
    wb_stats s1 = stats_of(one, 1);
    CHECK_NEAR(wb_stats_mean(&s1), 0.25, 0);
    CHECK(isnan(wb_stats_sd(&s1)));
    CHECK(isnan(wb_stats_variance(&s1)));

    /* n = 2: 1 and 3: mean 2, deviations -1 and 1, variance (1+1)/1 = 2, sd sqrt(2). */
    const double two[] = {1, 3};
    wb_stats s2 = stats_of(two, 2);
    CHECK_NEAR(wb_stats_mean(&s2), 2.0, 1e-15);
    CHECK_NEAR(wb_stats_sd(&s2), 1.4142135623730951, 1e-15);

    /* zero variance: 3,3,3 -> sd exactly 0. */
    const double same[] = {3, 3, 3};
    wb_stats s3 = stats_of(same, 3);
    CHECK(wb_stats_sd(&s3) == 0.0);

    /* NAN (an unknown figure) is not an observation. */
    const double with_nan[] = {1, NAN, 3};
    wb_stats s4 = stats_of(with_nan, 3);
    CHECK_INT(s4.n, 2);
    CHECK_NEAR(wb_stats_mean(&s4), 2.0, 0);

    /* Numerical stability: 1e9+4, 1e9+7, 1e9+13, 1e9+16 have the variance of
     * 4,7,13,16: mean 10, squared deviations 36+9+9+36 = 90, variance 90/3 = 30
     * (the textbook case where the naive sum-of-squares formula fails). */
    const double big[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    wb_stats s5 = stats_of(big, 4);
    CHECK_NEAR(wb_stats_variance(&s5), 30.0, 1e-6);
}

static void test_median(void)
{
    /* sorted 2,4,4,4,5,5,7,9: the middle two are 4 and 5 -> 4.5 */
    const double x[] = {9, 2, 5, 4, 4, 7, 5, 4};
    CHECK_NEAR(wb_median(x, 8), 4.5, 0);
    CHECK_NEAR(x[0], 9.0, 0); /* the input is not reordered */
    const double odd[] = {3, 1, 2};
    CHECK_NEAR(wb_median(odd, 3), 2.0, 0);
    const double one[] = {7};
    CHECK_NEAR(wb_median(one, 1), 7.0, 0);
    CHECK(isnan(wb_median(x, 0)));
}

static void test_t_distribution(void)
{
    /* Two-sided 95% critical values t(0.975, df) from the standard tables (e.g.
     * NIST/SEMATECH e-Handbook 1.3.6.7.2, printed to 3 places there; the longer
     * digits are the same values as given by R's qt(0.975, df)). */
    CHECK_NEAR(wb_t_quantile_975(1), 12.7062047362, 1e-6);
    CHECK_NEAR(wb_t_quantile_975(2), 4.3026527297, 1e-6);
    CHECK_NEAR(wb_t_quantile_975(5), 2.5705818356, 1e-6);
    CHECK_NEAR(wb_t_quantile_975(10), 2.2281388520, 1e-6);
    CHECK_NEAR(wb_t_quantile_975(30), 2.0422724563, 1e-6);
    CHECK_NEAR(wb_t_quantile_975(100), 1.9839715185, 1e-6);
    /* large df -> the normal quantile 1.959963985 (z of 0.975) */
    CHECK_NEAR(wb_t_quantile_975(1000000), 1.959963985, 1e-5);
    CHECK(isnan(wb_t_quantile_975(0)));

    /* Closed forms of the CDF: df 1 is the Cauchy distribution, F(t) = 1/2 +
     * atan(t)/pi; df 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)). */
    for (double t = -5; t <= 5; t += 0.5) {
        CHECK_NEAR(wb_t_cdf(t, 1), 0.5 + atan(t) / M_PI, 1e-12);
        CHECK_NEAR(wb_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 + t * t)), 1e-12);
    }
    /* so the df-1 quantile of p is tan(pi (p - 1/2)): p = 0.9 -> tan(0.4 pi) = 3.077683537 */
    CHECK_NEAR(wb_t_quantile(0.9, 1), tan(0.4 * M_PI), 1e-9);
    CHECK_NEAR(wb_t_quantile(0.1, 1), -tan(0.4 * M_PI), 1e-9);
    CHECK_NEAR(wb_t_quantile(0.5, 7), 0.0, 0);
    /* two-sided p of the 95% critical value is 0.05 by definition */
    CHECK_NEAR(wb_t_p_two_sided(2.2281388520, 10), 0.05, 1e-9);
    CHECK_NEAR(wb_t_p_two_sided(0, 10), 1.0, 1e-12);
}

static void test_ci95(void)
{
    /* 2,4,4,4,5,5,7,9: mean 5, sd 2.138089935, n 8, t(0.975, 7) = 2.364624252 (table);
     * half width 2.364624252 * 2.138089935 / sqrt(8) = 1.787487919. */
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    wb_stats s = stats_of(x, 8);
    double low, high;
    wb_stats_ci95(&s, &low, &high);
    CHECK_NEAR(low, 5.0 - 1.787487919, 1e-8);
    CHECK_NEAR(high, 5.0 + 1.787487919, 1e-8);

    /* n = 2: 1, 3: sd sqrt(2), half width t(0.975,1) * sqrt(2)/sqrt(2) = 12.7062047362 */
    const double two[] = {1, 3};
    s = stats_of(two, 2);
    wb_stats_ci95(&s, &low, &high);
    CHECK_NEAR(low, 2.0 - 12.7062047362, 1e-6);
    CHECK_NEAR(high, 2.0 + 12.7062047362, 1e-6);

    /* n = 1: no interval */
    s = stats_of(two, 1);
    wb_stats_ci95(&s, &low, &high);
    CHECK(isnan(low) && isnan(high));

    /* zero variance: the interval is the point */
    const double same[] = {3, 3, 3, 3};
    s = stats_of(same, 4);
    wb_stats_ci95(&s, &low, &high);
    CHECK_NEAR(low, 3.0, 0);
    CHECK_NEAR(high, 3.0, 0);
}

static void test_outliers(void)
{
    /* 1,2,3,4,100: median 3; |x - 3| = 2,1,0,1,97, sorted 0,1,1,2,97 -> MAD 1.
     * Modified z = 0.6745 (x - 3) / 1: 100 -> 65.4265, 1 -> -1.349; one outlier. */
    const double x[] = {1, 2, 3, 4, 100};
    double z[5];
    CHECK_NEAR(wb_mad(x, 5), 1.0, 0);
    wb_modified_z(x, 5, z);
    CHECK_NEAR(z[4], 0.6745 * 97, 1e-9);
    CHECK_NEAR(z[0], -1.349, 1e-9);
    CHECK_INT(wb_count_outliers(x, 5), 1);

    /* No outlier: 10,11,12,13,14: median 12, deviations 2,1,0,1,2 -> MAD 1;
     * the largest |z| is 0.6745 * 2 = 1.349 < 3.5. */
    const double calm[] = {10, 11, 12, 13, 14};
    CHECK_INT(wb_count_outliers(calm, 5), 0);

    /* MAD = 0: 5,5,5,5,9: median 5, deviations 0,0,0,0,4 -> MAD 0. The fallback
     * uses MeanAD = 4/5 = 0.8: z(9) = 4 / (1.253314 * 0.8) = 3.989420 > 3.5. */
    const double flat[] = {5, 5, 5, 5, 9};
    CHECK_NEAR(wb_mad(flat, 5), 0.0, 0);
    wb_modified_z(flat, 5, z);
    CHECK_NEAR(z[4], 4.0 / (1.253314 * 0.8), 1e-9);
    CHECK_NEAR(z[0], 0.0, 0);
    CHECK_INT(wb_count_outliers(flat, 5), 1);

    /* All equal: MAD 0 and MeanAD 0: every z is 0, no outlier, no division by 0. */
    const double same[] = {2, 2, 2, 2};
    wb_modified_z(same, 4, z);
    CHECK(z[0] == 0.0 && z[3] == 0.0);
    CHECK_INT(wb_count_outliers(same, 4), 0);

    /* One or two values cannot stand out. */
    const double pair[] = {1, 1000};
    CHECK_INT(wb_count_outliers(pair, 2), 0);
    CHECK_INT(wb_count_outliers(pair, 1), 0);
}

static void test_pearson(void)
{
    /* perfect: y = 2x + 1 -> 1; y = -3x -> -1 */
    const double x[] = {1, 2, 3, 4, 5};
    const double up[] = {3, 5, 7, 9, 11};
    const double down[] = {-3, -6, -9, -12, -15};
    CHECK_NEAR(wb_pearson(x, up, 5), 1.0, 1e-15);
    CHECK_NEAR(wb_pearson(x, down, 5), -1.0, 1e-15);

    /* by hand: x 1..5 (mean 3), y 2,4,5,4,5 (mean 4); dx -2,-1,0,1,2; dy -2,0,1,0,1;
     * sum dx dy = 4+0+0+0+2 = 6, sum dx^2 = 10, sum dy^2 = 4+0+1+0+1 = 6;
     * r = 6 / sqrt(10 * 6) = 0.7745966692. */
    const double y[] = {2, 4, 5, 4, 5};
    CHECK_NEAR(wb_pearson(x, y, 5), 0.7745966692414834, 1e-12);

    /* a constant variable: undefined (NAN, printed empty / null) */
    const double flat[] = {7, 7, 7, 7, 7};
    CHECK(isnan(wb_pearson(x, flat, 5)));
    /* fewer than 3 pairs: undefined */
    CHECK(isnan(wb_pearson(x, y, 2)));
    /* unknown values drop their pair: (1,2),(3,5),(4,4),(5,5) remain -> mean x 3.25,
     * mean y 4; dx -2.25,-0.25,0.75,1.75; dy -2,1,0,1; sum dxdy 4.5-0.25+0+1.75 = 6;
     * sum dx^2 5.0625+0.0625+0.5625+3.0625 = 8.75; sum dy^2 4+1+0+1 = 6;
     * r = 6 / sqrt(52.5) = 0.8280786712. */
    const double y_gap[] = {2, NAN, 5, 4, 5};
    CHECK_INT(wb_pearson_pairs(x, y_gap, 5), 4);
    CHECK_NEAR(wb_pearson(x, y_gap, 5), 6.0 / sqrt(52.5), 1e-12);
}

static void test_welch(void)
{
    /* Wikipedia, "Welch's t-test", example 1: two samples of 15; published result
     * t = -2.46, df ~ 25 (24.99 from the Welch-Satterthwaite formula with the
     * samples' variances 7.9174 and 3.7041: (0.52783+0.24694)^2 /
     * (0.52783^2/14 + 0.24694^2/14) = 24.9885), p = 0.021. Means 20.82 and 22.987. */
    const double a[] = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
    const double b[] = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
    wb_welch w;
    CHECK_INT(wb_welch_test(a, 15, b, 15, &w), 0);
    CHECK_NEAR(w.mean_a, 20.82, 1e-9);
    CHECK_NEAR(w.mean_b, 22.986666667, 1e-8);
    CHECK_NEAR(w.t, -2.46, 0.005);
    CHECK_NEAR(w.df, 24.9885, 0.001);
    CHECK_NEAR(w.p, 0.021, 0.0005);

    /* Welch equals Student's test when n and variances are equal: 1,2,3 vs 4,5,6:
     * means 2 and 5, variances 1 and 1, se = sqrt(1/3 + 1/3) = 0.8164966,
     * t = -3 / 0.8164966 = -3.6742346, df = (2/3)^2 / (2 (1/3)^2 / 2) = 4;
     * p two-sided with df 4 from the closed form of the df-4 CDF,
     * F(t) = 1/2 + (3/8) u (1 - t^2 / (12 (1 + t^2/4))), u = t / sqrt(1 + t^2/4):
     * 2 (1 - F(3.6742346)) = 0.02131164 (also by Simpson integration of the density). */
    const double c[] = {1, 2, 3}, d[] = {4, 5, 6};
    CHECK_INT(wb_welch_test(c, 3, d, 3, &w), 0);
    CHECK_NEAR(w.t, -3.6742346142, 1e-9);
    CHECK_NEAR(w.df, 4.0, 1e-12);
    CHECK_NEAR(w.p, 0.02131164, 1e-6);

    /* too few observations */
    CHECK_INT(wb_welch_test(c, 1, d, 3, &w), -1);
    CHECK(isnan(w.t) && isnan(w.p));

    /* no noise at all: equal means -> p 1; different means -> p 0, t infinite */
    const double e1[] = {2, 2, 2}, e2[] = {2, 2}, e3[] = {3, 3};
    CHECK_INT(wb_welch_test(e1, 3, e2, 2, &w), 0);
    CHECK(w.t == 0.0 && w.p == 1.0);
    CHECK_INT(wb_welch_test(e1, 3, e3, 2, &w), 0);
    CHECK(isinf(w.t) && w.t < 0 && w.p == 0.0);
}

int main(void)
{
    test_welford();
    test_median();
    test_t_distribution();
    test_ci95();
    test_outliers();
    test_pearson();
    test_welch();
    return check_finish();
}
