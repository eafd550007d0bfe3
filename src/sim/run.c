/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run.c - workloads on simulated tasks, timed by the cost model
 * (hnuma/run.h says what is measured and how).
 *
 * The loop: every task has a simulated clock; the task with the lowest
 * clock (the lowest pid on a tie) makes one access, whose cost advances its
 * clock.  An access is a page touch through the task's address space (so
 * first touches fault through the policy) and a charge from the cost
 * matrix built once from the machine's HMAT figures.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hw.h>
#include <hnuma/mempolicy.h>
#include <hnuma/numa.h>
#include <hnuma/run.h>

#include "core/mmzone.h"
#include "core/vmstat.h"

#define FAULT_BASE_NS 1000	/* the kernel's anonymous fault path, est. */
#define PROGRESS_EVERY 65536

static const char *const kind_names[HN_WL_NR_KINDS] = {
	[HN_WL_SEQUENTIAL] = "sequential",
	[HN_WL_UNIFORM] = "uniform",
	[HN_WL_ZIPF] = "zipf",
	[HN_WL_CHASE] = "chase",
};

const char *hn_workload_name(enum hn_workload_kind k)
{
	return (unsigned int)k < HN_WL_NR_KINDS ? kind_names[k] : NULL;
}

int hn_workload_parse(const char *name, enum hn_workload_kind *out)
{
	if (!name || !out)
		return -EINVAL;
	for (int k = 0; k < HN_WL_NR_KINDS; k++) {
		if (!strcmp(name, kind_names[k])) {
			*out = (enum hn_workload_kind)k;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- the cost model ------------------------------------------------------ */

struct link {
	double lat_r, lat_w;	/* ns */
	double bw_r, bw_w;	/* bytes per ns */
};

struct cost {
	int nr;
	struct link *l;		/* [initiator * nr + target] */
	double *node_bw;	/* bytes per ns a node's memory moves, its best link */
	double *comp_ns;	/* compression latency of the node's memory */
	uint64_t *epoch, *bytes;	/* contention: the current epoch per node and its bytes */
	uint64_t epoch_ns;
};

static void cost_free(struct cost *c)
{
	free(c->l);
	free(c->node_bw);
	free(c->comp_ns);
	free(c->epoch);
	free(c->bytes);
}

static int cost_init(struct hn_sim *sim, uint64_t epoch_ns, struct cost *c)
{
	const struct hn_machine *m = hn_sim_machine(sim);
	int n = sim->nr_node_ids;

	memset(c, 0, sizeof(*c));
	c->nr = n;
	c->epoch_ns = epoch_ns;
	c->l = calloc((size_t)n * (size_t)n, sizeof(*c->l));
	c->node_bw = calloc((size_t)n, sizeof(double));
	c->comp_ns = calloc((size_t)n, sizeof(double));
	c->epoch = calloc((size_t)n, sizeof(uint64_t));
	c->bytes = calloc((size_t)n, sizeof(uint64_t));
	if (!c->l || !c->node_bw || !c->comp_ns || !c->epoch || !c->bytes) {
		cost_free(c);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			struct hn_access_desc a = { 0 };
			struct link *l = &c->l[i * n + j];

			hn_machine_access(m, i, j, &a);
			/* a pair HMAT does not describe: a slow, remote-looking default */
			l->lat_r = a.read_latency_ns ? a.read_latency_ns : 300;
			l->lat_w = a.write_latency_ns ? a.write_latency_ns : l->lat_r;
			l->bw_r = (a.read_bw_mbps ? a.read_bw_mbps : 10000) / 1000.0;
			l->bw_w = (a.write_bw_mbps ? a.write_bw_mbps : a.read_bw_mbps ? a.read_bw_mbps : 10000) /
				  1000.0;
			if (l->bw_r > c->node_bw[j])
				c->node_bw[j] = l->bw_r;
		}
	}
	for (int d = 0; d < hn_machine_nr_memdevs(m); d++) {
		struct hn_memdev_desc md;

		if (!hn_machine_memdev(m, d, &md) && md.kind == HN_MEM_CXL_COMPRESSED && md.nid >= 0 &&
		    md.nid < n && md.compress.compress_ns > c->comp_ns[md.nid])
			c->comp_ns[md.nid] = md.compress.compress_ns;
	}
	return 0;
}

/* One access of @size bytes at simulated time @now; returns ns, *queue the queueing part. */
static double access_cost(struct cost *c, int init, int target, bool write, unsigned int size,
			  uint64_t now, double *queue)
{
	const struct link *l = &c->l[init * c->nr + target];
	uint64_t e = now / c->epoch_ns;
	double cap = c->node_bw[target] * (double)c->epoch_ns, t;

	if (e > c->epoch[target]) {
		c->epoch[target] = e;
		c->bytes[target] = 0;
	}
	c->bytes[target] += size;
	*queue = (double)c->bytes[target] > cap ? ((double)c->bytes[target] - cap) / c->node_bw[target] : 0;
	t = (write ? l->lat_w + size / l->bw_w : l->lat_r + size / l->bw_r) + c->comp_ns[target];
	return t + *queue;
}

/* ---- the generators -------------------------------------------------------- */

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rand01(uint64_t *s)
{
	return (double)(next_rand(s) >> 11) * (1.0 / 9007199254740992.0);
}

struct trun {
	struct hn_task *t;
	const struct hn_run_task *d;
	struct hn_run_task_result *res;
	int node;
	uint64_t base, pages, slots;	/* the working set */
	unsigned int size, shift;
	unsigned int phase;
	uint64_t done;			/* accesses made in the phase */
	uint64_t clock;			/* ns */
	uint64_t rng;
	double clock_frac;		/* the sub-ns part of the clock */
	/* ZIPF */
	double zetan, alpha, eta, theta, half_pow;
	/* CHASE */
	uint64_t *next, cur;
	bool finished;
};

/* Gray et al.'s zipfian generator: the phase's constants over @n pages. */
static void zipf_prepare(struct trun *r, double theta)
{
	double zeta2 = 1.0 + pow(0.5, theta);

	r->theta = theta;
	r->zetan = 0;
	for (uint64_t i = 1; i <= r->pages; i++)
		r->zetan += pow((double)i, -theta);
	r->alpha = 1.0 / (1.0 - theta);
	r->eta = (1.0 - pow(2.0 / (double)r->pages, 1.0 - theta)) / (1.0 - zeta2 / r->zetan);
	r->half_pow = 1.0 + pow(0.5, theta);
}

static uint64_t zipf_page(struct trun *r)
{
	double u = rand01(&r->rng), uz = u * r->zetan;
	uint64_t rank;

	if (uz < 1.0)
		return 0;
	if (uz < r->half_pow)
		return r->pages > 1 ? 1 : 0;
	rank = (uint64_t)((double)r->pages * pow(r->eta * u - r->eta + 1.0, r->alpha));
	return rank < r->pages ? rank : r->pages - 1;
}

/* Sattolo's algorithm: one random cycle through every page. */
static int chase_prepare(struct trun *r)
{
	free(r->next);
	r->next = malloc(r->pages * sizeof(*r->next));
	if (!r->next)
		return -ENOMEM;
	for (uint64_t i = 0; i < r->pages; i++)
		r->next[i] = i;
	for (uint64_t i = r->pages - 1; i > 0; i--) {
		uint64_t j = next_rand(&r->rng) % i, tmp = r->next[i];

		r->next[i] = r->next[j];
		r->next[j] = tmp;
	}
	r->cur = 0;
	return 0;
}

static int enter_phase(struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];

	r->done = 0;
	if (p->kind == HN_WL_ZIPF)
		zipf_prepare(r, p->zipf_theta > 0 ? p->zipf_theta : 0.99);
	if (p->kind == HN_WL_CHASE)
		return chase_prepare(r);
	return 0;
}

/* The address of the phase's next access. */
static uint64_t next_addr(struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];
	uint64_t slots_per_page = r->slots / r->pages, page, slot;

	switch (p->kind) {
	case HN_WL_SEQUENTIAL:
		return r->base + (r->done % r->slots) * r->size;
	case HN_WL_UNIFORM:
		return r->base + (next_rand(&r->rng) % r->slots) * r->size;
	case HN_WL_ZIPF:
		page = zipf_page(r);
		slot = slots_per_page ? next_rand(&r->rng) % slots_per_page : 0;
		return r->base + (page << r->shift) + slot * r->size;
	case HN_WL_CHASE:
	default:
		r->cur = r->next[r->cur];
		return r->base + (r->cur << r->shift);
	}
}

