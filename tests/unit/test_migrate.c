/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_migrate.c - page migration on simulated tasks: move_pages(2) with
 * its status array and query mode, migrate_pages(2) and its relative
 * node order, mbind(2) with MPOL_MF_MOVE, a cpuset's memory_migrate, pins,
 * page contents, mmu notifiers, non-LRU movable pages, the cost model and
 * the counters; the semantics of tools/testing/selftests/mm/migration.c
 * and friends, re-expressed on the simulated machine.
 *
 * The machine is the policy tests' four nodes of 256 MiB (CPUs 2n, 2n+1
 * on node n).  Every test ends with hn_sim_check() clean.
 */
#include <errno.h>
#include <inttypes.h>

#include "hn_test.h"

#include "core/mmzone.h"

#define PG 4096ULL
#define RW (HN_PROT_READ | HN_PROT_WRITE)
#define ANON (HN_MAP_PRIVATE | HN_MAP_ANONYMOUS)
#define BIT(n) (1UL << (n))

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;		/* on CPU 0, node 0 */
	struct test_reports reports;
};

static int setup_cfg(void **state, unsigned int contents)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct hn_sim_config cfg = { .seed = 7, .contents = contents };

	if (!fx || test_four_nodes(&fx->m, "migrate"))
		return -1;
	cfg.report = test_report_fn;
	cfg.report_ctx = &fx->reports;
	if (hn_sim_create(&fx->sim, fx->m, &cfg) || hn_task_create(fx->sim, 0, &fx->t))
		return -1;
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_cfg(state, HN_CONTENTS_NONE);
}

static int setup_contents(void **state)
{
	return setup_cfg(state, HN_CONTENTS_TEXT);
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


/* @n written pages at a fresh mapping, bound to node @nid. */
static uint64_t map_on(struct fx *fx, struct hn_task *t, unsigned int n, int nid)
{
	unsigned long mask = BIT(nid);
	uint64_t a;

	assert_int_equal(hn_mmap(t, 0, n * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(t, a, n * PG, MPOL_BIND, &mask, 65, 0), 0);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(hn_task_touch(t, a + i * PG, true), 0);
	(void)fx;
	return a;
}

/* The node of the page mapped at @addr. */
static int page_node(struct fx *fx, struct hn_task *t, uint64_t addr)
{
	uint64_t pfn;
	unsigned int flags;

	assert_int_equal(hn_task_pte(t, addr, &pfn, &flags), 0);
	assert_true(flags & HN_PTE_PRESENT);
	return pfn_to_nid(fx->sim, pfn);
}

/*
 * Eight pages on node 0, moved to node 1 by move_pages().
 * Expect status 1 for each, the pages on node 1 at the same addresses,
 * pgmigrate_success 8, nr_anon_pages moved with them, and the move costed.
 */
static void move_pages_to_another_node(void **state)
{
	struct fx *fx = *state;
	uint64_t a = map_on(fx, fx->t, 8, 0), pages[8];
	int nodes[8], status[8];
	struct hn_migration_stats st;
	uint64_t p01, ns;

	for (int i = 0; i < 8; i++) {
		pages[i] = a + (uint64_t)i * PG;
		nodes[i] = 1;
		status[i] = -1234;
	}
	assert_int_equal(hn_move_pages(fx->t, 8, pages, nodes, status, HN_MPOL_MF_MOVE), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(status[i], 1);
		assert_int_equal(page_node(fx, fx->t, pages[i]), 1);
	}
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 8);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_fail"), 0);
	assert_int_equal(test_vmstat(fx->sim, "nr_anon_pages"), 8);
	assert_int_equal(test_vmstat(fx->sim, "nr_isolated_anon"), 0);
	assert_int_equal(hn_sim_migration_stats(fx->sim, &st), 0);
	assert_int_equal(st.succeeded, 8);
	assert_int_equal(st.bytes_copied, 8 * PG);
	assert_true(st.copy_ns > 0 && st.unmap_ns > 0 && st.remap_ns > 0);
	assert_int_equal(hn_sim_migration_pair(fx->sim, 0, 1, &p01, &ns), 0);
	assert_int_equal(p01, 8);
	assert_true(ns > 0);
	/* the pages are still the task's: it can write them, and exit frees them */
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(hn_task_rss(fx->t), 8);
	assert_sim_ok(fx->sim);
}

/*
 * Query mode (nodes NULL) and the per-page errors of move_pages().
 *   a: written on node 2    b: read only (zero page)    c: never touched
 *   d: not mapped at all
 * Expect 2, -EFAULT, -ENOENT, -EFAULT; then moving [a, c) to node 3: a moves
 * (status 3), the zero page and the untouched page keep their errors.
 */
static void move_pages_status_and_query(void **state)
{
	struct fx *fx = *state;
	uint64_t a;
	uint64_t pages[4];
	int status[4], nodes[4] = { 3, 3, 3, 3 };

	assert_int_equal(hn_mmap(fx->t, 0, 3 * PG, RW, ANON, &a), 0);
	{
		unsigned long two = BIT(2);

		assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_BIND, &two, 65, 0), 0);
	}
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(hn_task_touch(fx->t, a + PG, false), 0);
	pages[0] = a;
	pages[1] = a + PG;
	pages[2] = a + 2 * PG;
	pages[3] = 0x10000;
	assert_int_equal(hn_move_pages(fx->t, 4, pages, NULL, status, 0), 0);
	assert_int_equal(status[0], 2);
	assert_int_equal(status[1], -EFAULT);
	assert_int_equal(status[2], -ENOENT);
	assert_int_equal(status[3], -EFAULT);
	assert_int_equal(hn_move_pages(fx->t, 4, pages, nodes, status, 0), 0);
	assert_int_equal(status[0], 3);
	assert_int_equal(status[1], -EFAULT);
	assert_int_equal(status[2], -ENOENT);
	assert_int_equal(status[3], -EFAULT);
	assert_int_equal(page_node(fx, fx->t, a), 3);
	/* a page already on its target node is not moved: its node is its status */
	assert_int_equal(hn_move_pages(fx->t, 1, pages, nodes, status, 0), 0);
	assert_int_equal(status[0], 3);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 1);
}

