/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * buddy.h - the binary buddy allocator (mm/page_alloc.c) and the per-CPU
 * page lists in front of it.
 *
 * Map: each zone has free_area[0..max_page_order]; free_area[o] holds one
 * list per migratetype of free blocks of 2^o pages.  A free block is its
 * head page: PG_buddy set and private == o, in mem_map, or in block_map for
 * o == max_page_order (see mmzone.h).  The buddy of the block at pfn p of
 * order o is at p ^ (1 << o): the two halves of the order o+1 block that
 * holds them differ only in bit o of the pfn.
 *
 * Each pageblock has a migratetype; a free block lives on the list of its
 * pageblock's type.  Allocation takes from the requested type's lists first
 * (__rmqueue_smallest), then claims a whole pageblock of another type or
 * steals a single block, in the order of fallbacks[] (__rmqueue_claim,
 * __rmqueue_steal).  HighAtomic pageblocks are a reserve for high-order
 * atomic requests; Isolate pageblocks are out of allocation and never merge
 * with other types.
 *
 * Accounting (the kernel's account_freepages()): NR_FREE_PAGES counts the
 * pages on buddy lists except Isolate ones; nr_free_highatomic those on
 * HighAtomic lists.  Pages on per-CPU lists are counted as allocated by
 * NR_FREE_PAGES, as in the kernel, and by pcp->count.
 *
 * Invariants (hn_check_free_area(), hn_check_pcp()):
 *   managed == pages on buddy lists + pages on pcp lists + nr_allocated
 *   NR_FREE_PAGES == pages on buddy lists of every type but Isolate
 *   pcp->count == sum of the pages on its lists; each pcp page has PG_pcp
 *   a free block's pageblock type equals its list's type (order < pageblock
 *   order), and blocks never straddle an Isolate/non-Isolate boundary
 *
 * Locking is the caller's (the kernel's zone->lock and pcp->lock).
 */
#ifndef HN_BUDDY_BUDDY_H
#define HN_BUDDY_BUDDY_H

#include "core/mmzone.h"

/* Flags of the free path (fpi_t). */
#define FPI_NONE 0u
#define FPI_TO_TAIL (1u << 1)

/* Allocation flags (mm/internal.h ALLOC_*), the kernel's values. */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM 0x08
#define ALLOC_NON_BLOCK 0x10
#define ALLOC_MIN_RESERVE 0x20
#define ALLOC_CPUSET 0x40
#define ALLOC_CMA 0x80
#define ALLOC_NOFRAGMENT 0x100
#define ALLOC_HIGHATOMIC 0x200
#define ALLOC_KSWAPD 0x800
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

static inline bool is_migrate_isolate(int mt)
{
	return mt == HN_MIGRATE_ISOLATE;
}

static inline bool migratetype_is_mergeable(int mt)
{
	return mt < HN_MIGRATE_PCPTYPES;
}

/* Index lists over an array of struct hn_page (mem_map or block_map). */
static inline void hn_ilist_add(struct hn_page *map, struct hn_free_list *l, uint32_t idx,
				bool tail)
{
	struct hn_page *p = &map[idx];

	if (tail) {
		p->next = HN_NIL;
		p->prev = l->tail;
		if (l->tail != HN_NIL)
			map[l->tail].next = idx;
		else
			l->head = idx;
		l->tail = idx;
	} else {
		p->prev = HN_NIL;
		p->next = l->head;
		if (l->head != HN_NIL)
			map[l->head].prev = idx;
		else
			l->tail = idx;
		l->head = idx;
	}
}

static inline void hn_ilist_del(struct hn_page *map, struct hn_free_list *l, uint32_t idx)
{
	struct hn_page *p = &map[idx];

	if (p->prev != HN_NIL)
		map[p->prev].next = p->next;
	else
		l->head = p->next;
	if (p->next != HN_NIL)
		map[p->next].prev = p->prev;
	else
		l->tail = p->prev;
	p->next = p->prev = 0;
}

/* hn_ilist_del() of the head, which has no predecessor to relink. */
static inline void hn_ilist_del_head(struct hn_page *map, struct hn_free_list *l)
{
	struct hn_page *p = &map[l->head];

	l->head = p->next;
	if (p->next != HN_NIL)
		map[p->next].prev = HN_NIL;
	else
		l->tail = HN_NIL;
	p->next = p->prev = 0;
}

static inline bool hn_ilist_empty(const struct hn_free_list *l)
{
	return l->head == HN_NIL;
}

/*
 * The buddy at @buddy_pfn can be merged with ours when it heads a free
 * block of exactly @order in the same zone.  Orders below the maximum only:
 * a max-order block is never anyone's buddy.
 */
