// SPDX-License-Identifier: GPL-2.0
/*
 * A fake vhost-vdpa-net device behind the generated dispatch: the hooks read its
 * state, and every handler records that it ran and what argument it saw, so a
 * test can tell that no handler ran when a check refused. The handlers keep
 * just enough state for a status walk: SET_OWNER takes ownership, SET_STATUS
 * sets the status byte, eventfd handlers hold the reference they are given.
 */
#include <string.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/eventfd.h>
#include <linux/errno.h>
#include "fake_vdpa_net.h"

struct vhost_vdpa_net_dev fake;

/* Bytes no handler ever writes, so a test can spot them as leaked kernel memory. */
#define FAKE_FEATURES 0x300000028ULL

bool vhost_vdpa_net_is_owner(struct vhost_vdpa_net_dev *dev)
{
	return dev->owner;
}

u8 vhost_vdpa_net_read_status(struct vhost_vdpa_net_dev *dev)
{
	return dev->status;
}

const struct vhost_vdpa_net_facts *vhost_vdpa_net_read_facts(struct vhost_vdpa_net_dev *dev)
{
	return &dev->facts;
}

/* Records the call; returns the failure a test asked for (once), else 0. */
static long ran(struct vhost_vdpa_net_dev *dev, const char *name, const void *arg, size_t len)
{
	long fail = dev->fail;

	dev->handler = name + strlen("vhost_vdpa_net_");
	dev->calls++;
	dev->seen_len = len < sizeof(dev->seen) ? len : sizeof(dev->seen);
	if (arg)
		memcpy(dev->seen, arg, dev->seen_len);
	dev->fail = 0;
	return fail;
}

#define RAN(ptr) ran(dev, __func__, (ptr), sizeof(*(ptr)))
#define RAN_NONE() ran(dev, __func__, NULL, 0)

/* Keeps an eventfd reference in a slot, putting the one it replaces. */
static void hold(struct vhost_vdpa_net_dev *dev, int kind, u32 index, struct eventfd_ctx *ctx)
{
	struct eventfd_ctx **slot = &dev->held[kind][index % FAKE_SLOTS];

	if (*slot)
		eventfd_ctx_put(*slot);
	*slot = ctx;
}

long vhost_vdpa_net_get_features(struct vhost_vdpa_net_dev *dev, u64 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = FAKE_FEATURES;
	return r;
}

long vhost_vdpa_net_set_features(struct vhost_vdpa_net_dev *dev, u64 arg)
{
	return RAN(&arg);
}

long vhost_vdpa_net_set_owner(struct vhost_vdpa_net_dev *dev)
{
	long r = RAN_NONE();

	if (!r)
		dev->owner = true;
	return r;
}

long vhost_vdpa_net_set_mem_table(struct vhost_vdpa_net_dev *dev, const struct vhost_memory *arg,
				  const struct vhost_memory_region __user *regions)
{
	long r = RAN(arg);
	struct vhost_memory_region region;

	for (u32 i = 0; !r && i < arg->nregions; i++)
		if (copy_from_user(&region, &regions[i], sizeof(region)))
			r = -EFAULT;
	return r;
}

long vhost_vdpa_net_set_fork_from_owner(struct vhost_vdpa_net_dev *dev, u8 arg)
{
	long r = RAN(&arg);

	if (!r)
		dev->fork_mode = arg;
	return r;
}

long vhost_vdpa_net_get_fork_from_owner(struct vhost_vdpa_net_dev *dev, u8 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->fork_mode;
	return r;
}

long vhost_vdpa_net_get_backend_features(struct vhost_vdpa_net_dev *dev, u64 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->facts.backend_features;
	return r;
}

long vhost_vdpa_net_set_backend_features(struct vhost_vdpa_net_dev *dev, u64 arg)
{
	return RAN(&arg);
}