/* ---- the run ------------------------------------------------------------------ */

static void node_numa_counts(const struct hn_sim *sim, uint64_t *hit, uint64_t *miss)
{
	for (int nid = 0; nid < sim->nr_node_ids && nid < HN_RUN_MAX_NODES; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		hit[nid] = miss[nid] = 0;
		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++) {
			hit[nid] += zone_numa_event_state(&pgdat->node_zones[z], NUMA_HIT);
			miss[nid] += zone_numa_event_state(&pgdat->node_zones[z], NUMA_MISS);
			for_each_attr_zone(&pgdat->node_zones[z], az, i) {
				hit[nid] += zone_numa_event_state(az, NUMA_HIT);
				miss[nid] += zone_numa_event_state(az, NUMA_MISS);
			}
		}
	}
}

static int check_scenario(const struct hn_sim *sim, const struct hn_scenario *sc)
{
	if (!sc->nr_tasks || sc->nr_tasks > HN_RUN_MAX_TASKS)
		return -EINVAL;
	for (unsigned int i = 0; i < sc->nr_tasks; i++) {
		const struct hn_run_task *d = &sc->task[i];

		if (d->cpu >= sim->nr_cpu_ids || sim->cpu_to_node[d->cpu] < 0 || !d->working_set ||
		    !d->nr_phases || d->nr_phases > HN_RUN_MAX_PHASES ||
		    (d->access_size && (d->access_size > sim->page_size ||
					(d->access_size & (d->access_size - 1)))))
			return -EINVAL;
		for (unsigned int p = 0; p < d->nr_phases; p++) {
			const struct hn_run_phase *ph = &d->phase[p];

			if ((unsigned int)ph->kind >= HN_WL_NR_KINDS || !ph->accesses || ph->write_pct > 100 ||
			    !(ph->zipf_theta >= 0 && ph->zipf_theta < 1))	/* NaN too */
				return -EINVAL;
		}
	}
	return 0;
}