/*
 * move_pages()'s errors for the whole call: a node out of range or
 * without memory -ENODEV, a node the task's cpuset excludes -EACCES,
 * unknown flags and missing arrays -EINVAL.
 */
static void move_pages_errors(void **state)
{
	struct fx *fx = *state;
	uint64_t a = map_on(fx, fx->t, 1, 0);
	int status[1], bad[1] = { 64 }, neg[1] = { -1 }, one[1] = { 1 };
	struct hn_nodemask mems = { 0 };

	assert_int_equal(hn_move_pages(fx->t, 1, &a, bad, status, 0), -ENODEV);
	assert_int_equal(hn_move_pages(fx->t, 1, &a, neg, status, 0), -ENODEV);
	assert_int_equal(hn_move_pages(fx->t, 1, &a, one, status, 8), -EINVAL);
	assert_int_equal(hn_move_pages(NULL, 1, &a, one, status, 0), -EINVAL);
	assert_int_equal(hn_move_pages(fx->t, 1, &a, one, NULL, 0), -EINVAL);
	assert_int_equal(hn_move_pages(fx->t, 1, NULL, one, status, 0), -EINVAL);
	assert_int_equal(hn_move_pages(fx->t, 0, NULL, NULL, NULL, 0), 0);
	hn_nodemask_set(&mems, 0);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &mems), 0);
	assert_int_equal(hn_move_pages(fx->t, 1, &a, one, status, 0), -EACCES);
	assert_int_equal(page_node(fx, fx->t, a), 0);
}

/*
 * migrate_pages(2) keeps relative positions: pages on nodes 0 and 1 moved
 * with old {0,1} and new {2,3} land on 2 and 3 respectively; with new
 * {1,2} (same weight, overlapping) page 0 goes to 1 and page 1 to 2, the
 * node-1 pages first so nothing is moved twice.
 */
static void migrate_pages_keeps_relative_nodes(void **state)
{
	struct fx *fx = *state;
	uint64_t a0 = map_on(fx, fx->t, 4, 0), a1 = map_on(fx, fx->t, 4, 1);
	unsigned long old = BIT(0) | BIT(1), new = BIT(2) | BIT(3), mid = BIT(1) | BIT(2);

	assert_int_equal(hn_migrate_pages(fx->t, 65, &old, &new), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(page_node(fx, fx->t, a0 + (uint64_t)i * PG), 2);
		assert_int_equal(page_node(fx, fx->t, a1 + (uint64_t)i * PG), 3);
	}
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 8);
	old = BIT(2) | BIT(3);
	assert_int_equal(hn_migrate_pages(fx->t, 65, &old, &mid), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(page_node(fx, fx->t, a0 + (uint64_t)i * PG), 1);
		assert_int_equal(page_node(fx, fx->t, a1 + (uint64_t)i * PG), 2);
	}
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 16);
	/* errors: NULL, a mask with bits past the node limit */
	assert_int_equal(hn_migrate_pages(NULL, 65, &old, &new), -EINVAL);
	{
		unsigned long big[17] = { 0 };

		big[16] = 1;
		assert_int_equal(hn_migrate_pages(fx->t, 17 * 64 + 1, big, &new), -EINVAL);
	}
}

