/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_machine_file.c - YAML machine files and QEMU command lines.
 *
 * Every public entry point of src/hw/machine_yaml.c and src/hw/qemu.c: a
 * success case and each documented error, with the log line the user would
 * read asserted where the position matters.  Round trips compare machines
 * field by field through the public accessors only.
 *
 * Built without libcyaml (HNUMA_HAVE_YAML undefined) the YAML cases shrink
 * to "returns -EOPNOTSUPP"; the QEMU cases run either way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hnuma/hw.h>

#include "util/util.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

/* ------------------------------------------------------------------------ */
/* Helpers.                                                                 */
/* ------------------------------------------------------------------------ */

/* A log sink that keeps errors and warnings, one per line. */
struct logcap {
	char text[32768];
	size_t len;
	int errors;
};

static void cap_fn(void *ctx, enum hn_log_level level, const char *msg)
{
	struct logcap *c = ctx;
	int n;

	if (level > HN_LOG_WARNING)
		return;
	if (level == HN_LOG_ERR)
		c->errors++;
	n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s\n", msg);
	if (n > 0)
		c->len = c->len + (size_t)n < sizeof(c->text) ? c->len + (size_t)n
							      : sizeof(c->text) - 1;
}

static struct hn_log_sink sink_of(struct logcap *c)
{
	struct hn_log_sink s = { .fn = cap_fn, .ctx = c };

	memset(c, 0, sizeof(*c));
	return s;
}

static void assert_logged(const struct logcap *c, const char *what)
{
	if (!strstr(c->text, what)) {
		print_error("expected \"%s\" in the log:\n%s", what, c->text);
		fail();
	}
}

static char *to_string(int (*fn)(const struct hn_machine *, FILE *), const struct hn_machine *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(m, f), 0);
	fclose(f);
	return buf;
}

static void add_dev(struct hn_machine *m, const char *name, enum hn_mem_kind kind, int nid,
		    uint64_t size, uint32_t lat, uint32_t bw)
{
	struct hn_memdev_desc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.kind = kind;
	d.nid = nid;
	d.base = HN_ADDR_AUTO;
	d.size = size;
	d.read_latency_ns = lat;
	d.read_bw_mbps = bw;
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
}

static void add_cpus(struct hn_machine *m, const char *name, int nid, const char *cpus)
{
	struct hn_initiator_desc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.kind = HN_INIT_CPU;
	d.nid = nid;
	snprintf(d.cpus, sizeof(d.cpus), "%s", cpus);
	assert_int_equal(hn_machine_add_initiator(m, &d), 0);
}

static void assert_memdev_equal(const struct hn_memdev_desc *a, const struct hn_memdev_desc *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->nid, b->nid);
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->read_latency_ns, b->read_latency_ns);
	assert_int_equal(a->write_latency_ns, b->write_latency_ns);
	assert_int_equal(a->read_bw_mbps, b->read_bw_mbps);
	assert_int_equal(a->write_bw_mbps, b->write_bw_mbps);
	assert_int_equal(a->compress.algo, b->compress.algo);
	assert_int_equal(a->compress.ratio_x100, b->compress.ratio_x100);
	assert_int_equal(a->compress.compress_mbps, b->compress.compress_mbps);
	assert_int_equal(a->compress.decompress_mbps, b->compress.decompress_mbps);
	assert_int_equal(a->compress.compress_ns, b->compress.compress_ns);
	assert_int_equal(a->power_mw_per_gib, b->power_mw_per_gib);
	assert_int_equal(a->reliability, b->reliability);
	assert_int_equal(a->density_gbit, b->density_gbit);
	assert_int_equal(a->compute_gops, b->compute_gops);
	assert_int_equal(a->persistent, b->persistent);
	assert_int_equal(a->hotplug, b->hotplug);
	assert_int_equal(a->zone, b->zone);
	assert_int_equal(a->mattr, b->mattr);
	assert_int_equal(a->write_cost_x100, b->write_cost_x100);
	assert_int_equal(a->nr_loaded, b->nr_loaded);
	for (uint32_t i = 0; i < a->nr_loaded; i++) {
		assert_int_equal(a->loaded[i].util_permille, b->loaded[i].util_permille);
		assert_int_equal(a->loaded[i].latency_ns, b->loaded[i].latency_ns);
	}
}

/* Bandwidths within @tol MB/s (QEMU's unit after an export), the rest exact. */
static void assert_access_equal(const struct hn_machine *a, const struct hn_machine *b,
				int i, int t, uint32_t tol)
{
	struct hn_access_desc x, y;
	int rx = hn_machine_access(a, i, t, &x), ry = hn_machine_access(b, i, t, &y);

	assert_int_equal(rx, ry);
	if (rx)
		return;
	assert_int_equal(x.read_latency_ns, y.read_latency_ns);
	assert_int_equal(x.write_latency_ns, y.write_latency_ns);
	assert_in_range(x.read_bw_mbps, y.read_bw_mbps > tol ? y.read_bw_mbps - tol : 0,
			y.read_bw_mbps + tol);
	assert_in_range(x.write_bw_mbps, y.write_bw_mbps > tol ? y.write_bw_mbps - tol : 0,
			y.write_bw_mbps + tol);
}

/*
 * What a trip through QEMU's units may move a bandwidth by: its unit is
 * 2^k bytes/s with the largest value in 15 bits (qemu.c, export_lb()), so
 * at most a 2^14th of the largest bandwidth, plus MB/s rounding.
 */
static uint32_t qemu_bw_tolerance(const struct hn_machine *m)
{
	uint32_t max = 0;

	for (int i = 0; i < hn_machine_nr_node_ids(m); i++) {
		for (int t = 0; t < hn_machine_nr_node_ids(m); t++) {
			struct hn_access_desc a;

			if (!hn_machine_access(m, i, t, &a))
				max = HN_MAX(max, HN_MAX(a.read_bw_mbps, a.write_bw_mbps));
		}
	}
	return max / 16384 + 2;
}

static void assert_caches_equal(const struct hn_machine *a, const struct hn_machine *b)
{
	assert_int_equal(hn_machine_nr_memcaches(a), hn_machine_nr_memcaches(b));
	for (int i = 0; i < hn_machine_nr_memcaches(a); i++) {
		struct hn_memcache_desc x, y;

		assert_int_equal(hn_machine_memcache(a, i, &x), 0);
		assert_int_equal(hn_machine_memcache(b, i, &y), 0);
		assert_int_equal(x.nid, y.nid);
		assert_int_equal(x.level, y.level);
		assert_int_equal(x.size, y.size);
		assert_int_equal(x.assoc, y.assoc);
		assert_int_equal(x.policy, y.policy);
		assert_int_equal(x.line, y.line);
		assert_int_equal(x.hit_latency_ns, y.hit_latency_ns);
		assert_int_equal(x.hit_bw_mbps, y.hit_bw_mbps);
	}
}

static void assert_topology_equal(const struct hn_machine *a, const struct hn_machine *b,
				  uint32_t bw_tol)
{
	int n = hn_machine_nr_node_ids(a);

	assert_int_equal(n, hn_machine_nr_node_ids(b));
	for (int i = 0; i < n; i++) {
		assert_int_equal(hn_machine_node_exists(a, i), hn_machine_node_exists(b, i));
		for (int j = 0; j < n; j++) {
			assert_int_equal(hn_machine_distance(a, i, j), hn_machine_distance(b, i, j));
			assert_access_equal(a, b, i, j, bw_tol);
		}
	}
	assert_caches_equal(a, b);
}

/* Field by field, through the accessors. */
static void assert_machines_equal(const struct hn_machine *a, const struct hn_machine *b)
{
	assert_string_equal(hn_machine_name(a), hn_machine_name(b));
	assert_string_equal(hn_machine_description(a), hn_machine_description(b));
	assert_int_equal(hn_machine_arch(a), hn_machine_arch(b));
	assert_int_equal(hn_machine_page_size(a), hn_machine_page_size(b));
	assert_int_equal(hn_machine_nr_memdevs(a), hn_machine_nr_memdevs(b));
	for (int i = 0; i < hn_machine_nr_memdevs(a); i++) {
		struct hn_memdev_desc x, y;

		assert_int_equal(hn_machine_memdev(a, i, &x), 0);
		assert_int_equal(hn_machine_memdev(b, i, &y), 0);
		assert_memdev_equal(&x, &y);
	}
	assert_int_equal(hn_machine_nr_initiators(a), hn_machine_nr_initiators(b));
	for (int i = 0; i < hn_machine_nr_initiators(a); i++) {
		struct hn_initiator_desc x, y;

		assert_int_equal(hn_machine_initiator(a, i, &x), 0);
		assert_int_equal(hn_machine_initiator(b, i, &y), 0);
		assert_string_equal(x.name, y.name);
		assert_int_equal(x.kind, y.kind);
		assert_int_equal(x.nid, y.nid);
		assert_string_equal(x.cpus, y.cpus);
		assert_int_equal(x.llc_size, y.llc_size);
		assert_int_equal(x.llc_line, y.llc_line);
		assert_int_equal(x.llc_ways, y.llc_ways);
		assert_int_equal(x.llc_latency_ns, y.llc_latency_ns);
	}
	assert_int_equal(hn_machine_nr_links(a), hn_machine_nr_links(b));
	for (int i = 0; i < hn_machine_nr_links(a); i++) {
		struct hn_link_desc x, y;

		assert_int_equal(hn_machine_link(a, i, &x), 0);
		assert_int_equal(hn_machine_link(b, i, &y), 0);
		assert_string_equal(x.name, y.name);
		assert_int_equal(x.a, y.a);
		assert_int_equal(x.b, y.b);
		assert_int_equal(x.bw_mbps, y.bw_mbps);
		assert_int_equal(x.latency_ns, y.latency_ns);
	}
	assert_topology_equal(a, b, 0);
}

#ifdef HNUMA_HAVE_YAML

/*
 * The round-trip machine:
 *
 *   node 0: socket0 cpus 0-7    DDR5 8G + HBM 4G        (zone normal)
 *           (LLC 32M)           (DDR5: loaded-latency curve, write cost 1.45)
 *   node 1: socket1 cpus 8-15   DDR5 8G
 *   node 2: -                   CXL compressed 16G      (hotplug, movable)
 *   node 3: gpu0                GPU memory 16G          (ZONE_DEVICE)
 *   node 4: -                   -                        (declared, empty)
 *
 *   links:  0 ==upi0== 1,  2 --cxl0-- 0
 *
 * with a partial explicit access entry 0->2, a memory-side cache on node 2
 * (with hit figures) and a non-default SLIT.
 */
