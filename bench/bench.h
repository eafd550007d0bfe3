/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h - what every bench/ program needs: a monotonic clock and the
 * median of a set of runs.
 */
#ifndef HN_BENCH_H
#define HN_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline double bench_now_ns(void)
{
	return bench_now_s() * 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v (so v[0] is then the minimum) and returns its median. */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif
