/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_mempolicy.c - tasks and memory policies (hnuma/mempolicy.h) against
 * the kernel's rules, case by case.
 *
 * Machine: four nodes of 256 MiB, generic architecture (one Normal zone
 * each), CPUs 2n and 2n+1 on node n, distance 20 between any two nodes.
 */
#include "hn_test.h"

#include <errno.h>
#include <string.h>

#include <hnuma/mempolicy.h>

#include "core/mmzone.h"

#define MiB (1ULL << 20)
#define BIT(n) (1UL << (n))

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;	/* on CPU 4: node 2 */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct hn_sim_config cfg = { 0 };

	if (!fx || test_four_nodes(&fx->m, "mpol"))
		return -1;
	if (hn_sim_create(&fx->sim, fx->m, &cfg) || hn_task_create(fx->sim, 4, &fx->t))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	assert_sim_ok(fx->sim);
	hn_sim_destroy(fx->sim);	/* frees the task too */
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

/* set_mempolicy with the nodes in one word, maxnode 65 (64 bits read). */
static int set(struct fx *fx, int mode, unsigned long nodes)
{
	return hn_set_mempolicy(fx->t, mode, &nodes, 65);
}

static void get(struct fx *fx, int *mode, unsigned long *nodes)
{
	unsigned long mask[16];

	memset(mask, 0xa5, sizeof(mask));
	assert_int_equal(hn_get_mempolicy(fx->t, mode, mask, 1025, 0, 0), 0);
	for (int i = 1; i < 16; i++)
		assert_int_equal(mask[i], 0);	/* everything past the node ids cleared */
	*nodes = mask[0];
}

static int node_of(struct fx *fx, uint64_t pfn)
{
	return pfn_to_nid(fx->sim, pfn);
}

static int alloc_node(struct fx *fx, hn_gfp_t gfp)
{
	uint64_t pfn;
	int ret = hn_task_alloc_pages(fx->t, gfp, 0, &pfn);

	return ret ? ret : node_of(fx, pfn);
}

static void modes_round_trip(void **state)
{
	struct fx *fx = *state;
	static const struct {
		int mode;
		unsigned long nodes;
		int ret;
		int got_mode;
		unsigned long got_nodes;
	} cases[] = {
		{ MPOL_DEFAULT, 0, 0, MPOL_DEFAULT, 0 },
		{ MPOL_DEFAULT, BIT(1), -EINVAL, 0, 0 },
		{ MPOL_PREFERRED, BIT(2) | BIT(3), 0, MPOL_PREFERRED, BIT(2) },	/* the first */
		{ MPOL_PREFERRED, 0, 0, MPOL_LOCAL, 0 },			/* empty: local */
		{ MPOL_PREFERRED | MPOL_F_STATIC_NODES, 0, -EINVAL, 0, 0 },
		{ MPOL_LOCAL, 0, 0, MPOL_LOCAL, 0 },
		{ MPOL_LOCAL, BIT(1), -EINVAL, 0, 0 },
		{ MPOL_LOCAL | MPOL_F_RELATIVE_NODES, 0, -EINVAL, 0, 0 },
		{ MPOL_BIND, 0, -EINVAL, 0, 0 },
		{ MPOL_BIND, BIT(1) | BIT(3), 0, MPOL_BIND, BIT(1) | BIT(3) },
		{ MPOL_BIND, BIT(1) | BIT(9), 0, MPOL_BIND, BIT(1) },		/* no node 9 */
		{ MPOL_BIND, BIT(9), -EINVAL, 0, 0 },				/* nothing left */
		{ MPOL_INTERLEAVE, 0xf, 0, MPOL_INTERLEAVE, 0xf },
		{ MPOL_WEIGHTED_INTERLEAVE, BIT(0) | BIT(2), 0, MPOL_WEIGHTED_INTERLEAVE, 5 },
		{ MPOL_PREFERRED_MANY, BIT(1) | BIT(2), 0, MPOL_PREFERRED_MANY, 6 },
		{ MPOL_PREFERRED_MANY, 0, -EINVAL, 0, 0 },
		{ MPOL_MAX, BIT(0), -EINVAL, 0, 0 },
		{ -1, BIT(0), -EINVAL, 0, 0 },
		{ MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, BIT(0), -EINVAL, 0, 0 },
		{ MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, BIT(0), -EINVAL, 0, 0 },
		{ MPOL_BIND | MPOL_F_NUMA_BALANCING, BIT(0), 0, MPOL_BIND | MPOL_F_NUMA_BALANCING, 1 },
		{ MPOL_PREFERRED_MANY | MPOL_F_NUMA_BALANCING, 3, 0,
		  MPOL_PREFERRED_MANY | MPOL_F_NUMA_BALANCING, 3 },
		/* STATIC and RELATIVE show the nodes given, not the nodes in use */
		{ MPOL_BIND | MPOL_F_STATIC_NODES, BIT(0) | BIT(9), 0, MPOL_BIND | MPOL_F_STATIC_NODES,
		  BIT(0) | BIT(9) },
		{ MPOL_INTERLEAVE | MPOL_F_RELATIVE_NODES, BIT(5), 0,
		  MPOL_INTERLEAVE | MPOL_F_RELATIVE_NODES, BIT(5) },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int mode = -1;
		unsigned long nodes = ~0UL;
		int ret = set(fx, cases[i].mode, cases[i].nodes);

		if (ret != cases[i].ret)
			fail_msg("case %zu: set_mempolicy(%#x, %#lx) = %d, want %d", i,
				 (unsigned int)cases[i].mode, cases[i].nodes, ret, cases[i].ret);
		if (ret)
			continue;
		get(fx, &mode, &nodes);
		if (mode != cases[i].got_mode || nodes != cases[i].got_nodes)
			fail_msg("case %zu: get_mempolicy gives %#x %#lx, want %#x %#lx", i,
				 (unsigned int)mode, nodes, (unsigned int)cases[i].got_mode,
				 cases[i].got_nodes);
	}
}

