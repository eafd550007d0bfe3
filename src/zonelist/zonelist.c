/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * zonelist.c - the order in which an allocation tries zones.
 *
 *   hn_build_all_zonelists()   build_all_zonelists(), __build_all_zonelists(),
 *                              build_zonelists(), find_next_best_node(),
 *                              build_zonerefs_node(), nr_free_zone_pages()
 *   hn_sim_set_node_online()   the node-state half of online_pages() /
 *                              offline_pages() followed by the rebuild
 *   hn_sim_show_zonelists()    mminit_verify_zonelist() (mm/mm_init.c)
 *   hn_sim_dot_zonelists()     the same lists as a Graphviz picture
 *   hn_check_zonelists()       the invariants of zonelist.h
 *
 * The kernel keeps node_load[] and node_order[] as static arrays; here
 * node_load lives in the instance (sim->node_load, because the round robin
 * carries from one node's list to the next within one rebuild) and
 * node_order is allocated per rebuild.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "zonelist/zonelist.h"

/* include/linux/topology.h */
#define PENALTY_FOR_NODE_WITH_CPUS 1

static inline bool node_state(const struct hn_sim *sim, int nid, enum hn_node_state s)
{
	return hn_bit_test(sim->node_states[s], (unsigned int)nid);
}

static inline size_t zonelist_entries(const struct hn_sim *sim)
{
	return (size_t)sim->nr_node_ids * HN_MAX_NR_ZONES + 1;
}

static inline int node_distance(const struct hn_sim *sim, int from, int to)
{
	return hn_machine_distance(sim->machine, from, to);
}

/*
 * A zone belongs in zonelists when it has present pages, as
 * build_zonerefs_node() says, and its node has memory online.  The second
 * condition stands in for what offline_pages() does to present_pages in
 * the kernel: hn_sim_set_node_online() takes a node's memory away by
 * clearing N_MEMORY and leaves the zone sizes alone, so the zones of an
 * offline node must drop out here instead.
 */
static inline bool zone_in_zonelists(const struct hn_sim *sim, const struct hn_zone *zone)
{
	return populated_zone(zone) && node_state(sim, zone_to_nid(zone), HN_N_MEMORY);
}

/* mempolicy.h: the highest zone policies act on; ZONE_MOVABLE never counts. */
static inline void check_highest_zone(struct hn_sim *sim, enum hn_zone_type zt)
{
	if (zt > sim->policy_zone && zt != HN_ZONE_MOVABLE)
		sim->policy_zone = zt;
}

/*
 * build_zonerefs_node(): the node's zones from the highest index down, so
 * an allocation that may use Normal spills into DMA32 and DMA of the same
 * node before it leaves the node.
 */
static int build_zonerefs_node(struct hn_sim *sim, struct hn_pglist_data *pgdat,
			       struct hn_zoneref *zonerefs)
{
	int nr_zones = 0;

	for (int zt = HN_MAX_NR_ZONES - 1; zt >= 0; zt--) {
		struct hn_zone *zone = &pgdat->node_zones[zt];

		if (!zone_in_zonelists(sim, zone))
			continue;
		zonerefs[nr_zones].zone = zone;
		zonerefs[nr_zones].zone_idx = zt;
		nr_zones++;
		check_highest_zone(sim, (enum hn_zone_type)zt);
	}
	return nr_zones;
}

/*
 * find_next_best_node(): the node with memory, not yet used, that
 * minimises
 *
 *   (distance + [n < node] + [n has CPUs] * PENALTY) * MAX_NUMNODES
 *     + node_load[n]
 *
 * ties going to the lowest id.  The [n < node] term makes equidistant
 * nodes rotate ("prefer the next node"), the CPU penalty sends fallback to
 * headless memory (CXL, HBM without cores) before another socket's, and
 * node_load spreads the first spill-over of each node over the candidates
 * of one distance group.  The local node comes first when it has memory.
 *
 * "Has CPUs" is cpumask_of_node(): every CPU the machine places on the node,
 * once the architecture has filled the node masks (node_cpumasks_filled).
 * x86-64 fills them in numa_add_cpu(), from identify_cpu(), which runs in
 * arch_cpu_finalize_init() for the boot CPU and in smp_init() for the
 * others -- both after mm_core_init() has built the boot zonelists; so at
 * an x86 boot no node has CPUs yet and the penalty never applies.  ppc64
 * fills them during setup_arch() (map_cpu_to_node()), before.  Every later
 * rebuild (memory onlined or offlined) sees the CPUs.
 */
static int find_next_best_node(struct hn_sim *sim, int node, uint64_t *used)
{
	int min_val = INT_MAX, best_node = HN_NUMA_NO_NODE;

	if (!hn_bit_test(used, (unsigned int)node) && node_state(sim, node, HN_N_MEMORY)) {
		hn_bit_set(used, (unsigned int)node);
		return node;
	}
	for (int n = 0; n < sim->nr_node_ids; n++) {
		int val;

		if (!NODE_DATA(sim, n) || !node_state(sim, n, HN_N_MEMORY) ||
		    hn_bit_test(used, (unsigned int)n))
			continue;
		val = node_distance(sim, node, n);
		val += n < node;
		if (sim->node_cpumasks_filled && NODE_DATA(sim, n)->nr_cpus)
			val += PENALTY_FOR_NODE_WITH_CPUS;
		val *= HN_MAX_NUMNODES;
		val += (int)sim->node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		hn_bit_set(used, (unsigned int)best_node);
	return best_node;
}

/* Scratch for one rebuild: the kernel's static node_order and used_mask. */
struct build_scratch {
	int *node_order;
	uint64_t *used;
	size_t used_words;
};

/*
 * build_zonelists() for CONFIG_NUMA: order the nodes, lay their zones into
 * FALLBACK, the node's own into NOFALLBACK, and at boot print the order the
 * way the kernel's pr_info + pr_cont pieces come out: one line, each node
 * followed by a space, the last one too.
 */
static void build_zonelists(struct hn_sim *sim, struct hn_pglist_data *pgdat,
			    struct build_scratch *s, bool boot)
{
	struct hn_zoneref *zonerefs;
	int local = pgdat->node_id, prev = local, node, nr_nodes = 0;

	memset(s->used, 0, s->used_words * sizeof(*s->used));
	while ((node = find_next_best_node(sim, local, s->used)) >= 0) {
		/*
		 * The first node of each new distance group gets a load
		 * point, so the next node that sees the same group ahead of
		 * it prefers another member: round robin over equals.
		 */
		if (node_distance(sim, local, node) != node_distance(sim, local, prev))
			sim->node_load[node]++;
		s->node_order[nr_nodes++] = node;
		prev = node;
	}

	/* build_zonelists_in_node_order() */
	zonerefs = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (int i = 0; i < nr_nodes; i++)
		zonerefs += build_zonerefs_node(sim, NODE_DATA(sim, s->node_order[i]), zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	/* build_thisnode_zonelists() */
	zonerefs = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	zonerefs += build_zonerefs_node(sim, pgdat, zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	if (boot) {
		char line[512];
		size_t pos = (size_t)snprintf(line, sizeof(line), "Fallback order for Node %d: ", local);

		for (int i = 0; i < nr_nodes && pos < sizeof(line); i++)
			pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "%d ", s->node_order[i]);
		hn_printk(sim, HN_LOG_INFO, "%s", line);
	}
}

/*
 * nr_free_zone_pages(): pages above the high watermark in the zones at or
 * below @offset, summed over the current CPU's FALLBACK list (which reaches
 * every node with memory, so any node's list gives the same sum).
 */
static uint64_t nr_free_zone_pages(struct hn_sim *sim, int offset, bool boot)
{
	struct hn_zoneref *z;
	struct hn_zone *zone;
	uint64_t sum = 0;
	int nid = hn_numa_node_id(sim);

	if (nid < 0 || nid >= sim->nr_node_ids || !NODE_DATA(sim, nid))
		return 0;
	for_each_zone_zonelist_nodemask(zone, z, node_zonelist(sim, nid, GFP_KERNEL), offset, NULL) {
		/*
		 * At boot the kernel counts before memblock_free_all(), when
		 * managed_pages still equals present_pages and the watermarks
		 * are zero: reproduce that view so the boot line matches.
		 */
		uint64_t size = boot ? zone->present_pages : zone->managed_pages;
		uint64_t high = boot ? 0 : high_wmark_pages(zone);

		if (size > high)
			sum += size - high;
	}
	return sum;
}

static void free_zonerefs(struct hn_zoneref **arrays, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(arrays[i]);
		arrays[i] = NULL;
	}
}

/*
 * Give every possible node its two zoneref arrays.  All-or-nothing: on a
 * host allocation failure nothing is installed and the old lists (if any)
 * are untouched.  The array size does not depend on which nodes are
 * online, so once allocated the arrays are reused by every rebuild and
 * only the first build can fail.
 */
static int alloc_zonelists(struct hn_sim *sim)
{
	size_t n = (size_t)sim->nr_node_ids * MAX_ZONELISTS, entries = zonelist_entries(sim);
	struct hn_zoneref **fresh;
	unsigned int *node_load = NULL;
	int ret = -ENOMEM;

	fresh = hn_sim_calloc(sim, n, sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		for (int t = 0; t < MAX_ZONELISTS; t++) {
			if (pgdat->node_zonelists[t]._zonerefs)
				continue;
			fresh[(size_t)nid * MAX_ZONELISTS + t] = hn_sim_calloc(sim, entries,
									sizeof(struct hn_zoneref));
			if (!fresh[(size_t)nid * MAX_ZONELISTS + t])
				goto out;
		}
	}
	if (!sim->node_load) {
		node_load = hn_sim_calloc(sim, (size_t)sim->nr_node_ids, sizeof(*node_load));
		if (!node_load)
			goto out;
	}

	/* Nothing can fail from here on: install. */
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int t = 0; pgdat && t < MAX_ZONELISTS; t++) {
			struct hn_zoneref **slot = &fresh[(size_t)nid * MAX_ZONELISTS + t];

			if (*slot) {
				/* An empty list until build_zonelists() fills it. */
				(*slot)[0].zone = NULL;
				pgdat->node_zonelists[t]._zonerefs = *slot;
				*slot = NULL;
			}
		}
	}
	if (node_load)
		sim->node_load = node_load;
	node_load = NULL;
	ret = 0;
out:
	free(node_load);
	free_zonerefs(fresh, n);
	free(fresh);
	return ret;
}

