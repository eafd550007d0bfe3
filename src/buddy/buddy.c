/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * buddy.c - free lists, splitting, merging, migratetype fallback, the
 * HighAtomic reserve and pageblock isolation (mm/page_alloc.c,
 * mm/page_isolation.c of Linux 6.12).
 *
 * Function names follow the kernel's, so the two files read side by side.
 * Pages are pfns; "the page" of a free block is the struct hn_page chosen
 * by hn_buddy_head() (block_map for max order, mem_map otherwise).
 */
#include "buddy/buddy.h"

#include <errno.h>
#include <inttypes.h>

#include "util/util.h"

/*
 * fallbacks[]: the order in which other migratetypes' lists are tried when
 * a type's own lists are empty.  HighAtomic and Isolate have none.
 */
static const int fallbacks[HN_MIGRATE_PCPTYPES][HN_MIGRATE_PCPTYPES - 1] = {
	[HN_MIGRATE_UNMOVABLE] = { HN_MIGRATE_RECLAIMABLE, HN_MIGRATE_MOVABLE },
	[HN_MIGRATE_MOVABLE] = { HN_MIGRATE_RECLAIMABLE, HN_MIGRATE_UNMOVABLE },
	[HN_MIGRATE_RECLAIMABLE] = { HN_MIGRATE_UNMOVABLE, HN_MIGRATE_MOVABLE },
};

enum rmqueue_mode {
	RMQUEUE_NORMAL,
	RMQUEUE_CMA,
	RMQUEUE_CLAIM,
	RMQUEUE_STEAL,
};

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

/* ---- list primitives --------------------------------------------------- */

/*
 * List elements are 32-bit indices: into block_map for max-order lists,
 * into mem_map for the others (see hn_buddy_head()).
 */
static inline struct hn_page *list_map(const struct hn_pglist_data *pgdat, unsigned int order)
{
	return order == pgdat->sim->max_page_order ? pgdat->block_map : pgdat->mem_map;
}

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

static inline void account_freepages(struct hn_zone *zone, int64_t nr_pages, int mt)
{
	if (is_migrate_isolate(mt))
		return;
	zone->vm_stat[NR_FREE_PAGES] += nr_pages;
	if (mt == HN_MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic += (uint64_t)nr_pages;
}

static inline void set_buddy_order(struct hn_page *page, unsigned int order)
{
	page->flags = (page->flags & ~PG_STATE_MASK) | PG_buddy;
	page->private = order;
}

/* Used for pages not on another list. */
static void __add_to_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt,
			       bool tail)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;

	hn_ilist_add(list_map(pgdat, order), &zone->free_area[order].free_list[mt],
		     list_idx(pgdat, pfn, order), tail);
	zone->free_area[order].nr_free++;
}

/* Onto another type's list, at the tail so it is not reused at once. */
static void move_to_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order, int old_mt,
			      int new_mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_page *map = list_map(pgdat, order);
	uint32_t idx = list_idx(pgdat, pfn, order);

	hn_ilist_del(map, &zone->free_area[order].free_list[old_mt], idx);
	hn_ilist_add(map, &zone->free_area[order].free_list[new_mt], idx, true);
	account_freepages(zone, -((int64_t)1 << order), old_mt);
	account_freepages(zone, (int64_t)1 << order, new_mt);
}

static void __del_page_from_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order,
				      int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_page *map = list_map(pgdat, order);
	uint32_t idx = list_idx(pgdat, pfn, order);

	hn_ilist_del(map, &zone->free_area[order].free_list[mt], idx);
	map[idx].flags &= ~PG_buddy;
	map[idx].private = 0;
	zone->free_area[order].nr_free--;
}

static void del_page_from_free_list(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt)
{
	__del_page_from_free_list(zone, pfn, order, mt);
	account_freepages(zone, -((int64_t)1 << order), mt);
}

static uint64_t get_page_from_free_area(const struct hn_zone *zone, unsigned int order, int mt)
{
	uint32_t idx = zone->free_area[order].free_list[mt].head;

	if (idx == HN_NIL)
		return HN_PFN_NONE;
	return list_pfn(zone->zone_pgdat, idx, order);
}

static inline bool free_area_empty(const struct hn_free_area *area, int mt)
{
	return area->free_list[mt].head == HN_NIL;
}

int hn_buddy_order_at(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	const struct hn_sim *sim = pgdat->sim;
	const struct hn_page *page;

	if (pfn < pgdat->node_start_pfn || pfn >= pgdat_end_pfn(pgdat))
		return -1;
	if (!(pfn & ((1ULL << sim->max_page_order) - 1))) {
		page = &pgdat->block_map[block_index(pgdat, pfn)];
		if (page->flags & PG_buddy)
			return (int)page->private;
	}
	page = pfn_to_page(pgdat, pfn);
	return (page->flags & PG_buddy) ? (int)page->private : -1;
}

