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

#include "core/mmzone.h"

static const char *const event_names[HN_TRACE_NR_EVENTS] = {
	[HN_TRACE_MM_PAGE_ALLOC] = "mm_page_alloc",
	[HN_TRACE_MM_PAGE_FREE] = "mm_page_free",
	[HN_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
	[HN_TRACE_MM_PAGE_PCPU_DRAIN] = "mm_page_pcpu_drain",
	[HN_TRACE_MM_PAGE_ALLOC_EXTFRAG] = "mm_page_alloc_extfrag",
	[HN_TRACE_HNUMA_ATTR_MATCH] = "hnuma_attr_match",
};

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
