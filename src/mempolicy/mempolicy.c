/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy.c - tasks and their memory policies (mm/mempolicy.c of Linux
 * 6.12): set_mempolicy()/get_mempolicy() with the system calls' argument
 * checks, mpol_new() and mpol_set_nodemask(), the cpuset rebind, and
 * alloc_pages() through policy_nodemask() and alloc_pages_mpol().
 *
 * Map:
 *   struct task_struct (mempolicy, il_prev, il_weight, mems_allowed)
 *                                          struct hn_task
 *   struct mempolicy (mode, flags, nodes, home_node, w.user_nodemask /
 *   w.cpuset_mems_allowed)                 struct hn_mempolicy
 *   default_policy, preferred_node_policy  the NULL policy: the home node
 *   iw_table                               sim->il_weight[]
 *   nodes_fold/onto/remap                  mask_fold/onto/remap below
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/mempolicy.h>

#include "core/mmzone.h"
#include "util/util.h"
#include "zonelist/zonelist.h"
#include "mempolicy/mpol.h"

/* ---- nodemask helpers (include/linux/nodemask.h) ------------------------ */

static unsigned int mask_weight(const struct hn_nodemask *m)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < MAX_NUMNODES / 64; i++)
		w += (unsigned int)__builtin_popcountll(m->bits[i]);
	return w;
}

static bool mask_empty(const struct hn_nodemask *m)
{
	return !mask_weight(m);
}

/* The first node after @n (next_node()), or MAX_NUMNODES: a word at a time. */
static unsigned int mask_next(int n, const struct hn_nodemask *m)
{
	unsigned int i = (unsigned int)(n + 1);

	while (i < MAX_NUMNODES) {
		uint64_t w = m->bits[i / 64] >> (i % 64);

		if (w)
			return i + (unsigned int)__builtin_ctzll(w);
		i = (i | 63) + 1;
	}
	return MAX_NUMNODES;
}

static unsigned int mask_first(const struct hn_nodemask *m)
{
	return mask_next(-1, m);
}

/* next_node_in(): the next node after @n, wrapping; MAX_NUMNODES if empty. */
static unsigned int mask_next_in(unsigned int n, const struct hn_nodemask *m)
{
	unsigned int r = mask_next((int)n, m);

	return r < MAX_NUMNODES ? r : mask_first(m);
}

static void mask_and(struct hn_nodemask *d, const struct hn_nodemask *a, const struct hn_nodemask *b)
{
	for (unsigned int i = 0; i < MAX_NUMNODES / 64; i++)
		d->bits[i] = a->bits[i] & b->bits[i];
}

static bool mask_intersects(const struct hn_nodemask *a, const struct hn_nodemask *b)
{
	for (unsigned int i = 0; i < MAX_NUMNODES / 64; i++)
		if (a->bits[i] & b->bits[i])
			return true;
	return false;
}

