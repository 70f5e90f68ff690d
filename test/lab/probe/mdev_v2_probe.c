// SPDX-License-Identifier: MIT
/*
 * Behaviour probe for the vhost-mdev v2 interface:
 *   mdev_v2_probe /dev/CHARDEV TABLE OUT.json
 * TABLE has one request a line, "NAME 0xNUMBER KIND", written from the spec's
 * model of v2 (test/lab/mdev-v2.ts): nothing here knows a v2 number. KIND is
 * none, u8, u16, u32, u64, state, addr, file or raw. The walk is request x
 * status state x argument case x owner, each cell on a freshly opened fd
 * (open resets the device), like vdpa_probe's matrix; every valid argument's
 * bytes are dumped after the call, so answers can be compared too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vhost_types.h>

#define MAXREQ 64
#define ARG_DUMP 64
#define RING_SIZE 256

struct req {
	char name[64];
	unsigned long nr;
	char kind[8];
};

static struct req reqs[MAXREQ];
static int nreq;
static const char *path;
static FILE *out;
static unsigned long ncells;
static uint64_t features;
static uint8_t ring_mem[3 * 4096] __attribute__((aligned(4096)));

enum state { S_ZERO, S_ACK, S_DRIVER, S_FEATURES_OK, S_DRIVER_OK, S_RESET, NSTATES };
static const char *const state_names[] = { "0", "ACK", "ACK|DRIVER", "ACK|DRIVER|FEATURES_OK",
					   "ACK|DRIVER|FEATURES_OK|DRIVER_OK", "reset" };
static const uint8_t state_status[] = { 0, 0x1, 0x3, 0xb, 0xf, 0 };

static void die(const char *what)
{
	fprintf(stderr, "mdev_v2_probe: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned long nr_of(const char *name)
{
	int i;

	for (i = 0; i < nreq; i++)
		if (!strcmp(reqs[i].name, name))
			return reqs[i].nr;
	fprintf(stderr, "mdev_v2_probe: the table has no %s\n", name);
	exit(2);
}

static int xioctl(int fd, unsigned long nr, void *arg, int *err)
{
	int ret = ioctl(fd, nr, arg);

	*err = ret < 0 ? errno : 0;
	return ret;
}

/* Brings a fresh fd to state s through SET_FEATURES and the v2 SET_STATUS; the first errno. */
static int enter_state(int fd, enum state s)
{
	enum state up = s == S_RESET ? S_DRIVER_OK : s;
	int i, err = 0;

	for (i = S_ACK; i <= (int)up; i++) {
		uint8_t st = state_status[i];

		if (i == S_FEATURES_OK &&
		    xioctl(fd, nr_of("VHOST_SET_FEATURES"), &features, &err) < 0)
			return err;
		if (xioctl(fd, nr_of("VHOST_MDEV_SET_STATUS"), &st, &err) < 0)
			return err;
	}
	if (s == S_RESET) {
		uint8_t zero = 0;

		if (xioctl(fd, nr_of("VHOST_MDEV_SET_STATUS"), &zero, &err) < 0)
			return err;
	}
	return 0;
}

/* The argument cases of a request kind; NULL-terminated. */
static const char *const *cases_of(const struct req *r)
{
	static const char *const none[] = { "noarg", "ptr", NULL };
	static const char *const get[] = { "valid", "null", NULL };
	static const char *const features_c[] = { "valid", "null", "mq_bit", "unoffered_bit", "zero", NULL };
	static const char *const status_c[] = { "valid", "null", "same", "clear_bit", "reset", "failed", NULL };
	static const char *const state_c[] = { "valid", "null", "vq_oob", "vq_last", "not_pow2", "too_big", NULL };
	static const char *const addr_c[] = { "valid", "null", "vq_oob", "bad_flags", "misaligned", NULL };
	static const char *const file_c[] = { "valid", "null", "vq_oob", "unbind", "bad_fd", "not_eventfd", NULL };

	if (!strcmp(r->kind, "none"))
		return none;
	if (!strcmp(r->name, "VHOST_SET_FEATURES"))
		return features_c;
	if (!strcmp(r->name, "VHOST_MDEV_SET_STATUS"))
		return status_c;
	if (!strcmp(r->kind, "state"))
		return state_c;
	if (!strcmp(r->kind, "addr"))
		return addr_c;
	if (!strcmp(r->kind, "file"))
		return file_c;
	return get;
}

static uint8_t next_status(enum state s)
{
	return s == S_RESET ? state_status[S_ACK] : s == S_DRIVER_OK ? state_status[s] : state_status[s + 1];
}

