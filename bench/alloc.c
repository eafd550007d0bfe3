/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/alloc - how fast the simulated page allocator hands out a block and
 * takes it back, against jemalloc doing the same for the same bytes.
 *
 * Each case times N alloc+free pairs on the current CPU (0, node 0) and
 * reports ns per pair (per page for bulk), the median of several runs:
 *
 *   case       what                                        jemalloc baseline
 *   pcp-o0     order 0, GFP_KERNEL, pcp list warm           malloc(4 KiB) + free
 *   buddy-o0   order 0 with HN_SIM_NO_PCP (pcp high 0,      malloc(4 KiB) + free
 *              batch 1, the kernel's boot pageset: every
 *              request goes to the buddy lists), in the
 *              steady state of a used machine: the page
 *              handed out has its buddy allocated, so a
 *              free puts it back without merging
 *   buddy-o0-split  the same on an idle zone: every request   malloc(4 KiB) + free
 *              splits an order-10 block down to 0 and every
 *              free merges it back up (the worst case)
 *   pcp-o3     order 3 (the largest pcp order)             malloc(32 KiB) + free
 *   thp-o9     order 9 (pageblock order, pcp THP list)     malloc(2 MiB) + free
 *   buddy-o10  order 10 (MAX_PAGE_ORDER, buddy lists)      malloc(4 MiB) + free
 *   bulk32     hn_alloc_pages_bulk() of 32 pages, then 32   32 x malloc(4 KiB), then
 *              hn_free_pages(); ns per page                 32 x free; ns per page
 *
 * Neither side touches the memory it gets: this is the bookkeeping cost.
 * The simulated machine is the built-in default scaled to each size.
 *
 * The bench links the shared libhnuma, as a user's program does, so each
 * call goes through the library's ABI with its arguments unknown to the
 * compiler: the same footing as the dlsym'd jemalloc.  (Linked statically
 * with LTO, the compiler may inline the fast path into this loop and fold
 * the constant arguments, which no user of the library gets.)
 *
 * jemalloc is loaded with dlopen(RTLD_LOCAL) and called through dlsym'd
 * malloc/free, so it does not replace the process's malloc (Debian's
 * libjemalloc2 exports the unprefixed names).  jemalloc uses initial-exec
 * TLS, which a dlopen()ed library may only have if glibc reserved enough
 * surplus static TLS at startup; when dlopen() says "cannot allocate memory
 * in static TLS block" the bench re-executes itself once with
 * GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536 (glibc >= 2.32).
 * Each run of a case is
 * followed by a run of its baseline, so both see the same machine noise.
 * Without jemalloc the ratios read "n/a".
 *
 * Usage: bench_alloc [--quick] [--sizes 64G,1T] [--runs N] [--iters N]
 *                    [--jemalloc PATH]
 * --quick runs one small machine once with few iterations (the smoke test).
 */
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hnuma/hnuma.h>

#include "bench.h"
#include <hnuma/alloc.h>

#define MAX_RUNS 101
#define BULK 32

typedef void *(*malloc_fn)(size_t);
typedef void (*free_fn)(void *);

struct baseline {
	void *handle;
	malloc_fn malloc;
	free_fn free;
	char why[256];	/* why it is missing */
};

enum bench_case { PCP_O0, BUDDY_O0, BUDDY_O0_SPLIT, PCP_O3, THP_O9, BUDDY_O10, BULK32, NR_CASES };

static const struct {
	const char *name;
	unsigned int order;
	size_t bytes;		/* the baseline's malloc size */
	const char *baseline;
} cases[NR_CASES] = {
	[PCP_O0] = { "pcp-o0", 0, 4096, "malloc(4K)+free" },
	[BUDDY_O0] = { "buddy-o0", 0, 4096, "malloc(4K)+free" },
	[BUDDY_O0_SPLIT] = { "buddy-o0-split", 0, 4096, "malloc(4K)+free" },
	[PCP_O3] = { "pcp-o3", 3, 32768, "malloc(32K)+free" },
	[THP_O9] = { "thp-o9", 9, 2u << 20, "malloc(2M)+free" },
	[BUDDY_O10] = { "buddy-o10", 10, 4u << 20, "malloc(4M)+free" },
	[BULK32] = { "bulk32", 0, 4096, "32x malloc(4K) then 32x free" },
};

