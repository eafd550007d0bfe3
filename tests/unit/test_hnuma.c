/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_hnuma.c - the hierarchical-NUMA variant wired into the allocator:
 * attribute nodes built at boot, isolation of plain requests, matching of
 * attribute requests, __GFP_MATTR_FALLBACK, the views, and a seeded random
 * run against a simple model of where each request may land.
 *
 * The machine is the slides' picture of one node with several kinds of
 * memory: generic architecture (one Normal zone), CPUs 0-1, and
 *
 *   DRAM    1 GiB   at 0          ordinary memory
 *   HBM   256 MiB   at 1 GiB      lat=14 bw=16 rel=12 pwr=6  cmp=1 den=8
 *   NVDIMM 512 MiB  at 1.25 GiB   lat=4  bw=3  rel=13 pwr=12 cmp=1 den=14
 *   CXL   256 MiB   at 1.75 GiB   lat=8  bw=6  rel=11 pwr=9  cmp=1 den=10
 *
 * so the zone holds three attribute nodes (keys 57, 47, 45).
 */
#include "hn_test.h"

#include <errno.h>
#include <string.h>

#include <hnuma/mempolicy.h>

#include "core/mmzone.h"
#include "core/vmstat.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_zone *zone;
	struct test_reports tr;
	hn_mattr_t hbm, nvdimm, cxl;
};

static hn_mattr_t word(unsigned int lat, unsigned int bw, unsigned int rel, unsigned int pwr,
		       unsigned int cmp, unsigned int den)
{
	const unsigned int levels[HN_MATTR_NR_PROPS] = { lat, bw, rel, pwr, cmp, den };
	hn_mattr_t m = 0;

	assert_int_equal(hn_mattr_make(levels, &m), 0);
	return m;
}

static struct hn_memdev_desc dev(const char *name, enum hn_mem_kind kind, uint64_t base,
				 uint64_t size, hn_mattr_t mattr)
{
	struct hn_memdev_desc d = test_dram(0, base, size);

	snprintf(d.name, sizeof(d.name), "%s", name);
	d.kind = kind;
	d.mattr = mattr;
	if (kind == HN_MEM_NVDIMM)
		d.persistent = true;
	return d;
}

static int make_sim(struct fx *fx, unsigned int flags, const char *strategy)
{
	struct hn_memdev_desc devs[] = {
		test_dram(0, 0, GiB),
		dev("hbm", HN_MEM_HBM, GiB, 256 * MiB, fx->hbm),
		dev("pmem", HN_MEM_NVDIMM, GiB + 256 * MiB, 512 * MiB, fx->nvdimm),
		dev("cxl", HN_MEM_CXL, GiB + 768 * MiB, 256 * MiB, fx->cxl),
	};
	struct hn_initiator_desc c = test_cpus(0, "0-1");
	struct hn_sim_config cfg = { .flags = flags, .attr_match = strategy };

	cfg.report = test_report_fn;
	cfg.report_ctx = &fx->tr;
	if (hn_machine_new(&fx->m, "hier") || hn_machine_set_arch(fx->m, HN_ARCH_GENERIC) ||
	    hn_machine_add_initiator(fx->m, &c))
		return -1;
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (hn_machine_add_memdev(fx->m, &devs[i]))
			return -1;
	if (hn_sim_create(&fx->sim, fx->m, &cfg))
		return -1;
	fx->zone = &fx->sim->node_data[0]->node_zones[HN_ZONE_NORMAL];
	return 0;
}

static int setup_common(void **state, unsigned int flags, const char *strategy)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->hbm = word(14, 16, 12, 6, 1, 8);
	fx->nvdimm = word(4, 3, 13, 12, 1, 14);
	fx->cxl = word(8, 6, 11, 9, 1, 10);
	*state = fx;
	return make_sim(fx, flags, strategy);
}

static int setup(void **state)
{
	return setup_common(state, HN_SIM_HNUMA, NULL);
}

static int setup_linear(void **state)
{
	return setup_common(state, HN_SIM_HNUMA, "linear");
}

