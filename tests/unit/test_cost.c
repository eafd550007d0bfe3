/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_cost.c - the cost model (hnuma/cost.h) against hand-computed values
 * (CMocka).
 *
 * Every expected number is derived in the comment beside it from the
 * equations of docs/cost-model.md.  The closed-loop tests drive the model
 * the way hn_run() does: a few "tasks", each issuing its next access when
 * the last one finished, the earliest clock first.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hnuma/cost.h>
#include <hnuma/hw.h>

#include "hn_test.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/*
 * Node 0: CPUs 0-3 and 1 GiB of DRAM (100 ns, 100 GB/s, curve @curve when
 * given); node 1: 1 GiB of memory only (200 ns, 100 GB/s), reached over a
 * 10 GB/s, 50 ns link when @link.
 */
static struct hn_machine *machine(const struct hn_curve_point *curve, uint32_t n, bool link)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, GiB), d1 = test_dram(1, HN_ADDR_AUTO, GiB);
	struct hn_initiator_desc c = test_cpus(0, "0-3");
	struct hn_access_desc a01 = { 200, 200, 100000, 100000 };
	struct hn_link_desc l = { "lnk", 0, 1, 10000, 50 };

	d0.read_latency_ns = 100;
	d0.read_bw_mbps = 100000;
	d1.read_latency_ns = 200;
	d1.read_bw_mbps = 100000;
	d1.kind = HN_MEM_CXL;
	d0.nr_loaded = n;
	if (n)
		memcpy(d0.loaded, curve, n * sizeof(*curve));
	assert_int_equal(hn_machine_new(&m, "cost"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 20), 0);
	assert_int_equal(hn_machine_set_access(m, 0, 1, &a01), 0);
	if (link)
		assert_int_equal(hn_machine_add_link(m, &l), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	return m;
}

static void test_parse_and_name(void **state)
{
	unsigned int p;
	char buf[48];

	(void)state;
	assert_int_equal(hn_cost_parse("static", &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(hn_cost_parse("full", &p), 0);
	assert_int_equal(p, HN_COST_FULL);
	assert_int_equal(hn_cost_parse("loaded,links", &p), 0);
	assert_int_equal(p, HN_COST_LOADED | HN_COST_LINKS);
	assert_int_equal(hn_cost_parse("llc+memcache", &p), 0);
	assert_int_equal(p, HN_COST_LLC | HN_COST_MEMCACHE);
	assert_string_equal(hn_cost_name(p, buf, sizeof(buf)), "memcache,llc");
	assert_string_equal(hn_cost_name(0, buf, sizeof(buf)), "static");
	assert_string_equal(hn_cost_name(HN_COST_FULL, buf, sizeof(buf)), "full");
	assert_null(hn_cost_name(HN_COST_LOADED | HN_COST_LLC, buf, 5));
	assert_null(hn_cost_name(0, NULL, 8));
	assert_int_equal(hn_cost_parse("", &p), -EINVAL);
	assert_int_equal(hn_cost_parse("loaded,", &p), -EINVAL);
	assert_int_equal(hn_cost_parse("load", &p), -EINVAL);
	assert_int_equal(hn_cost_parse(NULL, &p), -EINVAL);
	assert_int_equal(hn_cost_parse("full", NULL), -EINVAL);
}

static void test_default_curve(void **state)
{
	(void)state;
	/* 1 + 0.6 u^2 / (1 - 0.6 u): 1 at 0; 1 + 0.15 / 0.7 at 0.5; 1 + 0.6 / 0.4 = 2.5 at 1 */
	assert_true(fabs(hn_cost_default_curve(0) - 1.0) < 1e-12);
	assert_true(fabs(hn_cost_default_curve(0.5) - (1 + 0.15 / 0.7)) < 1e-12);
	assert_true(fabs(hn_cost_default_curve(1) - 2.5) < 1e-12);
	assert_true(fabs(hn_cost_default_curve(7) - 2.5) < 1e-12);	/* clamped */
	assert_true(fabs(hn_cost_default_curve(-1) - 1.0) < 1e-12);
	for (int k = 1; k <= 100; k++)
		assert_true(hn_cost_default_curve(k / 100.0) >= hn_cost_default_curve((k - 1) / 100.0));
}

static void test_curve_interpolation(void **state)
{
	static const struct hn_curve_point pts[] = { { 0, 100 }, { 500, 150 }, { 800, 300 } };
	struct hn_machine *m = machine(pts, 3, false);
	struct hn_cost_model *cm;
	double ns, last = 0;

	(void)state;
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_LOADED, 0), 0);
	/* halfway between (0, 100) and (0.5, 150) */
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, 0.25, &ns), 0);
	assert_true(fabs(ns - 125) < 1e-9);
	/* (0.5, 150) to (0.8, 300): 150 + 150 * 0.15 / 0.3 = 225 at 0.65 */
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, 0.65, &ns), 0);
	assert_true(fabs(ns - 225) < 1e-9);
	/* past the last point along the last segment: 300 + 500 * 0.2 = 400 at 1 */
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, 1.0, &ns), 0);
	assert_true(fabs(ns - 400) < 1e-9);
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, 3.0, &ns), 0);	/* reported as at 1 */
	assert_true(fabs(ns - 400) < 1e-9);
	/* node 1 has no curve: the default, scaled to its 200 ns: 200 * 2.5 at 1 */
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 1, 1.0, &ns), 0);
	assert_true(fabs(ns - 500) < 1e-9);
	for (int k = 0; k <= 200; k++) {
		assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, k / 100.0, &ns), 0);
		assert_true(ns >= last);	/* more load never lowers latency */
		last = ns;
	}
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, -0.1, &ns), -EINVAL);
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 0, NAN, &ns), -EINVAL);
	assert_int_equal(hn_cost_loaded_latency(cm, 0, 7, 0.1, &ns), -EINVAL);
	assert_int_equal(hn_cost_loaded_latency(NULL, 0, 0, 0.1, &ns), -EINVAL);
	hn_cost_free(cm);
	hn_machine_free(m);
}

