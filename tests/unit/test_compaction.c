/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_compaction.c - compaction (mm/compaction.c): a node compacted on
 * request has its free memory in larger blocks; a high-order allocation
 * that finds none compacts directly and succeeds; compaction that cannot
 * help is deferred by the kernel's counters; kcompactd wakes for a failed
 * request and for proactive compaction as simulated time passes;
 * alloc_contig_range() moves pages out of its way; and with hierarchical
 * NUMA, migration and compaction keep every page in memory with its
 * attribute word, and an attribute range in use is removed by evacuation.
 *
 * The fragmenting workload: a task fills most of a node with written
 * pages, then drops every other one (hmadvise DONTNEED, no VMA split), so
 * the free memory lies in order-0 holes between movable pages.
 */
#include <errno.h>
#include <inttypes.h>

#include "hn_test.h"

#include "core/mmzone.h"

#define PG 4096ULL
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define RW (HN_PROT_READ | HN_PROT_WRITE)
#define ANON (HN_MAP_PRIVATE | HN_MAP_ANONYMOUS)

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;
	struct test_reports reports;
};

/*
 * Four nodes of 48 MiB (12288 pages, 24 pageblocks), CPUs 2n and 2n+1 on
 * node n: small, because debug_vm checks a zone's every free block after
 * each operation, and a fragmented zone has thousands.
 */
static int four_small_nodes(struct hn_machine **out)
{
	return test_four_nodes_sized(out, "compaction", 48 * MiB);
}

static int make(void **state, struct hn_sim_config cfg)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || four_small_nodes(&fx->m))
		return -1;
	cfg.report = test_report_fn;
	cfg.report_ctx = &fx->reports;
	if (hn_sim_create(&fx->sim, fx->m, &cfg) || hn_task_create(fx->sim, 2, &fx->t))
		return -1;
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return make(state, (struct hn_sim_config){ .seed = 3 });
}

static int setup_contents(void **state)
{
	return make(state, (struct hn_sim_config){ .seed = 3, .contents = HN_CONTENTS_MIX,
						   .contents_ratio = 300 });
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	assert_sim_ok(fx->sim);
	assert_int_equal(fx->reports.count, 0);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}


/*
 * Free memory of node @nid's Normal zone (generic arch: the only zone) in
 * blocks of order >= @order, counted in blocks of @order.
 */
static uint64_t free_blocks_from(struct hn_sim *sim, int nid, unsigned int order)
{
	struct hn_zone_info zi;
	uint64_t n = 0;

	assert_int_equal(hn_drain_all_pages(sim), 0);
	assert_int_equal(hn_sim_zone_info(sim, nid, HN_ZONE_NORMAL, &zi), 0);
	for (unsigned int o = order; o <= hn_sim_max_page_order(sim); o++)
		n += zi.nr_free[o] << (o - order);
	return n;
}

/*
 * Fill node @nid with written pages of the task until it is full, then
 * drop every other one: free memory in single-page holes, none of it in
 * blocks of more than a page.  The pages still mapped.
 */
#define FILL_MAX 14000ULL

/* Take every free block of pageblock order or more from node @nid, without compacting. */
static void take_large_blocks(struct fx *fx, int nid)
{
	unsigned int pbo = hn_sim_pageblock_order(fx->sim);
	uint64_t pfn;

	while (!hn_alloc_pages(fx->sim, (GFP_KERNEL & ~__GFP_DIRECT_RECLAIM) | __GFP_THISNODE |
			       __GFP_NOWARN, pbo, nid, NULL, &pfn))
		;
}

