/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_zonelist.c - zonelists (build_all_zonelists(), find_next_best_node()),
 * gfp_zone(), %pGg, node online/offline and the zonelist views.
 *
 * Each scenario draws the nodes and their SLIT distances, then says which
 * order the kernel would give each node's FALLBACK list.  The orders are
 * worked out by hand from find_next_best_node()'s score
 *
 *   (distance + [n < node] + [n has CPUs]) * 1024 + node_load[n]
 *
 * (lowest wins, ties to the lower id), with node_load[] carried from one
 * node to the next in id order, so a reader can check them without running
 * anything.  Lists are compared as "nid:Zone nid:Zone ..." strings.
 *
 * Host allocation failures are injected through -Wl,--wrap=calloc (see
 * meson.build.zonelist); without the flag those cases skip themselves.
 */
#include "hn_test.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "zonelist/zonelist.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* ------------------------------------------------------------------------ */
/* Host allocation failure injection                                         */

void *__real_calloc(size_t n, size_t m) __attribute__((weak));
void *__wrap_calloc(size_t n, size_t m);

/* Number of callocs to let through before failing one; -1 = never. */
static long calloc_fail_after = -1;
static unsigned long calloc_wrap_calls;

void *__wrap_calloc(size_t n, size_t m)
{
	calloc_wrap_calls++;
	if (calloc_fail_after == 0) {
		calloc_fail_after = -1;
		return NULL;
	}
	if (calloc_fail_after > 0)
		calloc_fail_after--;
	return __real_calloc(n, m);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

struct all_reports {
	int count;
	char reasons[1024];	/* "reason;reason;..." */
};

static void all_reports_fn(void *ctx, const struct hn_report *r)
{
	struct all_reports *ar = ctx;
	size_t used = strlen(ar->reasons);

	ar->count++;
	snprintf(ar->reasons + used, sizeof(ar->reasons) - used, "%s;", r->reason);
}

/*
 * Until boot calls hn_build_all_zonelists() itself, the tests build the
 * lists the way boot will: once, with the boot log lines.
 */
static void ensure_zonelists(struct hn_sim *sim)
{
	for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++) {
		struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		if (!pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs)
			assert_int_equal(hn_build_all_zonelists(sim, true), 0);
		break;
	}
}

static struct hn_sim *boot_cfg(struct hn_machine *m, const struct hn_sim_config *cfg)
{
	/* Static: the instance keeps the sink (and memblock a copy of it). */
	static struct test_log tl;
	struct hn_sim *sim = NULL;
	struct hn_sim_config c = cfg ? *cfg : (struct hn_sim_config){ 0 };
	int ret;

	memset(&tl, 0, sizeof(tl));
	c.log = TEST_LOG_SINK(&tl);
	ret = hn_sim_create(&sim, m, &c);
	if (ret)
		print_error("hn_sim_create: %s; last message: %s\n", hn_strerror(ret), tl.last);
	assert_int_equal(ret, 0);
	ensure_zonelists(sim);
	assert_int_equal(hn_check_zonelists(sim), 0);
	return sim;
}

static struct hn_sim *boot(struct hn_machine *m)
{
	return boot_cfg(m, NULL);
}

/* hn_free_zonelists() is idempotent, so this stays right once destroy calls it too. */
static void teardown(struct hn_sim *sim, struct hn_machine *m)
{
	hn_free_zonelists(sim);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/* A zonelist as "nid:Zone nid:Zone ..." ("" when empty). */
static const char *list_str(struct hn_sim *sim, int nid, enum hn_zonelist_type t, char *buf,
			    size_t len)
{
	const struct hn_zoneref *z = NODE_DATA(sim, nid)->node_zonelists[t]._zonerefs;
	size_t pos = 0;

	buf[0] = '\0';
	for (; z->zone; z++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%d:%s", pos ? " " : "",
					zone_to_nid(z->zone), z->zone->name);
	return buf;
}

#define assert_list(sim, nid, t, expect)                                               \
	do {                                                                            \
		char lb__[512];                                                         \
		assert_string_equal(list_str(sim, nid, t, lb__, sizeof(lb__)), expect); \
	} while (0)

/* A walk of for_each_zone_zonelist_nodemask() as "nid:Zone ..." . */
static const char *walk_str(struct hn_zonelist *zl, int highidx, const struct hn_nodemask *nodes,
			    char *buf, size_t len)
{
	struct hn_zoneref *z;
	struct hn_zone *zone;
	size_t pos = 0;

	buf[0] = '\0';
	for_each_zone_zonelist_nodemask(zone, z, zl, highidx, nodes)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%d:%s", pos ? " " : "",
					zone_to_nid(zone), zone->name);
	return buf;
}

static struct hn_memdev_desc test_cxl(int nid, uint64_t size)
{
	struct hn_memdev_desc d = test_dram(nid, HN_ADDR_AUTO, size);

	d.kind = HN_MEM_CXL;
	d.read_latency_ns = 250;
	d.read_bw_mbps = 30000;
	snprintf(d.name, sizeof(d.name), "cxl%d", nid);
	return d;
}

static struct hn_machine *new_machine(const char *name, enum hn_arch arch)
{
	struct hn_machine *m;

	assert_int_equal(hn_machine_new(&m, name), 0);
	assert_int_equal(hn_machine_set_arch(m, arch), 0);
	return m;
}

static void add_socket(struct hn_machine *m, int nid, uint64_t size, const char *cpus)
{
	struct hn_memdev_desc d = test_dram(nid, HN_ADDR_AUTO, size);
	struct hn_initiator_desc c = test_cpus(nid, cpus);

	if (size)
		assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	if (cpus)
		assert_int_equal(hn_machine_add_initiator(m, &c), 0);
}

