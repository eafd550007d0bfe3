/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * migrate.c - the migration engine (mm/migrate.c of Linux 6.12), and
 * move_pages(2).
 *
 * Map, kernel name -> here:
 *   isolate_movable_page(), putback_movable_pages()   same names, hn_
 *   folio_isolate_lru() + NR_ISOLATED_ANON            hn_folio_isolate_lru()
 *   migrate_pages()                                    hn_migrate_folios()
 *   migrate_pages_sync(), migrate_pages_batch()        same names, static
 *   migrate_folio_unmap(), migrate_folio_move()        same names, static
 *   __migrate_folio_record/extract()                   record_state(), take_state()
 *   migrate_folio_undo_src/dst(), migrate_folio_done() same names, static
 *   move_to_new_folio(), folio_migrate_mapping(),
 *   folio_migrate_flags(), folio_mc_copy()             move_to_new_folio()
 *   migrate_movable_ops_page()                         same name, static
 *   try_to_unmap_flush()                               flush_batch()
 *   alloc_migration_target()                           hn_alloc_migration_target()
 *   do_pages_move(), do_pages_stat(), store_status(),
 *   add_folio_for_migration(), do_move_pages_to_node() same names, static
 *
 * A page goes through the steps of ../shared/seeds/page-migration.rst:
 * isolated (off the LRU, a reference held), locked, unmapped behind a
 * migration entry (a page still mapped after that is not moved this
 * pass), its references checked, the bytes copied, the flags carried, the
 * migration entries replaced by ptes for the new page, the old page freed.
 * In MIGRATE_ASYNC the unmapping of a whole batch comes first and one TLB
 * flush serves them all (the kernel's batched flush since 6.4); the sync
 * modes take one page at a time after an async try, as the kernel does.
 *
 * The cost of each step goes to the caller's simulated time
 * (sim->charged_ns) and to the statistics: MIGRATE_UNMAP_NS per page
 * unmapped, a flush per batch with MIGRATE_IPI_NS per remote CPU that ran
 * one of the batch's address spaces, the copy at the slowest of one
 * core's copy rate and the two devices' bandwidths as the current CPU's
 * node reaches them (HMAT), and MIGRATE_REMAP_NS per page mapped again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/contents.h"
#include "core/page.h"
#include "migrate/migrate.h"
#include "util/util.h"
#include "zonelist/zonelist.h"

#define PAGE_WAS_MAPPED 1u	/* the state migrate_folio_unmap() records in dst */
#define STATE_SHIFT 16		/* where it lives in dst's private word */

struct migrate_pages_stats {
	unsigned int nr_succeeded;
	unsigned int nr_failed_pages;
};

/* ---- isolation ------------------------------------------------------------- */

bool hn_folio_isolate_lru(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page *page = pfn_to_page(pgdat, pfn);

	if (!(page->flags & PG_lru))
		return false;
	page->flags &= ~(uint32_t)PG_lru;
	page_ext_of(pgdat, pfn)->refcount++;
	__mod_node_page_state(pgdat, NR_ISOLATED_ANON, 1);
	return true;
}

bool hn_isolate_movable_page(struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	struct hn_page *page = pfn_to_page(pgdat, pfn);
	struct hn_page_ext *ext = page_ext_of(pgdat, pfn);
	const struct hn_movable_owner *o;

	if (!(page->flags & PG_movable))
		return false;
	ext->refcount++;		/* folio_get_nontail_page() */
	if (!folio_trylock(page))
		goto out_put;
	o = hn_movable_owner(sim, ext->owner);
	/* released by its owner meanwhile, or taken already */
	if (!o || (page->flags & PG_isolated))
		goto out_unlock;
	if (!o->ops->isolate_page(o->ctx, sim, pfn, mode))
		goto out_unlock;
	page->flags |= PG_isolated;
	folio_unlock(page);
	return true;
out_unlock:
	folio_unlock(page);
out_put:
	hn_folio_put(sim, pfn);
	return false;
}

/* putback_movable_folio() */
static void putback_movable_folio(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
	const struct hn_movable_owner *o = hn_movable_owner(sim, page_ext_of(pgdat, pfn)->owner);

	if (o)
		o->ops->putback_page(o->ctx, sim, pfn);
	pfn_to_page(pgdat, pfn)->flags &= ~(uint32_t)PG_isolated;
}

void hn_putback_movable_pages(struct hn_sim *sim, struct hn_folio_list *l)
{
	for (uint32_t i = 0; i < l->nr; i++) {
		uint64_t pfn = l->pfn[i];
		struct hn_pglist_data *pgdat = pfn_pgdat(sim, pfn);
		struct hn_page *page = pfn_to_page(pgdat, pfn);

		if (page->flags & PG_movable) {
			putback_movable_folio(sim, pfn);
		} else {
			/* folio_putback_lru() */
			__mod_node_page_state(pgdat, NR_ISOLATED_ANON, -1);
			page->flags |= PG_lru;
		}
		hn_folio_put(sim, pfn);
	}
	l->nr = 0;
}

/* ---- the cost of a migration ----------------------------------------------- */

static void charge(struct hn_sim *sim, uint64_t *bucket, uint64_t ns)
{
	*bucket += ns;
	sim->charged_ns += ns;
}

/*
 * The copy of one page from node @src to node @dst by the current CPU.
 * A call moves many pages between the same nodes: the last answer is kept.
 */
static uint64_t copy_ns(struct hn_sim *sim, int src, int dst)
{
	struct hn_migrate_state *ms = sim->migrate;
	uint64_t key = ((uint64_t)(uint32_t)sim->cur_nid << 42) ^ ((uint64_t)(uint32_t)src << 21) ^
		       (uint64_t)(uint32_t)dst;
	struct hn_access_desc r, w;
	uint64_t mbps = MIGRATE_CPU_COPY_MBPS;

	if (ms->copy_valid && ms->copy_key == key)
		return ms->copy_ns;

	if (!hn_machine_access(sim->machine, sim->cur_nid, src, &r) && r.read_bw_mbps)
		mbps = HN_MIN(mbps, r.read_bw_mbps);
	if (!hn_machine_access(sim->machine, sim->cur_nid, dst, &w)) {
		uint64_t wb = w.write_bw_mbps ? w.write_bw_mbps : w.read_bw_mbps;

		if (wb)
			mbps = HN_MIN(mbps, wb);
	}
	ms->copy_key = key;
	ms->copy_ns = sim->page_size * 1000 / mbps;
	ms->copy_valid = true;
	return ms->copy_ns;
}

/* try_to_unmap_flush(): one flush for the batch, an IPI per remote CPU. */
static void flush_batch(struct hn_sim *sim, struct hn_tlb_batch *batch)
{
	struct hn_migrate_state *ms = sim->migrate;
	uint64_t ipis = 0;

	if (!batch->pending)
		return;
	/* the CPU doing the migration flushes its own TLB without an interrupt */
	if (hn_bit_test(batch->cpus, sim->cur_cpu))
		hn_bit_clear(batch->cpus, sim->cur_cpu);
	for (unsigned int w = 0; w < ms->tlb_words; w++) {
		ipis += (uint64_t)__builtin_popcountll(batch->cpus[w]);
		batch->cpus[w] = 0;
	}
	batch->pending = false;
	ms->stats.tlb_flushes++;
	ms->stats.tlb_ipis += ipis;
	charge(sim, &ms->stats.flush_ns, MIGRATE_FLUSH_LOCAL_NS + ipis * MIGRATE_IPI_NS);
}

/* ---- one page ---------------------------------------------------------------- */

static void record_state(struct hn_sim *sim, uint64_t dst, unsigned int state)
{
	pfn_to_page(pfn_pgdat(sim, dst), dst)->private |= state << STATE_SHIFT;
}

static unsigned int take_state(struct hn_sim *sim, uint64_t dst)
{
	struct hn_page *page = pfn_to_page(pfn_pgdat(sim, dst), dst);
	unsigned int state = page->private >> STATE_SHIFT;

	page->private &= (1u << STATE_SHIFT) - 1;
	return state;
}

/* folio_put() of a page whether or not it has an owner yet. */
static void put_page(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_page *page = pfn_to_page(pfn_pgdat(sim, pfn), pfn);

	if (page->flags & (PG_anon | PG_movable))
		hn_folio_put(sim, pfn);
	else
		hn_free_pages(sim, pfn, folio_order(page));
}

static void migrate_folio_undo_src(struct hn_sim *sim, uint64_t src, bool was_mapped, bool locked,
				   struct hn_folio_list *ret)
{
	if (was_mapped) {
		hn_remove_migration_ptes(sim, src, src);
		charge(sim, &sim->migrate->stats.remap_ns, MIGRATE_REMAP_NS);
	}
	if (locked)
		folio_unlock(pfn_to_page(pfn_pgdat(sim, src), src));
	if (ret)
		hn_folio_list_add(ret, src);	/* capacity reserved up front */
}

static void migrate_folio_undo_dst(struct hn_sim *sim, uint64_t dst, bool locked,
				   hn_free_folio_t put_new, unsigned long private)
{
	if (locked)
		folio_unlock(pfn_to_page(pfn_pgdat(sim, dst), dst));
	take_state(sim, dst);
	if (put_new)
		put_new(sim, dst, private);
	else
		put_page(sim, dst);
}

/* migrate_folio_done(): the old page's isolation reference dropped; usually the last. */
static void migrate_folio_done(struct hn_sim *sim, uint64_t src, enum hn_migrate_reason reason)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, src);
	struct hn_page *page = pfn_to_page(pgdat, src);

	if (!(page->flags & PG_movable) && reason != HN_MR_DEMOTION)
		__mod_node_page_state(pgdat, NR_ISOLATED_ANON, -1);
	page->flags &= ~(uint32_t)PG_isolated;
	if (reason != HN_MR_MEMORY_FAILURE)
		hn_folio_put(sim, src);
}