static uint64_t fragment(struct fx *fx, int nid)
{
	unsigned long mask = 1UL << nid;
	uint64_t a, n = 0;

	assert_int_equal(hn_mmap(fx->t, 0, FILL_MAX * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(fx->t, a, FILL_MAX * PG, MPOL_BIND, &mask, 65, 0), 0);
	while (n < FILL_MAX && hn_task_touch(fx->t, a + n * PG, true) == 0)
		n++;
	assert_true(n > 10000 && n < FILL_MAX);
	for (uint64_t i = 0; i < n; i += 2)
		assert_int_equal(hn_hmadvise(fx->t, nid, a + i * PG, PG, HN_MADV_DONTNEED), 0);
	/* what the watermarks kept free may hold a large block: take it away */
	take_large_blocks(fx, nid);
	return n / 2;
}

/*
 * A fragmented node, compacted as a write to .../node1/compact does:
 * Expect free blocks of pageblock order and above where there were none,
 * pages moved and free pages isolated and counted, every moved page still
 * the task's, its contents intact.
 */
static void compact_node_makes_large_blocks(void **state)
{
	struct fx *fx = *state;
	unsigned int pbo = hn_sim_pageblock_order(fx->sim);
	uint64_t before, after, checked, lost, mapped;

	mapped = fragment(fx, 1);
	before = free_blocks_from(fx->sim, 1, pbo);
	assert_int_equal(hn_compact_node(fx->sim, 1), 0);
	after = free_blocks_from(fx->sim, 1, pbo);
	assert_int_equal(before, 0);
	assert_true(after >= 8);
	assert_true(test_vmstat(fx->sim, "pgmigrate_success") > 2000);
	/* the last batch may find no target when the scanners meet: a few fail */
	assert_true(test_vmstat(fx->sim, "pgmigrate_fail") < 64);
	assert_true(test_vmstat(fx->sim, "compact_migrate_scanned") > 0);
	assert_true(test_vmstat(fx->sim, "compact_free_scanned") > 0);
	assert_true(test_vmstat(fx->sim, "compact_isolated") >= 2 * test_vmstat(fx->sim, "pgmigrate_success"));
	assert_int_equal(hn_task_rss(fx->t), mapped);
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(checked, mapped);
	assert_int_equal(lost, 0);
	/* the fragmentation score fell with it */
	assert_true(hn_sim_fragmentation_score(fx->sim, 1) < 50);
	assert_int_equal(hn_compact_memory(fx->sim), 0);
	/* errors */
	assert_int_equal(hn_compact_node(fx->sim, 64), -EINVAL);
	assert_int_equal(hn_compact_node(fx->sim, -1), -EINVAL);
	assert_int_equal(hn_compact_node(NULL, 0), -EINVAL);
	assert_int_equal(hn_compact_memory(NULL), -EINVAL);
	assert_int_equal(hn_sim_fragmentation_score(fx->sim, 64), -EINVAL);
}

/*
 * The same fragmented node, and an order-9 request that must be served
 * there (__GFP_THISNODE).  No free block of that order exists, but enough
 * memory does: the slow path compacts directly and the allocation
 * succeeds.  Expect compact_stall and compact_success.
 */
static void direct_compaction_serves_high_order(void **state)
{
	struct fx *fx = *state;
	unsigned int pbo = hn_sim_pageblock_order(fx->sim);
	uint64_t pfn;

	fragment(fx, 1);
	assert_int_equal(free_blocks_from(fx->sim, 1, pbo), 0);
	assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_THISNODE, pbo, 1, NULL, &pfn), 0);
	assert_int_equal(pfn_to_nid(fx->sim, pfn), 1);
	assert_true(test_vmstat(fx->sim, "compact_stall") >= 1);
	assert_true(test_vmstat(fx->sim, "compact_success") >= 1);
	assert_int_equal(hn_free_pages(fx->sim, pfn, pbo), 0);
}

struct defer_trace {
	int deferred, defer, reset;
};

static void count_defer(void *ctx, const struct hn_trace_event *ev)
{
	struct defer_trace *dt = ctx;

	dt->deferred += ev->id == HN_TRACE_MM_COMPACTION_DEFERRED;
	dt->defer += ev->id == HN_TRACE_MM_COMPACTION_DEFER_COMPACTION;
	dt->reset += ev->id == HN_TRACE_MM_COMPACTION_DEFER_RESET;
}

/*
 * A node fragmented by unmovable kernel pages: compaction cannot help an
 * order-9 request.  Each failed sync attempt defers compaction at that
 * order (compact_defer_shift grows, up to 6); the attempts after it are
 * skipped as the kernel skips them (mm_compaction_deferred), counted
 * against 1 << compact_defer_shift.  __GFP_RETRY_MAYFAIL makes the slow
 * path try sync compaction (a costly __GFP_NORETRY request stays async,
 * and async failures never defer).
 */