static struct hn_machine *sample_machine(void)
{
	struct hn_initiator_desc gpu;
	struct hn_memdev_desc d;
	struct hn_memcache_desc c = {
		.nid = 2, .level = 1, .size = 4 * GiB, .assoc = HN_CACHE_DIRECT,
		.policy = HN_CACHE_WRITE_BACK, .line = 64,
		.hit_latency_ns = 120, .hit_bw_mbps = 60000,
	};
	struct hn_access_desc a = { .read_latency_ns = 200, .write_latency_ns = 250 };
	struct hn_link_desc upi = { .name = "upi0", .a = 0, .b = 1, .bw_mbps = 117130,
				    .latency_ns = 79 };
	struct hn_link_desc cxl = { .name = "cxl0", .a = 2, .b = 0, .bw_mbps = 32000,
				    .latency_ns = 0 };
	struct hn_initiator_desc s0;
	struct hn_machine *m;

	assert_int_equal(hn_machine_new(&m, "rt-box"), 0);
	assert_int_equal(hn_machine_set_description(m, "round trip: \"quotes\", tabs\tand ünïcode"), 0);
	assert_int_equal(hn_machine_set_page_size(m, 4096), 0);

	memset(&s0, 0, sizeof(s0));
	snprintf(s0.name, sizeof(s0.name), "socket0");
	snprintf(s0.cpus, sizeof(s0.cpus), "0-7");
	s0.llc_size = 32 * MiB;
	s0.llc_line = 64;
	s0.llc_ways = 16;
	s0.llc_latency_ns = 20;
	assert_int_equal(hn_machine_add_initiator(m, &s0), 0);
	add_cpus(m, "socket1", 1, "8-15");
	memset(&gpu, 0, sizeof(gpu));
	snprintf(gpu.name, sizeof(gpu.name), "gpu0");
	gpu.kind = HN_INIT_GPU;
	gpu.nid = 3;
	assert_int_equal(hn_machine_add_initiator(m, &gpu), 0);

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "ddr5-0");
	d.kind = HN_MEM_DRAM;
	d.base = HN_ADDR_AUTO;
	d.size = 8 * GiB;
	d.read_latency_ns = 90;
	d.write_latency_ns = 95;
	d.read_bw_mbps = 100000;
	d.write_bw_mbps = 90000;
	d.power_mw_per_gib = 375;
	d.reliability = 12;
	d.density_gbit = 16;
	d.mattr = 0x123;
	d.write_cost_x100 = 145;
	d.nr_loaded = 4;
	d.loaded[0] = (struct hn_curve_point){ 0, 90 };
	d.loaded[1] = (struct hn_curve_point){ 500, 110 };
	d.loaded[2] = (struct hn_curve_point){ 875, 180 };
	d.loaded[3] = (struct hn_curve_point){ 1000, 300 };
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "hbm-0");
	d.kind = HN_MEM_HBM;
	d.base = HN_ADDR_AUTO;
	d.size = 4 * GiB;
	d.read_latency_ns = 110;
	d.read_bw_mbps = 400000;
	d.compute_gops = 7;
	d.zone = HN_ZONE_HINT_NORMAL;
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	add_dev(m, "ddr5-1", HN_MEM_DRAM, 1, 8 * GiB, 90, 100000);
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "cxl-zip");
	d.kind = HN_MEM_CXL_COMPRESSED;
	d.nid = 2;
	d.base = HN_ADDR_AUTO;
	d.size = 16 * GiB;
	d.read_latency_ns = 250;
	d.read_bw_mbps = 30000;
	d.hotplug = true;
	d.zone = HN_ZONE_HINT_MOVABLE;
	d.compress.algo = HN_COMPRESS_LZ4;
	d.compress.ratio_x100 = 250;
	d.compress.compress_mbps = 8000;
	d.compress.decompress_mbps = 16000;
	d.compress.compress_ns = 250;
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "hbm-gpu");
	d.kind = HN_MEM_GPU;
	d.nid = 3;
	d.base = HN_ADDR_AUTO;
	d.size = 16 * GiB;
	d.read_latency_ns = 300;
	d.read_bw_mbps = 900000;
	d.zone = HN_ZONE_HINT_DEVICE;
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_add_node(m, 4), 0);

	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 2, 30), 0);
	assert_int_equal(hn_machine_set_distance(m, 1, 2, 32), 0);
	assert_int_equal(hn_machine_set_distance(m, 3, 0, 40), 0);
	assert_int_equal(hn_machine_set_access(m, 0, 2, &a), 0);
	assert_int_equal(hn_machine_add_memcache(m, &c), 0);
	assert_int_equal(hn_machine_add_link(m, &upi), 0);
	assert_int_equal(hn_machine_add_link(m, &cxl), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	return m;
}

static int load_str(const char *yaml, struct hn_machine **m, struct logcap *c)
{
	struct hn_log_sink s = sink_of(c);

	return hn_machine_load_yaml_string(m, yaml, strlen(yaml), &s);
}

/* Expect -EINVAL, no machine, and @what in the log. */
static void expect_rejected(const char *yaml, const char *what)
{
	struct hn_machine *m = (struct hn_machine *)1;
	struct logcap c;

	assert_int_equal(load_str(yaml, &m, &c), -EINVAL);
	assert_null(m);
	assert_true(c.errors >= 1);
	assert_logged(&c, what);
}

#define ONE_DRAM \
	"    memory:\n" \
	"      - { name: d0, type: dram, size: 1G, read-latency: 90, read-bandwidth: 20000 }\n"

/* ------------------------------------------------------------------------ */
/* YAML: success.                                                           */
/* ------------------------------------------------------------------------ */

/*
 * A minimal file: one node, CPUs by shorthand, one DRAM device.
 * Expect defaults: x86_64, write figures = read figures, address 0, name
 * "unnamed" (strings have no file name to borrow).
 */
static void load_yaml_string_minimal_check(void **state)
{
	static const char yaml[] =
		"nodes:\n"
		"  - nodeid: 0\n"
		"    cpus: 0-3\n"
		ONE_DRAM;
	struct hn_memdev_desc d;
	struct hn_initiator_desc in;
	struct hn_machine *m;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_int_equal(c.errors, 0);
	assert_string_equal(hn_machine_name(m), "unnamed");
	assert_int_equal(hn_machine_arch(m), HN_ARCH_X86_64);
	assert_int_equal(hn_machine_page_size(m), 0);
	assert_int_equal(hn_machine_nr_memdevs(m), 1);
	assert_int_equal(hn_machine_memdev(m, 0, &d), 0);
	assert_string_equal(d.name, "d0");
	assert_int_equal(d.base, 0);
	assert_int_equal(d.size, GiB);
	assert_int_equal(d.write_latency_ns, 90);
	assert_int_equal(d.write_bw_mbps, 20000);
	assert_int_equal(hn_machine_nr_initiators(m), 1);
	assert_int_equal(hn_machine_initiator(m, 0, &in), 0);
	assert_string_equal(in.name, "socket0");
	assert_string_equal(in.cpus, "0-3");
	assert_int_equal(hn_machine_distance(m, 0, 0), 10);
	hn_machine_free(m);
}

/*
 * The full vocabulary of the format reference, including QEMU's hmat-lb
 * units: 20G of bandwidth is 20 GiB/s = 21474836480 B/s = 21475 MB/s.
 */
static void load_yaml_string_full_check(void **state)
{
	static const char yaml[] =
		"machine: my-box\n"
		"description: \"two sockets and a CXL expander\"\n"
		"arch: x86_64\n"
		"page-size: 4K\n"
		"nodes:\n"
		"  - nodeid: 0\n"
		"    cpus: 0-15\n"
		"    memory:\n"
		"      - name: ddr5-0\n"
		"        type: ddr5\n"
		"        size: 64G\n"
		"        addr: 0x0\n"
		"        read-latency: 92\n"
		"        write-latency: 95\n"
		"        read-bandwidth: 153600\n"
		"        write-bandwidth: 140000\n"
		"        power: 375\n"
		"        reliability: 12\n"
		"        density: 16\n"
		"        compute: 0\n"
		"        persistent: false\n"
		"        hotplug: no\n"
		"        zone: normal\n"
		"        mattr: 0x12\n"
		"  - nodeid: 1\n"
		"    initiators:\n"
		"      - { name: gpu0, type: gpu }\n"
		"    memory:\n"
		"      - name: zip\n"
		"        type: cxl-compressed\n"
		"        size: 128G\n"
		"        read-latency: 250\n"
		"        read-bandwidth: 30000\n"
		"        hotplug: true\n"
		"        zone: movable\n"
		"        compression: { algo: zstd, ratio: 2.505, compress-bandwidth: 8000,\n"
		"                       decompress-bandwidth: 16000, latency: 250 }\n"
		"distance:\n"
		"  - [10, 21]\n"
		"  - [21, 10]\n"
		"hmat-lb:\n"
		"  - { initiator: 0, target: 1, hierarchy: memory, data-type: access-latency, latency: 130 }\n"
		"  - { initiator: 0, target: 1, data-type: read-bandwidth, bandwidth: 20G }\n"
		"  - { initiator: 0, target: 1, data-type: write-bandwidth, bandwidth: 1000000 }\n"
		"  - { initiator: 0, target: 1, hierarchy: first-level, data-type: access-latency, latency: 5 }\n"
		"hmat-cache:\n"
		"  - { node-id: 1, size: 16G, level: 1, associativity: direct, policy: write-back }\n";
	struct hn_memcache_desc mc;
	struct hn_memdev_desc d;
	struct hn_access_desc a;
	struct hn_machine *m;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_int_equal(c.errors, 0);
	/* The first-level hmat-lb entry is skipped with a warning. */
	assert_logged(&c, "hmat-lb[3]: hierarchy first-level ignored");
	assert_string_equal(hn_machine_name(m), "my-box");
	assert_string_equal(hn_machine_description(m), "two sockets and a CXL expander");
	assert_int_equal(hn_machine_page_size(m), 4096);
	assert_int_equal(hn_machine_memdev(m, 0, &d), 0);
	assert_int_equal(d.kind, HN_MEM_DRAM);
	assert_int_equal(d.size, 64 * GiB);
	assert_int_equal(d.write_latency_ns, 95);
	assert_int_equal(d.write_bw_mbps, 140000);
	assert_int_equal(d.power_mw_per_gib, 375);
	assert_int_equal(d.reliability, 12);
	assert_int_equal(d.density_gbit, 16);
	assert_int_equal(d.zone, HN_ZONE_HINT_NORMAL);
	assert_int_equal(d.mattr, 0x12);
	assert_int_equal(hn_machine_memdev(m, 1, &d), 0);
	assert_int_equal(d.kind, HN_MEM_CXL_COMPRESSED);
	assert_true(d.hotplug);
	assert_int_equal(d.zone, HN_ZONE_HINT_MOVABLE);
	assert_int_equal(d.compress.algo, HN_COMPRESS_ZSTD);
	assert_int_equal(d.compress.ratio_x100, 251);	/* 2.505 rounds up */
	assert_int_equal(d.compress.compress_ns, 250);
	assert_int_equal(hn_machine_distance(m, 0, 1), 21);
	assert_int_equal(hn_machine_access(m, 0, 1, &a), 0);
	assert_int_equal(a.read_latency_ns, 130);
	assert_int_equal(a.write_latency_ns, 130);
	assert_int_equal(a.read_bw_mbps, 21475);
	assert_int_equal(a.write_bw_mbps, 1);
	assert_int_equal(hn_machine_nr_memcaches(m), 1);
	assert_int_equal(hn_machine_memcache(m, 0, &mc), 0);
	assert_int_equal(mc.nid, 1);
	assert_int_equal(mc.size, 16 * GiB);
	assert_int_equal(mc.assoc, HN_CACHE_DIRECT);
	assert_int_equal(mc.policy, HN_CACHE_WRITE_BACK);
	assert_int_equal(mc.line, 64);	/* default */
	hn_machine_free(m);
}

