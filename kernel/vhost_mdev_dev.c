// SPDX-License-Identifier: GPL-2.0
/*
 * Device-wide operations behind the handlers: owner, features, status,
 * config space, memory table, config interrupt, suspend and resume. The
 * dispatch has checked the caller's arguments against the device's facts
 * before any of these runs; what is left here is what only the parent knows.
 */
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/vhost_iotlb.h>

#include "vhost_mdev.h"

/**
 * vhost_mdev_is_owner() - Whether the calling process owns the device.
 * @m: The device.
 *
 * Return: true when VHOST_SET_OWNER made the caller's address space the owner.
 */
bool vhost_mdev_is_owner(const struct vhost_mdev *m)
{
	return m->owner && m->owner == current->mm;
}

/**
 * vhost_mdev_set_owner() - Make the caller's address space the owner.
 * @m: The device.
 *
 * The dispatch refused a caller that already owns the device; another
 * process's ownership is only known here.
 *
 * Return: 0, -EBUSY if another process owns it, or the parent's bind_mm error.
 */
long vhost_mdev_set_owner(struct vhost_mdev *m)
{
	struct vdpa_device *vdpa = m->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;
	int ret;

	if (m->owner)
		return -EBUSY;
	/* A parent that walks the owner's page tables itself needs the mm. */
	if (vdpa->use_va && ops->bind_mm) {
		ret = ops->bind_mm(vdpa, current->mm);
		if (ret)
			return ret;
	}
	mmgrab(current->mm);
	m->owner = current->mm;
	return 0;
}

/**
 * vhost_mdev_drop_owner() - Forget the owner (the file is released).
 * @m: The device.
 */
void vhost_mdev_drop_owner(struct vhost_mdev *m)
{
	struct vdpa_device *vdpa = m->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;

	if (!m->owner)
		return;
	if (vdpa->use_va && ops->unbind_mm)
		ops->unbind_mm(vdpa);
	mmdrop(m->owner);
	m->owner = NULL;
}

/**
 * vhost_mdev_backend_features() - The backend features the device offers.
 * @m: The device.
 *
 * IOTLB v2 messages, batching and address spaces always; suspend, resume and
 * descriptor groups when the parent has the op; whatever else the parent
 * reports itself.
 *
 * Return: the mask of 1ULL << VHOST_BACKEND_F_* bits.
 */
u64 vhost_mdev_backend_features(const struct vhost_mdev *m)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;
	u64 features = BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2) |
		       BIT_ULL(VHOST_BACKEND_F_IOTLB_BATCH) |
		       BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID);

	if (ops->suspend)
		features |= BIT_ULL(VHOST_BACKEND_F_SUSPEND);
	if (ops->resume)
		features |= BIT_ULL(VHOST_BACKEND_F_RESUME);
	if (ops->get_vq_desc_group)
		features |= BIT_ULL(VHOST_BACKEND_F_DESC_ASID);
	if (ops->get_backend_features)
		features |= ops->get_backend_features(m->vdpa);
	return features;
}

/**
 * vhost_mdev_set_features() - Hand the driver's features to the parent.
 * @m: The device.
 * @features: The accepted features.
 *
 * Return: 0, or -EINVAL when the parent refuses them.
 */
long vhost_mdev_set_features(struct vhost_mdev *m, u64 features)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;

	if (vdpa_set_features(m->vdpa, features))
		return -EINVAL;
	m->driver_features = ops->get_driver_features(m->vdpa);
	return 0;
}

/**
 * vhost_mdev_reset() - Reset the device (status 0).
 * @m: The device.
 *
 * Mappings survive a reset only when the driver acked IOTLB_PERSIST.
 *
 * Return: 0, or the parent's error.
 */
int vhost_mdev_reset(struct vhost_mdev *m)
{
	u32 flags = 0;

	if (!(m->acked_backend_features & BIT_ULL(VHOST_BACKEND_F_IOTLB_PERSIST)))
		flags |= VDPA_RESET_F_CLEAN_MAP;
	m->in_batch = false;
	return vdpa_reset(m->vdpa, flags);
}

/**
 * vhost_mdev_set_status() - Write the status byte; 0 resets.
 * @m: The device.
 * @status: The new status.
 *
 * Return: 0, or the parent's reset error.
 */
long vhost_mdev_set_status(struct vhost_mdev *m, u8 status)
{
	if (!status)
		return vhost_mdev_reset(m);
	vdpa_set_status(m->vdpa, status);
	return 0;
}

