/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * create.c - an instance's lifetime: the configuration resolved into
 * values (no zero "defaults" survive), the boot in its two phases
 * (boot.c), and the teardown that asks each layer to release what it
 * owns, highest layer first.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#include "buddy/buddy.h"
#include "core/contents.h"
#include "core/daemon.h"
#include "core/mmzone.h"
#include "init/init.h"
#include "mempolicy/mpol.h"
#include "migrate/migrate.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define DEFAULT_MAX_NODES 64
#define DEFAULT_MAX_PAGE_ORDER 10
#define DEFAULT_STRUCT_PAGE_SIZE 64
#define DEFAULT_KERNEL_IMAGE (32 * HN_MiB)
#define DEFAULT_WATERMARK_SCALE_FACTOR 10

/* sysctl_lowmem_reserve_ratio defaults: DMA 256, DMA32 256, Normal 32. */
static const unsigned int default_lowmem_reserve_ratio[HN_MAX_NR_ZONES] = {
	[HN_ZONE_DMA] = 256,
	[HN_ZONE_DMA32] = 256,
	[HN_ZONE_NORMAL] = 32,
	[HN_ZONE_MOVABLE] = 0,
	[HN_ZONE_DEVICE] = 0,
};

static int resolve_config(struct hn_sim *sim, const struct hn_machine *m,
			  const struct hn_sim_config *in)
{
	struct hn_sim_config c = in ? *in : (struct hn_sim_config){ 0 };
	unsigned int shift = c.page_shift;

	if (!shift)
		shift = m->page_size ? hn_ilog2(m->page_size) : 12;
	if (shift < 12 || shift > 21) {
		hn_logf(&c.log, HN_LOG_ERR, "page_shift %u out of range 12..21", shift);
		return -EINVAL;
	}
	if (!c.max_page_order)
		c.max_page_order = DEFAULT_MAX_PAGE_ORDER;
	if (c.max_page_order > HN_MAX_ORDER_LIMIT || shift + c.max_page_order > 40) {
		hn_logf(&c.log, HN_LOG_ERR, "max_page_order %u too large for %u-bit pages",
			c.max_page_order, shift);
		return -EINVAL;
	}
	if (!c.pageblock_order) {
		/* pageblock_order follows the PMD huge page (2 MiB) when it can */
		c.pageblock_order = shift >= 21 ? 0 : 21 - shift;
		if (c.pageblock_order > c.max_page_order)
			c.pageblock_order = c.max_page_order;
	}
	if (c.pageblock_order > c.max_page_order) {
		hn_logf(&c.log, HN_LOG_ERR, "pageblock_order %u exceeds max_page_order %u",
			c.pageblock_order, c.max_page_order);
		return -EINVAL;
	}
	if (!c.max_nodes)
		c.max_nodes = DEFAULT_MAX_NODES;
	if (c.max_nodes < 1 || c.max_nodes > HN_MAX_NUMNODES) {
		hn_logf(&c.log, HN_LOG_ERR, "max_nodes %d out of range 1..%d", c.max_nodes,
			HN_MAX_NUMNODES);
		return -EINVAL;
	}
	if (!c.watermark_scale_factor)
		c.watermark_scale_factor = DEFAULT_WATERMARK_SCALE_FACTOR;
	if (c.watermark_scale_factor > 3000) {	/* the sysctl's upper bound */
		hn_logf(&c.log, HN_LOG_ERR, "watermark_scale_factor %u above 3000",
			c.watermark_scale_factor);
		return -EINVAL;
	}
	if (c.min_free_kbytes > (1ULL << 40)) {
		hn_logf(&c.log, HN_LOG_ERR, "min_free_kbytes %" PRIu64 " is absurd", c.min_free_kbytes);
		return -EINVAL;
	}
	if (c.thp_enabled > HN_THP_NEVER) {
		hn_logf(&c.log, HN_LOG_ERR, "thp_enabled %u is not always, madvise or never",
			c.thp_enabled);
		return -EINVAL;
	}
	/* CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS, as Debian builds 6.12 */
	if (c.thp_enabled == HN_THP_DEFAULT)
		c.thp_enabled = HN_THP_ALWAYS;
	if (!c.lowmem_reserve_ratio_set)
		memcpy(c.lowmem_reserve_ratio, default_lowmem_reserve_ratio,
		       sizeof(c.lowmem_reserve_ratio));
	if (!c.struct_page_size)
		c.struct_page_size = DEFAULT_STRUCT_PAGE_SIZE;
	if (c.struct_page_size > 4096) {
		hn_logf(&c.log, HN_LOG_ERR, "struct_page_size %u above 4096", c.struct_page_size);
		return -EINVAL;
	}
	if (!c.kernel_image_size)
		c.kernel_image_size = DEFAULT_KERNEL_IMAGE;
	for (int i = 0; i < HN_FAULT_NR_SITES; i++) {
		if (c.faults[i].probability > 100) {
			hn_logf(&c.log, HN_LOG_ERR, "fault site %s: probability %u above 100",
				hn_fault_site_name((enum hn_fault_site)i), c.faults[i].probability);
			return -EINVAL;
		}
	}
	if (c.contents > HN_CONTENTS_MIX ||
	    (c.contents == HN_CONTENTS_MIX && (c.contents_ratio < 100 || c.contents_ratio > 100000))) {
		hn_logf(&c.log, HN_LOG_ERR, "contents model %u (ratio %u) out of range", c.contents,
			c.contents_ratio);
		return -EINVAL;
	}
	if (c.flags & ~(unsigned int)(HN_SIM_STOP_BEFORE_MM | HN_SIM_MOVABLE_NODE |
				      HN_SIM_NO_MEMMAP_RESERVE | HN_SIM_NO_PCP | HN_SIM_HNUMA)) {
		hn_logf(&c.log, HN_LOG_ERR, "unknown flags %#x", c.flags);
		return -EINVAL;
	}
	sim->attr_match = hn_attr_match_by_name(c.attr_match ? c.attr_match : "slides");
	if (!sim->attr_match) {
		hn_logf(&c.log, HN_LOG_ERR, "unknown attribute matching strategy '%s'", c.attr_match);
		return -EINVAL;
	}
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		if (c.attr_weights[p] > 1000000) {
			hn_logf(&c.log, HN_LOG_ERR, "attribute weight %u above 1000000", c.attr_weights[p]);
			return -EINVAL;
		}
		sim->attr_weights[p] = c.attr_weights[p] ? c.attr_weights[p] : 1;
	}
	c.attr_match = NULL;	/* the caller's string need not outlive the call */
	sim->hnuma = c.flags & HN_SIM_HNUMA;
	c.page_shift = shift;
	sim->cfg = c;
	sim->log = c.log;
	sim->page_shift = shift;
	sim->page_size = 1ULL << shift;
	sim->max_page_order = c.max_page_order;
	sim->nr_page_orders = c.max_page_order + 1;
	sim->pageblock_order = c.pageblock_order;
	sim->pageblock_nr_pages = 1ULL << c.pageblock_order;
	sim->pfn_section_shift = HN_SECTION_SIZE_BITS - shift;
	sim->watermark_boost_factor = 15000;	/* the sysctl's default */
	sim->user_min_free_kbytes = -1;		/* nobody wrote vm.min_free_kbytes yet */
	sim->thp_enabled = (enum hn_thp_enabled)c.thp_enabled;
	/* vm.extfrag_threshold, vm.compaction_proactiveness, vm.compact_unevictable_allowed */
	sim->extfrag_threshold = 500;
	sim->compaction_proactiveness = 20;
	sim->compact_unevictable_allowed = true;
	sim->daemon_next_ns = UINT64_MAX;
	return 0;
}

