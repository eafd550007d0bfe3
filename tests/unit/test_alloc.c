/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_alloc.c - the allocation path, scenario by scenario.
 *
 * Most scenarios use the machine of test_boot.c's first test: one node,
 * generic architecture (one Normal zone), 1 GiB at 0, CPUs 0-1.  After boot
 * its free blocks are known exactly:
 *
 *   pfn 8192 ......................... 257024   257536 ... 261632 .. 262101
 *       243 blocks of order 10, in address order | o9 | memmap | 469 pages: o8 o7 o6 o4 o2 o0
 *
 * and every pageblock is Movable (the range covers pfn 0).  The test links
 * the static library and looks at the internal structures to check what
 * the public API cannot show (pageblock types, pcp counts, reserves).
 */
#include "hn_test.h"

#include <errno.h>

#include "core/mmzone.h"

#define GiB (1ULL << 30)
#define FIRST_FREE 8192

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_zone *zone;
	struct test_reports tr;
};

static int setup_flags(void **state, unsigned int flags)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct hn_memdev_desc d = test_dram(0, 0, GiB);
	struct hn_initiator_desc c = test_cpus(0, "0-1");
	struct hn_sim_config cfg = { .flags = flags };

	if (!fx)
		return -1;
	cfg.report = test_report_fn;
	cfg.report_ctx = &fx->tr;
	if (hn_machine_new(&fx->m, "one") || hn_machine_set_arch(fx->m, HN_ARCH_GENERIC) ||
	    hn_machine_add_memdev(fx->m, &d) || hn_machine_add_initiator(fx->m, &c) ||
	    hn_sim_create(&fx->sim, fx->m, &cfg))
		return -1;
	fx->zone = &fx->sim->node_data[0]->node_zones[HN_ZONE_NORMAL];
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_flags(state, 0);
}

static int setup_nopcp(void **state)
{
	return setup_flags(state, HN_SIM_NO_PCP);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(hn_sim_check(fx->sim), 0);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static int mt_of(struct fx *fx, uint64_t pfn)
{
	return get_pageblock_migratetype(fx->sim->node_data[0], pfn);
}

static uint64_t nr_free(struct fx *fx, unsigned int order)
{
	return fx->zone->free_area[order].nr_free;
}

static uint64_t alloc_ok(struct fx *fx, hn_gfp_t gfp, unsigned int order)
{
	uint64_t pfn;

	assert_int_equal(hn_alloc_pages(fx->sim, gfp, order, HN_NUMA_NO_NODE, NULL, &pfn), 0);
	return pfn;
}

/*
 * A movable order-0 request with no pcp lists: __rmqueue_smallest() looks
 * from order 0 up, so the smallest free blocks win.  free_initmem() gave
 * back the image's init tenth, [0x1800, 0x1b33): 819 pages that split
 * into blocks of orders 9, 8, 5, 4, 1 and 0 (6962).  So there are two
 * order-0 blocks: 262100, freed at boot, and 6962; then the order-1 block
 * at 6960, which expand() splits: 6960 out, 6961 back to order 0.
 * Expect 262100, 6962, 6960; freeing all three merges everything back
 * and no pageblock changed type.
 */
static void movable_order0_takes_the_smallest_block(void **state)
{
	struct fx *fx = *state;
	uint64_t before[11];

	for (unsigned int o = 0; o <= 10; o++)
		before[o] = nr_free(fx, o);
	assert_int_equal(nr_free(fx, 0), 2);
	assert_int_equal(nr_free(fx, 1), 1);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 262100);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 6962);
	assert_int_equal(nr_free(fx, 1), before[1]);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 6960);
	assert_int_equal(nr_free(fx, 1), before[1] - 1);
	assert_int_equal(nr_free(fx, 0), 1);
	assert_int_equal(mt_of(fx, 6960), HN_MIGRATE_MOVABLE);
	assert_int_equal(fx->zone->nr_allocated, 3);
	assert_int_equal(hn_free_pages(fx->sim, 6960, 0), 0);
	assert_int_equal(hn_free_pages(fx->sim, 6962, 0), 0);
	assert_int_equal(hn_free_pages(fx->sim, 262100, 0), 0);
	for (unsigned int o = 0; o <= 10; o++)
		assert_int_equal(nr_free(fx, o), before[o]);
	/* an order-10 request takes the first block of the list: address order */
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 10), FIRST_FREE);
}