static void *make_arg(const struct req *r, const char *c, enum state s, uint8_t *buf, int efd, int nfd)
{
	struct vhost_vring_state *vs = (void *)buf;
	struct vhost_vring_file *vf = (void *)buf;
	struct vhost_vring_addr *va = (void *)buf;
	uint32_t index = !strcmp(c, "vq_oob") ? 2 : !strcmp(c, "vq_last") ? 1 : 0;

	if (!strcmp(c, "null") || !strcmp(c, "noarg"))
		return NULL;
	if (!strcmp(r->name, "VHOST_SET_FEATURES")) {
		uint64_t f = !strcmp(c, "zero") ? 0 : features;

		if (!strcmp(c, "mq_bit"))
			f |= 1ULL << 22;	/* VIRTIO_NET_F_MQ, offered by this device */
		else if (!strcmp(c, "unoffered_bit"))
			f |= 1ULL << 62;	/* VIRTIO_NET_F_STANDBY, not offered */
		memcpy(buf, &f, sizeof(f));
	} else if (!strcmp(r->name, "VHOST_MDEV_SET_STATUS")) {
		uint8_t cur = state_status[s];

		buf[0] = !strcmp(c, "same") ? cur : !strcmp(c, "reset") ? 0 :
			 !strcmp(c, "failed") ? cur | 0x80 :
			 !strcmp(c, "clear_bit") ? ((cur & ~1) ? (cur & ~1) : 2) : next_status(s);
	} else if (!strcmp(r->kind, "state")) {
		vs->index = index;
		vs->num = !strcmp(c, "not_pow2") ? 100 : !strcmp(c, "too_big") ? 0x10000 :
			  !strcmp(r->name, "VHOST_MDEV_SET_VRING_ENABLE") ? 1 :
			  !strcmp(r->name, "VHOST_SET_VRING_NUM") ? RING_SIZE : 0;
	} else if (!strcmp(r->kind, "addr")) {
		va->index = index;
		va->flags = !strcmp(c, "bad_flags") ? 2 : 0;
		va->desc_user_addr = (uintptr_t)ring_mem;
		va->avail_user_addr = (uintptr_t)ring_mem + 4096;
		va->used_user_addr = (uintptr_t)ring_mem + 8192 + !strcmp(c, "misaligned");
	} else if (!strcmp(r->kind, "file")) {
		vf->index = index;
		vf->fd = !strcmp(c, "unbind") ? -1 : !strcmp(c, "bad_fd") ? 1000 :
			 !strcmp(c, "not_eventfd") ? nfd : efd;
	}
	return buf;
}

static void run_cell(const struct req *r, const char *c, enum state s, int owner)
{
	static uint8_t buf[4096];
	int fd, efd = -1, nfd = -1, ret = 0, err = 0, serr = 0;
	void *arg = NULL;
	size_t i;

	memset(buf, 0, sizeof(buf));
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path);
	if (owner && xioctl(fd, nr_of("VHOST_SET_OWNER"), NULL, &serr) < 0)
		goto record;
	serr = enter_state(fd, s);
	if (serr)
		goto record;
	efd = eventfd(0, EFD_CLOEXEC);
	nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	arg = !strcmp(c, "ptr") ? buf : make_arg(r, c, s, buf, efd, nfd);
	ret = xioctl(fd, r->nr, arg, &err);
	close(efd);
	close(nfd);
record:
	close(fd);
	fprintf(out, "%s{\"request\":\"%s\",\"nr\":\"0x%08lx\",\"state\":\"%s\",\"arg\":\"%s\",\"owner\":%s",
		ncells++ ? ",\n" : "", r->name, r->nr, state_names[s], c, owner ? "true" : "false");
	if (serr) {
		fprintf(out, ",\"setup_errno\":\"%s\"}", strerrorname_np(serr));
		return;
	}
	if (arg) {
		fprintf(out, ",\"bytes\":\"");
		for (i = 0; i < ARG_DUMP; i++)
			fprintf(out, "%02x", buf[i]);
		fprintf(out, "\"");
	}
	fprintf(out, ",\"efd\":%d,\"nfd\":%d,\"ret\":%d,\"errno\":\"%s\"}", efd, nfd, ret,
		err ? strerrorname_np(err) : "0");
}

static void read_table(const char *file)
{
	FILE *t = fopen(file, "r");

	if (!t)
		die(file);
	while (nreq < MAXREQ && fscanf(t, "%63s %li %7s", reqs[nreq].name, (long *)&reqs[nreq].nr,
				       reqs[nreq].kind) == 3)
		nreq++;
	fclose(t);
	if (!nreq) {
		fprintf(stderr, "mdev_v2_probe: %s has no requests\n", file);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *const *c;
	int i, s, owner, fd, err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s /dev/CHARDEV TABLE OUT.json\n", argv[0]);
		return 2;
	}
	path = argv[1];
	read_table(argv[2]);
	fd = open(path, O_RDWR);
	if (fd < 0 || xioctl(fd, nr_of("VHOST_GET_FEATURES"), &features, &err) < 0)
		die("VHOST_GET_FEATURES");
	close(fd);
	out = fopen(argv[3], "w");
	if (!out)
		die(argv[3]);
	fprintf(out, "{\"device\":\"%s\",\"features\":\"0x%llx\",\"cells\":[\n", path,
		(unsigned long long)features);
	for (i = 0; i < nreq; i++)
		for (s = 0; s < NSTATES; s++)
			for (owner = 0; owner < 2; owner++)
				for (c = cases_of(&reqs[i]); *c; c++)
					run_cell(&reqs[i], *c, s, owner);
	fprintf(out, "]}\n");
	if (fclose(out))
		die(argv[3]);
	printf("mdev_v2_probe: %lu cells\n", ncells);
	return 0;
}
