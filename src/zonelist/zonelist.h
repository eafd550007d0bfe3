/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * zonelist.h - zonelists, GFP zone selection and the zonelist walk
 * (mm/page_alloc.c build_zonelists(), include/linux/mmzone.h iterators).
 *
 * Map: every possible node's pglist_data has node_zonelists[FALLBACK] and
 * [NOFALLBACK], arrays of hn_zoneref ending in a NULL zone.  FALLBACK lists
 * the zones of every node with memory, nodes ordered by
 * find_next_best_node() (nearest first, the kernel's node_load tie-break
 * for round robin), zones from highest to lowest index within a node;
 * NOFALLBACK holds only the node's own zones.  Only populated zones
 * (present pages) appear, as build_zonerefs_node() does.  Rebuilt by hn_build_all_zonelists()
 * whenever a node comes online or goes offline.  An offline node keeps its
 * zone sizes but loses N_MEMORY, and zones of nodes without N_MEMORY are
 * left out (the kernel's offline_pages() empties present_pages instead).
 *
 * Invariants: a zonelist ends with zone == NULL; zone_idx == zone->idx for
 * every entry; each zone appears at most once; the FALLBACK list of node n
 * starts with n's own zones when n has memory.
 *
 * Locking is the caller's.
 */
#ifndef HN_ZONELIST_ZONELIST_H
#define HN_ZONELIST_ZONELIST_H

#include <errno.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"

/*
 * build_all_zonelists(): (re)build both zonelists of every possible node.
 * At boot (@boot true) it prints the kernel's lines into the log buffer:
 * "Fallback order for Node N: a b c ", "Built N zonelists, mobility
 * grouping on.  Total pages: T" and "Policy zone: Normal", and sets
 * sim->page_group_by_mobility_disabled and sim->policy_zone.  Allocates the
 * zoneref arrays on first use.  Returns 0 or -ENOMEM.
 */
int hn_build_all_zonelists(struct hn_sim *sim, bool boot);
void hn_free_zonelists(struct hn_sim *sim);

static inline struct hn_zonelist *node_zonelist(const struct hn_sim *sim, int nid, hn_gfp_t gfp)
{
	return &NODE_DATA(sim, nid)->node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK :
									ZONELIST_FALLBACK];
}

static inline bool zref_in_nodemask(const struct hn_zoneref *z, const struct hn_nodemask *nodes)
{
	return !nodes || hn_nodemask_test(nodes, zone_to_nid(z->zone));
}

/*
 * next_zones_zonelist(): the first zoneref at or after @z whose zone index
 * is <= @highest_zoneidx and whose node is in @nodes (NULL: any).  Returns
 * the terminating zoneref (zone == NULL) when none is left.
 */
static inline struct hn_zoneref *next_zones_zonelist(struct hn_zoneref *z, int highest_zoneidx,
						     const struct hn_nodemask *nodes)
{
	while (z->zone && (z->zone_idx > highest_zoneidx || !zref_in_nodemask(z, nodes)))
		z++;
	return z;
}

static inline struct hn_zoneref *first_zones_zonelist(struct hn_zonelist *zl, int highest_zoneidx,
						      const struct hn_nodemask *nodes)
{
	return next_zones_zonelist(zl->_zonerefs, highest_zoneidx, nodes);
}

/*
 * One entry of sim->local_gfp: what a request whose GFP mask has the low
 * bits @low (and the __GFP_THISNODE bit that chose @zl) finds first in
 * @zl, the current node's list, with no nodemask.  The entry of a mask
 * naming no valid zone or migratetype, or of a missing list, has no zone.
 */
static inline struct hn_local_gfp hn_local_gfp_of(const struct hn_sim *sim,
						  struct hn_zonelist *zl, hn_gfp_t low)
{
	struct hn_local_gfp l = { .zone = NULL, .highest_zoneidx = -1, .migratetype = -1 };
	int hz = hn_gfp_zone_table[low & GFP_ZONEMASK];

