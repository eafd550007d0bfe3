/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * builtin.c - the built-in machine catalogue (hn_machine_builtin*()).
 *
 * DOC: the catalogue
 *
 * Seven machines, each a const description (devices, initiators, SLIT,
 * explicit HMAT entries) turned into a struct hn_machine through the public
 * hn_machine_*() builder calls, exactly as a user would build one by hand.
 * Nothing here pokes the struct, so every rule hn_machine_validate() applies
 * to a machine file applies to the catalogue too, and the unit tests prove
 * each entry validates.
 *
 * Every figure carries a citation beside it, by the keys of the source list
 * below; "est.:" marks a figure that no source states and says how it was
 * estimated.  docs/hardware.md repeats the figures as tables, the sources in
 * full, and the scales for reliability, density and compute.
 *
 * Conventions the tables follow:
 *  - A device's latency and bandwidth are what an initiator sees from the
 *    socket the device hangs off (its own socket for DRAM/HBM, the socket
 *    owning the root port for CXL, the GPU itself for GPU memory).
 *  - machine.c derives missing HMAT entries by scaling the device figures
 *    with the SLIT distance (latency * d / 10, bandwidth * 10 / d).  That is
 *    wrong for memory-only nodes whose SLIT entry encodes "different kind of
 *    memory" rather than "one more hop" (KNL's MCDRAM sits at distance 31 but
 *    is on the package), so every CPU -> memory-only pair that a source (or
 *    a stated estimate) covers is given explicitly, all four fields, and
 *    only the pairs nobody measures (a GPU reading a CXL expander, say) are
 *    left to the derivation.
 *  - Ordinary DRAM, HBM and CXL devices are left at HN_ADDR_AUTO so that the
 *    layout places them (node 0's first DRAM at 0 with the x86 holes); GPU
 *    memory sits at an explicit high address, as on real systems.
 *  - Node ids are dense (0..n-1) so that every entry validates with
 *    max_nodes = 64; where the real machine numbers its nodes sparsely
 *    (POWER9: 0, 8, 252-255) docs/hardware.md gives the mapping.
 *
 * Sources (full references in docs/hardware.md):
 *  [JESD79-4]  JEDEC DDR4 SDRAM standard: data rates, hence peak channel bandwidth.
 *  [JESD79-5]  JEDEC DDR5 SDRAM standard: 8..64 Gbit dies, DDR5-4800.
 *  [MLC-CLX]   Intel MLC v3.10 on a 2S Xeon Gold 6240 (Cascade Lake), KU Leuven,
 *              published as info/cascadelake_mlc.txt in github.com/gjbex/Code-optimization.
 *  [MLC-SPR]   Intel MLC v3.11a on a 2S Xeon Platinum 8468 (Sapphire Rapids, SNC4),
 *              same repository, info/sapphirerapids_mlc.txt.
 *  [XeonMax]   Intel Xeon CPU Max Series product brief and Configuration and Tuning
 *              Guide (354227): 56 cores, 4 x 16 GB HBM2e per socket, flat mode.
 *  [Scargall22] S. Scargall, "How To Map a CXL Endpoint to a CPU Socket in Linux"
 *              (2022): numactl -H of a 2S Sapphire Rapids box with two CXL expanders.
 *  [Sun23]     Y. Sun et al., "Demystifying CXL Memory with Genuine CXL-Ready
 *              Systems and Devices", MICRO'23.
 *  [Wang24]    X. Wang et al., "Exploring and Evaluating Real-world CXL: Use Cases
 *              and System Adoption", arXiv:2405.14209: CXL cards at 2-5x local DRAM latency.
 *  [Pond23]    H. Li et al., "Pond: CXL-Based Memory Pooling Systems for Cloud
 *              Platforms", ASPLOS'23: CXL adds ~70-90 ns over local DRAM.
 *  [CZ120]     Micron CZ120 CXL 2.0 memory expansion module announcement (2023):
 *              128/256 GB, PCIe 5.0 x8, up to 36 GB/s (MLC, 2:1 read/write).
 *  [CMM-D]     Samsung CMM-D (CXL 2.0) announcement / tech blog: 128 GB, PCIe 5.0 x8,
 *              up to 35 GB/s.
 *  [LZ4]       LZ4 README benchmark table (v1.7.3): LZ4 default ratio 2.101 on Silesia.
 *  [GH-arch]   NVIDIA Grace Hopper Superchip Architecture whitepaper/blog: H100 with
 *              up to 96 GB HBM3 at 3000 GB/s; NVLink-C2C 900 GB/s (450 per direction).
 *  [H100-DS]   NVIDIA H100 Tensor Core GPU datasheet: FP32 67 TFLOPS (SXM).
 *  [Werner25]  F. Werner, M. Weisgut, T. Rabl, "Towards Memory Disaggregation via
 *              NVLink C2C: Benchmarking CPU-Requested GPU Memory Access", HCDS'25:
 *              Grace -> Hopper memory up to 168 GB/s at 800-1000 ns.
 *  [McCalpin16] J. McCalpin, "Memory Latency on the Intel Xeon Phi x200 Knights
 *              Landing processor" (blog, 2016): flat-quadrant idle latencies.
 *  [Raman16]   K. Raman, "Optimizing Memory Bandwidth in Knights Landing on Stream
 *              Triad" (Intel, 2016): STREAM triad from DDR4 and MCDRAM in flat mode.
 *  [KNL-numactl] numactl -H of a Xeon Phi 7250 flat-quadrant node in the MVAPICH2
 *              user guide: 272 CPUs, node 1 16384 MB, distances 10/31.
 *  [AC922-numactl] numactl -H of an AC922 with 4x V100-32GB ("Masterthesis-
 *              Heterogeneous-PC" README on GitHub): nodes 0,8,252-255, 10/40/80.
 *  [AC922-RP]  IBM Redpaper REDP-5472, "IBM Power System AC922 Introduction and
 *              Technical Overview": 170 GB/s DDR4 per socket, 64 GB/s X-bus.
 *  [skiboot]   OPAL skiboot hw/phys-map.c (POWER9 Nimbus map: GPU_MEM_4T_DOWN windows
 *              of 128 GiB below 4 TiB, chip id << 42) and hw/npu*.c (gpu index).
 *  [hwloc]     B. Goglin, openpmix/prrte issue #2025: POWER GPU NUMA nodes are
 *              numbered from 255 down.
 *  [V100-WP]   NVIDIA Tesla V100 GPU Architecture whitepaper: HBM2 900 GB/s,
 *              NVLink2 25 GB/s per link per direction, FP32 15.7 TFLOPS (SXM2).
 *  [NP17]      The Next Platform, "NVLink Shines on POWER9 for AI and HPC Tests"
 *              (2017): 68 GB/s CPU<->GPU on a 4-GPU AC922.
 *  [Izraelevitz19] J. Izraelevitz et al., "Basic Performance Measurements of the
 *              Intel Optane DC Persistent Memory Module", arXiv:1903.05714.
 *  [Yang20]    J. Yang et al., "An Empirical Guide to the Behavior and Use of
 *              Scalable Persistent Memory", FAST'20.
 *  [PMem-PB]   Intel Optane DC Persistent Memory product brief: 128/256/512 GB
 *              modules, 12-18 W per module.
 *  [3DXP]      Intel/Micron 3D XPoint announcement (2015): 128 Gbit die.
 *  [CRM359]    intel/cri-resource-manager PR #359: 2S + PMem test topology with the
 *              17 (local PMem) / 28 (remote PMem) distances such boxes report.
 *  [MLC-GNR]   Intel MLC v3.11a on a 2S Granite Rapids (SNC3), same repository as
 *              [MLC-CLX], info/granite_rapids_mlc.txt: its loaded-latency table.
 *  [PCIe5]     PCI Express 5.0: 32 GT/s per lane, 128b/130b, so an x8 link moves
 *              31.5 GB/s in each direction.
 *  [SPR-DS]    Intel Xeon Platinum 8480+ / Max 9480 product pages: 105 / 112.5 MB L3.
 *  [CLX-DS]    Intel Xeon Gold 6240 product page: 24.75 MB L3 (11 ways per slice).
 */
#include "hw/machine.h"
#include "hw/cost.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* The largest catalogue entry has 7 devices; the scaler keeps per-device state on the stack. */
#define BUILTIN_MAX_DEVS 16

/*
 * Scaling stops at 4 PiB: x86-64 and arm64 physical addresses end at 52 bits
 * (the kernel's MAX_PHYSMEM_BITS), so no machine we imitate has more.  Near
 * that total the layout's holes and fixed bases end above HN_MAX_PHYS_ADDR,
 * and hn_machine_validate() refuses the result.
 */
#define BUILTIN_MAX_TOTAL (1ULL << 52)

/* One explicit HMAT entry: initiator node -> target node. */
struct builtin_access {
	int init;
	int target;
	struct hn_access_desc a;
};

/* A catalogue machine as plain const data; build_from_spec() turns it into a hn_machine. */
struct builtin_spec {
	const char *name;
	const char *description;
	enum hn_arch arch;
	uint32_t page_size;			/* 0: the instance default */
	const struct hn_memdev_desc *devs;
	int nr_devs;
	const struct hn_initiator_desc *inits;
	int nr_inits;
	int nr_nodes;
	const uint8_t *slit;			/* nr_nodes * nr_nodes, row-major, symmetric */
	const struct builtin_access *access;
	int nr_access;
	const struct hn_link_desc *links;
	int nr_links;
	const struct hn_memcache_desc *caches;
	int nr_caches;
	const struct hn_cost_ref *refs;		/* published figures (hw/cost.h) */
	int nr_refs;
};

#define ACC(lat_r, lat_w, bw_r, bw_w) \
	{ .read_latency_ns = (lat_r), .write_latency_ns = (lat_w), \
	  .read_bw_mbps = (bw_r), .write_bw_mbps = (bw_w) }

/*
 * Figures shared by the Sapphire Rapids based machines ("default" and
 * "cxl-tiered").  [MLC-SPR] ran in SNC4; a socket without SNC interleaves over
 * all four quadrants, so its local latency is the mean of one SNC node's four
 * intra-socket entries (95.4, 106.3, 111.9, 123.2 ns -> 109 ns).
 */
#define SPR_DDR5_LAT_NS		109	/* [MLC-SPR] mean of node 0's intra-socket idle latencies */
#define SPR_DDR5_BW_MBPS	245973	/* [MLC-SPR] 491946.4 MB/s all-reads peak injection / 2 sockets */
#define SPR_REMOTE_LAT_NS	188	/* [MLC-SPR] cross-socket idle latency, 186-189 ns */
#define SPR_UPI_EXTRA_NS	(SPR_REMOTE_LAT_NS - SPR_DDR5_LAT_NS)	/* one UPI hop: 79 ns */
/* est.: remote bandwidth = local * 10 / 21, machine.c's own rule at SLIT 21 (~117 GB/s,
 * plausible for SPR's UPI 2.0 links); MLC-SPR's 56 GB/s is one SNC node's share. */
#define SPR_REMOTE_BW_MBPS	117130
/*
 * SPR's DDR5 loaded latency: no table for SPR itself at hand, so est.: the
 * shape of [MLC-GNR]'s (DDR5 too; utilisation per mille of its 1166 GB/s
 * peak, latency over its 95.3 ns idle) scaled to SPR's 109 ns idle.
 */
#define SPR_DDR5_CURVE	.loaded = { { 0, 109 }, { 58, 111 }, { 198, 115 }, { 333, 123 }, { 431, 130 }, \
				    { 605, 156 }, { 767, 181 }, { 847, 196 }, { 990, 271 } },	\
			.nr_loaded = 9
/* [MLC-SPR] peak injection: all reads 491946 MB/s, 1:1 reads-writes 401276: a written
 * byte costs 2 * 491946 / 401276 - 1 = 1.45 reads of bandwidth */
#define SPR_DDR5_WRITE_COST	145
#define SPR_DDR5_POWER		125	/* est.: ~8 W per 64 GB DDR5 RDIMM under load -> 125 mW/GiB */
#define DDR5_RELIABILITY	14	/* est.: ECC RDIMM plus DDR5 on-die ECC; scale in docs/hardware.md */
#define DDR5_DIE_GBIT		16	/* [JESD79-5] first-generation DDR5 dies are 16 Gbit */

#define XMAX_LLC	.llc_size = 117964800, .llc_line = 64, .llc_ways = 15, .llc_latency_ns = 33
#define SPR_LLC		.llc_size = 110100480, .llc_line = 64, .llc_ways = 15, .llc_latency_ns = 33
/* [SPR-DS] a UPI 2.0 link set; bandwidth as SPR_REMOTE_BW_MBPS (est.), latency one hop */
#define SPR_UPI(a_, b_)	{ .name = "upi", .a = (a_), .b = (b_), .bw_mbps = SPR_REMOTE_BW_MBPS, \
			  .latency_ns = SPR_UPI_EXTRA_NS }
