/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/fault - simulated page faults per second, per memory policy.
 *
 * On the built-in default machine (384 GiB, seven nodes), one task on CPU 0
 * maps an anonymous region, binds it with the policy under test and writes
 * every page of it once: each write is a fault that walks the VMA list and
 * the page table, asks the policy for a node and allocates a page.  Then
 * the region is unmapped (the frees are timed apart).  Metadata only: no
 * simulated memory is read or written.
 *
 * Policies: the default (the home node), BIND to node 1, PREFERRED_MANY of
 * 0-1, INTERLEAVE over 0-3 (by page offset) and WEIGHTED_INTERLEAVE over 0-1
 * with weights 3:1.
 *
 * Baseline, measured in the same run: the fault path without the page
 * allocator (a read of an untouched page maps the zero page), which is the
 * cost of the VMA and page-table walk alone.
 *
 * Then the whole-run throughput of a trace replay: two tasks, each mapping
 * 256 MiB and making random 64-byte reads and writes (30%), as text lines
 * replayed by hn_run_replay() (parsing, faults and the cost model included),
 * in lines per second.
 *
 * Last, traces with many named regions (issue 29: a region lookup used to
 * scan every region, so 200,000 regions took 50 s): N regions over four
 * tasks, each mapped (16 KiB), written, read, and at the end unmapped, in
 * 25,000, 50,000 and 200,000-region traces; the time per region should not
 * grow with N.  The ratio is against the 25,000-region case per region.
 *
 * Usage: bench_fault [--quick] [--pages N] [--runs N]
 * Prints one line per policy plus a CSV block.  Goal (mempolicy issue):
 * 10 M faults/s or more.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hnuma/hnuma.h>

#include "bench.h"

struct policy {
	const char *name;
	int mode;
	unsigned long nodes;
	bool read_only;		/* the baseline: zero-page faults */
};

static const struct policy policies[] = {
	{ "zero-page (baseline)", MPOL_DEFAULT, 0, true },
	{ "default", MPOL_DEFAULT, 0, false },
	{ "bind:1", MPOL_BIND, 0x2, false },
	{ "prefer(many):0-1", MPOL_PREFERRED_MANY, 0x3, false },
	{ "interleave:0-3", MPOL_INTERLEAVE, 0xf, false },
	{ "weighted:0-1 (3:1)", MPOL_WEIGHTED_INTERLEAVE, 0x3, false },
};

/* One run: map, bind, touch every page; returns the fault phase's seconds. */
static double one_run(struct hn_task *t, const struct policy *p, uint64_t pages, double *unmap_s)
{
	uint64_t len = pages * 4096, a, pfn;
	double t0, t1, t2;
	unsigned int flags;

	if (hn_mmap(t, 0, len, p->read_only ? HN_PROT_READ : HN_PROT_READ | HN_PROT_WRITE,
		    HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a)) {
		fprintf(stderr, "bench_fault: mmap failed\n");
		exit(1);
	}
	if (p->mode != MPOL_DEFAULT && hn_mbind(t, a, len, p->mode, &p->nodes, 65, 0)) {
		fprintf(stderr, "bench_fault: mbind failed\n");
		exit(1);
	}
	t0 = bench_now_s();
	for (uint64_t i = 0; i < pages; i++) {
		if (hn_task_touch(t, a + i * 4096, !p->read_only)) {
			fprintf(stderr, "bench_fault: fault %" PRIu64 " failed\n", i);
			exit(1);
		}
	}
	t1 = bench_now_s();
	/* every page faulted in: the last one must be there */
	if (hn_task_pte(t, a + (pages - 1) * 4096, &pfn, &flags)) {
		fprintf(stderr, "bench_fault: the last page is missing\n");
		exit(1);
	}
	hn_munmap(t, a, len);
	t2 = bench_now_s();
	*unmap_s = t2 - t1;
	return t1 - t0;
}

/* One replay of @text (the trace in memory); its seconds.  Exits on failure. */
static double replay_once(struct hn_sim *sim, char *text, size_t len)
{
	struct hn_run_result *res = calloc(1, sizeof(*res));
	FILE *in = fmemopen(text, len, "r");
	double t0 = bench_now_s(), t;

	if (!res || !in || hn_run_replay(sim, in, "bench", res, NULL)) {
		fprintf(stderr, "bench_fault: the replay failed\n");
		exit(1);
	}
	t = bench_now_s() - t0;
	fclose(in);
	free(res);
	return t;
}