/*
 * migrate_folio_unmap(): a target for @src, the page locked, its pte
 * turned into a migration entry.  MIGRATEPAGE_UNMAP: ready to move (*dstp
 * the target); MIGRATEPAGE_SUCCESS: the page was freed under us (only the
 * isolation held it); -ENOMEM: no target; -EAGAIN: try again next pass
 * (the page stays on @from); another errno: a permanent failure, the page
 * moved to @ret.
 */
static int migrate_folio_unmap(struct hn_sim *sim, hn_new_folio_t get_new, hn_free_folio_t put_new,
			       unsigned long private, uint64_t src, uint64_t *dstp,
			       enum hn_migrate_mode mode, enum hn_migrate_reason reason,
			       struct hn_folio_list *ret, struct hn_tlb_batch *batch)
{
	struct hn_pglist_data *pgdat = pfn_pgdat(sim, src);
	struct hn_page *page = pfn_to_page(pgdat, src);
	struct hn_page_ext *ext = page_ext_of(pgdat, src);
	bool is_lru = !(page->flags & PG_movable), locked = false, dst_locked = false;
	unsigned int state = 0;
	int rc = -EAGAIN;
	uint64_t dst;

	if (folio_ref_count(ext) == 1) {
		/* freed from under us: nobody but the isolation holds it */
		migrate_folio_done(sim, src, reason);
		return MIGRATEPAGE_SUCCESS;
	}
	dst = hn_should_fail(sim, HN_FAULT_MIGRATE_TARGET) ? HN_PFN_NONE : get_new(sim, src, private);
	if (dst == HN_PFN_NONE)
		return -ENOMEM;
	*dstp = dst;
	/*
	 * folio_trylock(): a lock someone else holds is never released
	 * while this call runs (one thread per instance), so even the sync
	 * modes, which would sleep on it, retry in the next pass instead.
	 */
	if (hn_should_fail(sim, HN_FAULT_MIGRATE_BUSY) || !folio_trylock(page))
		goto out;
	locked = true;
	if (!folio_trylock(pfn_to_page(pfn_pgdat(sim, dst), dst)))
		goto out;
	dst_locked = true;
	if (!is_lru) {
		record_state(sim, dst, state);
		return MIGRATEPAGE_UNMAP;
	}
	if (ext->mapcount) {
		if (hn_try_to_migrate(sim, src, mode, batch) && !ext->mapcount)
			charge(sim, &sim->migrate->stats.unmap_ns, MIGRATE_UNMAP_NS);
		state |= PAGE_WAS_MAPPED;
	}
	if (!ext->mapcount) {
		record_state(sim, dst, state);
		return MIGRATEPAGE_UNMAP;
	}
	/* still mapped (a pin kept the pte): not this pass */
out:
	if (rc == -EAGAIN)
		ret = NULL;
	migrate_folio_undo_src(sim, src, (state & PAGE_WAS_MAPPED) && !ext->mapcount, locked, ret);
	migrate_folio_undo_dst(sim, dst, dst_locked, put_new, private);
	return rc;
}