static bool mask_equal(const struct hn_nodemask *a, const struct hn_nodemask *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The @k-th set node of @m (from 0), or MAX_NUMNODES: whole words skipped by count. */
static unsigned int mask_nth(const struct hn_nodemask *m, unsigned int k)
{
	for (unsigned int i = 0; i < MAX_NUMNODES / 64; i++) {
		uint64_t w = m->bits[i];
		unsigned int c = (unsigned int)__builtin_popcountll(w);

		if (k >= c) {
			k -= c;
			continue;
		}
		while (k--)
			w &= w - 1;
		return i * 64 + (unsigned int)__builtin_ctzll(w);
	}
	return MAX_NUMNODES;
}

/* bitmap_fold(): node n of @orig becomes node n % @sz. */
static void mask_fold(struct hn_nodemask *d, const struct hn_nodemask *orig, unsigned int sz)
{
	hn_nodemask_clear_all(d);
	if (!sz)
		return;
	for (unsigned int n = mask_first(orig); n < MAX_NUMNODES; n = mask_next((int)n, orig))
		hn_nodemask_set(d, (int)(n % sz));
}

/* bitmap_onto(): node n of @orig becomes the n-th node of @rel. */
static void mask_onto(struct hn_nodemask *d, const struct hn_nodemask *orig,
		      const struct hn_nodemask *rel)
{
	hn_nodemask_clear_all(d);
	for (unsigned int n = mask_first(orig); n < MAX_NUMNODES; n = mask_next((int)n, orig)) {
		unsigned int m = mask_nth(rel, n);

		if (m < MAX_NUMNODES)
			hn_nodemask_set(d, (int)m);
	}
}

/*
 * bitmap_remap(): a node that is the k-th of @old becomes the
 * (k mod weight(new))-th of @new; a node not in @old, or any node when
 * @new is empty, stays.
 */
static void mask_remap(struct hn_nodemask *d, const struct hn_nodemask *src,
		       const struct hn_nodemask *old, const struct hn_nodemask *new)
{
	unsigned int w = mask_weight(new);

	hn_nodemask_clear_all(d);
	for (unsigned int n = mask_first(src); n < MAX_NUMNODES; n = mask_next((int)n, src)) {
		unsigned int k = 0, to = n;

		if (w && hn_nodemask_test(old, (int)n)) {
			for (unsigned int o = mask_first(old); o < n; o = mask_next((int)o, old))
				k++;
			to = mask_nth(new, k % w);
		}
		hn_nodemask_set(d, (int)to);
	}
}

/* node_remap(): where mask_remap() sends the single node @n. */
int hn_node_remap(int n, const struct hn_nodemask *old, const struct hn_nodemask *new)
{
	unsigned int w = mask_weight(new), k = 0;

	if (!w || !hn_nodemask_test(old, n))
		return n;
	for (unsigned int o = mask_first(old); o < (unsigned int)n; o = mask_next((int)o, old))
		k++;
	return (int)mask_nth(new, k % w);
}

static void node_state_mask(const struct hn_sim *sim, enum hn_node_state s, struct hn_nodemask *m)
{
	hn_nodemask_clear_all(m);
	for (int nid = 0; nid < sim->nr_node_ids; nid++)
		if (hn_bit_test(sim->node_states[s], (unsigned int)nid))
			hn_nodemask_set(m, nid);
}

/* ---- tasks ---------------------------------------------------------------- */

static bool cpu_ok(const struct hn_sim *sim, unsigned int cpu)
{
	return cpu < sim->nr_cpu_ids && sim->cpu_to_node[cpu] >= 0;
}

int hn_task_create(struct hn_sim *sim, unsigned int cpu, struct hn_task **out)
{
	struct hn_task *t;

	if (out)
		*out = NULL;
	if (!sim || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (!cpu_ok(sim, cpu))
		return -EINVAL;
	t = hn_sim_calloc(sim, 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->sim = sim;
	t->pid = ++sim->last_pid;
	t->cpu = cpu;
	t->il_prev = MAX_NUMNODES - 1;
	t->mems_allowed = sim->mems_allowed;
	t->next = sim->tasks;
	sim->tasks = t;
	*out = t;
	return 0;
}

void hn_task_destroy(struct hn_task *t)
{
	struct hn_task **p;

	if (!t)
		return;
	for (p = &t->sim->tasks; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	hn_mm_destroy(t);
	free(t->mempolicy);
	free(t);
}

void hn_free_tasks(struct hn_sim *sim)
{
	while (sim->tasks)
		hn_task_destroy(sim->tasks);
}

int hn_task_pid(const struct hn_task *t)
{
	return t ? t->pid : -EINVAL;
}

int hn_task_cpu(const struct hn_task *t)
{
	return t ? (int)t->cpu : -EINVAL;
}

int hn_task_node(const struct hn_task *t)
{
	return t ? t->sim->cpu_to_node[t->cpu] : -EINVAL;
}

int hn_task_set_cpu(struct hn_task *t, unsigned int cpu)
{
	if (!t || !cpu_ok(t->sim, cpu))
		return -EINVAL;
	t->cpu = cpu;
	return 0;
}

/* ---- policies ---------------------------------------------------------- */

static bool mpol_store_user_nodemask(const struct hn_mempolicy *pol)
{
	return pol->flags & MPOL_MODE_FLAGS;
}

/* mpol_relative_nodemask(): fold onto the size of @rel, then map onto it. */
static void mpol_relative_nodemask(struct hn_nodemask *ret, const struct hn_nodemask *orig,
				   const struct hn_nodemask *rel)
{
	struct hn_nodemask tmp;

	mask_fold(&tmp, orig, mask_weight(rel));
	mask_onto(ret, &tmp, rel);
}

/* sanitize_mpol_flags(): split @mode into the mode and its flags. */
int hn_mpol_sanitize(int *mode, unsigned short *flags)
{
	*flags = (unsigned short)(*mode & MPOL_MODE_FLAGS);
	*mode &= ~MPOL_MODE_FLAGS;
	if ((unsigned int)*mode >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if (*flags & MPOL_F_NUMA_BALANCING) {
		if (*mode != MPOL_BIND && *mode != MPOL_PREFERRED_MANY)
			return -EINVAL;
		*flags |= MPOL_F_MOF | MPOL_F_MORON;
	}
	return 0;
}

/*
 * get_nodes(): maxnode - 1 bits from @nmask.  Bits past MAX_NUMNODES may be
 * given but must be clear; a mask longer than a page of bits is refused.
 */
int hn_mpol_get_nodes(const struct hn_sim *sim, struct hn_nodemask *nodes, const unsigned long *nmask,
		      unsigned long maxnode)
{
	--maxnode;
	hn_nodemask_clear_all(nodes);
	if (maxnode == 0 || !nmask)
		return 0;
	if (maxnode > sim->page_size * 8)
		return -EINVAL;
	for (unsigned long bit = MAX_NUMNODES; bit < maxnode; bit++)
		if (nmask[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG) & 1)
			return -EINVAL;
	for (unsigned long bit = 0; bit < maxnode && bit < MAX_NUMNODES; bit++)
		if (nmask[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG) & 1)
			hn_nodemask_set(nodes, (int)bit);
	return 0;
}

/* mpol_new(): NULL with *err 0 for MPOL_DEFAULT. */
static struct hn_mempolicy *mpol_new(struct hn_sim *sim, unsigned short mode, unsigned short flags,
				     const struct hn_nodemask *nodes, int *err)
{
	struct hn_mempolicy *pol;

	*err = 0;
	if (mode == MPOL_DEFAULT) {
		if (!mask_empty(nodes))
			*err = -EINVAL;
		return NULL;
	}
	if (mode == MPOL_PREFERRED) {
		if (mask_empty(nodes)) {
			if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) {
				*err = -EINVAL;
				return NULL;
			}
			mode = MPOL_LOCAL;
		}
	} else if (mode == MPOL_LOCAL) {
		if (!mask_empty(nodes) || (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))) {
			*err = -EINVAL;
			return NULL;
		}
	} else if (mask_empty(nodes)) {
		*err = -EINVAL;
		return NULL;
	}
	pol = hn_sim_calloc(sim, 1, sizeof(*pol));
	if (!pol) {
		*err = -ENOMEM;
		return NULL;
	}
	pol->mode = mode;
	pol->flags = flags;
	pol->home_node = HN_NUMA_NO_NODE;
	return pol;
}

/* mpol_set_nodemask() with the mode's create(). */
static int mpol_set_nodemask(struct hn_task *t, struct hn_mempolicy *pol,
			     const struct hn_nodemask *nodes)
{
	struct hn_nodemask mem, allowed, want;

	if (!pol || pol->mode == MPOL_LOCAL)
		return 0;
	node_state_mask(t->sim, HN_N_MEMORY, &mem);
	mask_and(&allowed, &t->mems_allowed, &mem);
	if (pol->flags & MPOL_F_RELATIVE_NODES)
		mpol_relative_nodemask(&want, nodes, &allowed);
	else
		mask_and(&want, nodes, &allowed);
	if (mpol_store_user_nodemask(pol))
		pol->user_nodemask = *nodes;
	else
		pol->cpuset_mems_allowed = t->mems_allowed;
	if (mask_empty(&want))
		return -EINVAL;
	if (pol->mode == MPOL_PREFERRED) {
		hn_nodemask_clear_all(&pol->nodes);
		hn_nodemask_set(&pol->nodes, (int)mask_first(&want));
	} else {
		pol->nodes = want;
	}
	return 0;
}

struct hn_mempolicy *hn_mpol_create(struct hn_task *t, unsigned short mode, unsigned short flags,
				    const struct hn_nodemask *nodes, int *err)
{
	struct hn_mempolicy *pol = mpol_new(t->sim, mode, flags, nodes, err);

	if (*err)
		return NULL;
	*err = mpol_set_nodemask(t, pol, nodes);
	if (*err) {
		free(pol);
		return NULL;
	}
	return pol;
}

/* mpol_equal(): same mode, flags, nodes (the given ones for STATIC/RELATIVE). */
bool hn_mpol_equal(const struct hn_mempolicy *a, const struct hn_mempolicy *b)
{
	if (!a || !b)
		return a == b;
	if (a->mode != b->mode || a->flags != b->flags || a->home_node != b->home_node)
		return false;
	if (mpol_store_user_nodemask(a) && !mask_equal(&a->user_nodemask, &b->user_nodemask))
		return false;
	return mask_equal(&a->nodes, &b->nodes);
}

struct hn_mempolicy *hn_mpol_dup(struct hn_sim *sim, const struct hn_mempolicy *pol, int *err)
{
	struct hn_mempolicy *n;

	*err = 0;
	if (!pol)
		return NULL;
	n = hn_sim_malloc(sim, sizeof(*n));
	if (!n) {
		*err = -ENOMEM;
		return NULL;
	}
	*n = *pol;
	return n;
}

int hn_set_mempolicy(struct hn_task *t, int mode, const unsigned long *nmask, unsigned long maxnode)
{
	struct hn_mempolicy *pol;
	struct hn_nodemask nodes;
	unsigned short flags;
	int lmode = mode, err;

	if (!t)
		return -EINVAL;
	err = hn_mpol_sanitize(&lmode, &flags);
	if (!err)
		err = hn_mpol_get_nodes(t->sim, &nodes, nmask, maxnode);
	if (err) {
		hn_logf(&t->sim->log, HN_LOG_ERR, "set_mempolicy(%#x, maxnode %lu): bad mode, flags or mask",
			(unsigned int)mode, maxnode);
		return err;
	}
	pol = hn_mpol_create(t, (unsigned short)lmode, flags, &nodes, &err);
	if (err)
		return err;
	free(t->mempolicy);
	t->mempolicy = pol;
	if (pol && (pol->mode == MPOL_INTERLEAVE || pol->mode == MPOL_WEIGHTED_INTERLEAVE)) {
		t->il_prev = MAX_NUMNODES - 1;
		t->il_weight = 0;
	}
	return 0;
}

/* get_policy_nodemask(): the nodes of a policy as get_mempolicy() shows them. */
static void get_policy_nodemask(const struct hn_mempolicy *pol, struct hn_nodemask *nodes)
{
	hn_nodemask_clear_all(nodes);
	if (pol && pol->mode != MPOL_LOCAL)
		*nodes = pol->nodes;
}

/* copy_nodes_to_user(): what fits of @nodes into @mask, the rest cleared. */
static int copy_nodes_to_user(const struct hn_sim *sim, unsigned long *mask, unsigned long maxnode,
			      const struct hn_nodemask *nodes)
{
	unsigned long copy = hn_align_up(maxnode - 1, 64) / 8;
	unsigned long nbytes = (((unsigned long)sim->nr_node_ids + BITS_PER_LONG - 1) / BITS_PER_LONG) *
			       sizeof(unsigned long);

	if (copy > nbytes) {
		if (copy > sim->page_size)
			return -EINVAL;
		memset((char *)mask + nbytes, 0, copy - nbytes);
		copy = nbytes;
	}
	/* the nodemask's words are the same bits in the same order on 64-bit hosts */
	for (unsigned long byte = 0; byte < copy; byte++)
		((unsigned char *)mask)[byte] = (unsigned char)(nodes->bits[byte / 8] >> (8 * (byte % 8)));
	return 0;
}

int hn_get_mempolicy(struct hn_task *t, int *policy, unsigned long *nmask, unsigned long maxnode,
		     unsigned long addr, unsigned long flags)
{
	const struct hn_mempolicy *pol;
	struct hn_nodemask nodes;
	int pval;

	if (!t)
		return -EINVAL;
	if (nmask && maxnode < (unsigned long)t->sim->nr_node_ids)
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		pval = 0;
		nodes = t->mems_allowed;
		goto out;
	}
	pol = t->mempolicy;
	if (flags & MPOL_F_ADDR) {
		int page_nid, err;

		/* the VMA's own policy only: no fallback to the task's */
		err = hn_mm_vma_policy(t, addr, &pol, (flags & MPOL_F_NODE) ? &page_nid : NULL);
		if (err)
			return err;
		if (flags & MPOL_F_NODE) {
			pval = page_nid;
			goto nodes;
		}
	} else if (addr) {
		return -EINVAL;
	}
	if (flags & MPOL_F_NODE) {
		if (pol && pol == t->mempolicy && pol->mode == MPOL_INTERLEAVE)
			pval = (int)mask_next_in(t->il_prev, &pol->nodes);
		else if (pol && pol == t->mempolicy && pol->mode == MPOL_WEIGHTED_INTERLEAVE)
			pval = t->il_weight ? (int)t->il_prev : (int)mask_next_in(t->il_prev, &pol->nodes);
		else
			return -EINVAL;
	} else {
		pval = pol ? (pol->mode | (pol->flags & MPOL_MODE_FLAGS)) : MPOL_DEFAULT;
	}
nodes:
	if (pol && mpol_store_user_nodemask(pol))
		nodes = pol->user_nodemask;
	else
		get_policy_nodemask(pol, &nodes);
out:
	if (policy)
		*policy = pval;
	if (nmask)
		return copy_nodes_to_user(t->sim, nmask, maxnode, &nodes);
	return 0;
}

/* ---- text ------------------------------------------------------------------- */

int hn_mpol_parse_spec(const char *spec, int *mode, const char **nodes)
{
	static const struct {
		const char *name;
		int mode;
		bool nodes;
	} modes[] = {
		{ "default", MPOL_DEFAULT, false },
		{ "local", MPOL_LOCAL, false },
		{ "bind", MPOL_BIND, true },
		{ "interleave", MPOL_INTERLEAVE, true },
		{ "preferred", MPOL_PREFERRED, true },
		{ "preferred-many", MPOL_PREFERRED_MANY, true },
		{ "weighted", MPOL_WEIGHTED_INTERLEAVE, true },
	};
	const char *colon;
	size_t len;

	if (!spec || !mode || !nodes)
		return -EINVAL;
	colon = strchr(spec, ':');
	len = colon ? (size_t)(colon - spec) : strlen(spec);
	for (size_t i = 0; i < HN_ARRAY_SIZE(modes); i++) {
		if (strlen(modes[i].name) != len || strncmp(spec, modes[i].name, len))
			continue;
		if (modes[i].nodes != (colon != NULL))
			return -EINVAL;
		*mode = modes[i].mode;
		*nodes = colon ? colon + 1 : NULL;
		return 0;
	}
	return -EINVAL;
}


/*
 * mpol_to_str(): "default", "prefer:1", "bind=static:0-1", "interleave:0-3",
 * "weighted interleave:0,2", "prefer (many)=relative|balancing:1", "local".
 */
void hn_mpol_to_str(char *buf, size_t len, const struct hn_mempolicy *pol)
{
	static const char *const modes[MPOL_MAX] = {
		[MPOL_DEFAULT] = "default",
		[MPOL_PREFERRED] = "prefer",
		[MPOL_BIND] = "bind",
		[MPOL_INTERLEAVE] = "interleave",
		[MPOL_WEIGHTED_INTERLEAVE] = "weighted interleave",
		[MPOL_LOCAL] = "local",
		[MPOL_PREFERRED_MANY] = "prefer (many)",
	};
	unsigned short mode = pol ? pol->mode : MPOL_DEFAULT, flags = pol ? pol->flags : 0;
	size_t n;

	if (!len)
		return;
	n = (size_t)snprintf(buf, len, "%s", modes[mode]);
	if ((flags & MPOL_MODE_FLAGS) && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "=%s%s%s",
				      (flags & MPOL_F_STATIC_NODES) ? "static" :
				      (flags & MPOL_F_RELATIVE_NODES) ? "relative" : "",
				      ((flags & MPOL_F_NUMA_BALANCING) &&
				       (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))) ? "|" : "",
				      (flags & MPOL_F_NUMA_BALANCING) ? "balancing" : "");
	}
	if (mode != MPOL_DEFAULT && mode != MPOL_LOCAL && !mask_empty(&pol->nodes) && n + 1 < len) {
		buf[n++] = ':';
		buf[n] = '\0';
		hn_snprint_idlist(buf + n, len - n, pol->nodes.bits, MAX_NUMNODES);	/* %*pbl */
	}
}