int main(int argc, char **argv)
{
	uint64_t pages = 1 << 18;	/* 1 GiB of 4 KiB pages */
	int runs = 7;
	struct hn_machine *m = NULL;
	struct hn_sim *sim = NULL;
	struct hn_task *t = NULL;
	struct hn_sim_config cfg = { 0 };
	double rates[sizeof(policies) / sizeof(policies[0])];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			pages = 4096;
			runs = 1;
		} else if (!strcmp(argv[i], "--pages") && i + 1 < argc) {
			pages = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--pages N] [--runs N]\n", argv[0]);
			return 2;
		}
	}
	if (!pages || runs < 1 || runs > 101)
		return 2;
	if (hn_machine_builtin(&m, "default") || hn_sim_create(&sim, m, &cfg) ||
	    hn_task_create(sim, 0, &t) || hn_sim_set_il_weight(sim, 0, 3)) {
		fprintf(stderr, "bench_fault: cannot boot the default machine\n");
		return 1;
	}
	printf("%-22s %10s %12s %12s %10s\n", "policy", "pages", "median_ns", "faults/s", "ratio");
	for (size_t k = 0; k < sizeof(policies) / sizeof(policies[0]); k++) {
		double s[101], unmap_s;

		for (int r = 0; r < runs; r++)
			s[r] = one_run(t, &policies[k], pages, &unmap_s);
		rates[k] = (double)pages / bench_median(s, runs);
		printf("%-22s %10" PRIu64 " %12.1f %12.3g %10.2f\n", policies[k].name, pages,
		       1e9 / rates[k], rates[k], rates[0] / rates[k]);
	}
	/* trace replay: build the trace once, replay it runs times */
	{
		uint64_t lines = pages * 4, rng = 42;
		double s[101], median;
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (!f)
			return 1;
		fprintf(f, "task 1 cpu 0\ntask 2 cpu 56\nmmap 1 a 256M\nmmap 2 b 256M\n");
		for (uint64_t i = 0; i < lines; i++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			fprintf(f, "%c %d %c %" PRIu64 "\n", (rng >> 60) < 5 ? 'w' : 'r', 1 + (int)(i & 1),
				(i & 1) ? 'b' : 'a', (uint64_t)(((rng >> 20) % (256ULL << 20)) & ~63ULL));
		}
		fclose(f);
		for (int r = 0; r < runs; r++)
			s[r] = replay_once(sim, text, len);
		median = bench_median(s, runs);
		printf("\n%-22s %10" PRIu64 " %12.1f %12.3g lines/s\n", "replay (lines)", lines + 4,
		       1e9 * median / (double)(lines + 4), (double)(lines + 4) / median);
		free(text);
	}
	/* regions by name: the replay's lookups must not grow with their number */
	{
		static const unsigned int full[] = { 25000, 50000, 200000 }, quick[] = { 500, 2000 };
		const unsigned int *sizes = pages > 4096 ? full : quick;
		unsigned int nr_sizes = pages > 4096 ? 3 : 2;
		double per_region[3], med[3];

		printf("\n%-22s %10s %12s %12s %10s\n", "replay (regions)", "regions", "median_s",
		       "ns/region", "ratio");
		for (unsigned int k = 0; k < nr_sizes; k++) {
			unsigned int n = sizes[k];
			double s[101];
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);

			if (!f)
				return 1;
			fprintf(f, "task 1 cpu 0\ntask 2 cpu 1\ntask 3 cpu 56\ntask 4 cpu 57\n");
			for (unsigned int i = 0; i < n; i++)
				fprintf(f, "mmap %u r%u 16K\nw %u r%u 0\nr %u r%u 8192\n", 1 + i % 4, i,
					1 + i % 4, i, 1 + i % 4, i);
			for (unsigned int i = 0; i < n; i++)
				fprintf(f, "munmap %u r%u\n", 1 + i % 4, i);
			fclose(f);
			for (int r = 0; r < runs; r++)
				s[r] = replay_once(sim, text, len);
			med[k] = bench_median(s, runs);
			per_region[k] = 1e9 * med[k] / n;
			printf("%-22s %10u %12.3f %12.1f %10.2f\n", "replay (regions)", n, med[k],
			       per_region[k], per_region[k] / per_region[0]);
			free(text);
		}
		printf("\ncsv:replay_regions,regions,median_s,ns_per_region,ratio_per_region\n");
		for (unsigned int k = 0; k < nr_sizes; k++)
			printf("csv:replay_regions,%u,%.4f,%.1f,%.3f\n", sizes[k], med[k], per_region[k],
			       per_region[k] / per_region[0]);
	}
	printf("\ncsv:policy,pages,median_ns_per_fault,faults_per_s\n");
	for (size_t k = 0; k < sizeof(policies) / sizeof(policies[0]); k++)
		printf("csv:%s,%" PRIu64 ",%.1f,%.0f\n", policies[k].name, pages, 1e9 / rates[k], rates[k]);
	hn_sim_destroy(sim);
	hn_machine_free(m);
	return 0;
}
