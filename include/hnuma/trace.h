/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/trace.h - the instance's event trace.
 *
 * Decisions worth following emit an event to a sink the caller installs.
 * Events carry the kernel's tracepoint names and fields (include/trace/
 * events/kmem.h) where a tracepoint exists, simulated time and an event
 * index, never wall time or host pointers, so one seed gives one trace,
 * byte for byte.  hn_trace_format() prints an event the way ftrace's text
 * output does, less the page pointer ("page=%p"), which would differ from
 * run to run.
 */
#ifndef HNUMA_TRACE_H
#define HNUMA_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/gfp.h>

HN_BEGIN_DECLS

struct hn_sim;

enum hn_trace_event_id {
	HN_TRACE_MM_PAGE_ALLOC,			/* __alloc_pages() returned a block */
	HN_TRACE_MM_PAGE_FREE,			/* __free_pages() accepted a block */
	HN_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED,	/* __rmqueue_smallest() took a block */
	HN_TRACE_MM_PAGE_PCPU_DRAIN,		/* free_pcppages_bulk() gave one back */
	HN_TRACE_MM_PAGE_ALLOC_EXTFRAG,		/* a fallback to another migratetype */
	/*
	 * Ours (hierarchical NUMA): a zone's attribute node was matched to a
	 * request, and either served it or was below its watermark.
	 */
	HN_TRACE_HNUMA_ATTR_MATCH,
	/* migration (include/trace/events/migrate.h) */
	HN_TRACE_MM_MIGRATE_PAGES_START,	/* migrate_pages() begins */
	HN_TRACE_MM_MIGRATE_PAGES,		/* migrate_pages() is done: what moved */
	/* compaction (include/trace/events/compaction.h) */
	HN_TRACE_MM_COMPACTION_ISOLATE_MIGRATEPAGES,
	HN_TRACE_MM_COMPACTION_ISOLATE_FREEPAGES,
	HN_TRACE_MM_COMPACTION_MIGRATEPAGES,
	HN_TRACE_MM_COMPACTION_BEGIN,
	HN_TRACE_MM_COMPACTION_END,
	HN_TRACE_MM_COMPACTION_TRY_TO_COMPACT_PAGES,
	HN_TRACE_MM_COMPACTION_FINISHED,
	HN_TRACE_MM_COMPACTION_SUITABLE,
	HN_TRACE_MM_COMPACTION_DEFERRED,
	HN_TRACE_MM_COMPACTION_DEFER_COMPACTION,
	HN_TRACE_MM_COMPACTION_DEFER_RESET,
	HN_TRACE_MM_COMPACTION_KCOMPACTD_SLEEP,
	HN_TRACE_MM_COMPACTION_WAKEUP_KCOMPACTD,
	HN_TRACE_MM_COMPACTION_KCOMPACTD_WAKE,
	HN_TRACE_NR_EVENTS,
};

struct hn_trace_event {
	uint64_t index;			/* 0, 1, 2, ... per instance */
	uint64_t time_ns;		/* simulated time */
	enum hn_trace_event_id id;
	unsigned int cpu;		/* the simulated CPU */
	int nid;
	int zone;			/* enum hn_zone_type */
	uint64_t pfn;
	unsigned int order;
	int migratetype;
	hn_gfp_t gfp;			/* mm_page_alloc */
	int percpu_refill;		/* mm_page_alloc_zone_locked */
	int fallback_order;		/* mm_page_alloc_extfrag */
	int fallback_migratetype;
	int pageblock_order;
	int change_ownership;
	uint32_t mattr_want;		/* hnuma_attr_match: the request's attributes */
	uint32_t mattr_got;		/* the matched node's word */
	int attr_node;			/* its id in the zone's set */
	int served;			/* 1: pages taken; 0: below the watermark */
	/* mm_migrate_pages(_start): enum hn_migrate_mode and enum hn_migrate_reason */
	int mode;
	int reason;
	uint64_t nr_succeeded;		/* also mm_compaction_migratepages' nr_migrated */
	uint64_t nr_failed;
	/* mm_compaction_begin/end */
	uint64_t zone_start, zone_end, migrate_pfn, free_pfn;
	int sync;
	/* mm_compaction_isolate_*: the range scanned */
	uint64_t start_pfn, end_pfn, nr_scanned, nr_taken;
	/* compact_result (end, finished, suitable) and priority (try_to_compact_pages) */
	int status;
	int prio;
	/* mm_compaction_defer*: the zone's deferral state */
	int order_failed;
	unsigned int considered;
	unsigned int defer_shift;
};

typedef void (*hn_trace_fn)(void *ctx, const struct hn_trace_event *ev);

/* Install (or with fn == NULL remove) the sink.  0 or -EINVAL (NULL sim). */
HN_EXPORT int hn_trace_set_sink(struct hn_sim *sim, hn_trace_fn fn, void *ctx);

/* The tracepoint's name ("mm_page_alloc", ...), or NULL. */
HN_EXPORT const char *hn_trace_event_name(enum hn_trace_event_id id);

/*
 * One ftrace-style line, without the newline, e.g.
 *   "hnuma-0 [000] 0.000000: mm_page_alloc: pfn=0x3ffd4 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE"
 * (the "pid" is the event index).  Returns the length it needed, like
 * snprintf, or -EINVAL.
 */
HN_EXPORT int hn_trace_format(const struct hn_trace_event *ev, char *buf, size_t len);

/*
 * A ready-made sink writing one formatted line per event to the FILE* given
 * as its ctx: hn_trace_set_sink(sim, hn_trace_write_text, stdout).  A NULL
 * @file, a NULL event or one hn_trace_format() refuses writes nothing; a
 * write error is not reported (check the stream with ferror()).
 */
HN_EXPORT void hn_trace_write_text(void *file, const struct hn_trace_event *ev);

HN_END_DECLS

#endif /* HNUMA_TRACE_H */
