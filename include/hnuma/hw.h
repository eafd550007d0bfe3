/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/hw.h - the simulated hardware: memory devices, initiators, distances
 * and access attributes.
 *
 * A struct hn_machine is a *description*: which memory devices sit on which
 * NUMA node, which CPUs and GPUs initiate accesses, the SLIT distance matrix
 * and the HMAT-style access matrix.  It owns no simulated state; booting a
 * struct hn_sim from it (hnuma/sim.h) copies it.  Descriptions come from the
 * built-in catalogue (hn_machine_builtin), from a YAML machine file, from a
 * QEMU -numa argument list, or are built by hand with the hn_machine_add_*()
 * calls below.
 *
 * Units: sizes and addresses in bytes, latencies in nanoseconds, bandwidths in
 * MB/s (10^6 bytes per second, as HMAT and QEMU's hmat-lb "bandwidth=" use
 * after scaling), power in milliwatts per GiB.
 *
 * Locking is the caller's: a machine may be read from several threads once no
 * thread modifies it.
 */
#ifndef HNUMA_HW_H
#define HNUMA_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/log.h>

HN_BEGIN_DECLS

/* Compile-time ceilings.  An instance may configure lower limits. */
#define HN_MAX_NUMNODES 1024	/* the kernel's MAX_NUMNODES with NODES_SHIFT=10 */
#define HN_MAX_CPUS 4096
#define HN_NAME_LEN 32
#define HN_ADDR_AUTO UINT64_MAX	/* let the machine place the device */

enum hn_mem_kind {
	HN_MEM_DRAM,		/* DDR4/DDR5 DIMMs */
	HN_MEM_HBM,		/* HBM or MCDRAM in flat mode */
	HN_MEM_NVDIMM,		/* byte-addressable persistent memory */
	HN_MEM_GPU,		/* coherent GPU memory (CDM), e.g. NVLink2/C2C */
	HN_MEM_CXL,		/* CXL Type-3 memory expander */
	HN_MEM_CXL_COMPRESSED,	/* CXL device that compresses what it stores */
	HN_MEM_NR_KINDS,
};

/* Where boot puts a device's pages.  AUTO follows the kernel's defaults. */
enum hn_zone_hint {
	HN_ZONE_HINT_AUTO,	/* DMA/DMA32/NORMAL by address; MOVABLE if hotplug and movable_node */
	HN_ZONE_HINT_NORMAL,
	HN_ZONE_HINT_MOVABLE,	/* like onlining with online_movable */
	HN_ZONE_HINT_DEVICE,	/* ZONE_DEVICE: present, never given to the buddy */
};

enum hn_compress_algo {
	HN_COMPRESS_NONE,
	HN_COMPRESS_LZ4,
	HN_COMPRESS_ZSTD,
	HN_COMPRESS_DEFLATE,
	HN_COMPRESS_MODEL,	/* a fixed ratio, no real codec */
};

struct hn_compress_desc {
	enum hn_compress_algo algo;
	uint32_t ratio_x100;	/* expected compression ratio * 100 (250 = 2.5:1) */
	uint32_t compress_mbps;	/* device (de)compression engine throughput */
	uint32_t decompress_mbps;
	uint32_t compress_ns;	/* fixed latency added per compressed access */
};

/*
 * The cost model's bandwidth-latency curve (hnuma/cost.h, docs/cost-model.md):
 * at @util_permille of the device's peak read bandwidth (0..1000), a read
 * from the device's own socket takes @latency_ns, as Intel MLC's loaded-latency
 * table prints it.  Points are in increasing utilisation with latencies that
 * never fall; the first is the idle latency (utilisation 0 or close to it).
 */
#define HN_CURVE_MAX_POINTS 12

struct hn_curve_point {
	uint32_t util_permille;
	uint32_t latency_ns;
};

/*
 * One memory device: a contiguous physical range on one node.  A node may
 * carry several devices (a DRAM node split by the PCI hole, DRAM + HBM on a
 * KNL SNC node).
 */