/*
 * build_all_zonelists() / __build_all_zonelists(): every possible node's
 * lists, node_load cleared once per rebuild so the round robin runs across
 * nodes in id order.  The kernel builds for every possible node too, which
 * is why an offline node still has lists (they lead elsewhere).
 */
int hn_build_all_zonelists(struct hn_sim *sim, bool boot)
{
	struct build_scratch s = { 0 };
	uint64_t vm_total_pages;
	int ret, zone;

	if (!sim || !sim->node_data || sim->nr_node_ids <= 0)
		return -EINVAL;
	s.used_words = ((size_t)sim->nr_node_ids + 63) / 64;
	s.node_order = hn_sim_calloc(sim, (size_t)sim->nr_node_ids, sizeof(*s.node_order));
	s.used = hn_sim_calloc(sim, s.used_words, sizeof(*s.used));
	if (!s.node_order || !s.used) {
		ret = -ENOMEM;
		goto out;
	}
	ret = alloc_zonelists(sim);
	if (ret)
		goto out;

	memset(sim->node_load, 0, (size_t)sim->nr_node_ids * sizeof(*sim->node_load));
	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		if (NODE_DATA(sim, nid))
			build_zonelists(sim, NODE_DATA(sim, nid), &s, boot);

	/*
	 * The kernel computes vm_total_pages in mm_core_init(), before
	 * memblock_free_all(), while every zone's managed_pages still equals
	 * its present_pages and the watermarks are zero; hnuma builds the
	 * lists once the buddy is populated, and nr_free_zone_pages() takes
	 * the kernel's boot-time view when @boot is set.
	 */
	zone = hn_gfp_zone(GFP_HIGHUSER_MOVABLE);
	vm_total_pages = nr_free_zone_pages(sim, zone, boot);
	/*
	 * Mobility grouping needs a few pageblocks of every type to be worth
	 * anything; on tiny machines everything is treated as unmovable.
	 * Re-evaluated at every rebuild, as memory hotplug does.
	 */
	sim->page_group_by_mobility_disabled =
		vm_total_pages < sim->pageblock_nr_pages * HN_MIGRATE_TYPES;

	if (boot) {
		hn_printk(sim, HN_LOG_INFO,
			  "Built %u zonelists, mobility grouping %s.  Total pages: %" PRId64,
			  sim->nr_online_nodes, sim->page_group_by_mobility_disabled ? "off" : "on",
			  (int64_t)vm_total_pages);
		hn_printk(sim, HN_LOG_INFO, "Policy zone: %s", hn_zone_name(sim->policy_zone));
	}
	ret = 0;
out:
	free(s.node_order);
	free(s.used);
	return ret;
}

