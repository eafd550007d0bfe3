/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gfp.c - what a set of GFP flags means before any zone is looked at:
 *
 *   hn_gfp_zone()    include/linux/gfp.h gfp_zone(): GFP_ZONE_TABLE and
 *                    GFP_ZONE_BAD, the highest zone index a request may use
 *   hn_gfp_format()  lib/vsprintf.c %pGg with the names of
 *                    include/trace/events/mmflags.h (6.12)
 *
 * Both are pure functions of their arguments; nothing here touches an
 * instance.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hnuma/gfp.h>

#include "core/mmzone.h"

/*
 * GFP_ZONE_TABLE, written as the array the kernel packs into one word: the
 * index is the four zone-modifier bits (DMA, HIGHMEM, DMA32, MOVABLE), the
 * entry the highest usable zone.  The reference configuration is x86_64:
 * ZONE_DMA and ZONE_DMA32 configured, no HIGHMEM, so OPT_ZONE_HIGHMEM is
 * ZONE_NORMAL and __GFP_HIGHMEM on its own means Normal.
 *
 * Every machine uses this table, including those whose arch has no DMA32
 * (PPC64, GENERIC).  The zone indices exist on all of them; what differs is
 * which zones boot populates, and zonelists hold populated zones only.  A
 * __GFP_DMA32 request on a machine without a populated DMA32 zone therefore
 * walks the zones at or below DMA32 that do exist, as an arch whose
 * OPT_ZONE_DMA32 folds to a populated lower zone would.
 *
 * -1 marks the combinations GFP_ZONE_BAD forbids (more than one of DMA,
 * DMA32, HIGHMEM; the kernel's VM_BUG_ON).
 */
#define BAD (-1)
const signed char hn_gfp_zone_table[16] = {
	[0x0] = HN_ZONE_NORMAL,
	[0x1] = HN_ZONE_DMA,		/* __GFP_DMA */
	[0x2] = HN_ZONE_NORMAL,		/* __GFP_HIGHMEM: OPT_ZONE_HIGHMEM */
	[0x3] = BAD,			/* DMA + HIGHMEM */
	[0x4] = HN_ZONE_DMA32,		/* __GFP_DMA32 */
	[0x5] = BAD,			/* DMA + DMA32 */
	[0x6] = BAD,			/* HIGHMEM + DMA32 */
	[0x7] = BAD,			/* DMA + DMA32 + HIGHMEM */
	[0x8] = HN_ZONE_NORMAL,		/* __GFP_MOVABLE alone is a migratetype hint */
	[0x9] = HN_ZONE_DMA,		/* MOVABLE + DMA */
	[0xa] = HN_ZONE_MOVABLE,	/* MOVABLE + HIGHMEM: GFP_HIGHUSER_MOVABLE */
	[0xb] = BAD,			/* MOVABLE + HIGHMEM + DMA */
	[0xc] = HN_ZONE_DMA32,		/* MOVABLE + DMA32 */
	[0xd] = BAD,			/* MOVABLE + DMA32 + DMA */
	[0xe] = BAD,			/* MOVABLE + DMA32 + HIGHMEM */
	[0xf] = BAD,			/* all four */
};
#undef BAD


/*
 * __GFP_ZEROTAGS is bit 23 in 6.12 whatever KASAN says; hnuma defines no
 * macro for it because nothing here tags memory, but a value copied from a
 * kernel trace should still print by name.
 */
#define HN_GFP_ZEROTAGS ((hn_gfp_t)0x800000u)

struct gfp_name {
	hn_gfp_t mask;
	const char *name;
};

/*
 * __def_gfpflag_names of 6.12 with KASAN_HW_TAGS off.  Order matters: the
 * formatter takes the first entry whose bits are all present and removes
 * them, so composites with the most bits come first and GFP_KERNEL must
 * precede anything it contains.  Changing the order changes the text.
 */
static const struct gfp_name gfp_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ HN_GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};

/*
 * A bounded writer like vsprintf's (buf, end) pair: it counts what would
 * have been written and copies only what fits, so the caller can always
 * terminate inside the buffer.
 */
struct flag_out {
	char *buf;
	size_t len;	/* capacity, including the terminator */
	size_t pos;	/* characters produced so far */
};

static void out_str(struct flag_out *o, const char *s)
{
	for (; *s; s++, o->pos++)
		if (o->pos + 1 < o->len)
			o->buf[o->pos] = *s;
}

/*
 * format_flags(): names joined by '|', then what no name covered as
 * "0x<hex>" (the kernel's SPECIAL|SMALL base-16 number).  Zero prints
 * "none", which is what the tracepoints' show_gfp_flags() print; %pGg
 * itself would print nothing, and an empty string reads badly in a log.
 */
const char *hn_gfp_format(hn_gfp_t gfp, char *buf, unsigned long len)
{
	struct flag_out o = { buf, len, 0 };

	if (!buf || !len)
		return buf;
	if (!gfp) {
		out_str(&o, "none");
	} else {
		for (size_t i = 0; gfp && i < sizeof(gfp_names) / sizeof(gfp_names[0]); i++) {
			hn_gfp_t mask = gfp_names[i].mask;

			if ((gfp & mask) != mask)
				continue;
			out_str(&o, gfp_names[i].name);
			gfp &= ~mask;
			if (gfp)
				out_str(&o, "|");
		}
		if (gfp) {
			char hex[2 + 16 + 1];

			snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)gfp);
			out_str(&o, hex);
		}
	}
	buf[o.pos < len ? o.pos : len - 1] = '\0';
	return buf;
}
