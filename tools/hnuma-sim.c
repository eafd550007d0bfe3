/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma-sim - boot a simulated NUMA machine and look at it.
 *
 * A thin main() over the public API: everything it prints comes from the
 * library's views.  See usage() for the commands.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hnuma/hnuma.h>

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130	/* 128 + SIGINT, as a shell reports it */
#define MAX_INPUT (16u << 20)	/* what the library's readers accept */

static const char *prog = "hnuma-sim";

/* Set by the SIGINT handler; the run's progress callback hands it to the library. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * A usage error: one line saying what is wrong, one pointing at --help, and
 * exit status 2 (the whole text is for --help alone).
 */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "try '%s --help'\n", prog);
	return EXIT_USAGE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] [COMMAND [ARGS]]\n"
		"\n"
		"Boot a simulated NUMA machine (the built-in 'default' unless --machine says\n"
		"otherwise) and print what the simulated kernel shows.\n"
		"\n"
		"Commands:\n"
		"  boot                 print the boot log and a per-node summary (the default)\n"
		"  show hardware        the output of `numactl --hardware`\n"
		"  show zoneinfo        /proc/zoneinfo\n"
		"  show memblock        memblock regions (debugfs memblock/memory and reserved)\n"
		"  show summary         one line per node: memory kinds, CPUs, sizes, zones\n"
		"  show dmesg           the boot log only\n"
		"  show buddyinfo       /proc/buddyinfo\n"
		"  show pagetypeinfo    /proc/pagetypeinfo\n"
		"  show vmstat          /proc/vmstat (the counters the simulation keeps)\n"
		"  show zonelists       each node's zonelists, in the kernel's mminit format\n"
		"  show extfrag         debugfs extfrag/extfrag_index\n"
		"  show unusable        debugfs extfrag/unusable_index\n"
		"  show attrs           attribute nodes per zone (with --hnuma)\n"
		"  show numastat        the output of `numastat` (per-node counters, pages)\n"
		"  show numastat-n      the output of `numastat -n` (the same in MBs)\n"
		"  show sysctl          `sysctl vm`: the /proc/sys/vm values the simulation keeps\n"
		"  dot zonelists        the zonelists as a Graphviz digraph\n"
		"  dot attrs            each zone's attribute tree and caches (with --hnuma)\n"
		"  explain ATTRS        how a GFP_KERNEL request for ATTRS (e.g. 'lat=16' or\n"
		"                       'bw=12,den=8') would be matched (with --hnuma)\n"
		"  run                  run a workload on simulated tasks and report what the\n"
		"                       policies did: with no run options the built-in demo\n"
		"  compact              compact every node (or --node N) as a write to\n"
		"                       compact_memory (nodeN/compact) does, and print the\n"
		"                       unusable index and buddyinfo before and after\n"
		"  validate [curves]    the cost model against the published figures the machine\n"
		"                       cites (docs/cost-model.md); 'curves': each memory's\n"
		"                       bandwidth-latency curve as data for tools/cost.gnuplot\n"
		"  machines             list the built-in machines\n"
		"  export yaml|qemu     write the machine as a YAML file or QEMU -numa arguments\n"
		"\n"
		"Options:\n"
		"  -m, --machine NAME|FILE  a built-in machine name or a YAML machine file ('-' for\n"
		"                           standard input)\n"
		"  -q, --qemu 'ARGS'        import a QEMU command line (-m, -smp, -object\n"
		"                           memory-backend-*, -numa node/dist/cpu/hmat-lb/hmat-cache)\n"
		"  -s, --seed N             PRNG seed (default 0)\n"
		"  -p, --page-size SIZE     simulated page size, 4K..2M (default: the machine's, else 4K)\n"
		"  -o, --max-order N        MAX_PAGE_ORDER (default 10)\n", prog);
	fprintf(f,
		"      --movable-node       like the movable_node boot parameter: hotpluggable\n"
		"                           memory goes to ZONE_MOVABLE\n"
		"      --min-free-kbytes N  vm.min_free_kbytes, written at the end of the boot as\n"
		"                           sysctl.vm.min_free_kbytes=N on the command line is\n"
		"      --cmdline 'ARGS'     kernel command-line parameters: transparent_hugepage=\n"
		"                           always|madvise|never (default always, as Debian's\n"
		"                           config), movable_node, sysctl.vm.min_free_kbytes=N\n"
		"      --scale SIZE         scale a built-in machine's devices to SIZE in all (at\n"
		"                           least 1G per device; not for machine files or --qemu)\n"
		"      --churn N            before showing, run N seeded random allocations and\n"
		"                           frees (orders 0-10, GFP_KERNEL/GFP_HIGHUSER_MOVABLE/\n"
		"                           GFP_ATOMIC, all CPUs) and keep what is still allocated;\n"
		"                           order-0 movable ones are a task's anonymous pages, which\n"
		"                           compaction can move\n"
		"      --contents[=MODEL]   page contents: every page a task writes holds bytes\n"
		"                           (zero, text (the default), random, or mix[:RATIO] for a\n"
		"                           target compression ratio) and a checksum; runs end with\n"
		"                           an integrity line\n"
		"");
	fprintf(f,
		"      --node N             the node for compact (default: every node)\n"
		"      --hnuma              hierarchical NUMA: memory with attributes (every kind\n"
		"                           but DRAM, or an explicit mattr) becomes attribute nodes\n"
		"      --attr-match NAME    matching strategy: slides (default), slides-tree,\n"
		"                           weighted, lexicographic, linear\n"
		"      --attr-weights W,..  six per-property weights for weighted/lexicographic\n"
		"                           (latency, bandwidth, reliability, power, compute, density)\n"
		"      --order N            the order for explain (default 0)\n"
		"\n");
	fprintf(f,
		"Run options (one task per --cpu, all alike; without any, the demo scenario):\n"
		"      --cpu N              a task on CPU N (repeat for more tasks; default 0)\n"
		"      --workload KIND      sequential, uniform, zipf or chase (default uniform)\n"
		"      --wss SIZE           working set per task (default 64M)\n"
		"      --accesses N         accesses per task (default 100000)\n"
		"      --write-pct P        share of writes, 0-100 (default 30)\n"
		"      --policy SPEC        default, local, bind:NODES, interleave:NODES,\n"
		"                           preferred:NODE, preferred-many:NODES, weighted:NODES\n"
		"");
	fprintf(f,
		"      --json FILE          also write the results as JSON; '-': only the JSON, on\n"
		"                           stdout (the table is left out)\n"
		"      --replay FILE        replay a trace instead (docs/trace-format.md; '-' for stdin)\n"
		"      --scenario FILE      run a scenario file (docs/running.md; '-' for stdin); its\n"
		"                           machine and seed apply unless --machine and --seed are given\n"
		"      --cost-model PARTS   static (today's model, the default), full, or parts of it\n"
		"                           joined by commas: loaded, links, memcache, llc\n"
		"                           (docs/cost-model.md); overrides the scenario's\n"
		"      --allow-huge         run a scenario of more than 10^10 accesses in all\n"
		"      --progress           show the progress line even when stderr is not a terminal\n"
		"  -t, --trace FILE         write the event trace (mm_page_alloc, mm_page_free, ...)\n"
		"                           to FILE in ftrace's text format; '-' for stdout\n"
		"  -v, --verbose            also print the library's diagnostics\n"
		"  -h, --help               this text\n"
		"  -V, --version            print the version\n"
		"\n"
		"Ctrl-C stops a run and prints the partial report ('interrupted at N of M accesses').\n"
		"\n"
		"Exit status: 0 on success; 1 when the work failed (a machine, scenario or trace that\n"
		"does not load or run, an output file that cannot be written); 2 on a usage error;\n"
		"130 when Ctrl-C stopped a run.  docs/errors.md lists the messages.\n");
}