/*
 * Two x86 sockets, 4 GiB each, SLIT 21 between them.  Node 0 starts at 0,
 * so it has DMA (below 16 MiB), DMA32 (up to the PCI hole at 3 GiB) and
 * Normal (the GiB remapped above 4 GiB); node 1 lies wholly above 4 GiB.
 */
static struct hn_machine *two_socket_x86(void)
{
	struct hn_machine *m = new_machine("two", HN_ARCH_X86_64);

	add_socket(m, 0, 4 * GiB, "0-3");
	add_socket(m, 1, 4 * GiB, "4-7");
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	return m;
}

/* ------------------------------------------------------------------------ */
/* Building                                                                  */

/*
 *   node 0 (CPUs 0-3)                 node 1 (CPUs 4-7)
 *   | DMA | DMA32 |hole| Normal |  21  | Normal |
 *   0    16M      3G   4G      5G      ...
 *
 * Expect node 0 to try its own zones from the highest down (Normal, DMA32,
 * DMA) before node 1's Normal, node 1 its Normal before all of node 0's,
 * and each NOFALLBACK list to hold the node's own zones only.
 */
static void zonelist_two_socket_x86_local_zones_high_to_low(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);

	(void)state;
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA 1:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 0:Normal 0:DMA32 0:DMA");
	assert_list(sim, 0, ZONELIST_NOFALLBACK, "0:Normal 0:DMA32 0:DMA");
	assert_list(sim, 1, ZONELIST_NOFALLBACK, "1:Normal");
	/* Every zoneref caches its zone's index. */
	for (struct hn_zoneref *z = NODE_DATA(sim, 1)->node_zonelists[0]._zonerefs; z->zone; z++)
		assert_int_equal(z->zone_idx, (int)z->zone->idx);
	assert_int_equal(sim->policy_zone, HN_ZONE_NORMAL);
	assert_false(sim->page_group_by_mobility_disabled);
	teardown(sim, m);
}

/*
 * Four sockets in a ring, neighbours at 20, opposite corners at 30; every
 * node has CPUs and 512 MiB (one Normal zone each, generic arch).
 *
 *        0 --20-- 1
 *        |        |          0-2 and 1-3: 30
 *       20       20
 *        |        |
 *        3 --20-- 2
 *
 * By hand (score = (dist + [n<node] + 1 for CPUs) * 1024 + load):
 *   node 0: 1 and 3 both 21504, tie to 1; 1 opens the 20-group: load[1]=1.
 *           then 3 (21504) before 2 (31744); 2 opens the 30-group: load[2]=1.
 *           -> 0 1 3 2
 *   node 1: 0 is below (+1): 22528; 2 is 21504+1 = 21505 -> 2, load[2]=2;
 *           then 0, then 3 (opens 30): load[3]=1.       -> 1 2 0 3
 *   node 2: 3 = 21504+1 beats 1 = 22528+1 -> 3, load[3]=2; then 1, then 0
 *           (opens 30): load[0]=1.                        -> 2 3 1 0
 *   node 3: 0 = 22528+1 beats 2 = 22528+2 (both below, node_load decides);
 *           load[0]=2; then 2, then 1 (load[1]=2).        -> 3 0 2 1
 * Expect each node to spill first to the neighbour after it, so the four
 * orders differ and the load ends even: node_load = {2, 2, 2, 2}.
 */
static void zonelist_ring_of_four_rotates_fallback(void **state)
{
	struct hn_machine *m = new_machine("ring", HN_ARCH_GENERIC);
	struct hn_sim *sim;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0");
	add_socket(m, 1, 512 * MiB, "1");
	add_socket(m, 2, 512 * MiB, "2");
	add_socket(m, 3, 512 * MiB, "3");
	for (int a = 0; a < 4; a++) {
		assert_int_equal(hn_machine_set_distance(m, a, (a + 1) % 4, 20), 0);
		assert_int_equal(hn_machine_set_distance(m, (a + 1) % 4, a, 20), 0);
	}
	assert_int_equal(hn_machine_set_distance(m, 0, 2, 30), 0);
	assert_int_equal(hn_machine_set_distance(m, 1, 3, 30), 0);
	sim = boot(m);

	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 1:Normal 3:Normal 2:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 2:Normal 0:Normal 3:Normal");
	assert_list(sim, 2, ZONELIST_FALLBACK, "2:Normal 3:Normal 1:Normal 0:Normal");
	assert_list(sim, 3, ZONELIST_FALLBACK, "3:Normal 0:Normal 2:Normal 1:Normal");
	for (int n = 0; n < 4; n++)
		assert_int_equal(sim->node_load[n], 2);
	teardown(sim, m);
}

/*
 * Two sockets and two CPU-less memory expanders, every remote distance 20
 * (no SLIT entries: the default).
 *
 *   node 0 CPUs+DRAM    node 1 CPUs+DRAM    node 2 CXL    node 3 CXL
 *
 * By hand:
 *   node 0: 2 and 3 score 20480 (no CPU penalty), 1 scores 21504 -> 2,
 *           load[2]=1; then 3, then 1.                    -> 0 2 3 1
 *   node 1: 2 = 20480+1, 3 = 20480+0 -> node_load picks 3, load[3]=1;
 *           then 2, then 0.                               -> 1 3 2 0
 *   node 2: 3 = 20480+1 beats 0 and 1 (22528) -> 3, load[3]=2; then 0, 1.
 *                                                         -> 2 3 0 1
 *   node 3: 2 = 21504+1 (below) beats 0 and 1 -> 2; then 0, 1.
 *                                                         -> 3 2 0 1
 * Expect the two sockets to spill to different expanders first: node_load
 * is what turns node 1 from "1 2 3 0" into "1 3 2 0".
 */
