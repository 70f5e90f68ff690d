// SPDX-License-Identifier: GPL-2.0
/*
 * The write() channel: IOTLB messages (struct vhost_msg, or vhost_msg_v2 with
 * an address space) map and unmap the owner's memory for the parent. One
 * vhost_iotlb per address space, allocated on first use, is handed to
 * ops->set_map() or mirrored range by range through ops->dma_map().
 *
 * Parents with use_va (VDUSE) get user addresses and the file behind shared
 * file mappings; the others get the physical addresses of pinned pages.
 * Anything the message handler refuses answers EFAULT, as vhost does.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vhost.h>
#include <linux/vhost_iotlb.h>

#include "vhost_mdev.h"

/* Pages pinned per pin_user_pages() call: one page of page pointers. */
#define VHOST_MDEV_PIN_BATCH (PAGE_SIZE / sizeof(struct page *))

static struct vhost_iotlb *vhost_mdev_as(struct vhost_mdev *m, u32 asid,
					 bool alloc)
{
	if (asid >= m->vdpa->nas)
		return NULL;
	if (!m->as[asid] && alloc)
		m->as[asid] = vhost_iotlb_alloc(VHOST_MDEV_IOTLB_ENTRIES, 0);
	return m->as[asid];
}

/* Unpins @n pages from @pfn on, marking them dirty if the device could write. */
static void vhost_mdev_unpin(unsigned long pfn, unsigned long n, bool dirty)
{
	struct page *page;

	for (; n; pfn++, n--) {
		page = pfn_to_page(pfn);
		unpin_user_pages_dirty_lock(&page, 1, dirty);
	}
}

/* Removes every map of [start, last] from @iotlb, releasing what backs it. */
static void vhost_mdev_unmap_range(struct vhost_mdev *m, u32 asid,
				   struct vhost_iotlb *iotlb, u64 start, u64 last)
{
	struct vdpa_device *vdpa = m->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;
	struct vhost_iotlb_map *map;
	struct vdpa_map_file *mf;

	while ((map = vhost_iotlb_itree_first(iotlb, start, last))) {
		if (ops->dma_map)
			ops->dma_unmap(vdpa, asid, map->start, map->size);
		if (vdpa->use_va) {
			mf = map->opaque;
			fput(mf->file);
			kfree(mf);
		} else {
			vhost_mdev_unpin(PFN_DOWN(map->addr), PFN_DOWN(map->size),
					 map->perm & VHOST_ACCESS_WO);
			atomic64_sub(PFN_DOWN(map->size), &m->owner->pinned_vm);
		}
		vhost_iotlb_map_free(iotlb, map);
	}
}

static void vhost_mdev_unmap(struct vhost_mdev *m, u32 asid,
			     struct vhost_iotlb *iotlb, u64 iova, u64 size)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;

	vhost_mdev_unmap_range(m, asid, iotlb, iova, iova + size - 1);
	if (ops->set_map && !m->in_batch)
		ops->set_map(m->vdpa, asid, iotlb);
}

/* Adds one range and tells the parent (at the end of a batch for set_map). */
static int vhost_mdev_map(struct vhost_mdev *m, u32 asid,
			  struct vhost_iotlb *iotlb, u64 iova, u64 size,
			  u64 addr, u32 perm, void *opaque)
{
	struct vdpa_device *vdpa = m->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;
	int ret;

	ret = vhost_iotlb_add_range_ctx(iotlb, iova, iova + size - 1, addr,
					perm, opaque);
	if (ret)
		return ret;
	if (ops->dma_map)
		ret = ops->dma_map(vdpa, asid, iova, size, addr, perm, opaque);
	else if (!m->in_batch)
		ret = ops->set_map(vdpa, asid, iotlb);
	if (ret) {
		dev_dbg(&vdpa->dev, "asid %u: map of 0x%llx+0x%llx refused: %d\n",
			asid, iova, size, ret);
		vhost_iotlb_del_range(iotlb, iova, iova + size - 1);
		return ret;
	}
	if (!vdpa->use_va)
		atomic64_add(PFN_DOWN(size), &m->owner->pinned_vm);
	return 0;
}

