/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_alloc_props.c - the properties drm_buddy's KUnit suite checks
 * (limit, optimistic, pessimistic, pathological, exceeds max order), asked
 * of hn_alloc_pages()/hn_free_pages(), and the error contract of
 * hn_free_pages().
 *
 * The machine is small so each scenario runs in a blink: the generic
 * architecture (one ZONE_NORMAL), one node of 256 MiB at physical 0, a
 * 4 MiB kernel image and no simulated memmap reservation.  Boot leaves
 *
 *   0     4M                                              ~252M      256M
 *   | img |  62 free blocks of order 10 (4 MiB each)  ...   |frags|NODE_DATA|
 *
 * managed = 64469 pages, buddyinfo "1 0 1 0 1 0 1 1 1 1 62", every
 * pageblock MOVABLE.  Unlike drm_buddy the zone has watermarks: scenarios
 * that must reach every page either lower min_free_kbytes to 1 (pages_min
 * = 0) and allocate movable pages (no fallback, so no watermark boost), or
 * use __GFP_MEMALLOC (ALLOC_NO_WATERMARKS), and say which.
 *
 * After every scenario: everything freed, per-CPU lists drained, and the
 * zone is back to its boot buddyinfo, byte for byte.
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#include <hnuma/alloc.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#define NOWARN __GFP_NOWARN
#define MOVABLE_FILL (GFP_HIGHUSER_MOVABLE | NOWARN)

struct blk {
	uint64_t pfn;
	unsigned int order;
};

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct test_log tl;
	struct test_reports tr;
	char *boot_buddyinfo;
	struct hn_zone_info boot;	/* ZONE_NORMAL of node 0 at boot */
	unsigned int max_order;
	struct blk *b;
	size_t nr, cap;
};

/* ---- fixture ----------------------------------------------------------- */

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	hn_sim_destroy(f->sim);
	hn_machine_free(f->m);
	free(f->boot_buddyinfo);
	free(f->b);
	free(f);
	return 0;
}

static struct hn_zone_info zone(const struct fx *f)
{
	struct hn_zone_info zi;

	assert_int_equal(hn_sim_zone_info(f->sim, 0, HN_ZONE_NORMAL, &zi), 0);
	return zi;
}

static void boot_with(struct fx *f, struct hn_machine *m, uint64_t min_free_kbytes)
{
	struct hn_sim_config cfg = {
		.seed = 1,
		.flags = HN_SIM_NO_MEMMAP_RESERVE,
		.kernel_image_size = 4 * MiB,
		.min_free_kbytes = min_free_kbytes,
	};
	int ret;

	cfg.log = TEST_LOG_SINK(&f->tl);
	cfg.report = test_report_fn;
	cfg.report_ctx = &f->tr;
	f->m = m;
	ret = hn_sim_create(&f->sim, m, &cfg);
	if (ret)
		print_error("hn_sim_create: %s; last message: %s\n", hn_strerror(ret), f->tl.last);
	assert_int_equal(ret, 0);
	assert_sim_ok(f->sim);
	f->max_order = hn_sim_max_page_order(f->sim);
	f->boot_buddyinfo = test_view(f->sim, hn_sim_show_buddyinfo);
	f->boot = zone(f);
	assert_int_equal(f->boot.free_pages, f->boot.managed_pages);
}