/*
 * mbind(MPOL_INTERLEAVE, MPOL_MF_MOVE) over 8 pages written on node 0:
 * with nodes 0-3 nothing is misplaced and nothing moves; with nodes 1-3
 * each page moves to where the interleave puts it by its index.  With
 * MPOL_MF_STRICT and a pinned page that cannot move, -EIO.
 */
static void mbind_move_interleave(void **state)
{
	struct fx *fx = *state;
	uint64_t a = map_on(fx, fx->t, 8, 0), pfn;
	unsigned long all = 0xf, zero = BIT(0);
	int count[4] = { 0 };

	/* node 0 is one of the interleave's nodes: its pages are not misplaced */
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_INTERLEAVE, &all, 65, HN_MPOL_MF_MOVE), 0);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 0);
	all = BIT(1) | BIT(2) | BIT(3);
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_INTERLEAVE, &all, 65, HN_MPOL_MF_MOVE), 0);
	for (int i = 0; i < 8; i++)
		count[page_node(fx, fx->t, a + (uint64_t)i * PG)]++;
	/* 8 consecutive interleave indices over three nodes: 3, 3 and 2 */
	assert_int_equal(count[0], 0);
	for (int n = 1; n < 4; n++)
		assert_true(count[n] == 2 || count[n] == 3);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 8);
	/* a pinned page cannot move: STRICT reports it, MOVE moves the rest */
	assert_int_equal(hn_pin_user_pages(fx->t, a, 1, HN_FOLL_WRITE, &pfn), 0);
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_BIND, &zero, 65,
				  HN_MPOL_MF_MOVE | HN_MPOL_MF_STRICT), -EIO);
	for (int i = 1; i < 8; i++)
		assert_int_equal(page_node(fx, fx->t, a + (uint64_t)i * PG), 0);
	assert_int_not_equal(page_node(fx, fx->t, a), 0);
	assert_int_equal(page_node(fx, fx->t, a), pfn_to_nid(fx->sim, pfn));
	assert_int_equal(hn_unpin_user_pages(fx->sim, &pfn, 1), 0);
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_BIND, &zero, 65,
				  HN_MPOL_MF_MOVE | HN_MPOL_MF_STRICT), 0);
	assert_int_equal(page_node(fx, fx->t, a), 0);
}

/*
 * A cpuset with memory_migrate: narrowing the task's mems from all to
 * {2, 3} moves its pages from nodes 0 and 1 there, relative positions kept;
 * without memory_migrate they would stay (and do, for the second change).
 */
static void cpuset_memory_migrate(void **state)
{
	struct fx *fx = *state;
	uint64_t a0 = map_on(fx, fx->t, 3, 0), a1 = map_on(fx, fx->t, 3, 1);
	struct hn_nodemask mems = { 0 };

	assert_int_equal(hn_task_set_memory_migrate(fx->t, true), 0);
	hn_nodemask_set(&mems, 2);
	hn_nodemask_set(&mems, 3);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &mems), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(page_node(fx, fx->t, a0 + (uint64_t)i * PG), 2);
		assert_int_equal(page_node(fx, fx->t, a1 + (uint64_t)i * PG), 3);
	}
	assert_int_equal(hn_task_set_memory_migrate(fx->t, false), 0);
	memset(&mems, 0, sizeof(mems));
	hn_nodemask_set(&mems, 0);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &mems), 0);
	assert_int_equal(page_node(fx, fx->t, a0), 2);
	assert_int_equal(hn_task_set_memory_migrate(NULL, true), -EINVAL);
}

/*
 * A pinned page is not migrated: move_pages() returns 1 (one page not
 * moved) and it stays; unmapping it leaves it allocated until unpinned.
 * A long-term pin of a page in ZONE_MOVABLE moves it out first.
 */
