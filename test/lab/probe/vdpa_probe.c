// SPDX-License-Identifier: MIT
/*
 * Behaviour probe for upstream vhost-vdpa: creates a VDUSE net device, serves
 * its control requests from a thread, binds it to vhost_vdpa through the vdpa
 * netlink tool and then either
 *   vdpa_probe NAME matrix OUT.json   walks request x status state x argument
 *                                     case x owner and writes every ret/errno,
 *                                     then the IOTLB write() cells ("writes");
 *   vdpa_probe NAME hold 'CMD'        runs CMD (sh -c) while the device exists
 *                                     ($VDPA_DEV names it);
 *   vdpa_probe /dev/CHARDEV matrix OUT.json   the matrix on a char device that
 *                                     exists already (e.g. inside hold, after
 *                                     rebinding the device to another driver).
 * Built on the host against the 6.12 UAPI headers; runs in the lab guest.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/vduse.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#define NVQS 2
#define VQ_MAX 256
#define BIT(n) (1ULL << (n))
#define DEV_FEATURES (BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_F_ACCESS_PLATFORM) | \
		      BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_MTU))

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vdpa_probe: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(2);
}

/* ---- VDUSE device and its request server ---- */

static int vduse_fd = -1;
static volatile int server_stop;
static volatile unsigned long served;

static void *serve(void *unused)
{
	struct vduse_dev_request req;
	struct vduse_dev_response resp;
	struct pollfd p = { .fd = vduse_fd, .events = POLLIN };

	(void)unused;
	while (!server_stop) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		if (read(vduse_fd, &req, sizeof(req)) != sizeof(req))
			continue;
		memset(&resp, 0, sizeof(resp));
		resp.request_id = req.request_id;
		resp.result = VDUSE_REQ_RESULT_OK;
		if (write(vduse_fd, &resp, sizeof(resp)) != sizeof(resp))
			fprintf(stderr, "vdpa_probe: response write failed: %s\n", strerror(errno));
		served++;
	}
	return NULL;
}

static void vduse_create(const char *name)
{
	size_t sz = sizeof(struct vduse_dev_config) + sizeof(struct virtio_net_config);
	struct vduse_dev_config *cfg = calloc(1, sz);
	struct virtio_net_config *net = (void *)cfg->config;
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint64_t api = VDUSE_API_VERSION;
	char path[300];
	int ctl, i;

	ctl = open("/dev/vduse/control", O_RDWR);
	if (ctl < 0)
		die("open /dev/vduse/control");
	if (ioctl(ctl, VDUSE_SET_API_VERSION, &api))
		die("VDUSE_SET_API_VERSION");
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	cfg->device_id = VIRTIO_ID_NET;
	/* $VDPA_PROBE_FEATURES adds device features (e.g. VIRTIO_NET_F_MQ for a feature filter). */
	cfg->features = DEV_FEATURES | strtoull(getenv("VDPA_PROBE_FEATURES") ?: "0", NULL, 0);
	cfg->vq_num = NVQS;
	cfg->vq_align = 4096;
	cfg->config_size = sizeof(*net);
	memcpy(net->mac, mac, sizeof(mac));
	net->status = VIRTIO_NET_S_LINK_UP;
	net->max_virtqueue_pairs = 1;
	net->mtu = 1500;
	if (ioctl(ctl, VDUSE_CREATE_DEV, cfg))
		die("VDUSE_CREATE_DEV %s", name);
	close(ctl);
	free(cfg);

	snprintf(path, sizeof(path), "/dev/vduse/%s", name);
	vduse_fd = open(path, O_RDWR);
	if (vduse_fd < 0)
		die("open %s", path);
	for (i = 0; i < NVQS; i++) {
		struct vduse_vq_config vq = { .index = i, .max_size = VQ_MAX };

		if (ioctl(vduse_fd, VDUSE_VQ_SETUP, &vq))
			die("VDUSE_VQ_SETUP %d", i);
	}
}

static void vduse_destroy(const char *name)
{
	char buf[VDUSE_NAME_MAX] = { 0 };
	int ctl;

	close(vduse_fd);
	snprintf(buf, sizeof(buf), "%s", name);
	ctl = open("/dev/vduse/control", O_RDWR);
	if (ctl < 0 || ioctl(ctl, VDUSE_DESTROY_DEV, buf))
		fprintf(stderr, "vdpa_probe: VDUSE_DESTROY_DEV: %s\n", strerror(errno));
	if (ctl >= 0)
		close(ctl);
}

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The vhost-vdpa char device of vdpa device NAME: /sys/bus/vdpa/devices/NAME/vhost-vdpa-N */
static void vhost_dev_path(const char *name, char *out, size_t len)
{
	char dir[300];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/vdpa/devices/%s", name);
	d = opendir(dir);
	if (!d)
		die("opendir %s", dir);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "vhost-vdpa-", 11)) {
			snprintf(out, len, "/dev/%s", e->d_name);
			closedir(d);
			return;
		}
	closedir(d);
	errno = ENOENT;
	die("%s is not bound to vhost_vdpa", name);
}

/* ---- the matrix ---- */

