/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scope-bound resource release (crun/systemd style). A function uses either these or a single
 * goto unwind, never both. Hand ownership out with TAKE_PTR()/TAKE_FD().
 */
#ifndef VG_BASIC_CLEANUP_H
#define VG_BASIC_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define cleanup(fn) __attribute__((cleanup(fn)))

static inline void vg_freep(void *p)
{
	free(*(void **)p);
}

static inline void vg_closep(const int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
}

static inline void vg_fclosep(FILE **f)
{
	if (*f)
		(void)fclose(*f);
}

#define cleanup_free   cleanup(vg_freep)
#define cleanup_close  cleanup(vg_closep)
#define cleanup_fclose cleanup(vg_fclosep)

#define TAKE_PTR(p)                               \
	({                                        \
		__typeof__(p) *vg_ptr_ = &(p);    \
		__typeof__(p) vg_tmp_ = *vg_ptr_; \
		*vg_ptr_ = NULL;                  \
		vg_tmp_;                          \
	})

#define TAKE_FD(fd)                    \
	({                             \
		int *vg_fdp_ = &(fd);  \
		int vg_fd_ = *vg_fdp_; \
		*vg_fdp_ = -EBADF;     \
		vg_fd_;                \
	})

/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define DEFINE_CLEANUP_FUNC(type, func)     \
	static inline void func##p(type *p) \
	{                                   \
		if (*p)                     \
			func(*p);           \
	}
/* NOLINTEND(bugprone-macro-parentheses) */

#endif /* VG_BASIC_CLEANUP_H */
