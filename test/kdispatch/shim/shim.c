// SPDX-License-Identifier: GPL-2.0
/* The kernel services the generated dispatch uses, in userspace (include/linux/). */
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/eventfd.h>
#include <linux/err.h>
#include <linux/errno.h>
#include "shim.h"

#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#include <sanitizer/msan_interface.h>
#define SHIM_MSAN 1
#endif
#endif

unsigned long shim_nospec_calls;
unsigned long shim_user_faults;
static uintptr_t user_base;
static size_t user_len;

void shim_user_map(void *base, size_t len)
{
	user_base = (uintptr_t)base;
	user_len = len;
}

static bool user_ok(const void *p, unsigned long n)
{
	uintptr_t a = (uintptr_t)p;

	return p && a >= user_base && n <= user_len && a - user_base <= user_len - n;
}

unsigned long shim_copy_from_user(void *to, const void *from, unsigned long n)
{
	if (!user_ok(from, n)) {
		shim_user_faults++;
		memset(to, 0, n);
		return n;
	}
	memcpy(to, from, n);
	return 0;
}

unsigned long shim_copy_to_user(void *to, const void *from, unsigned long n)
{
#ifdef SHIM_MSAN
	/* Under MemorySanitizer: a byte the kernel side never wrote must not reach userspace. */
	__msan_check_mem_is_initialized(from, n);
#endif
	if (!user_ok(to, n)) {
		shim_user_faults++;
		return n;
	}
	memcpy(to, from, n);
	return 0;
}

struct eventfd_ctx {
	int fd;
	long refs;
};

static struct eventfd_ctx eventfds[SHIM_EVENTFDS];
static int open_eventfds;
static int files[SHIM_EVENTFDS];
static int open_files;

void shim_file_open(int fd)
{
	if (open_files < SHIM_EVENTFDS)
		files[open_files++] = fd;
}

void shim_eventfd_open(int fd)
{
	if (open_eventfds < SHIM_EVENTFDS)
		eventfds[open_eventfds++] = (struct eventfd_ctx){ .fd = fd };
}

void shim_eventfd_reset(void)
{
	open_eventfds = 0;
	open_files = 0;
}

long shim_eventfd_refs(void)
{
	long refs = 0;

	for (int i = 0; i < open_eventfds; i++)
		refs += eventfds[i].refs;
	return refs;
}

struct eventfd_ctx *eventfd_ctx_fdget(int fd)
{
	for (int i = 0; i < open_eventfds; i++) {
		if (eventfds[i].fd == fd) {
			eventfds[i].refs++;
			return &eventfds[i];
		}
	}
	/* As fs/eventfd.c: an open file of another kind is EINVAL, a number that is no fd EBADF. */
	for (int i = 0; i < open_files; i++)
		if (files[i] == fd)
			return ERR_PTR(-EINVAL);
	return ERR_PTR(-EBADF);
}

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	ctx->refs--;
}