static void failing_compaction_is_deferred(void **state)
{
	struct fx *fx = *state;
	unsigned int pbo = hn_sim_pageblock_order(fx->sim);
	struct defer_trace dt = { 0 };
	uint64_t *pfns = calloc(FILL_MAX, sizeof(*pfns)), n = 0, pfn;
	const struct hn_zone *zone = &fx->sim->node_data[3]->node_zones[HN_ZONE_NORMAL];

	assert_non_null(pfns);
	while (n < FILL_MAX && !hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0, 3,
					       NULL, &pfns[n]))
		n++;
	assert_true(n > 10000 && n < FILL_MAX);
	for (uint64_t i = 0; i < n; i += 2)
		assert_int_equal(hn_free_pages(fx->sim, pfns[i], 0), 0);
	take_large_blocks(fx, 3);
	assert_int_equal(hn_trace_set_sink(fx->sim, count_defer, &dt), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN |
						__GFP_RETRY_MAYFAIL, pbo, 3, NULL, &pfn), -ENOSPC);
	assert_int_equal(hn_trace_set_sink(fx->sim, NULL, NULL), 0);
	assert_true(dt.defer >= 1);
	assert_true(dt.deferred >= 1);
	assert_true(zone->compact_defer_shift >= 1 && zone->compact_defer_shift <= 6);
	/* no success ever raised it: every order is subject to the deferral */
	assert_int_equal(zone->compact_order_failed, 0);
	assert_true(test_vmstat(fx->sim, "compact_fail") >= 1);
	for (uint64_t i = 1; i < n; i += 2)
		assert_int_equal(hn_free_pages(fx->sim, pfns[i], 0), 0);
	free(pfns);
}

/* A movable request that may not reclaim or compact itself. */
#define NOCOMPACT ((GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) | __GFP_THISNODE | __GFP_NOWARN)

/*
 * kcompactd: an order-9 request that may not compact itself (no direct
 * reclaim) fails and wakes kswapd, whose stand-in wakes kcompactd; it runs
 * when simulated time passes, and afterwards the request succeeds.
 */
static void kcompactd_woken_by_failed_request(void **state)
{
	struct fx *fx = *state;
	unsigned int pbo = hn_sim_pageblock_order(fx->sim);
	uint64_t pfn;

	fragment(fx, 1);
	assert_int_equal(hn_alloc_pages(fx->sim, NOCOMPACT, pbo, 1, NULL, &pfn), -ENOSPC);
	assert_int_equal(test_vmstat(fx->sim, "compact_daemon_wake"), 0);
	assert_int_equal(hn_sim_advance(fx->sim, 1000), 0);
	assert_int_equal(test_vmstat(fx->sim, "compact_daemon_wake"), 1);
	assert_true(test_vmstat(fx->sim, "compact_daemon_migrate_scanned") > 0);
	assert_int_equal(hn_alloc_pages(fx->sim, NOCOMPACT, pbo, 1, NULL, &pfn), 0);
	assert_int_equal(hn_free_pages(fx->sim, pfn, pbo), 0);
	assert_int_equal(hn_sim_advance(NULL, 1), -EINVAL);
}

/*
 * Proactive compaction: with vm.compaction_proactiveness 90 the node's
 * fragmentation score must stay under 20; a fragmented node is compacted
 * by kcompactd within a check interval (500 ms) of simulated time, without
 * any allocation asking.
 */
static void proactive_compaction_in_simulated_time(void **state)
{
	struct fx *fx = *state;
	int before, after;

	fragment(fx, 1);
	assert_int_equal(hn_sim_set_compaction_proactiveness(fx->sim, 90), 0);
	before = hn_sim_fragmentation_score(fx->sim, 1);
	assert_true(before > 20);
	assert_int_equal(hn_sim_advance(fx->sim, 600ULL * 1000 * 1000), 0);
	after = hn_sim_fragmentation_score(fx->sim, 1);
	assert_true(after < before);
	assert_true(test_vmstat(fx->sim, "compact_daemon_migrate_scanned") > 0);
	assert_true(test_vmstat(fx->sim, "pgmigrate_success") > 0);
	assert_int_equal(hn_sim_set_compaction_proactiveness(fx->sim, 101), -EINVAL);
	assert_int_equal(hn_sim_set_extfrag_threshold(fx->sim, 1001), -EINVAL);
	assert_int_equal(hn_sim_set_extfrag_threshold(fx->sim, 500), 0);
	assert_int_equal(hn_sim_set_compact_unevictable_allowed(fx->sim, true), 0);
	assert_int_equal(hn_sim_set_compact_unevictable_allowed(NULL, true), -EINVAL);
	/* proactiveness 0: kcompactd sleeps until woken */
	assert_int_equal(hn_sim_set_compaction_proactiveness(fx->sim, 0), 0);
}

/*
 * alloc_contig_range() over pages a task has written: they move out of
 * the range (MR_CONTIG_RANGE), contents intact, and the range is the
 * caller's as order-0 pages, then free again.  alloc_contig_pages() finds
 * a range by itself.
 */
