/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmstat.c - the allocator's counters and the views that read the free
 * lists, in mm/vmstat.c's formats, byte for byte:
 *   /proc/buddyinfo                 frag_show_print()
 *   /proc/pagetypeinfo              pagetypeinfo_show() and its helpers
 *   /proc/vmstat                    vmstat_start()/vmstat_show()
 *   debugfs extfrag/extfrag_index   extfrag_show_print()
 *   debugfs extfrag/unusable_index  unusable_show_print()
 *
 * Which counters /proc/vmstat shows.  The kernel prints every entry of
 * vmstat_text[]: zone counters, NUMA events, node counters, the global
 * vm_stat items (dirty thresholds, memmap pages) and the vm events.  The
 * simulation keeps the zone counters, the NUMA events and the events of
 * enum hn_vm_event_item (pgalloc_*, allocstall_*, pgfree, compact_stall,
 * compact_fail, compact_success); only those are printed, in their
 * vmstat_text order.  The node counters (LRU sizes, workingset, dirty,
 * ...), the global vm_stat items and every other event are left out until
 * something maintains them: a line that always reads 0 would look like a
 * measurement (docs/faithfulness.md).  The one exception is the trailing
 * "nr_unstable 0": the kernel itself prints that as a constant after the
 * last counter so old tools keep parsing, and it is 0 there too.
 *
 * Pages on the per-CPU lists are not free_area pages: buddyinfo,
 * pagetypeinfo and the fragmentation indices do not see them, exactly as
 * the kernel's readers of zone->free_area do not.
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
	[COMPACTSTALL] = "compact_stall",
	[COMPACTFAIL] = "compact_fail",
	[COMPACTSUCCESS] = "compact_success",
};

/* vmstat_show()'s deprecated tail line; see the top of the file. */
static const char nr_unstable_name[] = "nr_unstable";

/* pagetypeinfo_showfree_print() stops counting a list here. */
#define PAGETYPEINFO_LIST_CAP 100000

const char *hn_zone_stat_name(enum hn_zone_stat_item item)
{
	return zone_stat_names[item];
}

const char *hn_numa_stat_name(enum hn_numa_stat_item item)
{
	return numa_stat_names[item];
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

/* frag_start()/frag_next(): the views walk online nodes in id order. */
static const struct hn_pglist_data *online_pgdat(const struct hn_sim *sim, int nid)
{
	return node_online(sim, nid) ? NODE_DATA(sim, nid) : NULL;
}

typedef void (*zone_print_fn)(FILE *f, const struct hn_pglist_data *pgdat,
			      const struct hn_zone *zone);

/* walk_zones_in_node(): every zone, or only populated ones. */
static void walk_zones_in_node(FILE *f, const struct hn_pglist_data *pgdat, bool assert_populated,
			       zone_print_fn print)
{
	for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
		const struct hn_zone *zone = &pgdat->node_zones[z];

		if (assert_populated && !populated_zone(zone))
			continue;
		print(f, pgdat, zone);
	}
}

static int walk_online_nodes(const struct hn_sim *sim, FILE *f, bool need_memory,
			     void (*show)(FILE *f, const struct hn_pglist_data *pgdat))
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = online_pgdat(sim, nid);

		/* pagetypeinfo_show() and unusable_show() skip memoryless nodes */
		if (!pgdat || (need_memory && !hn_bit_test(sim->node_states[HN_N_MEMORY],
							   (unsigned int)nid)))
			continue;
		show(f, pgdat);
	}
	return hn_view_done(f);
}

/* ---- buddyinfo -------------------------------------------------------- */

