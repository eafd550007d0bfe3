/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * khugepaged.c - what transparent huge pages do to the watermarks
 * (mm/khugepaged.c: set_recommended_min_free_kbytes(),
 * start_stop_khugepaged(), khugepaged_min_free_kbytes_update();
 * mm/huge_memory.c: hugepage_init(), enabled_store()).
 *
 * No huge page is collapsed here: khugepaged's scanning has nothing to
 * scan until tasks map huge pages.  What the kernel's khugepaged does to
 * every machine, THP used or not, is to raise min_free_kbytes when it
 * starts, so that each zone keeps a few pageblocks free for
 * anti-fragmentation; the watermarks of a Debian machine are those.
 *
 * The order of a boot (init/main.c's initcall levels):
 *   postcore  init_per_zone_wmark_min()   khugepaged not running: no-op
 *   subsys    hugepage_init()             starts khugepaged, raises
 *   later     a write to transparent_hugepage/enabled, memory hotplug
 *
 * Locking is the caller's.
 */
#include <errno.h>
#include <inttypes.h>

#include <hnuma/hnuma.h>

#include "buddy/buddy.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

/*
 * hugepage_pmd_enabled(): khugepaged has work when the PMD order may be
 * used.  Debian's config has no READ_ONLY_THP_FOR_FS, and hugepage_init()
 * sets the PMD order to "inherit", so the global mode decides: always and
 * madvise both count.
 */
static bool hugepage_pmd_enabled(const struct hn_sim *sim)
{
	return sim->thp_enabled == HN_THP_ALWAYS || sim->thp_enabled == HN_THP_MADVISE;
}

/*
 * set_recommended_min_free_kbytes(): with THP on, room for two free
 * pageblocks per zone GFP_USER can reach, plus MIGRATE_PCPTYPES^2 more so
 * that each mobility type has a block to fall back to without mixing,
 * at most 5% of lowmem (nr_free_buffer_pages(), which now subtracts the
 * high watermarks), and only ever upward.  With THP off the plain formula
 * is recomputed, and it too sees the high watermarks subtracted.  Either
 * way every watermark is set again.
 *
 * ZONE_MOVABLE (and Device) are left out of the count: they hold movable
 * pages only, so they cannot fragment by type.
 */
static void set_recommended_min_free_kbytes(struct hn_sim *sim)
{
	uint64_t recommended, cap;
	int nr_zones = 0, user_zone = hn_gfp_zone(GFP_USER);

	if (!hugepage_pmd_enabled(sim)) {
		hn_calculate_min_free_kbytes(sim);
		goto update_wmarks;
	}
	/* for_each_populated_zone(): the zones of online nodes with present pages */
	for_each_zone(sim, zone) {
		if (!hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)zone_to_nid(zone)))
			continue;
		if (populated_zone(zone) && (int)zone->idx <= user_zone)
			nr_zones++;
	}
	recommended = sim->pageblock_nr_pages * (uint64_t)nr_zones * 2;
	recommended += sim->pageblock_nr_pages * (uint64_t)nr_zones * HN_MIGRATE_PCPTYPES *
		       HN_MIGRATE_PCPTYPES;
	cap = hn_nr_free_buffer_pages(sim) / 20;
	recommended = HN_MIN(recommended, cap);
	recommended <<= sim->page_shift - 10;
	if (recommended > sim->min_free_kbytes) {
		/* the kernel tells only a user who had chosen a value */
		if (sim->user_min_free_kbytes >= 0)
			hn_printk(sim, HN_LOG_INFO,
				  "raising min_free_kbytes from %" PRIu64 " to %" PRIu64
				  " to help transparent hugepage allocations",
				  sim->min_free_kbytes, recommended);
		sim->min_free_kbytes = recommended;
	}
update_wmarks:
	hn_setup_per_zone_wmarks_all(sim);
}

/*
 * start_stop_khugepaged(): the thread runs exactly while the PMD order is
 * enabled; the watermarks are recomputed whatever the mode.
 */
void hn_start_stop_khugepaged(struct hn_sim *sim)
{
	sim->khugepaged_running = hugepage_pmd_enabled(sim);
	set_recommended_min_free_kbytes(sim);
}

/* khugepaged_min_free_kbytes_update(): only once khugepaged runs. */
void hn_khugepaged_min_free_kbytes_update(struct hn_sim *sim)
{
	if (hugepage_pmd_enabled(sim) && sim->khugepaged_running)
		set_recommended_min_free_kbytes(sim);
}

/*
 * hugepage_init(), the subsys initcall.  Below 512 MiB of managed memory
 * the kernel clears every THP flag and returns before starting
 * khugepaged, so such a machine keeps the postcore watermarks and reads
 * "never".
 */
void hn_hugepage_init(struct hn_sim *sim)
{
	if ((sim->totalram_pages << sim->page_shift) < (UINT64_C(512) << 20)) {
		sim->thp_enabled = HN_THP_NEVER;
		return;
	}
	hn_start_stop_khugepaged(sim);
}

int hn_sim_set_thp_enabled(struct hn_sim *sim, enum hn_thp_enabled mode)
{
	if (!sim || (mode != HN_THP_ALWAYS && mode != HN_THP_MADVISE && mode != HN_THP_NEVER))
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	sim->thp_enabled = mode;
	hn_start_stop_khugepaged(sim);
	if (HN_DEBUG_VM_ENABLED && hn_debug_check(sim, NULL))
		return -EUCLEAN;
	return 0;
}

int hn_sim_thp_enabled(const struct hn_sim *sim)
{
	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	return (int)sim->thp_enabled;
}