static void alloc_contig_range_moves_task_pages(void **state)
{
	struct fx *fx = *state;
	uint64_t a, pfn, start, checked, lost, mapped, moved = 0;
	uint64_t nr = 1ULL << hn_sim_pageblock_order(fx->sim);
	struct hn_zone_info zi;
	unsigned int flags;

	/* a half-full node, and a pageblock in the middle of it */
	mapped = fragment(fx, 2);
	a = 0;
	assert_int_equal(hn_sim_zone_info(fx->sim, 2, HN_ZONE_NORMAL, &zi), 0);
	start = (zi.zone_start_pfn + zi.spanned_pages / 2) & ~(nr - 1);
	assert_int_equal(hn_alloc_contig_range(fx->sim, start, start + nr, GFP_KERNEL), 0);
	moved = test_vmstat(fx->sim, "pgmigrate_success");
	assert_true(moved >= nr / 4);
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(checked, mapped);
	assert_int_equal(lost, 0);
	assert_sim_ok(fx->sim);
	assert_int_equal(hn_free_contig_range(fx->sim, start, nr), 0);
	assert_int_equal(hn_free_contig_range(fx->sim, start, nr), -EINVAL);
	/* a compound block: one allocation of the whole range */
	assert_int_equal(hn_alloc_contig_range(fx->sim, start, start + nr, GFP_KERNEL | __GFP_COMP), 0);
	assert_int_equal(hn_free_contig_range(fx->sim, start, nr / 2), -EINVAL);
	assert_int_equal(hn_free_contig_range(fx->sim, start, nr), 0);
	assert_int_equal(hn_alloc_contig_pages(fx->sim, 300, GFP_KERNEL, 0, NULL, &pfn), 0);
	assert_int_equal(pfn % 512, 0);
	assert_int_equal(hn_free_contig_range(fx->sim, pfn, 300), 0);
	/* errors */
	assert_int_equal(hn_alloc_contig_range(fx->sim, start, start, GFP_KERNEL), -EINVAL);
	assert_int_equal(hn_alloc_contig_range(fx->sim, start, start + nr, __GFP_DMA | __GFP_DMA32),
			 -EINVAL);
	assert_int_equal(hn_alloc_contig_range(NULL, start, start + nr, GFP_KERNEL), -EINVAL);
	assert_int_equal(hn_alloc_contig_pages(fx->sim, 0, GFP_KERNEL, 2, NULL, &pfn), -EINVAL);
	assert_int_equal(hn_alloc_contig_pages(fx->sim, 1ULL << 40, GFP_KERNEL, 2, NULL, &pfn), -ENOMEM);
	(void)a;
	(void)flags;
}

/* ---- hierarchical NUMA --------------------------------------------------------- */

/*
 * One node: 1 GiB DRAM, then two 128 MiB ranges with the same fast word
 * (added by hotplug), then 256 MiB of slower attributed memory.
 */
struct hfx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;
	hn_mattr_t fast, slow;
	uint64_t r1, r2;		/* the two fast ranges */
};

static hn_mattr_t word(unsigned int lat, unsigned int bw)
{
	const unsigned int levels[HN_MATTR_NR_PROPS] = { lat, bw, 0, 0, 0, 0 };
	hn_mattr_t m = 0;

	assert_int_equal(hn_mattr_make(levels, &m), 0);
	return m;
}

static int hsetup(void **state)
{
	struct hfx *fx = calloc(1, sizeof(*fx));
	struct hn_memdev_desc dram = test_dram(0, 0, GiB + 256 * MiB);
	struct hn_memdev_desc slow = test_dram(0, GiB + 256 * MiB, 256 * MiB);
	struct hn_initiator_desc c = test_cpus(0, "0-1");
	struct hn_sim_config cfg = { .seed = 5, .flags = HN_SIM_HNUMA, .contents = HN_CONTENTS_TEXT };

	if (!fx)
		return -1;
	fx->fast = word(15, 15);
	fx->slow = word(6, 6);
	slow.kind = HN_MEM_CXL;
	slow.mattr = fx->slow;
	snprintf(slow.name, sizeof(slow.name), "cxl");
	if (hn_machine_new(&fx->m, "hier") || hn_machine_set_arch(fx->m, HN_ARCH_GENERIC) ||
	    hn_machine_add_initiator(fx->m, &c) || hn_machine_add_memdev(fx->m, &dram) ||
	    hn_machine_add_memdev(fx->m, &slow) || hn_sim_create(&fx->sim, fx->m, &cfg) ||
	    hn_task_create(fx->sim, 0, &fx->t))
		return -1;
	fx->r1 = GiB >> 12;
	fx->r2 = (GiB + 128 * MiB) >> 12;
	if (hn_sim_attr_range_add(fx->sim, fx->r1, fx->r2, fx->fast) ||
	    hn_sim_attr_range_add(fx->sim, fx->r2, fx->r2 + (128 * MiB >> 12), fx->fast))
		return -1;
	*state = fx;
	return 0;
}