int hn_sim_create(struct hn_sim **out, const struct hn_machine *machine,
		  const struct hn_sim_config *cfg)
{
	struct hn_sim *sim;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!machine)
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	ret = resolve_config(sim, machine, cfg);
	if (ret)
		goto fail;
	hn_rng_seed(&sim->rng, sim->cfg.seed);
	hn_fault_init(sim);
	/* the machine copy counts as one host allocation */
	ret = hn_should_fail(sim, HN_FAULT_HOST_ALLOC) ? -ENOMEM :
	      hn_machine_clone(&sim->machine, machine);
	if (ret)
		goto fail;
	ret = hn_machine_validate(sim->machine, sim->cfg.max_nodes, &sim->log);
	if (ret)
		goto fail;
	ret = hn_boot_memblock(sim);
	if (ret)
		goto fail;
	if (!(sim->cfg.flags & HN_SIM_STOP_BEFORE_MM)) {
		ret = hn_boot_mm(sim);
		if (ret)
			goto fail;
		if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim)) {
			ret = -EUCLEAN;
			goto fail;
		}
	}
	*out = sim;
	return 0;
fail:
	hn_sim_destroy(sim);
	return ret;
}

int hn_sim_boot(struct hn_sim *sim)
{
	int ret;

	if (!sim)
		return -EINVAL;
	if (sim->booted || sim->node_data)
		return -EBUSY;
	ret = hn_boot_mm(sim);
	if (ret)
		return ret;
	if (HN_DEBUG_VM_ENABLED && hn_sim_check(sim))
		return -EUCLEAN;
	return 0;
}

void hn_sim_destroy(struct hn_sim *sim)
{
	if (!sim)
		return;
	hn_free_tasks(sim);
	hn_migrate_fini(sim);
	hn_daemons_free(sim);
	hn_contents_fini(sim);
	free(sim->mm_table);
	if (sim->node_data) {
		hn_free_zonelists(sim);
		hn_free_attr_zones(sim);
	}
	for (int nid = 0; sim->node_data && nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = sim->node_data[nid];

		if (!pgdat)
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			free(pgdat->node_zones[z].free_area);
			hn_pcp_free_zone(&pgdat->node_zones[z]);
		}
		hn_host_unmap(pgdat->mem_map, pgdat->mem_map_bytes);
		hn_host_unmap(pgdat->block_map, pgdat->block_map_bytes);
		hn_host_unmap(pgdat->page_ext, pgdat->page_ext_bytes);
		free(pgdat->pageblock_mt);
		free(pgdat->pageblock_skip);
		free(pgdat);
	}
	free(sim->node_data);
	for (int s = 0; s < HN_NR_NODE_STATES; s++)
		free(sim->node_states[s]);
	free(sim->section_nid);
	free(sim->sections);
	free(sim->cpu_to_node);
	free(sim->dmesg.buf);
	hn_memblock_destroy(sim->memblock);
	hn_machine_free(sim->machine);
	free(sim);
}
