// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the generated vhost-vdpa-net dispatch over the fake device from a
 * script on stdin, one command per line, and prints one line per call. The
 * tests (test/kdispatch) write the script and judge the output
 * against the model.
 *
 *   reset                   fresh device, no eventfds, no poison, no failure
 *   fact NAME VALUE         a field of the facts struct
 *   owner 0|1 / status N    the device state the hooks report
 *   eventfd FD              FD is an open eventfd from now on
 *   file FD                 FD is an open file that is not an eventfd
 *   fail ERRNO              the next handler fails with -ERRNO
 *   poison 0|1              fill the stack with 0xa5 before each call
 *   call CMD MODE [HEX]     ioctl; compat CMD MODE [HEX]: the same through compat_ioctl
 *   leaky                   a deliberately leaking copy-out, to show the poison check works
 *
 * MODE: null (argp NULL), arg (HEX at the start of a mapped page), tight (HEX
 * at the very end of the mapped window, so any byte past it faults).
 *
 * Output: ret=ERRNO|N handler=NAME|- owner= status= nospec= refs= held= faults=
 * out=HEX (the user bytes after the call) seen=HEX (the argument the handler saw).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/uaccess.h>
/*
 * The profile under test: vhost-vdpa-net, the 2019 vhost-mdev-v2 (-DRUNNER_MDEV_V2) or the
 * argsz fixture (-DRUNNER_VFIO_ARGSZ).
 */
#ifdef RUNNER_MDEV_V2
#include "fake_vhost_mdev_v2.h"
#define RUNNER_COMPAT vhost_mdev_v2_compat_ioctl
#elif defined(RUNNER_VFIO_ARGSZ)
#include "fake_vfio_argsz.h"
#define RUNNER_COMPAT vfio_argsz_compat_ioctl
#else
#include "fake_vdpa_net.h"
#define RUNNER_COMPAT vhost_vdpa_net_compat_ioctl
#endif
#include "profile.h"
#include "shim.h"

#define PAGE 4096
#define POISON 0xa5

/* The dispatch under test; bench/kdispatch builds the runner over its hand-written one too. */
#ifdef RUNNER_HANDWRITTEN
#include "handwritten.h"
#define RUNNER_IOCTL hand_ioctl
#elif defined(RUNNER_MDEV_V2)
#define RUNNER_IOCTL vhost_mdev_v2_ioctl
#elif defined(RUNNER_VFIO_ARGSZ)
#define RUNNER_IOCTL vfio_argsz_ioctl
#else
#define RUNNER_IOCTL vhost_vdpa_net_ioctl
#endif

static unsigned char *arena;	/* two pages below 4 GiB, so compat pointers reach them */
static int poison;

static const struct {
	int no;
	const char *name;
} errnos[] = {
#define E(x) { x, #x }
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(EBADF), E(EAGAIN), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(EINVAL), E(ENOSPC), E(ENOTTY),
	E(ERANGE), E(ENOSYS), E(EOVERFLOW), E(EOPNOTSUPP), E(ENOBUFS), E(ETIMEDOUT), E(ENOTSUPP),
	E(ENOIOCTLCMD),
#undef E
};

