/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmstat.h - the counters' side of mm/vmstat.c, shared by every layer
 * that reads counters or prints a view.
 *
 * Map: core/vmstat.c owns the counter names (the kernel's vmstat_text, cut
 * to the counters the simulation keeps), the readers that turn a zone's raw
 * counters into what the kernel prints, and the fragmentation arithmetic.
 * The views layer (src/views/) prints /proc/zoneinfo, buddyinfo,
 * pagetypeinfo, vmstat and the extfrag files with these names and helpers,
 * so a counter has one spelling everywhere; a subsystem's own views
 * (zonelists, numa_maps) use hn_view_check()/hn_view_done() below.
 *
 * Every function here only reads the instance.  Locking is the caller's.
 */
#ifndef HN_CORE_VMSTAT_H
#define HN_CORE_VMSTAT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/mmzone.h"

/* zone_stat_name(), numa_stat_name(): the /proc names of the zone counters. */
const char *hn_zone_stat_name(enum hn_zone_stat_item item);
const char *hn_numa_stat_name(enum hn_numa_stat_item item);
const char *hn_vm_event_name(enum hn_vm_event_item item);
const char *hn_node_stat_name(enum hn_node_stat_item item);
/* global_node_page_state(): the sum over every node. */
uint64_t hn_global_node_page_state(const struct hn_sim *sim, enum hn_node_stat_item item);
/* "nr_unstable": vmstat_show()'s constant tail line. */
extern const char hn_nr_unstable_name[];

/* global_zone_page_state(), global_numa_event_state(): sums over every zone. */
uint64_t hn_global_zone_page_state(const struct hn_sim *sim, enum hn_zone_stat_item item);
uint64_t hn_global_numa_event_state(const struct hn_sim *sim, enum hn_numa_stat_item item);

/*
 * struct contig_page_info and fill_contig_page_info(): a zone's free pages,
 * free blocks, and how many blocks of @suitable_order its free blocks could
 * be split into (free_area only: pcp pages are invisible, as in the kernel).
 * __fragmentation_index() and unusable_free_index() in thousandths; see
 * vmstat.c for their edge cases.
 */
struct hn_contig_page_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable;
};

void hn_fill_contig_page_info(const struct hn_sim *sim, const struct hn_zone *zone,
			      unsigned int suitable_order, struct hn_contig_page_info *info);
int hn_fragmentation_index(unsigned int order, const struct hn_contig_page_info *info);
int hn_unusable_free_index(unsigned int order, const struct hn_contig_page_info *info);

/*
 * zone_page_state(): the kernel folds per-CPU deltas into a signed counter
 * that may dip below zero for a moment, and hides that from readers by
 * reporting 0.  Our counters are exact, but a negative one is still shown
 * as the kernel would show it.
 */
static inline uint64_t zone_page_state(const struct hn_zone *zone, enum hn_zone_stat_item item)
{
	int64_t x = zone->vm_stat[item];

	return x < 0 ? 0 : (uint64_t)x;
}

static inline uint64_t zone_numa_event_state(const struct hn_zone *zone,
					     enum hn_numa_stat_item item)
{
	return zone->vm_numa_event[item];
}

/*
 * for_each_online_cpu(): a simulated CPU id is online when the machine
 * gives it a node; ids between the machine's CPUs (cpus "0,2") are holes,
 * like possible-but-absent CPUs.
 */
static inline bool hn_cpu_online(const struct hn_sim *sim, unsigned int cpu)
{
	return cpu_to_node(sim, cpu) >= 0;
}

unsigned int hn_num_online_cpus(const struct hn_sim *sim);

/*
 * calculate_normal_threshold(): the per-CPU drift a zone counter may
 * accumulate before it is folded, as zoneinfo's "vm stats threshold".
 */
int hn_calculate_normal_threshold(const struct hn_sim *sim, const struct hn_zone *zone);

/* The argument and state checks every view starts with, and its end. */
static inline int hn_view_check(const struct hn_sim *sim, FILE *f)
{
	if (!sim || !f)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	return 0;
}

static inline int hn_view_done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

#endif /* HN_CORE_VMSTAT_H */
