// SPDX-License-Identifier: MIT
/*
 * A bounded, seeded storm of random calls on one vhost char device:
 *   ioctl_storm /dev/CHARDEV SEED CALLS OUT.json
 * Request numbers are random in and near the vhost type (0xAF): the known
 * requests with their direction and size kept or scrambled, and any number of
 * the types 0xAE-0xB0. Arguments are random bytes, often with a small ring
 * index or an open eventfd where a handler looks for one, sometimes NULL, an
 * unmapped or a kernel address, or a buffer ending at an unmapped page.
 * Status walks (SET_STATUS up, down, reset, random bytes), SET_OWNER and
 * IOTLB messages on write() are mixed in; the file is reopened every few
 * hundred calls so that release runs with whatever is bound. The same seed
 * gives the same calls. Writes per-errno counts; the kernel's dmesg is the
 * verdict (checked by the lab).
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vhost.h>

#define REOPEN_EVERY 250
#define NERR 256

static uint64_t rng;

/* xorshift64*: small, fast, and the same sequence for the same seed everywhere. */
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(next() % n);
}

static const unsigned long known[] = {
	VHOST_GET_FEATURES, VHOST_SET_FEATURES, VHOST_SET_OWNER, VHOST_RESET_OWNER,
	VHOST_SET_MEM_TABLE, VHOST_SET_LOG_BASE, VHOST_SET_LOG_FD, VHOST_SET_VRING_NUM,
	VHOST_SET_VRING_ADDR, VHOST_SET_VRING_BASE, VHOST_GET_VRING_BASE,
	VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL, VHOST_SET_VRING_ERR,
	VHOST_SET_VRING_BUSYLOOP_TIMEOUT, VHOST_GET_VRING_BUSYLOOP_TIMEOUT,
	VHOST_SET_BACKEND_FEATURES, VHOST_GET_BACKEND_FEATURES,
	VHOST_VDPA_GET_DEVICE_ID, VHOST_VDPA_GET_STATUS, VHOST_VDPA_SET_STATUS,
	VHOST_VDPA_GET_CONFIG, VHOST_VDPA_SET_CONFIG, VHOST_VDPA_SET_VRING_ENABLE,
	VHOST_VDPA_GET_VRING_NUM, VHOST_VDPA_SET_CONFIG_CALL, VHOST_VDPA_GET_IOVA_RANGE,
	VHOST_VDPA_GET_CONFIG_SIZE, VHOST_VDPA_GET_AS_NUM, VHOST_VDPA_GET_VRING_GROUP,
	VHOST_VDPA_SET_GROUP_ASID, VHOST_VDPA_SUSPEND, VHOST_VDPA_RESUME,
	VHOST_VDPA_GET_VRING_DESC_GROUP, VHOST_VDPA_GET_VQS_COUNT,
	VHOST_VDPA_GET_GROUP_NUM, VHOST_VDPA_GET_VRING_SIZE,
	VHOST_SET_FORK_FROM_OWNER, VHOST_GET_FORK_FROM_OWNER,
};

#define NKNOWN (sizeof(known) / sizeof(known[0]))

