/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * migrate.h - page migration and compaction, as the layer's files share
 * them (mm/migrate.c, mm/compaction.c, mm/page_isolation.c,
 * include/linux/compaction.h, mm/internal.h's struct compact_control).
 *
 * Map:
 *   migrate.c     isolation (isolate_movable_page, putback_movable_pages),
 *                 the engine (hn_migrate_folios(): migrate_pages_batch with
 *                 its unmap and move phases, migrate_pages_sync), the cost
 *                 of a migration, alloc_migration_target, move_pages(2)
 *   movable.c     owners of non-LRU movable pages and their operations
 *   compaction.c  compact_zone with its two scanners, compaction_suitable,
 *                 compact_finished, deferral, pageblock skip hints,
 *                 try_to_compact_pages, kcompactd and proactive
 *                 compaction, the sysctls
 *   contig.c      alloc_contig_range/pages, and offline_pages() for
 *                 attribute ranges removed while in use
 *   init.c        the layer's boot: the seams it fills, kcompactd per node
 *
 * struct hn_migrate_state hangs off sim->migrate; compaction's per-zone
 * and per-node state lives in the zone and the pglist_data, as the
 * kernel keeps it (core/mmzone.h).
 *
 * Invariants (hn_check_migrate()): no page is both free and isolated; no
 * page is left PG_locked or PG_isolated between calls; every owner id a
 * movable page names is registered; succeeded + failed pages agree with
 * pgmigrate_success and pgmigrate_fail.
 *
 * Locking is the caller's.
 */
#ifndef HN_MIGRATE_MIGRATE_H
#define HN_MIGRATE_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/migrate.h>

#include "core/page.h"
#include "mempolicy/mpol.h"

/* mm/migrate.c's limits */
#define NR_MAX_MIGRATE_PAGES_RETRY 10
#define NR_MAX_MIGRATE_ASYNC_RETRY 3
#define NR_MAX_MIGRATE_SYNC_RETRY (NR_MAX_MIGRATE_PAGES_RETRY - NR_MAX_MIGRATE_ASYNC_RETRY)

/* migrate_folio_unmap()'s "unmapped, ready to move" (MIGRATEPAGE_UNMAP). */
#define MIGRATEPAGE_SUCCESS 0
#define MIGRATEPAGE_UNMAP 1

/*
 * The cost of moving a page, in simulated nanoseconds: estimates for a
 * 2020s x86 server, set so that a move_pages() of resident 4 KiB pages
 * between DDR nodes comes to about 0.85 M pages/s, the figure measured
 * for the kernel's (docs/migration.md).  The copy itself costs by the
 * machine's bandwidths (migrate.c).
 */
#define MIGRATE_UNMAP_NS 450	/* try_to_migrate_one(): rmap walk, pte clear, notifier */
#define MIGRATE_REMAP_NS 380	/* remove_migration_pte() and the new page's setup */
#define MIGRATE_FLUSH_LOCAL_NS 150	/* a local TLB flush of the batch */
#define MIGRATE_IPI_NS 2500	/* one remote CPU's TLB shootdown */
#define MIGRATE_CPU_COPY_MBPS 12000	/* one core's streaming copy */

/* A registered owner of non-LRU movable pages. */
struct hn_movable_owner {
	const struct hn_movable_operations *ops;
	void *ctx;
};

struct hn_migrate_state {
	struct hn_migration_stats stats;
	uint64_t *pair_pages;		/* [src * nr_node_ids + dst] */
	uint64_t *pair_ns;
	struct hn_movable_owner *owners;	/* owner id i + 1 at [i] */
	unsigned int nr_owners;
	int *kcompactd;			/* the daemon of each node, or -1 */
	uint64_t *tlb_cpus;		/* a batch's CPUs to flush (nr_cpu_ids bits) */
	unsigned int tlb_words;
	/*
	 * migrate_pages()'s two working lists, kept from one call to the next
	 * so that a large call does not map fresh host memory each time;
	 * @spare_busy while a call holds them (a nested call makes its own).
	 */
	struct hn_folio_list spare_ret, spare_batch;
	bool spare_busy;
	/* the last copy_ns() answer, for (CPU node, source, destination) */
	uint64_t copy_key, copy_ns;
	bool copy_valid;
};

/* compaction's control block (struct compact_control, mm/internal.h). */
struct compact_control {
	struct hn_folio_list freepages[HN_MAX_ORDER_LIMIT + 1];	/* isolated free pages, by order */
	struct hn_folio_list migratepages;	/* pages to migrate */
	unsigned int nr_freepages;		/* pages on freepages[] */
	unsigned int nr_migratepages;		/* pages on migratepages */
	uint64_t free_pfn;			/* where the free scanner goes on from */
	uint64_t migrate_pfn;			/* where the migrate scanner goes on from */
	uint64_t fast_start_pfn;
	struct hn_zone *zone;
	uint64_t total_migrate_scanned;
	uint64_t total_free_scanned;
	hn_gfp_t gfp_mask;
	int order;				/* -1: compact everything (compact_memory) */
	int migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum hn_migrate_mode mode;
	bool ignore_skip_hint;
	bool no_set_skip_hint;
	bool ignore_block_suitable;
	bool direct_compaction;
	bool proactive_compaction;
	bool whole_zone;
	bool contended;
	bool finish_pageblock;
	bool alloc_contig;
};

/* ---- migrate.c ------------------------------------------------------------ */

/*
 * migrate_pages() of mm/migrate.c (hn_migrate_pages() is the system
 * call): move the isolated pages of @from to pages @get_new gives; the
 * number of pages not moved, or -ENOMEM / -EAGAIN.  What stays on @from
 * is the caller's to put back.
 */
int hn_migrate_folios(struct hn_sim *sim, struct hn_folio_list *from, hn_new_folio_t get_new,
		      hn_free_folio_t put_new, unsigned long private, enum hn_migrate_mode mode,
		      enum hn_migrate_reason reason, unsigned int *nr_succeeded);
void hn_putback_movable_pages(struct hn_sim *sim, struct hn_folio_list *l);
uint64_t hn_alloc_migration_target(struct hn_sim *sim, uint64_t src, unsigned long private);
/*
 * isolate_movable_page() and folio_isolate_lru() + nr_isolated_anon: the
 * page at @pfn taken for migration, true; false when it cannot be now.
 */
bool hn_isolate_movable_page(struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode);
bool hn_folio_isolate_lru(struct hn_sim *sim, uint64_t pfn);
/* The layer's checks for hn_sim_check(). */
int hn_check_migrate(struct hn_sim *sim);
/*
 * debug_vm's check after each of this layer's operations: every zone,
 * the tasks' page tables, this layer's state.  0 or -EUCLEAN; 0 without
 * debug_vm.
 */
int hn_debug_check_migrate(struct hn_sim *sim);

/* ---- movable.c ------------------------------------------------------------ */

/* The owner registered as @id, or NULL. */
const struct hn_movable_owner *hn_movable_owner(const struct hn_sim *sim, uint32_t id);

/* ---- compaction.c ---------------------------------------------------------- */

enum hn_compact_result hn_try_to_compact_pages(void *ctx, struct hn_sim *sim, hn_gfp_t gfp,
					       unsigned int order, unsigned int alloc_flags,
					       struct hn_zonelist *zonelist, int highest_zoneidx,
					       const struct hn_nodemask *nodemask,
					       enum hn_compact_priority prio);
void hn_compaction_defer_reset(void *ctx, struct hn_zone *zone, unsigned int order,
			       bool alloc_success);
bool hn_compaction_zonelist_suitable(void *ctx, struct hn_sim *sim, unsigned int order,
				     unsigned int alloc_flags, struct hn_zonelist *zonelist,
				     int highest_zoneidx, const struct hn_nodemask *nodemask);
/* wakeup_kcompactd() for @pgdat. */
void hn_wakeup_kcompactd(struct hn_sim *sim, struct hn_pglist_data *pgdat, int order,
			 int highest_zoneidx);
/* kcompactd's wake-ups (a daemon's run function, core/daemon.h). */
struct hn_daemon;
void hn_kcompactd_run(struct hn_sim *sim, struct hn_daemon *d);
/* compact_zone() of @cc, which the caller set up; the result. */
enum hn_compact_result hn_compact_zone(struct hn_sim *sim, struct compact_control *cc);
/* isolate_freepages_range() / isolate_migratepages_range() for contig.c. */
uint64_t hn_isolate_freepages_range(struct hn_sim *sim, struct compact_control *cc,
				    uint64_t start, uint64_t end);
int hn_isolate_migratepages_range(struct hn_sim *sim, struct compact_control *cc, uint64_t start,
				  uint64_t end);
/* compaction_alloc() / compaction_free(): the migration callbacks of @cc. */
uint64_t hn_compaction_alloc(struct hn_sim *sim, uint64_t src, unsigned long data);
void hn_compaction_free(struct hn_sim *sim, uint64_t dst, unsigned long data);
/* release_free_list(): every page of @cc's free lists back to the buddy; the highest pfn. */
uint64_t hn_release_free_list(struct hn_sim *sim, struct compact_control *cc);
void hn_compact_control_init(struct compact_control *cc, struct hn_sim *sim);
void hn_compact_control_fini(struct compact_control *cc);

/* ---- contig.c --------------------------------------------------------------- */

/*
 * offline_pages() of [start, end) of @zone: isolated, emptied by
 * migration (MR_MEMORY_HOTPLUG), left free and isolated.  0, or -EBUSY
 * with the range as it was.
 */
int hn_offline_pages(struct hn_sim *sim, struct hn_zone *zone, uint64_t start, uint64_t end);

/* ---- init.c ---------------------------------------------------------------- */

/* The layer's boot: sim->migrate, the seams, a kcompactd for every node with memory. */
int hn_migrate_init(struct hn_sim *sim);
void hn_migrate_fini(struct hn_sim *sim);

#endif /* HN_MIGRATE_MIGRATE_H */
