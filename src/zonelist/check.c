/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.c - the allocation path's part of hn_sim_check() (the caches of
 * the order-0 fast paths), and debug_vm's check after every allocator
 * operation, which asks this layer and the ones below for what an
 * allocation or a free can have broken.
 */
#include <errno.h>
#include <inttypes.h>

#include "buddy/buddy.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

/*
 * What the order-0 fast paths read instead of recomputing: the local GFP
 * table, each node zone's this-CPU pcp and numa event, and the section
 * table.
 * Each must equal what it stands for; a stale one would send a fast
 * request where the general path would not.
 */
int hn_check_fastpath_caches(struct hn_sim *sim)
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
		bad = hn_check_zones(sim);
		bad |= hn_check_zonelists(sim) != 0;
		bad |= hn_check_fastpath_caches(sim);
		return bad ? -EUCLEAN : 0;
	}
	bad = hn_check_zone(sim, zone);
	return bad ? -EUCLEAN : 0;
}