static void pinned_pages_stay(void **state)
{
	struct fx *fx = *state;
	uint64_t a = map_on(fx, fx->t, 2, 0), pfn[2];
	int nodes[2] = { 1, 1 }, status[2] = { 99, 99 };
	uint64_t pages[2] = { a, a + PG };

	assert_int_equal(hn_pin_user_pages(fx->t, a, 1, HN_FOLL_WRITE, pfn), 0);
	assert_int_equal(test_vmstat(fx->sim, "nr_foll_pin_acquired"), 1);
	assert_int_equal(hn_move_pages(fx->t, 2, pages, nodes, status, 0), 1);
	assert_int_equal(page_node(fx, fx->t, a), 0);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_fail"), 1);
	assert_sim_ok(fx->sim);
	/* unmapped while pinned: the page lives on, held by the pin */
	assert_int_equal(hn_munmap(fx->t, a, 2 * PG), 0);
	assert_int_equal(test_vmstat(fx->sim, "nr_anon_pages"), 0);
	assert_sim_ok(fx->sim);
	assert_int_equal(hn_unpin_user_pages(fx->sim, pfn, 1), 0);
	assert_int_equal(test_vmstat(fx->sim, "nr_foll_pin_released"), 1);
	assert_int_equal(hn_unpin_user_pages(fx->sim, pfn, 1), -EINVAL);
	assert_int_equal(hn_pin_user_pages(fx->t, a, 1, 0, pfn), -EFAULT);
	assert_int_equal(hn_pin_user_pages(fx->t, a + 1, 1, 0, pfn), -EINVAL);
	assert_int_equal(hn_pin_user_pages(fx->t, a, 1, 0x8000, pfn), -EINVAL);
	assert_int_equal(hn_pin_user_pages(NULL, a, 1, 0, pfn), -EINVAL);
}

/* Contents: what was written survives moves, byte for byte. */
static void contents_survive_migration(void **state)
{
	struct fx *fx = *state;
	uint64_t a = map_on(fx, fx->t, 16, 0), pages[16], checked, lost;
	int nodes[16], status[16];

	for (int i = 0; i < 16; i++) {
		pages[i] = a + (uint64_t)i * PG;
		nodes[i] = 1 + i % 3;
		/* a second write changes a line of each */
		assert_int_equal(hn_task_touch(fx->t, pages[i] + 128, true), 0);
	}
	assert_int_equal(hn_move_pages(fx->t, 16, pages, nodes, status, 0), 0);
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(checked, 16);
	assert_int_equal(lost, 0);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 16; i++)
			nodes[i] = (nodes[i] + 1) % 4;
		assert_int_equal(hn_move_pages(fx->t, 16, pages, nodes, status, 0), 0);
	}
	assert_int_equal(hn_sim_integrity(fx->sim, &checked, &lost), 0);
	assert_int_equal(lost, 0);
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 16 * 6);
	assert_int_equal(hn_sim_integrity(NULL, &checked, &lost), -EINVAL);
}

/* Without contents the integrity check has nothing to check. */
static void integrity_needs_contents(void **state)
{
	struct fx *fx = *state;
	uint64_t c, l;

	assert_int_equal(hn_sim_integrity(fx->sim, &c, &l), -EOPNOTSUPP);
}

struct notifier_log {
	int starts, ends, releases;
	enum hn_mmu_notifier_event last;
	struct hn_task *t;
	uint64_t touch;		/* an address to touch from inside the notifier, or 0 */
	int touch_ret;
};

static int nl_start(void *ctx, struct hn_task *t, uint64_t start, uint64_t end,
		    enum hn_mmu_notifier_event event, bool blockable)
{
	struct notifier_log *nl = ctx;

	(void)start;
	(void)end;
	(void)blockable;
	nl->starts++;
	nl->last = event;
	assert_ptr_equal(t, nl->t);
	return 0;
}

static void nl_end(void *ctx, struct hn_task *t, uint64_t start, uint64_t end,
		   enum hn_mmu_notifier_event event)
{
	struct notifier_log *nl = ctx;

	(void)start;
	(void)end;
	(void)event;
	nl->ends++;
	/* the page is behind a migration entry now: an access must wait */
	if (nl->touch && event == HN_MMU_NOTIFY_MIGRATE) {
		uint64_t pfn;
		unsigned int flags;

		assert_int_equal(hn_task_pte(t, nl->touch, &pfn, &flags), 0);
		assert_true(flags & HN_PTE_MIGRATION);
		nl->touch_ret = hn_task_touch(t, nl->touch, false);
		nl->touch = 0;
	}
}

