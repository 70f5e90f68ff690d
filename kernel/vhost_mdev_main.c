// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-mdev on the vdpa bus: module entry points and the profile parameter.
 *
 * Revives the 2019 vhost-mdev design (a vhost-style ioctl interface for
 * mediated virtio devices) with vdpa devices as the backend. Every ioctl goes
 * through a dispatch generated from the ioctl-abi spec; "profile" selects
 * which one.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "vhost_mdev.h"

static char *profile = "vhost-vdpa-net";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile,
		 "ioctl dispatch of the devices: vhost-vdpa-net (default) or vhost-mdev-v2");

static const struct vhost_mdev_profile *const vhost_mdev_profiles[] = {
	&vhost_mdev_net_profile,
	&vhost_mdev_v2_profile,
};

static const struct vhost_mdev_profile *selected;

/**
 * vhost_mdev_selected_profile() - The profile the module was loaded with.
 *
 * Return: the profile; never NULL once the module is initialised.
 */
const struct vhost_mdev_profile *vhost_mdev_selected_profile(void)
{
	return selected;
}

static int __init vhost_mdev_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vhost_mdev_profiles); i++)
		if (!strcmp(profile, vhost_mdev_profiles[i]->name))
			selected = vhost_mdev_profiles[i];
	if (!selected) {
		pr_err(VHOST_MDEV_DRV_NAME ": unknown profile \"%s\"\n", profile);
		return -EINVAL;
	}
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