static void zonelist_node_load_round_robins_equidistant_expanders(void **state)
{
	struct hn_machine *m = new_machine("rr", HN_ARCH_GENERIC);
	struct hn_memdev_desc c2 = test_cxl(2, 512 * MiB), c3 = test_cxl(3, 512 * MiB);
	struct hn_sim *sim;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0-1");
	add_socket(m, 1, 512 * MiB, "2-3");
	assert_int_equal(hn_machine_add_memdev(m, &c2), 0);
	assert_int_equal(hn_machine_add_memdev(m, &c3), 0);
	sim = boot(m);

	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 2:Normal 3:Normal 1:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 3:Normal 2:Normal 0:Normal");
	assert_list(sim, 2, ZONELIST_FALLBACK, "2:Normal 3:Normal 0:Normal 1:Normal");
	assert_list(sim, 3, ZONELIST_FALLBACK, "3:Normal 2:Normal 0:Normal 1:Normal");
	teardown(sim, m);
}

/*
 *   node 0 CPUs+DRAM --21-- node 1 CPUs+DRAM
 *          \                   /
 *           21               12
 *             \             /
 *              node 2: CPUs, no memory
 *
 * Node 2 is online (it has CPUs) but not in N_MEMORY, so
 * find_next_best_node() skips it as its own first choice: node 1 scores
 * (12 + 1 + 1) * 1024, node 0 (21 + 1 + 1) * 1024.
 * Expect FALLBACK(2) = node 1 then node 0, NOFALLBACK(2) empty, and no
 * node's list to mention node 2.
 */
static void zonelist_memoryless_cpu_node_starts_at_nearest_memory(void **state)
{
	struct hn_machine *m = new_machine("memless", HN_ARCH_GENERIC);
	struct hn_sim *sim;
	struct hn_zoneref *z;
	char *log;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0");
	add_socket(m, 1, 512 * MiB, "1");
	add_socket(m, 2, 0, "2");
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 2, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 1, 2, 12), 0);
	sim = boot(m);

	assert_true(hn_sim_node_state(sim, 2, HN_N_ONLINE));
	assert_false(hn_sim_node_state(sim, 2, HN_N_MEMORY));
	assert_list(sim, 2, ZONELIST_FALLBACK, "1:Normal 0:Normal");
	assert_list(sim, 2, ZONELIST_NOFALLBACK, "");
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 1:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 0:Normal");
	/* local_memory_node(2): the first zone GFP_KERNEL finds. */
	z = first_zones_zonelist(node_zonelist(sim, 2, GFP_KERNEL), hn_gfp_zone(GFP_KERNEL), NULL);
	assert_int_equal(zone_to_nid(z->zone), 1);
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] Fallback order for Node 2: 1 0 \n"));
	free(log);
	teardown(sim, m);
}

/*
 *   node 0 CPUs+DRAM --21-- node 1 CPUs+DRAM
 *          \                   /
 *           21               21
 *             \             /
 *              node 2: CXL expander, no CPUs
 *
 * PENALTY_FOR_NODE_WITH_CPUS: at equal distance the headless node scores
 * 21 * 1024 against the other socket's 22 * 1024 (23 * 1024 from node 1,
 * which also pays for being above node 0).
 * Expect both sockets to fall back to the expander before each other, and
 * the expander to try node 0 before node 1 (equal scores, lower id).
 */
static void zonelist_cpuless_cxl_node_is_preferred_over_remote_socket(void **state)
{
	struct hn_machine *m = new_machine("cxl", HN_ARCH_GENERIC);
	struct hn_memdev_desc c2 = test_cxl(2, 512 * MiB);
	struct hn_sim *sim;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0-1");
	add_socket(m, 1, 512 * MiB, "2-3");
	assert_int_equal(hn_machine_add_memdev(m, &c2), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 2, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 1, 2, 21), 0);
	sim = boot(m);

	assert_false(hn_sim_node_state(sim, 2, HN_N_CPU));
	assert_true(hn_sim_node_state(sim, 2, HN_N_MEMORY));
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 2:Normal 1:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 2:Normal 0:Normal");
	assert_list(sim, 2, ZONELIST_FALLBACK, "2:Normal 0:Normal 1:Normal");
	assert_list(sim, 2, ZONELIST_NOFALLBACK, "2:Normal");
	teardown(sim, m);
}

/*
 * Three 1 GiB DRAM nodes, all 20 apart; CPUs on nodes 0 and 1 only.
 *
 *   node 0 CPUs+DRAM --20-- node 1 CPUs+DRAM
 *          \                   /
 *           20               20
 *             \             /
 *              node 2: DRAM, no CPUs
 *
 * On x86-64, build_all_zonelists() runs in mm_core_init(), before
 * numa_add_cpu() puts any CPU in cpumask_of_node(): at boot no node has
 * CPUs, so node 0 scores node 1 at 20 * 1024 and node 2 at 20 * 1024 + 0,
 * equal, and takes the lower id: 0 1 2.  On ppc64 the masks are filled in
 * setup_arch(), so node 1 pays PENALTY_FOR_NODE_WITH_CPUS (21 * 1024) and
 * node 2 comes first: 0 2 1.  Any later rebuild (here: node 2 offlined and
 * onlined again, as memory hotplug rebuilds) sees the CPUs on x86 too.
 * Expect "Fallback order for Node 0: 0 1 2 " at an x86 boot, "0 2 1 " at a
 * ppc64 boot, and node 2 before node 1 on x86 after the rebuild.
 */
static struct hn_sim *three_nodes_two_with_cpus(enum hn_arch arch, struct hn_machine **mp)
{
	struct hn_machine *m = new_machine("three", arch);

