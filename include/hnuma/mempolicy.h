/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/mempolicy.h - simulated tasks and their NUMA memory policies
 * (mm/mempolicy.c of Linux 6.12, include/uapi/linux/mempolicy.h).
 *
 * A task runs on one simulated CPU (so it has a home node) inside a cpuset
 * (its mems_allowed).  set_mempolicy() and get_mempolicy() take the
 * system calls' arguments in their order, with their numbers and errno
 * rules; hn_task_alloc_pages() is alloc_pages() called by the task: its
 * policy picks the preferred node and the nodemask, and the page
 * allocator does the rest.
 *
 * Node masks cross the interface as the system calls pass them: an array
 * of unsigned long and a maxnode, of which maxnode - 1 bits are read (the
 * kernel's off-by-one, kept so that programs port unchanged).
 *
 * Address spaces, VMA policies (mbind) and page faults build on this in
 * later steps; until then get_mempolicy() with MPOL_F_ADDR is -EFAULT, as
 * for an address no mapping covers.
 */
#ifndef HNUMA_MEMPOLICY_H
#define HNUMA_MEMPOLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/alloc.h>
#include <hnuma/export.h>
#include <hnuma/gfp.h>
#include <hnuma/mattr.h>

HN_BEGIN_DECLS

struct hn_sim;
struct hn_task;

/* The modes, numbered as the kernel numbers them. */
enum {
	MPOL_DEFAULT,
	MPOL_PREFERRED,
	MPOL_BIND,
	MPOL_INTERLEAVE,
	MPOL_LOCAL,
	MPOL_PREFERRED_MANY,
	MPOL_WEIGHTED_INTERLEAVE,
	MPOL_MAX,
};

/* Mode flags, or'ed into the mode argument. */
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_MODE_FLAGS (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)

/* get_mempolicy() flags. */
#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)
#define MPOL_F_MEMS_ALLOWED (1 << 2)

/*
 * A task on @cpu, in a cpuset of every node (like a task in the root
 * cpuset), with the default policy.  The instance owns it:
 * hn_sim_destroy() frees what the caller did not.
 * 0; -EINVAL (NULL, a CPU the machine does not have); -EAGAIN before
 * boot; -ENOMEM.
 */
HN_EXPORT int hn_task_create(struct hn_sim *sim, unsigned int cpu, struct hn_task **out);
/* Exit: frees the policy and the task.  NULL is fine. */
HN_EXPORT void hn_task_destroy(struct hn_task *t);

/* The task's id (1, 2, ... in creation order), CPU and home node; -EINVAL for NULL. */
HN_EXPORT int hn_task_pid(const struct hn_task *t);
HN_EXPORT int hn_task_cpu(const struct hn_task *t);
HN_EXPORT int hn_task_node(const struct hn_task *t);

/* Move the task to another CPU (its home node follows).  0; -EINVAL. */
HN_EXPORT int hn_task_set_cpu(struct hn_task *t, unsigned int cpu);

/*
 * The cpuset's mems: narrowing them rebinds the task's policy as
 * mpol_rebind_task() does (static nodes intersect, relative nodes fold
 * onto the new set, others are remapped).  0; -EINVAL (NULL, or a mask
 * with no node that has memory).
 */
HN_EXPORT int hn_task_set_mems_allowed(struct hn_task *t, const struct hn_nodemask *mems);

/*
 * set_mempolicy(2).  @mode is a mode or'ed with mode flags; @nmask and
 * @maxnode as the system call reads them (NULL or maxnode <= 1: no
 * nodes).  0; -EINVAL (an unknown mode, STATIC and RELATIVE together,
 * NUMA_BALANCING with a mode other than BIND and PREFERRED_MANY, a mask
 * longer than a page of bits or with bits set past the node limit, nodes
 * where the mode wants none or none where it needs some, a mask with no
 * node the cpuset allows that has memory); -ENOMEM.
 */
HN_EXPORT int hn_set_mempolicy(struct hn_task *t, int mode, const unsigned long *nmask,
			       unsigned long maxnode);

/*
 * get_mempolicy(2).  With MPOL_F_MEMS_ALLOWED the cpuset's mems; with
 * MPOL_F_NODE the node the next interleaved allocation will use (an
 * interleave policy only); otherwise the mode with its flags and the
 * nodes (the ones given, for STATIC/RELATIVE policies).  @policy and
 * @nmask may be NULL.  0; -EINVAL (unknown flags, MPOL_F_MEMS_ALLOWED
 * with another flag, an address without MPOL_F_ADDR, MPOL_F_NODE without
 * an interleave policy, @nmask with @maxnode below the number of node ids,
 * a @maxnode longer than a page of bits); -EFAULT (MPOL_F_ADDR: no
 * mapping at @addr).  As in the kernel, @maxnode ULONG_MAX makes the copy
 * size ALIGN(maxnode - 1, 64) / 8 wrap to 0: 0, and @nmask is not written.
 */
HN_EXPORT int hn_get_mempolicy(struct hn_task *t, int *policy, unsigned long *nmask,
			       unsigned long maxnode, unsigned long addr, unsigned long flags);

/*
 * alloc_pages() by the task: its policy (the default: its home node)
 * chooses the preferred node and nodemask, then hn_alloc_pages().
 * PREFERRED_MANY tries its nodes first without direct reclaim, then
 * everywhere; interleave policies take the task's next node and count
 * interleave_hit when the page lands there.  The task's CPU becomes the
 * instance's current CPU for the call.  Returns as hn_alloc_pages().
 */
HN_EXPORT int hn_task_alloc_pages(struct hn_task *t, hn_gfp_t gfp, unsigned int order,
				  uint64_t *pfn);

/*
 * Address spaces.  A task maps anonymous private memory with mmap(2),
 * unmaps it with munmap(2), changes protections with mprotect(2) and
 * binds ranges to policies with mbind(2); VMAs split and merge as the
 * kernel's do.  Memory is allocated on first write (a first read maps the
 * zero page), through the VMA's policy or else the task's, interleave
 * policies by the page's offset in the mapping.  The numbers are Linux's.
 */
#define HN_PROT_NONE 0x0
#define HN_PROT_READ 0x1
#define HN_PROT_WRITE 0x2
#define HN_PROT_EXEC 0x4
#define HN_MAP_SHARED 0x01
#define HN_MAP_PRIVATE 0x02
#define HN_MAP_FIXED 0x10
#define HN_MAP_ANONYMOUS 0x20
#define HN_MAP_POPULATE 0x8000
#define HN_MAP_FIXED_NOREPLACE 0x100000
#define HN_MPOL_MF_STRICT (1 << 0)
#define HN_MPOL_MF_MOVE (1 << 1)
#define HN_MPOL_MF_MOVE_ALL (1 << 2)

/*
 * mmap(2) of anonymous memory: MAP_PRIVATE | MAP_ANONYMOUS, optionally
 * MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE; *@out the address (placed
 * top-down below the stack gap, or at a free hint).  0; -EINVAL (NULL,
 * length 0, unknown flags, neither or both of PRIVATE and SHARED, MAP_FIXED
 * at an unaligned address); -EBADF (no MAP_ANONYMOUS: there are no
 * files); -EOPNOTSUPP (MAP_SHARED); -EPERM (MAP_FIXED below mmap_min_addr,
 * 64 KiB); -EEXIST (MAP_FIXED_NOREPLACE over a mapping); -ENOMEM (no room,
 * too long, 65530 mappings).
 */
HN_EXPORT int hn_mmap(struct hn_task *t, uint64_t addr, uint64_t len, int prot, int flags,
		      uint64_t *out);
/* munmap(2): 0 (also for nothing mapped); -EINVAL (NULL, unaligned, length 0, past the end). */
HN_EXPORT int hn_munmap(struct hn_task *t, uint64_t addr, uint64_t len);
/*
 * mprotect(2): 0 (also for length 0); -EINVAL (NULL, unaligned start,
 * unknown protection bits); -ENOMEM (a page of the range unmapped, or no
 * room to split).
 */
HN_EXPORT int hn_mprotect(struct hn_task *t, uint64_t start, uint64_t len, int prot);
/*
 * mbind(2).  The mode and mask as for set_mempolicy().  @flags:
 * HN_MPOL_MF_MOVE (and _MOVE_ALL, the same here: no page is shared)
 * migrates the range's pages that the new policy does not allow to where
 * it says (MR_MEMPOLICY_MBIND), after the policy is applied, as the kernel
 * does; HN_MPOL_MF_STRICT makes a misplaced page that stays where it is
 * an -EIO (without MOVE: any misplaced page).  0; -EINVAL (NULL, bad mode,
 * flags or mask, an unaligned start, a range that wraps); -EFAULT (a hole
 * in the range, or no mapping at all for the default policy); -EIO;
 * -ENOMEM.
 */
HN_EXPORT int hn_mbind(struct hn_task *t, uint64_t start, uint64_t len, int mode,
		       const unsigned long *nmask, unsigned long maxnode, unsigned int flags);

/*
 * One access by the task: a fault allocates or maps what the page needs,
 * and the young (and for a write, dirty) bit is set.  With page contents
 * on (hn_sim_config.contents), a write stores bytes: a new page is filled
 * by the content model, a present one has the 64-byte line at @addr
 * rewritten.  0; -EINVAL (NULL); -EFAULT (no mapping: the task would get
 * SIGSEGV); -EACCES (the protection forbids it); -ENOMEM (no memory for
 * the page, the kernel's VM_FAULT_OOM); -EAGAIN (the page is being
 * migrated: the kernel's fault waits in migration_entry_wait() and
 * retries; here the caller retries once the migration returned).
 */
HN_EXPORT int hn_task_touch(struct hn_task *t, uint64_t addr, bool write);

/* Page table entry bits, as hn_task_pte() reports them. */
#define HN_PTE_PRESENT 0x1
#define HN_PTE_YOUNG 0x2
#define HN_PTE_DIRTY 0x4
#define HN_PTE_ZERO 0x8	/* the shared zero page: *pfn is HN_PFN_NONE */
#define HN_PTE_MIGRATION 0x10	/* not present: a migration entry for *pfn */

/*
 * What maps the page at @addr: its pfn and HN_PTE_* bits.  0; -EINVAL
 * (NULL); -EFAULT (no mapping); -ENOENT (mapped, never touched).
 */
HN_EXPORT int hn_task_pte(const struct hn_task *t, uint64_t addr, uint64_t *pfn,
			  unsigned int *flags);
/* The task's mappings: how many (-EINVAL for NULL), and the @i-th by address (-ENOENT past them). */
HN_EXPORT int hn_task_nr_vmas(const struct hn_task *t);
HN_EXPORT int hn_task_vma(const struct hn_task *t, unsigned int i, uint64_t *start, uint64_t *end,
			  int *prot);
/* Pages mapped (not counting the zero page); 0 for NULL. */
HN_EXPORT uint64_t hn_task_rss(const struct hn_task *t);

/*
 * /proc/<pid>/numa_maps: a line per mapping, "<start> <policy>" and, when
 * pages are mapped, anon=, dirty=, N<node>= and kernelpagesize_kB=.
 * 0; -EINVAL (NULL); -ENOMEM; -EIO.
 */
HN_EXPORT int hn_task_show_numa_maps(const struct hn_task *t, FILE *f);

/*
 * Hierarchical NUMA on the virtual side (hnuma/mattr.h): the slides'
 * mempolicy mattr and vm_mattr.  hn_task_set_mattr() gives the task's
 * allocations and faults an attribute word; hn_madvise_mattr() gives a
 * range of mappings its own (VMAs split and merge as for mbind).  A fault
 * asks for the VMA's word, else the task's, with __GFP_MATTR_FALLBACK so
 * that a fault never fails for want of attributed memory; a mainline
 * machine ignores the words.  0 clears a word.
 * set: 0 or -EINVAL (NULL, a malformed word).  madvise: 0; -EINVAL (NULL,
 * a malformed word, an unaligned or empty range); -ENOMEM (a page of the
 * range unmapped, or no room to split).
 */
HN_EXPORT int hn_task_set_mattr(struct hn_task *t, hn_mattr_t mattr);
HN_EXPORT int hn_madvise_mattr(struct hn_task *t, uint64_t start, uint64_t len, hn_mattr_t mattr);

/*
 * hmadvise(nid, start, len, hint) of the GMEM proposal: HN_MADV_PREFETCH
 * places every page of the range on node @nid (mapped pages elsewhere move
 * there, untouched ones are populated there); HN_MADV_DONTNEED drops the
 * range's pages (the next access faults).  0; -EINVAL (NULL, an unaligned
 * or empty range, an unknown hint, for PREFETCH a node out of range or
 * without memory); -ENOMEM (a page of the range unmapped, or @nid full:
 * pages moved so far stay moved).
 */
#define HN_MADV_DONTNEED 4
#define HN_MADV_PREFETCH 0x1000
HN_EXPORT int hn_hmadvise(struct hn_task *t, int nid, uint64_t start, uint64_t len, int hint);

/*
 * /sys/kernel/mm/mempolicy/weighted_interleave/nodeN: a node's weight for
 * MPOL_WEIGHTED_INTERLEAVE, 1..255, or 0 for the system default (1).
 * set: 0 or -EINVAL (NULL, a node out of range); get: the weight in use
 * (1..255), or -EINVAL.
 */
HN_EXPORT int hn_sim_set_il_weight(struct hn_sim *sim, int nid, uint8_t weight);
HN_EXPORT int hn_sim_il_weight(const struct hn_sim *sim, int nid);

/*
 * mmu notifiers (include/linux/mmu_notifier.h): whoever mirrors a task's
 * pages (a device, a private-node driver) learns before core mm changes
 * ptes of a range, and after.  invalidate_range_start() may refuse with
 * -EAGAIN only when @blockable is false (asynchronous migration): the
 * range is then left as it was and the operation moves on or retries.
 * release() runs once when the address space goes away.  The events are
 * the kernel's; migration reports HN_MMU_NOTIFY_MIGRATE (docs/faithfulness.md).
 */
enum hn_mmu_notifier_event {
	HN_MMU_NOTIFY_UNMAP,		/* munmap() */
	HN_MMU_NOTIFY_CLEAR,		/* ptes cleared (hmadvise DONTNEED, exit) */
	HN_MMU_NOTIFY_PROTECTION_VMA,	/* mprotect() */
	HN_MMU_NOTIFY_PROTECTION_PAGE,
	HN_MMU_NOTIFY_SOFT_DIRTY,
	HN_MMU_NOTIFY_RELEASE,
	HN_MMU_NOTIFY_MIGRATE,		/* a page replaced by a migration entry */
	HN_MMU_NOTIFY_EXCLUSIVE,
};

struct hn_mmu_notifier_ops {
	int (*invalidate_range_start)(void *ctx, struct hn_task *t, uint64_t start, uint64_t end,
				      enum hn_mmu_notifier_event event, bool blockable);
	void (*invalidate_range_end)(void *ctx, struct hn_task *t, uint64_t start, uint64_t end,
				     enum hn_mmu_notifier_event event);
	void (*release)(void *ctx, struct hn_task *t);
};

/*
 * Subscribe (@ops, @ctx) to task @t's address space, created if it has
 * none yet.  0; -EINVAL (NULL); -EEXIST (the same pair twice); -ENOMEM.
 * Unsubscribe: 0; -EINVAL (NULL); -ENOENT (not subscribed).
 */
HN_EXPORT int hn_mmu_notifier_register(struct hn_task *t, const struct hn_mmu_notifier_ops *ops,
				       void *ctx);
HN_EXPORT int hn_mmu_notifier_unregister(struct hn_task *t,
					 const struct hn_mmu_notifier_ops *ops, void *ctx);

/*
 * The integrity check of page contents: every page a task maps is read
 * back and compared with what was last written to that virtual page
 * (bytes, checksum, the owner and address they were written for).
 * *@checked pages were compared and *@lost of them did not match or had
 * no contents; a lost page is also reported ("page contents lost").  0;
 * -EINVAL (NULL); -EOPNOTSUPP (contents are off).
 */
HN_EXPORT int hn_sim_integrity(struct hn_sim *sim, uint64_t *checked, uint64_t *lost);

/*
 * A policy as the tools and scenario files spell it: "MODE" or
 * "MODE:NODES", MODE one of default, local, bind, interleave, preferred,
 * preferred-many and weighted (MPOL_WEIGHTED_INTERLEAVE).  Sets *@mode and
 * points *@nodes at the node string after the colon, or sets it to NULL
 * when there is none; the node string itself is not parsed (see
 * hn_parse_nodestring()).  0; -EINVAL (NULL, an unknown mode, nodes after
 * default or local, no nodes after the others).
 */
HN_EXPORT int hn_mpol_parse_spec(const char *spec, int *mode, const char **nodes);

HN_END_DECLS

#endif /* HNUMA_MEMPOLICY_H */