/**
 * vhost_mdev_get_config() - Copy a window of config space to the caller.
 * @m: The device.
 * @off: Offset of the window (inside config space: checked).
 * @len: Its length (non-zero, inside config space: checked).
 * @buf: Where the caller wants it.
 *
 * Return: 0, -ENOMEM, or -EFAULT when @buf faults.
 */
long vhost_mdev_get_config(struct vhost_mdev *m, u32 off, u32 len,
			   u8 __user *buf)
{
	long ret = 0;
	u8 *tmp;

	tmp = kvzalloc(len, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	vdpa_get_config(m->vdpa, off, tmp, len);
	if (copy_to_user(buf, tmp, len))
		ret = -EFAULT;
	kvfree(tmp);
	return ret;
}

/**
 * vhost_mdev_set_config() - Write a window of config space from the caller.
 * @m: The device.
 * @off: Offset of the window (checked).
 * @len: Its length (checked).
 * @buf: The caller's bytes.
 *
 * Return: 0, -ENOMEM, or -EFAULT when @buf faults.
 */
long vhost_mdev_set_config(struct vhost_mdev *m, u32 off, u32 len,
			   const u8 __user *buf)
{
	u8 *tmp;

	tmp = vmemdup_user(buf, len);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	vdpa_set_config(m->vdpa, off, tmp, len);
	kvfree(tmp);
	return 0;
}

/**
 * vhost_mdev_set_mem_table() - Replace the memory table.
 * @m: The device.
 * @nregions: Number of regions (at most VHOST_MDEV_MAX_MEM_REGIONS: checked).
 * @regions: The caller's regions.
 *
 * vdpa parents translate through the IOTLB, not this table: it is kept as
 * an IOTLB of its own so a bad region is refused as vhost refuses it.
 *
 * Return: 0, -ENOMEM, or -EFAULT for a region that faults or does not map.
 */
long vhost_mdev_set_mem_table(struct vhost_mdev *m, u32 nregions,
			      const struct vhost_memory_region __user *regions)
{
	struct vhost_memory_region *r;
	struct vhost_iotlb *umem;
	long ret = 0;
	u32 i;

	r = kvcalloc(nregions, sizeof(*r), GFP_KERNEL);
	if (nregions && !r)
		return -ENOMEM;
	if (copy_from_user(r, regions, array_size(nregions, sizeof(*r)))) {
		ret = -EFAULT;
		goto out;
	}
	umem = vhost_iotlb_alloc(VHOST_MDEV_IOTLB_ENTRIES, VHOST_IOTLB_FLAG_RETIRE);
	if (!umem) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nregions; i++) {
		if (vhost_iotlb_add_range(umem, r[i].guest_phys_addr,
					  r[i].guest_phys_addr + r[i].memory_size - 1,
					  r[i].userspace_addr, VHOST_MAP_RW)) {
			vhost_iotlb_free(umem);
			ret = -EFAULT;
			goto out;
		}
	}
	swap(m->umem, umem);
	if (umem)
		vhost_iotlb_free(umem);
out:
	kvfree(r);
	return ret;
}

static irqreturn_t vhost_mdev_config_cb(void *private)
{
	eventfd_signal(private);
	return IRQ_HANDLED;
}

/**
 * vhost_mdev_set_config_call() - Bind (or with NULL unbind) the config eventfd.
 * @m: The device.
 * @ctx: The eventfd; the device owns this reference from now on.
 *
 * The parent drops its old callback before the old eventfd is put.
 */
void vhost_mdev_set_config_call(struct vhost_mdev *m, struct eventfd_ctx *ctx)
{
	struct vdpa_callback cb = {
		.callback = ctx ? vhost_mdev_config_cb : NULL,
		.private = ctx,
	};

	m->vdpa->config->set_config_cb(m->vdpa, &cb);
	swap(m->config_call, ctx);
	if (ctx)
		eventfd_ctx_put(ctx);
}

/**
 * vhost_mdev_suspend() - Suspend a running device (the parent can: checked).
 * @m: The device.
 *
 * Return: the parent's result.
 */
long vhost_mdev_suspend(struct vhost_mdev *m)
{
	return m->vdpa->config->suspend(m->vdpa);
}

/**
 * vhost_mdev_resume() - Resume a suspended device (the parent can: checked).
 * @m: The device.
 *
 * Return: the parent's result.
 */
long vhost_mdev_resume(struct vhost_mdev *m)
{
	return m->vdpa->config->resume(m->vdpa);
}