	add_socket(m, 0, GiB, "0-1");
	add_socket(m, 1, GiB, "2-3");
	add_socket(m, 2, GiB, NULL);
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			assert_int_equal(hn_machine_set_distance(m, a, b, 20), 0);
	*mp = m;
	return boot(m);
}

static void zonelist_x86_boot_lists_are_built_before_cpus_join_nodes(void **state)
{
	struct hn_machine *m;
	struct hn_sim *sim = three_nodes_two_with_cpus(HN_ARCH_X86_64, &m);
	char *log;

	(void)state;
	assert_true(hn_sim_node_state(sim, 1, HN_N_CPU));
	assert_false(hn_sim_node_state(sim, 2, HN_N_CPU));
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] Fallback order for Node 0: 0 1 2 \n"));
	assert_non_null(strstr(log, "] Fallback order for Node 1: 1 2 0 \n"));
	free(log);
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:DMA32 0:DMA 1:DMA32 2:DMA32");

	/* a rebuild after boot: now cpumask_of_node() holds the CPUs */
	assert_int_equal(hn_sim_set_node_online(sim, 2, false), 0);
	assert_int_equal(hn_sim_set_node_online(sim, 2, true), 0);
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:DMA32 0:DMA 2:DMA32 1:DMA32");
	teardown(sim, m);
}

static void zonelist_ppc64_boot_lists_see_the_cpus(void **state)
{
	struct hn_machine *m;
	struct hn_sim *sim = three_nodes_two_with_cpus(HN_ARCH_PPC64, &m);
	char *log;

	(void)state;
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] Fallback order for Node 0: 0 2 1 \n"));
	free(log);
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 2:Normal 1:Normal");
	teardown(sim, m);
}

/*
 * A declared node with neither CPUs nor memory (node 0) still has a pgdat
 * and zonelists, built first in id order, as __build_all_zonelists() does
 * for every possible node; its own list's spill-over counts in node_load.
 *
 *   node 0: nothing --15-- node 2        node 0 --20-- nodes 1, 3
 *   nodes 1, 2, 3: DRAM and CPUs, 20 apart
 *
 * Node 0's list: 2 (load[2] = 1), then 1 (a new distance group: load[1] =
 * 1) and 3.  Node 1's list: 1, then node 2 scores 21 * 1024 + 1 against
 * node 3's 21 * 1024 + 0, so 3 comes first.  Without node 0's build it
 * would be 1 2 3.
 * Expect "Fallback order for Node 0: 2 1 3 " and "for Node 1: 1 3 2 ",
 * node 0 offline, with no NOFALLBACK zones.
 */
static void zonelist_empty_node_counts_in_node_load(void **state)
{
	struct hn_machine *m = new_machine("empty0", HN_ARCH_GENERIC);
	struct hn_sim *sim;
	char *log;

	(void)state;
	assert_int_equal(hn_machine_add_node(m, 0), 0);
	add_socket(m, 1, 512 * MiB, "0");
	add_socket(m, 2, 512 * MiB, "1");
	add_socket(m, 3, 512 * MiB, "2");
	for (int a = 0; a < 4; a++)
		for (int b = a + 1; b < 4; b++)
			assert_int_equal(hn_machine_set_distance(m, a, b, a == 0 && b == 2 ? 15 : 20),
					 0);
	sim = boot(m);
	assert_false(hn_sim_node_state(sim, 0, HN_N_ONLINE));
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] Fallback order for Node 0: 2 1 3 \n"));
	assert_non_null(strstr(log, "] Fallback order for Node 1: 1 3 2 \n"));
	free(log);
	assert_list(sim, 0, ZONELIST_NOFALLBACK, "");
	teardown(sim, m);
}

/* ------------------------------------------------------------------------ */
/* GFP                                                                       */

/*
 * The two-socket box again.  Expect __GFP_THISNODE to select the
 * NOFALLBACK list, so a walk from node 1 never leaves node 1.
 */
static void zonelist_thisnode_selects_nofallback(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);
	char buf[256];

	(void)state;
	assert_ptr_equal(node_zonelist(sim, 0, GFP_KERNEL | __GFP_THISNODE),
			 &NODE_DATA(sim, 0)->node_zonelists[ZONELIST_NOFALLBACK]);
	assert_ptr_equal(node_zonelist(sim, 0, GFP_KERNEL),
			 &NODE_DATA(sim, 0)->node_zonelists[ZONELIST_FALLBACK]);
	assert_string_equal(walk_str(node_zonelist(sim, 1, GFP_KERNEL | __GFP_THISNODE),
				     hn_gfp_zone(GFP_KERNEL), NULL, buf, sizeof(buf)),
			    "1:Normal");
	assert_string_equal(walk_str(node_zonelist(sim, 1, GFP_KERNEL), hn_gfp_zone(GFP_KERNEL),
				     NULL, buf, sizeof(buf)),
			    "1:Normal 0:Normal 0:DMA32 0:DMA");
	teardown(sim, m);
}

/*
 * Every value of the four zone bits (DMA 1, HIGHMEM 2, DMA32 4, MOVABLE 8).
 * Expect the x86_64 GFP_ZONE_TABLE (no HIGHMEM: __GFP_HIGHMEM means
 * Normal, and Movable only with HIGHMEM|MOVABLE) and -EINVAL for the eight
 * combinations in GFP_ZONE_BAD; bits outside GFP_ZONEMASK change nothing.
 */
