/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.c - the buddy layer's part of hn_sim_check(): each zone's sizes,
 * watermarks and accounting, its free lists and per-CPU lists (buddy.c,
 * pcp.c), its pageblock types, and the attribute nodes inside it.
 *
 * The equations are written next to the data (mmzone.h, buddy.h); this
 * file walks them and turns each violation into a named report.  Cost:
 * linear in free blocks and pageblocks, never in simulated pages.
 */
#include <errno.h>
#include <inttypes.h>

#include "buddy/buddy.h"
#include "util/util.h"

int hn_check_zone(struct hn_sim *sim, struct hn_zone *zone)
{
	int bad = 0;

	if (zone->present_pages > zone->spanned_pages) {
		zone_report(sim, zone, "present exceeds spanned", "present %" PRIu64 " spanned %" PRIu64,
			    zone->present_pages, zone->spanned_pages);
		bad = 1;
	}
	if (zone->managed_pages > zone->present_pages) {
		zone_report(sim, zone, "managed exceeds present", "managed %" PRIu64 " present %" PRIu64,
			    zone->managed_pages, zone->present_pages);
		bad = 1;
	}
	if (zone->vm_stat[NR_FREE_PAGES] < 0 ||
	    (uint64_t)zone->vm_stat[NR_FREE_PAGES] > zone->managed_pages) {
		zone_report(sim, zone, "free exceeds managed", "free %" PRId64 " managed %" PRIu64,
			    zone->vm_stat[NR_FREE_PAGES], zone->managed_pages);
		bad = 1;
	}
	if (zone->nr_reserved_highatomic > zone->managed_pages) {
		zone_report(sim, zone, "highatomic reserve exceeds managed",
			    "reserved %" PRIu64 " managed %" PRIu64, zone->nr_reserved_highatomic,
			    zone->managed_pages);
		bad = 1;
	}
	if (!(zone->_watermark[WMARK_MIN] <= zone->_watermark[WMARK_LOW] &&
	      zone->_watermark[WMARK_LOW] <= zone->_watermark[WMARK_HIGH] &&
	      zone->_watermark[WMARK_HIGH] <= zone->_watermark[WMARK_PROMO])) {
		zone_report(sim, zone, "watermarks out of order",
			    "min %" PRIu64 " low %" PRIu64 " high %" PRIu64 " promo %" PRIu64,
			    zone->_watermark[WMARK_MIN], zone->_watermark[WMARK_LOW],
			    zone->_watermark[WMARK_HIGH], zone->_watermark[WMARK_PROMO]);
		bad = 1;
	}
	if (zone->spanned_pages) {
		const struct hn_pglist_data *pgdat = zone->zone_pgdat;

		if (zone->zone_start_pfn < pgdat->node_start_pfn ||
		    zone_end_pfn(zone) > pgdat_end_pfn(pgdat)) {
			zone_report(sim, zone, "zone outside its node", "zone [%#" PRIx64 ", %#" PRIx64 ")",
				    zone->zone_start_pfn, zone_end_pfn(zone));
			bad = 1;
		}
	}
	{
		uint64_t on_lists = 0, on_pcp = 0;
		int fa = hn_check_free_area(sim, zone, &on_lists);

		if (fa == -EUCLEAN && !on_lists)
			return 1;	/* a broken list: the totals below mean nothing */
		bad |= fa != 0;
		if (hn_check_pcp(sim, zone, &on_pcp))
			return 1;
		if (on_lists + on_pcp + zone->nr_allocated != zone->managed_pages) {
			zone_report(sim, zone, "pages unaccounted",
				    "managed %" PRIu64 " != free %" PRIu64 " + pcp %" PRIu64
				    " + allocated %" PRIu64, zone->managed_pages, on_lists, on_pcp,
				    zone->nr_allocated);
			bad = 1;
		}
	}
	return bad;
}

/*
 * Every pageblock of the zone has a valid type, and the isolated ones are
 * as many as zone->nr_isolate_pageblock says.  Linear in pageblocks: part
 * of the full check only.
 */