enum argkind {
	A_NONE, A_U8, A_U16, A_U32, A_INT, A_U64, A_STATE, A_FILE, A_ADDR,
	A_WSTATE, A_VWORKER, A_MEMORY, A_SCSI, A_CONFIG, A_IOVA,
};

struct request {
	const char *name;
	unsigned long nr;
	enum argkind kind;
	const char *const *extra; /* request-specific invalid-argument cases */
};

#define NOX ((const char *const[]){ NULL })
#define X(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define R(n, k, x) { #n, n, k, x }

static const struct request requests[] = {
	R(VHOST_GET_FEATURES, A_U64, NOX),
	R(VHOST_SET_FEATURES, A_U64, X("unoffered_bit", "zero")),
	R(VHOST_SET_OWNER, A_NONE, NOX),
	R(VHOST_RESET_OWNER, A_NONE, NOX),
	R(VHOST_SET_MEM_TABLE, A_MEMORY, X("padding", "too_many")),
	R(VHOST_SET_LOG_BASE, A_U64, NOX),
	R(VHOST_SET_LOG_FD, A_INT, NOX),
	R(VHOST_NEW_WORKER, A_WSTATE, NOX),
	R(VHOST_FREE_WORKER, A_WSTATE, NOX),
	R(VHOST_SET_VRING_NUM, A_STATE, X("not_pow2", "zero", "one", "max", "too_big", "vq_last")),
	R(VHOST_SET_VRING_ADDR, A_ADDR, X("bad_flags", "misaligned", "avail_misaligned", "log_misaligned", "log_flag", "vq_last")),
	R(VHOST_SET_VRING_BASE, A_STATE, X("too_big", "max")),
	R(VHOST_GET_VRING_BASE, A_STATE, NOX),
	R(VHOST_SET_VRING_ENDIAN, A_STATE, X("bad_value")),
	R(VHOST_GET_VRING_ENDIAN, A_STATE, NOX),
	R(VHOST_ATTACH_VRING_WORKER, A_VWORKER, NOX),
	R(VHOST_GET_VRING_WORKER, A_VWORKER, NOX),
	R(VHOST_SET_VRING_KICK, A_FILE, X("unbind", "bad_fd", "not_eventfd", "vq_last")),
	R(VHOST_SET_VRING_CALL, A_FILE, X("unbind", "bad_fd", "not_eventfd", "vq_last")),
	R(VHOST_SET_VRING_ERR, A_FILE, X("unbind", "bad_fd", "not_eventfd", "vq_last")),
	R(VHOST_SET_VRING_BUSYLOOP_TIMEOUT, A_STATE, NOX),
	R(VHOST_GET_VRING_BUSYLOOP_TIMEOUT, A_STATE, NOX),
	R(VHOST_SET_BACKEND_FEATURES, A_U64, X("unknown_bit", "suspend_bit", "resume_bit", "persist_bit", "desc_asid_alone", "desc_asid_with_asid", "zero")),
	R(VHOST_GET_BACKEND_FEATURES, A_U64, NOX),
	R(VHOST_NET_SET_BACKEND, A_FILE, NOX),
	R(VHOST_SCSI_SET_ENDPOINT, A_SCSI, NOX),
	R(VHOST_SCSI_CLEAR_ENDPOINT, A_SCSI, NOX),
	R(VHOST_SCSI_GET_ABI_VERSION, A_INT, NOX),
	R(VHOST_SCSI_SET_EVENTS_MISSED, A_U32, NOX),
	R(VHOST_SCSI_GET_EVENTS_MISSED, A_U32, NOX),
	R(VHOST_VSOCK_SET_GUEST_CID, A_U64, NOX),
	R(VHOST_VSOCK_SET_RUNNING, A_INT, NOX),
	R(VHOST_VDPA_GET_DEVICE_ID, A_U32, NOX),
	R(VHOST_VDPA_GET_STATUS, A_U8, NOX),
	R(VHOST_VDPA_SET_STATUS, A_U8, X("same", "clear_bit", "reset", "failed")),
	R(VHOST_VDPA_GET_CONFIG, A_CONFIG, X("off_past_end", "len_past_end", "len_zero", "window_end", "off_last", "off_at_end")),
	R(VHOST_VDPA_SET_CONFIG, A_CONFIG, X("off_past_end", "len_past_end", "len_zero", "window_end", "off_last", "off_at_end")),
	R(VHOST_VDPA_SET_VRING_ENABLE, A_STATE, NOX),
	R(VHOST_VDPA_GET_VRING_NUM, A_U16, NOX),
	R(VHOST_VDPA_SET_CONFIG_CALL, A_INT, X("unbind", "bad_fd", "not_eventfd")),
	R(VHOST_VDPA_GET_IOVA_RANGE, A_IOVA, NOX),
	R(VHOST_VDPA_GET_CONFIG_SIZE, A_U32, NOX),
	R(VHOST_VDPA_GET_AS_NUM, A_U32, NOX),
	R(VHOST_VDPA_GET_VRING_GROUP, A_STATE, NOX),
	R(VHOST_VDPA_SET_GROUP_ASID, A_STATE, X("asid_oob")),
	R(VHOST_VDPA_SUSPEND, A_NONE, NOX),
	R(VHOST_VDPA_RESUME, A_NONE, NOX),
	R(VHOST_VDPA_GET_VRING_DESC_GROUP, A_STATE, NOX),
	R(VHOST_VDPA_GET_VQS_COUNT, A_U32, NOX),
	R(VHOST_VDPA_GET_GROUP_NUM, A_U32, NOX),
	R(VHOST_VDPA_GET_VRING_SIZE, A_STATE, NOX),
	R(VHOST_SET_FORK_FROM_OWNER, A_U8, X("bad_value")),
	R(VHOST_GET_FORK_FROM_OWNER, A_U8, NOX),
};

