/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_mm.c - address spaces: mmap, munmap, mprotect and mbind with VMA
 * split and merge, faults through policies, and exit freeing everything.
 *
 * Machine: four nodes of 256 MiB (generic architecture, one Normal zone
 * each), CPUs 2n and 2n+1 on node n; the task runs on CPU 4 (node 2).
 * Pages are 4 KiB; the address space ends at 2^47 - 4 KiB and mappings are
 * placed top-down from 128 MiB below that.
 */
#include "hn_test.h"

#include <errno.h>
#include <string.h>

#include <hnuma/mempolicy.h>
#include <hnuma/numa.h>

#define MiB (1ULL << 20)
#define PG 4096ULL
#define TASK_SIZE ((1ULL << 47) - PG)
#define MMAP_BASE (TASK_SIZE - 128 * MiB)
#define ANON (HN_MAP_PRIVATE | HN_MAP_ANONYMOUS)
#define RW (HN_PROT_READ | HN_PROT_WRITE)
#define BIT(n) (1UL << (n))

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_task *t;
	uint64_t free0;		/* free pages of the machine after boot */
};

static uint64_t free_pages(struct hn_sim *sim)
{
	uint64_t total = 0;

	for (int nid = 0; nid < 4; nid++) {
		struct hn_node_info ni;

		assert_int_equal(hn_sim_node_info(sim, nid, &ni), 0);
		total += ni.free_pages;
	}
	return total;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct hn_sim_config cfg = { 0 };

	if (!fx || test_four_nodes(&fx->m, "mm"))
		return -1;
	if (hn_sim_create(&fx->sim, fx->m, &cfg) || hn_task_create(fx->sim, 4, &fx->t))
		return -1;
	/* drain first so that per-CPU lists do not blur the free counts */
	hn_drain_all_pages(fx->sim);
	fx->free0 = free_pages(fx->sim);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	assert_sim_ok(fx->sim);
	/* exit frees every page the task had */
	hn_task_destroy(fx->t);
	hn_drain_all_pages(fx->sim);
	assert_int_equal(free_pages(fx->sim), fx->free0);
	assert_sim_ok(fx->sim);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static int node_at(struct fx *fx, uint64_t addr)
{
	uint64_t pfn;
	unsigned int flags;

	assert_int_equal(hn_task_pte(fx->t, addr, &pfn, &flags), 0);
	assert_true(flags & HN_PTE_PRESENT);
	assert_false(flags & HN_PTE_ZERO);
	for (int nid = 0; nid < 4; nid++) {
		struct hn_node_info ni;

		assert_int_equal(hn_sim_node_info(fx->sim, nid, &ni), 0);
		if (pfn >= ni.node_start_pfn && pfn < ni.node_start_pfn + ni.node_spanned_pages)
			return nid;
	}
	fail_msg("pfn %#llx on no node", (unsigned long long)pfn);
	return -1;
}

static int set_task_policy(struct fx *fx, int mode, unsigned long nodes)
{
	return hn_set_mempolicy(fx->t, mode, &nodes, 65);
}

static void vma_is(struct fx *fx, unsigned int i, uint64_t start, uint64_t end, int prot)
{
	uint64_t s, e;
	int p;

	assert_int_equal(hn_task_vma(fx->t, i, &s, &e, &p), 0);
	if (s != start || e != end || p != prot)
		fail_msg("VMA %u is [%#llx, %#llx) prot %d, want [%#llx, %#llx) prot %d", i,
			 (unsigned long long)s, (unsigned long long)e, p, (unsigned long long)start,
			 (unsigned long long)end, prot);
}

static void mmap_places_top_down_and_merges(void **state)
{
	struct fx *fx = *state;
	uint64_t a, b, c;

	assert_int_equal(hn_task_nr_vmas(fx->t), 0);
	assert_int_equal(hn_mmap(fx->t, 0, 3 * PG, RW, ANON, &a), 0);
	assert_int_equal(a, MMAP_BASE - 3 * PG);
	/* the next one lands right below and, alike, merges with it */
	assert_int_equal(hn_mmap(fx->t, 0, 5000, RW, ANON, &b), 0);	/* rounds up to 2 pages */
	assert_int_equal(b, a - 2 * PG);
	assert_int_equal(hn_task_nr_vmas(fx->t), 1);
	vma_is(fx, 0, b, MMAP_BASE, RW);
	/* a different protection does not merge */
	assert_int_equal(hn_mmap(fx->t, 0, PG, HN_PROT_READ, ANON, &c), 0);
	assert_int_equal(c, b - PG);
	assert_int_equal(hn_task_nr_vmas(fx->t), 2);
	vma_is(fx, 0, c, b, HN_PROT_READ);
	/* a free hint is taken, an occupied one is not */
	assert_int_equal(hn_mmap(fx->t, 0x10000000, PG, RW, ANON, &a), 0);
	assert_int_equal(a, 0x10000000);
	assert_int_equal(hn_mmap(fx->t, 0x10000000, PG, RW, ANON, &a), 0);
	assert_int_equal(a, c - PG);
}

static void mmap_errors(void **state)
{
	struct fx *fx = *state;
	uint64_t a = 1;

	assert_int_equal(hn_mmap(fx->t, 0, 0, RW, ANON, &a), -EINVAL);
	assert_int_equal(a, 0);
	assert_int_equal(hn_mmap(NULL, 0, PG, RW, ANON, &a), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, ANON, NULL), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, HN_MAP_ANONYMOUS, &a), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, ANON | HN_MAP_SHARED, &a), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, ANON | 0x40000000, &a), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, HN_MAP_PRIVATE, &a), -EBADF);
	assert_int_equal(hn_mmap(fx->t, 0, PG, RW, HN_MAP_SHARED | HN_MAP_ANONYMOUS, &a),
			 -EOPNOTSUPP);
	assert_int_equal(hn_mmap(fx->t, 0x10000001, PG, RW, ANON | HN_MAP_FIXED, &a), -EINVAL);
	assert_int_equal(hn_mmap(fx->t, 0x1000, PG, RW, ANON | HN_MAP_FIXED, &a), -EPERM);
	assert_int_equal(hn_mmap(fx->t, TASK_SIZE, PG, RW, ANON | HN_MAP_FIXED, &a), -ENOMEM);
	assert_int_equal(hn_mmap(fx->t, 0, 1ULL << 47, RW, ANON, &a), -ENOMEM);
	assert_int_equal(hn_mmap(fx->t, 0, UINT64_MAX, RW, ANON, &a), -ENOMEM);
	assert_int_equal(hn_mmap(fx->t, 0x10000000, 2 * PG, RW, ANON | HN_MAP_FIXED, &a), 0);
	assert_int_equal(hn_mmap(fx->t, 0x10001000, PG, RW, ANON | HN_MAP_FIXED_NOREPLACE, &a),
			 -EEXIST);
}

