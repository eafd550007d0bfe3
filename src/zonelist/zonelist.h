/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * zonelist.h - zonelists, GFP zone selection and the zonelist walk
 * (mm/page_alloc.c build_zonelists(), include/linux/mmzone.h iterators,
 * include/linux/gfp.h gfp_zone()/gfp_migratetype()).
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

/*
 * gfp_zone(): the highest zone index a request may use, through the
 * kernel's GFP_ZONE_TABLE (gfp.c).  Returns -EINVAL for the combinations
 * GFP_ZONE_BAD forbids (e.g. __GFP_DMA|__GFP_DMA32): the kernel's
 * VM_BUG_ON becomes a refusal, since the caller passed it.  Every machine
 * uses the x86_64 table; zone population decides what exists.
 */
extern const signed char hn_gfp_zone_table[16];

static inline int hn_gfp_zone(hn_gfp_t gfp)
{
	int z = hn_gfp_zone_table[gfp & GFP_ZONEMASK];

	return z < 0 ? -EINVAL : z;
}

/* gfp_migratetype(): MOVABLE, RECLAIMABLE, UNMOVABLE (or UNMOVABLE always
 * when mobility grouping is disabled). */
static inline int gfp_migratetype(const struct hn_sim *sim, hn_gfp_t gfp)
{
	if (sim->page_group_by_mobility_disabled)
		return HN_MIGRATE_UNMOVABLE;
	return (int)((gfp & GFP_MOVABLE_MASK) >> 3);
}

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

/* hn_alloc_pages() for the policy path: an offline preferred node is allowed. */
int hn_alloc_pages_policy(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int preferred_nid,
			  const struct hn_nodemask *nodemask, uint64_t *pfn);

#endif /* HN_ZONELIST_ZONELIST_H */