static int setup_mainline(void **state)
{
	return setup_common(state, 0, NULL);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	if (fx->sim)
		assert_int_equal(hn_sim_check(fx->sim), 0);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static hn_mattr_t mattr_of(struct fx *fx, uint64_t pfn)
{
	hn_mattr_t m = 0xdead;

	assert_int_equal(hn_sim_pfn_mattr(fx->sim, pfn, &m), 0);
	return m;
}

/* The attribute zone whose word is @m. */
static struct hn_zone *attr_zone_with(struct fx *fx, hn_mattr_t m)
{
	for_each_attr_zone(fx->zone, az, i)
		if (fx->zone->attrs->nodes[i]->mattr == m)
			return az;
	fail_msg("no attribute node with word %#x", m);
	return NULL;
}

static void boot_builds_attribute_nodes(void **state)
{
	struct fx *fx = *state;
	const struct hn_attr_set *set = fx->zone->attrs;
	struct hn_node_info ni;
	uint64_t managed = fx->zone->managed_pages;

	assert_non_null(set);
	assert_int_equal(set->nr, 3);
	/* nodes[] is by start pfn; each node covers its device exactly */
	assert_int_equal(set->nodes[0]->mattr, fx->hbm);
	assert_int_equal(set->nodes[0]->start_pfn, GiB >> 12);
	assert_int_equal(set->nodes[0]->end_pfn, (GiB + 256 * MiB) >> 12);
	assert_int_equal(set->nodes[1]->mattr, fx->nvdimm);
	assert_int_equal(set->nodes[2]->mattr, fx->cxl);
	assert_int_equal(set->nodes[2]->end_pfn, 2 * GiB >> 12);
	assert_int_equal(set->nodes[0]->key, 57);
	assert_int_equal(set->nodes[1]->key, 47);
	assert_int_equal(set->nodes[2]->key, 45);
	/* the pages are counted once: in the node, not in the zone */
	for_each_attr_zone(fx->zone, az, i) {
		assert_true(az->managed_pages > 0);
		assert_ptr_equal(az->parent, fx->zone);
		assert_null(az->per_cpu_pageset);
		assert_int_equal(zone_page_state(az, NR_FREE_PAGES), az->managed_pages);
		managed += az->managed_pages;
	}
	assert_true(fx->zone->managed_pages < GiB >> 12);
	assert_int_equal(hn_sim_node_info(fx->sim, 0, &ni), 0);
	assert_int_equal(ni.managed_pages, managed);
	assert_int_equal(fx->sim->totalram_pages, managed);
	/* every attribute node has watermarks of its own */
	for_each_attr_zone(fx->zone, az, i)
		assert_true(min_wmark_pages(az) > 0 && min_wmark_pages(az) < low_wmark_pages(az));
	/* the public snapshot says the same */
	for_each_attr_zone(fx->zone, az, i) {
		struct hn_attr_node_info ai;
		uint64_t blocks = 0;

		assert_int_equal(hn_sim_attr_node_info(fx->sim, 0, HN_ZONE_NORMAL, i, &ai), 0);
		assert_int_equal(ai.id, i);
		assert_int_equal(ai.mattr, set->nodes[i]->mattr);
		assert_int_equal(ai.key, set->nodes[i]->key);
		assert_int_equal(ai.start_pfn, set->nodes[i]->start_pfn);
		assert_int_equal(ai.end_pfn, set->nodes[i]->end_pfn);
		assert_int_equal(ai.managed_pages, az->managed_pages);
		assert_int_equal(ai.free_pages, az->managed_pages);
		assert_int_equal(ai.allocated_pages, 0);
		assert_int_equal(ai.watermark_low, low_wmark_pages(az));
		for (unsigned int o = 0; o <= fx->sim->max_page_order; o++)
			blocks += ai.nr_free[o] << o;
		assert_int_equal(blocks, ai.free_pages);
	}
	assert_int_equal(hn_sim_attr_node_info(fx->sim, 0, HN_ZONE_NORMAL, 3, &(struct hn_attr_node_info){ 0 }),
			 -ENOENT);
	assert_int_equal(mattr_of(fx, 0x100), 0);
	assert_int_equal(mattr_of(fx, (GiB >> 12) + 5), fx->hbm);
	assert_int_equal(mattr_of(fx, (GiB + 300 * MiB) >> 12), fx->nvdimm);
	assert_sim_ok(fx->sim);
}

static void plain_requests_never_use_attribute_nodes(void **state)
{
	struct fx *fx = *state;
	uint64_t free_before[3], pfn;
	unsigned int n = 0;
	int ret;

	for_each_attr_zone(fx->zone, az, i)
		free_before[i] = zone_page_state(az, NR_FREE_PAGES);
	/* drain the ordinary memory completely, with every kind of request */
	for (;;) {
		static const hn_gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_ATOMIC };

		ret = hn_alloc_pages(fx->sim, gfps[n % 3] | __GFP_NOWARN, n % 4, HN_NUMA_NO_NODE,
				     NULL, &pfn);
		if (ret) {
			assert_int_equal(ret, -ENOSPC);
			break;
		}
		assert_int_equal(mattr_of(fx, pfn), 0);
		n++;
	}
	/* order 0 too, until nothing at all is left */
	while (!hn_alloc_pages(fx->sim, GFP_ATOMIC | __GFP_NOWARN, 0, HN_NUMA_NO_NODE, NULL, &pfn))
		assert_int_equal(mattr_of(fx, pfn), 0);
	assert_true(n > 1000);
	for_each_attr_zone(fx->zone, az, i)
		assert_int_equal(zone_page_state(az, NR_FREE_PAGES), free_before[i]);
	assert_sim_ok(fx->sim);
}

