/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * page.c - lists of pages (page.h): the array behind struct hn_folio_list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/page.h"

int hn_folio_list_reserve(struct hn_folio_list *l, uint32_t n)
{
	uint64_t *p;

	if (n <= l->cap)
		return 0;
	p = hn_sim_realloc(l->sim, l->pfn, n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	l->pfn = p;
	l->cap = n;
	return 0;
}

int hn_folio_list_add(struct hn_folio_list *l, uint64_t pfn)
{
	if (l->nr == l->cap && hn_folio_list_reserve(l, l->cap ? 2 * l->cap : 32))
		return -ENOMEM;
	l->pfn[l->nr++] = pfn;
	return 0;
}

void hn_folio_list_del(struct hn_folio_list *l, uint32_t i)
{
	memmove(&l->pfn[i], &l->pfn[i + 1], (l->nr - i - 1) * sizeof(l->pfn[0]));
	l->nr--;
}

void hn_folio_list_drop_head(struct hn_folio_list *l, uint32_t n)
{
	if (n >= l->nr) {
		l->nr = 0;
		return;
	}
	memmove(l->pfn, l->pfn + n, (l->nr - n) * sizeof(l->pfn[0]));
	l->nr -= n;
}

int hn_folio_list_splice(struct hn_folio_list *to, struct hn_folio_list *from)
{
	for (uint32_t i = 0; i < from->nr; i++) {
		int err = hn_folio_list_add(to, from->pfn[i]);

		if (err) {
			/* what moved is gone from @from: the lists stay a partition */
			memmove(from->pfn, from->pfn + i, (from->nr - i) * sizeof(from->pfn[0]));
			from->nr -= i;
			return err;
		}
	}
	from->nr = 0;
	return 0;
}

void hn_folio_list_free(struct hn_folio_list *l)
{
	free(l->pfn);
	l->pfn = NULL;
	l->nr = l->cap = 0;
}
