/* SPDX-License-Identifier: GPL-2.0 */
/* The test side of the shim: map user memory, open eventfds, read counters. */
#ifndef SHIM_H
#define SHIM_H
#include <stddef.h>

/* The one window of "user memory"; every access outside it faults. */
void shim_user_map(void *base, size_t len);
/* Copies that faulted since the last reset. */
extern unsigned long shim_user_faults;

#define SHIM_EVENTFDS 8
/* Opens fd as an eventfd (up to SHIM_EVENTFDS of them); shim_eventfd_reset closes all. */
void shim_eventfd_open(int fd);
void shim_eventfd_reset(void);
/* Opens fd as a file that is not an eventfd (eventfd_ctx_fdget: -EINVAL). */
void shim_file_open(int fd);
/* References taken by eventfd_ctx_fdget and not yet put. */
long shim_eventfd_refs(void);

extern unsigned long shim_nospec_calls;
#endif
