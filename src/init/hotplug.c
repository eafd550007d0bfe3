/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hotplug.c - attribute ranges added to and removed from a booted machine
 * (HN_SIM_HNUMA), the slides' "updated during boot and memory hotplug"
 * step, done the way mm/memory_hotplug.c's online_pages() and
 * offline_pages() change a zone: drain the per-CPU lists, move the free
 * blocks, fix managed_pages, then recompute what depends on zone sizes.
 * A range still in use is evacuated first, by migration (offline_pages()
 * in src/migrate/contig.c).
 *
 * Locking is the caller's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "init/init.h"
#include "migrate/migrate.h"
#include "zonelist/zonelist.h"

/*
 * What online_pages()/offline_pages() redo once zones changed size: the
 * watermarks, the protection, totalreserve_pages and the pcp limits.
 * min_free_kbytes stays: moving memory between a zone and its attribute
 * nodes does not change the lowmem total it is computed from.
 */
static void recompute_zone_limits(struct hn_sim *sim)
{
	hn_setup_per_zone_wmarks(sim);
	hn_setup_per_zone_lowmem_reserve(sim);
	hn_calculate_totalreserve_pages(sim);
	for_each_zone(sim, zone)
		hn_zone_pcp_update(sim, zone);
}

static struct hn_attr_zone *attr_zone_at(struct hn_zone *zone, uint64_t pfn)
{
	struct hn_zone *z = hn_attr_zone_lookup(zone, pfn);

	return z ? (struct hn_attr_zone *)((char *)z - offsetof(struct hn_attr_zone, zone)) : NULL;
}

static int check_hotplug(struct hn_sim *sim)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (!sim->hnuma)
		return -EOPNOTSUPP;
	return 0;
}

int hn_sim_attr_range_add(struct hn_sim *sim, uint64_t start_pfn, uint64_t end_pfn,
			  hn_mattr_t mattr)
{
	uint64_t max_block;
	struct hn_attr_zone *az;
	struct hn_zone *zone;
	int64_t moved;
	int ret = check_hotplug(sim);

	if (ret)
		return ret;
	max_block = 1ULL << sim->max_page_order;
	if (!mattr || !hn_mattr_valid(mattr) || start_pfn >= end_pfn || end_pfn > sim->max_pfn ||
	    (start_pfn | end_pfn) & (max_block - 1)) {
		hn_logf(&sim->log, HN_LOG_ERR, "attribute range [%#" PRIx64 ", %#" PRIx64
			") with word %#x: empty, not MAX_PAGE_ORDER aligned or a bad word",
			start_pfn, end_pfn, mattr);
		return -EINVAL;
	}
	zone = hn_pfn_zone(sim, start_pfn);
	if (zone && zone->parent)
		return -EEXIST;
	if (!zone || zone->idx == HN_ZONE_DEVICE || end_pfn > zone_end_pfn(zone)) {
		hn_logf(&sim->log, HN_LOG_ERR, "attribute range [%#" PRIx64 ", %#" PRIx64
			") is not inside one zone", start_pfn, end_pfn);
		return -EINVAL;
	}
	if (hn_zone_run_end(zone, start_pfn) < end_pfn)
		return -EEXIST;
	/* zone_pcp_disable() + drain, then a dry run before anything moves */
	hn_drain_all_zone_pages(sim, zone);
	moved = hn_move_free_range(zone, NULL, start_pfn, end_pfn);
	if (moved < 0)
		return (int)moved;
	ret = hn_attach_attr_zone(sim, zone, start_pfn, end_pfn, mattr);
	if (ret)
		return ret;
	az = attr_zone_at(zone, start_pfn);
	moved = hn_move_free_range(zone, &az->zone, start_pfn, end_pfn);
	zone->managed_pages -= (uint64_t)moved;
	az->zone.managed_pages = (uint64_t)moved;
	hn_fill_section_zones(sim);
	recompute_zone_limits(sim);
	if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim))
		return -EUCLEAN;
	return 0;
}

int hn_sim_attr_range_remove(struct hn_sim *sim, uint64_t start_pfn)
{
	struct hn_attr_node *n;
	struct hn_attr_zone *az;
	struct hn_zone *zone, *parent;
	int64_t moved;
	int ret = check_hotplug(sim);

	if (ret)
		return ret;
	zone = start_pfn < sim->max_pfn ? hn_pfn_zone(sim, start_pfn) : NULL;
	if (!zone || !zone->parent || zone->zone_start_pfn != start_pfn)
		return -ENOENT;
	parent = zone->parent;
	if (zone->nr_allocated) {
		/*
		 * offline_pages(): pages in use move out first, to other
		 * attribute memory; what cannot move keeps the range (-EBUSY).
		 */
		if (hn_offline_pages(sim, zone, start_pfn, zone_end_pfn(zone)))
			return -EBUSY;
		for (uint64_t p = start_pfn; p < zone_end_pfn(zone); p += sim->pageblock_nr_pages)
			hn_unset_migratetype_isolate(zone, p, HN_MIGRATE_MOVABLE);
		if (zone->nr_allocated)
			return -EBUSY;
	}
	moved = hn_move_free_range(zone, NULL, start_pfn, zone_end_pfn(zone));
	if (moved < 0)
		return (int)moved;
	az = attr_zone_at(parent, start_pfn);
	n = &az->node;
	moved = hn_move_free_range(zone, parent, start_pfn, zone_end_pfn(zone));
	parent->managed_pages += (uint64_t)moved;
	hn_attr_set_remove(parent->attrs, n);
	free(az->zone.free_area);
	free(az);
	hn_fill_section_zones(sim);
	recompute_zone_limits(sim);
	if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim))
		return -EUCLEAN;
	return 0;
}