/*
 * The cost model's keys, each once:
 *
 *   node 0: cpus 0-15 (llc by the node-level shorthand)   DDR5, curve + write cost
 *   node 1: s1 cpus 16-31 (llc in the initiator)          DDR5 + a 1G memory-side cache
 *   links:  0 ==upi0== 1, and an unnamed 1 -- 0
 *
 * Expect util as per mille rounded to nearest (0.8125 -> 813), write cost
 * in hundredths (1.455 -> 146), the llc line defaulting to 64, an unnamed
 * link called link<index>, and hit figures on the cache.
 */
static void load_yaml_cost_keys_check(void **state)
{
	static const char yaml[] =
		"nodes:\n"
		"  - nodeid: 0\n"
		"    cpus: 0-15\n"
		"    llc: { size: 32M, ways: 16, latency: 20 }\n"
		"    memory:\n"
		"      - name: ddr5-0\n"
		"        type: dram\n"
		"        size: 64G\n"
		"        read-latency: 92\n"
		"        read-bandwidth: 153600\n"
		"        write-cost: 1.455\n"
		"        loaded-latency:\n"
		"          - { util: 0, latency: 92 }\n"
		"          - { util: .5, latency: 110 }\n"
		"          - { util: 0.8125, latency: 180 }\n"
		"          - { util: 1, latency: 300 }\n"
		"  - nodeid: 1\n"
		"    initiators:\n"
		"      - { name: s1, cpus: 16-31, llc: { size: 48M, line: 128, ways: 12, latency: 25 } }\n"
		"    memory:\n"
		"      - { type: dram, size: 64G, read-latency: 92, read-bandwidth: 153600 }\n"
		"links:\n"
		"  - { name: upi0, nodes: [0, 1], bandwidth: 117130, latency: 79 }\n"
		"  - { nodes: [1, 0], bandwidth: 1000, latency: 0 }\n"
		"hmat-cache:\n"
		"  - { node-id: 1, size: 1G, level: 1, hit-latency: 40, hit-bandwidth: 300000 }\n";
	struct hn_memcache_desc mc;
	struct hn_initiator_desc in;
	struct hn_memdev_desc d;
	struct hn_link_desc l;
	struct hn_machine *m;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_int_equal(c.errors, 0);
	assert_int_equal(hn_machine_memdev(m, 0, &d), 0);
	assert_int_equal(d.write_cost_x100, 146);
	assert_int_equal(d.nr_loaded, 4);
	assert_int_equal(d.loaded[0].util_permille, 0);
	assert_int_equal(d.loaded[0].latency_ns, 92);
	assert_int_equal(d.loaded[1].util_permille, 500);
	assert_int_equal(d.loaded[2].util_permille, 813);
	assert_int_equal(d.loaded[3].util_permille, 1000);
	assert_int_equal(d.loaded[3].latency_ns, 300);
	assert_int_equal(hn_machine_memdev(m, 1, &d), 0);
	assert_int_equal(d.write_cost_x100, 0);		/* not given: derive */
	assert_int_equal(d.nr_loaded, 0);
	assert_int_equal(hn_machine_initiator(m, 0, &in), 0);
	assert_string_equal(in.name, "socket0");
	assert_int_equal(in.llc_size, 32 * MiB);
	assert_int_equal(in.llc_line, 64);			/* default */
	assert_int_equal(in.llc_ways, 16);
	assert_int_equal(in.llc_latency_ns, 20);
	assert_int_equal(hn_machine_initiator(m, 1, &in), 0);
	assert_int_equal(in.llc_size, 48 * MiB);
	assert_int_equal(in.llc_line, 128);
	assert_int_equal(in.llc_ways, 12);
	assert_int_equal(hn_machine_nr_links(m), 2);
	assert_int_equal(hn_machine_link(m, 0, &l), 0);
	assert_string_equal(l.name, "upi0");
	assert_int_equal(l.a, 0);
	assert_int_equal(l.b, 1);
	assert_int_equal(l.bw_mbps, 117130);
	assert_int_equal(l.latency_ns, 79);
	assert_int_equal(hn_machine_link(m, 1, &l), 0);
	assert_string_equal(l.name, "link1");
	assert_int_equal(l.a, 1);
	assert_int_equal(l.b, 0);
	assert_int_equal(hn_machine_memcache(m, 0, &mc), 0);
	assert_int_equal(mc.hit_latency_ns, 40);
	assert_int_equal(mc.hit_bw_mbps, 300000);
	hn_machine_free(m);
}

/* QEMU-style dist entries: one direction given, the other mirrored. */
static void load_yaml_string_dist_mirrored_check(void **state)
{
	static const char yaml[] =
		"nodes:\n"
		"  - nodeid: 0\n"
		ONE_DRAM
		"  - nodeid: 1\n"
		"  - nodeid: 2\n"
		"dist:\n"
		"  - { src: 0, dst: 1, val: 17 }\n"
		"  - { src: 2, dst: 1, val: 33 }\n";
	struct hn_machine *m;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_int_equal(hn_machine_distance(m, 1, 0), 17);
	assert_int_equal(hn_machine_distance(m, 1, 2), 33);
	assert_int_equal(hn_machine_distance(m, 0, 2), 20);	/* unspecified: 20 */
	hn_machine_free(m);
}

/*
 * The matrix follows ascending node ids whatever the listing order:
 * nodes listed 5, 2 -> row 0 is node 2.
 */
static void load_yaml_string_matrix_order_check(void **state)
{
	static const char yaml[] =
		"nodes:\n"
		"  - nodeid: 5\n"
		ONE_DRAM
		"  - nodeid: 2\n"
		"distance:\n"
		"  - [10, 12]\n"
		"  - [12, 10]\n";
	struct hn_machine *m;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_int_equal(hn_machine_nr_node_ids(m), 6);
	assert_true(hn_machine_node_exists(m, 2));
	assert_false(hn_machine_node_exists(m, 3));
	assert_int_equal(hn_machine_distance(m, 2, 5), 12);
	hn_machine_free(m);
}

/* A file carries its name into messages and, without "machine:", the name. */
static void load_yaml_file_check(void **state)
{
	char path[] = "/tmp/hnuma-test-XXXXXX";
	char yaml[256];
	struct hn_machine *m;
	struct hn_log_sink s;
	struct logcap c;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	snprintf(yaml, sizeof(yaml), "nodes:\n  - nodeid: 0\n" ONE_DRAM);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	s = sink_of(&c);
	assert_int_equal(hn_machine_load_yaml(&m, path, &s), 0);
	assert_string_equal(hn_machine_name(m), strrchr(path, '/') + 1);
	hn_machine_free(m);

	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "bogus: 1\n", 9), 9);
	close(fd);
	s = sink_of(&c);
	assert_int_equal(hn_machine_load_yaml(&m, path, &s), -EINVAL);
	assert_null(m);
	snprintf(yaml, sizeof(yaml), "%s:5:1: bogus: unknown key 'bogus'", path);
	assert_logged(&c, yaml);
	unlink(path);
}

#ifdef HN_TEST_SRCDIR
/* The documented example a user copies must load as it is. */
static void load_yaml_example_file_check(void **state)
{
	struct hn_machine *m;
	struct hn_log_sink s;
	struct logcap c;

	(void)state;
	s = sink_of(&c);
	assert_int_equal(hn_machine_load_yaml(&m, HN_TEST_SRCDIR "/machines/example.yaml", &s), 0);
	assert_int_equal(c.errors, 0);
	assert_true(hn_machine_nr_memdevs(m) >= 4);
	/* the cost model's keys it shows */
	assert_true(hn_machine_nr_links(m) >= 1);
	hn_machine_free(m);
}
#endif

/* ------------------------------------------------------------------------ */
/* YAML: argument and file errors.                                          */
/* ------------------------------------------------------------------------ */

static void load_yaml_null_args_check(void **state)
{
	struct hn_machine *m = (struct hn_machine *)1;

	(void)state;
	assert_int_equal(hn_machine_load_yaml(NULL, "x.yaml", NULL), -EINVAL);
	assert_int_equal(hn_machine_load_yaml(&m, NULL, NULL), -EINVAL);
	assert_null(m);
	m = (struct hn_machine *)1;
	assert_int_equal(hn_machine_load_yaml_string(NULL, "", 0, NULL), -EINVAL);
	assert_int_equal(hn_machine_load_yaml_string(&m, NULL, 0, NULL), -EINVAL);
	assert_null(m);
	assert_int_equal(hn_machine_save_yaml(NULL, stdout), -EINVAL);
}

static void load_yaml_missing_file_check(void **state)
{
	struct hn_machine *m;
	struct hn_log_sink s;
	struct logcap c;

	(void)state;
	s = sink_of(&c);
	assert_int_equal(hn_machine_load_yaml(&m, "/nonexistent/hnuma.yaml", &s), -ENOENT);
	assert_null(m);
	assert_logged(&c, "/nonexistent/hnuma.yaml: no such file");
	s = sink_of(&c);
	assert_int_equal(hn_machine_load_yaml(&m, "/", &s), -EISDIR);
}

/* Files and strings over 16 MiB are refused before parsing: -EFBIG. */
static void load_yaml_too_big_check(void **state)
{
	char path[] = "/tmp/hnuma-big-XXXXXX";
	struct hn_machine *m;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (16 << 20) + 1), 0);
	close(fd);
	assert_int_equal(hn_machine_load_yaml(&m, path, NULL), -EFBIG);
	unlink(path);
	assert_int_equal(hn_machine_load_yaml_string(&m, "", (16 << 20) + 1, NULL), -EFBIG);
	assert_null(m);
}

