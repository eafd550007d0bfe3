/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/migrate.h - page migration and compaction (mm/migrate.c,
 * mm/compaction.c, mm/page_isolation.c of Linux 6.12).
 *
 * Pages move as the kernel moves them: isolated from the LRU (or from
 * their owner, for non-LRU movable pages), unmapped behind migration
 * entries, copied to a page the caller's new-page function chose, and
 * mapped again; a page someone else still holds stays where it is.
 * move_pages(2), migrate_pages(2), mbind(2) with MPOL_MF_MOVE and a
 * cpuset's memory_migrate use the engine on tasks' pages; compaction uses
 * it to gather free memory into large blocks, directly from the
 * allocation slow path, from kcompactd, or when asked.  docs/migration.md
 * maps each call to its kernel function.
 *
 * Every call costs simulated time by the machine's figures (unmap and TLB
 * shootdown, the copy at the two devices' bandwidth, the remap);
 * hn_sim_migration_stats() reports it with the pages moved per node pair.
 */
#ifndef HNUMA_MIGRATE_H
#define HNUMA_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/alloc.h>
#include <hnuma/export.h>
#include <hnuma/gfp.h>

HN_BEGIN_DECLS

struct hn_sim;
struct hn_task;

/* How hard migration may wait (enum migrate_mode). */
enum hn_migrate_mode {
	HN_MIGRATE_ASYNC,		/* never block: a locked or busy page is skipped */
	HN_MIGRATE_SYNC_LIGHT,		/* may wait for a lock, not for writeback */
	HN_MIGRATE_SYNC,		/* may wait for everything */
};

/* Why pages move (enum migrate_reason), as the mm_migrate_pages tracepoint names them. */
enum hn_migrate_reason {
	HN_MR_COMPACTION,
	HN_MR_MEMORY_FAILURE,
	HN_MR_MEMORY_HOTPLUG,
	HN_MR_SYSCALL,			/* move_pages(), migrate_pages(), cpusets */
	HN_MR_MEMPOLICY_MBIND,
	HN_MR_NUMA_MISPLACED,
	HN_MR_CONTIG_RANGE,
	HN_MR_LONGTERM_PIN,
	HN_MR_DEMOTION,
	HN_MR_DAMON,
	HN_MR_TYPES,
};

/* "compaction", "memory_failure", ..., "syscall_or_cpuset", ...; NULL out of range. */
HN_EXPORT const char *hn_migrate_reason_name(enum hn_migrate_reason reason);

/*
 * move_pages(2) on task @t's address space: @count pages at the virtual
 * addresses @pages.  With @nodes, page i moves to nodes[i] and status[i]
 * becomes its node or a negative errno: -EFAULT (no mapping, or the zero
 * page), -ENOENT (never touched), -EACCES (shared and not MOVE_ALL; cannot
 * happen: pages have one mapper), -EBUSY (cannot be isolated now); the
 * pages that a failed migration left behind keep the status they had.
 * Without @nodes (NULL), status[i] reports where page i is (query mode).
 * @flags 0, HN_MPOL_MF_MOVE or HN_MPOL_MF_MOVE_ALL.  Returns 0, the number
 * of pages not moved (a migration failed), or -EINVAL (NULL @t or @status,
 * @pages NULL with @count, unknown flags), -ENODEV (a node out of range or
 * without memory), -EACCES (a node outside the task's cpuset), -ENOMEM.
 */
HN_EXPORT int hn_move_pages(struct hn_task *t, unsigned long count, const uint64_t *pages,
			    const int *nodes, int *status, int flags);

/*
 * migrate_pages(2): move task @t's pages on the nodes of @old_nodes to
 * @new_nodes, keeping their relative positions (do_migrate_pages()), within
 * the task's cpuset.  Masks as set_mempolicy() reads them (a NULL mask is
 * empty: nothing moves).  The number of pages not moved (0: all), or
 * -EINVAL (NULL @t, a bad mask), -ENOMEM.
 */
HN_EXPORT int hn_migrate_pages(struct hn_task *t, unsigned long maxnode,
			       const unsigned long *old_nodes, const unsigned long *new_nodes);