int hn_find_free_block(const struct hn_zone *zone, uint64_t pfn, uint64_t *head)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;

	for (unsigned int o = 0; o <= pgdat->sim->max_page_order; o++) {
		uint64_t h = pfn & ~((1ULL << o) - 1);
		int bo;

		if (!zone_spans_pfn(zone, h))
			break;
		bo = hn_buddy_order_at(pgdat, h);
		if (bo >= 0 && h + (1ULL << bo) > pfn) {
			if (head)
				*head = h;
			return bo;
		}
	}
	return -1;
}

static void change_pageblock_range(struct hn_zone *zone, uint64_t pfn, unsigned int start_order,
				   int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t nr = 1ULL << (start_order - pgdat->sim->pageblock_order);

	while (nr--) {
		set_pageblock_migratetype(pgdat, pfn, mt);
		pfn += pgdat->sim->pageblock_nr_pages;
	}
}

/* ---- freeing ---------------------------------------------------------- */

void hn_free_one_page_locked(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt,
			     unsigned int fpi)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	unsigned int max_order = sim->max_page_order;
	bool to_tail;

	account_freepages(zone, (int64_t)1 << order, mt);
	while (order < max_order) {
		/*
		 * pfn and its buddy differ in bit @order only; together they
		 * form the aligned block of order + 1 at pfn & ~(1 << order).
		 */
		uint64_t buddy_pfn = pfn ^ (1ULL << order);
		int buddy_mt = mt;

		if (!hn_page_is_buddy(zone, buddy_pfn, order))
			break;
		/*
		 * From the pageblock order up the buddy may sit in a pageblock
		 * of another type.  Normal types merge (the buddy's blocks take
		 * our type); HighAtomic and Isolate never merge with another
		 * type, or their accounting would break.
		 */
		if (order >= sim->pageblock_order) {
			buddy_mt = get_pageblock_migratetype(pgdat, buddy_pfn);
			if (mt != buddy_mt &&
			    (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		__del_page_from_free_list(zone, buddy_pfn, order, buddy_mt);
		if (buddy_mt != mt)
			change_pageblock_range(zone, buddy_pfn, order, mt);
		pfn &= buddy_pfn;
		order++;
	}
	set_buddy_order(hn_buddy_head(pgdat, pfn, order), order);
	if (fpi & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = hn_buddy_merge_likely(zone, pfn, order);
	__add_to_free_list(zone, pfn, order, mt, to_tail);
}

/*
 * Walk the blocks of [start, end), a range of whole MAX_PAGE_ORDER blocks:
 * free blocks (moved from @from to @to when @to is set), allocated ones,
 * reserved or absent pages.  Returns the pages moved, or -EBUSY when a
 * page is allocated, on a per-CPU list, or in an isolated or HighAtomic
 * pageblock (nothing is moved then: the caller runs a dry pass first).
 */
int64_t hn_move_free_range(struct hn_zone *from, struct hn_zone *to, uint64_t start, uint64_t end)
{
	struct hn_pglist_data *pgdat = from->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	int64_t moved = 0;
	uint64_t pfn = start;

	for (uint64_t pb = start; pb < end; pb += sim->pageblock_nr_pages) {
		int mt = get_pageblock_migratetype(pgdat, pb);

		if (is_migrate_isolate(mt) || mt == HN_MIGRATE_HIGHATOMIC)
			return -EBUSY;
	}
	while (pfn < end) {
		int bo = hn_buddy_order_at(pgdat, pfn);
		const struct hn_page *page;
		int mt;

		if (bo < 0) {
			page = pfn_to_page(pgdat, pfn);
			if (page->flags & (PG_allocated | PG_pcp))
				return -EBUSY;
			pfn++;	/* reserved, or a hole */
			continue;
		}
		if (to) {
			mt = get_pageblock_migratetype(pgdat, pfn);
			del_page_from_free_list(from, pfn, (unsigned int)bo, mt);
			set_buddy_order(hn_buddy_head(pgdat, pfn, (unsigned int)bo), (unsigned int)bo);
			__add_to_free_list(to, pfn, (unsigned int)bo, mt, true);
			account_freepages(to, (int64_t)1 << bo, mt);
		}
		moved += (int64_t)1 << bo;
		pfn += 1ULL << bo;
	}
	return moved;
}

/* Free a block that may span several pageblocks, one pageblock at a time. */
static void split_large_buddy(struct hn_zone *zone, uint64_t pfn, unsigned int order,
			      unsigned int fpi)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t end = pfn + (1ULL << order);

	if (order > pgdat->sim->pageblock_order) {
		/*
		 * When every pageblock of the block has one mergeable type, the
		 * pieces would merge straight back into the whole block, at the
		 * same list position: free it whole.  Same end state as the
		 * kernel, without writing a head page per pageblock (which at
		 * boot would fault in most of the host mem_map).
		 */
		int mt = get_pageblock_migratetype(pgdat, pfn);
		bool uniform = migratetype_is_mergeable(mt);

		for (uint64_t p = pfn + pgdat->sim->pageblock_nr_pages; uniform && p < end;
		     p += pgdat->sim->pageblock_nr_pages)
			uniform = get_pageblock_migratetype(pgdat, p) == mt;
		if (uniform) {
			hn_free_one_page_locked(zone, pfn, order, mt, fpi);
			return;
		}
		order = pgdat->sim->pageblock_order;
	}
	do {
		hn_free_one_page_locked(zone, pfn, order, get_pageblock_migratetype(pgdat, pfn), fpi);
		pfn += 1ULL << order;
	} while (pfn != end);
}

void hn_free_one_page(struct hn_zone *zone, uint64_t pfn, unsigned int order, unsigned int fpi)
{
	split_large_buddy(zone, pfn, order, fpi);
	__count_vm_events(zone->zone_pgdat->sim, PGFREE, 1ULL << order);
}

uint64_t hn_free_pages_memory(struct hn_sim *sim, uint64_t start, uint64_t end)
{
	uint64_t freed = 0;

	while (start < end) {
		struct hn_zone *zone = hn_pfn_zone(sim, start);
		uint64_t limit = end;

		if (!zone) {
			start++;
			continue;
		}
		if (hn_zone_run_end(zone, start) < limit)
			limit = hn_zone_run_end(zone, start);
		while (start < limit) {
			unsigned int order = sim->max_page_order;

			if (start && (unsigned int)__builtin_ctzll(start) < order)
				order = (unsigned int)__builtin_ctzll(start);
			while (start + (1ULL << order) > limit)
				order--;
			/* __free_pages_core(): fresh pages go to the tail, bypassing pcp */
			zone->managed_pages += 1ULL << order;
			hn_free_one_page(zone, start, order, FPI_TO_TAIL);
			freed += 1ULL << order;
			start += 1ULL << order;
		}
	}
	return freed;
}

/* ---- allocation: split --------------------------------------------------- */

/*
 * expand(): the block of order @high at @pfn is being cut down to @low.
 * Its upper halves go back to the free lists, largest first, so the pages
 * handed out stay at the low end (the order matters for the physical
 * contiguity of consecutive allocations).  Returns the pages put back.
 */
static uint64_t expand(struct hn_zone *zone, uint64_t pfn, unsigned int low, unsigned int high,
		       int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t size = 1ULL << high, nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		__add_to_free_list(zone, pfn + size, high, mt, false);
		set_buddy_order(hn_buddy_head(pgdat, pfn + size, high), high);
		nr_added += size;
	}
	return nr_added;
}

static void page_del_and_expand(struct hn_zone *zone, uint64_t pfn, unsigned int low,
				unsigned int high, int mt)
{
	int64_t nr_pages = (int64_t)1 << high;

	__del_page_from_free_list(zone, pfn, high, mt);
	nr_pages -= (int64_t)expand(zone, pfn, low, high, mt);
	account_freepages(zone, -nr_pages, mt);
}

static void trace_zone_locked(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt)
{
	struct hn_sim *sim = zone->zone_pgdat->sim;
	struct hn_trace_event ev = {
		.id = HN_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED,
		.nid = zone_to_nid(zone),
		.zone = (int)zone->idx,
		.pfn = pfn,
		.order = order,
		.migratetype = mt,
		.percpu_refill = pcp_allowed_order(sim, order) && mt < HN_MIGRATE_PCPTYPES,
	};

	hn_trace_emit(sim, &ev);
}

static void trace_extfrag(struct hn_zone *zone, uint64_t pfn, unsigned int order,
			  unsigned int fallback_order, int mt, int fallback_mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	struct hn_trace_event ev = {
		.id = HN_TRACE_MM_PAGE_ALLOC_EXTFRAG,
		.nid = pgdat->node_id,
		.zone = (int)zone->idx,
		.pfn = pfn,
		.order = order,
		.migratetype = mt,
		.fallback_order = (int)fallback_order,
		.fallback_migratetype = fallback_mt,
		.pageblock_order = (int)pgdat->sim->pageblock_order,
		.change_ownership = mt == get_pageblock_migratetype(pgdat, pfn),
	};

	hn_trace_emit(pgdat->sim, &ev);
}

uint64_t hn_rmqueue_smallest(struct hn_zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < zone->zone_pgdat->sim->nr_page_orders; o++) {
		uint64_t pfn = get_page_from_free_area(zone, o, mt);

		if (pfn == HN_PFN_NONE)
			continue;
		page_del_and_expand(zone, pfn, order, o, mt);
		if (hn_tracing(zone->zone_pgdat->sim))
			trace_zone_locked(zone, pfn, order, mt);
		return pfn;
	}
	return HN_PFN_NONE;
}

