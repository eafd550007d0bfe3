#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Keep the layers of src/ pointing one way.

Every folder under src/ is one layer.  A file may use its own layer and the
layers below it; a lower layer reaches a higher one only through an ops
table the higher one registers (docs/architecture.md, "Layers").  Two
checks hold that true:

  includes  every `#include "dir/file.h"` under src/ names a header of the
            same layer or a lower one;
  symbols   (with --library) every symbol an object file of the library
            needs from another object is defined in the same layer or a
            lower one: this catches the call that needs no include because
            its prototype was put in a lower header.

tools/ and examples/ stand above every layer and use the public headers
only: an `#include "..."` there is a violation too.

A third keeps the map true: docs/architecture.md must show the order below
on its "Layer order:" line.

Exit 0 when all hold; 1 with one line per violation (file:line: what).
"""
import argparse
import os
import re
import subprocess
import sys

# Lowest first.  Folders on one row are peers: they may not include each
# other, but both may use every row above them.  The migrate, reclaim, cram
# and gmem rows are the rooms of the subsystems to come; a folder that is
# not listed here fails the check until it is given its place.
LAYERS = [
    ["util"],
    ["hw"],
    ["mattr"],
    ["core"],
    ["buddy"],
    ["zonelist"],
    ["mempolicy"],
    ["migrate"],
    ["reclaim"],
    ["cram", "gmem"],
    ["check"],
    ["init"],
    ["views"],
    ["sim"],
]

RANK = {d: i for i, row in enumerate(LAYERS) for d in row}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def order_line():
    return "Layer order: " + " → ".join(", ".join(row) for row in LAYERS)


def layer_of(path, src):
    rel = os.path.relpath(path, src)
    return rel.split(os.sep)[0] if os.sep in rel else None


def source_files(src):
    for root, _dirs, files in os.walk(src):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(root, f)


def check_includes(src, errors):
    for path in source_files(src):
        me = layer_of(path, src)
        rel = os.path.relpath(path, os.path.dirname(src))
        if me not in RANK:
            errors.append(f"{rel}:1: folder src/{me} is in no layer: give it a row in "
                          f"tests/layering.py and docs/architecture.md")
            continue
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                # "file.h" with no folder is a header of the same folder
                them = target.split("/")[0] if "/" in target else me
                if them not in RANK:
                    errors.append(f"{rel}:{n}: includes \"{target}\", which is in no layer")
                elif RANK[them] > RANK[me]:
                    errors.append(f"{rel}:{n}: {me} includes \"{target}\" of the higher "
                                  f"layer {them}")
                elif RANK[them] == RANK[me] and them != me:
                    errors.append(f"{rel}:{n}: {me} includes \"{target}\" of its peer {them}")


def check_public_only(top, errors):
    for folder in ("tools", "examples"):
        for root, _dirs, files in os.walk(os.path.join(top, folder)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if m:
                            errors.append(f"{os.path.relpath(path, top)}:{n}: includes "
                                          f"\"{m.group(1)}\"; {folder}/ uses <hnuma/...> only")


def object_source(obj):
    """src_core_sim.c.o -> src/core/sim.c (Meson's object naming)."""
    base = os.path.basename(obj)
    if not base.startswith("src_") or not base.endswith(".c.o"):
        return None
    parts = base[len("src_"):-len(".o")].split("_", 1)
    return os.path.join("src", parts[0], parts[1]) if len(parts) == 2 else None


def nm(obj, *flags):
    out = subprocess.run(["nm", *flags, obj], check=True, capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def first_use(top, source, sym):
    word = re.compile(r"\b" + re.escape(sym) + r"\b")
    try:
        with open(os.path.join(top, source), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if word.search(line):
                    return n
    except OSError:
        pass
    return 1


def check_symbols(top, objdir, errors):
    objs = sorted(os.path.join(objdir, f) for f in os.listdir(objdir) if f.endswith(".c.o"))
    defined, needed = {}, {}
    for obj in objs:
        source = object_source(obj)
        # an object whose source is gone is a leftover of an older build
        if not source or not os.path.exists(os.path.join(top, source)):
            continue
        layer = source.split("/")[1]
        for sym in nm(obj, "--defined-only", "--extern-only"):
            defined[sym] = (layer, source)
        needed[source] = (layer, nm(obj, "--undefined-only"))
    if not defined:
        # LTO objects without a linker plugin carry no symbol table
        return False
    for source, (layer, syms) in sorted(needed.items()):
        if layer not in RANK:
            continue
        for sym in syms:
            if sym not in defined:
                continue
            them, where = defined[sym]
            if them in RANK and RANK[them] > RANK[layer]:
                errors.append(f"{source}:{first_use(top, source, sym)}: {layer} uses {sym} "
                              f"of the higher layer {them} ({where})")
    return True


def check_docs(top, errors):
    path = os.path.join(top, "docs", "architecture.md")
    want = order_line()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("Layer order:"):
                if line.strip() != want:
                    errors.append(f"docs/architecture.md:{n}: the layer order differs from "
                                  f"tests/layering.py; it should read: {want}")
                return
    errors.append(f"docs/architecture.md:1: no line \"{want}\"")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("top", help="the source tree")
    ap.add_argument("--library", help="the built library; its objects are in LIBRARY.p/")
    ap.add_argument("--print-order", action="store_true", help="print the layer order line")
    args = ap.parse_args()
    if args.print_order:
        print(order_line())
        return 0
    src = os.path.join(args.top, "src")
    errors = []
    check_includes(src, errors)
    check_public_only(args.top, errors)
    check_docs(args.top, errors)
    symbols = None
    if args.library:
        objdir = args.library + ".p"
        if not os.path.isdir(objdir):
            print(f"layering: no object directory {objdir}", file=sys.stderr)
            return 1
        symbols = check_symbols(args.top, objdir, errors)
    for e in errors:
        print(e)
    if errors:
        print(f"layering: {len(errors)} violation(s)")
        return 1
    what = "includes and symbols" if symbols else "includes"
    if symbols is False:
        what += " (symbols skipped: the objects carry no symbol table)"
    print(f"layering: {what} point down, {len(LAYERS)} layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
