/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mm.h - a task's address space as mm.c and rmap.c share it: VMAs, the
 * page table, the anonymous rmap, migration entries and mmu notifiers.
 *
 * Map:
 *   struct hn_mm      mm_struct: VMAs sorted by address, a radix page
 *                     table over the virtual page number, rss, its id in
 *                     sim->mm_table (what a page's rmap names), its
 *                     task, its notifier subscriptions
 *   struct hn_vma     vm_area_struct: range, protection, policy, mattr
 *   pte               pfn << PTE_SHIFT | HN_PTE_* bits:
 *                       present           a page (or, with ZERO, the zero page)
 *                       MIGRATION         not present: a migration entry,
 *                                         the pfn the page being moved
 *                                         (young and dirty kept), as
 *                                         make_migration_entry() writes
 *
 * The anon rmap is one owner per page (pages are never shared: no fork,
 * no shared anonymous memory): page_ext->owner is the mm's id and
 * page_ext->index the virtual page, so the pte that maps a page is one
 * walk away (page_vma_mapped_walk()).
 *
 * Invariants (hn_check_tasks()): VMAs sorted, disjoint, page aligned; each
 * present pte maps the head of an allocated order-0 page with PG_anon whose
 * rmap names this mm and this virtual page and whose mapcount is 1; rss
 * counts the present ptes but the zero page's; no migration entry remains
 * once a call into mm or migration returned.
 *
 * Locking is the caller's.
 */
#ifndef HN_MEMPOLICY_MM_H
#define HN_MEMPOLICY_MM_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/mempolicy.h>

#include "mempolicy/mpol.h"

#define VA_BITS 47
#define PT_BITS 9
#define PT_ENTRIES (1u << PT_BITS)

/* pte bits below the pfn: the public HN_PTE_* and the migration entry's */
#define PTE_SHIFT 5
#define PTE_FLAG_MASK ((1u << PTE_SHIFT) - 1)

struct hn_vma {
	uint64_t start, end;	/* [start, end), page aligned */
	uint64_t pgoff;		/* start >> page_shift for anonymous memory */
	unsigned int prot;
	struct hn_mempolicy *policy;	/* NULL: the task's */
	hn_mattr_t mattr;		/* vm_mattr (hierarchical NUMA); 0: the task's */
};

struct hn_mmu_subscription {
	const struct hn_mmu_notifier_ops *ops;
	void *ctx;
};

struct hn_mm {
	struct hn_vma *vma;
	unsigned int nr, cap;
	void *pgd;
	unsigned int levels;	/* tables from the root to the ptes */
	uint64_t rss;		/* pages mapped, the zero page not counted */
	unsigned int last;	/* the VMA the last fault found (the old vmacache) */
	uint32_t id;		/* its slot in sim->mm_table: what its pages' rmap names */
	struct hn_task *task;
	struct hn_mmu_subscription *subs;
	unsigned int nr_subs;
};

static inline uint64_t pte_pfn(uint64_t pte)
{
	return pte >> PTE_SHIFT;
}

static inline bool pte_present(uint64_t pte)
{
	return pte & HN_PTE_PRESENT;
}

static inline bool is_migration_entry(uint64_t pte)
{
	return pte & HN_PTE_MIGRATION;
}

/* A present pte that maps a page of the task's own (not the zero page). */
static inline bool pte_maps_page(uint64_t pte)
{
	return (pte & (HN_PTE_PRESENT | HN_PTE_ZERO)) == HN_PTE_PRESENT;
}

/* The pte of virtual page @vpn, or NULL (no table; with @create, no memory for one). */
uint64_t *hn_pte_of(struct hn_mm *mm, struct hn_sim *sim, uint64_t vpn, bool create);
/* find_vma(): the index of the first VMA ending above @addr (nr if none). */
unsigned int hn_find_vma(const struct hn_mm *mm, uint64_t addr);
/* The task's address space, made (and given an id) on first use; NULL: host memory. */
struct hn_mm *hn_task_get_mm(struct hn_task *t);
/* The address space with id @id, or NULL. */
struct hn_mm *hn_mm_by_id(const struct hn_sim *sim, uint32_t id);

/* ---- rmap.c ----------------------------------------------------------------- */

/*
 * folio_add_new_anon_rmap() and folio_add_lru() for the page a fault just
 * allocated at @vpn: PG_anon and PG_lru, the rmap, one mapping holding the
 * allocation's reference, nr_anon_pages, the attribute word asked for.
 */
void hn_page_add_new_anon_rmap(struct hn_sim *sim, struct hn_mm *mm, uint64_t pfn, uint64_t vpn,
			       hn_mattr_t mattr);
/* folio_remove_rmap_pte() and folio_put() for a present pte being cleared. */
void hn_page_remove_rmap(struct hn_sim *sim, uint64_t pfn);

/*
 * mmu notifiers: invalidate_range_start() for [start, end) of @mm for
 * @event; -EAGAIN when a subscriber refuses and !@blockable (the caller
 * leaves the range as it is), else 0: a blockable start cannot fail, as
 * in the kernel, and every caller here is blockable (there is no OOM
 * reaper).  _end() for each start that passed.
 */
int hn_mmu_notifier_invalidate_range_start(struct hn_mm *mm, uint64_t start, uint64_t end,
					   enum hn_mmu_notifier_event event, bool blockable);
void hn_mmu_notifier_invalidate_range_end(struct hn_mm *mm, uint64_t start, uint64_t end,
					  enum hn_mmu_notifier_event event);
/* mmu_notifier_release() at exit. */
void hn_mmu_notifier_release(struct hn_mm *mm);

#endif /* HN_MEMPOLICY_MM_H */
