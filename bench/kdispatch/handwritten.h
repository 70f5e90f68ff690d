/* SPDX-License-Identifier: GPL-2.0 */
/* The hand-written vhost-vdpa-net dispatch the benchmark compares the generated one with. */
#ifndef HANDWRITTEN_H
#define HANDWRITTEN_H
struct vhost_vdpa_net_dev;
long hand_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp);
#endif