static int setup_task(struct hn_sim *sim, const struct hn_run_task *d, struct trun *r,
		      struct hn_run_task_result *res, uint64_t seed)
{
	int ret = hn_task_create(sim, d->cpu, &r->t);

	if (ret)
		return ret;
	r->d = d;
	r->res = res;
	r->node = sim->cpu_to_node[d->cpu];
	r->shift = sim->page_shift;
	r->size = d->access_size ? d->access_size : 64;
	r->pages = (d->working_set + sim->page_size - 1) >> r->shift;
	r->slots = (r->pages << r->shift) / r->size;
	r->rng = seed ^ (0x5851f42d4c957f2dULL * (uint64_t)hn_task_pid(r->t));
	ret = hn_mmap(r->t, 0, r->pages << r->shift, HN_PROT_READ | HN_PROT_WRITE,
		      HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &r->base);
	if (!ret && (d->policy & ~MPOL_MODE_FLAGS) != MPOL_DEFAULT)
		ret = hn_mbind(r->t, r->base, r->pages << r->shift, d->policy, &d->nodes, 65, 0);
	if (ret)
		return ret == -EFAULT ? -EINVAL : ret;
	res->pid = hn_task_pid(r->t);
	res->cpu = d->cpu;
	res->node = r->node;
	return enter_phase(r);
}

/* A task's clock: whole ns and the fraction below. */
struct clock {
	uint64_t ns;
	double frac;
};

static void advance(struct clock *k, double ns)
{
	k->frac += ns;
	k->ns += (uint64_t)k->frac;
	k->frac -= (double)(uint64_t)k->frac;
}

/*
 * One access of @size bytes at @addr by @t (on @node): the page is touched
 * (faulting it in when it must), the cost charged to @k and counted in @res.
 */
