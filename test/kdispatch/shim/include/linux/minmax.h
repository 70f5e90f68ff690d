/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for linux/minmax.h: min_t() as the kernel defines its meaning. */
#ifndef SHIM_LINUX_MINMAX_H
#define SHIM_LINUX_MINMAX_H
#define min_t(type, x, y) ((type)(x) < (type)(y) ? (type)(x) : (type)(y))
#endif
