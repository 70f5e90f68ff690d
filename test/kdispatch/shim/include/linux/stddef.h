/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for linux/stddef.h: the UAPI one, plus offsetofend(). */
#ifndef SHIM_LINUX_STDDEF_H
#define SHIM_LINUX_STDDEF_H
#include_next <linux/stddef.h>
#include <stddef.h>
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#endif