/* ---- the cpuset rebind ---------------------------------------------------- */

static void mpol_rebind_nodemask(struct hn_mempolicy *pol, const struct hn_nodemask *nodes)
{
	struct hn_nodemask tmp;

	if (pol->flags & MPOL_F_STATIC_NODES) {
		mask_and(&tmp, &pol->user_nodemask, nodes);
	} else if (pol->flags & MPOL_F_RELATIVE_NODES) {
		mpol_relative_nodemask(&tmp, &pol->user_nodemask, nodes);
	} else {
		mask_remap(&tmp, &pol->nodes, &pol->cpuset_mems_allowed, nodes);
		pol->cpuset_mems_allowed = *nodes;
	}
	if (mask_empty(&tmp))
		tmp = *nodes;
	pol->nodes = tmp;
}

void hn_mpol_rebind(struct hn_mempolicy *pol, const struct hn_nodemask *newmask)
{
	if (!pol || pol->mode == MPOL_LOCAL)
		return;
	if (!mpol_store_user_nodemask(pol) && mask_equal(&pol->cpuset_mems_allowed, newmask))
		return;
	switch (pol->mode) {
	case MPOL_INTERLEAVE:
	case MPOL_BIND:
	case MPOL_WEIGHTED_INTERLEAVE:
		mpol_rebind_nodemask(pol, newmask);
		break;
	case MPOL_PREFERRED:
	case MPOL_PREFERRED_MANY:
		pol->cpuset_mems_allowed = *newmask;
		break;
	default:
		break;
	}
}

