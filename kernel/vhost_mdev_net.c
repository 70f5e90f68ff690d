// SPDX-License-Identifier: GPL-2.0
/*
 * Profile vhost-vdpa-net: the hooks and handlers of the generated dispatch
 * vhost-vdpa-net.{c,h}. The dispatch checks ownership, status gates, argument
 * ranges and the device's facts in the spec's order; a handler only carries
 * out the request on the vdpa device.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/vhost.h>

#include "vhost-vdpa-net.h"
#include "vhost_mdev.h"

/**
 * struct vhost_vdpa_net_dev - The device as this profile's dispatch sees it.
 * @m: The bound device.
 * @facts: What the checks know of it, read once at bind time.
 */
struct vhost_vdpa_net_dev {
	struct vhost_mdev *m;
	struct vhost_vdpa_net_facts facts;
};

static struct vdpa_device *vdpa_of(struct vhost_vdpa_net_dev *dev)
{
	return dev->m->vdpa;
}

static const struct vdpa_config_ops *ops_of(struct vhost_vdpa_net_dev *dev)
{
	return dev->m->vdpa->config;
}

bool vhost_vdpa_net_is_owner(struct vhost_vdpa_net_dev *dev)
{
	return vhost_mdev_is_owner(dev->m);
}

u8 vhost_vdpa_net_read_status(struct vhost_vdpa_net_dev *dev)
{
	return ops_of(dev)->get_status(vdpa_of(dev));
}

const struct vhost_vdpa_net_facts *
vhost_vdpa_net_read_facts(struct vhost_vdpa_net_dev *dev)
{
	return &dev->facts;
}

long vhost_vdpa_net_get_features(struct vhost_vdpa_net_dev *dev, u64 *arg)
{
	*arg = ops_of(dev)->get_device_features(vdpa_of(dev));
	return 0;
}

long vhost_vdpa_net_set_features(struct vhost_vdpa_net_dev *dev, u64 arg)
{
	return vhost_mdev_set_features(dev->m, arg);
}

long vhost_vdpa_net_set_owner(struct vhost_vdpa_net_dev *dev)
{
	return vhost_mdev_set_owner(dev->m);
}

long
vhost_vdpa_net_set_mem_table(struct vhost_vdpa_net_dev *dev,
			     const struct vhost_memory *arg,
			     const struct vhost_memory_region __user *regions)
{
	return vhost_mdev_set_mem_table(dev->m, arg->nregions, regions);
}

long vhost_vdpa_net_set_fork_from_owner(struct vhost_vdpa_net_dev *dev, u8 arg)
{
	dev->m->fork_owner = arg;
	return 0;
}

long vhost_vdpa_net_get_fork_from_owner(struct vhost_vdpa_net_dev *dev,
					u8 *arg)
{
	*arg = dev->m->fork_owner;
	return 0;
}

long vhost_vdpa_net_get_backend_features(struct vhost_vdpa_net_dev *dev,
					 u64 *arg)
{
	*arg = dev->facts.backend_features;
	return 0;
}

long vhost_vdpa_net_set_backend_features(struct vhost_vdpa_net_dev *dev,
					 u64 arg)
{
	dev->m->acked_backend_features = arg;
	return 0;
}

long vhost_vdpa_net_set_vring_num(struct vhost_vdpa_net_dev *dev,
				  const struct vhost_vring_state *arg)
{
	vhost_mdev_vq_set_num(&dev->m->vqs[arg->index], arg->num);
	return 0;
}

long vhost_vdpa_net_set_vring_addr(struct vhost_vdpa_net_dev *dev,
				   const struct vhost_vring_addr *arg)
{
	return vhost_mdev_vq_set_addr(&dev->m->vqs[arg->index],
				      arg->desc_user_addr, arg->avail_user_addr,
				      arg->used_user_addr);
}

long vhost_vdpa_net_set_vring_base(struct vhost_vdpa_net_dev *dev,
				   const struct vhost_vring_state *arg)
{
	return vhost_mdev_vq_set_base(&dev->m->vqs[arg->index], arg->num);
}