/* A failed set_mempolicy leaves the old policy in place. */
static void failure_keeps_policy(void **state)
{
	struct fx *fx = *state;
	unsigned long nodes;
	int mode;

	assert_int_equal(set(fx, MPOL_BIND, BIT(1)), 0);
	assert_int_equal(set(fx, MPOL_BIND, 0), -EINVAL);
	get(fx, &mode, &nodes);
	assert_int_equal(mode, MPOL_BIND);
	assert_int_equal(nodes, BIT(1));
}

static void relative_nodes(void **state)
{
	struct fx *fx = *state;
	struct hn_nodemask cpuset;
	unsigned long nodes;
	uint64_t pfn;
	int mode;

	/* relative node 5 folds onto the 4 usable nodes: 5 % 4 = 1, the second of them */
	assert_int_equal(set(fx, MPOL_BIND | MPOL_F_RELATIVE_NODES, BIT(5)), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 1);
	/* in a cpuset of nodes 2 and 3, 5 % 2 = 1: the second of those, node 3 */
	hn_nodemask_clear_all(&cpuset);
	hn_nodemask_set(&cpuset, 2);
	hn_nodemask_set(&cpuset, 3);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 3);
	get(fx, &mode, &nodes);
	assert_int_equal(nodes, BIT(5));	/* still the nodes given */
	assert_int_equal(hn_get_mempolicy(fx->t, NULL, &nodes, 64, 0, MPOL_F_MEMS_ALLOWED), 0);
	assert_int_equal(nodes, BIT(2) | BIT(3));
	(void)pfn;
}

static void cpuset_rebind(void **state)
{
	struct fx *fx = *state;
	struct hn_nodemask cpuset;

	hn_nodemask_clear_all(&cpuset);
	hn_nodemask_set(&cpuset, 2);
	hn_nodemask_set(&cpuset, 3);

	/* plain nodes are remapped: the k-th node of the old cpuset to the k-th of the new */
	assert_int_equal(set(fx, MPOL_INTERLEAVE, BIT(0) | BIT(1)), 0);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(alloc_node(fx, GFP_KERNEL), 2 + i % 2);

	/* static nodes intersect; an empty intersection takes the whole cpuset */
	hn_nodemask_set(&cpuset, 0);
	hn_nodemask_set(&cpuset, 1);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	assert_int_equal(set(fx, MPOL_BIND | MPOL_F_STATIC_NODES, BIT(0) | BIT(3)), 0);
	hn_nodemask_clear(&cpuset, 0);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 3);
	hn_nodemask_clear_all(&cpuset);
	hn_nodemask_set(&cpuset, 1);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 1);

	/* a cpuset without memory is refused */
	hn_nodemask_clear_all(&cpuset);
	hn_nodemask_set(&cpuset, 9);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), -EINVAL);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, NULL), -EINVAL);
	assert_int_equal(hn_task_set_mems_allowed(NULL, &cpuset), -EINVAL);
}