int hn_task_set_mems_allowed(struct hn_task *t, const struct hn_nodemask *mems)
{
	struct hn_nodemask mem, usable, old;

	if (!t || !mems)
		return -EINVAL;
	node_state_mask(t->sim, HN_N_MEMORY, &mem);
	mask_and(&usable, mems, &mem);
	if (mask_empty(&usable))
		return -EINVAL;
	old = t->mems_allowed;
	t->mems_allowed = *mems;
	t->cpuset_narrowed = !mask_equal(mems, &t->sim->mems_allowed);
	hn_mpol_rebind(t->mempolicy, mems);
	hn_mm_rebind(t, mems);
	/*
	 * cpuset_migrate_mm(): with memory_migrate set, the pages follow the
	 * mems, relative positions kept; pages that cannot move stay, as
	 * the kernel leaves them (the cpuset change itself succeeded).
	 */
	if (t->memory_migrate && !mask_equal(&old, mems))
		hn_do_migrate_pages(t, &old, mems, HN_MPOL_MF_MOVE_ALL);
	return 0;
}

int hn_task_set_memory_migrate(struct hn_task *t, bool on)
{
	if (!t)
		return -EINVAL;
	t->memory_migrate = on;
	return 0;
}

/*
 * kernel_migrate_pages() as a privileged caller in the root cpuset makes
 * it (CAP_SYS_NICE: the target nodes need not lie in the task's cpuset;
 * the caller's cpuset is every node), then do_migrate_pages() with
 * MPOL_MF_MOVE_ALL.
 */