#define NREQ (sizeof(requests) / sizeof(requests[0]))

/* Status states on the way up, then one after a reset. */
enum state { S_ZERO, S_ACK, S_DRIVER, S_FEATURES_OK, S_DRIVER_OK, S_RESET, NSTATES };
static const char *const state_names[] = { "0", "ACK", "ACK|DRIVER", "ACK|DRIVER|FEATURES_OK",
					   "ACK|DRIVER|FEATURES_OK|DRIVER_OK", "reset" };
static const uint8_t state_status[] = {
	0, VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER,
	VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK,
	VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
		VIRTIO_CONFIG_S_DRIVER_OK,
	0,
};

struct devinfo {
	uint32_t device_id, vqs, config_size, group_num, as_num;
	uint16_t vring_num;
	uint64_t features, backend_features;
	struct vhost_vdpa_iova_range iova;
};

static struct devinfo info;
static const char *vhost_path;
static uint8_t ring_mem[3 * 4096] __attribute__((aligned(4096)));

static int xioctl(int fd, unsigned long nr, unsigned long arg, int *err)
{
	int ret = ioctl(fd, nr, arg);

	*err = ret < 0 ? errno : 0;
	return ret;
}

/* Drives a freshly opened fd to state s; returns the errno of the first failing step. */
static int enter_state(int fd, enum state s)
{
	enum state up = s == S_RESET ? S_DRIVER_OK : s;
	int i, err = 0;

	for (i = S_ACK; i <= (int)up; i++) {
		uint8_t st = state_status[i];

		if (i == S_FEATURES_OK) {
			uint64_t f = info.features;

			if (xioctl(fd, VHOST_SET_FEATURES, (unsigned long)&f, &err) < 0)
				return err;
		}
		if (xioctl(fd, VHOST_VDPA_SET_STATUS, (unsigned long)&st, &err) < 0)
			return err;
	}
	if (s == S_RESET) {
		uint8_t zero = 0;

		if (xioctl(fd, VHOST_VDPA_SET_STATUS, (unsigned long)&zero, &err) < 0)
			return err;
	}
	return 0;
}

/* The status a driver sets next from state s (DRIVER_OK is the top: unchanged). */
static uint8_t next_status(enum state s)
{
	if (s == S_RESET)
		return state_status[S_ACK];
	if (s == S_DRIVER_OK)
		return state_status[S_DRIVER_OK];
	return state_status[s + 1];
}

/* Ring index of an argument case: the first ring, the last one, or one past it. */
static uint32_t vq_index(const char *c)
{
	return !strcmp(c, "vq_oob") ? info.vqs : !strcmp(c, "vq_last") ? info.vqs - 1 : 0;
}

static int is_index_first(enum argkind k)
{
	return k == A_STATE || k == A_FILE || k == A_ADDR || k == A_VWORKER;
}

/*
 * Fills buf for request r, argument case c in state s; returns the ioctl argument
 * and describes the decisive value in val.
 */
