/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/pair - a bare loop of order-0 alloc+free pairs, for counting
 * instructions rather than timing them.
 *
 *   bench_pair pcp|nopcp|jemalloc N
 *
 * boots the built-in default machine scaled to 64 GiB (with HN_SIM_NO_PCP
 * for "nopcp", where it first pins buddies so that no free merges, as
 * bench_alloc's buddy-o0 does) and runs N pairs of hn_alloc_pages(GFP_KERNEL,
 * order 0) and hn_free_pages().  The GFP mask and order come from volatile
 * variables, so the compiler cannot fold them even when the library is
 * linked statically.  "jemalloc" runs N pairs of malloc(4096) and free
 * from a dlopen()ed libjemalloc.so.2 instead, the baseline of bench_alloc
 * (run it with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536, or
 * jemalloc falls back to its slower TLS path; the script does).
 * bench/pair-instructions.sh runs it under callgrind
 * with two values of N and prints the difference per pair, which leaves out
 * the boot.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

static volatile hn_gfp_t pair_gfp = GFP_KERNEL;
static volatile unsigned int pair_order;
static volatile size_t pair_bytes = 4096;

static int jemalloc_pairs(long n)
{
	void *handle = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_LOCAL);
	void *(*jmalloc)(size_t);
	void (*jfree)(void *);

	if (!handle) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	jmalloc = (void *(*)(size_t))(uintptr_t)dlsym(handle, "malloc");
	jfree = (void (*)(void *))(uintptr_t)dlsym(handle, "free");
	if (!jmalloc || !jfree)
		return 1;
	for (long i = 0; i < n; i++)
		jfree(jmalloc(pair_bytes));
	printf("%ld pairs\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	struct hn_sim_config cfg = { .seed = 1 };
	struct hn_machine *m = NULL;
	struct hn_sim *sim = NULL;
	hn_gfp_t gfp = pair_gfp;
	unsigned int order = pair_order;
	uint64_t pfn = 0, held[256];
	bool nopcp;
	long n;

	if (argc != 3 || (strcmp(argv[1], "pcp") && strcmp(argv[1], "nopcp") &&
			  strcmp(argv[1], "jemalloc"))) {
		fprintf(stderr, "usage: %s pcp|nopcp|jemalloc N\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "jemalloc"))
		return jemalloc_pairs(n);
	nopcp = !strcmp(argv[1], "nopcp");
	if (nopcp)
		cfg.flags |= HN_SIM_NO_PCP;
	if (hn_machine_builtin_scaled(&m, "default", 64ULL << 30) || hn_sim_create(&sim, m, &cfg)) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	if (nopcp) {
		/* hold 256 pages, then free the even ones whose odd buddy stays held */
		for (int i = 0; i < 256; i++)
			if (hn_alloc_pages(sim, gfp, 0, HN_NUMA_NO_NODE, NULL, &held[i]))
				return 1;
		for (int i = 0; i + 1 < 256; i += 2)
			if (!(held[i] & 1) && held[i + 1] == (held[i] ^ 1) && hn_free_pages(sim, held[i], 0))
				return 1;
	}
	for (long i = 0; i < n; i++) {
		if (hn_alloc_pages(sim, gfp, order, HN_NUMA_NO_NODE, NULL, &pfn) ||
		    hn_free_pages(sim, pfn, order)) {
			fprintf(stderr, "pair %ld failed\n", i);
			return 1;
		}
	}
	printf("%ld pairs, last pfn %#llx\n", n, (unsigned long long)pfn);
	hn_sim_destroy(sim);
	hn_machine_free(m);
	return 0;
}