int hn_migrate_pages(struct hn_task *t, unsigned long maxnode, const unsigned long *old_nodes,
		     const unsigned long *new_nodes)
{
	struct hn_nodemask old, new;
	long ret;
	int err;

	if (!t)
		return -EINVAL;
	err = hn_mpol_get_nodes(t->sim, &old, old_nodes, maxnode);
	if (!err)
		err = hn_mpol_get_nodes(t->sim, &new, new_nodes, maxnode);
	if (err)
		return err;
	if (mask_empty(&new))
		return 0;
	ret = hn_do_migrate_pages(t, &old, &new, HN_MPOL_MF_MOVE_ALL);
	if (ret < 0)
		return (int)ret;
	return ret > INT32_MAX ? INT32_MAX : (int)ret;
}

/* ---- allocation ------------------------------------------------------------ */

static uint8_t get_il_weight(const struct hn_sim *sim, unsigned int nid)
{
	uint8_t w = nid < MAX_NUMNODES ? sim->il_weight[nid] : 0;

	return w ? w : 1;
}

/* interleave_nodes(): the task's next node in turn. */
static unsigned int interleave_nodes(struct hn_task *t, const struct hn_mempolicy *pol)
{
	unsigned int nid = mask_next_in(t->il_prev, &pol->nodes);

	if (nid < MAX_NUMNODES)
		t->il_prev = nid;
	return nid;
}