static void default_and_local(void **state)
{
	struct fx *fx = *state;
	struct hn_nodemask cpuset;

	assert_int_equal(alloc_node(fx, GFP_KERNEL), 2);	/* the home node */
	assert_int_equal(hn_task_set_cpu(fx->t, 1), 0);
	assert_int_equal(hn_task_node(fx->t), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 0);
	assert_int_equal(set(fx, MPOL_LOCAL, 0), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 0);
	/* the cpuset bounds even the default policy */
	hn_nodemask_clear_all(&cpuset);
	hn_nodemask_set(&cpuset, 3);
	assert_int_equal(hn_task_set_mems_allowed(fx->t, &cpuset), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 3);
}

static void preferred_and_bind(void **state)
{
	struct fx *fx = *state;
	uint64_t pfn;
	int ret, n = 0;

	assert_int_equal(set(fx, MPOL_PREFERRED, BIT(3)), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 3);
	/* __GFP_THISNODE: alloc_pages() ignores the task's policy */
	assert_int_equal(alloc_node(fx, GFP_KERNEL | __GFP_THISNODE), 2);

	/* BIND never leaves its nodes: exhaust node 1 */
	assert_int_equal(set(fx, MPOL_BIND, BIT(1)), 0);
	while (!(ret = hn_task_alloc_pages(fx->t, GFP_KERNEL | __GFP_NOWARN, 4, &pfn))) {
		assert_int_equal(node_of(fx, pfn), 1);
		n++;
	}
	assert_int_equal(ret, -ENOSPC);
	assert_true(n > 1000);
	/* PREFERRED_MANY of node 1 falls back to the others once it is full */
	assert_int_equal(set(fx, MPOL_PREFERRED_MANY, BIT(1)), 0);
	assert_int_equal(hn_task_alloc_pages(fx->t, GFP_KERNEL, 4, &pfn), 0);
	assert_int_not_equal(node_of(fx, pfn), 1);
	/* and PREFERRED of node 1 too */
	assert_int_equal(set(fx, MPOL_PREFERRED, BIT(1)), 0);
	assert_int_equal(hn_task_alloc_pages(fx->t, GFP_KERNEL, 4, &pfn), 0);
	assert_int_not_equal(node_of(fx, pfn), 1);
}

static void interleave_sequence(void **state)
{
	struct fx *fx = *state;
	uint64_t before, after;
	int next;

	assert_int_equal(set(fx, MPOL_INTERLEAVE, BIT(0) | BIT(1) | BIT(3)), 0);
	assert_int_equal(hn_get_mempolicy(fx->t, &next, NULL, 0, 0, MPOL_F_NODE), 0);
	assert_int_equal(next, 0);
	assert_int_equal(hn_sim_vmstat(fx->sim, "numa_interleave", &before), 0);
	for (int i = 0; i < 9; i++) {
		static const int seq[] = { 0, 1, 3 };

		assert_int_equal(alloc_node(fx, GFP_KERNEL), seq[i % 3]);
		assert_int_equal(hn_get_mempolicy(fx->t, &next, NULL, 0, 0, MPOL_F_NODE), 0);
		assert_int_equal(next, seq[(i + 1) % 3]);
	}
	assert_int_equal(hn_sim_vmstat(fx->sim, "numa_interleave", &after), 0);
	assert_int_equal(after - before, 9);
	/* numastat, both outputs: three interleave hits on each of nodes 0, 1 and 3 */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		assert_int_equal(hn_sim_show_numastat(fx->sim, f, false), 0);
		assert_int_equal(hn_sim_show_numastat(fx->sim, f, true), 0);
		fclose(f);
		assert_non_null(strstr(buf, "                           node0           node1           node2"
					    "           node3\n"));
		assert_non_null(strstr(buf, "\ninterleave_hit                 3               3               0"
					    "               3\n"));
		assert_non_null(strstr(buf, "\nPer-node numastat info (in MBs):\n"
					    "                          Node 0          Node 1          Node 2"
					    "          Node 3           Total\n"
					    "                 --------------- --------------- --------------- "
					    "--------------- ---------------\n"));
		assert_non_null(strstr(buf, "\nInterleave_Hit              0.01            0.01            0.00"
					    "            0.01            0.04\n"));
		free(buf);
	}
	/* a new interleave policy starts again from the first node */
	assert_int_equal(set(fx, MPOL_INTERLEAVE, BIT(2) | BIT(3)), 0);
	assert_int_equal(alloc_node(fx, GFP_KERNEL), 2);
}

