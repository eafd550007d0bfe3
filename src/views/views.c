/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * views.c - the text formats users already know, byte for byte:
 *   /proc/zoneinfo       mm/vmstat.c zoneinfo_show_print()
 *   numactl --hardware   numactl.c hardware() and print_distances()
 *   debugfs memblock     mm/memblock.c memblock_debug_show()
 * plus the boot log buffer and a per-node summary of our own.  The views
 * that read the free lists and the counters' names live in vmstat.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/mmzone.h"
#include "core/vmstat.h"
#include "util/util.h"

int hn_sim_dmesg(const struct hn_sim *sim, FILE *f)
{
	if (!sim || !f)
		return -EINVAL;
	if (sim->dmesg.len)
		fwrite(sim->dmesg.buf, 1, sim->dmesg.len, f);
	return hn_view_done(f);
}

/*
 * The kernel's boot_pageset: what a zone without per-CPU lists of its own
 * points at (count 0, BOOT_PAGESET_HIGH 0, BOOT_PAGESET_BATCH 1).
 */
static const struct hn_per_cpu_pages boot_pageset = { .count = 0, .high = 0, .batch = 1 };

static void zoneinfo_show_print(FILE *f, const struct hn_pglist_data *pgdat,
				const struct hn_zone *zone)
{
	const struct hn_sim *sim = pgdat->sim;
	int threshold;

	fprintf(f, "Node %d, zone %8s", pgdat->node_id, zone->name);
	/*
	 * The kernel prints the per-node counters (LRU sizes, ...) under the
	 * first populated zone.  They arrive with the LRU; until then the
	 * block is left out rather than filled with counters nothing keeps.
	 */
	fprintf(f,
		"\n  pages free     %" PRIu64
		"\n        boost    %" PRIu64
		"\n        min      %" PRIu64
		"\n        low      %" PRIu64
		"\n        high     %" PRIu64
		"\n        promo    %" PRIu64
		"\n        spanned  %" PRIu64
		"\n        present  %" PRIu64
		"\n        managed  %" PRIu64
		"\n        cma      %" PRIu64,
		zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
		promo_wmark_pages(zone), zone->spanned_pages, zone->present_pages,
		zone->managed_pages, zone->cma_pages);
	fprintf(f, "\n        protection: (%" PRId64, zone->lowmem_reserve[0]);
	for (int i = 1; i < HN_MAX_NR_ZONES; i++)
		fprintf(f, ", %" PRId64, zone->lowmem_reserve[i]);
	fputc(')', f);
	if (!populated_zone(zone)) {
		fputc('\n', f);
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		fprintf(f, "\n      %-12s %" PRIu64, hn_zone_stat_name((enum hn_zone_stat_item)i),
			zone_page_state(zone, (enum hn_zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		fprintf(f, "\n      %-12s %" PRIu64, hn_numa_stat_name((enum hn_numa_stat_item)i),
			zone_numa_event_state(zone, (enum hn_numa_stat_item)i));
	/*
	 * One entry per online CPU.  Every CPU of a zone has the same
	 * threshold: refresh_zone_stat_thresholds() sets them all from
	 * calculate_normal_threshold().
	 */
	threshold = hn_calculate_normal_threshold(sim, zone);
	fprintf(f, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++) {
		const struct hn_per_cpu_pages *pcp;

		if (!hn_cpu_online(sim, cpu))
			continue;
		pcp = zone->per_cpu_pageset ? &zone->per_cpu_pageset[cpu] : &boot_pageset;
		fprintf(f,
			"\n    cpu: %u"
			"\n              count: %d"
			"\n              high:  %d"
			"\n              batch: %d",
			cpu, pcp->count, pcp->high, pcp->batch);
		fprintf(f, "\n  vm stats threshold: %d", threshold);
	}
	fprintf(f,
		"\n  node_unreclaimable:  %u"
		"\n  start_pfn:           %" PRIu64,
		0u, zone->zone_start_pfn);
	fputc('\n', f);
}

int hn_sim_show_zoneinfo(const struct hn_sim *sim, FILE *f)
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)nid))
			continue;
		for (int z = 0; z < HN_MAX_NR_ZONES; z++)
			zoneinfo_show_print(f, pgdat, &pgdat->node_zones[z]);
	}
	return hn_view_done(f);
}

