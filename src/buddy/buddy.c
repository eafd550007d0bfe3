/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * buddy.c - free lists and the freeing half of the buddy allocator.
 *
 * The allocation half (expand, __rmqueue_smallest, fallbacks) builds on the
 * list primitives here.
 */
#include "buddy/buddy.h"
#include "util/util.h"

#include <errno.h>
#include <inttypes.h>

void hn_zone_init_free_lists(struct hn_zone *zone, unsigned int nr_orders)
{
	for (unsigned int o = 0; o < nr_orders; o++) {
		for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++) {
			zone->free_area[o].free_list[mt].head = HN_NIL;
			zone->free_area[o].free_list[mt].tail = HN_NIL;
		}
		zone->free_area[o].nr_free = 0;
	}
}

/*
 * Free-list elements are 32-bit indices: into block_map for max-order lists,
 * into mem_map for the others (see hn_buddy_head()).
 */
static inline uint32_t list_idx(const struct hn_pglist_data *pgdat, uint64_t pfn,
				unsigned int order)
{
	if (order == pgdat->sim->max_page_order)
		return (uint32_t)block_index(pgdat, pfn);
	return (uint32_t)(pfn - pgdat->node_start_pfn);
}

static inline uint64_t list_pfn(const struct hn_pglist_data *pgdat, uint32_t idx,
				unsigned int order)
{
	unsigned int mo = pgdat->sim->max_page_order;

	if (order == mo)
		return ((pgdat->node_start_pfn >> mo) + idx) << mo;
	return pgdat->node_start_pfn + idx;
}

static inline struct hn_page *list_node(const struct hn_pglist_data *pgdat, uint32_t idx,
					unsigned int order)
{
	if (order == pgdat->sim->max_page_order)
		return &pgdat->block_map[idx];
	return &pgdat->mem_map[idx];
}

static void add_to_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order,
			     int mt, bool tail)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_free_list *fl = &zone->free_area[order].free_list[mt];
	struct hn_page *page = hn_buddy_head(pgdat, pfn, order);
	uint32_t idx = list_idx(pgdat, pfn, order);

	if (tail) {
		page->next = HN_NIL;
		page->prev = fl->tail;
		if (fl->tail != HN_NIL)
			list_node(pgdat, fl->tail, order)->next = idx;
		else
			fl->head = idx;
		fl->tail = idx;
	} else {
		page->prev = HN_NIL;
		page->next = fl->head;
		if (fl->head != HN_NIL)
			list_node(pgdat, fl->head, order)->prev = idx;
		else
			fl->tail = idx;
		fl->head = idx;
	}
	zone->free_area[order].nr_free++;
}

static void del_page_from_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order,
				    int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_free_list *fl = &zone->free_area[order].free_list[mt];
	struct hn_page *page = hn_buddy_head(pgdat, pfn, order);

	if (page->prev != HN_NIL)
		list_node(pgdat, page->prev, order)->next = page->next;
	else
		fl->head = page->next;
	if (page->next != HN_NIL)
		list_node(pgdat, page->next, order)->prev = page->prev;
	else
		fl->tail = page->prev;
	page->next = page->prev = 0;
	page->flags &= ~PG_buddy;
	page->private = 0;
	zone->free_area[order].nr_free--;
}

static inline void set_buddy_order(struct hn_page *page, unsigned int order)
{
	page->flags |= PG_buddy;
	page->private = order;
}

/*
 * The buddy at @buddy_pfn can be merged with ours when it is the head of a
 * free block of exactly @order in the same zone.  A block in a pageblock
 * being isolated must not merge across into one that is not.
 */
static inline bool page_is_buddy(const struct hn_zone *zone, uint64_t buddy_pfn,
				 unsigned int order)
{
	const struct hn_page *buddy;

	if (!zone_spans_pfn(zone, buddy_pfn))
		return false;
	buddy = pfn_to_page(zone->zone_pgdat, buddy_pfn);
	return (buddy->flags & PG_buddy) && buddy->private == order;
}

void hn_free_one_page(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	uint64_t buddy_pfn, combined_pfn;
	unsigned int max_order = sim->max_page_order;
	bool to_tail = false;

	zone->vm_stat[NR_FREE_PAGES] += (int64_t)1 << order;
	while (order < max_order) {
		int buddy_mt = mt;

		/*
		 * pfn and its buddy differ in bit @order only: the pair forms
		 * the aligned block of order + 1 starting at pfn & ~(1 << order).
		 */
		buddy_pfn = pfn ^ (1ULL << order);
		if (!page_is_buddy(zone, buddy_pfn, order))
			break;
		/*
		 * Across a pageblock boundary the buddy may sit on another
		 * migratetype's list; isolated pageblocks never merge with
		 * others (their pages must stay where isolation put them).
		 */
		if (order >= sim->pageblock_order) {
			buddy_mt = get_pageblock_migratetype(pgdat, buddy_pfn);
			if ((mt == HN_MIGRATE_ISOLATE) != (buddy_mt == HN_MIGRATE_ISOLATE))
				break;
		}
		del_page_from_free_list(zone, buddy_pfn, order, buddy_mt);
		combined_pfn = buddy_pfn & pfn;
		pfn = combined_pfn;
		order++;
	}
	/*
	 * The kernel puts a block at the tail when its parent's buddy is free
	 * (buddy_merge_likely): it will probably merge soon, so allocations
	 * should not take it first.
	 */
	if (order + 1 < max_order) {
		uint64_t higher = (pfn & ~((2ULL << order) - 1)) ^ (2ULL << order);

		to_tail = page_is_buddy(zone, higher, order + 1);
	}
	set_buddy_order(hn_buddy_head(pgdat, pfn, order), order);
	add_to_free_list(zone, pfn, order, mt, to_tail);
}

