/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/sim.h - one simulated machine running the simulated mm.
 *
 * A struct hn_sim is created from a machine description (hnuma/hw.h) and a
 * configuration.  Creating it runs the early boot the kernel runs in
 * setup_arch() and mm_core_init(): the firmware memory map goes into memblock,
 * early reservations are made (the first MiB, the kernel image, NODE_DATA, the
 * memory map), then free_area_init() sizes nodes and zones, memblock_free_all()
 * hands the free memory to the buddy allocator and the watermarks are set.
 * With HN_SIM_STOP_BEFORE_MM the instance stops after the memblock phase so
 * a caller can adjust memblock (hn_sim_memblock()) and then hn_sim_boot().
 *
 * The library keeps a kernel-style log buffer per instance (hn_sim_dmesg);
 * each line is also passed to the log sink in the configuration.
 *
 * Threads: instances are independent; one instance is used by one thread at
 * a time (locking is the caller's).
 */
#ifndef HNUMA_SIM_H
#define HNUMA_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/fault.h>
#include <hnuma/hw.h>
#include <hnuma/log.h>
#include <hnuma/memblock.h>

HN_BEGIN_DECLS

struct hn_sim;

/* Zone types, in the kernel's order (x86_64 with ZONE_DEVICE, no HIGHMEM). */
enum hn_zone_type {
	HN_ZONE_DMA,
	HN_ZONE_DMA32,
	HN_ZONE_NORMAL,
	HN_ZONE_MOVABLE,
	HN_ZONE_DEVICE,
	HN_MAX_NR_ZONES,
};

/*
 * Migrate types, in the kernel's order.  The reference configuration is
 * Debian's 6.12 amd64 kernel: memory isolation on, CMA off.
 */
enum hn_migratetype {
	HN_MIGRATE_UNMOVABLE,
	HN_MIGRATE_MOVABLE,
	HN_MIGRATE_RECLAIMABLE,
	HN_MIGRATE_PCPTYPES,
	HN_MIGRATE_HIGHATOMIC = HN_MIGRATE_PCPTYPES,
	HN_MIGRATE_ISOLATE,
	HN_MIGRATE_TYPES,
};

/* Node states (include/linux/nodemask.h). */
enum hn_node_state {
	HN_N_POSSIBLE,
	HN_N_ONLINE,
	HN_N_NORMAL_MEMORY,
	HN_N_HIGH_MEMORY = HN_N_NORMAL_MEMORY,	/* no HIGHMEM on 64-bit */
	HN_N_MEMORY,
	HN_N_CPU,
	HN_N_GENERIC_INITIATOR,
	HN_NR_NODE_STATES,
};

/*
 * A corruption or consistency report: what the kernel would print with
 * bad_page() or a VM_BUG_ON.  @reason is a short fixed string ("nonzero
 * mapcount", "free list corrupted", ...) tests can compare.
 */
struct hn_report {
	const char *reason;
	const char *function;	/* the kernel function the check imitates */
	int nid;		/* -1 when not applicable */
	int zone;		/* enum hn_zone_type or -1 */
	uint64_t pfn;		/* UINT64_MAX when not applicable */
	unsigned int order;
	char detail[160];
};

typedef void (*hn_report_fn)(void *ctx, const struct hn_report *r);

enum hn_sim_flags {
	HN_SIM_STOP_BEFORE_MM = 1u << 0,	/* stop after memblock; call hn_sim_boot() */
	HN_SIM_MOVABLE_NODE = 1u << 1,		/* the movable_node boot parameter */
	HN_SIM_NO_MEMMAP_RESERVE = 1u << 2,	/* don't charge the simulated struct page array */
	HN_SIM_NO_PCP = 1u << 3,		/* no per-CPU lists: every request uses the buddy lists */
	/*
	 * The hierarchical-NUMA variant (hnuma/mattr.h): memory with attributes
	 * (a device's explicit mattr, or derived for every kind but DRAM)
	 * becomes attribute nodes with their own free areas; plain requests
	 * never use it, requests carrying attributes are matched to it.
	 * Without the flag the machine runs mainline and attribute bits in a
	 * request are ignored.
	 */
	HN_SIM_HNUMA = 1u << 4,
};

/*
 * Page contents (hn_sim_config.contents).  Off by default: pages are
 * metadata only.  With a model set, every page a task writes holds real
 * bytes with a checksum, migration copies them, and hn_sim_integrity()
 * (hnuma/mempolicy.h) proves none was lost.  The model decides what the
 * bytes are, for what compression will make of them:
 */
enum hn_contents_model {
	HN_CONTENTS_NONE,	/* metadata only */
	HN_CONTENTS_ZERO,	/* pages stay as zeroed by the fault */
	HN_CONTENTS_TEXT,	/* English-like words and line breaks (LZ ratio 2-3) */
	HN_CONTENTS_RANDOM,	/* incompressible bytes */
	HN_CONTENTS_MIX,	/* random then zeros, for a target ratio (contents_ratio) */
};

/*
 * Transparent huge pages: the transparent_hugepage= boot parameter
 * (hn_sim_config.thp_enabled) and /sys/kernel/mm/transparent_hugepage/enabled
 * (hn_sim_set_thp_enabled()).  Debian's 6.12 kernels are built with
 * CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS, so "always" is the default.  With
 * "always" or "madvise" khugepaged runs, and its
 * set_recommended_min_free_kbytes() raises min_free_kbytes so that a few
 * pageblocks per zone stay free (docs/faithfulness.md, "The boot").
 */
enum hn_thp_enabled {
	HN_THP_DEFAULT,		/* the kernel config's default: always */
	HN_THP_ALWAYS,
	HN_THP_MADVISE,
	HN_THP_NEVER,
};

/*
 * Configuration.  Zero means "the default" for every field, so
 * `struct hn_sim_config cfg = { .seed = 42 };` is a complete configuration.
 */
struct hn_sim_config {
	uint64_t seed;
	unsigned int page_shift;		/* 12..21; default: the machine's, else 12 */
	unsigned int max_page_order;		/* default 10 (MAX_PAGE_ORDER) */
	unsigned int pageblock_order;		/* default: order of 2 MiB, capped at max_page_order */
	int max_nodes;				/* default 64 */
	/*
	 * vm.min_free_kbytes as sysctl.vm.min_free_kbytes= on the kernel
	 * command line sets it: written at the end of the boot (do_sysctl_args()),
	 * so it is the value the booted machine runs with.  0: the kernel's
	 * own, int_sqrt(lowmem_kbytes * 16) clamped, raised by khugepaged.
	 */
	uint64_t min_free_kbytes;
	unsigned int thp_enabled;		/* enum hn_thp_enabled; default always */
	unsigned int watermark_scale_factor;	/* default 10 (0.1% of the zone) */
	bool lowmem_reserve_ratio_set;		/* use the next field instead of 256/256/32/0 */
	unsigned int lowmem_reserve_ratio[HN_MAX_NR_ZONES];
	unsigned int struct_page_size;		/* simulated sizeof(struct page); default 64 */
	uint64_t kernel_image_size;		/* simulated vmlinux reservation; default 32 MiB */
	unsigned int flags;			/* enum hn_sim_flags */
	struct hn_log_sink log;
	hn_report_fn report;
	void *report_ctx;
	/*
	 * Fault injection from the first step of hn_sim_create() on (see
	 * hnuma/fault.h); all zero: none.  Later changes: hn_fault_set().
	 */
	struct hn_fault_attr faults[HN_FAULT_NR_SITES];
	uint64_t fail_nth;
	/*
	 * HN_SIM_HNUMA: the matching strategy by name ("slides", the default,
	 * "slides-tree", "weighted", "lexicographic", "linear") and the
	 * per-property weights of "weighted"/"lexicographic" (all 0: all 1).
	 */
	const char *attr_match;
	unsigned int attr_weights[6];
	/*
	 * Page contents: enum hn_contents_model (default HN_CONTENTS_NONE),
	 * and for HN_CONTENTS_MIX the target compression ratio in hundredths,
	 * 100..100000 (300: 3:1).
	 */
	unsigned int contents;
	unsigned int contents_ratio;
};

/*
 * hn_sim_create - validate @machine, copy it and boot it.
 * @out: receives the instance (NULL on error).
 * @machine: a description; the instance keeps its own copy.
 * @cfg: NULL for all defaults.
 *
 * Returns 0; -EINVAL for a NULL argument, a configuration out of range or a
 * machine that does not validate (reason through cfg->log); -ENOMEM when the
 * host runs out of memory; -ENOSPC when the simulated early reservations do
 * not fit in the machine's memory.
 */
HN_EXPORT int hn_sim_create(struct hn_sim **out, const struct hn_machine *machine,
			    const struct hn_sim_config *cfg);

/*
 * Finish a boot started with HN_SIM_STOP_BEFORE_MM.  0; -EBUSY if already
 * booted; -EINVAL for what memblock was given meanwhile and boot cannot
 * place (memory no node of the machine claims, memory above
 * HN_MAX_PHYS_ADDR, two nodes in one memory section), with the reason in
 * the log, and for a NULL @sim; -ENOMEM; -ENOSPC.  A failed boot may be
 * retried after fixing memblock.
 */
HN_EXPORT int hn_sim_boot(struct hn_sim *sim);

/* Free everything.  NULL is fine. */
HN_EXPORT void hn_sim_destroy(struct hn_sim *sim);

/*
 * Check every invariant of every subsystem (before boot: memblock's).
 * Returns 0; -EUCLEAN after sending each violation to the report hook (and
 * the log sink); -EINVAL for a NULL @sim.
 */
HN_EXPORT int hn_sim_check(struct hn_sim *sim);

/*
 * The instance's memblock (modifying it after boot has no effect on zones)
 * and its copy of the machine, NULL for a NULL @sim; whether it has booted,
 * false for a NULL @sim.
 */
HN_EXPORT struct hn_memblock *hn_sim_memblock(struct hn_sim *sim);
HN_EXPORT const struct hn_machine *hn_sim_machine(const struct hn_sim *sim);
HN_EXPORT bool hn_sim_booted(const struct hn_sim *sim);

/* Simulated time in nanoseconds; advanced by the simulation only.  0 for NULL. */
HN_EXPORT uint64_t hn_sim_now_ns(const struct hn_sim *sim);
/*
 * Let @ns of simulated time pass.  The simulated kernel threads whose time
 * comes meanwhile run, in the order of their due times (kcompactd: woken
 * by an allocation, or every 500 ms for proactive compaction), each seeing
 * the clock at its due time.  hnuma-sim run advances time as its tasks
 * run; a program driving the allocator itself calls this to give the
 * daemons their turn.  0; -EINVAL for a NULL @sim; -EAGAIN before boot.
 */
HN_EXPORT int hn_sim_advance(struct hn_sim *sim, uint64_t ns);
/* A value from the instance's PRNG (xoshiro256**), for workloads and tests; 0 for NULL. */
HN_EXPORT uint64_t hn_sim_random(struct hn_sim *sim);

/* Geometry chosen at creation; each is 0 for a NULL @sim. */
HN_EXPORT unsigned int hn_sim_page_shift(const struct hn_sim *sim);
HN_EXPORT unsigned int hn_sim_max_page_order(const struct hn_sim *sim);
HN_EXPORT unsigned int hn_sim_pageblock_order(const struct hn_sim *sim);
HN_EXPORT int hn_sim_nr_node_ids(const struct hn_sim *sim);
HN_EXPORT unsigned int hn_sim_nr_cpu_ids(const struct hn_sim *sim);
/* Node of a CPU: the nid, or -EINVAL for a CPU that does not exist. */
HN_EXPORT int hn_sim_cpu_to_node(const struct hn_sim *sim, unsigned int cpu);
/*
 * node_state(nid, s).  False for a NULL @sim, before boot, for @nid < 0 or
 * >= nr_node_ids, and for @s out of the enum.
 */
HN_EXPORT bool hn_sim_node_state(const struct hn_sim *sim, int nid, enum hn_node_state s);

/* A snapshot of one node (pglist_data). */
struct hn_node_info {
	int nid;
	uint64_t node_start_pfn;
	uint64_t node_spanned_pages;
	uint64_t node_present_pages;
	uint64_t managed_pages;
	uint64_t free_pages;
	unsigned int nr_cpus;
	uint64_t host_memmap_bytes;	/* host bytes reserved for this node's mem_map */
};

/* A snapshot of one zone. */
struct hn_zone_info {
	int nid;
	enum hn_zone_type type;
	const char *name;		/* "DMA", "DMA32", "Normal", "Movable", "Device" */
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t managed_pages;
	uint64_t free_pages;
	uint64_t watermark_min, watermark_low, watermark_high, watermark_promo;
	uint64_t watermark_boost;
	int64_t lowmem_reserve[HN_MAX_NR_ZONES];
	uint64_t nr_free[32];		/* free blocks per order (0..max_page_order) */
};

/* -EINVAL for NULL, -ENODEV for a node that does not exist, -EAGAIN before boot. */
HN_EXPORT int hn_sim_node_info(const struct hn_sim *sim, int nid, struct hn_node_info *out);
HN_EXPORT int hn_sim_zone_info(const struct hn_sim *sim, int nid, enum hn_zone_type zt,
			       struct hn_zone_info *out);
/* vm.min_free_kbytes, set at boot: 0 for a NULL @sim and before boot. */
HN_EXPORT uint64_t hn_sim_min_free_kbytes(const struct hn_sim *sim);

/*
 * hn_sim_set_thp_enabled - write @mode to
 * /sys/kernel/mm/transparent_hugepage/enabled.  As enabled_store() does,
 * khugepaged starts or stops (start_stop_khugepaged()) and min_free_kbytes
 * and every watermark are recomputed (set_recommended_min_free_kbytes()),
 * printing the kernel's lines to the log.  Writing the current mode
 * recomputes too.
 *
 * Returns 0; -EINVAL for a NULL @sim or a @mode that is not always,
 * madvise or never; -EAGAIN before boot.
 */
HN_EXPORT int hn_sim_set_thp_enabled(struct hn_sim *sim, enum hn_thp_enabled mode);
/*
 * The current mode (HN_THP_ALWAYS, HN_THP_MADVISE or HN_THP_NEVER; never
 * when hugepage_init() turned THP off on a machine under 512 MiB), or
 * -EINVAL for a NULL @sim, -EAGAIN before boot.
 */
HN_EXPORT int hn_sim_thp_enabled(const struct hn_sim *sim);
/* The kernel's names ("Normal", "Movable", ...); NULL for a value out of the enum. */
HN_EXPORT const char *hn_zone_name(enum hn_zone_type zt);
HN_EXPORT const char *hn_migratetype_name(enum hn_migratetype mt);

/*
 * Views.  Each writes the kernel's text format to @f and returns 0, -EINVAL
 * for a NULL argument, -EAGAIN before boot, or -EIO if writing failed.
 * hn_sim_dmesg() and hn_sim_show_memblock() have something to show before
 * boot too (the memblock phase's log, memblock itself) and return 0 then.
 */
HN_EXPORT int hn_sim_dmesg(const struct hn_sim *sim, FILE *f);		/* the boot log */
HN_EXPORT int hn_sim_show_zoneinfo(const struct hn_sim *sim, FILE *f);	/* /proc/zoneinfo */
HN_EXPORT int hn_sim_show_hardware(const struct hn_sim *sim, FILE *f);	/* numactl --hardware */
HN_EXPORT int hn_sim_show_summary(const struct hn_sim *sim, FILE *f);	/* per-node table */
HN_EXPORT int hn_sim_show_memblock(const struct hn_sim *sim, FILE *f);	/* debugfs memblock */
/* `sysctl vm`: the /proc/sys/vm values the simulation keeps, one "vm.NAME = VALUE" line each */
HN_EXPORT int hn_sim_show_sysctl(const struct hn_sim *sim, FILE *f);

HN_END_DECLS

#endif /* HNUMA_SIM_H */
