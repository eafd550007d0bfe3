/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.c - hn_sim_check(): every layer's invariants in one pass.
 *
 * The equations are written next to the data (mmzone.h, buddy.h,
 * memblock.h, mpol.h), and each layer walks its own (buddy/check.c,
 * zonelist/check.c, mempolicy/mm.c, ...); this file only asks each in
 * turn, lowest layer first.  Cost: linear in the number of free blocks,
 * memblock regions, memory sections and mapped pages, never in the number
 * of simulated pages.
 *
 * A new subsystem adds its check here (docs/architecture.md, "Adding a
 * subsystem").
 */
#include <errno.h>

#include "buddy/buddy.h"
#include "core/mmzone.h"
#include "mempolicy/mpol.h"
#include "zonelist/zonelist.h"

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
		bad |= hn_check_fastpath_caches(sim);
		bad |= hn_check_tasks(sim);
	}
	return bad ? -EUCLEAN : 0;
}