static struct hn_zone *zone_of_range(struct hn_sim *sim, uint64_t pfn)
{
	return hn_pfn_zone(sim, pfn);
}

uint64_t hn_free_pages_memory(struct hn_sim *sim, uint64_t start, uint64_t end)
{
	uint64_t freed = 0;

	while (start < end) {
		struct hn_zone *zone = zone_of_range(sim, start);
		uint64_t limit = end;
		unsigned int order;

		if (!zone) {
			start++;
			continue;
		}
		if (zone_end_pfn(zone) < limit)
			limit = zone_end_pfn(zone);
		while (start < limit) {
			order = sim->max_page_order;
			if (start && (unsigned int)__builtin_ctzll(start) < order)
				order = (unsigned int)__builtin_ctzll(start);
			while (start + (1ULL << order) > limit)
				order--;
			zone->managed_pages += 1ULL << order;
			hn_free_one_page(zone, start, order,
					 get_pageblock_migratetype(zone->zone_pgdat, start));
			freed += 1ULL << order;
			start += 1ULL << order;
		}
	}
	return freed;
}

int hn_check_free_area(struct hn_sim *sim, struct hn_zone *zone)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t free_pages = 0;
	int bad = 0;

	for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
		uint64_t count = 0;

		for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++) {
			const struct hn_free_list *fl = &zone->free_area[o].free_list[mt];
			uint32_t prev = HN_NIL, idx = fl->head;

			while (idx != HN_NIL) {
				uint64_t pfn = list_pfn(pgdat, idx, o);
				const struct hn_page *page = list_node(pgdat, idx, o);
				uint64_t buddy = pfn ^ (1ULL << o);

				if (page->prev != prev) {
					hn_report(sim, "free list corrupted", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "prev link %u, expected %u", page->prev, prev);
					return -EUCLEAN;
				}
				if (!(page->flags & PG_buddy) || page->private != o) {
					hn_report(sim, "free page without buddy order", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "flags %#x private %u", page->flags, page->private);
					bad = 1;
				}
				if (pfn & ((1ULL << o) - 1) || pfn < zone->zone_start_pfn ||
				    pfn + (1ULL << o) > zone_end_pfn(zone)) {
					hn_report(sim, "free block misplaced", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "block not aligned or outside the zone");
					bad = 1;
				}
				if (o < sim->max_page_order && page_is_buddy(zone, buddy, o) &&
				    (o < sim->pageblock_order ||
				     (mt == HN_MIGRATE_ISOLATE) ==
				     (get_pageblock_migratetype(pgdat, buddy) == HN_MIGRATE_ISOLATE))) {
					hn_report(sim, "unmerged free buddies", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "buddy %#" PRIx64 " is free at the same order", buddy);
					bad = 1;
				}
				if (++count > zone->spanned_pages) {
					hn_report(sim, "free list corrupted", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "list longer than the zone: a cycle");
					return -EUCLEAN;
				}
				prev = idx;
				idx = page->next;
			}
			if (fl->tail != prev) {
				hn_report(sim, "free list corrupted", "__free_one_page",
					  pgdat->node_id, (int)zone->idx, UINT64_MAX, o,
					  "tail %u, last element %u", fl->tail, prev);
				return -EUCLEAN;
			}
		}
		if (count != zone->free_area[o].nr_free) {
			hn_report(sim, "nr_free mismatch", "__free_one_page",
				  pgdat->node_id, (int)zone->idx, UINT64_MAX, o,
				  "nr_free %" PRIu64 ", lists hold %" PRIu64,
				  zone->free_area[o].nr_free, count);
			bad = 1;
		}
		free_pages += count << o;
	}
	if ((int64_t)free_pages != zone->vm_stat[NR_FREE_PAGES]) {
		hn_report(sim, "NR_FREE_PAGES mismatch", "__mod_zone_freepage_state",
			  pgdat->node_id, (int)zone->idx, UINT64_MAX, 0,
			  "counter %" PRId64 ", free lists hold %" PRIu64,
			  zone->vm_stat[NR_FREE_PAGES], free_pages);
		bad = 1;
	}
	return bad ? -EUCLEAN : 0;
}
