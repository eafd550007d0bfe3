#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""
hnapi.py - the checks that keep hnuma's public surface honest.

The public API is what include/hnuma/*.h declares with HN_EXPORT.  Every
subcommand below reads the headers the same way (extract_exports), so the
header translation units, the exported-symbol list, the error-contract
coverage and docs/errors.md can never disagree about what "public" means.
The reader refuses what it cannot read for sure: an HN_EXPORT that is not
a function declaration, or a file-scope function declared without it.

  headers DIR                        print the public header names, sorted
                                     (meson reads this at configure time)
  header-list DIR UMBRELLA MESON_BUILD NAME...
                                     test: the headers meson was configured
                                     with are still all of DIR, the umbrella
                                     header includes every one, and
                                     install_headers() in MESON_BUILD
                                     installs exactly them
  tu c|cpp HEADER OUT                write a translation unit that includes
                                     only HEADER and takes the address of
                                     each function it exports
  symbols NM LIB LIST DIR            test: the shared library exports exactly
                                     LIST, every name is hn_*, and LIST agrees
                                     with the HN_EXPORT declarations in DIR
  coverage DIR CONTRACT_C ERRORS_MD  test: every exported function has a row
                                     in the error-contract test, inside the
                                     test_<header>_h() table of its header,
                                     and a table row in docs/errors.md under
                                     its header's heading

Set HNUMA_UPDATE_SYMBOLS=1 to rewrite LIST from the library (then review the
diff: it is an ABI change).
"""
import os
import re
import subprocess
import sys

# Exported names that do not start with hn_.  Keep it empty unless there is
# a reason, written next to the name, why the prefix cannot be there.
NON_HN_ALLOWED = frozenset()

COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
IDENT_RE = re.compile(r"[A-Za-z_]\w*")
# Words that can stand right before a '(' in a declaration without being
# the declared name: a parser that took one of them for the name would be
# misreading the header, so they are an error, not a name.
NOT_A_NAME = frozenset("""
    __attribute__ __attribute __declspec __typeof__ typeof sizeof _Alignas alignas
    void char short int long float double signed unsigned _Bool bool const volatile
    restrict __restrict struct union enum static inline extern register
""".split())


def public_headers(hdr_dir):
    return sorted(n for n in os.listdir(hdr_dir) if n.endswith(".h"))


def header_text(path):
    """The header as the compiler's parser sees it, roughly: comments
    blanked (newlines kept), preprocessor lines (with their continuation
    lines) dropped."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n") or " ", text)
    out, in_directive = [], False
    for line in text.splitlines():
        if in_directive or line.lstrip().startswith("#"):
            in_directive = line.rstrip().endswith("\\")
            out.append("")
            continue
        out.append(line)
    # extern "C" { ... } hides behind these; they are not part of a declaration
    return re.sub(r"\bHN_(BEGIN|END)_DECLS\b", " ", "\n".join(out))


def skip_parens(text, i):
    """Index just past the parenthesised group that opens at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def declared_name(decl):
    """The function a file-scope declaration declares, or None when it
    declares no function.  Handles attributes before the name and
    functions returning a function pointer, "T (*name(args))(args)"."""
    i = 0
    while i < len(decl):
        m = IDENT_RE.match(decl, i)
        if m and m.group(0) in ("__attribute__", "__attribute", "__declspec"):
            j = decl.find("(", m.end())
            i = skip_parens(decl, j) if j >= 0 else len(decl)
            continue
        if decl[i] == "(":
            rest = decl[i + 1:].lstrip()
            if rest.startswith("*"):
                m = IDENT_RE.match(rest[1:].lstrip())
                return m.group(0) if m else None
            before = IDENT_RE.findall(decl[:i])
            return before[-1] if before else None
        i = m.end() if m else i + 1
    return None


def file_scope_declarations(text):
    """The statements at brace depth 0, cut at ';' and '{' (a struct or a
    static inline body opens with '{'; its insides are skipped)."""
    decls, start, depth = [], 0, 0
    for i, c in enumerate(text):
        if c == "{":
            if depth == 0:
                decls.append(text[start:i])
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                start = i + 1
        elif c == ";" and depth == 0:
            decls.append(text[start:i])
            start = i + 1
    return [" ".join(d.split()) for d in decls if d.strip()]


def extract_exports(path):
    """The names of the functions @path declares HN_EXPORT, in order.
    Exits with a message on anything it cannot read for sure: an HN_EXPORT
    that is not a function declaration, or a function declared at file
    scope without HN_EXPORT (users could not link against it)."""
    names, problems = [], []
    for decl in file_scope_declarations(header_text(path)):
        exported = re.search(r"\bHN_EXPORT\b", decl) is not None
        if re.search(r"\b(typedef|static)\b", decl) or (not exported and "(" not in decl):
            continue
        name = declared_name(decl)
        if name is None or name in NOT_A_NAME:
            if exported:
                problems.append(f"HN_EXPORT on something hnapi.py cannot read as a function: {decl}")
            continue
        if not exported:
            if not re.match(r"(struct|union|enum)\b", decl):
                problems.append(f"{name} is declared without HN_EXPORT (users could not link it)")
            continue
        if len(re.findall(r"\bHN_EXPORT\b", decl)) != 1:
            problems.append(f"HN_EXPORT twice in one declaration: {decl}")
        names.append(name)
    if problems:
        sys.exit(f"hnapi: include/hnuma/{os.path.basename(path)}:\n  " + "\n  ".join(problems))
    return names


def all_exports(hdr_dir):
    """{function name: header name} over every public header."""
    out = {}
    for h in public_headers(hdr_dir):
        for name in extract_exports(os.path.join(hdr_dir, h)):
            if name in out:
                sys.exit(f"hnapi: {name} is declared HN_EXPORT in both {out[name]} and {h}")
            out[name] = h
    return out


def cmd_headers(hdr_dir):
    for h in public_headers(hdr_dir):
        print(h)


def installed_headers(meson_build):
    """The include/hnuma headers the top-level meson.build installs."""
    with open(meson_build, encoding="utf-8") as f:
        text = re.sub(r"#[^\n]*", " ", f.read())
    m = re.search(r"\binstall_headers\s*\(", text)
    if not m:
        sys.exit(f"header-list: no install_headers() call in {meson_build}")
    call = text[m.end() - 1:skip_parens(text, m.end() - 1)]
    return set(re.findall(r"['\"]include/hnuma/([\w.]+\.h)['\"]", call))


def cmd_header_list(hdr_dir, umbrella, meson_build, configured):
    bad = False
    actual = public_headers(hdr_dir)
    new = sorted(set(actual) - set(configured))
    gone = sorted(set(configured) - set(actual))
    if new or gone:
        bad = True
        print("header-list: the build was configured with a different set of public headers")
        for h in new:
            print(f"  new:  include/hnuma/{h} (has no compile-alone test yet)")
        for h in gone:
            print(f"  gone: include/hnuma/{h}")
        print("  run `meson setup --reconfigure BUILDDIR` so tests/api picks them up")
        print("  (adding the header to install_headers() in meson.build reconfigures by itself)")
    with open(os.path.join(hdr_dir, umbrella), encoding="utf-8") as f:
        included = set(re.findall(r"#\s*include\s*<hnuma/([\w.]+)>", f.read()))
    missing = [h for h in actual if h != umbrella and h not in included]
    if missing:
        bad = True
        print(f"header-list: include/hnuma/{umbrella} (\"everything in one include\") misses:")
        for h in missing:
            print(f"  #include <hnuma/{h}>")
    installed = installed_headers(meson_build)
    not_installed = [h for h in actual if h not in installed]
    stale = sorted(installed - set(actual))
    if not_installed or stale:
        bad = True
        print("header-list: install_headers() in meson.build does not install exactly include/hnuma:")
        for h in not_installed:
            print(f"  missing: 'include/hnuma/{h}' (an installed hnuma would lack it)")
        for h in stale:
            print(f"  no such header: 'include/hnuma/{h}'")
    if bad:
        return 1
    print(f"header-list: {len(actual)} public headers, all compiled alone, all in {umbrella}, "
          "all installed")
    return 0


TU_HEAD = """\
/* Generated by tests/api/hnapi.py from include/hnuma/{header}; do not edit. */
/*
 * Does <hnuma/{header}> stand alone?  It is the first and only include, so
 * anything it uses without including must make this fail to compile; it
 * is included twice, so a broken include guard fails too.  Built as {lang}
 * with -Werror.
 */
