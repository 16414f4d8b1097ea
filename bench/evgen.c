/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event generator for the drop test: THREADS threads together make RATE traced syscalls per
 * second for SECONDS seconds — openat(2) of a missing file whose name carries MARKER, so the
 * events are cheap for the kernel and easy to count in vigil's output.
 *
 *   evgen [-r RATE] [-d SECONDS] [-t THREADS] [-m MARKER]
 *
 * Prints: generated=N seconds=S rate=R marker=M
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static double rate = 100000, seconds = 10;
static int nthreads = 2;
static char path[256];

struct worker {
	pthread_t t;
	double rate; /* per second, this thread */
	long done;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	double t0 = now_s();

	for (;;) {
		double el = now_s() - t0;
		if (el >= seconds)
			break;
		long due = (long)(el * w->rate);
		if (w->done >= due) {
			struct timespec ts = {0, 100000}; /* 100 us */
			nanosleep(&ts, NULL);
			continue;
		}
		/* catch up in bursts of at most 256 */
		long burst = due - w->done;
		if (burst > 256)
			burst = 256;
		for (long i = 0; i < burst; i++) {
			long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		w->done += burst;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *marker = "vigil-evgen";
	int c;

	while ((c = getopt(argc, argv, "r:d:t:m:")) != -1) {
		switch (c) {
		case 'r':
			rate = atof(optarg);
			break;
		case 'd':
			seconds = atof(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'm':
			marker = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: evgen [-r RATE] [-d SECONDS] [-t THREADS] [-m MARKER]\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > 64 || rate <= 0 || seconds <= 0)
		return 2;
	snprintf(path, sizeof(path), "/nonexistent-%s/%d", marker, (int)getpid());

	struct worker *w = calloc(nthreads, sizeof(*w));
	double t0 = now_s();
	for (int i = 0; i < nthreads; i++) {
		w[i].rate = rate / nthreads;
		if (pthread_create(&w[i].t, NULL, work, &w[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	long total = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(w[i].t, NULL);
		total += w[i].done;
	}
	double el = now_s() - t0;
	printf("generated=%ld seconds=%.2f rate=%.0f marker=%s\n", total, el, total / el, marker);
	return 0;
}
