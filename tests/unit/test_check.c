/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_check.c - every detector of hn_sim_check() fires.
 *
 * A healthy instance is corrupted behind the library's back, one invariant
 * at a time, through the internal structures (this test links the static
 * library and includes src/core/mmzone.h).  Expect hn_sim_check() to return
 * -EUCLEAN and the report hook to name the broken invariant.
 */
#include "hn_test.h"

#include <errno.h>

#include "core/mmzone.h"

#define GiB (1ULL << 30)

struct fixture {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct test_reports tr;
	struct hn_zone *zone;
};

/* The one-node generic machine of test_boot.c: free blocks are known. */
static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct hn_memdev_desc d = test_dram(0, 0, GiB);
	struct hn_sim_config cfg = { 0 };

	if (!fx)
		return -1;
	cfg.report = test_report_fn;
	cfg.report_ctx = &fx->tr;
	if (hn_machine_new(&fx->m, "one") || hn_machine_set_arch(fx->m, HN_ARCH_GENERIC) ||
	    hn_machine_add_memdev(fx->m, &d) || hn_sim_create(&fx->sim, fx->m, &cfg))
		return -1;
	fx->zone = &fx->sim->node_data[0]->node_zones[HN_ZONE_NORMAL];
	*state = fx;
	return hn_sim_check(fx->sim) || fx->tr.count ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static void expect_report(struct fixture *fx, const char *reason)
{
	assert_int_equal(hn_sim_check(fx->sim), -EUCLEAN);
	assert_true(fx->tr.count > 0);
	assert_string_equal(fx->tr.last_reason, reason);
}

static void detects_nr_free_mismatch(void **state)
{
	struct fixture *fx = *state;

	fx->zone->free_area[4].nr_free++;
	expect_report(fx, "nr_free mismatch");
	fx->zone->free_area[4].nr_free--;
}

static void detects_free_counter_mismatch(void **state)
{
	struct fixture *fx = *state;

	fx->zone->vm_stat[NR_FREE_PAGES] -= 3;
	expect_report(fx, "NR_FREE_PAGES mismatch");
	fx->zone->vm_stat[NR_FREE_PAGES] += 3;
}

/* A list whose second element points back to the first: a broken prev link. */
static void detects_list_corruption(void **state)
{
	struct fixture *fx = *state;
	struct hn_pglist_data *pgdat = fx->sim->node_data[0];
	struct hn_free_list *fl = &fx->zone->free_area[10].free_list[HN_MIGRATE_MOVABLE];
	struct hn_page *first = &pgdat->block_map[fl->head];
	struct hn_page *second = &pgdat->block_map[first->next];
	uint32_t saved = second->prev;

	second->prev = first->next;
	expect_report(fx, "free list corrupted");
	second->prev = saved;
}

static void detects_head_without_buddy_flag(void **state)
{
	struct fixture *fx = *state;
	struct hn_pglist_data *pgdat = fx->sim->node_data[0];
	struct hn_free_list *fl = &fx->zone->free_area[10].free_list[HN_MIGRATE_MOVABLE];
	struct hn_page *head = &pgdat->block_map[fl->head];

	head->flags &= ~PG_buddy;
	expect_report(fx, "free page without buddy order");
	head->flags |= PG_buddy;
}

/*
 * The order-0 free page at pfn 262100 (0x3ffd4) sits next to NODE_DATA at
 * 262101.  Pretend 262101 is free too, at order 0: two free buddies of the
 * same order that were never merged.
 */
static void detects_unmerged_buddies(void **state)
{
	struct fixture *fx = *state;
	struct hn_pglist_data *pgdat = fx->sim->node_data[0];
	struct hn_free_list *fl = &fx->zone->free_area[0].free_list[HN_MIGRATE_MOVABLE];
	struct hn_page *page = &pgdat->mem_map[262101];
	uint32_t old_head = fl->head;

	assert_int_equal(pgdat->node_start_pfn + old_head, 262100);
	page->flags |= PG_buddy;
	page->private = 0;
	page->prev = HN_NIL;
	page->next = old_head;
	pgdat->mem_map[old_head].prev = 262101;
	fl->head = 262101;
	fx->zone->free_area[0].nr_free++;
	fx->zone->vm_stat[NR_FREE_PAGES]++;
	fx->zone->managed_pages++;
	fx->sim->totalram_pages++;
	expect_report(fx, "unmerged free buddies");
}

static void detects_watermarks_out_of_order(void **state)
{
	struct fixture *fx = *state;
	uint64_t saved = fx->zone->_watermark[WMARK_LOW];

	fx->zone->_watermark[WMARK_LOW] = fx->zone->_watermark[WMARK_HIGH] + 1;
	expect_report(fx, "watermarks out of order");
	fx->zone->_watermark[WMARK_LOW] = saved;
}

static void detects_present_above_spanned(void **state)
{
	struct fixture *fx = *state;

	fx->zone->present_pages = fx->zone->spanned_pages + 1;
	expect_report(fx, "node present mismatch");	/* last of the two reports */
	fx->zone->present_pages = fx->zone->spanned_pages;
}

static void detects_totalram_mismatch(void **state)
{
	struct fixture *fx = *state;

	fx->sim->totalram_pages += 5;
	expect_report(fx, "totalram mismatch");
	fx->sim->totalram_pages -= 5;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(detects_nr_free_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_free_counter_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_list_corruption, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_head_without_buddy_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_unmerged_buddies, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_watermarks_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_present_above_spanned, setup, teardown),
		cmocka_unit_test_setup_teardown(detects_totalram_mismatch, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