void hn_free_zonelists(struct hn_sim *sim)
{
	if (!sim)
		return;
	for (int nid = 0; sim->node_data && nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		for (int t = 0; pgdat && t < MAX_ZONELISTS; t++) {
			free(pgdat->node_zonelists[t]._zonerefs);
			pgdat->node_zonelists[t]._zonerefs = NULL;
		}
	}
	free(sim->node_load);
	sim->node_load = NULL;
}

/* ---- node online / offline -------------------------------------------- */

/*
 * node_states_set_node() after node_states_check_changes_online(): N_MEMORY
 * when the node has present pages, N_NORMAL_MEMORY when one of them is in
 * a zone at or below ZONE_NORMAL.  Boot applies the same rule.
 */
static void node_states_set_node(struct hn_sim *sim, struct hn_pglist_data *pgdat)
{
	unsigned int nid = (unsigned int)pgdat->node_id;

	if (!pgdat->node_present_pages)
		return;
	hn_bit_set(sim->node_states[HN_N_MEMORY], nid);
	for (int zt = 0; zt <= HN_ZONE_NORMAL; zt++) {
		if (populated_zone(&pgdat->node_zones[zt])) {
			hn_bit_set(sim->node_states[HN_N_NORMAL_MEMORY], nid);
			break;
		}
	}
}