static void test_static_model(void **state)
{
	struct hn_machine *m = machine(NULL, 0, false);
	struct hn_cost_model *cm;
	struct hn_cost_charge c;

	(void)state;
	assert_int_equal(hn_cost_new(&cm, m, 0, 1000), 0);
	/* 64 B read of node 0: 100 ns + 64 / 100 B/ns = 100.64 ns */
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 64, 0, &c), 0);
	assert_true(fabs(c.ns - 100.64) < 1e-9);
	assert_true(c.queue_ns == 0 && c.memcache == -1 && !c.llc_hit);
	/*
	 * The epoch holds 100 B/ns * 1000 ns = 100000 B.  24 more 4 KiB
	 * accesses in the same epoch bring it to 64 + 24 * 4096 = 98368;
	 * the 25th to 102464: 2464 B over, 24.64 ns of queue.
	 */
	for (int i = 0; i < 24; i++)
		assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 4096, 10, &c), 0);
	assert_true(c.queue_ns == 0);
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 4096, 10, &c), 0);
	assert_true(fabs(c.queue_ns - 24.64) < 1e-9);
	/* the next epoch starts empty */
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 64, 1000, &c), 0);
	assert_true(c.queue_ns == 0);
	hn_cost_free(cm);
	hn_machine_free(m);
}

/*
 * @tasks closed-loop tasks from node 0 to @target, each reading @size bytes
 * at a time for @ns of simulated time: the bytes per ns they moved.
 */
static double closed_loop(struct hn_cost_model *cm, int target, int tasks, unsigned int size,
			  double ns, double *mean_ns)
{
	double clock[16] = { 0 }, sum = 0;
	uint64_t bytes = 0, n = 0;

	for (;;) {
		int t = 0;
		struct hn_cost_charge c;

		for (int i = 1; i < tasks; i++)
			if (clock[i] < clock[t])
				t = i;
		if (clock[t] >= ns)
			break;
		assert_int_equal(hn_cost_access(cm, 0, target, (uint64_t)n * size, false, size,
						 (uint64_t)clock[t], &c), 0);
		clock[t] += c.ns;
		if (clock[t] > ns / 4) {	/* past the warm-up */
			bytes += size;
			sum += c.ns;
			n++;
		}
	}
	if (mean_ns)
		*mean_ns = n ? sum / (double)n : 0;
	return (double)bytes / (ns * 3 / 4);
}

