// SPDX-License-Identifier: MIT
/*
 * The C side of the ioctl bench: the same ioctl in a tight loop, ns per call.
 *   loop fionread N ROUNDS          FIONREAD on a pipe holding 5 bytes
 *   loop vdpa /dev/vhost-vdpa-X N ROUNDS   VHOST_VDPA_GET_DEVICE_ID
 * Prints one line per round: "<wall ns per call> <CPU ns per call>" (CPU: the process's own
 * time, steadier than wall-clock on a shared machine). Every call's result is checked.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/vhost.h>

static double now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long request;
	long n, rounds, i, r;
	unsigned int out;
	int fd, expect;

	if (argc == 4 && !strcmp(argv[1], "fionread")) {
		int p[2];

		if (pipe(p) || write(p[1], "hello", 5) != 5)
			return perror("pipe"), 2;
		fd = p[0];
		request = FIONREAD;
		expect = 5;
		n = atol(argv[2]);
		rounds = atol(argv[3]);
	} else if (argc == 5 && !strcmp(argv[1], "vdpa")) {
		fd = open(argv[2], O_RDWR);
		if (fd < 0)
			return perror(argv[2]), 2;
		request = VHOST_VDPA_GET_DEVICE_ID;
		expect = -1;
		n = atol(argv[3]);
		rounds = atol(argv[4]);
	} else {
		fprintf(stderr, "usage: loop fionread N ROUNDS | loop vdpa DEV N ROUNDS\n");
		return 2;
	}
	for (r = -1; r < rounds; r++) { /* round -1 warms up */
		double t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);

		for (i = 0; i < n; i++) {
			if (ioctl(fd, request, &out) < 0 || (expect >= 0 && out != (unsigned int)expect))
				return perror("ioctl"), 1;
		}
		if (r >= 0)
			printf("%.1f %.1f\n", (now_ns(CLOCK_MONOTONIC) - t0) / n,
			       (now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0) / n);
	}
	if (expect < 0)
		fprintf(stderr, "device id %u\n", out);
	return 0;
}