static unsigned long make_arg(const struct request *r, const char *c, enum state s, void *buf,
			      int efd, int nfd, char *val, size_t vlen)
{
	struct vhost_vring_state *vs = buf;
	struct vhost_vring_file *vf = buf;
	struct vhost_vring_addr *va = buf;
	struct vhost_vring_worker *vw = buf;
	struct vhost_memory *mem = buf;
	struct vhost_vdpa_config *cfg = buf;
	struct vhost_scsi_target *scsi = buf;
	uint64_t *u64 = buf;
	uint8_t *u8 = buf;
	int *i32 = buf;

	val[0] = 0;
	if (!strcmp(c, "null") || !strcmp(c, "noarg"))
		return 0;
	if (!strcmp(c, "ptr"))
		return (unsigned long)buf;

	switch (r->kind) {
	case A_U8:
		if (r->nr == VHOST_VDPA_SET_STATUS) {
			uint8_t cur = state_status[s];

			if (!strcmp(c, "valid"))
				*u8 = next_status(s);
			else if (!strcmp(c, "same"))
				*u8 = cur;
			else if (!strcmp(c, "clear_bit"))
				*u8 = (cur & ~VIRTIO_CONFIG_S_ACKNOWLEDGE) ? (cur & ~VIRTIO_CONFIG_S_ACKNOWLEDGE)
									  : VIRTIO_CONFIG_S_DRIVER;
			else if (!strcmp(c, "reset"))
				*u8 = 0;
			else if (!strcmp(c, "failed"))
				*u8 = cur | VIRTIO_CONFIG_S_FAILED;
			snprintf(val, vlen, "0x%x", *u8);
		} else if (r->nr == VHOST_SET_FORK_FROM_OWNER) {
			*u8 = !strcmp(c, "bad_value") ? 2 : VHOST_FORK_OWNER_TASK;
			snprintf(val, vlen, "%u", *u8);
		}
		break;
	case A_U64:
		if (r->nr == VHOST_SET_FEATURES) {
			*u64 = !strcmp(c, "zero") ? 0 : info.features;
			if (!strcmp(c, "unoffered_bit"))
				*u64 |= BIT(VIRTIO_NET_F_STANDBY);
		} else if (r->nr == VHOST_SET_BACKEND_FEATURES) {
			*u64 = info.backend_features;
			if (!strcmp(c, "unknown_bit"))
				*u64 = BIT(0);
			else if (!strcmp(c, "suspend_bit"))
				*u64 |= BIT(VHOST_BACKEND_F_SUSPEND);
			else if (!strcmp(c, "desc_asid_alone"))
				*u64 = BIT(VHOST_BACKEND_F_DESC_ASID);
			else if (!strcmp(c, "desc_asid_with_asid"))
				*u64 |= BIT(VHOST_BACKEND_F_DESC_ASID) | BIT(VHOST_BACKEND_F_IOTLB_ASID);
			else if (!strcmp(c, "resume_bit"))
				*u64 |= BIT(VHOST_BACKEND_F_RESUME);
			else if (!strcmp(c, "persist_bit"))
				*u64 |= BIT(VHOST_BACKEND_F_IOTLB_PERSIST);
			else if (!strcmp(c, "zero"))
				*u64 = 0;
		} else if (r->nr == VHOST_VSOCK_SET_GUEST_CID) {
			*u64 = 3;
		}
		snprintf(val, vlen, "0x%llx", (unsigned long long)*u64);
		break;
	case A_INT:
		if (r->nr == VHOST_VDPA_SET_CONFIG_CALL)
			*i32 = !strcmp(c, "unbind") ? VHOST_FILE_UNBIND : !strcmp(c, "bad_fd") ? 1000 :
			       !strcmp(c, "not_eventfd") ? nfd : efd;
		else if (r->nr == VHOST_SET_LOG_FD)
			*i32 = VHOST_FILE_UNBIND;
		else if (r->nr == VHOST_VSOCK_SET_RUNNING)
			*i32 = 1;
		snprintf(val, vlen, "%d", *i32);
		break;
	case A_STATE:
		vs->index = vq_index(c);
		if (r->nr == VHOST_SET_VRING_NUM)
			vs->num = !strcmp(c, "not_pow2") ? 100 : !strcmp(c, "zero") ? 0 : !strcmp(c, "one") ? 1 :
				  !strcmp(c, "max") ? 0x8000 : !strcmp(c, "too_big") ? 0x10000 : VQ_MAX;
		else if (r->nr == VHOST_SET_VRING_BASE)
			vs->num = !strcmp(c, "too_big") ? 0x10000 : !strcmp(c, "max") ? 0xffff : 0;
		else if (r->nr == VHOST_SET_VRING_ENDIAN)
			vs->num = !strcmp(c, "bad_value") ? 2 : VHOST_VRING_LITTLE_ENDIAN;
		else if (r->nr == VHOST_VDPA_SET_VRING_ENABLE)
			vs->num = 1;
		else if (r->nr == VHOST_VDPA_SET_GROUP_ASID)
			vs->num = !strcmp(c, "asid_oob") ? info.as_num : 0;
		snprintf(val, vlen, "index=%u,num=%u", vs->index, vs->num);
		break;
	case A_FILE:
		vf->index = vq_index(c);
		vf->fd = !strcmp(c, "unbind") ? VHOST_FILE_UNBIND : !strcmp(c, "bad_fd") ? 1000 :
			 !strcmp(c, "not_eventfd") ? nfd : efd;
		snprintf(val, vlen, "index=%u,fd=%d", vf->index, vf->fd);
		break;
	case A_ADDR:
		va->index = vq_index(c);
		va->flags = !strcmp(c, "bad_flags") ? 2 : !strcmp(c, "log_flag") ? 1 << VHOST_VRING_F_LOG : 0;
		va->desc_user_addr = (uintptr_t)ring_mem;
		va->avail_user_addr = (uintptr_t)ring_mem + 4096 + !strcmp(c, "avail_misaligned");
		va->used_user_addr = (uintptr_t)ring_mem + 8192 + !strcmp(c, "misaligned");
		va->log_guest_addr = !strcmp(c, "log_misaligned") ? 2 : 0;
		snprintf(val, vlen, "index=%u,flags=%u,used_align=%llu", va->index, va->flags,
			 (unsigned long long)(va->used_user_addr & 3));
		break;
	case A_VWORKER:
		vw->index = vq_index(c);
		snprintf(val, vlen, "index=%u", vw->index);
		break;
	case A_MEMORY:
		mem->nregions = !strcmp(c, "too_many") ? 65 : 0;
		mem->padding = !strcmp(c, "padding") ? 1 : 0;
		snprintf(val, vlen, "nregions=%u,padding=%u", mem->nregions, mem->padding);
		break;
	case A_SCSI:
		scsi->abi_version = VHOST_SCSI_ABI_VERSION;
		break;
	case A_CONFIG:
		cfg->off = 0;
		cfg->len = 6;
		if (!strcmp(c, "off_past_end")) {
			cfg->off = info.config_size + 1;
			cfg->len = 1;
		} else if (!strcmp(c, "len_past_end")) {
			cfg->off = info.config_size - 2;
			cfg->len = 8;
		} else if (!strcmp(c, "len_zero")) {
			cfg->len = 0;
		} else if (!strcmp(c, "window_end")) {	/* ends exactly at the end: inside */
			cfg->off = info.config_size - 4;
			cfg->len = 4;
		} else if (!strcmp(c, "off_last")) {	/* the last byte: inside */
			cfg->off = info.config_size - 1;
			cfg->len = 1;
		} else if (!strcmp(c, "off_at_end")) {	/* one past the last byte: outside */
			cfg->off = info.config_size;
			cfg->len = 1;
		}
		snprintf(val, vlen, "off=%u,len=%u", cfg->off, cfg->len);
		break;
	default:
		break;
	}
	return (unsigned long)buf;
}

