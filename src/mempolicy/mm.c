/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mm.c - a task's address space: anonymous mappings (mmap, munmap,
 * mprotect with VMA split and merge), a page table, faults that allocate
 * through the VMA's or the task's policy, and mbind().
 *
 * Map:
 *   struct mm_struct, vm_area_struct     struct hn_mm, struct hn_vma (sorted
 *                                        by address; lookups bisect)
 *   pgd/pud/pmd/pte                      a radix tree of 512-entry tables over
 *                                        the virtual page number
 *   do_mmap, get_unmapped_area (top-down from mmap_base), do_vmi_munmap,
 *   do_mprotect_pkey, vma_merge, split_vma
 *                                        same names, static
 *   do_anonymous_page (zero page on read), do_wp_page (copy on write)
 *                                        handle_fault()
 *   get_vma_policy (+ the interleave index from the offset)
 *                                        fault_policy()
 *   do_mbind, queue_pages_range, mbind_range
 *                                        hn_mbind()
 *
 * The page table holds metadata only: a pfn and the present, young, dirty
 * and zero-page bits.  Tables are freed at exit, not on munmap.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/mempolicy.h>

#include "core/mmzone.h"
#include "mempolicy/mpol.h"
#include "util/util.h"

#define VA_BITS 47
#define PT_BITS 9
#define PT_ENTRIES (1u << PT_BITS)
#define MMAP_MIN_ADDR 65536ULL	/* vm.mmap_min_addr */
#define STACK_GAP (128ULL << 20)	/* mmap_base's MIN_GAP below TASK_SIZE */
#define MAX_MAP_COUNT 65530u	/* vm.max_map_count */

/* pte bits below the pfn */
#define PTE_SHIFT 4

struct hn_vma {
	uint64_t start, end;	/* [start, end), page aligned */
	uint64_t pgoff;		/* start >> page_shift for anonymous memory */
	unsigned int prot;
	struct hn_mempolicy *policy;	/* NULL: the task's */
	hn_mattr_t mattr;		/* vm_mattr (hierarchical NUMA); 0: the task's */
};

struct hn_mm {
	struct hn_vma *vma;
	unsigned int nr, cap;
	void *pgd;
	unsigned int levels;	/* tables from the root to the ptes */
	uint64_t rss;		/* pages mapped, the zero page not counted */
	unsigned int last;	/* the VMA the last fault found (the old vmacache) */
};

static uint64_t page_size(const struct hn_task *t)
{
	return t->sim->page_size;
}

static uint64_t task_size(const struct hn_task *t)
{
	return (1ULL << VA_BITS) - page_size(t);
}

static uint64_t mmap_base(const struct hn_task *t)
{
	return task_size(t) - STACK_GAP;
}

static struct hn_mm *get_mm(struct hn_task *t)
{
	unsigned int vpn_bits;

	if (t->mm)
		return t->mm;
	t->mm = hn_sim_calloc(t->sim, 1, sizeof(*t->mm));
	if (!t->mm)
		return NULL;
	vpn_bits = VA_BITS - t->sim->page_shift;
	t->mm->levels = (vpn_bits + PT_BITS - 1) / PT_BITS;
	return t->mm;
}

/* ---- the page table ------------------------------------------------------ */

/* The pte of virtual page @vpn, or NULL (not there, or no memory to build it). */
static uint64_t *pte_of(struct hn_task *t, uint64_t vpn, bool create)
{
	struct hn_mm *mm = t->mm;
	void **slot = &mm->pgd;

	for (unsigned int level = mm->levels; level > 0; level--) {
		unsigned int idx = (unsigned int)(vpn >> ((level - 1) * PT_BITS)) & (PT_ENTRIES - 1);

		if (!*slot) {
			if (!create)
				return NULL;
			*slot = hn_sim_calloc(t->sim, PT_ENTRIES, sizeof(uint64_t));
			if (!*slot)
				return NULL;
		}
		if (level == 1)
			return &((uint64_t *)*slot)[idx];
		slot = &((void **)*slot)[idx];
	}
	return NULL;
}

static uint64_t pte_pfn(uint64_t pte)
{
	return pte >> PTE_SHIFT;
}