struct hn_memdev_desc {
	char name[HN_NAME_LEN];
	enum hn_mem_kind kind;
	int nid;
	uint64_t base;		/* HN_ADDR_AUTO, or a physical address */
	uint64_t size;
	uint32_t read_latency_ns;
	uint32_t write_latency_ns;
	uint32_t read_bw_mbps;
	uint32_t write_bw_mbps;
	struct hn_compress_desc compress;
	uint32_t power_mw_per_gib;	/* active power per GiB */
	uint32_t reliability;		/* 1 (worst) .. 16 (best); see docs/hardware.md */
	uint32_t density_gbit;		/* die density, Gbit */
	uint32_t compute_gops;		/* near-memory compute, 0 if none */
	bool persistent;
	bool hotplug;			/* memblock HOTPLUG flag; MOVABLE with movable_node */
	enum hn_zone_hint zone;
	uint32_t mattr;			/* hierarchical-NUMA attribute word, 0 = derive */
	/* the cost model's loaded latency; nr_loaded 0 = the analytic default */
	uint32_t nr_loaded;
	struct hn_curve_point loaded[HN_CURVE_MAX_POINTS];
	/*
	 * Read bandwidth a written byte uses up, x100 (150: a write costs
	 * 1.5 reads, DDR's bus turnarounds); 0 = read_bw / write_bw.
	 */
	uint32_t write_cost_x100;
};

enum hn_initiator_kind {
	HN_INIT_CPU,		/* a CPU socket (or sub-NUMA cluster) */
	HN_INIT_GPU,		/* a GPU or other generic initiator */
};

struct hn_initiator_desc {
	char name[HN_NAME_LEN];
	enum hn_initiator_kind kind;
	int nid;
	char cpus[128];		/* cpulist, "0-15,32-47"; empty for a GPU */
	/*
	 * An optional last-level-cache filter in front of memory (cost model
	 * only; off when llc_size is 0): size, line (a power of two), ways
	 * (size a multiple of line * ways) and the hit latency.
	 */
	uint64_t llc_size;
	uint32_t llc_line, llc_ways, llc_latency_ns;
};

/*
 * A link on the path from initiators to memory: a socket interconnect (UPI,
 * X-bus), a CXL or PCIe link, NVLink.  It joins nodes @a and @b, moves
 * @bw_mbps in each direction and takes @latency_ns to cross idle (already
 * part of the HMAT latency of the paths over it; the cost model scales its
 * queueing with it).  An access crosses the links of the fewest-hop path
 * between its initiator's node and its target's (docs/cost-model.md).
 */
struct hn_link_desc {
	char name[HN_NAME_LEN];
	int a, b;
	uint32_t bw_mbps;
	uint32_t latency_ns;
};

/*
 * HMAT-style performance of one initiator node reaching one target node.
 * Zero fields mean "not given": boot derives them from the device figures and
 * the SLIT distance (docs/hardware.md documents the rule).
 */
struct hn_access_desc {
	uint32_t read_latency_ns;
	uint32_t write_latency_ns;
	uint32_t read_bw_mbps;
	uint32_t write_bw_mbps;
};

enum hn_cache_assoc { HN_CACHE_NONE, HN_CACHE_DIRECT, HN_CACHE_COMPLEX };
enum hn_cache_policy { HN_CACHE_POLICY_NONE, HN_CACHE_WRITE_BACK, HN_CACHE_WRITE_THROUGH };

/* A memory-side cache in front of a node's memory (HMAT / QEMU hmat-cache). */
struct hn_memcache_desc {
	int nid;
	uint32_t level;		/* 1..3 */
	uint64_t size;
	enum hn_cache_assoc assoc;
	enum hn_cache_policy policy;
	uint32_t line;		/* bytes */
	/* a hit's cost (the cost model); 0 = the node's own memory figures */
	uint32_t hit_latency_ns;
	uint32_t hit_bw_mbps;
};