/*
 * migrate_movable_ops_page(): an owner's page moved by its owner.  If the
 * owner released the page meanwhile, there is nothing to move and the
 * migration succeeds; otherwise the owner moves its data and, on success,
 * the movable mark, the owner's reference and its cookie pass to @dst.
 */
static int migrate_movable_ops_page(struct hn_sim *sim, uint64_t dst, uint64_t src,
				    enum hn_migrate_mode mode)
{
	struct hn_pglist_data *spg = pfn_pgdat(sim, src), *dpg = pfn_pgdat(sim, dst);
	struct hn_page_ext *sext = page_ext_of(spg, src), *dext = page_ext_of(dpg, dst);
	const struct hn_movable_owner *o = hn_movable_owner(sim, sext->owner);
	int rc = MIGRATEPAGE_SUCCESS;

	if (o)
		rc = o->ops->migrate_page(o->ctx, sim, dst, src, mode);
	if (rc != MIGRATEPAGE_SUCCESS)
		return rc;
	if (o) {
		pfn_to_page(dpg, dst)->flags |= PG_movable;
		dext->owner = sext->owner;
		dext->index = sext->index;
		dext->mattr = sext->mattr;
		/* the owner's reference plus the migration's, dropped when it is done */
		dext->refcount = 2;
		sext->owner = 0;
		sext->index = 0;
		sext->refcount--;
	}
	pfn_to_page(spg, src)->flags &= ~(uint32_t)PG_isolated;
	return MIGRATEPAGE_SUCCESS;
}

/*
 * move_to_new_folio() for an anonymous page: folio_migrate_mapping()
 * (only the isolation may hold the old page now: anything more is a
 * reference we cannot wait out, -EAGAIN), then the copy, then
 * folio_migrate_flags().  The reference check comes before the copy here
 * (the kernel copies first, and throws the copy away on -EAGAIN): the
 * result is the same, without the wasted copy.
 */
