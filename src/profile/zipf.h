/* Zipf-distributed keys for the caching study: key k of 1..n is drawn with
 * probability proportional to 1/k^s, deterministically from a seed.
 *
 * Method: rejection-inversion (Hörmann & Derflinger 1996, "Rejection-inversion
 * to generate variates from monotone discrete distributions"), the algorithm of
 * Apache Commons' RejectionInversionZipfSampler: O(1) setup, O(1) expected per
 * draw (at most ~1.1 uniforms per key on average), no table, so memory is the
 * struct alone whatever n is (no O(n) CDF). Uniforms come from splitmix64, never rand(). */
#ifndef WB_PROFILE_ZIPF_H
#define WB_PROFILE_ZIPF_H

#include <stdint.h>

#include "util/error.h"

typedef struct wb_zipf {
    int64_t n;            /* keys are 1..n */
    double s;             /* exponent, > 0 */
    uint64_t rng_state;   /* splitmix64 state */
    double h_integral_x1; /* H(1.5) - 1 */
    double h_integral_n;  /* H(n + 0.5) */
    double s_threshold;   /* the squeeze that accepts most draws without evaluating H */
} wb_zipf;

/* Next 64 random bits of a splitmix64 stream (state advances). */
uint64_t wb_splitmix64(uint64_t *state);
/* A uniform double in [0, 1) from the stream (53 random bits). */
double wb_uniform01(uint64_t *state);

/* Set up a generator over keys 1..n (n >= 1) with exponent s (finite, > 0) and a seed;
 * fill e and return -1 on a bad n or s. */
int wb_zipf_init(wb_zipf *z, int64_t n, double s, uint64_t seed, wb_error *e);
/* The next key, in 1..n. The same seed gives the same sequence. */
int64_t wb_zipf_next(wb_zipf *z);
/* The exact probability of key k (1..n) under Zipf(n, s): (1/k^s) / sum_{i<=n} 1/i^s.
 * O(n): for tests and reports, not for drawing. */
double wb_zipf_probability(int64_t n, double s, int64_t k);

#endif