static void gfp_zone_every_zonemask_combination(void **state)
{
	static const int expect[16] = {
		HN_ZONE_NORMAL, HN_ZONE_DMA, HN_ZONE_NORMAL, -EINVAL,
		HN_ZONE_DMA32, -EINVAL, -EINVAL, -EINVAL,
		HN_ZONE_NORMAL, HN_ZONE_DMA, HN_ZONE_MOVABLE, -EINVAL,
		HN_ZONE_DMA32, -EINVAL, -EINVAL, -EINVAL,
	};

	(void)state;
	for (hn_gfp_t bits = 0; bits < 16; bits++) {
		assert_int_equal(hn_gfp_zone(bits), expect[bits]);
		assert_int_equal(hn_gfp_zone(bits | GFP_KERNEL | __GFP_THISNODE | (1ULL << 40)),
				 expect[bits]);
	}
	assert_int_equal(hn_gfp_zone(GFP_KERNEL), HN_ZONE_NORMAL);
	assert_int_equal(hn_gfp_zone(GFP_HIGHUSER_MOVABLE), HN_ZONE_MOVABLE);
	assert_int_equal(hn_gfp_zone(GFP_TRANSHUGE), HN_ZONE_MOVABLE);
	assert_int_equal(hn_gfp_zone(GFP_DMA32), HN_ZONE_DMA32);
	assert_int_equal(hn_gfp_zone(__GFP_DMA | __GFP_DMA32), -EINVAL);
}

/*
 * One generic node of 8 MiB with a 1 MiB kernel image and no memory-map
 * charge: about 1800 pages above the high watermark, fewer than
 * pageblock_nr_pages (512) * MIGRATE_TYPES (5) = 2560.
 * Expect mobility grouping on for the two-socket box (gfp_migratetype()
 * follows __GFP_MOVABLE/__GFP_RECLAIMABLE) and off for the tiny one, where
 * everything is MIGRATE_UNMOVABLE and the boot line says "off".
 */
static void gfp_migratetype_and_mobility_grouping(void **state)
{
	struct hn_machine *m = two_socket_x86(), *tiny = new_machine("tiny", HN_ARCH_GENERIC);
	struct hn_sim_config cfg = { .kernel_image_size = MiB, .flags = HN_SIM_NO_MEMMAP_RESERVE };
	struct hn_sim *sim = boot(m), *small;
	struct hn_zone_info zi;
	char *log, line[128];

	(void)state;
	assert_int_equal(gfp_migratetype(sim, GFP_KERNEL), HN_MIGRATE_UNMOVABLE);
	assert_int_equal(gfp_migratetype(sim, GFP_HIGHUSER_MOVABLE), HN_MIGRATE_MOVABLE);
	assert_int_equal(gfp_migratetype(sim, GFP_KERNEL | __GFP_RECLAIMABLE),
			 HN_MIGRATE_RECLAIMABLE);
	teardown(sim, m);

	add_socket(tiny, 0, 8 * MiB, "0");
	small = boot_cfg(tiny, &cfg);
	assert_int_equal(hn_sim_zone_info(small, 0, HN_ZONE_NORMAL, &zi), 0);
	/* the boot line counts present pages, as the kernel does before memblock_free_all() */
	assert_true(zi.present_pages < 512 * HN_MIGRATE_TYPES);
	assert_true(small->page_group_by_mobility_disabled);
	assert_int_equal(gfp_migratetype(small, GFP_HIGHUSER_MOVABLE), HN_MIGRATE_UNMOVABLE);
	assert_int_equal(gfp_migratetype(small, __GFP_RECLAIMABLE), HN_MIGRATE_UNMOVABLE);
	log = test_view(small, hn_sim_dmesg);
	snprintf(line, sizeof(line), "] Built 1 zonelists, mobility grouping off.  Total pages: %llu\n",
		 (unsigned long long)zi.present_pages);
	assert_non_null(strstr(log, line));
	free(log);
	teardown(small, tiny);
}

/*
 * %pGg.  Expect composite names first and the single flags after them in
 * mmflags.h order (__GFP_NOWARN before __GFP_ZERO), "none" for 0, unnamed
 * bits as one hex remainder, and a short buffer cut and terminated without
 * a byte written past its end.
 */
static void gfp_format_names_like_the_kernel(void **state)
{
	char buf[128], small[16];

	(void)state;
	assert_string_equal(hn_gfp_format(GFP_KERNEL, buf, sizeof(buf)), "GFP_KERNEL");
	assert_string_equal(hn_gfp_format(GFP_ATOMIC, buf, sizeof(buf)), "GFP_ATOMIC");
	assert_string_equal(hn_gfp_format(GFP_HIGHUSER_MOVABLE, buf, sizeof(buf)),
			    "GFP_HIGHUSER_MOVABLE");
	assert_string_equal(hn_gfp_format(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, buf, sizeof(buf)),
			    "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO");
	assert_string_equal(hn_gfp_format(0, buf, sizeof(buf)), "none");
	assert_string_equal(hn_gfp_format(1ULL << 40, buf, sizeof(buf)), "0x10000000000");
	assert_string_equal(hn_gfp_format(__GFP_HIGH | 1ULL << 40, buf, sizeof(buf)),
			    "__GFP_HIGH|0x10000000000");
	/* lib/test_printf.c's cases */
	assert_string_equal(hn_gfp_format(GFP_TRANSHUGE, buf, sizeof(buf)), "GFP_TRANSHUGE");
	assert_string_equal(hn_gfp_format(GFP_ATOMIC | __GFP_DMA, buf, sizeof(buf)),
			    "GFP_ATOMIC|GFP_DMA");
	assert_string_equal(hn_gfp_format(__GFP_HIGH, buf, sizeof(buf)), "__GFP_HIGH");
	/* bit 9 is unused in 6.12; __GFP_ZEROTAGS is bit 23 */
	assert_string_equal(hn_gfp_format(0x200, buf, sizeof(buf)), "0x200");
	assert_string_equal(hn_gfp_format(0x800000, buf, sizeof(buf)), "__GFP_ZEROTAGS");
	assert_string_equal(hn_gfp_format(GFP_NOWAIT, buf, sizeof(buf)), "GFP_NOWAIT");

	memset(small, 'X', sizeof(small));
	assert_ptr_equal(hn_gfp_format(GFP_KERNEL | __GFP_ZERO, small, 8), small);
	assert_string_equal(small, "GFP_KER");
	for (size_t i = 8; i < sizeof(small); i++)
		assert_int_equal(small[i], 'X');
	memset(small, 'X', sizeof(small));
	hn_gfp_format(GFP_KERNEL, small, 1);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'X');
	memset(small, 'X', sizeof(small));
	hn_gfp_format(GFP_KERNEL, small, 0);
	assert_int_equal(small[0], 'X');
	assert_null(hn_gfp_format(GFP_KERNEL, NULL, 8));
}

