/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/numa.h - the libnuma-shaped layer: node bitmasks with libnuma's
 * numa_bitmask_* operations, and node strings ("0-3,8", "all", "!1",
 * "+0-1") parsed as numa_parse_nodestring() parses them.
 *
 * A struct hn_bitmask is libnuma's struct bitmask: a size in bits and the
 * words behind it.  Bits past the size read as clear and cannot be set.
 * Conversions to and from struct hn_nodemask (the kernel's nodemask_t,
 * what the allocator takes) keep the bits both can hold.
 *
 * Node strings, as libnuma reads them:
 *   ""          no node
 *   "all"       every node the caller may use
 *   "1-5,7"     ranges and single nodes, comma separated; a range keeps
 *               only the nodes the caller may use
 *   "!4-5"      every configured node except those
 *   "+0-1"      numbers relative to the nodes the caller may use: the
 *               first and the second of them (the cpuset's relative form)
 * A node named alone or at either end of a range must be one the caller
 * may use.  "The caller may use": hn_parse_nodestring() takes the nodes
 * with memory in the instance's mems_allowed (libnuma's
 * numa_all_nodes_ptr); hn_parse_nodestring_all() takes every possible
 * node (numa_possible_nodes_ptr).  "!" inverts over the possible nodes.
 */
#ifndef HNUMA_NUMA_H
#define HNUMA_NUMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hnuma/alloc.h>
#include <hnuma/export.h>

HN_BEGIN_DECLS

struct hn_sim;

struct hn_bitmask {
	unsigned long size;	/* bits */
	uint64_t *maskp;	/* (size + 63) / 64 words */
};

/*
 * numa_bitmask_alloc(): a cleared mask of @nbits bits, or NULL for 0 bits
 * or when the host is out of memory.  Free with hn_bitmask_free() (NULL is
 * fine).
 */
HN_EXPORT struct hn_bitmask *hn_bitmask_alloc(unsigned int nbits);
HN_EXPORT void hn_bitmask_free(struct hn_bitmask *b);

/*
 * The numa_bitmask_* operations.  setbit/clearbit/setall/clearall return
 * @b, as libnuma does, and ignore a bit past the size (a NULL @b stays
 * NULL).  isbitset is false past the size.  equal compares the bits both
 * masks can hold and requires every other bit clear.  weight counts the
 * bits set; nbytes is the storage in bytes (a multiple of 8).  NULL masks
 * read as empty.
 */
HN_EXPORT struct hn_bitmask *hn_bitmask_setbit(struct hn_bitmask *b, unsigned int n);
HN_EXPORT struct hn_bitmask *hn_bitmask_clearbit(struct hn_bitmask *b, unsigned int n);
HN_EXPORT struct hn_bitmask *hn_bitmask_setall(struct hn_bitmask *b);
HN_EXPORT struct hn_bitmask *hn_bitmask_clearall(struct hn_bitmask *b);
HN_EXPORT bool hn_bitmask_isbitset(const struct hn_bitmask *b, unsigned int n);
HN_EXPORT bool hn_bitmask_equal(const struct hn_bitmask *a, const struct hn_bitmask *b);
HN_EXPORT unsigned int hn_bitmask_weight(const struct hn_bitmask *b);
HN_EXPORT unsigned int hn_bitmask_nbytes(const struct hn_bitmask *b);

/*
 * Between a bitmask and a struct hn_nodemask: the bits both can hold; the
 * rest of the destination is cleared.  0 or -EINVAL (NULL).
 */
HN_EXPORT int hn_bitmask_to_nodemask(const struct hn_bitmask *b, struct hn_nodemask *m);
HN_EXPORT int hn_bitmask_from_nodemask(struct hn_bitmask *b, const struct hn_nodemask *m);

/*
 * numa_parse_nodestring() / numa_parse_nodestring_all() over the
 * instance's nodes (the header comment says which).  On success *@out is a
 * new mask of HN_MAX_NUMNODES bits (free it with hn_bitmask_free()).
 * 0; -EINVAL (NULL, text that does not parse, a node the caller may not
 * use, a range whose ends are reversed), with the reason in the log;
 * -EAGAIN before boot; -ENOMEM.  *@out is NULL on error.
 */
HN_EXPORT int hn_parse_nodestring(const struct hn_sim *sim, const char *s, struct hn_bitmask **out);
HN_EXPORT int hn_parse_nodestring_all(const struct hn_sim *sim, const char *s,
				      struct hn_bitmask **out);

/*
 * libnuma's allocation helpers over a simulated task (hnuma/mempolicy.h):
 * an anonymous read-write mapping of @size bytes (rounded up to pages),
 * bound as libnuma binds it, its address in *@addr.  Pages arrive on first
 * touch (hn_task_touch()).
 *   onnode: MPOL_BIND to @node;  interleaved: MPOL_INTERLEAVE over the
 *   nodes with memory the task's cpuset allows;  interleaved_subset: over
 *   @nodes;  local: MPOL_LOCAL.
 * 0; -EINVAL (NULL, size 0, a node out of range or without memory, an
 * empty subset); -ENOMEM.  hn_numa_free() is munmap() of the range.
 */
struct hn_task;
HN_EXPORT int hn_numa_alloc_onnode(struct hn_task *t, uint64_t size, int node, uint64_t *addr);
HN_EXPORT int hn_numa_alloc_interleaved(struct hn_task *t, uint64_t size, uint64_t *addr);
HN_EXPORT int hn_numa_alloc_interleaved_subset(struct hn_task *t, uint64_t size,
					       const struct hn_bitmask *nodes, uint64_t *addr);
HN_EXPORT int hn_numa_alloc_local(struct hn_task *t, uint64_t size, uint64_t *addr);
HN_EXPORT int hn_numa_free(struct hn_task *t, uint64_t addr, uint64_t size);

/*
 * libnuma's migration calls (hnuma/migrate.h has the system calls):
 * numa_move_pages() is hn_move_pages() with the same arguments and
 * results; numa_migrate_pages() moves the task's pages on @from to @to as
 * hn_migrate_pages() does, and returns what it returns: the number of
 * pages not moved, or -EINVAL (NULL, a bit past the node ids), -ENOMEM.
 */
HN_EXPORT int hn_numa_move_pages(struct hn_task *t, unsigned long count, const uint64_t *pages,
				 const int *nodes, int *status, int flags);
HN_EXPORT int hn_numa_migrate_pages(struct hn_task *t, const struct hn_bitmask *from,
				    const struct hn_bitmask *to);

/*
 * The mask as a node string in ranges, "0-3,8" ("" for an empty mask),
 * the inverse of parsing for masks the caller may use.  Returns the length
 * the whole string needs, like snprintf(); -EINVAL for a NULL mask or a
 * NULL buffer with @len > 0.
 */
HN_EXPORT int hn_nodestring_format(const struct hn_bitmask *b, char *buf, size_t len);

HN_END_DECLS

#endif /* HNUMA_NUMA_H */