long vhost_vdpa_net_get_vring_base(struct vhost_vdpa_net_dev *dev,
				   struct vhost_vring_state *arg)
{
	return vhost_mdev_vq_get_base(&dev->m->vqs[arg->index], &arg->num);
}

long vhost_vdpa_net_set_vring_kick(struct vhost_vdpa_net_dev *dev,
				   const struct vhost_vring_file *arg,
				   struct eventfd_ctx *ctx)
{
	return vhost_mdev_vq_set_kick(&dev->m->vqs[arg->index], arg->fd, ctx);
}

long vhost_vdpa_net_set_vring_call(struct vhost_vdpa_net_dev *dev,
				   const struct vhost_vring_file *arg,
				   struct eventfd_ctx *ctx)
{
	vhost_mdev_vq_set_call(&dev->m->vqs[arg->index], ctx);
	return 0;
}

long vhost_vdpa_net_set_vring_err(struct vhost_vdpa_net_dev *dev,
				  const struct vhost_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	vhost_mdev_vq_set_err(&dev->m->vqs[arg->index], ctx);
	return 0;
}

long
vhost_vdpa_net_set_vring_busyloop_timeout(struct vhost_vdpa_net_dev *dev,
					  const struct vhost_vring_state *arg)
{
	dev->m->vqs[arg->index].busyloop_timeout = arg->num;
	return 0;
}

long vhost_vdpa_net_get_vring_busyloop_timeout(struct vhost_vdpa_net_dev *dev,
					       struct vhost_vring_state *arg)
{
	arg->num = dev->m->vqs[arg->index].busyloop_timeout;
	return 0;
}

long vhost_vdpa_net_get_device_id(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	*arg = ops_of(dev)->get_device_id(vdpa_of(dev));
	return 0;
}

long vhost_vdpa_net_get_status(struct vhost_vdpa_net_dev *dev, u8 *arg)
{
	*arg = ops_of(dev)->get_status(vdpa_of(dev));
	return 0;
}

long vhost_vdpa_net_set_status(struct vhost_vdpa_net_dev *dev, u8 arg)
{
	return vhost_mdev_set_status(dev->m, arg);
}

long vhost_vdpa_net_get_config(struct vhost_vdpa_net_dev *dev,
			       const struct vhost_vdpa_config *arg,
			       u8 __user *buf)
{
	return vhost_mdev_get_config(dev->m, arg->off, arg->len, buf);
}

long vhost_vdpa_net_set_config(struct vhost_vdpa_net_dev *dev,
			       const struct vhost_vdpa_config *arg,
			       const u8 __user *buf)
{
	return vhost_mdev_set_config(dev->m, arg->off, arg->len, buf);
}

long vhost_vdpa_net_set_vring_enable(struct vhost_vdpa_net_dev *dev,
				     const struct vhost_vring_state *arg)
{
	vhost_mdev_vq_set_ready(&dev->m->vqs[arg->index], arg->num);
	return 0;
}

long vhost_vdpa_net_get_vring_num(struct vhost_vdpa_net_dev *dev, u16 *arg)
{
	*arg = ops_of(dev)->get_vq_num_max(vdpa_of(dev));
	return 0;
}

long vhost_vdpa_net_set_config_call(struct vhost_vdpa_net_dev *dev, int arg,
				    struct eventfd_ctx *ctx)
{
	vhost_mdev_set_config_call(dev->m, ctx);
	return 0;
}

long vhost_vdpa_net_get_iova_range(struct vhost_vdpa_net_dev *dev,
				   struct vhost_vdpa_iova_range *arg)
{
	arg->first = dev->m->range.first;
	arg->last = dev->m->range.last;
	return 0;
}

long vhost_vdpa_net_get_config_size(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	*arg = dev->facts.config_size;
	return 0;
}

long vhost_vdpa_net_get_vqs_count(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	*arg = vdpa_of(dev)->nvqs;
	return 0;
}

