/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/mattr - how fast each attribute-matching strategy answers, and how
 * well.
 *
 * For each number of attribute nodes in a zone (1, 4, 16, 64, 256, 1024 by
 * default), a set of that many nodes with random attribute words (all six
 * properties, levels uniform in 1..16, one fixed seed) and distinct pfn
 * ranges, inserted in random order.  Two kinds of request, 4096 of each
 * from a fixed seed:
 *
 *   single   one property at one level (what cdm_ind caches)
 *   multi    2..6 properties at random levels (what cdm_cum caches)
 *
 * For every strategy of attr_match.c (the cached and uncached variants are
 * strategies of their own: "slides" and "slides-tree"):
 *
 *   median_ns   median over the runs of the mean time of one lookup, back to
 *               back over the 4096 requests (a throughput figure: nothing
 *               chains one lookup to the next)
 *   ratio       median_ns / the "linear" strategy's median_ns, both from
 *               this run: the scan over every node is the baseline
 *   mean_dist   over requests, the mean over the requested properties of
 *               |granted level - requested level|
 *   exact       the fraction of requests granted every requested level
 *
 * The quality figures need no timing and are the same on every run; the
 * slides' rule compares cumulative values, so its "multi" quality says what
 * that costs against weighted and lexicographic.
 *
 * Usage: bench_mattr [--quick] [--nodes 1,4,16,...] [--runs N] [--csv FILE]
 * Prints a table, then the CSV (to FILE, or as a "csv:" block on stdout);
 * bench/mattr.gnuplot draws it.  --quick: two small sets, one run, few
 * lookups (the smoke test).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "mattr/attr.h"

#define NR_REQ 4096		/* a power of two: requests are indexed by i & (NR_REQ - 1) */
#define MAX_RUNS 101
#define MAX_SIZES 16
#define MAX_STRATS 8

enum req_kind { REQ_SINGLE, REQ_MULTI, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "single", "multi" };

struct result {
	unsigned int nodes;
	enum req_kind kind;
	const struct hn_attr_match_ops *ops;
	double median_ns, min_ns, ratio;
	double mean_dist, exact;
	uint64_t lookups;	/* per run */
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(splitmix64(s) % n);
}

/* ---- the set and the requests ------------------------------------------ */