static int hteardown(void **state)
{
	struct hfx *fx = *state;

	assert_sim_ok(fx->sim);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static hn_mattr_t mattr_at(struct hfx *fx, uint64_t addr)
{
	uint64_t pfn;
	unsigned int flags;
	hn_mattr_t m = 0xdead;

	assert_int_equal(hn_task_pte(fx->t, addr, &pfn, &flags), 0);
	assert_int_equal(hn_sim_pfn_mattr(fx->sim, pfn, &m), 0);
	return m;
}

/*
 * Pages a task asked latency 15 for live on a fast range.  Compaction of
 * the node, and alloc_contig_range() over the first fast range, keep them
 * in fast memory: attribute pages never move to plain memory, and plain
 * pages never into attribute memory.  Removing the first fast range while
 * it is in use evacuates it into the second; `show attrs` then lists one
 * fast range.  Removing the second sends its pages to the closest word
 * left, the slow range.
 */
static void attribute_pages_keep_their_word(void **state)
{
	struct hfx *fx = *state;
	uint64_t a, p, checked, lost;
	char *attrs;

	assert_int_equal(hn_mmap(fx->t, 0, 512 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_madvise_mattr(fx->t, a, 256 * PG, GFP_LATENCY(15) >> HN_GFP_MATTR_SHIFT), 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(mattr_at(fx, a + (uint64_t)i * PG), i < 256 ? fx->fast : 0);
	/* scatter them, then compact everything */
	for (int i = 0; i < 512; i += 2)
		assert_int_equal(hn_hmadvise(fx->t, 0, a + (uint64_t)i * PG, PG, HN_MADV_DONTNEED), 0);
	for (int i = 0; i < 512; i += 2)
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
	assert_int_equal(hn_compact_memory(fx->sim), 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(mattr_at(fx, a + (uint64_t)i * PG), i < 256 ? fx->fast : 0);
	/* the first fast range goes: its pages move to the second, not to DRAM */
	assert_int_equal(hn_task_pte(fx->t, a, &p, &(unsigned int){ 0 }), 0);
	assert_true(p >= fx->r1 && p < fx->r2);
	assert_int_equal(hn_sim_attr_range_remove(fx->sim, fx->r1), 0);
	for (int i = 0; i < 512; i++) {
		uint64_t pfn;
		unsigned int flags;

		assert_int_equal(hn_task_pte(fx->t, a + (uint64_t)i * PG, &pfn, &flags), 0);
		if (i < 256) {
			assert_true(pfn >= fx->r2);
			assert_int_equal(mattr_at(fx, a + (uint64_t)i * PG), fx->fast);
		}
	}
	attrs = test_view(fx->sim, hn_sim_show_attrs);
	assert_null(strstr(attrs, "0x0000000040000000"));
	free(attrs);
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(checked, 512);
	assert_int_equal(lost, 0);
	/*
	 * the last fast range goes too: with no fast memory left its pages
	 * move to the closest word there is (the slow range), never to DRAM
	 */
	assert_int_equal(hn_sim_attr_range_remove(fx->sim, fx->r2), 0);
	{
		hn_mattr_t slow_node;	/* the word boot gave the slow range (its figures and mattr) */

		assert_int_equal(hn_sim_pfn_mattr(fx->sim, (GiB + 256 * MiB) >> 12, &slow_node), 0);
		assert_true(slow_node != 0);
		for (int i = 0; i < 512; i++)
			assert_int_equal(mattr_at(fx, a + (uint64_t)i * PG), i < 256 ? slow_node : 0);
	}
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(lost, 0);
	/* move_pages to the same node keeps the word: a page is not moved at all */
	{
		int node = 0, status = -1;

		assert_int_equal(hn_move_pages(fx->t, 1, &a, &node, &status, 0), 0);
		assert_int_equal(status, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(compact_node_makes_large_blocks, setup_contents, teardown),
		cmocka_unit_test_setup_teardown(direct_compaction_serves_high_order, setup, teardown),
		cmocka_unit_test_setup_teardown(failing_compaction_is_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(kcompactd_woken_by_failed_request, setup, teardown),
		cmocka_unit_test_setup_teardown(proactive_compaction_in_simulated_time, setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_contig_range_moves_task_pages, setup_contents,
						teardown),
		cmocka_unit_test_setup_teardown(attribute_pages_keep_their_word, hsetup, hteardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