/* ------------------------------------------------------------------------ */
/* YAML: malformed files, each located "file:line:column:".                 */
/* ------------------------------------------------------------------------ */

static void load_yaml_syntax_error_check(void **state)
{
	(void)state;
	expect_rejected("nodes:\n  - nodeid: 0\n    memory: [ { type: dram \n  oops\n",
			"<string>:5:1: syntax error: did not find expected ',' or '}'");
	expect_rejected("nodes:\n\t- nodeid: 0\n", "<string>:2:1: syntax error");
}

/* Expect the key itself to be pointed at, with the keys that would fit. */
static void load_yaml_unknown_key_check(void **state)
{
	(void)state;
	expect_rejected("nodes:\n"
			"  - nodeid: 0\n"
			"    memory:\n"
			"      - name: a\n"
			"        sise: 4G\n",
			"<string>:5:9: nodes[0].memory[0].sise: unknown key 'sise'; did you mean 'size'? (known here: name, type, size,");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "extra: 1\n",
			"<string>:5:1: extra: unknown key 'extra'");
}

static void load_yaml_bad_size_check(void **state)
{
	(void)state;
	expect_rejected("nodes:\n"
			"  - nodeid: 0\n"
			"    memory:\n"
			"      - type: dram\n"
			"        size: 64X\n"
			"        read-latency: 1\n"
			"        read-bandwidth: 1\n",
			"<string>:5:15: nodes[0].memory[0].size: '64X' is not a size");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 12345, read-latency: 1, read-bandwidth: 1 }\n",
			"nodes[0].memory[0].size: 12345 is not a multiple of 4 KiB");
	expect_rejected("page-size: 3K\nnodes:\n  - nodeid: 0\n" ONE_DRAM,
			"<string>:1:12: page-size: '3K' is not a page size");
}

static void load_yaml_bad_type_check(void **state)
{
	(void)state;
	/* An unknown memory type. */
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dramm, size: 1G, read-latency: 1, read-bandwidth: 1 }\n",
			"<string>:4:17: nodes[0].memory[0].type: 'dramm' is not a memory type");
	/* A list where a value belongs. */
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: [1G], read-latency: 1, read-bandwidth: 1 }\n",
			"<string>:4:29: nodes[0].memory[0].size: expected a single value, found a list");
	/* A number out of range, a negative number, a bad enum word. */
	expect_rejected("nodes:\n  - nodeid: 4294967296\n",
			"<string>:2:13: nodes[0].nodeid: '4294967296' is not an unsigned integer");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 1G, read-latency: -1, read-bandwidth: 1 }\n",
			"<string>:4:47: nodes[0].memory[0].read-latency: '-1' is not an unsigned");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 1G, read-latency: 1, read-bandwidth: 1,"
			" persistent: maybe }\n",
			"nodes[0].memory[0].persistent: 'maybe' is not one of: false, true,");
	expect_rejected("arch: sparc\nnodes:\n  - nodeid: 0\n" ONE_DRAM,
			"<string>:1:7: arch: 'sparc' is not one of: x86_64, ppc64, generic");
	/* A mapping where the list of nodes belongs. */
	expect_rejected("nodes: { nodeid: 0 }\n",
			"<string>:1:8: nodes: expected a list, found a mapping");
	/* The whole document must be a mapping. */
	expect_rejected("- 1\n- 2\n", "<string>:1:1: expected a mapping");
}

static void load_yaml_structure_errors_check(void **state)
{
	(void)state;
	expect_rejected("nodes:\n  - {}\n", "<string>:2:5: nodes[0]: missing required key 'nodeid'");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n      - { type: dram }\n",
			"nodes[0].memory[0]: missing required key 'size'");
	expect_rejected("nodes:\n  - nodeid: 0\n    nodeid: 1\n",
			"<string>:3:5: nodes[0].nodeid: duplicate key");
	expect_rejected("nodes: []\n", "<string>:1:8: nodes: needs at least 1 entry");
	expect_rejected("", "<string>:1:1: empty document");
	expect_rejected("machine: &a x\nnodes: *a\n", "<string>:2:8: aliases (*a) are not supported");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "---\nnodes: []\n",
			"<string>:5:1: a machine file holds one YAML document");
	expect_rejected("machine: abcdefghijklmnopqrstuvwxyz0123456789\nnodes: []\n",
			"<string>:1:10: machine: too long (at most 31 bytes)");
	expect_rejected("nodes: [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]\n",
			"nesting deeper than 16 levels");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: cxl-compressed, size: 1G, read-latency: 1, read-bandwidth: 1 }\n",
			"nodes[0].memory[0]: a cxl-compressed device needs a 'compression' entry");
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 1G, read-latency: 1, read-bandwidth: 1,"
			" compression: { algo: lz4, ratio: 2 } }\n",
			"nodes[0].memory[0].compression: only a cxl-compressed device compresses");
	expect_rejected("nodes:\n  - nodeid: 0\n    initiators:\n      - { type: cpu }\n" ONE_DRAM,
			"nodes[0].initiators[0]: a cpu initiator needs 'cpus'");
	expect_rejected("nodes:\n  - nodeid: 0\n    cpus: 0-x\n" ONE_DRAM,
			"<string>:3:11: nodes[0].cpus: '0-x' is not a cpu list");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-lb:\n"
			"  - { initiator: 0, target: 0, data-type: access-latency, bandwidth: 1G }\n",
			"<string>:6:5: hmat-lb[0]: data-type access-latency takes 'latency'");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-lb:\n"
			"  - { initiator: 0, target: 0, data-type: read-bandwidth, bandwidth: 1K }\n",
			"hmat-lb[0].bandwidth: 1024 bytes/s is outside 1 MB/s");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-cache:\n"
			"  - { node-id: 0, size: 1G, level: 4 }\n",
			"<string>:6:36: hmat-cache[0].level: 4 is not a cache level");
}

/*
 * The cost model's keys, each rule broken once.  Expect the value's own
 * position, its key path, the value and the rule.
 */
static void load_yaml_cost_key_errors_check(void **state)
{
#define DEV0 "nodes:\n  - nodeid: 0\n    cpus: 0-3\n    memory:\n" \
	"      - { type: dram, size: 1G, read-latency: 90, read-bandwidth: 20000,\n"
	(void)state;
	/* loaded-latency: util outside 0..1, or not a number */
	expect_rejected(DEV0 "          loaded-latency: [ { util: 0, latency: 90 },"
			" { util: 1.5, latency: 100 } ] }\n",
			"<string>:6:63: nodes[0].memory[0].loaded-latency[1].util: '1.5' is not a "
			"utilisation from 0 to 1");
	expect_rejected(DEV0 "          loaded-latency: [ { util: 50%, latency: 90 } ] }\n",
			"<string>:6:37: nodes[0].memory[0].loaded-latency[0].util: '50%' is not a "
			"utilisation from 0 to 1");
	/* a zero latency */
	expect_rejected(DEV0 "          loaded-latency: [ { util: 0, latency: 0 } ] }\n",
			"<string>:6:49: nodes[0].memory[0].loaded-latency[0].latency: 0 is not a "
			"latency (ns, > 0)");
	/* utilisation not increasing: the rounding to per mille shown */
	expect_rejected(DEV0 "          loaded-latency: [ { util: 0.5, latency: 90 },"
			" { util: 0.5004, latency: 100 } ] }\n",
			"<string>:6:65: nodes[0].memory[0].loaded-latency[1].util: '0.5004' (0.5 to "
			"the nearest thousandth) is not above point 0's 0.5: utilisation must "
			"strictly increase");
	expect_rejected(DEV0 "          loaded-latency: [ { util: 0.6, latency: 90 },"
			" { util: 0.2, latency: 100 } ] }\n",
			"loaded-latency[1].util: '0.2' is not above point 0's 0.6");
	/* latency falling */
	expect_rejected(DEV0 "          loaded-latency: [ { util: 0, latency: 90 },"
			" { util: 0.5, latency: 89 } ] }\n",
			"<string>:6:77: nodes[0].memory[0].loaded-latency[1].latency: 89 is below "
			"point 0's 90 ns: latency must never fall as utilisation rises");
	/* thirteen points */
	expect_rejected(DEV0 "          loaded-latency: [ [0,1],[0,1],[0,1],[0,1],[0,1],[0,1],"
			"[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1] ] }\n",
			"nodes[0].memory[0].loaded-latency[0]: expected a mapping");
	expect_rejected(DEV0 "          loaded-latency: [ {util: 0, latency: 1}, {util: 0.1, latency: 1},"
			" {util: 0.2, latency: 1}, {util: 0.3, latency: 1}, {util: 0.4, latency: 1},"
			" {util: 0.5, latency: 1}, {util: 0.6, latency: 1}, {util: 0.7, latency: 1},"
			" {util: 0.8, latency: 1}, {util: 0.9, latency: 1}, {util: 0.95, latency: 1},"
			" {util: 0.97, latency: 1}, {util: 0.99, latency: 1} ] }\n",
			"<string>:6:329: nodes[0].memory[0].loaded-latency[12]: 13 points: a curve has "
			"at most 12");
	/* write-cost below 1, or not a number */
	expect_rejected(DEV0 "          write-cost: 0.99 }\n",
			"<string>:6:23: nodes[0].memory[0].write-cost: '0.99' is not a write cost of "
			"at least 1.0");
	expect_rejected(DEV0 "          write-cost: 1.5x }\n",
			"nodes[0].memory[0].write-cost: '1.5x' is not a write cost");
#undef DEV0
#define LLC(x) "nodes:\n  - nodeid: 0\n    cpus: 0-3\n    llc: " x "\n" ONE_DRAM
	/* llc: hn_llc_problem()'s reasons, at the key they concern */
	expect_rejected(LLC("{ size: 32M, line: 48, ways: 16, latency: 20 }"),
			"<string>:4:29: nodes[0].llc.line: 48 is refused: the line must be a power "
			"of two from 8 to 4096 bytes");
	expect_rejected(LLC("{ size: 32M, ways: 0, latency: 20 }"),
			"<string>:4:29: nodes[0].llc.ways: 0 is refused: the ways must be 1 to 64");
	expect_rejected(LLC("{ size: 1000000, ways: 16, latency: 20 }"),
			"<string>:4:18: nodes[0].llc.size: '1000000' (line 64, 16 ways) is refused: "
			"the size must be a multiple of line * ways");
	expect_rejected(LLC("{ size: 0, ways: 16, latency: 20 }"),
			"<string>:4:18: nodes[0].llc.size: '0' is not a cache size");
	expect_rejected(LLC("{ size: 32M, ways: 16, latency: 0 }"),
			"<string>:4:42: nodes[0].llc.latency: 0 is not a latency (ns, > 0)");
	expect_rejected(LLC("{ size: 32M, ways: 16 }"),
			"<string>:4:10: nodes[0].llc: missing required key 'latency'");
#undef LLC
	expect_rejected("nodes:\n  - nodeid: 0\n    initiators:\n"
			"      - { cpus: 0-3, llc: { size: 32M, line: 64, ways: 3, latency: 9 } }\n"
			ONE_DRAM,
			"<string>:4:35: nodes[0].initiators[0].llc.size: '32M' (line 64, 3 ways) is "
			"refused: the size must be a multiple of line * ways");
	/* a node-level llc belongs to the 'cpus' shorthand */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\n"
			"    llc: { size: 32M, ways: 16, latency: 3 }\n",
			"<string>:6:10: nodes[1].llc: a node's llc is that of its 'cpus' initiator, "
			"and node 1 has no 'cpus'");
	/* links: an end not in 'nodes', both ends one node, no bandwidth, wrong shape */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "links:\n"
			"  - { nodes: [0, 5], bandwidth: 1, latency: 1 }\n",
			"<string>:6:18: links[0].nodes[1]: node 5 is not declared in 'nodes'");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "links:\n"
			"  - { nodes: [0, 1024], bandwidth: 1, latency: 1 }\n",
			"<string>:6:18: links[0].nodes[1]: 1024 is beyond the highest node id 1023");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "links:\n"
			"  - { nodes: [0, 0], bandwidth: 1, latency: 1 }\n",
			"<string>:6:14: links[0].nodes: both ends are node 0: a link joins two "
			"different nodes");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\nlinks:\n"
			"  - { nodes: [0, 1], bandwidth: 0, latency: 1 }\n",
			"<string>:7:33: links[0].bandwidth: 0 is not a bandwidth (MB/s each way, > 0)");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "links:\n"
			"  - { nodes: [0], bandwidth: 1, latency: 1 }\n",
			"<string>:6:14: links[0].nodes: needs at least 2 entries");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\nlinks:\n"
			"  - { nodes: [0, 1], bandwidth: 1 }\n",
			"<string>:7:5: links[0]: missing required key 'latency'");
	/* hmat-cache hit figures: 0 is no figure */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-cache:\n"
			"  - { node-id: 0, size: 256M, level: 1, hit-latency: 0 }\n",
			"<string>:6:54: hmat-cache[0].hit-latency: 0 is refused: a hit latency (ns) "
			"must be above 0");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-cache:\n"
			"  - { node-id: 0, size: 256M, level: 1, hit-bandwidth: 0 }\n",
			"<string>:6:56: hmat-cache[0].hit-bandwidth: 0 is refused: a hit bandwidth "
			"(MB/s) must be above 0");
}