	if (hz < 0 || (low & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK || !zl || !zl->_zonerefs)
		return l;
	l.zone = first_zones_zonelist(zl, hz, NULL)->zone;
	l.highest_zoneidx = (int8_t)hz;
	l.migratetype = (int8_t)gfp_migratetype(sim, low);
	return l;
}

#define for_next_zone_zonelist_nodemask(zone, z, highidx, nodes)                       \
	for (zone = (z)->zone; zone; z++, z = next_zones_zonelist(z, highidx, nodes),     \
	     zone = (z)->zone)

#define for_each_zone_zonelist_nodemask(zone, z, zl, highidx, nodes)                   \
	for (z = first_zones_zonelist(zl, highidx, nodes), zone = (z)->zone; zone;        \
	     z++, z = next_zones_zonelist(z, highidx, nodes), zone = (z)->zone)

/* Checks of hn_sim_check(): the invariants above. */
int hn_check_zonelists(struct hn_sim *sim);
/* The fast paths' caches equal what they stand for (check.c). */
int hn_check_fastpath_caches(struct hn_sim *sim);
/*
 * debug_vm's check after every allocator operation (check.c): the zone it
 * touched, or with @zone NULL (or sim->debug_touched_all) every zone, the
 * zonelists and the fast-path caches.  0 or -EUCLEAN; 0 without debug_vm.
 */
int hn_debug_check(struct hn_sim *sim, struct hn_zone *zone);

/* Recompute cur_nid (and the local zones) after cur_cpu or the node states changed. */
void hn_update_numa_node_id(struct hn_sim *sim);
/* Recompute sim->local_gfp after cur_nid, the zonelists or mobility grouping changed. */
void hn_update_local_zones(struct hn_sim *sim);
/* Recompute every zone's this_cpu_pcp and numa_local_stat after cur_cpu or cur_nid changed. */
void hn_update_this_cpu(struct hn_sim *sim);

/*
 * Watermarks and protection (watermark.c): init_per_zone_wmark_min() at
 * boot (min_free_kbytes, then the three steps below, then every zone's
 * pcp limits), and the steps alone for whatever changes zone sizes later.
 */
void hn_init_per_zone_wmark_min(struct hn_sim *sim);
uint64_t hn_nr_free_buffer_pages(struct hn_sim *sim);
void hn_calculate_min_free_kbytes(struct hn_sim *sim);
/* __setup_per_zone_wmarks() without, and setup_per_zone_wmarks() with, what follows it */
void hn_setup_per_zone_wmarks(struct hn_sim *sim);
void hn_setup_per_zone_wmarks_all(struct hn_sim *sim);
void hn_setup_per_zone_lowmem_reserve(struct hn_sim *sim);
void hn_calculate_totalreserve_pages(struct hn_sim *sim);

/*
 * khugepaged's part of the boot and of later changes (khugepaged.c):
 * hugepage_init() as the subsys initcall runs it, start_stop_khugepaged(),
 * khugepaged_min_free_kbytes_update() (a no-op until khugepaged runs).
 */
void hn_hugepage_init(struct hn_sim *sim);
void hn_start_stop_khugepaged(struct hn_sim *sim);
void hn_khugepaged_min_free_kbytes_update(struct hn_sim *sim);

/*
 * free_reserved_area(): every whole page of [start, end) (bytes), reserved
 * until now, freed to the buddy through the current CPU's lists and added
 * to its zone's managed pages; with @what, the kernel's "Freeing %s
 * memory: %luK" line.  Returns the pages freed (page_alloc.c).
 */
uint64_t hn_free_reserved_area(struct hn_sim *sim, uint64_t start, uint64_t end, const char *what);

/*
 * folio_put() of a page with an owner (PG_anon, PG_movable): one reference
 * dropped; the last frees the page, contents and all (page_alloc.c).
 */
void hn_folio_put(struct hn_sim *sim, uint64_t pfn);

/* hn_alloc_pages() for the policy path: an offline preferred node is allowed. */
int hn_alloc_pages_policy(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int preferred_nid,
			  const struct hn_nodemask *nodemask, uint64_t *pfn);

#endif /* HN_ZONELIST_ZONELIST_H */
