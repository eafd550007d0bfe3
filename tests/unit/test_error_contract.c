/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_error_contract.c - every public entry point, called with bad input.
 *
 * One table per public header, one row per (function, bad input).  A row
 * names the function, says what is wrong with the input, gives the result
 * the header documents, and makes the call:
 *
 *   ROW_INT(hn_free_pages, "order above MAX_PAGE_ORDER", -EINVAL,
 *           hn_free_pages(fx->sim, fx->pfn, 11));
 *
 * For every row, the call must not crash, must return that value, and must
 * print nothing: file descriptors 1 and 2 are redirected to a capture file
 * around the call (so a sanitizer report counts as output too), and the
 * row fails if anything lands there.  The library's diagnostics belong in
 * the log sink and the report hook, never on the caller's terminal.
 * After each table, hn_sim_check() passes on every instance it touched.
 *
 * The row kinds say how much the header promises:
 *   ROW_*        the header documents this result;
 *   UNDOC_*      the header is silent about this input: the row pins the
 *                result we observe (so a change is noticed) and stays
 *                listed in the summary until the header says something;
 *   MISMATCH_*   the header documents one result and the code gives
 *                another: the row asserts the actual one and records the
 *                documented one; fix one side, then make it a ROW;
 *   KNOWN_BUG_*  the call misbehaves (crash, undefined behaviour); not run
 *                unless HN_CONTRACT_KNOWN_BUGS=1.
 * The summary at the end lists every row that is not a plain ROW.
 *
 * Rows are grouped by header, in one test_<header>_h() function per header
 * (tests/api/hnapi.py checks that, and that every HN_EXPORT function has
 * at least one row).  docs/errors.md is the same contract as prose; the
 * headers are the source of truth for both.
 *
 * Rows whose result has two parts (a return value and an out-parameter)
 * call a small helper that folds them into one value; the helper says how.
 *
 * HN_CONTRACT_NO_CAPTURE=1 leaves fds 1 and 2 alone (to debug a row).  If a
 * row crashes under capture, the capture file named on the first line of
 * output (next to the test binary) holds the row's name and whatever it
 * printed, a sanitizer's report included.  HN_CONTRACT_KNOWN_BUGS=1 runs
 * the KNOWN_BUG rows too.
 */
#include "hn_test.h"

#include <hnuma/mattr.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <unistd.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* ---- rows ------------------------------------------------------------- */

enum row_class { CL_ROW, CL_UNDOC, CL_MISMATCH, CL_KNOWN_BUG, CL_NR };

static const char *const class_names[CL_NR] = {
	"ROW", "UNDOC", "MISMATCH", "KNOWN_BUG",
};

enum row_kind { K_INT, K_U64, K_BOOL, K_NULL, K_NONNULL, K_STR, K_VOID };

struct row {
	const char *fn;
	const char *what;
	int line;
	enum row_class cls;
	enum row_kind kind;
	/* what must come back: K_INT/K_BOOL in want_i, K_U64 in want_u, K_STR in want_s */
	long long want_i;
	unsigned long long want_u;
	const char *want_s;
	/* MISMATCH and KNOWN_BUG: what the header says, as text */
	const char *doc;
	/* ROW_INT_REPORT: the report reason the call must send */
	const char *reason;
	long long got_i;
	unsigned long long got_u;
	const void *got_p;
};

/* The capture of fds 1 and 2, and the tally. */
static struct {
	bool off;
	int fd;
	int saved[2];
	off_t mark;
	char path[PATH_MAX];
	/* the row being run, copied: after a crash its frame is gone */
	struct row cur;
	bool in_row;
	char failures[16384];
	size_t failures_len;
	int nr_failed;
	int counts[CL_NR];
	char notes[32768];
	size_t notes_len;
	const char *fns[512];
	int nr_fns;
	bool run_known_bugs;
} cap = { .fd = -1 };

/* The report hook of every instance: the last reason, for ROW_INT_REPORT. */
static struct test_reports reports;

static void note_fn(const char *fn)
{
	for (int i = 0; i < cap.nr_fns; i++)
		if (!strcmp(cap.fns[i], fn))
			return;
	if (cap.nr_fns < (int)(sizeof(cap.fns) / sizeof(cap.fns[0])))
		cap.fns[cap.nr_fns++] = fn;
}

static void appendf(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n >= size ? size - 1 : *len + (size_t)n;
}

#define fail_row(r, fmt, ...)								\
	do {										\
		cap.nr_failed++;							\
		appendf(cap.failures, sizeof(cap.failures), &cap.failures_len,	\
			"  line %d: %s (%s): " fmt "\n", (r)->line, (r)->fn,		\
			(r)->what, __VA_ARGS__);					\
	} while (0)

/*
 * A row that crashed: CMocka caught the signal and jumped out of the
 * table with fds 1 and 2 still on the capture file.  Put them back and
 * show what the row printed (CMocka's own message about the signal is
 * there too).  Called when the next table starts, and at the end.
 */
static void capture_recover(void)
{
	char out[4096];
	ssize_t n;

	if (!cap.in_row)
		return;
	if (!cap.off) {
		fflush(stdout);
		fflush(stderr);
		dup2(cap.saved[0], 1);
		dup2(cap.saved[1], 2);
		n = pread(cap.fd, out, sizeof(out) - 1, 0);
		out[n > 0 ? n : 0] = '\0';
	} else {
		out[0] = '\0';
	}
	print_message("error_contract: the row at line %d, %s (%s), did not return; "
		      "its output:\n%s\n", cap.cur.line, cap.cur.fn, cap.cur.what, out);
	cap.in_row = false;
}

static void capture_init(void)
{
	const char *e = getenv("HN_CONTRACT_NO_CAPTURE");
	char dir[PATH_MAX - 64];
	ssize_t n;

	cap.off = e && *e && strcmp(e, "0");
	e = getenv("HN_CONTRACT_KNOWN_BUGS");
	cap.run_known_bugs = e && *e && strcmp(e, "0");
	/* next to the test binary, in the build tree, wherever it runs from */
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	dir[n > 0 ? n : 0] = '\0';
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else if (!getcwd(dir, sizeof(dir)))
		snprintf(dir, sizeof(dir), ".");
	snprintf(cap.path, sizeof(cap.path), "%s/test_error_contract.capture", dir);
	if (cap.off)
		return;
	cap.fd = open(cap.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cap.saved[0] = dup(1);
	cap.saved[1] = dup(2);
	if (cap.fd < 0 || cap.saved[0] < 0 || cap.saved[1] < 0) {
		fprintf(stderr, "error_contract: cannot capture output in %s\n", cap.path);
		exit(1);
	}
	printf("error_contract: each row's output is captured in %s\n", cap.path);
	fflush(stdout);
}

static void row_begin(const struct row *r)
{
	cap.cur = *r;
	cap.in_row = true;
	reports.count = 0;
	reports.last_reason[0] = '\0';
	note_fn(r->fn);
	if (cap.off)
		return;
	fflush(stdout);
	fflush(stderr);
	if (ftruncate(cap.fd, 0) || lseek(cap.fd, 0, SEEK_SET)) {
		fprintf(stderr, "error_contract: cannot reset %s\n", cap.path);
		exit(1);
	}
	/* The row's name first, so that a crash leaves it in the file. */
	dprintf(cap.fd, "row at line %d: %s (%s)\n", r->line, r->fn, r->what);
	cap.mark = lseek(cap.fd, 0, SEEK_CUR);
	dup2(cap.fd, 1);
	dup2(cap.fd, 2);
}

/* Restore fds 1 and 2; true when the row printed nothing. */
static bool row_quiet(const struct row *r)
{
	char out[256];
	off_t end;
	ssize_t n;

	if (cap.off)
		return true;
	fflush(stdout);
	fflush(stderr);
	dup2(cap.saved[0], 1);
	dup2(cap.saved[1], 2);
	end = lseek(cap.fd, 0, SEEK_END);
	if (end == cap.mark)
		return true;
	n = pread(cap.fd, out, sizeof(out) - 1, cap.mark);
	out[n > 0 ? n : 0] = '\0';
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = ' ';
	fail_row(r, "printed %lld bytes: \"%s\"", (long long)(end - cap.mark), out);
	return false;
}

static void row_end(struct row *r)
{
	bool ok = true;

	cap.in_row = false;
	if (!row_quiet(r))
		return;
	switch (r->kind) {
	case K_INT:
	case K_BOOL:
		ok = r->got_i == r->want_i;
		if (!ok)
			fail_row(r, "returned %lld (%s), the row wants %lld (%s)", r->got_i,
				 r->kind == K_INT ? hn_strerror((int)r->got_i) : "bool",
				 r->want_i,
				 r->kind == K_INT ? hn_strerror((int)r->want_i) : "bool");
		break;
	case K_U64:
		ok = r->got_u == r->want_u;
		if (!ok)
			fail_row(r, "returned %llu, the row wants %llu", r->got_u, r->want_u);
		break;
	case K_NULL:
		ok = r->got_p == NULL;
		if (!ok)
			fail_row(r, "returned %p, the row wants NULL", r->got_p);
		break;
	case K_NONNULL:
		ok = r->got_p != NULL;
		if (!ok)
			fail_row(r, "returned NULL, the row wants %s", "a pointer");
		break;
	case K_STR:
		ok = r->got_p && !strcmp(r->got_p, r->want_s);
		if (!ok)
			fail_row(r, "returned \"%s\", the row wants \"%s\"",
				 r->got_p ? (const char *)r->got_p : "(null)", r->want_s);
		break;
	case K_VOID:
		break;
	}
	if (ok && r->reason && strcmp(reports.last_reason, r->reason))
		fail_row(r, "reported \"%s\", the row wants the report \"%s\"",
			 reports.last_reason, r->reason);
	cap.counts[r->cls]++;
	if (r->cls != CL_ROW)
		appendf(cap.notes, sizeof(cap.notes), &cap.notes_len,
			"  %-9s line %4d %s: %s%s%s\n", class_names[r->cls], r->line, r->fn,
			r->what, r->doc ? "; header: " : "", r->doc ? r->doc : "");
}

/* Unused while no KNOWN_BUG row is left; kept for the next one. */
static __attribute__((unused)) void row_skip(struct row *r)
{
	note_fn(r->fn);
	cap.counts[r->cls]++;
	appendf(cap.notes, sizeof(cap.notes), &cap.notes_len,
		"  %-9s line %4d %s: %s; header: %s (not run; HN_CONTRACT_KNOWN_BUGS=1 runs it)\n",
		class_names[r->cls], r->line, r->fn, r->what, r->doc);
}

/*
 * (void)fn: the row must name a function the headers declare, so a row
 * for a function that is renamed or removed stops compiling.
 */
#define ROW_(fnname, what_, cls_, kind_, field, want_field, want, doc_, reason_, expr)	\
	do {										\
		struct row r__ = { .fn = #fnname, .what = (what_), .line = __LINE__,	\
				   .cls = (cls_), .kind = (kind_), .doc = (doc_),	\
				   .reason = (reason_) };				\
		(void)fnname;								\
		r__.want_field = (want);						\
		row_begin(&r__);							\
		r__.field = (expr);							\
		row_end(&r__);								\
	} while (0)

#define ROW_VOID_(fnname, what_, cls_, doc_, expr)					\
	do {										\
		struct row r__ = { .fn = #fnname, .what = (what_), .line = __LINE__,	\
				   .cls = (cls_), .kind = K_VOID, .doc = (doc_) };	\
		(void)fnname;								\
		row_begin(&r__);							\
		expr;									\
		row_end(&r__);								\
	} while (0)

#define I_(e) ((long long)(e))
#define B_(e) ((e) ? 1LL : 0LL)
#define U_(e) ((unsigned long long)(e))
#define P_(e) ((const void *)(e))

/* One helper per kind of result: ROW_(), its class, and how to compare. */
#define INT_(cls, fn, what, want, doc, reason, expr) \
	ROW_(fn, what, cls, K_INT, got_i, want_i, I_(want), doc, reason, I_(expr))
#define BOOL_(cls, fn, what, want, doc, expr) \
	ROW_(fn, what, cls, K_BOOL, got_i, want_i, B_(want), doc, NULL, B_(expr))
#define U64_(cls, fn, what, want, expr) \
	ROW_(fn, what, cls, K_U64, got_u, want_u, U_(want), NULL, NULL, U_(expr))
#define PTR_(cls, kind, fn, what, expr) \
	ROW_(fn, what, cls, kind, got_p, want_i, 0, NULL, NULL, P_(expr))
#define STR_(cls, fn, what, want, expr) \
	ROW_(fn, what, cls, K_STR, got_p, want_s, want, NULL, NULL, P_(expr))

#define ROW_INT(fn, what, want, expr)		INT_(CL_ROW, fn, what, want, NULL, NULL, expr)
#define ROW_INT_REPORT(fn, what, want, reason, expr) \
						INT_(CL_ROW, fn, what, want, NULL, reason, expr)
#define ROW_BOOL(fn, what, want, expr)		BOOL_(CL_ROW, fn, what, want, NULL, expr)
#define ROW_U64(fn, what, want, expr)		U64_(CL_ROW, fn, what, want, expr)
#define ROW_NULL(fn, what, expr)		PTR_(CL_ROW, K_NULL, fn, what, expr)
#define ROW_NONNULL(fn, what, expr)		PTR_(CL_ROW, K_NONNULL, fn, what, expr)
#define ROW_STR(fn, what, want, expr)		STR_(CL_ROW, fn, what, want, expr)
#define ROW_VOID(fn, what, expr)		ROW_VOID_(fn, what, CL_ROW, NULL, expr)

/* Unused while every header documents its rows; kept for the next function. */
#define UNDOC_INT(fn, what, seen, expr)		INT_(CL_UNDOC, fn, what, seen, NULL, NULL, \
						     expr)
#define UNDOC_BOOL(fn, what, seen, expr)	BOOL_(CL_UNDOC, fn, what, seen, NULL, expr)
#define UNDOC_U64(fn, what, seen, expr)		U64_(CL_UNDOC, fn, what, seen, expr)
#define UNDOC_NULL(fn, what, expr)		PTR_(CL_UNDOC, K_NULL, fn, what, expr)
#define UNDOC_NONNULL(fn, what, expr)		PTR_(CL_UNDOC, K_NONNULL, fn, what, expr)
#define UNDOC_STR(fn, what, seen, expr)		STR_(CL_UNDOC, fn, what, seen, expr)
#define UNDOC_VOID(fn, what, expr)		ROW_VOID_(fn, what, CL_UNDOC, NULL, expr)

/* @doc: what the header promises, as text; @actual: what the code returns. */
#define MISMATCH_INT(fn, what, doc, actual, expr) \
						INT_(CL_MISMATCH, fn, what, actual, doc, NULL, expr)
#define MISMATCH_BOOL(fn, what, doc, actual, expr) \
						BOOL_(CL_MISMATCH, fn, what, actual, doc, expr)

/*
 * @doc: what the header promises.  Not run unless HN_CONTRACT_KNOWN_BUGS=1;
 * then the row checks the documented result (@want), and fails until the
 * bug is fixed.
 */
#define KNOWN_BUG_(fnname, what_, doc_, kind_, field, want_field, want, expr)		\
	do {										\
		if (cap.run_known_bugs) {						\
			ROW_(fnname, what_, CL_KNOWN_BUG, kind_, field, want_field,	\
			     want, doc_, NULL, expr);					\
		} else {								\
			struct row r__ = { .fn = #fnname, .what = (what_),		\
					   .line = __LINE__, .cls = CL_KNOWN_BUG,	\
					   .doc = (doc_) };				\
			(void)fnname;							\
			row_skip(&r__);							\
		}									\
	} while (0)

#define KNOWN_BUG_INT(fn, what, doc, want, expr) \
	KNOWN_BUG_(fn, what, doc, K_INT, got_i, want_i, I_(want), I_(expr))
#define KNOWN_BUG_NONNULL(fn, what, doc, expr) \
	KNOWN_BUG_(fn, what, doc, K_NONNULL, got_p, want_i, 0, P_(expr))

/* A table's verdict: every failing row of it, at once. */
static void table_reset(void)
{
	capture_recover();
	cap.nr_failed = 0;
	cap.failures_len = 0;
	cap.failures[0] = '\0';
}

static void table_done(const char *header)
{
	if (!cap.nr_failed)
		return;
	print_message("%s: %d row(s) failed:\n%s", header, cap.nr_failed, cap.failures);
	table_reset();
	fail_msg("%s: error-contract rows failed", header);
}

/* ---- the instances the rows use -------------------------------------- */

/*
 * The contract machine (x86_64, so node 0 has DMA and DMA32):
 *
 *   node 0  128 MiB DRAM at 0       CPUs 0-1
 *   node 1   64 MiB DRAM at 1 GiB   CPUs 4-5   (CPUs 2-3 do not exist)
 *   node 2   64 MiB DRAM at 2 GiB   no CPUs    (offlined in setup)
 *
 * booted with max_nodes 4: node ids 3 (one past the last node) and 4 (the
 * instance's maximum) are both out of range, for different reasons.
 */
#define NR_NODES 3
#define MAX_NODES 4
#define NR_CPUS 6
#define ABSENT_CPU 2
#define OFFLINE_NID 2

struct fx {
	struct hn_machine *m;		/* the contract machine, validated */
	struct hn_sim *sim;		/* booted; node 2 offline; fx->pfn allocated */
	struct hn_sim *pre;		/* HN_SIM_STOP_BEFORE_MM: not booted */
	struct hn_sim *n1;		/* memory and CPUs on node 1 only: node 0 absent */
	struct hn_sim *hn;		/* HN_SIM_HNUMA, nodes 1-2 with attributes, 2 offline */
	struct hn_memblock *mb;		/* two nodes of memory, some reserved */
	struct hn_memblock *empty;	/* nothing added */
	uint64_t pfn;			/* order 2, GFP_KERNEL, node 0 */
	uint64_t hn_pfn;		/* order 2, GFP_KERNEL, node 0 of fx->hn */
	FILE *ro;			/* a stream every write to fails: -EIO */
	FILE *null;			/* /dev/null: every write succeeds */
	struct test_log log;
};

/* @mattr: the attribute word of nodes 1 and 2's memory (0: plain DRAM) */
static struct hn_machine *contract_machine(bool node0, int nr_nodes, hn_mattr_t mattr)
{
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, 128 * MiB);
	struct hn_memdev_desc d1 = test_dram(1, HN_ADDR_AUTO, 64 * MiB);
	struct hn_memdev_desc d2 = test_dram(2, HN_ADDR_AUTO, 64 * MiB);
	struct hn_initiator_desc c0 = test_cpus(0, "0-1");
	struct hn_initiator_desc c1 = test_cpus(1, node0 ? "4-5" : "0-1");
	struct hn_machine *m;

	d1.mattr = d2.mattr = mattr;
	if (hn_machine_new(&m, node0 ? "contract" : "contract-n1"))
		return NULL;
	if ((node0 && (hn_machine_add_memdev(m, &d0) || hn_machine_add_initiator(m, &c0))) ||
	    hn_machine_add_memdev(m, &d1) || hn_machine_add_initiator(m, &c1) ||
	    (nr_nodes > 2 && hn_machine_add_memdev(m, &d2)) ||
	    hn_machine_validate(m, MAX_NODES, NULL)) {
		hn_machine_free(m);
		return NULL;
	}
	return m;
}

static struct hn_sim_config contract_config(struct fx *fx, unsigned int flags)
{
	struct hn_sim_config cfg = {
		.seed = 1,
		.max_nodes = MAX_NODES,
		.kernel_image_size = 4 * MiB,
		.flags = flags,
		.log = TEST_LOG_SINK(&fx->log),
		.report = test_report_fn,
		.report_ctx = &reports,
	};

	return cfg;
}

/* For the tables that need no instance. */
static int fresh(void **state)
{
	table_reset();
	*state = NULL;
	return 0;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const unsigned int levels[HN_MATTR_NR_PROPS] = { 10, 10, 10, 10, 10, 10 };
	struct hn_sim_config cfg;
	struct hn_machine *n1, *attrs = NULL;
	hn_mattr_t mattr;
	int ret = -1;

	table_reset();
	if (!fx)
		return -1;
	*state = fx;
	fx->m = contract_machine(true, NR_NODES, 0);
	n1 = contract_machine(false, 2, 0);
	if (!fx->m || !n1 || hn_mattr_make(levels, &mattr))
		goto out;
	attrs = contract_machine(true, NR_NODES, mattr);
	if (!attrs)
		goto out;
	cfg = contract_config(fx, 0);
	if (hn_sim_create(&fx->sim, fx->m, &cfg) ||
	    hn_sim_set_node_online(fx->sim, OFFLINE_NID, false) ||
	    hn_alloc_pages(fx->sim, GFP_KERNEL, 2, 0, NULL, &fx->pfn))
		goto out;
	cfg = contract_config(fx, HN_SIM_STOP_BEFORE_MM);
	if (hn_sim_create(&fx->pre, fx->m, &cfg))
		goto out;
	cfg = contract_config(fx, 0);
	if (hn_sim_create(&fx->n1, n1, &cfg))
		goto out;
	cfg = contract_config(fx, HN_SIM_HNUMA);
	if (hn_sim_create(&fx->hn, attrs, &cfg) ||
	    hn_sim_set_node_online(fx->hn, OFFLINE_NID, false) ||
	    hn_alloc_pages(fx->hn, GFP_KERNEL, 2, 0, NULL, &fx->hn_pfn))
		goto out;
	if (hn_memblock_create(&fx->mb, NULL) || hn_memblock_create(&fx->empty, NULL) ||
	    hn_memblock_add_node(fx->mb, 1 * MiB, 63 * MiB, 0, 0) ||
	    hn_memblock_add_node(fx->mb, 1 * GiB, 64 * MiB, 1, 0) ||
	    hn_memblock_reserve(fx->mb, 1 * MiB, 4 * MiB))
		goto out;
	fx->ro = fopen("/dev/null", "r");
	fx->null = fopen("/dev/null", "w");
	if (!fx->ro || !fx->null)
		goto out;
	ret = 0;
out:
	hn_machine_free(n1);
	hn_machine_free(attrs);
	return ret;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	capture_recover();
	/* After the table, every instance is still consistent. */
	assert_int_equal(hn_sim_check(fx->sim), 0);
	assert_int_equal(hn_sim_check(fx->pre), 0);
	assert_int_equal(hn_sim_check(fx->n1), 0);
	assert_int_equal(hn_sim_check(fx->hn), 0);
	assert_int_equal(hn_memblock_check(fx->mb), 0);
	assert_int_equal(hn_memblock_check(fx->empty), 0);
	hn_sim_destroy(fx->sim);
	hn_sim_destroy(fx->pre);
	hn_sim_destroy(fx->n1);
	hn_sim_destroy(fx->hn);
	hn_memblock_destroy(fx->mb);
	hn_memblock_destroy(fx->empty);
	hn_machine_free(fx->m);
	if (fx->ro)
		fclose(fx->ro);
	if (fx->null)
		fclose(fx->null);
	free(fx);
	return 0;
}

/* The unwritable stream, its error indicator cleared for the next row. */
static FILE *ro(struct fx *fx)
{
	clearerr(fx->ro);
	return fx->ro;
}

/* A nodemask with exactly @nid set (none for -1). */
static const struct hn_nodemask *mask_of(int nid)
{
	static struct hn_nodemask m;

	hn_nodemask_clear_all(&m);
	hn_nodemask_set(&m, nid);
	return &m;
}

static uint64_t free_pages(struct fx *fx)
{
	uint64_t v = 0;

	hn_sim_vmstat(fx->sim, "nr_free_pages", &v);
	return v;
}

/* ==== hnuma.h ========================================================== */

static void test_hnuma_h(void **state)
{
	char version[32];

	(void)state;
	snprintf(version, sizeof(version), "%d.%d.%d", HNUMA_VERSION_MAJOR, HNUMA_VERSION_MINOR,
		 HNUMA_VERSION_MICRO);
	ROW_STR(hn_version, "no arguments: the version the header's macros name", version,
		hn_version());
	table_done("hnuma.h");
}

/* ==== log.h ============================================================ */

static void test_log_h(void **state)
{
	(void)state;
	ROW_NONNULL(hn_strerror, "an errno hnuma never returns (-4095)", hn_strerror(-4095));
	ROW_NONNULL(hn_strerror, "INT_MAX", hn_strerror(INT_MAX));
	ROW_BOOL(hn_strerror, "positive and negative forms name the same error", true,
		 !strcmp(hn_strerror(EINVAL), hn_strerror(-EINVAL)));
	ROW_NONNULL(hn_strerror, "INT_MIN", hn_strerror(INT_MIN));
	table_done("log.h");
}

/* ==== gfp.h ============================================================ */

static void test_gfp_h(void **state)
{
	char buf[64] = "untouched";

	(void)state;
	ROW_NULL(hn_gfp_format, "NULL buffer, length 0: returns the buffer",
		 hn_gfp_format(GFP_KERNEL, NULL, 0));
	ROW_BOOL(hn_gfp_format, "length 0: returns the buffer, writes nothing", true,
		 hn_gfp_format(GFP_KERNEL, buf, 0) == buf && !strcmp(buf, "untouched"));
	ROW_STR(hn_gfp_format, "length 1: an empty string", "", hn_gfp_format(GFP_KERNEL, buf, 1));
	ROW_STR(hn_gfp_format, "an unknown bit (bit 30): a hex remainder", "0x40000000",
		hn_gfp_format((hn_gfp_t)1 << 30, buf, sizeof(buf)));
	ROW_BOOL(hn_gfp_format, "every bit set, 8-byte buffer: truncated and terminated", true,
		 strlen(hn_gfp_format(UINT64_MAX, buf, 8)) == 7);
	table_done("gfp.h");
}

/* ==== hw.h ============================================================= */

/* hn_machine_new() with a NULL name: the return value (the machine is freed). */
static int new_unnamed(void)
{
	struct hn_machine *m = NULL;
	int ret = hn_machine_new(&m, NULL);

	hn_machine_free(m);
	return ret;
}