/* ---- migratetype fallback --------------------------------------------- */

/*
 * Change a pageblock's type and move all its free pages to that type's
 * lists.  The caller made sure no free block straddles the pageblock.
 */
static uint64_t __move_freepages_block(struct hn_zone *zone, uint64_t start_pfn, int old_mt,
				       int new_mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t end_pfn = start_pfn + pgdat->sim->pageblock_nr_pages, moved = 0;

	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		int order = hn_buddy_order_at(pgdat, pfn);

		if (order < 0) {
			pfn++;
			continue;
		}
		move_to_free_list(zone, pfn, (unsigned int)order, old_mt, new_mt);
		pfn += 1ULL << order;
		moved += 1ULL << order;
	}
	set_pageblock_migratetype(pgdat, start_pfn, new_mt);
	return moved;
}

/*
 * prep_move_freepages_block(): find the pageblock of @pfn, refuse one that
 * straddles a zone boundary, and optionally count its free pages and the
 * pages that could be moved (allocated with a movable migratetype: the
 * kernel counts LRU and __PageMovable pages, which are what movable
 * allocations become).
 */
static bool prep_move_freepages_block(struct hn_zone *zone, uint64_t pfn, uint64_t *start_pfn,
				      uint64_t *num_free, uint64_t *num_movable)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t nr = pgdat->sim->pageblock_nr_pages;
	uint64_t start = pfn & ~(nr - 1), end = start + nr;

	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (num_free) {
		*num_free = 0;
		*num_movable = 0;
		for (pfn = start; pfn < end;) {
			const struct hn_page *page = pfn_to_page(pgdat, pfn);
			int order = hn_buddy_order_at(pgdat, pfn);

			if (order >= 0) {
				*num_free += 1ULL << order;
				pfn += 1ULL << order;
				continue;
			}
			if ((page->flags & PG_allocated) &&
			    (page->private >> 8) == HN_MIGRATE_MOVABLE) {
				uint64_t n = 1ULL << (page->private & 0xff);

				*num_movable += n;
				pfn += n;
				continue;
			}
			pfn++;
		}
	}
	return true;
}