/* weighted_interleave_nodes(): il_weight allocations from a node, then the next. */
static unsigned int weighted_interleave_nodes(struct hn_task *t, const struct hn_mempolicy *pol)
{
	unsigned int node = t->il_prev;

	if (!t->il_weight || !hn_nodemask_test(&pol->nodes, (int)node)) {
		node = mask_next_in(node, &pol->nodes);
		if (node == MAX_NUMNODES)
			return node;
		t->il_prev = node;
		t->il_weight = get_il_weight(t->sim, node);
	}
	t->il_weight--;
	return node;
}

/* interleave_nid(): the @ilx-th node of the policy's, wrapping. */
static unsigned int interleave_nid(const struct hn_task *t, const struct hn_mempolicy *pol,
				   uint64_t ilx)
{
	unsigned int nnodes = mask_weight(&pol->nodes);

	if (!nnodes)
		return (unsigned int)t->sim->cpu_to_node[t->cpu];
	return mask_nth(&pol->nodes, (unsigned int)(ilx % nnodes));
}

/* weighted_interleave_nid(): @ilx into the nodes' weights, in node order. */
static unsigned int weighted_interleave_nid(const struct hn_task *t, const struct hn_mempolicy *pol,
					    uint64_t ilx)
{
	uint64_t total = 0, target;
	unsigned int nid;

	if (mask_empty(&pol->nodes))
		return (unsigned int)t->sim->cpu_to_node[t->cpu];
	for (nid = mask_first(&pol->nodes); nid < MAX_NUMNODES; nid = mask_next((int)nid, &pol->nodes))
		total += get_il_weight(t->sim, nid);
	target = ilx % total;
	nid = mask_first(&pol->nodes);
	while (target) {
		unsigned int w = get_il_weight(t->sim, nid);

		if (target < w)
			break;
		target -= w;
		nid = mask_next_in(nid, &pol->nodes);
	}
	return nid;
}

