// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's reference: the vhost-vdpa-net dispatch of kernel 7.3 written
 * by hand, the way a driver author would, doing the same checks in the same
 * order and calling the same handlers as the generated one. bench/kdispatch/run.ts
 * first checks that it answers the test calls exactly as the generated code does.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/eventfd.h>
#include <linux/nospec.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include "fake_vdpa_net.h"
#include "handwritten.h"

#define BIT_ULL(n) (1ULL << (n))
#define BACKEND_KNOWN (BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2) | BIT_ULL(VHOST_BACKEND_F_IOTLB_BATCH) | \
		       BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID) | BIT_ULL(VHOST_BACKEND_F_DESC_ASID) | \
		       BIT_ULL(VHOST_BACKEND_F_IOTLB_PERSIST) | BIT_ULL(VHOST_BACKEND_F_SUSPEND) | \
		       BIT_ULL(VHOST_BACKEND_F_RESUME) | BIT_ULL(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK))

/* Reads a ring request's argument and bounds its index: the common head of the ring requests. */
static long ring_arg(struct vhost_vdpa_net_dev *d, void __user *argp, void *s, size_t size)
{
	const struct vhost_vdpa_net_facts *f = vhost_vdpa_net_read_facts(d);
	u32 *index = s;

	if (copy_from_user(s, argp, size))
		return -EFAULT;
	if (*index >= f->nvqs)
		return -ENOBUFS;
	*index = array_index_nospec(*index, f->nvqs);
	return 0;
}

static long ring_eventfd(struct vhost_vdpa_net_dev *d, unsigned int cmd, struct vhost_vring_file *file)
{
	struct eventfd_ctx *ctx = NULL;
	long r;

	if (file->fd != -1) {
		ctx = eventfd_ctx_fdget(file->fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx) == -EBADF ? -EBADF : -EINVAL;
	}
	if (cmd == VHOST_SET_VRING_KICK)
		r = vhost_vdpa_net_set_vring_kick(d, file, ctx);
	else if (cmd == VHOST_SET_VRING_CALL)
		r = vhost_vdpa_net_set_vring_call(d, file, ctx);
	else
		r = vhost_vdpa_net_set_vring_err(d, file, ctx);
	if (r < 0 && ctx)
		eventfd_ctx_put(ctx);
	return r;
}

/* The ring requests: owner, index, then what each needs. */
static long ring_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp)
{
	const struct vhost_vdpa_net_facts *f;
	struct vhost_vring_state s;
	struct vhost_vring_addr a;
	struct vhost_vring_file file;
	long r;

	if (!vhost_vdpa_net_is_owner(d))
		return -EPERM;
	memset(&s, 0, sizeof(s));
	switch (cmd) {
	case VHOST_SET_VRING_ADDR:
		memset(&a, 0, sizeof(a));
		r = ring_arg(d, argp, &a, sizeof(a));
		if (r)
			return r;
		if (a.flags & ~(1 << VHOST_VRING_F_LOG))
			return -EOPNOTSUPP;
		if ((a.avail_user_addr & 1) || (a.used_user_addr & 3) || (a.log_guest_addr & 3))
			return -EINVAL;
		if (vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_DRIVER_OK)
			return -EINVAL;
		return vhost_vdpa_net_set_vring_addr(d, &a);
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		memset(&file, 0, sizeof(file));
		r = ring_arg(d, argp, &file, sizeof(file));
		return r ? r : ring_eventfd(d, cmd, &file);
	}
	r = ring_arg(d, argp, &s, sizeof(s));
	if (r)
		return r;
	f = vhost_vdpa_net_read_facts(d);
	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		if (s.num == 0 || s.num > 0xffff || (s.num & (s.num - 1)))
			return -EINVAL;
		if (s.num > f->vq_num_max)
			return -EINVAL;
		return vhost_vdpa_net_set_vring_num(d, &s);
	case VHOST_SET_VRING_BASE:
		if (s.num > 0xffff)
			return -EINVAL;
		if (vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_DRIVER_OK)
			return -EINVAL;
		return vhost_vdpa_net_set_vring_base(d, &s);
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		return vhost_vdpa_net_set_vring_busyloop_timeout(d, &s);
	case VHOST_VDPA_SET_VRING_ENABLE:
		return vhost_vdpa_net_set_vring_enable(d, &s);
	case VHOST_VDPA_SET_GROUP_ASID:
		if (s.num >= f->nas)
			return -EINVAL;
		s.num = array_index_nospec(s.num, f->nas);
		if (!f->has_set_group_asid)
			return -EOPNOTSUPP;
		if (vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_DRIVER_OK)
			return -EBUSY;
		if (f->group_asid_refused)
			return -EINVAL;
		return vhost_vdpa_net_set_group_asid(d, &s);
	case VHOST_GET_VRING_BASE:
		r = vhost_vdpa_net_get_vring_base(d, &s);
		break;
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		r = vhost_vdpa_net_get_vring_busyloop_timeout(d, &s);
		break;
	case VHOST_VDPA_GET_VRING_GROUP:
		if (!f->has_get_vq_group)
			return -EOPNOTSUPP;
		r = vhost_vdpa_net_get_vring_group(d, &s);
		break;
	case VHOST_VDPA_GET_VRING_DESC_GROUP:
		if (!f->has_get_vq_desc_group)
			return -EOPNOTSUPP;
		r = vhost_vdpa_net_get_vring_desc_group(d, &s);
		break;
	default: /* VHOST_VDPA_GET_VRING_SIZE */
		if (!f->has_get_vq_size)
			return -EOPNOTSUPP;
		r = vhost_vdpa_net_get_vring_size(d, &s);
		break;
	}
	if (r < 0)
		return r;
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : r;
}

