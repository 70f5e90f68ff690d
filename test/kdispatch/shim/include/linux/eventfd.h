/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: a table of open eventfds with reference counts (shim.c). */
#ifndef SHIM_LINUX_EVENTFD_H
#define SHIM_LINUX_EVENTFD_H
struct eventfd_ctx;
struct eventfd_ctx *eventfd_ctx_fdget(int fd);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
#endif