static int check_pageblocks(struct hn_sim *sim, struct hn_zone *zone)
{
	int bad = 0;

	if (zone->spanned_pages) {
		const struct hn_pglist_data *pgdat = zone->zone_pgdat;
		uint64_t nr = sim->pageblock_nr_pages, isolated = 0;

		for (uint64_t pfn = zone->zone_start_pfn & ~(nr - 1); pfn < zone_end_pfn(zone); pfn += nr) {
			int mt;

			if (pfn < zone->zone_start_pfn || pfn_to_nid(sim, pfn) < 0)
				continue;
			/* an attribute node's pageblocks are its own */
			if (zone->attrs && hn_attr_zone_lookup(zone, pfn))
				continue;
			mt = get_pageblock_migratetype(pgdat, pfn);
			if (mt < 0 || mt >= HN_MIGRATE_TYPES) {
				zone_report(sim, zone, "bad pageblock migratetype",
					    "pageblock %#" PRIx64 " has type %d", pfn, mt);
				bad = 1;
			}
			isolated += mt == HN_MIGRATE_ISOLATE;
		}
		if (isolated != zone->nr_isolate_pageblock) {
			zone_report(sim, zone, "nr_isolate_pageblock mismatch",
				    "counter %" PRIu64 ", pageblocks %" PRIu64, zone->nr_isolate_pageblock,
				    isolated);
			bad = 1;
		}
	}
	return bad;
}

/*
 * The attribute nodes of an ordinary zone (HN_SIM_HNUMA): the set's own
 * invariants (tree, order, caches), each node a zone inside its parent's
 * span on whole MAX_PAGE_ORDER blocks, and each node's zone checked like
 * any other.  Adds the nodes' managed pages to *@managed.
 */
static int check_attr_zones(struct hn_sim *sim, struct hn_zone *zone, uint64_t *managed)
{
	uint64_t max_block = 1ULL << sim->max_page_order;
	char why[160];
	int bad = 0;

	if (!zone->attrs)
		return 0;
	if (hn_attr_set_check(zone->attrs, why, sizeof(why))) {
		zone_report(sim, zone, "attribute nodes inconsistent", "%s", why);
		return 1;
	}
	for_each_attr_zone(zone, az, i) {
		const struct hn_attr_node *n = zone->attrs->nodes[i];

		if (az->parent != zone || az->zone_start_pfn != n->start_pfn ||
		    zone_end_pfn(az) != n->end_pfn || n->start_pfn < zone->zone_start_pfn ||
		    n->end_pfn > zone_end_pfn(zone) || (n->start_pfn | n->end_pfn) & (max_block - 1)) {
			zone_report(sim, zone, "attribute node misplaced",
				    "node %u [%#" PRIx64 ", %#" PRIx64 ") in zone [%#" PRIx64 ", %#" PRIx64 ")",
				    i, n->start_pfn, n->end_pfn, zone->zone_start_pfn, zone_end_pfn(zone));
			bad = 1;
			continue;
		}
		bad |= hn_check_zone(sim, az);
		bad |= check_pageblocks(sim, az);
		*managed += az->managed_pages;
	}
	return bad;
}

int hn_check_zones(struct hn_sim *sim)
{
	uint64_t managed = 0;
	int bad = 0;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		uint64_t present = 0;

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone *zone = &pgdat->node_zones[z];

			/* Zones of one node never overlap (ZONE_DEVICE aside). */
			for (int y = z + 1; y < HN_ZONE_DEVICE && z < HN_ZONE_DEVICE; y++) {
				const struct hn_zone *o = &pgdat->node_zones[y];

				if (zone->spanned_pages && o->spanned_pages &&
				    zone->zone_start_pfn < zone_end_pfn(o) &&
				    o->zone_start_pfn < zone_end_pfn(zone)) {
					zone_report(sim, zone, "zones overlap", "%s overlaps %s",
						    zone->name, o->name);
					bad = 1;
				}
			}
			bad |= hn_check_zone(sim, zone);
			bad |= check_pageblocks(sim, zone);
			bad |= check_attr_zones(sim, zone, &managed);
			present += zone->present_pages;
			managed += zone->managed_pages;
		}
		if (present != pgdat->node_present_pages) {
			hn_report(sim, "node present mismatch", "hn_sim_check", nid, -1, UINT64_MAX, 0,
				  "node %" PRIu64 ", zones %" PRIu64, pgdat->node_present_pages, present);
			bad = 1;
		}
		/* an offlined node keeps its zones' sizes but leaves N_MEMORY */
		if (hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)nid) &&
		    hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid) != (present != 0)) {
			hn_report(sim, "N_MEMORY state wrong", "hn_sim_check", nid, -1, UINT64_MAX, 0,
				  "present pages %" PRIu64, present);
			bad = 1;
		}
	}
	if (managed != sim->totalram_pages) {
		hn_report(sim, "totalram mismatch", "hn_sim_check", -1, -1, UINT64_MAX, 0,
			  "totalram %" PRIu64 ", zones manage %" PRIu64, sim->totalram_pages, managed);
		bad = 1;
	}
	return bad;
}