static int verbose;
static int errors_logged;	/* error lines the library sent: they already say what went wrong */
static bool stdin_machine;	/* the machine text came from standard input */

static void log_to_stderr(void *ctx, enum hn_log_level level, const char *msg)
{
	(void)ctx;
	if (level <= HN_LOG_ERR)
		errors_logged++;
	/* a machine read from stdin is loaded as a string: name it as the user gave it */
	if (stdin_machine && !strncmp(msg, "<string>:", 9)) {
		fprintf(stderr, "%s: <stdin>:%s\n", prog, msg + 9);
		return;
	}
	if (level <= HN_LOG_WARNING || verbose)
		fprintf(stderr, "%s: %s\n", prog, msg);
}

/* An error from the library: its own lines already told the details, if any. */
static void report(const char *what, int ret)
{
	if (!errors_logged)
		fprintf(stderr, "%s: %s: %s\n", prog, what, hn_strerror(ret));
}

/* All of standard input, NUL-terminated, at most MAX_INPUT bytes. */
static char *read_stdin(size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1);

	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, stdin);

		n += got;
		if (ferror(stdin) || n > MAX_INPUT) {
			fprintf(stderr, "%s: <stdin>: %s\n", prog,
				n > MAX_INPUT ? "larger than 16 MiB" : "cannot be read");
			free(buf);
			return NULL;
		}
		if (!got)
			break;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf) {
		fprintf(stderr, "%s: <stdin>: out of memory\n", prog);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int split_words(char *s, const char ***out)
{
	const char **v = NULL;
	int n = 0;

	for (char *tok = strtok(s, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
		const char **nv = realloc(v, (size_t)(n + 1) * sizeof(*v));

		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n++] = tok;
	}
	*out = v;
	return n;
}

/*
 * Why @scale cannot size built-in machine @name, in words; NULL when it
 * can.  The library's rule: at least 1 GiB per memory device, at most 2^52
 * bytes in all.
 */
static const char *scale_problem(const char *name, uint64_t scale, char *buf, size_t len)
{
	struct hn_machine *m = NULL;
	int devs;

	if (hn_machine_builtin(&m, name))
		return NULL;
	devs = hn_machine_nr_memdevs(m);
	hn_machine_free(m);
	if (scale < (uint64_t)devs << 30)
		snprintf(buf, len, "--scale: machine '%.64s' has %d memory devices and each keeps at least "
			 "1G: use --scale %dG or more", name, devs, devs);
	else if (scale > 1ULL << 52)
		snprintf(buf, len, "--scale: at most 4P (2^52 bytes), the simulated physical address "
			 "limit");
	else
		return NULL;
	return buf;
}

static int load_machine(const char *name, const char *qemu, uint64_t scale,
			const struct hn_log_sink *log, struct hn_machine **out)
{
	int ret;

	if (qemu) {
		char *copy = strdup(qemu);
		const char **argv = NULL;
		int argc;

		if (!copy)
			return -ENOMEM;
		argc = split_words(copy, &argv);
		ret = argc < 0 ? argc : hn_machine_import_qemu(out, argc, argv, log);
		free(argv);
		free(copy);
		return ret;
	}
	if (!name)
		name = "default";
	if (!strcmp(name, "-")) {
		size_t len;
		char *text = read_stdin(&len);

		if (!text)
			return -EIO;
		stdin_machine = true;
		ret = hn_machine_load_yaml_string(out, text, len, log);
		free(text);
		return ret;
	}
	if (scale)
		ret = hn_machine_builtin_scaled(out, name, scale);
	else
		ret = hn_machine_builtin(out, name);
	if (ret != -ENOENT)
		return ret;
	if (access(name, F_OK) != 0) {
		fprintf(stderr, "%s: '%s' is neither a built-in machine nor a file (see '%s machines')\n",
			prog, name, prog);
		errors_logged++;
		return -ENOENT;
	}
	return hn_machine_load_yaml(out, name, log);
}

typedef int (*view_fn)(const struct hn_sim *, FILE *);

static int show_numastat(const struct hn_sim *sim, FILE *f)
{
	return hn_sim_show_numastat(sim, f, false);
}

static int show_numastat_mb(const struct hn_sim *sim, FILE *f)
{
	return hn_sim_show_numastat(sim, f, true);
}

static view_fn show_view(const char *name)
{
	static const struct {
		const char *name;
		view_fn fn;
	} views[] = {
		{ "hardware", hn_sim_show_hardware },
		{ "zoneinfo", hn_sim_show_zoneinfo },
		{ "memblock", hn_sim_show_memblock },
		{ "summary", hn_sim_show_summary },
		{ "dmesg", hn_sim_dmesg },
		{ "buddyinfo", hn_sim_show_buddyinfo },
		{ "pagetypeinfo", hn_sim_show_pagetypeinfo },
		{ "vmstat", hn_sim_show_vmstat },
		{ "zonelists", hn_sim_show_zonelists },
		{ "extfrag", hn_sim_show_extfrag_index },
		{ "unusable", hn_sim_show_unusable_index },
		{ "attrs", hn_sim_show_attrs },
		{ "numastat", show_numastat },
		{ "numastat-n", show_numastat_mb },
		{ "sysctl", hn_sim_show_sysctl },
	};

	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, name))
			return views[i].fn;
	return NULL;
}

