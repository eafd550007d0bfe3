/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace.c - the event trace: sink, event names, ftrace-style formatting.
 *
 * Field formats follow the TP_printk() strings of include/trace/events/
 * kmem.h (6.12), without "page=%p".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <hnuma/migrate.h>

#include "core/mmzone.h"

static const char *const event_names[HN_TRACE_NR_EVENTS] = {
	[HN_TRACE_MM_PAGE_ALLOC] = "mm_page_alloc",
	[HN_TRACE_MM_PAGE_FREE] = "mm_page_free",
	[HN_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
	[HN_TRACE_MM_PAGE_PCPU_DRAIN] = "mm_page_pcpu_drain",
	[HN_TRACE_MM_PAGE_ALLOC_EXTFRAG] = "mm_page_alloc_extfrag",
	[HN_TRACE_HNUMA_ATTR_MATCH] = "hnuma_attr_match",
	[HN_TRACE_MM_MIGRATE_PAGES_START] = "mm_migrate_pages_start",
	[HN_TRACE_MM_MIGRATE_PAGES] = "mm_migrate_pages",
	[HN_TRACE_MM_COMPACTION_ISOLATE_MIGRATEPAGES] = "mm_compaction_isolate_migratepages",
	[HN_TRACE_MM_COMPACTION_ISOLATE_FREEPAGES] = "mm_compaction_isolate_freepages",
	[HN_TRACE_MM_COMPACTION_MIGRATEPAGES] = "mm_compaction_migratepages",
	[HN_TRACE_MM_COMPACTION_BEGIN] = "mm_compaction_begin",
	[HN_TRACE_MM_COMPACTION_END] = "mm_compaction_end",
	[HN_TRACE_MM_COMPACTION_TRY_TO_COMPACT_PAGES] = "mm_compaction_try_to_compact_pages",
	[HN_TRACE_MM_COMPACTION_FINISHED] = "mm_compaction_finished",
	[HN_TRACE_MM_COMPACTION_SUITABLE] = "mm_compaction_suitable",
	[HN_TRACE_MM_COMPACTION_DEFERRED] = "mm_compaction_deferred",
	[HN_TRACE_MM_COMPACTION_DEFER_COMPACTION] = "mm_compaction_defer_compaction",
	[HN_TRACE_MM_COMPACTION_DEFER_RESET] = "mm_compaction_defer_reset",
	[HN_TRACE_MM_COMPACTION_KCOMPACTD_SLEEP] = "mm_compaction_kcompactd_sleep",
	[HN_TRACE_MM_COMPACTION_WAKEUP_KCOMPACTD] = "mm_compaction_wakeup_kcompactd",
	[HN_TRACE_MM_COMPACTION_KCOMPACTD_WAKE] = "mm_compaction_kcompactd_wake",
};

/* MIGRATE_MODE and MIGRATE_REASON of include/trace/events/migrate.h. */
static const char *const mode_names[] = { "MIGRATE_ASYNC", "MIGRATE_SYNC_LIGHT", "MIGRATE_SYNC" };
static const char *const reason_names[] = {
	"compaction", "memory_failure", "memory_hotplug", "syscall_or_cpuset", "mempolicy_mbind",
	"numa_misplaced", "contig_range", "longterm_pin", "demotion", "damon",
};

/* COMPACTION_STATUS of include/trace/events/mmflags.h, by enum hn_compact_result. */
static const char *const compact_status_names[] = {
	[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
	[COMPACT_SKIPPED] = "skipped",
	[COMPACT_DEFERRED] = "deferred",
	[COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
	[COMPACT_CONTINUE] = "continue",
	[COMPACT_COMPLETE] = "complete",
	[COMPACT_PARTIAL_SKIPPED] = "partial_skipped",
	[COMPACT_CONTENDED] = "contended",
	[COMPACT_SUCCESS] = "success",
};

#define NAME_OF(table, i) \
	((unsigned int)(i) < sizeof(table) / sizeof(table[0]) && table[i] ? table[i] : "?")

const char *hn_migrate_reason_name(enum hn_migrate_reason reason)
{
	if ((unsigned int)reason >= HN_MR_TYPES)
		return NULL;
	return reason_names[reason];
}

/* ZONE_TYPE names, as __print_symbolic() prints them. */
static const char *zone_type_name(int idx)
{
	const char *n = hn_zone_name((enum hn_zone_type)idx);

	return n ? n : "?";
}

const char *hn_trace_event_name(enum hn_trace_event_id id)
{
	if ((unsigned int)id >= HN_TRACE_NR_EVENTS)
		return NULL;
	return event_names[id];
}

int hn_trace_set_sink(struct hn_sim *sim, hn_trace_fn fn, void *ctx)
{
	if (!sim)
		return -EINVAL;
	sim->trace_fn = fn;
	sim->trace_ctx = ctx;
	hn_fastpath_update(sim);
	return 0;
}

void hn_trace_emit(struct hn_sim *sim, struct hn_trace_event *ev)
{
	ev->index = sim->trace_index++;
	ev->time_ns = sim->clock_ns;
	ev->cpu = sim->cur_cpu;
	sim->trace_fn(sim->trace_ctx, ev);
}

int hn_trace_format(const struct hn_trace_event *ev, char *buf, size_t len)
{
	char *start = buf, gfp[256];
	size_t len0 = len;
	int n;

	if (!ev || (!buf && len) || (unsigned int)ev->id >= HN_TRACE_NR_EVENTS)
		return -EINVAL;
	n = snprintf(buf, len, "hnuma-%" PRIu64 " [%03u] %5" PRIu64 ".%06" PRIu64 ": %s: ", ev->index,
		     ev->cpu, ev->time_ns / UINT64_C(1000000000), (ev->time_ns / 1000) % 1000000,
		     event_names[ev->id]);
	if (n < 0)
		return -EINVAL;
	buf = (size_t)n < len ? buf + n : NULL;
	len = (size_t)n < len ? len - (size_t)n : 0;
	switch (ev->id) {
	case HN_TRACE_MM_PAGE_ALLOC:
		/* a failed allocation traces pfn 0, as the kernel's NULL page does */
		hn_gfp_format(ev->gfp, gfp, sizeof(gfp));
		n += snprintf(buf, len, "pfn=0x%" PRIx64 " order=%u migratetype=%d gfp_flags=%s",
			      ev->pfn == UINT64_MAX ? 0 : ev->pfn, ev->order, ev->migratetype, gfp);
		break;
	case HN_TRACE_MM_PAGE_FREE:
		n += snprintf(buf, len, "pfn=0x%" PRIx64 " order=%u", ev->pfn, ev->order);
		break;
	case HN_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED:
		n += snprintf(buf, len, "pfn=0x%" PRIx64 " order=%u migratetype=%d percpu_refill=%d",
			      ev->pfn, ev->order, ev->migratetype, ev->percpu_refill);
		break;
	case HN_TRACE_MM_PAGE_PCPU_DRAIN:
		n += snprintf(buf, len, "pfn=0x%" PRIx64 " order=%u migratetype=%d", ev->pfn, ev->order,
			      ev->migratetype);
		break;
	case HN_TRACE_MM_PAGE_ALLOC_EXTFRAG:
		n += snprintf(buf, len,
			      "pfn=0x%" PRIx64 " alloc_order=%u fallback_order=%d pageblock_order=%d "
			      "alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d "
			      "change_ownership=%d",
			      ev->pfn, ev->order, ev->fallback_order, ev->pageblock_order, ev->migratetype,
			      ev->fallback_migratetype, ev->fallback_order < ev->pageblock_order,
			      ev->change_ownership);
		break;
	case HN_TRACE_HNUMA_ATTR_MATCH: {
		char want[64], got[64];

		hn_mattr_format(ev->mattr_want, want, sizeof(want));
		hn_mattr_format(ev->mattr_got, got, sizeof(got));
		n += snprintf(buf, len, "nid=%d zid=%d order=%u want=%s attr=%d got=%s %s", ev->nid,
			      ev->zone, ev->order, want, ev->attr_node, got,
			      ev->served ? "served" : "below_watermark");
		break;
	}
	case HN_TRACE_MM_MIGRATE_PAGES:
		n += snprintf(buf, len,
			      "nr_succeeded=%" PRIu64 " nr_failed=%" PRIu64 " nr_thp_succeeded=0 "
			      "nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=%s reason=%s",
			      ev->nr_succeeded, ev->nr_failed, NAME_OF(mode_names, ev->mode),
			      NAME_OF(reason_names, ev->reason));
		break;
	case HN_TRACE_MM_MIGRATE_PAGES_START:
		n += snprintf(buf, len, "mode=%s reason=%s", NAME_OF(mode_names, ev->mode),
			      NAME_OF(reason_names, ev->reason));
		break;
	case HN_TRACE_MM_COMPACTION_ISOLATE_MIGRATEPAGES:
	case HN_TRACE_MM_COMPACTION_ISOLATE_FREEPAGES:
		n += snprintf(buf, len,
			      "range=(0x%" PRIx64 " ~ 0x%" PRIx64 ") nr_scanned=%" PRIu64
			      " nr_taken=%" PRIu64, ev->start_pfn, ev->end_pfn, ev->nr_scanned,
			      ev->nr_taken);
		break;
	case HN_TRACE_MM_COMPACTION_MIGRATEPAGES:
		n += snprintf(buf, len, "nr_migrated=%" PRIu64 " nr_failed=%" PRIu64,
			      ev->nr_succeeded, ev->nr_failed);
		break;
	case HN_TRACE_MM_COMPACTION_BEGIN:
		n += snprintf(buf, len,
			      "zone_start=0x%" PRIx64 " migrate_pfn=0x%" PRIx64 " free_pfn=0x%" PRIx64
			      " zone_end=0x%" PRIx64 ", mode=%s", ev->zone_start, ev->migrate_pfn,
			      ev->free_pfn, ev->zone_end, ev->sync ? "sync" : "async");
		break;
	case HN_TRACE_MM_COMPACTION_END:
		n += snprintf(buf, len,
			      "zone_start=0x%" PRIx64 " migrate_pfn=0x%" PRIx64 " free_pfn=0x%" PRIx64
			      " zone_end=0x%" PRIx64 ", mode=%s status=%s", ev->zone_start,
			      ev->migrate_pfn, ev->free_pfn, ev->zone_end, ev->sync ? "sync" : "async",
			      NAME_OF(compact_status_names, ev->status));
		break;
	case HN_TRACE_MM_COMPACTION_TRY_TO_COMPACT_PAGES:
		hn_gfp_format(ev->gfp, gfp, sizeof(gfp));
		n += snprintf(buf, len, "order=%d gfp_mask=%s priority=%d", (int)ev->order, gfp,
			      ev->prio);
		break;
	case HN_TRACE_MM_COMPACTION_FINISHED:
	case HN_TRACE_MM_COMPACTION_SUITABLE:
		n += snprintf(buf, len, "node=%d zone=%-8s order=%d ret=%s", ev->nid,
			      zone_type_name(ev->zone), (int)ev->order,
			      NAME_OF(compact_status_names, ev->status));
		break;
	case HN_TRACE_MM_COMPACTION_DEFERRED:
	case HN_TRACE_MM_COMPACTION_DEFER_COMPACTION:
	case HN_TRACE_MM_COMPACTION_DEFER_RESET:
		n += snprintf(buf, len, "node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu",
			      ev->nid, zone_type_name(ev->zone), (int)ev->order, ev->order_failed,
			      ev->considered, 1UL << ev->defer_shift);
		break;
	case HN_TRACE_MM_COMPACTION_KCOMPACTD_SLEEP:
		n += snprintf(buf, len, "nid=%d", ev->nid);
		break;
	case HN_TRACE_MM_COMPACTION_WAKEUP_KCOMPACTD:
	case HN_TRACE_MM_COMPACTION_KCOMPACTD_WAKE:
		n += snprintf(buf, len, "nid=%d order=%d classzone_idx=%-8s", ev->nid, (int)ev->order,
			      zone_type_name(ev->zone));
		break;
	default:
		break;
	}
	/*
	 * Ours, past the kernel's fields: the zone the event concerns (the
	 * kernel's page pointer would give it; we print no pointers).
	 */
	if (ev->id != HN_TRACE_HNUMA_ATTR_MATCH) {
		const char *zname = ev->zone >= 0 ? hn_zone_name((enum hn_zone_type)ev->zone) : NULL;

		n += snprintf((size_t)n < len0 ? start + n : NULL, (size_t)n < len0 ? len0 - (size_t)n : 0,
			      " node=%d zone=%s", ev->nid, zname ? zname : "none");
	}
	return n;
}

void hn_trace_write_text(void *file, const struct hn_trace_event *ev)
{
	char line[512];

	if (file && hn_trace_format(ev, line, sizeof(line)) >= 0)
		fprintf(file, "%s\n", line);
}