/*
 * apply_policy_zone(): BIND binds requests that may use policy_zone, or
 * only movable ones when its nodes have nothing but movable memory.
 */
static bool apply_policy_zone(struct hn_sim *sim, const struct hn_mempolicy *pol, int zone)
{
	/* sim->policy_zone: what build_zonelists() leaves */
	int dynamic_policy_zone = HN_ZONE_MOVABLE;
	for (unsigned int n = mask_first(&pol->nodes); n < MAX_NUMNODES; n = mask_next((int)n, &pol->nodes)) {
		if ((int)n < sim->nr_node_ids &&
		    hn_bit_test(sim->node_states[HN_N_NORMAL_MEMORY], n)) {
			dynamic_policy_zone = (int)sim->policy_zone;
			break;
		}
	}
	return zone >= dynamic_policy_zone;
}

/* policy_nodemask() for alloc_pages(): no interleave index. */
static const struct hn_nodemask *policy_nodemask(struct hn_task *t, hn_gfp_t gfp,
						 const struct hn_mempolicy *pol, uint64_t ilx, int *nid)
{
	const struct hn_nodemask *nodemask = NULL;

	switch (pol->mode) {
	case MPOL_PREFERRED:
		*nid = (int)mask_first(&pol->nodes);
		break;
	case MPOL_PREFERRED_MANY:
		nodemask = &pol->nodes;
		if (pol->home_node != HN_NUMA_NO_NODE)
			*nid = pol->home_node;
		break;
	case MPOL_BIND:
		if (apply_policy_zone(t->sim, pol, hn_gfp_zone(gfp)) &&
		    mask_intersects(&pol->nodes, &t->mems_allowed))
			nodemask = &pol->nodes;
		if (pol->home_node != HN_NUMA_NO_NODE)
			*nid = pol->home_node;
		break;
	case MPOL_INTERLEAVE:
		*nid = (int)(ilx == NO_INTERLEAVE_INDEX ? interleave_nodes(t, pol) :
						      interleave_nid(t, pol, ilx));
		break;
	case MPOL_WEIGHTED_INTERLEAVE:
		*nid = (int)(ilx == NO_INTERLEAVE_INDEX ? weighted_interleave_nodes(t, pol) :
						      weighted_interleave_nid(t, pol, ilx));
		break;
	default:
		break;
	}
	return nodemask;
}