enum hn_arch {
	HN_ARCH_X86_64,		/* DMA < 16 MiB, DMA32 < 4 GiB, NORMAL above */
	HN_ARCH_PPC64,		/* ZONE_DMA covers all memory below 2 GiB... see docs */
	HN_ARCH_GENERIC,	/* a single NORMAL zone per node */
};

struct hn_machine;

/*
 * Creation and teardown.  @name is copied (at most HN_NAME_LEN-1 bytes); a
 * NULL @name names the machine "unnamed".  Returns 0, -EINVAL (NULL out) or
 * -ENOMEM.
 */
HN_EXPORT int hn_machine_new(struct hn_machine **out, const char *name);
HN_EXPORT void hn_machine_free(struct hn_machine *m);	/* NULL is fine */
HN_EXPORT int hn_machine_clone(struct hn_machine **out, const struct hn_machine *m);

/*
 * Building.  Each returns 0, -EINVAL for a bad argument (negative or too
 * large nid, zero size, a latency/bandwidth of zero where the kind needs one,
 * a bad cpulist, a loaded-latency curve hn_machine_validate() would not
 * read (more than HN_CURVE_MAX_POINTS points, utilisation over 1000 or not
 * increasing, a zero or falling latency), a write cost from 1 to 99, an LLC
 * whose line is not a power of two from 8 to 4096, whose ways are not
 * 1..64, whose size is not a multiple of line * ways or over 2^26 lines, or
 * without a hit latency) or -ENOMEM.  Cross-object rules (overlaps, symmetry, a CPU
 * in two nodes) are checked by hn_machine_validate().
 */
HN_EXPORT int hn_machine_set_description(struct hn_machine *m, const char *text);
HN_EXPORT int hn_machine_set_arch(struct hn_machine *m, enum hn_arch arch);
/* 0 (unset) or a power of two from 4 KiB to 2 MiB; anything else is -EINVAL. */
HN_EXPORT int hn_machine_set_page_size(struct hn_machine *m, uint32_t page_size);
/*
 * Also -EINVAL: a size, or a base other than HN_ADDR_AUTO, that is not a
 * multiple of 4 KiB; a range wrapping past UINT64_MAX; a kind or zone hint
 * out of its enum; HN_MEM_CXL_COMPRESSED without a compression algorithm,
 * an algorithm on any other kind, an algorithm out of the enum or a ratio
 * below 100 (1:1).
 */
HN_EXPORT int hn_machine_add_memdev(struct hn_machine *m, const struct hn_memdev_desc *d);
HN_EXPORT int hn_machine_add_initiator(struct hn_machine *m, const struct hn_initiator_desc *d);
HN_EXPORT int hn_machine_add_memcache(struct hn_machine *m, const struct hn_memcache_desc *d);
/*
 * A link (struct hn_link_desc): 0; -EINVAL (NULL, a node out of range, @a
 * equal to @b, a zero bandwidth); -ENOMEM.  Whether its nodes exist is
 * hn_machine_validate()'s question.
 */
HN_EXPORT int hn_machine_add_link(struct hn_machine *m, const struct hn_link_desc *d);
/* Declare a node that has neither memory nor CPUs (possible but empty). */
HN_EXPORT int hn_machine_add_node(struct hn_machine *m, int nid);
/* SLIT entry; values 10..254, 255 means unreachable as in ACPI. */
HN_EXPORT int hn_machine_set_distance(struct hn_machine *m, int from, int to, uint8_t distance);
HN_EXPORT int hn_machine_set_access(struct hn_machine *m, int initiator_nid,
				    int target_nid, const struct hn_access_desc *a);
/* Place devices without an address; called by validate, idempotent. */
HN_EXPORT int hn_machine_layout(struct hn_machine *m);

/* The end of the physical address space: 52 bits, the largest MAX_PHYSMEM_BITS. */
#define HN_MAX_PHYS_ADDR (1ULL << 52)

