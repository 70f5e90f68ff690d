/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VHOST_MDEV_H
#define _VHOST_MDEV_H

#include <linux/types.h>

struct vdpa_device;

#define VHOST_MDEV_DRV_NAME "vhost_mdev_vdpa"

/* Per-device state; the char device and ioctl dispatch will hang off this. */
struct vhost_mdev {
	struct vdpa_device *vdpa;
	u32 device_id;
	u64 device_features;
	u32 nvqs;
};

int vhost_mdev_bus_register(void);
void vhost_mdev_bus_unregister(void);

#endif /* _VHOST_MDEV_H */