static int build_set(struct hn_attr_set *set, struct hn_attr_node *n, unsigned int nr, uint64_t seed)
{
	unsigned int *order = malloc(nr * sizeof(*order));
	uint64_t s = seed;
	int ret = 0;

	if (!order)
		return -ENOMEM;
	hn_attr_set_init(set);
	for (unsigned int i = 0; i < nr; i++)
		order[i] = i;
	for (unsigned int i = nr; i > 1; i--) {
		unsigned int j = rnd(&s, i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	for (unsigned int i = 0; i < nr && !ret; i++) {
		struct hn_attr_node *x = &n[order[i]];

		memset(x, 0, sizeof(*x));
		for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
			x->mattr |= hn_mattr_prop((enum hn_mattr_prop)p, 1 + rnd(&s, HN_MATTR_LEVELS));
		x->start_pfn = (uint64_t)order[i] << 20;
		x->end_pfn = x->start_pfn + (1u << 18) + rnd(&s, 1u << 19);
		ret = hn_attr_set_insert(set, x);
	}
	free(order);
	return ret;
}

static void build_requests(hn_mattr_t *req, enum req_kind kind, uint64_t seed)
{
	uint64_t s = seed;

	for (unsigned int i = 0; i < NR_REQ; i++) {
		hn_mattr_t m = 0;

		if (kind == REQ_SINGLE) {
			m = hn_mattr_prop((enum hn_mattr_prop)rnd(&s, HN_MATTR_NR_PROPS),
					  1 + rnd(&s, HN_MATTR_LEVELS));
		} else {
			unsigned int want = 2 + rnd(&s, HN_MATTR_NR_PROPS - 1), have = 0;

			while (have < want) {
				int p = (int)rnd(&s, HN_MATTR_NR_PROPS);

				if (m & HN_MATTR_PRESENT(p))
					continue;
				m |= hn_mattr_prop((enum hn_mattr_prop)p, 1 + rnd(&s, HN_MATTR_LEVELS));
				have++;
			}
		}
		req[i] = m;
	}
}

/* ---- quality and time -------------------------------------------------- */

static void quality(const struct hn_attr_match_ops *ops, const struct hn_attr_set *set,
		    const hn_mattr_t *req, struct result *r)
{
	double dist = 0;
	unsigned int exact = 0;

	for (unsigned int i = 0; i < NR_REQ; i++) {
		const struct hn_attr_node *n = ops->match(set, req[i], NULL, NULL);
		unsigned int props = 0, off = 0, sum = 0;

		for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
			unsigned int want = hn_mattr_level(req[i], (enum hn_mattr_prop)p), got;

			if (!want)
				continue;
			got = n ? hn_mattr_level(n->mattr, (enum hn_mattr_prop)p) : 0;
			props++;
			sum += got > want ? got - want : want - got;
			off += got != want;
		}
		dist += (double)sum / props;
		exact += !off;
	}
	r->mean_dist = dist / NR_REQ;
	r->exact = (double)exact / NR_REQ;
}

/*
 * ns per lookup over @iters back-to-back lookups.  The answers are folded
 * into *@sink so that the compiler cannot drop the calls.
 */
static double time_lookups(const struct hn_attr_match_ops *ops, const struct hn_attr_set *set,
			   const hn_mattr_t *req, uint64_t iters, uintptr_t *sink)
{
	uintptr_t acc = 0;
	double t0 = bench_now_ns();

	for (uint64_t i = 0; i < iters; i++)
		acc ^= (uintptr_t)ops->match(set, req[i & (NR_REQ - 1)], NULL, NULL);
	*sink ^= acc;
	return (bench_now_ns() - t0) / (double)iters;
}

/* Enough lookups for a run of about @target_ns (at least one pass). */
static uint64_t calibrate(const struct hn_attr_match_ops *ops, const struct hn_attr_set *set,
			  const hn_mattr_t *req, double target_ns, uintptr_t *sink)
{
	double ns = time_lookups(ops, set, req, NR_REQ, sink);
	double want = target_ns / (ns > 0.1 ? ns : 0.1);
	uint64_t iters = want < NR_REQ ? NR_REQ : (uint64_t)want;

	return (iters + NR_REQ - 1) / NR_REQ * NR_REQ;
}

/*
 * All strategies for one set and one kind.  Runs are interleaved (run 0 of
 * every strategy, then run 1, ...) so that noise spreads over all of them
 * and the ratio to linear compares like with like.
 */
static void bench_one(const struct hn_attr_set *set, unsigned int nodes, enum req_kind kind,
		      const hn_mattr_t *req, int runs, double target_ns, struct result *res,
		      unsigned int nstrat, uintptr_t *sink)
{
	double t[MAX_STRATS][MAX_RUNS];
	uint64_t iters[MAX_STRATS];
	double linear = 0;

	for (unsigned int k = 0; k < nstrat; k++) {
		res[k].nodes = nodes;
		res[k].kind = kind;
		res[k].ops = hn_attr_match_nth(k);
		quality(res[k].ops, set, req, &res[k]);
		iters[k] = calibrate(res[k].ops, set, req, target_ns, sink);
		res[k].lookups = iters[k];
	}
	for (int r = 0; r < runs; r++)
		for (unsigned int k = 0; k < nstrat; k++)
			t[k][r] = time_lookups(res[k].ops, set, req, iters[k], sink);
	for (unsigned int k = 0; k < nstrat; k++) {
		res[k].median_ns = bench_median(t[k], runs);
		res[k].min_ns = t[k][0];
		if (res[k].ops == &hn_attr_match_linear)
			linear = res[k].median_ns;
	}
	for (unsigned int k = 0; k < nstrat; k++)
		res[k].ratio = linear > 0 ? res[k].median_ns / linear : 0;
}

/* ---- output ------------------------------------------------------------ */

static void print_csv(FILE *f, const char *prefix, const struct result *res, unsigned int nres,
		      unsigned int nstrat, int runs)
{
	fprintf(f, "%snodes,kind,strategy,median_ns,min_ns,ratio_vs_linear,mean_dist,exact_frac,"
		   "lookups_per_run,runs\n",
		prefix);
	/* by kind, then strategy, then node count: one line per curve */
	for (int kind = 0; kind < NR_KINDS; kind++)
		for (unsigned int k = 0; k < nstrat; k++)
			for (unsigned int i = 0; i < nres; i++) {
				const struct result *r = &res[i];

				if ((int)r->kind != kind || r->ops != hn_attr_match_nth(k))
					continue;
				fprintf(f, "%s%u,%s,%s,%.2f,%.2f,%.4f,%.4f,%.4f,%" PRIu64 ",%d\n",
					prefix, r->nodes, kind_name[r->kind], r->ops->name,
					r->median_ns, r->min_ns, r->ratio, r->mean_dist, r->exact,
					r->lookups, runs);
			}
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--quick] [--nodes 1,4,16,64,256,1024] [--runs N] [--csv FILE]\n",
		argv0);
}

