/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmstat.c - the counters' side of mm/vmstat.c: the names /proc prints for
 * them, the readers that sum them over zones, the per-CPU threshold, and
 * the fragmentation arithmetic (fragmentation_index(), unusable index) that
 * both the debugfs views and compaction use.  The printers of
 * /proc/buddyinfo, /proc/pagetypeinfo, /proc/vmstat and the extfrag files
 * are the views layer's (src/views/vmstat.c).
 *
 * Which counters /proc/vmstat shows.  The kernel prints every entry of
 * vmstat_text[]: zone counters, NUMA events, node counters, the global
 * vm_stat items (dirty thresholds, memmap pages) and the vm events.  The
 * simulation keeps the zone counters, the NUMA events, the node counters
 * of enum hn_node_stat_item (nr_isolated_anon, nr_anon_pages, the pin
 * counts) and the events of enum hn_vm_event_item (pgalloc_*,
 * allocstall_*, pgfree, pgmigrate_*, compact_*); only those are printed,
 * in their vmstat_text order.  The other node counters (LRU sizes,
 * workingset, dirty, ...), the global vm_stat items and every other event
 * are left out until something maintains them: a line that always reads 0
 * would look like a measurement (docs/faithfulness.md).  The one exception is the trailing
 * "nr_unstable 0": the kernel itself prints that as a constant after the
 * last counter so old tools keep parsing, and it is 0 there too.
 */
#include <inttypes.h>
#include <string.h>

#include "core/mmzone.h"
#include "core/vmstat.h"
#include "util/util.h"

/* vmstat_text[], enum zone_stat_item part (ZSMALLOC and UNACCEPTED_MEMORY on). */
static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_bounce",
	"nr_zspages",
	"nr_free_cma",
	"nr_unaccepted",
};

/* vmstat_text[], enum numa_stat_item part (CONFIG_NUMA). */
static const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit",
	"numa_miss",
	"numa_foreign",
	"numa_interleave",
	"numa_local",
	"numa_other",
};

/*
 * vmstat_text[], the vm_event_item entries we keep, in enum order (which is
 * the kernel's relative order).  TEXTS_FOR_ZONES() with ZONE_DMA, ZONE_DMA32
 * and ZONE_DEVICE on and no HIGHMEM gives the five per-zone names.
 */
static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC_DMA] = "pgalloc_dma",
	[PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal",
	[PGALLOC_MOVABLE] = "pgalloc_movable",
	[PGALLOC_DEVICE] = "pgalloc_device",
	[ALLOCSTALL_DMA] = "allocstall_dma",
	[ALLOCSTALL_DMA32] = "allocstall_dma32",
	[ALLOCSTALL_NORMAL] = "allocstall_normal",
	[ALLOCSTALL_MOVABLE] = "allocstall_movable",
	[ALLOCSTALL_DEVICE] = "allocstall_device",
	[PGFREE] = "pgfree",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[PGMIGRATE_FAIL] = "pgmigrate_fail",
	[COMPACTMIGRATE_SCANNED] = "compact_migrate_scanned",
	[COMPACTFREE_SCANNED] = "compact_free_scanned",
	[COMPACTISOLATED] = "compact_isolated",
	[COMPACTSTALL] = "compact_stall",
	[COMPACTFAIL] = "compact_fail",
	[COMPACTSUCCESS] = "compact_success",
	[KCOMPACTD_WAKE] = "compact_daemon_wake",
	[KCOMPACTD_MIGRATE_SCANNED] = "compact_daemon_migrate_scanned",
	[KCOMPACTD_FREE_SCANNED] = "compact_daemon_free_scanned",
};

/* vmstat_text[], the node_stat_item entries we keep, in enum (the kernel's) order. */
static const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_ISOLATED_ANON] = "nr_isolated_anon",
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FOLL_PIN_ACQUIRED] = "nr_foll_pin_acquired",
	[NR_FOLL_PIN_RELEASED] = "nr_foll_pin_released",
};

/* vmstat_show()'s deprecated tail line; see the top of the file. */
const char hn_nr_unstable_name[] = "nr_unstable";

const char *hn_zone_stat_name(enum hn_zone_stat_item item)
{
	return zone_stat_names[item];
}

const char *hn_numa_stat_name(enum hn_numa_stat_item item)
{
	return numa_stat_names[item];
}

const char *hn_vm_event_name(enum hn_vm_event_item item)
{
	return vm_event_names[item];
}

const char *hn_node_stat_name(enum hn_node_stat_item item)
{
	return node_stat_names[item];
}