/*
 * The cpuset's cpuset.memory_migrate: while set, a change of the task's
 * mems (hn_task_set_mems_allowed()) moves its pages from the old nodes to
 * the new ones as migrate_pages() would.  0 or -EINVAL (NULL).
 */
HN_EXPORT int hn_task_set_memory_migrate(struct hn_task *t, bool on);

/* pin_user_pages() flags. */
#define HN_FOLL_WRITE 0x01		/* the pin is for writing: fault the pages in for writing */
#define HN_FOLL_LONGTERM 0x100		/* a long-term pin: migrate out of ZONE_MOVABLE first */

/*
 * pin_user_pages() of @nr pages of task @t from @start: each is faulted in
 * (for writing with HN_FOLL_WRITE) and pinned, its pfn in @pfns[i].  A
 * pinned page is never migrated, and a page unmapped while pinned lives
 * until unpinned.  With HN_FOLL_LONGTERM pages in ZONE_MOVABLE move out
 * first (check_and_migrate_movable_pages(), MR_LONGTERM_PIN), as the
 * kernel keeps long-term pins out of memory it promised to keep movable.
 * 0 (all pinned); -EINVAL (NULL, @nr 0, an unaligned @start, unknown
 * flags); -EFAULT (a page of the range unmapped); -EACCES; -ENOMEM; -EBUSY
 * (a long-term page could not leave ZONE_MOVABLE).  On error nothing is
 * pinned.
 */
HN_EXPORT int hn_pin_user_pages(struct hn_task *t, uint64_t start, unsigned long nr,
				unsigned int flags, uint64_t *pfns);
/* unpin_user_pages(): one pin of each page dropped.  0 or -EINVAL (NULL, a page not pinned). */
HN_EXPORT int hn_unpin_user_pages(struct hn_sim *sim, const uint64_t *pfns, unsigned long nr);

/*
 * Non-LRU movable pages: a page owner's movable_operations (6.12's struct
 * movable_operations; page-migration.rst still describes the older
 * address_space form).  An owner registers its table once; it then marks
 * pages it allocated (with __GFP_MOVABLE) movable, and migration and
 * compaction move them through the table:
 *   isolate_page   may migration take the page now?  true: isolated
 *   migrate_page   move the owner's data from @src to @dst and repoint the
 *                  owner's references; 0, -EAGAIN (busy: retry later) or
 *                  another negative errno (give up).  On 0 the page's
 *                  movable mark and cookie pass from @src to @dst and @src
 *                  is freed
 *   putback_page   migration gave the isolated page back
 * An owner gives a movable page up with hn_put_movable_page(), never with
 * a plain free: migration may hold the page at that moment, and then
 * frees it when it is done (the kernel's __ClearPageMovable() + put_page()).
 */
struct hn_movable_operations {
	bool (*isolate_page)(void *ctx, struct hn_sim *sim, uint64_t pfn,
			     enum hn_migrate_mode mode);
	int (*migrate_page)(void *ctx, struct hn_sim *sim, uint64_t dst, uint64_t src,
			    enum hn_migrate_mode mode);
	void (*putback_page)(void *ctx, struct hn_sim *sim, uint64_t pfn);
};

/* Register an owner: *@owner its id.  0; -EINVAL (NULL, an incomplete table); -ENOMEM. */
HN_EXPORT int hn_movable_register(struct hn_sim *sim, const struct hn_movable_operations *ops,
				  void *ctx, unsigned int *owner);
/*
 * __SetPageMovable(): the order-0 page @pfn, allocated and not mapped by a
 * task, belongs to @owner with the owner's @cookie.  0; -EINVAL (NULL, an
 * unknown owner, a page that is not an allocated order-0 page, or one a
 * task maps); -EBUSY (already movable).
 */
HN_EXPORT int hn_set_page_movable(struct hn_sim *sim, uint64_t pfn, unsigned int owner,
				  uint64_t cookie);
/*
 * __ClearPageMovable() and put_page(): the owner lets the page go; it is
 * freed now, or when the migration holding it lets go.  0; -EINVAL (NULL,
 * not a movable page its owner still holds).
 */
HN_EXPORT int hn_put_movable_page(struct hn_sim *sim, uint64_t pfn);
/* PageMovable(): a movable page's owner and cookie.  0; -EINVAL; -ENOENT (not movable). */
HN_EXPORT int hn_page_movable(const struct hn_sim *sim, uint64_t pfn, unsigned int *owner,
			      uint64_t *cookie);