/* hn_machine_clone(&out, NULL): the return value, or 1 if *out was not NULLed. */
static int clone_null(void)
{
	struct hn_machine *c = (struct hn_machine *)&c;
	int ret = hn_machine_clone(&c, NULL);

	return c ? 1 : ret;
}

enum vcase {
	V_EMPTY,		/* no memory at all */
	V_OVERLAP,		/* two devices on the same range */
	V_ASYMMETRIC,		/* 0->1 is 20, 1->0 is 30 */
	V_LOCAL_20,		/* a node's distance to itself is 20 */
	V_REMOTE_10,		/* a remote distance of 10 */
	V_CPU_TWICE,		/* CPU 1 in two nodes */
	V_NODE_BEYOND_MAX,	/* node 3 with max_nodes 2 */
	V_ADDR_TOP,		/* a device ending at the last page of the address space */
	V_TOO_BIG,		/* a device that does not fit below UINT64_MAX */
	V_ACCESS_NO_INIT,	/* an HMAT entry from a node without initiators */
	V_MAX_NODES_0,		/* max_nodes 0: "no limit" */
};

/*
 * Build a small machine with one problem and validate it (log: NULL, so a
 * message printed anyway would show).  Returns validate's result, or 1 if
 * building already failed.
 */
static int validate_case(enum vcase c)
{
	struct hn_memdev_desc d0 = test_dram(0, 0, 64 * MiB);
	struct hn_memdev_desc d1 = test_dram(1, 0, 64 * MiB);
	struct hn_initiator_desc c0 = test_cpus(0, "0-1");
	struct hn_access_desc acc = { .read_latency_ns = 100, .read_bw_mbps = 1000 };
	struct hn_machine *m;
	int max_nodes = 8, ret = 0;

	if (hn_machine_new(&m, "v"))
		return 1;
	if (c != V_EMPTY)
		ret |= hn_machine_add_memdev(m, &d0) | hn_machine_add_initiator(m, &c0);
	switch (c) {
	case V_EMPTY:
		ret |= hn_machine_add_node(m, 0);
		break;
	case V_OVERLAP:
		d1.base = 32 * MiB;
		ret |= hn_machine_add_memdev(m, &d1);
		break;
	case V_ASYMMETRIC:
		d1.base = 1 * GiB;
		ret |= hn_machine_add_memdev(m, &d1) | hn_machine_set_distance(m, 0, 1, 20) |
		       hn_machine_set_distance(m, 1, 0, 30);
		break;
	case V_LOCAL_20:
		ret |= hn_machine_set_distance(m, 0, 0, 20);
		break;
	case V_REMOTE_10:
		d1.base = 1 * GiB;
		ret |= hn_machine_add_memdev(m, &d1) | hn_machine_set_distance(m, 0, 1, 10);
		break;
	case V_CPU_TWICE:
		d1.base = 1 * GiB;
		c0 = test_cpus(1, "1-2");
		ret |= hn_machine_add_memdev(m, &d1) | hn_machine_add_initiator(m, &c0);
		break;
	case V_NODE_BEYOND_MAX:
		d1.nid = 3;
		d1.base = 1 * GiB;
		ret |= hn_machine_add_memdev(m, &d1);
		max_nodes = 2;
		break;
	case V_ADDR_TOP:
		d1.base = UINT64_MAX - 64 * MiB + 1 - 4096;
		ret |= hn_machine_add_memdev(m, &d1);
		break;
	case V_TOO_BIG:
		d1.base = HN_ADDR_AUTO;
		d1.size = UINT64_MAX - 4095;
		ret |= hn_machine_add_memdev(m, &d1);
		break;
	case V_ACCESS_NO_INIT:
		d1.base = 1 * GiB;
		ret |= hn_machine_add_memdev(m, &d1) | hn_machine_set_access(m, 1, 0, &acc);
		break;
	case V_MAX_NODES_0:
		max_nodes = 0;
		break;
	}
	if (!ret)
		ret = hn_machine_validate(m, max_nodes, NULL);
	else
		ret = 1;
	hn_machine_free(m);
	return ret;
}

/* A machine with nothing in it, for the export calls. */
static int export_empty(bool yaml)
{
	struct hn_machine *m;
	FILE *f = fopen("/dev/null", "w");
	int ret = 1;

	if (f && !hn_machine_new(&m, "empty")) {
		ret = yaml ? hn_machine_save_yaml(m, f) : hn_machine_export_qemu(m, f);
		hn_machine_free(m);
	}
	if (f)
		fclose(f);
	return ret;
}

/* The three loaders: the return value, or 1 if *out was not NULLed on error. */
static int load_yaml(const char *path)
{
	struct hn_machine *m = (struct hn_machine *)&m;
	int ret = hn_machine_load_yaml(&m, path, NULL);

	if (!ret)
		hn_machine_free(m);
	return ret && m ? 1 : ret;
}

static int load_yaml_string(const char *text, size_t len)
{
	struct hn_machine *m = (struct hn_machine *)&m;
	int ret = hn_machine_load_yaml_string(&m, text, len, NULL);

	if (!ret)
		hn_machine_free(m);
	return ret && m ? 1 : ret;
}

static int import_qemu(int argc, const char *const *argv)
{
	struct hn_machine *m = (struct hn_machine *)&m;
	int ret = hn_machine_import_qemu(&m, argc, argv, NULL);

	if (!ret)
		hn_machine_free(m);
	return ret && m ? 1 : ret;
}

static int builtin_scaled(const char *name, uint64_t total)
{
	struct hn_machine *m = (struct hn_machine *)&m;
	int ret = hn_machine_builtin_scaled(&m, name, total);

	if (!ret)
		hn_machine_free(m);
	return ret && m ? 1 : ret;
}

static int builtin(const char *name)
{
	struct hn_machine *m = (struct hn_machine *)&m;
	int ret = hn_machine_builtin(&m, name);

	if (!ret)
		hn_machine_free(m);
	return ret && m ? 1 : ret;
}

#ifdef HNUMA_HAVE_YAML
#define YAML(with, without) (with)
#else
#define YAML(with, without) (without)
#endif