/* ------------------------------------------------------------------------ */
/* YAML: impossible machines, rejected by validation or the builder.        */
/* ------------------------------------------------------------------------ */

static void load_yaml_bad_distance_check(void **state)
{
	(void)state;
	/* Asymmetric: hn_machine_validate's reason, prefixed with the file. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\n"
			"distance:\n  - [10, 21]\n  - [22, 10]\n",
			"<string>: machine unnamed: distance 0->1 is 21 but 1->0 is 22 (asymmetric)");
	/* Below 10: located in the matrix. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\n"
			"distance:\n  - [10, 5]\n  - [5, 10]\n",
			"<string>:7:10: distance[0][1]: 5 is below the local distance 10");
	/* Remote 10 and local 11: validation. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\n"
			"distance:\n  - [10, 10]\n  - [10, 10]\n",
			"remote distances must exceed 10");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "distance:\n  - [11]\n",
			"distance from node 0 to itself is 11, must be 10");
	/* Wrong shape, a word, a value beyond 255, a second matrix. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 1\n"
			"distance:\n  - [10, 21]\n",
			"<string>:7:3: distance: 1 row for 2 listed nodes");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "distance:\n  - [ten]\n",
			"<string>:6:6: distance[0][0]: 'ten' is not a distance");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "distance:\n  - [256]\n",
			"'256' is not a distance (10..255)");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "distance: [[10]]\ndistance: [[10]]\n",
			"<string>:6:1: duplicate key 'distance'");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "distance: 10\n",
			"<string>:5:11: distance: expected a matrix");
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "dist:\n  - { src: 0, dst: 0, val: 9 }\n",
			"<string>:6:28: dist[0].val: 9 is not a distance");
}

static void load_yaml_validate_rejections_check(void **state)
{
	(void)state;
	/* Overlapping ranges. */
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 1G, addr: 0x100000000, read-latency: 1, read-bandwidth: 1 }\n"
			"      - { type: dram, size: 1G, addr: 0x120000000, read-latency: 1, read-bandwidth: 1 }\n",
			"overlap");
	/* A CPU in two nodes. */
	expect_rejected("nodes:\n  - nodeid: 0\n    cpus: 0-3\n" ONE_DRAM
			"  - nodeid: 1\n    cpus: 3-4\n",
			"cpu 3 is in both socket0 (node 0) and socket1 (node 1)");
	/* A zero-size device. */
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 0, read-latency: 1, read-bandwidth: 1 }\n",
			"<string>:4:29: nodes[0].memory[0].size: a device cannot have zero size");
	/* Too many nodes: beyond the compile-time ceiling. */
	expect_rejected("nodes:\n  - nodeid: 1024\n" ONE_DRAM,
			"<string>:2:13: nodes[0].nodeid: 1024 is beyond the highest node id 1023");
	/* A node listed twice. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "  - nodeid: 0\n",
			"<string>:5:13: nodes[1].nodeid: node 0 is listed twice");
	/* No memory anywhere. */
	expect_rejected("nodes:\n  - nodeid: 0\n    cpus: 0\n", "no memory devices");
	/* An access entry from a node without an initiator. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-lb:\n"
			"  - { initiator: 0, target: 0, data-type: access-latency, latency: 5 }\n",
			"access entry from node 0, which has no initiator");
	/* A memory-side cache larger than the memory behind it: validation, with the file. */
	expect_rejected("nodes:\n  - nodeid: 0\n" ONE_DRAM "hmat-cache:\n"
			"  - { node-id: 0, size: 2G, level: 1 }\n",
			"<string>: machine unnamed: the level-1 memory-side cache of node 0 "
			"(2147483648 bytes) is larger than the memory behind it (1073741824 bytes)");
	/* A device ending beyond 2^64. */
	expect_rejected("nodes:\n  - nodeid: 0\n    memory:\n"
			"      - { type: dram, size: 1G, addr: 0xfffffffff0000000, read-latency: 1,"
			" read-bandwidth: 1 }\n",
			"nodes[0].memory[0].addr: the device would end beyond 2^64");
}

/* ------------------------------------------------------------------------ */
/* YAML: save and round trips.                                              */
/* ------------------------------------------------------------------------ */

/*
 * Expect load(save(m)) == m field by field, and save(load(save(m))) ==
 * save(m) byte for byte.
 */
static void save_yaml_round_trip_check(void **state)
{
	struct hn_machine *m = sample_machine(), *r;
	char *once, *twice;
	struct logcap c;

	(void)state;
	once = to_string(hn_machine_save_yaml, m);
	if (load_str(once, &r, &c)) {
		print_error("%s\n%s", c.text, once);
		fail();
	}
	assert_machines_equal(m, r);
	twice = to_string(hn_machine_save_yaml, r);
	assert_string_equal(once, twice);
	/* A clone saves the same: no pointers or addresses in the output. */
	hn_machine_free(r);
	assert_int_equal(hn_machine_clone(&r, m), 0);
	free(twice);
	twice = to_string(hn_machine_save_yaml, r);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	hn_machine_free(r);
	hn_machine_free(m);
}

/* The canonical form, spot-checked: explicit address, matrix, HMAT rows. */
static void save_yaml_canonical_form_check(void **state)
{
	struct hn_machine *m = sample_machine();
	char *out = to_string(hn_machine_save_yaml, m);

	(void)state;
	assert_non_null(strstr(out, "machine: \"rt-box\"\n"));
	assert_non_null(strstr(out, "description: \"round trip: \\\"quotes\\\", tabs\\tand ünïcode\"\n"));
	assert_non_null(strstr(out, "        addr: 0x0\n"));
	assert_non_null(strstr(out, "  - [10, 21, 30, 40, 20]\n"));
	assert_non_null(strstr(out, "  - { initiator: 0, target: 2, hierarchy: memory, "
				    "data-type: read-latency, latency: 200 }\n"));
	assert_non_null(strstr(out, "  - { node-id: 2, size: 4G, level: 1, associativity: direct, "
				    "policy: write-back, line: 64, hit-latency: 120, hit-bandwidth: 60000 }\n"));
	assert_non_null(strstr(out, "  - nodeid: 4\n"));
	/* the cost model's keys */
	assert_non_null(strstr(out, "      - { name: \"socket0\", type: cpu, cpus: \"0-7\",\n"
				    "          llc: { size: 32M, line: 64, ways: 16, latency: 20 } }\n"));
	assert_non_null(strstr(out, "        mattr: 0x123\n"
				    "        write-cost: 1.45\n"
				    "        loaded-latency:\n"
				    "          - { util: 0, latency: 90 }\n"
				    "          - { util: 0.5, latency: 110 }\n"
				    "          - { util: 0.875, latency: 180 }\n"
				    "          - { util: 1, latency: 300 }\n"));
	assert_non_null(strstr(out, "links:\n"
				    "  - { name: \"upi0\", nodes: [0, 1], bandwidth: 117130, latency: 79 }\n"
				    "  - { name: \"cxl0\", nodes: [2, 0], bandwidth: 32000, latency: 0 }\n"));
	/* what is not given is not written */
	assert_null(strstr(out, "        write-cost: 0"));
	assert_null(strstr(out, "socket1\", type: cpu, cpus: \"8-15\",\n"));
	free(out);
	hn_machine_free(m);
}

