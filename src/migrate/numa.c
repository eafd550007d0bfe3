/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numa.c - libnuma's migration calls over a simulated task:
 * numa_move_pages() is move_pages(2) as it stands, numa_migrate_pages() is
 * migrate_pages(2) with the two bitmasks passed as the kernel's node masks.
 */
#include <errno.h>

#include <hnuma/migrate.h>
#include <hnuma/numa.h>

#define BITS_PER_UL (8 * sizeof(unsigned long))
#define WORDS (HN_MAX_NUMNODES / BITS_PER_UL)

int hn_numa_move_pages(struct hn_task *t, unsigned long count, const uint64_t *pages,
		       const int *nodes, int *status, int flags)
{
	return hn_move_pages(t, count, pages, nodes, status, flags);
}

/* The bits of @b a node id can name, in the kernel's unsigned long words. */
static int bitmask_words(const struct hn_bitmask *b, unsigned long *words)
{
	for (unsigned long i = 0; i < WORDS; i++)
		words[i] = 0;
	for (unsigned int n = 0; n < b->size; n++) {
		if (!hn_bitmask_isbitset(b, n))
			continue;
		/* libnuma hands the kernel the whole mask: a bit past the node ids is refused there */
		if (n >= HN_MAX_NUMNODES)
			return -EINVAL;
		words[n / BITS_PER_UL] |= 1UL << (n % BITS_PER_UL);
	}
	return 0;
}

int hn_numa_migrate_pages(struct hn_task *t, const struct hn_bitmask *from,
			  const struct hn_bitmask *to)
{
	unsigned long old_nodes[WORDS], new_nodes[WORDS];

	if (!t || !from || !to || bitmask_words(from, old_nodes) || bitmask_words(to, new_nodes))
		return -EINVAL;
	return hn_migrate_pages(t, HN_MAX_NUMNODES + 1, old_nodes, new_nodes);
}
