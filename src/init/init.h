/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.h - the init layer: what builds an instance and changes its layout
 * (init/main.c's start_kernel() order as mm_core_init() and mm_init.c run
 * it, and memory_hotplug.c).
 *
 * Map:
 *   create.c    hn_sim_create/boot/destroy: configuration, the two boot
 *               phases, the teardown of every layer's state
 *   boot.c      hn_boot_memblock(): machine -> memblock; hn_boot_mm():
 *               nodes, zones, mem_map, the buddy filled, watermarks,
 *               zonelists
 *   hotplug.c   attribute ranges added and removed after boot
 *
 * This layer sits above every subsystem (docs/architecture.md): it calls
 * down into each to build its state, and nothing below calls into it.
 *
 * Locking is the caller's.
 */
#ifndef HN_INIT_INIT_H
#define HN_INIT_INIT_H

#include "core/mmzone.h"

/* The two boot phases (boot.c); 0 or a negative errno, the instance half built. */
int hn_boot_memblock(struct hn_sim *sim);
int hn_boot_mm(struct hn_sim *sim);

/*
 * An attribute node for [start, end) of @zone with word @mattr: its zone
 * part set up empty and inserted into the zone's set (boot.c).  0, -ENOMEM,
 * or the set's -EEXIST.
 */
int hn_attach_attr_zone(struct hn_sim *sim, struct hn_zone *zone, uint64_t start, uint64_t end,
			hn_mattr_t mattr);
/* Every attribute node of every zone released (boot.c). */
void hn_free_attr_zones(struct hn_sim *sim);

/* Rewrite sim->sections[] after zones or attribute nodes changed (boot.c). */
void hn_fill_section_zones(struct hn_sim *sim);

#endif /* HN_INIT_INIT_H */
