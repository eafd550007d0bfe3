/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.c - hn_sim_check(): every subsystem's invariants in one pass.
 *
 * The equations are written next to the data (mmzone.h, buddy.h,
 * memblock.h); this file only gathers the validators and turns each
 * violation into a named report.  Cost: linear in the number of free
 * blocks, memblock regions and memory sections, never in the number of
 * simulated pages.
 */
#include <errno.h>
#include <inttypes.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

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
 * The per-operation check of debug_vm builds: the zones an operation
 * touched, in full (free lists, every CPU's pcp lists, the accounting),
 * without the machine-wide walks.  An operation that may have touched any
 * zone (the slow path, a drain of all CPUs) asks for the full check.
 */
int hn_debug_check(struct hn_sim *sim, struct hn_zone *zone)
{
	int bad;

	if (!HN_DEBUG_VM_ENABLED)
		return 0;
	if (!zone || sim->debug_touched_all) {
		sim->debug_touched_all = false;
		return hn_sim_check(sim);
	}
	bad = check_zone(sim, zone);
	return bad ? -EUCLEAN : 0;
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
		bad |= check_zone(sim, az);
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
			bad |= check_zone(sim, zone);
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

/*
 * What the order-0 fast paths read instead of recomputing: the local GFP
 * table, each node zone's this-CPU pcp and numa event, and the section
 * table.
 * Each must equal what it stands for; a stale one would send a fast
 * request where the general path would not.
 */
static int check_fastpath_caches(struct hn_sim *sim)
{
	struct hn_pglist_data *cur = sim->cur_nid >= 0 && sim->cur_nid < sim->nr_node_ids ?
				     NODE_DATA(sim, sim->cur_nid) : NULL;
	bool usable = cur && node_online(sim, sim->cur_nid);
	uint64_t pps = 1ULL << sim->pfn_section_shift;
	int bad = 0;

	for (int t = 0; t < MAX_ZONELISTS; t++) {
		struct hn_zonelist *zl = usable ? &cur->node_zonelists[t] : NULL;

		for (hn_gfp_t low = 0; low < (1u << HN_LOCAL_GFP_BITS); low++) {
			struct hn_local_gfp want = hn_local_gfp_of(sim, zl, low);
			const struct hn_local_gfp *kept = &sim->local_gfp[t][low];

			if (kept->zone != want.zone || kept->highest_zoneidx != want.highest_zoneidx ||
			    kept->migratetype != want.migratetype) {
				hn_report(sim, "local GFP entry stale", "hn_sim_check", sim->cur_nid, -1,
					  UINT64_MAX, 0, "zonelist %d, GFP bits %#x: kept %s, first zone %s",
					  t, (unsigned int)low, kept->zone ? kept->zone->name : "none",
					  want.zone ? want.zone->name : "none");
				bad = 1;
			}
		}
	}
	for_each_zone(sim, zone) {
		if (zone->this_cpu_pcp != hn_zone_this_cpu_pcp(sim, zone) ||
		    sim->this_cpu_pcp_offset != sim->cur_cpu * sizeof(struct hn_per_cpu_pages) ||
		    zone->numa_local_stat != hn_zone_numa_local_stat(sim, zone)) {
			zone_report(sim, zone, "this-CPU cache stale", "cpu %u node %d", sim->cur_cpu,
				    sim->cur_nid);
			bad = 1;
		}
	}
	for (uint64_t sec = 0; sec < sim->nr_sections; sec++) {
		const struct hn_section *e = &sim->sections[sec];
		const struct hn_pglist_data *pgdat;

		if (!e->zone)
			continue;
		pgdat = e->zone->zone_pgdat;
		if (!zone_spans_pfn(e->zone, sec * pps) || !zone_spans_pfn(e->zone, sec * pps + pps - 1) ||
		    e->mem_map != pgdat->mem_map || e->node_start_pfn != pgdat->node_start_pfn ||
		    e->pageblock_mt_base != pgdat->pageblock_mt_base ||
		    e->per_cpu_pageset != e->zone->per_cpu_pageset) {
			zone_report(sim, e->zone, "section entry stale", "section %" PRIu64, sec);
			bad = 1;
		}
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
	if (sim->booted) {
		bad |= hn_check_zones(sim);
		bad |= hn_check_zonelists(sim) != 0;
		bad |= check_fastpath_caches(sim);
		bad |= hn_check_tasks(sim);
	}
	return bad ? -EUCLEAN : 0;
}