static int move_to_new_folio(struct hn_sim *sim, uint64_t dst, uint64_t src)
{
	struct hn_pglist_data *spg = pfn_pgdat(sim, src), *dpg = pfn_pgdat(sim, dst);
	struct hn_page *sp = pfn_to_page(spg, src), *dp = pfn_to_page(dpg, dst);
	struct hn_page_ext *sext = page_ext_of(spg, src), *dext = page_ext_of(dpg, dst);
	struct hn_migrate_state *ms = sim->migrate;
	uint64_t ns;

	if (folio_ref_count(sext) != HN_EXPECTED_REFS_ANON ||
	    hn_should_fail(sim, HN_FAULT_MIGRATE_PINNED))
		return -EAGAIN;
	if (sext->data) {
		struct hn_page_data *d = hn_page_data_alloc(sim);

		if (!d)
			return -ENOMEM;
		hn_page_data_copy(sim, d, sext->data);
		dext->data = d;
	}
	/* the new page takes the old one's place in the anon rmap */
	dp->flags |= PG_anon | (sp->flags & PG_MIGRATE_MASK);
	dext->owner = sext->owner;
	dext->index = sext->index;
	dext->mattr = sext->mattr;
	dext->last_cpupid = sext->last_cpupid;
	dext->refcount = 1;		/* the migration's reference on the new page */
	/* folio_migrate_flags() leaves the old page without them */
	sp->flags &= ~(uint32_t)PG_MIGRATE_MASK;
	ns = copy_ns(sim, zone_to_nid(hn_pfn_zone(sim, src)), zone_to_nid(hn_pfn_zone(sim, dst)));
	charge(sim, &ms->stats.copy_ns, ns);
	ms->stats.bytes_copied += sim->page_size;
	{
		int s = spg->node_id, d = dpg->node_id;
		size_t i = (size_t)s * (size_t)sim->nr_node_ids + (size_t)d;

		ms->pair_pages[i]++;
		ms->pair_ns[i] += ns;
	}
	return MIGRATEPAGE_SUCCESS;
}

/*
 * migrate_folio_move(): the move itself.  -EAGAIN leaves both pages where
 * they are for the next pass; any other failure undoes the unmapping and
 * puts the old page on @ret.
 */
static int migrate_folio_move(struct hn_sim *sim, hn_free_folio_t put_new, unsigned long private,
			      uint64_t src, uint64_t dst, enum hn_migrate_mode mode,
			      enum hn_migrate_reason reason, struct hn_folio_list *ret)
{
	struct hn_page *sp = pfn_to_page(pfn_pgdat(sim, src), src);
	unsigned int state = take_state(sim, dst);
	int rc;

	if (sp->flags & PG_movable) {
		rc = migrate_movable_ops_page(sim, dst, src, mode);
		if (rc)
			goto out;
		goto out_unlock_both;
	}
	rc = move_to_new_folio(sim, dst, src);
	if (rc)
		goto out;
	/* folio_add_lru(dst), then the ptes back, now for the new page */
	pfn_to_page(pfn_pgdat(sim, dst), dst)->flags |= PG_lru;
	if (state & PAGE_WAS_MAPPED) {
		hn_remove_migration_ptes(sim, src, dst);
		charge(sim, &sim->migrate->stats.remap_ns, MIGRATE_REMAP_NS);
	}
out_unlock_both:
	folio_unlock(pfn_to_page(pfn_pgdat(sim, dst), dst));
	put_page(sim, dst);		/* the migration's reference; the mapping keeps it */
	folio_unlock(sp);
	migrate_folio_done(sim, src, reason);
	return MIGRATEPAGE_SUCCESS;
out:
	if (rc == -EAGAIN) {
		record_state(sim, dst, state);
		return rc;
	}
	migrate_folio_undo_src(sim, src, state & PAGE_WAS_MAPPED, true, ret);
	migrate_folio_undo_dst(sim, dst, true, put_new, private);
	return rc;
}

/* ---- batches and passes ------------------------------------------------------ */

/*
 * migrate_pages_batch(): unmap every page of @from it can (up to @nr_pass
 * passes for the ones that say -EAGAIN), flush the TLBs once, then move
 * the unmapped ones (again up to @nr_pass passes).  Returns the pages not
 * moved, or -ENOMEM (a target could not be had: what was unmapped is still
 * moved, the rest left).  Pages that failed for good are on @ret; those
 * still to retry stay on @from.
 */
static int migrate_pages_batch(struct hn_sim *sim, struct hn_folio_list *from,
			       hn_new_folio_t get_new, hn_free_folio_t put_new,
			       unsigned long private, enum hn_migrate_mode mode,
			       enum hn_migrate_reason reason, struct hn_folio_list *ret,
			       struct migrate_pages_stats *stats, int nr_pass)
{
	struct hn_folio_list unmap, dsts;
	struct hn_tlb_batch batch = { .cpus = sim->migrate->tlb_cpus };
	int retry = 1, nr_failed = 0, nr_retry_pages = 0, rc, rc_saved = 0;