static int charge(struct hn_sim *sim, struct cost *c, struct hn_task *t, int node, uint64_t addr,
		  bool write, unsigned int size, struct clock *k, struct hn_run_task_result *res)
{
	uint64_t pfn;
	unsigned int flags = 0;
	bool fault = hn_task_pte(t, addr, &pfn, &flags) == -ENOENT || (write && (flags & HN_PTE_ZERO));
	int target, ret;
	double ns, queue = 0;

	ret = hn_task_touch(t, addr, write);
	if (ret)
		return ret;
	ret = hn_task_pte(t, addr, &pfn, &flags);
	if (ret)
		return ret;
	if (flags & HN_PTE_ZERO) {
		/* the zero page, cache-hot and local */
		target = node;
		while (target < c->nr && !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)target))
			target++;
		if (target >= c->nr)
			target = 0;
	} else {
		target = pfn_to_nid(sim, pfn);
	}
	if (fault) {
		double f = FAULT_BASE_NS + (double)sim->page_size / c->l[node * c->nr + target].bw_w;

		res->faults++;
		res->fault_ns += (uint64_t)f;
		advance(k, f);
	}
	ns = access_cost(c, node, target, write, size, k->ns, &queue);
	advance(k, ns);
	res->access_ns += (uint64_t)(ns + 0.5);
	res->queue_ns += (uint64_t)(queue + 0.5);
	res->accesses++;
	res->writes += write;
	if (target == node)
		res->local++;
	else
		res->remote++;
	if (target < HN_RUN_MAX_NODES)
		res->bytes[target] += size;
	return 0;
}

/* The next access of @r's workload. */
static int step(struct hn_sim *sim, struct cost *c, struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];
	bool write = p->write_pct && next_rand(&r->rng) % 100 < p->write_pct;
	uint64_t addr = next_addr(r);
	struct clock k = { r->clock, r->clock_frac };
	int ret = charge(sim, c, r->t, r->node, addr, write, r->size, &k, r->res);

	r->clock = k.ns;
	r->clock_frac = k.frac;
	if (ret)
		return ret;
	if (++r->done == p->accesses) {
		if (++r->phase == r->d->nr_phases) {
			r->finished = true;
			r->res->runtime_ns = r->clock;
		} else {
			return enter_phase(r);
		}
	}
	return 0;
}

int hn_run(struct hn_sim *sim, const struct hn_scenario *sc, struct hn_run_result *out,
	   void (*progress)(void *ctx, double done), void *ctx)
{
	struct trun *r = NULL;
	struct cost c;
	uint64_t hit0[HN_RUN_MAX_NODES], miss0[HN_RUN_MAX_NODES], total = 0, made = 0;
	unsigned int n;
	int ret;

	if (!sim || !sc || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	ret = check_scenario(sim, sc);
	if (ret)
		return ret;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", sc->name[0] ? sc->name : "scenario");
	out->seed = sim->cfg.seed;
	out->nr_tasks = n = sc->nr_tasks;
	out->nr_nodes = sim->nr_node_ids < HN_RUN_MAX_NODES ? sim->nr_node_ids : HN_RUN_MAX_NODES;
	ret = cost_init(sim, sc->epoch_ns ? sc->epoch_ns : 1000, &c);
	if (ret)
		return ret;
	r = calloc(n, sizeof(*r));
	if (!r) {
		cost_free(&c);
		return -ENOMEM;
	}
	node_numa_counts(sim, hit0, miss0);
	for (unsigned int i = 0; i < n && !ret; i++) {
		ret = setup_task(sim, &sc->task[i], &r[i], &out->task[i], sim->cfg.seed);
		for (unsigned int p = 0; p < sc->task[i].nr_phases; p++)
			total += sc->task[i].phase[p].accesses;
	}
	while (!ret) {
		struct trun *next = NULL;

		for (unsigned int i = 0; i < n; i++)
			if (!r[i].finished && (!next || r[i].clock < next->clock))
				next = &r[i];
		if (!next)
			break;
		ret = step(sim, &c, next);
		if (progress && ++made % PROGRESS_EVERY == 0)
			progress(ctx, (double)made / (double)total);
	}
	if (!ret) {
		uint64_t hit1[HN_RUN_MAX_NODES], miss1[HN_RUN_MAX_NODES];

		node_numa_counts(sim, hit1, miss1);
		for (int nid = 0; nid < out->nr_nodes; nid++) {
			out->numa_hit[nid] = hit1[nid] - hit0[nid];
			out->numa_miss[nid] = miss1[nid] - miss0[nid];
		}
		for (unsigned int i = 0; i < n; i++)
			if (out->task[i].runtime_ns > out->sim_ns)
				out->sim_ns = out->task[i].runtime_ns;
		if (progress)
			progress(ctx, 1.0);
	}
	for (unsigned int i = 0; i < n; i++) {
		hn_task_destroy(r[i].t);
		free(r[i].next);
	}
	free(r);
	cost_free(&c);
	if (ret == -ENOSPC)
		ret = -ENOMEM;
	return ret;
}

/* ---- the demo -------------------------------------------------------------------- */

static void phase(struct hn_run_task *t, enum hn_workload_kind k, uint64_t accesses,
		  unsigned int write_pct)
{
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .kind = k, .accesses = accesses,
							  .write_pct = write_pct };
}