static void faults(void **state)
{
	struct fx *fx = *state;
	uint64_t a, pfn;
	unsigned int flags;

	assert_int_equal(hn_mmap(fx->t, 0, 4 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_task_pte(fx->t, a, &pfn, &flags), -ENOENT);
	/* a read maps the zero page */
	assert_int_equal(hn_task_touch(fx->t, a, false), 0);
	assert_int_equal(hn_task_pte(fx->t, a, &pfn, &flags), 0);
	assert_int_equal(flags, HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_ZERO);
	assert_int_equal(pfn, HN_PFN_NONE);
	assert_int_equal(hn_task_rss(fx->t), 0);
	/* a write allocates, on the home node by default */
	assert_int_equal(hn_task_touch(fx->t, a + 10, true), 0);
	assert_int_equal(hn_task_pte(fx->t, a, &pfn, &flags), 0);
	assert_int_equal(flags, HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_DIRTY);
	assert_int_equal(node_at(fx, a), 2);
	assert_int_equal(hn_task_rss(fx->t), 1);
	/* touching it again allocates nothing */
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(hn_task_rss(fx->t), 1);
	/* protections and holes */
	assert_int_equal(hn_mprotect(fx->t, a, PG, HN_PROT_READ), 0);
	assert_int_equal(hn_task_touch(fx->t, a, true), -EACCES);
	assert_int_equal(hn_task_touch(fx->t, a, false), 0);
	assert_int_equal(hn_mprotect(fx->t, a, PG, HN_PROT_NONE), 0);
	assert_int_equal(hn_task_touch(fx->t, a, false), -EACCES);
	assert_int_equal(hn_task_touch(fx->t, a - PG, false), -EFAULT);
	assert_int_equal(hn_task_touch(fx->t, a + 4 * PG, false), -EFAULT);
	assert_int_equal(hn_task_touch(fx->t, UINT64_MAX, false), -EFAULT);
	assert_int_equal(hn_task_touch(NULL, a, false), -EINVAL);
	assert_int_equal(hn_task_pte(fx->t, a - PG, &pfn, &flags), -EFAULT);
	assert_int_equal(hn_task_pte(fx->t, a, NULL, &flags), -EINVAL);
	/* MAP_POPULATE of writable memory faults every page in */
	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON | HN_MAP_POPULATE, &a), 0);
	assert_int_equal(hn_task_rss(fx->t), 9);
	/* MAP_FIXED over it frees what it replaces */
	assert_int_equal(hn_mmap(fx->t, a, 8 * PG, RW, ANON | HN_MAP_FIXED, &a), 0);
	assert_int_equal(hn_task_rss(fx->t), 1);
}