/*
 * The two-socket box, walking node 1's FALLBACK list:
 *
 *   1:Normal  0:Normal  0:DMA32  0:DMA
 *
 * Expect for_each_zone_zonelist_nodemask() to skip zones above the highest
 * index and zones of nodes outside the mask, keeping the list order.
 */
static void zonelist_walk_with_nodemask_and_highest_zone(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);
	struct hn_zonelist *zl;
	struct hn_nodemask only0, only1;
	char buf[256];

	(void)state;
	zl = node_zonelist(sim, 1, GFP_KERNEL);
	hn_nodemask_clear_all(&only0);
	hn_nodemask_set(&only0, 0);
	hn_nodemask_clear_all(&only1);
	hn_nodemask_set(&only1, 1);
	assert_string_equal(walk_str(zl, HN_ZONE_NORMAL, NULL, buf, sizeof(buf)),
			    "1:Normal 0:Normal 0:DMA32 0:DMA");
	assert_string_equal(walk_str(zl, HN_ZONE_DMA32, NULL, buf, sizeof(buf)), "0:DMA32 0:DMA");
	assert_string_equal(walk_str(zl, HN_ZONE_DMA, NULL, buf, sizeof(buf)), "0:DMA");
	assert_string_equal(walk_str(zl, HN_ZONE_NORMAL, &only0, buf, sizeof(buf)),
			    "0:Normal 0:DMA32 0:DMA");
	assert_string_equal(walk_str(zl, HN_ZONE_DMA32, &only1, buf, sizeof(buf)), "");
	assert_string_equal(walk_str(zl, HN_ZONE_MOVABLE, &only1, buf, sizeof(buf)), "1:Normal");
	teardown(sim, m);
}

/* ------------------------------------------------------------------------ */
/* Node online / offline                                                     */

/*
 * The two-socket box; node 1 goes offline and comes back.
 *
 *   before:  FALLBACK(0) = 0:Normal 0:DMA32 0:DMA 1:Normal
 *   offline: FALLBACK(0) = 0:Normal 0:DMA32 0:DMA        (node 1 gone)
 *            FALLBACK(1) = 0:Normal 0:DMA32 0:DMA        (still built)
 *   online:  as before
 *
 * Expect N_ONLINE, N_MEMORY and N_NORMAL_MEMORY to go and come back with
 * the node, repeated calls to return 0, and the lists to stay valid.
 */
static void node_offline_online_rebuilds_zonelists(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);

	(void)state;
	assert_int_equal(hn_sim_set_node_online(sim, 1, false), 0);
	assert_false(hn_sim_node_state(sim, 1, HN_N_ONLINE));
	assert_false(hn_sim_node_state(sim, 1, HN_N_MEMORY));
	assert_false(hn_sim_node_state(sim, 1, HN_N_NORMAL_MEMORY));
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA");
	assert_list(sim, 1, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA");
	assert_list(sim, 1, ZONELIST_NOFALLBACK, "");
	assert_int_equal(hn_check_zonelists(sim), 0);
	assert_int_equal(hn_sim_set_node_online(sim, 1, false), 0);

	assert_int_equal(hn_sim_set_node_online(sim, 1, true), 0);
	assert_true(hn_sim_node_state(sim, 1, HN_N_ONLINE));
	assert_true(hn_sim_node_state(sim, 1, HN_N_MEMORY));
	assert_true(hn_sim_node_state(sim, 1, HN_N_NORMAL_MEMORY));
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA 1:Normal");
	assert_list(sim, 1, ZONELIST_FALLBACK, "1:Normal 0:Normal 0:DMA32 0:DMA");
	assert_list(sim, 1, ZONELIST_NOFALLBACK, "1:Normal");
	assert_int_equal(hn_sim_set_node_online(sim, 1, true), 0);
	assert_int_equal(hn_check_zonelists(sim), 0);
	assert_sim_ok(sim);
	teardown(sim, m);
}

/*
 *   node 0 DRAM        (node 1 never declared)        node 2 DRAM
 *
 * Expect -EINVAL for a NULL instance, -ENODEV for ids out of range and for
 * node 1 (not possible), -EBUSY while one of node 2's pages is allocated
 * (nothing changes), -EAGAIN before the mm phase has run.
 */
