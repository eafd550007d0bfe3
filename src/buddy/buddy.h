/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * buddy.h - the binary buddy allocator's free lists (mm/page_alloc.c).
 *
 * Map: each zone has free_area[0..max_page_order]; free_area[o] holds one
 * list per migratetype of free blocks of 2^o pages.  A free block is
 * represented by its head page: PG_buddy set and private == o.  The buddy of
 * the block at pfn p of order o is at p ^ (1 << o) (the two halves of the
 * order o+1 block that contains them differ only in bit o of the pfn).
 *
 * Locking is the caller's (the kernel's zone->lock).
 */
#ifndef HN_BUDDY_BUDDY_H
#define HN_BUDDY_BUDDY_H

#include "core/mmzone.h"

/* Put every free_list of @zone in the empty state. */
void hn_zone_init_free_lists(struct hn_zone *zone, unsigned int nr_orders);

/*
 * __free_one_page: return the block of 2^order pages at @pfn to @zone,
 * merging with free buddies as far as MAX_PAGE_ORDER allows.  The block
 * must lie within the zone and be aligned to its order.
 */
void hn_free_one_page(struct hn_zone *zone, uint64_t pfn, unsigned int order, int mt);

/*
 * memblock_free_pages/__free_pages_memory for boot: hand [start_pfn,
 * end_pfn) to the buddy in the largest naturally aligned chunks, split at
 * zone boundaries.  Returns the number of pages freed; pages outside any
 * zone are not freed.
 */
uint64_t hn_free_pages_memory(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn);

/* The free_area checks of hn_sim_check(). */
int hn_check_free_area(struct hn_sim *sim, struct hn_zone *zone);

#endif /* HN_BUDDY_BUDDY_H */