static int list_machines(void)
{
	const char *summary;
	const char *name;

	for (int i = 0; (name = hn_machine_builtin_name(i, &summary)); i++)
		printf("%-14s %s\n", name, summary);
	return 0;
}

enum {
	OPT_MOVABLE_NODE = 256,
	OPT_MIN_FREE,
	OPT_CMDLINE,
	OPT_SCALE,
	OPT_CHURN,
	OPT_HNUMA,
	OPT_ATTR_MATCH,
	OPT_ATTR_WEIGHTS,
	OPT_ORDER,
	OPT_CPU,
	OPT_WORKLOAD,
	OPT_WSS,
	OPT_ACCESSES,
	OPT_WRITE_PCT,
	OPT_POLICY,
	OPT_JSON,
	OPT_REPLAY,
	OPT_SCENARIO,
	OPT_ALLOW_HUGE,
	OPT_PROGRESS,
	OPT_CONTENTS,
	OPT_NODE,
	OPT_COST_MODEL,
};

/* What each option's value must be, for the one-line usage error. */
static const char *expected_value(int opt)
{
	switch (opt) {
	case 's': return "a whole number (decimal or 0x hex)";
	case 'p': return "a power of two from 4K to 2M";
	case 'o': return "a whole number from 1 to 20";
	case OPT_MIN_FREE: return "a whole number of KiB, 1 or more";
	case OPT_CMDLINE:
		return "parameters separated by spaces: transparent_hugepage=always|madvise|never, "
		       "movable_node, sysctl.vm.min_free_kbytes=N";
	case OPT_SCALE: return "a size such as 16G";
	case OPT_CHURN: return "a whole number of operations, 0 to 10^10";
	case OPT_ATTR_WEIGHTS: return "six whole numbers 0..1000000, such as 1,1,1,1,1,1";
	case OPT_ORDER: return "a whole number from 0 to 20";
	case OPT_CPU: return "a CPU number (0..4095; at most 64 of them)";
	case OPT_WORKLOAD: return "sequential, uniform, zipf or chase";
	case OPT_WSS: return "a size from 1 byte to 64T, such as 64M";
	case OPT_ACCESSES: return "a whole number from 1 to 10^15";
	case OPT_WRITE_PCT: return "a whole number from 0 to 100";
	case OPT_POLICY: return "default, local or MODE:NODES (e.g. interleave:0-1)";
	case OPT_CONTENTS: return "zero, text, random or mix[:RATIO] (RATIO 1 to 1000, e.g. mix:2.5)";
	case OPT_NODE: return "a node number (0..1023)";
	case OPT_COST_MODEL: return "static, full, or loaded, links, memcache, llc joined by commas";
	default: return "something else";
	}
}

/* A whole decimal number from @min to @max, with no sign and nothing after it. */
static bool parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && !*end && *out >= min && *out <= max;
}

/*
 * The kernel command-line parameters hnuma models, separated by spaces:
 * transparent_hugepage=, movable_node, and sysctl.vm.min_free_kbytes=
 * (applied at the end of the boot, as do_sysctl_args() does).  The kernel
 * hands parameters it does not know to init; here they are a usage error,
 * so that a typo does not pass silently.
 */
static bool parse_cmdline(const char *line, struct hn_sim_config *cfg)
{
	static const char *const thp[] = {
		[HN_THP_ALWAYS] = "always",
		[HN_THP_MADVISE] = "madvise",
		[HN_THP_NEVER] = "never",
	};
	char buf[1024], *save = NULL;

	if (strlen(line) >= sizeof(buf))
		return false;
	strcpy(buf, line);
	for (char *p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		const char *val = strchr(p, '=');
		bool ok = false;

		if (!strcmp(p, "movable_node")) {
			cfg->flags |= HN_SIM_MOVABLE_NODE;
			continue;
		}
		if (val && !strncmp(p, "transparent_hugepage=", (size_t)(val - p) + 1)) {
			for (unsigned int m = HN_THP_ALWAYS; m <= HN_THP_NEVER; m++)
				if (!strcmp(val + 1, thp[m])) {
					cfg->thp_enabled = m;
					ok = true;
				}
		} else if (val &&
			   !strncmp(p, "sysctl.vm.min_free_kbytes=", (size_t)(val - p) + 1)) {
			ok = parse_count(val + 1, 1, UINT64_MAX, &cfg->min_free_kbytes);
		}
		if (!ok)
			return false;
	}
	return true;
}

struct run_opts {
	bool any;
	unsigned int cpus[HN_RUN_MAX_TASKS], nr_cpus;
	enum hn_workload_kind kind;
	uint64_t wss, accesses;
	unsigned int write_pct;
	int mode;
	const char *nodes;
	const char *json;
	FILE *json_file;		/* opened before the work starts */
	const char *replay;
	bool allow_huge;
	bool progress;			/* --progress: also when stderr is not a terminal */
	bool cost_set;			/* --cost-model */
	unsigned int cost_parts;
	struct hn_scenario *file;	/* --scenario, loaded */
};

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct progress {
	double start;
	bool show;			/* stderr is a terminal, or --progress */
	bool shown;
};

