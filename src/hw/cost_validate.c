/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cost_validate.c - the cost model against what it was fitted to and what
 * it was not (hn_cost_validate_write(); docs/cost-model.md explains the
 * table).
 */
#include "hw/cost.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw/machine.h"
#include "util/util.h"

/*
 * Measured bandwidth-latency curves of DDR systems (Intel MLC loaded
 * latency, read-only traffic, all cores) as utilisation of the measured
 * peak and latency over idle.  The analytic default was chosen with
 * [MLC-GNR] and [MLC-CLX] in view; [MLC-ICX] was left out of the choice
 * and is the check.  Sources: github.com/gjbex/Code-optimization,
 * info/{granite_rapids,cascadelake,icelake}_mlc.txt.
 */
struct curve_ref {
	const char *source;
	bool fitted;
	double idle_ns, peak_mbps;
	double mbps, ns;
};

static const struct curve_ref ddr_curves[] = {
	{ "[MLC-GNR]", true, 95.30, 1166432.7, 388630.0, 107.15 },
	{ "[MLC-GNR]", true, 95.30, 1166432.7, 706126.5, 136.56 },
	{ "[MLC-GNR]", true, 95.30, 1166432.7, 988004.6, 171.54 },
	{ "[MLC-CLX]", true, 82.21, 226127.7, 120242.4, 103.11 },
	{ "[MLC-CLX]", true, 82.21, 226127.7, 181499.4, 119.65 },
	{ "[MLC-ICX]", false, 91.23, 351871.6, 95482.2, 99.73 },
	{ "[MLC-ICX]", false, 91.23, 351871.6, 173692.5, 109.56 },
	{ "[MLC-ICX]", false, 91.23, 351871.6, 297201.4, 153.80 },
	{ "[MLC-ICX]", false, 91.23, 351871.6, 327723.9, 184.82 },
};

/*
 * A dependent 64 B chase from @init to @target under @bg_mbps of 4 KiB
 * background reads on the same path, run through a fresh model in
 * simulated time: the chaser's mean latency once the window has filled.
 */
static int chase(const struct hn_machine *m, int init, int target, double bg_mbps, double *ns)
{
	struct hn_cost_model *cm;
	struct hn_cost_charge c;
	double gap = 4096.0 / (bg_mbps / 1000.0), bg_t = 0, ch_t = 0, sum = 0;
	uint64_t n = 0, addr = 0;
	int ret = hn_cost_new(&cm, m, HN_COST_LOADED, 0);

	if (ret)
		return ret;
	while (ch_t < 200000) {
		if (bg_t <= ch_t) {
			hn_cost_access(cm, init, target, 0, false, 4096, (uint64_t)bg_t, &c);
			bg_t += gap;
			continue;
		}
		hn_cost_access(cm, init, target, addr, false, 64, (uint64_t)ch_t, &c);
		addr += 4096;
		if (ch_t > 20000) {
			sum += c.ns;
			n++;
		}
		ch_t += c.ns;
	}
	hn_cost_free(cm);
	*ns = n ? sum / (double)n : 0;
	return 0;
}

/* The model's figure for @r. */
static int model_value(const struct hn_cost_model *cm, const struct hn_machine *m,
		       const struct hn_cost_ref *r, double *v)
{
	struct hn_cost_node_stats st;
	int ret;

	switch (r->kind) {
	case HN_REF_IDLE_NS:
		return hn_cost_loaded_latency(cm, r->init, r->target, 0, v);
	case HN_REF_LOADED_NS:
		return hn_cost_loaded_latency(cm, r->init, r->target, r->arg, v);
	case HN_REF_PEAK_MBPS:
	case HN_REF_MIX_MBPS:
		ret = hn_cost_node_stats(cm, r->target, &st);
		if (ret)
			return ret;
		*v = st.peak_mbps;
		if (r->kind == HN_REF_MIX_MBPS)
			*v /= 1 - r->arg + r->arg * hn_cost_write_cost(cm, r->target);
		return 0;
	case HN_REF_CHASE_NS:
		return chase(m, r->init, r->target, r->arg, v);
	}
	return -EINVAL;
}