/*
 * Compaction.  hn_compact_node() is a write to
 * /sys/devices/system/node/nodeN/compact (every zone of the node, sync,
 * ignoring the skip hints), hn_compact_memory() one to
 * /proc/sys/vm/compact_memory (every online node).  0; -EINVAL (NULL, a
 * node out of range); -ENODEV (a node offline); -EAGAIN before boot.
 */
HN_EXPORT int hn_compact_node(struct hn_sim *sim, int nid);
HN_EXPORT int hn_compact_memory(struct hn_sim *sim);

/*
 * vm.compaction_proactiveness (0..100, default 20: kcompactd compacts a
 * node by itself when its fragmentation score passes 100 - value + 10),
 * vm.extfrag_threshold (0..1000, default 500: costly-order compaction is
 * skipped when the fragmentation index says the failure is for want of
 * memory), vm.compact_unevictable_allowed (default 1).  0 or -EINVAL (NULL,
 * out of range).
 */
HN_EXPORT int hn_sim_set_compaction_proactiveness(struct hn_sim *sim, unsigned int value);
HN_EXPORT int hn_sim_set_extfrag_threshold(struct hn_sim *sim, int value);
HN_EXPORT int hn_sim_set_compact_unevictable_allowed(struct hn_sim *sim, bool allowed);

/*
 * The fragmentation score of a node (fragmentation_score_node(): 0..100,
 * what proactive compaction drives down), or -EINVAL/-ENODEV.
 */
HN_EXPORT int hn_sim_fragmentation_score(const struct hn_sim *sim, int nid);

/*
 * alloc_contig_range(): the pages [@start, @end) for the caller, by
 * isolating their pageblocks and migrating what is in use out of them
 * (MR_CONTIG_RANGE).  The range lies in one zone.  Each page comes back
 * with hn_free_contig_range().  0; -EINVAL (NULL, an empty range, one
 * outside a zone, bad GFP bits); -EBUSY (a page could not move: unmovable,
 * pinned, or a failure); -ENOMEM; -EAGAIN before boot.
 */
HN_EXPORT int hn_alloc_contig_range(struct hn_sim *sim, uint64_t start, uint64_t end,
				    hn_gfp_t gfp);
/*
 * alloc_contig_pages(): @nr contiguous pages, aligned to the next power of
 * two, anywhere the request may use (the zonelist of @nid, NUMA_NO_NODE:
 * the current CPU's, limited to @nodemask), *@pfn the first.  0; -EINVAL;
 * -ENOMEM (no range could be made free); -EAGAIN before boot.
 */
HN_EXPORT int hn_alloc_contig_pages(struct hn_sim *sim, uint64_t nr, hn_gfp_t gfp, int nid,
				    const struct hn_nodemask *nodemask, uint64_t *pfn);
/* free_contig_range(): 0; -EINVAL (NULL, a page that is not one of a contig allocation). */
HN_EXPORT int hn_free_contig_range(struct hn_sim *sim, uint64_t pfn, uint64_t nr);

/* What migration did and cost, since boot. */
struct hn_migration_stats {
	uint64_t calls;			/* migrate_pages() calls */
	uint64_t succeeded;		/* pages moved (pgmigrate_success) */
	uint64_t failed;		/* pages left (pgmigrate_fail) */
	uint64_t tlb_flushes;		/* batched flushes (one per migrate_pages_batch pass) */
	uint64_t tlb_ipis;		/* remote CPUs interrupted by them */
	uint64_t unmap_ns, copy_ns, remap_ns, flush_ns;	/* simulated time spent */
	uint64_t bytes_copied;
};

/* The totals.  0; -EINVAL (NULL). */
HN_EXPORT int hn_sim_migration_stats(const struct hn_sim *sim, struct hn_migration_stats *out);
/* Pages moved from node @src to node @dst, and the copy time they took.  0; -EINVAL. */
HN_EXPORT int hn_sim_migration_pair(const struct hn_sim *sim, int src, int dst, uint64_t *pages,
				    uint64_t *copy_ns);

HN_END_DECLS

#endif /* HNUMA_MIGRATE_H */