static void node_online_errors(void **state)
{
	struct hn_machine *m = new_machine("gap", HN_ARCH_GENERIC);
	struct hn_sim_config early = { .flags = HN_SIM_STOP_BEFORE_MM };
	struct hn_sim *sim, *pre = NULL;
	struct hn_zone *normal;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0");
	add_socket(m, 2, 512 * MiB, "1");
	sim = boot(m);

	assert_int_equal(hn_sim_set_node_online(NULL, 0, false), -EINVAL);
	assert_int_equal(hn_sim_set_node_online(sim, -1, false), -ENODEV);
	assert_int_equal(hn_sim_set_node_online(sim, 3, false), -ENODEV);
	assert_int_equal(hn_sim_set_node_online(sim, HN_MAX_NUMNODES, true), -ENODEV);
	assert_null(NODE_DATA(sim, 1));
	assert_int_equal(hn_sim_set_node_online(sim, 1, true), -ENODEV);

	normal = &NODE_DATA(sim, 2)->node_zones[HN_ZONE_NORMAL];
	normal->nr_allocated = 1;
	assert_int_equal(hn_sim_set_node_online(sim, 2, false), -EBUSY);
	assert_true(hn_sim_node_state(sim, 2, HN_N_ONLINE));
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 2:Normal");
	normal->nr_allocated = 0;
	assert_int_equal(hn_sim_set_node_online(sim, 2, false), 0);
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal");
	assert_int_equal(hn_sim_set_node_online(sim, 2, true), 0);
	teardown(sim, NULL);

	assert_int_equal(hn_sim_create(&pre, m, &early), 0);
	assert_int_equal(hn_sim_set_node_online(pre, 0, false), -EAGAIN);
	assert_int_equal(hn_sim_show_zonelists(pre, stdout), -EAGAIN);
	assert_int_equal(hn_sim_dot_zonelists(pre, stdout), -EAGAIN);
	teardown(pre, m);
}

/*
 * Building the lists for the first time while the host runs out of memory
 * at each allocation in turn.  Expect -ENOMEM with no list and no node_load
 * left behind, then a clean build; and a rebuild that fails keeps the old
 * lists as they were.
 */
static void zonelist_build_survives_host_allocation_failure(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);
	unsigned long before = calloc_wrap_calls;
	int ret, attempts = 0;

	(void)state;
	/* A library allocation, so the compiler cannot elide it. */
	hn_free_zonelists(sim);
	assert_int_equal(hn_build_all_zonelists(sim, false), 0);
	if (calloc_wrap_calls == before) {
		fprintf(stderr, "calloc wrapper not linked in: -ENOMEM cases skipped\n");
		teardown(sim, m);
		return;
	}
	hn_free_zonelists(sim);
	do {
		calloc_fail_after = attempts++;
		ret = hn_build_all_zonelists(sim, false);
		calloc_fail_after = -1;
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			assert_null(sim->node_load);
			for (int nid = 0; nid < 2; nid++)
				for (int t = 0; t < MAX_ZONELISTS; t++)
					assert_null(NODE_DATA(sim, nid)->node_zonelists[t]._zonerefs);
		}
	} while (ret);
	assert_true(attempts > 1);
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA 1:Normal");

	calloc_fail_after = 0;
	assert_int_equal(hn_build_all_zonelists(sim, false), -ENOMEM);
	calloc_fail_after = -1;
	assert_list(sim, 0, ZONELIST_FALLBACK, "0:Normal 0:DMA32 0:DMA 1:Normal");
	assert_list(sim, 1, ZONELIST_NOFALLBACK, "1:Normal");
	assert_int_equal(hn_check_zonelists(sim), 0);
	teardown(sim, m);
}

/* ------------------------------------------------------------------------ */
/* Log lines and views                                                       */

/*
 * The two-socket box's boot log.  Expect one "Fallback order" line per
 * node with the kernel's trailing space, then "Built 2 zonelists" with the
 * pages above the high watermark of every zone (the post-boot figure, see
 * zonelist.c), then "Policy zone: Normal", in that order.
 */
static void zonelist_boot_log_lines(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);
	unsigned long long total = 0;
	char *log, built[128];
	const char *f0, *f1, *b, *p;

	(void)state;
	for (int nid = 0; nid < 2; nid++) {
		for (int zt = 0; zt < HN_MAX_NR_ZONES; zt++) {
			struct hn_zone_info zi;

			assert_int_equal(hn_sim_zone_info(sim, nid, (enum hn_zone_type)zt, &zi), 0);
			/* the kernel's boot-time view: managed == present, no watermarks */
			if (zt != HN_ZONE_DEVICE)
				total += zi.present_pages;
		}
	}
	snprintf(built, sizeof(built), "] Built 2 zonelists, mobility grouping on.  Total pages: %llu\n",
		 total);
	log = test_view(sim, hn_sim_dmesg);
	f0 = strstr(log, "] Fallback order for Node 0: 0 1 \n");
	f1 = strstr(log, "] Fallback order for Node 1: 1 0 \n");
	b = strstr(log, built);
	p = strstr(log, "] Policy zone: Normal\n");
	assert_non_null(f0);
	assert_non_null(f1);
	assert_non_null(b);
	assert_non_null(p);
	assert_true(f0 < f1 && f1 < b && b < p);
	free(log);
	teardown(sim, m);
}

/*
 * The two-socket box through mminit_verify_zonelist()'s loops: per online
 * node, all "general" lines then all "thisnode" lines, one per populated
 * zone of the node, each walking the list up to that zone.
 * Expect exactly the text below, trailing spaces included.
 */
static void zonelist_show_two_socket_exact_text(void **state)
{
	static const char expect[] =
		"mminit::zonelist general 0:DMA = 0:DMA \n"
		"mminit::zonelist general 0:DMA32 = 0:DMA32 0:DMA \n"
		"mminit::zonelist general 0:Normal = 0:Normal 0:DMA32 0:DMA 1:Normal \n"
		"mminit::zonelist thisnode 0:DMA = 0:DMA \n"
		"mminit::zonelist thisnode 0:DMA32 = 0:DMA32 0:DMA \n"
		"mminit::zonelist thisnode 0:Normal = 0:Normal 0:DMA32 0:DMA \n"
		"mminit::zonelist general 1:Normal = 1:Normal 0:Normal 0:DMA32 0:DMA \n"
		"mminit::zonelist thisnode 1:Normal = 1:Normal \n";
	struct hn_machine *m = two_socket_x86();
	struct hn_sim *sim = boot(m);
	char *text;
	FILE *ro;

	(void)state;
	text = test_view(sim, hn_sim_show_zonelists);
	assert_string_equal(text, expect);
	free(text);

	assert_int_equal(hn_sim_show_zonelists(NULL, stdout), -EINVAL);
	assert_int_equal(hn_sim_show_zonelists(sim, NULL), -EINVAL);
	ro = fopen("/dev/null", "r");
	assert_non_null(ro);
	assert_int_equal(hn_sim_show_zonelists(sim, ro), -EIO);
	fclose(ro);
	teardown(sim, m);
}