static void ref_what(const struct hn_cost_ref *r, char *buf, size_t len)
{
	switch (r->kind) {
	case HN_REF_IDLE_NS:
		snprintf(buf, len, "idle latency, ns");
		break;
	case HN_REF_LOADED_NS:
		snprintf(buf, len, "latency at %.0f%% load, ns", r->arg * 100);
		break;
	case HN_REF_PEAK_MBPS:
		snprintf(buf, len, "peak read, MB/s");
		break;
	case HN_REF_MIX_MBPS:
		snprintf(buf, len, "peak, %.0f%% writes, MB/s", r->arg * 100);
		break;
	case HN_REF_CHASE_NS:
		snprintf(buf, len, "chase under %.0f GB/s, ns", r->arg / 1000);
		break;
	}
}

/* The utilisation at which @a's loaded latency from @i reaches @b's idle one, or -1. */
static double crossover(const struct hn_cost_model *cm, int i, int a, int b)
{
	double la, lb, lo = 0, hi = 1;

	if (hn_cost_loaded_latency(cm, i, a, 0, &la) || hn_cost_loaded_latency(cm, i, b, 0, &lb) ||
	    la >= lb)
		return -1;
	if (hn_cost_loaded_latency(cm, i, a, 1, &la) || la < lb)
		return -1;
	for (int k = 0; k < 40; k++) {
		double mid = (lo + hi) / 2;

		hn_cost_loaded_latency(cm, i, a, mid, &la);
		if (la >= lb)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static void write_curves(const struct hn_cost_model *cm, const struct hn_machine *m, FILE *f)
{
	int n = m->nr_node_ids, blocks = 0;

	fprintf(f, "# the loaded read latency of each node's memory from its nearest initiator\n");
	fprintf(f, "# one block per node, headed by its name: nid util latency_ns\n");
	for (int t = 0; t < n; t++) {
		int best = -1;
		double lat, bl = 0;

		if (!hn_machine_node_has_memory(m, t))
			continue;
		for (int i = 0; i < n; i++)
			if (hn_machine_node_is_initiator(m, i) &&
			    !hn_cost_loaded_latency(cm, i, t, 0, &lat) && (best < 0 || lat < bl)) {
				best = i;
				bl = lat;
			}
		if (best < 0)
			continue;
		fprintf(f, "%snode%d util latency_ns\n", blocks++ ? "\n\n" : "", t);
		for (int k = 0; k <= 100; k++) {
			hn_cost_loaded_latency(cm, best, t, k / 100.0, &lat);
			fprintf(f, "%d %.2f %.1f\n", t, k / 100.0, lat);
		}
	}
}

static void write_table(const struct hn_cost_model *cm, const struct hn_machine *m, FILE *f)
{
	int n = m->nr_node_ids;
	const struct hn_cost_ref *refs;
	int nr = hn_builtin_cost_refs(m->name, &refs);
	bool any = false;

	fprintf(f, "cost model of \"%s\": loaded read latency (ns) by the target's utilisation, "
		"and peak read bandwidth (MB/s)\n\n", m->name);
	fprintf(f, "%4s %6s %8s %8s %8s %8s %10s  %s\n", "init", "target", "idle", "50%", "80%", "95%",
		"peak", "curve");
	for (int i = 0; i < n; i++) {
		if (!hn_machine_node_is_initiator(m, i))
			continue;
		for (int t = 0; t < n; t++) {
			struct hn_cost_node_stats st;
			double l[4];
			static const double at[4] = { 0, 0.5, 0.8, 0.95 };
			const char *curve = "default";
			struct hn_access_desc a;

			if (!hn_machine_node_has_memory(m, t) || hn_machine_access(m, i, t, &a))
				continue;
			for (int k = 0; k < 4; k++)
				hn_cost_loaded_latency(cm, i, t, at[k], &l[k]);
			hn_cost_node_stats(cm, t, &st);
			for (int d = 0; d < m->nr_memdevs; d++)
				if (m->memdevs[d].nid == t && m->memdevs[d].nr_loaded >= 2)
					curve = "points";
			fprintf(f, "%4d %6d %8.1f %8.1f %8.1f %8.1f %10.0f  %s\n", i, t, l[0], l[1], l[2],
				l[3], HN_MIN((double)a.read_bw_mbps, st.peak_mbps), curve);
		}
	}
	for (int k = 0; k < m->nr_caches; k++) {
		const struct hn_memcache_desc *c = &m->caches[k];

		if (!k)
			fprintf(f, "\nmemory-side caches (hits cost the hit figures; misses the memory's)\n");
		fprintf(f, "  node %d level %u: %" PRIu64 " MiB, %s, %s, %u B lines, hit %u ns, %u MB/s\n",
			c->nid, c->level, c->size >> 20,
			c->assoc == HN_CACHE_COMPLEX ? "8-way" : "direct-mapped",
			c->policy == HN_CACHE_WRITE_THROUGH ? "write-through" : "write-back",
			c->line ? c->line : 64, c->hit_latency_ns, c->hit_bw_mbps);
	}
	for (int i = 0; i < n; i++) {
		if (!hn_machine_node_is_initiator(m, i))
			continue;
		for (int a = 0; a < n; a++) {
			for (int b = 0; b < n; b++) {
				double u;

				if (a == b || !hn_machine_node_has_memory(m, a) ||
				    !hn_machine_node_has_memory(m, b))
					continue;
				u = crossover(cm, i, a, b);
				if (u < 0)
					continue;
				if (!any)
					fprintf(f, "\ncrossovers: where a faster memory, loaded, is slower than another idle\n");
				any = true;
				fprintf(f, "  from node %d: node %d above %.0f%% of its peak is slower than node %d\n",
					i, a, u * 100, b);
			}
		}
	}
	fprintf(f, "\npublished figures (fitted: the model was built from it; check: it was not)\n");
	fprintf(f, "%4s %6s  %-28s %10s %10s %7s  %-6s %s\n", "init", "target", "figure", "model",
		"published", "diff%", "use", "source");
	if (!nr)
		fprintf(f, "  - (none: the machine cites no published figures)\n");
	for (int k = 0; k < nr; k++) {
		char what[48];
		double v = 0;

		ref_what(&refs[k], what, sizeof(what));
		if (model_value(cm, m, &refs[k], &v))
			continue;
		fprintf(f, "%4d %6d  %-28s %10.1f %10.1f %+7.1f  %-6s %s\n", refs[k].init,
			refs[k].target, what, v, refs[k].value, 100.0 * (v - refs[k].value) / refs[k].value,
			refs[k].fitted ? "fitted" : "check", refs[k].source);
	}
	fprintf(f, "\nthe analytic default curve (1 + 0.6 u^2 / (1 - 0.6 u)) against measured DDR curves\n");
	fprintf(f, "%-10s %6s %10s %10s %7s  %s\n", "source", "util", "measured", "default", "diff%",
		"use");
	for (size_t k = 0; k < HN_ARRAY_SIZE(ddr_curves); k++) {
		const struct curve_ref *r = &ddr_curves[k];
		double u = r->mbps / r->peak_mbps, v = r->idle_ns * hn_cost_default_curve(u);

		fprintf(f, "%-10s %6.2f %10.1f %10.1f %+7.1f  %s\n", r->source, u, r->ns, v,
			100.0 * (v - r->ns) / r->ns, r->fitted ? "fitted" : "check");
	}
}

int hn_cost_validate_write(const struct hn_machine *m0, bool curves, FILE *f)
{
	struct hn_machine *m = NULL;
	struct hn_cost_model *cm = NULL;
	int ret;

	if (!m0 || !f)
		return -EINVAL;
	ret = hn_machine_clone(&m, m0);
	if (ret)
		return ret;
	if (hn_machine_validate(m, 0, NULL)) {
		hn_machine_free(m);
		return -EINVAL;
	}
	ret = hn_cost_new(&cm, m, HN_COST_LOADED, 0);
	if (!ret) {
		if (curves)
			write_curves(cm, m, f);
		else
			write_table(cm, m, f);
	}
	hn_cost_free(cm);
	hn_machine_free(m);
	if (ret)
		return ret;
	return ferror(f) ? -EIO : 0;
}