	hn_folio_list_init(&unmap, sim);
	hn_folio_list_init(&dsts, sim);
	if (hn_folio_list_reserve(&unmap, from->nr) || hn_folio_list_reserve(&dsts, from->nr)) {
		hn_folio_list_free(&unmap);
		hn_folio_list_free(&dsts);
		return -ENOMEM;
	}
	/*
	 * Each pass keeps the pages that said -EAGAIN at the front of @from, in
	 * order (@keep of them), and drops the rest: one pass over the list
	 * instead of a deletion per page.
	 */
	for (int pass = 0; pass < nr_pass && retry; pass++) {
		uint32_t keep = 0, i;

		retry = 0;
		nr_retry_pages = 0;
		for (i = 0; i < from->nr; i++) {
			uint64_t src = from->pfn[i], dst = HN_PFN_NONE;

			rc = migrate_folio_unmap(sim, get_new, put_new, private, src, &dst, mode, reason,
						 ret, &batch);
			switch (rc) {
			case -ENOMEM:
				/* low on memory: move what is unmapped, leave the rest */
				nr_failed++;
				stats->nr_failed_pages += 1 + (unsigned int)nr_retry_pages;
				rc_saved = rc;
				while (i < from->nr)
					from->pfn[keep++] = from->pfn[i++];
				from->nr = keep;
				if (hn_folio_list_empty(&unmap))
					goto out;
				goto move;
			case -EAGAIN:
				retry++;
				nr_retry_pages++;
				from->pfn[keep++] = src;
				break;
			case MIGRATEPAGE_SUCCESS:
				stats->nr_succeeded++;
				break;
			case MIGRATEPAGE_UNMAP:
				/* room reserved above */
				hn_folio_list_add(&unmap, src);
				hn_folio_list_add(&dsts, dst);
				break;
			default:
				nr_failed++;
				stats->nr_failed_pages++;
				break;
			}
		}
		from->nr = keep;
	}
	nr_failed += retry;
	stats->nr_failed_pages += (unsigned int)nr_retry_pages;
move:
	flush_batch(sim, &batch);
	retry = 1;
	for (int pass = 0; pass < nr_pass && retry; pass++) {
		retry = 0;
		nr_retry_pages = 0;
		uint32_t keep = 0;

		for (uint32_t i = 0; i < unmap.nr; i++) {
			rc = migrate_folio_move(sim, put_new, private, unmap.pfn[i], dsts.pfn[i], mode,
						reason, ret);
			if (rc == -EAGAIN) {
				retry++;
				nr_retry_pages++;
				unmap.pfn[keep] = unmap.pfn[i];
				dsts.pfn[keep++] = dsts.pfn[i];
			} else if (rc == MIGRATEPAGE_SUCCESS) {
				stats->nr_succeeded++;
			} else {
				nr_failed++;
				stats->nr_failed_pages++;
			}
		}
		unmap.nr = dsts.nr = keep;
	}
	nr_failed += retry;
	stats->nr_failed_pages += (unsigned int)nr_retry_pages;
	rc = rc_saved ? rc_saved : nr_failed;
out:
	/* pages unmapped but never moved: map them back, give the targets back */
	for (uint32_t i = 0; i < unmap.nr; i++) {
		unsigned int state = take_state(sim, dsts.pfn[i]);

		migrate_folio_undo_src(sim, unmap.pfn[i], state & PAGE_WAS_MAPPED, true, ret);
		migrate_folio_undo_dst(sim, dsts.pfn[i], true, put_new, private);
	}
	hn_folio_list_free(&unmap);
	hn_folio_list_free(&dsts);
	return rc;
}

/*
 * migrate_pages_sync(): the batch once in MIGRATE_ASYNC (cheap, and the
 * TLB flush batched), then what failed one page at a time in @mode.
 */
static int migrate_pages_sync(struct hn_sim *sim, struct hn_folio_list *from,
			      hn_new_folio_t get_new, hn_free_folio_t put_new, unsigned long private,
			      enum hn_migrate_mode mode, enum hn_migrate_reason reason,
			      struct hn_folio_list *ret, struct migrate_pages_stats *stats)
{
	struct hn_folio_list failed, one;
	struct migrate_pages_stats astats = { 0 };
	int rc, nr_failed = 0;