/*
 * Check the whole description and fill in what is derivable (addresses,
 * default distances, the HMAT matrix).  Returns 0, or -EINVAL for a NULL @m
 * or with the reason sent to @log: overlapping ranges, asymmetric distances
 * or a distance < 10, a local distance other than 10, a CPU in two nodes, a
 * zero-size device, devices that do not fit in the 64-bit address space, a
 * device ending above HN_MAX_PHYS_ADDR, an access entry from a node without
 * initiators or to a node without memory, a node id at or above @max_nodes,
 * no memory at all, a link joining a node that is not declared, a
 * memory-side cache larger than the memory of its node.  A @max_nodes <= 0 or above HN_MAX_NUMNODES means
 * HN_MAX_NUMNODES.
 */
HN_EXPORT int hn_machine_validate(struct hn_machine *m, int max_nodes,
				  const struct hn_log_sink *log);

/*
 * Reading a description back.  For a NULL @m: name NULL, description ""
 * (also "" when none was set), arch HN_ARCH_GENERIC, page size 0, total
 * memory 0.
 */
HN_EXPORT const char *hn_machine_name(const struct hn_machine *m);
HN_EXPORT const char *hn_machine_description(const struct hn_machine *m);
HN_EXPORT enum hn_arch hn_machine_arch(const struct hn_machine *m);
HN_EXPORT uint32_t hn_machine_page_size(const struct hn_machine *m);	/* 0 = unset */
/*
 * Devices, initiators and caches in the order they were added: the counts
 * (-EINVAL for a NULL @m), and entry @i copied to @out: 0; -EINVAL (NULL @m
 * or @out); -ENOENT (@i < 0 or at or above the count).
 */
HN_EXPORT int hn_machine_nr_memdevs(const struct hn_machine *m);
HN_EXPORT int hn_machine_memdev(const struct hn_machine *m, int i, struct hn_memdev_desc *out);
HN_EXPORT int hn_machine_nr_initiators(const struct hn_machine *m);
HN_EXPORT int hn_machine_initiator(const struct hn_machine *m, int i, struct hn_initiator_desc *out);
HN_EXPORT int hn_machine_nr_memcaches(const struct hn_machine *m);
HN_EXPORT int hn_machine_memcache(const struct hn_machine *m, int i, struct hn_memcache_desc *out);
/* The number of links; 0 for a NULL @m (like hn_machine_nr_node_ids()). */
HN_EXPORT int hn_machine_nr_links(const struct hn_machine *m);
/* Link @i: 0; -EINVAL (NULL); -ENOENT (no such link). */
HN_EXPORT int hn_machine_link(const struct hn_machine *m, int i, struct hn_link_desc *out);
/* One more than the highest node id mentioned anywhere; 0 for a NULL @m. */
HN_EXPORT int hn_machine_nr_node_ids(const struct hn_machine *m);
/* Whether @nid was declared; false for a NULL @m and for @nid < 0 or >= nr_node_ids. */
HN_EXPORT bool hn_machine_node_exists(const struct hn_machine *m, int nid);
/* Returns the SLIT distance, or 0 if either node is unknown or @m is NULL. */
HN_EXPORT int hn_machine_distance(const struct hn_machine *m, int from, int to);
/*
 * The HMAT entry from @initiator_nid to @target_nid, as given or as
 * hn_machine_validate() derived it.  0; -EINVAL (NULL @m or @out); -ENODEV
 * (either node not declared, as hn_machine_node_exists() says); -ENOENT (no
 * entry, e.g. from a node without initiators).
 */
HN_EXPORT int hn_machine_access(const struct hn_machine *m, int initiator_nid,
				int target_nid, struct hn_access_desc *out);
HN_EXPORT uint64_t hn_machine_total_memory(const struct hn_machine *m);