/* Free the pages of [start, end) and clear their ptes (zap_page_range). */
static void zap_range(struct hn_task *t, uint64_t start, uint64_t end)
{
	unsigned int shift = t->sim->page_shift;

	for (uint64_t vpn = start >> shift; vpn < end >> shift; vpn++) {
		uint64_t *pte = pte_of(t, vpn, false);

		if (!pte) {
			/* skip the rest of a missing leaf table */
			vpn |= PT_ENTRIES - 1;
			continue;
		}
		if ((*pte & HN_PTE_PRESENT) && !(*pte & HN_PTE_ZERO)) {
			hn_free_pages(t->sim, pte_pfn(*pte), 0);
			t->mm->rss--;
		}
		*pte = 0;
	}
}

static void free_table(void *table, unsigned int level)
{
	if (!table)
		return;
	if (level > 1)
		for (unsigned int i = 0; i < PT_ENTRIES; i++)
			free_table(((void **)table)[i], level - 1);
	free(table);
}

/* ---- VMAs -------------------------------------------------------------------- */

/* find_vma(): the index of the first VMA ending above @addr (nr if none). */
static unsigned int find_vma(const struct hn_mm *mm, uint64_t addr)
{
	unsigned int lo = 0, hi = mm->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (mm->vma[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool intersects(const struct hn_mm *mm, uint64_t start, uint64_t end)
{
	unsigned int i = find_vma(mm, start);

	return i < mm->nr && mm->vma[i].start < end;
}

static int vma_insert_at(struct hn_task *t, unsigned int i, const struct hn_vma *v)
{
	struct hn_mm *mm = t->mm;

	if (mm->nr >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (mm->nr == mm->cap) {
		unsigned int cap = mm->cap ? 2 * mm->cap : 16;
		struct hn_vma *n = hn_sim_realloc(t->sim, mm->vma, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		mm->vma = n;
		mm->cap = cap;
	}
	memmove(&mm->vma[i + 1], &mm->vma[i], (mm->nr - i) * sizeof(*v));
	mm->vma[i] = *v;
	mm->nr++;
	return 0;
}

static void vma_remove_at(struct hn_mm *mm, unsigned int i)
{
	free(mm->vma[i].policy);
	memmove(&mm->vma[i], &mm->vma[i + 1], (mm->nr - i - 1) * sizeof(mm->vma[0]));
	mm->nr--;
}

/* split_vma(): VMA @i becomes [start, at) and [at, end). */
static int split_vma(struct hn_task *t, unsigned int i, uint64_t at)
{
	struct hn_mm *mm = t->mm;
	struct hn_vma tail = mm->vma[i];
	int err;

	tail.start = at;
	tail.pgoff += (at - mm->vma[i].start) >> t->sim->page_shift;
	tail.policy = hn_mpol_dup(t->sim, mm->vma[i].policy, &err);
	if (err)
		return err;
	err = vma_insert_at(t, i + 1, &tail);
	if (err) {
		free(tail.policy);
		return err;
	}
	mm->vma[i].end = at;
	return 0;
}

/* Can @b follow @a as one VMA (vma_merge's checks for anonymous memory)? */
static bool mergeable(const struct hn_task *t, const struct hn_vma *a, const struct hn_vma *b)
{
	return a->end == b->start && a->prot == b->prot &&
	       a->pgoff + ((a->end - a->start) >> t->sim->page_shift) == b->pgoff &&
	       a->mattr == b->mattr && hn_mpol_equal(a->policy, b->policy);
}

/* Merge VMA @i with its neighbours where they allow it. */
static void merge_around(struct hn_task *t, unsigned int i)
{
	struct hn_mm *mm = t->mm;

	if (i + 1 < mm->nr && mergeable(t, &mm->vma[i], &mm->vma[i + 1])) {
		mm->vma[i].end = mm->vma[i + 1].end;
		vma_remove_at(mm, i + 1);
	}
	if (i > 0 && mergeable(t, &mm->vma[i - 1], &mm->vma[i])) {
		mm->vma[i - 1].end = mm->vma[i].end;
		vma_remove_at(mm, i);
	}
}

/* Split so that [start, end) begins and ends on VMA boundaries. */
static int split_at_bounds(struct hn_task *t, uint64_t start, uint64_t end)
{
	struct hn_mm *mm = t->mm;
	unsigned int i = find_vma(mm, start);
	int err = 0;

	if (i < mm->nr && mm->vma[i].start < start && start < mm->vma[i].end)
		err = split_vma(t, i, start);
	i = find_vma(mm, end);
	if (!err && i < mm->nr && mm->vma[i].start < end && end < mm->vma[i].end)
		err = split_vma(t, i, end);
	return err;
}

/* After a change to the VMAs of [start, end): merge each with its neighbours where it now can. */
static void merge_range(struct hn_task *t, uint64_t start, uint64_t end)
{
	struct hn_mm *mm = t->mm;
	unsigned int i = find_vma(mm, start);

	while (i < mm->nr && mm->vma[i].start < end) {
		unsigned int before = mm->nr;

		merge_around(t, i);
		if (mm->nr == before)
			i++;
		else if (i > 0 && mm->vma[i - 1].end > start)
			i--;
	}
}

/* ---- munmap -------------------------------------------------------------------- */

static int do_munmap(struct hn_task *t, uint64_t start, uint64_t end)
{
	struct hn_mm *mm = t->mm;
	unsigned int i;
	int err;

	if (!mm || !intersects(mm, start, end))
		return 0;
	err = split_at_bounds(t, start, end);
	if (err)
		return err;
	i = find_vma(mm, start);
	while (i < mm->nr && mm->vma[i].start < end) {
		zap_range(t, mm->vma[i].start, mm->vma[i].end);
		vma_remove_at(mm, i);
	}
	return 0;
}

int hn_munmap(struct hn_task *t, uint64_t addr, uint64_t len)
{
	uint64_t end;

	if (!t)
		return -EINVAL;
	if ((addr & (page_size(t) - 1)) || !len || len > task_size(t) ||
	    addr > task_size(t) - hn_align_up(len, page_size(t)))
		return -EINVAL;
	end = addr + hn_align_up(len, page_size(t));
	return do_munmap(t, addr, end);
}

/* ---- mmap ----------------------------------------------------------------------- */

/* get_unmapped_area(), top-down from mmap_base. */
static int unmapped_area(struct hn_task *t, uint64_t len, uint64_t *out)
{
	struct hn_mm *mm = t->mm;
	uint64_t high = mmap_base(t);

	for (unsigned int i = mm->nr; i-- > 0;) {
		const struct hn_vma *v = &mm->vma[i];

		if (v->start >= high)
			continue;
		if (v->end <= high && high - v->end >= len) {
			*out = high - len;
			return 0;
		}
		high = v->start;
	}
	if (high >= MMAP_MIN_ADDR + len) {
		*out = high - len;
		return 0;
	}
	return -ENOMEM;
}

static int populate(struct hn_task *t, uint64_t start, uint64_t end, bool write);

int hn_mmap(struct hn_task *t, uint64_t addr, uint64_t len, int prot, int flags, uint64_t *out)
{
	struct hn_vma v = { 0 };
	struct hn_mm *mm;
	unsigned int i;
	int err;

	if (out)
		*out = 0;
	if (!t || !out || !len)
		return -EINVAL;
	if (!(flags & (HN_MAP_PRIVATE | HN_MAP_SHARED)) ||
	    (flags & (HN_MAP_PRIVATE | HN_MAP_SHARED)) == (HN_MAP_PRIVATE | HN_MAP_SHARED) ||
	    (flags & ~(HN_MAP_PRIVATE | HN_MAP_SHARED | HN_MAP_FIXED | HN_MAP_ANONYMOUS |
		       HN_MAP_POPULATE | HN_MAP_FIXED_NOREPLACE)))
		return -EINVAL;
	if (!(flags & HN_MAP_ANONYMOUS))
		return -EBADF;	/* a file mapping with no file */
	if (flags & HN_MAP_SHARED) {
		hn_logf(&t->sim->log, HN_LOG_ERR, "mmap: shared anonymous memory is not simulated yet");
		return -EOPNOTSUPP;
	}
	if (flags & HN_MAP_FIXED_NOREPLACE)
		flags |= HN_MAP_FIXED;
	if (len > task_size(t))
		return -ENOMEM;
	len = hn_align_up(len, page_size(t));
	mm = get_mm(t);
	if (!mm)
		return -ENOMEM;
	if (flags & HN_MAP_FIXED) {
		if (addr & (page_size(t) - 1))
			return -EINVAL;
		if (addr > task_size(t) - len)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if ((flags & HN_MAP_FIXED_NOREPLACE) && intersects(mm, addr, addr + len))
			return -EEXIST;
	} else {
		/* a hint is taken when it is free and in range */
		addr = hn_align_down(addr, page_size(t));
		if (!addr || addr < MMAP_MIN_ADDR || addr > task_size(t) - len ||
		    intersects(mm, addr, addr + len)) {
			err = unmapped_area(t, len, &addr);
			if (err)
				return err;
		}
	}
	if (mm->nr >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (flags & HN_MAP_FIXED) {
		err = do_munmap(t, addr, addr + len);
		if (err)
			return err;
	}
	v.start = addr;
	v.end = addr + len;
	v.pgoff = addr >> t->sim->page_shift;
	v.prot = (unsigned int)prot & (HN_PROT_READ | HN_PROT_WRITE | HN_PROT_EXEC);
	i = find_vma(mm, addr);
	err = vma_insert_at(t, i, &v);
	if (err)
		return err;
	merge_around(t, i);
	*out = addr;
	if (flags & HN_MAP_POPULATE)
		populate(t, addr, addr + len, prot & HN_PROT_WRITE);
	return 0;
}

/* ---- mprotect ----------------------------------------------------------------- */

/* Every page of [start, end) is mapped. */
static bool covered(const struct hn_mm *mm, uint64_t start, uint64_t end)
{
	unsigned int i = find_vma(mm, start);

	while (start < end) {
		if (i >= mm->nr || mm->vma[i].start > start)
			return false;
		start = mm->vma[i++].end;
	}
	return true;
}

int hn_mprotect(struct hn_task *t, uint64_t start, uint64_t len, int prot)
{
	struct hn_mm *mm;
	uint64_t end;
	unsigned int i;
	int err;

	if (!t)
		return -EINVAL;
	if ((start & (page_size(t) - 1)) ||
	    (prot & ~(HN_PROT_READ | HN_PROT_WRITE | HN_PROT_EXEC)))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > task_size(t) || start > task_size(t) - hn_align_up(len, page_size(t)))
		return -ENOMEM;
	end = start + hn_align_up(len, page_size(t));
	mm = t->mm;
	if (!mm || !covered(mm, start, end))
		return -ENOMEM;
	err = split_at_bounds(t, start, end);
	if (err)
		return err;
	for (i = find_vma(mm, start); i < mm->nr && mm->vma[i].start < end; i++)
		mm->vma[i].prot = (unsigned int)prot;
	merge_range(t, start, end);
	return 0;
}

/* ---- faults ------------------------------------------------------------------------ */

/* get_vma_policy(): the VMA's, else the task's, else local; and the interleave index. */
static const struct hn_mempolicy *fault_policy(const struct hn_task *t, const struct hn_vma *v,
					       uint64_t addr, uint64_t *ilx)
{
	const struct hn_mempolicy *pol = v->policy ? v->policy :
					 t->mempolicy ? t->mempolicy : &hn_local_policy;

	*ilx = 0;
	if (pol->mode == MPOL_INTERLEAVE || pol->mode == MPOL_WEIGHTED_INTERLEAVE)
		*ilx = v->pgoff + ((addr - v->start) >> t->sim->page_shift);
	return pol;
}

/*
 * The fault's request: a movable user page, with the VMA's attribute word
 * or else the task's (the slides' vm_mattr and mempolicy mattr); attribute
 * requests may fall back to plain memory rather than fail a fault.
 */
static hn_gfp_t fault_gfp(const struct hn_task *t, const struct hn_vma *v)
{
	hn_mattr_t m = v->mattr ? v->mattr : t->mattr;

	if (!m)
		return GFP_HIGHUSER_MOVABLE;
	return GFP_HIGHUSER_MOVABLE | (hn_gfp_t)m << HN_GFP_MATTR_SHIFT | __GFP_MATTR_FALLBACK;
}

static int handle_fault(struct hn_task *t, const struct hn_vma *v, uint64_t addr, bool write)
{
	uint64_t *pte = pte_of(t, addr >> t->sim->page_shift, true);
	const struct hn_mempolicy *pol;
	uint64_t pfn, ilx;
	int err;

	if (!pte)
		return -ENOMEM;
	if ((*pte & HN_PTE_PRESENT) && (write ? !(*pte & HN_PTE_ZERO) : true)) {
		*pte |= HN_PTE_YOUNG | (write ? HN_PTE_DIRTY : 0);
		return 0;
	}
	if (!write) {
		/* do_anonymous_page(): a read maps the shared zero page */
		*pte = HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_ZERO;
		return 0;
	}
	pol = fault_policy(t, v, addr, &ilx);
	err = hn_alloc_pages_mpol(t, fault_gfp(t, v), 0, pol, ilx, &pfn);
	if (err)
		return err;
	*pte = pfn << PTE_SHIFT | HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_DIRTY;
	t->mm->rss++;
	return 0;
}

int hn_task_fault(struct hn_task *t, uint64_t addr, bool write)
{
	const struct hn_vma *v;
	struct hn_mm *mm;
	unsigned int i;

	if (!t)
		return -EINVAL;
	mm = t->mm;
	if (!mm || addr >= task_size(t))
		return -EFAULT;
	i = mm->last;
	if (i >= mm->nr || addr < mm->vma[i].start || addr >= mm->vma[i].end) {
		i = find_vma(mm, addr);
		if (i >= mm->nr || mm->vma[i].start > addr)
			return -EFAULT;
		mm->last = i;
	}
	v = &mm->vma[i];
	if (write ? !(v->prot & HN_PROT_WRITE) : !v->prot)
		return -EACCES;
	return handle_fault(t, v, addr, write);
}

int hn_task_touch(struct hn_task *t, uint64_t addr, bool write)
{
	int err = hn_task_fault(t, addr, write);

	/* the system call's view: VM_FAULT_OOM, whatever ran out */
	return err == -ENOSPC ? -ENOMEM : err;
}

static int populate(struct hn_task *t, uint64_t start, uint64_t end, bool write)
{
	for (uint64_t a = start; a < end; a += page_size(t)) {
		int err = hn_task_touch(t, a, write);

		if (err)
			return err;
	}
	return 0;
}

int hn_task_pte(const struct hn_task *t, uint64_t addr, uint64_t *pfn, unsigned int *flags)
{
	uint64_t *pte;
	unsigned int i;

	if (!t || !pfn || !flags)
		return -EINVAL;
	if (!t->mm || addr >= task_size(t))
		return -EFAULT;
	i = find_vma(t->mm, addr);
	if (i >= t->mm->nr || t->mm->vma[i].start > addr)
		return -EFAULT;
	pte = pte_of((struct hn_task *)t, addr >> t->sim->page_shift, false);
	if (!pte || !(*pte & HN_PTE_PRESENT))
		return -ENOENT;
	*flags = (unsigned int)(*pte & (HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_DIRTY | HN_PTE_ZERO));
	*pfn = (*pte & HN_PTE_ZERO) ? HN_PFN_NONE : pte_pfn(*pte);
	return 0;
}

int hn_task_nr_vmas(const struct hn_task *t)
{
	if (!t)
		return -EINVAL;
	return t->mm ? (int)t->mm->nr : 0;
}

int hn_task_vma(const struct hn_task *t, unsigned int i, uint64_t *start, uint64_t *end, int *prot)
{
	if (!t || !start || !end || !prot)
		return -EINVAL;
	if (!t->mm || i >= t->mm->nr)
		return -ENOENT;
	*start = t->mm->vma[i].start;
	*end = t->mm->vma[i].end;
	*prot = (int)t->mm->vma[i].prot;
	return 0;
}

uint64_t hn_task_rss(const struct hn_task *t)
{
	return t && t->mm ? t->mm->rss : 0;
}

/* ---- mbind ----------------------------------------------------------------------- */

/*
 * queue_pages_range() without migration: -EFAULT for a hole in
 * [start, end) (unless @discontig_ok), otherwise the number of mapped pages
 * on a node outside @nodes (the MPOL_MF_STRICT failures).
 */
static long misplaced_pages(struct hn_task *t, uint64_t start, uint64_t end,
			    const struct hn_nodemask *nodes, bool discontig_ok)
{
	struct hn_mm *mm = t->mm;
	unsigned int shift = t->sim->page_shift;
	long failed = 0;

	if (!discontig_ok && !covered(mm, start, end))
		return -EFAULT;
	if (discontig_ok && !intersects(mm, start, end))
		return -EFAULT;
	for (uint64_t vpn = start >> shift; vpn < end >> shift; vpn++) {
		uint64_t *pte = pte_of(t, vpn, false);

		if (!pte) {
			vpn |= PT_ENTRIES - 1;
			continue;
		}
		if ((*pte & HN_PTE_PRESENT) && !(*pte & HN_PTE_ZERO) &&
		    !hn_nodemask_test(nodes, pfn_to_nid(t->sim, pte_pfn(*pte))))
			failed++;
	}
	return failed;
}

int hn_mbind(struct hn_task *t, uint64_t start, uint64_t len, int mode, const unsigned long *nmask,
	     unsigned long maxnode, unsigned int flags)
{
	struct hn_mempolicy *new;
	struct hn_nodemask nodes;
	unsigned short mode_flags;
	int lmode = mode, err;
	uint64_t end;
	long failed;
	unsigned int i;

	if (!t)
		return -EINVAL;
	err = hn_mpol_sanitize(&lmode, &mode_flags);
	if (!err)
		err = hn_mpol_get_nodes(t->sim, &nodes, nmask, maxnode);
	if (err)
		return err;
	if (flags & ~(unsigned int)(HN_MPOL_MF_STRICT | HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if (start & (page_size(t) - 1))
		return -EINVAL;
	if (lmode == MPOL_DEFAULT)
		flags &= ~(unsigned int)HN_MPOL_MF_STRICT;
	len = hn_align_up(len, page_size(t));
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	new = hn_mpol_create(t, (unsigned short)lmode, mode_flags, &nodes, &err);
	if (err)
		return err;
	if (flags & (HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)) {
		hn_logf(&t->sim->log, HN_LOG_ERR,
			"mbind: MPOL_MF_MOVE and MPOL_MF_MOVE_ALL need page migration, not simulated yet");
		free(new);
		return -EOPNOTSUPP;
	}
	if (!t->mm) {
		free(new);
		return -EFAULT;
	}
	failed = misplaced_pages(t, start, end, &nodes, !new);
	if (failed < 0) {
		free(new);
		return (int)failed;
	}
	/* mbind_range(): the new policy on every VMA piece of the range */
	err = split_at_bounds(t, start, end);
	for (i = find_vma(t->mm, start); !err && i < t->mm->nr && t->mm->vma[i].start < end; i++) {
		struct hn_mempolicy *p = hn_mpol_dup(t->sim, new, &err);

		if (err)
			break;
		free(t->mm->vma[i].policy);
		t->mm->vma[i].policy = p;
	}
	free(new);
	if (err)
		return err;
	merge_range(t, start, end);
	if (failed && (flags & HN_MPOL_MF_STRICT))
		return -EIO;
	return 0;
}

/* ---- attribute words and hmadvise ------------------------------------------------ */

/* Split [start, end) out of its VMAs and apply @fn to each piece, then merge. */
static int for_range(struct hn_task *t, uint64_t start, uint64_t end,
		     void (*fn)(struct hn_vma *v, const void *arg), const void *arg)
{
	struct hn_mm *mm = t->mm;
	unsigned int i;
	int err;

	err = split_at_bounds(t, start, end);
	if (err)
		return err;
	for (i = find_vma(mm, start); i < mm->nr && mm->vma[i].start < end; i++)
		fn(&mm->vma[i], arg);
	merge_range(t, start, end);
	return 0;
}

static void set_mattr(struct hn_vma *v, const void *arg)
{
	v->mattr = *(const hn_mattr_t *)arg;
}

/* A page-aligned range inside the address space: its end, or 0 when it is bad. */
static uint64_t range_end(const struct hn_task *t, uint64_t start, uint64_t len)
{
	if ((start & (page_size(t) - 1)) || !len || len > task_size(t) ||
	    start > task_size(t) - hn_align_up(len, page_size(t)))
		return 0;
	return start + hn_align_up(len, page_size(t));
}

int hn_madvise_mattr(struct hn_task *t, uint64_t start, uint64_t len, hn_mattr_t mattr)
{
	uint64_t end;

	if (!t || !hn_mattr_valid(mattr))
		return -EINVAL;
	end = range_end(t, start, len);
	if (!end)
		return -EINVAL;
	if (!t->mm || !covered(t->mm, start, end))
		return -ENOMEM;
	return for_range(t, start, end, set_mattr, &mattr);
}

/* Move the mapped page behind @pte to @nid: a new page there, the old one freed. */
static int move_page(struct hn_task *t, uint64_t *pte, int nid)
{
	uint64_t pfn;
	int err = hn_alloc_pages(t->sim, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN, 0, nid,
				 NULL, &pfn);

	if (err)
		return err == -ENOSPC ? -ENOMEM : err;
	hn_free_pages(t->sim, pte_pfn(*pte), 0);
	*pte = pfn << PTE_SHIFT | (*pte & ((1u << PTE_SHIFT) - 1));
	return 0;
}

int hn_hmadvise(struct hn_task *t, int nid, uint64_t start, uint64_t len, int hint)
{
	struct hn_sim *sim;
	unsigned int shift;
	uint64_t end;

	if (!t)
		return -EINVAL;
	sim = t->sim;
	end = range_end(t, start, len);
	if (!end || (hint != HN_MADV_PREFETCH && hint != HN_MADV_DONTNEED))
		return -EINVAL;
	if (hint == HN_MADV_PREFETCH &&
	    (nid < 0 || nid >= sim->nr_node_ids ||
	     !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid)))
		return -EINVAL;
	if (!t->mm || !covered(t->mm, start, end))
		return -ENOMEM;
	if (hint == HN_MADV_DONTNEED) {
		zap_range(t, start, end);
		return 0;
	}
	shift = sim->page_shift;
	for (uint64_t vpn = start >> shift; vpn < end >> shift; vpn++) {
		uint64_t *pte = pte_of(t, vpn, true), pfn;
		int err;

		if (!pte)
			return -ENOMEM;
		if ((*pte & HN_PTE_PRESENT) && !(*pte & HN_PTE_ZERO)) {
			if (pfn_to_nid(sim, pte_pfn(*pte)) == nid)
				continue;
			err = move_page(t, pte, nid);
		} else {
			/* untouched (or the zero page): the data arrives on @nid */
			err = hn_alloc_pages(sim, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN, 0,
					     nid, NULL, &pfn);
			if (!err) {
				*pte = pfn << PTE_SHIFT | HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_DIRTY;
				t->mm->rss++;
			}
		}
		if (err)
			return err == -ENOSPC ? -ENOMEM : err;
	}
	return 0;
}

/* ---- /proc/<pid>/numa_maps ---------------------------------------------------- */

/*
 * show_numa_map(): per VMA its start, policy and, when it maps pages, the
 * counts gather_pte_stats() takes.  Every page here is anonymous and, with
 * no LRU yet, active, so "mapped=" and "active=" never appear; the zero
 * page is not counted, as vm_normal_page() skips it.
 */
int hn_task_show_numa_maps(const struct hn_task *t, FILE *f)
{
	struct hn_sim *sim;
	unsigned int shift;

	if (!t || !f)
		return -EINVAL;
	sim = t->sim;
	shift = sim->page_shift;
	for (unsigned int i = 0; t->mm && i < t->mm->nr; i++) {
		const struct hn_vma *v = &t->mm->vma[i];
		uint64_t pages = 0, dirty = 0, *node;
		char pol[160];

		node = calloc((size_t)sim->nr_node_ids, sizeof(*node));
		if (!node)
			return -ENOMEM;
		for (uint64_t vpn = v->start >> shift; vpn < v->end >> shift; vpn++) {
			const uint64_t *pte = pte_of((struct hn_task *)t, vpn, false);
			int nid;

			if (!pte) {
				vpn |= PT_ENTRIES - 1;
				continue;
			}
			if (!(*pte & HN_PTE_PRESENT) || (*pte & HN_PTE_ZERO))
				continue;
			pages++;
			dirty += (*pte & HN_PTE_DIRTY) != 0;
			nid = pfn_to_nid(sim, pte_pfn(*pte));
			if (nid >= 0)
				node[nid]++;
		}
		hn_mpol_to_str(pol, sizeof(pol), v->policy ? v->policy : t->mempolicy);
		fprintf(f, "%08" PRIx64 " %s", v->start, pol);
		if (pages) {
			fprintf(f, " anon=%" PRIu64, pages);
			if (dirty)
				fprintf(f, " dirty=%" PRIu64, dirty);
			for (int nid = 0; nid < sim->nr_node_ids; nid++)
				if (node[nid] && hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid))
					fprintf(f, " N%d=%" PRIu64, nid, node[nid]);
			fprintf(f, " kernelpagesize_kB=%" PRIu64, sim->page_size >> 10);
		}
		fputc('\n', f);
		free(node);
	}
	return ferror(f) ? -EIO : 0;
}

/* ---- what mempolicy.c asks of the address space ------------------------------ */

int hn_mm_vma_policy(const struct hn_task *t, uint64_t addr, const struct hn_mempolicy **pol,
		     int *nid_of_page)
{
	unsigned int i;

	if (!t->mm || addr >= task_size(t))
		return -EFAULT;
	i = find_vma(t->mm, addr);
	if (i >= t->mm->nr || t->mm->vma[i].start > addr)
		return -EFAULT;
	*pol = t->mm->vma[i].policy;
	if (nid_of_page) {
		uint64_t *pte;
		int err;

		/*
		 * lookup_node(): get_user_pages() faults the page in for
		 * reading; on a mapping that cannot be read it fails with
		 * -EFAULT (check_vma_flags()), not the -EACCES a touch gives.
		 */
		err = hn_task_touch((struct hn_task *)t, addr, false);
		if (err)
			return err == -EACCES ? -EFAULT : err;
		pte = pte_of((struct hn_task *)t, addr >> t->sim->page_shift, false);
		if (*pte & HN_PTE_ZERO) {
			/* the zero page: the first node with memory, where the kernel image is */
			int nid = 0;

			while (nid < t->sim->nr_node_ids &&
			       !hn_bit_test(t->sim->node_states[HN_N_MEMORY], (unsigned int)nid))
				nid++;
			*nid_of_page = nid;
		} else {
			*nid_of_page = pfn_to_nid(t->sim, pte_pfn(*pte));
		}
	}
	return 0;
}

void hn_mm_rebind(struct hn_task *t, const struct hn_nodemask *mems)
{
	for (unsigned int i = 0; t->mm && i < t->mm->nr; i++)
		hn_mpol_rebind(t->mm->vma[i].policy, mems);
}

void hn_mm_destroy(struct hn_task *t)
{
	struct hn_mm *mm = t->mm;

	if (!mm)
		return;
	while (mm->nr) {
		zap_range(t, mm->vma[mm->nr - 1].start, mm->vma[mm->nr - 1].end);
		vma_remove_at(mm, mm->nr - 1);
	}
	free_table(mm->pgd, mm->levels);
	free(mm->vma);
	free(mm);
	t->mm = NULL;
}

/*
 * hn_sim_check()'s part: VMAs sorted, page aligned, disjoint, inside the
 * address space; every mapped page allocated at order 0; rss counts them.
 */
static int check_table(struct hn_sim *sim, const void *table, unsigned int level, uint64_t *mapped)
{
	int bad = 0;

	if (!table)
		return 0;
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		if (level > 1) {
			bad |= check_table(sim, ((void *const *)table)[i], level - 1, mapped);
			continue;
		}
		uint64_t pte = ((const uint64_t *)table)[i];

		if (!(pte & HN_PTE_PRESENT) || (pte & HN_PTE_ZERO))
			continue;
		(*mapped)++;
		{
			uint64_t pfn = pte_pfn(pte);
			struct hn_zone *zone = pfn < sim->max_pfn ? hn_pfn_zone(sim, pfn) : NULL;
			const struct hn_page *page = zone ? pfn_to_page(zone->zone_pgdat, pfn) : NULL;

			if (!page || !(page->flags & PG_allocated) || (page->private & 0xff)) {
				hn_report(sim, "mapped page not allocated", "hn_sim_check", -1, -1, pfn, 0,
					  "a task's page table maps pfn %#" PRIx64, pfn);
				bad = 1;
			}
		}
	}
	return bad;
}

int hn_check_tasks(struct hn_sim *sim)
{
	int bad = 0;

	for (struct hn_task *t = sim->tasks; t; t = t->next) {
		const struct hn_mm *mm = t->mm;
		uint64_t mapped = 0;

		if (!mm)
			continue;
		for (unsigned int i = 0; i < mm->nr; i++) {
			const struct hn_vma *v = &mm->vma[i];

			if (v->start >= v->end || (v->start | v->end) & (sim->page_size - 1) ||
			    v->end > task_size(t) || (i && mm->vma[i - 1].end > v->start)) {
				hn_report(sim, "VMA list corrupted", "hn_sim_check", -1, -1, UINT64_MAX, 0,
					  "task %d VMA %u [%#" PRIx64 ", %#" PRIx64 ")", t->pid, i,
					  v->start, v->end);
				bad = 1;
			}
		}
		bad |= check_table(sim, mm->pgd, mm->levels, &mapped);
		if (mapped != mm->rss) {
			hn_report(sim, "rss mismatch", "hn_sim_check", -1, -1, UINT64_MAX, 0,
				  "task %d maps %" PRIu64 " pages, rss %" PRIu64, t->pid, mapped, mm->rss);
			bad = 1;
		}
	}
	return bad;
}