/* "1:02:03" or "2:03" */
static void format_duration(double s, char *buf, size_t len)
{
	unsigned long t = s < 0 ? 0 : s > 359999999.0 ? 359999999UL : (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

/*
 * The library calls this every 65536 accesses: after a second of wall
 * time, one line on stderr with done/total, the rate and the time left at
 * that rate (the wall clock is the tool's business, never the library's).
 * Returning non-zero after Ctrl-C stops the run with its partial report.
 */
static int show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	double el = wall_s() - p->start, rate = el > 0 ? (double)done / el : 0;
	char eta[32];

	if (interrupted)
		return 1;
	if (!p->show || el < 1.0)
		return 0;
	if (total) {
		format_duration(rate > 0 ? (double)(total - done) / rate : 0, eta, sizeof(eta));
		fprintf(stderr, "\r%s: run %" PRIu64 "/%" PRIu64 " accesses (%3.0f%%), %.2f M/s, ETA %s  ",
			prog, done, total, 100.0 * (double)done / (double)total, rate / 1e6, eta);
	} else {
		fprintf(stderr, "\r%s: replay %" PRIu64 " accesses, %.2f M/s  ", prog, done, rate / 1e6);
	}
	p->shown = true;
	return 0;
}

static int do_run(struct hn_sim *sim, const struct run_opts *o)
{
	struct hn_scenario *sc = calloc(1, sizeof(*sc));
	struct hn_run_result *res = calloc(1, sizeof(*res));
	struct progress pr = { wall_s(), o->progress || isatty(STDERR_FILENO), false };
	struct hn_run_control ctl = { show_progress, &pr, o->allow_huge ? UINT64_MAX : 0, o->cost_set,
				      o->cost_parts };
	struct sigaction sa = { .sa_handler = on_sigint, .sa_flags = SA_RESETHAND }, old;
	bool json_only = o->json && !strcmp(o->json, "-");
	int ret;

	if (!sc || !res) {
		free(sc);
		free(res);
		return -ENOMEM;
	}
	/* the first Ctrl-C stops the run cleanly; a second one (default action) kills */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (o->replay) {
		FILE *in = strcmp(o->replay, "-") ? fopen(o->replay, "r") : stdin;

		if (!in) {
			ret = -errno;
			fprintf(stderr, "%s: %s: %s\n", prog, o->replay, strerror(errno));
			errors_logged++;
		} else {
			ret = hn_run_replay(sim, in, strcmp(o->replay, "-") ? o->replay : "<stdin>", res,
					    &ctl);
			if (in != stdin)
				fclose(in);
		}
		goto report;
	}
	if (o->file) {
		*sc = *o->file;
		ret = 0;
	} else if (!o->any) {
		ret = hn_scenario_demo(sim, sc);
	} else {
		unsigned long nodes = 0;
		struct hn_bitmask *mask = NULL;

		ret = 0;
		if (o->nodes) {
			ret = hn_parse_nodestring_all(sim, o->nodes, &mask);
			for (unsigned int n = 0; !ret && n < 64; n++)
				if (hn_bitmask_isbitset(mask, n))
					nodes |= 1UL << n;
			hn_bitmask_free(mask);
			if (ret) {
				fprintf(stderr, "%s: --policy: '%s' names nodes this machine cannot use\n",
					prog, o->nodes);
				errors_logged++;
			}
		}
		snprintf(sc->name, sizeof(sc->name), "command line");
		sc->nr_tasks = o->nr_cpus ? o->nr_cpus : 1;
		for (unsigned int i = 0; i < sc->nr_tasks; i++) {
			struct hn_run_task *t = &sc->task[i];

			t->cpu = o->nr_cpus ? o->cpus[i] : 0;
			t->policy = o->mode;
			t->nodes = nodes;
			t->working_set = o->wss;
			t->nr_phases = 1;
			t->phase[0] = (struct hn_run_phase){ .kind = o->kind, .accesses = o->accesses,
							     .write_pct = o->write_pct };
		}
	}
	if (!ret)
		ret = hn_run(sim, sc, res, &ctl);
	if (ret == -E2BIG)
		fprintf(stderr, "%s: at a few million accesses a second that is hours of work; "
			"pass --allow-huge if you mean it\n", prog);
report:
	sigaction(SIGINT, &old, NULL);
	if (pr.shown)
		fprintf(stderr, "\n");
	if (ret == -EINTR)
		fprintf(stderr, "%s: interrupted: the report covers the accesses made so far\n", prog);
	if ((!ret || ret == -EINTR) && !json_only) {
		int wret = hn_run_write_text(res, stdout);

		if (wret)
			ret = wret;
	}
	if ((!ret || ret == -EINTR) && o->json_file) {
		int wret = hn_run_write_json(res, o->json_file);

		if (!wret && fflush(o->json_file))
			wret = -EIO;
		if (wret) {
			fprintf(stderr, "%s: writing the JSON to %s failed\n", prog, o->json);
			errors_logged++;
			ret = wret;
		}
	}
	free(sc);
	free(res);
	return ret;
}

/* "w0,w1,...,w5" into six weights; -1 on anything else. */
static int parse_weights(const char *s, unsigned int w[6])
{
	for (int i = 0; i < 6; i++) {
		char *end;
		unsigned long v;

		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v > 1000000 || (i < 5 ? *end != ',' : *end != '\0'))
			return -1;
		w[i] = (unsigned int)v;
		s = end + 1;
	}
	return 0;
}

/*
 * The churn's task: its GFP_HIGHUSER_MOVABLE requests are what a process's
 * anonymous memory is, 2^order pages faulted into one large mapping one
 * after the other and given back together with MADV_DONTNEED.  They are on
 * the LRU, and compaction can move them.  Every other request is a plain
 * allocation, which stays where it is.
 */
struct churn_state {
	struct hn_task *task;
	uint64_t base, next, end;	/* the mapping, and the next untouched page */
};

#define CHURN_TASK_BYTES (1ULL << 44)	/* 16 TiB of address space for the churn's pages */

static int churn_task(struct hn_sim *sim, struct churn_state *cs)
{
	if (hn_sim_nr_cpu_ids(sim) == 0)
		return 0;
	if (hn_task_create(sim, 0, &cs->task) ||
	    hn_mmap(cs->task, 0, CHURN_TASK_BYTES, HN_PROT_READ | HN_PROT_WRITE,
		    HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &cs->base))
		return -1;
	cs->next = cs->base;
	cs->end = cs->base + CHURN_TASK_BYTES;
	return 0;
}

/*
 * 2^@order pages of the churn task's, faulted in on @cpu: 0 and the first
 * address, or -1 when memory ran out (what was faulted in is given back).
 */
