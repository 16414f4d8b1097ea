/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "basic/limits.h"
#include "state/dns.h"

struct dns_addr {
	int family;
	unsigned char addr[16];
	size_t name; /* index into names */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static char *names[VG_DNS_NAMES_MAX];
static size_t n_names;
/* Under lock: the current table (replaced whole by each pass). */
static struct dns_addr *addrs;
static size_t n_addrs;
static unsigned passes;
static pthread_t thread;
static bool running, stopping;
static unsigned refresh_s;

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' || *c == '_'))
			return false;
	return true;
}

int vg_dns_add_name(const char *name)
{
	int r = 0;

	if (!name || !valid_name(name))
		return -EINVAL;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_names; i++)
		if (!strcasecmp(names[i], name))
			goto out;
	if (n_names == VG_DNS_NAMES_MAX) {
		r = -E2BIG;
		goto out;
	}
	names[n_names] = strdup(name);
	if (!names[n_names])
		r = -ENOMEM;
	else
		n_names++;
out:
	pthread_mutex_unlock(&lock);
	return r;
}

void vg_dns_field_literal(const struct vg_field *f, const char *literal)
{
	(void)f;
	(void)vg_dns_add_name(literal); /* not a host name: it can never match an IP's name */
}

size_t vg_dns_n_names(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = n_names;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Resolves one name into @tab; never holds the lock (getaddrinfo may block for seconds). */
static size_t resolve(const char *name, size_t idx, struct dns_addr *tab, size_t n, size_t cap)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;

	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return n;
	for (struct addrinfo *a = res; a && n < cap; a = a->ai_next) {
		struct dns_addr d = {.family = a->ai_family, .name = idx};

		if (a->ai_family == AF_INET)
			memcpy(d.addr, &((struct sockaddr_in *)a->ai_addr)->sin_addr, 4);
		else if (a->ai_family == AF_INET6)
			memcpy(d.addr, &((struct sockaddr_in6 *)a->ai_addr)->sin6_addr, 16);
		else
			continue;
		tab[n++] = d;
	}
	freeaddrinfo(res);
	return n;
}

size_t vg_dns_resolve_now(void)
{
	char *snap[VG_DNS_NAMES_MAX];
	struct dns_addr *tab, *old;
	size_t ns, n = 0, cap = VG_DNS_ADDRS_MAX;

	pthread_mutex_lock(&lock);
	ns = n_names;
	memcpy(snap, names, ns * sizeof(*snap)); /* names are never freed while in use */
	pthread_mutex_unlock(&lock);

	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return 0;
	for (size_t i = 0; i < ns; i++)
		n = resolve(snap[i], i, tab, n, cap);

	pthread_mutex_lock(&lock);
	old = addrs;
	addrs = tab;
	n_addrs = n;
	passes++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	free(old);
	return n;
}

static void *refresher(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec until;

		vg_dns_resolve_now();
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += refresh_s;
		pthread_mutex_lock(&lock);
		while (!stopping && pthread_cond_timedwait(&cond, &lock, &until) != ETIMEDOUT)
			;
		if (stopping) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		pthread_mutex_unlock(&lock);
	}
}

int vg_dns_start(unsigned refresh_seconds, unsigned wait_first_ms)
{
	struct timespec until;
	unsigned first;
	int r;

	pthread_mutex_lock(&lock);
	if (running || n_names == 0) {
		pthread_mutex_unlock(&lock);
		return 0;
	}
	refresh_s = refresh_seconds ? refresh_seconds : 30;
	stopping = false;
	first = passes;
	r = pthread_create(&thread, NULL, refresher, NULL);
	if (r != 0) {
		pthread_mutex_unlock(&lock);
		return -r;
	}
	running = true;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_first_ms / 1000;
	until.tv_nsec += (long)(wait_first_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (passes == first && pthread_cond_timedwait(&cond, &lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&lock);
	return 0;
}

void vg_dns_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL); /* a pass in getaddrinfo finishes first */
	pthread_mutex_lock(&lock);
	running = false;
	pthread_mutex_unlock(&lock);
}

void vg_dns_extract(int family, const void *addr, struct vg_extract *x)
{
	size_t len = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (!len)
		return;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_addrs; i++)
		if (addrs[i].family == family && !memcmp(addrs[i].addr, addr, len))
			(void)vg_extract_strdup(x, names[addrs[i].name],
						strlen(names[addrs[i].name]));
	pthread_mutex_unlock(&lock);
}

void vg_dns_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	n_names = 0;
	free(addrs);
	addrs = NULL;
	n_addrs = 0;
	pthread_mutex_unlock(&lock);
}
