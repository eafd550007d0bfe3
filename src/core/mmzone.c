/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mmzone.c - the lookups of the data model that are more than one line:
 * pfn to zone when the section table cannot say, pfn to attribute node,
 * and the names /proc prints for zones and migratetypes (mm/mmzone.c,
 * mm/vmstat.c's zone_names and migratetype_names).
 *
 * Nothing here changes the instance.  Locking is the caller's.
 */
#include "core/mmzone.h"

static const char *const zone_names[HN_MAX_NR_ZONES] = {
	[HN_ZONE_DMA] = "DMA",
	[HN_ZONE_DMA32] = "DMA32",
	[HN_ZONE_NORMAL] = "Normal",
	[HN_ZONE_MOVABLE] = "Movable",
	[HN_ZONE_DEVICE] = "Device",
};

const char *hn_zone_name(enum hn_zone_type zt)
{
	if ((unsigned int)zt >= HN_MAX_NR_ZONES)
		return NULL;
	return zone_names[zt];
}

static const char *const migratetype_names[HN_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

const char *hn_migratetype_name(enum hn_migratetype mt)
{
	if ((unsigned int)mt >= HN_MIGRATE_TYPES)
		return NULL;
	return migratetype_names[mt];
}

/* The attribute zone holding @pfn within @zone, or NULL. */
struct hn_zone *hn_attr_zone_lookup(const struct hn_zone *zone, uint64_t pfn)
{
	const struct hn_attr_set *set = zone->attrs;
	unsigned int lo = 0, hi;

	if (!set)
		return NULL;
	hi = set->nr;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct hn_attr_node *n = set->nodes[mid];

		if (pfn < n->start_pfn)
			hi = mid;
		else if (pfn >= n->end_pfn)
			lo = mid + 1;
		else
			return &attr_zone_of(n)->zone;
	}
	return NULL;
}

struct hn_zone *hn_pfn_zone_slow(const struct hn_sim *sim, uint64_t pfn)
{
	int nid = pfn_to_nid(sim, pfn);
	struct hn_pglist_data *pgdat;

	if (nid < 0)
		return NULL;
	pgdat = NODE_DATA(sim, nid);
	if (zone_spans_pfn(&pgdat->node_zones[HN_ZONE_DEVICE], pfn))
		return &pgdat->node_zones[HN_ZONE_DEVICE];
	for (int z = 0; z < HN_ZONE_DEVICE; z++) {
		struct hn_zone *zone = &pgdat->node_zones[z];

		if (zone_spans_pfn(zone, pfn)) {
			struct hn_zone *az = hn_attr_zone_lookup(zone, pfn);

			return az ? az : zone;
		}
	}
	return NULL;
}
