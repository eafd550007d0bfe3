/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rmap.c - from a page to the pte that maps it, and what migration does
 * there (mm/rmap.c, mm/migrate.c's remove_migration_pte(),
 * mm/mmu_notifier.c).
 *
 * Map:
 *   folio_add_new_anon_rmap(), folio_add_lru()  hn_page_add_new_anon_rmap()
 *   folio_remove_rmap_pte() + folio_put()       hn_page_remove_rmap()
 *   page_vma_mapped_walk()                      page_pte()
 *   try_to_migrate(), try_to_migrate_one()      hn_try_to_migrate()
 *   remove_migration_ptes(), _pte()             hn_remove_migration_ptes()
 *   mmu_notifier_register(), _invalidate_range_start/end(), _release()
 *                                               same names, hn_ in front
 *
 * A page has one mapper (mm.h), so the kernel's anon_vma walk over every
 * VMA that may map the page becomes one lookup: the mm the rmap names, the
 * pte at the virtual page it names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/page.h"
#include "mempolicy/mm.h"
#include "mempolicy/mpol.h"
#include "zonelist/zonelist.h"

void hn_page_add_new_anon_rmap(struct hn_sim *sim, struct hn_mm *mm, uint64_t pfn, uint64_t vpn,
			       hn_mattr_t mattr)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);

	pfn_to_page(pgdat, pfn)->flags |= PG_anon | PG_lru;
	ext->owner = mm->id;
	ext->index = vpn;
	ext->mattr = mattr;
	ext->refcount = 1;		/* the allocation's reference, now the mapping's */
	ext->mapcount = 1;
	__mod_node_page_state(pgdat, NR_ANON_MAPPED, 1);
}

void hn_page_remove_rmap(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);

	ext->mapcount--;
	__mod_node_page_state(pgdat, NR_ANON_MAPPED, -1);
	hn_folio_put(sim, pfn);
}

/*
 * page_vma_mapped_walk(): the pte at the page's rmap, whatever it holds
 * now, and its mm; NULL when the rmap names no address space or no table.
 */
static uint64_t *page_pte(struct hn_sim *sim, const struct hn_page_ext *ext, struct hn_mm **mmp)
{
	struct hn_mm *mm = hn_mm_by_id(sim, ext->owner);

	*mmp = mm;
	return mm ? hn_pte_of(mm, sim, ext->index, false) : NULL;
}

bool hn_try_to_migrate(struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode,
		       struct hn_tlb_batch *batch)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page *page = pfn_to_page(pgdat, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);
	uint64_t start, *pte;
	struct hn_mm *mm;

	if (!ext->mapcount)
		return true;
	pte = page_pte(sim, ext, &mm);
	if (!pte || !pte_present(*pte) || pte_pfn(*pte) != pfn)
		return false;	/* the rmap points nowhere: hn_sim_check() names it */
	/*
	 * folio_try_share_anon_rmap_pte() refuses a page that may be pinned
	 * for DMA: it stays mapped, so this pass cannot move it.
	 */
	if (folio_maybe_dma_pinned(ext))
		return false;
	start = ext->index << sim->page_shift;
	hn_mmu_notifier_invalidate_range_start(mm, start, start + sim->page_size,
					       HN_MMU_NOTIFY_MIGRATE, true);
	if (*pte & HN_PTE_DIRTY)
		page->flags |= PG_dirty;
	/* make_migration_entry(), keeping young and dirty for the new pte */
	*pte = (*pte & ~(uint64_t)HN_PTE_PRESENT) | HN_PTE_MIGRATION;
	ext->mapcount--;
	ext->refcount--;
	__mod_node_page_state(pgdat, NR_ANON_MAPPED, -1);
	hn_bit_set(batch->cpus, mm->task->cpu);
	batch->pending = true;
	hn_mmu_notifier_invalidate_range_end(mm, start, start + sim->page_size,
					     HN_MMU_NOTIFY_MIGRATE);
	return true;
}