static int churn_touch(struct hn_sim *sim, struct churn_state *cs, unsigned int cpu,
		       unsigned int order, uint64_t *addr)
{
	uint64_t page = 1ULL << hn_sim_page_shift(sim), len = page << order;

	if (cs->end - cs->next < len || hn_task_set_cpu(cs->task, cpu))
		return -1;
	for (uint64_t a = cs->next; a < cs->next + len; a += page) {
		if (hn_task_touch(cs->task, a, true)) {
			if (a > cs->next)
				hn_hmadvise(cs->task, 0, cs->next, a - cs->next, HN_MADV_DONTNEED);
			cs->next += len;
			return -1;
		}
	}
	*addr = cs->next;
	cs->next += len;
	return 0;
}

/*
 * A reproducible workload for the views: random requests of random orders
 * (small orders far more often), freeing a random live block about a third
 * of the time.  Every decision comes from the instance's PRNG.
 */
static int churn(struct hn_sim *sim, uint64_t ops, bool hnuma, struct churn_state *cs)
{
	static const hn_gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE,
					 GFP_ATOMIC };
	struct live {
		uint64_t pfn;		/* or the task's address, for task pages */
		unsigned int order;
		bool task;
	} *live = NULL;
	size_t nr = 0, cap = 0;
	unsigned int ncpu = hn_sim_nr_cpu_ids(sim), max_order = hn_sim_max_page_order(sim);
	uint64_t page = 1ULL << hn_sim_page_shift(sim);

	if (churn_task(sim, cs))
		goto fail;
	for (uint64_t i = 0; i < ops; i++) {
		uint64_t r = hn_sim_random(sim), pfn;
		unsigned int order, cpu = ncpu ? (unsigned int)(r % ncpu) : 0;
		bool task;
		hn_gfp_t gfp;

		if (ncpu)
			hn_sim_set_cpu(sim, cpu);
		if (nr && (r >> 8) % 3 == 0) {
			size_t k = (size_t)((r >> 16) % nr);

			if (live[k].task ? hn_hmadvise(cs->task, 0, live[k].pfn, page << live[k].order,
						       HN_MADV_DONTNEED) :
					   hn_free_pages(sim, live[k].pfn, live[k].order))
				goto fail;
			live[k] = live[--nr];
			continue;
		}
		/* order 0 half the time, then each higher order half as likely */
		order = (unsigned int)__builtin_ctzll((r >> 20) | (1ULL << max_order));
		gfp = gfps[(r >> 40) % 4] | __GFP_NOWARN;
		/*
		 * On a hierarchical-NUMA machine a quarter of the requests ask
		 * for one property at some level, and may fall back.
		 */
		if (hnuma && (r >> 44) % 4 == 0)
			gfp |= hn_gfp_mattr((enum hn_mattr_prop)((r >> 46) % HN_MATTR_NR_PROPS),
					    (unsigned int)((r >> 50) % HN_MATTR_LEVELS) + 1) |
			       __GFP_MATTR_FALLBACK;
		task = cs->task && gfp == (GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
		if (task ? churn_touch(sim, cs, cpu, order, &pfn) :
			   hn_alloc_pages(sim, gfp, order, HN_NUMA_NO_NODE, NULL, &pfn))
			continue;
		if (nr == cap) {
			struct live *n = realloc(live, (cap ? cap * 2 : 1024) * sizeof(*live));

			if (!n)
				goto fail;
			live = n;
			cap = cap ? cap * 2 : 1024;
		}
		live[nr].pfn = pfn;
		live[nr].task = task;
		live[nr++].order = order;
	}
	free(live);
	return 0;
fail:
	free(live);
	return -1;
}

/* "zero", "text", "random", "mix" or "mix:RATIO" (NULL: text) into the config's fields. */
static int parse_contents(const char *s, unsigned int *model, unsigned int *ratio)
{
	static const char *const models[] = { "zero", "text", "random", "mix" };
	char *end;
	double r;

	*ratio = 0;
	if (!s) {
		*model = HN_CONTENTS_TEXT;
		return 0;
	}
	for (unsigned int i = 0; i < 4; i++) {
		if (!strcmp(s, models[i])) {
			*model = HN_CONTENTS_ZERO + i;
			return 0;
		}
	}
	if (strncmp(s, "mix:", 4) || !isdigit((unsigned char)s[4]))
		return -1;
	errno = 0;
	r = strtod(s + 4, &end);
	if (errno || *end || !(r >= 1 && r <= 1000))
		return -1;
	*model = HN_CONTENTS_MIX;
	*ratio = (unsigned int)(r * 100 + 0.5);
	return 0;
}

static uint64_t vmstat(struct hn_sim *sim, const char *name)
{
	uint64_t v = 0;

	hn_sim_vmstat(sim, name, &v);
	return v;
}

/* One zone's free blocks per order, as buddyinfo counts them. */
struct zone_free {
	char name[40];			/* "Node 0, zone Normal" */
	uint64_t blocks[32];
	unsigned int nr_orders;
};

/* Every populated zone's free blocks, in buddyinfo's order: the zones found (at most @max). */
static int read_free_blocks(struct hn_sim *sim, struct zone_free *z, int max)
{
	int n = 0;

	for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++) {
		for (int zt = 0; zt < HN_MAX_NR_ZONES && n < max; zt++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)zt, &zi) || !zi.managed_pages)
				continue;
			snprintf(z[n].name, sizeof(z[n].name), "Node %d, zone %8s", nid, zi.name);
			z[n].nr_orders = hn_sim_max_page_order(sim) + 1;
			memcpy(z[n].blocks, zi.nr_free, sizeof(z[n].blocks));
			n++;
		}
	}
	return n;
}

/* The unusable free space index at @order (debugfs's, at full precision). */
static double unusable(const struct zone_free *z, unsigned int order)
{
	uint64_t free_pages = 0, suitable = 0;

	for (unsigned int o = 0; o < z->nr_orders; o++) {
		free_pages += z->blocks[o] << o;
		if (o >= order)
			suitable += z->blocks[o] << o;
	}
	return free_pages ? (double)(free_pages - suitable) / (double)free_pages : 0;
}

