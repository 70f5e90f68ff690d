// SPDX-License-Identifier: GPL-2.0
/*
 * Times a mix of vhost-vdpa-net ioctls (stdin: the runner's script format,
 * facts and state first, then `call CMD arg HEX` lines) through one dispatch:
 *
 *   bench generated|hand|noop ROUNDS
 *
 * Each round makes every call of the mix once, the argument copied afresh into
 * the user page before each. Prints `calls=N ns=T` (T: nanoseconds per call,
 * the loop and the copy included; subtract the noop run for the dispatch alone),
 * in the thread's CPU time so time spent descheduled on a busy machine is not counted.
 * Under callgrind, --toggle-collect on the dispatch function counts only its
 * instructions (and its callees': the same fake handlers for every dispatch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/types.h>
#include "fake_vdpa_net.h"
#include "handwritten.h"
#include "profile.h"
#include "shim.h"

#define PAGE 4096
#define MAX_CALLS 256

long noop_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp);

static struct {
	unsigned int cmd;
	size_t len;
	unsigned char arg[64];
} mix[MAX_CALLS];
static size_t calls;
static unsigned char user[2 * PAGE];

static int set_fact(const char *name, unsigned long long v)
{
	unsigned char *base = (unsigned char *)&fake.facts;

	for (size_t i = 0; i < sizeof(shim_facts) / sizeof(shim_facts[0]); i++) {
		const struct shim_fact *f = &shim_facts[i];
		bool b = v != 0;
		u32 x = (u32)v;

		if (strcmp(f->name, name))
			continue;
		memcpy(base + f->offset, f->size == 1 ? (void *)&b : f->size == 4 ? (void *)&x : (void *)&v, f->size);
		return 0;
	}
	return -1;
}

static int load(void)
{
	char line[1024], name[64], hex[256];
	unsigned long long v;
	unsigned int cmd, b;

	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "fact %63s %llu", name, &v) == 2) {
			if (set_fact(name, v))
				return -1;
		} else if (sscanf(line, "owner %llu", &v) == 1) {
			fake.owner = v != 0;
		} else if (sscanf(line, "status %llu", &v) == 1) {
			fake.status = (u8)v;
		} else if (sscanf(line, "eventfd %llu", &v) == 1) {
			shim_eventfd_open((int)v);
		} else if (sscanf(line, "file %llu", &v) == 1) {
			shim_file_open((int)v);
		} else if (sscanf(line, "call %x arg %255s", &cmd, hex) == 2 && calls < MAX_CALLS) {
			mix[calls].cmd = cmd;
			while (mix[calls].len < sizeof(mix[0].arg) && sscanf(hex + 2 * mix[calls].len, "%2x", &b) == 1)
				mix[calls].arg[mix[calls].len++] = (unsigned char)b;
			calls++;
		} else if (sscanf(line, "call %x null", &cmd) == 1 && calls < MAX_CALLS) {
			mix[calls++].cmd = cmd;
		}
	}
	return calls ? 0 : -1;
}

/* One loop per dispatch, each calling it directly, as a driver's ioctl would. */
#define LOOP(fn)								\
	static long loop_##fn(long rounds)					\
	{									\
		long sum = 0;							\
		for (long r = 0; r < rounds; r++)				\
			for (size_t i = 0; i < calls; i++) {			\
				memcpy(user, mix[i].arg, mix[i].len);		\
				sum += fn(&fake, mix[i].cmd, user);		\
			}							\
		return sum;							\
	}
LOOP(vhost_vdpa_net_ioctl)
LOOP(hand_ioctl)
LOOP(noop_ioctl)

int main(int argc, char **argv)
{
	long rounds = argc > 2 ? atol(argv[2]) : 100000, sum;
	struct timespec t0, t1;
	double ns;

	if (argc < 2 || load()) {
		fprintf(stderr, "usage: bench generated|hand|noop ROUNDS < mix\n");
		return 2;
	}
	shim_user_map(user, sizeof(user));
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	if (!strcmp(argv[1], "generated"))
		sum = loop_vhost_vdpa_net_ioctl(rounds);
	else if (!strcmp(argv[1], "hand"))
		sum = loop_hand_ioctl(rounds);
	else
		sum = loop_noop_ioctl(rounds);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / ((double)rounds * calls);
	printf("calls=%ld ns=%.2f sum=%ld\n", rounds * (long)calls, ns, sum);
	return 0;
}