/* One generic node of @size at 0, CPUs 0-1.  min_free_kbytes 0 = default. */
static void boot_generic(struct fx *f, uint64_t size, uint64_t min_free_kbytes)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, 0, size);
	struct hn_initiator_desc c = test_cpus(0, "0-1");

	assert_int_equal(hn_machine_new(&m, "props"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	boot_with(f, m, min_free_kbytes);
}

static void push(struct fx *f, uint64_t pfn, unsigned int order)
{
	if (f->nr == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 1024;
		f->b = realloc(f->b, f->cap * sizeof(*f->b));
		assert_non_null(f->b);
	}
	f->b[f->nr++] = (struct blk){ pfn, order };
}

/* Allocate until -ENOSPC; every block goes on the list.  Returns how many. */
static size_t fill(struct fx *f, hn_gfp_t gfp, unsigned int order)
{
	size_t n = 0;
	uint64_t pfn;
	int ret;

	while ((ret = hn_alloc_pages(f->sim, gfp, order, 0, NULL, &pfn)) == 0) {
		assert_int_equal(pfn & ((1ULL << order) - 1), 0);
		push(f, pfn, order);
		n++;
	}
	assert_int_equal(ret, -ENOSPC);
	return n;
}

/*
 * Allocate until -ENOSPC comes right after a drain.  The watermark check
 * reads NR_FREE_PAGES, which does not count pages parked on per-CPU lists,
 * and the kernel drains those lists in the slow path only after direct
 * reclaim made progress (__alloc_pages_direct_reclaim()); with nothing to
 * reclaim, the last pcp refill would stay out of reach (the kernel would
 * call the OOM killer here).  So the caller drains, and goes on.
 */
static size_t fill_all(struct fx *f, hn_gfp_t gfp, unsigned int order)
{
	size_t n = 0, got;

	do {
		got = fill(f, gfp, order);
		n += got;
		assert_int_equal(hn_drain_all_pages(f->sim), 0);
	} while (got);
	return n;
}

static void free_blk(struct fx *f, size_t i)
{
	assert_int_equal(hn_free_pages(f->sim, f->b[i].pfn, f->b[i].order), 0);
	f->b[i] = f->b[--f->nr];
}

static void free_all(struct fx *f)
{
	while (f->nr)
		free_blk(f, f->nr - 1);
}

static uint64_t drained_free(struct fx *f)
{
	assert_int_equal(hn_drain_all_pages(f->sim), 0);
	return zone(f).free_pages;
}

/* Nothing held, nothing parked on pcp lists: the zone is as boot left it. */
static void assert_back_to_boot(struct fx *f)
{
	struct hn_zone_info zi;
	char *now;

	assert_int_equal(f->nr, 0);
	assert_int_equal(hn_drain_all_pages(f->sim), 0);
	zi = zone(f);
	assert_int_equal(zi.free_pages, zi.managed_pages);
	for (unsigned int o = 0; o <= f->max_order; o++)
		assert_int_equal(zi.nr_free[o], f->boot.nr_free[o]);
	now = test_view(f->sim, hn_sim_show_buddyinfo);
	assert_string_equal(now, f->boot_buddyinfo);
	free(now);
	assert_int_equal(f->tr.count, 0);
	assert_sim_ok(f->sim);
}

/* ---- drm_buddy's properties -------------------------------------------- */

/*
 * Limit: MAX_PAGE_ORDER blocks until -ENOSPC.
 *
 *   free pages  64469 ---- 1024 k ---->|  min (4096) + 1023 |  fragments
 *   blocks      [10][10][10] ... [10][10] [10][10][10][10]    (62 free at boot)
 *               ^ taken                   ^ held back by the watermark
 *
 * min_free_kbytes = 16384 makes pages_min = 4096.  GFP_KERNEL fails the low
 * watermark on the fast path and retries at min in the slow path
 * (ALLOC_WMARK_MIN); __zone_watermark_ok() lets block k + 1 go while
 *   (managed - 1024 k) - (2^10 - 1) > min + boost + lowmem_reserve.
 * Order 10 is above pageblock order, so taking a MOVABLE block for an
 * UNMOVABLE request claims it whole and boosts no watermark.
 * Expect exactly the number that formula gives (the watermark, not the 62
 * free blocks, is the limit), -ENOSPC next, and the boot buddyinfo after
 * freeing them.
 */
static void alloc_limit_max_order_until_enospc(void **state)
{
	struct fx *f = *state;
	size_t n, expect = 0;
	int64_t reserve;
	unsigned int mo;

	boot_generic(f, 256 * MiB, 16384);
	mo = f->max_order;
	reserve = (int64_t)f->boot.watermark_min + (int64_t)f->boot.watermark_boost +
		  f->boot.lowmem_reserve[HN_ZONE_NORMAL];
	while (expect < f->boot.nr_free[mo] &&
	       (int64_t)(f->boot.managed_pages - (expect << mo)) - ((1 << mo) - 1) > reserve)
		expect++;
	assert_true(expect > 0 && expect < f->boot.nr_free[mo]);

	n = fill(f, GFP_KERNEL | NOWARN, mo);
	assert_int_equal(n, expect);
	assert_int_equal(zone(f).free_pages, f->boot.managed_pages - (n << mo));
	assert_int_equal(zone(f).watermark_boost, 0);
	assert_int_equal(zone(f).nr_free[mo], f->boot.nr_free[mo] - n);
	assert_sim_ok(f->sim);

	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Optimistic: fill the zone with order-0 pages, one reserve tier at a time.
 *
 *   NR_FREE_PAGES  managed ............ min ....... min*3/8 ......... 0
 *   GFP_HIGHUSER_MOVABLE   ------------>|                               ALLOC_WMARK_MIN
 *   GFP_ATOMIC                          ----------->|                   min - min/2 - (min/2)/4
 *   GFP_ATOMIC|__GFP_MEMALLOC                       ----------------->| ALLOC_NO_WATERMARKS
 *
 * The watermark is checked against NR_FREE_PAGES, which does not count
 * pages parked on per-CPU lists; so when a tier stops, NR_FREE_PAGES is at
 * or below its mark, and after draining the pcp lists the zone still has
 * at least the mark free (the last success passed the check).  Default
 * watermarks: min 507, so GFP_ATOMIC's mark is 507 - 253 - 63 = 191 (the
 * boost its unmovable steals cause is ignored for order-0 __GFP_HIGH at the
 * min mark, zone_watermark_fast()).
 * Expect each tier to stop at its mark, the last (with the pcp lists
 * drained between tries, see fill_all()) to take every managed page,
 * -ENOSPC next; free one page, and one allocation succeeds again.
 */
static void alloc_optimistic_fill_zone_tier_by_tier(void **state)
{
	struct fx *f = *state;
	struct hn_zone_info zi;
	uint64_t min, atomic_min, pfn;
	size_t n;

	boot_generic(f, 256 * MiB, 0);
	min = f->boot.watermark_min;
	atomic_min = min - min / 2;
	atomic_min -= atomic_min / 4;

	n = fill(f, MOVABLE_FILL, 0);
	zi = zone(f);
	assert_int_equal(zi.watermark_boost, 0);
	assert_true(zi.free_pages <= min);
	assert_true(drained_free(f) >= min);
	assert_int_equal(f->boot.managed_pages - drained_free(f), n);

	n = fill(f, GFP_ATOMIC | NOWARN, 0);
	assert_true(n > 0);
	assert_true(zone(f).free_pages <= atomic_min);
	assert_true(drained_free(f) >= atomic_min);
	assert_int_equal(f->boot.managed_pages - drained_free(f), f->nr);

	n = fill_all(f, GFP_ATOMIC | __GFP_MEMALLOC | NOWARN, 0);
	assert_true(n > 0);
	assert_int_equal(f->nr, f->boot.managed_pages);
	assert_int_equal(drained_free(f), 0);
	assert_int_equal(hn_alloc_pages(f->sim, GFP_ATOMIC | __GFP_MEMALLOC | NOWARN, 0, 0, NULL, &pfn),
			 -ENOSPC);

	/*
	 * The freed page goes to the pcp list of its pageblock's migratetype,
	 * which an unmovable request may not look at, and GFP_ATOMIC never
	 * drains (no direct reclaim): drain it to the buddy first.
	 */
	free_blk(f, f->nr / 2);
	assert_int_equal(drained_free(f), 1);
	assert_int_equal(hn_alloc_pages(f->sim, GFP_ATOMIC | __GFP_MEMALLOC | NOWARN, 0, 0, NULL, &pfn), 0);
	push(f, pfn, 0);
	assert_int_equal(hn_alloc_pages(f->sim, GFP_ATOMIC | __GFP_MEMALLOC | NOWARN, 0, 0, NULL, &pfn),
			 -ENOSPC);
	assert_sim_ok(f->sim);

	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Pessimistic: at each order o < MAX_PAGE_ORDER, take every block of order
 * o, give back every other one, and nothing can merge.
 *
 *   order o blocks   [A][B][A][B][A][B][A][B] ...   A: bit o of pfn clear
 *   after the frees  [ ][B][ ][B][ ][B][ ][B] ...   each free A's buddy is a held B
 *
 * pages_min = 0 (min_free_kbytes = 1), movable allocations and fill_all(),
 * so every block of order >= o can be had.  Expect: after the fill no free block of
 * order >= o; after freeing the A blocks exactly that many free blocks of
 * order o and none larger; an order o + 1 request fails with -ENOSPC
 * although half the zone is free; freeing the B blocks merges everything
 * back into the boot buddyinfo.
 */
static void alloc_pessimistic_every_other_block(void **state)
{
	struct fx *f = *state;

	/*
	 * 64 MiB: the half-freed zone has one free block per two, and the
	 * debug_vm build walks every free list after every call, so this
	 * scenario is quadratic in the zone size there.
	 */
	boot_generic(f, 64 * MiB, 1);
	assert_int_equal(f->boot.watermark_min, 0);
	for (unsigned int o = 0; o < f->max_order; o++) {
		struct hn_zone_info zi;
		size_t freed = 0, held;
		uint64_t pfn;

		held = fill_all(f, MOVABLE_FILL, o);
		assert_true(held > 0);
		assert_int_equal(hn_drain_all_pages(f->sim), 0);
		zi = zone(f);
		for (unsigned int j = o; j <= f->max_order; j++)
			assert_int_equal(zi.nr_free[j], 0);

		for (size_t i = 0; i < f->nr;) {
			if (!((f->b[i].pfn >> o) & 1)) {
				free_blk(f, i);
				freed++;
			} else {
				i++;
			}
		}
		assert_int_equal(hn_drain_all_pages(f->sim), 0);
		zi = zone(f);
		assert_int_equal(zi.nr_free[o], freed);
		for (unsigned int j = o + 1; j <= f->max_order; j++)
			assert_int_equal(zi.nr_free[j], 0);
		assert_true(zi.free_pages >= (uint64_t)freed << o);
		assert_int_equal(hn_alloc_pages(f->sim, MOVABLE_FILL, o + 1, 0, NULL, &pfn), -ENOSPC);
		assert_sim_ok(f->sim);

		free_all(f);
		assert_back_to_boot(f);
	}
}

/*
 * Pathological: one pinned page in the middle of every max-order block.
 *
 *   block of 1024   [ 512 free as order 9 ][P][ 256 ][ 128 ] ... [1]
 *                                           ^ pinned, offset 512
 *
 * Fill the zone with order-0 movable pages (pages_min = 0), then free all
 * but the page at offset 512 of each 1024-aligned block.  Expect 99.9% of
 * the zone free and not one free block of MAX_PAGE_ORDER: an order-10
 * request fails with -ENOSPC while free pages would cover it 60 times
 * over; order 9 (the lower halves) still succeeds.  Freeing the pinned
 * pages recovers the boot buddyinfo.
 */
static void alloc_pathological_one_pinned_page_per_block(void **state)
{
	struct fx *f = *state;
	unsigned int mo;
	uint64_t pinned = 0, pfn, pin_offset;
	struct hn_zone_info zi;

	boot_generic(f, 256 * MiB, 1);
	mo = f->max_order;
	pin_offset = 1ULL << (mo - 1);
	fill_all(f, MOVABLE_FILL, 0);
	assert_int_equal(f->nr, f->boot.managed_pages);
	for (size_t i = 0; i < f->nr;) {
		if ((f->b[i].pfn & ((1ULL << mo) - 1)) == pin_offset) {
			pinned++;
			i++;
		} else {
			free_blk(f, i);
		}
	}
	assert_int_equal(hn_drain_all_pages(f->sim), 0);
	zi = zone(f);
	assert_int_equal(zi.free_pages, f->boot.managed_pages - pinned);
	assert_int_equal(zi.nr_free[mo], 0);
	assert_true(zi.free_pages > 60 * (1ULL << mo));
	assert_int_equal(hn_alloc_pages(f->sim, MOVABLE_FILL, mo, 0, NULL, &pfn), -ENOSPC);
	assert_int_equal(hn_alloc_pages(f->sim, MOVABLE_FILL, mo - 1, 0, NULL, &pfn), 0);
	assert_int_equal(pfn & ((1ULL << mo) - 1), 0); /* a lower half */
	push(f, pfn, mo - 1);
	assert_sim_ok(f->sim);

	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Exceeds max order: MAX_PAGE_ORDER + 1 (and absurd orders) are bad
 * arguments, not exhaustion.  Expect -EINVAL with a reason in the log, for
 * allocation and for free, and the buddyinfo untouched.
 */
static void alloc_exceeds_max_order_is_einval(void **state)
{
	struct fx *f = *state;
	static const unsigned int bad[] = { 1, 2, 22, 1000 }; /* added to MAX_PAGE_ORDER */
	uint64_t pfn = 12345;
	char *now;

	boot_generic(f, 256 * MiB, 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int logged = f->tl.count;

		assert_int_equal(hn_alloc_pages(f->sim, GFP_KERNEL, f->max_order + bad[i], 0, NULL, &pfn),
				 -EINVAL);
		assert_true(f->tl.count > logged);
		assert_int_equal(hn_free_pages(f->sim, 0, f->max_order + bad[i]), -EINVAL);
	}
	now = test_view(f->sim, hn_sim_show_buddyinfo);
	assert_string_equal(now, f->boot_buddyinfo);
	free(now);
	f->tr.count = 0; /* a bad free order may be reported; that is fine */
	assert_back_to_boot(f);
}

/* ---- hn_free_pages(): the error contract -------------------------------- */

/*
 * Each bad free returns -EINVAL, fires the report hook once with a reason
 * containing @reason, and leaves the allocator exactly as it was: the
 * buddyinfo text, NR_FREE_PAGES and the free counts per order (pcp lists
 * included: nothing is drained) are compared before and after.
 */
static void expect_bad_free(struct fx *f, uint64_t pfn, unsigned int order, const char *reason)
{
	char *before = test_view(f->sim, hn_sim_show_buddyinfo), *after;
	struct hn_zone_info zb = zone(f), za;
	int reports = f->tr.count;

	f->tr.last_reason[0] = 0;
	assert_int_equal(hn_free_pages(f->sim, pfn, order), -EINVAL);
	assert_int_equal(f->tr.count, reports + 1);
	if (reason && !strstr(f->tr.last_reason, reason))
		fail_msg("free of %#" PRIx64 " order %u: reason '%s', expected '%s'", pfn, order,
			 f->tr.last_reason, reason);
	after = test_view(f->sim, hn_sim_show_buddyinfo);
	assert_string_equal(before, after);
	za = zone(f);
	assert_int_equal(za.free_pages, zb.free_pages);
	assert_memory_equal(za.nr_free, zb.nr_free, sizeof(za.nr_free));
	free(before);
	free(after);
	f->tr.count = reports; /* accounted for */
	assert_sim_ok(f->sim);
}

static uint64_t alloc1(struct fx *f, hn_gfp_t gfp, unsigned int order)
{
	uint64_t pfn = HN_PFN_NONE;

	assert_int_equal(hn_alloc_pages(f->sim, gfp | NOWARN, order, 0, NULL, &pfn), 0);
	push(f, pfn, order);
	return pfn;
}

/*
 * Double free of an order-0 page that sits on a per-CPU list.
 *   alloc P; free P -> P on cpu 0's pcp list; free P again
 * Expect "double free"; the page stays on the list once (the next
 * allocation gets it, and only once).
 */
static void free_double_free_on_pcp_list(void **state)
{
	struct fx *f = *state;
	uint64_t p, q;

	boot_generic(f, 256 * MiB, 0);
	p = alloc1(f, GFP_KERNEL, 0);
	free_blk(f, 0);
	expect_bad_free(f, p, 0, "double free");
	q = alloc1(f, GFP_KERNEL, 0);
	assert_int_equal(q, p); /* LIFO pcp list: the page just freed comes back */
	q = alloc1(f, GFP_KERNEL, 0);
	assert_int_not_equal(q, p);
	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Double free of a block on the buddy free lists.  Order 5 bypasses the
 * pcp lists; A and B are buddies, B stays allocated so A cannot merge:
 *   [A free, order 5][B held, order 5]   free A again
 * Expect "double free" and A still one free order-5 block.
 */
static void free_double_free_in_buddy(void **state)
{
	struct fx *f = *state;
	uint64_t a, b;

	boot_generic(f, 256 * MiB, 0);
	a = alloc1(f, GFP_KERNEL, 5);
	b = alloc1(f, GFP_KERNEL, 5);
	assert_int_equal(a ^ b, 1u << 5); /* split from one order-6 block */
	assert_int_equal(hn_free_pages(f->sim, a, 5), 0);
	f->b[0] = f->b[--f->nr];
	expect_bad_free(f, a, 5, "double free");
	/* a page inside a free block is just as free */
	expect_bad_free(f, a + 3, 0, "double free");
	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Pages nobody allocated:
 *   pfn 0            inside the kernel image: reserved, never in the buddy
 *   head + 1         a tail page of a held order-2 block: not a block head
 * Expect "not allocated" for both.
 */
static void free_never_allocated_pages(void **state)
{
	struct fx *f = *state;
	uint64_t p;

	boot_generic(f, 256 * MiB, 0);
	expect_bad_free(f, 0, 0, "not allocated");
	expect_bad_free(f, 16, 0, "not allocated");
	p = alloc1(f, GFP_KERNEL, 2);
	expect_bad_free(f, p + 1, 0, "not allocated");
	expect_bad_free(f, p + 2, 1, "not allocated");
	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Wrong order: a block of order 2 freed as order 0 or 1 (aligned for both).
 * Expect "wrong order"; the block is still held and frees at order 2.
 */
static void free_wrong_order(void **state)
{
	struct fx *f = *state;
	uint64_t p;

	boot_generic(f, 256 * MiB, 0);
	p = alloc1(f, GFP_KERNEL, 2);
	expect_bad_free(f, p, 0, "wrong order");
	expect_bad_free(f, p, 1, "wrong order");
	p = alloc1(f, GFP_KERNEL, 9); /* pageblock order: the pcp THP list */
	expect_bad_free(f, p, 3, "wrong order");
	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Unaligned: pfn P+1 of a held order-2 block at P, freed as order 1;
 * pfn P+2 (aligned to 2) as order 2.  Expect "pfn not aligned to order".
 */
static void free_unaligned_pfn(void **state)
{
	struct fx *f = *state;
	uint64_t p;

	boot_generic(f, 256 * MiB, 0);
	p = alloc1(f, GFP_KERNEL, 2);
	expect_bad_free(f, p + 1, 1, "not aligned");
	expect_bad_free(f, p + 2, 2, "not aligned");
	free_all(f);
	assert_back_to_boot(f);
}

/*
 * Outside every zone: past the end of memory, far past it, the last pfn
 * with an order that runs off the end, HN_PFN_NONE.
 *   | ... zone Normal ... |end   end+1 ...   2^40   UINT64_MAX
 * Expect "outside any zone" every time.
 */
static void free_outside_any_zone(void **state)
{
	struct fx *f = *state;
	uint64_t end;

	boot_generic(f, 256 * MiB, 0);
	end = f->boot.zone_start_pfn + f->boot.spanned_pages;
	expect_bad_free(f, end, 0, "outside any zone");
	expect_bad_free(f, end + 1, 0, "outside any zone");
	expect_bad_free(f, 1ULL << 40, 0, "outside any zone");
	expect_bad_free(f, end - 4, 3, "outside any zone");
	expect_bad_free(f, HN_PFN_NONE, 0, NULL);
	assert_back_to_boot(f);
}

/*
 * The x86 PCI hole: one node of 4 GiB, of which [3G, 4G) is remapped above
 * 4 GiB, so pfns 0xc0000..0xfffff are inside DMA32's span but not memory.
 *   | DMA | DMA32 ......... | hole 3G-4G | Normal 4G-5G |
 * Expect -EINVAL with a report ("page outside any zone" or "page not
 * allocated": a hole inside a zone's span is both), nothing changed.
 */
static void free_in_x86_pci_hole(void **state)
{
	struct fx *f = *state;
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, HN_ADDR_AUTO, 4 * GiB);
	struct hn_initiator_desc c = test_cpus(0, "0-1");
	struct hn_zone_info dma32;

	assert_int_equal(hn_machine_new(&m, "hole"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	boot_with(f, m, 0);
	assert_int_equal(hn_sim_zone_info(f->sim, 0, HN_ZONE_DMA32, &dma32), 0);
	assert_true(dma32.zone_start_pfn + dma32.spanned_pages <= 0xc0000 ||
		    dma32.present_pages < dma32.spanned_pages);
	expect_bad_free(f, 0xc0000, 0, NULL);
	expect_bad_free(f, 0xfffff, 0, NULL);
	expect_bad_free(f, 0xc0000, 10, NULL);
	assert_true(strstr(f->tr.last_reason, "outside any zone") ||
		    strstr(f->tr.last_reason, "not allocated"));
	assert_back_to_boot(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(alloc_limit_max_order_until_enospc),
		T(alloc_optimistic_fill_zone_tier_by_tier),
		T(alloc_pessimistic_every_other_block),
		T(alloc_pathological_one_pinned_page_per_block),
		T(alloc_exceeds_max_order_is_einval),
		T(free_double_free_on_pcp_list),
		T(free_double_free_in_buddy),
		T(free_never_allocated_pages),
		T(free_wrong_order),
		T(free_unaligned_pfn),
		T(free_outside_any_zone),
		T(free_in_x86_pci_hole),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