static int move_freepages_block(struct hn_zone *zone, uint64_t pfn, int old_mt, int new_mt)
{
	uint64_t start;

	if (!prep_move_freepages_block(zone, pfn, &start, NULL, NULL))
		return -1;
	return (int)__move_freepages_block(zone, start, old_mt, new_mt);
}

/*
 * When falling back: steal the whole pageblock if the order is large
 * enough, and always for unmovable and reclaimable requests, whose
 * pollution of movable blocks costs more than the reverse.
 */
static bool can_steal_fallback(const struct hn_sim *sim, unsigned int order, int start_mt)
{
	if (order >= sim->pageblock_order)
		return true;
	return order >= sim->pageblock_order / 2 || start_mt == HN_MIGRATE_RECLAIMABLE ||
	       start_mt == HN_MIGRATE_UNMOVABLE || sim->page_group_by_mobility_disabled;
}

/*
 * Raise the watermarks by a pageblock (up to watermark_boost_factor of the
 * high watermark) after a fallback, so kswapd reclaims a little more and
 * future fallbacks become less likely.
 */
static bool boost_watermark(struct hn_zone *zone)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;
	uint64_t max_boost, high = zone->_watermark[WMARK_HIGH];

	if (!sim->watermark_boost_factor)
		return false;
	if (sim->pageblock_nr_pages * 4 > zone->managed_pages)
		return false;
	/* mult_frac(high, watermark_boost_factor, 10000) */
	max_boost = (high / 10000) * sim->watermark_boost_factor +
		    (high % 10000) * sim->watermark_boost_factor / 10000;
	if (!max_boost)
		return false;
	max_boost = HN_MAX(sim->pageblock_nr_pages, max_boost);
	zone->watermark_boost = HN_MIN(zone->watermark_boost + sim->pageblock_nr_pages, max_boost);
	return true;
}

static uint64_t try_to_steal_block(struct hn_zone *zone, uint64_t pfn, unsigned int current_order,
				   unsigned int order, int start_type, unsigned int alloc_flags)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	uint64_t free_pages, movable_pages, alike_pages, start_pfn;
	int block_type = get_pageblock_migratetype(pgdat, pfn);

	if (block_type == HN_MIGRATE_HIGHATOMIC)
		return HN_PFN_NONE;

	/* Whole pageblocks: take ownership outright. */
	if (current_order >= sim->pageblock_order) {
		uint64_t nr_added;

		del_page_from_free_list(zone, pfn, current_order, block_type);
		change_pageblock_range(zone, pfn, current_order, start_type);
		nr_added = expand(zone, pfn, order, current_order, start_type);
		account_freepages(zone, (int64_t)nr_added, start_type);
		return pfn;
	}

	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		zone->flags |= ZONE_BOOSTED_WATERMARK;

	if (!prep_move_freepages_block(zone, pfn, &start_pfn, &free_pages, &movable_pages))
		return HN_PFN_NONE;

	/*
	 * Pages compatible with the request: for a movable request the
	 * movable ones; for others, when falling back to a movable block,
	 * everything neither free nor movable; between unmovable and
	 * reclaimable we cannot tell, so nothing.
	 */
	if (start_type == HN_MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == HN_MIGRATE_MOVABLE)
		alike_pages = sim->pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;

	/* Claim the block if at least half of it is free or alike. */
	if (free_pages + alike_pages >= (sim->pageblock_nr_pages >> 1) ||
	    sim->page_group_by_mobility_disabled) {
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		return hn_rmqueue_smallest(zone, order, start_type);
	}
	return HN_PFN_NONE;
}

