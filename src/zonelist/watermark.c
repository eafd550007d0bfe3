/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * watermark.c - the zone watermarks and the protection between zones
 * (mm/page_alloc.c: calculate_min_free_kbytes(), __setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve(), calculate_totalreserve_pages(),
 * init_per_zone_wmark_min()).
 *
 * The allocation path reads what this file writes: zone->_watermark[],
 * watermark_boost, lowmem_reserve[] and sim->totalreserve_pages.  Boot
 * calls hn_init_per_zone_wmark_min() once the buddy holds every page;
 * khugepaged (khugepaged.c) and vm.min_free_kbytes recompute the
 * watermarks later in the boot; whatever changes zone sizes later
 * (attribute-range hotplug) calls the three steps again.
 *
 * Locking is the caller's.
 */
#include <inttypes.h>
#include <string.h>

#include "buddy/buddy.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define SWAP_CLUSTER_MAX 32

/*
 * nr_free_buffer_pages(): the pages of the zones GFP_USER may use, above
 * each zone's high watermark.  At the first call of the boot the
 * watermarks are still zero; every later call (khugepaged's, a sysctl's)
 * sees the watermarks in force, so the same formula gives less.
 */
uint64_t hn_nr_free_buffer_pages(struct hn_sim *sim)
{
	uint64_t pages = 0;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int z = 0; z <= HN_ZONE_NORMAL; z++) {
			struct hn_zone *zone = &pgdat->node_zones[z];

			if (zone->managed_pages > high_wmark_pages(zone))
				pages += zone->managed_pages - high_wmark_pages(zone);
			/* attribute nodes are memory of this zone type too */
			for_each_attr_zone(zone, az, i)
				pages += az->managed_pages;
		}
	}
	return pages;
}

/*
 * calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to
 * 128..262144, unless the user's vm.min_free_kbytes is at least as big.
 */
void hn_calculate_min_free_kbytes(struct hn_sim *sim)
{
	uint64_t lowmem_kbytes = hn_nr_free_buffer_pages(sim) * (sim->page_size >> 10);
	uint64_t v = hn_int_sqrt(lowmem_kbytes * 16);

	if ((int64_t)v > sim->user_min_free_kbytes)
		sim->min_free_kbytes = HN_CLAMP(v, 128, 262144);
	else
		hn_printk(sim, HN_LOG_WARNING,
			  "min_free_kbytes is not updated to %" PRIu64
			  " because user defined value %" PRId64 " is preferred",
			  v, sim->user_min_free_kbytes);
}

/* __setup_per_zone_wmarks() for one zone, given the totals. */
static void zone_set_wmarks(struct hn_sim *sim, struct hn_zone *zone, uint64_t pages_min,
			    uint64_t lowmem_pages)
{
	uint64_t tmp = lowmem_pages ? pages_min * zone->managed_pages / lowmem_pages : 0;
	uint64_t scaled;

	if (zone->idx == HN_ZONE_MOVABLE) {
		/* __GFP_HIGH rarely wants movable pages: cap min small. */
		zone->_watermark[WMARK_MIN] = HN_CLAMP(zone->managed_pages / 1024,
						       (uint64_t)SWAP_CLUSTER_MAX, 128);
	} else {
		zone->_watermark[WMARK_MIN] = tmp;
	}
	/* mult_frac(managed, watermark_scale_factor, 10000) */
	scaled = (zone->managed_pages / 10000) * sim->cfg.watermark_scale_factor +
		 (zone->managed_pages % 10000) * sim->cfg.watermark_scale_factor / 10000;
	tmp = HN_MAX(tmp >> 2, scaled);
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
	zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
	zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
}

/*
 * Attribute nodes (HN_SIM_HNUMA) get watermarks by the same formula, as
 * zones of the type that holds them, and share pages_min with it.
 */
void hn_setup_per_zone_wmarks(struct hn_sim *sim)
{
	uint64_t pages_min = sim->min_free_kbytes >> (sim->page_shift - 10);
	uint64_t lowmem_pages = 0;

	for_each_zone(sim, zone) {
		if (zone->idx == HN_ZONE_MOVABLE)
			continue;
		lowmem_pages += zone->managed_pages;
		for_each_attr_zone(zone, az, i)
			lowmem_pages += az->managed_pages;
	}
	for_each_zone(sim, zone) {
		zone_set_wmarks(sim, zone, pages_min, lowmem_pages);
		for_each_attr_zone(zone, az, i)
			zone_set_wmarks(sim, az, pages_min, lowmem_pages);
	}
}

void hn_setup_per_zone_lowmem_reserve(struct hn_sim *sim)
{
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int i = 0; i < HN_MAX_NR_ZONES - 1; i++) {
			struct hn_zone *zone = &pgdat->node_zones[i];
			unsigned int ratio = sim->cfg.lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone->managed_pages;
			uint64_t managed = 0;

			for (int j = i + 1; j < HN_MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] = clear ? 0 : (int64_t)(managed / ratio);
			}
		}
		/* attribute nodes keep their zone's protection */
		for (int i = 0; i < HN_MAX_NR_ZONES; i++) {
			struct hn_zone *zone = &pgdat->node_zones[i];

			for_each_attr_zone(zone, az, k)
				memcpy(az->lowmem_reserve, zone->lowmem_reserve,
				       sizeof(az->lowmem_reserve));
		}
	}
}

/* A zone's part of totalreserve_pages: its largest protection plus high. */
static uint64_t zone_reserve(const struct hn_zone *zone)
{
	int64_t max = 0;

	for (int j = (int)zone->idx; j < HN_MAX_NR_ZONES; j++)
		if (zone->lowmem_reserve[j] > max)
			max = zone->lowmem_reserve[j];
	max += (int64_t)high_wmark_pages(zone);
	if ((uint64_t)max > zone->managed_pages)
		max = (int64_t)zone->managed_pages;
	return (uint64_t)max;
}

void hn_calculate_totalreserve_pages(struct hn_sim *sim)
{
	uint64_t reserve = 0;

	for_each_zone(sim, zone) {
		reserve += zone_reserve(zone);
		for_each_attr_zone(zone, az, i)
			reserve += zone_reserve(az);
	}
	sim->totalreserve_pages = reserve;
}

/*
 * setup_per_zone_wmarks(): __setup_per_zone_wmarks(), which ends with
 * calculate_totalreserve_pages(), then every zone's pcp limits, which
 * depend on the low watermark.
 */
void hn_setup_per_zone_wmarks_all(struct hn_sim *sim)
{
	hn_setup_per_zone_wmarks(sim);
	hn_calculate_totalreserve_pages(sim);
	for_each_zone(sim, zone)
		hn_zone_pcp_update(sim, zone);
}

/*
 * init_per_zone_wmark_min(): the postcore initcall, and what memory
 * hotplug calls again.  Its last step hands over to khugepaged, which at
 * the postcore step of a boot is not running yet and so does nothing
 * there; hugepage_init() comes later (khugepaged.c).
 */
void hn_init_per_zone_wmark_min(struct hn_sim *sim)
{
	hn_calculate_min_free_kbytes(sim);
	hn_setup_per_zone_wmarks_all(sim);
	hn_setup_per_zone_lowmem_reserve(sim);
	hn_calculate_totalreserve_pages(sim);
	hn_khugepaged_min_free_kbytes_update(sim);
}