/*
 * The CXL machine drawn twice from two instances.  Expect a digraph with
 * node 0's walk starting "start0" -> 0:Normal (edge 1) -> 2:Normal (edge 2),
 * and byte-identical text from both instances.
 */
static void zonelist_dot_is_deterministic(void **state)
{
	struct hn_machine *m = new_machine("cxl", HN_ARCH_GENERIC);
	struct hn_memdev_desc c2 = test_cxl(2, 512 * MiB);
	struct hn_sim *a, *b;
	char *da, *db;
	FILE *ro;

	(void)state;
	add_socket(m, 0, 512 * MiB, "0-1");
	add_socket(m, 1, 512 * MiB, "2-3");
	assert_int_equal(hn_machine_add_memdev(m, &c2), 0);
	a = boot(m);
	b = boot(m);
	da = test_view(a, hn_sim_dot_zonelists);
	db = test_view(b, hn_sim_dot_zonelists);
	assert_int_equal(strncmp(da, "digraph", 7), 0);
	assert_string_equal(da, db);
	assert_non_null(strstr(da, "\"start0\" -> \"n0_Normal\" [label=\"1\""));
	assert_non_null(strstr(da, "\"n0_Normal\" -> \"n2_Normal\" [label=\"2\""));
	assert_non_null(strstr(da, "subgraph cluster_node2 {"));
	assert_int_equal(da[strlen(da) - 2], '}');
	free(da);
	free(db);

	assert_int_equal(hn_sim_dot_zonelists(NULL, stdout), -EINVAL);
	ro = fopen("/dev/null", "r");
	assert_non_null(ro);
	assert_int_equal(hn_sim_dot_zonelists(a, ro), -EIO);
	fclose(ro);
	teardown(a, NULL);
	teardown(b, m);
}

/*
 * The two-socket box with node 0's FALLBACK list corrupted in place:
 *
 *   0:Normal 0:Normal 0:DMA 1:Normal      (0:DMA32 overwritten)
 *
 * Expect hn_check_zonelists() to return -EUCLEAN and the report hook to
 * hear "duplicate zone in zonelist"; a wrong cached zone index is
 * "zoneref index mismatch"; once repaired the check passes again.
 */
static void zonelist_check_detects_duplicate_zone(void **state)
{
	struct hn_machine *m = two_socket_x86();
	struct all_reports ar = { 0 };
	struct hn_sim_config cfg = { .report = all_reports_fn, .report_ctx = &ar };
	struct hn_sim *sim = boot_cfg(m, &cfg);
	struct hn_zoneref *zl = NODE_DATA(sim, 0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	struct hn_zoneref saved = zl[1];

	(void)state;
	assert_int_equal(ar.count, 0);
	zl[1] = zl[0];
	assert_int_equal(hn_check_zonelists(sim), -EUCLEAN);
	assert_non_null(strstr(ar.reasons, "duplicate zone in zonelist;"));
	zl[1] = saved;

	memset(&ar, 0, sizeof(ar));
	zl[2].zone_idx = HN_ZONE_NORMAL;
	assert_int_equal(hn_check_zonelists(sim), -EUCLEAN);
	assert_non_null(strstr(ar.reasons, "zoneref index mismatch;"));
	zl[2].zone_idx = HN_ZONE_DMA;

	memset(&ar, 0, sizeof(ar));
	assert_int_equal(hn_check_zonelists(sim), 0);
	assert_int_equal(ar.count, 0);
	teardown(sim, m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zonelist_two_socket_x86_local_zones_high_to_low),
		cmocka_unit_test(zonelist_ring_of_four_rotates_fallback),
		cmocka_unit_test(zonelist_node_load_round_robins_equidistant_expanders),
		cmocka_unit_test(zonelist_memoryless_cpu_node_starts_at_nearest_memory),
		cmocka_unit_test(zonelist_cpuless_cxl_node_is_preferred_over_remote_socket),
		cmocka_unit_test(zonelist_x86_boot_lists_are_built_before_cpus_join_nodes),
		cmocka_unit_test(zonelist_ppc64_boot_lists_see_the_cpus),
		cmocka_unit_test(zonelist_empty_node_counts_in_node_load),
		cmocka_unit_test(zonelist_thisnode_selects_nofallback),
		cmocka_unit_test(gfp_zone_every_zonemask_combination),
		cmocka_unit_test(gfp_migratetype_and_mobility_grouping),
		cmocka_unit_test(gfp_format_names_like_the_kernel),
		cmocka_unit_test(zonelist_walk_with_nodemask_and_highest_zone),
		cmocka_unit_test(node_offline_online_rebuilds_zonelists),
		cmocka_unit_test(node_online_errors),
		cmocka_unit_test(zonelist_build_survives_host_allocation_failure),
		cmocka_unit_test(zonelist_boot_log_lines),
		cmocka_unit_test(zonelist_show_two_socket_exact_text),
		cmocka_unit_test(zonelist_dot_is_deterministic),
		cmocka_unit_test(zonelist_check_detects_duplicate_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
