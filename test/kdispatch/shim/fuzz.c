// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: one input is a device (facts, owner, status, open fds)
 * and a walk of calls (request, argument mode, argument bytes, an injected
 * handler failure) through the generated vhost-vdpa-net dispatch over the fake
 * device, with the stack poisoned before each call. Built with clang
 * -fsanitize=fuzzer,address,undefined; besides what the sanitizers catch, it
 * aborts when a call
 *   - leaks an eventfd reference (taken and neither held nor put),
 *   - changes the device although no handler ran,
 *   - lets a poisoned stack byte reach the caller's buffer,
 *   - answers a number outside the profile with anything but -ENOIOCTLCMD,
 *   - returns a positive value or something that is no errno.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/errno.h>
#include "fake_vdpa_net.h"
#include "profile.h"
#include "shim.h"

#define PAGE 4096
#define POISON 0xa5
#define NREQ (sizeof(shim_requests) / sizeof(shim_requests[0]))

static unsigned char user[2 * PAGE];

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct input *in)
{
	uint8_t b = 0;

	if (in->n) {
		b = *in->p++;
		in->n--;
	}
	return b;
}

/* Device values never hold a poison byte either: a getter may hand them back. */
static uint8_t clean(uint8_t b)
{
	return b == POISON ? 0 : b;
}

static uint64_t wide(struct input *in, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | clean(byte(in));
	return v;
}

static void set_facts(struct input *in)
{
	unsigned char *base = (unsigned char *)&fake.facts;

	for (size_t i = 0; i < sizeof(shim_facts) / sizeof(shim_facts[0]); i++) {
		const struct shim_fact *f = &shim_facts[i];

		if (f->size == 1) {
			bool b = byte(in) & 1;

			memcpy(base + f->offset, &b, 1);
		} else if (f->size == 4) {
			u32 v = byte(in) % 72; /* counts and sizes: small, so tails fit the user page */

			memcpy(base + f->offset, &v, 4);
		} else {
			uint64_t v = wide(in, 8);

			memcpy(base + f->offset, &v, 8);
		}
	}
}

/* Leaves poison where the dispatch's frame will be (its locals take a few hundred bytes). */
__attribute__((noinline)) static void poison_stack(void)
{
	unsigned char pad[2048];

	memset(pad, POISON, sizeof(pad));
	__asm__ volatile("" : : "r"(pad) : "memory");
}

static bool in_profile(unsigned int cmd)
{
	for (size_t i = 0; i < NREQ; i++)
		if (shim_requests[i].cmd == cmd)
			return true;
	return false;
}

static void one_call(struct input *in)
{
	uint8_t sel = byte(in), flags = byte(in);
	unsigned int cmd, size = 8;
	unsigned char *argp = NULL;
	bool owner = fake.owner;
	u8 status = fake.status;
	long held = fake_held(), r;
	unsigned long calls = fake.calls;

	if (sel % (NREQ + 2) < NREQ) {
		cmd = shim_requests[sel % (NREQ + 2)].cmd;
		size = shim_requests[sel % (NREQ + 2)].size;
	} else if (sel % (NREQ + 2) == NREQ) {
		cmd = (unsigned int)wide(in, 4);
	} else {
		/* A profile request's number with another size: not that request. */
		cmd = shim_requests[byte(in) % NREQ].cmd ^ ((unsigned int)(byte(in) | 1) << 16);
	}
	if (size > PAGE)
		size = PAGE;
	memset(user, 0, sizeof(user));
	switch (flags & 3) {
	case 0:
		shim_user_map(user, sizeof(user));
		break;
	case 2:
		/* The argument ends the mapped window: a byte past it faults. */
		argp = user + sizeof(user) - size;
		shim_user_map(argp, size);
		break;
	default:
		argp = user;
		shim_user_map(user, sizeof(user));
	}
	/* The caller's own bytes never look like poison, so any poison seen came from the kernel side. */
	for (unsigned int i = 0; argp && i < size; i++)
		argp[i] = clean(byte(in));
	if (((flags >> 2) & 7) == 7)
		fake.fail = -EIO;
	poison_stack();
	r = vhost_vdpa_net_ioctl(&fake, cmd, argp);

	if (shim_eventfd_refs() != fake_held())
		abort();
	if (fake.calls == calls && (fake.owner != owner || fake.status != status || fake_held() != held))
		abort();
	if (r > 0 || r < -4095)
		abort();
	if (!in_profile(cmd) && (r != -ENOIOCTLCMD || fake.calls != calls))
		abort();
	if (argp && !r)
		for (unsigned int i = 0; i < size; i++)
			if (argp[i] == POISON) {
				fprintf(stderr, "poison at byte %u of cmd %#x\n", i, cmd);
				abort();
			}
	fake.fail = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint8_t fds;

	fake_reset();
	shim_eventfd_reset();
	set_facts(&in);
	fake.owner = byte(&in) & 1;
	fake.status = clean(byte(&in));
	fds = byte(&in);
	if (fds & 1)
		shim_eventfd_open(3);
	if (fds & 2)
		shim_eventfd_open(7);
	if (fds & 4)
		shim_file_open(1);
	for (int calls = 0; in.n >= 2 && calls < 16; calls++)
		one_call(&in);
	fake_reset();
	return 0;
}
