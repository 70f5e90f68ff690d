/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost-mdev on the vdpa bus: the device state shared by the bus glue, the
 * char device, the virtqueue plumbing, the IOTLB channel and the profiles.
 *
 * A profile is one generated dispatch (generated/kernel/<profile>.{c,h}) plus
 * the hooks and handlers that connect it to this state; the module parameter
 * "profile" picks one for every device bound while it is loaded.
 */
#ifndef _VHOST_MDEV_H
#define _VHOST_MDEV_H

#include <linux/completion.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/vdpa.h>
#include <linux/vhost_types.h>
#include <linux/wait.h>

struct eventfd_ctx;
struct file;
struct mm_struct;
struct vhost_iotlb;
struct vhost_iotlb_msg;
struct vhost_mdev;

#define VHOST_MDEV_DRV_NAME "vhost_mdev"

/* Regions VHOST_SET_MEM_TABLE takes: the vhost module's default. */
#define VHOST_MDEV_MAX_MEM_REGIONS 64

/* Ranges one IOTLB holds (vhost_iotlb refuses a table without a limit). */
#define VHOST_MDEV_IOTLB_ENTRIES 2048

/**
 * struct vhost_mdev_profile - One generated dispatch and its glue.
 * @name: The value of the "profile" module parameter that selects it.
 * @attach: Allocates the profile's device for @m and fills its facts; returns
 *	an ERR_PTR on failure.
 * @open: Forgets what the previous file left (optional).
 * @detach: Frees what @attach allocated.
 * @ioctl: The generated dispatch.
 * @compat_ioctl: The generated dispatch for 32-bit callers.
 */
struct vhost_mdev_profile {
	const char *name;
	void *(*attach)(struct vhost_mdev *m);
	void (*open)(void *pdev);
	void (*detach)(void *pdev);
	long (*ioctl)(void *pdev, unsigned int cmd, void __user *argp);
	long (*compat_ioctl)(void *pdev, unsigned int cmd, unsigned long arg);
};

extern const struct vhost_mdev_profile vhost_mdev_net_profile;
extern const struct vhost_mdev_profile vhost_mdev_v2_profile;

/**
 * struct vhost_mdev_kick - An eventfd polled on behalf of a virtqueue.
 * @file: The eventfd's file, held while it is polled.
 * @ctx: Its eventfd context (the dispatch's reference).
 * @wqh: The wait queue @wait sits on, NULL when not polling.
 * @wait: Our entry on @wqh; its wake-up kicks the virtqueue.
 * @pt: The poll table that puts @wait on @wqh.
 */
struct vhost_mdev_kick {
	struct file *file;
	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
};

/**
 * struct vhost_mdev_vq - What the driver side set on one virtqueue.
 * @m: The device.
 * @index: Its index.
 * @num: Ring size (VHOST_SET_VRING_NUM).
 * @busyloop_timeout: VHOST_SET_VRING_BUSYLOOP_TIMEOUT, kept for the getter.
 * @kick: The kick eventfd, polled.
 * @call: The call eventfd, signalled from the parent's callback.
 * @err: The error eventfd (kept; vdpa parents report no ring errors).
 */
struct vhost_mdev_vq {
	struct vhost_mdev *m;
	u16 index;
	u32 num;
	u32 busyloop_timeout;
	struct vhost_mdev_kick kick;
	struct eventfd_ctx *call;
	struct eventfd_ctx *err;
};

/**
 * struct vhost_mdev - One bound vdpa device and its char device.
 * @vdpa: The vdpa device.
 * @profile: The dispatch serving its ioctls.
 * @pdev: The profile's device (what the dispatch passes to hooks/handlers).
 * @misc: /dev/vhost-mdev-<id>.
 * @name: The misc device's name.
 * @id: Its number.
 * @lock: Serialises ioctl(), write() and release().
 * @opened: Set while a file has the device open (one at a time).
 * @closed: Completed when the last file is released; remove() waits for it.
 * @owner: The owner's mm (VHOST_SET_OWNER), NULL without owner.
 * @fork_owner: VHOST_SET_FORK_FROM_OWNER's value.
 * @driver_features: The features last accepted by the parent.
 * @acked_backend_features: VHOST_SET_BACKEND_FEATURES's value.
 * @range: The IOVA range IOTLB updates may use.
 * @umem: The memory table of VHOST_SET_MEM_TABLE (kept, not used by vdpa).
 * @as: One IOTLB per address space, allocated on first use.
 * @in_batch: Between VHOST_IOTLB_BATCH_BEGIN and _END.
 * @batch_asid: The address space of the open batch.
 * @config_call: The config-change eventfd.
 * @vqs: The virtqueues (vdpa->nvqs of them).
 */
