/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.c - the migrate layer's boot: its state, the seams it fills in the
 * layers below (the allocator's slow path, the task layer's migration
 * requests), and a kcompactd for every node with memory (kcompactd_run()
 * from kcompactd_init(); nodes without N_MEMORY get none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/daemon.h"
#include "migrate/migrate.h"
#include "zonelist/zonelist.h"

/*
 * wakeup_kswapd() until reclaim brings kswapd: what kswapd would end with
 * for a node it finds nothing to reclaim on.  balance_pgdat() drops the
 * watermark boost, and kswapd_try_to_sleep() wakes kcompactd for the order
 * it was woken for before going back to sleep.
 */
static void kswapd_standin(void *ctx, struct hn_sim *sim, struct hn_zone *zone, unsigned int order,
			   hn_gfp_t gfp, int highest_zoneidx)
{
	struct hn_pglist_data *pgdat = zone->zone_pgdat;

	(void)ctx;
	(void)gfp;
	for (int z = 0; z <= highest_zoneidx; z++)
		pgdat->node_zones[z].watermark_boost = 0;
	hn_wakeup_kcompactd(sim, pgdat, (int)order, highest_zoneidx);
}

static const struct hn_slowpath_ops migrate_slowpath_ops = {
	.wake_kswapd = kswapd_standin,
	.try_to_compact_pages = hn_try_to_compact_pages,
	.compaction_defer_reset = hn_compaction_defer_reset,
	.compaction_zonelist_suitable = hn_compaction_zonelist_suitable,
};

static const struct hn_migrate_ops migrate_ops = {
	.migrate_pages = hn_migrate_folios,
	.putback_movable_pages = hn_putback_movable_pages,
	.alloc_migration_target = hn_alloc_migration_target,
};

int hn_migrate_init(struct hn_sim *sim)
{
	struct hn_migrate_state *ms = hn_sim_calloc(sim, 1, sizeof(*ms));
	size_t pairs = (size_t)sim->nr_node_ids * (size_t)sim->nr_node_ids;

	if (!ms)
		return -ENOMEM;
	sim->migrate = ms;
	hn_folio_list_init(&ms->spare_ret, sim);
	hn_folio_list_init(&ms->spare_batch, sim);
	ms->pair_pages = hn_sim_calloc(sim, pairs, sizeof(uint64_t));
	ms->pair_ns = hn_sim_calloc(sim, pairs, sizeof(uint64_t));
	ms->kcompactd = hn_sim_calloc(sim, (size_t)sim->nr_node_ids, sizeof(int));
	ms->tlb_words = (sim->nr_cpu_ids + 63) / 64;
	ms->tlb_cpus = hn_sim_calloc(sim, ms->tlb_words ? ms->tlb_words : 1, sizeof(uint64_t));
	if (!ms->pair_pages || !ms->pair_ns || !ms->kcompactd || !ms->tlb_cpus)
		return -ENOMEM;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		char name[24];
		int d;

		ms->kcompactd[nid] = -1;
		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid))
			continue;
		snprintf(name, sizeof(name), "kcompactd%d", nid);
		d = hn_daemon_register(sim, name, hn_kcompactd_run, pgdat);
		if (d < 0)
			return d;
		ms->kcompactd[nid] = d;
		pgdat->kcompactd_max_order = 0;
		pgdat->kcompactd_highest_zoneidx = pgdat->nr_zones - 1;
		/* asleep with HPAGE_FRAG_CHECK_INTERVAL_MSEC's timeout, or until woken */
		if (sim->compaction_proactiveness)
			hn_daemon_schedule(sim, d, sim->clock_ns + 500ULL * 1000 * 1000);
	}
	sim->slowpath = &migrate_slowpath_ops;
	sim->slowpath_ctx = NULL;
	sim->migrate_ops = &migrate_ops;
	return 0;
}

void hn_migrate_fini(struct hn_sim *sim)
{
	struct hn_migrate_state *ms = sim->migrate;

	if (!ms)
		return;
	free(ms->pair_pages);
	free(ms->pair_ns);
	free(ms->kcompactd);
	free(ms->tlb_cpus);
	free(ms->owners);
	hn_folio_list_free(&ms->spare_ret);
	hn_folio_list_free(&ms->spare_batch);
	free(ms);
	sim->migrate = NULL;
}