/*
 * An unmovable request finds no Unmovable pages and falls back: the
 * largest Movable block is claimed whole (order 10 >= pageblock order), so
 * both of its pageblocks become Unmovable, and the request is served from
 * it.  Expect pfn 8192 and pageblocks 8192 and 8704 Unmovable, 9216 still
 * Movable; freeing merges back into an order-10 block on the Unmovable list.
 */
static void unmovable_claims_a_whole_movable_block(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(alloc_ok(fx, GFP_KERNEL, 0), FIRST_FREE);
	assert_int_equal(mt_of(fx, 8192), HN_MIGRATE_UNMOVABLE);
	assert_int_equal(mt_of(fx, 8704), HN_MIGRATE_UNMOVABLE);
	assert_int_equal(mt_of(fx, 9216), HN_MIGRATE_MOVABLE);
	assert_int_equal(hn_free_pages(fx->sim, FIRST_FREE, 0), 0);
	assert_int_not_equal(fx->zone->free_area[10].free_list[HN_MIGRATE_UNMOVABLE].head, HN_NIL);
}

/*
 * With pcp lists, the first order-0 request refills the CPU's list with a
 * batch (zone_batchsize(): min(249813 >> 10, 256) / 4 = 60 -> 2^6 - 1 = 63)
 * taken by __rmqueue_smallest() one page at a time, each added at the
 * list's tail, and hands out the list's head.  The pages come smallest
 * block first: 262100, then 6962 (the last page free_initmem() gave back),
 * then 6960 and 6961 from the order-1 block below it, then 262096.. from
 * the order-2 block.
 * Expect 262100, 6962, 6960 for three requests, NR_FREE_PAGES down by
 * 63 after the first, pcp count 60 after the third; a freed page goes to
 * the head (LIFO) and is the next one handed out.
 */
static void pcp_refills_a_batch_and_serves_in_order(void **state)
{
	struct fx *fx = *state;
	int64_t free0 = fx->zone->vm_stat[NR_FREE_PAGES];
	struct hn_per_cpu_pages *pcp = &fx->zone->per_cpu_pageset[0];
	uint64_t first_cpu1;

	assert_int_equal(pcp->batch, 63);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 262100);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 63);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 6962);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 6960);
	assert_int_equal(pcp->count, 60);
	assert_int_equal(hn_free_pages(fx->sim, 6962, 0), 0);
	assert_int_equal(pcp->count, 61);
	assert_int_equal(alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0), 6962);
	/* CPU 1 has its own lists: its first request refills them from the buddy */
	assert_int_equal(hn_sim_set_cpu(fx->sim, 1), 0);
	assert_int_equal(hn_sim_current_cpu(fx->sim), 1);
	first_cpu1 = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(fx->zone->per_cpu_pageset[1].count, 62);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 126);
	assert_int_equal(hn_sim_set_cpu(fx->sim, 2), -EINVAL);
	/* draining gives everything back but the three live pages */
	assert_int_equal(hn_free_pages(fx->sim, first_cpu1, 0), 0);
	assert_int_equal(hn_drain_all_pages(fx->sim), 0);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 3);
}

/*
 * Freeing more than pcp->high pages without allocating trims the list in
 * batches (free_pcppages_bulk), oldest first.  Expect the pcp count never
 * to exceed high, and all pages back in the buddy after a drain.
 */
static void pcp_trims_above_high(void **state)
{
	struct fx *fx = *state;
	struct hn_per_cpu_pages *pcp = &fx->zone->per_cpu_pageset[0];
	uint64_t pfns[2000];

	for (int i = 0; i < 2000; i++)
		pfns[i] = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0);
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(hn_free_pages(fx->sim, pfns[i], 0), 0);
		assert_true(pcp->count <= pcp->high_max);
	}
	assert_int_equal(hn_drain_local_pages(fx->sim), 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], (int64_t)fx->zone->managed_pages);
}

/*
 * Orders 1..3 and the pageblock order use pcp lists; order 4 does not.
 * Expect an order-4 allocation to take 16 pages straight from the buddy
 * (NR_FREE_PAGES down by exactly 16), an order-9 allocation (THP) to go
 * through a pcp list, and each block to be aligned to its order.
 */