/* [PCIe5] x8: 31500 MB/s each way; [Pond23] 70 ns (low end) for the CXL port and link */
#define CXL_X8(n_, a_, b_) { .name = n_, .a = (a_), .b = (b_), .bw_mbps = 31500, .latency_ns = 70 }

/* Xeon Max on-package HBM2e in flat mode. */
#define XMAX_HBM_LAT_NS		130	/* est.: HBM idles slower than DDR5 on Xeon Max; 109 + ~20 ns */
#define XMAX_HBM_BW_MBPS	1000000	/* est.: ~1 TB/s per socket, Intel's Xeon Max claim, ~4x DDR5 */

/* CXL Type-3 expanders (CMM-D / CZ120 class) behind a SPR root port. */
/* est.: 250 ns = ~2.3x the 109 ns local figure: inside [Wang24]'s 2-5x, and local +
 * [Pond23]'s 70-90 ns controller/link cost + one more device-side DRAM access. */
#define CXL_LAT_NS		250
#define CXL_REMOTE_LAT_NS	(CXL_LAT_NS + SPR_UPI_EXTRA_NS)	/* est.: plus one UPI hop */
#define CXL_POWER		125	/* est.: ~16 W for a 128 GB E3.S 2T module */
#define CXL_RELIABILITY		12	/* est.: ECC DRAM, plus a CRC/retry link and a hot-removable card */
#define CXL_DIE_GBIT		16	/* est.: current 16 Gbit DDR5 dies ([CZ120] uses Micron 1-alpha DRAM) */

/* -------------------------------------------------------------------------
 * "default": a heterogeneous two-socket box.  Not one product: Xeon Max
 * (SPR + HBM2e, flat mode) sockets, a CXL expander, a compressing CXL device
 * and Hopper-class coherent GPU memory, each with its own sources, shrunk so
 * that the whole box is 384 GiB and boots quickly.
 */
static const struct hn_memdev_desc default_devs[] = {
	{
		.name = "s0-ddr5",
		.kind = HN_MEM_DRAM,
		.nid = 0,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* est.: 8 channels x 8 GB DDR5-4800 (kept small) */
		.read_latency_ns = SPR_DDR5_LAT_NS,	/* [MLC-SPR] */
		.write_latency_ns = SPR_DDR5_LAT_NS,	/* no separate write figure; same as read */
		.read_bw_mbps = SPR_DDR5_BW_MBPS,	/* [MLC-SPR] */
		.write_bw_mbps = SPR_DDR5_BW_MBPS,	/* no separate write figure; same as read */
		SPR_DDR5_CURVE,				/* est., see SPR_DDR5_CURVE */
		.write_cost_x100 = SPR_DDR5_WRITE_COST,	/* [MLC-SPR] */
		.power_mw_per_gib = SPR_DDR5_POWER,	/* est., see SPR_DDR5_POWER */
		.reliability = DDR5_RELIABILITY,
		.density_gbit = DDR5_DIE_GBIT,		/* [JESD79-5] */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "s1-ddr5",
		.kind = HN_MEM_DRAM,
		.nid = 1,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* est.: as s0-ddr5 */
		.read_latency_ns = SPR_DDR5_LAT_NS,	/* [MLC-SPR] */
		.write_latency_ns = SPR_DDR5_LAT_NS,
		.read_bw_mbps = SPR_DDR5_BW_MBPS,	/* [MLC-SPR] */
		.write_bw_mbps = SPR_DDR5_BW_MBPS,
		SPR_DDR5_CURVE,				/* est., see SPR_DDR5_CURVE */
		.write_cost_x100 = SPR_DDR5_WRITE_COST,	/* [MLC-SPR] */
		.power_mw_per_gib = SPR_DDR5_POWER,
		.reliability = DDR5_RELIABILITY,
		.density_gbit = DDR5_DIE_GBIT,		/* [JESD79-5] */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "s0-hbm2e",
		.kind = HN_MEM_HBM,
		.nid = 2,
		.base = HN_ADDR_AUTO,
		.size = 16 * HN_GiB,			/* [XeonMax] one 16 GB stack's worth; the part has 4 (scaled down) */
		.read_latency_ns = XMAX_HBM_LAT_NS,	/* est., see XMAX_HBM_LAT_NS */
		.write_latency_ns = XMAX_HBM_LAT_NS,	/* est.: as read */
		.read_bw_mbps = XMAX_HBM_BW_MBPS,	/* est., see XMAX_HBM_BW_MBPS */
		.write_bw_mbps = XMAX_HBM_BW_MBPS,	/* est.: as read */
		.power_mw_per_gib = 375,		/* est.: ~6 W per 16 GB HBM2e stack */
		.reliability = 12,			/* est.: ECC, no chipkill spare, not field-replaceable */
		.density_gbit = 16,			/* [XeonMax] 16 GB stacks: 8-high x 16 Gbit */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "s1-hbm2e",
		.kind = HN_MEM_HBM,
		.nid = 3,
		.base = HN_ADDR_AUTO,
		.size = 16 * HN_GiB,			/* [XeonMax], scaled down as s0-hbm2e */
		.read_latency_ns = XMAX_HBM_LAT_NS,	/* est. */
		.write_latency_ns = XMAX_HBM_LAT_NS,
		.read_bw_mbps = XMAX_HBM_BW_MBPS,	/* est. */
		.write_bw_mbps = XMAX_HBM_BW_MBPS,
		.power_mw_per_gib = 375,		/* est. */
		.reliability = 12,			/* est. */
		.density_gbit = 16,			/* [XeonMax] */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "cxl0-expander",
		.kind = HN_MEM_CXL,
		.nid = 4,
		.base = HN_ADDR_AUTO,
		.size = 128 * HN_GiB,			/* [CZ120] 128 GB module */
		.read_latency_ns = CXL_LAT_NS,		/* est., see CXL_LAT_NS */
		.write_latency_ns = CXL_LAT_NS,		/* est.: as read */
		.read_bw_mbps = 36000,			/* [CZ120] up to 36 GB/s */
		.write_bw_mbps = 36000,			/* [CZ120] the 36 GB/s was a 2:1 read/write mix */
		.power_mw_per_gib = CXL_POWER,		/* est. */
		.reliability = CXL_RELIABILITY,		/* est. */
		.density_gbit = CXL_DIE_GBIT,		/* est. */
		.hotplug = true,			/* CXL memory is hot-added (dax/kmem) */
		.zone = HN_ZONE_HINT_MOVABLE,		/* onlined movable so it can be unplugged */
	},
	{
		.name = "cxl1-compress",
		.kind = HN_MEM_CXL_COMPRESSED,
		.nid = 5,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* est.: host-visible capacity, not DRAM behind it */
		.read_latency_ns = CXL_LAT_NS,		/* est.: link + media as cxl0; decompression below */
		.write_latency_ns = CXL_LAT_NS,
		.read_bw_mbps = 32000,			/* est.: capped by the decompress engine below */
		.write_bw_mbps = 16000,			/* est.: capped by the compress engine below */
		.compress = {
			.algo = HN_COMPRESS_LZ4,	/* an LZ4-class inline engine */
			.ratio_x100 = 210,		/* [LZ4] 2.101 on Silesia; page contents vary */
			.compress_mbps = 16000,		/* est.: engine sized to half the x8 PCIe 5.0 link */
			.decompress_mbps = 32000,	/* est.: engine sized to the x8 PCIe 5.0 link (~32 GB/s) */
			.compress_ns = 300,		/* est.: one 4 KiB block through the engine */
		},
		.power_mw_per_gib = 220,		/* est.: cxl0's DRAM power plus ~6 W of engines over 64 GiB */
		.reliability = 11,			/* est.: cxl0 plus compression state that can corrupt */
		.density_gbit = CXL_DIE_GBIT,		/* est. */
		.hotplug = true,			/* CXL, as cxl0 */
		.zone = HN_ZONE_HINT_MOVABLE,
	},
	{
		.name = "gpu0-hbm3",
		.kind = HN_MEM_GPU,
		.nid = 6,
		/* est.: 32 TiB, far above anything the layout places (POWER9 puts chip 8 at 1 << 45). */
		.base = 0x200000000000ULL,
		.size = 32 * HN_GiB,			/* [GH-arch] H100 has 96 GB; a third of it, to boot quickly */
		.read_latency_ns = 500,			/* est.: GPU-side HBM load latency, several hundred ns */
		.write_latency_ns = 500,		/* est.: as read */
		.read_bw_mbps = 3000000,		/* [GH-arch] up to 3000 GB/s HBM3 */
		.write_bw_mbps = 3000000,		/* [GH-arch] */
		.power_mw_per_gib = 300,		/* est.: ~5 W per 16 GB HBM3 stack */
		.reliability = 11,			/* est.: ECC with row remapping, no chipkill */
		.density_gbit = 16,			/* [GH-arch] 16 GB HBM3 stacks: 8-high x 16 Gbit */
		.compute_gops = 67000,			/* [H100-DS] 67 TFLOPS FP32 beside this memory */
		.hotplug = true,			/* the GPU driver hot-adds CDM after boot */
		.zone = HN_ZONE_HINT_MOVABLE,		/* hierarchical-NUMA slides: CDM stays in ZONE_MOVABLE */
	},
};