static uint64_t node_managed(const struct hn_pglist_data *pgdat)
{
	uint64_t n = 0;

	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		n += pgdat->node_zones[z].managed_pages;
		for_each_attr_zone(&pgdat->node_zones[z], az, i)
			n += az->managed_pages;
	}
	return n;
}

static uint64_t node_free(const struct hn_pglist_data *pgdat)
{
	uint64_t n = 0;

	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		n += (uint64_t)pgdat->node_zones[z].vm_stat[NR_FREE_PAGES];
		for_each_attr_zone(&pgdat->node_zones[z], az, i)
			n += (uint64_t)az->vm_stat[NR_FREE_PAGES];
	}
	return n;
}

/*
 * numactl lists the nodes that have a directory in /sys/devices/system/node,
 * i.e. the online nodes, and compresses consecutive ids into ranges with its
 * own little state machine, reproduced here step for step.
 */
int hn_sim_show_hardware(const struct hn_sim *sim, FILE *f)
{
	const uint64_t *online;
	int maxnode = -1, numnodes = 0, prevnode = -1, skip = 0, fst = 0;
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	online = sim->node_states[HN_N_ONLINE];
	for (int i = 0; i < sim->nr_node_ids; i++) {
		if (hn_bit_test(online, (unsigned int)i)) {
			maxnode = i;
			numnodes++;
		}
	}
	fprintf(f, "available: %d nodes (", numnodes);
	for (int i = 0; i <= maxnode; i++) {
		if (!hn_bit_test(online, (unsigned int)i))
			continue;
		if (prevnode == -1) {
			fprintf(f, "%d", i);
			prevnode = i;
			continue;
		}
		if (i > prevnode + 1) {
			if (skip) {
				fprintf(f, "%d", prevnode);
				skip = 0;
			}
			fprintf(f, ",%d", i);
			prevnode = i;
			continue;
		}
		if (i == prevnode + 1) {
			if (!skip) {
				fputc('-', f);
				skip = 1;
			}
			prevnode = i;
		}
		if (i == maxnode && skip)
			fprintf(f, "%d", prevnode);
	}
	fprintf(f, ")\n");
	for (int i = 0; i <= maxnode; i++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, i);
		uint64_t kib = sim->page_size >> 10;

		if (!hn_bit_test(online, (unsigned int)i))
			continue;
		fprintf(f, "node %d cpus:", i);
		for (unsigned int cpu = 0; cpu < sim->nr_cpu_ids; cpu++)
			if (sim->cpu_to_node[cpu] == i)
				fprintf(f, " %u", cpu);
		fputc('\n', f);
		/* numa_node_size64() reads MemTotal/MemFree in kB from sysfs */
		fprintf(f, "node %d size: %" PRIu64 " MB\n", i,
			(node_managed(pgdat) * kib * 1024) >> 20);
		fprintf(f, "node %d free: %" PRIu64 " MB\n", i,
			(node_free(pgdat) * kib * 1024) >> 20);
	}
	for (int i = 0; i <= maxnode; i++) {
		if (hn_bit_test(online, (unsigned int)i)) {
			fst = i;
			break;
		}
	}
	if (maxnode < 0 || !hn_machine_distance(sim->machine, maxnode, fst)) {
		fprintf(f, "No distance information available.\n");
		return hn_view_done(f);
	}
	fprintf(f, "node distances:\n");
	fprintf(f, "node ");
	for (int i = 0; i <= maxnode; i++)
		if (hn_bit_test(online, (unsigned int)i))
			fprintf(f, "% 3d ", i);
	fprintf(f, "\n");
	for (int i = 0; i <= maxnode; i++) {
		if (!hn_bit_test(online, (unsigned int)i))
			continue;
		fprintf(f, "% 3d: ", i);
		for (int k = 0; k <= maxnode; k++)
			if (hn_bit_test(online, (unsigned int)k))
				fprintf(f, "% 3d ", hn_machine_distance(sim->machine, i, k));
		fprintf(f, "\n");
	}
	return hn_view_done(f);
}

int hn_sim_show_memblock(const struct hn_sim *sim, FILE *f)
{
	if (!sim || !f)
		return -EINVAL;
	return hn_memblock_dump(sim->memblock, f);
}