int hn_scenario_demo(const struct hn_sim *sim, struct hn_scenario *sc)
{
	int cpu_node[2] = { -1, -1 }, far = -1;
	unsigned int cpu[2] = { 0, 0 };
	uint64_t far_size = 0;
	unsigned long all = 0;

	if (!sim || !sc)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	for (unsigned int c = 0; c < sim->nr_cpu_ids; c++) {
		int nid = sim->cpu_to_node[c];

		if (nid < 0)
			continue;
		if (cpu_node[0] < 0) {
			cpu_node[0] = nid;
			cpu[0] = c;
		} else if (cpu_node[1] < 0 && nid != cpu_node[0]) {
			cpu_node[1] = nid;
			cpu[1] = c;
		}
	}
	if (cpu_node[0] < 0)
		return -ENODEV;
	if (cpu_node[1] < 0) {
		cpu_node[1] = cpu_node[0];
		cpu[1] = cpu[0];
	}
	for (int nid = 0; nid < sim->nr_node_ids && nid < 64; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid))
			continue;
		all |= 1UL << nid;
		if (!pgdat->nr_cpus && pgdat->node_present_pages > far_size) {
			far = nid;
			far_size = pgdat->node_present_pages;
		}
	}
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "demo");
	/* socket 0: uniform reads and writes over 64 MiB of its own memory */
	sc->task[0] = (struct hn_run_task){ .cpu = cpu[0], .policy = MPOL_DEFAULT,
					    .working_set = 64ULL << 20 };
	phase(&sc->task[0], HN_WL_UNIFORM, 300000, 30);
	/* socket 1: a zipfian key-value load interleaved over every node with memory */
	sc->task[1] = (struct hn_run_task){ .cpu = cpu[1], .policy = MPOL_INTERLEAVE, .nodes = all,
					    .working_set = 128ULL << 20 };
	phase(&sc->task[1], HN_WL_ZIPF, 300000, 10);
	/* socket 0 again: a pointer chase bound to the far memory, then a sequential sweep */
	sc->task[2] = (struct hn_run_task){ .cpu = cpu[0] + (cpu[0] + 1 < sim->nr_cpu_ids &&
								sim->cpu_to_node[cpu[0] + 1] == cpu_node[0]),
					    .policy = far >= 0 ? MPOL_BIND : MPOL_DEFAULT,
					    .nodes = far >= 0 ? 1UL << far : 0,
					    .working_set = 32ULL << 20 };
	phase(&sc->task[2], HN_WL_CHASE, 200000, 0);
	phase(&sc->task[2], HN_WL_SEQUENTIAL, 200000, 50);
	sc->nr_tasks = 3;
	return 0;
}

/* ---- reports ----------------------------------------------------------------------- */

static uint64_t total_accesses(const struct hn_run_result *r)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < r->nr_tasks; i++)
		n += r->task[i].accesses;
	return n;
}

