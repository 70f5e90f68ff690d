// SPDX-License-Identifier: GPL-2.0
/*
 * A fake vhost-mdev-v2 device (the 2019 proposal with the review's feature
 * blacklist) behind the generated dispatch. As fake_vdpa_net.c: the hooks read
 * its state, every handler records that it ran and the argument it saw, and
 * SET_OWNER / SET_STATUS keep just enough state for a status walk.
 */
#include <string.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/eventfd.h>
#include <linux/errno.h>
#include "fake_vhost_mdev_v2.h"

struct vhost_mdev_v2_dev fake;

bool vhost_mdev_v2_is_owner(struct vhost_mdev_v2_dev *dev)
{
	return dev->owner;
}

u8 vhost_mdev_v2_read_status(struct vhost_mdev_v2_dev *dev)
{
	return dev->status;
}

const struct vhost_mdev_v2_facts *vhost_mdev_v2_read_facts(struct vhost_mdev_v2_dev *dev)
{
	return &dev->facts;
}

/* Records the call; returns the failure a test asked for (once), else 0. */
static long ran(struct vhost_mdev_v2_dev *dev, const char *name, const void *arg, size_t len)
{
	long fail = dev->fail;

	dev->handler = name + strlen("vhost_mdev_v2_");
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
static void hold(struct vhost_mdev_v2_dev *dev, int kind, u32 index, struct eventfd_ctx *ctx)
{
	struct eventfd_ctx **slot = &dev->held[kind][index % FAKE_SLOTS];

	if (*slot)
		eventfd_ctx_put(*slot);
	*slot = ctx;
}

long vhost_mdev_v2_get_features(struct vhost_mdev_v2_dev *dev, u64 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = FAKE_FEATURES;
	return r;
}

long vhost_mdev_v2_set_features(struct vhost_mdev_v2_dev *dev, u64 arg)
{
	return RAN(&arg);
}

long vhost_mdev_v2_set_owner(struct vhost_mdev_v2_dev *dev)
{
	long r = RAN_NONE();

	if (!r)
		dev->owner = true;
	return r;
}

long vhost_mdev_v2_get_status(struct vhost_mdev_v2_dev *dev, u8 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->status;
	return r;
}

long vhost_mdev_v2_set_status(struct vhost_mdev_v2_dev *dev, u8 arg)
{
	long r = RAN(&arg);

	if (!r)
		dev->status = arg;
	return r;
}

long vhost_mdev_v2_get_vring_num(struct vhost_mdev_v2_dev *dev, u16 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = 256;
	return r;
}

long vhost_mdev_v2_get_queue_num(struct vhost_mdev_v2_dev *dev, u32 *arg)
{
	long r = RAN(arg);

	if (!r)
		*arg = dev->facts.nvqs;
	return r;
}

long vhost_mdev_v2_set_vring_num(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_state *arg)
{
	return RAN(arg);
}

long vhost_mdev_v2_set_vring_addr(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_addr *arg)
{
	return RAN(arg);
}

long vhost_mdev_v2_set_vring_base(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_state *arg)
{
	return RAN(arg);
}

long vhost_mdev_v2_get_vring_base(struct vhost_mdev_v2_dev *dev, struct vhost_mdev_v2_vring_state *arg)
{
	long r = RAN(arg);

	if (!r)
		arg->num = 0x1234;
	return r;
}

long vhost_mdev_v2_set_vring_kick(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	long r = RAN(arg);

	if (!r)
		hold(dev, 0, arg->index, ctx);
	return r;
}

long vhost_mdev_v2_set_vring_call(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_file *arg,
				  struct eventfd_ctx *ctx)
{
	long r = RAN(arg);

	if (!r)
		hold(dev, 1, arg->index, ctx);
	return r;
}

long vhost_mdev_v2_set_vring_enable(struct vhost_mdev_v2_dev *dev, const struct vhost_mdev_v2_vring_state *arg)
{
	return RAN(arg);
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
