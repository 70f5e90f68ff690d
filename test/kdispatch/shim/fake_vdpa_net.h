/* SPDX-License-Identifier: GPL-2.0 */
/* The fake device's state, for the runner, the fuzzer and the benchmark. */
#ifndef FAKE_VDPA_NET_H
#define FAKE_VDPA_NET_H
#include "vhost-vdpa-net.h"

#define FAKE_KINDS 4	/* kick, call, err, config call */
#define FAKE_SLOTS 16

struct vhost_vdpa_net_dev {
	bool owner;
	u8 status;
	u8 fork_mode;
	struct vhost_vdpa_net_facts facts;
	/* The next handler returns this instead of running (0: run). */
	long fail;
	/* The last handler that ran (its name without the prefix), and how many ran. */
	const char *handler;
	unsigned long calls;
	/* The argument as that handler saw it. */
	unsigned char seen[64];
	size_t seen_len;
	/* eventfd references the device holds. */
	struct eventfd_ctx *held[FAKE_KINDS][FAKE_SLOTS];
};

extern struct vhost_vdpa_net_dev fake;

/* Puts every held eventfd and zeroes the device. */
void fake_reset(void);
/* eventfd references the device holds. */
long fake_held(void);
#endif