/* An unvalidated machine is saved in its validated form; an invalid one is not. */
static void save_yaml_invalid_machine_check(void **state)
{
	struct hn_machine *m;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(hn_machine_new(&m, "empty"), 0);
	assert_int_equal(hn_machine_save_yaml(m, f), -EINVAL);	/* no memory */
	assert_int_equal(hn_machine_save_yaml(m, NULL), -EINVAL);
	add_dev(m, "d", HN_MEM_DRAM, 0, GiB, 1, 1);
	assert_int_equal(hn_machine_save_yaml(m, f), 0);
	hn_machine_free(m);
	/* A name YAML cannot carry (invalid UTF-8). */
	assert_int_equal(hn_machine_new(&m, "bad\xff"), 0);
	add_dev(m, "d", HN_MEM_DRAM, 0, GiB, 1, 1);
	assert_int_equal(hn_machine_save_yaml(m, f), -EINVAL);
	hn_machine_free(m);
	/* A link name just as well. */
	assert_int_equal(hn_machine_new(&m, "link"), 0);
	add_dev(m, "d0", HN_MEM_DRAM, 0, GiB, 1, 1);
	add_dev(m, "d1", HN_MEM_DRAM, 1, GiB, 1, 1);
	assert_int_equal(hn_machine_add_link(m, &(struct hn_link_desc){
		.name = "bad\xff", .a = 0, .b = 1, .bw_mbps = 1 }), 0);
	assert_int_equal(hn_machine_save_yaml(m, f), -EINVAL);
	hn_machine_free(m);
	/* A write cost below 1.0: the builder refuses it, as a file cannot say it. */
	assert_int_equal(hn_machine_new(&m, "cheap-writes"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &(struct hn_memdev_desc){
		.name = "d", .kind = HN_MEM_DRAM, .base = HN_ADDR_AUTO, .size = GiB,
		.read_latency_ns = 1, .read_bw_mbps = 1, .write_cost_x100 = 99 }), -EINVAL);
	hn_machine_free(m);
	fclose(f);
}

/* Control characters in strings survive the trip as escapes. */
static void save_yaml_escapes_check(void **state)
{
	static const char yaml[] =
		"machine: \"a\\x01b\\u0085c\"\n"
		"description: \"line1\\nline2 \\uFEFF \\\\ end\"\n"
		"nodes:\n  - nodeid: 0\n" ONE_DRAM;
	struct hn_machine *m, *r;
	char *once, *twice;
	struct logcap c;

	(void)state;
	assert_int_equal(load_str(yaml, &m, &c), 0);
	assert_string_equal(hn_machine_name(m), "a\x01" "b\xc2\x85" "c");
	once = to_string(hn_machine_save_yaml, m);
	assert_int_equal(load_str(once, &r, &c), 0);
	assert_machines_equal(m, r);
	twice = to_string(hn_machine_save_yaml, r);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	hn_machine_free(r);
	hn_machine_free(m);
}

#else /* !HNUMA_HAVE_YAML */

static void yaml_not_built_check(void **state)
{
	struct hn_machine *m = (struct hn_machine *)1;

	(void)state;
	assert_int_equal(hn_machine_load_yaml(&m, "x.yaml", NULL), -EOPNOTSUPP);
	assert_null(m);
	assert_int_equal(hn_machine_load_yaml_string(&m, "", 0, NULL), -EOPNOTSUPP);
	assert_int_equal(hn_machine_save_yaml(NULL, stdout), -EOPNOTSUPP);
}

#endif /* HNUMA_HAVE_YAML */

/* ------------------------------------------------------------------------ */
/* QEMU import.                                                             */
/* ------------------------------------------------------------------------ */

static int import(const char *const *argv, int argc, struct hn_machine **m, struct logcap *c)
{
	struct hn_log_sink s = sink_of(c);

	return hn_machine_import_qemu(m, argc, argv, &s);
}

#define IMPORT(m, c, ...) \
	import((const char *const[]){ __VA_ARGS__ }, \
	       (int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)), (m), (c))

/* Expect -EINVAL, no machine and @what logged. */
#define IMPORT_FAILS(what, ...) do { \
	struct hn_machine *m_ = (struct hn_machine *)1; \
	struct logcap c_; \
	assert_int_equal(IMPORT(&m_, &c_, __VA_ARGS__), -EINVAL); \
	assert_null(m_); \
	assert_logged(&c_, what); \
} while (0)

static uint64_t node_size(const struct hn_machine *m, int nid)
{
	uint64_t sum = 0;

	for (int i = 0; i < hn_machine_nr_memdevs(m); i++) {
		struct hn_memdev_desc d;

		assert_int_equal(hn_machine_memdev(m, i, &d), 0);
		if (d.nid == nid)
			sum += d.size;
	}
	return sum;
}

/* The CPUs of a node as a list such as "0-3,8" (initiators merged). */
static const char *node_cpus(const struct hn_machine *m, int nid, char *buf, size_t len)
{
	uint64_t bits[64] = { 0 };
	size_t off = 0;

	for (int i = 0; i < hn_machine_nr_initiators(m); i++) {
		struct hn_initiator_desc d;
		const char *p;

		assert_int_equal(hn_machine_initiator(m, i, &d), 0);
		if (d.nid != nid)
			continue;
		for (p = d.cpus; *p;) {
			unsigned long a = strtoul(p, (char **)&p, 10), b = a;

			if (*p == '-')
				b = strtoul(p + 1, (char **)&p, 10);
			for (unsigned long x = a; x <= b && x < 4096; x++)
				bits[x / 64] |= 1ULL << (x % 64);
			if (*p == ',')
				p++;
		}
	}
	buf[0] = '\0';
	for (unsigned int x = 0; x < 4096; x++) {
		unsigned int y = x;

		if (!(bits[x / 64] >> (x % 64) & 1))
			continue;
		while (y + 1 < 4096 && (bits[(y + 1) / 64] >> ((y + 1) % 64) & 1))
			y++;
		off += (size_t)snprintf(buf + off, len - off, "%s%u", off ? "," : "", x);
		if (y > x)
			off += (size_t)snprintf(buf + off, len - off, "-%u", y);
		x = y;
	}
	return buf;
}

/* No arguments: QEMU's defaults, one node with 128 MiB and one CPU. */
static void import_qemu_defaults_check(void **state)
{
	struct hn_machine *m;
	struct logcap c;
	char buf[64];

	(void)state;
	assert_int_equal(import(NULL, 0, &m, &c), 0);
	assert_int_equal(hn_machine_nr_node_ids(m), 1);
	assert_int_equal(node_size(m, 0), 128 * MiB);
	assert_string_equal(node_cpus(m, 0, buf, sizeof(buf)), "0");
	hn_machine_free(m);
}

/* "-m 4096" is MiB as in QEMU; unknown options and their values are skipped. */
static void import_qemu_no_numa_check(void **state)
{
	struct hn_memdev_desc d;
	struct hn_machine *m;
	struct logcap c;
	char buf[64];

	(void)state;
	assert_int_equal(IMPORT(&m, &c, "-enable-kvm", "-m", "4096", "-append", "-numa",
				"-smp", "4", "disk.img", "--nographic"), 0);
	assert_int_equal(hn_machine_nr_node_ids(m), 1);
	assert_int_equal(node_size(m, 0), 4 * GiB);
	assert_string_equal(node_cpus(m, 0, buf, sizeof(buf)), "0-3");
	assert_int_equal(hn_machine_memdev(m, 0, &d), 0);
	assert_int_equal(d.kind, HN_MEM_DRAM);
	assert_int_equal(d.read_latency_ns, 100);
	assert_int_equal(d.read_bw_mbps, 20000);
	hn_machine_free(m);
}

/*
 * A realistic line: 2 sockets, 4 nodes.
 *
 *   socket 0: cores 0-1 -> node 0 (4G), cores 2-3 -> node 1 (4G)   SNC, distance 11
 *   socket 1: cores 4-7 -> node 2 (4G)
 *   node 3: 4G memory-only CXL behind socket 0 (initiator=0)
 *
 * Expect hmat-lb's local figures as device figures (node 0: 90 ns,
 * 100G = 107374 MB/s; node 3 from its initiator: 250 ns, 10G = 10737 MB/s),
 * QEMU defaults elsewhere, derived access for the pairs not given.
 */
static void import_qemu_realistic_check(void **state)
{
	struct hn_memcache_desc mc;
	struct hn_memdev_desc d;
	struct hn_access_desc a;
	struct hn_machine *m;
	struct logcap c;
	char buf[64];

	(void)state;
	assert_int_equal(IMPORT(&m, &c,
		"-machine", "q35,hmat=on", "-enable-kvm", "-cpu", "host",
		"-m", "16G",
		"-smp", "8,sockets=2,cores=4,threads=1",
		"-object", "memory-backend-ram,id=m0,size=4G",
		"-object", "memory-backend-ram,id=m1,size=4G",
		"-object", "memory-backend-memfd,id=m2,size=4096M,share=on",
		"-object", "memory-backend-file,id=cxl0,size=4G,mem-path=/dev/shm/cxl,share",
		"-numa", "node,nodeid=0,memdev=m0",
		"-numa", "node,nodeid=1,memdev=m1",
		"-numa", "node,nodeid=2,memdev=m2",
		"-numa", "node,nodeid=3,memdev=cxl0,initiator=0",
		"-numa", "cpu,node-id=0,socket-id=0,core-id=0",
		"-numa", "cpu,node-id=0,socket-id=0,core-id=1",
		"-numa", "cpu,node-id=1,socket-id=0,core-id=2",
		"-numa", "cpu,node-id=1,socket-id=0,core-id=3",
		"-numa", "cpu,node-id=2,socket-id=1",
		"-numa", "dist,src=0,dst=1,val=11",
		"-numa", "dist,src=0,dst=2,val=21",
		"-numa", "dist,src=1,dst=2,val=21",
		"-numa", "dist,src=0,dst=3,val=30",
		"-numa", "dist,src=1,dst=3,val=30",
		"-numa", "dist,src=3,dst=2,val=40",
		"-numa", "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-latency,latency=90",
		"-numa", "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-bandwidth,bandwidth=100G",
		"-numa", "hmat-lb,initiator=0,target=3,hierarchy=memory,data-type=access-latency,latency=250",
		"-numa", "hmat-lb,initiator=0,target=3,hierarchy=memory,data-type=access-bandwidth,bandwidth=10G",
		"-numa", "hmat-cache,node-id=3,size=1G,level=1,associativity=direct,policy=write-back,line=64",
		"-drive", "file=disk.img,if=virtio", "-nographic"), 0);
	assert_int_equal(c.errors, 0);
	assert_int_equal(hn_machine_nr_node_ids(m), 4);
	for (int nid = 0; nid < 4; nid++)
		assert_int_equal(node_size(m, nid), 4 * GiB);
	assert_string_equal(node_cpus(m, 0, buf, sizeof(buf)), "0-1");
	assert_string_equal(node_cpus(m, 1, buf, sizeof(buf)), "2-3");
	assert_string_equal(node_cpus(m, 2, buf, sizeof(buf)), "4-7");
	assert_string_equal(node_cpus(m, 3, buf, sizeof(buf)), "");
	assert_int_equal(hn_machine_distance(m, 1, 0), 11);
	assert_int_equal(hn_machine_distance(m, 2, 3), 40);
	assert_int_equal(hn_machine_distance(m, 3, 3), 10);

	assert_int_equal(hn_machine_memdev(m, 0, &d), 0);
	assert_string_equal(d.name, "m0");
	assert_int_equal(d.read_latency_ns, 90);
	assert_int_equal(d.read_bw_mbps, 107374);
	assert_int_equal(hn_machine_memdev(m, 1, &d), 0);
	assert_int_equal(d.read_latency_ns, 100);
	assert_int_equal(d.read_bw_mbps, 20000);
	assert_int_equal(hn_machine_memdev(m, 3, &d), 0);
	assert_string_equal(d.name, "cxl0");
	assert_int_equal(d.nid, 3);
	assert_int_equal(d.read_latency_ns, 250);
	assert_int_equal(d.write_latency_ns, 250);
	assert_int_equal(d.read_bw_mbps, 10737);

	assert_int_equal(hn_machine_access(m, 0, 3, &a), 0);
	assert_int_equal(a.read_latency_ns, 250);
	assert_int_equal(a.read_bw_mbps, 10737);
	/*
	 * Not given: derived from the device figures, scaled by the distance
	 * relative to the nearest initiator's (30): 250 * 40 / 30, 10737 * 30 / 40.
	 */
	assert_int_equal(hn_machine_access(m, 2, 3, &a), 0);
	assert_int_equal(a.read_latency_ns, 333);
	assert_int_equal(a.read_bw_mbps, 8052);
	assert_int_equal(hn_machine_access(m, 3, 0, &a), -ENOENT);	/* no initiator */

	assert_int_equal(hn_machine_nr_memcaches(m), 1);
	assert_int_equal(hn_machine_memcache(m, 0, &mc), 0);
	assert_int_equal(mc.nid, 3);
	assert_int_equal(mc.size, GiB);
	assert_int_equal(mc.policy, HN_CACHE_WRITE_BACK);
	hn_machine_free(m);
}

