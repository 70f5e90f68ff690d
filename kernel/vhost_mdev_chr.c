// SPDX-License-Identifier: GPL-2.0
/*
 * The char device of a bound vdpa device, /dev/vhost-mdev-<n>: one opener at a
 * time, ioctl() through the profile's generated dispatch, write() for IOTLB
 * messages.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/vhost.h>

#include "vhost_mdev.h"

static DEFINE_IDA(vhost_mdev_ida);

static struct vhost_mdev *file_mdev(struct file *file)
{
	return container_of(file->private_data, struct vhost_mdev, misc);
}

static int vhost_mdev_open(struct inode *inode, struct file *file)
{
	struct vhost_mdev *m = file_mdev(file);
	int ret;

	/* Like vhost-vdpa: one file at a time drives the device. */
	if (atomic_cmpxchg(&m->opened, 0, 1))
		return -EBUSY;
	reinit_completion(&m->closed);

	mutex_lock(&m->lock);
	ret = vhost_mdev_reset(m);
	vhost_mdev_vqs_forget(m);
	m->fork_owner = VHOST_FORK_OWNER_TASK;
	m->acked_backend_features = 0;
	m->in_batch = false;
	if (m->profile->open)
		m->profile->open(m->pdev);
	mutex_unlock(&m->lock);
	if (ret) {
		atomic_set(&m->opened, 0);
		complete(&m->closed);
		return ret;
	}
	return nonseekable_open(inode, file);
}

static int vhost_mdev_release(struct inode *inode, struct file *file)
{
	struct vhost_mdev *m = file_mdev(file);

	mutex_lock(&m->lock);
	vhost_mdev_vqs_release(m);
	vhost_mdev_set_config_call(m, NULL);
	vhost_mdev_reset(m);
	vhost_mdev_iotlb_release(m);
	vhost_mdev_drop_owner(m);
	mutex_unlock(&m->lock);

	atomic_set(&m->opened, 0);
	complete(&m->closed);
	return 0;
}

static long vhost_mdev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct vhost_mdev *m = file_mdev(file);
	long ret;

	mutex_lock(&m->lock);
	ret = m->profile->ioctl(m->pdev, cmd, (void __user *)arg);
	mutex_unlock(&m->lock);
	return ret;
}

#ifdef CONFIG_COMPAT
static long vhost_mdev_compat_ioctl(struct file *file, unsigned int cmd,
				    unsigned long arg)
{
	struct vhost_mdev *m = file_mdev(file);
	long ret;

	mutex_lock(&m->lock);
	ret = m->profile->compat_ioctl(m->pdev, cmd, arg);
	mutex_unlock(&m->lock);
	return ret;
}
#endif

static ssize_t vhost_mdev_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct vhost_mdev *m = file_mdev(iocb->ki_filp);
	ssize_t ret;

	mutex_lock(&m->lock);
	ret = vhost_mdev_iotlb_write(m, from);
	mutex_unlock(&m->lock);
	return ret;
}

static const struct file_operations vhost_mdev_fops = {
	.owner = THIS_MODULE,
	.open = vhost_mdev_open,
	.release = vhost_mdev_release,
	.unlocked_ioctl = vhost_mdev_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = vhost_mdev_compat_ioctl,
#endif
	.write_iter = vhost_mdev_write_iter,
	.llseek = noop_llseek,
};

/**
 * vhost_mdev_chr_add() - Create /dev/vhost-mdev-<n> for a bound device.
 * @m: The device.
 *
 * Return: 0, or a negative errno.
 */
int vhost_mdev_chr_add(struct vhost_mdev *m)
{
	int ret;

	m->id = ida_alloc(&vhost_mdev_ida, GFP_KERNEL);
	if (m->id < 0)
		return m->id;
	snprintf(m->name, sizeof(m->name), "vhost-mdev-%d", m->id);
	m->misc.minor = MISC_DYNAMIC_MINOR;
	m->misc.name = m->name;
	m->misc.fops = &vhost_mdev_fops;
	m->misc.parent = &m->vdpa->dev;
	m->misc.mode = 0600;
	ret = misc_register(&m->misc);
	if (ret)
		ida_free(&vhost_mdev_ida, m->id);
	return ret;
}

/**
 * vhost_mdev_chr_remove() - Remove the char device, once no file has it open.
 * @m: The device.
 *
 * misc_deregister() excludes new opens (they run under the misc lock); a file
 * still open is waited for, as vhost-vdpa waits in its remove().
 */
void vhost_mdev_chr_remove(struct vhost_mdev *m)
{
	misc_deregister(&m->misc);
	if (atomic_read(&m->opened))
		wait_for_completion(&m->closed);
	ida_free(&vhost_mdev_ida, m->id);
}
