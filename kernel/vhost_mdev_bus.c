// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa bus glue: a vdpa driver that binds devices on request (driver_override
 * or an explicit bind through sysfs) and reads what the device offers through
 * vdpa_config_ops.
 */
#include <linux/slab.h>
#include <linux/vdpa.h>

#include "vhost_mdev.h"

static int vhost_mdev_probe(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;
	struct vhost_mdev *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;

	m->vdpa = vdpa;
	m->device_id = ops->get_device_id(vdpa);
	m->device_features = ops->get_device_features(vdpa);
	m->nvqs = vdpa->nvqs;
	dev_set_drvdata(&vdpa->dev, m);

	dev_info(&vdpa->dev, "bound: device_id=%u features=0x%llx nvqs=%u\n",
		 m->device_id, m->device_features, m->nvqs);
	return 0;
}

static void vhost_mdev_remove(struct vdpa_device *vdpa)
{
	struct vhost_mdev *m = dev_get_drvdata(&vdpa->dev);

	dev_info(&vdpa->dev, "unbound\n");
	dev_set_drvdata(&vdpa->dev, NULL);
	kfree(m);
}

static struct vdpa_driver vhost_mdev_driver = {
	.driver = {
		.name = VHOST_MDEV_DRV_NAME,
	},
	.probe = vhost_mdev_probe,
	.remove = vhost_mdev_remove,
};

int vhost_mdev_bus_register(void)
{
	return vdpa_register_driver(&vhost_mdev_driver);
}

void vhost_mdev_bus_unregister(void)
{
	vdpa_unregister_driver(&vhost_mdev_driver);
}
