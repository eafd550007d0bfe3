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
 *   do_mbind, queue_pages_range (isolating misplaced pages for
 *   MPOL_MF_MOVE), mbind_range           hn_mbind()
 *   do_migrate_pages, migrate_to_node    hn_do_migrate_pages()
 *   zap_pte_range                        zap_range()
 *
 * The page table holds a pfn and the present, young, dirty, zero-page and
 * migration-entry bits (mm.h).  Tables are freed at exit, not on munmap.
 * Every page a fault maps gets its rmap (rmap.c), so migration and
 * compaction can find the pte of any page from its pfn.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/mempolicy.h>

#include "core/contents.h"
#include "core/mmzone.h"
#include "core/page.h"
#include "mempolicy/mm.h"
#include "mempolicy/mpol.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define MMAP_MIN_ADDR 65536ULL	/* vm.mmap_min_addr */
#define STACK_GAP (128ULL << 20)	/* mmap_base's MIN_GAP below TASK_SIZE */
#define MAX_MAP_COUNT 65530u	/* vm.max_map_count */
#define CACHE_LINE 64		/* what one write access stores */

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

/* A free slot of sim->mm_table for a new address space: its id, or 0 (host memory). */
static uint32_t mm_table_slot(struct hn_sim *sim)
{
	uint32_t size = sim->mm_table_size;
	struct hn_mm **n;

	for (uint32_t id = 1; id < size; id++)
		if (!sim->mm_table[id])
			return id;
	n = hn_sim_realloc(sim, sim->mm_table, (size ? 2 * size : 16) * sizeof(*n));
	if (!n)
		return 0;
	sim->mm_table = n;
	sim->mm_table_size = size ? 2 * size : 16;
	memset(&n[size], 0, (sim->mm_table_size - size) * sizeof(*n));
	return size ? size : 1;
}

struct hn_mm *hn_task_get_mm(struct hn_task *t)
{
	unsigned int vpn_bits;
	struct hn_mm *mm;
	uint32_t id;

	if (t->mm)
		return t->mm;
	id = mm_table_slot(t->sim);
	if (!id)
		return NULL;
	mm = hn_sim_calloc(t->sim, 1, sizeof(*mm));
	if (!mm)
		return NULL;
	vpn_bits = VA_BITS - t->sim->page_shift;
	mm->levels = (vpn_bits + PT_BITS - 1) / PT_BITS;
	mm->id = id;
	mm->task = t;
	t->sim->mm_table[id] = mm;
	t->mm = mm;
	return mm;
}

struct hn_mm *hn_mm_by_id(const struct hn_sim *sim, uint32_t id)
{
	return id < sim->mm_table_size ? sim->mm_table[id] : NULL;
}

/* ---- the page table ------------------------------------------------------ */

uint64_t *hn_pte_of(struct hn_mm *mm, struct hn_sim *sim, uint64_t vpn, bool create)
{
	void **slot = &mm->pgd;

	for (unsigned int level = mm->levels; level > 0; level--) {
		unsigned int idx = (unsigned int)(vpn >> ((level - 1) * PT_BITS)) & (PT_ENTRIES - 1);

		if (!*slot) {
			if (!create)
				return NULL;
			*slot = hn_sim_calloc(sim, PT_ENTRIES, sizeof(uint64_t));
			if (!*slot)
				return NULL;
		}
		if (level == 1)
			return &((uint64_t *)*slot)[idx];
		slot = &((void **)*slot)[idx];
	}
	return NULL;
}

static uint64_t *pte_of(struct hn_task *t, uint64_t vpn, bool create)
{
	return hn_pte_of(t->mm, t->sim, vpn, create);
}

/*
 * zap_pte_range(): clear the ptes of [start, end), dropping each page's
 * mapping (the last reference frees the page; a pinned one lives on).  A
 * migration entry is just cleared: migration holds its page, and will find
 * nothing to map again.  Subscribers hear of it first (@event).
 */
static void zap_range(struct hn_task *t, uint64_t start, uint64_t end,
		      enum hn_mmu_notifier_event event)
{
	unsigned int shift = t->sim->page_shift;