static void orders_above_costly_bypass_pcp(void **state)
{
	struct fx *fx = *state;
	int64_t free0 = fx->zone->vm_stat[NR_FREE_PAGES];
	uint64_t pfn;
	int count;

	pfn = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 4);
	assert_int_equal(pfn & 15, 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 16);
	pfn = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 9);
	assert_int_equal(pfn & 511, 0);
	/* the refill may have left a second block on the list: count the free itself */
	count = fx->zone->per_cpu_pageset[0].count;
	assert_int_equal(hn_free_pages(fx->sim, pfn, 9), 0);
	assert_int_equal(fx->zone->per_cpu_pageset[0].count, count + 512);
}

/*
 * The free path refuses what the kernel's bad_page() would catch, names the
 * reason, and leaves the allocator untouched.
 */
static void bad_frees_are_reported_and_harmless(void **state)
{
	struct fx *fx = *state;
	uint64_t a = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 2);
	int64_t free0 = fx->zone->vm_stat[NR_FREE_PAGES];
	const struct {
		uint64_t pfn;
		unsigned int order;
		const char *reason;
	} bad[] = {
		{ 0, 0, "page not allocated" },			/* the kernel image */
		{ 262101, 0, "page not allocated" },		/* NODE_DATA */
		{ a + 2, 0, "page not allocated" },		/* inside a live block */
		{ 1ULL << 40, 0, "page outside any zone" },
		{ 9216, 0, "double free" },			/* inside a free order-10 block */
		{ 9216 + 5, 0, "double free" },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx->tr.count = 0;
		assert_int_equal(hn_free_pages(fx->sim, bad[i].pfn, bad[i].order), -EINVAL);
		assert_int_equal(fx->tr.count, 1);
		assert_string_equal(fx->tr.last_reason, bad[i].reason);
	}
	assert_int_equal(hn_free_pages(fx->sim, a, 1), -EINVAL);
	assert_string_equal(fx->tr.last_reason, "wrong order");
	assert_int_equal(hn_free_pages(fx->sim, a + 1, 2), -EINVAL);
	assert_string_equal(fx->tr.last_reason, "pfn not aligned to order");
	assert_int_equal(hn_free_pages(fx->sim, a, 11), -EINVAL);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0);
	assert_int_equal(hn_sim_check(fx->sim), 0);
	assert_int_equal(hn_free_pages(fx->sim, a, 2), 0);
	fx->tr.count = 0;
	assert_int_equal(hn_free_pages(fx->sim, a, 2), -EINVAL);	/* now on a pcp list */
	assert_string_equal(fx->tr.last_reason, "double free");
}

static void alloc_rejects_bad_arguments(void **state)
{
	struct fx *fx = *state;
	uint64_t pfn = 7;

	assert_int_equal(hn_alloc_pages(NULL, GFP_KERNEL, 0, 0, NULL, &pfn), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, 0, NULL, NULL), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 11, 0, NULL, &pfn), -EINVAL);
	assert_int_equal(pfn, HN_PFN_NONE);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_DMA | __GFP_DMA32, 0, 0, NULL,
					&pfn), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE, 0, 0,
					NULL, &pfn), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | (1ULL << 40), 0, 0, NULL, &pfn), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, 1, NULL, &pfn), -EINVAL);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, -2, NULL, &pfn), -EINVAL);
	assert_int_equal(hn_free_pages(NULL, 0, 0), -EINVAL);
	assert_int_equal(hn_drain_all_pages(NULL), -EINVAL);
	assert_int_equal(hn_drain_local_pages(NULL), -EINVAL);
}

/*
 * Exhaustion without pcp lists, so that every page passes a watermark
 * check.  khugepaged set min_free_kbytes to 512 * 1 zone * (2 + 3 * 3)
 * pages = 22528 KiB, so min is 5632 pages.  GFP_KERNEL order 0 may go
 * down to the min watermark (an allocation is allowed while free > min +
 * lowmem_reserve, and the Normal zone reserves nothing toward itself).
 * GFP_ATOMIC may then use half of min and, being unable to block, a
 * quarter of the rest: the limit drops to 5632 - 2816 - 704 = 2112.
 * Managed pages are 249813 + the 819 free_initmem() gave back.
 * Expect GFP_KERNEL to stop at exactly 5632 free pages, GFP_ATOMIC to get
 * 3520 more and stop at 2112; a "page allocation failure" line without
 * __GFP_NOWARN, none with it; allocstall counted; __GFP_NOFAIL failing with
 * its report instead of spinning.
 */