static inline bool hn_page_is_buddy(const struct hn_zone *zone, uint64_t buddy_pfn, unsigned int order)
{
	const struct hn_page *buddy;

	if (!zone_spans_pfn(zone, buddy_pfn))
		return false;
	buddy = pfn_to_page(zone->zone_pgdat, buddy_pfn);
	return (buddy->flags & PG_buddy) && buddy->private == order;
}

/*
 * If this is less than the second largest order, check whether the buddy
 * of the next higher order is free: if so the pages being freed will
 * probably coalesce soon, so the block goes to the tail of its list and is
 * less likely to be handed out before that happens.
 */
static inline bool hn_buddy_merge_likely(const struct hn_zone *zone, uint64_t pfn, unsigned int order)
{
	uint64_t higher;

	if (order + 1 >= zone->zone_pgdat->sim->max_page_order)
		return false;
	higher = pfn & ~((2ULL << order) - 1);
	return hn_page_is_buddy(zone, higher ^ (2ULL << order), order + 1);
}

/* Put every free_list of @zone in the empty state. */
void hn_zone_init_free_lists(struct hn_zone *zone, unsigned int nr_orders);

/* The order of the free buddy block whose head is @pfn, or -1. */
int hn_buddy_order_at(const struct hn_pglist_data *pgdat, uint64_t pfn);

/*
 * find_large_buddy(): the head of a free block that starts before
 * @start_pfn and covers it, else @start_pfn itself.
 */
uint64_t hn_find_large_buddy(const struct hn_pglist_data *pgdat, uint64_t start_pfn);

/* The free buddy block containing @pfn: its head via @head, its order, or -1. */
int hn_find_free_block(const struct hn_zone *zone, uint64_t pfn, uint64_t *head);

/* __rmqueue_smallest(): a block of @order from @mt's lists, or HN_PFN_NONE. */
uint64_t hn_rmqueue_smallest(struct hn_zone *zone, unsigned int order, int mt);

/*
 * __rmqueue() with its fallback modes; @mode carries the mode across the
 * calls of one rmqueue_bulk() (start with 0, RMQUEUE_NORMAL).
 */
uint64_t hn_rmqueue(struct hn_zone *zone, unsigned int order, int mt, unsigned int alloc_flags,
		    int *mode);

/*
 * rmqueue_buddy(): one block straight from the buddy lists, with the
 * HighAtomic reserve rules; HN_PFN_NONE when the zone has nothing suitable.
 */
uint64_t hn_rmqueue_buddy(struct hn_zone *zone, unsigned int order, unsigned int alloc_flags,
			  int mt);

/* __free_one_page(): merge and put on the free list. */
void hn_free_one_page_locked(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt,
			     unsigned int fpi);

/* free_one_page(): split_large_buddy() into pageblocks, then free each; counts PGFREE. */
void hn_free_one_page(struct hn_zone *zone, uint64_t pfn, unsigned int order, unsigned int fpi);

/*
 * memblock_free_pages()/__free_pages_core() for boot: hand [start_pfn,
 * end_pfn) to the buddy in the largest naturally aligned chunks, split at
 * zone boundaries, each chunk to the tail of its list.  Adds the pages to
 * the zones' managed counts and returns how many were freed.
 */
uint64_t hn_free_pages_memory(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn);

/*
 * Hotplug of attribute ranges: the free blocks of [start, end) (whole
 * MAX_PAGE_ORDER blocks) from @from's lists to @to's, or with @to NULL a
 * dry run.  Pages moved, or -EBUSY (see buddy.c) with nothing moved.
 */
int64_t hn_move_free_range(struct hn_zone *from, struct hn_zone *to, uint64_t start, uint64_t end);

/*
 * find_suitable_fallback(): a fallback migratetype with a free block at
 * @order in @area, or -1; *@can_steal whether the request may claim from
 * it; with @only_stealable, only such a type is returned.
 */
int hn_find_suitable_fallback(const struct hn_sim *sim, const struct hn_free_area *area,
			      unsigned int order, int mt, bool only_stealable, bool *can_steal);

/*
 * __isolate_free_page(): the free block of @order at @pfn taken off its
 * list (refused, 0, when that would take the zone below min + the block),
 * now an allocated block of @order counted in nr_allocated; the pages.
 */
uint64_t hn_isolate_free_page(struct hn_zone *zone, uint64_t pfn, unsigned int order);

/* reserve_highatomic_pageblock() / unreserve_highatomic_pageblock(). */
void hn_reserve_highatomic_pageblock(struct hn_zone *zone, uint64_t pfn, unsigned int order);
bool hn_unreserve_highatomic_pageblock(struct hn_sim *sim, struct hn_zonelist *zl,
				       int highest_zoneidx, const struct hn_nodemask *nodes,
				       int mt, bool force);