static void single_property_requests_match(void **state)
{
	struct fx *fx = *state;
	static const struct {
		enum hn_mattr_prop prop;
		unsigned int level;
		int want;	/* 0 hbm, 1 nvdimm, 2 cxl */
	} cases[] = {
		{ HN_MATTR_LATENCY, 16, 0 },	/* closest below: hbm's 14 */
		{ HN_MATTR_LATENCY, 14, 0 },	/* exact */
		{ HN_MATTR_LATENCY, 8, 2 },	/* exact: cxl */
		{ HN_MATTR_LATENCY, 6, 2 },	/* 8 and 4 tie at 2: above first */
		{ HN_MATTR_LATENCY, 1, 1 },	/* closest above: nvdimm's 4 */
		{ HN_MATTR_DENSITY, 16, 1 },	/* nvdimm's 14 */
		{ HN_MATTR_DENSITY, 9, 2 },	/* 10 above before 8 below */
		{ HN_MATTR_BANDWIDTH, 12, 0 },	/* 16 (d=4) beats 6 (d=-6) */
		{ HN_MATTR_POWER, 10, 2 },	/* 9 (d=-1) beats 12 (d=2) */
		{ HN_MATTR_COMPUTE, 1, 2 },	/* all tie exact: the lowest key */
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const hn_mattr_t words[] = { fx->hbm, fx->nvdimm, fx->cxl };
		uint64_t pfn;

		assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL |
						hn_gfp_mattr(cases[c].prop, cases[c].level), 0,
						HN_NUMA_NO_NODE, NULL, &pfn), 0);
		if (mattr_of(fx, pfn) != words[cases[c].want])
			fail_msg("case %zu: %s level %u landed on %#x, expected %#x", c,
				 hn_mattr_prop_name(cases[c].prop), cases[c].level, mattr_of(fx, pfn),
				 words[cases[c].want]);
		assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	}
	assert_sim_ok(fx->sim);
}

static void multi_property_requests_match_cumulative(void **state)
{
	struct fx *fx = *state;
	uint64_t pfn;

	/* lat 14 + bw 16 = 30: hbm's levels sum to 57, nvdimm 47, cxl 45 ... */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(14) | GFP_BANDWIDTH(16),
					2, HN_NUMA_NO_NODE, NULL, &pfn), 0);
	/* ... all above 30: the least distance is cxl's 15 */
	assert_int_equal(mattr_of(fx, pfn), fx->cxl);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 2), 0);
	/* all six at the hbm's levels: exactly the hbm's key */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | ((hn_gfp_t)fx->hbm << HN_GFP_MATTR_SHIFT),
					0, HN_NUMA_NO_NODE, NULL, &pfn), 0);
	assert_int_equal(mattr_of(fx, pfn), fx->hbm);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	assert_sim_ok(fx->sim);
}