/* Getters of one scalar: the handler fills a zeroed value, copied out on success. */
#define GET(type, handler)							\
	do {									\
		type v = 0;							\
		long r = handler(d, &v);					\
		if (r < 0)							\
			return r;						\
		return copy_to_user(argp, &v, sizeof(v)) ? -EFAULT : r;	\
	} while (0)

long hand_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp)
{
	const struct vhost_vdpa_net_facts *f;
	struct vhost_vdpa_config c;
	struct vhost_memory m;
	u64 features;
	u8 b, status;
	int fd;

	switch (cmd) {
	case VHOST_GET_FEATURES:
		GET(u64, vhost_vdpa_net_get_features);
	case VHOST_GET_BACKEND_FEATURES:
		GET(u64, vhost_vdpa_net_get_backend_features);
	case VHOST_GET_FORK_FROM_OWNER:
		GET(u8, vhost_vdpa_net_get_fork_from_owner);
	case VHOST_VDPA_GET_DEVICE_ID:
		GET(u32, vhost_vdpa_net_get_device_id);
	case VHOST_VDPA_GET_STATUS:
		GET(u8, vhost_vdpa_net_get_status);
	case VHOST_VDPA_GET_VRING_NUM:
		GET(u16, vhost_vdpa_net_get_vring_num);
	case VHOST_VDPA_GET_CONFIG_SIZE:
		GET(u32, vhost_vdpa_net_get_config_size);
	case VHOST_VDPA_GET_VQS_COUNT:
		GET(u32, vhost_vdpa_net_get_vqs_count);
	case VHOST_VDPA_GET_GROUP_NUM:
		GET(u32, vhost_vdpa_net_get_group_num);
	case VHOST_VDPA_GET_AS_NUM:
		GET(unsigned int, vhost_vdpa_net_get_as_num);
	case VHOST_VDPA_GET_IOVA_RANGE: {
		struct vhost_vdpa_iova_range range;
		long r;

		memset(&range, 0, sizeof(range));
		r = vhost_vdpa_net_get_iova_range(d, &range);
		if (r < 0)
			return r;
		return copy_to_user(argp, &range, sizeof(range)) ? -EFAULT : r;
	}
	case VHOST_SET_FEATURES:
		if (vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_FEATURES_OK)
			return -EBUSY;
		features = 0;
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		if (features & ~vhost_vdpa_net_read_facts(d)->parent_accepts)
			return -EINVAL;
		return vhost_vdpa_net_set_features(d, features);
	case VHOST_SET_BACKEND_FEATURES:
		features = 0;
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		if (features & ~BACKEND_KNOWN)
			return -EOPNOTSUPP;
		f = vhost_vdpa_net_read_facts(d);
		if ((features & BIT_ULL(VHOST_BACKEND_F_SUSPEND)) && !f->has_suspend)
			return -EOPNOTSUPP;
		if ((features & BIT_ULL(VHOST_BACKEND_F_RESUME)) && !f->has_resume)
			return -EOPNOTSUPP;
		if ((features & BIT_ULL(VHOST_BACKEND_F_DESC_ASID)) && !(features & BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID)))
			return -EINVAL;
		if ((features & BIT_ULL(VHOST_BACKEND_F_DESC_ASID)) && !f->has_get_vq_desc_group)
			return -EOPNOTSUPP;
		if ((features & BIT_ULL(VHOST_BACKEND_F_IOTLB_PERSIST)) &&
		    !(f->backend_features & BIT_ULL(VHOST_BACKEND_F_IOTLB_PERSIST)))
			return -EOPNOTSUPP;
		return vhost_vdpa_net_set_backend_features(d, features);
	case VHOST_SET_OWNER:
		if (vhost_vdpa_net_is_owner(d))
			return -EBUSY;
		return vhost_vdpa_net_set_owner(d);
	case VHOST_SET_FORK_FROM_OWNER:
		if (vhost_vdpa_net_is_owner(d))
			return -EBUSY;
		b = 0;
		if (copy_from_user(&b, argp, sizeof(b)))
			return -EFAULT;
		if (b > VHOST_FORK_OWNER_TASK)
			return -EINVAL;
		return vhost_vdpa_net_set_fork_from_owner(d, b);
	case VHOST_SET_MEM_TABLE:
		if (!vhost_vdpa_net_is_owner(d))
			return -EPERM;
		memset(&m, 0, sizeof(m));
		if (copy_from_user(&m, argp, sizeof(m)))
			return -EFAULT;
		if (m.padding)
			return -EOPNOTSUPP;
		if (m.nregions > vhost_vdpa_net_read_facts(d)->max_mem_regions)
			return -E2BIG;
		return vhost_vdpa_net_set_mem_table(d, &m, ((struct vhost_memory __user *)argp)->regions);
	case VHOST_VDPA_SET_STATUS:
		b = 0;
		if (copy_from_user(&b, argp, sizeof(b)))
			return -EFAULT;
		status = vhost_vdpa_net_read_status(d);
		if (b && (status & ~b))
			return -EINVAL;
		return vhost_vdpa_net_set_status(d, b);
	case VHOST_VDPA_GET_CONFIG:
	case VHOST_VDPA_SET_CONFIG:
		memset(&c, 0, sizeof(c));
		if (copy_from_user(&c, argp, sizeof(c)))
			return -EFAULT;
		f = vhost_vdpa_net_read_facts(d);
		if (c.len == 0 || c.off > f->config_size || c.len > (u64)f->config_size - c.off)
			return -EINVAL;
		if (cmd == VHOST_VDPA_GET_CONFIG)
			return vhost_vdpa_net_get_config(d, &c, ((struct vhost_vdpa_config __user *)argp)->buf);
		return vhost_vdpa_net_set_config(d, &c, ((struct vhost_vdpa_config __user *)argp)->buf);
	case VHOST_VDPA_SET_CONFIG_CALL: {
		struct eventfd_ctx *ctx = NULL;
		long r;

		fd = 0;
		if (copy_from_user(&fd, argp, sizeof(fd)))
			return -EFAULT;
		if (fd != -1) {
			ctx = eventfd_ctx_fdget(fd);
			if (IS_ERR(ctx))
				return PTR_ERR(ctx) == -EBADF ? -EBADF : -EINVAL;
		}
		r = vhost_vdpa_net_set_config_call(d, fd, ctx);
		if (r < 0 && ctx)
			eventfd_ctx_put(ctx);
		return r;
	}
	case VHOST_VDPA_SUSPEND:
		if (!(vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_DRIVER_OK))
			return 0;
		if (!vhost_vdpa_net_read_facts(d)->has_suspend)
			return -EOPNOTSUPP;
		return vhost_vdpa_net_suspend(d);
	case VHOST_VDPA_RESUME:
		if (!(vhost_vdpa_net_read_status(d) & VIRTIO_CONFIG_S_DRIVER_OK))
			return 0;
		if (!vhost_vdpa_net_read_facts(d)->has_resume)
			return -EOPNOTSUPP;
		return vhost_vdpa_net_resume(d);
	case VHOST_SET_VRING_NUM:
	case VHOST_SET_VRING_ADDR:
	case VHOST_SET_VRING_BASE:
	case VHOST_GET_VRING_BASE:
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
	case VHOST_VDPA_SET_VRING_ENABLE:
	case VHOST_VDPA_GET_VRING_GROUP:
	case VHOST_VDPA_SET_GROUP_ASID:
	case VHOST_VDPA_GET_VRING_DESC_GROUP:
	case VHOST_VDPA_GET_VRING_SIZE:
		return ring_ioctl(d, cmd, argp);
	default:
		return -ENOIOCTLCMD;
	}
}