/*
 * node_states_clear_node() when the last memory of the node goes: both
 * memory states go, since every zone of the node is emptied at once.
 */
static void node_states_clear_node(struct hn_sim *sim, int nid)
{
	hn_bit_clear(sim->node_states[HN_N_NORMAL_MEMORY], (unsigned int)nid);
	hn_bit_clear(sim->node_states[HN_N_MEMORY], (unsigned int)nid);
}

int hn_sim_set_node_online(struct hn_sim *sim, int nid, bool online)
{
	static const enum hn_node_state touched[] = { HN_N_ONLINE, HN_N_MEMORY, HN_N_NORMAL_MEMORY };
	bool saved[HN_ARRAY_SIZE(touched)];
	struct hn_pglist_data *pgdat;
	int ret;

	if (!sim)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (nid < 0 || nid >= sim->nr_node_ids || !NODE_DATA(sim, nid))
		return -ENODEV;
	pgdat = NODE_DATA(sim, nid);
	if (node_state(sim, nid, HN_N_ONLINE) == online)
		return 0;
	if (!online) {
		/*
		 * offline_pages() migrates what it can and fails on what it
		 * cannot; nothing here can migrate yet, so any allocated
		 * page pins the node.
		 */
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++) {
			const struct hn_zone *zone = &pgdat->node_zones[zt];

			if (zone->nr_allocated)
				return -EBUSY;
			/* HN_SIM_HNUMA: attribute nodes keep their own count */
			for (unsigned int i = 0; zone->attrs && i < zone->attrs->nr; i++)
				if (attr_zone_of(zone->attrs->nodes[i])->zone.nr_allocated)
					return -EBUSY;
		}
	}

	for (size_t i = 0; i < HN_ARRAY_SIZE(touched); i++)
		saved[i] = node_state(sim, nid, touched[i]);
	if (online) {
		hn_bit_set(sim->node_states[HN_N_ONLINE], (unsigned int)nid);
		node_states_set_node(sim, pgdat);
	} else {
		node_states_clear_node(sim, nid);
		hn_bit_clear(sim->node_states[HN_N_ONLINE], (unsigned int)nid);
	}
	sim->nr_online_nodes = hn_bitmap_weight(sim->node_states[HN_N_ONLINE],
						(unsigned int)sim->nr_node_ids);
	hn_update_numa_node_id(sim);
	ret = hn_build_all_zonelists(sim, false);
	hn_update_local_zones(sim);
	if (ret) {
		for (size_t i = 0; i < HN_ARRAY_SIZE(touched); i++) {
			if (saved[i])
				hn_bit_set(sim->node_states[touched[i]], (unsigned int)nid);
			else
				hn_bit_clear(sim->node_states[touched[i]], (unsigned int)nid);
		}
		sim->nr_online_nodes = hn_bitmap_weight(sim->node_states[HN_N_ONLINE],
							(unsigned int)sim->nr_node_ids);
		hn_update_numa_node_id(sim);
		return ret;
	}
	if (HN_DEBUG_VM_ENABLED && hn_check_zonelists(sim))
		return -EUCLEAN;
	return 0;
}