struct result {
	uint64_t size;
	double median_ns, min_ns;
	double base_median_ns;	/* < 0: no baseline */
	int runs;
	uint64_t iters;
};

#define TLS_TUNABLE "glibc.rtld.optional_static_tls=65536"

/*
 * Re-execute with more surplus static TLS for jemalloc.  Returns only if
 * that was already tried or exec failed.
 */
static void reexec_with_static_tls(char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char *val;
	size_t len;

	if (old && strstr(old, "optional_static_tls"))
		return;
	len = (old ? strlen(old) + 1 : 0) + sizeof(TLS_TUNABLE);
	val = malloc(len);
	if (!val)
		return;
	snprintf(val, len, "%s%s%s", old ? old : "", old ? ":" : "", TLS_TUNABLE);
	setenv("GLIBC_TUNABLES", val, 1);
	free(val);
	fflush(NULL);
	execv("/proc/self/exe", argv);
}

static void baseline_load(struct baseline *b, const char *path)
{
	const char *err;

	memset(b, 0, sizeof(*b));
	b->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!b->handle) {
		err = dlerror();
		snprintf(b->why, sizeof(b->why), "%s", err ? err : "dlopen failed");
		return;
	}
	b->malloc = (malloc_fn)(uintptr_t)dlsym(b->handle, "malloc");
	b->free = (free_fn)(uintptr_t)dlsym(b->handle, "free");
	if (!b->malloc || !b->free) {
		snprintf(b->why, sizeof(b->why), "%s exports no malloc/free (a prefixed build?)", path);
		b->malloc = NULL;
		b->free = NULL;
	}
}

/* ---- one timed run of a case: ns per pair (per page for bulk) ------------ */

/*
 * Put the no-pcp zone in the steady state of a used machine: hold order-0
 * pages until two of them are buddies, then free one.  The allocator hands
 * out free order-0 pages smallest-first, and every one of them now has its
 * buddy held, so an alloc+free pair never splits or merges.  Returns the
 * held pages through @held for release_pinned().
 */
#define PIN_MAX 256

static int pin_buddies(struct hn_sim *sim, uint64_t *held, unsigned int *nr)
{
	*nr = 0;
	while (*nr < PIN_MAX) {
		uint64_t pfn;
		int ret = hn_alloc_pages(sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &pfn);

		if (ret)
			return ret;
		held[(*nr)++] = pfn;
	}
	/* free every page whose buddy stays held: none of them can merge */
	for (unsigned int i = 0; i < *nr; i++) {
		for (unsigned int j = 0; j < *nr; j++) {
			if (held[j] == (held[i] ^ 1) && !(held[i] & 1)) {
				int ret = hn_free_pages(sim, held[i], 0);

				if (ret)
					return ret;
				held[i] = HN_PFN_NONE;
				break;
			}
		}
	}
	return 0;
}

static void release_pinned(struct hn_sim *sim, uint64_t *held, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		if (held[i] != HN_PFN_NONE)
			hn_free_pages(sim, held[i], 0);
}