long vhost_vdpa_net_set_vring_num(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_state *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_set_vring_addr(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_addr *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_set_vring_base(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_state *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_get_vring_base(struct vhost_vdpa_net_dev *dev, struct vhost_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 0x1000 + arg->index;
	return r;
}

long vhost_vdpa_net_set_vring_kick(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_file *arg,
				   struct eventfd_ctx *ctx)
{
	long r = RAN(arg);

	if (!r)
		hold(dev, 0, arg->index, ctx);
	return r;
}

long vhost_vdpa_net_set_vring_call(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_file *arg,
				   struct eventfd_ctx *ctx)
{
	long r = RAN(arg);

	if (!r)
		hold(dev, 1, arg->index, ctx);
	return r;
}

long vhost_vdpa_net_set_vring_err(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	long r = RAN(arg);

	if (!r)
		hold(dev, 2, arg->index, ctx);
	return r;
}

long vhost_vdpa_net_set_vring_busyloop_timeout(struct vhost_vdpa_net_dev *dev,
					       const struct vhost_vring_state *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_get_vring_busyloop_timeout(struct vhost_vdpa_net_dev *dev,
					       struct vhost_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 50;
	return r;
}

long vhost_vdpa_net_get_device_id(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = 1; /* VIRTIO_ID_NET */
	return r;
}

long vhost_vdpa_net_get_status(struct vhost_vdpa_net_dev *dev, u8 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->status;
	return r;
}

long vhost_vdpa_net_set_status(struct vhost_vdpa_net_dev *dev, u8 arg)
{
	long r = RAN(&arg);

	if (!r)
		dev->status = arg;
	return r;
}

long vhost_vdpa_net_get_config(struct vhost_vdpa_net_dev *dev, const struct vhost_vdpa_config *arg,
			       u8 __user *buf)
{
	long r = RAN(arg);
	u8 byte;

	/* Config space byte i reads as 0x40 + i (never the poison pattern). */
	for (u32 i = 0; !r && i < arg->len; i++) {
		byte = (u8)(0x40 + ((arg->off + i) & 0x3f));
		if (copy_to_user(&buf[i], &byte, 1))
			r = -EFAULT;
	}
	return r;
}

long vhost_vdpa_net_set_config(struct vhost_vdpa_net_dev *dev, const struct vhost_vdpa_config *arg,
			       const u8 __user *buf)
{
	long r = RAN(arg);
	u8 byte;

	for (u32 i = 0; !r && i < arg->len; i++)
		if (copy_from_user(&byte, &buf[i], 1))
			r = -EFAULT;
	return r;
}

long vhost_vdpa_net_set_vring_enable(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_state *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_get_vring_num(struct vhost_vdpa_net_dev *dev, u16 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = 256;
	return r;
}

long vhost_vdpa_net_set_config_call(struct vhost_vdpa_net_dev *dev, int arg, struct eventfd_ctx *ctx)
{
	long r = RAN(&arg);

	if (!r)
		hold(dev, 3, 0, ctx);
	return r;
}

long vhost_vdpa_net_get_iova_range(struct vhost_vdpa_net_dev *dev, struct vhost_vdpa_iova_range *arg)
{
	long r = RAN(arg);

	/* Only the end: the start stays the zero the dispatch cleared, as the padding test needs. */
	if (!r)
		arg->last = 0xffffffffffULL;
	return r;
}

long vhost_vdpa_net_get_config_size(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->facts.config_size;
	return r;
}

long vhost_vdpa_net_get_vqs_count(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->facts.nvqs;
	return r;
}

long vhost_vdpa_net_get_group_num(struct vhost_vdpa_net_dev *dev, u32 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = 1;
	return r;
}

long vhost_vdpa_net_get_as_num(struct vhost_vdpa_net_dev *dev, unsigned int *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->facts.nas;
	return r;
}

long vhost_vdpa_net_get_vring_group(struct vhost_vdpa_net_dev *dev, struct vhost_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 0;
	return r;
}

long vhost_vdpa_net_set_group_asid(struct vhost_vdpa_net_dev *dev, const struct vhost_vring_state *arg)
{
	return RAN(arg);
}

long vhost_vdpa_net_suspend(struct vhost_vdpa_net_dev *dev)
{
	return RAN_NONE();
}

long vhost_vdpa_net_resume(struct vhost_vdpa_net_dev *dev)
{
	return RAN_NONE();
}

long vhost_vdpa_net_get_vring_desc_group(struct vhost_vdpa_net_dev *dev, struct vhost_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 0;
	return r;
}

long vhost_vdpa_net_get_vring_size(struct vhost_vdpa_net_dev *dev, struct vhost_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 256;
	return r;
}

void fake_reset(void)
{
	for (int k = 0; k < FAKE_KINDS; k++)
		for (int i = 0; i < FAKE_SLOTS; i++)
			hold(&fake, k, (u32)i, NULL);
	memset(&fake, 0, sizeof(fake));
}

long fake_held(void)
{
	long n = 0;

	for (int k = 0; k < FAKE_KINDS; k++)
		for (int i = 0; i < FAKE_SLOTS; i++)
			n += fake.held[k][i] != NULL;
	return n;
}
