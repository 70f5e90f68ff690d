/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for linux/build_bug.h: static_assert() with the message optional. */
#ifndef SHIM_LINUX_BUILD_BUG_H
#define SHIM_LINUX_BUILD_BUG_H
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif
