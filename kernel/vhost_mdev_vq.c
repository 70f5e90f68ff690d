// SPDX-License-Identifier: GPL-2.0
/*
 * One virtqueue: ring size, addresses and base go to the parent; the kick
 * eventfd is polled and each signal becomes ops->kick_vq(); the call eventfd
 * is signalled from the callback the parent gets through ops->set_vq_cb().
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

#include "vhost_mdev.h"

static int vhost_mdev_kick_wake(wait_queue_entry_t *wait, unsigned int mode,
				int sync, void *key)
{
	struct vhost_mdev_vq *vq = container_of(wait, struct vhost_mdev_vq,
						kick.wait);
	struct vdpa_device *vdpa = vq->m->vdpa;

	/* Called under the eventfd's wait queue lock: kick_vq must not sleep. */
	if (key_to_poll(key) & EPOLLIN)
		vdpa->config->kick_vq(vdpa, vq->index);
	return 0;
}

static void vhost_mdev_kick_queue(struct file *file, wait_queue_head_t *wqh,
				  poll_table *pt)
{
	struct vhost_mdev_kick *kick = container_of(pt, struct vhost_mdev_kick,
						    pt);

	kick->wqh = wqh;
	add_wait_queue(wqh, &kick->wait);
}

static void vhost_mdev_kick_stop(struct vhost_mdev_kick *kick)
{
	if (kick->wqh) {
		remove_wait_queue(kick->wqh, &kick->wait);
		kick->wqh = NULL;
	}
	if (kick->file) {
		fput(kick->file);
		kick->file = NULL;
	}
	if (kick->ctx) {
		eventfd_ctx_put(kick->ctx);
		kick->ctx = NULL;
	}
}

static irqreturn_t vhost_mdev_call_cb(void *private)
{
	eventfd_signal(private);
	return IRQ_HANDLED;
}

/**
 * vhost_mdev_vqs_alloc() - Allocate the virtqueues of a device.
 * @m: The device.
 *
 * Return: 0 or -ENOMEM.
 */
int vhost_mdev_vqs_alloc(struct vhost_mdev *m)
{
	u32 i;

	m->vqs = kcalloc(m->vdpa->nvqs, sizeof(*m->vqs), GFP_KERNEL);
	if (!m->vqs)
		return -ENOMEM;
	for (i = 0; i < m->vdpa->nvqs; i++) {
		m->vqs[i].m = m;
		m->vqs[i].index = i;
		init_waitqueue_func_entry(&m->vqs[i].kick.wait,
					  vhost_mdev_kick_wake);
		init_poll_funcptr(&m->vqs[i].kick.pt, vhost_mdev_kick_queue);
	}
	return 0;
}

/**
 * vhost_mdev_vqs_forget() - Start a new file with no ring settings.
 * @m: The device.
 */
void vhost_mdev_vqs_forget(struct vhost_mdev *m)
{
	u32 i;

	for (i = 0; i < m->vdpa->nvqs; i++) {
		m->vqs[i].num = 0;
		m->vqs[i].busyloop_timeout = 0;
	}
}

/**
 * vhost_mdev_vqs_release() - Unbind every eventfd (the file is released).
 * @m: The device.
 */
void vhost_mdev_vqs_release(struct vhost_mdev *m)
{
	u32 i;

	for (i = 0; i < m->vdpa->nvqs; i++) {
		vhost_mdev_vq_set_call(&m->vqs[i], NULL);
		vhost_mdev_vq_set_err(&m->vqs[i], NULL);
		vhost_mdev_kick_stop(&m->vqs[i].kick);
	}
}

/**
 * vhost_mdev_vq_set_num() - Set the ring size (a power of two the device takes).
 * @vq: The virtqueue.
 * @num: Descriptors.
 */
void vhost_mdev_vq_set_num(struct vhost_mdev_vq *vq, u32 num)
{
	vq->num = num;
	vq->m->vdpa->config->set_vq_num(vq->m->vdpa, vq->index, num);
}

/**
 * vhost_mdev_vq_set_addr() - Give the parent the ring's three areas.
 * @vq: The virtqueue.
 * @desc: The descriptor table.
 * @avail: The driver area (available ring).
 * @used: The device area (used ring).
 *
 * Return: 0, or -EINVAL when the parent refuses them.
 */
long vhost_mdev_vq_set_addr(struct vhost_mdev_vq *vq, u64 desc, u64 avail,
			    u64 used)
{
	struct vdpa_device *vdpa = vq->m->vdpa;

	if (vdpa->config->set_vq_address(vdpa, vq->index, desc, avail, used))
		return -EINVAL;
	return 0;
}

static bool vhost_mdev_vq_packed(const struct vhost_mdev_vq *vq)
{
	return vq->m->driver_features & BIT_ULL(VIRTIO_F_RING_PACKED);
}