/*
 * find_suitable_fallback(): a fallback type with a free block at @order;
 * with @only_stealable, only one the request could steal from.
 */
int hn_find_suitable_fallback(const struct hn_sim *sim, const struct hn_free_area *area,
			      unsigned int order, int mt, bool only_stealable, bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	*can_steal = false;
	for (int i = 0; i < HN_MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[mt][i];

		if (free_area_empty(area, fallback_mt))
			continue;
		if (can_steal_fallback(sim, order, mt))
			*can_steal = true;
		if (!only_stealable || *can_steal)
			return fallback_mt;
	}
	return -1;
}

/*
 * Claim a whole pageblock of another type, looking from the largest order
 * down: a large free block roughly means a pageblock with many free pages.
 */
static uint64_t __rmqueue_claim(struct hn_zone *zone, unsigned int order, int start_mt,
				unsigned int alloc_flags)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;
	int min_order = (int)order;

	/* With ALLOC_NOFRAGMENT only whole pageblocks may change hands. */
	if (order < sim->pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = (int)sim->pageblock_order;
	for (int current_order = (int)sim->max_page_order; current_order >= min_order;
	     current_order--) {
		bool can_steal;
		int fallback_mt = hn_find_suitable_fallback(sim, &zone->free_area[current_order],
							    (unsigned int)current_order, start_mt,
							    false, &can_steal);
		uint64_t pfn;

		if (fallback_mt == -1)
			continue;
		if (!can_steal)
			break;
		pfn = get_page_from_free_area(zone, (unsigned int)current_order, fallback_mt);
		pfn = try_to_steal_block(zone, pfn, (unsigned int)current_order, order, start_mt,
					 alloc_flags);
		if (pfn != HN_PFN_NONE) {
			if (hn_tracing(sim))
				trace_extfrag(zone, pfn, order, (unsigned int)current_order, start_mt,
					      fallback_mt);
			return pfn;
		}
	}
	return HN_PFN_NONE;
}

/* Steal a single block of another type, leaving its pageblock as it was. */
static uint64_t __rmqueue_steal(struct hn_zone *zone, unsigned int order, int start_mt)
{
	const struct hn_sim *sim = zone->zone_pgdat->sim;

	for (unsigned int o = order; o < sim->nr_page_orders; o++) {
		bool can_steal;
		int fallback_mt = hn_find_suitable_fallback(sim, &zone->free_area[o], o, start_mt,
							    false, &can_steal);
		uint64_t pfn;

		if (fallback_mt == -1)
			continue;
		pfn = get_page_from_free_area(zone, o, fallback_mt);
		page_del_and_expand(zone, pfn, order, o, fallback_mt);
		if (hn_tracing(sim))
			trace_extfrag(zone, pfn, order, o, start_mt, fallback_mt);
		return pfn;
	}
	return HN_PFN_NONE;
}

uint64_t hn_rmqueue(struct hn_zone *zone, unsigned int order, int mt, unsigned int alloc_flags,
		    int *mode)
{
	uint64_t pfn;

	/*
	 * The requested type's lists first, then fallbacks of increasing
	 * fragmentation risk.  *mode remembers where the last call of a bulk
	 * refill found pages, to skip the searches that failed.
	 */
	switch (*mode) {
	case RMQUEUE_NORMAL:
		pfn = hn_rmqueue_smallest(zone, order, mt);
		if (pfn != HN_PFN_NONE)
			return pfn;
		/* fall through */
	case RMQUEUE_CMA:	/* CONFIG_CMA is off in the reference configuration */
	case RMQUEUE_CLAIM:
		pfn = __rmqueue_claim(zone, order, mt, alloc_flags);
		if (pfn != HN_PFN_NONE) {
			*mode = RMQUEUE_NORMAL;
			return pfn;
		}
		/* fall through */
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			pfn = __rmqueue_steal(zone, order, mt);
			if (pfn != HN_PFN_NONE) {
				*mode = RMQUEUE_STEAL;
				return pfn;
			}
		}
		break;
	default:
		break;
	}
	return HN_PFN_NONE;
}