/*
 * The task's node (2) goes offline under it.  Its pglist_data and zonelists
 * stay, so a fault falls back by distance (node 3: every other node is at
 * 20, and equidistant lower ids rotate behind) instead of failing, and a
 * policy set earlier that names the offline node does the same.  A binding
 * to it alone has nowhere to go.  Found by fuzz_ops: such faults failed with -ENODEV.
 */
static void faults_from_offline_node(void **state)
{
	struct fx *fx = *state;
	unsigned long two = BIT(2);
	uint64_t a;

	/* policies naming node 2 are set while it is online: mbind refuses an offline node */
	assert_int_equal(hn_mmap(fx->t, 0, 4 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(fx->t, a + PG, PG, MPOL_PREFERRED, &two, 65, 0), 0);
	assert_int_equal(hn_mbind(fx->t, a + 2 * PG, PG, MPOL_BIND, &two, 65, 0), 0);
	assert_int_equal(hn_sim_set_node_online(fx->sim, 2, false), 0);
	assert_int_equal(hn_mbind(fx->t, a + 3 * PG, PG, MPOL_PREFERRED, &two, 65, 0), -EINVAL);
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(node_at(fx, a), 3);
	assert_int_equal(hn_task_touch(fx->t, a + PG, true), 0);
	assert_int_equal(node_at(fx, a + PG), 3);
	assert_int_equal(hn_task_touch(fx->t, a + 2 * PG, true), -ENOMEM);
	/* the public entry point still refuses the node by name */
	{
		uint64_t pfn;

		assert_int_equal(hn_alloc_pages(fx->sim, GFP_KERNEL, 0, 2, NULL, &pfn), -ENODEV);
	}
	assert_int_equal(hn_munmap(fx->t, a, 4 * PG), 0);
	assert_int_equal(hn_sim_set_node_online(fx->sim, 2, true), 0);
}

static void munmap_splits(void **state)
{
	struct fx *fx = *state;
	uint64_t a;

	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON | HN_MAP_POPULATE, &a), 0);
	assert_int_equal(hn_munmap(fx->t, a + 2 * PG, 3 * PG), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 2);
	vma_is(fx, 0, a, a + 2 * PG, RW);
	vma_is(fx, 1, a + 5 * PG, a + 8 * PG, RW);
	assert_int_equal(hn_task_rss(fx->t), 5);
	assert_int_equal(hn_task_touch(fx->t, a + 3 * PG, false), -EFAULT);
	/* unmapping nothing is fine; bad arguments are not */
	assert_int_equal(hn_munmap(fx->t, a + 2 * PG, 3 * PG), 0);
	assert_int_equal(hn_munmap(fx->t, a + 1, PG), -EINVAL);
	assert_int_equal(hn_munmap(fx->t, a, 0), -EINVAL);
	assert_int_equal(hn_munmap(fx->t, TASK_SIZE - PG, 2 * PG), -EINVAL);
	assert_int_equal(hn_munmap(NULL, a, PG), -EINVAL);
	/* across both pieces and the hole */
	assert_int_equal(hn_munmap(fx->t, a, 8 * PG), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 0);
	assert_int_equal(hn_task_rss(fx->t), 0);
}