static void frag_show_print(FILE *f, const struct hn_pglist_data *pgdat,
			    const struct hn_zone *zone)
{
	fprintf(f, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (unsigned int o = 0; o < pgdat->sim->nr_page_orders; o++)
		fprintf(f, "%6" PRIu64 " ", zone->free_area[o].nr_free);
	fputc('\n', f);
}

static void frag_show(FILE *f, const struct hn_pglist_data *pgdat)
{
	walk_zones_in_node(f, pgdat, true, frag_show_print);
}

int hn_sim_show_buddyinfo(const struct hn_sim *sim, FILE *f)
{
	return walk_online_nodes(sim, f, false, frag_show);
}

/* ---- pagetypeinfo ----------------------------------------------------- */

/*
 * Length of one free list, counted up to @cap as the kernel counts it: the
 * count reaching @cap sets *@overflow, even when @cap is the exact length.
 * Elements are 32-bit indices (buddy.c): into block_map on max-order lists,
 * into mem_map on the others.  The cap also keeps a corrupted, cyclic list
 * from hanging a reader; hn_sim_check() is where such a list is reported.
 */
static uint64_t free_list_count(const struct hn_pglist_data *pgdat, const struct hn_free_list *fl,
				unsigned int order, uint64_t cap, bool *overflow)
{
	const struct hn_page *base = order == pgdat->sim->max_page_order ? pgdat->block_map :
									  pgdat->mem_map;
	uint64_t n = 0;

	*overflow = false;
	for (uint32_t idx = fl->head; idx != HN_NIL; idx = base[idx].next) {
		if (++n >= cap) {
			*overflow = true;
			break;
		}
	}
	return n;
}

static void pagetypeinfo_showfree_print(FILE *f, const struct hn_pglist_data *pgdat,
					const struct hn_zone *zone)
{
	const struct hn_sim *sim = pgdat->sim;

	for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++) {
		fprintf(f, "Node %4d, zone %8s, type %12s ", pgdat->node_id, zone->name,
			hn_migratetype_name((enum hn_migratetype)mt));
		for (unsigned int o = 0; o < sim->nr_page_orders; o++) {
			bool overflow;
			uint64_t n = free_list_count(pgdat, &zone->free_area[o].free_list[mt], o,
						     PAGETYPEINFO_LIST_CAP, &overflow);

			fprintf(f, "%s%6" PRIu64 " ", overflow ? ">" : "", n);
		}
		fputc('\n', f);
	}
}

static void pagetypeinfo_showfree(FILE *f, const struct hn_pglist_data *pgdat)
{
	fprintf(f, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int o = 0; o < pgdat->sim->nr_page_orders; o++)
		fprintf(f, "%6u ", o);
	fputc('\n', f);
	walk_zones_in_node(f, pgdat, true, pagetypeinfo_showfree_print);
}

/*
 * The kernel steps from zone_start_pfn, not from an aligned pfn: an
 * unaligned zone start still visits each pageblock once, through whichever
 * of its pfns the step lands on.  Steps landing in an absent section
 * (pfn_to_online_page() NULL) or in a page of another zone are skipped.
 */
static void pagetypeinfo_showblockcount_print(FILE *f, const struct hn_pglist_data *pgdat,
					      const struct hn_zone *zone)
{
	const struct hn_sim *sim = pgdat->sim;
	uint64_t count[HN_MIGRATE_TYPES] = { 0 };

	for (uint64_t pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
	     pfn += sim->pageblock_nr_pages) {
		int mt;

		if (pfn_to_nid(sim, pfn) < 0)
			continue;
		if (hn_pfn_zone(sim, pfn) != zone)
			continue;
		mt = get_pageblock_migratetype(zone->zone_pgdat, pfn);
		if (mt < HN_MIGRATE_TYPES)
			count[mt]++;
	}
	fprintf(f, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++)
		fprintf(f, "%12" PRIu64 " ", count[mt]);
	fputc('\n', f);
}

static void pagetypeinfo_showblockcount(FILE *f, const struct hn_pglist_data *pgdat)
{
	fprintf(f, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < HN_MIGRATE_TYPES; mt++)
		fprintf(f, "%12s ", hn_migratetype_name((enum hn_migratetype)mt));
	fputc('\n', f);
	walk_zones_in_node(f, pgdat, true, pagetypeinfo_showblockcount_print);
}

/*
 * The header repeats for every node because the kernel prints it from the
 * per-node show callback.  The "Number of mixed blocks" table needs
 * CONFIG_PAGE_OWNER, off in the reference configuration, so it is absent
 * there and here.
 */
static void pagetypeinfo_show(FILE *f, const struct hn_pglist_data *pgdat)
{
	const struct hn_sim *sim = pgdat->sim;

	fprintf(f, "Page block order: %u\n", sim->pageblock_order);
	fprintf(f, "Pages per block:  %" PRIu64 "\n", sim->pageblock_nr_pages);
	fputc('\n', f);
	pagetypeinfo_showfree(f, pgdat);
	pagetypeinfo_showblockcount(f, pgdat);
}