/* Pageblock isolation (mm/page_isolation.c), used by hn_isolate_range(). */
int hn_set_migratetype_isolate(struct hn_zone *zone, uint64_t pageblock_pfn);
void hn_unset_migratetype_isolate(struct hn_zone *zone, uint64_t pageblock_pfn, int mt);

/* ---- watermark tests (mm/page_alloc.c) ---------------------------------- */

static inline int64_t zone_watermark_unusable_free(const struct hn_zone *z, unsigned int order,
						   unsigned int alloc_flags)
{
	int64_t unusable = ((int64_t)1 << order) - 1;

	/* Without rights to the reserves, the HighAtomic reserve is off limits. */
	if (!(alloc_flags & ALLOC_RESERVES))
		unusable += (int64_t)z->nr_free_highatomic;
	return unusable;
}

/*
 * __zone_watermark_ok(): enough order-0 pages above @mark plus the
 * lowmem_reserve toward @highest_zoneidx, and for order > 0 at least one
 * free block big enough on a list the request may use.
 */
static inline bool __zone_watermark_ok(const struct hn_zone *z, unsigned int order, uint64_t mark,
				       int highest_zoneidx, unsigned int alloc_flags,
				       int64_t free_pages)
{
	const struct hn_sim *sim = z->zone_pgdat->sim;
	int64_t min = (int64_t)mark;

	free_pages -= zone_watermark_unusable_free(z, order, alloc_flags);
	if (alloc_flags & ALLOC_RESERVES) {
		/* __GFP_HIGH may use half of min; non-blocking a quarter more */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		/* OOM victims dig deeper still: they will free memory soon */
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < sim->nr_page_orders; o++) {
		const struct hn_free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < HN_MIGRATE_PCPTYPES; mt++)
			if (area->free_list[mt].head != HN_NIL)
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    area->free_list[HN_MIGRATE_HIGHATOMIC].head != HN_NIL)
			return true;
	}
	return false;
}

/* zone_watermark_ok(): the same test against the zone's free-page counter. */
static inline bool hn_zone_watermark_ok(const struct hn_zone *z, unsigned int order, uint64_t mark,
					int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   z->vm_stat[NR_FREE_PAGES]);
}

/* ---- per-CPU page lists (pcp.c) --------------------------------------- */

/* order <= PAGE_ALLOC_COSTLY_ORDER, or the pageblock (THP) order. */
static inline bool pcp_allowed_order(const struct hn_sim *sim, unsigned int order)
{
	return order <= HN_PAGE_ALLOC_COSTLY_ORDER ||
	       (order == sim->pageblock_order && sim->pageblock_order > HN_PAGE_ALLOC_COSTLY_ORDER);
}

/* Allocate and initialise the zone's per-CPU lists (boot pageset values). */
int hn_pcp_init_zone(struct hn_sim *sim, struct hn_zone *zone);
void hn_pcp_free_zone(struct hn_zone *zone);
/* zone_pcp_update(): batch and high limits from managed pages and watermarks. */
void hn_zone_pcp_update(struct hn_sim *sim, struct hn_zone *zone);

/* rmqueue_pcplist(): a block from the current CPU's list, refilling it. */
uint64_t hn_rmqueue_pcplist(struct hn_sim *sim, struct hn_zone *zone, unsigned int order,
			    int mt, unsigned int alloc_flags);
/* free_unref_page() after the checks: onto the current CPU's list. */
void hn_free_unref_page(struct hn_sim *sim, struct hn_zone *zone, uint64_t pfn,
			unsigned int order);
/* drain_pages_zone()/drain_pages(): every pcp page of @cpu back to the buddy. */
void hn_drain_pages_zone(struct hn_sim *sim, unsigned int cpu, struct hn_zone *zone);
void hn_drain_all_zone_pages(struct hn_sim *sim, struct hn_zone *zone);

/* Checks gathered by hn_sim_check(). */
int hn_check_free_area(struct hn_sim *sim, struct hn_zone *zone, uint64_t *free_on_lists);
int hn_check_pcp(struct hn_sim *sim, struct hn_zone *zone, uint64_t *pcp_pages);
/* One zone: sizes, watermarks, its lists and its accounting (check.c); 0 or 1. */
int hn_check_zone(struct hn_sim *sim, struct hn_zone *zone);
/* Every zone of every node, attribute nodes and pageblocks included (check.c). */
int hn_check_zones(struct hn_sim *sim);

#endif /* HN_BUDDY_BUDDY_H */