static void test_saturated_link_caps_throughput(void **state)
{
	struct hn_machine *m = machine(NULL, 0, true);
	struct hn_cost_model *cm;
	double bw;

	(void)state;
	/* node 1 moves 100 B/ns, its link 10 B/ns: eight 4 KiB streams get the link's 10 */
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_LOADED | HN_COST_LINKS, 0), 0);
	bw = closed_loop(cm, 1, 8, 4096, 400000, NULL);
	assert_true(bw <= 10.0 * 1.03);
	assert_true(bw >= 10.0 * 0.85);
	hn_cost_free(cm);
	/* without the links part the device's 100 B/ns is the limit */
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_LOADED, 0), 0);
	bw = closed_loop(cm, 1, 8, 4096, 400000, NULL);
	assert_true(bw > 20.0);
	assert_true(bw <= 100.0 * 1.03);
	hn_cost_free(cm);
	hn_machine_free(m);
}

static void test_more_load_is_slower(void **state)
{
	struct hn_machine *m = machine(NULL, 0, false);
	double last = 0;

	(void)state;
	/* more streams over node 0 never make the mean access faster, and the throughput stays capped */
	for (int tasks = 1; tasks <= 16; tasks++) {
		struct hn_cost_model *cm;
		double mean, bw;

		assert_int_equal(hn_cost_new(&cm, m, HN_COST_LOADED, 0), 0);
		bw = closed_loop(cm, 0, tasks, 4096, 200000, &mean);
		assert_true(mean >= last - 1e-9);
		assert_true(bw <= 100.0 * 1.03);
		last = mean;
		hn_cost_free(cm);
	}
	hn_machine_free(m);
}

/* Node 0 with a @size memory-side cache of 64 B lines in front of its 1 GiB. */
static struct hn_machine *cached_machine(uint64_t size, enum hn_cache_assoc assoc)
{
	struct hn_machine *m = machine(NULL, 0, false);
	struct hn_memcache_desc c = { .nid = 0, .level = 1, .size = size, .assoc = assoc,
				      .policy = HN_CACHE_WRITE_BACK, .line = 64,
				      .hit_latency_ns = 40, .hit_bw_mbps = 400000 };

	assert_int_equal(hn_machine_add_memcache(m, &c), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	return m;
}

static void test_memcache_hits_and_misses(void **state)
{
	struct hn_machine *m = cached_machine(64 * MiB, HN_CACHE_DIRECT);
	struct hn_cost_model *cm;
	struct hn_cost_node_stats st;
	struct hn_cost_charge c;
	uint64_t seed = 1, hits = 0, n = 200000;

	(void)state;
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_MEMCACHE, 0), 0);
	/* 32 MiB of lines twice: the first pass misses every line, the second hits every one */
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t a = 0; a < 32 * MiB; a += 64) {
			assert_int_equal(hn_cost_access(cm, 0, 0, a, false, 64, 0, &c), 0);
			assert_int_equal(c.memcache, pass);
		}
	}
	/* a hit costs the hit latency plus 64 B at the slower of the cache (400 B/ns) and the path (100): 40.64 ns */
	assert_true(fabs(c.ns - 40.64) < 1e-9);
	assert_int_equal(hn_cost_node_stats(cm, 0, &st), 0);
	assert_true(st.memcache);
	assert_int_equal(st.mc_hits, 32 * MiB / 64);
	assert_int_equal(st.mc_misses, 32 * MiB / 64);
	assert_int_equal(st.mc_fill_bytes, 32 * MiB);
	hn_cost_free(cm);

	hn_machine_free(m);

	/*
	 * Uniform lines over 2 MiB, twice a 1 MiB direct-mapped cache: each
	 * set has two lines competing and holds the last one used, so an
	 * access hits with probability 1/2 (C / W) once warm (16384 sets,
	 * warm long before the 200000th access).
	 */
	m = cached_machine(MiB, HN_CACHE_DIRECT);
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_MEMCACHE, 0), 0);
	for (uint64_t i = 0; i < 2 * n; i++) {
		uint64_t line;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		line = (seed >> 20) % (2 * MiB / 64);
		assert_int_equal(hn_cost_access(cm, 0, 0, line * 64, false, 64, 0, &c), 0);
		if (i >= n)
			hits += c.memcache == 1;
	}
	assert_true(fabs((double)hits / (double)n - 0.5) < 0.03);
	hn_cost_free(cm);
	hn_machine_free(m);
}

