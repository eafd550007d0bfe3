/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.c - hn_sim_check(): every subsystem's invariants in one pass.
 *
 * The equations are written next to the data (mmzone.h, buddy.h,
 * memblock.h); this file only gathers the validators and turns each
 * violation into a named report.  Cost: linear in the number of free blocks
 * and memblock regions, never in the number of simulated pages.
 */
#include <errno.h>
#include <inttypes.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "util/util.h"

#define zone_report(sim, zone, reason, ...)                                         \
	hn_report(sim, reason, "hn_sim_check", (zone)->zone_pgdat->node_id,          \
		  (int)(zone)->idx, UINT64_MAX, 0, __VA_ARGS__)

static int check_zone(struct hn_sim *sim, struct hn_zone *zone)
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
	if (hn_check_free_area(sim, zone))
		bad = 1;
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
			bad |= check_zone(sim, zone);
			present += zone->present_pages;
			managed += zone->managed_pages;
		}
		if (present != pgdat->node_present_pages) {
			hn_report(sim, "node present mismatch", "hn_sim_check", nid, -1, UINT64_MAX, 0,
				  "node %" PRIu64 ", zones %" PRIu64, pgdat->node_present_pages, present);
			bad = 1;
		}
		if (hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid) != (present != 0)) {
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

int hn_sim_check(struct hn_sim *sim)
{
	int bad = 0;

	if (!sim)
		return -EINVAL;
	if (sim->memblock && hn_memblock_check(sim->memblock)) {
		hn_report(sim, "memblock inconsistent", "memblock", -1, -1, UINT64_MAX, 0,
			  "see the log for the region");
		bad = 1;
	}
	if (sim->booted)
		bad |= hn_check_zones(sim);
	return bad ? -EUCLEAN : 0;
}
