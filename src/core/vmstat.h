/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmstat.h - what the /proc views share (mm/vmstat.c's helpers).
 *
 * Map: vmstat.c owns the counter names (the kernel's vmstat_text, cut to
 * the counters the simulation keeps), the readers that turn a zone's raw
 * counters into what the kernel prints, and the views that read the buddy
 * free lists (buddyinfo, pagetypeinfo, vmstat, extfrag and unusable index).
 * views.c prints zoneinfo with the same names and helpers, so a counter has
 * one spelling everywhere.
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