static void test_memcache_writeback(void **state)
{
	struct hn_machine *m = cached_machine(MiB, HN_CACHE_DIRECT);
	struct hn_cost_model *cm;
	struct hn_cost_node_stats st;
	struct hn_cost_charge c;

	(void)state;
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_MEMCACHE | HN_COST_LOADED, 0), 0);
	/* write every line of 1 MiB, then read the next 1 MiB: each read evicts one dirty line */
	for (uint64_t a = 0; a < MiB; a += 64)
		assert_int_equal(hn_cost_access(cm, 0, 0, a, true, 64, 0, &c), 0);
	for (uint64_t a = MiB; a < 2 * MiB; a += 64)
		assert_int_equal(hn_cost_access(cm, 0, 0, a, false, 64, 0, &c), 0);
	assert_int_equal(hn_cost_node_stats(cm, 0, &st), 0);
	assert_int_equal(st.mc_writeback_bytes, MiB);
	assert_int_equal(st.write_bytes, MiB);
	hn_cost_free(cm);
	/* the traffic is counted whether or not the loaded part prices it */
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_MEMCACHE, 0), 0);
	for (uint64_t a = 0; a < 2 * MiB; a += 64)
		assert_int_equal(hn_cost_access(cm, 0, 0, a, a < MiB, 64, 0, &c), 0);
	assert_int_equal(hn_cost_node_stats(cm, 0, &st), 0);
	assert_int_equal(st.write_bytes, MiB);
	hn_cost_free(cm);
	hn_machine_free(m);
}

static void test_hybrid_split(void **state)
{
	struct hn_machine *m;
	struct hn_memcache_desc c;
	struct hn_memdev_desc d;
	uint64_t mcdram = 0;

	(void)state;
	/* knl-hybrid: 8 GiB of MCDRAM as node 1 and 8 GiB caching node 0 make the part's 16 */
	assert_int_equal(hn_machine_builtin(&m, "knl-hybrid"), 0);
	assert_int_equal(hn_machine_nr_memcaches(m), 1);
	assert_int_equal(hn_machine_memcache(m, 0, &c), 0);
	assert_int_equal(c.nid, 0);
	for (int i = 0; i < hn_machine_nr_memdevs(m); i++)
		if (!hn_machine_memdev(m, i, &d) && d.kind == HN_MEM_HBM)
			mcdram += d.size;
	assert_int_equal(mcdram, 8 * GiB);
	assert_int_equal(c.size, 8 * GiB);
	hn_machine_free(m);
	assert_int_equal(hn_machine_builtin(&m, "knl-cache"), 0);
	assert_int_equal(hn_machine_memcache(m, 0, &c), 0);
	assert_int_equal(c.size, 16 * GiB);
	hn_machine_free(m);
}