uint64_t hn_rmqueue_buddy(struct hn_zone *zone, unsigned int order, unsigned int alloc_flags,
			  int mt)
{
	uint64_t pfn = HN_PFN_NONE;
	int mode = RMQUEUE_NORMAL;

	if (alloc_flags & ALLOC_HIGHATOMIC)
		pfn = hn_rmqueue_smallest(zone, order, HN_MIGRATE_HIGHATOMIC);
	if (pfn == HN_PFN_NONE) {
		pfn = hn_rmqueue(zone, order, mt, alloc_flags, &mode);
		/*
		 * Failing now is worse than failing a future high-order atomic
		 * request: OOM and non-blocking requests may use the reserve.
		 */
		if (pfn == HN_PFN_NONE && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			pfn = hn_rmqueue_smallest(zone, order, HN_MIGRATE_HIGHATOMIC);
	}
	return pfn;
}

/* ---- the HighAtomic reserve ------------------------------------------ */

/*
 * Reserve the pageblock(s) around a successful high-order atomic
 * allocation for future ones: at least one pageblock, at most about 1% of
 * the zone (nothing if 1% is less than a pageblock).
 */
void hn_reserve_highatomic_pageblock(struct hn_zone *zone, uint64_t pfn, unsigned int order)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	uint64_t max_managed;
	int mt;

	if (zone->managed_pages / 100 < sim->pageblock_nr_pages)
		return;
	max_managed = hn_align_up(zone->managed_pages / 100, sim->pageblock_nr_pages);
	if (zone->nr_reserved_highatomic >= max_managed)
		return;
	mt = get_pageblock_migratetype(pgdat, pfn);
	if (!migratetype_is_mergeable(mt))
		return;
	if (order < sim->pageblock_order) {
		if (move_freepages_block(zone, pfn, mt, HN_MIGRATE_HIGHATOMIC) == -1)
			return;
		zone->nr_reserved_highatomic += sim->pageblock_nr_pages;
	} else {
		change_pageblock_range(zone, pfn & ~((1ULL << order) - 1), order,
				       HN_MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1ULL << order;
	}
}

/*
 * Give reserved pageblocks back when an allocation is about to fail under
 * pressure.  Keeps one pageblock per zone unless @force.  Returns true when
 * some free pages changed type.
 */
bool hn_unreserve_highatomic_pageblock(struct hn_sim *sim, struct hn_zonelist *zl,
				       int highest_zoneidx, const struct hn_nodemask *nodes,
				       int ac_mt, bool force)
{
	for (struct hn_zoneref *z = zl->_zonerefs; z->zone; z++) {
		struct hn_zone *zone = z->zone;

		if (z->zone_idx > highest_zoneidx ||
		    (nodes && !hn_nodemask_test(nodes, zone_to_nid(zone))))
			continue;
		if (!force && zone->nr_reserved_highatomic <= sim->pageblock_nr_pages)
			continue;
		for (unsigned int order = 0; order < sim->nr_page_orders; order++) {
			uint64_t pfn = get_page_from_free_area(zone, order, HN_MIGRATE_HIGHATOMIC);
			int mt, ret;

			if (pfn == HN_PFN_NONE)
				continue;
			mt = get_pageblock_migratetype(zone->zone_pgdat, pfn);
			if (mt == HN_MIGRATE_HIGHATOMIC) {
				uint64_t size = HN_MAX(sim->pageblock_nr_pages, 1ULL << order);

				size = HN_MIN(size, zone->nr_reserved_highatomic);
				zone->nr_reserved_highatomic -= size;
			}
			if (order < sim->pageblock_order) {
				ret = move_freepages_block(zone, pfn, mt, ac_mt);
			} else {
				move_to_free_list(zone, pfn, order, mt, ac_mt);
				change_pageblock_range(zone, pfn, order, ac_mt);
				ret = 1;
			}
			if (ret > 0)
				return true;
		}
	}
	return false;
}

/* ---- pageblock isolation ---------------------------------------------- */

/* A free block of order > pageblock order that straddles @start_pfn. */
uint64_t hn_find_large_buddy(const struct hn_pglist_data *pgdat, uint64_t start_pfn)
{
	uint64_t pfn = start_pfn;
	unsigned int order = 0;
	int bo;

	while ((bo = hn_buddy_order_at(pgdat, pfn)) < 0) {
		if (++order > pgdat->sim->max_page_order)
			return start_pfn;
		pfn &= ~((1ULL << order) - 1);
	}
	if (pfn + (1ULL << bo) > start_pfn)
		return pfn;
	return start_pfn;
}

/*
 * __isolate_free_page(): take the free block of @order at @pfn off its list
 * for compaction or alloc_contig_range(), as long as the zone stays above
 * its min watermark (an isolated pageblock's pages are not counted free
 * and need no check).  A block of at least half a pageblock turns its
 * mergeable pageblocks MOVABLE, since that is what will fill them.  The
 * block becomes an allocated one of @order (the caller's, with nr_allocated
 * counting it) and the number of pages is returned, or 0.
 */
uint64_t hn_isolate_free_page(struct hn_zone *zone, uint64_t pfn, unsigned int order)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	int mt = get_pageblock_migratetype(pgdat, pfn);
	struct hn_page *page;

	if (!is_migrate_isolate(mt) &&
	    !hn_zone_watermark_ok(zone, 0, zone->_watermark[WMARK_MIN] + (1ULL << order), 0,
				  ALLOC_CMA))
		return 0;
	del_page_from_free_list(zone, pfn, order, mt);
	if (order + 1 >= sim->pageblock_order) {
		for (uint64_t p = pfn; p < pfn + (1ULL << order); p += sim->pageblock_nr_pages) {
			int bmt = get_pageblock_migratetype(pgdat, p);

			if (migratetype_is_mergeable(bmt) && bmt != HN_MIGRATE_MOVABLE)
				move_freepages_block(zone, p, bmt, HN_MIGRATE_MOVABLE);
		}
	}
	/* the head's allocated state lives in mem_map, whatever the order */
	page = pfn_to_page(pgdat, pfn);
	page->flags = PG_allocated;
	page->private = order | (uint32_t)HN_MIGRATE_MOVABLE << 8;
	zone->nr_allocated += 1ULL << order;
	return 1ULL << order;
}

