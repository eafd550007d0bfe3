/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_mpol.c - libFuzzer harness for the policy decoders: the arguments of
 * set_mempolicy(), get_mempolicy() and mbind() as the system calls take
 * them (a mode with flags, an array of longs and a maxnode, flags, ranges).
 *
 * Input: byte 0 picks one of three machines (booted once, kept); then
 * records of [op][mode 4][maxnode 4][flags 2][range 2][mask bytes...]:
 *   op % 3 == 0  set_mempolicy(mode, mask, maxnode)
 *   op % 3 == 1  get_mempolicy(&mode, mask, maxnode, addr, flags)
 *   op % 3 == 2  mbind(start, len, mode, mask, maxnode, flags) on a
 *                16-page mapping (start and len from the range bytes)
 * The mask is up to 2048 bits taken from the input, in a zero-filled array
 * as long as the calls may read or write.  Each
 * record's maxnode is used as given, and every fourth one is replaced by
 * an edge: 0, 1, the node ids, the limit, the limit + 1, a page of bits.
 * Promises checked:
 *   - every return is one the header documents for that call;
 *   - a successful set_mempolicy() reads back through get_mempolicy(): the
 *     mode with its flags (an empty PREFERRED becomes LOCAL), and for
 *     plain policies nodes within the ones given;
 *   - hn_sim_check() holds after every call, and nothing is logged at error
 *     level by a successful call.
 * Each input runs on a fresh task, destroyed at its end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>
#include <hnuma/mempolicy.h>

#define NR_MACHINES 3
/*
 * The caller's array: the kernel reads maxnode - 1 bits (up to a page of
 * them) and writes up to a page of bytes, so the array is a page and a bit.
 */
#define MASK_LONGS ((4096 + 64) / sizeof(unsigned long))
#define PAGES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int errors;	/* error-level log lines */

static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	(void)ctx;
	if (!msg || strchr(msg, '\n'))
		abort();
	if (level <= HN_LOG_ERR)
		errors++;
}

static struct hn_sim *sims[NR_MACHINES];

/* 1 node; 4 nodes; the default machine scaled down (seven nodes, CPU-less ones). */
static struct hn_sim *machine(unsigned int k)
{
	struct hn_sim_config cfg = { .log = { check_log, NULL } };
	struct hn_machine *m = NULL;

	if (sims[k])
		return sims[k];
	if (k == 2) {
		if (hn_machine_builtin_scaled(&m, "default", 8ULL << 30))
			abort();
	} else {
		int nodes = k ? 4 : 1;

		if (hn_machine_new(&m, "fuzz") || hn_machine_set_arch(m, HN_ARCH_GENERIC))
			abort();
		for (int n = 0; n < nodes; n++) {
			struct hn_initiator_desc c = { .kind = HN_INIT_CPU, .nid = n };
			struct hn_memdev_desc d = { .kind = HN_MEM_DRAM, .nid = n, .base = HN_ADDR_AUTO,
						    .size = 64ULL << 20, .read_latency_ns = 90,
						    .read_bw_mbps = 1000 };

			snprintf(c.name, sizeof(c.name), "s%d", n);
			snprintf(c.cpus, sizeof(c.cpus), "%d", n);
			snprintf(d.name, sizeof(d.name), "d%d", n);
			if (hn_machine_add_initiator(m, &c) || hn_machine_add_memdev(m, &d))
				abort();
			for (int o = 0; o < n; o++)
				if (hn_machine_set_distance(m, n, o, 20))
					abort();
		}
	}
	if (hn_sim_create(&sims[k], m, &cfg))
		abort();
	hn_machine_free(m);
	return sims[k];
}

struct in {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct in *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v |= (uint64_t)(in->left ? *in->p : 0) << (8 * i);
		if (in->left) {
			in->p++;
			in->left--;
		}
	}
	return v;
}

static bool one_of(int ret, const int *ok, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ret == ok[i])
			return true;
	return false;
}