/*
 * Parse a size such as "4096", "64K", "16M", "2G", "1T", "512MiB" (binary
 * multiples, as QEMU and the kernel command line read them) or "0x1000".
 * Returns 0 or -EINVAL (syntax, overflow, NULL).
 */
HN_EXPORT int hn_parse_size(const char *s, uint64_t *out);

/*
 * Names for enums ("dram", "hbm", ...); NULL for an invalid value.  Parsing
 * also takes the common synonyms ("mcdram", "pmem", "ddr5", ...): 0, or
 * -EINVAL for a NULL argument or an unknown name.
 */
HN_EXPORT const char *hn_mem_kind_name(enum hn_mem_kind k);
HN_EXPORT int hn_mem_kind_parse(const char *s, enum hn_mem_kind *out);

/*
 * The built-in catalogue: "default", "knl-flat", "power9-v100", "dram-nvdimm",
 * "cxl-tiered".  Returns 0, -EINVAL (NULL) or -ENOENT for an unknown name.
 */
HN_EXPORT int hn_machine_builtin(struct hn_machine **out, const char *name);
/* Iterate the catalogue: name and one-line summary of entry @i, or NULL. */
HN_EXPORT const char *hn_machine_builtin_name(int i, const char **summary);

/*
 * A machine scaled to @total bytes of memory (catalogue entry @name's shape,
 * each device scaled in proportion, at least 1 GiB each), for benchmarks and
 * tests of large boxes.  Returns 0; -EINVAL (NULL, @total 0, below 1 GiB
 * per device of the entry or above 2^52 bytes); -ENOENT (unknown name);
 * -ENOMEM.  *@out is NULL on error.
 */
HN_EXPORT int hn_machine_builtin_scaled(struct hn_machine **out, const char *name,
					uint64_t total);

/*
 * Machine files.  YAML needs the library built with the "yaml" feature
 * (libcyaml); without it these return -EOPNOTSUPP.  Errors are -EINVAL with
 * the file, line and column in a message sent to @log, -ENOENT/-EACCES for
 * an unreadable file, -EISDIR for a directory, -EFBIG for a file or text
 * over 16 MiB, -ENOMEM.
 */
HN_EXPORT int hn_machine_load_yaml(struct hn_machine **out, const char *path,
				   const struct hn_log_sink *log);
HN_EXPORT int hn_machine_load_yaml_string(struct hn_machine **out, const char *text,
					  size_t len, const struct hn_log_sink *log);
/*
 * Write @m in the canonical form (validated, on a copy: @m is unchanged).
 * 0; -EINVAL (NULL, a machine hn_machine_validate() refuses, a name or text
 * that is not UTF-8); -EIO (writing failed); -ENOMEM.
 */
HN_EXPORT int hn_machine_save_yaml(const struct hn_machine *m, FILE *f);

/*
 * Import a QEMU argument list (the words after "qemu-system-x86_64", e.g.
 * {"-m", "4G", "-object", "memory-backend-ram,id=m0,size=2G", "-numa",
 * "node,nodeid=0,cpus=0-1,memdev=m0", ...}).  Understands -m, -smp,
 * -object memory-backend-*, -numa node/dist/cpu/hmat-lb/hmat-cache; other
 * options are ignored.  Returns 0 or -EINVAL with the offending argument
 * named through @log.  No arguments at all (@argc 0) is QEMU's default
 * machine: one node, one CPU, 128 MiB.
 */
HN_EXPORT int hn_machine_import_qemu(struct hn_machine **out, int argc,
				     const char *const *argv,
				     const struct hn_log_sink *log);
/*
 * Write the QEMU arguments that describe @m, one per line (validated, on a
 * copy: @m is unchanged).  0; -EINVAL (NULL, a machine hn_machine_validate()
 * refuses); -EIO (writing failed); -ENOMEM.
 */
HN_EXPORT int hn_machine_export_qemu(const struct hn_machine *m, FILE *f);

HN_END_DECLS

#endif /* HNUMA_HW_H */