	hn_folio_list_init(&failed, sim);
	if (hn_folio_list_reserve(&failed, from->nr))
		return -ENOMEM;
	rc = migrate_pages_batch(sim, from, get_new, put_new, private, HN_MIGRATE_ASYNC, reason,
				 &failed, &astats, NR_MAX_MIGRATE_ASYNC_RETRY);
	stats->nr_succeeded += astats.nr_succeeded;
	if (rc < 0) {
		stats->nr_failed_pages += astats.nr_failed_pages;
		hn_folio_list_splice(ret, &failed);
		hn_folio_list_splice(ret, from);
		hn_folio_list_free(&failed);
		return rc;
	}
	/* every failure is retried below, so none is counted yet */
	hn_folio_list_splice(from, &failed);
	hn_folio_list_free(&failed);
	hn_folio_list_init(&one, sim);
	if (hn_folio_list_reserve(&one, 1))
		return -ENOMEM;
	for (uint32_t i = 0; i < from->nr; i++) {
		one.pfn[0] = from->pfn[i];
		one.nr = 1;
		rc = migrate_pages_batch(sim, &one, get_new, put_new, private, mode, reason, ret,
					 stats, NR_MAX_MIGRATE_SYNC_RETRY);
		hn_folio_list_splice(ret, &one);
		if (rc < 0) {
			hn_folio_list_drop_head(from, i + 1);
			hn_folio_list_free(&one);
			return rc;
		}
		nr_failed += rc;
	}
	from->nr = 0;
	hn_folio_list_free(&one);
	return nr_failed;
}

int hn_migrate_folios(struct hn_sim *sim, struct hn_folio_list *from, hn_new_folio_t get_new,
		      hn_free_folio_t put_new, unsigned long private, enum hn_migrate_mode mode,
		      enum hn_migrate_reason reason, unsigned int *nr_succeeded)
{
	struct migrate_pages_stats stats = { 0 };
	struct hn_folio_list ret, batch;
	struct hn_migrate_state *ms = sim->migrate;
	uint32_t max_batch = (uint32_t)HN_MAX(sim->pageblock_nr_pages, 1), head = 0;
	bool own_spares;
	int rc, rc_gather = 0;

	if (hn_tracing(sim)) {
		struct hn_trace_event ev = {
			.id = HN_TRACE_MM_MIGRATE_PAGES_START,
			.mode = (int)mode,
			.reason = (int)reason,
		};

		hn_trace_emit(sim, &ev);
	}
	own_spares = !ms->spare_busy;
	if (own_spares) {
		ret = ms->spare_ret;
		batch = ms->spare_batch;
		ret.nr = batch.nr = 0;
		ms->spare_busy = true;
	} else {
		hn_folio_list_init(&ret, sim);
		hn_folio_list_init(&batch, sim);
	}
	/* every page may end on ret: room for all now, so no failure can lose one */
	if (hn_folio_list_reserve(&ret, from->nr) || hn_folio_list_reserve(&batch, max_batch)) {
		rc_gather = -ENOMEM;
		goto out;
	}
	ms->stats.calls++;
	/* @from holds the pages not tried yet from @head on; the rest are done */
	while (head < from->nr) {
		/* NR_MAX_BATCHED_MIGRATION pages at a time (a PMD's worth) */
		uint32_t n = HN_MIN(from->nr - head, max_batch);

		memcpy(batch.pfn, from->pfn + head, n * sizeof(uint64_t));
		batch.nr = n;
		head += n;
		if (mode == HN_MIGRATE_ASYNC)
			rc = migrate_pages_batch(sim, &batch, get_new, put_new, private, mode, reason,
						 &ret, &stats, NR_MAX_MIGRATE_PAGES_RETRY);
		else
			rc = migrate_pages_sync(sim, &batch, get_new, put_new, private, mode, reason,
						&ret, &stats);
		hn_folio_list_splice(&ret, &batch);
		if (rc < 0) {
			rc_gather = rc;
			break;
		}
		rc_gather += rc;
	}
	hn_folio_list_drop_head(from, head);
out:
	/* the pages not moved go back on @from for the caller to put back */
	hn_folio_list_splice(&ret, from);
	hn_folio_list_splice(from, &ret);
	if (!from->nr)
		rc_gather = 0;
	__count_vm_events(sim, PGMIGRATE_SUCCESS, stats.nr_succeeded);
	__count_vm_events(sim, PGMIGRATE_FAIL, stats.nr_failed_pages);
	ms->stats.succeeded += stats.nr_succeeded;
	ms->stats.failed += stats.nr_failed_pages;
	if (hn_tracing(sim)) {
		struct hn_trace_event ev = {
			.id = HN_TRACE_MM_MIGRATE_PAGES,
			.nr_succeeded = stats.nr_succeeded,
			.nr_failed = stats.nr_failed_pages,
			.mode = (int)mode,
			.reason = (int)reason,
		};

		hn_trace_emit(sim, &ev);
	}
	if (nr_succeeded)
		*nr_succeeded = stats.nr_succeeded;
	if (own_spares) {
		ms->spare_ret = ret;
		ms->spare_batch = batch;
		ms->spare_busy = false;
	} else {
		hn_folio_list_free(&ret);
		hn_folio_list_free(&batch);
	}
	return rc_gather;
}

/* ---- targets -------------------------------------------------------------------- */

/*
 * The attribute word a page's new home must have: that of the attribute
 * node it lives on, or 0 on plain memory (see hn_alloc_migration_target()).
 */