/**
 * vhost_mdev_vq_set_base() - Set where the ring starts.
 * @vq: The virtqueue.
 * @base: Split rings: the available index. Packed rings: avail index and wrap
 *	counter in the low 16 bits, used index and counter in the high 16.
 *
 * Return: the parent's result.
 */
long vhost_mdev_vq_set_base(struct vhost_mdev_vq *vq, u32 base)
{
	struct vdpa_device *vdpa = vq->m->vdpa;
	struct vdpa_vq_state state = {};

	if (vhost_mdev_vq_packed(vq)) {
		state.packed.last_avail_idx = base & 0x7fff;
		state.packed.last_avail_counter = (base >> 15) & 1;
		state.packed.last_used_idx = (base >> 16) & 0x7fff;
		state.packed.last_used_counter = (base >> 31) & 1;
	} else {
		state.split.avail_index = base;
	}
	return vdpa->config->set_vq_state(vdpa, vq->index, &state);
}

/**
 * vhost_mdev_vq_get_base() - Read where the ring is, as the parent reports it.
 * @vq: The virtqueue.
 * @base: Set in the encoding of vhost_mdev_vq_set_base().
 *
 * Return: the parent's result.
 */
long vhost_mdev_vq_get_base(struct vhost_mdev_vq *vq, u32 *base)
{
	struct vdpa_device *vdpa = vq->m->vdpa;
	struct vdpa_vq_state state = {};
	int ret;

	ret = vdpa->config->get_vq_state(vdpa, vq->index, &state);
	if (ret)
		return ret;
	if (vhost_mdev_vq_packed(vq))
		*base = state.packed.last_avail_idx |
			(u32)state.packed.last_avail_counter << 15 |
			(u32)state.packed.last_used_idx << 16 |
			(u32)state.packed.last_used_counter << 31;
	else
		*base = state.split.avail_index;
	return 0;
}

/**
 * vhost_mdev_vq_set_kick() - Poll a new kick eventfd (NULL: stop polling).
 * @vq: The virtqueue.
 * @fd: The caller's descriptor of @ctx, to reach its file for polling.
 * @ctx: The eventfd; the virtqueue owns this reference on success.
 *
 * A signal already pending kicks at once.
 *
 * Return: 0, or -EBADF if @fd no longer names @ctx (closed by another thread
 *	since the dispatch looked it up).
 */
long vhost_mdev_vq_set_kick(struct vhost_mdev_vq *vq, int fd,
			    struct eventfd_ctx *ctx)
{
	struct vhost_mdev_kick *kick = &vq->kick;
	struct eventfd_ctx *same;
	struct file *file = NULL;
	__poll_t mask;

	if (ctx) {
		file = fget(fd);
		same = file ? eventfd_ctx_fileget(file) : ERR_PTR(-EBADF);
		if (!IS_ERR(same))
			eventfd_ctx_put(same);
		if (same != ctx) {
			if (file)
				fput(file);
			return -EBADF;
		}
	}
	vhost_mdev_kick_stop(kick);
	if (!ctx)
		return 0;
	kick->file = file;
	kick->ctx = ctx;
	mask = vfs_poll(file, &kick->pt);
	if (mask & EPOLLIN)
		vhost_mdev_kick_wake(&kick->wait, 0, 0, poll_to_key(mask));
	return 0;
}

/**
 * vhost_mdev_vq_set_call() - Bind (NULL: unbind) the call eventfd.
 * @vq: The virtqueue.
 * @ctx: The eventfd; the virtqueue owns this reference from now on.
 *
 * The parent signals @ctx itself where it can (the callback's trigger), else
 * calls back; it drops the old callback before the old eventfd is put.
 */
void vhost_mdev_vq_set_call(struct vhost_mdev_vq *vq, struct eventfd_ctx *ctx)
{
	struct vdpa_device *vdpa = vq->m->vdpa;
	struct vdpa_callback cb = {
		.callback = ctx ? vhost_mdev_call_cb : NULL,
		.private = ctx,
		.trigger = ctx,
	};

	if (!ctx && !vq->call)
		return;
	vdpa->config->set_vq_cb(vdpa, vq->index, &cb);
	swap(vq->call, ctx);
	if (ctx)
		eventfd_ctx_put(ctx);
}

/**
 * vhost_mdev_vq_set_err() - Bind (NULL: unbind) the error eventfd.
 * @vq: The virtqueue.
 * @ctx: The eventfd; the virtqueue owns this reference from now on.
 */
void vhost_mdev_vq_set_err(struct vhost_mdev_vq *vq, struct eventfd_ctx *ctx)
{
	swap(vq->err, ctx);
	if (ctx)
		eventfd_ctx_put(ctx);
}

/**
 * vhost_mdev_vq_set_ready() - Enable or disable the virtqueue.
 * @vq: The virtqueue.
 * @ready: Enable.
 */
void vhost_mdev_vq_set_ready(struct vhost_mdev_vq *vq, bool ready)
{
	vq->m->vdpa->config->set_vq_ready(vq->m->vdpa, vq->index, ready);
}
