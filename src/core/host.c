/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host.c - host memory for big, sparsely touched tables.
 *
 * A node's mem_map is 16 bytes per simulated page, mostly never written: an
 * anonymous private mapping gives zero pages on demand, so host memory grows
 * with the pages the simulation touches, not with the simulated size.
 * MAP_NORESERVE keeps a 4 TiB machine's 16 GiB of address space from being
 * refused by overcommit accounting.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "core/mmzone.h"

void *hn_host_map_zeroed(size_t bytes)
{
	void *p;

	if (!bytes)
		return NULL;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void hn_host_unmap(void *p, size_t bytes)
{
	if (p && bytes)
		munmap(p, bytes);
}

/*
 * The same, for tables the simulation fills as it goes (page contents):
 * transparent huge pages are asked for, where the host has them, so that
 * filling the table costs one host fault per 2 MiB rather than per 4 KiB.
 */
void *hn_host_map_huge(size_t bytes)
{
	void *p = hn_host_map_zeroed(bytes);

#ifdef MADV_HUGEPAGE
	if (p && bytes >= (2u << 20))
		madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}