static void exhaustion_respects_watermarks_and_reserves(void **state)
{
	struct fx *fx = *state;
	char *log = NULL;
	size_t len = 0;
	FILE *f;
	uint64_t pfn, n = 0;
	int ret;

	while ((ret = hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_NOWARN, 0, HN_NUMA_NO_NODE, NULL,
				     &pfn)) == 0)
		n++;
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], 5632);
	assert_int_equal(n, 249813 + 819 - 5632);
	assert_true(fx->sim->vm_events[ALLOCSTALL_NORMAL] > 0);
	n = 0;
	while (hn_alloc_pages(fx->sim, GFP_ATOMIC | __GFP_NOWARN, 0, HN_NUMA_NO_NODE, NULL, &pfn) == 0)
		n++;
	assert_int_equal(n, 3520);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], 2112);
	f = open_memstream(&log, &len);
	hn_sim_dmesg(fx->sim, f);
	fclose(f);
	assert_null(strstr(log, "page allocation failure"));
	free(log);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &pfn), -ENOSPC);
	f = open_memstream(&log, &len);
	hn_sim_dmesg(fx->sim, f);
	fclose(f);
	assert_non_null(strstr(log, "page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)"));
	free(log);
	fx->tr.count = 0;
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN, 0,
					HN_NUMA_NO_NODE, NULL, &pfn), -ENOSPC);
	assert_string_equal(fx->tr.last_reason, "__GFP_NOFAIL allocation failed");
}

/*
 * High-order atomic allocations under pressure reserve a pageblock
 * (MIGRATE_HIGHATOMIC) for later ones; an allocation about to fail gives
 * the reserve back.  Without pcp lists: fill the zone with GFP_KERNEL
 * order-0 pages down to the min watermark (5632 free, all fragments), free
 * 64 aligned pairs (5760 free, below the low watermark 5632 + 1408), then ask for
 * GFP_ATOMIC order 1.  The fast path fails at the low watermark; the slow
 * path allows ALLOC_HIGHATOMIC, succeeds, and reserves the pageblock.
 * Expect exactly one HighAtomic pageblock and nr_reserved_highatomic 512;
 * then a failing GFP_KERNEL request releases it (should_reclaim_retry()
 * unreserves by force before giving up).
 */
static void highatomic_reserve_and_release(void **state)
{
	struct fx *fx = *state;
	static uint8_t mine[262144];
	uint64_t pfn, freed = 0;
	int hat = 0;

	memset(mine, 0, sizeof(mine));
	while (hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_NOWARN, 0, HN_NUMA_NO_NODE, NULL, &pfn) == 0)
		mine[pfn] = 1;
	for (pfn = 8192; pfn < 262144 && freed < 64; pfn += 2) {
		if (mine[pfn] && mine[pfn + 1]) {
			assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
			assert_int_equal(hn_free_pages(fx->sim, pfn + 1, 0), 0);
			freed++;
		}
	}
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], 5632 + 128);
	pfn = alloc_ok(fx, GFP_ATOMIC, 1);
	for (uint64_t pb = 0; pb < 262144; pb += 512)
		hat += mt_of(fx, pb) == HN_MIGRATE_HIGHATOMIC;
	assert_int_equal(hat, 1);
	assert_int_equal(fx->zone->nr_reserved_highatomic, 512);
	assert_int_equal(mt_of(fx, pfn), HN_MIGRATE_HIGHATOMIC);
	while (hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_NOWARN, 0, HN_NUMA_NO_NODE, NULL, &pfn) == 0)
		;
	assert_int_equal(fx->zone->nr_reserved_highatomic, 0);
}

/*
 * Isolation takes a range out of allocation: its free pages leave
 * NR_FREE_PAGES and no request is served from it; undoing returns them.
 * Isolating a pageblock that holds an unmovable allocation fails -EBUSY.
 */