static void nl_release(void *ctx, struct hn_task *t)
{
	(void)t;
	((struct notifier_log *)ctx)->releases++;
}

static const struct hn_mmu_notifier_ops nl_ops = {
	.invalidate_range_start = nl_start,
	.invalidate_range_end = nl_end,
	.release = nl_release,
};

/*
 * An mmu notifier hears migration (HN_MMU_NOTIFY_MIGRATE), mprotect and
 * munmap; an access from inside the migration's invalidation finds the
 * migration entry and gets -EAGAIN (migration_entry_wait()).
 */
static void mmu_notifiers_hear_migration(void **state)
{
	struct fx *fx = *state;
	struct notifier_log nl = { .t = fx->t };
	uint64_t a = map_on(fx, fx->t, 2, 0);
	int node = 1, status;

	assert_int_equal(hn_mmu_notifier_register(fx->t, &nl_ops, &nl), 0);
	assert_int_equal(hn_mmu_notifier_register(fx->t, &nl_ops, &nl), -EEXIST);
	nl.touch = a;
	assert_int_equal(hn_move_pages(fx->t, 1, &a, &node, &status, 0), 0);
	assert_int_equal(status, 1);
	assert_int_equal(nl.last, HN_MMU_NOTIFY_MIGRATE);
	assert_int_equal(nl.starts, 1);
	assert_int_equal(nl.ends, 1);
	assert_int_equal(nl.touch_ret, -EAGAIN);
	assert_int_equal(hn_mprotect(fx->t, a, PG, HN_PROT_READ), 0);
	assert_int_equal(nl.last, HN_MMU_NOTIFY_PROTECTION_VMA);
	assert_int_equal(hn_munmap(fx->t, a, 2 * PG), 0);
	assert_int_equal(nl.last, HN_MMU_NOTIFY_UNMAP);
	assert_int_equal(hn_mmu_notifier_unregister(fx->t, &nl_ops, &nl), 0);
	assert_int_equal(hn_mmu_notifier_unregister(fx->t, &nl_ops, &nl), -ENOENT);
	assert_int_equal(hn_mmu_notifier_register(fx->t, &nl_ops, &nl), 0);
	hn_task_destroy(fx->t);
	fx->t = NULL;
	assert_int_equal(nl.releases, 1);
	assert_int_equal(hn_mmu_notifier_register(NULL, &nl_ops, &nl), -EINVAL);
}

/* ---- non-LRU movable pages -------------------------------------------------- */

/* A toy owner: a table of pages that it knows by slot (the cookie). */
struct pool {
	uint64_t slot[8];
	int isolated, migrated, putback;
	bool refuse_isolate;
	int busy;		/* migrate_page() says -EAGAIN this many times */
};

static bool pool_isolate(void *ctx, struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode)
{
	struct pool *p = ctx;

	(void)sim;
	(void)pfn;
	(void)mode;
	if (p->refuse_isolate)
		return false;
	p->isolated++;
	return true;
}

static int pool_migrate(void *ctx, struct hn_sim *sim, uint64_t dst, uint64_t src,
			enum hn_migrate_mode mode)
{
	struct pool *p = ctx;
	unsigned int owner;
	uint64_t cookie;

	(void)mode;
	if (p->busy) {
		p->busy--;
		return -EAGAIN;
	}
	assert_int_equal(hn_page_movable(sim, src, &owner, &cookie), 0);
	assert_true(cookie < 8);
	assert_int_equal(p->slot[cookie], src);
	p->slot[cookie] = dst;
	p->migrated++;
	return 0;
}

static void pool_putback(void *ctx, struct hn_sim *sim, uint64_t pfn)
{
	(void)sim;
	(void)pfn;
	((struct pool *)ctx)->putback++;
}

static const struct hn_movable_operations pool_ops = {
	.isolate_page = pool_isolate,
	.migrate_page = pool_migrate,
	.putback_page = pool_putback,
};

/*
 * An owner's movable pages are moved through its operations when
 * alloc_contig_range() wants their pageblock: the owner's table follows
 * each page, the pages keep their cookies, and the old pages are freed.
 * -EAGAIN from migrate_page() is retried; once the owner refuses
 * isolation, the range cannot be had (-EBUSY).
 */
