/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/gfp.h - allocation flags with the kernel's meaning and bit values.
 *
 * The low 24 bits are the kernel's (include/linux/gfp_types.h, 6.12, with
 * KASAN_HW_TAGS and LOCKDEP off), so a value printed by a kernel tracepoint
 * means the same here.  hn_gfp_t is 64 bits wide: the hierarchical-NUMA
 * attribute requests (GFP_LATENCY_n and friends) live above bit 31.
 *
 * Zone modifiers pick the highest zone an allocation may use (gfp_zone());
 * __GFP_MOVABLE and __GFP_RECLAIMABLE pick the migratetype
 * (gfp_migratetype()); the rest steer the allocation path exactly as in
 * mm/page_alloc.c.
 */
#ifndef HNUMA_GFP_H
#define HNUMA_GFP_H

#include <stdint.h>

#include <hnuma/export.h>

HN_BEGIN_DECLS

typedef uint64_t hn_gfp_t;

#define __GFP_DMA		((hn_gfp_t)0x1u)
#define __GFP_HIGHMEM		((hn_gfp_t)0x2u)
#define __GFP_DMA32		((hn_gfp_t)0x4u)
#define __GFP_MOVABLE		((hn_gfp_t)0x8u)	/* ZONE_MOVABLE allowed; movable migratetype */
#define __GFP_RECLAIMABLE	((hn_gfp_t)0x10u)
#define __GFP_HIGH		((hn_gfp_t)0x20u)	/* may use half of the min reserve */
#define __GFP_IO		((hn_gfp_t)0x40u)
#define __GFP_FS		((hn_gfp_t)0x80u)
#define __GFP_ZERO		((hn_gfp_t)0x100u)
#define __GFP_DIRECT_RECLAIM	((hn_gfp_t)0x400u)	/* the caller may enter reclaim/compaction */
#define __GFP_KSWAPD_RECLAIM	((hn_gfp_t)0x800u)	/* wake kswapd at the low watermark */
#define __GFP_WRITE		((hn_gfp_t)0x1000u)
#define __GFP_NOWARN		((hn_gfp_t)0x2000u)	/* no "page allocation failure" message */
#define __GFP_RETRY_MAYFAIL	((hn_gfp_t)0x4000u)
#define __GFP_NOFAIL		((hn_gfp_t)0x8000u)
#define __GFP_NORETRY		((hn_gfp_t)0x10000u)
#define __GFP_MEMALLOC		((hn_gfp_t)0x20000u)
#define __GFP_COMP		((hn_gfp_t)0x40000u)
#define __GFP_NOMEMALLOC	((hn_gfp_t)0x80000u)
#define __GFP_HARDWALL		((hn_gfp_t)0x100000u)	/* enforce the cpuset's mems_allowed */
#define __GFP_THISNODE		((hn_gfp_t)0x200000u)	/* the preferred node only, no fallback */
#define __GFP_ACCOUNT		((hn_gfp_t)0x400000u)

#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ZONEMASK		(__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define __GFP_BITS_MASK		((hn_gfp_t)0x7fffffu)

/* The compositions, as the kernel spells them. */
#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | \
				  __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE		(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

/*
 * Format @gfp the way the kernel's %pGg does ("GFP_KERNEL|__GFP_ZERO") into
 * @buf; returns @buf.  Unknown bits appear as a hex remainder.
 */
HN_EXPORT const char *hn_gfp_format(hn_gfp_t gfp, char *buf, unsigned long len);

HN_END_DECLS

#endif /* HNUMA_GFP_H */
