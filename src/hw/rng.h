/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rng.h - the instance PRNG: xoshiro256** seeded through splitmix64.
 *
 * Every random decision in a simulation draws from the hn_rng of its
 * instance, so one seed replays one run.  Never seeded from the host.
 */
#ifndef HN_HW_RNG_H
#define HN_HW_RNG_H

#include <stdint.h>

struct hn_rng {
	uint64_t s[4];
};

static inline uint64_t hn_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void hn_rng_seed(struct hn_rng *r, uint64_t seed)
{
	uint64_t sm = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = hn_splitmix64(&sm);
}

static inline uint64_t hn_rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t hn_rng_next(struct hn_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = hn_rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = hn_rotl64(s[3], 45);
	return result;
}

/* Uniform in [0, bound) without modulo bias (Lemire's multiply-shift). */
static inline uint64_t hn_rng_below(struct hn_rng *r, uint64_t bound)
{
	__uint128_t m;
	uint64_t l;

	if (bound == 0)
		return 0;
	m = (__uint128_t)hn_rng_next(r) * bound;
	l = (uint64_t)m;
	if (l < bound) {
		uint64_t t = -bound % bound;

		while (l < t) {
			m = (__uint128_t)hn_rng_next(r) * bound;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

#endif /* HN_HW_RNG_H */