static const char *errname(long r)
{
	static char buf[32];

	for (size_t i = 0; r < 0 && i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (-r == errnos[i].no)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* Sets a field of the facts struct by name (the table comes from the model: profile.h). */
static int set_fact(const char *name, unsigned long long v)
{
	unsigned char *base = (unsigned char *)&fake.facts;

	for (size_t i = 0; i < sizeof(shim_facts) / sizeof(shim_facts[0]); i++) {
		const struct shim_fact *f = &shim_facts[i];

		if (strcmp(f->name, name))
			continue;
		if (f->size == 1) {
			bool b = v != 0;

			memcpy(base + f->offset, &b, 1);
		} else if (f->size == 4) {
			u32 x = (u32)v;

			memcpy(base + f->offset, &x, 4);
		} else {
			memcpy(base + f->offset, &v, 8);
		}
		return 0;
	}
	return -1;
}

static size_t unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (s && n < max && sscanf(s + 2 * n, "%2x", &b) == 1)
		out[n++] = (unsigned char)b;
	return n;
}

static void hex(const unsigned char *p, size_t n)
{
	if (!n)
		fputc('-', stdout);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Leaves a poisoned stack below the caller's frame for the next call to reuse. */
__attribute__((noinline)) static void poison_stack(void)
{
	volatile unsigned char pad[16384];

	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] = POISON;
}

/* Negative control: copies a struct it never initialised, as a buggy dispatch would. */
__attribute__((noinline)) static long leaky(void *argp)
{
	struct {
		u64 first;
		u64 last;
	} range;
	/* Only `first` is written: `last` is whatever the stack held. */
	volatile u64 *first = &range.first;

	*first = 0x1000;
	return copy_to_user(argp, &range, sizeof(range)) ? -EFAULT : 0;
}

static void call(int compat, unsigned int cmd, const char *mode, const char *hexarg)
{
	unsigned char bytes[PAGE];
	size_t n = unhex(hexarg, bytes, sizeof(bytes));
	unsigned char *argp = NULL;
	size_t shown = 0;
	unsigned long calls = fake.calls;
	long r;

	memset(arena, 0, 2 * PAGE);
	if (!strcmp(mode, "arg")) {
		argp = arena;
		shim_user_map(arena, 2 * PAGE);
		shown = n + 64;
	} else if (!strcmp(mode, "tight")) {
		argp = arena + 2 * PAGE - n;
		shim_user_map(argp, n);
		shown = n;
	} else {
		shim_user_map(arena, 2 * PAGE);
	}
	if (argp)
		memcpy(argp, bytes, n);
	shim_nospec_calls = 0;
	shim_user_faults = 0;
	if (poison)
		poison_stack();
	if (compat)
		r = RUNNER_COMPAT(&fake, cmd, (unsigned long)(uintptr_t)argp);
	else if (cmd == 0xffffffffu)
		r = leaky(argp);
	else
		r = RUNNER_IOCTL(&fake, cmd, argp);
	printf("ret=%s handler=%s owner=%d status=%u nospec=%lu refs=%ld held=%ld faults=%lu out=",
	       errname(r), fake.calls != calls ? fake.handler : "-", fake.owner,
	       fake.status, shim_nospec_calls, shim_eventfd_refs(), fake_held(), shim_user_faults);
	hex(argp ? argp : arena, argp ? shown : 0);
	fputs(" seen=", stdout);
	hex(fake.seen, fake.calls != calls ? fake.seen_len : 0);
	fputc('\n', stdout);
}

int main(void)
{
	char line[3 * PAGE], word[64], mode[16], arg[2 * PAGE + 1];
	unsigned long long v;
	unsigned int cmd;

	arena = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (arena == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	fake_reset();
	while (fgets(line, sizeof(line), stdin)) {
		arg[0] = '\0';
		if (sscanf(line, "%63s", word) != 1)
			continue;
		if (!strcmp(word, "reset")) {
			fake_reset();
			shim_eventfd_reset();
			poison = 0;
		} else if (!strcmp(word, "fact") && sscanf(line, "%*s %63s %llu", word, &v) == 2) {
			if (set_fact(word, v)) {
				fprintf(stderr, "unknown fact %s\n", word);
				return 2;
			}
		} else if (sscanf(line, "owner %llu", &v) == 1) {
			fake.owner = v != 0;
		} else if (sscanf(line, "status %llu", &v) == 1) {
			fake.status = (u8)v;
		} else if (sscanf(line, "eventfd %llu", &v) == 1) {
			shim_eventfd_open((int)v);
		} else if (sscanf(line, "file %llu", &v) == 1) {
			shim_file_open((int)v);
		} else if (sscanf(line, "fail %llu", &v) == 1) {
			fake.fail = -(long)v;
		} else if (sscanf(line, "poison %llu", &v) == 1) {
			poison = v != 0;
		} else if (!strcmp(word, "leaky")) {
			call(0, 0xffffffffu, "arg", "");
		} else if ((!strcmp(word, "call") || !strcmp(word, "compat")) &&
			   sscanf(line, "%*s %x %15s %8192s", &cmd, mode, arg) >= 2) {
			call(!strcmp(word, "compat"), cmd, mode, arg);
		} else {
			fprintf(stderr, "bad line: %s", line);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