static void isolation_excludes_and_restores(void **state)
{
	struct fx *fx = *state;
	int64_t free0 = fx->zone->vm_stat[NR_FREE_PAGES];
	uint64_t pfn;

	assert_int_equal(hn_isolate_range(fx->sim, 8192, 8192 + 2048), 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 2048);
	assert_int_equal(fx->zone->nr_isolate_pageblock, 4);
	assert_int_equal(hn_test_pages_isolated(fx->sim, 8192, 8192 + 2048), 0);
	pfn = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 10);
	assert_true(pfn >= 8192 + 2048);
	assert_int_equal(hn_isolate_range(fx->sim, 8192, 8192 + 512), -EBUSY);	/* already */
	assert_int_equal(hn_undo_isolate_range(fx->sim, 8192, 8192 + 2048, HN_MIGRATE_MOVABLE), 0);
	assert_int_equal(fx->zone->nr_isolate_pageblock, 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 1024);
	assert_int_equal(hn_test_pages_isolated(fx->sim, 8192, 8192 + 512), -EBUSY);
	/* an unmovable page pins its pageblock */
	pfn = alloc_ok(fx, GFP_KERNEL, 0);
	assert_int_equal(hn_isolate_range(fx->sim, pfn & ~511ULL, (pfn & ~511ULL) + 512), -EBUSY);
	/* argument errors */
	assert_int_equal(hn_isolate_range(fx->sim, 8192, 8192), -EINVAL);
	assert_int_equal(hn_isolate_range(fx->sim, 8193, 8192 + 512), -EINVAL);
	assert_int_equal(hn_isolate_range(fx->sim, 261632, 262656), -EINVAL);	/* past the zone */
	assert_int_equal(hn_isolate_range(NULL, 0, 512), -EINVAL);
	assert_int_equal(hn_undo_isolate_range(fx->sim, 8192, 8704, HN_MIGRATE_ISOLATE), -EINVAL);
}

/*
 * Bulk allocation fills the holes of the array from one pcp list.
 * Expect 40 distinct pages, the pre-filled entry kept, all freeable.
 */
static void bulk_fills_holes(void **state)
{
	struct fx *fx = *state;
	uint64_t pfns[40];
	unsigned int n = 0;

	for (int i = 0; i < 40; i++)
		pfns[i] = HN_PFN_NONE;
	pfns[0] = alloc_ok(fx, GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(hn_alloc_pages_bulk(fx->sim, GFP_HIGHUSER_MOVABLE, HN_NUMA_NO_NODE, NULL, 40,
					     pfns, &n), 0);
	assert_int_equal(n, 40);
	for (int i = 1; i < 40; i++)
		for (int j = 0; j < i; j++)
			assert_int_not_equal(pfns[i], pfns[j]);
	assert_int_equal(fx->zone->nr_allocated, 40);
	for (int i = 0; i < 40; i++)
		assert_int_equal(hn_free_pages(fx->sim, pfns[i], 0), 0);
	assert_int_equal(hn_alloc_pages_bulk(fx->sim, GFP_KERNEL, 0, NULL, 4, NULL, &n), -EINVAL);
	assert_int_equal(hn_alloc_pages_bulk(fx->sim, GFP_KERNEL, 0, NULL, 0, NULL, &n), 0);
	assert_int_equal(n, 0);
}

/*
 * Without pcp lists every order-0 request goes to the buddy: Expect
 * NR_FREE_PAGES to drop by exactly one per allocation.
 */
static void no_pcp_config_uses_the_buddy(void **state)
{
	struct fx *fx = *state;
	int64_t free0 = fx->zone->vm_stat[NR_FREE_PAGES];

	assert_null(fx->zone->per_cpu_pageset);
	alloc_ok(fx, GFP_KERNEL, 0);
	alloc_ok(fx, GFP_KERNEL, 0);
	assert_int_equal(fx->zone->vm_stat[NR_FREE_PAGES], free0 - 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(movable_order0_takes_the_smallest_block, setup_nopcp, teardown),
		cmocka_unit_test_setup_teardown(unmovable_claims_a_whole_movable_block, setup_nopcp, teardown),
		cmocka_unit_test_setup_teardown(pcp_refills_a_batch_and_serves_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(pcp_trims_above_high, setup, teardown),
		cmocka_unit_test_setup_teardown(orders_above_costly_bypass_pcp, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_frees_are_reported_and_harmless, setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_rejects_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(exhaustion_respects_watermarks_and_reserves, setup_nopcp, teardown),
		cmocka_unit_test_setup_teardown(highatomic_reserve_and_release, setup_nopcp, teardown),
		cmocka_unit_test_setup_teardown(isolation_excludes_and_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(bulk_fills_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(no_pcp_config_uses_the_buddy, setup_nopcp, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