long vhost_vdpa_net_get_group_num(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	*arg = vdpa_of(dev)->ngroups;
	return 0;
}

long vhost_vdpa_net_get_as_num(struct vhost_vdpa_net_dev *dev,
			       unsigned int *arg)
{
	*arg = vdpa_of(dev)->nas;
	return 0;
}

long vhost_vdpa_net_get_vring_group(struct vhost_vdpa_net_dev *dev,
				    struct vhost_vring_state *arg)
{
	arg->num = ops_of(dev)->get_vq_group(vdpa_of(dev), arg->index);
	/* A parent naming a group it does not have is broken: say so. */
	if (arg->num >= vdpa_of(dev)->ngroups)
		return -EIO;
	return 0;
}

long vhost_vdpa_net_set_group_asid(struct vhost_vdpa_net_dev *dev,
				   const struct vhost_vring_state *arg)
{
	return ops_of(dev)->set_group_asid(vdpa_of(dev), arg->index, arg->num);
}

long vhost_vdpa_net_suspend(struct vhost_vdpa_net_dev *dev)
{
	return vhost_mdev_suspend(dev->m);
}

long vhost_vdpa_net_resume(struct vhost_vdpa_net_dev *dev)
{
	return vhost_mdev_resume(dev->m);
}

long vhost_vdpa_net_get_vring_desc_group(struct vhost_vdpa_net_dev *dev,
					 struct vhost_vring_state *arg)
{
	arg->num = ops_of(dev)->get_vq_desc_group(vdpa_of(dev), arg->index);
	if (arg->num >= vdpa_of(dev)->ngroups)
		return -EIO;
	return 0;
}

long vhost_vdpa_net_get_vring_size(struct vhost_vdpa_net_dev *dev,
				   struct vhost_vring_state *arg)
{
	arg->num = ops_of(dev)->get_vq_size(vdpa_of(dev), arg->index);
	return 0;
}

static void *vhost_mdev_net_attach(struct vhost_mdev *m)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;
	struct vhost_vdpa_net_dev *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->m = m;
	dev->facts = (struct vhost_vdpa_net_facts) {
		.nvqs = m->vdpa->nvqs,
		.nas = m->vdpa->nas,
		.config_size = ops->get_config_size(m->vdpa),
		.backend_features = vhost_mdev_backend_features(m),
		.vq_num_max = ops->get_vq_num_max(m->vdpa),
		.max_mem_regions = VHOST_MDEV_MAX_MEM_REGIONS,
		.has_suspend = ops->suspend,
		.has_resume = ops->resume,
		.has_get_vq_group = ops->get_vq_group,
		.has_get_vq_desc_group = ops->get_vq_desc_group,
		.has_set_group_asid = ops->set_group_asid,
		.has_get_vq_size = ops->get_vq_size,
		/* The parent's own refusal comes back from set_driver_features. */
		.parent_accepts = U64_MAX,
		.group_asid_refused = false,
	};
	return dev;
}

static void vhost_mdev_net_detach(void *pdev)
{
	kfree(pdev);
}

static long vhost_mdev_net_ioctl(void *pdev, unsigned int cmd,
				 void __user *argp)
{
	return vhost_vdpa_net_ioctl(pdev, cmd, argp);
}

static long vhost_mdev_net_compat_ioctl(void *pdev, unsigned int cmd,
					unsigned long arg)
{
#ifdef CONFIG_COMPAT
	return vhost_vdpa_net_compat_ioctl(pdev, cmd, arg);
#else
	return -ENOIOCTLCMD;
#endif
}

const struct vhost_mdev_profile vhost_mdev_net_profile = {
	.name = "vhost-vdpa-net",
	.attach = vhost_mdev_net_attach,
	.detach = vhost_mdev_net_detach,
	.ioctl = vhost_mdev_net_ioctl,
	.compat_ioctl = vhost_mdev_net_compat_ioctl,
};