int hn_run_write_text(const struct hn_run_result *r, FILE *f)
{
	if (!r || !f)
		return -EINVAL;
	fprintf(f, "run \"%s\", seed %" PRIu64 ": %u task%s, %" PRIu64 " accesses, %.3f ms simulated\n\n",
		r->name, r->seed, r->nr_tasks, r->nr_tasks == 1 ? "" : "s", total_accesses(r),
		(double)r->sim_ns / 1e6);
	fprintf(f, "%4s %4s %4s %10s %8s %11s %8s %7s %7s %7s\n", "pid", "cpu", "node", "accesses",
		"faults", "runtime_ms", "mean_ns", "fault%", "queue%", "local%");
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		const struct hn_run_task_result *t = &r->task[i];
		double rt = t->runtime_ns ? (double)t->runtime_ns : 1;

		fprintf(f, "%4d %4u %4d %10" PRIu64 " %8" PRIu64 " %11.3f %8.1f %7.1f %7.1f %7.1f\n", t->pid,
			t->cpu, t->node, t->accesses, t->faults, (double)t->runtime_ns / 1e6,
			t->accesses ? (double)t->access_ns / (double)t->accesses : 0,
			100.0 * (double)t->fault_ns / rt,
			t->access_ns ? 100.0 * (double)t->queue_ns / (double)t->access_ns : 0,
			t->accesses ? 100.0 * (double)t->local / (double)t->accesses : 0);
	}
	fprintf(f, "\nMB accessed per node\n%4s", "pid");
	for (int nid = 0; nid < r->nr_nodes; nid++) {
		char head[16];

		snprintf(head, sizeof(head), "node%d", nid);
		fprintf(f, " %11s", head);
	}
	fputc('\n', f);
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		fprintf(f, "%4d", r->task[i].pid);
		for (int nid = 0; nid < r->nr_nodes; nid++)
			fprintf(f, " %11.2f", (double)r->task[i].bytes[nid] / (1024.0 * 1024.0));
		fputc('\n', f);
	}
	fprintf(f, "\n%4s %10s %10s\n", "node", "numa_hit", "numa_miss");
	for (int nid = 0; nid < r->nr_nodes; nid++)
		fprintf(f, "%4d %10" PRIu64 " %10" PRIu64 "\n", nid, r->numa_hit[nid], r->numa_miss[nid]);
	return ferror(f) ? -EIO : 0;
}

int hn_run_write_json(const struct hn_run_result *r, FILE *f)
{
	if (!r || !f)
		return -EINVAL;
	fprintf(f, "{\"scenario\":\"%s\",\"seed\":%" PRIu64 ",\"simulated_ns\":%" PRIu64 ",\"tasks\":[",
		r->name, r->seed, r->sim_ns);
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		const struct hn_run_task_result *t = &r->task[i];

		fprintf(f, "%s{\"pid\":%d,\"cpu\":%u,\"node\":%d,\"accesses\":%" PRIu64 ",\"writes\":%" PRIu64
			",\"faults\":%" PRIu64 ",\"runtime_ns\":%" PRIu64 ",\"access_ns\":%" PRIu64
			",\"fault_ns\":%" PRIu64 ",\"queue_ns\":%" PRIu64 ",\"local\":%" PRIu64
			",\"remote\":%" PRIu64 ",\"bytes_per_node\":[",
			i ? "," : "", t->pid, t->cpu, t->node, t->accesses, t->writes, t->faults,
			t->runtime_ns, t->access_ns, t->fault_ns, t->queue_ns, t->local, t->remote);
		for (int nid = 0; nid < r->nr_nodes; nid++)
			fprintf(f, "%s%" PRIu64, nid ? "," : "", t->bytes[nid]);
		fprintf(f, "]}");
	}
	fprintf(f, "],\"nodes\":[");
	for (int nid = 0; nid < r->nr_nodes; nid++)
		fprintf(f, "%s{\"nid\":%d,\"numa_hit\":%" PRIu64 ",\"numa_miss\":%" PRIu64 "}", nid ? "," : "",
			nid, r->numa_hit[nid], r->numa_miss[nid]);
	fprintf(f, "]}\n");
	return ferror(f) ? -EIO : 0;
}

/* ---- trace replay -------------------------------------------------------------------- */

#define REPLAY_LINE 1024
#define REPLAY_NAME 32

struct rtask {
	long id;
	struct hn_task *t;
	int node;
	struct clock k;
};

struct rregion {
	char name[REPLAY_NAME];
	int task;		/* index into the tasks */
	uint64_t addr, len;
};

struct replay {
	struct hn_sim *sim;
	struct cost c;
	struct rtask task[HN_RUN_MAX_TASKS];
	unsigned int nr_tasks;
	struct rregion *rg;
	size_t nr_rg, cap_rg;
	unsigned long line;
	struct hn_run_result *out;
};

static int replay_error(struct replay *p, const char *what, const char *tok)
{
	hn_logf(&p->sim->log, HN_LOG_ERR, "replay line %lu: %s%s%s%s", p->line, what, tok ? " '" : "",
		tok ? tok : "", tok ? "'" : "");
	return -EINVAL;
}