static int run_hnuma(struct hn_sim *sim, enum bench_case c, uint64_t iters, double *ns)
{
	unsigned int order = cases[c].order, nr_held = 0;
	uint64_t pfn, pfns[BULK], held[PIN_MAX];
	double t0;
	int ret;

	if (c == BUDDY_O0) {
		ret = pin_buddies(sim, held, &nr_held);
		if (ret)
			return ret;
	}
	t0 = bench_now_ns();

	if (c == BULK32) {
		for (uint64_t i = 0; i < iters; i++) {
			unsigned int got = 0;

			for (unsigned int k = 0; k < BULK; k++)
				pfns[k] = HN_PFN_NONE;
			ret = hn_alloc_pages_bulk(sim, GFP_KERNEL, HN_NUMA_NO_NODE, NULL, BULK, pfns, &got);
			if (ret || got != BULK)
				return ret ? ret : -ENOSPC;
			for (unsigned int k = 0; k < BULK; k++)
				if ((ret = hn_free_pages(sim, pfns[k], 0)))
					return ret;
		}
		*ns = (bench_now_ns() - t0) / (double)(iters * BULK);
		return 0;
	}
	for (uint64_t i = 0; i < iters; i++) {
		ret = hn_alloc_pages(sim, GFP_KERNEL, order, HN_NUMA_NO_NODE, NULL, &pfn);
		if (ret)
			return ret;
		ret = hn_free_pages(sim, pfn, order);
		if (ret)
			return ret;
	}
	*ns = (bench_now_ns() - t0) / (double)iters;
	release_pinned(sim, held, nr_held);
	return 0;
}

static double run_baseline(const struct baseline *b, enum bench_case c, uint64_t iters)
{
	size_t bytes = cases[c].bytes;
	void *p[BULK];
	double t0 = bench_now_ns();

	if (c == BULK32) {
		for (uint64_t i = 0; i < iters; i++) {
			for (unsigned int k = 0; k < BULK; k++)
				p[k] = b->malloc(bytes);
			for (unsigned int k = 0; k < BULK; k++)
				b->free(p[k]);
		}
		return (bench_now_ns() - t0) / (double)(iters * BULK);
	}
	for (uint64_t i = 0; i < iters; i++) {
		void *q = b->malloc(bytes);

		b->free(q);
	}
	return (bench_now_ns() - t0) / (double)iters;
}

static uint64_t iters_for(enum bench_case c, uint64_t iters)
{
	if (c == BULK32)
		return iters / 16 ? iters / 16 : 1;
	return iters;
}

static int bench_case(struct hn_sim *sim, const struct baseline *b, enum bench_case c, int runs,
		      uint64_t iters, struct result *r)
{
	double t[MAX_RUNS], bt[MAX_RUNS], warm;
	uint64_t n = iters_for(c, iters);
	int ret;

	/* one untimed run: pcp lists filled, jemalloc's caches warm */
	ret = run_hnuma(sim, c, n / 4 ? n / 4 : 1, &warm);
	if (ret)
		return ret;
	if (b->malloc)
		run_baseline(b, c, n / 4 ? n / 4 : 1);
	for (int i = 0; i < runs; i++) {
		ret = run_hnuma(sim, c, n, &t[i]);
		if (ret)
			return ret;
		if (b->malloc)
			bt[i] = run_baseline(b, c, n);
	}
	r->median_ns = bench_median(t, runs);
	r->min_ns = t[0];
	r->base_median_ns = -1;
	if (b->malloc) {
		r->base_median_ns = bench_median(bt, runs);
	}
	r->runs = runs;
	r->iters = n;
	return 0;
}

static int boot(struct hn_sim **sim, const struct hn_machine *m, unsigned int flags)
{
	struct hn_sim_config cfg = { .seed = 1, .flags = flags };

	return hn_sim_create(sim, m, &cfg);
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--quick] [--sizes 64G,1T] [--runs N] [--iters N] [--jemalloc PATH]\n",
		argv0);
}