static const char *node_kinds(const struct hn_sim *sim, int nid, char *buf, size_t len)
{
	const struct hn_machine *m = sim->machine;
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < m->nr_memdevs; i++) {
		const char *k;
		int n;

		if (m->memdevs[i].nid != nid)
			continue;
		k = hn_mem_kind_name(m->memdevs[i].kind);
		if (strstr(buf, k))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "+" : "", k);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		hn_strlcpy(buf, "-", len);
	return buf;
}

/* Our own table: one line per node, the figures a reader wants first. */
int hn_sim_show_summary(const struct hn_sim *sim, FILE *f)
{
	uint64_t tot_present = 0, tot_managed = 0, tot_free = 0;
	uint64_t kib = 0;
	char kinds[64], cpus[64], sz[32];
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	kib = sim->page_size >> 10;
	fprintf(f, "machine %s: %d nodes, %u CPUs, %s pages, MAX_PAGE_ORDER %u, pageblock order %u\n",
		sim->machine->name, hn_bitmap_weight(sim->node_states[HN_N_ONLINE],
						     (unsigned int)sim->nr_node_ids),
		sim->nr_cpu_ids, hn_format_size(sim->page_size, sz, sizeof(sz)),
		sim->max_page_order, sim->pageblock_order);
	fprintf(f, "%-4s %-16s %-16s %10s %10s %10s %s\n", "node", "memory", "cpus",
		"present", "managed", "free", "zones");
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		uint64_t bits[HN_MAX_CPUS / 64] = { 0 };
		char zones[64] = "";
		size_t zoff = 0;

		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_ONLINE], (unsigned int)nid))
			continue;
		for (unsigned int c = 0; c < sim->nr_cpu_ids; c++)
			if (sim->cpu_to_node[c] == nid)
				hn_bit_set(bits, c);
		hn_format_idlist(bits, sim->nr_cpu_ids, cpus, sizeof(cpus));
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			int n;

			if (!pgdat->node_zones[z].spanned_pages)
				continue;
			n = snprintf(zones + zoff, sizeof(zones) - zoff, "%s%s", zoff ? "," : "",
				     pgdat->node_zones[z].name);
			if (n > 0 && (size_t)n < sizeof(zones) - zoff)
				zoff += (size_t)n;
		}
		fprintf(f, "%-4d %-16s %-16s %9" PRIu64 "M %9" PRIu64 "M %9" PRIu64 "M %s\n", nid,
			node_kinds(sim, nid, kinds, sizeof(kinds)), cpus[0] ? cpus : "-",
			pgdat->node_present_pages * kib >> 10, node_managed(pgdat) * kib >> 10,
			node_free(pgdat) * kib >> 10, zones[0] ? zones : "-");
		tot_present += pgdat->node_present_pages;
		tot_managed += node_managed(pgdat);
		tot_free += node_free(pgdat);
	}
	fprintf(f, "%-4s %-16s %-16s %9" PRIu64 "M %9" PRIu64 "M %9" PRIu64 "M\n", "all", "", "",
		tot_present * kib >> 10, tot_managed * kib >> 10, tot_free * kib >> 10);
	fprintf(f, "min_free_kbytes %" PRIu64 ", totalreserve_pages %" PRIu64 "\n",
		sim->min_free_kbytes, sim->totalreserve_pages);
	return hn_view_done(f);
}

/* ---- numastat ------------------------------------------------------------------ */

static const struct hn_pglist_data *online_pgdat(const struct hn_sim *sim, int nid)
{
	return node_online(sim, nid) ? NODE_DATA(sim, nid) : NULL;
}

/* /sys/devices/system/node/nodeN/numastat: the node's zones summed. */
static uint64_t node_numa_event(const struct hn_pglist_data *pgdat, enum hn_numa_stat_item item)
{
	uint64_t n = 0;

	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		n += zone_numa_event_state(&pgdat->node_zones[z], item);
		for_each_attr_zone(&pgdat->node_zones[z], az, i)
			n += zone_numa_event_state(az, item);
	}
	return n;
}

