// SPDX-License-Identifier: GPL-2.0
/* The benchmark's empty dispatch, in its own file so no compiler inlines it: the loop's own cost. */
#include <linux/types.h>

struct vhost_vdpa_net_dev;
long noop_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp);

long noop_ioctl(struct vhost_vdpa_net_dev *d, unsigned int cmd, void __user *argp)
{
	(void)d;
	(void)argp;
	return cmd == 0;
}
