/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HN_EXPORT marks the public entry points of libhnuma.  The library is built
 * with -fvisibility=hidden, so anything without this mark stays internal and
 * the exported-symbol test keeps the ABI honest.
 */
#ifndef HNUMA_EXPORT_H
#define HNUMA_EXPORT_H

#if defined(HNUMA_BUILDING) && defined(__GNUC__)
#define HN_EXPORT __attribute__((visibility("default")))
#else
#define HN_EXPORT
#endif

#ifdef __cplusplus
#define HN_BEGIN_DECLS extern "C" {
#define HN_END_DECLS }
#else
#define HN_BEGIN_DECLS
#define HN_END_DECLS
#endif

#endif /* HNUMA_EXPORT_H */