const struct hn_mempolicy hn_local_policy = { .mode = MPOL_LOCAL };

int hn_alloc_pages_mpol(struct hn_task *t, hn_gfp_t gfp, unsigned int order,
			const struct hn_mempolicy *pol, uint64_t ilx, uint64_t *pfn)
{
	const struct hn_nodemask *nodemask;
	struct hn_nodemask narrowed;
	struct hn_sim *sim = t->sim;
	int nid, ret;

	if (sim->cur_cpu != t->cpu) {
		ret = hn_sim_set_cpu(sim, t->cpu);
		if (ret)
			return ret;
	}
	nid = sim->cpu_to_node[t->cpu];
	nodemask = policy_nodemask(t, gfp, pol, ilx, &nid);
	/* the cpuset: a narrowed mems_allowed bounds every allocation */
	if (hn_unlikely(t->cpuset_narrowed)) {
		if (nodemask)
			mask_and(&narrowed, nodemask, &t->mems_allowed);
		else
			narrowed = t->mems_allowed;
		nodemask = &narrowed;
	}
	if (pol->mode == MPOL_PREFERRED_MANY) {
		/* alloc_pages_preferred_many(): the nodes without reclaim, then anywhere */
		hn_gfp_t first = (gfp | __GFP_NOWARN) & ~(__GFP_DIRECT_RECLAIM | __GFP_NOFAIL);

		ret = hn_alloc_pages_policy(sim, first, order, nid, nodemask, pfn);
		if (ret == -ENOSPC)
			ret = hn_alloc_pages_policy(sim, gfp, order, nid,
						    nodemask == &narrowed ? &t->mems_allowed : NULL,
						    pfn);
		return ret;
	}
	ret = hn_alloc_pages_policy(sim, gfp, order, nid, nodemask, pfn);
	if (!ret && (pol->mode == MPOL_INTERLEAVE || pol->mode == MPOL_WEIGHTED_INTERLEAVE)) {
		struct hn_zone *zone = hn_pfn_zone(sim, *pfn);

		if (zone && zone_to_nid(zone) == nid)
			__count_numa_events(zone, NUMA_INTERLEAVE_HIT, 1);
	}
	return ret;
}

int hn_task_set_mattr(struct hn_task *t, hn_mattr_t mattr)
{
	if (!t || !hn_mattr_valid(mattr))
		return -EINVAL;
	t->mattr = mattr;
	return 0;
}

int hn_task_alloc_pages(struct hn_task *t, hn_gfp_t gfp, unsigned int order, uint64_t *pfn)
{
	const struct hn_mempolicy *pol;

	if (!t || !pfn)
		return -EINVAL;
	/* the policy's attribute word, unless the request names its own */
	if (t->mattr && !(gfp & __GFP_MATTR_MASK))
		gfp |= (hn_gfp_t)t->mattr << HN_GFP_MATTR_SHIFT | __GFP_MATTR_FALLBACK;
	/* alloc_pages(): the task's policy, unless __GFP_THISNODE asks for the node */
	pol = (!(gfp & __GFP_THISNODE) && t->mempolicy) ? t->mempolicy : &hn_local_policy;
	return hn_alloc_pages_mpol(t, gfp, order, pol, NO_INTERLEAVE_INDEX, pfn);
}

/* ---- weighted interleave weights ------------------------------------------ */

int hn_sim_set_il_weight(struct hn_sim *sim, int nid, uint8_t weight)
{
	if (!sim || nid < 0 || nid >= sim->nr_node_ids)
		return -EINVAL;
	sim->il_weight[nid] = weight;
	return 0;
}

int hn_sim_il_weight(const struct hn_sim *sim, int nid)
{
	if (!sim || nid < 0 || nid >= sim->nr_node_ids)
		return -EINVAL;
	return get_il_weight(sim, (unsigned int)nid);
}