static FILE *out;
static unsigned long ncells;

static void json_str(const char *k, const char *v, const char *sep)
{
	fprintf(out, "\"%s\":\"%s\"%s", k, v, sep);
}

/* Bytes of the argument buffer written to the matrix: every fixed-size argument fits. */
#define ARG_DUMP 64

static void run_cell(const struct request *r, const char *c, enum state s, int owner)
{
	static uint64_t buf[1024];
	char val[96];
	unsigned long arg = 0;
	int fd, efd = -1, nfd = -1, ret = 0, err = 0, serr = 0;

	memset(buf, 0, sizeof(buf));
	fd = open(vhost_path, O_RDWR);
	if (fd < 0)
		die("open %s", vhost_path);
	if (owner && xioctl(fd, VHOST_SET_OWNER, 0, &serr) < 0)
		goto record;
	serr = enter_state(fd, s);
	if (serr)
		goto record;
	efd = eventfd(0, EFD_CLOEXEC);
	nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);	/* an open file that is not an eventfd */
	arg = make_arg(r, c, s, buf, efd, nfd, val, sizeof(val));
	ret = xioctl(fd, r->nr, arg, &err);
	close(efd);
	close(nfd);
record:
	close(fd);
	fprintf(out, "%s{", ncells++ ? ",\n" : "");
	json_str("request", r->name, ",");
	fprintf(out, "\"nr\":\"0x%08lx\",", r->nr);
	json_str("state", state_names[s], ",");
	json_str("arg", c, ",");
	fprintf(out, "\"owner\":%s,", owner ? "true" : "false");
	if (serr) {
		fprintf(out, "\"setup_errno\":\"%s\"}", strerrorname_np(serr));
		return;
	}
	json_str("value", val, ",");
	/* what a handler reading a u32 index from the argument would see */
	if (arg) {
		uint32_t head;
		size_t i;

		memcpy(&head, buf, sizeof(head));
		fprintf(out, "\"head\":%u,", head);
		/* the argument as the kernel read it: the model decodes its fields by layout */
		fprintf(out, "\"bytes\":\"");
		for (i = 0; i < ARG_DUMP; i++)
			fprintf(out, "%02x", ((const uint8_t *)buf)[i]);
		fprintf(out, "\",");
	}
	fprintf(out, "\"efd\":%d,\"nfd\":%d,", efd, nfd);
	fprintf(out, "\"ret\":%d,\"errno\":\"%s\"}", ret, err ? strerrorname_np(err) : "0");
}

static void walk(const struct request *r, enum state s, int owner)
{
	const char *const *x;

	if (r->kind == A_NONE) {
		run_cell(r, "noarg", s, owner);
		run_cell(r, "ptr", s, owner);
		return;
	}
	run_cell(r, "valid", s, owner);
	run_cell(r, "null", s, owner);
	if (is_index_first(r->kind))
		run_cell(r, "vq_oob", s, owner);
	for (x = r->extra; *x; x++)
		run_cell(r, *x, s, owner);
}

/* ---- the IOTLB write() channel ---- */

/*
 * A write cell: a fresh fd, the owner or not, a set of acked backend features,
 * a status state, then steps (writes and resets, each recorded) and last the
 * measured write. Steps of the prefix: 'u' UPDATE of the shared memfd at
 * W_IOVA, 'a' UPDATE of anonymous memory there, 'i' INVALIDATE of it,
 * 'z' INVALIDATE of size 0 in its middle (its last byte before its first),
 * 'b' BATCH_BEGIN, 'r' VHOST_VDPA_SET_STATUS 0 (a reset).
 */
#define W_IOVA 0x100000ULL
#define W_PAGE 4096ULL
#define W_REGION (4 * W_PAGE)
#define W_TOP_UADDR 0x800000000000ULL	/* above every user mapping on x86_64 */

enum wmem { M_MEMFD, M_ANON, M_NONE };

struct wmsg {
	uint32_t form;		/* leading type: VHOST_IOTLB_MSG or _V2 */
	uint32_t word1;		/* v2: asid; v1: the hole after type */
	uint8_t type;
	uint64_t iova, size;
	enum wmem mem;
	uint8_t perm;
	int len;
};