static void exhausted_node_fails_without_fallback(void **state)
{
	struct fx *fx = *state;
	const hn_gfp_t gfp = GFP_KERNEL | GFP_LATENCY(16) | __GFP_NOWARN;
	struct hn_zone *hbm = attr_zone_with(fx, fx->hbm);
	uint64_t plain_free = zone_page_state(fx->zone, NR_FREE_PAGES), pfn, got = 0;
	int ret;

	while (!(ret = hn_alloc_pages(fx->sim, gfp, 3, HN_NUMA_NO_NODE, NULL, &pfn))) {
		assert_int_equal(mattr_of(fx, pfn), fx->hbm);
		got += 8;
	}
	assert_int_equal(ret, -ENOSPC);
	/* it went down to the node's min watermark (the slow path), no further */
	assert_true(got + low_wmark_pages(hbm) + 8 >= hbm->managed_pages);
	assert_true(zone_page_state(hbm, NR_FREE_PAGES) <= low_wmark_pages(hbm) + 8);
	assert_int_equal(zone_page_state(fx->zone, NR_FREE_PAGES), plain_free);
	assert_int_equal(fx->sim->attr_fallbacks, 0);

	/* with __GFP_MATTR_FALLBACK the request lands on ordinary memory */
	assert_int_equal(hn_alloc_pages(fx->sim, gfp | __GFP_MATTR_FALLBACK, 3, HN_NUMA_NO_NODE,
					NULL, &pfn), 0);
	assert_int_equal(mattr_of(fx, pfn), 0);
	assert_int_equal(fx->sim->attr_fallbacks, 1);
	/* other attribute nodes were not used: the match is the hbm */
	for_each_attr_zone(fx->zone, az, i)
		if (az != hbm)
			assert_int_equal(zone_page_state(az, NR_FREE_PAGES), az->managed_pages);
	assert_sim_ok(fx->sim);
}

static void frees_return_to_the_node(void **state)
{
	struct fx *fx = *state;
	struct hn_zone *cxl = attr_zone_with(fx, fx->cxl);
	uint64_t pfns[64];

	for (int i = 0; i < 64; i++) {
		assert_int_equal(hn_alloc_pages(fx->sim, GFP_HIGHUSER_MOVABLE | GFP_LATENCY(8), i % 5,
						HN_NUMA_NO_NODE, NULL, &pfns[i]), 0);
		assert_int_equal(mattr_of(fx, pfns[i]), fx->cxl);
	}
	assert_true(cxl->nr_allocated > 0);
	for (int i = 63; i >= 0; i--)
		assert_int_equal(hn_free_pages(fx->sim, pfns[i], i % 5), 0);
	assert_int_equal(cxl->nr_allocated, 0);
	assert_int_equal(zone_page_state(cxl, NR_FREE_PAGES), cxl->managed_pages);
	/* a double free inside a node is caught like anywhere else */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(8), 0, HN_NUMA_NO_NODE,
					NULL, &pfns[0]), 0);
	assert_int_equal(hn_free_pages(fx->sim, pfns[0], 0), 0);
	assert_int_equal(hn_free_pages(fx->sim, pfns[0], 0), -EINVAL);
	assert_string_equal(fx->tr.last_reason, "double free");
	assert_sim_ok(fx->sim);
	/*
	 * An allocated attribute-node page pins its node like any other
	 * (found by fuzz_ops: the node went offline under it).
	 */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(8), 0, HN_NUMA_NO_NODE,
					NULL, &pfns[0]), 0);
	assert_int_equal(fx->zone->nr_allocated, 0);
	assert_int_equal(hn_sim_set_node_online(fx->sim, 0, false), -EBUSY);
	assert_true(hn_sim_node_state(fx->sim, 0, HN_N_ONLINE));
	assert_int_equal(hn_free_pages(fx->sim, pfns[0], 0), 0);
	assert_sim_ok(fx->sim);
}

