/* SPDX-License-Identifier: GPL-2.0 */
/* The fake device of the argsz fixture (test/kdispatch/fixtures/vfio-argsz), for the runner. */
#ifndef FAKE_VFIO_ARGSZ_H
#define FAKE_VFIO_ARGSZ_H
#include "vfio-argsz.h"

#define FAKE_KINDS 1
#define FAKE_SLOTS 1

struct vfio_argsz_dev {
	bool owner;
	u8 status;
	struct vfio_argsz_facts facts;
	long fail;
	const char *handler;
	unsigned long calls;
	unsigned char seen[64];
	size_t seen_len;
	struct eventfd_ctx *held[FAKE_KINDS][FAKE_SLOTS];
};

extern struct vfio_argsz_dev fake;

void fake_reset(void);
long fake_held(void);
#endif
