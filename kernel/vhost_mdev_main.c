// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-mdev on the vdpa bus: module entry points.
 *
 * Revives the 2019 vhost-mdev design (a vhost-style ioctl interface for
 * mediated virtio devices) with vdpa devices as the backend.
 */
#include <linux/module.h>

#include "vhost_mdev.h"

static int __init vhost_mdev_init(void)
{
	return vhost_mdev_bus_register();
}

static void __exit vhost_mdev_exit(void)
{
	vhost_mdev_bus_unregister();
}

module_init(vhost_mdev_init);
module_exit(vhost_mdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vhost-mdev style backend for vDPA devices");