int hn_sim_show_pagetypeinfo(const struct hn_sim *sim, FILE *f)
{
	return walk_online_nodes(sim, f, true, pagetypeinfo_show);
}

/* ---- vmstat ----------------------------------------------------------- */

/* global_zone_page_state(): the sum over every zone, negative shown as 0. */
static uint64_t global_zone_page_state(const struct hn_sim *sim, enum hn_zone_stat_item item)
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

static uint64_t global_numa_event_state(const struct hn_sim *sim, enum hn_numa_stat_item item)
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

int hn_sim_show_vmstat(const struct hn_sim *sim, FILE *f)
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", zone_stat_names[i],
			global_zone_page_state(sim, (enum hn_zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", numa_stat_names[i],
			global_numa_event_state(sim, (enum hn_numa_stat_item)i));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", vm_event_names[i], sim->vm_events[i]);
	fprintf(f, "%s 0\n", nr_unstable_name);
	return hn_view_done(f);
}

int hn_sim_vmstat(const struct hn_sim *sim, const char *name, uint64_t *value)
{
	if (!sim || !name || !value)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		if (!strcmp(name, zone_stat_names[i])) {
			*value = global_zone_page_state(sim, (enum hn_zone_stat_item)i);
			return 0;
		}
	}
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		if (!strcmp(name, numa_stat_names[i])) {
			*value = global_numa_event_state(sim, (enum hn_numa_stat_item)i);
			return 0;
		}
	}
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		if (!strcmp(name, vm_event_names[i])) {
			*value = sim->vm_events[i];
			return 0;
		}
	}
	if (!strcmp(name, nr_unstable_name)) {
		*value = 0;
		return 0;
	}
	return -ENOENT;
}

/* ---- extfrag_index and unusable_index --------------------------------- */

struct contig_page_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable;
};

/*
 * fill_contig_page_info(): free pages, free blocks, and how many blocks of
 * @suitable_order the larger free blocks could be split into.  Only
 * free_area counts: pages on per-CPU lists are invisible here as in the
 * kernel.
 */
static void fill_contig_page_info(const struct hn_sim *sim, const struct hn_zone *zone,
				  unsigned int suitable_order, struct contig_page_info *info)
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
static int fragmentation_index(unsigned int order, const struct contig_page_info *info)
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
static int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 /
		     info->free_pages);
}

/*
 * C's truncating / and % print -1000 as "-1.000": -1000 / 1000 == -1 and
 * -1000 % 1000 == 0.  extfrag pads the integer part to two columns so the
 * minus sign lines up; unusable_index never goes negative and does not pad.
 */
static void extfrag_show_print(FILE *f, const struct hn_pglist_data *pgdat,
			       const struct hn_zone *zone)
{
	struct contig_page_info info;

	fprintf(f, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (unsigned int o = 0; o < pgdat->sim->nr_page_orders; o++) {
		int index;

		fill_contig_page_info(pgdat->sim, zone, o, &info);
		index = fragmentation_index(o, &info);
		fprintf(f, "%2d.%03d ", index / 1000, index % 1000);
	}
	fputc('\n', f);
}

static void unusable_show_print(FILE *f, const struct hn_pglist_data *pgdat,
				const struct hn_zone *zone)
{
	struct contig_page_info info;

	fprintf(f, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (unsigned int o = 0; o < pgdat->sim->nr_page_orders; o++) {
		int index;

		fill_contig_page_info(pgdat->sim, zone, o, &info);
		index = unusable_free_index(o, &info);
		fprintf(f, "%d.%03d ", index / 1000, index % 1000);
	}
	fputc('\n', f);
}

static void extfrag_show(FILE *f, const struct hn_pglist_data *pgdat)
{
	walk_zones_in_node(f, pgdat, true, extfrag_show_print);
}

static void unusable_show(FILE *f, const struct hn_pglist_data *pgdat)
{
	walk_zones_in_node(f, pgdat, true, unusable_show_print);
}

int hn_sim_show_extfrag_index(const struct hn_sim *sim, FILE *f)
{
	return walk_online_nodes(sim, f, false, extfrag_show);
}

int hn_sim_show_unusable_index(const struct hn_sim *sim, FILE *f)
{
	return walk_online_nodes(sim, f, true, unusable_show);
}