static hn_mattr_t home_mattr(const struct hn_sim *sim, uint64_t pfn)
{
	const struct hn_zone *zone = hn_pfn_zone(sim, pfn);

	return zone && zone->parent ? attr_zone_of_zone(zone)->node.mattr : 0;
}

/*
 * alloc_migration_target(): a page on mtc->nid (NUMA_NO_NODE: the old
 * page's node), within mtc->nmask, with mtc->gfp_mask; a page from
 * ZONE_MOVABLE may go to any zone a movable request reaches.  Hierarchical
 * NUMA: the request carries mtc->mattr, or the word of the attribute node
 * the old page lives on, without __GFP_MATTR_FALLBACK: a page in
 * attributed memory moves to attributed memory (exact, else the closest
 * the instance's strategy finds), never silently to plain memory.
 */
uint64_t hn_alloc_migration_target(struct hn_sim *sim, uint64_t src, unsigned long private)
{
	const struct migration_target_control *mtc = (const struct migration_target_control *)private;
	const struct hn_zone *zone = hn_pfn_zone(sim, src);
	hn_gfp_t gfp = mtc->gfp_mask;
	hn_mattr_t want = mtc->mattr ? mtc->mattr : home_mattr(sim, src);
	int nid = mtc->nid == HN_NUMA_NO_NODE ? zone_to_nid(zone) : mtc->nid;
	uint64_t pfn;

	if (zone->idx == HN_ZONE_MOVABLE || (zone->parent && zone->parent->idx == HN_ZONE_MOVABLE))
		gfp |= __GFP_HIGHMEM;
	if (want && sim->hnuma)
		gfp = (gfp & ~(__GFP_MATTR_MASK | __GFP_MATTR_FALLBACK)) |
		      (hn_gfp_t)want << HN_GFP_MATTR_SHIFT;
	if (hn_alloc_pages(sim, gfp, folio_order(hn_folio(sim, src)), nid, mtc->nmask, &pfn))
		return HN_PFN_NONE;
	return pfn;
}

/* ---- move_pages(2) ---------------------------------------------------------------- */

/* do_move_pages_to_node(): migrate what is queued, to @node. */
static int do_move_pages_to_node(struct hn_sim *sim, struct hn_folio_list *list, int node)
{
	struct migration_target_control mtc = {
		.nid = node,
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE,
		.reason = HN_MR_SYSCALL,
	};
	int err = hn_migrate_folios(sim, list, hn_alloc_migration_target, NULL,
				    (unsigned long)&mtc, HN_MIGRATE_SYNC, HN_MR_SYSCALL, NULL);

	if (list->nr)
		hn_putback_movable_pages(sim, list);
	return err;
}

/*
 * add_folio_for_migration(): the page at @addr queued for @node.  1:
 * queued; 0: already there; -EFAULT: no mapping, or the zero page;
 * -ENOENT: never touched; -EBUSY: cannot be isolated now.
 */
static int add_folio_for_migration(struct hn_task *t, uint64_t addr, int node,
				   struct hn_folio_list *list)
{
	uint64_t pfn;
	unsigned int flags;
	int err = hn_task_pte(t, addr, &pfn, &flags);

	if (err)
		return err;
	if (flags & HN_PTE_MIGRATION)
		return -EBUSY;
	if (flags & HN_PTE_ZERO)
		return -EFAULT;
	if (pfn_to_nid(t->sim, pfn) == node)
		return 0;
	if (hn_folio_list_add(list, pfn))
		return -ENOMEM;
	if (!hn_folio_isolate_lru(t->sim, pfn)) {
		list->nr--;
		return -EBUSY;
	}
	return 1;
}

static void store_status(int *status, unsigned long start, int value, unsigned long nr)
{
	while (nr--)
		status[start++] = value;
}

/*
 * move_pages_and_store_status(): the queue migrated to @node and the
 * status of pages [start, i) set to it, or the count of pages not moved
 * (those and all not yet looked at) when a migration failed.
 */
static long move_pages_and_store_status(struct hn_sim *sim, int node, struct hn_folio_list *list,
					int *status, unsigned long start, unsigned long i,
					unsigned long nr_pages)
{
	int err;

	if (!list->nr)
		return 0;
	err = do_move_pages_to_node(sim, list, node);
	if (err) {
		if (err > 0)
			return err + (long)(nr_pages - i);
		return err;
	}
	store_status(status, start, node, i - start);
	return 0;
}