static void bulk_attribute_request_takes_one_page(void **state)
{
	struct fx *fx = *state;
	uint64_t pfns[8];
	unsigned int nr = 0;

	for (int i = 0; i < 8; i++)
		pfns[i] = HN_PFN_NONE;
	assert_int_equal(hn_alloc_pages_bulk(fx->sim, GFP_KERNEL | GFP_DENSITY(14), HN_NUMA_NO_NODE,
					     NULL, 8, pfns, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(mattr_of(fx, pfns[0]), fx->nvdimm);
	assert_int_equal(hn_free_pages(fx->sim, pfns[0], 0), 0);
}

static void bad_attribute_requests(void **state)
{
	struct fx *fx = *state;
	uint64_t pfn;

	/* a level without its presence bit */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | ((hn_gfp_t)0x5 << HN_GFP_MATTR_SHIFT), 0,
					HN_NUMA_NO_NODE, NULL, &pfn), -EINVAL);
	/* bit 63 is nobody's */
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | (1ULL << 63), 0, HN_NUMA_NO_NODE, NULL,
					&pfn), -EINVAL);
	assert_int_equal(hn_sim_pfn_mattr(NULL, 0, &(hn_mattr_t){ 0 }), -EINVAL);
	assert_int_equal(hn_sim_pfn_mattr(fx->sim, 0, NULL), -EINVAL);
	assert_int_equal(hn_sim_pfn_mattr(fx->sim, 1ULL << 40, &(hn_mattr_t){ 0 }), -ENOENT);
	assert_int_equal(hn_sim_explain_attr(fx->sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, stdout), -EINVAL);
	assert_int_equal(hn_sim_explain_attr(fx->sim, GFP_KERNEL | GFP_LATENCY(3), 0, 7, stdout),
			 -EINVAL);
	assert_int_equal(hn_sim_explain_attr(NULL, GFP_KERNEL | GFP_LATENCY(3), 0, 0, stdout),
			 -EINVAL);
	assert_int_equal(hn_sim_show_attrs(NULL, stdout), -EINVAL);
	assert_int_equal(hn_sim_dot_attrs(fx->sim, NULL), -EINVAL);
}

static void bad_config(void **state)
{
	struct fx *fx = *state;
	struct hn_sim *sim = NULL;
	struct hn_sim_config cfg = { .flags = HN_SIM_HNUMA, .attr_match = "best-guess" };

	(void)state;
	assert_int_equal(hn_sim_create(&sim, fx->m, &cfg), -EINVAL);
	assert_null(sim);
	cfg.attr_match = "weighted";
	cfg.attr_weights[2] = 1000001;
	assert_int_equal(hn_sim_create(&sim, fx->m, &cfg), -EINVAL);
	cfg.attr_weights[2] = 1000000;
	assert_int_equal(hn_sim_create(&sim, fx->m, &cfg), 0);
	hn_sim_destroy(sim);
}

static void views(void **state)
{
	struct fx *fx = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(hn_sim_show_attrs(fx->sim, f), 0);
	assert_int_equal(hn_sim_dot_attrs(fx->sim, f), 0);
	assert_int_equal(hn_sim_explain_attr(fx->sim, GFP_KERNEL | GFP_LATENCY(6), 0, 0, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "hierarchical NUMA: 3 attribute nodes"));
	assert_non_null(strstr(buf, "Node 0, zone   Normal, attr 2: pfn [0x70000, 0x80000) key 45 "
				    "lat=8,bw=6,rel=11,pwr=9,cmp=1,den=10"));
	assert_non_null(strstr(buf, "digraph"));
	assert_non_null(strstr(buf, "request lat=6 order 0 from node 0"));
	assert_non_null(strstr(buf, "chosen"));
	assert_non_null(strstr(buf, "served here"));
	free(buf);
}

