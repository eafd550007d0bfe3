/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mpol.h - what mempolicy.c (tasks, policies) and mm.c (address spaces,
 * faults, mbind) share.
 */
#ifndef HN_MEMPOLICY_MPOL_H
#define HN_MEMPOLICY_MPOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hnuma/mempolicy.h>

#include "core/mmzone.h"

#define MAX_NUMNODES HN_MAX_NUMNODES
#define BITS_PER_LONG (8 * (unsigned long)sizeof(unsigned long))
/* Internal flags kept beside the mode flags, never shown to the caller. */
#define MPOL_F_MOF (1 << 3)
#define MPOL_F_MORON (1 << 4)

struct hn_mempolicy {
	unsigned short mode;
	unsigned short flags;
	struct hn_nodemask nodes;
	int home_node;
	struct hn_nodemask user_nodemask;	/* the nodes given: STATIC, RELATIVE */
	struct hn_nodemask cpuset_mems_allowed;	/* the cpuset at creation: the others */
};

struct hn_mm;

struct hn_task {
	struct hn_sim *sim;
	struct hn_task *next;		/* the instance's list */
	int pid;
	unsigned int cpu;
	struct hn_mempolicy *mempolicy;	/* NULL: the default policy */
	unsigned int il_prev;
	unsigned int il_weight;
	struct hn_nodemask mems_allowed;
	bool cpuset_narrowed;		/* mems_allowed is not every node */
	hn_mattr_t mattr;		/* the policy's attribute word (hierarchical NUMA) */
	struct hn_mm *mm;		/* the address space (mm.c), NULL until the first mmap */
};

/* alloc_pages()'s marker: no interleave index, the task's cursor decides. */
#define NO_INTERLEAVE_INDEX UINT64_MAX

/*
 * alloc_pages_mpol(): @pol (never NULL: the caller resolves the default)
 * picks the node and nodemask for @ilx, then the page allocator runs.
 */
int hn_alloc_pages_mpol(struct hn_task *t, hn_gfp_t gfp, unsigned int order,
			const struct hn_mempolicy *pol, uint64_t ilx, uint64_t *pfn);
/* The policy a task's allocation uses when neither VMA nor task has one. */
extern const struct hn_mempolicy hn_local_policy;

/* mpol_new() + mpol_set_nodemask() for @t: a new policy, or NULL (default). */
struct hn_mempolicy *hn_mpol_create(struct hn_task *t, unsigned short mode, unsigned short flags,
				    const struct hn_nodemask *nodes, int *err);
bool hn_mpol_equal(const struct hn_mempolicy *a, const struct hn_mempolicy *b);
struct hn_mempolicy *hn_mpol_dup(struct hn_sim *sim, const struct hn_mempolicy *pol, int *err);
void hn_mpol_rebind(struct hn_mempolicy *pol, const struct hn_nodemask *newmask);
/* sanitize_mpol_flags() and get_nodes(). */
int hn_mpol_sanitize(int *mode, unsigned short *flags);
int hn_mpol_get_nodes(const struct hn_sim *sim, struct hn_nodemask *nodes, const unsigned long *nmask,
		      unsigned long maxnode);
/* get_mempolicy(MPOL_F_ADDR): the VMA's policy at @addr (mm.c); -EFAULT when unmapped. */
int hn_mm_vma_policy(const struct hn_task *t, uint64_t addr, const struct hn_mempolicy **pol,
		     int *nid_of_page);
/* mpol_to_str() for numa_maps. */
void hn_mpol_to_str(char *buf, size_t len, const struct hn_mempolicy *pol);

/* exit_mmap(): every page and table of the task's address space (mm.c). */
/*
 * hn_task_touch() as the simulation sees it: -ENOSPC when simulated memory
 * ran out (hn_task_touch() says -ENOMEM, as a fault's VM_FAULT_OOM does),
 * so that a run can tell it from the host running out.
 */
int hn_task_fault(struct hn_task *t, uint64_t addr, bool write);

void hn_mm_destroy(struct hn_task *t);
/* mpol_rebind_mm(): every VMA policy to the task's new cpuset (mm.c). */
void hn_mm_rebind(struct hn_task *t, const struct hn_nodemask *mems);

#endif /* HN_MEMPOLICY_MPOL_H */