/* use_va: shared file mappings are passed on with their file; the rest is skipped. */
static int vhost_mdev_map_va(struct vhost_mdev *m, u32 asid,
			     struct vhost_iotlb *iotlb, u64 iova, u64 size,
			     u64 uaddr, u32 perm)
{
	struct vm_area_struct *vma;
	struct vdpa_map_file *mf;
	u64 done = 0, len;
	int ret = 0;

	mmap_read_lock(m->owner);
	while (done < size) {
		vma = find_vma(m->owner, uaddr + done);
		if (!vma) {
			ret = -EINVAL;
			break;
		}
		len = min(size - done, vma->vm_end - (uaddr + done));
		if (vma->vm_file && (vma->vm_flags & VM_SHARED) &&
		    !(vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			mf = kzalloc(sizeof(*mf), GFP_KERNEL);
			if (!mf) {
				ret = -ENOMEM;
				break;
			}
			mf->file = get_file(vma->vm_file);
			mf->offset = ((u64)vma->vm_pgoff << PAGE_SHIFT) +
				     uaddr + done - vma->vm_start;
			ret = vhost_mdev_map(m, asid, iotlb, iova + done, len,
					     uaddr + done, perm, mf);
			if (ret) {
				fput(mf->file);
				kfree(mf);
				break;
			}
		}
		done += len;
	}
	if (ret && done)
		vhost_mdev_unmap(m, asid, iotlb, iova, done);
	mmap_read_unlock(m->owner);
	return ret;
}

/* Pins the pages and maps each physically contiguous run as one range. */
static int vhost_mdev_map_pa(struct vhost_mdev *m, u32 asid,
			     struct vhost_iotlb *iotlb, u64 iova, u64 size,
			     u64 uaddr, u32 perm)
{
	unsigned int gup = FOLL_LONGTERM | (perm & VHOST_ACCESS_WO ? FOLL_WRITE : 0);
	unsigned long npages = PFN_UP(size + (uaddr & ~PAGE_MASK));
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	unsigned long cur = uaddr & PAGE_MASK, run_pfn = 0, run_len = 0, pfn;
	u64 start = iova & PAGE_MASK, map_iova = start;
	bool dirty = perm & VHOST_ACCESS_WO;
	struct page **pages;
	long pinned, i;
	int ret = 0;

	if (npages + atomic64_read(&m->owner->pinned_vm) > limit)
		return -ENOMEM;
	pages = (struct page **)__get_free_page(GFP_KERNEL);
	if (!pages)
		return -ENOMEM;

	mmap_read_lock(m->owner);
	while (npages) {
		pinned = pin_user_pages(cur, min(npages, VHOST_MDEV_PIN_BATCH),
					gup, pages);
		if (pinned <= 0) {
			ret = pinned ? pinned : -EFAULT;
			break;
		}
		for (i = 0; i < pinned; i++) {
			pfn = page_to_pfn(pages[i]);
			if (run_len && pfn == run_pfn + run_len) {
				run_len++;
				continue;
			}
			if (run_len) {
				ret = vhost_mdev_map(m, asid, iotlb, map_iova,
						     PFN_PHYS(run_len),
						     PFN_PHYS(run_pfn), perm, NULL);
				if (ret) {
					unpin_user_pages(&pages[i], pinned - i);
					break;
				}
				map_iova += PFN_PHYS(run_len);
			}
			run_pfn = pfn;
			run_len = 1;
		}
		if (ret)
			break;
		cur += pinned << PAGE_SHIFT;
		npages -= pinned;
	}
	if (!ret && run_len) {
		ret = vhost_mdev_map(m, asid, iotlb, map_iova, PFN_PHYS(run_len),
				     PFN_PHYS(run_pfn), perm, NULL);
		if (!ret)
			run_len = 0;
	}
	/* The run not mapped is still pinned; what was mapped is undone. */
	if (ret) {
		vhost_mdev_unpin(run_pfn, run_len, dirty);
		if (map_iova > start)
			vhost_mdev_unmap(m, asid, iotlb, start, map_iova - start);
	}
	mmap_read_unlock(m->owner);
	free_page((unsigned long)pages);
	return ret;
}

static int vhost_mdev_update(struct vhost_mdev *m, u32 asid,
			     struct vhost_iotlb *iotlb,
			     const struct vhost_iotlb_msg *msg)
{
	if (msg->iova < m->range.first || !msg->size ||
	    msg->iova > U64_MAX - msg->size + 1 ||
	    msg->iova + msg->size - 1 > m->range.last)
		return -EINVAL;
	if (vhost_iotlb_itree_first(iotlb, msg->iova, msg->iova + msg->size - 1))
		return -EEXIST;
	if (m->vdpa->use_va)
		return vhost_mdev_map_va(m, asid, iotlb, msg->iova, msg->size,
					 msg->uaddr, msg->perm);
	return vhost_mdev_map_pa(m, asid, iotlb, msg->iova, msg->size,
				 msg->uaddr, msg->perm);
}

static int vhost_mdev_iotlb_msg(struct vhost_mdev *m, u32 asid,
				const struct vhost_iotlb_msg *msg)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;
	struct vhost_iotlb *iotlb;

	if (!vhost_mdev_is_owner(m))
		return -EPERM;
	/* An invalidation needs a mapping to exist: it allocates nothing. */
	iotlb = vhost_mdev_as(m, asid, msg->type == VHOST_IOTLB_UPDATE ||
			      msg->type == VHOST_IOTLB_BATCH_BEGIN);
	if (!iotlb || (m->in_batch && m->batch_asid != asid))
		return -EINVAL;

	switch (msg->type) {
	case VHOST_IOTLB_UPDATE:
		return vhost_mdev_update(m, asid, iotlb, msg);
	case VHOST_IOTLB_INVALIDATE:
		vhost_mdev_unmap(m, asid, iotlb, msg->iova, msg->size);
		return 0;
	case VHOST_IOTLB_BATCH_BEGIN:
		m->batch_asid = asid;
		m->in_batch = true;
		return 0;
	case VHOST_IOTLB_BATCH_END:
		if (m->in_batch && ops->set_map)
			ops->set_map(m->vdpa, asid, iotlb);
		m->in_batch = false;
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * vhost_mdev_iotlb_write() - Handle one write() of an IOTLB message.
 * @m: The device.
 * @from: The caller's bytes.
 *
 * A v1 message has a hole after its type; a v2 message carries an address
 * space there once the driver acked VHOST_BACKEND_F_IOTLB_ASID.
 *
 * Return: the size of the message consumed, -EINVAL for a short or unknown
 *	message, -EFAULT when the message handler refuses it.
 */
ssize_t vhost_mdev_iotlb_write(struct vhost_mdev *m, struct iov_iter *from)
{
	struct vhost_iotlb_msg msg;
	u32 type, asid = 0;
	size_t hole;
	int ret;

	if (copy_from_iter(&type, sizeof(type), from) != sizeof(type))
		return -EINVAL;
	switch (type) {
	case VHOST_IOTLB_MSG:
		hole = offsetof(struct vhost_msg, iotlb) - sizeof(type);
		break;
	case VHOST_IOTLB_MSG_V2:
		hole = sizeof(asid);
		if (m->acked_backend_features & BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID)) {
			if (copy_from_iter(&asid, sizeof(asid), from) != sizeof(asid))
				return -EINVAL;
			hole = 0;
		}
		break;
	default:
		return -EINVAL;
	}
	iov_iter_advance(from, hole);
	if (copy_from_iter(&msg, sizeof(msg), from) != sizeof(msg))
		return -EINVAL;
	if (msg.type == VHOST_IOTLB_UPDATE && !msg.size)
		return -EINVAL;
	ret = vhost_mdev_iotlb_msg(m, asid, &msg);
	if (ret) {
		dev_dbg(&m->vdpa->dev, "IOTLB message type %u refused: %d\n",
			msg.type, ret);
		return -EFAULT;
	}
	return type == VHOST_IOTLB_MSG ? sizeof(struct vhost_msg) :
					 sizeof(struct vhost_msg_v2);
}

/**
 * vhost_mdev_iotlb_release() - Drop every mapping and the memory table.
 * @m: The device (the file is released; the owner is still known).
 */
void vhost_mdev_iotlb_release(struct vhost_mdev *m)
{
	const struct vdpa_config_ops *ops = m->vdpa->config;
	u32 asid;

	m->in_batch = false;
	for (asid = 0; asid < m->vdpa->nas; asid++) {
		if (!m->as[asid])
			continue;
		vhost_mdev_unmap_range(m, asid, m->as[asid], 0, U64_MAX);
		if (ops->set_map)
			ops->set_map(m->vdpa, asid, m->as[asid]);
		vhost_iotlb_free(m->as[asid]);
		m->as[asid] = NULL;
	}
	if (m->umem) {
		vhost_iotlb_free(m->umem);
		m->umem = NULL;
	}
}
