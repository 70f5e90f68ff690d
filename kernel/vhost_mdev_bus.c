// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa bus glue: a vdpa driver that binds devices on request (driver_override
 * or an explicit bind through sysfs), reads what the device offers through
 * vdpa_config_ops and gives each one a char device.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/vdpa.h>

#include "vhost_mdev.h"

static void vhost_mdev_free(struct vhost_mdev *m)
{
	kfree(m->as);
	kfree(m->vqs);
	kfree(m);
}

static int vhost_mdev_probe(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;
	struct vhost_mdev *m;
	int ret;

	/* Mappings go to the parent; a device behind a platform IOMMU is not served. */
	if (!ops->set_map && !ops->dma_map)
		return -EOPNOTSUPP;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->vdpa = vdpa;
	m->profile = vhost_mdev_selected_profile();
	mutex_init(&m->lock);
	init_completion(&m->closed);
	m->as = kcalloc(vdpa->nas, sizeof(*m->as), GFP_KERNEL);
	ret = m->as ? vhost_mdev_vqs_alloc(m) : -ENOMEM;
	if (ret)
		goto err_free;

	if (ops->get_iova_range) {
		m->range = ops->get_iova_range(vdpa);
	} else {
		m->range.first = 0;
		m->range.last = U64_MAX;
	}

	m->pdev = m->profile->attach(m);
	if (IS_ERR(m->pdev)) {
		ret = PTR_ERR(m->pdev);
		goto err_free;
	}
	ret = vhost_mdev_chr_add(m);
	if (ret)
		goto err_detach;
	vdpa_set_drvdata(vdpa, m);

	dev_info(&vdpa->dev, "bound: device_id=%u features=0x%llx nvqs=%u profile=%s char=%s\n",
		 ops->get_device_id(vdpa), ops->get_device_features(vdpa),
		 vdpa->nvqs, m->profile->name, m->name);
	return 0;

err_detach:
	m->profile->detach(m->pdev);
err_free:
	vhost_mdev_free(m);
	return ret;
}

static void vhost_mdev_remove(struct vdpa_device *vdpa)
{
	struct vhost_mdev *m = vdpa_get_drvdata(vdpa);

	/* Waits until no file has the device open. */
	vhost_mdev_chr_remove(m);
	vdpa_set_drvdata(vdpa, NULL);
	m->profile->detach(m->pdev);
	dev_info(&vdpa->dev, "unbound\n");
	vhost_mdev_free(m);
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
