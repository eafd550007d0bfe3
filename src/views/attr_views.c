/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attr_views.c - what a hierarchical-NUMA machine shows of its attribute
 * nodes: `hnuma-sim show attrs`, `dot attrs`, and the pfn → attribute
 * word query.  The allocation side is in zonelist/page_alloc.c, the set
 * and its matching in buddy/attr_set.c and buddy/attr_match.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <hnuma/alloc.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "core/vmstat.h"

static void show_attr_node(FILE *f, const struct hn_sim *sim, const struct hn_zone *zone,
			   const struct hn_attr_node *n)
{
	const struct hn_zone *az = &attr_zone_of(n)->zone;
	char word[64];

	fprintf(f, "Node %d, zone %8s, attr %u: pfn [%#" PRIx64 ", %#" PRIx64 ") key %2u %s\n",
		zone->zone_pgdat->node_id, zone->name, n->id, n->start_pfn, n->end_pfn, n->key,
		hn_mattr_format(n->mattr, word, sizeof(word)));
	fprintf(f, "        managed %" PRIu64 " free %" PRIu64 " allocated %" PRIu64
		" min %" PRIu64 " low %" PRIu64 " high %" PRIu64 "\n",
		az->managed_pages, zone_page_state(az, NR_FREE_PAGES), az->nr_allocated,
		min_wmark_pages(az), low_wmark_pages(az), high_wmark_pages(az));
	/* the /proc/buddyinfo columns, for this node's own free area */
	fprintf(f, "        free_area");
	for (unsigned int o = 0; o < sim->nr_page_orders; o++)
		fprintf(f, " %6" PRIu64, az->free_area[o].nr_free);
	fputc('\n', f);
}

int hn_sim_show_attrs(const struct hn_sim *sim, FILE *f)
{
	unsigned int nodes = 0;
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	if (!sim->hnuma) {
		fprintf(f, "hierarchical NUMA is off on this machine (HN_SIM_HNUMA, hnuma-sim --hnuma)\n");
		return hn_view_done(f);
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++)
			if (pgdat->node_zones[z].attrs)
				nodes += pgdat->node_zones[z].attrs->nr;
	}
	fprintf(f, "hierarchical NUMA: %u attribute node%s, matching '%s', %" PRIu64
		" request%s fell back to plain memory\n", nodes, nodes == 1 ? "" : "s",
		sim->attr_match->name, sim->attr_fallbacks, sim->attr_fallbacks == 1 ? "" : "s");
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++) {
			const struct hn_zone *zone = &pgdat->node_zones[z];

			for (unsigned int i = 0; zone->attrs && i < zone->attrs->nr; i++)
				show_attr_node(f, sim, zone, zone->attrs->nodes[i]);
		}
	}
	return hn_view_done(f);
}

int hn_sim_dot_attrs(const struct hn_sim *sim, FILE *f)
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++) {
			const struct hn_zone *zone = &pgdat->node_zones[z];
			char title[64];

			if (!zone->attrs)
				continue;
			snprintf(title, sizeof(title), "node %d zone %s", nid, zone->name);
			ret = hn_attr_set_dot(zone->attrs, f, title);
			if (ret)
				return ret;
		}
	}
	return hn_view_done(f);
}

int hn_sim_attr_node_info(const struct hn_sim *sim, int nid, enum hn_zone_type zt,
			  unsigned int i, struct hn_attr_node_info *out)
{
	const struct hn_attr_node *n;
	const struct hn_zone *zone, *az;

	if (!sim || !out || (unsigned int)zt >= HN_MAX_NR_ZONES)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (nid < 0 || nid >= sim->nr_node_ids || !NODE_DATA(sim, nid))
		return -ENODEV;
	zone = &NODE_DATA(sim, nid)->node_zones[zt];
	if (!zone->attrs || i >= zone->attrs->nr)
		return -ENOENT;
	n = zone->attrs->nodes[i];
	az = &attr_zone_of(n)->zone;
	memset(out, 0, sizeof(*out));
	out->nid = nid;
	out->zone = zt;
	out->id = n->id;
	out->start_pfn = n->start_pfn;
	out->end_pfn = n->end_pfn;
	out->mattr = n->mattr;
	out->key = n->key;
	out->present_pages = az->present_pages;
	out->managed_pages = az->managed_pages;
	out->free_pages = zone_page_state(az, NR_FREE_PAGES);
	out->allocated_pages = az->nr_allocated;
	out->watermark_min = min_wmark_pages(az);
	out->watermark_low = low_wmark_pages(az);
	out->watermark_high = high_wmark_pages(az);
	for (unsigned int o = 0; o < sim->nr_page_orders && o < 32; o++)
		out->nr_free[o] = az->free_area[o].nr_free;
	return 0;
}

int hn_sim_pfn_mattr(const struct hn_sim *sim, uint64_t pfn, hn_mattr_t *mattr)
{
	const struct hn_zone *zone;

	if (!sim || !mattr)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	zone = pfn < sim->max_pfn ? hn_pfn_zone(sim, pfn) : NULL;
	if (!zone)
		return -ENOENT;
	*mattr = 0;
	if (zone->parent) {
		*mattr = attr_zone_of_zone(zone)->node.mattr;
	}
	return 0;
}