static void test_llc_filter(void **state)
{
	struct hn_machine *m = machine(NULL, 0, false), *m2;
	struct hn_initiator_desc c = test_cpus(1, "4");
	struct hn_memdev_desc d = test_dram(2, HN_ADDR_AUTO, GiB);
	struct hn_cost_model *cm;
	struct hn_cost_llc_stats st;
	struct hn_cost_charge ch;

	(void)state;
	/* a second socket, node 2, with a 1 MiB 16-way LLC hitting in 20 ns */
	assert_int_equal(hn_machine_clone(&m2, m), 0);
	c.nid = 2;
	c.llc_size = MiB;
	c.llc_line = 64;
	c.llc_ways = 16;
	c.llc_latency_ns = 20;
	assert_int_equal(hn_machine_add_memdev(m2, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m2, &c), 0);
	assert_int_equal(hn_machine_validate(m2, 0, NULL), 0);
	assert_int_equal(hn_cost_new(&cm, m2, HN_COST_LLC, 0), 0);
	/* 512 KiB fits: the second pass hits every line at 20 ns */
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t a = 0; a < 512 * 1024; a += 64)
			assert_int_equal(hn_cost_access(cm, 2, 2, a, false, 64, 0, &ch), 0);
	assert_true(ch.llc_hit);
	assert_true(fabs(ch.ns - 20) < 1e-9);
	assert_int_equal(hn_cost_llc_stats(cm, 2, &st), 0);
	assert_true(st.present);
	assert_int_equal(st.hits, 512 * 1024 / 64);
	assert_int_equal(st.misses, 512 * 1024 / 64);
	hn_cost_free(cm);
	/* LRU through the nibble lists: 1.5 MiB swept twice never hits */
	assert_int_equal(hn_cost_new(&cm, m2, HN_COST_LLC, 0), 0);
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t a = 0; a < 3 * MiB / 2; a += 64)
			assert_int_equal(hn_cost_access(cm, 2, 2, a, false, 64, 0, &ch), 0);
	assert_int_equal(hn_cost_llc_stats(cm, 2, &st), 0);
	assert_int_equal(st.hits, 0);
	/* node 0's socket has none */
	assert_int_equal(hn_cost_llc_stats(cm, 0, &st), -ENOENT);
	hn_cost_free(cm);
	hn_machine_free(m2);

	/*
	 * 32 ways (past the nibble lists): a 1 MiB cache of 512 sets; 1.5 MiB
	 * swept twice in order evicts each line before its reuse (LRU), so
	 * the second pass misses too; 768 KiB fits and hits.
	 */
	assert_int_equal(hn_machine_clone(&m2, m), 0);
	c.llc_ways = 32;
	assert_int_equal(hn_machine_add_memdev(m2, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m2, &c), 0);
	assert_int_equal(hn_cost_new(&cm, m2, HN_COST_LLC, 0), 0);
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t a = 0; a < 3 * MiB / 2; a += 64)
			assert_int_equal(hn_cost_access(cm, 2, 2, a, false, 64, 0, &ch), 0);
	assert_int_equal(hn_cost_llc_stats(cm, 2, &st), 0);
	assert_int_equal(st.hits, 0);
	hn_cost_free(cm);
	assert_int_equal(hn_cost_new(&cm, m2, HN_COST_LLC, 0), 0);
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t a = 0; a < 3 * MiB / 4; a += 64)
			assert_int_equal(hn_cost_access(cm, 2, 2, a, false, 64, 0, &ch), 0);
	assert_int_equal(hn_cost_llc_stats(cm, 2, &st), 0);
	assert_int_equal(st.hits, 3 * MiB / 4 / 64);
	hn_cost_free(cm);
	/* the part off: no filter */
	assert_int_equal(hn_cost_new(&cm, m2, HN_COST_LOADED, 0), 0);
	assert_int_equal(hn_cost_access(cm, 2, 2, 0, false, 64, 0, &ch), 0);
	assert_int_equal(hn_cost_access(cm, 2, 2, 0, false, 64, 0, &ch), 0);
	assert_false(ch.llc_hit);
	hn_cost_free(cm);
	hn_machine_free(m2);
	hn_machine_free(m);
}

static void test_errors(void **state)
{
	struct hn_machine *m = machine(NULL, 0, true), *bad;
	struct hn_cost_model *cm = (void *)1;
	struct hn_cost_charge c;
	struct hn_cost_node_stats ns;
	struct hn_cost_link_stats ls;

	(void)state;
	assert_int_equal(hn_cost_new(NULL, m, 0, 0), -EINVAL);
	assert_int_equal(hn_cost_new(&cm, NULL, 0, 0), -EINVAL);
	assert_null(cm);
	assert_int_equal(hn_cost_new(&cm, m, 0x10, 0), -EINVAL);
	assert_int_equal(hn_cost_new(&cm, m, 0, HN_COST_MAX_WINDOW_NS + 1), -EINVAL);
	assert_int_equal(hn_machine_new(&bad, "empty"), 0);
	assert_int_equal(hn_cost_new(&cm, bad, 0, 0), -EINVAL);	/* no memory: validate refuses */
	hn_machine_free(bad);
	assert_int_equal(hn_cost_new(&cm, m, HN_COST_FULL, 0), 0);
	assert_int_equal(hn_cost_parts(cm), HN_COST_FULL);
	assert_int_equal(hn_cost_parts(NULL), 0);
	assert_int_equal(hn_cost_access(cm, 0, 2, 0, false, 64, 0, &c), -EINVAL);
	assert_int_equal(hn_cost_access(cm, -1, 0, 0, false, 64, 0, &c), -EINVAL);
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 0, 0, &c), -EINVAL);
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, (2u << 20) + 1, 0, &c), -EINVAL);
	assert_int_equal(hn_cost_access(cm, 0, 0, 0, false, 64, 0, NULL), -EINVAL);
	assert_int_equal(hn_cost_access(NULL, 0, 0, 0, false, 64, 0, &c), -EINVAL);
	assert_int_equal(hn_cost_node_stats(cm, 5, &ns), -ENOENT);
	assert_int_equal(hn_cost_node_stats(cm, 0, NULL), -EINVAL);
	assert_int_equal(hn_cost_link_stats(cm, 0, &ls), 0);
	assert_string_equal(ls.d.name, "lnk");
	assert_int_equal(hn_cost_link_stats(cm, 1, &ls), -ENOENT);
	assert_int_equal(hn_cost_link_stats(NULL, 0, &ls), -EINVAL);
	assert_int_equal(hn_cost_llc_stats(cm, 0, NULL), -EINVAL);
	hn_cost_free(cm);
	hn_cost_free(NULL);
	hn_machine_free(m);
}