static unsigned long random_request(void)
{
	unsigned long nr = known[below(NKNOWN)];

	switch (below(8)) {
	case 0:	/* another size */
		return (nr & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		       ((unsigned long)below(1 << _IOC_SIZEBITS) << _IOC_SIZESHIFT);
	case 1:	/* another direction */
		return (nr & ~(_IOC_DIRMASK << _IOC_DIRSHIFT)) |
		       ((unsigned long)below(4) << _IOC_DIRSHIFT);
	case 2:	/* any number of the type or its neighbours */
		return _IOC(below(4), 0xae + below(3), below(256), below(1 << _IOC_SIZEBITS));
	case 3:	/* a random 32-bit command */
		return (uint32_t)next();
	default:
		return nr;
	}
}

/* Buffer ending where an unmapped page begins, for partial copies. */
static uint8_t *edge;
static uint8_t *buf;
static uint8_t *memfd_map;
static int efd, nfd;

static unsigned long random_arg(void)
{
	uint32_t *w = (uint32_t *)buf;
	size_t i;

	switch (below(16)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 0xffffffffffff0000UL;	/* kernel address */
	case 3:
		return (unsigned long)(edge - below(16));
	default:
		break;
	}
	for (i = 0; i < 4096 / 8; i++)
		((uint64_t *)buf)[i] = next();
	switch (below(6)) {
	case 0:	/* a ring index and a small number */
		w[0] = below(4);
		w[1] = below(2) ? 1u << below(17) : below(4);
		break;
	case 1:	/* a ring index and an eventfd, another file, -1 or a closed fd */
		w[0] = below(3);
		w[1] = below(4) == 0 ? (uint32_t)nfd : below(4) == 0 ? (uint32_t)-1 : below(8) == 0 ? 999u : (uint32_t)efd;
		break;
	case 2:	/* an eventfd as a bare int */
		w[0] = efd;
		break;
	case 3:	/* a config window */
		w[0] = below(32);
		w[1] = below(40);
		break;
	default:
		break;
	}
	return (unsigned long)buf;
}

static const uint8_t statuses[] = { 0, 1, 3, 0xb, 0xf, 0x80, 0x40 };

static long status_walk(int fd)
{
	uint8_t st = below(4) ? statuses[below(sizeof(statuses))] : (uint8_t)next();
	uint64_t f = 0;

	if (below(3) == 0 && ioctl(fd, VHOST_GET_FEATURES, &f) == 0)
		ioctl(fd, VHOST_SET_FEATURES, &f);
	return ioctl(fd, VHOST_VDPA_SET_STATUS, &st);
}

static long iotlb_write(int fd)
{
	struct vhost_msg_v2 m2;
	struct vhost_msg m1;
	void *msg;
	size_t len;

	memset(&m1, 0, sizeof(m1));
	memset(&m2, 0, sizeof(m2));
	m2.type = below(3) ? VHOST_IOTLB_MSG_V2 : (uint32_t)next();
	m2.asid = below(4) ? 0 : below(3);
	m2.iotlb.iova = below(2) ? (uint64_t)below(64) << 12 : next();
	m2.iotlb.size = below(2) ? (uint64_t)(1 + below(16)) << 12 : next();
	m2.iotlb.uaddr = below(2) ? (uintptr_t)memfd_map + ((uint64_t)below(4) << 12) :
			 below(2) ? (uintptr_t)buf : next();
	m2.iotlb.perm = below(5);
	m2.iotlb.type = 1 + below(6);
	if (below(2)) {
		m1.type = VHOST_IOTLB_MSG;
		m1.iotlb = m2.iotlb;
		msg = &m1;
		len = sizeof(m1);
	} else {
		msg = &m2;
		len = sizeof(m2);
	}
	if (below(8) == 0)
		len = below(len + 8);
	return write(fd, msg, len);
}

int main(int argc, char **argv)
{
	static unsigned long errs[NERR];
	unsigned long calls, i, ioctls = 0, writes = 0, walks = 0, ok = 0, reopens = 0;
	struct timespec t0, t1;
	uint8_t *pages;
	FILE *out;
	int fd = -1, mfd, e;

	if (argc != 5) {
		fprintf(stderr, "usage: %s /dev/CHARDEV SEED CALLS OUT.json\n", argv[0]);
		return 2;
	}
	rng = strtoull(argv[2], NULL, 0) * 2 + 1;
	calls = strtoul(argv[3], NULL, 0);
	pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mfd = memfd_create("ioctl_storm", MFD_CLOEXEC);
	if (pages == MAP_FAILED || mfd < 0 || ftruncate(mfd, 16 * 4096))
		return perror("setup"), 2;
	memfd_map = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (memfd_map == MAP_FAILED || munmap(pages + 2 * 4096, 4096))
		return perror("mmap"), 2;
	buf = pages;
	edge = pages + 2 * 4096;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < calls; i++) {
		long r;

		if (i % REOPEN_EVERY == 0) {
			if (fd >= 0)
				close(fd);
			fd = open(argv[1], O_RDWR | O_CLOEXEC);
			if (fd < 0)
				return perror(argv[1]), 2;
			reopens++;
			if (below(4))
				ioctl(fd, VHOST_SET_OWNER, 0);
		}
		switch (below(20)) {
		case 0: case 1:
			r = status_walk(fd);
			walks++;
			break;
		case 2: case 3:
			r = iotlb_write(fd);
			writes++;
			break;
		case 4:
			r = ioctl(fd, VHOST_SET_OWNER, 0);
			ioctls++;
			break;
		case 5:	/* kick whatever eventfd is bound */
			r = eventfd_write(efd, 1);
			break;
		default:
			r = ioctl(fd, random_request(), random_arg());
			ioctls++;
			break;
		}
		e = r < 0 ? errno : 0;
		if (!e)
			ok++;
		errs[e < NERR ? e : NERR - 1]++;
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	out = fopen(argv[4], "w");
	if (!out)
		return perror(argv[4]), 2;
	fprintf(out, "{\"device\":\"%s\",\"seed\":\"%s\",\"calls\":%lu,\"ioctls\":%lu,\"writes\":%lu,"
		"\"status_walks\":%lu,\"reopens\":%lu,\"ok\":%lu,\"ms\":%ld,\"errnos\":{",
		argv[1], argv[2], calls, ioctls, writes, walks, reopens, ok,
		(long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	for (e = 1, i = 0; e < NERR; e++)
		if (errs[e])
			fprintf(out, "%s\"%s\":%lu", i++ ? "," : "", strerrorname_np(e) ? strerrorname_np(e) : "?", errs[e]);
	fprintf(out, "}}\n");
	return fclose(out) ? 2 : 0;
}
