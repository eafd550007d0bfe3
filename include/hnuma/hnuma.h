/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma.h - everything in one include.
 *
 * hnuma simulates Linux NUMA physical-memory management in user space:
 * a machine description (hw.h) boots into memblock (memblock.h), nodes,
 * zones and the buddy allocator (sim.h).  All state hangs off one
 * struct hn_sim; there are no globals, and every call returns 0 or a
 * negative errno (hn_strerror() names it).
 */
#ifndef HNUMA_HNUMA_H
#define HNUMA_HNUMA_H

#include <hnuma/export.h>
#include <hnuma/log.h>
#include <hnuma/hw.h>
#include <hnuma/cost.h>
#include <hnuma/memblock.h>
#include <hnuma/sim.h>
#include <hnuma/gfp.h>
#include <hnuma/alloc.h>
#include <hnuma/fault.h>
#include <hnuma/trace.h>
#include <hnuma/mattr.h>
#include <hnuma/numa.h>
#include <hnuma/mempolicy.h>
#include <hnuma/migrate.h>
#include <hnuma/run.h>

#define HNUMA_VERSION_MAJOR 0
#define HNUMA_VERSION_MINOR 1
#define HNUMA_VERSION_MICRO 0

HN_BEGIN_DECLS

/* The library's version string, e.g. "0.1.0". */
HN_EXPORT const char *hn_version(void);

HN_END_DECLS

#endif /* HNUMA_HNUMA_H */