int main(int argc, char **argv)
{
	const char *sizes = "1,4,16,64,256,1024", *csv = NULL;
	unsigned int nsizes = 0, size[MAX_SIZES], nstrat = 0, nres = 0;
	int runs = 7, quick = 0, status = 0;
	double target_ns = 2e6;		/* ~2 ms per timed run */
	hn_mattr_t *req[NR_KINDS];
	struct result *res;
	uintptr_t sink = 0;
	char *list, *tok;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--nodes") && i + 1 < argc) {
			sizes = argv[++i];
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			runs = runs < 1 ? 1 : runs > MAX_RUNS ? MAX_RUNS : runs;
		} else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
			csv = argv[++i];
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (quick) {
		sizes = "1,16";
		runs = 1;
		target_ns = 1e5;
	}
	while (hn_attr_match_nth(nstrat) && nstrat < MAX_STRATS)
		nstrat++;

	list = strdup(sizes);
	if (!list)
		return 1;
	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		char *end;
		unsigned long v = strtoul(tok, &end, 0);

		if (*end || !v || v > 1u << 20 || nsizes == MAX_SIZES) {
			fprintf(stderr, "bad node count '%s' (1..%u, at most %d of them)\n", tok,
				1u << 20, MAX_SIZES);
			free(list);
			return 2;
		}
		size[nsizes++] = (unsigned int)v;
	}
	free(list);

	res = calloc((size_t)nsizes * NR_KINDS * nstrat, sizeof(*res));
	req[REQ_SINGLE] = malloc(NR_REQ * sizeof(hn_mattr_t));
	req[REQ_MULTI] = malloc(NR_REQ * sizeof(hn_mattr_t));
	if (!res || !req[REQ_SINGLE] || !req[REQ_MULTI])
		return 1;
	build_requests(req[REQ_SINGLE], REQ_SINGLE, 0x73696e676c65ULL);	/* "single" */
	build_requests(req[REQ_MULTI], REQ_MULTI, 0x6d756c7469ULL);		/* "multi" */

	if (HNUMA_DEBUG_VM + 0)
		printf("note: built with debug_vm: inserts validate the set (lookups do not)\n");
	printf("%6s %-6s %-14s %10s %10s %8s %9s %6s\n", "nodes", "kind", "strategy", "median_ns",
	       "min_ns", "ratio", "mean_dist", "exact");
	for (unsigned int si = 0; si < nsizes && !status; si++) {
		struct hn_attr_node *n = calloc(size[si], sizeof(*n));
		struct hn_attr_set set;
		int ret;

		if (!n)
			return 1;
		ret = build_set(&set, n, size[si], 0x6d61747472ULL);	/* "mattr" */
		if (ret) {
			fprintf(stderr, "%u nodes: insert: %s\n", size[si], strerror(-ret));
			status = 1;
		}
		for (int kind = 0; kind < NR_KINDS && !status; kind++) {
			struct result *r = &res[nres];

			bench_one(&set, size[si], (enum req_kind)kind, req[kind], runs, target_ns, r,
				  nstrat, &sink);
			for (unsigned int k = 0; k < nstrat; k++)
				printf("%6u %-6s %-14s %10.1f %10.1f %8.3f %9.3f %6.3f\n", r[k].nodes,
				       kind_name[kind], r[k].ops->name, r[k].median_ns, r[k].min_ns,
				       r[k].ratio, r[k].mean_dist, r[k].exact);
			nres += nstrat;
		}
		hn_attr_set_fini(&set);
		free(n);
	}
	if (!status) {
		if (csv) {
			FILE *f = fopen(csv, "w");

			if (!f) {
				fprintf(stderr, "%s: %s\n", csv, strerror(errno));
				status = 1;
			} else {
				print_csv(f, "", res, nres, nstrat, runs);
				if (fclose(f)) {
					fprintf(stderr, "%s: %s\n", csv, strerror(errno));
					status = 1;
				}
			}
		} else {
			printf("\n");
			print_csv(stdout, "csv:", res, nres, nstrat, runs);
		}
	}
	/* never true; keeps the lookups observable */
	if (sink == 1)
		printf("sink %lx\n", (unsigned long)sink);
	free(req[REQ_SINGLE]);
	free(req[REQ_MULTI]);
	free(res);
	return status;
}