static void check_set(struct hn_sim *sim, struct hn_task *t, int mode, const unsigned long *mask,
		      unsigned long maxnode)
{
	unsigned long got[MASK_LONGS];
	int gmode = -1, want = mode & ~(MPOL_F_NUMA_BALANCING);
	bool empty = true;

	(void)sim;
	for (unsigned long b = 0; b + 1 < maxnode && b < HN_MAX_NUMNODES; b++)
		empty &= !(mask[b / (8 * sizeof(long))] >> (b % (8 * sizeof(long))) & 1);
	if (hn_get_mempolicy(t, &gmode, got, HN_MAX_NUMNODES + 1, 0, 0))
		abort();
	if ((mode & ~MPOL_MODE_FLAGS) == MPOL_PREFERRED && empty)
		want = MPOL_LOCAL;
	if ((mode & ~MPOL_MODE_FLAGS) == MPOL_DEFAULT)
		want = MPOL_DEFAULT;	/* no policy at all: no flags to show */
	if ((gmode & ~MPOL_F_NUMA_BALANCING) != want)
		abort();
	/* plain policies keep nodes from the given mask only */
	if (!(mode & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)))
		for (unsigned int b = 0; b < HN_MAX_NUMNODES; b++)
			if ((got[b / (8 * sizeof(long))] >> (b % (8 * sizeof(long))) & 1) &&
			    (b + 1 >= maxnode || !(mask[b / (8 * sizeof(long))] >> (b % (8 * sizeof(long))) & 1)))
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long edges[] = { 0, 1, 2, 5, HN_MAX_NUMNODES, HN_MAX_NUMNODES + 1,
					       HN_MAX_NUMNODES + 2, 4096 * 8 + 1, 4096 * 8 + 2 };
	static const int set_ok[] = { 0, -EINVAL, -ENOMEM };
	static const int get_ok[] = { 0, -EINVAL, -EFAULT };
	static const int mbind_ok[] = { 0, -EINVAL, -EFAULT, -EIO, -EOPNOTSUPP, -ENOMEM };
	struct in in = { data, size };
	struct hn_sim *sim;
	struct hn_task *t;
	uint64_t base;
	unsigned int rec = 0;

	if (!size)
		return 0;
	sim = machine((unsigned int)take(&in, 1) % NR_MACHINES);
	if (hn_task_create(sim, 0, &t))
		abort();
	if (hn_mmap(t, 0, PAGES * 4096, HN_PROT_READ | HN_PROT_WRITE, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS,
		    &base))
		abort();
	while (in.left && rec++ < 64) {
		unsigned long mask[MASK_LONGS];
		unsigned int op = (unsigned int)take(&in, 1);
		int mode = (int)(uint32_t)take(&in, 4), ret, before = errors;
		unsigned long maxnode = (unsigned long)take(&in, 4);
		unsigned int flags = (unsigned int)take(&in, 2), range = (unsigned int)take(&in, 2);
		unsigned int nbytes = (unsigned int)take(&in, 1);

		memset(mask, 0, sizeof(mask));
		for (unsigned int b = 0; b < nbytes && b < 256; b++)
			((uint8_t *)mask)[b] = (uint8_t)take(&in, 1);
		if (rec % 4 == 0)
			maxnode = edges[maxnode % (sizeof(edges) / sizeof(edges[0]))];
		/* modes near the valid ones most of the time */
		if (!(op & 0x80))
			mode = (mode & (MPOL_MODE_FLAGS | 0x7)) % 0x10000;
		switch (op % 3) {
		case 0:
			ret = hn_set_mempolicy(t, mode, mask, maxnode);
			if (!one_of(ret, set_ok, 3))
				abort();
			if (!ret) {
				if (errors != before)
					abort();
				check_set(sim, t, mode, mask, maxnode);
			}
			break;
		case 1: {
			int got;
			uint64_t addr = (range & 1) ? base + (range >> 1) * 64ULL : 0;

			ret = hn_get_mempolicy(t, &got, (flags & 0x100) ? NULL : mask, maxnode, addr,
					       flags & 0xff);
			if (!one_of(ret, get_ok, 3))
				abort();
			break;
		}
		default: {
			uint64_t start = base + (uint64_t)(range & 0xff) * ((range & 0x100) ? 1 : 4096);
			uint64_t len = (uint64_t)(range >> 9) * 4096 + ((range & 0x200) ? 0 : 1);

			ret = hn_mbind(t, start, len, mode, mask, maxnode, flags & 0xf);
			if (!one_of(ret, mbind_ok, 6))
				abort();
			break;
		}
		}
		/* a fault after it: whatever the policy, the page comes or -ENOMEM */
		ret = hn_task_touch(t, base + (uint64_t)(rec % PAGES) * 4096, true);
		if (ret && ret != -ENOMEM)
			abort();
		if (hn_sim_check(sim))
			abort();
	}
	hn_task_destroy(t);
	if (hn_sim_check(sim))
		abort();
	return 0;
}