static void mprotect_splits_and_merges(void **state)
{
	struct fx *fx = *state;
	uint64_t a;

	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mprotect(fx->t, a + 2 * PG, 3 * PG, HN_PROT_READ), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 3);
	vma_is(fx, 0, a, a + 2 * PG, RW);
	vma_is(fx, 1, a + 2 * PG, a + 5 * PG, HN_PROT_READ);
	vma_is(fx, 2, a + 5 * PG, a + 8 * PG, RW);
	assert_int_equal(hn_mprotect(fx->t, a + 2 * PG, 3 * PG, RW), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 1);
	vma_is(fx, 0, a, a + 8 * PG, RW);
	assert_int_equal(hn_mprotect(fx->t, a, 0, RW), 0);
	assert_int_equal(hn_mprotect(fx->t, a + 7 * PG, 2 * PG, RW), -ENOMEM);	/* runs past it */
	assert_int_equal(hn_mprotect(fx->t, a + 1, PG, RW), -EINVAL);
	assert_int_equal(hn_mprotect(fx->t, a, PG, 0x80), -EINVAL);
	assert_int_equal(hn_mprotect(NULL, a, PG, RW), -EINVAL);
}

static void mbind_interleave_by_offset(void **state)
{
	struct fx *fx = *state;
	unsigned long nodes = 0xf;
	uint64_t a;

	assert_int_equal(hn_mmap(fx->t, 0, 16 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(fx->t, a, 16 * PG, MPOL_INTERLEAVE, &nodes, 65, 0), 0);
	/* in any order: the node follows the page's offset (pgoff = address >> 12) */
	for (int i = 15; i >= 0; i--)
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), (int)(((a / PG) + (uint64_t)i) % 4));
	/* weighted: node 1 weighs 3 */
	assert_int_equal(hn_sim_set_il_weight(fx->sim, 1, 3), 0);
	nodes = BIT(0) | BIT(1);
	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_WEIGHTED_INTERLEAVE, &nodes, 65, 0), 0);
	for (int i = 0; i < 8; i++) {
		uint64_t ilx = a / PG + (uint64_t)i;

		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), ilx % 4 == 0 ? 0 : 1);
	}
}

static void mbind_ranges_and_policies(void **state)
{
	struct fx *fx = *state;
	unsigned long one = BIT(1), three = BIT(3), mask[1];
	uint64_t a;
	int mode;

	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON, &a), 0);
	/* bind the middle: the VMA splits in three */
	assert_int_equal(hn_mbind(fx->t, a + 2 * PG, 2 * PG, MPOL_BIND, &one, 65, 0), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 3);
	assert_int_equal(hn_task_touch(fx->t, a + 2 * PG, true), 0);
	assert_int_equal(node_at(fx, a + 2 * PG), 1);
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(node_at(fx, a), 2);	/* outside: the task's policy */
	/* get_mempolicy(MPOL_F_ADDR): the VMA's policy, and with MPOL_F_NODE the page's node */
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, mask, 64, a + 2 * PG, MPOL_F_ADDR), 0);
	assert_int_equal(mode, MPOL_BIND);
	assert_int_equal(mask[0], BIT(1));
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, a, MPOL_F_ADDR), 0);
	assert_int_equal(mode, MPOL_DEFAULT);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, a + 2 * PG, MPOL_F_ADDR | MPOL_F_NODE),
			 0);
	assert_int_equal(mode, 1);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, a - PG, MPOL_F_ADDR), -EFAULT);
	/* a mapping get_user_pages() cannot read: -EFAULT, not the touch's -EACCES */
	assert_int_equal(hn_mprotect(fx->t, a + 6 * PG, PG, HN_PROT_NONE), 0);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, NULL, 0, a + 6 * PG, MPOL_F_ADDR | MPOL_F_NODE),
			 -EFAULT);
	assert_int_equal(hn_mprotect(fx->t, a + 6 * PG, PG, RW), 0);
	/*
	 * a node-1 page under a node-3 binding: STRICT without MOVE reports
	 * it before anything is bound (6.12's queue_pages_range() returns
	 * -EIO and do_mbind() skips mbind_range()), so the old policy stays
	 */
	assert_int_equal(hn_mbind(fx->t, a + 2 * PG, 2 * PG, MPOL_BIND, &three, 65, HN_MPOL_MF_STRICT),
			 -EIO);
	assert_int_equal(hn_get_mempolicy(fx->t, &mode, mask, 64, a + 2 * PG, MPOL_F_ADDR), 0);
	assert_int_equal(mask[0], BIT(1));
	/* back to the default: the three pieces merge again */
	assert_int_equal(hn_mbind(fx->t, a + 2 * PG, 2 * PG, MPOL_DEFAULT, NULL, 0, HN_MPOL_MF_STRICT), 0);
	assert_int_equal(hn_task_nr_vmas(fx->t), 1);
	/* errors */
	assert_int_equal(hn_mbind(fx->t, a + 1, PG, MPOL_BIND, &one, 65, 0), -EINVAL);
	assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_BIND, &one, 65, 8), -EINVAL);
	assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_MAX, &one, 65, 0), -EINVAL);
	assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_BIND, NULL, 65, 0), -EINVAL);
	assert_int_equal(hn_mbind(fx->t, a, 16 * PG, MPOL_BIND, &one, 65, 0), -EFAULT);	/* a hole */
	assert_int_equal(hn_mbind(fx->t, a - 4 * PG, 2 * PG, MPOL_DEFAULT, NULL, 0, 0), -EFAULT);
	/* with migration, MOVE moves what the binding does not allow (test_migrate.c says more) */
	assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_BIND, &one, 65, HN_MPOL_MF_MOVE), 0);
	assert_int_equal(hn_mbind(fx->t, a, PG, MPOL_BIND, &one, 65, HN_MPOL_MF_MOVE_ALL), 0);
	assert_int_equal(hn_mbind(fx->t, a, 0, MPOL_BIND, &one, 65, 0), 0);
	assert_int_equal(hn_mbind(fx->t, TASK_SIZE - PG, UINT64_MAX - PG, MPOL_BIND, &one, 65, 0),
			 -EINVAL);
	assert_int_equal(hn_mbind(NULL, a, PG, MPOL_BIND, &one, 65, 0), -EINVAL);
}