/*
 * move_freepages_block_isolate(): like move_freepages_block(), but the
 * block of interest may be part of a larger free block spanning several
 * pageblocks; such a block is taken off its list and freed again one
 * pageblock at a time, after the new type is set, so only this pageblock
 * changes lists.
 */
static bool move_freepages_block_isolate(struct hn_zone *zone, uint64_t pfn, int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	uint64_t start_pfn, head;
	int order;

	if (!prep_move_freepages_block(zone, pfn, &start_pfn, NULL, NULL))
		return false;
	if (sim->pageblock_order != sim->max_page_order) {
		head = hn_find_large_buddy(pgdat, start_pfn);
		if (head != start_pfn) {
			order = hn_buddy_order_at(pgdat, head);
			del_page_from_free_list(zone, head, (unsigned int)order,
						get_pageblock_migratetype(pgdat, head));
			set_pageblock_migratetype(pgdat, start_pfn, mt);
			split_large_buddy(zone, head, (unsigned int)order, FPI_NONE);
			return true;
		}
		order = hn_buddy_order_at(pgdat, start_pfn);
		if (order > (int)sim->pageblock_order) {
			del_page_from_free_list(zone, start_pfn, (unsigned int)order,
						get_pageblock_migratetype(pgdat, start_pfn));
			set_pageblock_migratetype(pgdat, start_pfn, mt);
			split_large_buddy(zone, start_pfn, (unsigned int)order, FPI_NONE);
			return true;
		}
	}
	__move_freepages_block(zone, start_pfn, get_pageblock_migratetype(pgdat, start_pfn), mt);
	return true;
}

/*
 * set_migratetype_isolate(): the pageblock must hold only free pages and
 * movable allocations (has_unmovable_pages()); -EBUSY otherwise or when it
 * is already isolated.
 */
int hn_set_migratetype_isolate(struct hn_zone *zone, uint64_t pb_pfn)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t start, free_pages, movable;
	int mt = get_pageblock_migratetype(pgdat, pb_pfn);

	if (is_migrate_isolate(mt))
		return -EBUSY;
	if (!prep_move_freepages_block(zone, pb_pfn, &start, &free_pages, &movable))
		return -EBUSY;
	/* free pages inside a larger straddling buddy are free too */
	if (free_pages + movable < pgdat->sim->pageblock_nr_pages &&
	    hn_find_large_buddy(pgdat, start) == start) {
		/* count pages in holes and reserved pages as unmovable */
		return -EBUSY;
	}
	if (!move_freepages_block_isolate(zone, pb_pfn, HN_MIGRATE_ISOLATE))
		return -EBUSY;
	zone->nr_isolate_pageblock++;
	return 0;
}

/*
 * unset_migratetype_isolate(): give the pageblock back to @mt.  A free block
 * of at least pageblock order whose buddy is no longer isolated could not
 * merge while isolated; take it off its list and free it again so that it
 * merges now, as the kernel does.
 */
