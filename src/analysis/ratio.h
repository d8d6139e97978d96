/* The ratio of two mean figures with its 95% interval, and the verdict rule of
 * the findings (docs/ANALYSIS.md, "findings"):
 *
 *   ratio     r = mean(b) / mean(a)
 *   interval  exp(ln r -/+ t(0.975, df) * se), where
 *             se^2 = s_a^2 / (n_a mean_a^2) + s_b^2 / (n_b mean_b^2)   (the delta
 *             method: the variance of ln(mean) is about s^2 / (n mean^2)), and df
 *             the Welch-Satterthwaite degrees of freedom of those two terms;
 *   verdict   with repeats (both n >= 2): within noise when the interval holds 1
 *             or r is within 5% of 1 (0.95..1.05); otherwise confirmed (r > 1) or
 *             refuted (r < 1). With a single run on either side there is no
 *             interval: r outside 0.9..1.1 is confirmed or refuted, marked
 *             "single run"; otherwise within noise.
 *
 * With durations, a = the claim's faster side and b the slower one, so r > 1
 * confirms the claim. */
#ifndef WB_ANALYSIS_RATIO_H
#define WB_ANALYSIS_RATIO_H

/* The noise bands of the verdict rule. */
#define WB_RATIO_NOISE_BAND 0.05      /* with repeats: r within 5% of 1 is noise */
#define WB_RATIO_SINGLE_RUN_BAND 0.10 /* a single run: r within 10% of 1 is noise */

typedef enum wb_finding_verdict {
    WB_FINDING_CONFIRMED = 0, /* the claimed side is faster beyond the noise */
    WB_FINDING_REFUTED,       /* it is slower beyond the noise */
    WB_FINDING_NOISE,         /* no difference beyond the noise */
    WB_FINDING_NOT_COMPARED,  /* the two sides were never measured in one comparable set */
    WB_FINDING_TRAP           /* not a claim: something in the run to beware of */
} wb_finding_verdict;

/* "confirmed", "refuted", "within noise", "not compared", "trap". */
const char *wb_finding_verdict_name(wb_finding_verdict v);

typedef struct wb_ratio {
    double ratio;      /* mean(b) / mean(a); NAN when either mean is unknown or mean(a) is 0 */
    double low, high;  /* the 95% interval of the ratio; NAN without one (single run) */
    double df;         /* Welch-Satterthwaite degrees of freedom; INFINITY when neither side varies */
    int n_a, n_b;      /* the known samples on each side */
    int single_run;    /* a side has one sample: no interval */
} wb_ratio;

/* The ratio of the means of b[0..nb) over a[0..na) (NAN samples left out) and its
 * interval. -1 (and out->ratio NAN) when a side has no known sample or a mean is
 * not positive. */
int wb_ratio_of_means(const double *a, int na, const double *b, int nb, wb_ratio *out);

/* The verdict rule above for a ratio wb_ratio_of_means made (it must have succeeded). */
wb_finding_verdict wb_ratio_verdict(const wb_ratio *r);

#endif