static char *capture_numa_maps(struct fx *fx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(hn_task_show_numa_maps(fx->t, f), 0);
	fclose(f);
	return buf;
}

static void numa_maps(void **state)
{
	struct fx *fx = *state;
	unsigned long nodes = BIT(0) | BIT(1) | BIT(3), one = BIT(1);
	uint64_t a, b;
	char want[512], *got;

	/* 8 pages interleaved over 0, 1, 3 (offsets decide); a plain mapping read and written */
	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON, &a), 0);
	assert_int_equal(hn_mbind(fx->t, a, 8 * PG, MPOL_INTERLEAVE | MPOL_F_STATIC_NODES, &nodes, 65, 0),
			 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
	assert_int_equal(hn_mmap(fx->t, 0, 4 * PG, HN_PROT_READ, ANON, &b), 0);
	assert_int_equal(hn_task_touch(fx->t, b, false), 0);	/* the zero page: not counted */
	assert_int_equal(set_task_policy(fx, MPOL_BIND, one), 0);
	got = capture_numa_maps(fx);
	{
		unsigned int n[4] = { 0 };

		for (int i = 0; i < 8; i++)
			n[(uint64_t[]){ 0, 1, 3 }[((a / PG) + (uint64_t)i) % 3]]++;
		snprintf(want, sizeof(want),
			 "%08llx bind:1\n"
			 "%08llx interleave=static:0-1,3 anon=8 dirty=8 N0=%u N1=%u N3=%u kernelpagesize_kB=4\n",
			 (unsigned long long)b, (unsigned long long)a, n[0], n[1], n[3]);
	}
	assert_string_equal(got, want);
	free(got);
}

