/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * page.h - the state of an allocated page beyond the buddy's: references,
 * mappings, pins, the page lock, isolation, movable owners, and lists of
 * pages on their way through migration (include/linux/page_ref.h, mm.h's
 * folio helpers, page-flags.h, migrate.h's movable_operations).
 *
 * Map:
 *   struct hn_page      flags (state + PG_locked, PG_lru, PG_isolated,
 *                       PG_movable, PG_anon, PG_dirty), private (order,
 *                       migratetype); mmzone.h
 *   struct hn_page_ext  refcount, mapcount, pincount, rmap owner and index,
 *                       attribute word, contents; one per page in
 *                       pgdat->page_ext (mmzone.h)
 *   struct hn_folio_list  a list of page frame numbers: what the kernel
 *                       threads through folio->lru for migration
 *   struct hn_movable_owner  a registered owner of non-LRU movable pages
 *                       and its movable_operations (movable.c)
 *
 * Counting follows the kernel's rules.  A page the allocator hands out has
 * one reference, implicit while page_ext is zero; once the page has an
 * owner (PG_anon, PG_movable) ext->refcount is folio_ref_count() itself.
 * A new anonymous page's reference becomes its mapping's; each further
 * mapping, an isolation and a pin take one more; unmapping a page drops its
 * mapping's, and the last reference dropped frees the page
 * (hn_folio_put(), src/zonelist).  So an isolated page that only its
 * mappings hold has refcount == mapcount + 1, and once migration has
 * unmapped it, refcount == 1: folio_expected_refs(), the test made before
 * the page is moved.
 *
 * Locking is the caller's (one thread per instance); PG_locked models the
 * page lock's holder for the code that must find it taken.
 */
#ifndef HN_CORE_PAGE_H
#define HN_CORE_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mmzone.h"

/* The pglist_data that holds @pfn, or NULL for a hole. */
static inline struct hn_pglist_data *pfn_pgdat(const struct hn_sim *sim, uint64_t pfn)
{
	int nid = pfn_to_nid(sim, pfn);

	return nid < 0 ? NULL : NODE_DATA(sim, nid);
}

static inline struct hn_page_ext *page_ext_of(const struct hn_pglist_data *pgdat, uint64_t pfn)
{
	return &pgdat->page_ext[pfn - pgdat->node_start_pfn];
}

/*
 * The page at @pfn if it is the head of an allocated block: what the
 * migration code works on (a "folio").  NULL for a hole, a free or
 * reserved page, or a tail page.
 */
static inline struct hn_page *hn_folio(const struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn < sim->max_pfn ? pfn_pgdat(sim, pfn) : NULL;
	struct hn_page *page;

	if (!pgdat || pfn >= pgdat_end_pfn(pgdat))
		return NULL;
	page = pfn_to_page(pgdat, pfn);
	return (page->flags & PG_allocated) ? page : NULL;
}

static inline unsigned int folio_order(const struct hn_page *page)
{
	return page->private & 0xff;
}

static inline bool folio_test(const struct hn_page *page, enum hn_pageflags f)
{
	return (page->flags & f) != 0;
}

/* folio_ref_count() of a page with an owner (PG_anon or PG_movable). */
static inline unsigned int folio_ref_count(const struct hn_page_ext *ext)
{
	return ext->refcount;
}

/* folio_trylock() / folio_unlock(). */
static inline bool folio_trylock(struct hn_page *page)
{
	if (page->flags & PG_locked)
		return false;
	page->flags |= PG_locked;
	return true;
}

static inline void folio_unlock(struct hn_page *page)
{
	page->flags &= ~(uint32_t)PG_locked;
}

/*
 * folio_maybe_dma_pinned(): a pinned page's extra references cannot be
 * dropped by unmapping it, so migration refuses it.
 */
static inline bool folio_maybe_dma_pinned(const struct hn_page_ext *ext)
{
	return ext->pincount != 0;
}

/*
 * folio_expected_refs() for an unmapped anonymous page without a swap
 * cache: the isolation's reference and nothing else.
 */
#define HN_EXPECTED_REFS_ANON 1u

/* ---- lists of pages ------------------------------------------------------ */

/*
 * A list of page frame numbers, in order.  The kernel threads isolated
 * folios through folio->lru; ours are index lists within one node, and a
 * migration list spans nodes, so it is an array.  Operations keep the
 * order, as list_add_tail() and list_move_tail() do.
 */
struct hn_folio_list {
	uint64_t *pfn;
	uint32_t nr, cap;
	struct hn_sim *sim;		/* for host allocations (a failure site) */
};

static inline void hn_folio_list_init(struct hn_folio_list *l, struct hn_sim *sim)
{
	l->pfn = NULL;
	l->nr = l->cap = 0;
	l->sim = sim;
}

static inline bool hn_folio_list_empty(const struct hn_folio_list *l)
{
	return l->nr == 0;
}

/* list_add_tail(): 0, or -ENOMEM (host memory) with the list unchanged. */
int hn_folio_list_add(struct hn_folio_list *l, uint64_t pfn);
/* Room for @n entries in all, so that adding up to that many cannot fail.  0 or -ENOMEM. */
int hn_folio_list_reserve(struct hn_folio_list *l, uint32_t n);
/* Remove entry @i, keeping the order of the rest (a move of the tail: not in a loop). */
void hn_folio_list_del(struct hn_folio_list *l, uint32_t i);
/* Remove the first @n entries (all of them if there are fewer), one move for the rest. */
void hn_folio_list_drop_head(struct hn_folio_list *l, uint32_t n);
/* list_splice_tail_init(): every entry of @from to the end of @to. */
int hn_folio_list_splice(struct hn_folio_list *to, struct hn_folio_list *from);
void hn_folio_list_free(struct hn_folio_list *l);

/* ---- node counters ------------------------------------------------------- */

/* node_stat_mod_folio() for the node holding @pfn. */
static inline void node_stat_mod_pfn(struct hn_sim *sim, uint64_t pfn, enum hn_node_stat_item item,
				     int64_t delta)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);

	if (pgdat)
		__mod_node_page_state(pgdat, item, delta);
}

#endif /* HN_CORE_PAGE_H */