/* ---- views ------------------------------------------------------------ */

static int zonelist_view_check(const struct hn_sim *sim, FILE *f)
{
	if (!sim || !f)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	/* Booted but the lists not built yet: nothing to show. */
	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		if (NODE_DATA(sim, nid) && !NODE_DATA(sim, nid)->node_zonelists[0]._zonerefs)
			return -EAGAIN;
	return 0;
}

/*
 * mminit_verify_zonelist(): for every online node and for each list type,
 * one line per populated zone of that node, listing what an allocation
 * whose highest zone is that zone would walk.  The kernel prints these at
 * KERN_DEBUG with mminit_loglevel; here they are a view.  The zone filter
 * is populated_zone(), not managed pages, as in the kernel.
 */
int hn_sim_show_zonelists(const struct hn_sim *sim, FILE *f)
{
	int ret = zonelist_view_check(sim, f);

	if (ret)
		return ret;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat || !node_online(sim, nid))
			continue;
		for (int i = 0; i < MAX_ZONELISTS * HN_MAX_NR_ZONES; i++) {
			int zoneid = i % HN_MAX_NR_ZONES, listid = i / HN_MAX_NR_ZONES;
			struct hn_zonelist *zonelist = &pgdat->node_zonelists[listid];
			struct hn_zone *zone = &pgdat->node_zones[zoneid];
			struct hn_zoneref *z;

			if (!populated_zone(zone))
				continue;
			fprintf(f, "mminit::zonelist %s %d:%s = ", listid > 0 ? "thisnode" : "general",
				nid, zone->name);
			for_each_zone_zonelist_nodemask(zone, z, zonelist, zoneid, NULL)
				fprintf(f, "%d:%s ", zone_to_nid(zone), zone->name);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* Edge colours per node, cycled by node id. */
static const char *const dot_colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
};

/*
 * The zonelists as a picture: a cluster per possible node holding its
 * zones (name and managed pages) and, for an online node, a circle where
 * its FALLBACK walk starts; from there numbered edges 1, 2, 3, ... visit
 * the zones in list order.  Everything is emitted in node-id and zone-index
 * order, so the text is byte-identical across runs.
 */
