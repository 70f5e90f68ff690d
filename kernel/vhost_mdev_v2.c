// SPDX-License-Identifier: GPL-2.0
/*
 * Profile vhost-mdev-v2: the hooks and handlers of the generated dispatch
 * vhost-mdev-v2.{c,h}, the 2019 vhost-mdev v2 interface (with the review's
 * VIRTIO_NET_F_MQ filter) served by a vdpa device. v2 gates on the status it
 * last saw (written by SET_STATUS or read by GET_STATUS), kept here; the
 * dispatch checks everything else.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "vhost-mdev-v2.h"
#include "vhost_mdev.h"

/* Rings v2 drives: one rx/tx pair. */
#define VHOST_MDEV_V2_RINGS 2

/**
 * struct vhost_mdev_v2_dev - The device as this profile's dispatch sees it.
 * @m: The bound device.
 * @status: The status v2 last saw (its gate), 0 when a file opens.
 * @facts: What the checks know; ring_ready is refreshed on every read.
 */
struct vhost_mdev_v2_dev {
	struct vhost_mdev *m;
	u8 status;
	struct vhost_mdev_v2_facts facts;
};

static struct vdpa_device *vdpa_of(struct vhost_mdev_v2_dev *dev)
{
	return dev->m->vdpa;
}

static const struct vdpa_config_ops *ops_of(struct vhost_mdev_v2_dev *dev)
{
	return dev->m->vdpa->config;
}

bool vhost_mdev_v2_is_owner(struct vhost_mdev_v2_dev *dev)
{
	return vhost_mdev_is_owner(dev->m);
}

u8 vhost_mdev_v2_read_status(struct vhost_mdev_v2_dev *dev)
{
	return dev->status;
}

const struct vhost_mdev_v2_facts *
vhost_mdev_v2_read_facts(struct vhost_mdev_v2_dev *dev)
{
	u32 i;

	/* The parent's ring state, read afresh: nothing of the device changes. */
	dev->facts.ring_ready = 0;
	for (i = 0; i < dev->facts.nvqs; i++)
		if (ops_of(dev)->get_vq_ready(vdpa_of(dev), i))
			dev->facts.ring_ready |= BIT_ULL(i);
	return &dev->facts;
}

long vhost_mdev_v2_get_features(struct vhost_mdev_v2_dev *dev, u64 *arg)
{
	*arg = dev->facts.features;
	return 0;
}

long vhost_mdev_v2_set_features(struct vhost_mdev_v2_dev *dev, u64 arg)
{
	/* v2 answers a parent's refusal with ENODEV. */
	return vhost_mdev_set_features(dev->m, arg) ? -ENODEV : 0;
}

long vhost_mdev_v2_set_owner(struct vhost_mdev_v2_dev *dev)
{
	return vhost_mdev_set_owner(dev->m);
}

long vhost_mdev_v2_get_status(struct vhost_mdev_v2_dev *dev, u8 *arg)
{
	*arg = ops_of(dev)->get_status(vdpa_of(dev));
	dev->status = *arg;
	return 0;
}

long vhost_mdev_v2_set_status(struct vhost_mdev_v2_dev *dev, u8 arg)
{
	long ret = vhost_mdev_set_status(dev->m, arg);

	dev->status = ops_of(dev)->get_status(vdpa_of(dev));
	return ret;
}

long vhost_mdev_v2_get_vring_num(struct vhost_mdev_v2_dev *dev, u16 *arg)
{
	*arg = ops_of(dev)->get_vq_num_max(vdpa_of(dev));
	return 0;
}

long vhost_mdev_v2_get_queue_num(struct vhost_mdev_v2_dev *dev, u32 *arg)
{
	*arg = dev->facts.nvqs;
	return 0;
}

long vhost_mdev_v2_set_vring_num(struct vhost_mdev_v2_dev *dev,
				 const struct vhost_mdev_v2_vring_state *arg)
{
	vhost_mdev_vq_set_num(&dev->m->vqs[arg->index], arg->num);
	return 0;
}

long vhost_mdev_v2_set_vring_addr(struct vhost_mdev_v2_dev *dev,
				  const struct vhost_mdev_v2_vring_addr *arg)
{
	return vhost_mdev_vq_set_addr(&dev->m->vqs[arg->index],
				      arg->desc_user_addr, arg->avail_user_addr,
				      arg->used_user_addr) ? -ENODEV : 0;
}

long vhost_mdev_v2_set_vring_base(struct vhost_mdev_v2_dev *dev,
				  const struct vhost_mdev_v2_vring_state *arg)
{
	return vhost_mdev_vq_set_base(&dev->m->vqs[arg->index], arg->num) ?
	       -ENODEV : 0;
}

long vhost_mdev_v2_get_vring_base(struct vhost_mdev_v2_dev *dev,
				  struct vhost_mdev_v2_vring_state *arg)
{
	return vhost_mdev_vq_get_base(&dev->m->vqs[arg->index], &arg->num);
}

long vhost_mdev_v2_set_vring_kick(struct vhost_mdev_v2_dev *dev,
				  const struct vhost_mdev_v2_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	return vhost_mdev_vq_set_kick(&dev->m->vqs[arg->index], arg->fd, ctx);
}

long vhost_mdev_v2_set_vring_call(struct vhost_mdev_v2_dev *dev,
				  const struct vhost_mdev_v2_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	vhost_mdev_vq_set_call(&dev->m->vqs[arg->index], ctx);
	return 0;
}

long
vhost_mdev_v2_set_vring_enable(struct vhost_mdev_v2_dev *dev,
			       const struct vhost_mdev_v2_vring_state *arg)
{
	vhost_mdev_vq_set_ready(&dev->m->vqs[arg->index], arg->num);
	return 0;
}

static void *vhost_mdev_v2_attach(struct vhost_mdev *m)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;
	struct vhost_mdev_v2_dev *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->m = m;
	dev->facts.nvqs = min_t(u32, VHOST_MDEV_V2_RINGS, m->vdpa->nvqs);
	dev->facts.features = ops->get_device_features(m->vdpa);
	/* A refusal is the parent's answer to each call, not known before. */
	dev->facts.parent_refuses = false;
	return dev;
}

static void vhost_mdev_v2_open(void *pdev)
{
	struct vhost_mdev_v2_dev *dev = pdev;

	dev->status = 0;
}

static void vhost_mdev_v2_detach(void *pdev)
{
	kfree(pdev);
}

static long vhost_mdev_v2_profile_ioctl(void *pdev, unsigned int cmd,
					void __user *argp)
{
	return vhost_mdev_v2_ioctl(pdev, cmd, argp);
}

static long vhost_mdev_v2_profile_compat_ioctl(void *pdev, unsigned int cmd,
					       unsigned long arg)
{
#ifdef CONFIG_COMPAT
	return vhost_mdev_v2_compat_ioctl(pdev, cmd, arg);
#else
	return -ENOIOCTLCMD;
#endif
}

const struct vhost_mdev_profile vhost_mdev_v2_profile = {
	.name = "vhost-mdev-v2",
	.attach = vhost_mdev_v2_attach,
	.open = vhost_mdev_v2_open,
	.detach = vhost_mdev_v2_detach,
	.ioctl = vhost_mdev_v2_profile_ioctl,
	.compat_ioctl = vhost_mdev_v2_profile_compat_ioctl,
};