/*
 * No memory on any node: -m split like numa_default_auto_assign_ram()
 * (8 MiB aligned, the rest to the last node).  CPUs no option places go to
 * socket-id % nodes, with a warning.
 *
 *   -m 1001M, 3 nodes: 328M, 328M, 345M
 */
static void import_qemu_auto_split_check(void **state)
{
	struct hn_machine *m;
	struct logcap c;
	char buf[64];

	(void)state;
	assert_int_equal(IMPORT(&m, &c, "-m", "1001M", "-smp", "6,sockets=3",
				"-numa", "node", "-numa", "node", "-numa", "node"), 0);
	assert_int_equal(node_size(m, 0), 328 * MiB);
	assert_int_equal(node_size(m, 1), 328 * MiB);
	assert_int_equal(node_size(m, 2), 345 * MiB);
	assert_string_equal(node_cpus(m, 0, buf, sizeof(buf)), "0-1");
	assert_string_equal(node_cpus(m, 2, buf, sizeof(buf)), "4-5");
	assert_logged(&c, "6 cpu(s) not in any -numa node");
	hn_machine_free(m);
}

/* Legacy mem= is MiB without a suffix; cpus= repeats; sizes may be fractional. */
static void import_qemu_legacy_mem_check(void **state)
{
	struct hn_machine *m;
	struct logcap c;
	char buf[64];

	(void)state;
	assert_int_equal(IMPORT(&m, &c, "-m", "size=2560M,slots=4,maxmem=8G", "-smp", "cpus=4,maxcpus=8",
				"--numa", "node,nodeid=0,cpus=0-1,cpus=4,mem=1024",
				"-numa", "node,mem=1.5G,cpus=2-3,cpus=5-7"), 0);
	assert_int_equal(node_size(m, 0), GiB);
	assert_int_equal(node_size(m, 1), 1536 * MiB);
	assert_string_equal(node_cpus(m, 0, buf, sizeof(buf)), "0-1,4");
	assert_string_equal(node_cpus(m, 1, buf, sizeof(buf)), "2-3,5-7");
	hn_machine_free(m);
}

static void import_qemu_null_args_check(void **state)
{
	const char *argv[] = { "-m", NULL };
	struct hn_machine *m = (struct hn_machine *)1;
	struct logcap c;

	(void)state;
	assert_int_equal(hn_machine_import_qemu(NULL, 0, NULL, NULL), -EINVAL);
	assert_int_equal(hn_machine_import_qemu(&m, -1, NULL, NULL), -EINVAL);
	assert_null(m);
	assert_int_equal(hn_machine_import_qemu(&m, 1, NULL, NULL), -EINVAL);
	assert_int_equal(import(argv, 2, &m, &c), -EINVAL);
	assert_logged(&c, "argv[0] '-m': needs a value");
	argv[0] = NULL;
	assert_int_equal(import(argv, 1, &m, &c), -EINVAL);
	assert_logged(&c, "argv[0] is NULL");
}

/* Each malformed value names its argument index and text. */
static void import_qemu_malformed_check(void **state)
{
	(void)state;
	IMPORT_FAILS("argv[1] '4X': size: '4X' is not a size", "-m", "4X");
	IMPORT_FAILS("argv[2] '-numa': needs a value", "-m", "1G", "-numa");
	IMPORT_FAILS("argv[0] '-numa=node': QEMU takes the option and its value as two words",
		     "-numa=node");
	IMPORT_FAILS("argv[1] 'nodes': 'nodes' is not a -numa type", "-numa", "nodes");
	IMPORT_FAILS("argv[1] 'node,foo=1': unknown key 'foo'", "-numa", "node,foo=1");
	IMPORT_FAILS("argv[1] 'node,nodeid=x': nodeid: 'x' is not a number", "-numa", "node,nodeid=x");
	IMPORT_FAILS("argv[1] 'node,nodeid=0,nodeid=1': 'nodeid' given twice",
		     "-numa", "node,nodeid=0,nodeid=1");
	IMPORT_FAILS("argv[1] 'node,cpus=3-1': cpus: '3-1' is not a cpu or range",
		     "-numa", "node,cpus=3-1");
	IMPORT_FAILS("argv[1] 'memory-backend-ram,size=1G': a memory backend needs a well-formed id=",
		     "-object", "memory-backend-ram,size=1G");
	IMPORT_FAILS("a memory backend needs a non-zero size=", "-object", "memory-backend-ram,id=m0");
	IMPORT_FAILS("argv[3] 'memory-backend-ram,id=a,size=1G': duplicate id 'a' (first at argv[1])",
		     "-object", "memory-backend-ram,id=a,size=1G",
		     "-object", "memory-backend-ram,id=a,size=1G");
	IMPORT_FAILS("argv[1] 'dist,src=0,dst=1': 'val' is required", "-numa", "dist,src=0,dst=1");
	IMPORT_FAILS("distance 9 is below 10", "-numa", "dist,src=0,dst=1,val=9");
	IMPORT_FAILS("the local distance of node 0 must be 10", "-numa", "dist,src=0,dst=0,val=20");
	IMPORT_FAILS("'cluster' is not memory, first-level",
		     "-numa", "hmat-lb,initiator=0,target=0,hierarchy=cluster,data-type=access-latency,latency=1");
	IMPORT_FAILS("data-type access-latency takes latency= and not bandwidth=",
		     "-numa", "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-latency,bandwidth=1G");
	IMPORT_FAILS("level: '4' is not 1, 2 or 3",
		     "-numa", "hmat-cache,node-id=0,size=1G,level=4,associativity=none,policy=none,line=64");
	IMPORT_FAILS("'line' is required",
		     "-numa", "hmat-cache,node-id=0,size=1G,level=1,associativity=none,policy=none");
	IMPORT_FAILS("argv[1] '8,sockets=2,cores=3': sockets (2) * dies (1) * clusters (1) * cores (3) * "
		     "threads (1) must equal maxcpus (8)",
		     "-smp", "8,sockets=2,cores=3");
	IMPORT_FAILS("argv[1] '4,threads=0': threads must be greater than 0", "-smp", "4,threads=0");
}

/* Lines QEMU itself would refuse. */
static void import_qemu_inconsistent_check(void **state)
{
	(void)state;
	IMPORT_FAILS("argv[3] 'node,memdev=nope': memdev 'nope' is not a memory backend -object",
		     "-m", "1G", "-numa", "node,memdev=nope");
	IMPORT_FAILS("argv[5] 'node,memdev=a': memdev 'a' is already used by node 0",
		     "-object", "memory-backend-ram,id=a,size=1G",
		     "-numa", "node,memdev=a", "-numa", "node,memdev=a");
	IMPORT_FAILS("mem= and memdev= exclude each other",
		     "-object", "memory-backend-ram,id=a,size=1G", "-numa", "node,memdev=a,mem=1G");
	IMPORT_FAILS("argv[3] 'node': node 1 is already defined at argv[1]",
		     "-numa", "node,nodeid=1", "-numa", "node");
	IMPORT_FAILS("-numa node: node 0 is missing", "-numa", "node,nodeid=1,mem=1G");
	IMPORT_FAILS("argv[1] '2G': the nodes' memory adds up to 1073741824 bytes but -m is 2147483648",
		     "-m", "2G", "-numa", "node,mem=1G");
	IMPORT_FAILS("argv[3] 'node,cpus=0-4': cpu 4 is beyond maxcpus 4",
		     "-smp", "4", "-numa", "node,cpus=0-4");
	IMPORT_FAILS("argv[5] 'node,cpus=1': cpu 1 is already in node 0",
		     "-smp", "4", "-numa", "node,cpus=0-1", "-numa", "node,cpus=1");
	IMPORT_FAILS("argv[7] 'cpu,node-id=1,socket-id=2': matches no cpu of the -smp topology",
		     "-smp", "4,sockets=2", "-numa", "node", "-numa", "node",
		     "-numa", "cpu,node-id=1,socket-id=2");
	IMPORT_FAILS("argv[5] 'cpu,node-id=2': node 2 is not defined by -numa node",
		     "-smp", "4", "-numa", "node", "-numa", "cpu,node-id=2");
	IMPORT_FAILS("initiator 1 is not a node with cpus",
		     "-smp", "2", "-numa", "node,cpus=0-1,mem=64M", "-numa", "node,mem=64M",
		     "-numa", "hmat-lb,initiator=1,target=0,hierarchy=memory,data-type=access-latency,latency=5");
	IMPORT_FAILS("a node with cpus is its own initiator",
		     "-smp", "2", "-numa", "node,cpus=0,mem=64M", "-numa", "node,cpus=1,mem=64M,initiator=0");
	IMPORT_FAILS("repeats argv[5]",
		     "-smp", "2", "-numa", "node,cpus=0-1,mem=64M",
		     "-numa", "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-latency,latency=5",
		     "-numa", "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-latency,latency=6");
	IMPORT_FAILS("node 3 is not defined by -numa node",
		     "-numa", "node,mem=64M", "-m", "64M", "-numa", "dist,src=0,dst=3,val=20");
	IMPORT_FAILS("node memory 5000 is not a multiple of 4 KiB",
		     "-object", "memory-backend-ram,id=a,size=5000", "-numa", "node,memdev=a");
}