uint64_t hn_global_node_page_state(const struct hn_sim *sim, enum hn_node_stat_item item)
{
	int64_t x = 0;

	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		if (NODE_DATA(sim, nid))
			x += NODE_DATA(sim, nid)->vm_stat[item];
	return x < 0 ? 0 : (uint64_t)x;
}

unsigned int hn_num_online_cpus(const struct hn_sim *sim)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++)
		if (hn_cpu_online(sim, cpu))
			n++;
	return n;
}

/* The kernel's fls(): 1-based index of the highest set bit, 0 for 0. */
static int fls64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/*
 * The threshold grows with the logarithm of the CPU count (more CPUs, more
 * contention on the shared counter) and of the zone size in 128 MiB units
 * (a bigger zone tolerates a bigger error), capped at 125.  The kernel
 * recomputes it in init_per_zone_wmark_min(), at boot and on memory
 * hotplug, so the zone's current managed pages are the right input.
 */
int hn_calculate_normal_threshold(const struct hn_sim *sim, const struct hn_zone *zone)
{
	uint64_t mem = zone->managed_pages >> (27 - sim->page_shift);
	int threshold = 2 * fls64(hn_num_online_cpus(sim)) * (1 + fls64(mem));

	return threshold < 125 ? threshold : 125;
}

/* global_zone_page_state(): the sum over every zone, negative shown as 0. */
uint64_t hn_global_zone_page_state(const struct hn_sim *sim, enum hn_zone_stat_item item)
{
	int64_t x = 0;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			x += pgdat->node_zones[z].vm_stat[item];
			for_each_attr_zone(&pgdat->node_zones[z], az, i)
				x += az->vm_stat[item];
		}
	}
	return x < 0 ? 0 : (uint64_t)x;
}

uint64_t hn_global_numa_event_state(const struct hn_sim *sim, enum hn_numa_stat_item item)
{
	uint64_t x = 0;

	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			x += zone_numa_event_state(&pgdat->node_zones[z], item);
			for_each_attr_zone(&pgdat->node_zones[z], az, i)
				x += zone_numa_event_state(az, item);
		}
	}
	return x;
}

int hn_sim_vmstat(const struct hn_sim *sim, const char *name, uint64_t *value)
{
	if (!sim || !name || !value)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		if (!strcmp(name, zone_stat_names[i])) {
			*value = hn_global_zone_page_state(sim, (enum hn_zone_stat_item)i);
			return 0;
		}
	}
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		if (!strcmp(name, numa_stat_names[i])) {
			*value = hn_global_numa_event_state(sim, (enum hn_numa_stat_item)i);
			return 0;
		}
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		if (!strcmp(name, node_stat_names[i])) {
			*value = hn_global_node_page_state(sim, (enum hn_node_stat_item)i);
			return 0;
		}
	}
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		if (!strcmp(name, vm_event_names[i])) {
			*value = sim->vm_events[i];
			return 0;
		}
	}
	if (!strcmp(name, hn_nr_unstable_name)) {
		*value = 0;
		return 0;
	}
	return -ENOENT;
}

/* ---- fragmentation --------------------------------------------------- */

/*
 * fill_contig_page_info(): free pages, free blocks, and how many blocks of
 * @suitable_order the larger free blocks could be split into.  Only
 * free_area counts: pages on per-CPU lists are invisible here as in the
 * kernel.
 */
void hn_fill_contig_page_info(const struct hn_sim *sim, const struct hn_zone *zone,
			      unsigned int suitable_order, struct hn_contig_page_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
		uint64_t blocks = zone->free_area[o].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= suitable_order)
			info->free_blocks_suitable += blocks << (o - suitable_order);
	}
}

/*
 * __fragmentation_index(): in thousandths, 1000 - (1000 + 1000 *
 * free_pages / requested) / free_blocks_total, both divisions truncating
 * unsigned 64-bit ones; -1000 when the request would succeed (a suitable
 * block exists), 0 with no free block at all.  With very few free blocks
 * the quotient can exceed 1000 and the index goes negative (one free block
 * of order n - 1 gives -500); the kernel prints that as " 0.-500", and so
 * do we.
 */
int hn_fragmentation_index(unsigned int order, const struct hn_contig_page_info *info)
{
	uint64_t requested = 1ULL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return (int)(1000 - (int64_t)((1000 + info->free_pages * 1000 / requested) /
				      info->free_blocks_total));
}

/*
 * unusable_free_index(): the share of free pages, in thousandths, that sit
 * in blocks smaller than 2^order; 1000 (all unusable) when nothing is free.
 */
int hn_unusable_free_index(unsigned int order, const struct hn_contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 /
		     info->free_pages);
}