static long do_pages_move(struct hn_task *t, const struct hn_nodemask *task_nodes,
			  unsigned long nr_pages, const uint64_t *pages, const int *nodes,
			  int *status)
{
	struct hn_sim *sim = t->sim;
	struct hn_folio_list list;
	int current_node = HN_NUMA_NO_NODE;
	unsigned long start = 0, i;
	long err = 0, err1;

	hn_folio_list_init(&list, sim);
	for (i = 0; i < nr_pages; i++) {
		int node = nodes[i];

		err = -ENODEV;
		if (node < 0 || node >= sim->nr_node_ids ||
		    !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)node))
			goto out_flush;
		err = -EACCES;
		if (!hn_nodemask_test(task_nodes, node))
			goto out_flush;
		if (current_node == HN_NUMA_NO_NODE) {
			current_node = node;
			start = i;
		} else if (node != current_node) {
			err = move_pages_and_store_status(sim, current_node, &list, status, start, i,
							  nr_pages);
			if (err)
				goto out;
			start = i;
			current_node = node;
		}
		/* lookup and isolation errors are not fatal: they go to status */
		err = add_folio_for_migration(t, pages[i], current_node, &list);
		if (err > 0)
			continue;
		if (err == -ENOMEM)
			goto out_flush;
		status[i] = err ? (int)err : current_node;
		err = move_pages_and_store_status(sim, current_node, &list, status, start, i,
						  nr_pages);
		if (err) {
			/* page i is accounted for already */
			if (err > 0)
				err--;
			goto out;
		}
		current_node = HN_NUMA_NO_NODE;
	}
out_flush:
	/* without overwriting an error of the loop */
	err1 = move_pages_and_store_status(sim, current_node, &list, status, start, i, nr_pages);
	if (err >= 0)
		err = err1;
out:
	if (list.nr)
		hn_putback_movable_pages(sim, &list);
	hn_folio_list_free(&list);
	return err;
}

/* do_pages_stat_array(): where each page is, or why it is nowhere. */
static void do_pages_stat(struct hn_task *t, unsigned long nr_pages, const uint64_t *pages,
			  int *status)
{
	for (unsigned long i = 0; i < nr_pages; i++) {
		uint64_t pfn;
		unsigned int flags;
		int err = hn_task_pte(t, pages[i], &pfn, &flags);

		if (!err)
			err = (flags & HN_PTE_ZERO) ? -EFAULT : pfn_to_nid(t->sim, pfn);
		status[i] = err;
	}
}

int hn_move_pages(struct hn_task *t, unsigned long count, const uint64_t *pages, const int *nodes,
		  int *status, int flags)
{
	struct hn_nodemask task_nodes;
	long err;

	if (!t || (!status && count) || (!pages && count) ||
	    (flags & ~(HN_MPOL_MF_MOVE | HN_MPOL_MF_MOVE_ALL)))
		return -EINVAL;
	if (!t->sim->booted)
		return -EAGAIN;
	if (!nodes) {
		do_pages_stat(t, count, pages, status);
		return 0;
	}
	task_nodes = t->mems_allowed;
	err = do_pages_move(t, &task_nodes, count, pages, nodes, status);
	if (hn_debug_check_migrate(t->sim))
		return -EUCLEAN;
	if (err > INT32_MAX)
		return INT32_MAX;
	return (int)err;
}

/* ---- checks and statistics -------------------------------------------------------- */

int hn_debug_check_migrate(struct hn_sim *sim)
{
	int bad;

	if (!HN_DEBUG_VM_ENABLED)
		return 0;
	bad = hn_debug_check(sim, NULL) != 0;
	bad |= hn_check_tasks(sim);
	bad |= hn_check_migrate(sim);
	return bad ? -EUCLEAN : 0;
}

int hn_check_migrate(struct hn_sim *sim)
{
	const struct hn_migrate_state *ms = sim->migrate;
	int bad = 0;

	if (!ms)
		return 0;
	if (ms->stats.succeeded != sim->vm_events[PGMIGRATE_SUCCESS] ||
	    ms->stats.failed != sim->vm_events[PGMIGRATE_FAIL]) {
		hn_report(sim, "migration statistics disagree", "hn_sim_check", -1, -1, UINT64_MAX, 0,
			  "succeeded %" PRIu64 " failed %" PRIu64 ", pgmigrate_success %" PRIu64
			  " pgmigrate_fail %" PRIu64, ms->stats.succeeded, ms->stats.failed,
			  sim->vm_events[PGMIGRATE_SUCCESS], sim->vm_events[PGMIGRATE_FAIL]);
		bad = 1;
	}
	return bad;
}

int hn_sim_migration_stats(const struct hn_sim *sim, struct hn_migration_stats *out)
{
	if (!sim || !out)
		return -EINVAL;
	*out = sim->migrate ? sim->migrate->stats : (struct hn_migration_stats){ 0 };
	return 0;
}

int hn_sim_migration_pair(const struct hn_sim *sim, int src, int dst, uint64_t *pages,
			  uint64_t *ns)
{
	size_t i;

	if (!sim || !pages || !ns || src < 0 || dst < 0 || src >= sim->nr_node_ids ||
	    dst >= sim->nr_node_ids)
		return -EINVAL;
	if (!sim->migrate) {
		*pages = *ns = 0;
		return 0;
	}
	i = (size_t)src * (size_t)sim->nr_node_ids + (size_t)dst;
	*pages = sim->migrate->pair_pages[i];
	*ns = sim->migrate->pair_ns[i];
	return 0;
}