static int show_before_after(struct hn_sim *sim, const char *title)
{
	int ret;

	printf("%s\n\nunusable index\n", title);
	ret = hn_sim_show_unusable_index(sim, stdout);
	if (!ret) {
		printf("\nbuddyinfo\n");
		ret = hn_sim_show_buddyinfo(sim, stdout);
	}
	return ret;
}

#define COMPACT_MAX_ZONES 256

/*
 * compact: what /proc/sys/vm/compact_memory (or nodeN/compact) does, shown
 * as the unusable index and buddyinfo before and after (debugfs's three
 * decimals), the index at the two highest orders to six places, where a
 * large machine's changes show, and what the scanners and the migration
 * did.
 */
static int do_compact(struct hn_sim *sim, int nid)
{
	static const char *const counters[] = {
		"compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
		"pgmigrate_success", "pgmigrate_fail",
	};
	struct zone_free *before = calloc(COMPACT_MAX_ZONES, sizeof(*before));
	struct zone_free *after = calloc(COMPACT_MAX_ZONES, sizeof(*after));
	uint64_t counted[5];
	unsigned int top = hn_sim_max_page_order(sim);
	int ret, nb, na;
	char title[96];

	if (!before || !after) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < 5; i++)
		counted[i] = vmstat(sim, counters[i]);
	nb = read_free_blocks(sim, before, COMPACT_MAX_ZONES);
	ret = nb < 0 ? nb : show_before_after(sim, "== before compaction");
	if (ret)
		goto out;
	ret = nid == HN_NUMA_NO_NODE ? hn_compact_memory(sim) : hn_compact_node(sim, nid);
	if (ret == -EINVAL || ret == -ENODEV) {
		fprintf(stderr, "%s: --node %d: not a node with memory on this machine\n", prog, nid);
		errors_logged++;
		goto out;
	}
	if (ret)
		goto out;
	if (nid == HN_NUMA_NO_NODE)
		snprintf(title, sizeof(title), "\n== after echo 1 > /proc/sys/vm/compact_memory");
	else
		snprintf(title, sizeof(title), "\n== after echo 1 > /sys/devices/system/node/node%d/compact",
			 nid);
	na = read_free_blocks(sim, after, COMPACT_MAX_ZONES);
	ret = na < 0 ? na : show_before_after(sim, title);
	if (ret)
		goto out;
	printf("\nunusable index at orders %u and %u, before -> after\n", top - 1, top);
	for (int i = 0; i < nb && i < na; i++) {
		double b1 = unusable(&before[i], top - 1), b2 = unusable(&before[i], top);
		double a1 = unusable(&after[i], top - 1), a2 = unusable(&after[i], top);

		printf("%s  %.6f %.6f -> %.6f %.6f%s\n", before[i].name, b1, b2, a1, a2,
		       a2 < b2 || (a2 == b2 && a1 < b1) ? "  lower" : a2 > b2 ? "  higher" : "");
	}
	printf("\n");
	for (int i = 0; i < 5; i++)
		printf("%s %" PRIu64 "\n", counters[i], vmstat(sim, counters[i]) - counted[i]);
