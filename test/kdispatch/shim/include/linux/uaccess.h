/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for user memory: only the window the test maps is "user
 * memory"; any access that is not wholly inside it (NULL included) faults.
 * Like the kernel's, a faulting copy_from_user zero-fills its destination and
 * both return the number of bytes not copied.
 */
#ifndef SHIM_LINUX_UACCESS_H
#define SHIM_LINUX_UACCESS_H
#include <linux/types.h>

unsigned long shim_copy_from_user(void *to, const void *from, unsigned long n);
unsigned long shim_copy_to_user(void *to, const void *from, unsigned long n);
#define copy_from_user(to, from, n) shim_copy_from_user(to, from, n)
#define copy_to_user(to, from, n) shim_copy_to_user(to, from, n)
#endif
