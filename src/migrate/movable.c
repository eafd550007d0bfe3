/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * movable.c - owners of non-LRU movable pages (6.12's struct
 * movable_operations, __SetPageMovable(), __ClearPageMovable(),
 * PageMovable(); ../shared/seeds/page-migration.rst describes the older
 * address_space form of the same idea).
 *
 * An owner registers its operations once and gets an id; a page it marks
 * movable carries PG_movable (the kernel's PAGE_MAPPING_MOVABLE bit, the
 * cheap __PageMovable() test) and the owner's id in page_ext->owner (the
 * kernel's mapping pointer, what PageMovable() checks under the page
 * lock).  When the owner lets a page go while migration holds it, the id
 * goes to 0 and PG_movable stays until the page is freed, as the kernel's
 * __ClearPageMovable() keeps the type bit.
 */
#include <errno.h>

#include "migrate/migrate.h"
#include "zonelist/zonelist.h"

const struct hn_movable_owner *hn_movable_owner(const struct hn_sim *sim, uint32_t id)
{
	const struct hn_migrate_state *ms = sim->migrate;

	return ms && id && id <= ms->nr_owners ? &ms->owners[id - 1] : NULL;
}

int hn_movable_register(struct hn_sim *sim, const struct hn_movable_operations *ops, void *ctx,
			unsigned int *owner)
{
	struct hn_migrate_state *ms;
	struct hn_movable_owner *n;

	if (!sim || !ops || !owner || !ops->isolate_page || !ops->migrate_page || !ops->putback_page)
		return -EINVAL;
	ms = sim->migrate;
	if (!ms)
		return -EAGAIN;
	n = hn_sim_realloc(sim, ms->owners, (ms->nr_owners + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ms->owners = n;
	n[ms->nr_owners] = (struct hn_movable_owner){ .ops = ops, .ctx = ctx };
	*owner = ++ms->nr_owners;
	return 0;
}

int hn_set_page_movable(struct hn_sim *sim, uint64_t pfn, unsigned int owner, uint64_t cookie)
{
	struct hn_page *page;
	struct hn_page_ext *ext;

	if (!sim || !hn_movable_owner(sim, owner))
		return -EINVAL;
	page = hn_folio(sim, pfn);
	if (!page || folio_order(page) || (page->flags & PG_anon))
		return -EINVAL;
	if (page->flags & PG_movable)
		return -EBUSY;
	ext = page_ext_of(pfn_pgdat(sim, pfn), pfn);
	page->flags |= PG_movable;
	ext->owner = owner;
	ext->index = cookie;
	ext->refcount = 1;	/* the owner's: the allocation's reference, made explicit */
	return 0;
}

int hn_put_movable_page(struct hn_sim *sim, uint64_t pfn)
{
	struct hn_page *page;
	struct hn_page_ext *ext;

	if (!sim)
		return -EINVAL;
	page = hn_folio(sim, pfn);
	if (!page || !(page->flags & PG_movable))
		return -EINVAL;
	ext = page_ext_of(pfn_pgdat(sim, pfn), pfn);
	if (!ext->owner)
		return -EINVAL;
	ext->owner = 0;
	ext->index = 0;
	hn_folio_put(sim, pfn);
	return 0;
}

int hn_page_movable(const struct hn_sim *sim, uint64_t pfn, unsigned int *owner, uint64_t *cookie)
{
	const struct hn_page *page;
	const struct hn_page_ext *ext;

	if (!sim || !owner || !cookie)
		return -EINVAL;
	page = hn_folio(sim, pfn);
	if (!page || !(page->flags & PG_movable))
		return -ENOENT;
	ext = page_ext_of(pfn_pgdat(sim, pfn), pfn);
	if (!ext->owner)
		return -ENOENT;
	*owner = ext->owner;
	*cookie = ext->index;
	return 0;
}