static void movable_owner_pages_move(void **state)
{
	struct fx *fx = *state;
	struct pool pool = { 0 };
	unsigned int owner, o;
	uint64_t cookie, block, nr = 1ULL << hn_sim_pageblock_order(fx->sim);

	assert_int_equal(hn_movable_register(fx->sim, &pool_ops, &pool, &owner), 0);
	/* the owner's pages: 8 of a pageblock it got whole, the rest given back */
	assert_int_equal(hn_alloc_contig_pages(fx->sim, nr, GFP_HIGHUSER_MOVABLE, 2, NULL, &block), 0);
	assert_int_equal(pfn_to_nid(fx->sim, block), 2);
	assert_int_equal(hn_free_contig_range(fx->sim, block + 8 * 3, nr - 8 * 3), 0);
	for (int i = 0; i < 8; i++) {
		pool.slot[i] = block + 3 * (uint64_t)i;	/* scattered over the block */
		if (i)
			assert_int_equal(hn_free_contig_range(fx->sim, block + 3 * (uint64_t)i - 2, 2), 0);
		assert_int_equal(hn_set_page_movable(fx->sim, pool.slot[i], owner, (uint64_t)i), 0);
	}
	assert_int_equal(hn_free_contig_range(fx->sim, block + 22, 2), 0);
	assert_int_equal(hn_set_page_movable(fx->sim, pool.slot[0], owner, 0), -EBUSY);
	assert_int_equal(hn_page_movable(fx->sim, pool.slot[3], &o, &cookie), 0);
	assert_int_equal(o, owner);
	assert_int_equal(cookie, 3);
	pool.busy = 2;
	assert_int_equal(hn_alloc_contig_range(fx->sim, block, block + nr, GFP_KERNEL), 0);
	assert_int_equal(pool.migrated, 8);
	assert_int_equal(pool.isolated, 8);
	for (int i = 0; i < 8; i++) {
		assert_true(pool.slot[i] < block || pool.slot[i] >= block + nr);
		assert_int_equal(hn_page_movable(fx->sim, pool.slot[i], &o, &cookie), 0);
		assert_int_equal(cookie, (uint64_t)i);
	}
	assert_int_equal(test_vmstat(fx->sim, "pgmigrate_success"), 8);
	assert_sim_ok(fx->sim);
	assert_int_equal(hn_free_contig_range(fx->sim, block, nr), 0);
	/* an owner that will not let go keeps its pageblock */
	pool.refuse_isolate = true;
	block = pool.slot[0] & ~(nr - 1);
	assert_int_equal(hn_alloc_contig_range(fx->sim, block, block + nr, GFP_KERNEL), -EBUSY);
	assert_int_equal(hn_page_movable(fx->sim, pool.slot[0], &o, &cookie), 0);
	assert_sim_ok(fx->sim);
	for (int i = 0; i < 8; i++)
		assert_int_equal(hn_put_movable_page(fx->sim, pool.slot[i]), 0);
	assert_int_equal(hn_put_movable_page(fx->sim, pool.slot[0]), -EINVAL);
	assert_int_equal(hn_movable_register(fx->sim, NULL, &pool, &owner), -EINVAL);
	assert_int_equal(hn_set_page_movable(fx->sim, pool.slot[0], 99, 0), -EINVAL);
}

/*
 * Tracing sees migrate_pages() begin and end with the kernel's fields.
 */
struct trace_count {
	int start, end;
	char last[512];
};

static void count_events(void *ctx, const struct hn_trace_event *ev)
{
	struct trace_count *tc = ctx;

	if (ev->id == HN_TRACE_MM_MIGRATE_PAGES_START)
		tc->start++;
	if (ev->id == HN_TRACE_MM_MIGRATE_PAGES) {
		tc->end++;
		hn_trace_format(ev, tc->last, sizeof(tc->last));
	}
}

static void migrate_tracepoints(void **state)
{
	struct fx *fx = *state;
	struct trace_count tc = { 0 };
	uint64_t a = map_on(fx, fx->t, 3, 0), pages[3] = { a, a + PG, a + 2 * PG };
	int nodes[3] = { 1, 1, 1 }, status[3];

	assert_int_equal(hn_trace_set_sink(fx->sim, count_events, &tc), 0);
	assert_int_equal(hn_move_pages(fx->t, 3, pages, nodes, status, 0), 0);
	assert_int_equal(hn_trace_set_sink(fx->sim, NULL, NULL), 0);
	assert_int_equal(tc.start, 1);
	assert_int_equal(tc.end, 1);
	assert_non_null(strstr(tc.last, "mm_migrate_pages: nr_succeeded=3 nr_failed=0 nr_thp_succeeded=0 "
				   "nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC "
				   "reason=syscall_or_cpuset"));
	assert_string_equal(hn_migrate_reason_name(HN_MR_LONGTERM_PIN), "longterm_pin");
	assert_null(hn_migrate_reason_name(HN_MR_TYPES));
}