void hn_unset_migratetype_isolate(struct hn_zone *zone, uint64_t pb_pfn, int mt)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	const struct hn_sim *sim = pgdat->sim;
	int order;

	if (!is_migrate_isolate(get_pageblock_migratetype(pgdat, pb_pfn)))
		return;
	order = hn_buddy_order_at(pgdat, pb_pfn);
	if (order >= (int)sim->pageblock_order && order < (int)sim->max_page_order) {
		uint64_t buddy = pb_pfn ^ (1ULL << order);

		if (hn_page_is_buddy(zone, buddy, (unsigned int)order) &&
		    !is_migrate_isolate(get_pageblock_migratetype(pgdat, buddy))) {
			/* __isolate_free_page() + __putback_isolated_page() */
			del_page_from_free_list(zone, pb_pfn, (unsigned int)order, HN_MIGRATE_ISOLATE);
			change_pageblock_range(zone, pb_pfn, (unsigned int)order, mt);
			hn_free_one_page_locked(zone, pb_pfn, (unsigned int)order, mt, FPI_TO_TAIL);
			zone->nr_isolate_pageblock--;
			return;
		}
	}
	move_freepages_block_isolate(zone, pb_pfn, mt);
	zone->nr_isolate_pageblock--;
}

/* ---- checks ----------------------------------------------------------- */

int hn_check_free_area(struct hn_sim *sim, struct hn_zone *zone, uint64_t *free_on_lists)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;
	uint64_t free_pages = 0, counted = 0, highatomic = 0;
	int bad = 0;

	for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
		struct hn_page *map = list_map(pgdat, o);
		uint64_t count = 0;

		for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++) {
			const struct hn_free_list *fl = &zone->free_area[o].free_list[mt];
			uint32_t prev = HN_NIL, idx = fl->head;

			while (idx != HN_NIL) {
				uint64_t pfn = list_pfn(pgdat, idx, o);
				const struct hn_page *page = &map[idx];
				uint64_t buddy = pfn ^ (1ULL << o);

				if (page->prev != prev) {
					hn_report(sim, "free list corrupted", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "prev link %u, expected %u", page->prev, prev);
					return -EUCLEAN;
				}
				if ((page->flags & PG_STATE_MASK) != PG_buddy || page->private != o) {
					hn_report(sim, "free page without buddy order", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "flags %#x private %u", page->flags, page->private);
					bad = 1;
				}
				if (pfn & ((1ULL << o) - 1) || pfn < zone->zone_start_pfn ||
				    pfn + (1ULL << o) > zone_end_pfn(zone) ||
				    (zone->attrs && hn_attr_zone_lookup(zone, pfn))) {
					hn_report(sim, "free block misplaced", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "block not aligned, outside the zone or on an attribute node");
					bad = 1;
				}
				/*
				 * Below the pageblock order a block and its buddy share a
				 * pageblock and a type, and freeing always merges them.  From
				 * the pageblock order up, moving pageblocks between types
				 * (isolation, the HighAtomic reserve) does not merge, in the
				 * kernel as here, so free buddies may legitimately coexist.
				 */
				if (o < sim->pageblock_order && hn_page_is_buddy(zone, buddy, o)) {
					hn_report(sim, "unmerged free buddies", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "buddy %#" PRIx64 " is free at the same order", buddy);
					bad = 1;
				}
				if (o < sim->pageblock_order &&
				    get_pageblock_migratetype(pgdat, pfn) != mt) {
					hn_report(sim, "free page on the wrong list", "__add_to_free_list",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "on the %s list in a %s pageblock",
						  hn_migratetype_name((enum hn_migratetype)mt),
						  hn_migratetype_name((enum hn_migratetype)
							get_pageblock_migratetype(pgdat, pfn)));
					bad = 1;
				}
				if (++count > zone->spanned_pages) {
					hn_report(sim, "free list corrupted", "__free_one_page",
						  pgdat->node_id, (int)zone->idx, pfn, o,
						  "list longer than the zone: a cycle");
					return -EUCLEAN;
				}
				if (!is_migrate_isolate(mt))
					counted += 1ULL << o;
				if (mt == HN_MIGRATE_HIGHATOMIC)
					highatomic += 1ULL << o;
				free_pages += 1ULL << o;
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
			hn_report(sim, "nr_free mismatch", "__free_one_page", pgdat->node_id,
				  (int)zone->idx, UINT64_MAX, o, "nr_free %" PRIu64 ", lists hold %" PRIu64,
				  zone->free_area[o].nr_free, count);
			bad = 1;
		}
	}
	if ((int64_t)counted != zone->vm_stat[NR_FREE_PAGES]) {
		hn_report(sim, "NR_FREE_PAGES mismatch", "account_freepages", pgdat->node_id,
			  (int)zone->idx, UINT64_MAX, 0,
			  "counter %" PRId64 ", free lists hold %" PRIu64, zone->vm_stat[NR_FREE_PAGES],
			  counted);
		bad = 1;
	}
	if (highatomic != zone->nr_free_highatomic) {
		hn_report(sim, "nr_free_highatomic mismatch", "account_freepages", pgdat->node_id,
			  (int)zone->idx, UINT64_MAX, 0,
			  "counter %" PRIu64 ", HighAtomic lists hold %" PRIu64,
			  zone->nr_free_highatomic, highatomic);
		bad = 1;
	}
	if (free_on_lists)
		*free_on_lists = free_pages;
	return bad ? -EUCLEAN : 0;
}
