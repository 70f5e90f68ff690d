// SPDX-License-Identifier: GPL-2.0
/*
 * A fake VFIO device for the argsz fixture: the handlers record what they saw
 * (the argument as the dispatch copied it) and fill every field of the answer,
 * argsz included (as VFIO raises argsz for a capability chain), so a test sees
 * how many bytes the dispatch copies back.
 */
#include <string.h>
#include <linux/types.h>
#include <linux/errno.h>
#include "fake_vfio_argsz.h"

struct vfio_argsz_dev fake;

bool vfio_argsz_is_owner(struct vfio_argsz_dev *dev)
{
	return dev->owner;
}

u8 vfio_argsz_read_status(struct vfio_argsz_dev *dev)
{
	return dev->status;
}

const struct vfio_argsz_facts *vfio_argsz_read_facts(struct vfio_argsz_dev *dev)
{
	return &dev->facts;
}

static long ran(struct vfio_argsz_dev *dev, const char *name, const void *arg, size_t len)
{
	long fail = dev->fail;

	dev->handler = name + strlen("vfio_argsz_");
	dev->calls++;
	dev->seen_len = len < sizeof(dev->seen) ? len : sizeof(dev->seen);
	memcpy(dev->seen, arg, dev->seen_len);
	dev->fail = 0;
	return fail;
}

long vfio_argsz_device_get_info(struct vfio_argsz_dev *dev, struct vfio_device_info *arg)
{
	long r = ran(dev, __func__, arg, sizeof(*arg));

	if (!r) {
		arg->argsz = 0x1000;
		arg->flags = 0x3;
		arg->num_regions = 9;
		arg->num_irqs = dev->facts.num_irqs;
		arg->cap_offset = 0x5a5a5a5a;
		arg->pad = 0x6b6b6b6b;
	}
	return r;
}

long vfio_argsz_device_get_irq_info(struct vfio_argsz_dev *dev, struct vfio_irq_info *arg)
{
	long r = ran(dev, __func__, arg, sizeof(*arg));

	if (!r) {
		arg->argsz = 0x1000;
		arg->flags = 0x7;
		arg->count = 0x11;
	}
	return r;
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

long fake_held(void)
{
	return 0;
}