#include <hnuma/{header}>
#include <hnuma/{header}>
"""

TU_TABLE = """
/*
 * The address of every function the header exports.  Linking against the
 * shared library proves each one is defined and visible there; from C++ it
 * also proves the declaration sits inside extern "C" (a C++-linkage
 * declaration would ask the linker for a mangled name).  void (*)(void) is
 * the one function-pointer type casts to which -Wcast-function-type allows.
 */
typedef void (*hn_api_fn)(void);
static hn_api_fn const api[] = {{
{entries}
}};

int main(void)
{{
	/* A volatile sink keeps the references from being folded away. */
	static hn_api_fn volatile sink;

	for (unsigned int i = 0; i < sizeof(api) / sizeof(api[0]); i++)
		sink = api[i];
	(void)sink;
	return 0;
}}
"""

TU_NO_FUNCS = """
/* The header exports no functions: compiling it is the whole test. */
int main(void)
{
	return 0;
}
"""


def cmd_tu(lang, header_path, out_path):
    header = os.path.basename(header_path)
    names = extract_exports(header_path)
    text = TU_HEAD.format(header=header, lang="C++" if lang == "cpp" else "C")
    if names:
        text += TU_TABLE.format(entries="\n".join(f"\t(hn_api_fn){n}," for n in names))
    else:
        text += TU_NO_FUNCS
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


def exported_symbols(nm, lib):
    res = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"symbols: {nm} -D --defined-only {lib} failed:\n{res.stderr}")
    names = set()
    for line in res.stdout.splitlines():
        fields = line.split()
        if len(fields) < 2 or fields[-1].endswith(":"):
            continue
        names.add(fields[-1].split("@")[0])
    return names


def cmd_symbols(nm, lib, list_path, hdr_dir):
    exported = exported_symbols(nm, lib)
    declared = all_exports(hdr_dir)
    rel_list = "tests/api/" + os.path.basename(list_path)
    if os.environ.get("HNUMA_UPDATE_SYMBOLS") == "1":
        with open(list_path, encoding="utf-8") as f:
            head = [l for l in f if l.startswith("#")]
        with open(list_path, "w", encoding="utf-8") as f:
            f.writelines(head)
            f.writelines(n + "\n" for n in sorted(exported))
        print(f"symbols: wrote {len(exported)} names to {rel_list}; review the diff before committing")
    with open(list_path, encoding="utf-8") as f:
        listed_lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    listed = set(listed_lines)
    bad = False

    if listed_lines != sorted(listed):
        bad = True
        print(f"symbols: {rel_list} is not sorted or has duplicates")
    extra = sorted(exported - listed)
    missing = sorted(listed - exported)
    if extra or missing:
        bad = True
        print(f"symbols: {os.path.basename(lib)} does not export what {rel_list} lists")
        for n in extra:
            print(f"  + {n}   (exported, not in the list: a new ABI entry)")
        for n in missing:
            print(f"  - {n}   (listed, not exported: an ABI break)")
        print("  If the change is intended, regenerate the list and review its diff:")
        print("    HNUMA_UPDATE_SYMBOLS=1 meson test -C BUILDDIR exported-symbols && git diff tests/api")
    prefix = sorted(n for n in exported if not n.startswith("hn_") and n not in NON_HN_ALLOWED)
    if prefix:
        bad = True
        print("symbols: exported names without the hn_ prefix (a symbol leak: mark it static,")
        print("  or give it the prefix and an HN_EXPORT declaration):")
        for n in prefix:
            print(f"  {n}")
    undeclared = sorted(n for n in exported if n not in declared)
    if undeclared:
        bad = True
        print("symbols: exported but declared HN_EXPORT in no include/hnuma header:")
        for n in undeclared:
            print(f"  {n}")
    unexported = sorted(n for n in declared if n not in exported)
    if unexported:
        bad = True
        print("symbols: declared HN_EXPORT but not exported (users would fail to link):")
        for n in unexported:
            print(f"  {n}   (include/hnuma/{declared[n]})")
    if bad:
        return 1
    print(f"symbols: {len(exported)} exported, all listed, all hn_*, all declared HN_EXPORT")
    return 0


# A row names its function first: ROW_INT(hn_x, ...), UNDOC_BOOL(hn_x, ...).
ROW_RE = re.compile(r"\b(ROW|UNDOC|MISMATCH|KNOWN_BUG)_\w+\(\s*(hn_\w+)\s*,")
# Each header's rows live in one function: static void test_<stem>_h(void **state)
TABLE_RE = re.compile(r"^static void test_(\w+)_h\s*\(", re.M)
# docs/errors.md: a section per header ("## alloc.h ..."), a table row per function
DOC_SECTION_RE = re.compile(r"^##\s+(?:.*?\b(\w+\.h)\b)?", re.M)
DOC_ROW_RE = re.compile(r"^\|\s*`(hn_\w+)`", re.M)


def by_section(text, section_re, item_re, group):
    """[(item, section it sits in, line)] for every match of @item_re; the
    section is the last @section_re match before it (None before any)."""
    sections = [(m.start(), m.group(1) or m.group(0).strip())
                for m in section_re.finditer(text)]
    out = []
    for m in item_re.finditer(text):
        sec = None
        for pos, name in sections:
            if pos > m.start():
                break
            sec = name
        out.append((m.group(group), sec, text.count("\n", 0, m.start()) + 1))
    return out


def cmd_coverage(hdr_dir, contract_c, errors_md):
    declared = all_exports(hdr_dir)
    with open(contract_c, encoding="utf-8") as f:
        # blank comments, keep line numbers: a row in a comment is no row
        code = COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n") or " ", f.read())
    rows = by_section(code, TABLE_RE, ROW_RE, 2)
    kinds = {}
    for m in ROW_RE.finditer(code):
        kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
    with open(errors_md, encoding="utf-8") as f:
        doc = f.read()
    doc_rows = by_section(doc, DOC_SECTION_RE, DOC_ROW_RE, 1)
    bad = False
    rel_c, rel_md = "tests/unit/" + os.path.basename(contract_c), "docs/" + os.path.basename(errors_md)

    for what, items, where, want in (
            ("error-contract rows", rows, rel_c, lambda h: "test_%s_h()" % h[:-2]),
            ("docs/errors.md table rows", doc_rows, rel_md, lambda h: "the section for " + h)):
        have = {name for name, _, _ in items}
        missing = sorted(n for n in declared if n not in have)
        stale = sorted(n for n in have if n not in declared)
        if missing:
            bad = True
            print(f"coverage: public functions without {what} ({where}):")
            for n in missing:
                print(f"  {n}   (include/hnuma/{declared[n]})")
        if stale:
            bad = True
            print(f"coverage: {what} name functions no header exports:")
            for n in stale:
                print(f"  {n}")
        misplaced = sorted({(line, n, sec) for n, sec, line in items
                            if n in declared and (sec or "")
                            not in (declared[n], declared[n][:-2])})
        if misplaced:
            bad = True
            print(f"coverage: {what} outside their header's group ({where}):")
            for line, n, sec in misplaced:
                print(f"  line {line}: {n} belongs in {want(declared[n])}, "
                      f"not under {sec or 'no header'}")
    if bad:
        return 1
    print(f"coverage: all {len(declared)} public functions have contract rows and a "
          f"{rel_md} entry, each under its header")
    print("coverage: rows by kind: " + ", ".join(f"{k} {kinds.get(k, 0)}"
                                                for k in ("ROW", "UNDOC", "MISMATCH", "KNOWN_BUG")))
    return 0


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "headers" and len(args) == 1:
        cmd_headers(*args)
        return 0
    if cmd == "header-list" and len(args) >= 3:
        return cmd_header_list(args[0], args[1], args[2], args[3:])
    if cmd == "tu" and len(args) == 3 and args[0] in ("c", "cpp"):
        return cmd_tu(*args)
    if cmd == "symbols" and len(args) == 4:
        return cmd_symbols(*args)
    if cmd == "coverage" and len(args) == 3:
        return cmd_coverage(*args)
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
