/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmstat.c - the views of mm/vmstat.c that read the buddy free lists and
 * the counters, byte for byte:
 *   /proc/buddyinfo                 frag_show_print()
 *   /proc/pagetypeinfo              pagetypeinfo_show() and its helpers
 *   /proc/vmstat                    vmstat_start()/vmstat_show()
 *   debugfs extfrag/extfrag_index   extfrag_show_print()
 *   debugfs extfrag/unusable_index  unusable_show_print()
 *
 * The counters, their names and the fragmentation arithmetic are the core's
 * (src/core/vmstat.c); this file only prints them.
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

/* pagetypeinfo_showfree_print() stops counting a list here. */
#define PAGETYPEINFO_LIST_CAP 100000

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

int hn_sim_show_vmstat(const struct hn_sim *sim, FILE *f)
{
	int ret = hn_view_check(sim, f);

	if (ret)
		return ret;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", hn_zone_stat_name((enum hn_zone_stat_item)i),
			hn_global_zone_page_state(sim, (enum hn_zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", hn_numa_stat_name((enum hn_numa_stat_item)i),
			hn_global_numa_event_state(sim, (enum hn_numa_stat_item)i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", hn_node_stat_name((enum hn_node_stat_item)i),
			hn_global_node_page_state(sim, (enum hn_node_stat_item)i));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		fprintf(f, "%s %" PRIu64 "\n", hn_vm_event_name((enum hn_vm_event_item)i),
			sim->vm_events[i]);
	fprintf(f, "%s 0\n", hn_nr_unstable_name);
	return hn_view_done(f);
}

/*
 * C's truncating / and % print -1000 as "-1.000": -1000 / 1000 == -1 and
 * -1000 % 1000 == 0.  extfrag pads the integer part to two columns so the
 * minus sign lines up; unusable_index never goes negative and does not pad.
 */
/* One zone's line of an index per order, in thousandths: "Node 0, zone Normal 0.000 ..." */
static void index_show_print(FILE *f, const struct hn_pglist_data *pgdat, const struct hn_zone *zone,
			     int (*index_of)(unsigned int, const struct hn_contig_page_info *),
			     bool pad)
{
	struct hn_contig_page_info info;

	fprintf(f, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (unsigned int o = 0; o < pgdat->sim->nr_page_orders; o++) {
		int index;

		hn_fill_contig_page_info(pgdat->sim, zone, o, &info);
		index = index_of(o, &info);
		fprintf(f, pad ? "%2d.%03d " : "%d.%03d ", index / 1000, index % 1000);
	}
	fputc('\n', f);
}

static void extfrag_show_print(FILE *f, const struct hn_pglist_data *pgdat,
			       const struct hn_zone *zone)
{
	index_show_print(f, pgdat, zone, hn_fragmentation_index, true);
}

static void unusable_show_print(FILE *f, const struct hn_pglist_data *pgdat,
				const struct hn_zone *zone)
{
	index_show_print(f, pgdat, zone, hn_unusable_free_index, false);
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
