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
#include <hnuma/migrate.h>

#include "core/mmzone.h"
#include "core/page.h"

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

/*
 * migration_target_control: what alloc_migration_target() allocates the
 * new page with.  @nid NUMA_NO_NODE: the old page's node; @mattr: the
 * attribute word the new page must carry (hierarchical NUMA: exact, else
 * the closest the strategy finds, never plain memory), 0 for none.
 */
struct migration_target_control {
	int nid;
	const struct hn_nodemask *nmask;
	hn_gfp_t gfp_mask;
	enum hn_migrate_reason reason;
	hn_mattr_t mattr;
};

/* new_folio_t and free_folio_t: a target page for @src (HN_PFN_NONE: none), and its return. */
typedef uint64_t (*hn_new_folio_t)(struct hn_sim *sim, uint64_t src, unsigned long private);
typedef void (*hn_free_folio_t)(struct hn_sim *sim, uint64_t dst, unsigned long private);

/*
 * Page migration as this layer asks for it: mbind(MPOL_MF_MOVE), a
 * cpuset's memory_migrate, hmadvise(PREFETCH) and pin_user_pages()'s
 * long-term check queue isolated pages and hand them to migrate_pages().
 * The migrate layer sits above this one and fills sim->migrate_ops at
 * boot (src/migrate); the calls that need it return -EOPNOTSUPP while it
 * is NULL.
 *   migrate_pages          the engine: the number of pages not moved, or
 *                          -ENOMEM / -EAGAIN; pages left on @from are the
 *                          caller's to put back
 *   putback_movable_pages  every page of @from back where it was isolated from
 *   alloc_migration_target the new-page function of a
 *                          struct migration_target_control
 */
struct hn_migrate_ops {
	int (*migrate_pages)(struct hn_sim *sim, struct hn_folio_list *from, hn_new_folio_t get_new,
			     hn_free_folio_t put_new, unsigned long private,
			     enum hn_migrate_mode mode, enum hn_migrate_reason reason,
			     unsigned int *nr_succeeded);
	void (*putback_movable_pages)(struct hn_sim *sim, struct hn_folio_list *from);
	uint64_t (*alloc_migration_target)(struct hn_sim *sim, uint64_t src, unsigned long private);
};

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
	bool memory_migrate;		/* the cpuset's memory_migrate */
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
/* node_remap(): the node the @n of @old becomes in @new (bitmap_remap() of one bit). */
int hn_node_remap(int n, const struct hn_nodemask *old, const struct hn_nodemask *new);
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

/*
 * do_migrate_pages(): the task's pages on @from move to @to, node by node,
 * keeping relative positions (mm.c).  Pages not moved, or a negative errno.
 */
long hn_do_migrate_pages(struct hn_task *t, const struct hn_nodemask *from,
			 const struct hn_nodemask *to, unsigned int flags);
/*
 * The migration-facing half of the rmap (rmap.c), for src/migrate:
 *   try_to_migrate()        the page's pte becomes a migration entry (the
 *                           pte's dirty bit goes to PG_dirty); the CPU
 *                           that ran the mm joins @batch; false when the
 *                           page is still mapped (a subscriber refused)
 *   remove_migration_ptes() each migration entry of @src becomes a pte
 *                           for @dst (@dst == @src: the undo)
 *   hn_mm_cpu_of()          the CPU whose TLB holds the mm's entries
 */
struct hn_tlb_batch {
	uint64_t *cpus;			/* CPUs to flush, a bitmap of nr_cpu_ids */
	bool pending;
};
bool hn_try_to_migrate(struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode,
		       struct hn_tlb_batch *batch);
void hn_remove_migration_ptes(struct hn_sim *sim, uint64_t src, uint64_t dst);

/* Every task the caller left, at teardown (mempolicy.c). */
void hn_free_tasks(struct hn_sim *sim);
/* hn_sim_check()'s part: the tasks' address spaces and page tables (mm.c). */
int hn_check_tasks(struct hn_sim *sim);

#endif /* HN_MEMPOLICY_MPOL_H */