static int find_task(struct replay *p, const char *tok)
{
	char *end;
	long id;

	if (!tok)
		return -1;
	id = strtol(tok, &end, 10);
	if (*end)
		return -1;
	for (unsigned int i = 0; i < p->nr_tasks; i++)
		if (p->task[i].id == id)
			return (int)i;
	return -1;
}

static struct rregion *find_region(struct replay *p, int task, const char *name, size_t *idx)
{
	for (size_t i = 0; name && i < p->nr_rg; i++) {
		if (p->rg[i].task == task && !strcmp(p->rg[i].name, name)) {
			if (idx)
				*idx = i;
			return &p->rg[i];
		}
	}
	return NULL;
}

/* "bind:0-1", "interleave:all", "default", ...: the mode and, in @mask, the nodes. */
static int replay_policy(struct replay *p, const char *spec, int *mode, unsigned long *mask)
{
	struct hn_bitmask *b = NULL;
	const char *nodes;

	memset(mask, 0, HN_MAX_NUMNODES / 8);
	if (hn_mpol_parse_spec(spec, mode, &nodes))
		return replay_error(p, "bad policy", spec);
	if (!nodes)
		return 0;
	if (hn_parse_nodestring_all(p->sim, nodes, &b))
		return replay_error(p, "bad nodes in policy", spec);
	for (unsigned int n = 0; n < HN_MAX_NUMNODES; n++)
		if (hn_bitmask_isbitset(b, n))
			mask[n / (8 * sizeof(long))] |= 1UL << (n % (8 * sizeof(long)));
	hn_bitmask_free(b);
	return 0;
}

