/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cost.h - the cost model's insides, for the run engine (src/sim/run.c)
 * and the built-in catalogue's published figures.
 */
#ifndef HN_HW_COST_H
#define HN_HW_COST_H

#include <hnuma/cost.h>

/* The write bandwidth from @initiator to @target, bytes per ns (a fault zeroes its page at it). */
double hn_cost_write_bw(const struct hn_cost_model *cm, int initiator, int target);

/* The read bandwidth a byte written to @nid's memory uses up (>= 1; 1 without memory). */
double hn_cost_write_cost(const struct hn_cost_model *cm, int nid);

/*
 * A published figure a built-in machine was fitted to or can be checked
 * against: what it measures, between which nodes, the value and its source.
 */
enum hn_cost_ref_kind {
	HN_REF_IDLE_NS,		/* idle read latency */
	HN_REF_LOADED_NS,	/* read latency at @arg of the target's peak */
	HN_REF_PEAK_MBPS,	/* peak read bandwidth */
	HN_REF_MIX_MBPS,	/* peak bandwidth with a write share of @arg */
	HN_REF_CHASE_NS,	/* a dependent 64 B chase under @arg MB/s of background reads */
};

struct hn_cost_ref {
	enum hn_cost_ref_kind kind;
	int init, target;
	double arg;
	double value;
	bool fitted;		/* the model was fitted to it (else it is a check) */
	const char *source;
};

/* The figures of built-in machine @name (NULL and 0 if none). */
int hn_builtin_cost_refs(const char *name, const struct hn_cost_ref **refs);

#endif /* HN_HW_COST_H */