static void weighted_interleave(void **state)
{
	struct fx *fx = *state;
	static const int seq[] = { 0, 0, 0, 2, 0, 0, 0, 2 };
	int next;

	assert_int_equal(hn_sim_il_weight(fx->sim, 0), 1);
	assert_int_equal(hn_sim_set_il_weight(fx->sim, 0, 3), 0);
	assert_int_equal(hn_sim_il_weight(fx->sim, 0), 3);
	assert_int_equal(set(fx, MPOL_WEIGHTED_INTERLEAVE, BIT(0) | BIT(2)), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(alloc_node(fx, GFP_KERNEL), seq[i]);
		assert_int_equal(hn_get_mempolicy(fx->t, &next, NULL, 0, 0, MPOL_F_NODE), 0);
		assert_int_equal(next, seq[(i + 1) % 8]);
	}
	/* 0 means the default weight */
	assert_int_equal(hn_sim_set_il_weight(fx->sim, 0, 0), 0);
	assert_int_equal(hn_sim_il_weight(fx->sim, 0), 1);
	assert_int_equal(hn_sim_set_il_weight(fx->sim, 0, 255), 0);
	assert_int_equal(hn_sim_il_weight(fx->sim, 0), 255);
	assert_int_equal(hn_sim_set_il_weight(fx->sim, 4, 1), -EINVAL);
	assert_int_equal(hn_sim_set_il_weight(fx->sim, -1, 1), -EINVAL);
	assert_int_equal(hn_sim_set_il_weight(NULL, 0, 1), -EINVAL);
	assert_int_equal(hn_sim_il_weight(fx->sim, 4), -EINVAL);
	assert_int_equal(hn_sim_il_weight(NULL, 0), -EINVAL);
}

static void maxnode_rules(void **state)
{
	struct fx *fx = *state;
	unsigned long big[2048 / 64 + 1];
	unsigned long one = BIT(1);

	/* maxnode - 1 bits are read: maxnode 2 reads bit 0 only */
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, &one, 2), -EINVAL);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, &one, 3), 0);
	/* maxnode 0 with a mask: the decrement wraps, past a page of bits */
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, &one, 0), -EINVAL);
	/* no mask, or maxnode 1: no nodes */
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_DEFAULT, NULL, 1000), 0);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, NULL, 1000), -EINVAL);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_LOCAL, &one, 1), 0);
	/* bits past MAX_NUMNODES may be given, but clear */
	memset(big, 0, sizeof(big));
	big[0] = BIT(2);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, big, 2049), 0);
	big[1500 / 64] |= BIT(1500 % 64);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, big, 2049), -EINVAL);
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, big, 1025), 0);	/* bit 1500 not read */
	/* longer than a page of bits */
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, big, 4096 * 8 + 2), -EINVAL);
	assert_int_equal(hn_set_mempolicy(NULL, MPOL_DEFAULT, NULL, 0), -EINVAL);
}

static void get_mempolicy_errors(void **state)
{
	struct fx *fx = *state;
	unsigned long mask[4] = { 0 };
	int mode;

	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, 0, 8), -EINVAL);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, 0, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE),
			 -EINVAL);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, 0x1000, 0), -EINVAL);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, 0x1000, MPOL_F_ADDR), -EFAULT);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, 0, MPOL_F_NODE), -EINVAL);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, mask, 3, 0, 0), -EINVAL);	/* < nr_node_ids */
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, mask, 4, 0, 0), 0);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, mask, 4096 * 8 + 65, 0, 0), -EINVAL);
	assert_int_equal(hn_get_mempolicy(NULL, &mode, NULL, 0, 0, 0), -EINVAL);
	assert_int_equal(hn_get_mempolicy(fx->t, NULL, NULL, 0, 0, 0), 0);
	assert_int_equal(hn_get_mempolicy(fx->t, NULL, mask, 64, 0, MPOL_F_MEMS_ALLOWED), 0);
	assert_int_equal(mask[0], 0xf);
}