int main(int argc, char **argv)
{
	const char *sizes = "64G,1T", *jepath = "libjemalloc.so.2";
	int runs = 7, quick = 0, nres = 0, status = 0;
	uint64_t iters = 200000;
	struct result (*res)[NR_CASES];
	struct baseline b;
	char *list, *tok;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			sizes = argv[++i];
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			runs = runs < 1 ? 1 : runs > MAX_RUNS ? MAX_RUNS : runs;
		} else if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
			iters = strtoull(argv[++i], NULL, 0);
			if (iters < 16)
				iters = 16;
		} else if (!strcmp(argv[i], "--jemalloc") && i + 1 < argc) {
			jepath = argv[++i];
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (quick) {
		sizes = "16G";
		runs = 1;
		iters = 1000;
	}
	if (HNUMA_DEBUG_VM + 0)
		printf("note: built with debug_vm: every call runs hn_sim_check(), figures are meaningless\n");
	baseline_load(&b, jepath);
	if (!b.handle && strstr(b.why, "static TLS")) {
		reexec_with_static_tls(argv);
		baseline_load(&b, jepath);
	}
	if (!b.malloc)
		printf("note: no jemalloc baseline (%s); ratios are n/a\n", b.why);
	res = calloc(16, sizeof(*res));
	list = strdup(sizes);
	if (!res || !list)
		return 1;

	printf("%-7s %-10s %5s %10s %10s  %-26s %10s %8s\n", "memory", "case", "order", "median_ns",
	       "min_ns", "baseline (jemalloc)", "base_ns", "ratio");
	for (tok = strtok(list, ","); tok && nres < 16; tok = strtok(NULL, ",")) {
		struct hn_machine *m = NULL;
		struct hn_sim *sim = NULL, *nopcp = NULL;
		uint64_t size;
		int ret;

		if (hn_parse_size(tok, &size)) {
			fprintf(stderr, "bad size '%s'\n", tok);
			status = 2;
			break;
		}
		ret = hn_machine_builtin_scaled(&m, "default", size);
		if (!ret)
			ret = boot(&sim, m, 0);
		if (!ret)
			ret = boot(&nopcp, m, HN_SIM_NO_PCP);
		for (int c = 0; !ret && c < NR_CASES; c++) {
			struct result *r = &res[nres][c];

			r->size = size;
			ret = bench_case(c == BUDDY_O0 || c == BUDDY_O0_SPLIT ? nopcp : sim, &b,
					 (enum bench_case)c, runs, iters, r);
			if (ret) {
				fprintf(stderr, "%s %s: %s\n", tok, cases[c].name, hn_strerror(ret));
				break;
			}
			printf("%-7s %-10s %5u %10.1f %10.1f  %-26s", tok, cases[c].name, cases[c].order,
			       r->median_ns, r->min_ns, cases[c].baseline);
			if (r->base_median_ns > 0)
				printf(" %10.1f %8.3f\n", r->base_median_ns, r->median_ns / r->base_median_ns);
			else
				printf(" %10s %8s\n", "n/a", "n/a");
		}
		hn_sim_destroy(sim);
		hn_sim_destroy(nopcp);
		hn_machine_free(m);
		if (ret) {
			fprintf(stderr, "%s: %s\n", tok, hn_strerror(ret));
			status = 1;
			break;
		}
		nres++;
	}

	printf("\ncsv:memory_bytes,case,order,unit,median_ns,min_ns,baseline,baseline_median_ns,ratio,runs,iters\n");
	for (int i = 0; i < nres; i++) {
		for (int c = 0; c < NR_CASES; c++) {
			const struct result *r = &res[i][c];

			printf("csv:%" PRIu64 ",%s,%u,%s,%.2f,%.2f,%s,", r->size, cases[c].name, cases[c].order,
			       c == BULK32 ? "page" : "pair", r->median_ns, r->min_ns, cases[c].baseline);
			if (r->base_median_ns > 0)
				printf("%.2f,%.4f,", r->base_median_ns, r->median_ns / r->base_median_ns);
			else
				printf("n/a,n/a,");
			printf("%d,%" PRIu64 "\n", r->runs, r->iters);
		}
	}
	free(list);
	free(res);
	if (b.handle)
		dlclose(b.handle);
	return status;
}