static int replay_line(struct replay *p, char *line)
{
	char *save = NULL, *tok[6] = { NULL };
	unsigned long mask[HN_MAX_NUMNODES / (8 * sizeof(unsigned long))];
	int n = 0, ti, mode, ret;
	uint64_t v;

	for (char *s = strtok_r(line, " \t\r\n", &save); s && n < 6; s = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = s;
	if (!n || tok[0][0] == '#')
		return 0;
	if (strtok_r(NULL, " \t\r\n", &save))
		return replay_error(p, "too many fields", NULL);
	if (!strcmp(tok[0], "task")) {
		char *end;
		long id = tok[1] ? strtol(tok[1], &end, 10) : -1;
		struct rtask *t;

		if (n != 4 || !tok[1] || *end || id < 0 || strcmp(tok[2], "cpu") || hn_parse_size(tok[3], &v) ||
		    v >= p->sim->nr_cpu_ids || p->sim->cpu_to_node[v] < 0)
			return replay_error(p, "expected 'task ID cpu N' with a CPU the machine has", NULL);
		if (find_task(p, tok[1]) >= 0 || p->nr_tasks == HN_RUN_MAX_TASKS)
			return replay_error(p, "duplicate task or too many tasks", tok[1]);
		t = &p->task[p->nr_tasks];
		ret = hn_task_create(p->sim, (unsigned int)v, &t->t);
		if (ret)
			return ret;
		t->id = id;
		t->node = p->sim->cpu_to_node[v];
		p->out->task[p->nr_tasks] = (struct hn_run_task_result){ .pid = hn_task_pid(t->t),
									 .cpu = (unsigned int)v,
									 .node = t->node };
		p->nr_tasks++;
		return 0;
	}
	ti = find_task(p, tok[1]);
	if (ti < 0)
		return replay_error(p, "unknown task", tok[1]);
	if (!strcmp(tok[0], "mmap")) {
		struct rregion *r;

		if (n != 4 || strlen(tok[2]) >= REPLAY_NAME || hn_parse_size(tok[3], &v) || !v)
			return replay_error(p, "expected 'mmap TASK REGION SIZE'", NULL);
		if (find_region(p, ti, tok[2], NULL))
			return replay_error(p, "region already mapped", tok[2]);
		if (p->nr_rg == p->cap_rg) {
			size_t cap = p->cap_rg ? 2 * p->cap_rg : 16;
			struct rregion *g = realloc(p->rg, cap * sizeof(*g));

			if (!g)
				return -ENOMEM;
			p->rg = g;
			p->cap_rg = cap;
		}
		r = &p->rg[p->nr_rg];
		snprintf(r->name, sizeof(r->name), "%s", tok[2]);
		r->task = ti;
		r->len = v;
		ret = hn_mmap(p->task[ti].t, 0, v, HN_PROT_READ | HN_PROT_WRITE,
			      HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &r->addr);
		if (ret)
			return ret;
		p->nr_rg++;
		return 0;
	}
	if (!strcmp(tok[0], "mpol")) {
		if (n != 3 || replay_policy(p, tok[2], &mode, mask))
			return replay_error(p, "expected 'mpol TASK POLICY'", NULL);
		return hn_set_mempolicy(p->task[ti].t, mode, mask, HN_MAX_NUMNODES + 1);
	}
	if (!strcmp(tok[0], "mbind") || !strcmp(tok[0], "munmap")) {
		size_t idx;
		struct rregion *r = find_region(p, ti, tok[2], &idx);

		if (!r)
			return replay_error(p, "unknown region", tok[2]);
		if (tok[0][1] == 'u') {
			if (n != 3)
				return replay_error(p, "expected 'munmap TASK REGION'", NULL);
			ret = hn_munmap(p->task[ti].t, r->addr, r->len);
			p->rg[idx] = p->rg[--p->nr_rg];
			return ret;
		}
		if (n != 4 || replay_policy(p, tok[3], &mode, mask))
			return replay_error(p, "expected 'mbind TASK REGION POLICY'", NULL);
		return hn_mbind(p->task[ti].t, r->addr, r->len, mode, mask, HN_MAX_NUMNODES + 1, 0);
	}
	if (!strcmp(tok[0], "r") || !strcmp(tok[0], "w")) {
		struct rregion *r = find_region(p, ti, tok[2], NULL);
		uint64_t size = 64;

		if (!r)
			return replay_error(p, "unknown region", tok[2]);
		if (n < 4 || hn_parse_size(tok[3], &v) || v >= r->len ||
		    (n == 5 && (hn_parse_size(tok[4], &size) || !size || size > p->sim->page_size)))
			return replay_error(p, "expected 'r|w TASK REGION OFFSET [SIZE]' inside the region",
					    NULL);
		return charge(p->sim, &p->c, p->task[ti].t, p->task[ti].node, r->addr + v, tok[0][0] == 'w',
			      (unsigned int)size, &p->task[ti].k, &p->out->task[ti]);
	}
	return replay_error(p, "unknown directive", tok[0]);
}

int hn_run_replay(struct hn_sim *sim, FILE *in, const char *name, struct hn_run_result *out)
{
	struct replay *p;
	uint64_t hit0[HN_RUN_MAX_NODES], miss0[HN_RUN_MAX_NODES];
	char line[REPLAY_LINE];
	int ret = 0;

	if (!sim || !in || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "replay");
	out->seed = sim->cfg.seed;
	out->nr_nodes = sim->nr_node_ids < HN_RUN_MAX_NODES ? sim->nr_node_ids : HN_RUN_MAX_NODES;
	p->sim = sim;
	p->out = out;
	ret = cost_init(sim, 1000, &p->c);
	if (ret) {
		free(p);
		return ret;
	}
	node_numa_counts(sim, hit0, miss0);
	while (!ret && fgets(line, sizeof(line), in)) {
		p->line++;
		if (!strchr(line, '\n') && !feof(in)) {
			ret = replay_error(p, "line longer than 1023 characters", NULL);
			break;
		}
		ret = replay_line(p, line);
	}
	if (!ret && ferror(in))
		ret = -EIO;
	if (!ret) {
		uint64_t hit1[HN_RUN_MAX_NODES], miss1[HN_RUN_MAX_NODES];

		out->nr_tasks = p->nr_tasks;
		node_numa_counts(sim, hit1, miss1);
		for (int nid = 0; nid < out->nr_nodes; nid++) {
			out->numa_hit[nid] = hit1[nid] - hit0[nid];
			out->numa_miss[nid] = miss1[nid] - miss0[nid];
		}
		for (unsigned int i = 0; i < p->nr_tasks; i++) {
			out->task[i].runtime_ns = p->task[i].k.ns;
			if (p->task[i].k.ns > out->sim_ns)
				out->sim_ns = p->task[i].k.ns;
		}
	}
	for (unsigned int i = 0; i < p->nr_tasks; i++)
		hn_task_destroy(p->task[i].t);
	free(p->rg);
	cost_free(&p->c);
	free(p);
	if (ret == -ENOSPC)
		ret = -ENOMEM;
	return ret;
}
