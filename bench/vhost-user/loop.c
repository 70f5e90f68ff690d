// SPDX-License-Identifier: MIT
/*
 * The C side of the vhost-user bench: VHOST_USER_GET_FEATURES round trips written directly over
 * the socket (send the 12-byte header, receive the 12-byte reply header and its 8-byte payload).
 *   loop SOCKET N ROUNDS
 * Prints one line per round: "<wall ns per round trip> <CPU ns per round trip>" (CPU: this
 * process's own time). Every reply is checked; the features go to stderr at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define GET_FEATURES 1
#define VERSION 0x1
#define REPLY 0x4

struct header {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
};

static double now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Fills all of buf from the stream; 0 on success. */
static int receive_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = recv(fd, (char *)buf + got, len - got, 0);

		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct header ask = { GET_FEATURES, VERSION, 0 }, reply;
	uint64_t features = 0;
	long n, rounds, i, r;
	int fd;

	if (argc != 4 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: loop SOCKET N ROUNDS\n");
		return 2;
	}
	n = atol(argv[2]);
	rounds = atol(argv[3]);
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		return perror(argv[1]), 2;
	for (r = -1; r < rounds; r++) { /* round -1 warms up */
		double t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);

		for (i = 0; i < n; i++) {
			if (send(fd, &ask, sizeof(ask), MSG_NOSIGNAL) != sizeof(ask) ||
			    receive_all(fd, &reply, sizeof(reply)) ||
			    reply.request != GET_FEATURES || reply.flags != (VERSION | REPLY) ||
			    reply.size != sizeof(features) || receive_all(fd, &features, sizeof(features)))
				return fprintf(stderr, "round trip %ld failed\n", i), 1;
		}
		if (r >= 0)
			printf("%.1f %.1f\n", (now_ns(CLOCK_MONOTONIC) - t0) / n,
			       (now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0) / n);
	}
	fprintf(stderr, "features 0x%llx\n", (unsigned long long)features);
	close(fd);
	return 0;
}
