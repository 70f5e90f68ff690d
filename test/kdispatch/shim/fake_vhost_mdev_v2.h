/* SPDX-License-Identifier: GPL-2.0 */
/* The fake vhost-mdev-v2 device's state, for the runner (same fields as fake_vdpa_net.h). */
#ifndef FAKE_VHOST_MDEV_V2_H
#define FAKE_VHOST_MDEV_V2_H
#include "vhost-mdev-v2.h"

#define FAKE_KINDS 2	/* kick, call */
#define FAKE_SLOTS 16

/* What the fake parent offers: every bit, so a test sees exactly what the dispatch masks. */
#define FAKE_FEATURES 0xffffffffffffffffULL

struct vhost_mdev_v2_dev {
	bool owner;
	/* The cached status the hook reports: what SET_STATUS wrote. */
	u8 status;
	struct vhost_mdev_v2_facts facts;
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

extern struct vhost_mdev_v2_dev fake;

/* Puts every held eventfd and zeroes the device. */
void fake_reset(void);
/* eventfd references the device holds. */
long fake_held(void);
#endif