static void hotplug_add_and_remove(void **state)
{
	struct fx *fx = *state;
	const hn_mattr_t fast = word(15, 15, 12, 6, 1, 8);
	const uint64_t start = 512 * MiB >> 12, end = 640 * MiB >> 12, block = 1024;
	uint64_t zone_managed = fx->zone->managed_pages, total = fx->sim->totalram_pages;
	uint64_t pfn, plain;
	struct hn_zone *az;

	/* a plain page in the middle of the range to come makes it busy */
	do {
		assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 4, HN_NUMA_NO_NODE, NULL, &plain), 0);
	} while (plain < start);
	assert_true(plain < end);	/* allocation runs upwards from the bottom */
	assert_int_equal(hn_sim_attr_range_add(fx->sim, plain & ~(block - 1), (plain & ~(block - 1)) + block,
					       fast), -EBUSY);
	assert_int_equal(fx->zone->attrs->nr, 3);

	/* bad ranges and words */
	assert_int_equal(hn_sim_attr_range_add(fx->sim, start + 1, end, fast), -EINVAL);
	assert_int_equal(hn_sim_attr_range_add(fx->sim, end, end, fast), -EINVAL);
	assert_int_equal(hn_sim_attr_range_add(fx->sim, start, end, 0), -EINVAL);
	assert_int_equal(hn_sim_attr_range_add(fx->sim, start, end, 0x5), -EINVAL);
	assert_int_equal(hn_sim_attr_range_add(fx->sim, GiB >> 12, (GiB >> 12) + block, fast), -EEXIST);
	assert_int_equal(hn_sim_attr_range_add(fx->sim, (GiB >> 12) - block, (GiB >> 12) + block, fast),
			 -EEXIST);
	assert_int_equal(hn_sim_attr_range_add(NULL, start, end, fast), -EINVAL);

	/* above the busy page the range is free: it becomes a node */
	{
		uint64_t s = (plain & ~(block - 1)) + block;

		assert_int_equal(hn_sim_attr_range_add(fx->sim, s, s + 64 * block / 2, fast), 0);
		assert_int_equal(fx->zone->attrs->nr, 4);
		az = attr_zone_with(fx, fast);
		assert_int_equal(az->managed_pages, 32 * block);
		assert_int_equal(fx->zone->managed_pages, zone_managed - 32 * block);
		assert_int_equal(fx->sim->totalram_pages, total);
		assert_sim_ok(fx->sim);

		/* it serves what matches it best, and plain requests never */
		assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(15), 0, HN_NUMA_NO_NODE,
						NULL, &pfn), 0);
		assert_int_equal(mattr_of(fx, pfn), fast);
		assert_int_equal(hn_sim_attr_range_remove(fx->sim, s), -EBUSY);
		assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
		assert_int_equal(hn_sim_attr_range_remove(fx->sim, s + block), -ENOENT);
		assert_int_equal(hn_sim_attr_range_remove(fx->sim, 0), -ENOENT);
		assert_int_equal(hn_sim_attr_range_remove(NULL, s), -EINVAL);
		assert_int_equal(hn_sim_attr_range_remove(fx->sim, s), 0);
		assert_int_equal(fx->zone->attrs->nr, 3);
		assert_int_equal(fx->zone->managed_pages, zone_managed);
		assert_int_equal(mattr_of(fx, s), 0);
		assert_sim_ok(fx->sim);
	}

	/* a node built at boot can go too: latency requests then find the cxl */
	assert_int_equal(hn_sim_attr_range_remove(fx->sim, GiB >> 12), 0);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(16), 0, HN_NUMA_NO_NODE,
					NULL, &pfn), 0);
	assert_int_equal(mattr_of(fx, pfn), fx->cxl);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	assert_int_equal(hn_free_pages(fx->sim, plain, 4), 0);
	assert_sim_ok(fx->sim);
}

static void hotplug_needs_hnuma(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(hn_sim_attr_range_add(fx->sim, 0x20000, 0x20400, fx->hbm), -EOPNOTSUPP);
	assert_int_equal(hn_sim_attr_range_remove(fx->sim, 0x40000), -EOPNOTSUPP);
}

static void task_and_vma_attributes(void **state)
{
	struct fx *fx = *state;
	struct hn_task *t;
	uint64_t a, pfn;
	unsigned int flags;

	assert_int_equal(hn_task_create(fx->sim, 0, &t), 0);
	assert_int_equal(hn_mmap(t, 0, 8 * 4096, HN_PROT_READ | HN_PROT_WRITE,
				 HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a), 0);
	/* vm_mattr on the upper half: latency 16, the hbm */
	assert_int_equal(hn_madvise_mattr(t, a + 4 * 4096, 4 * 4096, GFP_LATENCY(16) >> HN_GFP_MATTR_SHIFT), 0);
	assert_int_equal(hn_task_nr_vmas(t), 2);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(hn_task_touch(t, a + (uint64_t)i * 4096, true), 0);
		assert_int_equal(hn_task_pte(t, a + (uint64_t)i * 4096, &pfn, &flags), 0);
		assert_int_equal(mattr_of(fx, pfn), i < 4 ? 0 : fx->hbm);
	}
	/* the task's word for the rest: density 16, the nvdimm; the VMA's still wins */
	assert_int_equal(hn_task_set_mattr(t, GFP_DENSITY(16) >> HN_GFP_MATTR_SHIFT), 0);
	assert_int_equal(hn_hmadvise(t, 0, a, 8 * 4096, HN_MADV_DONTNEED), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(hn_task_touch(t, a + (uint64_t)i * 4096, true), 0);
		assert_int_equal(hn_task_pte(t, a + (uint64_t)i * 4096, &pfn, &flags), 0);
		assert_int_equal(mattr_of(fx, pfn), i < 4 ? fx->nvdimm : fx->hbm);
	}
	assert_int_equal(hn_task_alloc_pages(t, GFP_KERNEL, 0, &pfn), 0);
	assert_int_equal(mattr_of(fx, pfn), fx->nvdimm);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	/* clearing the VMA word merges the halves again */
	assert_int_equal(hn_madvise_mattr(t, a + 4 * 4096, 4 * 4096, 0), 0);
	assert_int_equal(hn_task_nr_vmas(t), 1);
	/* errors */
	assert_int_equal(hn_madvise_mattr(t, a, 4096, 0x5), -EINVAL);
	assert_int_equal(hn_madvise_mattr(t, a + 1, 4096, 0), -EINVAL);
	assert_int_equal(hn_madvise_mattr(t, a, 0, 0), -EINVAL);
	assert_int_equal(hn_madvise_mattr(t, a + 8 * 4096, 4096, 0), -ENOMEM);
	assert_int_equal(hn_madvise_mattr(NULL, a, 4096, 0), -EINVAL);
	assert_int_equal(hn_task_set_mattr(t, 0x5), -EINVAL);
	assert_int_equal(hn_task_set_mattr(NULL, 0), -EINVAL);
	hn_task_destroy(t);
	assert_sim_ok(fx->sim);
}