/* A machine for export: everything QEMU can say (no GPU, one device per node). */
static struct hn_machine *qemu_sample(void)
{
	struct hn_memcache_desc c = {
		.nid = 2, .level = 2, .size = 512 * MiB, .assoc = HN_CACHE_COMPLEX,
		.policy = HN_CACHE_WRITE_THROUGH, .line = 128,
	};
	struct hn_access_desc a = { .read_latency_ns = 300, .write_latency_ns = 350,
				    .read_bw_mbps = 9000 };
	struct hn_machine *m;

	assert_int_equal(hn_machine_new(&m, "qemu"), 0);
	add_cpus(m, "socket0", 0, "0-3,8-11");
	add_cpus(m, "socket1", 1, "4-7,12-15");
	add_dev(m, "m0", HN_MEM_DRAM, 0, 8 * GiB, 90, 100000);
	add_dev(m, "m1", HN_MEM_DRAM, 1, 8 * GiB + 2 * MiB, 95, 90000);
	add_dev(m, "m2", HN_MEM_CXL, 2, 16 * GiB, 250, 30000);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 2, 30), 0);
	assert_int_equal(hn_machine_set_distance(m, 1, 2, 40), 0);
	assert_int_equal(hn_machine_set_access(m, 1, 2, &a), 0);
	assert_int_equal(hn_machine_add_memcache(m, &c), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	return m;
}

/* Split an export (one argument per line) back into an argv. */
static int split_lines(char *text, const char **argv, int max)
{
	int n = 0;

	for (char *p = strtok(text, "\n"); p && n < max; p = strtok(NULL, "\n"))
		argv[n++] = p;
	return n;
}

/*
 * Expect import(export(m)) to keep nodes, per-node sizes and CPUs,
 * distances, the whole HMAT matrix and the caches, and export to be a fixed
 * point after one trip.
 */
static void export_qemu_round_trip_check(void **state)
{
	struct hn_machine *m = qemu_sample(), *r, *r2;
	const char *argv[256];
	char *once, *copy, *twice;
	char b1[64], b2[64];
	struct logcap c;
	int argc;

	(void)state;
	once = to_string(hn_machine_export_qemu, m);
	assert_non_null(strstr(once, "-numa\nnode,nodeid=2,memdev=m2,initiator=0\n"));
	assert_non_null(strstr(once, "-numa\nnode,nodeid=0,cpus=0-3,cpus=8-11,memdev=m0\n"));
	assert_non_null(strstr(once, "-object\nmemory-backend-ram,id=m1,size=8194M\n"));
	copy = strdup(once);
	argc = split_lines(copy, argv, 256);
	if (import(argv, argc, &r, &c)) {
		print_error("%s\n%s", c.text, once);
		fail();
	}
	for (int nid = 0; nid < 3; nid++) {
		assert_int_equal(node_size(m, nid), node_size(r, nid));
		assert_string_equal(node_cpus(m, nid, b1, sizeof(b1)), node_cpus(r, nid, b2, sizeof(b2)));
	}
	assert_topology_equal(m, r, qemu_bw_tolerance(m));
	twice = to_string(hn_machine_export_qemu, r);
	assert_string_equal(once, twice);
	free(copy);
	copy = strdup(twice);
	argc = split_lines(copy, argv, 256);
	assert_int_equal(import(argv, argc, &r2, &c), 0);
	assert_machines_equal(r, r2);
	free(copy);
	free(once);
	free(twice);
	hn_machine_free(r2);
	hn_machine_free(r);
	hn_machine_free(m);
}

/*
 * QEMU 7.2 (hw/core/numa.c) refuses an hmat-lb bandwidth that is not a
 * multiple of 1 MiB/s, and, per data type, values whose common base unit
 * (the lowest set bit of all of them) leaves one above 65534 or spans more
 * than 16 bits.  Expect every built-in machine's export to pass both
 * rules, at catalogue size and scaled down.
 */
static void export_qemu_bandwidth_units_check(void **state)
{
	const char *name;

	(void)state;
	for (int k = 0; (name = hn_machine_builtin_name(k, NULL)); k++) {
		for (int scaled = 0; scaled < 2; scaled++) {
			struct hn_machine *m;
			uint64_t or[3] = { 0 }, max[3] = { 0 };
			char *text, *line, *save = NULL;

			assert_int_equal(scaled ? hn_machine_builtin_scaled(&m, name, 16ULL << 30) :
						  hn_machine_builtin(&m, name), 0);
			text = to_string(hn_machine_export_qemu, m);
			for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				const char *bw = strstr(line, "bandwidth=");
				int type;
				uint64_t v;

				if (!bw || strncmp(line, "hmat-lb,", 8))
					continue;
				type = strstr(line, "data-type=access") ? 0 : strstr(line, "data-type=read") ? 1 : 2;
				v = strtoull(bw + 10, NULL, 10);
				assert_true(v > 0 && v % (1 << 20) == 0);
				or[type] |= v;
				max[type] = HN_MAX(max[type], v);
			}
			for (int t = 0; t < 3; t++) {
				unsigned int first, last;

				if (!or[t])
					continue;
				first = (unsigned int)__builtin_ctzll(or[t]);
				last = 64u - (unsigned int)__builtin_clzll(or[t]);
				if (last - first > 16 || (max[t] >> first) >= 65535)
					fail_msg("%s%s: bandwidths of type %d span bits %u..%u", name,
						 scaled ? " scaled" : "", t, first, last);
			}
			free(text);
			hn_machine_free(m);
		}
	}
}

/*
 * The default machine's GPU memory (node 6) has a GPU initiator of its
 * own.  QEMU 7.2 takes only CPU nodes as initiators, so the export gives
 * node 6 one stand-in vCPU and names its backend "gpu6"; expect node 6
 * to be its own initiator (no initiator=0), the GPU's HMAT rows to be
 * there, and the import to turn the stand-in back into a GPU initiator
 * without CPUs, the 6 -> 6 figures within QEMU's units.
 */
static void export_qemu_gpu_initiator_check(void **state)
{
	struct hn_machine *m, *r;
	struct hn_access_desc a, b;
	struct hn_initiator_desc d;
	const char *argv[512];
	char *once, *copy;
	struct logcap c;
	bool gpu = false;
	int argc;

	(void)state;
	assert_int_equal(hn_machine_builtin_scaled(&m, "default", 8ULL << 30), 0);
	once = to_string(hn_machine_export_qemu, m);
	assert_non_null(strstr(once, "-numa\nnode,nodeid=6,cpus=224,memdev=gpu6\n"));
	assert_non_null(strstr(once, "-smp\n225\n"));
	assert_non_null(strstr(once, "hmat-lb,initiator=6,target=6,"));
	assert_null(strstr(once, "nodeid=6,memdev"));
	copy = strdup(once);
	argc = split_lines(copy, argv, 512);
	if (import(argv, argc, &r, &c)) {
		print_error("%s\n%s", c.text, once);
		fail();
	}
	for (int i = 0; i < hn_machine_nr_initiators(r); i++) {
		assert_int_equal(hn_machine_initiator(r, i, &d), 0);
		if (d.nid != 6)
			continue;
		assert_int_equal(d.kind, HN_INIT_GPU);
		assert_string_equal(d.cpus, "");
		gpu = true;
	}
	assert_true(gpu);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);	/* the derived HMAT rows */
	assert_int_equal(hn_machine_access(m, 6, 6, &a), 0);
	assert_int_equal(hn_machine_access(r, 6, 6, &b), 0);
	assert_int_equal(a.read_latency_ns, b.read_latency_ns);
	assert_in_range(b.read_bw_mbps, a.read_bw_mbps - qemu_bw_tolerance(m),
			a.read_bw_mbps + qemu_bw_tolerance(m));
	free(copy);
	free(once);
	hn_machine_free(r);
	hn_machine_free(m);
}

static void export_qemu_errors_check(void **state)
{
	struct hn_machine *m;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(hn_machine_export_qemu(NULL, f), -EINVAL);
	assert_int_equal(hn_machine_new(&m, "empty"), 0);
	assert_int_equal(hn_machine_export_qemu(m, NULL), -EINVAL);
	assert_int_equal(hn_machine_export_qemu(m, f), -EINVAL);	/* no memory */
	hn_machine_free(m);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef HNUMA_HAVE_YAML
		cmocka_unit_test(load_yaml_string_minimal_check),
		cmocka_unit_test(load_yaml_string_full_check),
		cmocka_unit_test(load_yaml_cost_keys_check),
		cmocka_unit_test(load_yaml_string_dist_mirrored_check),
		cmocka_unit_test(load_yaml_string_matrix_order_check),
		cmocka_unit_test(load_yaml_file_check),
#ifdef HN_TEST_SRCDIR
		cmocka_unit_test(load_yaml_example_file_check),
#endif
		cmocka_unit_test(load_yaml_null_args_check),
		cmocka_unit_test(load_yaml_missing_file_check),
		cmocka_unit_test(load_yaml_too_big_check),
		cmocka_unit_test(load_yaml_syntax_error_check),
		cmocka_unit_test(load_yaml_unknown_key_check),
		cmocka_unit_test(load_yaml_bad_size_check),
		cmocka_unit_test(load_yaml_bad_type_check),
		cmocka_unit_test(load_yaml_structure_errors_check),
		cmocka_unit_test(load_yaml_cost_key_errors_check),
		cmocka_unit_test(load_yaml_bad_distance_check),
		cmocka_unit_test(load_yaml_validate_rejections_check),
		cmocka_unit_test(save_yaml_round_trip_check),
		cmocka_unit_test(save_yaml_canonical_form_check),
		cmocka_unit_test(save_yaml_invalid_machine_check),
		cmocka_unit_test(save_yaml_escapes_check),
#else
		cmocka_unit_test(yaml_not_built_check),
#endif
		cmocka_unit_test(import_qemu_defaults_check),
		cmocka_unit_test(import_qemu_no_numa_check),
		cmocka_unit_test(import_qemu_realistic_check),
		cmocka_unit_test(import_qemu_auto_split_check),
		cmocka_unit_test(import_qemu_legacy_mem_check),
		cmocka_unit_test(import_qemu_null_args_check),
		cmocka_unit_test(import_qemu_malformed_check),
		cmocka_unit_test(import_qemu_inconsistent_check),
		cmocka_unit_test(export_qemu_round_trip_check),
		cmocka_unit_test(export_qemu_bandwidth_units_check),
		cmocka_unit_test(export_qemu_gpu_initiator_check),
		cmocka_unit_test(export_qemu_errors_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