static void libnuma_helpers(void **state)
{
	struct fx *fx = *state;
	struct hn_bitmask *sub = hn_bitmask_alloc(HN_MAX_NUMNODES);
	uint64_t a;

	assert_non_null(sub);
	assert_int_equal(hn_numa_alloc_onnode(fx->t, 3 * PG, 3, &a), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), 3);
	}
	assert_int_equal(hn_numa_free(fx->t, a, 3 * PG), 0);
	assert_int_equal(hn_numa_alloc_interleaved(fx->t, 8 * PG, &a), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), (int)((a / PG + (uint64_t)i) % 4));
	}
	hn_bitmask_setbit(sub, 1);
	hn_bitmask_setbit(sub, 2);
	assert_int_equal(hn_numa_alloc_interleaved_subset(fx->t, 4 * PG, sub, &a), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, true), 0);
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), 1 + (int)((a / PG + (uint64_t)i) % 2));
	}
	assert_int_equal(hn_set_mempolicy(fx->t, MPOL_BIND, (unsigned long[]){ BIT(0) }, 65), 0);
	assert_int_equal(hn_numa_alloc_local(fx->t, PG, &a), 0);
	assert_int_equal(hn_task_touch(fx->t, a, true), 0);
	assert_int_equal(node_at(fx, a), 2);	/* local beats the task's BIND */
	/* errors */
	assert_int_equal(hn_numa_alloc_onnode(fx->t, PG, 9, &a), -EINVAL);	/* no such node */
	assert_int_equal(a, 0);
	assert_int_equal(hn_numa_alloc_onnode(fx->t, PG, -1, &a), -EINVAL);
	assert_int_equal(hn_numa_alloc_onnode(fx->t, 0, 1, &a), -EINVAL);
	assert_int_equal(hn_numa_alloc_onnode(NULL, PG, 1, &a), -EINVAL);
	assert_int_equal(hn_numa_alloc_local(fx->t, PG, NULL), -EINVAL);
	hn_bitmask_clearall(sub);
	assert_int_equal(hn_numa_alloc_interleaved_subset(fx->t, PG, sub, &a), -EINVAL);
	assert_int_equal(hn_numa_alloc_interleaved_subset(fx->t, PG, NULL, &a), -EINVAL);
	assert_int_equal(hn_numa_alloc_interleaved(NULL, PG, &a), -EINVAL);
	assert_int_equal(hn_numa_free(NULL, 0x10000, PG), -EINVAL);
	/* a failed bind leaves no mapping behind */
	assert_int_equal(hn_task_nr_vmas(fx->t), 3);
	hn_bitmask_free(sub);
}

static void hmadvise_prefetch_and_dontneed(void **state)
{
	struct fx *fx = *state;
	uint64_t a, pfn;
	unsigned int flags;

	assert_int_equal(hn_mmap(fx->t, 0, 8 * PG, RW, ANON, &a), 0);
	for (int i = 0; i < 4; i++)	/* half of it on the home node */
		assert_int_equal(hn_task_touch(fx->t, a + (uint64_t)i * PG, i % 2), 0);
	assert_int_equal(hn_hmadvise(fx->t, 3, a, 8 * PG, HN_MADV_PREFETCH), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(node_at(fx, a + (uint64_t)i * PG), 3);
	assert_int_equal(hn_task_rss(fx->t), 8);
	assert_sim_ok(fx->sim);
	assert_int_equal(hn_hmadvise(fx->t, 0, a + 2 * PG, 2 * PG, HN_MADV_DONTNEED), 0);
	assert_int_equal(hn_task_rss(fx->t), 6);
	assert_int_equal(hn_task_pte(fx->t, a + 2 * PG, &pfn, &flags), -ENOENT);
	/* errors */
	assert_int_equal(hn_hmadvise(fx->t, 9, a, PG, HN_MADV_PREFETCH), -EINVAL);
	assert_int_equal(hn_hmadvise(fx->t, 3, a, PG, 77), -EINVAL);
	assert_int_equal(hn_hmadvise(fx->t, 3, a + 1, PG, HN_MADV_PREFETCH), -EINVAL);
	assert_int_equal(hn_hmadvise(fx->t, 3, a, 0, HN_MADV_PREFETCH), -EINVAL);
	assert_int_equal(hn_hmadvise(fx->t, 3, a, 9 * PG, HN_MADV_PREFETCH), -ENOMEM);
	assert_int_equal(hn_hmadvise(NULL, 3, a, PG, HN_MADV_PREFETCH), -EINVAL);
}

static void vma_queries(void **state)
{
	struct fx *fx = *state;
	uint64_t s, e;
	int p;

	assert_int_equal(hn_task_vma(fx->t, 0, &s, &e, &p), -ENOENT);
	assert_int_equal(hn_task_vma(NULL, 0, &s, &e, &p), -EINVAL);
	assert_int_equal(hn_task_vma(fx->t, 0, NULL, &e, &p), -EINVAL);
	assert_int_equal(hn_task_nr_vmas(NULL), -EINVAL);
	assert_int_equal(hn_task_rss(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mmap_places_top_down_and_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(mmap_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(faults, setup, teardown),
		cmocka_unit_test_setup_teardown(faults_from_offline_node, setup, teardown),
		cmocka_unit_test_setup_teardown(munmap_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(mprotect_splits_and_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(mbind_interleave_by_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(mbind_ranges_and_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(numa_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(libnuma_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(hmadvise_prefetch_and_dontneed, setup, teardown),
		cmocka_unit_test_setup_teardown(vma_queries, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