static const struct hn_initiator_desc default_inits[] = {
	/* [XeonMax] 56 cores x 2; L3 [SPR-DS] 112.5 MB, 15 ways; est.: ~33 ns L3 hit */
	{ .name = "socket0", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0-55,112-167", XMAX_LLC },
	{ .name = "socket1", .kind = HN_INIT_CPU, .nid = 1, .cpus = "56-111,168-223", XMAX_LLC },
	{ .name = "gpu0", .kind = HN_INIT_GPU, .nid = 6, .cpus = "" },
};

/*
 * CPU rows: 21 between sockets and 14/24 for CXL as [Scargall22] reports;
 * 13/23 for HBM (est.: between DDR and CXL, as HBM latency is); 17/27 for
 * the compressing device (est.: ranked after the plain expander); 80 to GPU
 * memory as [AC922-numactl] reports for coherent GPU memory.  Between two
 * memory-only nodes: est. max(d(socket of a, b), d(socket of b, a)) + 2, the
 * rule that reproduces [Scargall22]'s 26 between its two expanders.
 */
static const uint8_t default_slit[7 * 7] = {
/*	 0   1   2   3   4   5   6 */
	10, 21, 13, 23, 14, 27, 80,	/* 0 socket0 DDR5 */
	21, 10, 23, 13, 24, 17, 80,	/* 1 socket1 DDR5 */
	13, 23, 10, 25, 16, 29, 80,	/* 2 socket0 HBM */
	23, 13, 25, 10, 26, 19, 80,	/* 3 socket1 HBM */
	14, 24, 16, 26, 10, 29, 80,	/* 4 CXL expander (socket0 root port) */
	27, 17, 29, 19, 29, 10, 80,	/* 5 compressing CXL (socket1 root port) */
	80, 80, 80, 80, 80, 80, 10,	/* 6 GPU memory (coherent link to socket0) */
};

static const struct builtin_access default_access[] = {
	/* Remote DDR5 over UPI: [MLC-SPR] latency; bandwidth est., see SPR_REMOTE_BW_MBPS. */
	{ 0, 1, ACC(SPR_REMOTE_LAT_NS, SPR_REMOTE_LAT_NS, SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
	{ 1, 0, ACC(SPR_REMOTE_LAT_NS, SPR_REMOTE_LAT_NS, SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
	/* HBM: local = the device figures; remote = est. + one UPI hop, UPI-bound. */
	{ 0, 2, ACC(XMAX_HBM_LAT_NS, XMAX_HBM_LAT_NS, XMAX_HBM_BW_MBPS, XMAX_HBM_BW_MBPS) },
	{ 1, 3, ACC(XMAX_HBM_LAT_NS, XMAX_HBM_LAT_NS, XMAX_HBM_BW_MBPS, XMAX_HBM_BW_MBPS) },
	{ 0, 3, ACC(XMAX_HBM_LAT_NS + SPR_UPI_EXTRA_NS, XMAX_HBM_LAT_NS + SPR_UPI_EXTRA_NS,
		    SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
	{ 1, 2, ACC(XMAX_HBM_LAT_NS + SPR_UPI_EXTRA_NS, XMAX_HBM_LAT_NS + SPR_UPI_EXTRA_NS,
		    SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
	/* CXL expander on socket0's root port: device figures; from socket1 est. + UPI hop. */
	{ 0, 4, ACC(CXL_LAT_NS, CXL_LAT_NS, 36000, 36000) },
	{ 1, 4, ACC(CXL_REMOTE_LAT_NS, CXL_REMOTE_LAT_NS, 36000, 36000) },
	/* Compressing CXL on socket1's root port, the same way. */
	{ 1, 5, ACC(CXL_LAT_NS, CXL_LAT_NS, 32000, 16000) },
	{ 0, 5, ACC(CXL_REMOTE_LAT_NS, CXL_REMOTE_LAT_NS, 32000, 16000) },
	/* CPU -> GPU memory over the coherent link: [Werner25] 800 ns (low end), 168 GB/s. */
	{ 0, 6, ACC(800, 800, 168000, 168000) },
	{ 1, 6, ACC(800 + SPR_UPI_EXTRA_NS, 800 + SPR_UPI_EXTRA_NS,	/* est.: plus one UPI hop */
		    SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
	/*
	 * GPU -> host DDR5: est. symmetric latency to [Werner25]; bandwidth is
	 * min(socket DDR5, 450 GB/s per C2C direction [GH-arch]).
	 */
	{ 6, 0, ACC(800, 800, SPR_DDR5_BW_MBPS, SPR_DDR5_BW_MBPS) },
	{ 6, 1, ACC(800 + SPR_UPI_EXTRA_NS, 800 + SPR_UPI_EXTRA_NS,
		    SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },
};

static const struct hn_link_desc default_links[] = {
	SPR_UPI(0, 1),
	CXL_X8("cxl0", 0, 4),
	CXL_X8("cxl1", 1, 5),
	/* [GH-arch] NVLink-C2C: 450 GB/s each way; est.: ~300 ns of the 800 ns is the link */
	{ .name = "c2c", .a = 0, .b = 6, .bw_mbps = 450000, .latency_ns = 300 },
};

static const struct hn_cost_ref default_refs[] = {
	{ HN_REF_IDLE_NS, 0, 0, 0, 109, true, "[MLC-SPR] mean of one SNC node's four" },
	{ HN_REF_IDLE_NS, 0, 1, 0, 188, true, "[MLC-SPR]" },
	{ HN_REF_PEAK_MBPS, 0, 0, 0, 245973, true, "[MLC-SPR] all reads / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.5, 200638, true, "[MLC-SPR] 1:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.25, 214898, false, "[MLC-SPR] 3:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 1.0 / 3, 210678, false, "[MLC-SPR] 2:1 / 2 sockets" },
	{ HN_REF_PEAK_MBPS, 0, 4, 0, 36000, true, "[CZ120]" },
	{ HN_REF_IDLE_NS, 0, 6, 0, 800, true, "[Werner25] low end" },
	{ HN_REF_PEAK_MBPS, 0, 6, 0, 168000, true, "[Werner25]" },
};

/* -------------------------------------------------------------------------
 * "knl-flat": Xeon Phi 7250 (68 cores x 4 threads) in flat/quadrant mode,
 * DDR4 on node 0 and the 16 GiB MCDRAM as memory-only node 1.
 */
/* Node 0's DDR4, shared by the three KNL modes. */
#define KNL_DDR4 \
	{ \
		.name = "ddr4", \
		.kind = HN_MEM_DRAM, \
		.nid = 0, \
		.base = HN_ADDR_AUTO, \
		.size = 96 * HN_GiB,			/* [KNL-numactl] node 0 98200 MB: 6 x 16 GB DDR4-2400 */ \
		.read_latency_ns = 130,			/* [McCalpin16] flat-quadrant DDR4, ~130 ns */ \
		.write_latency_ns = 130,		/* no separate write figure; same as read */ \
		.read_bw_mbps = 90000,			/* [Raman16] ~90 GB/s STREAM (peak 115.2 GB/s [JESD79-4]) */ \
		.write_bw_mbps = 90000,			/* STREAM triad mixes reads and writes; same figure */ \
		/* est.: [MLC-CLX]'s DDR4 curve scaled to the 130 ns idle */ \
		.loaded = { { 0, 130 }, { 100, 140 }, { 300, 151 }, { 532, 165 }, { 803, 193 }, { 979, 252 } }, \
		.nr_loaded = 6, \
		.write_cost_x100 = 126,			/* est.: DDR4 as [MLC-CLX], see CLX_DDR4_WRITE_COST */ \
		.power_mw_per_gib = 250,		/* est.: ~4 W per 16 GB DDR4 RDIMM under load */ \
		.reliability = 13,			/* est.: ECC RDIMM */ \
		.density_gbit = 8,			/* est.: 16 GB RDIMMs of 2016 use 8 Gbit dies */ \
		.zone = HN_ZONE_HINT_AUTO, \
	}

static const struct hn_memdev_desc knl_devs[] = {
	KNL_DDR4,
	{
		.name = "mcdram",
		.kind = HN_MEM_HBM,
		.nid = 1,
		.base = HN_ADDR_AUTO,			/* [McCalpin16] the top 16 GiB, where AUTO puts it */
		.size = 16 * HN_GiB,			/* [KNL-numactl] node 1 16384 MB */
		.read_latency_ns = 154,			/* [McCalpin16] flat-quadrant MCDRAM, ~154 ns */
		.write_latency_ns = 154,		/* no separate write figure; same as read */
		.read_bw_mbps = 450000,			/* [Raman16] STREAM 450-490 GB/s; 5x the DDR4 */
		.write_bw_mbps = 450000,		/* as read (STREAM triad) */
		.power_mw_per_gib = 700,		/* est.: ~11 W for 16 GB of stacked DRAM at full bandwidth */
		.reliability = 11,			/* est.: ECC, on-package, not replaceable */
		.density_gbit = 4,			/* est.: 2 GB packages of 4-high 4 Gbit dies (HMC lineage) */
		.zone = HN_ZONE_HINT_AUTO,
	},
};

static const struct hn_initiator_desc knl_inits[] = {
	{ .name = "knl", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0-271" },	/* [KNL-numactl] 68 x 4 */
};

static const uint8_t knl_slit[2 * 2] = {
	10, 31,		/* [KNL-numactl] exactly what the 7250 reports */
	31, 10,
};

static const struct builtin_access knl_access[] = {
	/*
	 * MCDRAM is on the package: distance 31 says "other memory", not three
	 * times the latency, so the device figures are given explicitly.
	 */
	{ 0, 1, ACC(154, 154, 450000, 450000) },	/* [McCalpin16], [Raman16] */
};

static const struct hn_cost_ref knl_refs[] = {
	{ HN_REF_IDLE_NS, 0, 0, 0, 130, true, "[McCalpin16] flat-quadrant DDR4" },
	{ HN_REF_IDLE_NS, 0, 1, 0, 154, true, "[McCalpin16] flat-quadrant MCDRAM" },
	{ HN_REF_PEAK_MBPS, 0, 0, 0, 90000, true, "[Raman16] STREAM from DDR4" },
	{ HN_REF_PEAK_MBPS, 0, 1, 0, 450000, true, "[Raman16] STREAM from MCDRAM" },
};

/*
 * "knl-cache" and "knl-hybrid": the same part with MCDRAM as a memory-side
 * cache in front of the DDR4 (direct-mapped, 64 B lines, write-back: the
 * MCDRAM cache as [McCalpin16] describes it), all of it or half.
 */
static const struct hn_memdev_desc knl_cache_devs[] = { KNL_DDR4 };
/* est.: a hit costs a flat MCDRAM access, [McCalpin16]'s 154 ns, plus ~10 ns of tag check;
 * [Raman16]'s 450 GB/s as its bandwidth */
#define KNL_MCDRAM_CACHE(sz)							\
	{ .nid = 0, .level = 1, .size = (sz), .assoc = HN_CACHE_DIRECT,		\
	  .policy = HN_CACHE_WRITE_BACK, .line = 64, .hit_latency_ns = 164,	\
	  .hit_bw_mbps = 450000 }
static const struct hn_memcache_desc knl_cache_caches[] = { KNL_MCDRAM_CACHE(16 * HN_GiB) };
static const uint8_t knl_cache_slit[1] = { 10 };
static const struct builtin_access knl_cache_access[] = {
	{ 0, 0, ACC(130, 130, 90000, 90000) },		/* [McCalpin16], [Raman16]: the DDR4 */
};
static const struct hn_cost_ref knl_cache_refs[] = {
	{ HN_REF_IDLE_NS, 0, 0, 0, 130, true, "[McCalpin16] DDR4 behind the cache" },
	{ HN_REF_PEAK_MBPS, 0, 0, 0, 90000, true, "[Raman16] STREAM from DDR4" },
};
/* est.: hybrid 50/50, one of the part's BIOS splits: 8 GiB flat node + 8 GiB cache */
static const struct hn_memdev_desc knl_hybrid_devs[] = {
	KNL_DDR4,
	{
		.name = "mcdram-flat",
		.kind = HN_MEM_HBM,
		.nid = 1,
		.base = HN_ADDR_AUTO,
		.size = 8 * HN_GiB,			/* half of the 16 GiB, the other half caches */
		.read_latency_ns = 154,			/* [McCalpin16] */
		.write_latency_ns = 154,
		.read_bw_mbps = 225000,			/* est.: half the stacks' channels, half [Raman16]'s 450 GB/s */
		.write_bw_mbps = 225000,
		.power_mw_per_gib = 700,		/* est., as mcdram */
		.reliability = 11,			/* est., as mcdram */
		.density_gbit = 4,			/* est., as mcdram */
		.zone = HN_ZONE_HINT_AUTO,
	},
};
static const struct hn_memcache_desc knl_hybrid_caches[] = { KNL_MCDRAM_CACHE(8 * HN_GiB) };
static const struct builtin_access knl_hybrid_access[] = {
	{ 0, 1, ACC(154, 154, 225000, 225000) },	/* [McCalpin16]; bandwidth est. as the device */
};

/* -------------------------------------------------------------------------
 * "power9-v100": an IBM AC922 (two 16-core SMT4 POWER9) with four V100-32GB
 * over NVLink 2.0, GPU memory onlined as memory-only nodes.  Real node ids
 * 0, 8, 252-255 become 0, 1, 2-5 here ([hwloc]: GPU nodes count down from 255).
 */
#define P9_DDR4_LAT_NS		95	/* est.: POWER9 direct-attach DDR4 idle latency, no source found */
#define P9_DDR4_BW_MBPS		170000	/* [AC922-RP] 170 GB/s peak per socket */
#define P9_XBUS_BW_MBPS		64000	/* [AC922-RP] 64 GB/s X-bus between the sockets */
#define P9_XBUS_EXTRA_NS	105	/* est.: one X-bus hop, ~ a UPI hop */
#define P9_NVLINK_BW_MBPS	68000	/* [NP17] 68 GB/s CPU<->GPU, 3 bricks, 4-GPU AC922 */
#define P9_NVLINK_PEER_MBPS	75000	/* [V100-WP] 3 bricks x 25 GB/s GPU<->GPU ("NV3") */
/* est.: CPU load from GPU memory; no NVLink2 figure found, [Werner25] measures 800-1000 ns
 * for the NVLink-C2C successor, so its low end is used. */
#define P9_NVLINK_LAT_NS	800

#define P9_GPU(n, nidx, gpu_base)						\
	{									\
		.name = n,							\
		.kind = HN_MEM_GPU,						\
		.nid = nidx,							\
		.base = gpu_base,		/* [skiboot] see p9_devs */	\
		.size = 32 * HN_GiB,		/* [V100-WP] 32 GB (Linux shows 32256 MB [AC922-numactl]) */ \
		.read_latency_ns = 400,		/* est.: Volta global-memory latency, several hundred ns */ \
		.write_latency_ns = 400,	/* est.: as read */		\
		.read_bw_mbps = 900000,		/* [V100-WP] 900 GB/s HBM2 */	\
		.write_bw_mbps = 900000,	/* [V100-WP] */			\
		.power_mw_per_gib = 300,	/* est.: ~2.5 W per 8 GB HBM2 stack */ \
		.reliability = 11,		/* est.: ECC with page retirement */ \
		.density_gbit = 8,		/* [V100-WP] 8 GB stacks: 8-high x 8 Gbit */ \
		.compute_gops = 15700,		/* [V100-WP] 15.7 TFLOPS FP32 (SXM2) */ \
		.hotplug = true,		/* nvidia driver hot-adds it */	\
		.zone = HN_ZONE_HINT_MOVABLE,	/* CDM stays in ZONE_MOVABLE */	\
	}

static const struct hn_memdev_desc p9_devs[] = {
	{
		.name = "chip0-ddr4",
		.kind = HN_MEM_DRAM,
		.nid = 0,
		.base = HN_ADDR_AUTO,
		.size = 256 * HN_GiB,			/* [AC922-numactl] node 0 257716 MB: 8 x 32 GB */
		.read_latency_ns = P9_DDR4_LAT_NS,	/* est. */
		.write_latency_ns = P9_DDR4_LAT_NS,	/* est.: as read */
		.read_bw_mbps = P9_DDR4_BW_MBPS,	/* [AC922-RP] (peak, not measured) */
		.write_bw_mbps = P9_DDR4_BW_MBPS,
		.power_mw_per_gib = 170,		/* est.: ~5.5 W per 32 GB DDR4 RDIMM */
		.reliability = 13,			/* est.: ECC RDIMM (chipkill-capable on POWER) */
		.density_gbit = 8,			/* est.: 32 GB RDIMMs of 2018 use 8 Gbit dies */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "chip8-ddr4",
		.kind = HN_MEM_DRAM,
		.nid = 1,
		.base = HN_ADDR_AUTO,
		.size = 256 * HN_GiB,			/* [AC922-numactl] node 8 261728 MB */
		.read_latency_ns = P9_DDR4_LAT_NS,	/* est. */
		.write_latency_ns = P9_DDR4_LAT_NS,
		.read_bw_mbps = P9_DDR4_BW_MBPS,	/* [AC922-RP] */
		.write_bw_mbps = P9_DDR4_BW_MBPS,
		.power_mw_per_gib = 170,		/* est. */
		.reliability = 13,			/* est. */
		.density_gbit = 8,			/* est. */
		.zone = HN_ZONE_HINT_AUTO,
	},
	/*
	 * [skiboot]: GPU i on chip c sits at GPU_MEM_4T_DOWN[i] = 4 TiB - (i + 1)
	 * * 128 GiB, plus c << 42; the AC922's chips are 0 and 8.
	 */
	P9_GPU("gpu0-hbm2", 2, 0x03e000000000ULL),	/* chip 0, index 0 */
	P9_GPU("gpu1-hbm2", 3, 0x03c000000000ULL),	/* chip 0, index 1 */
	P9_GPU("gpu2-hbm2", 4, 0x23e000000000ULL),	/* chip 8, index 0 */
	P9_GPU("gpu3-hbm2", 5, 0x23c000000000ULL),	/* chip 8, index 1 */
};

static const struct hn_initiator_desc p9_inits[] = {
	{ .name = "chip0", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0-63" },	/* [AC922-numactl] */
	{ .name = "chip8", .kind = HN_INIT_CPU, .nid = 1, .cpus = "64-127" },	/* [AC922-numactl] */
	{ .name = "gpu0", .kind = HN_INIT_GPU, .nid = 2, .cpus = "" },
	{ .name = "gpu1", .kind = HN_INIT_GPU, .nid = 3, .cpus = "" },
	{ .name = "gpu2", .kind = HN_INIT_GPU, .nid = 4, .cpus = "" },
	{ .name = "gpu3", .kind = HN_INIT_GPU, .nid = 5, .cpus = "" },
};

static const uint8_t p9_slit[6 * 6] = {
/*	 0   8 252 253 254 255   (real node ids, [AC922-numactl]) */
	10, 40, 80, 80, 80, 80,
	40, 10, 80, 80, 80, 80,
	80, 80, 10, 80, 80, 80,
	80, 80, 80, 10, 80, 80,
	80, 80, 80, 80, 10, 80,
	80, 80, 80, 80, 80, 10,
};

static const struct hn_link_desc p9_links[] = {
	{ .name = "xbus", .a = 0, .b = 1, .bw_mbps = P9_XBUS_BW_MBPS, .latency_ns = P9_XBUS_EXTRA_NS },
	/* [NP17] 68 GB/s CPU<->GPU; est.: half of the NVLink latency is the link */
	{ .name = "nvlink0", .a = 0, .b = 2, .bw_mbps = P9_NVLINK_BW_MBPS, .latency_ns = 400 },
	{ .name = "nvlink1", .a = 0, .b = 3, .bw_mbps = P9_NVLINK_BW_MBPS, .latency_ns = 400 },
	{ .name = "nvlink2", .a = 1, .b = 4, .bw_mbps = P9_NVLINK_BW_MBPS, .latency_ns = 400 },
	{ .name = "nvlink3", .a = 1, .b = 5, .bw_mbps = P9_NVLINK_BW_MBPS, .latency_ns = 400 },
};

#define P9_LOCAL_LINK	ACC(P9_NVLINK_LAT_NS, P9_NVLINK_LAT_NS, P9_NVLINK_BW_MBPS, P9_NVLINK_BW_MBPS)
/* est.: across the X-bus, one more hop and the X-bus bound */
#define P9_REMOTE_LINK	ACC(P9_NVLINK_LAT_NS + P9_XBUS_EXTRA_NS, P9_NVLINK_LAT_NS + P9_XBUS_EXTRA_NS, \
			    P9_XBUS_BW_MBPS, P9_XBUS_BW_MBPS)
#define P9_PEER_LINK	ACC(P9_NVLINK_LAT_NS, P9_NVLINK_LAT_NS, P9_NVLINK_PEER_MBPS, P9_NVLINK_PEER_MBPS)
#define P9_PEER_REMOTE	ACC(P9_NVLINK_LAT_NS + 2 * P9_XBUS_EXTRA_NS,				\
			    P9_NVLINK_LAT_NS + 2 * P9_XBUS_EXTRA_NS, P9_XBUS_BW_MBPS, P9_XBUS_BW_MBPS)
#define P9_XBUS		ACC(P9_DDR4_LAT_NS + P9_XBUS_EXTRA_NS, P9_DDR4_LAT_NS + P9_XBUS_EXTRA_NS, \
			    P9_XBUS_BW_MBPS, P9_XBUS_BW_MBPS)

/*
 * SLIT 40/80 would make remote DDR4 4x and GPU memory 8x slower than local,
 * which no measurement supports; every pair is given.  GPUs 0-1 hang off chip
 * 0 and 2-3 off chip 8 ("NV3" pairs in nvidia-smi topo, [AC922-numactl]).
 */
static const struct builtin_access p9_access[] = {
	{ 0, 1, P9_XBUS }, { 1, 0, P9_XBUS },
	/* CPU -> GPU memory */
	{ 0, 2, P9_LOCAL_LINK }, { 0, 3, P9_LOCAL_LINK }, { 0, 4, P9_REMOTE_LINK }, { 0, 5, P9_REMOTE_LINK },
	{ 1, 4, P9_LOCAL_LINK }, { 1, 5, P9_LOCAL_LINK }, { 1, 2, P9_REMOTE_LINK }, { 1, 3, P9_REMOTE_LINK },
	/* GPU -> host DDR4 (the same links, the other way) */
	{ 2, 0, P9_LOCAL_LINK }, { 3, 0, P9_LOCAL_LINK }, { 4, 1, P9_LOCAL_LINK }, { 5, 1, P9_LOCAL_LINK },
	{ 2, 1, P9_REMOTE_LINK }, { 3, 1, P9_REMOTE_LINK }, { 4, 0, P9_REMOTE_LINK }, { 5, 0, P9_REMOTE_LINK },
	/* GPU -> peer GPU memory: NV3 on the same chip, through both CPUs otherwise */
	{ 2, 3, P9_PEER_LINK }, { 3, 2, P9_PEER_LINK }, { 4, 5, P9_PEER_LINK }, { 5, 4, P9_PEER_LINK },
	{ 2, 4, P9_PEER_REMOTE }, { 2, 5, P9_PEER_REMOTE }, { 3, 4, P9_PEER_REMOTE }, { 3, 5, P9_PEER_REMOTE },
	{ 4, 2, P9_PEER_REMOTE }, { 4, 3, P9_PEER_REMOTE }, { 5, 2, P9_PEER_REMOTE }, { 5, 3, P9_PEER_REMOTE },
};

/* -------------------------------------------------------------------------
 * "dram-nvdimm": two Cascade Lake sockets (24 cores, HT) with DDR4 and Optane
 * DC PMem 100 in App Direct mode, each socket's interleave set onlined
 * through dax/kmem as a memory-only node.
 */
#define CLX_DDR4_LAT_NS		81	/* [MLC-CLX] 80.8 / 81.5 ns local idle */
#define CLX_DDR4_BW_MBPS	113000	/* [MLC-CLX] 113073.7 MB/s node-local read */
#define CLX_REMOTE_LAT_NS	140	/* [MLC-CLX] 140.4 / 141.6 ns */
#define CLX_REMOTE_BW_MBPS	34300	/* [MLC-CLX] 34305.5 MB/s node 0 -> node 1 read */
#define CLX_UPI_EXTRA_NS	(CLX_REMOTE_LAT_NS - CLX_DDR4_LAT_NS)
/*
 * [MLC-CLX] loaded latency (read-only, all cores): per mille of the 226128 MB/s
 * the two sockets reach, and ns; the idle point is the matrix's 80.8 ns.
 */
#define CLX_DDR4_CURVE	.loaded = { { 0, 81 }, { 10, 82 }, { 29, 84 }, { 100, 87 }, { 300, 94 }, \
				    { 532, 103 }, { 803, 120 }, { 979, 157 } },			\
			.nr_loaded = 8
/* [MLC-CLX] all reads 225631 MB/s, 1:1 200032: 2 * 225631 / 200032 - 1 = 1.26 */
#define CLX_DDR4_WRITE_COST	126
#define CLX_LLC		.llc_size = 25952256, .llc_line = 64, .llc_ways = 11, .llc_latency_ns = 20
#define PMEM_READ_NS		305	/* [Izraelevitz19] random 64 B load, idle */
/* est.: stores are durable once in the iMC's ADR domain, so idle write latency is
 * DRAM-like ([Izraelevitz19], [Yang20] describe this); ~90 ns taken. */
#define PMEM_WRITE_NS		90
#define PMEM_READ_MBPS		13200	/* [Izraelevitz19] 6.6 GB/s per DIMM x 2 DIMMs */
#define PMEM_WRITE_MBPS		4600	/* [Izraelevitz19] 2.3 GB/s per DIMM x 2 DIMMs */

#define CLX_DDR4(n, nidx)							\
	{									\
		.name = n,							\
		.kind = HN_MEM_DRAM,						\
		.nid = nidx,							\
		.base = HN_ADDR_AUTO,						\
		.size = 96 * HN_GiB,		/* est.: 6 x 16 GB DDR4-2933, one per channel */ \
		.read_latency_ns = CLX_DDR4_LAT_NS,	/* [MLC-CLX] */		\
		.write_latency_ns = CLX_DDR4_LAT_NS,	/* as read */		\
		.read_bw_mbps = CLX_DDR4_BW_MBPS,	/* [MLC-CLX] */		\
		.write_bw_mbps = CLX_DDR4_BW_MBPS,	/* as read */		\
		CLX_DDR4_CURVE,				/* [MLC-CLX] */		\
		.write_cost_x100 = CLX_DDR4_WRITE_COST,	/* [MLC-CLX] */		\
		.power_mw_per_gib = 250,	/* est.: ~4 W per 16 GB RDIMM */ \
		.reliability = 13,		/* est.: ECC RDIMM */		\
		.density_gbit = 8,		/* est.: 8 Gbit dies, 2019 RDIMMs */ \
		.zone = HN_ZONE_HINT_AUTO,					\
	}

#define CLX_PMEM(n, nidx)							\
	{									\
		.name = n,							\
		.kind = HN_MEM_NVDIMM,						\
		.nid = nidx,							\
		.base = HN_ADDR_AUTO,						\
		.size = 256 * HN_GiB,		/* [PMem-PB] 2 x 128 GB modules, interleaved */ \
		.read_latency_ns = PMEM_READ_NS,	/* [Izraelevitz19] */	\
		.write_latency_ns = PMEM_WRITE_NS,	/* est. */		\
		.read_bw_mbps = PMEM_READ_MBPS,		/* [Izraelevitz19] */	\
		.write_bw_mbps = PMEM_WRITE_MBPS,	/* [Izraelevitz19] */	\
		.power_mw_per_gib = 117,	/* [PMem-PB] 15 W (of 12-18 W) per 128 GB */ \
		.reliability = 10,		/* est.: wearing media, ECC + remapping */ \
		.density_gbit = 128,		/* [3DXP] 128 Gbit 3D XPoint die */ \
		.persistent = true,		/* App Direct */		\
		.hotplug = true,		/* onlined by dax/kmem */	\
		.zone = HN_ZONE_HINT_MOVABLE,	/* kmem memory onlined movable */ \
	}

static const struct hn_memdev_desc nvdimm_devs[] = {
	CLX_DDR4("s0-ddr4", 0),
	CLX_DDR4("s1-ddr4", 1),
	CLX_PMEM("s0-pmem", 2),
	CLX_PMEM("s1-pmem", 3),
};

static const struct hn_initiator_desc nvdimm_inits[] = {
	/* est.: 2 x 24-core Cascade Lake with HT, as [Izraelevitz19]'s test machine */
	/* L3 [CLX-DS] 24.75 MB, 11 ways; est.: ~20 ns L3 hit */
	{ .name = "socket0", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0-23,48-71", CLX_LLC },
	{ .name = "socket1", .kind = HN_INIT_CPU, .nid = 1, .cpus = "24-47,72-95", CLX_LLC },
};

/* est.: the UPI links carry [MLC-CLX]'s 34.3 GB/s remote read, one hop 59 ns */
static const struct hn_link_desc nvdimm_links[] = {
	{ .name = "upi", .a = 0, .b = 1, .bw_mbps = CLX_REMOTE_BW_MBPS, .latency_ns = CLX_UPI_EXTRA_NS },
};

static const struct hn_cost_ref nvdimm_refs[] = {
	{ HN_REF_IDLE_NS, 0, 0, 0, 80.8, true, "[MLC-CLX]" },
	{ HN_REF_IDLE_NS, 0, 1, 0, 140.4, true, "[MLC-CLX]" },
	{ HN_REF_PEAK_MBPS, 0, 0, 0, 113073.7, true, "[MLC-CLX] node-local read" },
	{ HN_REF_LOADED_NS, 0, 0, 120242.4 / 226127.7, 103.11, true, "[MLC-CLX] loaded latency" },
	{ HN_REF_LOADED_NS, 0, 0, 181499.4 / 226127.7, 119.65, true, "[MLC-CLX] loaded latency" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.5, 200031.8 / 2, true, "[MLC-CLX] 1:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.25, 208349.9 / 2, false, "[MLC-CLX] 3:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 1.0 / 3, 206510.3 / 2, false, "[MLC-CLX] 2:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 1.0 / 3, 187482.4 / 2, false, "[MLC-CLX] stream-triad like / 2" },
	{ HN_REF_CHASE_NS, 0, 0, 120242.4 / 2, 103.11, false, "[MLC-CLX] loaded latency, closed loop" },
	{ HN_REF_CHASE_NS, 0, 0, 181499.4 / 2, 119.65, false, "[MLC-CLX] loaded latency, closed loop" },
	{ HN_REF_IDLE_NS, 0, 2, 0, 305, true, "[Izraelevitz19] random 64 B load" },
	{ HN_REF_PEAK_MBPS, 0, 2, 0, 13200, true, "[Izraelevitz19] 2 DIMMs read" },
	{ HN_REF_MIX_MBPS, 0, 2, 1.0, 4600, true, "[Izraelevitz19] 2 DIMMs write" },
};

static const uint8_t nvdimm_slit[4 * 4] = {
	10, 21, 17, 28,		/* [CRM359]: 21 between sockets, 17/28 to PMem */
	21, 10, 28, 17,
	17, 28, 10, 28,
	28, 17, 28, 10,
};

static const struct builtin_access nvdimm_access[] = {
	{ 0, 1, ACC(CLX_REMOTE_LAT_NS, CLX_REMOTE_LAT_NS, CLX_REMOTE_BW_MBPS, CLX_REMOTE_BW_MBPS) },	/* [MLC-CLX] */
	{ 1, 0, ACC(CLX_REMOTE_LAT_NS, CLX_REMOTE_LAT_NS, CLX_REMOTE_BW_MBPS, CLX_REMOTE_BW_MBPS) },	/* [MLC-CLX] */
	/* PMem from its own socket: the device figures ([Izraelevitz19] measured locally). */
	{ 0, 2, ACC(PMEM_READ_NS, PMEM_WRITE_NS, PMEM_READ_MBPS, PMEM_WRITE_MBPS) },
	{ 1, 3, ACC(PMEM_READ_NS, PMEM_WRITE_NS, PMEM_READ_MBPS, PMEM_WRITE_MBPS) },
	/*
	 * est.: remote PMem = local + one UPI hop, bandwidth still bound by the
	 * DIMMs; [Yang20] shows remote writes degrade further under contention,
	 * which a static entry cannot express.
	 */
	{ 0, 3, ACC(PMEM_READ_NS + CLX_UPI_EXTRA_NS, PMEM_WRITE_NS + CLX_UPI_EXTRA_NS,
		    PMEM_READ_MBPS, PMEM_WRITE_MBPS) },
	{ 1, 2, ACC(PMEM_READ_NS + CLX_UPI_EXTRA_NS, PMEM_WRITE_NS + CLX_UPI_EXTRA_NS,
		    PMEM_READ_MBPS, PMEM_WRITE_MBPS) },
};

/* -------------------------------------------------------------------------
 * "cxl-tiered": the two-socket Sapphire Rapids server of [Scargall22], with a
 * 64 GiB and a 128 GiB CXL expander, one per socket.
 */
static const struct hn_memdev_desc cxlt_devs[] = {
	{
		.name = "s0-ddr5",
		.kind = HN_MEM_DRAM,
		.nid = 0,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* [Scargall22] node 0 64167 MB */
		.read_latency_ns = SPR_DDR5_LAT_NS,	/* [MLC-SPR] */
		.write_latency_ns = SPR_DDR5_LAT_NS,
		.read_bw_mbps = SPR_DDR5_BW_MBPS,	/* [MLC-SPR] */
		.write_bw_mbps = SPR_DDR5_BW_MBPS,
		SPR_DDR5_CURVE,				/* est., see SPR_DDR5_CURVE */
		.write_cost_x100 = SPR_DDR5_WRITE_COST,	/* [MLC-SPR] */
		.power_mw_per_gib = SPR_DDR5_POWER,	/* est. */
		.reliability = DDR5_RELIABILITY,	/* est. */
		.density_gbit = DDR5_DIE_GBIT,		/* [JESD79-5] */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "s1-ddr5",
		.kind = HN_MEM_DRAM,
		.nid = 1,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* [Scargall22] node 1 64472 MB */
		.read_latency_ns = SPR_DDR5_LAT_NS,	/* [MLC-SPR] */
		.write_latency_ns = SPR_DDR5_LAT_NS,
		.read_bw_mbps = SPR_DDR5_BW_MBPS,	/* [MLC-SPR] */
		.write_bw_mbps = SPR_DDR5_BW_MBPS,
		SPR_DDR5_CURVE,				/* est., see SPR_DDR5_CURVE */
		.write_cost_x100 = SPR_DDR5_WRITE_COST,	/* [MLC-SPR] */
		.power_mw_per_gib = SPR_DDR5_POWER,	/* est. */
		.reliability = DDR5_RELIABILITY,	/* est. */
		.density_gbit = DDR5_DIE_GBIT,		/* [JESD79-5] */
		.zone = HN_ZONE_HINT_AUTO,
	},
	{
		.name = "cxl0-cmmd",
		.kind = HN_MEM_CXL,
		.nid = 2,
		.base = HN_ADDR_AUTO,
		.size = 64 * HN_GiB,			/* [Scargall22] node 2 65536 MB */
		.read_latency_ns = CXL_LAT_NS,		/* est., see CXL_LAT_NS */
		.write_latency_ns = CXL_LAT_NS,
		.read_bw_mbps = 35000,			/* [CMM-D] up to 35 GB/s */
		.write_bw_mbps = 35000,			/* [CMM-D] no separate write figure */
		.power_mw_per_gib = CXL_POWER,		/* est. */
		.reliability = CXL_RELIABILITY,		/* est. */
		.density_gbit = CXL_DIE_GBIT,		/* est. */
		.hotplug = true,
		.zone = HN_ZONE_HINT_MOVABLE,
	},
	{
		.name = "cxl1-cz120",
		.kind = HN_MEM_CXL,
		.nid = 3,
		.base = HN_ADDR_AUTO,
		.size = 128 * HN_GiB,			/* [Scargall22] node 3 131072 MB; [CZ120] 128 GB */
		.read_latency_ns = CXL_LAT_NS,		/* est. */
		.write_latency_ns = CXL_LAT_NS,
		.read_bw_mbps = 36000,			/* [CZ120] up to 36 GB/s */
		.write_bw_mbps = 36000,			/* [CZ120] measured as a 2:1 read/write mix */
		.power_mw_per_gib = CXL_POWER,		/* est. */
		.reliability = CXL_RELIABILITY,		/* est. */
		.density_gbit = CXL_DIE_GBIT,		/* est. */
		.hotplug = true,
		.zone = HN_ZONE_HINT_MOVABLE,
	},
};

static const struct hn_initiator_desc cxlt_inits[] = {
	/* [Scargall22]; L3 [SPR-DS] 105 MB, 15 ways; est.: ~33 ns L3 hit */
	{ .name = "socket0", .kind = HN_INIT_CPU, .nid = 0, .cpus = "0-51,104-155", SPR_LLC },
	{ .name = "socket1", .kind = HN_INIT_CPU, .nid = 1, .cpus = "52-103,156-207", SPR_LLC },
};

static const struct hn_link_desc cxlt_links[] = {
	SPR_UPI(0, 1),
	CXL_X8("cxl0", 0, 2),		/* [CMM-D] PCIe 5.0 x8 */
	CXL_X8("cxl1", 1, 3),		/* [CZ120] PCIe 5.0 x8 */
};

static const struct hn_cost_ref cxlt_refs[] = {
	{ HN_REF_IDLE_NS, 0, 0, 0, 109, true, "[MLC-SPR] mean of one SNC node's four" },
	{ HN_REF_IDLE_NS, 0, 1, 0, 188, true, "[MLC-SPR]" },
	{ HN_REF_PEAK_MBPS, 0, 0, 0, 245973, true, "[MLC-SPR] all reads / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.5, 200638, true, "[MLC-SPR] 1:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 0.25, 214898, false, "[MLC-SPR] 3:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 1.0 / 3, 210678, false, "[MLC-SPR] 2:1 / 2 sockets" },
	{ HN_REF_MIX_MBPS, 0, 0, 1.0 / 3, 211849, false, "[MLC-SPR] stream-triad like / 2" },
	{ HN_REF_PEAK_MBPS, 0, 2, 0, 35000, true, "[CMM-D]" },
	{ HN_REF_PEAK_MBPS, 1, 3, 0, 36000, true, "[CZ120]" },
};

static const uint8_t cxlt_slit[4 * 4] = {
	10, 21, 14, 24,		/* [Scargall22], as printed by numactl -H */
	21, 10, 24, 14,
	14, 24, 10, 26,
	24, 14, 26, 10,
};

static const struct builtin_access cxlt_access[] = {
	{ 0, 1, ACC(SPR_REMOTE_LAT_NS, SPR_REMOTE_LAT_NS, SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },	/* [MLC-SPR] */
	{ 1, 0, ACC(SPR_REMOTE_LAT_NS, SPR_REMOTE_LAT_NS, SPR_REMOTE_BW_MBPS, SPR_REMOTE_BW_MBPS) },	/* [MLC-SPR] */
	/* Each expander from its own socket: the device figures; from the other: est. + UPI hop. */
	{ 0, 2, ACC(CXL_LAT_NS, CXL_LAT_NS, 35000, 35000) },
	{ 1, 2, ACC(CXL_REMOTE_LAT_NS, CXL_REMOTE_LAT_NS, 35000, 35000) },
	{ 1, 3, ACC(CXL_LAT_NS, CXL_LAT_NS, 36000, 36000) },
	{ 0, 3, ACC(CXL_REMOTE_LAT_NS, CXL_REMOTE_LAT_NS, 36000, 36000) },
};

#define LIST(a)	a, (int)HN_ARRAY_SIZE(a)
#define NONE	NULL, 0

/* SPEC's arguments expand first, so LIST() and NONE count as two each */
#define SPEC(...) SPEC_(__VA_ARGS__)
#define SPEC_(var, nm, desc, ar, psz, dv, in, nn, sl, ac, lk, nlk, ca, nca, rf, nrf) \
	static const struct builtin_spec var = {			\
		.name = nm,						\
		.description = desc,					\
		.arch = ar,						\
		.page_size = psz,					\
		.devs = dv,						\
		.nr_devs = (int)HN_ARRAY_SIZE(dv),			\
		.inits = in,						\
		.nr_inits = (int)HN_ARRAY_SIZE(in),			\
		.nr_nodes = nn,						\
		.slit = sl,						\
		.access = ac,						\
		.nr_access = (int)HN_ARRAY_SIZE(ac),			\
		.links = lk, .nr_links = nlk,				\
		.caches = ca, .nr_caches = nca,				\
		.refs = rf, .nr_refs = nrf,				\
	}

SPEC(default_spec, "default",
     "Heterogeneous 2-socket box: Xeon Max style sockets (DDR5 + flat-mode HBM2e nodes), "
     "a CXL expander, a compressing CXL device and Hopper-class coherent GPU memory; "
     "figures cited in src/hw/builtin.c and docs/hardware.md.",
     HN_ARCH_X86_64, 0, default_devs, default_inits, 7, default_slit, default_access,
     LIST(default_links), NONE, LIST(default_refs));
SPEC(knl_spec, "knl-flat",
     "Intel Xeon Phi 7250 (Knights Landing) in flat/quadrant mode: DDR4 on node 0, "
     "16 GiB MCDRAM as memory-only node 1.",
     HN_ARCH_X86_64, 0, knl_devs, knl_inits, 2, knl_slit, knl_access, NONE, NONE,
     LIST(knl_refs));
SPEC(knl_cache_spec, "knl-cache",
     "Intel Xeon Phi 7250 (Knights Landing) in cache/quadrant mode: 96 GiB DDR4 on node 0 "
     "behind the 16 GiB MCDRAM as a direct-mapped memory-side cache.",
     HN_ARCH_X86_64, 0, knl_cache_devs, knl_inits, 1, knl_cache_slit, knl_cache_access,
     NONE, LIST(knl_cache_caches), LIST(knl_cache_refs));
SPEC(knl_hybrid_spec, "knl-hybrid",
     "Intel Xeon Phi 7250 (Knights Landing) in hybrid/quadrant mode, 50/50: 8 GiB MCDRAM "
     "as node 1, 8 GiB caching the 96 GiB DDR4 of node 0.",
     HN_ARCH_X86_64, 0, knl_hybrid_devs, knl_inits, 2, knl_slit, knl_hybrid_access,
     NONE, LIST(knl_hybrid_caches), LIST(knl_refs));
SPEC(p9_spec, "power9-v100",
     "IBM AC922 style: two POWER9 sockets and four V100-32GB on NVLink 2.0, GPU memory "
     "as memory-only coherent nodes (real node ids 0, 8, 252-255 map to 0-5).",
     HN_ARCH_PPC64, 65536, p9_devs, p9_inits, 6, p9_slit, p9_access, LIST(p9_links), NONE,
     NONE);
SPEC(nvdimm_spec, "dram-nvdimm",
     "Two Cascade Lake sockets with DDR4 and Optane DC PMem (App Direct, dax/kmem) as "
     "memory-only persistent nodes.",
     HN_ARCH_X86_64, 0, nvdimm_devs, nvdimm_inits, 4, nvdimm_slit, nvdimm_access,
     LIST(nvdimm_links), NONE, LIST(nvdimm_refs));
SPEC(cxlt_spec, "cxl-tiered",
     "Two Sapphire Rapids sockets with DDR5 and two CXL 2.0 Type-3 expanders "
     "(CMM-D / CZ120 class) as memory-only nodes.",
     HN_ARCH_X86_64, 0, cxlt_devs, cxlt_inits, 4, cxlt_slit, cxlt_access,
     LIST(cxlt_links), NONE, LIST(cxlt_refs));

/*
 * Scale the device sizes of @s so that they add up to @total bytes (0: keep
 * the catalogue sizes).  Each device gets its share rounded down to 1 GiB and
 * at least 1 GiB, so the sum is within nr_devs GiB of @total either way.
 * Computed in GiB units: total / GiB <= 2^22 (BUILTIN_MAX_TOTAL) and a
 * catalogue device is at most a few hundred GiB, so the product cannot
 * overflow (checked anyway).
 */
static int scale_sizes(const struct builtin_spec *s, uint64_t total, uint64_t *sizes)
{
	uint64_t orig_gib = 0, total_gib = total / HN_GiB;

	for (int i = 0; i < s->nr_devs; i++)
		orig_gib += s->devs[i].size / HN_GiB;
	for (int i = 0; i < s->nr_devs; i++) {
		uint64_t share;

		if (!total) {
			sizes[i] = s->devs[i].size;
			continue;
		}
		if (__builtin_mul_overflow(total_gib, s->devs[i].size / HN_GiB, &share))
			return -EINVAL;
		share /= orig_gib;
		sizes[i] = HN_MAX(share, 1) * HN_GiB;
	}
	return 0;
}

/*
 * Give the explicitly placed devices (GPU memory) bases that stay clear of
 * everything the layout will place and of each other: an explicit device
 * keeps its catalogue base unless the automatically placed memory could
 * reach it, in which case it moves up past that, in catalogue-base order.
 * "Could reach" is a bound, not the layout itself: the sum of the automatic
 * devices plus 1 GiB of alignment each plus 4 GiB for the x86 holes.  With
 * catalogue sizes every base stays where the sources put it.
 */
static int place_explicit(const struct builtin_spec *s, const uint64_t *sizes, uint64_t *bases)
{
	int order[BUILTIN_MAX_DEVS], nr = 0;
	uint64_t cursor = 4 * HN_GiB;

	for (int i = 0; i < s->nr_devs; i++) {
		bases[i] = s->devs[i].base;
		if (s->devs[i].base != HN_ADDR_AUTO) {
			order[nr++] = i;
			continue;
		}
		if (__builtin_add_overflow(cursor, sizes[i], &cursor) ||
		    __builtin_add_overflow(cursor, HN_GiB, &cursor))
			return -EINVAL;
	}
	/* Insertion sort by catalogue base: a handful of devices. */
	for (int a = 1; a < nr; a++) {
		int v = order[a], b = a;

		for (; b > 0 && s->devs[order[b - 1]].base > s->devs[v].base; b--)
			order[b] = order[b - 1];
		order[b] = v;
	}
	for (int k = 0; k < nr; k++) {
		int i = order[k];
		uint64_t base = HN_MAX(s->devs[i].base, cursor);

		base = hn_align_up(base, HN_GiB);
		if (base < cursor || __builtin_add_overflow(base, sizes[i], &cursor))
			return -EINVAL;
		bases[i] = base;
	}
	return 0;
}

static int build_from_spec(const struct builtin_spec *s, uint64_t total, struct hn_machine **out)
{
	uint64_t sizes[BUILTIN_MAX_DEVS], bases[BUILTIN_MAX_DEVS];
	struct hn_machine *m = NULL;
	int ret;

	if (s->nr_devs > BUILTIN_MAX_DEVS)
		return -EINVAL;
	if (total && (total < (uint64_t)s->nr_devs * HN_GiB || total > BUILTIN_MAX_TOTAL))
		return -EINVAL;
	ret = scale_sizes(s, total, sizes);
	if (!ret)
		ret = place_explicit(s, sizes, bases);
	if (ret)
		return ret;

	ret = hn_machine_new(&m, s->name);
	if (ret)
		return ret;
	if (total) {
		size_t len = strlen(s->description) + 64;
		char *text = malloc(len);

		if (!text) {
			ret = -ENOMEM;
			goto fail;
		}
		snprintf(text, len, "%s Scaled to %" PRIu64 " GiB.", s->description,
			 (uint64_t)(total / HN_GiB));
		ret = hn_machine_set_description(m, text);
		free(text);
	} else {
		ret = hn_machine_set_description(m, s->description);
	}
	if (!ret)
		ret = hn_machine_set_arch(m, s->arch);
	if (!ret)
		ret = hn_machine_set_page_size(m, s->page_size);
	for (int i = 0; !ret && i < s->nr_devs; i++) {
		struct hn_memdev_desc d = s->devs[i];

		d.size = sizes[i];
		d.base = bases[i];
		ret = hn_machine_add_memdev(m, &d);
	}
	for (int i = 0; !ret && i < s->nr_inits; i++)
		ret = hn_machine_add_initiator(m, &s->inits[i]);
	for (int a = 0; !ret && a < s->nr_nodes; a++)
		for (int b = 0; !ret && b < s->nr_nodes; b++)
			ret = hn_machine_set_distance(m, a, b, s->slit[a * s->nr_nodes + b]);
	for (int i = 0; !ret && i < s->nr_access; i++)
		ret = hn_machine_set_access(m, s->access[i].init, s->access[i].target,
					    &s->access[i].a);
	for (int i = 0; !ret && i < s->nr_links; i++)
		ret = hn_machine_add_link(m, &s->links[i]);
	for (int i = 0; !ret && i < s->nr_caches; i++) {
		struct hn_memcache_desc c = s->caches[i];
		uint64_t was = 0, now = 0;

		/* a scaled machine keeps its caches in proportion to the memory behind them */
		for (int d = 0; d < s->nr_devs; d++) {
			if (s->devs[d].nid == c.nid) {
				was += s->devs[d].size / HN_MiB;
				now += sizes[d] / HN_MiB;
			}
		}
		if (was && now != was)
			c.size = HN_MAX(c.size / HN_MiB * now / was, 1) * HN_MiB;
		ret = hn_machine_add_memcache(m, &c);
	}
	if (ret)
		goto fail;
	*out = m;
	return 0;
fail:
	hn_machine_free(m);
	return ret;
}

static int build_default(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&default_spec, total, out);
}

static int build_knl_flat(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&knl_spec, total, out);
}

static int build_power9_v100(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&p9_spec, total, out);
}

static int build_dram_nvdimm(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&nvdimm_spec, total, out);
}

static int build_cxl_tiered(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&cxlt_spec, total, out);
}

static int build_knl_cache(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&knl_cache_spec, total, out);
}

static int build_knl_hybrid(struct hn_machine **out, uint64_t total)
{
	return build_from_spec(&knl_hybrid_spec, total, out);
}

/* The catalogue, in the order hn_machine_builtin_name() lists it. */
static const struct {
	const char *name;
	const char *summary;
	int (*build)(struct hn_machine **out, uint64_t total);	/* total 0: catalogue sizes */
} catalogue[] = {
	{ "default", "2 sockets DDR5 + HBM + CXL expander + compressing CXL + coherent GPU, 384 GiB",
	  build_default },
	{ "knl-flat", "Xeon Phi 7250 flat/quadrant: 96 GiB DDR4 + 16 GiB MCDRAM node", build_knl_flat },
	{ "power9-v100", "AC922: 2 POWER9 sockets, 4x V100-32GB coherent GPU memory over NVLink2",
	  build_power9_v100 },
	{ "dram-nvdimm", "2 Cascade Lake sockets DDR4 + Optane DC PMem (App Direct, kmem) nodes",
	  build_dram_nvdimm },
	{ "cxl-tiered", "2 Sapphire Rapids sockets DDR5 + two CXL 2.0 memory expanders",
	  build_cxl_tiered },
	{ "knl-cache", "Xeon Phi 7250 cache/quadrant: 96 GiB DDR4 behind a 16 GiB MCDRAM cache",
	  build_knl_cache },
	{ "knl-hybrid", "Xeon Phi 7250 hybrid 50/50: 8 GiB MCDRAM node + 8 GiB caching the DDR4",
	  build_knl_hybrid },
};

static const struct builtin_spec *const specs[] = {
	&default_spec, &knl_spec, &p9_spec, &nvdimm_spec, &cxlt_spec, &knl_cache_spec, &knl_hybrid_spec,
};

int hn_builtin_cost_refs(const char *name, const struct hn_cost_ref **refs)
{
	*refs = NULL;
	for (unsigned int i = 0; name && i < HN_ARRAY_SIZE(specs); i++) {
		if (!strcmp(specs[i]->name, name)) {
			*refs = specs[i]->refs;
			return specs[i]->nr_refs;
		}
	}
	return 0;
}

static int lookup(const char *name)
{
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(catalogue); i++)
		if (!strcmp(catalogue[i].name, name))
			return (int)i;
	return -ENOENT;
}

int hn_machine_builtin(struct hn_machine **out, const char *name)
{
	int i;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!name)
		return -EINVAL;
	i = lookup(name);
	if (i < 0)
		return i;
	return catalogue[i].build(out, 0);
}

const char *hn_machine_builtin_name(int i, const char **summary)
{
	if (i < 0 || (unsigned int)i >= HN_ARRAY_SIZE(catalogue)) {
		if (summary)
			*summary = NULL;
		return NULL;
	}
	if (summary)
		*summary = catalogue[i].summary;
	return catalogue[i].name;
}

int hn_machine_builtin_scaled(struct hn_machine **out, const char *name, uint64_t total)
{
	int i;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!name)
		return -EINVAL;
	i = lookup(name);
	if (i < 0)
		return i;
	/* 0 means "catalogue sizes" inside; from outside it is just too small. */
	if (!total)
		return -EINVAL;
	return catalogue[i].build(out, total);
}