static void test_hw_h(void **state)
{
	struct fx *fx = *state;
	struct hn_machine *b;		/* a machine being built */
	struct hn_machine *out = NULL;
	struct hn_memdev_desc d = test_dram(0, HN_ADDR_AUTO, 64 * MiB);
	struct hn_initiator_desc in = test_cpus(0, "0-1");
	struct hn_memcache_desc mc = { .nid = 0, .level = 1, .size = 1 * MiB, .line = 64 };
	struct hn_access_desc acc = { .read_latency_ns = 100, .read_bw_mbps = 1000 };
	struct hn_memdev_desc md;
	struct hn_initiator_desc id;
	struct hn_memcache_desc mcd;
	struct hn_link_desc link = { .name = "upi0", .a = 0, .b = 1, .bw_mbps = 1000 };
	struct hn_link_desc ld;
	const char *summary = "untouched";
	uint64_t size;
	const char *const qemu_no_value[] = { "-numa" };
	const char *const qemu_null_arg[] = { "-m", NULL };
	const char *const qemu_huge[] = { "-m", "99999999999T" };
	const char *const qemu_overflow[] = { "-m", "18446744073709551616" };

	assert_int_equal(hn_machine_new(&b, "builder"), 0);

	/* creation and teardown */
	ROW_INT(hn_machine_new, "NULL out", -EINVAL, hn_machine_new(NULL, "x"));
	ROW_INT(hn_machine_new, "NULL name (named \"unnamed\")", 0, new_unnamed());
	ROW_VOID(hn_machine_free, "NULL", hn_machine_free(NULL));
	ROW_INT(hn_machine_clone, "NULL out", -EINVAL, hn_machine_clone(NULL, fx->m));
	ROW_INT(hn_machine_clone, "NULL machine (out set to NULL)", -EINVAL, clone_null());

	/* building: "-EINVAL for a bad argument" */
	ROW_INT(hn_machine_set_description, "NULL machine", -EINVAL,
		hn_machine_set_description(NULL, "x"));
	ROW_INT(hn_machine_set_description, "NULL text", -EINVAL,
		hn_machine_set_description(b, NULL));
	ROW_INT(hn_machine_set_arch, "NULL machine", -EINVAL,
		hn_machine_set_arch(NULL, HN_ARCH_GENERIC));
	ROW_INT(hn_machine_set_arch, "arch past HN_ARCH_GENERIC", -EINVAL,
		hn_machine_set_arch(b, (enum hn_arch)(HN_ARCH_GENERIC + 1)));
	ROW_INT(hn_machine_set_arch, "arch -1", -EINVAL, hn_machine_set_arch(b, (enum hn_arch)-1));
	ROW_INT(hn_machine_set_page_size, "NULL machine", -EINVAL,
		hn_machine_set_page_size(NULL, 4096));
	ROW_INT(hn_machine_set_page_size, "not a power of two", -EINVAL,
		hn_machine_set_page_size(b, 3 * 4096));
	ROW_INT(hn_machine_set_page_size, "2 KiB (below 4 KiB)", -EINVAL,
		hn_machine_set_page_size(b, 2048));
	ROW_INT(hn_machine_set_page_size, "4 MiB (above 2 MiB)", -EINVAL,
		hn_machine_set_page_size(b, 4 * 1024 * 1024));
	ROW_INT(hn_machine_set_page_size, "UINT32_MAX", -EINVAL,
		hn_machine_set_page_size(b, UINT32_MAX));

	ROW_INT(hn_machine_add_memdev, "NULL machine", -EINVAL, hn_machine_add_memdev(NULL, &d));
	ROW_INT(hn_machine_add_memdev, "NULL device", -EINVAL, hn_machine_add_memdev(b, NULL));
	d.nid = -1;
	ROW_INT(hn_machine_add_memdev, "nid -1", -EINVAL, hn_machine_add_memdev(b, &d));
	d.nid = HN_MAX_NUMNODES;
	ROW_INT(hn_machine_add_memdev, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d = test_dram(0, HN_ADDR_AUTO, 0);
	ROW_INT(hn_machine_add_memdev, "size 0", -EINVAL, hn_machine_add_memdev(b, &d));
	d.size = 64 * MiB + 512;
	ROW_INT(hn_machine_add_memdev, "size not a multiple of 4 KiB", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d = test_dram(0, 1 * MiB + 512, 64 * MiB);
	ROW_INT(hn_machine_add_memdev, "base not 4 KiB aligned", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d = test_dram(0, UINT64_MAX - 4095, 8192);
	ROW_INT(hn_machine_add_memdev, "range wraps past UINT64_MAX", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d = test_dram(0, HN_ADDR_AUTO, 64 * MiB);
	d.read_latency_ns = 0;
	ROW_INT(hn_machine_add_memdev, "read latency 0", -EINVAL, hn_machine_add_memdev(b, &d));
	d = test_dram(0, HN_ADDR_AUTO, 64 * MiB);
	d.read_bw_mbps = 0;
	ROW_INT(hn_machine_add_memdev, "read bandwidth 0", -EINVAL, hn_machine_add_memdev(b, &d));
	d = test_dram(0, HN_ADDR_AUTO, 64 * MiB);
	d.kind = HN_MEM_NR_KINDS;
	ROW_INT(hn_machine_add_memdev, "kind HN_MEM_NR_KINDS", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d.kind = HN_MEM_CXL_COMPRESSED;
	ROW_INT(hn_machine_add_memdev, "compressing kind without a compression algorithm", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d.compress = (struct hn_compress_desc){ .algo = HN_COMPRESS_LZ4, .ratio_x100 = 99 };
	ROW_INT(hn_machine_add_memdev, "compression ratio 99 (below 1:1)", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d.kind = HN_MEM_DRAM;
	d.compress.ratio_x100 = 200;
	ROW_INT(hn_machine_add_memdev, "a compression algorithm on a DRAM device", -EINVAL,
		hn_machine_add_memdev(b, &d));
	d = test_dram(0, HN_ADDR_AUTO, 64 * MiB);
	d.zone = (enum hn_zone_hint)(HN_ZONE_HINT_DEVICE + 1);
	ROW_INT(hn_machine_add_memdev, "zone hint past HN_ZONE_HINT_DEVICE", -EINVAL,
		hn_machine_add_memdev(b, &d));

	ROW_INT(hn_machine_add_initiator, "NULL machine", -EINVAL,
		hn_machine_add_initiator(NULL, &in));
	ROW_INT(hn_machine_add_initiator, "NULL initiator", -EINVAL,
		hn_machine_add_initiator(b, NULL));
	in.nid = -1;
	ROW_INT(hn_machine_add_initiator, "nid -1", -EINVAL, hn_machine_add_initiator(b, &in));
	in.nid = HN_MAX_NUMNODES;
	ROW_INT(hn_machine_add_initiator, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_machine_add_initiator(b, &in));
	in = test_cpus(0, "0-");
	ROW_INT(hn_machine_add_initiator, "cpulist \"0-\"", -EINVAL,
		hn_machine_add_initiator(b, &in));
	in = test_cpus(0, "");
	ROW_INT(hn_machine_add_initiator, "CPU socket with an empty cpulist", -EINVAL,
		hn_machine_add_initiator(b, &in));
	in = test_cpus(0, "4096");
	ROW_INT(hn_machine_add_initiator, "CPU 4096 (HN_MAX_CPUS)", -EINVAL,
		hn_machine_add_initiator(b, &in));
	in = test_cpus(0, "0");
	memset(in.cpus, '1', sizeof(in.cpus));
	ROW_INT(hn_machine_add_initiator, "cpulist without a terminating NUL", -EINVAL,
		hn_machine_add_initiator(b, &in));
	in = test_cpus(0, "0");
	in.kind = (enum hn_initiator_kind)(HN_INIT_GPU + 1);
	ROW_INT(hn_machine_add_initiator, "kind past HN_INIT_GPU", -EINVAL,
		hn_machine_add_initiator(b, &in));

	ROW_INT(hn_machine_add_memcache, "NULL machine", -EINVAL,
		hn_machine_add_memcache(NULL, &mc));
	ROW_INT(hn_machine_add_memcache, "NULL cache", -EINVAL, hn_machine_add_memcache(b, NULL));
	mc.nid = -1;
	ROW_INT(hn_machine_add_memcache, "nid -1", -EINVAL, hn_machine_add_memcache(b, &mc));
	mc.nid = 0;
	mc.level = 0;
	ROW_INT(hn_machine_add_memcache, "level 0", -EINVAL, hn_machine_add_memcache(b, &mc));
	mc.level = 4;
	ROW_INT(hn_machine_add_memcache, "level 4", -EINVAL, hn_machine_add_memcache(b, &mc));
	mc.level = 1;
	mc.size = 0;
	ROW_INT(hn_machine_add_memcache, "size 0", -EINVAL, hn_machine_add_memcache(b, &mc));
	mc.size = 1 * MiB;
	mc.assoc = (enum hn_cache_assoc)(HN_CACHE_COMPLEX + 1);
	ROW_INT(hn_machine_add_memcache, "associativity past HN_CACHE_COMPLEX", -EINVAL,
		hn_machine_add_memcache(b, &mc));

	ROW_INT(hn_machine_add_link, "NULL machine", -EINVAL, hn_machine_add_link(NULL, &link));
	ROW_INT(hn_machine_add_link, "NULL link", -EINVAL, hn_machine_add_link(b, NULL));
	link.a = -1;
	ROW_INT(hn_machine_add_link, "node a -1", -EINVAL, hn_machine_add_link(b, &link));
	link.a = 0;
	link.b = HN_MAX_NUMNODES;
	ROW_INT(hn_machine_add_link, "node b HN_MAX_NUMNODES", -EINVAL,
		hn_machine_add_link(b, &link));
	link.b = 0;
	ROW_INT(hn_machine_add_link, "a equal to b", -EINVAL, hn_machine_add_link(b, &link));
	link.b = 1;
	link.bw_mbps = 0;
	ROW_INT(hn_machine_add_link, "bandwidth 0", -EINVAL, hn_machine_add_link(b, &link));
	link.bw_mbps = 1000;
	ROW_INT(hn_machine_add_link, "nodes 0 and 1, not declared yet (validate's question)", 0,
		hn_machine_add_link(b, &link));

	ROW_INT(hn_machine_add_node, "NULL machine", -EINVAL, hn_machine_add_node(NULL, 0));
	ROW_INT(hn_machine_add_node, "nid -1", -EINVAL, hn_machine_add_node(b, -1));
	ROW_INT(hn_machine_add_node, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_machine_add_node(b, HN_MAX_NUMNODES));
	ROW_INT(hn_machine_add_node, "nid INT_MAX", -EINVAL, hn_machine_add_node(b, INT_MAX));

	ROW_INT(hn_machine_set_distance, "NULL machine", -EINVAL,
		hn_machine_set_distance(NULL, 0, 1, 20));
	ROW_INT(hn_machine_set_distance, "from -1", -EINVAL, hn_machine_set_distance(b, -1, 0, 20));
	ROW_INT(hn_machine_set_distance, "to HN_MAX_NUMNODES", -EINVAL,
		hn_machine_set_distance(b, 0, HN_MAX_NUMNODES, 20));
	ROW_INT(hn_machine_set_distance, "distance 9 (below 10)", -EINVAL,
		hn_machine_set_distance(b, 0, 1, 9));
	ROW_INT(hn_machine_set_distance, "distance 0", -EINVAL,
		hn_machine_set_distance(b, 0, 1, 0));

	ROW_INT(hn_machine_set_access, "NULL machine", -EINVAL,
		hn_machine_set_access(NULL, 0, 0, &acc));
	ROW_INT(hn_machine_set_access, "NULL entry", -EINVAL, hn_machine_set_access(b, 0, 0, NULL));
	ROW_INT(hn_machine_set_access, "initiator -1", -EINVAL,
		hn_machine_set_access(b, -1, 0, &acc));
	ROW_INT(hn_machine_set_access, "target HN_MAX_NUMNODES", -EINVAL,
		hn_machine_set_access(b, 0, HN_MAX_NUMNODES, &acc));

	ROW_INT(hn_machine_layout, "NULL machine", -EINVAL, hn_machine_layout(NULL));

	ROW_INT(hn_machine_validate, "NULL machine", -EINVAL, hn_machine_validate(NULL, 0, NULL));
	ROW_INT(hn_machine_validate, "no memory", -EINVAL, validate_case(V_EMPTY));
	ROW_INT(hn_machine_validate, "two devices overlap", -EINVAL, validate_case(V_OVERLAP));
	ROW_INT(hn_machine_validate, "asymmetric distances", -EINVAL, validate_case(V_ASYMMETRIC));
	ROW_INT(hn_machine_validate, "local distance 20", -EINVAL, validate_case(V_LOCAL_20));
	ROW_INT(hn_machine_validate, "remote distance 10", -EINVAL, validate_case(V_REMOTE_10));
	ROW_INT(hn_machine_validate, "a CPU in two nodes", -EINVAL, validate_case(V_CPU_TWICE));
	ROW_INT(hn_machine_validate, "node 3 with max_nodes 2", -EINVAL,
		validate_case(V_NODE_BEYOND_MAX));
	ROW_INT(hn_machine_validate, "a device ending at the last page of the 64-bit space: above "
		"HN_MAX_PHYS_ADDR", -EINVAL, validate_case(V_ADDR_TOP));
	ROW_INT(hn_machine_validate, "a device of UINT64_MAX - 4095 bytes (does not fit)", -EINVAL,
		validate_case(V_TOO_BIG));
	ROW_INT(hn_machine_validate, "an access entry from a node without initiators", -EINVAL,
		validate_case(V_ACCESS_NO_INIT));
	ROW_INT(hn_machine_validate, "max_nodes 0 (taken as HN_MAX_NUMNODES)", 0,
		validate_case(V_MAX_NODES_0));

	/* reading back: NULL machine, index or node out of range */
	ROW_NULL(hn_machine_name, "NULL machine", hn_machine_name(NULL));
	ROW_STR(hn_machine_description, "NULL machine", "", hn_machine_description(NULL));
	ROW_INT(hn_machine_arch, "NULL machine (HN_ARCH_GENERIC)", HN_ARCH_GENERIC,
		hn_machine_arch(NULL));
	ROW_U64(hn_machine_page_size, "NULL machine", 0, hn_machine_page_size(NULL));
	ROW_INT(hn_machine_nr_memdevs, "NULL machine", -EINVAL, hn_machine_nr_memdevs(NULL));
	ROW_INT(hn_machine_memdev, "NULL machine", -EINVAL, hn_machine_memdev(NULL, 0, &md));
	ROW_INT(hn_machine_memdev, "NULL out", -EINVAL, hn_machine_memdev(fx->m, 0, NULL));
	ROW_INT(hn_machine_memdev, "index -1", -ENOENT, hn_machine_memdev(fx->m, -1, &md));
	ROW_INT(hn_machine_memdev, "index past the last device", -ENOENT,
		hn_machine_memdev(fx->m, NR_NODES, &md));
	ROW_INT(hn_machine_nr_initiators, "NULL machine", -EINVAL,
		hn_machine_nr_initiators(NULL));
	ROW_INT(hn_machine_initiator, "NULL machine", -EINVAL,
		hn_machine_initiator(NULL, 0, &id));
	ROW_INT(hn_machine_initiator, "NULL out", -EINVAL, hn_machine_initiator(fx->m, 0, NULL));
	ROW_INT(hn_machine_initiator, "index INT_MAX", -ENOENT,
		hn_machine_initiator(fx->m, INT_MAX, &id));
	ROW_INT(hn_machine_nr_memcaches, "NULL machine", -EINVAL, hn_machine_nr_memcaches(NULL));
	ROW_INT(hn_machine_memcache, "NULL machine", -EINVAL, hn_machine_memcache(NULL, 0, &mcd));
	ROW_INT(hn_machine_memcache, "NULL out", -EINVAL, hn_machine_memcache(fx->m, 0, NULL));
	ROW_INT(hn_machine_memcache, "index 0 of a machine without caches", -ENOENT,
		hn_machine_memcache(fx->m, 0, &mcd));
	ROW_INT(hn_machine_nr_links, "NULL machine", 0, hn_machine_nr_links(NULL));
	ROW_INT(hn_machine_nr_links, "a machine with one link", 1, hn_machine_nr_links(b));
	ROW_INT(hn_machine_link, "NULL machine", -EINVAL, hn_machine_link(NULL, 0, &ld));
	ROW_INT(hn_machine_link, "NULL out", -EINVAL, hn_machine_link(b, 0, NULL));
	ROW_INT(hn_machine_link, "index -1", -ENOENT, hn_machine_link(b, -1, &ld));
	ROW_INT(hn_machine_link, "index 0 of a machine without links", -ENOENT,
		hn_machine_link(fx->m, 0, &ld));
	ROW_INT(hn_machine_link, "index 0 of a machine with one link", 0,
		hn_machine_link(b, 0, &ld));
	ROW_INT(hn_machine_nr_node_ids, "NULL machine", 0, hn_machine_nr_node_ids(NULL));
	ROW_BOOL(hn_machine_node_exists, "NULL machine", false, hn_machine_node_exists(NULL, 0));
	ROW_BOOL(hn_machine_node_exists, "nid -1", false, hn_machine_node_exists(fx->m, -1));
	ROW_BOOL(hn_machine_node_exists, "nid one past the last", false,
		 hn_machine_node_exists(fx->m, NR_NODES));
	ROW_BOOL(hn_machine_node_exists, "nid HN_MAX_NUMNODES", false,
		 hn_machine_node_exists(fx->m, HN_MAX_NUMNODES));
	ROW_INT(hn_machine_distance, "NULL machine", 0, hn_machine_distance(NULL, 0, 0));
	ROW_INT(hn_machine_distance, "from -1: unknown node", 0, hn_machine_distance(fx->m, -1, 0));
	ROW_INT(hn_machine_distance, "to one past the last node", 0,
		hn_machine_distance(fx->m, 0, NR_NODES));
	ROW_INT(hn_machine_distance, "to HN_MAX_NUMNODES", 0,
		hn_machine_distance(fx->m, 0, HN_MAX_NUMNODES));
	ROW_INT(hn_machine_access, "NULL machine", -EINVAL, hn_machine_access(NULL, 0, 0, &acc));
	ROW_INT(hn_machine_access, "NULL out", -EINVAL, hn_machine_access(fx->m, 0, 0, NULL));
	ROW_INT(hn_machine_access, "initiator -1", -ENODEV,
		hn_machine_access(fx->m, -1, 0, &acc));
	ROW_INT(hn_machine_access, "target one past the last node", -ENODEV,
		hn_machine_access(fx->m, 0, NR_NODES, &acc));
	ROW_INT(hn_machine_access, "from a node without initiators (no entry)", -ENOENT,
		hn_machine_access(fx->m, OFFLINE_NID, 0, &acc));
	ROW_U64(hn_machine_total_memory, "NULL machine", 0, hn_machine_total_memory(NULL));

	ROW_INT(hn_parse_size, "NULL string", -EINVAL, hn_parse_size(NULL, &size));
	ROW_INT(hn_parse_size, "NULL out", -EINVAL, hn_parse_size("4K", NULL));
	ROW_INT(hn_parse_size, "empty string", -EINVAL, hn_parse_size("", &size));
	ROW_INT(hn_parse_size, "unknown suffix \"12Q\"", -EINVAL, hn_parse_size("12Q", &size));
	ROW_INT(hn_parse_size, "negative \"-1\"", -EINVAL, hn_parse_size("-1", &size));
	ROW_INT(hn_parse_size, "2^64 in decimal (overflow)", -EINVAL,
		hn_parse_size("18446744073709551616", &size));
	ROW_INT(hn_parse_size, "17 hex digits (overflow)", -EINVAL,
		hn_parse_size("0x10000000000000000", &size));
	ROW_INT(hn_parse_size, "16384P = 2^64 (overflow after the multiplier)", -EINVAL,
		hn_parse_size("16384P", &size));
	ROW_INT(hn_parse_size, "UINT64_MAX in decimal is accepted", 0,
		hn_parse_size("18446744073709551615", &size));
	ROW_INT(hn_parse_size, "\"0x\" without digits", -EINVAL, hn_parse_size("0x", &size));

	ROW_NULL(hn_mem_kind_name, "kind -1", hn_mem_kind_name((enum hn_mem_kind)-1));
	ROW_NULL(hn_mem_kind_name, "kind HN_MEM_NR_KINDS", hn_mem_kind_name(HN_MEM_NR_KINDS));
	ROW_INT(hn_mem_kind_parse, "NULL string", -EINVAL, hn_mem_kind_parse(NULL, &md.kind));
	ROW_INT(hn_mem_kind_parse, "NULL out", -EINVAL, hn_mem_kind_parse("dram", NULL));
	ROW_INT(hn_mem_kind_parse, "unknown name \"sram\"", -EINVAL,
		hn_mem_kind_parse("sram", &md.kind));

	ROW_INT(hn_machine_builtin, "NULL out", -EINVAL, hn_machine_builtin(NULL, "default"));
	ROW_INT(hn_machine_builtin, "NULL name (out set to NULL)", -EINVAL, builtin(NULL));
	ROW_INT(hn_machine_builtin, "unknown name", -ENOENT, builtin("no-such-machine"));
	ROW_INT(hn_machine_builtin, "empty name", -ENOENT, builtin(""));
	ROW_NULL(hn_machine_builtin_name, "index -1", hn_machine_builtin_name(-1, &summary));
	ROW_NULL(hn_machine_builtin_name, "index INT_MAX", hn_machine_builtin_name(INT_MAX, NULL));
	ROW_INT(hn_machine_builtin_scaled, "NULL out", -EINVAL,
		hn_machine_builtin_scaled(NULL, "default", 16 * GiB));
	ROW_INT(hn_machine_builtin_scaled, "NULL name", -EINVAL, builtin_scaled(NULL, 16 * GiB));
	ROW_INT(hn_machine_builtin_scaled, "unknown name", -ENOENT,
		builtin_scaled("no-such-machine", 16 * GiB));
	ROW_INT(hn_machine_builtin_scaled, "total 0", -EINVAL, builtin_scaled("default", 0));
	ROW_INT(hn_machine_builtin_scaled, "total 4 KiB (below 1 GiB per device)", -EINVAL,
		builtin_scaled("default", 4 * KiB));
	ROW_INT(hn_machine_builtin_scaled, "total UINT64_MAX", -EINVAL,
		builtin_scaled("default", UINT64_MAX));

	ROW_INT(hn_machine_load_yaml, "NULL out", YAML(-EINVAL, -EOPNOTSUPP),
		hn_machine_load_yaml(NULL, "x.yaml", NULL));
	ROW_INT(hn_machine_load_yaml, "NULL path", YAML(-EINVAL, -EOPNOTSUPP), load_yaml(NULL));
	ROW_INT(hn_machine_load_yaml, "a file that does not exist", YAML(-ENOENT, -EOPNOTSUPP),
		load_yaml("/nonexistent/hnuma-contract.yaml"));
	if (YAML(1, 0))
		ROW_INT(hn_machine_load_yaml, "a directory", -EISDIR, load_yaml("/"));
	else
		ROW_INT(hn_machine_load_yaml, "a directory", -EOPNOTSUPP, load_yaml("/"));
	ROW_INT(hn_machine_load_yaml, "an empty file (/dev/null)", YAML(-EINVAL, -EOPNOTSUPP),
		load_yaml("/dev/null"));
	ROW_INT(hn_machine_load_yaml_string, "NULL out", YAML(-EINVAL, -EOPNOTSUPP),
		hn_machine_load_yaml_string(NULL, "nodes: []", 9, NULL));
	ROW_INT(hn_machine_load_yaml_string, "NULL text", YAML(-EINVAL, -EOPNOTSUPP),
		load_yaml_string(NULL, 4));
	ROW_INT(hn_machine_load_yaml_string, "syntax error", YAML(-EINVAL, -EOPNOTSUPP),
		load_yaml_string("nodes: [", 8));
	ROW_INT(hn_machine_load_yaml_string, "empty text", YAML(-EINVAL, -EOPNOTSUPP),
		load_yaml_string("", 0));
	if (YAML(1, 0))
		ROW_INT(hn_machine_load_yaml_string, "length SIZE_MAX", -EFBIG,
			load_yaml_string("x", SIZE_MAX));
	else
		ROW_INT(hn_machine_load_yaml_string, "length SIZE_MAX", -EOPNOTSUPP,
			load_yaml_string("x", SIZE_MAX));
	ROW_INT(hn_machine_save_yaml, "NULL machine", YAML(-EINVAL, -EOPNOTSUPP),
		hn_machine_save_yaml(NULL, ro(fx)));
	ROW_INT(hn_machine_save_yaml, "NULL stream", YAML(-EINVAL, -EOPNOTSUPP),
		hn_machine_save_yaml(fx->m, NULL));
	if (YAML(1, 0)) {
		ROW_INT(hn_machine_save_yaml, "a machine without memory", -EINVAL,
			export_empty(true));
		ROW_INT(hn_machine_save_yaml, "an unwritable stream", -EIO,
			hn_machine_save_yaml(fx->m, ro(fx)));
	}

	ROW_INT(hn_machine_import_qemu, "NULL out", -EINVAL,
		hn_machine_import_qemu(NULL, 1, qemu_no_value, NULL));
	ROW_INT(hn_machine_import_qemu, "argc -1", -EINVAL, import_qemu(-1, qemu_no_value));
	ROW_INT(hn_machine_import_qemu, "argc 1, NULL argv", -EINVAL, import_qemu(1, NULL));
	ROW_INT(hn_machine_import_qemu, "a NULL word in argv", -EINVAL,
		import_qemu(2, qemu_null_arg));
	ROW_INT(hn_machine_import_qemu, "-numa without its value", -EINVAL,
		import_qemu(1, qemu_no_value));
	ROW_INT(hn_machine_import_qemu, "-m 99999999999T (overflows)", -EINVAL,
		import_qemu(2, qemu_huge));
	ROW_INT(hn_machine_import_qemu, "-m 2^64 bytes", -EINVAL, import_qemu(2, qemu_overflow));
	ROW_INT(hn_machine_import_qemu, "no arguments: QEMU's default 128 MiB machine", 0,
		import_qemu(0, NULL));
	ROW_INT(hn_machine_export_qemu, "NULL machine", -EINVAL,
		hn_machine_export_qemu(NULL, ro(fx)));
	ROW_INT(hn_machine_export_qemu, "NULL stream", -EINVAL,
		hn_machine_export_qemu(fx->m, NULL));
	ROW_INT(hn_machine_export_qemu, "a machine without memory", -EINVAL, export_empty(false));
	ROW_INT(hn_machine_export_qemu, "an unwritable stream", -EIO,
		hn_machine_export_qemu(fx->m, ro(fx)));

	assert_int_equal(hn_machine_clone(&out, b), 0);
	hn_machine_free(out);
	hn_machine_free(b);
	table_done("hw.h");
}

/* ==== memblock.h ======================================================= */

static bool always_fail(void *ctx)
{
	(void)ctx;
	return true;
}

/* hn_memblock_create() with @cfg: the return value (the memblock is freed). */
static int mb_create(const struct hn_memblock_config *cfg)
{
	struct hn_memblock *mb = NULL;
	int ret = hn_memblock_create(&mb, cfg);

	hn_memblock_destroy(mb);
	return ret;
}

static void test_memblock_h(void **state)
{
	struct fx *fx = *state;
	struct hn_memblock *mb = fx->mb, *top;
	struct hn_memblock_config cfg;
	struct hn_memblock_region r;
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t addr = 0;
	const uint64_t top_page = UINT64_MAX - 4095;	/* the last page of the address space */
	int nid_max = HN_MEMBLOCK_DEFAULT_MAX_NODES;	/* MAX_NUMNODES: accepted */
	unsigned long nr;

	/* a scratch memblock for the calls that change much */
	assert_int_equal(hn_memblock_create(&top, NULL), 0);

	ROW_INT(hn_memblock_create, "NULL out", -EINVAL, hn_memblock_create(NULL, NULL));
	cfg = (struct hn_memblock_config){ .max_nodes = -1 };
	ROW_INT(hn_memblock_create, "max_nodes -1", -EINVAL, mb_create(&cfg));
	cfg = (struct hn_memblock_config){ .max_nodes = HN_MEMBLOCK_MAX_NODES_LIMIT + 1 };
	ROW_INT(hn_memblock_create, "max_nodes 1025", -EINVAL, mb_create(&cfg));
	cfg = (struct hn_memblock_config){ .page_shift = 5 };
	ROW_INT(hn_memblock_create, "page_shift 5 (range 6..30)", -EINVAL, mb_create(&cfg));
	cfg = (struct hn_memblock_config){ .page_shift = 31 };
	ROW_INT(hn_memblock_create, "page_shift 31", -EINVAL, mb_create(&cfg));
	cfg = (struct hn_memblock_config){ .init_regions = UINT_MAX };
	ROW_INT(hn_memblock_create, "init_regions UINT_MAX", -EINVAL, mb_create(&cfg));
	cfg = (struct hn_memblock_config){ .host_alloc_fails = always_fail };
	ROW_INT(hn_memblock_create, "every host allocation fails", -ENOMEM, mb_create(&cfg));
	ROW_VOID(hn_memblock_destroy, "NULL", hn_memblock_destroy(NULL));

	ROW_INT(hn_memblock_add, "NULL memblock", -EINVAL, hn_memblock_add(NULL, 0, 4096));
	ROW_INT(hn_memblock_add, "size 0 does nothing", 0, hn_memblock_add(mb, 8 * GiB, 0));
	ROW_INT(hn_memblock_add, "overlapping node 0's region: left unchanged", 0,
		hn_memblock_add(mb, 32 * MiB, 64 * MiB));
	ROW_INT(hn_memblock_add, "size UINT64_MAX at the last page: cut at the top", 0,
		hn_memblock_add(top, top_page, UINT64_MAX));
	ROW_INT(hn_memblock_add, "base UINT64_MAX: cut to nothing", 0,
		hn_memblock_add(top, UINT64_MAX, UINT64_MAX));
	ROW_INT(hn_memblock_add_node, "NULL memblock", -EINVAL,
		hn_memblock_add_node(NULL, 0, 4096, 0, 0));
	ROW_INT(hn_memblock_add_node, "nid -2", -EINVAL, hn_memblock_add_node(mb, 0, 4096, -2, 0));
	ROW_INT(hn_memblock_add_node, "nid max_nodes + 1", -EINVAL,
		hn_memblock_add_node(mb, 0, 4096, nid_max + 1, 0));
	ROW_INT(hn_memblock_add_node, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_memblock_add_node(mb, 0, 4096, HN_MAX_NUMNODES, 0));
	ROW_INT(hn_memblock_add_node, "unknown flag 0x20", -EINVAL,
		hn_memblock_add_node(mb, 0, 4096, 0, 0x20));
	ROW_INT(hn_memblock_add_node, "nid max_nodes (MAX_NUMNODES) is accepted", 0,
		hn_memblock_add_node(top, 4 * GiB, 4096, nid_max, 0));
	ROW_INT(hn_memblock_add_node, "overlapping with another node: left unchanged", 0,
		hn_memblock_add_node(mb, 1 * GiB, 4096, 0, 0));
	ROW_INT(hn_memblock_add_node, "range near UINT64_MAX, HN_NUMA_NO_NODE", 0,
		hn_memblock_add_node(top, top_page - 4096, UINT64_MAX, HN_NUMA_NO_NODE, 0));
	ROW_INT(hn_memblock_remove, "NULL memblock", -EINVAL, hn_memblock_remove(NULL, 0, 4096));
	ROW_INT(hn_memblock_remove, "a range that is not memory", 0,
		hn_memblock_remove(mb, 16 * GiB, 4096));
	ROW_INT(hn_memblock_remove, "size UINT64_MAX near the top", 0,
		hn_memblock_remove(top, top_page, UINT64_MAX));
	ROW_INT(hn_memblock_reserve, "NULL memblock", -EINVAL, hn_memblock_reserve(NULL, 0, 4096));
	ROW_INT(hn_memblock_reserve, "size 0 does nothing", 0, hn_memblock_reserve(mb, 8 * GiB, 0));
	ROW_INT(hn_memblock_reserve, "overlapping an existing reservation", 0,
		hn_memblock_reserve(mb, 2 * MiB, 8 * MiB));
	ROW_INT(hn_memblock_reserve, "size UINT64_MAX near the top", 0,
		hn_memblock_reserve(top, top_page, UINT64_MAX));
	ROW_INT(hn_memblock_free, "NULL memblock", -EINVAL, hn_memblock_free(NULL, 0, 4096));
	ROW_INT(hn_memblock_free, "a range never reserved", 0,
		hn_memblock_free(mb, 16 * GiB, 4096));
	ROW_INT(hn_memblock_free, "size UINT64_MAX near the top", 0,
		hn_memblock_free(top, top_page, UINT64_MAX));

	ROW_INT(hn_memblock_mark_hotplug, "NULL memblock", -EINVAL,
		hn_memblock_mark_hotplug(NULL, 0, 4096));
	ROW_INT(hn_memblock_mark_hotplug, "size UINT64_MAX near the top", 0,
		hn_memblock_mark_hotplug(top, top_page - 4096, UINT64_MAX));
	ROW_INT(hn_memblock_clear_hotplug, "NULL memblock", -EINVAL,
		hn_memblock_clear_hotplug(NULL, 0, 4096));
	ROW_INT(hn_memblock_clear_hotplug, "size UINT64_MAX near the top", 0,
		hn_memblock_clear_hotplug(top, top_page - 4096, UINT64_MAX));
	ROW_INT(hn_memblock_mark_mirror, "NULL memblock", -EINVAL,
		hn_memblock_mark_mirror(NULL, 0, 4096));
	ROW_INT(hn_memblock_mark_mirror, "without mirrored_kernelcore: does nothing", 0,
		hn_memblock_mark_mirror(mb, 1 * MiB, 4096));
	ROW_INT(hn_memblock_mark_nomap, "NULL memblock", -EINVAL,
		hn_memblock_mark_nomap(NULL, 0, 4096));
	ROW_INT(hn_memblock_mark_nomap, "size UINT64_MAX near the top", 0,
		hn_memblock_mark_nomap(top, top_page - 4096, UINT64_MAX));
	ROW_INT(hn_memblock_clear_nomap, "NULL memblock", -EINVAL,
		hn_memblock_clear_nomap(NULL, 0, 4096));
	ROW_INT(hn_memblock_clear_nomap, "a range that is not memory", 0,
		hn_memblock_clear_nomap(mb, 16 * GiB, 4096));
	ROW_INT(hn_memblock_reserved_mark_noinit, "NULL memblock", -EINVAL,
		hn_memblock_reserved_mark_noinit(NULL, 0, 4096));
	ROW_INT(hn_memblock_reserved_mark_noinit, "size UINT64_MAX near the top", 0,
		hn_memblock_reserved_mark_noinit(top, top_page, UINT64_MAX));
	ROW_INT(hn_memblock_set_mattr, "NULL memblock", -EINVAL,
		hn_memblock_set_mattr(NULL, 0, 4096, 1));
	ROW_INT(hn_memblock_set_mattr, "a range that is not memory", 0,
		hn_memblock_set_mattr(mb, 16 * GiB, 4096, 1));
	ROW_INT(hn_memblock_set_node, "NULL memblock", -EINVAL,
		hn_memblock_set_node(NULL, 0, 4096, 0));
	ROW_INT(hn_memblock_set_node, "nid -2", -EINVAL,
		hn_memblock_set_node(mb, 1 * MiB, 4096, -2));
	ROW_INT(hn_memblock_set_node, "nid max_nodes + 1", -EINVAL,
		hn_memblock_set_node(mb, 1 * MiB, 4096, nid_max + 1));
	ROW_INT(hn_memblock_set_node, "size UINT64_MAX near the top", 0,
		hn_memblock_set_node(top, top_page - 4096, UINT64_MAX, 0));

	ROW_VOID(hn_memblock_set_bottom_up, "NULL memblock", hn_memblock_set_bottom_up(NULL, true));
	ROW_BOOL(hn_memblock_bottom_up, "NULL memblock", false, hn_memblock_bottom_up(NULL));
	ROW_VOID(hn_memblock_set_current_limit, "NULL memblock",
		 hn_memblock_set_current_limit(NULL, 4096));
	ROW_U64(hn_memblock_get_current_limit, "NULL memblock", 0,
		hn_memblock_get_current_limit(NULL));
	ROW_VOID(hn_memblock_allow_resize, "NULL memblock", hn_memblock_allow_resize(NULL));

	ROW_INT(hn_memblock_alloc_range_nid, "NULL memblock", -EINVAL,
		hn_memblock_alloc_range_nid(NULL, 4096, 4096, 0, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "NULL out", -EINVAL,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, 0, UINT64_MAX, 0, false, NULL));
	ROW_INT(hn_memblock_alloc_range_nid, "align 3", -EINVAL,
		hn_memblock_alloc_range_nid(mb, 4096, 3, 0, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "nid -2", -EINVAL,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, 0, UINT64_MAX, -2, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "nid max_nodes + 1", -EINVAL,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, 0, UINT64_MAX, nid_max + 1, false,
					    &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "size UINT64_MAX", -ENOSPC,
		hn_memblock_alloc_range_nid(mb, UINT64_MAX, 4096, 0, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "range [UINT64_MAX - 4095, UINT64_MAX)", -ENOSPC,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, top_page, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "start above end", -ENOSPC,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, 2 * GiB, 1 * GiB, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "exact node 5 has no memory", -ENOSPC,
		hn_memblock_alloc_range_nid(mb, 4096, 4096, 0, UINT64_MAX, 5, true, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "align 0: 64 with a warning to the log sink", 0,
		hn_memblock_alloc_range_nid(mb, 4096, 0, 0, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_alloc_range_nid, "align 2^63 (a power of two, nothing fits)", -ENOSPC,
		hn_memblock_alloc_range_nid(mb, 4096, 1ULL << 63, 0, UINT64_MAX, 0, false, &addr));
	ROW_INT(hn_memblock_phys_alloc, "NULL memblock", -EINVAL,
		hn_memblock_phys_alloc(NULL, 4096, 4096, &addr));
	ROW_INT(hn_memblock_phys_alloc, "NULL out", -EINVAL,
		hn_memblock_phys_alloc(mb, 4096, 4096, NULL));
	ROW_INT(hn_memblock_phys_alloc, "align 6", -EINVAL,
		hn_memblock_phys_alloc(mb, 4096, 6, &addr));
	ROW_INT(hn_memblock_phys_alloc, "size UINT64_MAX", -ENOSPC,
		hn_memblock_phys_alloc(mb, UINT64_MAX, 4096, &addr));
	ROW_INT(hn_memblock_phys_alloc, "size UINT64_MAX - 4095", -ENOSPC,
		hn_memblock_phys_alloc(mb, top_page, 4096, &addr));
	ROW_INT(hn_memblock_phys_alloc_range, "NULL memblock", -EINVAL,
		hn_memblock_phys_alloc_range(NULL, 4096, 4096, 0, UINT64_MAX, &addr));
	ROW_INT(hn_memblock_phys_alloc_range, "NULL out", -EINVAL,
		hn_memblock_phys_alloc_range(mb, 4096, 4096, 0, UINT64_MAX, NULL));
	ROW_INT(hn_memblock_phys_alloc_range, "align 3", -EINVAL,
		hn_memblock_phys_alloc_range(mb, 4096, 3, 0, UINT64_MAX, &addr));
	ROW_INT(hn_memblock_phys_alloc_range, "range at the top of the address space", -ENOSPC,
		hn_memblock_phys_alloc_range(mb, 4096, 4096, top_page, UINT64_MAX, &addr));
	ROW_INT(hn_memblock_phys_alloc_try_nid, "NULL memblock", -EINVAL,
		hn_memblock_phys_alloc_try_nid(NULL, 4096, 4096, 0, &addr));
	ROW_INT(hn_memblock_phys_alloc_try_nid, "NULL out", -EINVAL,
		hn_memblock_phys_alloc_try_nid(mb, 4096, 4096, 0, NULL));
	ROW_INT(hn_memblock_phys_alloc_try_nid, "nid max_nodes + 1", -EINVAL,
		hn_memblock_phys_alloc_try_nid(mb, 4096, 4096, nid_max + 1, &addr));
	ROW_INT(hn_memblock_phys_alloc_try_nid, "size UINT64_MAX", -ENOSPC,
		hn_memblock_phys_alloc_try_nid(mb, UINT64_MAX, 4096, 0, &addr));
	ROW_INT(hn_memblock_alloc_try_nid, "NULL memblock", -EINVAL,
		hn_memblock_alloc_try_nid(NULL, 4096, 4096, 0, UINT64_MAX, 0, &addr));
	ROW_INT(hn_memblock_alloc_try_nid, "NULL out", -EINVAL,
		hn_memblock_alloc_try_nid(mb, 4096, 4096, 0, UINT64_MAX, 0, NULL));
	ROW_INT(hn_memblock_alloc_try_nid, "align 5", -EINVAL,
		hn_memblock_alloc_try_nid(mb, 4096, 5, 0, UINT64_MAX, 0, &addr));
	ROW_INT(hn_memblock_alloc_try_nid, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_memblock_alloc_try_nid(mb, 4096, 4096, 0, UINT64_MAX, HN_MAX_NUMNODES, &addr));
	ROW_INT(hn_memblock_alloc_try_nid, "size UINT64_MAX", -ENOSPC,
		hn_memblock_alloc_try_nid(mb, UINT64_MAX, 4096, 0, UINT64_MAX, 0, &addr));
	ROW_INT(hn_memblock_alloc_try_nid, "min_addr at the top: the lower bound is dropped", 0,
		hn_memblock_alloc_try_nid(mb, 4096, 4096, top_page, UINT64_MAX, 0, &addr));
	ROW_INT(hn_memblock_alloc_exact_nid_raw, "NULL memblock", -EINVAL,
		hn_memblock_alloc_exact_nid_raw(NULL, 4096, 4096, 0, UINT64_MAX, 0, &addr));
	ROW_INT(hn_memblock_alloc_exact_nid_raw, "NULL out", -EINVAL,
		hn_memblock_alloc_exact_nid_raw(mb, 4096, 4096, 0, UINT64_MAX, 0, NULL));
	ROW_INT(hn_memblock_alloc_exact_nid_raw, "nid -2", -EINVAL,
		hn_memblock_alloc_exact_nid_raw(mb, 4096, 4096, 0, UINT64_MAX, -2, &addr));
	ROW_INT(hn_memblock_alloc_exact_nid_raw, "node 5 has no memory, no fallback", -ENOSPC,
		hn_memblock_alloc_exact_nid_raw(mb, 4096, 4096, 0, UINT64_MAX, 5, &addr));

	ROW_U64(hn_memblock_phys_mem_size, "NULL memblock", 0, hn_memblock_phys_mem_size(NULL));
	ROW_U64(hn_memblock_reserved_size, "NULL memblock", 0, hn_memblock_reserved_size(NULL));
	ROW_U64(hn_memblock_start_of_DRAM, "NULL memblock", 0, hn_memblock_start_of_DRAM(NULL));
	ROW_U64(hn_memblock_start_of_DRAM, "no memory", 0, hn_memblock_start_of_DRAM(fx->empty));
	ROW_U64(hn_memblock_end_of_DRAM, "NULL memblock", 0, hn_memblock_end_of_DRAM(NULL));
	ROW_U64(hn_memblock_end_of_DRAM, "no memory", 0, hn_memblock_end_of_DRAM(fx->empty));
	ROW_BOOL(hn_memblock_is_memory, "NULL memblock", false,
		 hn_memblock_is_memory(NULL, 1 * MiB));
	ROW_BOOL(hn_memblock_is_memory, "UINT64_MAX", false, hn_memblock_is_memory(mb, UINT64_MAX));
	ROW_BOOL(hn_memblock_is_memory, "no memory at all", false,
		 hn_memblock_is_memory(fx->empty, 0));
	ROW_BOOL(hn_memblock_is_reserved, "NULL memblock", false,
		 hn_memblock_is_reserved(NULL, 1 * MiB));
	ROW_BOOL(hn_memblock_is_reserved, "UINT64_MAX", false,
		 hn_memblock_is_reserved(mb, UINT64_MAX));
	ROW_BOOL(hn_memblock_is_map_memory, "NULL memblock", false,
		 hn_memblock_is_map_memory(NULL, 1 * MiB));
	ROW_BOOL(hn_memblock_is_map_memory, "UINT64_MAX", false,
		 hn_memblock_is_map_memory(mb, UINT64_MAX));
	ROW_BOOL(hn_memblock_is_region_memory, "NULL memblock", false,
		 hn_memblock_is_region_memory(NULL, 1 * MiB, 4096));
	ROW_BOOL(hn_memblock_is_region_memory, "size UINT64_MAX from inside a region", false,
		 hn_memblock_is_region_memory(mb, 2 * MiB, UINT64_MAX));
	ROW_BOOL(hn_memblock_is_region_reserved, "NULL memblock", false,
		 hn_memblock_is_region_reserved(NULL, 1 * MiB, 4096));
	ROW_BOOL(hn_memblock_is_region_reserved, "base and size UINT64_MAX", false,
		 hn_memblock_is_region_reserved(mb, UINT64_MAX, UINT64_MAX));

	ROW_INT(hn_memblock_search_pfn_nid, "NULL memblock", -EINVAL,
		hn_memblock_search_pfn_nid(NULL, 256, 12, NULL, NULL));
	ROW_INT(hn_memblock_search_pfn_nid, "page_shift 64", -EINVAL,
		hn_memblock_search_pfn_nid(mb, 256, 64, NULL, NULL));
	ROW_INT(hn_memblock_search_pfn_nid, "a pfn that is not memory", -ENOENT,
		hn_memblock_search_pfn_nid(mb, (16 * GiB) >> 12, 12, NULL, NULL));
	ROW_INT(hn_memblock_search_pfn_nid, "pfn UINT64_MAX", -ENOENT,
		hn_memblock_search_pfn_nid(mb, UINT64_MAX, 12, NULL, NULL));
	ROW_INT(hn_memblock_trim_memory, "NULL memblock", -EINVAL,
		hn_memblock_trim_memory(NULL, 4096));
	ROW_INT(hn_memblock_trim_memory, "align 0", -EINVAL, hn_memblock_trim_memory(mb, 0));
	ROW_INT(hn_memblock_trim_memory, "align 3", -EINVAL, hn_memblock_trim_memory(mb, 3));
	ROW_INT(hn_memblock_cap_memory_range, "the last page, size UINT64_MAX: all else goes", 0,
		hn_memblock_cap_memory_range(top, top_page, UINT64_MAX));
	ROW_INT(hn_memblock_trim_memory, "align 2^63 at the top: regions vanish", 0,
		hn_memblock_trim_memory(top, 1ULL << 63));
	ROW_INT(hn_memblock_enforce_memory_limit, "NULL memblock", -EINVAL,
		hn_memblock_enforce_memory_limit(NULL, 4096));
	ROW_INT(hn_memblock_enforce_memory_limit, "limit 0 does nothing", 0,
		hn_memblock_enforce_memory_limit(mb, 0));
	ROW_INT(hn_memblock_enforce_memory_limit, "limit UINT64_MAX (beyond the total)", 0,
		hn_memblock_enforce_memory_limit(mb, UINT64_MAX));
	ROW_INT(hn_memblock_cap_memory_range, "NULL memblock", -EINVAL,
		hn_memblock_cap_memory_range(NULL, 0, 4096));
	ROW_INT(hn_memblock_cap_memory_range, "no memory registered", -ENOENT,
		hn_memblock_cap_memory_range(fx->empty, 0, 4096));
	ROW_INT(hn_memblock_cap_memory_range, "size 0 does nothing", 0,
		hn_memblock_cap_memory_range(mb, 0, 0));
	ROW_INT(hn_memblock_mem_limit_remove_map, "NULL memblock", -EINVAL,
		hn_memblock_mem_limit_remove_map(NULL, 4096));
	ROW_INT(hn_memblock_mem_limit_remove_map, "limit 0 does nothing", 0,
		hn_memblock_mem_limit_remove_map(mb, 0));
	ROW_INT(hn_memblock_mem_limit_remove_map, "limit UINT64_MAX (beyond the total)", 0,
		hn_memblock_mem_limit_remove_map(mb, UINT64_MAX));

	nr = hn_memblock_region_count(mb, HN_MEMBLOCK_MEMORY);
	ROW_U64(hn_memblock_region_count, "NULL memblock", 0,
		hn_memblock_region_count(NULL, HN_MEMBLOCK_MEMORY));
	ROW_U64(hn_memblock_region_count, "type 7", 0,
		hn_memblock_region_count(mb, (enum hn_memblock_type_id)7));
	ROW_INT(hn_memblock_region_get, "NULL memblock", -EINVAL,
		hn_memblock_region_get(NULL, HN_MEMBLOCK_MEMORY, 0, &r));
	ROW_INT(hn_memblock_region_get, "NULL out", -EINVAL,
		hn_memblock_region_get(mb, HN_MEMBLOCK_MEMORY, 0, NULL));
	ROW_INT(hn_memblock_region_get, "type 7", -EINVAL,
		hn_memblock_region_get(mb, (enum hn_memblock_type_id)7, 0, &r));
	ROW_INT(hn_memblock_region_get, "index = count", -ENOENT,
		hn_memblock_region_get(mb, HN_MEMBLOCK_MEMORY, nr, &r));
	ROW_INT(hn_memblock_region_get, "index ULONG_MAX", -ENOENT,
		hn_memblock_region_get(mb, HN_MEMBLOCK_RESERVED, ULONG_MAX, &r));

	ROW_BOOL(hn_memblock_next_free_range, "NULL memblock", false,
		 hn_memblock_next_free_range(NULL, &it, HN_NUMA_NO_NODE, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_free_range, "NULL cursor", false,
		 hn_memblock_next_free_range(mb, NULL, HN_NUMA_NO_NODE, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_free_range, "nid max_nodes + 1", false,
		 hn_memblock_next_free_range(mb, &it, nid_max + 1, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_free_range, "unknown flag 0x40", false,
		 hn_memblock_next_free_range(mb, &it, HN_NUMA_NO_NODE, 0x40, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_prev_free_range, "NULL memblock", false,
		 hn_memblock_prev_free_range(NULL, &it, HN_NUMA_NO_NODE, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_prev_free_range, "NULL cursor", false,
		 hn_memblock_prev_free_range(mb, NULL, HN_NUMA_NO_NODE, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_prev_free_range, "nid -2", false,
		 hn_memblock_prev_free_range(mb, &it, -2, 0, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_prev_free_range, "unknown flag 0x40", false,
		 hn_memblock_prev_free_range(mb, &it, HN_NUMA_NO_NODE, 0x40, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_mem_pfn_range, "NULL memblock", false,
		 hn_memblock_next_mem_pfn_range(NULL, &it, HN_NUMA_NO_NODE, 12, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_mem_pfn_range, "NULL cursor", false,
		 hn_memblock_next_mem_pfn_range(mb, NULL, HN_NUMA_NO_NODE, 12, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_mem_pfn_range, "nid max_nodes + 1", false,
		 hn_memblock_next_mem_pfn_range(mb, &it, nid_max + 1, 12, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_mem_pfn_range, "page_shift 64", false,
		 hn_memblock_next_mem_pfn_range(mb, &it, HN_NUMA_NO_NODE, 64, NULL, NULL, NULL));
	ROW_BOOL(hn_memblock_next_mem_pfn_range, "page_shift 63 near the top: no whole page", false,
		 hn_memblock_next_mem_pfn_range(top, &it, HN_NUMA_NO_NODE, 63, NULL, NULL, NULL));

	ROW_INT(hn_memblock_dump, "NULL memblock", -EINVAL, hn_memblock_dump(NULL, ro(fx)));
	ROW_INT(hn_memblock_dump, "NULL stream", -EINVAL, hn_memblock_dump(mb, NULL));
	ROW_INT(hn_memblock_dump, "an unwritable stream", -EIO, hn_memblock_dump(mb, ro(fx)));
	ROW_INT(hn_memblock_check, "NULL memblock", -EINVAL, hn_memblock_check(NULL));


	assert_int_equal(hn_memblock_check(top), 0);
	hn_memblock_destroy(top);
	table_done("memblock.h");
}

/* ==== sim.h ============================================================ */

/*
 * hn_sim_create() of @m with @cfg: the return value, or 1 if an error left
 * *out set (the header: "receives the instance (NULL on error)").
 */
static int sim_create(const struct hn_machine *m, const struct hn_sim_config *cfg)
{
	struct hn_sim *sim = (struct hn_sim *)&sim;
	int ret = hn_sim_create(&sim, m, cfg);

	if (!ret)
		hn_sim_destroy(sim);
	return ret && sim ? 1 : ret;
}

/* One 64 MiB device at @base, for the machines placed high up. */
static struct hn_machine *high_machine(uint64_t base)
{
	struct hn_memdev_desc d = test_dram(0, base, 64 * MiB);
	struct hn_initiator_desc c = test_cpus(0, "0");
	struct hn_machine *m;

	if (hn_machine_new(&m, "high"))
		return NULL;
	if (hn_machine_set_arch(m, HN_ARCH_GENERIC) || hn_machine_add_memdev(m, &d) ||
	    hn_machine_add_initiator(m, &c)) {
		hn_machine_free(m);
		return NULL;
	}
	return m;
}

static void test_sim_h(void **state)
{
	struct fx *fx = *state;
	struct hn_sim_config cfg;
	struct hn_node_info ni;
	struct hn_zone_info zi;
	struct hn_machine *empty, *top;

	assert_int_equal(hn_machine_new(&empty, "empty"), 0);
	/* the last 64 MiB below the last page: max_pfn is 2^52 */
	top = high_machine(UINT64_MAX - 64 * MiB + 1 - 4096);
	assert_non_null(top);

	ROW_INT(hn_sim_create, "NULL out", -EINVAL, hn_sim_create(NULL, fx->m, NULL));
	ROW_INT(hn_sim_create, "NULL machine", -EINVAL, sim_create(NULL, NULL));
	ROW_INT(hn_sim_create, "a machine without memory", -EINVAL, sim_create(empty, NULL));
	cfg = (struct hn_sim_config){ .page_shift = 11 };
	ROW_INT(hn_sim_create, "page_shift 11 (range 12..21)", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .page_shift = 22 };
	ROW_INT(hn_sim_create, "page_shift 22", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .max_page_order = UINT_MAX };
	ROW_INT(hn_sim_create, "max_page_order UINT_MAX", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .max_page_order = 5, .pageblock_order = 6 };
	ROW_INT(hn_sim_create, "pageblock_order above max_page_order", -EINVAL,
		sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .max_nodes = -1 };
	ROW_INT(hn_sim_create, "max_nodes -1", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .max_nodes = HN_MAX_NUMNODES + 1 };
	ROW_INT(hn_sim_create, "max_nodes HN_MAX_NUMNODES + 1", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .max_nodes = 2 };
	ROW_INT(hn_sim_create, "node 2 with max_nodes 2", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .watermark_scale_factor = 3001 };
	ROW_INT(hn_sim_create, "watermark_scale_factor 3001", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .thp_enabled = HN_THP_NEVER + 1 };
	ROW_INT(hn_sim_create, "thp_enabled out of the enum", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .min_free_kbytes = UINT64_MAX };
	ROW_INT(hn_sim_create, "min_free_kbytes UINT64_MAX", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .struct_page_size = 4097 };
	ROW_INT(hn_sim_create, "struct_page_size 4097", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .flags = 1u << 31 };
	ROW_INT(hn_sim_create, "an unknown flag", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ 0 };
	cfg.faults[HN_FAULT_PAGE_ALLOC].probability = 101;
	ROW_INT(hn_sim_create, "fault probability 101", -EINVAL, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .kernel_image_size = UINT64_MAX };
	ROW_INT(hn_sim_create, "kernel image of UINT64_MAX bytes: early reservations do not fit",
		-ENOSPC, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .kernel_image_size = 512 * MiB };
	ROW_INT(hn_sim_create, "kernel image larger than any node", -ENOSPC,
		sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .fail_nth = 1 };
	ROW_INT(hn_sim_create, "the first host allocation fails", -ENOMEM, sim_create(fx->m, &cfg));
	cfg = (struct hn_sim_config){ .kernel_image_size = 4 * MiB };
	ROW_INT(hn_sim_create, "64 MiB just below UINT64_MAX: above the 52-bit physical address space",
		-EINVAL, sim_create(top, &cfg));

	ROW_INT(hn_sim_boot, "NULL instance", -EINVAL, hn_sim_boot(NULL));
	ROW_INT(hn_sim_boot, "already booted", -EBUSY, hn_sim_boot(fx->sim));
	ROW_VOID(hn_sim_destroy, "NULL", hn_sim_destroy(NULL));
	ROW_INT(hn_sim_check, "NULL instance", -EINVAL, hn_sim_check(NULL));
	ROW_INT(hn_sim_check, "not booted: memblock only", 0, hn_sim_check(fx->pre));

	ROW_NULL(hn_sim_memblock, "NULL instance", hn_sim_memblock(NULL));
	ROW_NULL(hn_sim_machine, "NULL instance", hn_sim_machine(NULL));
	ROW_BOOL(hn_sim_booted, "NULL instance", false, hn_sim_booted(NULL));
	ROW_BOOL(hn_sim_booted, "stopped before mm", false, hn_sim_booted(fx->pre));
	ROW_U64(hn_sim_now_ns, "NULL instance", 0, hn_sim_now_ns(NULL));
	ROW_INT(hn_sim_advance, "NULL instance", -EINVAL, hn_sim_advance(NULL, 1000));
	ROW_INT(hn_sim_advance, "not booted", -EAGAIN, hn_sim_advance(fx->pre, 1000));
	ROW_INT(hn_sim_advance, "one second", 0, hn_sim_advance(fx->sim, 1000000000));
	ROW_INT(hn_sim_advance, "zero", 0, hn_sim_advance(fx->sim, 0));
	ROW_U64(hn_sim_random, "NULL instance", 0, hn_sim_random(NULL));
	ROW_U64(hn_sim_page_shift, "NULL instance", 0, hn_sim_page_shift(NULL));
	ROW_U64(hn_sim_max_page_order, "NULL instance", 0, hn_sim_max_page_order(NULL));
	ROW_U64(hn_sim_pageblock_order, "NULL instance", 0, hn_sim_pageblock_order(NULL));
	ROW_INT(hn_sim_nr_node_ids, "NULL instance", 0, hn_sim_nr_node_ids(NULL));
	ROW_U64(hn_sim_nr_cpu_ids, "NULL instance", 0, hn_sim_nr_cpu_ids(NULL));
	ROW_INT(hn_sim_cpu_to_node, "NULL instance", -EINVAL, hn_sim_cpu_to_node(NULL, 0));
	ROW_INT(hn_sim_cpu_to_node, "a CPU id in a hole of the cpulists", -EINVAL,
		hn_sim_cpu_to_node(fx->sim, ABSENT_CPU));
	ROW_INT(hn_sim_cpu_to_node, "CPU nr_cpu_ids", -EINVAL,
		hn_sim_cpu_to_node(fx->sim, NR_CPUS));
	ROW_INT(hn_sim_cpu_to_node, "CPU UINT_MAX", -EINVAL, hn_sim_cpu_to_node(fx->sim, UINT_MAX));
	ROW_BOOL(hn_sim_node_state, "NULL instance", false,
		 hn_sim_node_state(NULL, 0, HN_N_ONLINE));
	ROW_BOOL(hn_sim_node_state, "not booted", false,
		 hn_sim_node_state(fx->pre, 0, HN_N_ONLINE));
	ROW_BOOL(hn_sim_node_state, "nid -1", false,
		 hn_sim_node_state(fx->sim, -1, HN_N_POSSIBLE));
	ROW_BOOL(hn_sim_node_state, "nid one past the last node", false,
		 hn_sim_node_state(fx->sim, NR_NODES, HN_N_POSSIBLE));
	ROW_BOOL(hn_sim_node_state, "nid HN_MAX_NUMNODES", false,
		 hn_sim_node_state(fx->sim, HN_MAX_NUMNODES, HN_N_POSSIBLE));
	ROW_BOOL(hn_sim_node_state, "state HN_NR_NODE_STATES", false,
		 hn_sim_node_state(fx->sim, 0, HN_NR_NODE_STATES));
	ROW_BOOL(hn_sim_node_state, "an offline node is not N_ONLINE", false,
		 hn_sim_node_state(fx->sim, OFFLINE_NID, HN_N_ONLINE));
	ROW_BOOL(hn_sim_node_state, "an offline node stays N_POSSIBLE", true,
		 hn_sim_node_state(fx->sim, OFFLINE_NID, HN_N_POSSIBLE));
	ROW_BOOL(hn_sim_node_state, "absent node 0 is not N_POSSIBLE", false,
		 hn_sim_node_state(fx->n1, 0, HN_N_POSSIBLE));

	ROW_INT(hn_sim_node_info, "NULL instance", -EINVAL, hn_sim_node_info(NULL, 0, &ni));
	ROW_INT(hn_sim_node_info, "NULL out", -EINVAL, hn_sim_node_info(fx->sim, 0, NULL));
	ROW_INT(hn_sim_node_info, "not booted", -EAGAIN, hn_sim_node_info(fx->pre, 0, &ni));
	ROW_INT(hn_sim_node_info, "nid -1", -ENODEV, hn_sim_node_info(fx->sim, -1, &ni));
	ROW_INT(hn_sim_node_info, "nid one past the last node", -ENODEV,
		hn_sim_node_info(fx->sim, NR_NODES, &ni));
	ROW_INT(hn_sim_node_info, "nid max_nodes", -ENODEV,
		hn_sim_node_info(fx->sim, MAX_NODES, &ni));
	ROW_INT(hn_sim_node_info, "nid HN_MAX_NUMNODES", -ENODEV,
		hn_sim_node_info(fx->sim, HN_MAX_NUMNODES, &ni));
	ROW_INT(hn_sim_node_info, "absent node 0", -ENODEV, hn_sim_node_info(fx->n1, 0, &ni));
	ROW_INT(hn_sim_node_info, "an offline node exists: its snapshot", 0,
		hn_sim_node_info(fx->sim, OFFLINE_NID, &ni));
	ROW_INT(hn_sim_zone_info, "NULL instance", -EINVAL,
		hn_sim_zone_info(NULL, 0, HN_ZONE_NORMAL, &zi));
	ROW_INT(hn_sim_zone_info, "NULL out", -EINVAL,
		hn_sim_zone_info(fx->sim, 0, HN_ZONE_NORMAL, NULL));
	ROW_INT(hn_sim_zone_info, "zone HN_MAX_NR_ZONES", -EINVAL,
		hn_sim_zone_info(fx->sim, 0, HN_MAX_NR_ZONES, &zi));
	ROW_INT(hn_sim_zone_info, "zone -1", -EINVAL,
		hn_sim_zone_info(fx->sim, 0, (enum hn_zone_type)-1, &zi));
	ROW_INT(hn_sim_zone_info, "not booted", -EAGAIN,
		hn_sim_zone_info(fx->pre, 0, HN_ZONE_NORMAL, &zi));
	ROW_INT(hn_sim_zone_info, "nid -1", -ENODEV,
		hn_sim_zone_info(fx->sim, -1, HN_ZONE_NORMAL, &zi));
	ROW_INT(hn_sim_zone_info, "nid max_nodes", -ENODEV,
		hn_sim_zone_info(fx->sim, MAX_NODES, HN_ZONE_NORMAL, &zi));
	ROW_INT(hn_sim_zone_info, "absent node 0", -ENODEV,
		hn_sim_zone_info(fx->n1, 0, HN_ZONE_NORMAL, &zi));
	ROW_INT(hn_sim_zone_info, "an offline node exists: its snapshot", 0,
		hn_sim_zone_info(fx->sim, OFFLINE_NID, HN_ZONE_DMA32, &zi));
	ROW_U64(hn_sim_min_free_kbytes, "NULL instance", 0, hn_sim_min_free_kbytes(NULL));
	ROW_U64(hn_sim_min_free_kbytes, "not booted", 0, hn_sim_min_free_kbytes(fx->pre));
	ROW_INT(hn_sim_set_thp_enabled, "NULL instance", -EINVAL,
		hn_sim_set_thp_enabled(NULL, HN_THP_NEVER));
	ROW_INT(hn_sim_set_thp_enabled, "HN_THP_DEFAULT is no mode", -EINVAL,
		hn_sim_set_thp_enabled(fx->sim, HN_THP_DEFAULT));
	ROW_INT(hn_sim_set_thp_enabled, "mode out of the enum", -EINVAL,
		hn_sim_set_thp_enabled(fx->sim, (enum hn_thp_enabled)(HN_THP_NEVER + 1)));
	ROW_INT(hn_sim_set_thp_enabled, "not booted", -EAGAIN,
		hn_sim_set_thp_enabled(fx->pre, HN_THP_NEVER));
	ROW_INT(hn_sim_set_thp_enabled, "writing the current mode recomputes", 0,
		hn_sim_set_thp_enabled(fx->sim, (enum hn_thp_enabled)hn_sim_thp_enabled(fx->sim)));
	ROW_INT(hn_sim_thp_enabled, "NULL instance", -EINVAL, hn_sim_thp_enabled(NULL));
	ROW_INT(hn_sim_thp_enabled, "not booted", -EAGAIN, hn_sim_thp_enabled(fx->pre));
	ROW_INT(hn_sim_thp_enabled, "booted under 512 MiB: hugepage_init() turned THP off",
		HN_THP_NEVER, hn_sim_thp_enabled(fx->sim));
	ROW_NULL(hn_zone_name, "zone HN_MAX_NR_ZONES", hn_zone_name(HN_MAX_NR_ZONES));
	ROW_NULL(hn_zone_name, "zone -1", hn_zone_name((enum hn_zone_type)-1));
	ROW_NULL(hn_migratetype_name, "HN_MIGRATE_TYPES", hn_migratetype_name(HN_MIGRATE_TYPES));
	ROW_NULL(hn_migratetype_name, "-1", hn_migratetype_name((enum hn_migratetype)-1));

	/* the views of sim.h: 0, -EINVAL (NULL), -EAGAIN before boot, -EIO */
	ROW_INT(hn_sim_dmesg, "NULL instance", -EINVAL, hn_sim_dmesg(NULL, ro(fx)));
	ROW_INT(hn_sim_dmesg, "NULL stream", -EINVAL, hn_sim_dmesg(fx->sim, NULL));
	ROW_INT(hn_sim_dmesg, "not booted: the memblock phase's log", 0, hn_sim_dmesg(fx->pre, fx->null));
	ROW_INT(hn_sim_dmesg, "an unwritable stream", -EIO, hn_sim_dmesg(fx->sim, ro(fx)));
	ROW_INT(hn_sim_show_zoneinfo, "NULL instance", -EINVAL, hn_sim_show_zoneinfo(NULL, ro(fx)));
	ROW_INT(hn_sim_show_zoneinfo, "NULL stream", -EINVAL, hn_sim_show_zoneinfo(fx->sim, NULL));
	ROW_INT(hn_sim_show_zoneinfo, "not booted", -EAGAIN, hn_sim_show_zoneinfo(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_zoneinfo, "an unwritable stream", -EIO,
		hn_sim_show_zoneinfo(fx->sim, ro(fx)));
	ROW_INT(hn_sim_show_hardware, "NULL instance", -EINVAL, hn_sim_show_hardware(NULL, ro(fx)));
	ROW_INT(hn_sim_show_hardware, "NULL stream", -EINVAL, hn_sim_show_hardware(fx->sim, NULL));
	ROW_INT(hn_sim_show_hardware, "not booted", -EAGAIN, hn_sim_show_hardware(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_hardware, "an unwritable stream", -EIO,
		hn_sim_show_hardware(fx->sim, ro(fx)));
	ROW_INT(hn_sim_show_summary, "NULL instance", -EINVAL, hn_sim_show_summary(NULL, ro(fx)));
	ROW_INT(hn_sim_show_summary, "NULL stream", -EINVAL, hn_sim_show_summary(fx->sim, NULL));
	ROW_INT(hn_sim_show_summary, "not booted", -EAGAIN, hn_sim_show_summary(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_summary, "an unwritable stream", -EIO,
		hn_sim_show_summary(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_memblock, "NULL instance", -EINVAL, hn_sim_show_memblock(NULL, ro(fx)));
	ROW_INT(hn_sim_show_memblock, "NULL stream", -EINVAL, hn_sim_show_memblock(fx->sim, NULL));
	ROW_INT(hn_sim_show_memblock, "not booted: memblock is all there is", 0,
		hn_sim_show_memblock(fx->pre, fx->null));
	ROW_INT(hn_sim_show_memblock, "an unwritable stream", -EIO,
		hn_sim_show_memblock(fx->sim, ro(fx)));
	ROW_INT(hn_sim_show_sysctl, "NULL instance", -EINVAL, hn_sim_show_sysctl(NULL, ro(fx)));
	ROW_INT(hn_sim_show_sysctl, "NULL stream", -EINVAL, hn_sim_show_sysctl(fx->sim, NULL));
	ROW_INT(hn_sim_show_sysctl, "not booted", -EAGAIN, hn_sim_show_sysctl(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_sysctl, "an unwritable stream", -EIO,
		hn_sim_show_sysctl(fx->sim, ro(fx)));
	ROW_INT(hn_sim_show_sysctl, "booted", 0, hn_sim_show_sysctl(fx->sim, fx->null));

	hn_machine_free(top);
	hn_machine_free(empty);
	table_done("sim.h");
}

/* ==== alloc.h ========================================================== */

/*
 * hn_alloc_pages_bulk() for @nr pages: its return value when negative,
 * else the number populated (which must then match the array).
 */
static int bulk(struct hn_sim *sim, hn_gfp_t gfp, int nid, const struct hn_nodemask *mask,
		unsigned int nr)
{
	uint64_t pfns[4] = { HN_PFN_NONE, HN_PFN_NONE, HN_PFN_NONE, HN_PFN_NONE };
	unsigned int np = 99, i;
	int ret = hn_alloc_pages_bulk(sim, gfp, nid, mask, nr, pfns, &np);

	if (ret)
		return ret;
	for (i = 0; i < nr && pfns[i] != HN_PFN_NONE; i++)
		hn_free_pages(sim, pfns[i], 0);
	return i == np ? (int)np : 1000 + (int)np;
}

/* hn_alloc_pages(): its return value, or 1 if an error left *pfn set. */
static int alloc(struct hn_sim *sim, hn_gfp_t gfp, unsigned int order, int nid,
		 const struct hn_nodemask *mask)
{
	uint64_t pfn = 0;
	int ret = hn_alloc_pages(sim, gfp, order, nid, mask, &pfn);

	if (!ret)
		hn_free_pages(sim, pfn, order);
	return ret && pfn != HN_PFN_NONE ? 1 : ret;
}

/* Allocate an order-0 page and free it, so that the next free is a double free. */
static uint64_t freed_page(struct hn_sim *sim)
{
	uint64_t pfn = HN_PFN_NONE;

	if (hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn) || hn_free_pages(sim, pfn, 0))
		return HN_PFN_NONE;
	return pfn;
}

static void test_alloc_h(void **state)
{
	struct fx *fx = *state;
	struct hn_sim *sim = fx->sim;
	uint64_t pfns[2] = { HN_PFN_NONE, HN_PFN_NONE }, v;
	struct hn_zone_info dma, dma32;
	unsigned int np;
	uint64_t before, pb, freed, free_pfn, iso, blk;
	hn_mattr_t mattr, word;
	struct hn_attr_node_info ai;

	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA, &dma), 0);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA32, &dma32), 0);
	pb = 1ULL << hn_sim_pageblock_order(sim);
	/* a page nobody allocated: the middle of node 0 (the boot reservations are at its ends) */
	free_pfn = (64 * MiB) >> 12;
	/* a free pageblock to isolate: there, or the next one if fx->pfn is in it */
	iso = free_pfn & ~(pb - 1);
	if ((fx->pfn & ~(pb - 1)) == iso)
		iso += pb;

	ROW_INT(hn_alloc_pages, "NULL instance", -EINVAL,
		hn_alloc_pages(NULL, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &v));
	ROW_INT(hn_alloc_pages, "NULL pfn", -EINVAL,
		hn_alloc_pages(sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, NULL));
	ROW_INT(hn_alloc_pages, "order MAX_PAGE_ORDER + 1", -EINVAL,
		alloc(sim, GFP_KERNEL, hn_sim_max_page_order(sim) + 1, HN_NUMA_NO_NODE, NULL));
	ROW_INT(hn_alloc_pages, "order UINT_MAX", -EINVAL,
		alloc(sim, GFP_KERNEL, UINT_MAX, 0, NULL));
	ROW_INT(hn_alloc_pages, "__GFP_DMA | __GFP_DMA32", -EINVAL,
		alloc(sim, __GFP_DMA | __GFP_DMA32, 0, 0, NULL));
	ROW_INT(hn_alloc_pages, "__GFP_MOVABLE | __GFP_RECLAIMABLE", -EINVAL,
		alloc(sim, GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE, 0, 0, NULL));
	ROW_INT(hn_alloc_pages, "an unknown GFP bit (bit 23)", -EINVAL,
		alloc(sim, GFP_KERNEL | ((hn_gfp_t)1 << 23), 0, 0, NULL));
	ROW_INT(hn_alloc_pages, "nid -2", -EINVAL, alloc(sim, GFP_KERNEL, 0, -2, NULL));
	ROW_INT(hn_alloc_pages, "nid one past the last node", -EINVAL,
		alloc(sim, GFP_KERNEL, 0, NR_NODES, NULL));
	ROW_INT(hn_alloc_pages, "nid max_nodes", -EINVAL,
		alloc(sim, GFP_KERNEL, 0, MAX_NODES, NULL));
	ROW_INT(hn_alloc_pages, "nid HN_MAX_NUMNODES", -EINVAL,
		alloc(sim, GFP_KERNEL, 0, HN_MAX_NUMNODES, NULL));
	ROW_INT(hn_alloc_pages, "preferred node offline", -ENODEV,
		alloc(sim, GFP_KERNEL, 0, OFFLINE_NID, NULL));
	ROW_INT(hn_alloc_pages, "preferred node 0 absent", -ENODEV,
		alloc(fx->n1, GFP_KERNEL, 0, 0, NULL));
	ROW_INT(hn_alloc_pages, "an empty nodemask", -ENOSPC,
		alloc(sim, GFP_KERNEL, 0, 0, mask_of(-1)));
	ROW_INT(hn_alloc_pages, "a nodemask of only the offline node", -ENOSPC,
		alloc(sim, GFP_KERNEL, 0, 0, mask_of(OFFLINE_NID)));
	ROW_INT(hn_alloc_pages, "a nodemask of only node 1000 (no such node)", -ENOSPC,
		alloc(sim, GFP_KERNEL, 0, 0, mask_of(1000)));
	ROW_INT(hn_alloc_pages, "a nodemask of only absent node 0", -ENOSPC,
		alloc(fx->n1, GFP_KERNEL, 0, HN_NUMA_NO_NODE, mask_of(0)));
	ROW_INT(hn_alloc_pages, "__GFP_THISNODE, preferred node offline", -ENODEV,
		alloc(sim, GFP_KERNEL | __GFP_THISNODE, 0, OFFLINE_NID, NULL));
	ROW_INT(hn_alloc_pages, "not booted", -EAGAIN, alloc(fx->pre, GFP_KERNEL, 0, 0, NULL));

	ROW_INT(hn_alloc_pages_bulk, "NULL instance", -EINVAL,
		hn_alloc_pages_bulk(NULL, GFP_KERNEL, 0, NULL, 2, pfns, &np));
	ROW_INT(hn_alloc_pages_bulk, "NULL nr_populated", -EINVAL,
		hn_alloc_pages_bulk(sim, GFP_KERNEL, 0, NULL, 2, pfns, NULL));
	ROW_INT(hn_alloc_pages_bulk, "NULL array for 2 pages", -EINVAL,
		hn_alloc_pages_bulk(sim, GFP_KERNEL, 0, NULL, 2, NULL, &np));
	ROW_INT(hn_alloc_pages_bulk, "__GFP_DMA | __GFP_DMA32", -EINVAL,
		bulk(sim, __GFP_DMA | __GFP_DMA32, 0, NULL, 2));
	ROW_INT(hn_alloc_pages_bulk, "nid -2", -EINVAL, bulk(sim, GFP_KERNEL, -2, NULL, 2));
	ROW_INT(hn_alloc_pages_bulk, "nid max_nodes", -EINVAL,
		bulk(sim, GFP_KERNEL, MAX_NODES, NULL, 2));
	ROW_INT(hn_alloc_pages_bulk, "preferred node offline", -ENODEV,
		bulk(sim, GFP_KERNEL, OFFLINE_NID, NULL, 2));
	ROW_INT(hn_alloc_pages_bulk, "preferred node 0 absent", -ENODEV,
		bulk(fx->n1, GFP_KERNEL, 0, NULL, 2));
	ROW_INT(hn_alloc_pages_bulk, "an empty nodemask: 0, nothing populated", 0,
		bulk(sim, GFP_KERNEL, 0, mask_of(-1), 4));
	ROW_INT(hn_alloc_pages_bulk, "a nodemask of only the offline node: 0, nothing populated", 0,
		bulk(sim, GFP_KERNEL, 0, mask_of(OFFLINE_NID), 4));
	ROW_INT(hn_alloc_pages_bulk, "nr 0 with a NULL array: nothing to do", 0,
		hn_alloc_pages_bulk(sim, GFP_KERNEL, 0, NULL, 0, NULL, &np));
	ROW_INT(hn_alloc_pages_bulk, "not booted", -EAGAIN, bulk(fx->pre, GFP_KERNEL, 0, NULL, 2));

	/* bad frees: refused, reported by name, nothing changes */
	freed = freed_page(sim);
	assert_int_not_equal(freed, HN_PFN_NONE);
	before = free_pages(fx);
	ROW_INT(hn_free_pages, "NULL instance", -EINVAL, hn_free_pages(NULL, fx->pfn, 2));
	ROW_INT(hn_free_pages, "order MAX_PAGE_ORDER + 1", -EINVAL,
		hn_free_pages(sim, fx->pfn, hn_sim_max_page_order(sim) + 1));
	ROW_INT(hn_free_pages, "order UINT_MAX", -EINVAL, hn_free_pages(sim, fx->pfn, UINT_MAX));
	ROW_INT_REPORT(hn_free_pages, "double free (the page is on a per-CPU list)", -EINVAL,
		       "double free", hn_free_pages(sim, freed, 0));
	ROW_INT_REPORT(hn_free_pages, "never allocated: inside a free buddy block", -EINVAL,
		       "double free", hn_free_pages(sim, free_pfn, 0));
	ROW_INT_REPORT(hn_free_pages, "never allocated: a reserved page (the kernel image)", -EINVAL,
		       "page not allocated", hn_free_pages(sim, (16 * MiB) >> 12, 0));
	ROW_INT_REPORT(hn_free_pages, "a tail page of an allocation", -EINVAL, "page not allocated",
		       hn_free_pages(sim, fx->pfn + 1, 0));
	ROW_INT_REPORT(hn_free_pages, "wrong order (allocated at 2, freed at 1)", -EINVAL,
		       "wrong order", hn_free_pages(sim, fx->pfn, 1));
	ROW_INT_REPORT(hn_free_pages, "wrong order (allocated at 2, freed at 0)", -EINVAL,
		       "wrong order", hn_free_pages(sim, fx->pfn, 0));
	ROW_INT_REPORT(hn_free_pages, "pfn not aligned to the order", -EINVAL,
		       "pfn not aligned to order", hn_free_pages(sim, fx->pfn + 2, 2));
	ROW_INT_REPORT(hn_free_pages, "pfn 0 (a hole below the DMA zone)", -EINVAL,
		       "page outside any zone", hn_free_pages(sim, 0, 0));
	ROW_INT_REPORT(hn_free_pages, "a pfn between nodes (no memory there)", -EINVAL,
		       "page outside any zone", hn_free_pages(sim, (512 * MiB) >> 12, 0));
	ROW_INT_REPORT(hn_free_pages, "a block running past the end of its zone", -EINVAL,
		       "page outside any zone",
		       hn_free_pages(sim, dma.zone_start_pfn + dma.spanned_pages - 1, 1));
	ROW_INT_REPORT(hn_free_pages, "pfn UINT64_MAX", -EINVAL, "page outside any zone",
		       hn_free_pages(sim, UINT64_MAX, 0));
	ROW_INT_REPORT(hn_free_pages, "pfn UINT64_MAX - 1023, order 10", -EINVAL, "page outside any zone",
		       hn_free_pages(sim, UINT64_MAX - 1023, 10));
	ROW_INT_REPORT(hn_free_pages, "a page of the offline node", -EINVAL, "double free",
		       hn_free_pages(sim, (2 * GiB + 32 * MiB) >> 12, 0));
	ROW_INT_REPORT(hn_free_pages, "pfn 0 of a machine without node 0's memory", -EINVAL,
		       "page outside any zone", hn_free_pages(fx->n1, 0, 0));
	ROW_INT(hn_free_pages, "not booted", -EAGAIN, hn_free_pages(fx->pre, 0x1000, 0));
	ROW_U64(hn_sim_vmstat, "(the bad frees changed no free counter)", before, free_pages(fx));

	ROW_INT(hn_sim_set_cpu, "NULL instance", -EINVAL, hn_sim_set_cpu(NULL, 0));
	ROW_INT(hn_sim_set_cpu, "a CPU id in a hole of the cpulists", -EINVAL,
		hn_sim_set_cpu(sim, ABSENT_CPU));
	ROW_INT(hn_sim_set_cpu, "CPU nr_cpu_ids", -EINVAL, hn_sim_set_cpu(sim, NR_CPUS));
	ROW_INT(hn_sim_set_cpu, "CPU HN_MAX_CPUS", -EINVAL, hn_sim_set_cpu(sim, HN_MAX_CPUS));
	ROW_INT(hn_sim_set_cpu, "CPU UINT_MAX", -EINVAL, hn_sim_set_cpu(sim, UINT_MAX));
	ROW_INT(hn_sim_set_cpu, "not booted (the CPU exists in the machine)", -EAGAIN,
		hn_sim_set_cpu(fx->pre, 0));
	ROW_U64(hn_sim_current_cpu, "NULL instance", 0, hn_sim_current_cpu(NULL));
	ROW_U64(hn_sim_current_cpu, "not booted", 0, hn_sim_current_cpu(fx->pre));

	ROW_INT(hn_drain_local_pages, "NULL instance", -EINVAL, hn_drain_local_pages(NULL));
	ROW_INT(hn_drain_local_pages, "not booted", -EAGAIN, hn_drain_local_pages(fx->pre));
	ROW_INT(hn_drain_all_pages, "NULL instance", -EINVAL, hn_drain_all_pages(NULL));
	ROW_INT(hn_drain_all_pages, "not booted", -EAGAIN, hn_drain_all_pages(fx->pre));

	/* isolation: pageblock-aligned ranges inside one zone */
	ROW_INT(hn_isolate_range, "NULL instance", -EINVAL, hn_isolate_range(NULL, 0, pb));
	ROW_INT(hn_isolate_range, "empty range", -EINVAL, hn_isolate_range(sim, 8 * pb, 8 * pb));
	ROW_INT(hn_isolate_range, "start above end", -EINVAL,
		hn_isolate_range(sim, 9 * pb, 8 * pb));
	ROW_INT(hn_isolate_range, "start not pageblock aligned", -EINVAL,
		hn_isolate_range(sim, 8 * pb + 1, 9 * pb));
	ROW_INT(hn_isolate_range, "end not pageblock aligned", -EINVAL,
		hn_isolate_range(sim, 8 * pb, 9 * pb - 1));
	ROW_INT(hn_isolate_range, "across the DMA/DMA32 boundary", -EINVAL,
		hn_isolate_range(sim, dma32.zone_start_pfn - pb, dma32.zone_start_pfn + pb));
	ROW_INT(hn_isolate_range, "starting below the first zone (pfn 0)", -EINVAL,
		hn_isolate_range(sim, 0, pb));
	ROW_INT(hn_isolate_range, "beyond the last pfn", -EINVAL,
		hn_isolate_range(sim, 1ULL << 40, (1ULL << 40) + pb));
	ROW_INT(hn_isolate_range, "ending at UINT64_MAX (not aligned)", -EINVAL,
		hn_isolate_range(sim, 8 * pb, UINT64_MAX));
	ROW_INT(hn_isolate_range, "the last pageblock of the pfn space", -EINVAL,
		hn_isolate_range(sim, UINT64_MAX - pb + 1 - (pb - 1), UINT64_MAX - (pb - 1)));
	ROW_INT(hn_isolate_range, "a pageblock holding an unmovable allocation", -EBUSY,
		hn_isolate_range(sim, fx->pfn & ~(pb - 1), (fx->pfn & ~(pb - 1)) + pb));
	ROW_INT(hn_isolate_range, "not booted", -EAGAIN, hn_isolate_range(fx->pre, 8 * pb, 9 * pb));
	assert_int_equal(hn_isolate_range(sim, iso, iso + pb), 0);
	ROW_INT(hn_isolate_range, "already isolated", -EBUSY, hn_isolate_range(sim, iso, iso + pb));
	ROW_INT(hn_undo_isolate_range, "NULL instance", -EINVAL,
		hn_undo_isolate_range(NULL, iso, iso + pb, HN_MIGRATE_MOVABLE));
	ROW_INT(hn_undo_isolate_range, "migratetype -1", -EINVAL,
		hn_undo_isolate_range(sim, iso, iso + pb, -1));
	ROW_INT(hn_undo_isolate_range, "migratetype HighAtomic", -EINVAL,
		hn_undo_isolate_range(sim, iso, iso + pb, HN_MIGRATE_HIGHATOMIC));
	ROW_INT(hn_undo_isolate_range, "migratetype Isolate", -EINVAL,
		hn_undo_isolate_range(sim, iso, iso + pb, HN_MIGRATE_ISOLATE));
	ROW_INT(hn_undo_isolate_range, "end not pageblock aligned", -EINVAL,
		hn_undo_isolate_range(sim, iso, iso + pb - 1, HN_MIGRATE_MOVABLE));
	ROW_INT(hn_undo_isolate_range, "beyond the last pfn", -EINVAL,
		hn_undo_isolate_range(sim, 1ULL << 40, (1ULL << 40) + pb, HN_MIGRATE_MOVABLE));
	ROW_INT(hn_undo_isolate_range, "not booted", -EAGAIN, hn_undo_isolate_range(fx->pre, 8 * pb, 9 * pb, HN_MIGRATE_MOVABLE));
	ROW_INT(hn_test_pages_isolated, "NULL instance", -EINVAL,
		hn_test_pages_isolated(NULL, 0, pb));
	ROW_INT(hn_test_pages_isolated, "start not pageblock aligned", -EINVAL,
		hn_test_pages_isolated(sim, 1, pb));
	ROW_INT(hn_test_pages_isolated, "a range that is not isolated", -EBUSY,
		hn_test_pages_isolated(sim, 8 * pb, 9 * pb));
	ROW_INT(hn_test_pages_isolated, "not booted", -EAGAIN, hn_test_pages_isolated(fx->pre, 8 * pb, 9 * pb));
	assert_int_equal(hn_undo_isolate_range(sim, iso, iso + pb, HN_MIGRATE_MOVABLE), 0);

	ROW_INT(hn_sim_set_node_online, "NULL instance", -EINVAL,
		hn_sim_set_node_online(NULL, OFFLINE_NID, true));
	ROW_INT(hn_sim_set_node_online, "nid -1", -ENODEV, hn_sim_set_node_online(sim, -1, false));
	ROW_INT(hn_sim_set_node_online, "nid one past the last node", -ENODEV,
		hn_sim_set_node_online(sim, NR_NODES, true));
	ROW_INT(hn_sim_set_node_online, "nid max_nodes", -ENODEV,
		hn_sim_set_node_online(sim, MAX_NODES, true));
	ROW_INT(hn_sim_set_node_online, "nid HN_MAX_NUMNODES", -ENODEV,
		hn_sim_set_node_online(sim, HN_MAX_NUMNODES, true));
	ROW_INT(hn_sim_set_node_online, "absent node 0", -ENODEV,
		hn_sim_set_node_online(fx->n1, 0, true));
	ROW_INT(hn_sim_set_node_online, "offline a node with an allocated page", -EBUSY,
		hn_sim_set_node_online(sim, 0, false));
	ROW_INT(hn_sim_set_node_online, "offline an offline node again", 0,
		hn_sim_set_node_online(sim, OFFLINE_NID, false));
	ROW_INT(hn_sim_set_node_online, "not booted", -EAGAIN, hn_sim_set_node_online(fx->pre, OFFLINE_NID, false));

	/* the views of alloc.h: 0, -EINVAL, -EAGAIN before boot, -EIO */
	ROW_INT(hn_sim_show_buddyinfo, "NULL instance", -EINVAL,
		hn_sim_show_buddyinfo(NULL, ro(fx)));
	ROW_INT(hn_sim_show_buddyinfo, "NULL stream", -EINVAL, hn_sim_show_buddyinfo(sim, NULL));
	ROW_INT(hn_sim_show_buddyinfo, "not booted", -EAGAIN,
		hn_sim_show_buddyinfo(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_buddyinfo, "an unwritable stream", -EIO,
		hn_sim_show_buddyinfo(sim, ro(fx)));
	ROW_INT(hn_sim_show_buddyinfo, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_buddyinfo(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_pagetypeinfo, "NULL instance", -EINVAL,
		hn_sim_show_pagetypeinfo(NULL, ro(fx)));
	ROW_INT(hn_sim_show_pagetypeinfo, "NULL stream", -EINVAL,
		hn_sim_show_pagetypeinfo(sim, NULL));
	ROW_INT(hn_sim_show_pagetypeinfo, "not booted", -EAGAIN,
		hn_sim_show_pagetypeinfo(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_pagetypeinfo, "an unwritable stream", -EIO,
		hn_sim_show_pagetypeinfo(sim, ro(fx)));
	ROW_INT(hn_sim_show_pagetypeinfo, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_pagetypeinfo(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_vmstat, "NULL instance", -EINVAL, hn_sim_show_vmstat(NULL, ro(fx)));
	ROW_INT(hn_sim_show_vmstat, "NULL stream", -EINVAL, hn_sim_show_vmstat(sim, NULL));
	ROW_INT(hn_sim_show_vmstat, "not booted", -EAGAIN, hn_sim_show_vmstat(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_vmstat, "an unwritable stream", -EIO, hn_sim_show_vmstat(sim, ro(fx)));
	ROW_INT(hn_sim_show_vmstat, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_vmstat(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_extfrag_index, "NULL instance", -EINVAL,
		hn_sim_show_extfrag_index(NULL, ro(fx)));
	ROW_INT(hn_sim_show_extfrag_index, "NULL stream", -EINVAL,
		hn_sim_show_extfrag_index(sim, NULL));
	ROW_INT(hn_sim_show_extfrag_index, "not booted", -EAGAIN,
		hn_sim_show_extfrag_index(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_extfrag_index, "an unwritable stream", -EIO,
		hn_sim_show_extfrag_index(sim, ro(fx)));
	ROW_INT(hn_sim_show_extfrag_index, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_extfrag_index(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_unusable_index, "NULL instance", -EINVAL,
		hn_sim_show_unusable_index(NULL, ro(fx)));
	ROW_INT(hn_sim_show_unusable_index, "NULL stream", -EINVAL,
		hn_sim_show_unusable_index(sim, NULL));
	ROW_INT(hn_sim_show_unusable_index, "not booted", -EAGAIN,
		hn_sim_show_unusable_index(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_unusable_index, "an unwritable stream", -EIO,
		hn_sim_show_unusable_index(sim, ro(fx)));
	ROW_INT(hn_sim_show_unusable_index, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_unusable_index(fx->n1, ro(fx)));
	ROW_INT(hn_sim_show_zonelists, "NULL instance", -EINVAL,
		hn_sim_show_zonelists(NULL, ro(fx)));
	ROW_INT(hn_sim_show_zonelists, "NULL stream", -EINVAL, hn_sim_show_zonelists(sim, NULL));
	ROW_INT(hn_sim_show_zonelists, "not booted", -EAGAIN,
		hn_sim_show_zonelists(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_zonelists, "an unwritable stream", -EIO,
		hn_sim_show_zonelists(sim, ro(fx)));
	ROW_INT(hn_sim_show_zonelists, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_show_zonelists(fx->n1, ro(fx)));
	ROW_INT(hn_sim_dot_zonelists, "NULL instance", -EINVAL, hn_sim_dot_zonelists(NULL, ro(fx)));
	ROW_INT(hn_sim_dot_zonelists, "NULL stream", -EINVAL, hn_sim_dot_zonelists(sim, NULL));
	ROW_INT(hn_sim_dot_zonelists, "not booted", -EAGAIN, hn_sim_dot_zonelists(fx->pre, ro(fx)));
	ROW_INT(hn_sim_dot_zonelists, "an unwritable stream", -EIO,
		hn_sim_dot_zonelists(sim, ro(fx)));
	ROW_INT(hn_sim_dot_zonelists, "an unwritable stream, node 0 absent", -EIO,
		hn_sim_dot_zonelists(fx->n1, ro(fx)));

	/* hierarchical NUMA: fx->hn is an HN_SIM_HNUMA machine, fx->sim a mainline one */
	ROW_INT(hn_sim_show_numastat, "NULL instance", -EINVAL, hn_sim_show_numastat(NULL, ro(fx), false));
	ROW_INT(hn_sim_show_numastat, "NULL stream", -EINVAL, hn_sim_show_numastat(fx->sim, NULL, true));
	ROW_INT(hn_sim_show_numastat, "not booted", -EAGAIN, hn_sim_show_numastat(fx->pre, ro(fx), false));
	ROW_INT(hn_sim_show_numastat, "an unwritable stream", -EIO,
		hn_sim_show_numastat(fx->sim, ro(fx), true));
	ROW_INT(hn_sim_show_attrs, "NULL instance", -EINVAL, hn_sim_show_attrs(NULL, ro(fx)));
	ROW_INT(hn_sim_show_attrs, "NULL stream", -EINVAL, hn_sim_show_attrs(fx->hn, NULL));
	ROW_INT(hn_sim_show_attrs, "not booted", -EAGAIN, hn_sim_show_attrs(fx->pre, ro(fx)));
	ROW_INT(hn_sim_show_attrs, "an unwritable stream", -EIO, hn_sim_show_attrs(fx->hn, ro(fx)));
	ROW_INT(hn_sim_show_attrs, "an unwritable stream, mainline machine", -EIO,
		hn_sim_show_attrs(sim, ro(fx)));
	ROW_INT(hn_sim_dot_attrs, "NULL instance", -EINVAL, hn_sim_dot_attrs(NULL, ro(fx)));
	ROW_INT(hn_sim_dot_attrs, "NULL stream", -EINVAL, hn_sim_dot_attrs(fx->hn, NULL));
	ROW_INT(hn_sim_dot_attrs, "not booted", -EAGAIN, hn_sim_dot_attrs(fx->pre, ro(fx)));
	ROW_INT(hn_sim_dot_attrs, "an unwritable stream", -EIO, hn_sim_dot_attrs(fx->hn, ro(fx)));
	ROW_INT(hn_sim_dot_attrs, "mainline machine: nothing to write, so no -EIO", 0,
		hn_sim_dot_attrs(sim, ro(fx)));
	ROW_INT(hn_sim_pfn_mattr, "NULL instance", -EINVAL,
		hn_sim_pfn_mattr(NULL, fx->pfn, &mattr));
	ROW_INT(hn_sim_pfn_mattr, "NULL out", -EINVAL, hn_sim_pfn_mattr(fx->hn, fx->pfn, NULL));
	ROW_INT(hn_sim_pfn_mattr, "not booted", -EAGAIN, hn_sim_pfn_mattr(fx->pre, 0x1000, &mattr));
	ROW_INT(hn_sim_pfn_mattr, "pfn 0 (a hole)", -ENOENT, hn_sim_pfn_mattr(fx->hn, 0, &mattr));
	ROW_INT(hn_sim_pfn_mattr, "a pfn between nodes", -ENOENT,
		hn_sim_pfn_mattr(fx->hn, (512 * MiB) >> 12, &mattr));
	ROW_INT(hn_sim_pfn_mattr, "pfn UINT64_MAX", -ENOENT,
		hn_sim_pfn_mattr(fx->hn, UINT64_MAX, &mattr));
	ROW_INT(hn_sim_pfn_mattr, "pfn 0 of a machine without node 0", -ENOENT,
		hn_sim_pfn_mattr(fx->n1, 0, &mattr));
	ROW_INT(hn_sim_attr_node_info, "NULL instance", -EINVAL,
		hn_sim_attr_node_info(NULL, 0, HN_ZONE_NORMAL, 0, &ai));
	ROW_INT(hn_sim_attr_node_info, "NULL out", -EINVAL,
		hn_sim_attr_node_info(fx->hn, 0, HN_ZONE_NORMAL, 0, NULL));
	ROW_INT(hn_sim_attr_node_info, "zone type HN_MAX_NR_ZONES", -EINVAL,
		hn_sim_attr_node_info(fx->hn, 0, HN_MAX_NR_ZONES, 0, &ai));
	ROW_INT(hn_sim_attr_node_info, "not booted", -EAGAIN,
		hn_sim_attr_node_info(fx->pre, 0, HN_ZONE_NORMAL, 0, &ai));
	ROW_INT(hn_sim_attr_node_info, "nid -1", -ENODEV,
		hn_sim_attr_node_info(fx->hn, -1, HN_ZONE_NORMAL, 0, &ai));
	ROW_INT(hn_sim_attr_node_info, "nid max_nodes", -ENODEV,
		hn_sim_attr_node_info(fx->hn, MAX_NODES, HN_ZONE_NORMAL, 0, &ai));
	ROW_INT(hn_sim_attr_node_info, "index past the zone's nodes", -ENOENT,
		hn_sim_attr_node_info(fx->hn, 0, HN_ZONE_NORMAL, 1000, &ai));
	ROW_INT(hn_sim_attr_node_info, "mainline machine: no attribute nodes", -ENOENT,
		hn_sim_attr_node_info(sim, 0, HN_ZONE_NORMAL, 0, &ai));
	ROW_INT(hn_sim_explain_attr, "NULL instance", -EINVAL,
		hn_sim_explain_attr(NULL, GFP_KERNEL | GFP_LATENCY(8), 0, 0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "NULL stream", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, 0, NULL));
	ROW_INT(hn_sim_explain_attr, "no attributes in gfp", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL, 0, 0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "order MAX_PAGE_ORDER + 1", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), hn_sim_max_page_order(fx->hn) + 1,
				    0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "__GFP_DMA | __GFP_DMA32", -EINVAL,
		hn_sim_explain_attr(fx->hn, __GFP_DMA | __GFP_DMA32 | GFP_LATENCY(8), 0, 0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "nid -2", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, -2, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "nid max_nodes", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, MAX_NODES, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "nid HN_MAX_NUMNODES", -EINVAL,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, HN_MAX_NUMNODES, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "node offline", -ENODEV,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, OFFLINE_NID, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "not booted", -EAGAIN,
		hn_sim_explain_attr(fx->pre, GFP_KERNEL | GFP_LATENCY(8), 0, 0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "a mainline machine", -EOPNOTSUPP,
		hn_sim_explain_attr(sim, GFP_KERNEL | GFP_LATENCY(8), 0, 0, ro(fx)));
	ROW_INT(hn_sim_explain_attr, "an unwritable stream", -EIO,
		hn_sim_explain_attr(fx->hn, GFP_KERNEL | GFP_LATENCY(8), 0, 0, ro(fx)));

	/* attribute ranges come and go in whole MAX_PAGE_ORDER blocks */
	blk = 1ULL << hn_sim_max_page_order(fx->hn);
	word = hn_mattr_prop(HN_MATTR_LATENCY, 8) | hn_mattr_prop(HN_MATTR_BANDWIDTH, 8) |
	       hn_mattr_prop(HN_MATTR_RELIABILITY, 8) | hn_mattr_prop(HN_MATTR_POWER, 8) |
	       hn_mattr_prop(HN_MATTR_COMPUTE, 8) | hn_mattr_prop(HN_MATTR_DENSITY, 8);
	ROW_INT(hn_sim_attr_range_add, "NULL instance", -EINVAL,
		hn_sim_attr_range_add(NULL, 16 * blk, 17 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "not booted", -EAGAIN,
		hn_sim_attr_range_add(fx->pre, 16 * blk, 17 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "a mainline machine", -EOPNOTSUPP,
		hn_sim_attr_range_add(sim, 16 * blk, 17 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "empty range", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 16 * blk, 16 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "start above end", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 17 * blk, 16 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "not aligned to MAX_PAGE_ORDER blocks", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 16 * blk + 1, 17 * blk, word));
	ROW_INT(hn_sim_attr_range_add, "across the DMA/DMA32 boundary", -EINVAL,
		hn_sim_attr_range_add(fx->hn, dma32.zone_start_pfn - blk, dma32.zone_start_pfn + blk,
				      word));
	ROW_INT(hn_sim_attr_range_add, "beyond the machine", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 1ULL << 40, (1ULL << 40) + blk, word));
	ROW_INT(hn_sim_attr_range_add, "the last whole block below pfn UINT64_MAX", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 0 - 2 * blk, 0 - blk, word));
	ROW_INT(hn_sim_attr_range_add, "word 0", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 16 * blk, 17 * blk, 0));
	ROW_INT(hn_sim_attr_range_add, "a malformed word (a level without its presence bit)", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 16 * blk, 17 * blk, 0x5));
	ROW_INT(hn_sim_attr_range_add, "word UINT32_MAX (bits above the presence bits)", -EINVAL,
		hn_sim_attr_range_add(fx->hn, 16 * blk, 17 * blk, UINT32_MAX));
	ROW_INT(hn_sim_attr_range_add, "overlapping node 1's attribute memory", -EEXIST,
		hn_sim_attr_range_add(fx->hn, (1 * GiB) >> 12, ((1 * GiB) >> 12) + blk, word));
	ROW_INT(hn_sim_attr_range_add, "a block with an allocated page", -EBUSY,
		hn_sim_attr_range_add(fx->hn, fx->hn_pfn & ~(blk - 1), (fx->hn_pfn & ~(blk - 1)) + blk,
				      word));
	ROW_INT(hn_sim_attr_range_remove, "NULL instance", -EINVAL, hn_sim_attr_range_remove(NULL, 0));
	ROW_INT(hn_sim_attr_range_remove, "not booted", -EAGAIN, hn_sim_attr_range_remove(fx->pre, 0));
	ROW_INT(hn_sim_attr_range_remove, "a mainline machine", -EOPNOTSUPP,
		hn_sim_attr_range_remove(sim, 16 * blk));
	ROW_INT(hn_sim_attr_range_remove, "no attribute node starts at pfn 0", -ENOENT,
		hn_sim_attr_range_remove(fx->hn, 0));
	ROW_INT(hn_sim_attr_range_remove, "no attribute node starts in ordinary memory", -ENOENT,
		hn_sim_attr_range_remove(fx->hn, 16 * blk));
	ROW_INT(hn_sim_attr_range_remove, "pfn UINT64_MAX", -ENOENT,
		hn_sim_attr_range_remove(fx->hn, UINT64_MAX));

	ROW_INT(hn_sim_vmstat, "NULL instance", -EINVAL, hn_sim_vmstat(NULL, "numa_hit", &v));
	ROW_INT(hn_sim_vmstat, "NULL name", -EINVAL, hn_sim_vmstat(sim, NULL, &v));
	ROW_INT(hn_sim_vmstat, "NULL value", -EINVAL, hn_sim_vmstat(sim, "numa_hit", NULL));
	ROW_INT(hn_sim_vmstat, "a counter the simulation does not keep", -ENOENT,
		hn_sim_vmstat(sim, "no_such_counter", &v));
	ROW_INT(hn_sim_vmstat, "the empty name", -ENOENT, hn_sim_vmstat(sim, "", &v));
	ROW_INT(hn_sim_vmstat, "not booted", -EAGAIN, hn_sim_vmstat(fx->pre, "numa_hit", &v));

	table_done("alloc.h");
}

/* ==== fault.h ========================================================== */

static void test_fault_h(void **state)
{
	struct fx *fx = *state;
	struct hn_fault_attr attr = { .probability = 50 };
	struct hn_fault_stats st;

	ROW_INT(hn_fault_set, "NULL instance", -EINVAL,
		hn_fault_set(NULL, HN_FAULT_PAGE_ALLOC, &attr));
	ROW_INT(hn_fault_set, "NULL attributes", -EINVAL,
		hn_fault_set(fx->sim, HN_FAULT_PAGE_ALLOC, NULL));
	ROW_INT(hn_fault_set, "site -1", -EINVAL,
		hn_fault_set(fx->sim, (enum hn_fault_site)-1, &attr));
	ROW_INT(hn_fault_set, "site HN_FAULT_NR_SITES", -EINVAL,
		hn_fault_set(fx->sim, HN_FAULT_NR_SITES, &attr));
	attr.probability = 101;
	ROW_INT(hn_fault_set, "probability 101", -EINVAL,
		hn_fault_set(fx->sim, HN_FAULT_PAGE_ALLOC, &attr));
	attr.probability = UINT_MAX;
	ROW_INT(hn_fault_set, "probability UINT_MAX", -EINVAL,
		hn_fault_set(fx->sim, HN_FAULT_PAGE_ALLOC, &attr));
	ROW_INT(hn_fault_set_fail_nth, "NULL instance", -EINVAL, hn_fault_set_fail_nth(NULL, 1));
	ROW_INT(hn_fault_set_fail_nth, "UINT64_MAX (never reached)", 0,
		hn_fault_set_fail_nth(fx->sim, UINT64_MAX));
	ROW_INT(hn_fault_set_fail_nth, "0 switches it off", 0, hn_fault_set_fail_nth(fx->sim, 0));
	ROW_INT(hn_fault_stats, "NULL instance", -EINVAL,
		hn_fault_stats(NULL, HN_FAULT_HOST_ALLOC, &st));
	ROW_INT(hn_fault_stats, "NULL out", -EINVAL,
		hn_fault_stats(fx->sim, HN_FAULT_HOST_ALLOC, NULL));
	ROW_INT(hn_fault_stats, "site HN_FAULT_NR_SITES", -EINVAL,
		hn_fault_stats(fx->sim, HN_FAULT_NR_SITES, &st));
	ROW_NULL(hn_fault_site_name, "site -1", hn_fault_site_name((enum hn_fault_site)-1));
	ROW_NULL(hn_fault_site_name, "site HN_FAULT_NR_SITES",
		 hn_fault_site_name(HN_FAULT_NR_SITES));
	table_done("fault.h");
}

/* ==== trace.h ========================================================== */

/* hn_trace_format() into a NULL buffer of length 0: the length it needs equals the line's. */
static int format_length_only(const struct hn_trace_event *ev)
{
	char line[512];
	int need = hn_trace_format(ev, NULL, 0);

	return need == hn_trace_format(ev, line, sizeof(line)) && need == (int)strlen(line) ? 0 : -1;
}

static void test_trace_h(void **state)
{
	struct fx *fx = *state;
	struct hn_trace_event ev = { .id = HN_TRACE_MM_PAGE_ALLOC, .pfn = 0x1000, .gfp = GFP_KERNEL };
	struct hn_trace_event bad = { .id = HN_TRACE_NR_EVENTS };
	char buf[16] = "untouched";

	ROW_INT(hn_trace_set_sink, "NULL instance", -EINVAL,
		hn_trace_set_sink(NULL, hn_trace_write_text, NULL));
	ROW_INT(hn_trace_set_sink, "NULL function removes the sink", 0,
		hn_trace_set_sink(fx->sim, NULL, NULL));
	ROW_NULL(hn_trace_event_name, "event -1", hn_trace_event_name((enum hn_trace_event_id)-1));
	ROW_NULL(hn_trace_event_name, "event HN_TRACE_NR_EVENTS",
		 hn_trace_event_name(HN_TRACE_NR_EVENTS));
	ROW_INT(hn_trace_format, "NULL event", -EINVAL, hn_trace_format(NULL, buf, sizeof(buf)));
	ROW_INT(hn_trace_format, "NULL buffer with a length", -EINVAL,
		hn_trace_format(&ev, NULL, 16));
	ROW_INT(hn_trace_format, "event HN_TRACE_NR_EVENTS", -EINVAL,
		hn_trace_format(&bad, buf, sizeof(buf)));
	ROW_INT(hn_trace_format, "NULL buffer, length 0: the length needed", 0,
		format_length_only(&ev));
	ROW_BOOL(hn_trace_format, "a short buffer: the full length, the buffer terminated", true,
		 hn_trace_format(&ev, buf, sizeof(buf)) > (int)sizeof(buf) &&
		 strlen(buf) == sizeof(buf) - 1);
	ROW_VOID(hn_trace_write_text, "NULL stream: nothing", hn_trace_write_text(NULL, &ev));
	ROW_VOID(hn_trace_write_text, "NULL event: nothing", hn_trace_write_text(ro(fx), NULL));
	ROW_VOID(hn_trace_write_text, "an unwritable stream", hn_trace_write_text(ro(fx), &ev));
	table_done("trace.h");
}

/* ==== mattr.h ========================================================== */

static void test_mattr_h(void **state)
{
	const unsigned int ok[HN_MATTR_NR_PROPS] = { 1, 2, 3, 4, 5, 6 };
	const unsigned int l17[HN_MATTR_NR_PROPS] = { 1, 2, 17, 4, 5, 6 };
	const unsigned int lmax[HN_MATTR_NR_PROPS] = { UINT_MAX, 0, 0, 0, 0, 0 };
	struct hn_memdev_desc zero = { .kind = HN_MEM_DRAM };
	hn_mattr_t m = 0x5a5a;
	char buf[8];

	(void)state;
	ROW_U64(hn_mattr_cumulative, "0: no attributes", 0, hn_mattr_cumulative(0));
	ROW_U64(hn_mattr_cumulative, "fields without presence bits count nothing", 0,
		hn_mattr_cumulative(0xffffff));
	ROW_U64(hn_mattr_cumulative, "UINT32_MAX: six properties at level 16", 96,
		hn_mattr_cumulative(UINT32_MAX));
	ROW_U64(hn_mattr_nr_props, "0", 0, hn_mattr_nr_props(0));
	ROW_U64(hn_mattr_nr_props, "UINT32_MAX: the six presence bits only", 6,
		hn_mattr_nr_props(UINT32_MAX));
	ROW_INT(hn_mattr_make, "NULL out", -EINVAL, hn_mattr_make(ok, NULL));
	ROW_INT(hn_mattr_make, "a level of 17", -EINVAL, hn_mattr_make(l17, &m));
	ROW_INT(hn_mattr_make, "a level of UINT_MAX", -EINVAL, hn_mattr_make(lmax, &m));
	ROW_INT(hn_mattr_make, "NULL levels", -EINVAL, hn_mattr_make(NULL, &m));
	ROW_BOOL(hn_mattr_from_memdev, "a device without figures: still never 0", true,
		 hn_mattr_from_memdev(&zero) != 0);
	ROW_BOOL(hn_mattr_from_memdev, "NULL device: a full word", true,
		 hn_mattr_nr_props(hn_mattr_from_memdev(NULL)) == HN_MATTR_NR_PROPS);
	ROW_NULL(hn_mattr_prop_name, "property -1", hn_mattr_prop_name((enum hn_mattr_prop)-1));
	ROW_NULL(hn_mattr_prop_name, "property HN_MATTR_NR_PROPS",
		 hn_mattr_prop_name(HN_MATTR_NR_PROPS));
	ROW_NULL(hn_mattr_format, "NULL buffer, length 0: returns the buffer",
		 hn_mattr_format(1, NULL, 0));
	ROW_STR(hn_mattr_format, "0: \"none\"", "none", hn_mattr_format(0, buf, sizeof(buf)));
	ROW_STR(hn_mattr_format, "a short buffer: truncated, terminated", "lat=16,",
		hn_mattr_format(UINT32_MAX, buf, sizeof(buf)));
	ROW_INT(hn_mattr_parse, "NULL text", -EINVAL, hn_mattr_parse(NULL, &m));
	ROW_INT(hn_mattr_parse, "NULL out", -EINVAL, hn_mattr_parse("lat=1", NULL));
	ROW_INT(hn_mattr_parse, "an unknown property", -EINVAL, hn_mattr_parse("foo=3", &m));
	ROW_INT(hn_mattr_parse, "level 17", -EINVAL, hn_mattr_parse("lat=17", &m));
	ROW_INT(hn_mattr_parse, "level 0", -EINVAL, hn_mattr_parse("lat=0", &m));
	ROW_INT(hn_mattr_parse, "a 30-digit level", -EINVAL,
		hn_mattr_parse("lat=999999999999999999999999999999", &m));
	ROW_INT(hn_mattr_parse, "empty text", -EINVAL, hn_mattr_parse("", &m));
	ROW_INT(hn_mattr_parse, "a property given twice", -EINVAL,
		hn_mattr_parse("lat=1,lat=2", &m));
	ROW_INT(hn_mattr_parse, "a trailing comma", -EINVAL, hn_mattr_parse("lat=1,", &m));
	table_done("mattr.h");
}

/* ==== numa.h ============================================================ */

static void test_numa_h(void **state)
{
	struct fx *fx = *state;
	struct hn_bitmask *b = hn_bitmask_alloc(8), *out = NULL;
	struct hn_nodemask nm;
	char buf[8];

	ROW_NULL(hn_bitmask_alloc, "0 bits", hn_bitmask_alloc(0));
	ROW_VOID(hn_bitmask_free, "NULL", hn_bitmask_free(NULL));
	ROW_NULL(hn_bitmask_setbit, "NULL mask", hn_bitmask_setbit(NULL, 0));
	ROW_BOOL(hn_bitmask_setbit, "a bit past the size: ignored", false,
		 hn_bitmask_isbitset(hn_bitmask_setbit(b, 8), 8));
	ROW_BOOL(hn_bitmask_setbit, "bit UINT_MAX: ignored", true,
		 hn_bitmask_setbit(b, UINT_MAX) == b && hn_bitmask_weight(b) == 0);
	ROW_NULL(hn_bitmask_clearbit, "NULL mask", hn_bitmask_clearbit(NULL, 0));
	ROW_BOOL(hn_bitmask_clearbit, "bit UINT_MAX: ignored", true, hn_bitmask_clearbit(b, UINT_MAX) == b);
	ROW_NULL(hn_bitmask_setall, "NULL mask", hn_bitmask_setall(NULL));
	ROW_NULL(hn_bitmask_clearall, "NULL mask", hn_bitmask_clearall(NULL));
	ROW_BOOL(hn_bitmask_isbitset, "NULL mask", false, hn_bitmask_isbitset(NULL, 0));
	ROW_BOOL(hn_bitmask_isbitset, "bit UINT_MAX", false, hn_bitmask_isbitset(b, UINT_MAX));
	ROW_BOOL(hn_bitmask_equal, "NULL and an empty mask", true, hn_bitmask_equal(NULL, b));
	ROW_BOOL(hn_bitmask_equal, "NULL and NULL", true, hn_bitmask_equal(NULL, NULL));
	ROW_U64(hn_bitmask_weight, "NULL mask", 0, hn_bitmask_weight(NULL));
	ROW_U64(hn_bitmask_nbytes, "NULL mask", 0, hn_bitmask_nbytes(NULL));
	ROW_INT(hn_bitmask_to_nodemask, "NULL mask", -EINVAL, hn_bitmask_to_nodemask(NULL, &nm));
	ROW_INT(hn_bitmask_to_nodemask, "NULL nodemask", -EINVAL, hn_bitmask_to_nodemask(b, NULL));
	ROW_INT(hn_bitmask_from_nodemask, "NULL mask", -EINVAL, hn_bitmask_from_nodemask(NULL, &nm));
	ROW_INT(hn_bitmask_from_nodemask, "NULL nodemask", -EINVAL, hn_bitmask_from_nodemask(b, NULL));
	ROW_INT(hn_parse_nodestring, "NULL instance", -EINVAL, hn_parse_nodestring(NULL, "0", &out));
	ROW_INT(hn_parse_nodestring, "NULL text", -EINVAL, hn_parse_nodestring(fx->sim, NULL, &out));
	ROW_INT(hn_parse_nodestring, "NULL out", -EINVAL, hn_parse_nodestring(fx->sim, "0", NULL));
	ROW_INT(hn_parse_nodestring, "not booted", -EAGAIN, hn_parse_nodestring(fx->pre, "0", &out));
	ROW_INT(hn_parse_nodestring, "an offline node", -EINVAL,
		hn_parse_nodestring(fx->sim, "2", &out));
	ROW_INT(hn_parse_nodestring, "node MAX_NODES", -EINVAL,
		hn_parse_nodestring(fx->sim, "1024", &out));
	ROW_INT(hn_parse_nodestring, "a number past ULONG_MAX", -EINVAL,
		hn_parse_nodestring(fx->sim, "99999999999999999999999999", &out));
	ROW_INT(hn_parse_nodestring, "a reversed range", -EINVAL,
		hn_parse_nodestring(fx->sim, "1-0", &out));
	ROW_INT(hn_parse_nodestring, "garbage", -EINVAL, hn_parse_nodestring(fx->sim, "0,x", &out));
	ROW_INT(hn_parse_nodestring, "node 0 of a machine without it", -EINVAL,
		hn_parse_nodestring(fx->n1, "0", &out));
	ROW_INT(hn_parse_nodestring_all, "NULL instance", -EINVAL,
		hn_parse_nodestring_all(NULL, "0", &out));
	ROW_INT(hn_parse_nodestring_all, "NULL out", -EINVAL,
		hn_parse_nodestring_all(fx->sim, "0", NULL));
	ROW_INT(hn_parse_nodestring_all, "not booted", -EAGAIN,
		hn_parse_nodestring_all(fx->pre, "0", &out));
	ROW_INT(hn_parse_nodestring_all, "node MAX_NODES", -EINVAL,
		hn_parse_nodestring_all(fx->sim, "1024", &out));
	ROW_INT(hn_nodestring_format, "NULL mask", -EINVAL, hn_nodestring_format(NULL, buf, sizeof(buf)));
	ROW_INT(hn_nodestring_format, "NULL buffer with a length", -EINVAL,
		hn_nodestring_format(b, NULL, 4));
	ROW_INT(hn_nodestring_format, "NULL buffer, length 0: the length needed", 0,
		hn_nodestring_format(b, NULL, 0));
	{
		struct hn_task *t = NULL;
		uint64_t a = 1;

		if (hn_task_create(fx->sim, 0, &t))
			fail_msg("a task");
		ROW_INT(hn_numa_alloc_onnode, "NULL task", -EINVAL, hn_numa_alloc_onnode(NULL, 4096, 0, &a));
		ROW_INT(hn_numa_alloc_onnode, "NULL addr", -EINVAL, hn_numa_alloc_onnode(t, 4096, 0, NULL));
		ROW_INT(hn_numa_alloc_onnode, "size 0", -EINVAL, hn_numa_alloc_onnode(t, 0, 0, &a));
		ROW_INT(hn_numa_alloc_onnode, "node -1", -EINVAL, hn_numa_alloc_onnode(t, 4096, -1, &a));
		ROW_INT(hn_numa_alloc_onnode, "an offline node", -EINVAL,
			hn_numa_alloc_onnode(t, 4096, OFFLINE_NID, &a));
		ROW_INT(hn_numa_alloc_onnode, "size UINT64_MAX", -ENOMEM,
			hn_numa_alloc_onnode(t, UINT64_MAX, 0, &a));
		ROW_INT(hn_numa_alloc_interleaved, "NULL task", -EINVAL, hn_numa_alloc_interleaved(NULL, 4096, &a));
		ROW_INT(hn_numa_alloc_interleaved, "size 0", -EINVAL, hn_numa_alloc_interleaved(t, 0, &a));
		ROW_INT(hn_numa_alloc_interleaved_subset, "NULL nodes", -EINVAL,
			hn_numa_alloc_interleaved_subset(t, 4096, NULL, &a));
		ROW_INT(hn_numa_alloc_interleaved_subset, "an empty mask", -EINVAL,
			hn_numa_alloc_interleaved_subset(t, 4096, b, &a));
		ROW_INT(hn_numa_alloc_local, "NULL task", -EINVAL, hn_numa_alloc_local(NULL, 4096, &a));
		ROW_INT(hn_numa_alloc_local, "size 0", -EINVAL, hn_numa_alloc_local(t, 0, &a));
		ROW_INT(hn_numa_free, "NULL task", -EINVAL, hn_numa_free(NULL, 0x10000, 4096));
		ROW_INT(hn_numa_free, "size 0", -EINVAL, hn_numa_free(t, 0x10000, 0));
		{
			struct hn_bitmask *wide = hn_bitmask_alloc(HN_MAX_NUMNODES + 64);
			int status[1];

			hn_bitmask_setbit(wide, HN_MAX_NUMNODES + 1);
			ROW_INT(hn_numa_move_pages, "NULL task", -EINVAL,
				hn_numa_move_pages(NULL, 0, NULL, NULL, status, 0));
			ROW_INT(hn_numa_move_pages, "count 0", 0, hn_numa_move_pages(t, 0, NULL, NULL, status, 0));
			ROW_INT(hn_numa_migrate_pages, "NULL task", -EINVAL, hn_numa_migrate_pages(NULL, b, b));
			ROW_INT(hn_numa_migrate_pages, "NULL from", -EINVAL, hn_numa_migrate_pages(t, NULL, b));
			ROW_INT(hn_numa_migrate_pages, "a bit past the node ids", -EINVAL,
				hn_numa_migrate_pages(t, wide, b));
			ROW_INT(hn_numa_migrate_pages, "empty masks: nothing moves", 0, hn_numa_migrate_pages(t, b, b));
			hn_bitmask_free(wide);
		}
		hn_task_destroy(t);
	}
	hn_bitmask_free(b);
	table_done("numa.h");
}

/* ==== run.h ============================================================= */

static int stop_now(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	(void)done;
	(void)total;
	return 1;
}

static void test_run_h(void **state)
{
	static const char least[] = "tasks: [ { cpu: 0, working-set: 4K, phases: [ { workload: zipf, "
				    "accesses: 1 } ] } ]";
	struct fx *fx = *state;
	struct hn_scenario *sc = calloc(1, sizeof(*sc));
	struct hn_run_result *r = calloc(1, sizeof(*r));
	enum hn_workload_kind k;

	if (!sc || !r)
		fail_msg("host memory");
	ROW_INT(hn_scenario_demo, "NULL instance", -EINVAL, hn_scenario_demo(NULL, sc));
	ROW_INT(hn_scenario_demo, "NULL scenario", -EINVAL, hn_scenario_demo(fx->sim, NULL));
	ROW_INT(hn_scenario_demo, "not booted", -EAGAIN, hn_scenario_demo(fx->pre, sc));
	ROW_NULL(hn_workload_name, "HN_WL_NR_KINDS", hn_workload_name(HN_WL_NR_KINDS));
	ROW_NULL(hn_workload_name, "-1", hn_workload_name((enum hn_workload_kind)-1));
	ROW_INT(hn_workload_parse, "NULL name", -EINVAL, hn_workload_parse(NULL, &k));
	ROW_INT(hn_workload_parse, "NULL out", -EINVAL, hn_workload_parse("zipf", NULL));
	ROW_INT(hn_workload_parse, "an unknown kind", -EINVAL, hn_workload_parse("stride", &k));
	ROW_INT(hn_run, "NULL instance", -EINVAL, hn_run(NULL, sc, r, NULL));
	ROW_INT(hn_run, "NULL scenario", -EINVAL, hn_run(fx->sim, NULL, r, NULL));
	ROW_INT(hn_run, "NULL result", -EINVAL, hn_run(fx->sim, sc, NULL, NULL));
	ROW_INT(hn_run, "not booted", -EAGAIN, hn_run(fx->pre, sc, r, NULL));
	ROW_INT(hn_run, "no tasks", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->nr_tasks = HN_RUN_MAX_TASKS + 1;
	ROW_INT(hn_run, "more than HN_RUN_MAX_TASKS tasks", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->nr_tasks = 1;
	sc->task[0] = (struct hn_run_task){ .cpu = UINT_MAX, .working_set = 4096, .nr_phases = 1 };
	sc->task[0].phase[0] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1 };
	ROW_INT(hn_run, "CPU UINT_MAX", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].cpu = 0;
	sc->task[0].phase[0].kind = HN_WL_NR_KINDS;
	ROW_INT(hn_run, "an unknown workload kind", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].phase[0].kind = HN_WL_UNIFORM;
	sc->task[0].phase[0].action = HN_RUN_NR_ACTIONS;
	ROW_INT(hn_run, "an unknown action", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].phase[0] = (struct hn_run_phase){ .action = HN_RUN_MOVE_PAGES, .node = OFFLINE_NID };
	ROW_INT(hn_run, "move_pages to an offline node", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].phase[0] = (struct hn_run_phase){ .action = HN_RUN_MBIND, .policy = MPOL_BIND };
	ROW_INT(hn_run, "mbind BIND without nodes", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].phase[0] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1 };
	sc->task[0].working_set = 0;
	ROW_INT(hn_run, "an empty working set", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].working_set = 4096;
	sc->task[0].policy = MPOL_BIND;
	sc->task[0].nodes = 1UL << OFFLINE_NID;
	ROW_INT(hn_run, "BIND to an offline node", -EINVAL, hn_run(fx->sim, sc, r, NULL));
	sc->task[0].policy = MPOL_DEFAULT;
	sc->task[0].phase[0].accesses = HN_RUN_DEFAULT_MAX_ACCESSES + 1;
	ROW_INT(hn_run, "more accesses than the default limit", -E2BIG, hn_run(fx->sim, sc, r, NULL));
	ROW_INT(hn_run, "more accesses than the caller's limit", -E2BIG,
		hn_run(fx->sim, sc, r, &(struct hn_run_control){ .max_accesses = 1000 }));
	sc->task[0].phase[0].accesses = 200000;
	ROW_INT(hn_run, "stopped by the progress callback", -EINTR,
		hn_run(fx->sim, sc, r, &(struct hn_run_control){ .progress = stop_now }));
	sc->task[0].working_set = 1ULL << 45;	/* far more than the machine holds */
	sc->task[0].phase[0] = (struct hn_run_phase){ .kind = HN_WL_SEQUENTIAL, .accesses = 200000,
						      .write_pct = 100 };
	sc->task[0].access_size = 4096;
	ROW_INT(hn_run, "a working set simulated memory cannot hold", -ENOSPC,
		hn_run(fx->sim, sc, r, NULL));
	FILE *empty = fopen("/dev/null", "r");

	if (!empty)
		fail_msg("/dev/null");
	ROW_INT(hn_run_replay, "NULL instance", -EINVAL, hn_run_replay(NULL, empty, "t", r, NULL));
	ROW_INT(hn_run_replay, "NULL stream", -EINVAL, hn_run_replay(fx->sim, NULL, "t", r, NULL));
	ROW_INT(hn_run_replay, "NULL result", -EINVAL, hn_run_replay(fx->sim, empty, "t", NULL, NULL));
	ROW_INT(hn_run_replay, "not booted", -EAGAIN, hn_run_replay(fx->pre, empty, "t", r, NULL));
	ROW_INT(hn_run_replay, "an empty trace: no tasks, nothing run", 0,
		hn_run_replay(fx->sim, empty, NULL, r, NULL));
	ROW_INT(hn_run_replay, "a stream that cannot be read", -EIO, hn_run_replay(fx->sim, fx->null, NULL, r, NULL));
	fclose(empty);
	{
		static const char lines[] = "task 1 cpu 0\nmmap 1 a 1M\nw 1 a 0\n";
		char *text = malloc(sizeof(lines) * 70000);
		FILE *in;

		if (!text)
			fail_msg("host memory");
		text[0] = '\0';
		strcpy(text, "task 1 cpu 0\nmmap 1 a 1M\n");
		for (size_t i = 0, off = strlen(text); i < 70000; i++, off += 8)
			memcpy(text + off, "w 1 a 0\n", 9);
		in = fmemopen(text, strlen(text), "r");
		if (!in)
			fail_msg("fmemopen");
		ROW_INT(hn_run_replay, "stopped by the progress callback", -EINTR,
			hn_run_replay(fx->sim, in, NULL, r, &(struct hn_run_control){ .progress = stop_now }));
		fclose(in);
		free(text);
	}
	ROW_INT(hn_scenario_load_yaml, "NULL path", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml(NULL, sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml, "NULL scenario", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml("/dev/null", NULL, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml, "a file that does not exist", YAML(-ENOENT, -EOPNOTSUPP),
		hn_scenario_load_yaml("/nonexistent/hnuma.yaml", sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml, "an empty file", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml("/dev/null", sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml, "a directory", YAML(-EISDIR, -EOPNOTSUPP),
		hn_scenario_load_yaml("/", sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml_string, "NULL text", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml_string("x", NULL, 0, sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml_string, "NULL scenario", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml_string("x", "tasks: []", 9, NULL, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml_string, "a document without tasks", YAML(-EINVAL, -EOPNOTSUPP),
		hn_scenario_load_yaml_string(NULL, "seed: 1\n", 8, sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml_string, "len SIZE_MAX", YAML(-EFBIG, -EOPNOTSUPP),
		hn_scenario_load_yaml_string(NULL, "", SIZE_MAX, sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_scenario_load_yaml_string, "the least scenario", YAML(0, -EOPNOTSUPP),
		hn_scenario_load_yaml_string(NULL, least, strlen(least), sc, NULL, 0, NULL, NULL));
	ROW_INT(hn_run_write_text, "NULL result", -EINVAL, hn_run_write_text(NULL, ro(fx)));
	ROW_INT(hn_run_write_text, "NULL stream", -EINVAL, hn_run_write_text(r, NULL));
	ROW_INT(hn_run_write_text, "an unwritable stream", -EIO, hn_run_write_text(r, ro(fx)));
	ROW_INT(hn_run_write_json, "NULL result", -EINVAL, hn_run_write_json(NULL, ro(fx)));
	ROW_INT(hn_run_write_json, "an unwritable stream", -EIO, hn_run_write_json(r, ro(fx)));
	free(sc);
	free(r);
	table_done("run.h");
}

/* ==== mempolicy.h ======================================================= */

static void test_mempolicy_h(void **state)
{
	struct fx *fx = *state;
	struct hn_task *t = NULL, *bad = (struct hn_task *)&bad;
	struct hn_nodemask none, offline;
	unsigned long one = 1, mask[32];
	uint64_t pfn;
	int mode;

	hn_nodemask_clear_all(&none);
	hn_nodemask_clear_all(&offline);
	hn_nodemask_set(&offline, OFFLINE_NID);
	ROW_INT(hn_task_create, "NULL instance", -EINVAL, hn_task_create(NULL, 0, &bad));
	ROW_INT(hn_task_create, "NULL out", -EINVAL, hn_task_create(fx->sim, 0, NULL));
	ROW_INT(hn_task_create, "not booted", -EAGAIN, hn_task_create(fx->pre, 0, &bad));
	ROW_INT(hn_task_create, "CPU UINT_MAX", -EINVAL, hn_task_create(fx->sim, UINT_MAX, &bad));
	ROW_INT(hn_task_create, "a CPU past the machine's", -EINVAL,
		hn_task_create(fx->sim, (unsigned int)hn_sim_nr_cpu_ids(fx->sim), &bad));
	ROW_VOID(hn_task_destroy, "NULL", hn_task_destroy(NULL));
	ROW_INT(hn_task_pid, "NULL", -EINVAL, hn_task_pid(NULL));
	ROW_INT(hn_task_cpu, "NULL", -EINVAL, hn_task_cpu(NULL));
	ROW_INT(hn_task_node, "NULL", -EINVAL, hn_task_node(NULL));
	if (hn_task_create(fx->sim, 0, &t))
		fail_msg("a task on CPU 0");
	ROW_INT(hn_task_set_cpu, "NULL", -EINVAL, hn_task_set_cpu(NULL, 0));
	ROW_INT(hn_task_set_cpu, "CPU UINT_MAX", -EINVAL, hn_task_set_cpu(t, UINT_MAX));
	ROW_INT(hn_task_set_mems_allowed, "NULL task", -EINVAL, hn_task_set_mems_allowed(NULL, &none));
	ROW_INT(hn_task_set_mems_allowed, "NULL mask", -EINVAL, hn_task_set_mems_allowed(t, NULL));
	ROW_INT(hn_task_set_mems_allowed, "an empty mask", -EINVAL, hn_task_set_mems_allowed(t, &none));
	ROW_INT(hn_task_set_mems_allowed, "an offline node only", -EINVAL,
		hn_task_set_mems_allowed(t, &offline));
	ROW_INT(hn_set_mempolicy, "NULL task", -EINVAL, hn_set_mempolicy(NULL, MPOL_DEFAULT, NULL, 0));
	ROW_INT(hn_set_mempolicy, "mode MPOL_MAX", -EINVAL, hn_set_mempolicy(t, MPOL_MAX, &one, 65));
	ROW_INT(hn_set_mempolicy, "mode INT_MIN", -EINVAL, hn_set_mempolicy(t, INT_MIN, &one, 65));
	ROW_INT(hn_set_mempolicy, "STATIC and RELATIVE", -EINVAL,
		hn_set_mempolicy(t, MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, &one, 65));
	ROW_INT(hn_set_mempolicy, "NUMA_BALANCING with INTERLEAVE", -EINVAL,
		hn_set_mempolicy(t, MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, &one, 65));
	ROW_INT(hn_set_mempolicy, "BIND without nodes", -EINVAL, hn_set_mempolicy(t, MPOL_BIND, NULL, 65));
	ROW_INT(hn_set_mempolicy, "DEFAULT with nodes", -EINVAL,
		hn_set_mempolicy(t, MPOL_DEFAULT, &one, 65));
	ROW_INT(hn_set_mempolicy, "an offline node only", -EINVAL,
		hn_set_mempolicy(t, MPOL_BIND, (unsigned long[]){ 1UL << OFFLINE_NID }, 65));
	ROW_INT(hn_set_mempolicy, "maxnode ULONG_MAX", -EINVAL,
		hn_set_mempolicy(t, MPOL_BIND, &one, ULONG_MAX));
	ROW_INT(hn_get_mempolicy, "NULL task", -EINVAL, hn_get_mempolicy(NULL, &mode, NULL, 0, 0, 0));
	ROW_INT(hn_get_mempolicy, "unknown flags", -EINVAL, hn_get_mempolicy(t, &mode, NULL, 0, 0, ~0UL));
	ROW_INT(hn_get_mempolicy, "an address without MPOL_F_ADDR", -EINVAL,
		hn_get_mempolicy(t, &mode, NULL, 0, 4096, 0));
	ROW_INT(hn_get_mempolicy, "MPOL_F_ADDR: nothing is mapped", -EFAULT,
		hn_get_mempolicy(t, &mode, NULL, 0, 4096, MPOL_F_ADDR));
	ROW_INT(hn_get_mempolicy, "MPOL_F_NODE with the default policy", -EINVAL,
		hn_get_mempolicy(t, &mode, NULL, 0, 0, MPOL_F_NODE));
	ROW_INT(hn_get_mempolicy, "a mask with maxnode 0", -EINVAL,
		hn_get_mempolicy(t, &mode, mask, 0, 0, 0));
	ROW_INT(hn_get_mempolicy, "a mask over a page of bits", -EINVAL,
		hn_get_mempolicy(t, &mode, mask, 4096 * 8 + 65, 0, 0));
	ROW_INT(hn_get_mempolicy, "maxnode ULONG_MAX: the kernel's ALIGN wraps, nothing is copied",
		0, hn_get_mempolicy(t, &mode, mask, ULONG_MAX, 0, 0));
	ROW_INT(hn_task_alloc_pages, "NULL task", -EINVAL, hn_task_alloc_pages(NULL, GFP_KERNEL, 0, &pfn));
	ROW_INT(hn_task_alloc_pages, "NULL pfn", -EINVAL, hn_task_alloc_pages(t, GFP_KERNEL, 0, NULL));
	ROW_INT(hn_task_alloc_pages, "order MAX_PAGE_ORDER + 1", -EINVAL,
		hn_task_alloc_pages(t, GFP_KERNEL, hn_sim_max_page_order(fx->sim) + 1, &pfn));
	ROW_INT(hn_task_alloc_pages, "__GFP_DMA | __GFP_DMA32", -EINVAL,
		hn_task_alloc_pages(t, __GFP_DMA | __GFP_DMA32, 0, &pfn));
	ROW_INT(hn_sim_set_il_weight, "NULL instance", -EINVAL, hn_sim_set_il_weight(NULL, 0, 1));
	ROW_INT(hn_sim_set_il_weight, "nid -1", -EINVAL, hn_sim_set_il_weight(fx->sim, -1, 1));
	ROW_INT(hn_sim_set_il_weight, "nid max_nodes", -EINVAL, hn_sim_set_il_weight(fx->sim, MAX_NODES, 1));
	ROW_INT(hn_sim_il_weight, "NULL instance", -EINVAL, hn_sim_il_weight(NULL, 0));
	ROW_INT(hn_sim_il_weight, "nid -1", -EINVAL, hn_sim_il_weight(fx->sim, -1));
	{
		const char *nodes;
		int pmode;

		ROW_INT(hn_mpol_parse_spec, "bind:0-1", 0, hn_mpol_parse_spec("bind:0-1", &pmode, &nodes));
		ROW_INT(hn_mpol_parse_spec, "NULL spec", -EINVAL, hn_mpol_parse_spec(NULL, &pmode, &nodes));
		ROW_INT(hn_mpol_parse_spec, "NULL mode", -EINVAL, hn_mpol_parse_spec("local", NULL, &nodes));
		ROW_INT(hn_mpol_parse_spec, "NULL nodes", -EINVAL, hn_mpol_parse_spec("local", &pmode, NULL));
		ROW_INT(hn_mpol_parse_spec, "unknown mode", -EINVAL,
			hn_mpol_parse_spec("bindx:0", &pmode, &nodes));
		ROW_INT(hn_mpol_parse_spec, "nodes after local", -EINVAL,
			hn_mpol_parse_spec("local:0", &pmode, &nodes));
		ROW_INT(hn_mpol_parse_spec, "no nodes after bind", -EINVAL,
			hn_mpol_parse_spec("bind", &pmode, &nodes));
	}
	{
		uint64_t a = 0, start, end;
		unsigned int pflags;
		int prot;

		ROW_INT(hn_mmap, "NULL task", -EINVAL,
			hn_mmap(NULL, 0, 4096, HN_PROT_READ, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a));
		ROW_INT(hn_mmap, "NULL out", -EINVAL,
			hn_mmap(t, 0, 4096, HN_PROT_READ, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, NULL));
		ROW_INT(hn_mmap, "length 0", -EINVAL,
			hn_mmap(t, 0, 0, HN_PROT_READ, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a));
		ROW_INT(hn_mmap, "length UINT64_MAX", -ENOMEM,
			hn_mmap(t, 0, UINT64_MAX, HN_PROT_READ, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &a));
		ROW_INT(hn_mmap, "flags 0", -EINVAL, hn_mmap(t, 0, 4096, HN_PROT_READ, 0, &a));
		ROW_INT(hn_mmap, "flags INT_MIN", -EINVAL, hn_mmap(t, 0, 4096, HN_PROT_READ, INT_MIN, &a));
		ROW_INT(hn_mmap, "no MAP_ANONYMOUS", -EBADF,
			hn_mmap(t, 0, 4096, HN_PROT_READ, HN_MAP_PRIVATE, &a));
		ROW_INT(hn_mmap, "MAP_SHARED", -EOPNOTSUPP,
			hn_mmap(t, 0, 4096, HN_PROT_READ, HN_MAP_SHARED | HN_MAP_ANONYMOUS, &a));
		ROW_INT(hn_mmap, "MAP_FIXED at 1", -EINVAL,
			hn_mmap(t, 1, 4096, HN_PROT_READ,
				HN_MAP_PRIVATE | HN_MAP_ANONYMOUS | HN_MAP_FIXED, &a));
		ROW_INT(hn_mmap, "MAP_FIXED at 0: below mmap_min_addr", -EPERM,
			hn_mmap(t, 0, 4096, HN_PROT_READ,
				HN_MAP_PRIVATE | HN_MAP_ANONYMOUS | HN_MAP_FIXED, &a));
		ROW_INT(hn_mmap, "MAP_FIXED at the top of the address space", -ENOMEM,
			hn_mmap(t, UINT64_MAX & ~4095ULL, 4096, HN_PROT_READ,
				HN_MAP_PRIVATE | HN_MAP_ANONYMOUS | HN_MAP_FIXED, &a));
		ROW_INT(hn_munmap, "NULL task", -EINVAL, hn_munmap(NULL, 0x10000, 4096));
		ROW_INT(hn_munmap, "length 0", -EINVAL, hn_munmap(t, 0x10000, 0));
		ROW_INT(hn_munmap, "an unaligned address", -EINVAL, hn_munmap(t, 0x10001, 4096));
		ROW_INT(hn_munmap, "length UINT64_MAX", -EINVAL, hn_munmap(t, 0x10000, UINT64_MAX));
		ROW_INT(hn_munmap, "nothing mapped there", 0, hn_munmap(t, 0x10000, 4096));
		ROW_INT(hn_mprotect, "NULL task", -EINVAL, hn_mprotect(NULL, 0x10000, 4096, 0));
		ROW_INT(hn_mprotect, "an unaligned start", -EINVAL, hn_mprotect(t, 0x10001, 4096, 0));
		ROW_INT(hn_mprotect, "protection INT_MIN", -EINVAL, hn_mprotect(t, 0x10000, 4096, INT_MIN));
		ROW_INT(hn_mprotect, "nothing mapped there", -ENOMEM, hn_mprotect(t, 0x10000, 4096, 0));
		ROW_INT(hn_mprotect, "length UINT64_MAX", -ENOMEM, hn_mprotect(t, 0x10000, UINT64_MAX, 0));
		ROW_INT(hn_mbind, "NULL task", -EINVAL, hn_mbind(NULL, 0x10000, 4096, MPOL_BIND, &one, 65, 0));
		ROW_INT(hn_mbind, "unknown flags", -EINVAL,
			hn_mbind(t, 0x10000, 4096, MPOL_BIND, &one, 65, 0x80));
		ROW_INT(hn_mbind, "an unaligned start", -EINVAL,
			hn_mbind(t, 0x10001, 4096, MPOL_BIND, &one, 65, 0));
		ROW_INT(hn_mbind, "mode MPOL_MAX", -EINVAL, hn_mbind(t, 0x10000, 4096, MPOL_MAX, &one, 65, 0));
		ROW_INT(hn_mbind, "nothing mapped there", -EFAULT,
			hn_mbind(t, 0x10000, 4096, MPOL_BIND, &one, 65, 0));
		ROW_INT(hn_mbind, "a range that wraps", -EINVAL,
			hn_mbind(t, 0x10000, UINT64_MAX - 8192, MPOL_BIND, &one, 65, 0));
		ROW_INT(hn_mbind, "MPOL_MF_MOVE with nothing mapped there", -EFAULT,
			hn_mbind(t, 0x10000, 4096, MPOL_BIND, &one, 65, HN_MPOL_MF_MOVE));
		ROW_INT(hn_task_touch, "NULL task", -EINVAL, hn_task_touch(NULL, 0x10000, false));
		ROW_INT(hn_task_touch, "nothing mapped", -EFAULT, hn_task_touch(t, 0x10000, true));
		ROW_INT(hn_task_touch, "address UINT64_MAX", -EFAULT, hn_task_touch(t, UINT64_MAX, false));
		ROW_INT(hn_task_pte, "NULL task", -EINVAL, hn_task_pte(NULL, 0x10000, &pfn, &pflags));
		ROW_INT(hn_task_pte, "NULL pfn", -EINVAL, hn_task_pte(t, 0x10000, NULL, &pflags));
		ROW_INT(hn_task_pte, "nothing mapped", -EFAULT, hn_task_pte(t, 0x10000, &pfn, &pflags));
		ROW_INT(hn_task_nr_vmas, "NULL task", -EINVAL, hn_task_nr_vmas(NULL));
		ROW_INT(hn_task_vma, "NULL task", -EINVAL, hn_task_vma(NULL, 0, &start, &end, &prot));
		ROW_INT(hn_task_vma, "NULL start", -EINVAL, hn_task_vma(t, 0, NULL, &end, &prot));
		ROW_INT(hn_task_vma, "index UINT_MAX", -ENOENT, hn_task_vma(t, UINT_MAX, &start, &end, &prot));
		ROW_U64(hn_task_rss, "NULL task", 0, hn_task_rss(NULL));
		ROW_INT(hn_task_set_mattr, "NULL task", -EINVAL, hn_task_set_mattr(NULL, 0));
		ROW_INT(hn_task_set_mattr, "a level without its property", -EINVAL, hn_task_set_mattr(t, 0x5));
		ROW_INT(hn_madvise_mattr, "NULL task", -EINVAL, hn_madvise_mattr(NULL, 0x10000, 4096, 0));
		ROW_INT(hn_madvise_mattr, "a malformed word", -EINVAL, hn_madvise_mattr(t, 0x10000, 4096, 0x5));
		ROW_INT(hn_madvise_mattr, "an unaligned start", -EINVAL, hn_madvise_mattr(t, 0x10001, 4096, 0));
		ROW_INT(hn_madvise_mattr, "length 0", -EINVAL, hn_madvise_mattr(t, 0x10000, 0, 0));
		ROW_INT(hn_madvise_mattr, "nothing mapped there", -ENOMEM, hn_madvise_mattr(t, 0x10000, 4096, 0));
		ROW_INT(hn_hmadvise, "NULL task", -EINVAL, hn_hmadvise(NULL, 0, 0x10000, 4096, HN_MADV_DONTNEED));
		ROW_INT(hn_hmadvise, "an unknown hint", -EINVAL, hn_hmadvise(t, 0, 0x10000, 4096, 0));
		ROW_INT(hn_hmadvise, "PREFETCH to an offline node", -EINVAL,
			hn_hmadvise(t, OFFLINE_NID, 0x10000, 4096, HN_MADV_PREFETCH));
		ROW_INT(hn_hmadvise, "PREFETCH to node -1", -EINVAL,
			hn_hmadvise(t, -1, 0x10000, 4096, HN_MADV_PREFETCH));
		ROW_INT(hn_hmadvise, "an unaligned start", -EINVAL,
			hn_hmadvise(t, 0, 0x10001, 4096, HN_MADV_DONTNEED));
		ROW_INT(hn_hmadvise, "nothing mapped there", -ENOMEM,
			hn_hmadvise(t, 0, 0x10000, 4096, HN_MADV_DONTNEED));
		ROW_INT(hn_task_show_numa_maps, "NULL task", -EINVAL, hn_task_show_numa_maps(NULL, ro(fx)));
		ROW_INT(hn_task_show_numa_maps, "NULL stream", -EINVAL, hn_task_show_numa_maps(t, NULL));
		ROW_INT(hn_task_show_numa_maps, "no mappings, an unwritable stream: nothing written", 0,
			hn_task_show_numa_maps(t, ro(fx)));
	}
	{
		static const struct hn_mmu_notifier_ops nops;
		uint64_t checked, lost;
		int ctx;

		ROW_INT(hn_mmu_notifier_register, "NULL task", -EINVAL, hn_mmu_notifier_register(NULL, &nops, &ctx));
		ROW_INT(hn_mmu_notifier_register, "NULL ops", -EINVAL, hn_mmu_notifier_register(t, NULL, &ctx));
		ROW_INT(hn_mmu_notifier_register, "a subscriber", 0, hn_mmu_notifier_register(t, &nops, &ctx));
		ROW_INT(hn_mmu_notifier_register, "the same pair twice", -EEXIST,
			hn_mmu_notifier_register(t, &nops, &ctx));
		ROW_INT(hn_mmu_notifier_unregister, "NULL task", -EINVAL,
			hn_mmu_notifier_unregister(NULL, &nops, &ctx));
		ROW_INT(hn_mmu_notifier_unregister, "NULL ops", -EINVAL, hn_mmu_notifier_unregister(t, NULL, &ctx));
		ROW_INT(hn_mmu_notifier_unregister, "another context", -ENOENT,
			hn_mmu_notifier_unregister(t, &nops, &checked));
		ROW_INT(hn_mmu_notifier_unregister, "the subscriber", 0, hn_mmu_notifier_unregister(t, &nops, &ctx));
		ROW_INT(hn_mmu_notifier_unregister, "twice", -ENOENT, hn_mmu_notifier_unregister(t, &nops, &ctx));
		ROW_INT(hn_sim_integrity, "NULL instance", -EINVAL, hn_sim_integrity(NULL, &checked, &lost));
		ROW_INT(hn_sim_integrity, "NULL checked", -EINVAL, hn_sim_integrity(fx->sim, NULL, &lost));
		ROW_INT(hn_sim_integrity, "contents off", -EOPNOTSUPP, hn_sim_integrity(fx->sim, &checked, &lost));
	}
	hn_task_destroy(t);
	table_done("mempolicy.h");
}

/* ==== migrate.h ========================================================= */

static bool ec_isolate(void *ctx, struct hn_sim *sim, uint64_t pfn, enum hn_migrate_mode mode)
{
	(void)ctx, (void)sim, (void)pfn, (void)mode;
	return true;
}

static int ec_migrate(void *ctx, struct hn_sim *sim, uint64_t dst, uint64_t src,
		      enum hn_migrate_mode mode)
{
	(void)ctx, (void)sim, (void)dst, (void)src, (void)mode;
	return 0;
}

static void ec_putback(void *ctx, struct hn_sim *sim, uint64_t pfn)
{
	(void)ctx, (void)sim, (void)pfn;
}

static void test_migrate_h(void **state)
{
	struct fx *fx = *state;
	const struct hn_movable_operations ops = { ec_isolate, ec_migrate, ec_putback };
	const struct hn_movable_operations half = { ec_isolate, NULL, ec_putback };
	struct hn_migration_stats st;
	struct hn_task *t = NULL;
	unsigned long one = 1, two = 2;
	uint64_t addr = 0, page, pfn, pfns[1], cookie, pages = 0, ns = 0;
	unsigned int owner = 0, who;
	int status[1], node[1] = { 0 };

	ROW_STR(hn_migrate_reason_name, "HN_MR_COMPACTION", "compaction",
		hn_migrate_reason_name(HN_MR_COMPACTION));
	ROW_STR(hn_migrate_reason_name, "HN_MR_SYSCALL", "syscall_or_cpuset",
		hn_migrate_reason_name(HN_MR_SYSCALL));
	ROW_NULL(hn_migrate_reason_name, "HN_MR_TYPES", hn_migrate_reason_name(HN_MR_TYPES));
	ROW_NULL(hn_migrate_reason_name, "-1", hn_migrate_reason_name((enum hn_migrate_reason)-1));

	if (hn_task_create(fx->sim, 0, &t) ||
	    hn_mmap(t, 0, 4 * 4096, HN_PROT_READ | HN_PROT_WRITE, HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &addr) ||
	    hn_task_touch(t, addr, true))
		fail_msg("a task with one touched page");
	page = addr;
	ROW_INT(hn_move_pages, "NULL task", -EINVAL, hn_move_pages(NULL, 1, &page, node, status, 0));
	ROW_INT(hn_move_pages, "NULL status", -EINVAL, hn_move_pages(t, 1, &page, node, NULL, 0));
	ROW_INT(hn_move_pages, "NULL pages with a count", -EINVAL,
		hn_move_pages(t, 1, NULL, node, status, 0));
	ROW_INT(hn_move_pages, "unknown flags", -EINVAL, hn_move_pages(t, 1, &page, node, status, 0x80));
	ROW_INT(hn_move_pages, "node -1", -ENODEV,
		hn_move_pages(t, 1, &page, (int[]){ -1 }, status, HN_MPOL_MF_MOVE));
	ROW_INT(hn_move_pages, "a node past nr_node_ids", -ENODEV,
		hn_move_pages(t, 1, &page, (int[]){ MAX_NODES }, status, HN_MPOL_MF_MOVE));
	ROW_INT(hn_move_pages, "an offline node", -ENODEV,
		hn_move_pages(t, 1, &page, (int[]){ OFFLINE_NID }, status, HN_MPOL_MF_MOVE));
	ROW_INT(hn_move_pages, "count 0", 0, hn_move_pages(t, 0, NULL, NULL, status, 0));
	ROW_INT(hn_move_pages, "query: the page's node in status", 0,
		hn_move_pages(t, 1, &page, NULL, status, 0));
	ROW_BOOL(hn_move_pages, "query: status names node 0", true, status[0] == 0);
	ROW_INT(hn_move_pages, "query an untouched page: 0, status -ENOENT", 0,
		hn_move_pages(t, 1, (uint64_t[]){ addr + 4096 }, NULL, status, 0));
	ROW_BOOL(hn_move_pages, "status -ENOENT", true, status[0] == -ENOENT);
	ROW_INT(hn_move_pages, "an unmapped address: 0, status -EFAULT", 0,
		hn_move_pages(t, 1, (uint64_t[]){ 0x1000 }, (int[]){ 1 }, status, HN_MPOL_MF_MOVE));
	ROW_BOOL(hn_move_pages, "status -EFAULT", true, status[0] == -EFAULT);
	ROW_INT(hn_move_pages, "move to node 1", 0,
		hn_move_pages(t, 1, &page, (int[]){ 1 }, status, HN_MPOL_MF_MOVE));
	ROW_BOOL(hn_move_pages, "status names node 1", true, status[0] == 1);
	ROW_INT(hn_migrate_pages, "NULL task", -EINVAL, hn_migrate_pages(NULL, 65, &two, &one));
	ROW_INT(hn_migrate_pages, "NULL old nodes: an empty mask, nothing moves", 0,
		hn_migrate_pages(t, 65, NULL, &one));
	ROW_INT(hn_migrate_pages, "maxnode ULONG_MAX", -EINVAL, hn_migrate_pages(t, ULONG_MAX, &two, &one));
	ROW_INT(hn_migrate_pages, "node 1 back to node 0: every page moved", 0,
		hn_migrate_pages(t, 65, &two, &one));
	ROW_INT(hn_task_set_memory_migrate, "NULL", -EINVAL, hn_task_set_memory_migrate(NULL, true));
	ROW_INT(hn_task_set_memory_migrate, "on", 0, hn_task_set_memory_migrate(t, true));
	ROW_INT(hn_pin_user_pages, "NULL task", -EINVAL, hn_pin_user_pages(NULL, addr, 1, 0, pfns));
	ROW_INT(hn_pin_user_pages, "NULL pfns", -EINVAL, hn_pin_user_pages(t, addr, 1, 0, NULL));
	ROW_INT(hn_pin_user_pages, "nr 0", -EINVAL, hn_pin_user_pages(t, addr, 0, 0, pfns));
	ROW_INT(hn_pin_user_pages, "an unaligned start", -EINVAL, hn_pin_user_pages(t, addr + 1, 1, 0, pfns));
	ROW_INT(hn_pin_user_pages, "unknown flags", -EINVAL, hn_pin_user_pages(t, addr, 1, 0x2, pfns));
	ROW_INT(hn_pin_user_pages, "nothing mapped there", -EFAULT, hn_pin_user_pages(t, 0x1000, 1, 0, pfns));
	ROW_INT(hn_pin_user_pages, "one page, long-term", 0,
		hn_pin_user_pages(t, addr, 1, HN_FOLL_WRITE | HN_FOLL_LONGTERM, pfns));
	status[0] = 12345;
	ROW_INT(hn_move_pages, "a pinned page: one page not moved", 1,
		hn_move_pages(t, 1, &page, (int[]){ 1 }, status, HN_MPOL_MF_MOVE));
	ROW_BOOL(hn_move_pages, "the pinned page's status as it was", true, status[0] == 12345);
	ROW_INT(hn_unpin_user_pages, "NULL instance", -EINVAL, hn_unpin_user_pages(NULL, pfns, 1));
	ROW_INT(hn_unpin_user_pages, "NULL pfns", -EINVAL, hn_unpin_user_pages(fx->sim, NULL, 1));
	ROW_INT(hn_unpin_user_pages, "the pinned page", 0, hn_unpin_user_pages(fx->sim, pfns, 1));
	ROW_INT(hn_unpin_user_pages, "a page not pinned", -EINVAL, hn_unpin_user_pages(fx->sim, pfns, 1));
	hn_task_destroy(t);

	ROW_INT(hn_movable_register, "NULL instance", -EINVAL, hn_movable_register(NULL, &ops, NULL, &owner));
	ROW_INT(hn_movable_register, "NULL table", -EINVAL, hn_movable_register(fx->sim, NULL, NULL, &owner));
	ROW_INT(hn_movable_register, "a table without migrate_page", -EINVAL,
		hn_movable_register(fx->sim, &half, NULL, &owner));
	ROW_INT(hn_movable_register, "NULL owner", -EINVAL, hn_movable_register(fx->sim, &ops, NULL, NULL));
	ROW_INT(hn_movable_register, "a whole table", 0, hn_movable_register(fx->sim, &ops, NULL, &owner));
	if (hn_alloc_pages(fx->sim, GFP_HIGHUSER_MOVABLE, 0, 0, NULL, &pfn))
		fail_msg("an order-0 movable page");
	ROW_INT(hn_set_page_movable, "NULL instance", -EINVAL, hn_set_page_movable(NULL, pfn, owner, 7));
	ROW_INT(hn_set_page_movable, "an unknown owner", -EINVAL, hn_set_page_movable(fx->sim, pfn, owner + 1, 7));
	ROW_INT(hn_set_page_movable, "an order-2 page", -EINVAL, hn_set_page_movable(fx->sim, fx->pfn, owner, 7));
	ROW_INT(hn_set_page_movable, "pfn UINT64_MAX", -EINVAL,
		hn_set_page_movable(fx->sim, UINT64_MAX, owner, 7));
	ROW_INT(hn_page_movable, "not movable yet", -ENOENT, hn_page_movable(fx->sim, pfn, &who, &cookie));
	ROW_INT(hn_set_page_movable, "an allocated order-0 page", 0, hn_set_page_movable(fx->sim, pfn, owner, 7));
	ROW_INT(hn_set_page_movable, "twice", -EBUSY, hn_set_page_movable(fx->sim, pfn, owner, 7));
	ROW_INT(hn_page_movable, "NULL instance", -EINVAL, hn_page_movable(NULL, pfn, &who, &cookie));
	ROW_INT(hn_page_movable, "NULL owner", -EINVAL, hn_page_movable(fx->sim, pfn, NULL, &cookie));
	ROW_INT(hn_page_movable, "a movable page", 0, hn_page_movable(fx->sim, pfn, &who, &cookie));
	ROW_BOOL(hn_page_movable, "its owner and cookie", true, who == owner && cookie == 7);
	ROW_INT(hn_put_movable_page, "NULL instance", -EINVAL, hn_put_movable_page(NULL, pfn));
	ROW_INT(hn_put_movable_page, "a page that is not movable", -EINVAL,
		hn_put_movable_page(fx->sim, fx->pfn));
	ROW_INT(hn_put_movable_page, "the movable page: freed", 0, hn_put_movable_page(fx->sim, pfn));
	ROW_INT(hn_put_movable_page, "twice", -EINVAL, hn_put_movable_page(fx->sim, pfn));

	ROW_INT(hn_compact_node, "NULL", -EINVAL, hn_compact_node(NULL, 0));
	ROW_INT(hn_compact_node, "node -1", -EINVAL, hn_compact_node(fx->sim, -1));
	ROW_INT(hn_compact_node, "node MAX_NODES", -EINVAL, hn_compact_node(fx->sim, MAX_NODES));
	ROW_INT(hn_compact_node, "an offline node", -ENODEV, hn_compact_node(fx->sim, OFFLINE_NID));
	ROW_INT(hn_compact_node, "not booted", -EAGAIN, hn_compact_node(fx->pre, 0));
	ROW_INT(hn_compact_node, "node 0", 0, hn_compact_node(fx->sim, 0));
	ROW_INT(hn_compact_memory, "NULL", -EINVAL, hn_compact_memory(NULL));
	ROW_INT(hn_compact_memory, "not booted", -EAGAIN, hn_compact_memory(fx->pre));
	ROW_INT(hn_compact_memory, "every node", 0, hn_compact_memory(fx->sim));
	ROW_INT(hn_sim_set_compaction_proactiveness, "NULL", -EINVAL,
		hn_sim_set_compaction_proactiveness(NULL, 20));
	ROW_INT(hn_sim_set_compaction_proactiveness, "101", -EINVAL,
		hn_sim_set_compaction_proactiveness(fx->sim, 101));
	ROW_INT(hn_sim_set_compaction_proactiveness, "20", 0, hn_sim_set_compaction_proactiveness(fx->sim, 20));
	ROW_INT(hn_sim_set_extfrag_threshold, "NULL", -EINVAL, hn_sim_set_extfrag_threshold(NULL, 500));
	ROW_INT(hn_sim_set_extfrag_threshold, "-1", -EINVAL, hn_sim_set_extfrag_threshold(fx->sim, -1));
	ROW_INT(hn_sim_set_extfrag_threshold, "1001", -EINVAL, hn_sim_set_extfrag_threshold(fx->sim, 1001));
	ROW_INT(hn_sim_set_extfrag_threshold, "500", 0, hn_sim_set_extfrag_threshold(fx->sim, 500));
	ROW_INT(hn_sim_set_compact_unevictable_allowed, "NULL", -EINVAL,
		hn_sim_set_compact_unevictable_allowed(NULL, true));
	ROW_INT(hn_sim_set_compact_unevictable_allowed, "true", 0,
		hn_sim_set_compact_unevictable_allowed(fx->sim, true));
	ROW_INT(hn_sim_fragmentation_score, "NULL", -EINVAL, hn_sim_fragmentation_score(NULL, 0));
	ROW_INT(hn_sim_fragmentation_score, "node MAX_NODES", -EINVAL,
		hn_sim_fragmentation_score(fx->sim, MAX_NODES));
	ROW_INT(hn_sim_fragmentation_score, "an offline node", -ENODEV,
		hn_sim_fragmentation_score(fx->sim, OFFLINE_NID));
	ROW_BOOL(hn_sim_fragmentation_score, "node 0: 0..100", true,
		 hn_sim_fragmentation_score(fx->sim, 0) >= 0 && hn_sim_fragmentation_score(fx->sim, 0) <= 100);

	ROW_INT(hn_alloc_contig_range, "NULL", -EINVAL, hn_alloc_contig_range(NULL, 0, 1, GFP_KERNEL));
	ROW_INT(hn_alloc_contig_range, "not booted", -EAGAIN, hn_alloc_contig_range(fx->pre, 0, 1, GFP_KERNEL));
	ROW_INT(hn_alloc_contig_range, "an empty range", -EINVAL,
		hn_alloc_contig_range(fx->sim, fx->pfn, fx->pfn, GFP_KERNEL));
	ROW_INT(hn_alloc_contig_range, "a range outside memory", -EINVAL,
		hn_alloc_contig_range(fx->sim, UINT64_MAX - 8, UINT64_MAX, GFP_KERNEL));
	ROW_INT(hn_alloc_contig_range, "__GFP_DMA | __GFP_DMA32", -EINVAL,
		hn_alloc_contig_range(fx->sim, fx->pfn, fx->pfn + 4, __GFP_DMA | __GFP_DMA32));
	ROW_INT(hn_alloc_contig_range, "a range over an unmovable page", -EBUSY,
		hn_alloc_contig_range(fx->sim, fx->pfn & ~511ULL, (fx->pfn & ~511ULL) + 512, GFP_KERNEL));
	ROW_INT(hn_alloc_contig_pages, "NULL instance", -EINVAL,
		hn_alloc_contig_pages(NULL, 16, GFP_KERNEL, 0, NULL, &pfn));
	ROW_INT(hn_alloc_contig_pages, "NULL pfn", -EINVAL,
		hn_alloc_contig_pages(fx->sim, 16, GFP_KERNEL, 0, NULL, NULL));
	ROW_INT(hn_alloc_contig_pages, "nr 0", -EINVAL, hn_alloc_contig_pages(fx->sim, 0, GFP_KERNEL, 0, NULL, &pfn));
	ROW_INT(hn_alloc_contig_pages, "node MAX_NODES", -EINVAL,
		hn_alloc_contig_pages(fx->sim, 16, GFP_KERNEL, MAX_NODES, NULL, &pfn));
	ROW_INT(hn_alloc_contig_pages, "not booted", -EAGAIN,
		hn_alloc_contig_pages(fx->pre, 16, GFP_KERNEL, 0, NULL, &pfn));
	ROW_INT(hn_alloc_contig_pages, "more than the machine has", -ENOMEM,
		hn_alloc_contig_pages(fx->sim, 1ULL << 20, GFP_KERNEL, 0, NULL, &pfn));
	ROW_INT(hn_alloc_contig_pages, "1000 pages on node 1", 0,
		hn_alloc_contig_pages(fx->sim, 1000, GFP_KERNEL, 1, NULL, &pfn));
	ROW_INT(hn_free_contig_range, "NULL", -EINVAL, hn_free_contig_range(NULL, pfn, 1000));
	ROW_INT(hn_free_contig_range, "nr 0", -EINVAL, hn_free_contig_range(fx->sim, pfn, 0));
	ROW_INT(hn_free_contig_range, "a range with a free page", -EINVAL,
		hn_free_contig_range(fx->sim, pfn, 1001));
	ROW_INT(hn_free_contig_range, "the 1000 pages", 0, hn_free_contig_range(fx->sim, pfn, 1000));
	ROW_INT(hn_free_contig_range, "twice", -EINVAL, hn_free_contig_range(fx->sim, pfn, 1000));

	ROW_INT(hn_sim_migration_stats, "NULL instance", -EINVAL, hn_sim_migration_stats(NULL, &st));
	ROW_INT(hn_sim_migration_stats, "NULL out", -EINVAL, hn_sim_migration_stats(fx->sim, NULL));
	ROW_INT(hn_sim_migration_stats, "the totals", 0, hn_sim_migration_stats(fx->sim, &st));
	ROW_BOOL(hn_sim_migration_stats, "two pages moved by the rows above", true, st.succeeded == 2);
	ROW_INT(hn_sim_migration_pair, "NULL instance", -EINVAL, hn_sim_migration_pair(NULL, 0, 1, &pages, &ns));
	ROW_INT(hn_sim_migration_pair, "NULL pages", -EINVAL, hn_sim_migration_pair(fx->sim, 0, 1, NULL, &ns));
	ROW_INT(hn_sim_migration_pair, "source MAX_NODES", -EINVAL,
		hn_sim_migration_pair(fx->sim, MAX_NODES, 1, &pages, &ns));
	ROW_INT(hn_sim_migration_pair, "destination -1", -EINVAL,
		hn_sim_migration_pair(fx->sim, 0, -1, &pages, &ns));
	ROW_INT(hn_sim_migration_pair, "node 0 to node 1", 0, hn_sim_migration_pair(fx->sim, 0, 1, &pages, &ns));
	ROW_BOOL(hn_sim_migration_pair, "one page, some copy time", true, pages == 1 && ns > 0);
	table_done("migrate.h");
}

static void test_cost_h(void **state)
{
	struct fx *fx = *state;
	struct hn_cost_model *cm = NULL;
	struct hn_cost_charge ch;
	struct hn_cost_node_stats ns;
	struct hn_cost_link_stats ls;
	struct hn_cost_llc_stats lc;
	struct hn_machine *empty = NULL;
	unsigned int parts;
	char buf[32];
	double v;

	ROW_INT(hn_cost_parse, "\"full\"", 0, hn_cost_parse("full", &parts));
	ROW_INT(hn_cost_parse, "NULL string", -EINVAL, hn_cost_parse(NULL, &parts));
	ROW_INT(hn_cost_parse, "NULL out", -EINVAL, hn_cost_parse("full", NULL));
	ROW_INT(hn_cost_parse, "an unknown word", -EINVAL, hn_cost_parse("fast", &parts));
	ROW_INT(hn_cost_parse, "a trailing comma", -EINVAL, hn_cost_parse("loaded,", &parts));
	ROW_NONNULL(hn_cost_name, "static", hn_cost_name(0, buf, sizeof(buf)));
	ROW_NULL(hn_cost_name, "NULL buffer", hn_cost_name(0, NULL, 8));
	ROW_NULL(hn_cost_name, "a 2-byte buffer", hn_cost_name(HN_COST_LOADED, buf, 2));
	ROW_INT(hn_cost_new, "NULL out", -EINVAL, hn_cost_new(NULL, fx->m, 0, 0));
	ROW_INT(hn_cost_new, "NULL machine", -EINVAL, hn_cost_new(&cm, NULL, 0, 0));
	ROW_INT(hn_cost_new, "parts 0x10", -EINVAL, hn_cost_new(&cm, fx->m, 0x10, 0));
	ROW_INT(hn_cost_new, "a window over the maximum", -EINVAL,
		hn_cost_new(&cm, fx->m, 0, HN_COST_MAX_WINDOW_NS + 1));
	if (hn_machine_new(&empty, "empty"))
		fail_msg("host memory");
	ROW_INT(hn_cost_new, "a machine without memory", -EINVAL, hn_cost_new(&cm, empty, 0, 0));
	hn_machine_free(empty);
	ROW_INT(hn_cost_new, "the contract machine, full", 0, hn_cost_new(&cm, fx->m, HN_COST_FULL, 0));
	ROW_INT(hn_cost_parts, "the model", HN_COST_FULL, (int)hn_cost_parts(cm));
	ROW_INT(hn_cost_parts, "NULL", 0, (int)hn_cost_parts(NULL));
	ROW_INT(hn_cost_access, "a 64 B read of node 0", 0,
		hn_cost_access(cm, 0, 0, 0, false, 64, 0, &ch));
	ROW_INT(hn_cost_access, "NULL model", -EINVAL, hn_cost_access(NULL, 0, 0, 0, false, 64, 0, &ch));
	ROW_INT(hn_cost_access, "NULL out", -EINVAL, hn_cost_access(cm, 0, 0, 0, false, 64, 0, NULL));
	ROW_INT(hn_cost_access, "target node 4096", -EINVAL,
		hn_cost_access(cm, 0, 4096, 0, false, 64, 0, &ch));
	ROW_INT(hn_cost_access, "size 0", -EINVAL, hn_cost_access(cm, 0, 0, 0, false, 0, 0, &ch));
	ROW_INT(hn_cost_access, "size 2^21 + 1", -EINVAL,
		hn_cost_access(cm, 0, 0, 0, false, (2u << 20) + 1, 0, &ch));
	ROW_INT(hn_cost_loaded_latency, "node 0 at 50%", 0, hn_cost_loaded_latency(cm, 0, 0, 0.5, &v));
	ROW_INT(hn_cost_loaded_latency, "NULL model", -EINVAL, hn_cost_loaded_latency(NULL, 0, 0, 0.5, &v));
	ROW_INT(hn_cost_loaded_latency, "NULL out", -EINVAL, hn_cost_loaded_latency(cm, 0, 0, 0.5, NULL));
	ROW_INT(hn_cost_loaded_latency, "utilisation -1", -EINVAL,
		hn_cost_loaded_latency(cm, 0, 0, -1, &v));
	ROW_INT(hn_cost_loaded_latency, "node 4096", -EINVAL, hn_cost_loaded_latency(cm, 0, 4096, 0.5, &v));
	ROW_BOOL(hn_cost_default_curve, "at 1: 2.5", true, hn_cost_default_curve(1) == 2.5);
	ROW_INT(hn_cost_node_stats, "node 0", 0, hn_cost_node_stats(cm, 0, &ns));
	ROW_INT(hn_cost_node_stats, "NULL model", -EINVAL, hn_cost_node_stats(NULL, 0, &ns));
	ROW_INT(hn_cost_node_stats, "node 4096", -ENOENT, hn_cost_node_stats(cm, 4096, &ns));
	ROW_INT(hn_cost_link_stats, "NULL out", -EINVAL, hn_cost_link_stats(cm, 0, NULL));
	ROW_INT(hn_cost_link_stats, "link 0 of a machine without links", -ENOENT,
		hn_cost_link_stats(cm, 0, &ls));
	ROW_INT(hn_cost_llc_stats, "NULL out", -EINVAL, hn_cost_llc_stats(cm, 0, NULL));
	ROW_INT(hn_cost_llc_stats, "a socket without an LLC", -ENOENT, hn_cost_llc_stats(cm, 0, &lc));
	ROW_VOID(hn_cost_free, "the model", hn_cost_free(cm));
	ROW_VOID(hn_cost_free, "NULL", hn_cost_free(NULL));
	ROW_INT(hn_cost_validate_write, "the contract machine", 0,
		hn_cost_validate_write(fx->m, false, fx->null));
	ROW_INT(hn_cost_validate_write, "NULL machine", -EINVAL,
		hn_cost_validate_write(NULL, false, fx->null));
	ROW_INT(hn_cost_validate_write, "NULL stream", -EINVAL, hn_cost_validate_write(fx->m, false, NULL));
	ROW_INT(hn_cost_validate_write, "a failing stream", -EIO,
		hn_cost_validate_write(fx->m, false, fx->ro));
	table_done("cost.h");
}

/* ---- the run ---------------------------------------------------------- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hnuma_h, fresh),
		cmocka_unit_test_setup(test_log_h, fresh),
		cmocka_unit_test_setup(test_gfp_h, fresh),
		cmocka_unit_test_setup_teardown(test_hw_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memblock_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sim_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_h, setup, teardown),
		cmocka_unit_test_setup(test_mattr_h, fresh),
		cmocka_unit_test_setup_teardown(test_numa_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mempolicy_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cost_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_h, setup, teardown),
	};
	int failed;

	capture_init();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	capture_recover();
	printf("error_contract: %d rows over %d functions: %d ROW, %d UNDOC, %d MISMATCH, %d KNOWN_BUG\n",
	       cap.counts[CL_ROW] + cap.counts[CL_UNDOC] + cap.counts[CL_MISMATCH] +
	       cap.counts[CL_KNOWN_BUG], cap.nr_fns, cap.counts[CL_ROW], cap.counts[CL_UNDOC],
	       cap.counts[CL_MISMATCH], cap.counts[CL_KNOWN_BUG]);
	if (cap.notes_len)
		printf("rows where the header is silent, disagrees with the code, or the code is broken:\n%s",
		       cap.notes);
	return failed;
}
