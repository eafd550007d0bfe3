/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machine.h - the in-memory form of a machine description (hnuma/hw.h).
 *
 * Map:
 *   hn_machine
 *     memdevs[nr_memdevs]      devices in insertion order (their order is the
 *                              order boot registers them with memblock)
 *     inits[nr_inits]          initiators; cpumask[] is parsed from ->cpus
 *     caches[nr_caches]        memory-side caches
 *     links[nr_links]          interconnect links (the cost model's paths)
 *     nr_node_ids              1 + highest nid mentioned anywhere
 *     node_declared[nid]       the node was named (by a device, an initiator,
 *                              a distance or hn_machine_add_node)
 *     distance[a * n + b]      SLIT, 0 = not given
 *     access[i * n + t]        HMAT initiator i -> target t, 0 fields = not given
 *
 * Invariants after hn_machine_validate() returned 0:
 *   every memdev has base != HN_ADDR_AUTO, base + span(memdev) <= 2^64 and
 *   spans are pairwise disjoint; distance[a*n+a] == 10 for declared nodes;
 *   distance[a*n+b] == distance[b*n+a] >= 11 for a != b; every CPU id appears
 *   in at most one initiator; access[] is complete for every (initiator node,
 *   node with memory) pair.
 *
 * Locking is the caller's.
 */
#ifndef HN_HW_MACHINE_H
#define HN_HW_MACHINE_H

#include <hnuma/hw.h>

#define HN_LOCAL_DISTANCE 10
#define HN_REMOTE_DISTANCE 20	/* the kernel's default without a SLIT */

struct hn_initiator {
	struct hn_initiator_desc d;
	uint64_t cpumask[HN_MAX_CPUS / 64];
};

struct hn_machine {
	char name[HN_NAME_LEN];
	char *description;
	enum hn_arch arch;
	uint32_t page_size;

	struct hn_memdev_desc *memdevs;
	int nr_memdevs, cap_memdevs;
	struct hn_initiator *inits;
	int nr_inits, cap_inits;
	struct hn_memcache_desc *caches;
	int nr_caches, cap_caches;
	struct hn_link_desc *links;
	int nr_links, cap_links;

	int nr_node_ids;
	uint8_t *node_declared;
	uint8_t *distance;
	struct hn_access_desc *access;
};

/*
 * The physical ranges a device occupies once laid out.  On x86_64 a device
 * placed at address 0 skips the legacy holes the way firmware maps DRAM:
 * page 0, [640 KiB, 1 MiB) and the PCI hole [3 GiB, 4 GiB).  Calls @fn for
 * each usable range in ascending order; stops early when @fn returns non-zero
 * and returns that value.
 */
typedef int (*hn_range_fn)(void *ctx, uint64_t base, uint64_t size);
int hn_memdev_for_each_range(const struct hn_machine *m,
			     const struct hn_memdev_desc *d, hn_range_fn fn,
			     void *ctx);
/* The end of the device's last range (base + size + skipped holes). */
uint64_t hn_memdev_span_end(const struct hn_machine *m,
			    const struct hn_memdev_desc *d);

/*
 * One initiator->target HMAT entry in QEMU's hmat-lb words, as both machine
 * formats write it: "access-latency"/"access-bandwidth" when read and write
 * agree, else "read-*" and "write-*" separately; zero fields are "not given"
 * and skipped.  @key is "latency" (ns) or "bandwidth" (bytes/s).
 */
typedef void (*hn_lb_fn)(void *ctx, int initiator, int target, const char *data_type,
			 const char *key, uint64_t value);
void hn_access_for_each_lb(const struct hn_access_desc *e, int initiator, int target,
			   hn_lb_fn fn, void *ctx);

/*
 * The first point of @p[0..@n) that breaks a curve's rules (utilisation
 * over 1000 per mille or not increasing, a zero or falling latency; @n
 * itself when there are too many points), or -1 when the curve is sound.
 */
int hn_curve_check(const struct hn_curve_point *p, uint32_t n);
/* What is wrong with @d's last-level-cache fields, or NULL (also when it has none). */
const char *hn_llc_problem(const struct hn_initiator_desc *d);

/* True if the node has at least one CPU or GPU initiator. */
bool hn_machine_node_is_initiator(const struct hn_machine *m, int nid);
bool hn_machine_node_has_memory(const struct hn_machine *m, int nid);
/* Number of CPU ids in use: 1 + the highest CPU id, 0 if none. */
unsigned int hn_machine_nr_cpu_ids(const struct hn_machine *m);
/* Node of a CPU, or -1. */
int hn_machine_cpu_to_node(const struct hn_machine *m, unsigned int cpu);

#endif /* HN_HW_MACHINE_H */