struct vhost_mdev {
	struct vdpa_device *vdpa;
	const struct vhost_mdev_profile *profile;
	void *pdev;
	struct miscdevice misc;
	char name[24];
	int id;
	struct mutex lock; /* ioctl(), write() and release() */
	atomic_t opened;
	struct completion closed;
	struct mm_struct *owner;
	u8 fork_owner;
	u64 driver_features;
	u64 acked_backend_features;
	struct vdpa_iova_range range;
	struct vhost_iotlb *umem;
	struct vhost_iotlb **as;
	bool in_batch;
	u32 batch_asid;
	struct eventfd_ctx *config_call;
	struct vhost_mdev_vq *vqs;
};

/* vhost_mdev_main.c */
const struct vhost_mdev_profile *vhost_mdev_selected_profile(void);

/* vhost_mdev_bus.c */
int vhost_mdev_bus_register(void);
void vhost_mdev_bus_unregister(void);

/* vhost_mdev_chr.c */
int vhost_mdev_chr_add(struct vhost_mdev *m);
void vhost_mdev_chr_remove(struct vhost_mdev *m);

/* vhost_mdev_dev.c: device-wide operations the handlers share */
bool vhost_mdev_is_owner(const struct vhost_mdev *m);
long vhost_mdev_set_owner(struct vhost_mdev *m);
void vhost_mdev_drop_owner(struct vhost_mdev *m);
u64 vhost_mdev_backend_features(const struct vhost_mdev *m);
long vhost_mdev_set_features(struct vhost_mdev *m, u64 features);
long vhost_mdev_set_status(struct vhost_mdev *m, u8 status);
int vhost_mdev_reset(struct vhost_mdev *m);
long vhost_mdev_get_config(struct vhost_mdev *m, u32 off, u32 len,
			   u8 __user *buf);
long vhost_mdev_set_config(struct vhost_mdev *m, u32 off, u32 len,
			   const u8 __user *buf);
long vhost_mdev_set_mem_table(struct vhost_mdev *m, u32 nregions,
			      const struct vhost_memory_region __user *regions);
void vhost_mdev_set_config_call(struct vhost_mdev *m, struct eventfd_ctx *ctx);
long vhost_mdev_suspend(struct vhost_mdev *m);
long vhost_mdev_resume(struct vhost_mdev *m);

/* vhost_mdev_vq.c: one virtqueue */
int vhost_mdev_vqs_alloc(struct vhost_mdev *m);
void vhost_mdev_vqs_release(struct vhost_mdev *m);
void vhost_mdev_vqs_forget(struct vhost_mdev *m);
void vhost_mdev_vq_set_num(struct vhost_mdev_vq *vq, u32 num);
long vhost_mdev_vq_set_addr(struct vhost_mdev_vq *vq, u64 desc, u64 avail,
			    u64 used);
long vhost_mdev_vq_set_base(struct vhost_mdev_vq *vq, u32 base);
long vhost_mdev_vq_get_base(struct vhost_mdev_vq *vq, u32 *base);
long vhost_mdev_vq_set_kick(struct vhost_mdev_vq *vq, int fd,
			    struct eventfd_ctx *ctx);
void vhost_mdev_vq_set_call(struct vhost_mdev_vq *vq, struct eventfd_ctx *ctx);
void vhost_mdev_vq_set_err(struct vhost_mdev_vq *vq, struct eventfd_ctx *ctx);
void vhost_mdev_vq_set_ready(struct vhost_mdev_vq *vq, bool ready);

/* vhost_mdev_iotlb.c: the write() channel */
ssize_t vhost_mdev_iotlb_write(struct vhost_mdev *m, struct iov_iter *from);
void vhost_mdev_iotlb_release(struct vhost_mdev *m);

#endif /* _VHOST_MDEV_H */