void hn_remove_migration_ptes(struct hn_sim *sim, uint64_t src, uint64_t dst)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, dst);
	struct hn_page_ext *ext = page_ext_of(pgdat, dst);
	uint64_t *pte;
	struct hn_mm *mm;

	/* the new page carries the old one's rmap (folio_migrate_mapping()) */
	pte = page_pte(sim, ext, &mm);
	if (!pte || !is_migration_entry(*pte) || pte_pfn(*pte) != src)
		return;		/* unmapped meanwhile: nothing to map again */
	*pte = dst << PTE_SHIFT | (*pte & (HN_PTE_YOUNG | HN_PTE_DIRTY)) | HN_PTE_PRESENT;
	ext->mapcount++;
	ext->refcount++;
	__mod_node_page_state(pgdat, NR_ANON_MAPPED, 1);
}

/* ---- mmu notifiers ------------------------------------------------------- */

int hn_mmu_notifier_invalidate_range_start(struct hn_mm *mm, uint64_t start, uint64_t end,
					   enum hn_mmu_notifier_event event, bool blockable)
{
	for (unsigned int i = 0; i < mm->nr_subs; i++) {
		const struct hn_mmu_subscription *s = &mm->subs[i];
		int ret;

		if (!s->ops->invalidate_range_start)
			continue;
		ret = s->ops->invalidate_range_start(s->ctx, mm->task, start, end, event, blockable);
		/* a refusal counts only where the caller may be refused */
		if (ret && !blockable) {
			/* the ones that said yes hear the end, as the kernel does */
			for (unsigned int j = 0; j < i; j++)
				if (mm->subs[j].ops->invalidate_range_end)
					mm->subs[j].ops->invalidate_range_end(mm->subs[j].ctx, mm->task,
									      start, end, event);
			return -EAGAIN;
		}
	}
	return 0;
}

void hn_mmu_notifier_invalidate_range_end(struct hn_mm *mm, uint64_t start, uint64_t end,
					  enum hn_mmu_notifier_event event)
{
	for (unsigned int i = 0; i < mm->nr_subs; i++)
		if (mm->subs[i].ops->invalidate_range_end)
			mm->subs[i].ops->invalidate_range_end(mm->subs[i].ctx, mm->task, start, end,
							      event);
}

void hn_mmu_notifier_release(struct hn_mm *mm)
{
	for (unsigned int i = 0; i < mm->nr_subs; i++)
		if (mm->subs[i].ops->release)
			mm->subs[i].ops->release(mm->subs[i].ctx, mm->task);
}

int hn_mmu_notifier_register(struct hn_task *t, const struct hn_mmu_notifier_ops *ops, void *ctx)
{
	struct hn_mmu_subscription *n;
	struct hn_mm *mm;

	if (!t || !ops)
		return -EINVAL;
	mm = hn_task_get_mm(t);
	if (!mm)
		return -ENOMEM;
	for (unsigned int i = 0; i < mm->nr_subs; i++)
		if (mm->subs[i].ops == ops && mm->subs[i].ctx == ctx)
			return -EEXIST;
	n = hn_sim_realloc(t->sim, mm->subs, (mm->nr_subs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	mm->subs = n;
	mm->subs[mm->nr_subs++] = (struct hn_mmu_subscription){ .ops = ops, .ctx = ctx };
	return 0;
}

int hn_mmu_notifier_unregister(struct hn_task *t, const struct hn_mmu_notifier_ops *ops,
			       void *ctx)
{
	struct hn_mm *mm;

	if (!t || !ops)
		return -EINVAL;
	mm = t->mm;
	for (unsigned int i = 0; mm && i < mm->nr_subs; i++) {
		if (mm->subs[i].ops != ops || mm->subs[i].ctx != ctx)
			continue;
		memmove(&mm->subs[i], &mm->subs[i + 1], (mm->nr_subs - i - 1) * sizeof(mm->subs[0]));
		mm->nr_subs--;
		return 0;
	}
	return -ENOENT;
}