	hn_mmu_notifier_invalidate_range_start(t->mm, start, end, event, true);
	for (uint64_t vpn = start >> shift; vpn < end >> shift; vpn++) {
		uint64_t *pte = pte_of(t, vpn, false);

		if (!pte) {
			/* skip the rest of a missing leaf table */
			vpn |= PT_ENTRIES - 1;
			continue;
		}
		if (pte_maps_page(*pte)) {
			hn_page_remove_rmap(t->sim, pte_pfn(*pte));
			t->mm->rss--;
		}
		*pte = 0;
	}
	hn_mmu_notifier_invalidate_range_end(t->mm, start, end, event);
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

unsigned int hn_find_vma(const struct hn_mm *mm, uint64_t addr)
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
	unsigned int i = hn_find_vma(mm, start);

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
	unsigned int i = hn_find_vma(mm, start);
	int err = 0;

	if (i < mm->nr && mm->vma[i].start < start && start < mm->vma[i].end)
		err = split_vma(t, i, start);
	i = hn_find_vma(mm, end);
	if (!err && i < mm->nr && mm->vma[i].start < end && end < mm->vma[i].end)
		err = split_vma(t, i, end);
	return err;
}

/* After a change to the VMAs of [start, end): merge each with its neighbours where it now can. */
static void merge_range(struct hn_task *t, uint64_t start, uint64_t end)
{
	struct hn_mm *mm = t->mm;
	unsigned int i = hn_find_vma(mm, start);

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
	i = hn_find_vma(mm, start);
	while (i < mm->nr && mm->vma[i].start < end) {
		zap_range(t, mm->vma[i].start, mm->vma[i].end, HN_MMU_NOTIFY_UNMAP);
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
	mm = hn_task_get_mm(t);
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
	i = hn_find_vma(mm, addr);
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
	unsigned int i = hn_find_vma(mm, start);

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
	hn_mmu_notifier_invalidate_range_start(mm, start, end, HN_MMU_NOTIFY_PROTECTION_VMA, true);
	for (i = hn_find_vma(mm, start); i < mm->nr && mm->vma[i].start < end; i++)
		mm->vma[i].prot = (unsigned int)prot;
	hn_mmu_notifier_invalidate_range_end(mm, start, end, HN_MMU_NOTIFY_PROTECTION_VMA);
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

/* A write's bytes: the 64-byte line at @addr of the page behind @pte. */
static void write_line(struct hn_task *t, uint64_t pte, uint64_t addr)
{
	struct hn_sim *sim = t->sim;
	uint64_t pfn = pte_pfn(pte);
	struct hn_page_data *d = page_ext_of(pfn_pgdat(sim, pfn), pfn)->data;

	if (d)
		hn_page_data_write(sim, d, (addr & (sim->page_size - 1)) & ~(uint64_t)(CACHE_LINE - 1),
				   CACHE_LINE);
}

/*
 * A new page's contents: the content model fills it, as the program's
 * first write to fresh memory would.  Without host memory for them the
 * fault fails as an allocation would.
 */
static int fill_new_page(struct hn_task *t, uint64_t pfn, uint64_t vpn)
{
	struct hn_page_data *d = hn_page_data_alloc(t->sim);

	if (!d)
		return -ENOMEM;
	hn_page_data_fill(t->sim, d, t->mm->id, vpn);
	page_ext_of(pfn_pgdat(t->sim, pfn), pfn)->data = d;
	return 0;
}

static int handle_fault(struct hn_task *t, const struct hn_vma *v, uint64_t addr, bool write)
{
	uint64_t vpn = addr >> t->sim->page_shift;
	uint64_t *pte = pte_of(t, vpn, true);
	const struct hn_mempolicy *pol;
	uint64_t pfn, ilx;
	hn_gfp_t gfp;
	int err;

	if (!pte)
		return -ENOMEM;
	/* migration_entry_wait(): the page is on its way; come back for it */
	if (is_migration_entry(*pte))
		return -EAGAIN;
	if ((*pte & HN_PTE_PRESENT) && (write ? !(*pte & HN_PTE_ZERO) : true)) {
		*pte |= HN_PTE_YOUNG | (write ? HN_PTE_DIRTY : 0);
		if (write && t->sim->contents)
			write_line(t, *pte, addr);
		return 0;
	}
	if (!write) {
		/* do_anonymous_page(): a read maps the shared zero page */
		*pte = HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_ZERO;
		return 0;
	}
	pol = fault_policy(t, v, addr, &ilx);
	gfp = fault_gfp(t, v);
	err = hn_alloc_pages_mpol(t, gfp, 0, pol, ilx, &pfn);
	if (err)
		return err;
	hn_page_add_new_anon_rmap(t->sim, t->mm, pfn, vpn, hn_gfp_to_mattr(gfp));
	if (t->sim->contents) {
		err = fill_new_page(t, pfn, vpn);
		if (err) {
			hn_page_remove_rmap(t->sim, pfn);
			return err;
		}
	}
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
		i = hn_find_vma(mm, addr);
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
	i = hn_find_vma(t->mm, addr);
	if (i >= t->mm->nr || t->mm->vma[i].start > addr)
		return -EFAULT;
	pte = pte_of((struct hn_task *)t, addr >> t->sim->page_shift, false);
	if (!pte || !(*pte & (HN_PTE_PRESENT | HN_PTE_MIGRATION)))
		return -ENOENT;
	*flags = (unsigned int)(*pte & PTE_FLAG_MASK);
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

/* ---- mbind and the queueing of pages for migration ------------------------ */

#define MPOL_MF_INVERT (1u << 5)	/* queue the pages *not* on the nodes */
#define MPOL_MF_DISCONTIG_OK (1u << 6)	/* holes in the range are fine */

static bool strictly_unmovable(unsigned int flags)
{
	/* STRICT without MOVE: the first misplaced page is an -EIO */
	return (flags & (HN_MPOL_MF_STRICT | HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)) ==
	       HN_MPOL_MF_STRICT;
}

/*
 * migrate_folio_add() / isolate_folio_to_list(): take the page off the LRU
 * for migration (PG_lru cleared, a reference for the isolation,
 * nr_isolated_anon) and queue it.  false: it cannot be isolated now (it
 * is already isolated, or locked by someone else).  Pages are never
 * shared, so MPOL_MF_MOVE and MPOL_MF_MOVE_ALL isolate alike.
 */
static bool migrate_folio_add(struct hn_sim *sim, uint64_t pfn, struct hn_folio_list *list)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page *page = pfn_to_page(pgdat, pfn);

	if (!(page->flags & PG_lru) || (page->flags & PG_locked))
		return false;
	if (hn_folio_list_add(list, pfn))
		return false;
	page->flags &= ~(uint32_t)PG_lru;
	page_ext_of(pgdat, pfn)->refcount++;
	__mod_node_page_state(pgdat, NR_ISOLATED_ANON, 1);
	return true;
}

/*
 * queue_pages_range(): walk [start, end) of the task.  Pages whose node is
 * in @nodes (with MPOL_MF_INVERT: outside it) are misplaced: with MOVE they
 * are isolated onto @list, otherwise (or when they cannot be isolated, or
 * are already under migration) they count as failures.  Returns the
 * failures, -EIO (STRICT without MOVE found one), or -EFAULT (a hole,
 * unless MPOL_MF_DISCONTIG_OK; or nothing mapped in the range at all).
 */
static long queue_pages_range(struct hn_task *t, uint64_t start, uint64_t end,
			      const struct hn_nodemask *nodes, unsigned int flags,
			      struct hn_folio_list *list)
{
	struct hn_mm *mm = t->mm;
	unsigned int shift = t->sim->page_shift;
	long failed = 0;

	if (!(flags & MPOL_MF_DISCONTIG_OK) && !covered(mm, start, end))
		return -EFAULT;
	if (!intersects(mm, start, end))
		return -EFAULT;
	if (!(flags & (HN_MPOL_MF_STRICT | HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)))
		return 0;
	for (uint64_t vpn = start >> shift; vpn < end >> shift; vpn++) {
		uint64_t *pte = pte_of(t, vpn, false);
		int nid;

		if (!pte) {
			vpn |= PT_ENTRIES - 1;
			continue;
		}
		if (is_migration_entry(*pte)) {
			failed++;
			continue;
		}
		if (!pte_maps_page(*pte))
			continue;
		nid = pfn_to_nid(t->sim, pte_pfn(*pte));
		if (hn_nodemask_test(nodes, nid) == !!(flags & MPOL_MF_INVERT))
			continue;
		if (!(flags & (HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)) ||
		    !migrate_folio_add(t->sim, pte_pfn(*pte), list)) {
			failed++;
			if (strictly_unmovable(flags))
				return -EIO;
		}
	}
	return failed;
}

/* alloc_migration_target_by_mpol()'s private data. */
struct migration_mpol {
	struct hn_task *t;
	const struct hn_mempolicy *pol;
};

/*
 * The attribute word a page's new home must have: that of the attribute
 * node it lives on, so that migration keeps it in attributed memory
 * (exact, else the closest the strategy finds), or 0 on plain memory.
 */
static hn_mattr_t page_home_mattr(const struct hn_sim *sim, uint64_t pfn)
{
	const struct hn_zone *zone = hn_pfn_zone(sim, pfn);

	return zone && zone->parent ? attr_zone_of_zone(zone)->node.mattr : 0;
}

/*
 * alloc_migration_target_by_mpol(): the new page where the policy puts the
 * page, by the page's interleave index (its virtual page number, as the
 * fault used).
 */
static uint64_t alloc_migration_target_by_mpol(struct hn_sim *sim, uint64_t src,
					       unsigned long private)
{
	const struct migration_mpol *mm = (const struct migration_mpol *)private;
	const struct hn_page_ext *ext = page_ext_of(pfn_pgdat(sim, src), src);
	hn_gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL | __GFP_COMP;
	hn_mattr_t home = page_home_mattr(sim, src);
	uint64_t pfn;

	if (home)
		gfp |= (hn_gfp_t)home << HN_GFP_MATTR_SHIFT;
	if (hn_alloc_pages_mpol(mm->t, gfp, 0, mm->pol, ext->index, &pfn))
		return HN_PFN_NONE;
	return pfn;
}

/* The seam into src/migrate; -EOPNOTSUPP when nothing filled it. */
static int migrate_list(struct hn_sim *sim, struct hn_folio_list *list, hn_new_folio_t get_new,
			unsigned long private, enum hn_migrate_reason reason)
{
	int ret;

	if (!sim->migrate_ops)
		return -EOPNOTSUPP;
	ret = sim->migrate_ops->migrate_pages(sim, list, get_new, NULL, private, HN_MIGRATE_SYNC,
					      reason, NULL);
	if (!hn_folio_list_empty(list))
		sim->migrate_ops->putback_movable_pages(sim, list);
	return ret;
}

int hn_mbind(struct hn_task *t, uint64_t start, uint64_t len, int mode, const unsigned long *nmask,
	     unsigned long maxnode, unsigned int flags)
{
	struct hn_mempolicy *new;
	struct hn_nodemask nodes;
	struct hn_folio_list list;
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
	if (!new)
		flags |= MPOL_MF_DISCONTIG_OK;
	if ((flags & (HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)) && !t->sim->migrate_ops) {
		free(new);
		return -EOPNOTSUPP;
	}
	if (!t->mm) {
		free(new);
		return -EFAULT;
	}
	hn_folio_list_init(&list, t->sim);
	/* the pages the new policy does not allow: on a node outside its mask */
	failed = queue_pages_range(t, start, end, new ? &new->nodes : &nodes,
				   flags | MPOL_MF_INVERT, &list);
	if (failed < 0) {
		err = (int)failed;
		failed = 0;
	} else {
		/* mbind_range(): the new policy on every VMA piece of the range */
		err = split_at_bounds(t, start, end);
		for (i = hn_find_vma(t->mm, start); !err && i < t->mm->nr && t->mm->vma[i].start < end;
		     i++) {
			struct hn_mempolicy *p = hn_mpol_dup(t->sim, new, &err);

			if (err)
				break;
			free(t->mm->vma[i].policy);
			t->mm->vma[i].policy = p;
		}
		if (!err)
			merge_range(t, start, end);
	}
	if (!err && !hn_folio_list_empty(&list)) {
		struct migration_mpol mmpol = {
			.t = t,
			.pol = new ? new : t->mempolicy ? t->mempolicy : &hn_local_policy,
		};
		int ret = migrate_list(t->sim, &list, alloc_migration_target_by_mpol,
				       (unsigned long)&mmpol, HN_MR_MEMPOLICY_MBIND);

		if (ret < 0)
			err = ret;
		else
			failed += ret;
	} else if (!hn_folio_list_empty(&list)) {
		t->sim->migrate_ops->putback_movable_pages(t->sim, &list);
	}
	hn_folio_list_free(&list);
	free(new);
	if (!err && failed && (flags & HN_MPOL_MF_STRICT))
		err = -EIO;
	return err;
}

/*
 * do_migrate_pages(): for each node pair (source, dest) that
 * node_remap() of @from onto @to gives, the task's pages on source move to
 * dest (migrate_to_node()).  Pairs are taken so that a dest is emptied of
 * its own pages before others arrive, where the masks allow; when the two
 * masks differ in weight, sources inside @to stay.
 */
static long migrate_to_node(struct hn_task *t, int source, int dest, unsigned int flags)
{
	struct migration_target_control mtc = {
		.nid = dest,
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE,
		.reason = HN_MR_SYSCALL,
	};
	struct hn_nodemask one = { 0 };
	struct hn_folio_list list;
	long failed;
	int ret = 0;

	if (!t->mm || !t->mm->nr)
		return 0;
	hn_nodemask_set(&one, source);
	hn_folio_list_init(&list, t->sim);
	failed = queue_pages_range(t, t->mm->vma[0].start, task_size(t), &one,
				   flags | MPOL_MF_DISCONTIG_OK, &list);
	if (failed < 0)
		failed = 0;
	if (!hn_folio_list_empty(&list))
		ret = migrate_list(t->sim, &list, t->sim->migrate_ops->alloc_migration_target,
				   (unsigned long)&mtc, HN_MR_SYSCALL);
	hn_folio_list_free(&list);
	return ret < 0 ? ret : failed + ret;
}

long hn_do_migrate_pages(struct hn_task *t, const struct hn_nodemask *from,
			 const struct hn_nodemask *to, unsigned int flags)
{
	struct hn_sim *sim = t->sim;
	struct hn_nodemask tmp = *from;
	unsigned int wfrom = 0, wto = 0;
	long failed = 0;

	if (!sim->migrate_ops)
		return -EOPNOTSUPP;
	for (int n = 0; n < sim->nr_node_ids; n++) {
		wfrom += hn_nodemask_test(from, n);
		wto += hn_nodemask_test(to, n);
	}
	for (;;) {
		int source = -1, dest = 0;

		for (int s = 0; s < sim->nr_node_ids; s++) {
			int d;

			if (!hn_nodemask_test(&tmp, s))
				continue;
			if (wfrom != wto && hn_nodemask_test(to, s))
				continue;
			d = hn_node_remap(s, from, to);
			if (s == d)
				continue;
			source = s;
			dest = d;
			if (!hn_nodemask_test(&tmp, dest))
				break;
		}
		if (source < 0)
			break;
		hn_nodemask_clear(&tmp, source);
		{
			long err = migrate_to_node(t, source, dest, flags);

			if (err < 0)
				return err;
			failed += err;
		}
	}
	return failed;
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
	for (i = hn_find_vma(mm, start); i < mm->nr && mm->vma[i].start < end; i++)
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

/*
 * hmadvise(PREFETCH): mapped pages elsewhere are isolated and migrated to
 * @nid (MR_SYSCALL, as move_pages() would), untouched ones (and the zero
 * page) are populated there.
 */
int hn_hmadvise(struct hn_task *t, int nid, uint64_t start, uint64_t len, int hint)
{
	struct migration_target_control mtc = {
		.nid = nid,
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN,
		.reason = HN_MR_SYSCALL,
	};
	struct hn_folio_list list;
	struct hn_sim *sim;
	unsigned int shift;
	uint64_t end;
	int err = 0;

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
		zap_range(t, start, end, HN_MMU_NOTIFY_CLEAR);
		return 0;
	}
	if (!sim->migrate_ops)
		return -EOPNOTSUPP;
	shift = sim->page_shift;
	hn_folio_list_init(&list, sim);
	for (uint64_t vpn = start >> shift; vpn < end >> shift && !err; vpn++) {
		uint64_t *pte = pte_of(t, vpn, true), pfn;

		if (!pte) {
			err = -ENOMEM;
			break;
		}
		if (is_migration_entry(*pte))
			continue;
		if (pte_maps_page(*pte)) {
			if (pfn_to_nid(sim, pte_pfn(*pte)) != nid &&
			    !migrate_folio_add(sim, pte_pfn(*pte), &list))
				err = -ENOMEM;
			continue;
		}
		/* untouched (or the zero page): the data arrives on @nid */
		err = hn_alloc_pages(sim, mtc.gfp_mask, 0, nid, NULL, &pfn);
		if (err)
			break;
		hn_page_add_new_anon_rmap(sim, t->mm, pfn, vpn, 0);
		if (sim->contents) {
			err = fill_new_page(t, pfn, vpn);
			if (err) {
				hn_page_remove_rmap(sim, pfn);
				break;
			}
		}
		*pte = pfn << PTE_SHIFT | HN_PTE_PRESENT | HN_PTE_YOUNG | HN_PTE_DIRTY;
		t->mm->rss++;
	}
	if (!hn_folio_list_empty(&list)) {
		int ret = migrate_list(sim, &list, sim->migrate_ops->alloc_migration_target,
				       (unsigned long)&mtc, HN_MR_SYSCALL);

		if (!err && ret)
			err = -ENOMEM;	/* pages that could not move: @nid is full */
	}
	hn_folio_list_free(&list);
	return err == -ENOSPC ? -ENOMEM : err;
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
	i = hn_find_vma(t->mm, addr);
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
	hn_mmu_notifier_release(mm);
	while (mm->nr) {
		zap_range(t, mm->vma[mm->nr - 1].start, mm->vma[mm->nr - 1].end,
			  HN_MMU_NOTIFY_CLEAR);
		vma_remove_at(mm, mm->nr - 1);
	}
	free_table(mm->pgd, mm->levels);
	t->sim->mm_table[mm->id] = NULL;
	free(mm->subs);
	free(mm->vma);
	free(mm);
	t->mm = NULL;
}

/* What the walk of every page table counts, per node, for the node counters. */
struct check_walk {
	const struct hn_mm *mm;
	uint64_t mapped;		/* present ptes of this mm but the zero page's */
	int64_t *anon;			/* per node: mapped anonymous pages */
	int64_t *isolated;		/* per node: mapped pages off the LRU */
};

static void check_pte_report(struct hn_sim *sim, const char *reason, uint64_t pfn,
			     const struct hn_mm *mm, uint64_t vpn)
{
	hn_report(sim, reason, "hn_sim_check", pfn_to_nid(sim, pfn), -1, pfn, 0,
		  "task %d maps pfn %#" PRIx64 " at %#" PRIx64, mm->task->pid, pfn,
		  vpn << sim->page_shift);
}

/*
 * One pte: present ones map the head of an allocated order-0 anonymous
 * page whose rmap names this mm and this address, with one mapping; a
 * migration entry never outlives the call that made it.
 */
static int check_pte(struct hn_sim *sim, struct check_walk *w, uint64_t pte, uint64_t vpn)
{
	uint64_t pfn = pte_pfn(pte);
	struct hn_zone *zone;
	const struct hn_page *page;
	const struct hn_page_ext *ext;
	int nid;

	if (is_migration_entry(pte)) {
		check_pte_report(sim, "migration entry left behind", pfn, w->mm, vpn);
		return 1;
	}
	if (!pte_maps_page(pte))
		return 0;
	w->mapped++;
	zone = pfn < sim->max_pfn ? hn_pfn_zone(sim, pfn) : NULL;
	page = zone ? pfn_to_page(zone->zone_pgdat, pfn) : NULL;
	if (!page || !(page->flags & PG_allocated) || folio_order(page)) {
		check_pte_report(sim, "mapped page not allocated", pfn, w->mm, vpn);
		return 1;
	}
	ext = page_ext_of(zone->zone_pgdat, pfn);
	if (!(page->flags & PG_anon) || ext->owner != w->mm->id || ext->index != vpn) {
		check_pte_report(sim, "rmap does not name its pte", pfn, w->mm, vpn);
		return 1;
	}
	if (ext->mapcount != 1 || ext->refcount < ext->mapcount + ext->pincount) {
		hn_report(sim, "bad page counts", "hn_sim_check", zone_to_nid(zone), (int)zone->idx,
			  pfn, 0, "mapcount %u, refcount %u, pincount %u", ext->mapcount,
			  ext->refcount, ext->pincount);
		return 1;
	}
	nid = zone_to_nid(zone);
	w->anon[nid]++;
	if (!(page->flags & PG_lru))
		w->isolated[nid]++;
	return 0;
}

static int check_table(struct hn_sim *sim, struct check_walk *w, const void *table,
		       unsigned int level, uint64_t base)
{
	int bad = 0;

	if (!table)
		return 0;
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t vpn = base << PT_BITS | i;

		if (level > 1)
			bad |= check_table(sim, w, ((void *const *)table)[i], level - 1, vpn);
		else
			bad |= check_pte(sim, w, ((const uint64_t *)table)[i], vpn);
	}
	return bad;
}

/*
 * hn_sim_check()'s part: VMAs sorted, page aligned, disjoint, inside the
 * address space; every pte as check_pte() wants it; rss counts the mapped
 * pages; each node's nr_anon_pages and nr_isolated_anon equal what the
 * page tables hold (isolation never outlives a call either, so the second
 * is 0 between calls).
 */
int hn_check_tasks(struct hn_sim *sim)
{
	int64_t *anon = calloc((size_t)sim->nr_node_ids, 2 * sizeof(*anon));
	int bad = 0;

	if (!anon)
		return 0;	/* no host memory for the walk: nothing is known to be wrong */
	for (struct hn_task *t = sim->tasks; t; t = t->next) {
		const struct hn_mm *mm = t->mm;
		struct check_walk w = { .mm = mm, .anon = anon, .isolated = anon + sim->nr_node_ids };

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
		if (mm->id >= sim->mm_table_size || sim->mm_table[mm->id] != mm) {
			hn_report(sim, "mm id not registered", "hn_sim_check", -1, -1, UINT64_MAX, 0,
				  "task %d, id %u", t->pid, mm->id);
			bad = 1;
		}
		bad |= check_table(sim, &w, mm->pgd, mm->levels, 0);
		if (w.mapped != mm->rss) {
			hn_report(sim, "rss mismatch", "hn_sim_check", -1, -1, UINT64_MAX, 0,
				  "task %d maps %" PRIu64 " pages, rss %" PRIu64, t->pid, w.mapped,
				  mm->rss);
			bad = 1;
		}
	}
	for (int nid = 0; nid < sim->nr_node_ids; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat)
			continue;
		if (pgdat->vm_stat[NR_ANON_MAPPED] != anon[nid] ||
		    pgdat->vm_stat[NR_ISOLATED_ANON] != anon[sim->nr_node_ids + nid]) {
			hn_report(sim, "node anon counters wrong", "hn_sim_check", nid, -1, UINT64_MAX, 0,
				  "nr_anon_pages %" PRId64 " (tables: %" PRId64 "), nr_isolated_anon %"
				  PRId64 " (tables: %" PRId64 ")", pgdat->vm_stat[NR_ANON_MAPPED],
				  anon[nid], pgdat->vm_stat[NR_ISOLATED_ANON],
				  anon[sim->nr_node_ids + nid]);
			bad = 1;
		}
	}
	free(anon);
	return bad;
}