out:
	free(before);
	free(after);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "machine", required_argument, NULL, 'm' },
		{ "qemu", required_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 's' },
		{ "page-size", required_argument, NULL, 'p' },
		{ "max-order", required_argument, NULL, 'o' },
		{ "movable-node", no_argument, NULL, OPT_MOVABLE_NODE },
		{ "min-free-kbytes", required_argument, NULL, OPT_MIN_FREE },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "churn", required_argument, NULL, OPT_CHURN },
		{ "hnuma", no_argument, NULL, OPT_HNUMA },
		{ "attr-match", required_argument, NULL, OPT_ATTR_MATCH },
		{ "attr-weights", required_argument, NULL, OPT_ATTR_WEIGHTS },
		{ "order", required_argument, NULL, OPT_ORDER },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "workload", required_argument, NULL, OPT_WORKLOAD },
		{ "wss", required_argument, NULL, OPT_WSS },
		{ "accesses", required_argument, NULL, OPT_ACCESSES },
		{ "write-pct", required_argument, NULL, OPT_WRITE_PCT },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "scenario", required_argument, NULL, OPT_SCENARIO },
		{ "allow-huge", no_argument, NULL, OPT_ALLOW_HUGE },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "contents", optional_argument, NULL, OPT_CONTENTS },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "cost-model", required_argument, NULL, OPT_COST_MODEL },
		{ "trace", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct hn_log_sink log = { log_to_stderr, NULL };
	struct hn_sim_config cfg = { .log = log };
	const char *machine_name = NULL, *qemu = NULL, *cmd, *arg = NULL, *trace_path = NULL;
	FILE *trace = NULL;
	struct hn_machine *m = NULL;
	struct hn_sim *sim = NULL;
	uint64_t scale = 0, churn_ops = 0, v;
	unsigned int explain_order = 0;
	int compact_node = HN_NUMA_NO_NODE;
	struct churn_state cs = { 0 };
	hn_mattr_t explain_mattr = 0;
	const char *scenario_path = NULL;
	bool seed_given = false, machine_is_builtin;
	static char scenario_machine[4096];
	char why[256];
	struct run_opts ro = { .kind = HN_WL_UNIFORM, .wss = 64ULL << 20, .accesses = 100000,
			       .write_pct = 30, .mode = MPOL_DEFAULT };
	int opt, ret, status = 0, from_stdin = 0;

	opterr = 1;
	while ((opt = getopt_long(argc, argv, "m:q:s:p:o:t:vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			machine_name = optarg;
			break;
		case 'q':
			qemu = optarg;
			break;
		case 's': {
			char *end;

			seed_given = true;
			errno = 0;
			cfg.seed = strtoull(optarg, &end, 0);
			if (errno || *end || !isdigit((unsigned char)*optarg))
				goto bad_value;
			break;
		}
		case 'p':
			if (hn_parse_size(optarg, &v) || !v || (v & (v - 1)) || v < 4096 ||
			    v > 2 * 1024 * 1024)
				goto bad_value;
			cfg.page_shift = (unsigned int)__builtin_ctzll(v);
			break;
		case 'o':
			if (!parse_count(optarg, 1, 20, &v))
				goto bad_value;
			cfg.max_page_order = (unsigned int)v;
			break;
		case OPT_MOVABLE_NODE:
			cfg.flags |= HN_SIM_MOVABLE_NODE;
			break;
		case OPT_MIN_FREE:
			if (!parse_count(optarg, 1, UINT64_MAX, &cfg.min_free_kbytes))
				goto bad_value;
			break;
		case OPT_CMDLINE:
			if (!parse_cmdline(optarg, &cfg))
				goto bad_value;
			break;
		case OPT_SCALE:
			if (*optarg == '-' || hn_parse_size(optarg, &scale) || !scale)
				goto bad_value;
			break;
		case OPT_CHURN:
			if (!parse_count(optarg, 0, HN_RUN_DEFAULT_MAX_ACCESSES, &churn_ops))
				goto bad_value;
			break;
		case OPT_HNUMA:
			cfg.flags |= HN_SIM_HNUMA;
			break;
		case OPT_ATTR_MATCH:
			cfg.attr_match = optarg;
			break;
		case OPT_ATTR_WEIGHTS:
			if (parse_weights(optarg, cfg.attr_weights))
				goto bad_value;
			break;
		case OPT_ORDER:
			if (!parse_count(optarg, 0, 20, &v))
				goto bad_value;
			explain_order = (unsigned int)v;
			break;
		case OPT_CPU:
			if (!parse_count(optarg, 0, HN_MAX_CPUS - 1, &v) || ro.nr_cpus == HN_RUN_MAX_TASKS)
				goto bad_value;
			ro.cpus[ro.nr_cpus++] = (unsigned int)v;
			ro.any = true;
			break;
		case OPT_WORKLOAD:
			if (hn_workload_parse(optarg, &ro.kind))
				goto bad_value;
			ro.any = true;
			break;
		case OPT_WSS:
			if (*optarg == '-' || hn_parse_size(optarg, &ro.wss) || !ro.wss ||
			    ro.wss > HN_RUN_MAX_WORKING_SET)
				goto bad_value;
			ro.any = true;
			break;
		case OPT_ACCESSES:
			if (!parse_count(optarg, 1, HN_RUN_MAX_PHASE_ACCESSES, &ro.accesses))
				goto bad_value;
			ro.any = true;
			break;
		case OPT_WRITE_PCT:
			if (!parse_count(optarg, 0, 100, &v))
				goto bad_value;
			ro.write_pct = (unsigned int)v;
			ro.any = true;
			break;
		case OPT_POLICY:
			if (hn_mpol_parse_spec(optarg, &ro.mode, &ro.nodes))
				goto bad_value;
			ro.any = true;
			break;
		case OPT_JSON:
			ro.json = optarg;
			break;
		case OPT_REPLAY:
			ro.replay = optarg;
			break;
		case OPT_SCENARIO:
			scenario_path = optarg;
			break;
		case OPT_ALLOW_HUGE:
			ro.allow_huge = true;
			break;
		case OPT_PROGRESS:
			ro.progress = true;
			break;
		case OPT_CONTENTS:
			if (parse_contents(optarg, &cfg.contents, &cfg.contents_ratio))
				goto bad_value;
			break;
		case OPT_NODE:
			if (!parse_count(optarg, 0, HN_MAX_NUMNODES - 1, &v))
				goto bad_value;
			compact_node = (int)v;
			break;
		case 't':
			trace_path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_COST_MODEL:
			if (hn_cost_parse(optarg, &ro.cost_parts))
				goto bad_value;
			ro.cost_set = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, hn_version());
			return 0;
		default:
			/* getopt said what was wrong, in one line */
			return usage_error(NULL);
		}
	}
	cmd = optind < argc ? argv[optind++] : "boot";
	if (optind < argc)
		arg = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!strcmp(cmd, "machines")) {
		if (arg)
			goto bad_command;
		return list_machines();
	}
	if (strcmp(cmd, "boot") && strcmp(cmd, "show") && strcmp(cmd, "export") &&
	    strcmp(cmd, "dot") && strcmp(cmd, "explain") && strcmp(cmd, "run") &&
	    strcmp(cmd, "compact") && strcmp(cmd, "validate"))
		goto bad_command;
	if (!strcmp(cmd, "validate") && arg && strcmp(arg, "curves"))
		goto bad_command;
	if ((!strcmp(cmd, "run") || !strcmp(cmd, "compact")) && arg)
		goto bad_command;
	if (compact_node != HN_NUMA_NO_NODE && strcmp(cmd, "compact"))
		return usage_error("--node goes with the compact command");
	if (!strcmp(cmd, "dot") && (!arg || (strcmp(arg, "zonelists") && strcmp(arg, "attrs"))))
		goto bad_command;
	if (!strcmp(cmd, "explain")) {
		if (!arg || hn_mattr_parse(arg, &explain_mattr) || !explain_mattr)
			return usage_error("explain needs attributes such as 'lat=16' or 'bw=12,den=8'");
		if (!(cfg.flags & HN_SIM_HNUMA))
			return usage_error("explain needs --hnuma (it explains hierarchical-NUMA "
					   "attribute matching)");
	}
	if (!strcmp(cmd, "boot") && arg)
		goto bad_command;
	if (!strcmp(cmd, "show") && (!arg || !show_view(arg)))
		goto bad_command;
	if (!strcmp(cmd, "export") && (!arg || (strcmp(arg, "yaml") && strcmp(arg, "qemu"))))
		goto bad_command;
	if (strcmp(cmd, "run")) {
		const char *only_run = scenario_path ? "--scenario" : ro.replay ? "--replay" :
				       ro.json ? "--json" : ro.cost_set ? "--cost-model" :
				       ro.any ? "the run options" : NULL;

		if (only_run)
			return usage_error("%s go%s with the run command", only_run,
					   only_run[0] == 't' ? "" : "es");
	}
	if (scenario_path && ro.replay)
		return usage_error("--scenario and --replay are two different runs: give one");
	if (machine_name && qemu)
		return usage_error("--machine and --qemu both describe the machine: give one");
	from_stdin = (machine_name && !strcmp(machine_name, "-")) +
		     (scenario_path && !strcmp(scenario_path, "-")) + (ro.replay && !strcmp(ro.replay, "-"));
	if (from_stdin > 1)
		return usage_error("only one of --machine, --scenario and --replay can read standard "
				   "input ('-')");
	if (ro.json && trace_path && !strcmp(ro.json, "-") && !strcmp(trace_path, "-"))
		return usage_error("--json - and --trace - would both write to standard output");

	if (scenario_path) {
		uint64_t file_seed = 0;

		ro.file = calloc(1, sizeof(*ro.file));
		if (!ro.file)
			return 1;
		if (!strcmp(scenario_path, "-")) {
			size_t len;
			char *text = read_stdin(&len);

			ret = text ? hn_scenario_load_yaml_string("<stdin>", text, len, ro.file,
								   scenario_machine, sizeof(scenario_machine),
								   &file_seed, &log) : -EIO;
			if (!text)
				errors_logged++;
			free(text);
		} else {
			ret = hn_scenario_load_yaml(scenario_path, ro.file, scenario_machine,
						    sizeof(scenario_machine), &file_seed, &log);
		}
		if (ret) {
			report("cannot load the scenario", ret);
			free(ro.file);
			return 1;
		}
		if (!machine_name && !qemu && scenario_machine[0])
			machine_name = scenario_machine;
		if (!seed_given)
			cfg.seed = file_seed;
	}
	/* --scale sizes the built-in machines; a file or a QEMU line says its own sizes */
	machine_is_builtin = !qemu && (!machine_name || !hn_machine_builtin(&m, machine_name));
	hn_machine_free(m);
	m = NULL;
	if (scale && !machine_is_builtin) {
		free(ro.file);
		return usage_error("--scale sizes the built-in machines only; %s gives its own sizes",
				   qemu ? "--qemu (-m, -object size=...)" : "a machine file (size: ...)");
	}
	if (scale && scale_problem(machine_name ? machine_name : "default", scale, why, sizeof(why))) {
		free(ro.file);
		return usage_error("%s", why);
	}
	/* outputs first: a path that cannot be written fails before the work, not after it */
	if (ro.json) {
		ro.json_file = strcmp(ro.json, "-") ? fopen(ro.json, "w") : stdout;
		if (!ro.json_file) {
			fprintf(stderr, "%s: cannot write the JSON to %s: %s\n", prog, ro.json,
				strerror(errno));
			free(ro.file);
			return 1;
		}
	}
	if (trace_path) {
		trace = strcmp(trace_path, "-") ? fopen(trace_path, "w") : stdout;
		if (!trace) {
			fprintf(stderr, "%s: cannot write the trace to %s: %s\n", prog, trace_path,
				strerror(errno));
			status = 1;
			goto out;
		}
	}
	ret = load_machine(machine_name, qemu, scale, &log, &m);
	if (ret) {
		report("cannot load the machine", ret);
		status = 1;
		goto out;
	}
	if (!strcmp(cmd, "validate")) {
		ret = hn_cost_validate_write(m, arg != NULL, stdout);
		if (ret)
			report("validate failed", ret);
		status = ret ? 1 : 0;
		goto out;
	}
	if (!strcmp(cmd, "export")) {
		ret = !strcmp(arg, "yaml") ? hn_machine_save_yaml(m, stdout) :
					     hn_machine_export_qemu(m, stdout);
		if (ret)
			report("export failed", ret);
		status = ret ? 1 : 0;
		goto out;
	}
	ret = hn_sim_create(&sim, m, &cfg);
	hn_machine_free(m);	/* the instance keeps its own copy */
	m = NULL;
	if (ret) {
		report("cannot boot the machine", ret);
		status = 1;
		goto out;
	}
	if (trace)
		hn_trace_set_sink(sim, hn_trace_write_text, trace);
	if (churn_ops && churn(sim, churn_ops, cfg.flags & HN_SIM_HNUMA, &cs)) {
		fprintf(stderr, "%s: the churn workload failed; see the messages above\n", prog);
		status = 1;
		goto out;
	}
	if (!strcmp(cmd, "boot")) {
		ret = hn_sim_dmesg(sim, stdout);
		if (!ret) {
			putchar('\n');
			ret = hn_sim_show_summary(sim, stdout);
		}
	} else if (!strcmp(cmd, "dot")) {
		ret = !strcmp(arg, "attrs") ? hn_sim_dot_attrs(sim, stdout) :
					      hn_sim_dot_zonelists(sim, stdout);
	} else if (!strcmp(cmd, "run")) {
		ret = do_run(sim, &ro);
	} else if (!strcmp(cmd, "compact")) {
		ret = do_compact(sim, compact_node);
	} else if (!strcmp(cmd, "explain")) {
		ret = hn_sim_explain_attr(sim, GFP_KERNEL | ((hn_gfp_t)explain_mattr << HN_GFP_MATTR_SHIFT),
					  explain_order, HN_NUMA_NO_NODE, stdout);
	} else {
		ret = show_view(arg)(sim, stdout);
	}
	if (ret == -EINTR) {
		status = EXIT_INTERRUPTED;
	} else if (ret) {
		report(!strcmp(cmd, "run") ? "the run failed" : cmd, ret);
		status = 1;
	}
	if (fflush(stdout)) {
		fprintf(stderr, "%s: writing to standard output failed\n", prog);
		status = status ? status : 1;
	}
out:
	hn_task_destroy(cs.task);
	hn_sim_destroy(sim);
	hn_machine_free(m);
	free(ro.file);
	if (ro.json_file && ro.json_file != stdout && fclose(ro.json_file)) {
		fprintf(stderr, "%s: writing the JSON to %s failed\n", prog, ro.json);
		status = status ? status : 1;
	}
	if (trace && trace != stdout && fclose(trace)) {
		fprintf(stderr, "%s: writing the trace failed\n", prog);
		status = status ? status : 1;
	}
	return status;

bad_value:
	for (size_t i = 0; longopts[i].name; i++)
		if (longopts[i].val == opt)
			return usage_error("bad value '%s' for --%s: expected %s", optarg,
					   longopts[i].name, expected_value(opt));
	return usage_error("bad value '%s' for -%c: expected %s", optarg, opt, expected_value(opt));
bad_command:
	return usage_error("unknown command '%s%s%s' (commands: boot, show, dot, explain, run, "
			   "compact, validate, machines, export)", cmd, arg ? " " : "", arg ? arg : "");
}
