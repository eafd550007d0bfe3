/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/boot - how long a boot takes and how much host memory it costs.
 *
 * For each machine size: the median wall time of hn_sim_create() over
 * several runs, and the growth of the process's resident set per simulated
 * page.  The machine is the built-in default scaled to the size, so every
 * size has the same shape (sockets, HBM, CXL, GPU memory).
 *
 * Baseline, measured in the same run: initialising 16 bytes of metadata for
 * every simulated page once (a fresh mapping written end to end), which is
 * the least an eager simulator with our page struct would pay.  Skipped
 * above 1 TiB, where it would need more host memory than a test box has.
 *
 * Usage: bench_boot [--quick] [--sizes 64G,1T,4T] [--runs N]
 * Prints one line per size plus a CSV block; --quick runs one small size
 * once (the smoke test registered with meson test).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hnuma/hnuma.h>

#include "bench.h"

static uint64_t rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

struct result {
	uint64_t size;
	double median_s, min_s;
	double rss_per_page;
	uint64_t pages;
	double baseline_s;	/* 0 when skipped */
};

#define BASELINE_LIMIT (1ULL << 40)

/* Median time to write 16 bytes per page into a fresh zeroed mapping. */
static double baseline_eager_memmap(uint64_t pages, int runs)
{
	size_t bytes = (size_t)pages * 16;
	double best[16];
	int n = runs < 16 ? runs : 16;

	for (int i = 0; i < n; i++) {
		double t0 = bench_now_s();
		unsigned char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			return 0;
		memset(p, 0x5a, bytes);
		best[i] = bench_now_s() - t0;
		munmap(p, bytes);
	}
	return bench_median(best, n);
}

static int bench_size(uint64_t size, int runs, struct result *r)
{
	struct hn_machine *m;
	double *t = calloc((size_t)runs, sizeof(double));
	int ret;

	if (!t)
		return -ENOMEM;
	ret = hn_machine_builtin_scaled(&m, "default", size);
	if (ret) {
		free(t);
		return ret;
	}
	r->size = size;
	r->rss_per_page = 0;
	for (int i = 0; i < runs; i++) {
		struct hn_sim *sim;
		uint64_t before = rss_bytes(), after;
		double t0 = bench_now_s();

		ret = hn_sim_create(&sim, m, &(struct hn_sim_config){ .seed = 1 });
		t[i] = bench_now_s() - t0;
		if (ret)
			break;
		after = rss_bytes();
		if (i == 0) {
			uint64_t pages = 0;

			for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++) {
				struct hn_node_info ni;

				if (!hn_sim_node_info(sim, nid, &ni))
					pages += ni.node_present_pages;
			}
			r->pages = pages;
			r->rss_per_page = pages ? (double)(after - before) / (double)pages : 0;
		}
		hn_sim_destroy(sim);
	}
	hn_machine_free(m);
	if (!ret) {
		r->median_s = bench_median(t, runs);
		r->min_s = t[0];
		r->baseline_s = size <= BASELINE_LIMIT ? baseline_eager_memmap(r->pages, runs) : 0;
	}
	free(t);
	return ret;
}

int main(int argc, char **argv)
{
	const char *sizes = "64G,1T";
	int runs = 5, quick = 0;
	struct result res[16];
	int nres = 0;
	char *list, *tok;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			sizes = argv[++i];
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			if (runs < 1)
				runs = 1;
		} else {
			fprintf(stderr, "usage: %s [--quick] [--sizes 64G,1T,4T] [--runs N]\n", argv[0]);
			return 2;
		}
	}
	if (quick) {
		sizes = "16G";
		runs = 1;
	}
	list = strdup(sizes);
	if (!list)
		return 1;
	printf("%-8s %12s %12s %14s %12s %14s %8s\n", "memory", "median_ms", "min_ms", "sim_pages",
	       "rss_B/page", "eager_init_ms", "ratio");
	for (tok = strtok(list, ","); tok && nres < 16; tok = strtok(NULL, ",")) {
		uint64_t size;
		struct result *r = &res[nres];
		int ret;

		if (hn_parse_size(tok, &size)) {
			fprintf(stderr, "bad size '%s'\n", tok);
			free(list);
			return 2;
		}
		ret = bench_size(size, runs, r);
		if (ret) {
			fprintf(stderr, "%s: %s\n", tok, hn_strerror(ret));
			free(list);
			return 1;
		}
		printf("%-8s %12.1f %12.1f %14" PRIu64 " %12.2f", tok, r->median_s * 1e3,
		       r->min_s * 1e3, r->pages, r->rss_per_page);
		if (r->baseline_s > 0)
			printf(" %14.1f %8.3f\n", r->baseline_s * 1e3, r->median_s / r->baseline_s);
		else
			printf(" %14s %8s\n", "skipped", "-");
		nres++;
	}
	printf("\ncsv:memory_bytes,median_s,min_s,sim_pages,rss_bytes_per_page,eager_init_s,runs\n");
	for (int i = 0; i < nres; i++)
		printf("csv:%" PRIu64 ",%.6f,%.6f,%" PRIu64 ",%.3f,%.6f,%d\n", res[i].size,
		       res[i].median_s, res[i].min_s, res[i].pages, res[i].rss_per_page,
		       res[i].baseline_s, runs);
	free(list);
	return 0;
}