int hn_sim_dot_zonelists(const struct hn_sim *sim, FILE *f)
{
	int ret = zonelist_view_check(sim, f);

	if (ret)
		return ret;
	fputs("digraph zonelists {\n"
	      "\tgraph [rankdir=LR, fontname=\"Helvetica\", label=\"FALLBACK zonelists\"];\n"
	      "\tnode [shape=box, fontname=\"Helvetica\"];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=10];\n", f);
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		bool online = node_online(sim, nid);

		if (!pgdat)
			continue;
		fprintf(f, "\tsubgraph cluster_node%d {\n", nid);
		fprintf(f, "\t\tlabel=\"Node %d%s\";\n", nid, online ? "" : " (offline)");
		if (!online)
			fputs("\t\tstyle=dashed;\n", f);
		if (online)
			fprintf(f, "\t\t\"start%d\" [shape=circle, label=\"%d\", color=\"%s\"];\n", nid,
				nid, dot_colors[nid % (int)HN_ARRAY_SIZE(dot_colors)]);
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++) {
			const struct hn_zone *zone = &pgdat->node_zones[zt];

			if (!populated_zone(zone))
				continue;
			fprintf(f, "\t\t\"n%d_%s\" [label=\"%s\\n%" PRIu64 " managed\"];\n", nid,
				zone->name, zone->name, zone->managed_pages);
		}
		fputs("\t}\n", f);
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		const char *color = dot_colors[nid % (int)HN_ARRAY_SIZE(dot_colors)];
		char from[32];
		int step = 1;

		if (!pgdat || !node_online(sim, nid))
			continue;
		snprintf(from, sizeof(from), "start%d", nid);
		for (struct hn_zoneref *z = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs; z->zone;
		     z++, step++) {
			char to[32];

			snprintf(to, sizeof(to), "n%d_%s", zone_to_nid(z->zone), z->zone->name);
			fprintf(f, "\t\"%s\" -> \"%s\" [label=\"%d\", color=\"%s\", "
				"fontcolor=\"%s\"];\n", from, to, step, color, color);
			memcpy(from, to, sizeof(from));
		}
	}
	fputs("}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- invariants ------------------------------------------------------- */

#define zl_report(sim, nid, reason, ...) \
	hn_report(sim, reason, "build_zonelists", nid, -1, UINT64_MAX, 0, __VA_ARGS__)

static const char *const list_names[MAX_ZONELISTS] = { "FALLBACK", "NOFALLBACK" };

/* The zone a zoneref names, if it is one of this instance's zones. */
static bool zone_is_ours(const struct hn_sim *sim, const struct hn_zone *zone)
{
	const struct hn_pglist_data *pgdat = zone->zone_pgdat;
	int znid;

	if (!pgdat)
		return false;
	znid = pgdat->node_id;
	return znid >= 0 && znid < sim->nr_node_ids && NODE_DATA(sim, znid) == pgdat &&
	       (unsigned int)zone->idx < HN_MAX_NR_ZONES && &pgdat->node_zones[zone->idx] == zone;
}

static bool seen_before(const struct hn_zoneref *list, size_t i, uint64_t *seen, unsigned int bit)
{
	if (seen) {
		if (hn_bit_test(seen, bit))
			return true;
		hn_bit_set(seen, bit);
		return false;
	}
	/* No scratch bitmap (host memory short): compare with every earlier entry. */
	for (size_t j = 0; j < i; j++)
		if (list[j].zone == list[i].zone)
			return true;
	return false;
}

static int check_zonelist(struct hn_sim *sim, struct hn_pglist_data *pgdat, int type,
			  uint64_t *seen, size_t seen_words, uint64_t expect)
{
	const struct hn_zoneref *list = pgdat->node_zonelists[type]._zonerefs;
	size_t cap = zonelist_entries(sim), i;
	const char *name = list_names[type];
	int nid = pgdat->node_id, bad = 0;

	if (seen)
		memset(seen, 0, seen_words * sizeof(*seen));
	for (i = 0; i < cap && list[i].zone; i++) {
		const struct hn_zone *zone = list[i].zone;
		unsigned int bit;
		int znid;

		if (!zone_is_ours(sim, zone)) {
			zl_report(sim, nid, "zoneref to a foreign zone",
				  "%s[%zu] is not a zone of this machine", name, i);
			return 1;
		}
		znid = zone_to_nid(zone);
		if (list[i].zone_idx != (int)zone->idx) {
			zl_report(sim, nid, "zoneref index mismatch", "%s[%zu] says %d, zone %d:%s is %d",
				  name, i, list[i].zone_idx, znid, zone->name, (int)zone->idx);
			bad = 1;
		}
		bit = (unsigned int)(znid * HN_MAX_NR_ZONES + (int)zone->idx);
		if (seen_before(list, i, seen, bit)) {
			zl_report(sim, nid, "duplicate zone in zonelist", "%s[%zu] repeats %d:%s",
				  name, i, znid, zone->name);
			bad = 1;
		}
		if (!zone_in_zonelists(sim, zone)) {
			zl_report(sim, nid, "empty zone in zonelist", "%s[%zu] is %d:%s", name, i, znid,
				  zone->name);
			bad = 1;
		}
		if (type == ZONELIST_NOFALLBACK && znid != nid) {
			zl_report(sim, nid, "foreign zone in thisnode list", "%s[%zu] is %d:%s", name, i,
				  znid, zone->name);
			bad = 1;
		}
		if (i && zone_to_nid(list[i - 1].zone) == znid && list[i - 1].zone->idx <= zone->idx) {
			zl_report(sim, nid, "zones out of order", "%s[%zu] %d:%s follows %d:%s", name, i,
				  znid, zone->name, znid, list[i - 1].zone->name);
			bad = 1;
		}
	}
	if (i == cap) {
		zl_report(sim, nid, "zonelist not terminated", "%s has no NULL entry in %zu", name, cap);
		return 1;
	}
	if (i != expect) {
		zl_report(sim, nid, "zonelist incomplete", "%s holds %zu zones, expected %" PRIu64, name,
			  i, expect);
		bad = 1;
	}
	if (type == ZONELIST_FALLBACK && node_state(sim, nid, HN_N_MEMORY) &&
	    (!list[0].zone || zone_to_nid(list[0].zone) != nid)) {
		zl_report(sim, nid, "zonelist does not start local", "FALLBACK starts on node %d",
			  list[0].zone ? zone_to_nid(list[0].zone) : -1);
		bad = 1;
	}
	return bad;
}

int hn_check_zonelists(struct hn_sim *sim)
{
	uint64_t all_zones = 0, *seen;
	size_t seen_words;
	int built = 0, bad = 0;

	if (!sim || !sim->booted || !sim->node_data)
		return 0;
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		built += pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs != NULL;
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++)
			all_zones += zone_in_zonelists(sim, &pgdat->node_zones[zt]);
	}
	/* Not built yet (boot has not reached build_all_zonelists()). */
	if (!built)
		return 0;

	seen_words = ((size_t)sim->nr_node_ids * HN_MAX_NR_ZONES + 63) / 64;
	seen = malloc(seen_words * sizeof(*seen));
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);
		uint64_t own = 0;

		if (!pgdat)
			continue;
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++)
			own += zone_in_zonelists(sim, &pgdat->node_zones[zt]);
		for (int t = 0; t < MAX_ZONELISTS; t++) {
			if (!pgdat->node_zonelists[t]._zonerefs) {
				zl_report(sim, nid, "zonelist missing", "%s was never built",
					  list_names[t]);
				bad = 1;
				continue;
			}
			bad |= check_zonelist(sim, pgdat, t, seen, seen_words,
					      t == ZONELIST_FALLBACK ? all_zones : own);
		}
	}
	free(seen);
	return bad ? -EUCLEAN : 0;
}