/*
 * A task running on another node's CPU, its pages moved from CPU 0: the
 * TLB flush of the migration interrupts the task's CPU, once per batch,
 * not once per page.  (Moved from its own CPU, the flush would be local.)
 */
static void tlb_shootdown_counted_per_batch(void **state)
{
	struct fx *fx = *state;
	struct hn_task *far;
	struct hn_migration_stats st;
	uint64_t a, pages[4];
	int nodes[4] = { 1, 1, 1, 1 }, status[4];

	assert_int_equal(hn_task_create(fx->sim, 6, &far), 0);	/* node 3's CPU */
	a = map_on(fx, far, 4, 0);
	for (int i = 0; i < 4; i++)
		pages[i] = a + (uint64_t)i * PG;
	/* another process (on CPU 0) moves the pages: the task's CPU must be interrupted */
	assert_int_equal(hn_sim_set_cpu(fx->sim, 0), 0);
	assert_int_equal(hn_move_pages(far, 4, pages, nodes, status, 0), 0);
	assert_int_equal(hn_sim_migration_stats(fx->sim, &st), 0);
	/* MIGRATE_SYNC tries the batch async first: one flush for all four */
	assert_int_equal(st.tlb_flushes, 1);
	assert_int_equal(st.tlb_ipis, 1);
	assert_int_equal(hn_sim_migration_stats(NULL, &st), -EINVAL);
	hn_task_destroy(far);
}

/*
 * The cost model's calibration (migrate.h, docs/migration.md): move_pages()
 * of 512 resident pages between two DDR nodes of the default machine, by
 * a task on node 0, costs what the kernel's does, 0.8-0.9 M pages/s of
 * simulated time, copy included.
 */
static void cost_model_matches_the_kernel_rate(void **state)
{
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;
	struct hn_sim_config cfg = { .seed = 1 };
	struct hn_migration_stats s;
	unsigned long node0 = BIT(0);
	uint64_t a, pages[512], ns;
	int nodes[512], status[512];
	double rate;

	(void)state;
	assert_int_equal(hn_machine_builtin(&m, "default"), 0);
	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	assert_int_equal(hn_task_create(sim, 0, &t), 0);
	assert_int_equal(hn_mmap(t, 0, 512 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(t, a, 512 * PG, MPOL_BIND, &node0, 65, 0), 0);
	for (int i = 0; i < 512; i++) {
		pages[i] = a + (uint64_t)i * PG;
		nodes[i] = 1;
		assert_int_equal(hn_task_touch(t, pages[i], true), 0);
	}
	assert_int_equal(hn_move_pages(t, 512, pages, nodes, status, HN_MPOL_MF_MOVE), 0);
	assert_int_equal(hn_sim_migration_stats(sim, &s), 0);
	assert_int_equal(s.succeeded, 512);
	ns = s.unmap_ns + s.copy_ns + s.remap_ns + s.flush_ns;
	rate = 512.0 / ((double)ns * 1e-9);
	assert_true(rate > 0.8e6 && rate < 0.9e6);
	hn_task_destroy(t);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(move_pages_to_another_node, setup, teardown),
		cmocka_unit_test_setup_teardown(move_pages_status_and_query, setup, teardown),
		cmocka_unit_test_setup_teardown(move_pages_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_pages_keeps_relative_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(mbind_move_interleave, setup, teardown),
		cmocka_unit_test_setup_teardown(cpuset_memory_migrate, setup, teardown),
		cmocka_unit_test_setup_teardown(pinned_pages_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(contents_survive_migration, setup_contents, teardown),
		cmocka_unit_test_setup_teardown(integrity_needs_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(mmu_notifiers_hear_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(movable_owner_pages_move, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_tracepoints, setup, teardown),
		cmocka_unit_test_setup_teardown(tlb_shootdown_counted_per_batch, setup, teardown),
		cmocka_unit_test(cost_model_matches_the_kernel_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