struct trace_count {
	int served, below;
	hn_mattr_t last_got;
};

static void count_matches(void *ctx, const struct hn_trace_event *ev)
{
	struct trace_count *tc = ctx;

	if (ev->id != HN_TRACE_HNUMA_ATTR_MATCH)
		return;
	if (ev->served)
		tc->served++;
	else
		tc->below++;
	tc->last_got = ev->mattr_got;
}

static void match_decisions_are_traced(void **state)
{
	struct fx *fx = *state;
	struct trace_count tc = { 0 };
	struct hn_trace_event ev = { 0 };
	char line[256];
	uint64_t pfn;

	assert_int_equal(hn_trace_set_sink(fx->sim, count_matches, &tc), 0);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_DENSITY(16), 0, HN_NUMA_NO_NODE,
					NULL, &pfn), 0);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &pfn), 0);
	assert_int_equal(tc.served, 1);
	assert_int_equal(tc.below, 0);
	assert_int_equal(tc.last_got, fx->nvdimm);
	assert_int_equal(hn_trace_set_sink(fx->sim, NULL, NULL), 0);
	ev.id = HN_TRACE_HNUMA_ATTR_MATCH;
	ev.mattr_want = hn_mattr_prop(HN_MATTR_DENSITY, 16);
	ev.mattr_got = fx->nvdimm;
	ev.attr_node = 1;
	ev.served = 1;
	assert_true(hn_trace_format(&ev, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "hnuma_attr_match: nid=0 zid=0 order=0 want=den=16 attr=1 "
				     "got=lat=4,bw=3,rel=13,pwr=12,cmp=1,den=14 served"));
}

static void mainline_ignores_attributes(void **state)
{
	struct fx *fx = *state;
	uint64_t pfn;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_null(fx->zone->attrs);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | GFP_LATENCY(16), 0, HN_NUMA_NO_NODE,
					NULL, &pfn), 0);
	assert_int_equal(mattr_of(fx, pfn), 0);
	assert_int_equal(mattr_of(fx, (GiB >> 12) + 5), 0);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	assert_int_equal(hn_sim_explain_attr(fx->sim, GFP_KERNEL | GFP_LATENCY(3), 0, 0, stdout),
			 -EOPNOTSUPP);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(hn_sim_show_attrs(fx->sim, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "off"));
	free(buf);
}

static void isolation_stays_inside_one_node(void **state)
{
	struct fx *fx = *state;
	uint64_t pb = fx->sim->pageblock_nr_pages, hbm_start = GiB >> 12;

	/* a range from DRAM into the hbm node is two zones' worth */
	assert_int_equal(hn_isolate_range(fx->sim, hbm_start - pb, hbm_start + pb), -EINVAL);
	assert_int_equal(hn_isolate_range(fx->sim, hbm_start, hbm_start + 4 * pb), 0);
	assert_int_equal(attr_zone_with(fx, fx->hbm)->nr_isolate_pageblock, 4);
	assert_int_equal(fx->zone->nr_isolate_pageblock, 0);
	assert_sim_ok(fx->sim);
	assert_int_equal(hn_undo_isolate_range(fx->sim, hbm_start, hbm_start + 4 * pb,
					       HN_MIGRATE_MOVABLE), 0);
	assert_sim_ok(fx->sim);
}