struct wcase {
	const char *name;
	const char *prefix;
	struct wmsg msg;
};

#define V1 VHOST_IOTLB_MSG
#define V2 VHOST_IOTLB_MSG_V2
#define UPD VHOST_IOTLB_UPDATE
#define INV VHOST_IOTLB_INVALIDATE
#define RW VHOST_ACCESS_RW
#define MSG(f, w, t, i, s, m, p, l) { f, w, t, i, s, m, p, l }

static const struct wcase wcases[] = {
	{ "v1_update", "", MSG(V1, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "v1_hole_set", "", MSG(V1, 1, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "v2_update", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "anon_update", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_ANON, RW, 72) },
	{ "uaddr_unmapped", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_NONE, RW, 72) },
	{ "len_0", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 0) },
	{ "len_3", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 3) },
	{ "len_6", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 6) },
	{ "len_39", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 39) },
	{ "len_40", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 40) },
	{ "len_71", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 71) },
	{ "v1_len_39", "", MSG(V1, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 39) },
	{ "v1_len_40", "", MSG(V1, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 40) },
	{ "v1_len_71", "", MSG(V1, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 71) },
	{ "len_80", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 80) },
	{ "form_0", "", MSG(0, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "form_3", "", MSG(3, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "size_0", "", MSG(V2, 0, UPD, W_IOVA, 0, M_MEMFD, RW, 72) },
	{ "invalidate", "", MSG(V2, 0, INV, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "invalidate_mapped", "u", MSG(V2, 0, INV, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "invalidate_size_0", "u", MSG(V2, 0, INV, W_IOVA, 0, M_MEMFD, RW, 72) },
	{ "miss", "", MSG(V2, 0, VHOST_IOTLB_MISS, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "miss_mapped", "u", MSG(V2, 0, VHOST_IOTLB_MISS, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "access_fail_mapped", "u", MSG(V2, 0, VHOST_IOTLB_ACCESS_FAIL, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "type_7_mapped", "u", MSG(V2, 0, 7, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "iova_overflow", "", MSG(V2, 0, UPD, 0ULL - W_PAGE, 2 * W_PAGE, M_MEMFD, RW, 72) },
	{ "iova_range_end", "", MSG(V2, 0, UPD, 0ULL - W_PAGE, W_PAGE, M_MEMFD, RW, 72) },
	{ "overlap", "u", MSG(V2, 0, UPD, W_IOVA + W_PAGE / 2, W_PAGE, M_MEMFD, RW, 72) },
	{ "overlap_same", "u", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "adjacent", "u", MSG(V2, 0, UPD, W_IOVA + W_PAGE, W_PAGE, M_MEMFD, RW, 72) },
	{ "over_anon_update", "a", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "remap", "ui", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "remap_after_size_0_inside", "uz", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "perm_0", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, 0, 72) },
	{ "perm_bad", "", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, 0xfc, 72) },
	{ "batch_begin", "", MSG(V2, 0, VHOST_IOTLB_BATCH_BEGIN, 0, 0, M_MEMFD, 0, 72) },
	{ "batch_end", "", MSG(V2, 0, VHOST_IOTLB_BATCH_END, 0, 0, M_MEMFD, 0, 72) },
	{ "batch_update", "b", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "batch_overlap", "bu", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "batch_end_after", "bu", MSG(V2, 0, VHOST_IOTLB_BATCH_END, 0, 0, M_MEMFD, 0, 72) },
	{ "batch_reset_update", "br", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "asid_1", "", MSG(V2, 1, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "asid_max", "", MSG(V2, 0xffffffff, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "invalidate_asid_1", "u", MSG(V2, 1, INV, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "batch_begin_asid_1", "", MSG(V2, 1, VHOST_IOTLB_BATCH_BEGIN, 0, 0, M_MEMFD, 0, 72) },
	{ "batch_asid_1_update", "b", MSG(V2, 1, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
	{ "overlap_after_reset", "ur", MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72) },
};

#define NWCASES (sizeof(wcases) / sizeof(wcases[0]))

/* Backend feature sets acked before the writes (0: VHOST_SET_BACKEND_FEATURES not called). */
static const uint64_t wacked[] = {
	0,
	BIT(VHOST_BACKEND_F_IOTLB_MSG_V2),
	BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) | BIT(VHOST_BACKEND_F_IOTLB_BATCH),
	BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) | BIT(VHOST_BACKEND_F_IOTLB_ASID),
	BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) | BIT(VHOST_BACKEND_F_IOTLB_BATCH) | BIT(VHOST_BACKEND_F_IOTLB_ASID),
	BIT(VHOST_BACKEND_F_IOTLB_ASID),
};

static const enum state wstates[] = { S_ZERO, S_DRIVER_OK, S_RESET };

static uint8_t *w_memfd, *w_anon;

static void wmem_setup(void)
{
	int mfd = memfd_create("vdpa_probe", MFD_CLOEXEC);

	if (mfd < 0 || ftruncate(mfd, W_REGION))
		die("memfd_create");
	w_memfd = mmap(NULL, W_REGION, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	w_anon = mmap(NULL, W_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w_memfd == MAP_FAILED || w_anon == MAP_FAILED)
		die("mmap");
	close(mfd);
	memset(w_memfd, 1, W_REGION);
	memset(w_anon, 1, W_REGION);
}

static uint64_t wuaddr(enum wmem m)
{
	return m == M_MEMFD ? (uintptr_t)w_memfd : m == M_ANON ? (uintptr_t)w_anon : W_TOP_UADDR;
}

/* The record as bytes: leading type, then the second word, then the iotlb message at 8. */
static void wfill(uint8_t *rec, const struct wmsg *m)
{
	struct vhost_msg_v2 v2;

	memset(&v2, 0, sizeof(v2));
	v2.type = m->form;
	v2.asid = m->word1;
	v2.iotlb.iova = m->iova;
	v2.iotlb.size = m->size;
	v2.iotlb.uaddr = wuaddr(m->mem);
	v2.iotlb.perm = m->perm;
	v2.iotlb.type = m->type;
	memset(rec, 0, 96);
	memcpy(rec, &v2, sizeof(v2));
}

static void wjson_write(const uint8_t *rec, int len, ssize_t ret, int err)
{
	int i;

	fprintf(out, "{\"len\":%d,\"bytes\":\"", len);
	for (i = 0; i < 80; i++)
		fprintf(out, "%02x", rec[i]);
	fprintf(out, "\",\"ret\":%zd,\"errno\":\"%s\"}", ret, err ? strerrorname_np(err) : "0");
}

/* One step: a write of the record, or a reset; recorded in the cell's "steps". */
static void wstep(int fd, char step, int *nsteps)
{
	static const struct wmsg prefix_msgs[] = {
		MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_MEMFD, RW, 72),
		MSG(V2, 0, UPD, W_IOVA, W_PAGE, M_ANON, RW, 72),
		MSG(V2, 0, INV, W_IOVA, W_PAGE, M_MEMFD, RW, 72),
		MSG(V2, 0, VHOST_IOTLB_BATCH_BEGIN, 0, 0, M_MEMFD, 0, 72),
		MSG(V2, 0, INV, W_IOVA + W_PAGE / 2, 0, M_MEMFD, RW, 72),
	};
	uint8_t rec[96];
	ssize_t ret;
	int err = 0;

	fprintf(out, "%s", (*nsteps)++ ? "," : "");
	if (step == 'r') {
		uint8_t zero = 0;
		int r = xioctl(fd, VHOST_VDPA_SET_STATUS, (unsigned long)&zero, &err);

		fprintf(out, "{\"reset\":true,\"ret\":%d,\"errno\":\"%s\"}", r, err ? strerrorname_np(err) : "0");
		return;
	}
	wfill(rec, &prefix_msgs[step == 'u' ? 0 : step == 'a' ? 1 : step == 'i' ? 2 : step == 'b' ? 3 : 4]);
	ret = write(fd, rec, 72);
	err = ret < 0 ? errno : 0;
	wjson_write(rec, 72, ret, err);
}

static unsigned long nwrites;

static void run_write_cell(const struct wcase *c, uint64_t acked, enum state s, int owner)
{
	uint8_t rec[96];
	const char *p;
	ssize_t ret;
	int fd, err = 0, serr = 0, nsteps = 0;

	fd = open(vhost_path, O_RDWR);
	if (fd < 0)
		die("open %s", vhost_path);
	fprintf(out, "%s{", nwrites++ ? ",\n" : "");
	json_str("case", c->name, ",");
	json_str("state", state_names[s], ",");
	fprintf(out, "\"owner\":%s,\"acked\":\"0x%llx\",", owner ? "true" : "false", (unsigned long long)acked);
	if (owner && xioctl(fd, VHOST_SET_OWNER, 0, &serr) < 0)
		goto setup_failed;
	if (acked && xioctl(fd, VHOST_SET_BACKEND_FEATURES, (unsigned long)&acked, &serr) < 0)
		goto setup_failed;
	serr = enter_state(fd, s);
	if (serr)
		goto setup_failed;
	fprintf(out, "\"steps\":[");
	for (p = c->prefix; *p; p++)
		wstep(fd, *p, &nsteps);
	fprintf(out, "],\"write\":");
	wfill(rec, &c->msg);
	ret = write(fd, rec, c->msg.len);
	err = ret < 0 ? errno : 0;
	wjson_write(rec, c->msg.len, ret, err);
	fprintf(out, "}");
	close(fd);
	return;
setup_failed:
	fprintf(out, "\"setup_errno\":\"%s\"}", strerrorname_np(serr));
	close(fd);
}

/* The caller's mappings as /proc/self/maps has them (what find_vma sees). */
static void wjson_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], perms[8];
	unsigned long long start, end, off, ino;
	unsigned int major, minor;
	int n = 0;

	if (!f)
		die("fopen /proc/self/maps");
	fprintf(out, "\"maps\":[");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &start, &end, perms, &off, &major,
			   &minor, &ino) == 7)
			fprintf(out, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"shared\":%s,\"file\":%s}",
				n++ ? "," : "", start, end, perms[3] == 's' ? "true" : "false",
				ino ? "true" : "false");
	fclose(f);
	fprintf(out, "]},\n");
}

static void write_matrix(void)
{
	size_t i, a, s;
	int owner;

	wmem_setup();
	fprintf(out, "\"iotlb\":{\"memfd\":\"0x%llx\",\"anon\":\"0x%llx\",\"region\":%llu,",
		(unsigned long long)(uintptr_t)w_memfd, (unsigned long long)(uintptr_t)w_anon,
		(unsigned long long)W_REGION);
	wjson_maps();
	fprintf(out, "\"writes\":[\n");
	for (i = 0; i < NWCASES; i++)
		for (a = 0; a < sizeof(wacked) / sizeof(wacked[0]); a++)
			for (s = 0; s < sizeof(wstates) / sizeof(wstates[0]); s++)
				for (owner = 0; owner < 2; owner++)
					run_write_cell(&wcases[i], wacked[a], wstates[s], owner);
	fprintf(out, "],\n");
}

static void read_info(void)
{
	int fd = open(vhost_path, O_RDWR), err;

	if (fd < 0)
		die("open %s", vhost_path);
	if (xioctl(fd, VHOST_VDPA_GET_DEVICE_ID, (unsigned long)&info.device_id, &err) ||
	    xioctl(fd, VHOST_GET_FEATURES, (unsigned long)&info.features, &err) ||
	    xioctl(fd, VHOST_GET_BACKEND_FEATURES, (unsigned long)&info.backend_features, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_VQS_COUNT, (unsigned long)&info.vqs, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_CONFIG_SIZE, (unsigned long)&info.config_size, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_GROUP_NUM, (unsigned long)&info.group_num, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_AS_NUM, (unsigned long)&info.as_num, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_VRING_NUM, (unsigned long)&info.vring_num, &err) ||
	    xioctl(fd, VHOST_VDPA_GET_IOVA_RANGE, (unsigned long)&info.iova, &err))
		die("reading device info from %s", vhost_path);
	close(fd);
}

static void matrix(const char *name, const char *path)
{
	struct utsname u;
	size_t i;
	int s, owner;

	out = fopen(path, "w");
	if (!out)
		die("fopen %s", path);
	read_info();
	uname(&u);
	fprintf(out, "{\"kernel\":\"%s\",\"device\":{", u.release);
	json_str("name", name, ",");
	json_str("vhost", vhost_path, ",");
	fprintf(out, "\"device_id\":%u,\"features\":\"0x%llx\",\"backend_features\":\"0x%llx\","
		"\"vqs\":%u,\"config_size\":%u,\"group_num\":%u,\"as_num\":%u,\"vring_num\":%u,"
		"\"iova_first\":\"0x%llx\",\"iova_last\":\"0x%llx\"},\n\"states\":{",
		info.device_id, (unsigned long long)info.features,
		(unsigned long long)info.backend_features, info.vqs, info.config_size,
		info.group_num, info.as_num, info.vring_num,
		(unsigned long long)info.iova.first, (unsigned long long)info.iova.last);
	for (s = 0; s < NSTATES; s++)
		fprintf(out, "%s\"%s\":%u", s ? "," : "", state_names[s], state_status[s]);
	fprintf(out, "},\n\"cells\":[\n");
	for (i = 0; i < NREQ; i++)
		for (s = 0; s < NSTATES; s++)
			for (owner = 0; owner < 2; owner++)
				walk(&requests[i], s, owner);
	fprintf(out, "],\n");
	write_matrix();
	fprintf(out, "\"requests_served\":%lu}\n", served);
	if (fclose(out))
		die("writing %s", path);
	printf("vdpa_probe: %lu cells, %lu write cells, %lu VDUSE requests served\n", ncells, nwrites, served);
}

int main(int argc, char **argv)
{
	static char vpath[300];
	pthread_t th;
	int rc = 0;

	if (argc != 4 || (strcmp(argv[2], "matrix") && strcmp(argv[2], "hold"))) {
		fprintf(stderr, "usage: %s NAME matrix OUT.json | NAME hold CMD | /dev/CHARDEV matrix OUT.json\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A char device instead of NAME: the device exists (a holder serves it); probe it as is. */
	if (argv[1][0] == '/') {
		if (strcmp(argv[2], "matrix"))
			die("%s: only matrix takes a char device", argv[1]);
		vhost_path = argv[1];
		matrix(getenv("VDPA_DEV") ? getenv("VDPA_DEV") : argv[1], argv[3]);
		return 0;
	}
	vduse_create(argv[1]);
	if (pthread_create(&th, NULL, serve, NULL))
		die("pthread_create");
	if (sh("vdpa dev add name %s mgmtdev vduse", argv[1]))
		die("vdpa dev add name %s mgmtdev vduse failed", argv[1]);
	vhost_dev_path(argv[1], vpath, sizeof(vpath));
	vhost_path = vpath;
	if (!strcmp(argv[2], "matrix")) {
		matrix(argv[1], argv[3]);
	} else {
		setenv("VDPA_DEV", argv[1], 1);
		rc = system(argv[3]);
		rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
	}
	if (sh("vdpa dev del %s", argv[1]))
		fprintf(stderr, "vdpa_probe: vdpa dev del %s failed\n", argv[1]);
	server_stop = 1;
	pthread_join(th, NULL);
	vduse_destroy(argv[1]);
	return rc;
}
