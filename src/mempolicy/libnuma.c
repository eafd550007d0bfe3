/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnuma.c - libnuma's allocation helpers over a simulated task:
 * numa_alloc_onnode(), numa_alloc_interleaved(_subset)(), numa_alloc_local()
 * and numa_free(), each an anonymous mapping bound the way libnuma binds it
 * (dombind(): mbind() with the policy and the nodes, no flags).
 */
#include <errno.h>
#include <stdlib.h>

#include <hnuma/mempolicy.h>
#include <hnuma/numa.h>

#include "core/mmzone.h"
#include "mempolicy/mpol.h"

#define WORDS (HN_MAX_NUMNODES / (8 * sizeof(unsigned long)))

/* mmap, then mbind with @mode and @nodes; the mapping goes again if mbind fails. */
static int alloc_bound(struct hn_task *t, uint64_t size, int mode, const struct hn_nodemask *nodes,
		       uint64_t *addr)
{
	unsigned long mask[WORDS] = { 0 };
	uint64_t a;
	int ret;

	if (addr)
		*addr = 0;
	if (!t || !addr || !size)
		return -EINVAL;
	for (int n = 0; nodes && n < HN_MAX_NUMNODES; n++)
		if (hn_nodemask_test(nodes, n))
			mask[n / (8 * sizeof(unsigned long))] |= 1UL << (n % (8 * sizeof(unsigned long)));
	ret = hn_mmap(t, 0, size, HN_PROT_READ | HN_PROT_WRITE, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a);
	if (ret)
		return ret;
	ret = hn_mbind(t, a, size, mode, nodes ? mask : NULL, nodes ? HN_MAX_NUMNODES + 1 : 0, 0);
	if (ret) {
		hn_munmap(t, a, size);
		return ret;
	}
	*addr = a;
	return 0;
}

int hn_numa_alloc_onnode(struct hn_task *t, uint64_t size, int node, uint64_t *addr)
{
	struct hn_nodemask m;

	if (node < 0 || node >= HN_MAX_NUMNODES) {
		if (addr)
			*addr = 0;
		return -EINVAL;
	}
	hn_nodemask_clear_all(&m);
	hn_nodemask_set(&m, node);
	return alloc_bound(t, size, MPOL_BIND, &m, addr);
}

int hn_numa_alloc_interleaved_subset(struct hn_task *t, uint64_t size, const struct hn_bitmask *nodes,
				     uint64_t *addr)
{
	struct hn_nodemask m;

	if (!nodes || hn_bitmask_to_nodemask(nodes, &m)) {
		if (addr)
			*addr = 0;
		return -EINVAL;
	}
	return alloc_bound(t, size, MPOL_INTERLEAVE, &m, addr);
}

int hn_numa_alloc_interleaved(struct hn_task *t, uint64_t size, uint64_t *addr)
{
	struct hn_nodemask m;

	if (!t) {
		if (addr)
			*addr = 0;
		return -EINVAL;
	}
	/* numa_all_nodes_ptr: the nodes with memory the task's cpuset allows */
	hn_nodemask_clear_all(&m);
	for (int n = 0; n < t->sim->nr_node_ids; n++)
		if (hn_nodemask_test(&t->mems_allowed, n) &&
		    hn_bit_test(t->sim->node_states[HN_N_MEMORY], (unsigned int)n))
			hn_nodemask_set(&m, n);
	return alloc_bound(t, size, MPOL_INTERLEAVE, &m, addr);
}

int hn_numa_alloc_local(struct hn_task *t, uint64_t size, uint64_t *addr)
{
	return alloc_bound(t, size, MPOL_LOCAL, NULL, addr);
}

int hn_numa_free(struct hn_task *t, uint64_t addr, uint64_t size)
{
	return hn_munmap(t, addr, size);
}