/*
 * A seeded random run against the model: a plain page has word 0; an
 * attribute page without fallback has the word the linear-scan strategy
 * picks for its request (every strategy but weighted/lexicographic agrees
 * on the slides' rule); with fallback, that word or 0.  Frees in random
 * order; the whole machine is checked every 256 steps.
 */
static void random_run_against_model(void **state)
{
	struct fx *fx = *state;
	struct blk {
		uint64_t pfn;
		unsigned int order;
	} *live = calloc(40000, sizeof(*live));
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	size_t nr = 0;

	assert_non_null(live);
	for (int step = 0; step < 60000; step++) {
		uint64_t r, pfn;
		unsigned int order;
		hn_gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
		hn_mattr_t want = 0, expect = 0;
		int ret;

		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		r = rng;
		if (nr && (nr >= 40000 || r % 3 == 0)) {
			size_t k = (r >> 8) % nr;

			assert_int_equal(hn_free_pages(fx->sim, live[k].pfn, live[k].order), 0);
			live[k] = live[--nr];
			continue;
		}
		order = (unsigned int)((r >> 16) % 4);
		if ((r >> 20) % 2) {
			want = hn_mattr_prop((enum hn_mattr_prop)((r >> 24) % HN_MATTR_NR_PROPS),
					     (unsigned int)((r >> 28) % 16) + 1);
			if ((r >> 32) % 3 == 0)
				want |= hn_mattr_prop((enum hn_mattr_prop)((r >> 36) % HN_MATTR_NR_PROPS),
						      (unsigned int)((r >> 40) % 16) + 1);
			gfp |= (hn_gfp_t)want << HN_GFP_MATTR_SHIFT;
			if ((r >> 44) % 2)
				gfp |= __GFP_MATTR_FALLBACK;
			expect = hn_attr_match_linear.match(fx->zone->attrs, want, NULL, NULL)->mattr;
		}
		ret = hn_alloc_pages(fx->sim, gfp, order, HN_NUMA_NO_NODE, NULL, &pfn);
		if (ret) {
			assert_int_equal(ret, -ENOSPC);
			continue;
		}
		if (!want)
			assert_int_equal(mattr_of(fx, pfn), 0);
		else if (gfp & __GFP_MATTR_FALLBACK)
			assert_true(mattr_of(fx, pfn) == expect || mattr_of(fx, pfn) == 0);
		else
			assert_int_equal(mattr_of(fx, pfn), expect);
		live[nr].pfn = pfn;
		live[nr++].order = order;
		if (step % 256 == 0)
			assert_sim_ok(fx->sim);
	}
	while (nr) {
		nr--;
		assert_int_equal(hn_free_pages(fx->sim, live[nr].pfn, live[nr].order), 0);
	}
	assert_sim_ok(fx->sim);
	for_each_attr_zone(fx->zone, az, i)
		assert_int_equal(az->nr_allocated, 0);
	free(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(boot_builds_attribute_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(plain_requests_never_use_attribute_nodes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(single_property_requests_match, setup, teardown),
		cmocka_unit_test_setup_teardown(single_property_requests_match, setup_linear, teardown),
		cmocka_unit_test_setup_teardown(multi_property_requests_match_cumulative, setup,
						teardown),
		cmocka_unit_test_setup_teardown(exhausted_node_fails_without_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(frees_return_to_the_node, setup, teardown),
		cmocka_unit_test_setup_teardown(bulk_attribute_request_takes_one_page, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_attribute_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_config, setup, teardown),
		cmocka_unit_test_setup_teardown(views, setup, teardown),
		cmocka_unit_test_setup_teardown(hotplug_add_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(hotplug_needs_hnuma, setup_mainline, teardown),
		cmocka_unit_test_setup_teardown(task_and_vma_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(match_decisions_are_traced, setup, teardown),
		cmocka_unit_test_setup_teardown(mainline_ignores_attributes, setup_mainline, teardown),
		cmocka_unit_test_setup_teardown(isolation_stays_inside_one_node, setup, teardown),
		cmocka_unit_test_setup_teardown(random_run_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
