/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/cost.h - the cost model that times memory accesses
 * (docs/cost-model.md has the equations and the validation table).
 *
 * A model is built from a machine description and prices one access at a
 * time, in simulated time: from an initiator node to a target node, at a
 * physical address, a read or a write of some bytes.  Its parts can be
 * switched on one by one; with none on it is the static model hn_run()
 * has always used, byte for byte:
 *
 *   static    HMAT latency + size / HMAT bandwidth, plus the compression
 *             latency of compressing CXL, plus a step queue once the bytes
 *             sent to a node within an epoch exceed its best link
 *   LOADED    each node's memory has a bandwidth-latency curve (its
 *             devices' loaded-latency points, or the analytic default):
 *             the latency grows with the node's utilisation over a sliding
 *             window of simulated time, writes weighing write_cost reads;
 *             over 100% the excess queues at the peak bandwidth
 *   LINKS     the links on the path from initiator to target (UPI, CXL,
 *             NVLink) are loaded the same way, per direction
 *   MEMCACHE  a node's memory-side cache (HMAT memcache: MCDRAM in cache
 *             mode, a CXL device's DRAM cache) hits or misses, with fills
 *             and write-backs as traffic
 *   LLC       each initiator's optional last-level-cache filter: hits
 *             never reach memory
 *
 * Everything is a function of the description and the order of the
 * calls: no host clock, no randomness.  Locking is the caller's.
 */
#ifndef HNUMA_COST_H
#define HNUMA_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/export.h>
#include <hnuma/hw.h>

HN_BEGIN_DECLS

enum hn_cost_part {
	HN_COST_LOADED = 1u << 0,
	HN_COST_LINKS = 1u << 1,
	HN_COST_MEMCACHE = 1u << 2,
	HN_COST_LLC = 1u << 3,
	HN_COST_FULL = 0xfu,
};

/*
 * "static" (0), "full", or parts joined by commas or '+' ("loaded,links",
 * "loaded+memcache").  0 or -EINVAL (NULL, an unknown word).
 */
HN_EXPORT int hn_cost_parse(const char *s, unsigned int *parts);
/* The words for @parts into @buf ("static", "full", "loaded,links"); @buf, or NULL if NULL or too short. */
HN_EXPORT const char *hn_cost_name(unsigned int parts, char *buf, size_t len);

struct hn_cost_model;

/*
 * A model of @m (validated) with @parts on; @window_ns is the static
 * model's epoch and the loaded parts' sliding window (0: 1000 ns).  0;
 * -EINVAL (NULL, parts outside HN_COST_FULL, a machine
 * hn_machine_validate() refuses, a window over HN_COST_MAX_WINDOW_NS,
 * with LLC on an LLC of fewer than (highest physical address / line) /
 * 2^31 sets); -ENOMEM.  *@out is NULL on error.
 */
#define HN_COST_MAX_WINDOW_NS 1000000000000ULL
HN_EXPORT int hn_cost_new(struct hn_cost_model **out, const struct hn_machine *m,
			  unsigned int parts, uint64_t window_ns);
HN_EXPORT void hn_cost_free(struct hn_cost_model *cm);	/* NULL is fine */
HN_EXPORT unsigned int hn_cost_parts(const struct hn_cost_model *cm);

/* What one access cost, and where its time went. */
struct hn_cost_charge {
	double ns;		/* the whole access */
	double queue_ns;	/* waiting for bandwidth past 100% (device and links) */
	double loaded_ns;	/* the curves' rise over idle (device and links) */
	bool llc_hit;		/* answered by the initiator's last-level cache */
	int memcache;		/* -1 no memory-side cache, 0 missed it, 1 hit */
};

/*
 * Price an access of @size bytes (1..2^21, a page at most) at physical address @paddr on
 * node @target by an initiator on node @initiator, at simulated time
 * @now_ns (calls come in roughly increasing time; one from the past counts
 * in the window's oldest bucket it still has).  0; -EINVAL (NULL, a node
 * outside the machine, a size of 0 or over 2^21).
 */
HN_EXPORT int hn_cost_access(struct hn_cost_model *cm, int initiator, int target, uint64_t paddr,
			     bool write, unsigned int size, uint64_t now_ns,
			     struct hn_cost_charge *out);

/*
 * The loaded read latency from @initiator to @target's memory when that
 * memory runs at @util (a fraction of its peak read bandwidth, >= 0; over 1
 * is reported as at 1), without links or caches: the curve alone.  0;
 * -EINVAL (NULL, a node outside the machine or without memory, a negative
 * or NaN @util); -ENOENT (no HMAT entry for the pair).
 */
HN_EXPORT int hn_cost_loaded_latency(const struct hn_cost_model *cm, int initiator, int target,
				     double util, double *ns);
/*
 * The analytic default curve, as a multiple of idle latency, at @util in
 * [0, 1] (clamped): 1 + a u^2 / (1 - b u) with the a and b of
 * docs/cost-model.md.
 */
HN_EXPORT double hn_cost_default_curve(double util);

/* What the model saw of one node's memory, one memory-side cache, one link. */
struct hn_cost_node_stats {
	uint64_t accesses;		/* that reached the memory (not caches) */
	uint64_t read_bytes, write_bytes;	/* including fills and write-backs */
	double latency_ns;		/* summed over the accesses: the mean is this / accesses */
	double util_sum;		/* summed utilisation as each access saw it */
	double util_max;
	double peak_mbps;		/* the utilisation's 100% */
	/* its memory-side cache, if any */
	bool memcache;
	uint64_t mc_hits, mc_misses, mc_fill_bytes, mc_writeback_bytes;
};
struct hn_cost_link_stats {
	struct hn_link_desc d;
	uint64_t bytes[2];		/* a -> b, b -> a */
	double util_max[2];
};
struct hn_cost_llc_stats {
	bool present;
	uint64_t hits, misses, writeback_bytes;
};

/* 0; -EINVAL (NULL); -ENOENT (no such node / link / initiator node). */
HN_EXPORT int hn_cost_node_stats(const struct hn_cost_model *cm, int nid,
				 struct hn_cost_node_stats *out);
HN_EXPORT int hn_cost_link_stats(const struct hn_cost_model *cm, int i,
				 struct hn_cost_link_stats *out);
HN_EXPORT int hn_cost_llc_stats(const struct hn_cost_model *cm, int nid,
				struct hn_cost_llc_stats *out);

/*
 * The validation report of docs/cost-model.md for @m: per initiator and
 * target pair the idle latency, the loaded latency at 50, 80 and 95% of the
 * target's peak and the peak bandwidth, beside the published figures the
 * machine cites (built-in machines; "-" for others); then closed-loop
 * checks the model was not fitted to.  With @curves, instead, the curve of
 * every node with memory as data for gnuplot (a block per node headed
 * "nodeN util latency_ns", then "nid util latency_ns" lines).
 * 0; -EINVAL (NULL, a machine hn_machine_validate() refuses); -EIO;
 * -ENOMEM.
 */
HN_EXPORT int hn_cost_validate_write(const struct hn_machine *m, bool curves, FILE *f);

HN_END_DECLS

#endif /* HNUMA_COST_H */