/* ---- page contents ------------------------------------------------------------ */

struct integrity_walk {
	const struct hn_mm *mm;
	uint64_t checked, lost;
};

static void integrity_pte(struct hn_sim *sim, struct integrity_walk *w, uint64_t pte, uint64_t vpn)
{
	uint64_t pfn = pte_pfn(pte);
	const struct hn_page_data *d;
	const char *why = NULL;

	if (!pte_maps_page(pte))
		return;
	w->checked++;
	d = page_ext_of(pfn_pgdat(sim, pfn), pfn)->data;
	if (!d)
		why = "no contents";
	else if (d->owner != w->mm->id || d->index != vpn)
		why = "contents of another page";
	else if (hn_page_data_csum(sim, d) != d->csum)
		why = "checksum differs";
	if (!why)
		return;
	w->lost++;
	hn_report(sim, "page contents lost", "hn_sim_integrity", pfn_to_nid(sim, pfn), -1, pfn, 0,
		  "task %d at %#" PRIx64 ": %s", w->mm->task->pid, vpn << sim->page_shift, why);
}

static void integrity_table(struct hn_sim *sim, struct integrity_walk *w, const void *table,
			    unsigned int level, uint64_t base)
{
	if (!table)
		return;
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t vpn = base << PT_BITS | i;

		if (level > 1)
			integrity_table(sim, w, ((void *const *)table)[i], level - 1, vpn);
		else
			integrity_pte(sim, w, ((const uint64_t *)table)[i], vpn);
	}
}

int hn_sim_integrity(struct hn_sim *sim, uint64_t *checked, uint64_t *lost)
{
	uint64_t c = 0, l = 0;

	if (!sim || !checked || !lost)
		return -EINVAL;
	if (!sim->contents)
		return -EOPNOTSUPP;
	for (struct hn_task *t = sim->tasks; t; t = t->next) {
		struct integrity_walk w = { .mm = t->mm };

		if (!t->mm)
			continue;
		integrity_table(sim, &w, t->mm->pgd, t->mm->levels, 0);
		c += w.checked;
		l += w.lost;
	}
	*checked = c;
	*lost = l;
	return 0;
}