/*
 * numastat(8) over the online nodes.  Without @megabytes its default,
 * compatible with the original script: node columns "node<N>" of 16
 * characters, the sysfs names and page counts.  With @megabytes, numastat
 * -n: a title, "Node <N>" and "Total" columns under rules of dashes, the
 * capitalised names and megabytes with two decimals.
 */
int hn_sim_show_numastat(const struct hn_sim *sim, FILE *f, bool megabytes)
{
	static const char *const token[] = { "numa_hit", "numa_miss", "numa_foreign",
					     "interleave_hit", "local_node", "other_node" };
	static const char *const label[] = { "Numa_Hit", "Numa_Miss", "Numa_Foreign",
					     "Interleave_Hit", "Local_Node", "Other_Node" };
	static const enum hn_numa_stat_item item[] = { NUMA_HIT, NUMA_MISS, NUMA_FOREIGN,
						       NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER };
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	if (megabytes)
		fprintf(f, "\nPer-node numastat info (in MBs):\n");
	fprintf(f, "%16s", "");
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		char head[32];

		if (!online_pgdat(sim, nid))
			continue;
		snprintf(head, sizeof(head), megabytes ? "Node %d" : "node%d", nid);
		fprintf(f, "%16s", head);
	}
	if (megabytes) {
		fprintf(f, "%16s\n%16s", "Total", "");
		for (int nid = 0; nid <= sim->nr_node_ids; nid++)
			if (nid == sim->nr_node_ids || online_pgdat(sim, nid))
				fprintf(f, " ---------------");
	}
	fputc('\n', f);
	for (size_t r = 0; r < sizeof(item) / sizeof(item[0]); r++) {
		double total = 0;

		fprintf(f, "%-16s", megabytes ? label[r] : token[r]);
		for (int nid = 0; nid < sim->nr_node_ids; nid++) {
			const struct hn_pglist_data *pgdat = online_pgdat(sim, nid);
			uint64_t v;

			if (!pgdat)
				continue;
			v = node_numa_event(pgdat, item[r]);
			if (megabytes) {
				double mb = (double)v * (double)sim->page_size / (1024.0 * 1024.0);

				total += mb;
				fprintf(f, "%16.2f", mb);
			} else {
				fprintf(f, "%16" PRIu64, v);
			}
		}
		if (megabytes)
			fprintf(f, "%16.2f", total);
		fputc('\n', f);
	}
	return hn_view_done(f);
}

/* ---- sysctl vm ------------------------------------------------------------------ */

/*
 * `sysctl vm` for the values the simulation keeps, in sysctl(8)'s sorted
 * order.  Vectors print as proc_dointvec() does, tab-separated; the
 * lowmem_reserve_ratio vector has one entry per zone type the kernel is
 * built with.  Values with no setting here are the kernel's defaults,
 * which is what the simulation does: zone_reclaim_mode 0 (node reclaim
 * off), percpu_pagelist_high_fraction 0 (pcp high from the zone's low
 * watermark), numa_zonelist_order "Node" (the only order since 4.14).
 */
int hn_sim_show_sysctl(const struct hn_sim *sim, FILE *f)
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	fprintf(f, "vm.compact_unevictable_allowed = %d\n",
		sim->compact_unevictable_allowed ? 1 : 0);
	fprintf(f, "vm.compaction_proactiveness = %u\n", sim->compaction_proactiveness);
	fprintf(f, "vm.extfrag_threshold = %d\n", sim->extfrag_threshold);
	fprintf(f, "vm.lowmem_reserve_ratio =");
	for (int z = 0; z < HN_MAX_NR_ZONES; z++)
		fprintf(f, "%s%u", z ? "\t" : " ", sim->cfg.lowmem_reserve_ratio[z]);
	fprintf(f, "\n");
	fprintf(f, "vm.min_free_kbytes = %" PRIu64 "\n", sim->min_free_kbytes);
	fprintf(f, "vm.numa_zonelist_order = Node\n");
	fprintf(f, "vm.percpu_pagelist_high_fraction = 0\n");
	fprintf(f, "vm.watermark_boost_factor = %u\n", sim->watermark_boost_factor);
	fprintf(f, "vm.watermark_scale_factor = %u\n", sim->cfg.watermark_scale_factor);
	fprintf(f, "vm.zone_reclaim_mode = 0\n");
	return hn_view_done(f);
}