static void test_bad_descriptions(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, HN_ADDR_AUTO, GiB);
	struct hn_initiator_desc c = test_cpus(0, "0");
	struct hn_link_desc l = { "x", 0, 0, 1000, 10 };
	struct hn_memcache_desc mc = { .nid = 0, .level = 1, .size = 2 * GiB, .line = 64 };

	(void)state;
	assert_int_equal(hn_machine_new(&m, "bad"), 0);
	/* a curve that falls, one whose utilisation goes back, one past 100% */
	d.nr_loaded = 2;
	d.loaded[0] = (struct hn_curve_point){ 0, 100 };
	d.loaded[1] = (struct hn_curve_point){ 500, 90 };
	assert_int_equal(hn_machine_add_memdev(m, &d), -EINVAL);
	d.loaded[1] = (struct hn_curve_point){ 0, 120 };
	assert_int_equal(hn_machine_add_memdev(m, &d), -EINVAL);
	d.loaded[1] = (struct hn_curve_point){ 1001, 120 };
	assert_int_equal(hn_machine_add_memdev(m, &d), -EINVAL);
	d.nr_loaded = HN_CURVE_MAX_POINTS + 1;
	assert_int_equal(hn_machine_add_memdev(m, &d), -EINVAL);
	d.nr_loaded = 0;
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	/* an LLC whose line is no power of two */
	c.llc_size = MiB;
	c.llc_line = 48;
	c.llc_ways = 16;
	c.llc_latency_ns = 20;
	assert_int_equal(hn_machine_add_initiator(m, &c), -EINVAL);
	c.llc_line = 64;
	c.llc_size = MiB + 64;	/* not a multiple of line * ways */
	assert_int_equal(hn_machine_add_initiator(m, &c), -EINVAL);
	c.llc_size = MiB;
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	/* a link from a node to itself; one to a node nobody declared (validate) */
	assert_int_equal(hn_machine_add_link(m, &l), -EINVAL);
	l.b = 9;
	assert_int_equal(hn_machine_add_link(m, &l), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), -EINVAL);
	hn_machine_free(m);
	/* a cache larger than the 1 GiB behind it */
	assert_int_equal(hn_machine_new(&m, "bad2"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	assert_int_equal(hn_machine_add_memcache(m, &mc), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), -EINVAL);
	hn_machine_free(m);
}

static void test_validate_report(void **state)
{
	(void)state;
	for (int i = 0; hn_machine_builtin_name(i, NULL); i++) {
		struct hn_machine *m;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		assert_int_equal(hn_machine_builtin(&m, hn_machine_builtin_name(i, NULL)), 0);
		assert_int_equal(hn_cost_validate_write(m, false, f), 0);
		assert_int_equal(hn_cost_validate_write(m, true, f), 0);
		fclose(f);
		assert_non_null(strstr(buf, "published figures"));
		assert_non_null(strstr(buf, "util latency_ns\n0 0.00 "));
		/* every published figure the catalogue cites is printed beside the model's */
		assert_non_null(strstr(buf, "fitted"));
		free(buf);
		hn_machine_free(m);
	}
	assert_int_equal(hn_cost_validate_write(NULL, false, stdout), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_name),
		cmocka_unit_test(test_default_curve),
		cmocka_unit_test(test_curve_interpolation),
		cmocka_unit_test(test_static_model),
		cmocka_unit_test(test_saturated_link_caps_throughput),
		cmocka_unit_test(test_more_load_is_slower),
		cmocka_unit_test(test_memcache_hits_and_misses),
		cmocka_unit_test(test_memcache_writeback),
		cmocka_unit_test(test_hybrid_split),
		cmocka_unit_test(test_llc_filter),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bad_descriptions),
		cmocka_unit_test(test_validate_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