static void tasks(void **state)
{
	struct fx *fx = *state;
	struct hn_task *a = (struct hn_task *)&a, *b;
	struct hn_sim *pre = NULL;
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM };
	uint64_t pfn;

	assert_int_equal(hn_task_pid(fx->t), 1);
	assert_int_equal(hn_task_cpu(fx->t), 4);
	assert_int_equal(hn_task_node(fx->t), 2);
	assert_int_equal(hn_task_create(fx->sim, 8, &a), -EINVAL);
	assert_null(a);
	assert_int_equal(hn_task_create(NULL, 0, &a), -EINVAL);
	assert_int_equal(hn_task_create(fx->sim, 0, NULL), -EINVAL);
	assert_int_equal(hn_task_create(fx->sim, 7, &a), 0);
	assert_int_equal(hn_task_create(fx->sim, 0, &b), 0);
	assert_int_equal(hn_task_pid(a), 2);
	assert_int_equal(hn_task_pid(b), 3);
	assert_int_equal(hn_task_node(a), 3);
	assert_int_equal(hn_task_set_cpu(a, 8), -EINVAL);
	assert_int_equal(hn_task_set_cpu(NULL, 0), -EINVAL);
	assert_int_equal(hn_task_pid(NULL), -EINVAL);
	assert_int_equal(hn_task_cpu(NULL), -EINVAL);
	assert_int_equal(hn_task_node(NULL), -EINVAL);
	assert_int_equal(hn_task_alloc_pages(NULL, GFP_KERNEL, 0, &pfn), -EINVAL);
	assert_int_equal(hn_task_alloc_pages(a, GFP_KERNEL, 0, NULL), -EINVAL);
	assert_int_equal(hn_task_alloc_pages(a, GFP_KERNEL, 11, &pfn), -EINVAL);
	/* each task allocates on its own CPU */
	assert_int_equal(hn_task_alloc_pages(a, GFP_KERNEL, 0, &pfn), 0);
	assert_int_equal(node_of(fx, pfn), 3);
	assert_int_equal(hn_sim_current_cpu(fx->sim), 7);
	assert_int_equal(hn_free_pages(fx->sim, pfn, 0), 0);
	hn_task_destroy(a);
	hn_task_destroy(NULL);
	/* b is left for hn_sim_destroy() */
	assert_int_equal(hn_sim_create(&pre, fx->m, &cfg), 0);
	assert_int_equal(hn_task_create(pre, 0, &a), -EAGAIN);
	hn_sim_destroy(pre);
}

/* The spelling of hnuma-sim --policy, scenario files and replay traces. */
static void policy_specs(void **state)
{
	static const struct {
		const char *spec;
		int mode;
		const char *nodes;
	} ok[] = {
		{ "default", MPOL_DEFAULT, NULL }, { "local", MPOL_LOCAL, NULL },
		{ "bind:0-1", MPOL_BIND, "0-1" }, { "interleave:all", MPOL_INTERLEAVE, "all" },
		{ "preferred:2", MPOL_PREFERRED, "2" }, { "preferred-many:1,3", MPOL_PREFERRED_MANY, "1,3" },
		{ "weighted:0-3", MPOL_WEIGHTED_INTERLEAVE, "0-3" }, { "bind:", MPOL_BIND, "" },
	};
	static const char *const bad[] = { "", "defaults", "prefer:1", "local:", "default:0", "bind",
					    "weighted", "Bind:0", ":0" };
	const char *nodes;
	int mode;

	(void)state;
	for (size_t i = 0; i < HN_ARRAY_SIZE(ok); i++) {
		nodes = "unset";
		assert_int_equal(hn_mpol_parse_spec(ok[i].spec, &mode, &nodes), 0);
		assert_int_equal(mode, ok[i].mode);
		if (ok[i].nodes)
			assert_string_equal(nodes, ok[i].nodes);
		else
			assert_null(nodes);
	}
	for (size_t i = 0; i < HN_ARRAY_SIZE(bad); i++) {
		mode = -7;
		assert_int_equal(hn_mpol_parse_spec(bad[i], &mode, &nodes), -EINVAL);
		assert_int_equal(mode, -7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(modes_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_keeps_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(relative_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(cpuset_rebind, setup, teardown),
		cmocka_unit_test_setup_teardown(default_and_local, setup, teardown),
		cmocka_unit_test_setup_teardown(preferred_and_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(interleave_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(weighted_interleave, setup, teardown),
		cmocka_unit_test_setup_teardown(maxnode_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(get_mempolicy_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(tasks, setup, teardown),
		cmocka_unit_test(policy_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
