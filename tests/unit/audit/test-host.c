/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine host collector (src/audit/host.c) over a fake root written by the test: dockerd's
 * command line, daemon.json, systemd units and drop-ins, file facts, audit rules, the docker
 * group, /proc/PID/net/tcp with dockerd's socket fds and a live probe of a loopback listener
 * served by the test; the parsers on hostile input; runtime version comparison.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/host.h"
#include "basic/limits.h"
#include "tap.h"

static char base[256];

static void mkdirs(const char *rel)
{
	char path[1024], *p;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (p = path + strlen(base) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
	(void)mkdir(path, 0755);
}

static void put_n(const char *rel, const char *data, size_t n, mode_t mode)
{
	char path[1024], dir[1024], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(fwrite(data, 1, n, f), n);
	ASSERT_EQ(fclose(f), 0);
	ASSERT_EQ(chmod(path, mode), 0);
}

static void put(const char *rel, const char *data, mode_t mode)
{
	put_n(rel, data, strlen(data), mode);
}

static void fresh_root(void)
{
	char cmd[600];

	if (base[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		ASSERT_EQ(system(cmd), 0);
	}
	snprintf(base, sizeof(base), "/tmp/vigil-test-host-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(base));
}

static void link_fd(unsigned pid, int fd, const char *target)
{
	char path[1024], dir[64];

	snprintf(dir, sizeof(dir), "proc/%u/fd", pid);
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/proc/%u/fd/%d", base, pid, fd);
	ASSERT_EQ(symlink(target, path), 0);
}

static size_t nvals(const struct vg_host *h, const char *key)
{
	const char *v[16];

	return vg_host_opt_values(h, key, v, 16);
}

static const char *nth(const struct vg_host *h, const char *key, size_t i)
{
	const char *v[16];
	size_t n = vg_host_opt_values(h, key, v, 16);

	return i < n ? v[i] : NULL;
}

static const char cmdline[] = "/usr/bin/dockerd\0-H\0fd://\0--host=tcp://127.0.0.1:2375\0"
			      "--icc=false\0-D\0--insecure-registry\0reg.example:5000\0"
			      "--insecure-registry=10.0.0.0/8\0--config-file\0/etc/vg/daemon.json\0"
			      "--log-level\0warn\0-Hunix:///run/vg.sock\0--tlsverify\0";

static const char unit[] = "[Unit]\nDescription=Docker\n\n[Service]\n"
			   "ExecStart=/usr/bin/dockerd -H fd:// \\\n"
			   "  --containerd=/run/containerd/containerd.sock\n"
			   "# ExecStart=/usr/bin/dockerd --commented-out\n";

static const char dropin[] =
	"[Service]\nExecStart=\n"
	"ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2376 --userns-remap=default "
	"\"--label=a b\"\n";

static const char socket_unit[] = "[Socket]\nListenStream=/run/docker.sock\n"
				  "ListenStream=0.0.0.0:2377\nSocketMode=0660\n";

TEST(cmdline_flags)
{
	struct vg_host h;

	vg_host_init(&h);
	ASSERT_OK(vg_host_parse_cmdline(&h, cmdline, sizeof(cmdline) - 1, VG_HOST_FROM_CMDLINE));
	ASSERT_EQ(nvals(&h, "hosts"), 3u);
	ASSERT_STREQ(nth(&h, "hosts", 0), "fd://");
	ASSERT_STREQ(nth(&h, "hosts", 1), "tcp://127.0.0.1:2375");
	ASSERT_STREQ(nth(&h, "hosts", 2), "unix:///run/vg.sock");
	ASSERT_FALSE(vg_host_opt_bool(&h, "icc", true));
	ASSERT_TRUE(vg_host_opt_bool(&h, "debug", false));
	ASSERT_TRUE(vg_host_opt_bool(&h, "tlsverify", false));
	ASSERT_EQ(nvals(&h, "insecure-registries"), 2u);
	ASSERT_STREQ(nth(&h, "insecure-registries", 1), "10.0.0.0/8");
	ASSERT_STREQ(vg_host_opt_last(&h, "config-file"), "/etc/vg/daemon.json");
	ASSERT_STREQ(vg_host_opt_last(&h, "log-level"), "warn");
	/* a flag missing its value at the end is dropped, as dockerd refuses it */
	ASSERT_OK(vg_host_parse_cmdline(&h, "dockerd\0--data-root", 19, VG_HOST_FROM_CMDLINE));
	ASSERT_NULL(vg_host_opt_last(&h, "data-root"));
	vg_host_done(&h);
}

TEST(daemon_json)
{
	static const char j[] =
		"{\"icc\": false, \"hosts\": [\"unix:///var/run/docker.sock\"],"
		"\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 64,"
		"\"Soft\": 32}}, \"log-opts\": {\"max-size\": \"10m\"},"
		"\"authorization-plugins\": [\"authz-broker\"], \"mtu\": 1400}";
	struct vg_host h;
	char err[256];

	vg_host_init(&h);
	ASSERT_OK(vg_host_parse_daemon_json(&h, j, sizeof(j) - 1, err, sizeof(err)));
	ASSERT_FALSE(vg_host_opt_bool(&h, "icc", true));
	ASSERT_STREQ(vg_host_opt_last(&h, "hosts"), "unix:///var/run/docker.sock");
	ASSERT_STREQ(vg_host_opt_last(&h, "default-ulimits"), "nofile=32:64");
	ASSERT_STREQ(vg_host_opt_last(&h, "log-opts"), "max-size=10m");
	ASSERT_STREQ(vg_host_opt_last(&h, "authorization-plugins"), "authz-broker");
	ASSERT_STREQ(vg_host_opt_last(&h, "mtu"), "1400");
	/* types dockerd rejects */
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "{\"icc\": \"false\"}", 16, err, sizeof(err)),
		   -EBADMSG);
	ASSERT_TRUE(strstr(err, "icc") != NULL);
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "{\"hosts\": \"tcp://x\"}", 19, err, sizeof(err)),
		   -EBADMSG);
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "{\"hosts\": [1]}", 14, err, sizeof(err)),
		   -EBADMSG);
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "[1]", 3, err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "{\"a\":1,\"a\":2}", 13, err, sizeof(err)),
		   -EBADMSG);
	ASSERT_ERR(vg_host_parse_daemon_json(&h, "{", 1, err, sizeof(err)), -EBADMSG);
	vg_host_done(&h);
}

TEST(unit_files)
{
	struct vg_host h;
	const char *exec = NULL;
	char *words;
	size_t wl;

	vg_host_init(&h);
	ASSERT_OK(vg_host_parse_unit(&h, unit, sizeof(unit) - 1, &exec));
	ASSERT_STREQ(exec,
		     "/usr/bin/dockerd -H fd://    --containerd=/run/containerd/containerd.sock");
	ASSERT_OK(vg_host_parse_unit(&h, dropin, sizeof(dropin) - 1, &exec));
	ASSERT_NOT_NULL(exec);
	ASSERT_OK(vg_host_split_exec(&h, exec, &words, &wl));
	ASSERT_OK(vg_host_parse_cmdline(&h, words, wl, VG_HOST_FROM_UNIT));
	ASSERT_STREQ(vg_host_opt_last(&h, "hosts"), "tcp://0.0.0.0:2376");
	ASSERT_STREQ(vg_host_opt_last(&h, "userns-remap"), "default");
	ASSERT_STREQ(vg_host_opt_last(&h, "labels"), "a b");
	ASSERT_OK(vg_host_parse_unit(&h, socket_unit, sizeof(socket_unit) - 1, &exec));
	ASSERT_EQ(nvals(&h, "listen-stream"), 2u);
	/* an empty ListenStream= resets the list */
	ASSERT_OK(vg_host_parse_unit(&h, "[Socket]\nListenStream=\nListenStream=/x.sock\n", 41,
				     &exec));
	ASSERT_EQ(nvals(&h, "listen-stream"), 1u);
	/* ExecStart outside [Service] is not the service's */
	exec = NULL;
	ASSERT_OK(vg_host_parse_unit(&h, "[Unit]\nExecStart=/bin/false\n", 27, &exec));
	ASSERT_NULL(exec);
	/* prefixes and quoting of the executable */
	ASSERT_OK(vg_host_split_exec(&h, "-/usr/bin/dockerd 'a b' c\\ d", &words, &wl));
	ASSERT_EQ(wl, sizeof("/usr/bin/dockerd\0a b\0c d"));
	ASSERT_TRUE(memcmp(words, "/usr/bin/dockerd\0a b\0c d", wl) == 0);
	vg_host_done(&h);
}

TEST(proc_net_tcp)
{
	/* 127.0.0.1:2375 LISTEN inode 5555; 0.0.0.0:22 LISTEN inode 1; an ESTABLISHED socket of
	 * dockerd (state 01) */
	static const char tcp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
		"timeout inode\n"
		"   0: 0100007F:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "
		"       0 5555 1 0000000000000000 100 0 0 10 0\n"
		"   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "
		"       0 1 1 0000000000000000 100 0 0 10 0\n"
		"   2: 0100007F:0947 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0 "
		"       0 5556 1 0000000000000000 100 0 0 10 0\n";
	static const char tcp6[] =
		"  sl  local_address                         remote_address                        st "
		"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 00000000000000000000000001000000:0948 00000000000000000000000000000000:0000 0A "
		"00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 "
		"10 0\n";
	const uint64_t inodes[] = {5555, 5556, 7777};
	struct vg_host h;
	const struct vg_host_listener *li;

	vg_host_init(&h);
	ASSERT_OK(vg_host_parse_proc_net_tcp(&h, tcp, false, inodes, 3));
	ASSERT_OK(vg_host_parse_proc_net_tcp(&h, tcp6, true, inodes, 3));
	ASSERT_EQ(h.listeners.len, 2u);
	li = vg_vec_at(&h.listeners, 0);
	ASSERT_STREQ(li->addr, "127.0.0.1");
	ASSERT_EQ(li->port, 2375);
	ASSERT_TRUE(li->loopback);
	li = vg_vec_at(&h.listeners, 1);
	ASSERT_STREQ(li->addr, "::1");
	ASSERT_EQ(li->port, 2376);
	ASSERT_TRUE(li->loopback);
	/* hostile */
	ASSERT_ERR(vg_host_parse_proc_net_tcp(&h, "hdr\n garbage\n", false, inodes, 3), -EBADMSG);
	ASSERT_ERR(vg_host_parse_proc_net_tcp(&h,
					      "hdr\n 0: 0100:0947 00000000:0000 0A 0:0 0:0 0 0 0 "
					      "5555\n",
					      false, inodes, 3),
		   -EBADMSG);
	vg_host_done(&h);
}

TEST(versions)
{
	struct vg_host h;

	ASSERT_EQ(vg_host_version_before("1.1.11", "1.1.12"), 1);
	ASSERT_EQ(vg_host_version_before("1.1.12", "1.1.12"), 0);
	ASSERT_EQ(vg_host_version_before("1.1.9", "1.1.12"), 1);
	ASSERT_EQ(vg_host_version_before("v1.2.0-rc.1", "1.1.12"), 0);
	ASSERT_EQ(vg_host_version_before("1.1.5+ds1", "1.1.12"), 1);
	/* per branch */
	ASSERT_EQ(vg_host_version_before("26.1.4", "27.1.1|26.1.5|25.0.6"), 1);
	ASSERT_EQ(vg_host_version_before("26.1.5", "27.1.1|26.1.5|25.0.6"), 0);
	ASSERT_EQ(vg_host_version_before("25.0.6", "27.1.1|26.1.5|25.0.6"), 0);
	ASSERT_EQ(vg_host_version_before("24.0.9", "27.1.1|26.1.5|25.0.6"), 1); /* no fix */
	ASSERT_EQ(vg_host_version_before("28.0.0", "27.1.1|26.1.5|25.0.6"), 0);
	ASSERT_EQ(vg_host_version_before("20.10.24+dfsg1", "27.1.1"), 1);
	ASSERT_EQ(vg_host_version_before("1.4.0-rc.2", "1.2.8|1.3.3|1.4.0-rc.3"), 1);
	ASSERT_EQ(vg_host_version_before("1.4.0", "1.2.8|1.3.3|1.4.0-rc.3"), 0);
	ASSERT_EQ(vg_host_version_before("1.3.2", "1.2.8|1.3.3|1.4.0-rc.3"), 1);
	ASSERT_EQ(vg_host_version_before("18.09.1-ce", "18.09.2"), 1);
	ASSERT_ERR(vg_host_version_before("abc", "1.0"), -EINVAL);
	ASSERT_ERR(vg_host_version_before("1.0", ""), -EINVAL);
	ASSERT_ERR(vg_host_version_before("1.0", "1.0 2"), -EINVAL);

	vg_host_init(&h);
	ASSERT_STREQ(vg_host_version_from_output(&h, "runc version 1.1.12\ncommit: v1.1.12-0\n"),
		     "1.1.12");
	ASSERT_STREQ(vg_host_version_from_output(&h, "Docker version 24.0.7, build afdd53b"),
		     "24.0.7");
	ASSERT_STREQ(vg_host_version_from_output(&h, "containerd github.com/containerd/containerd "
						     "v1.7.20 8fc6bcff\n"),
		     "1.7.20");
	ASSERT_NULL(vg_host_version_from_output(&h, "no version here"));
	{
		static const char v[] =
			"{\"Version\":\"27.0.3\",\"Components\":[{\"Name\":\"Engine\","
			"\"Version\":\"27.0.3\"},{\"Name\":\"containerd\",\"Version\":\"1.7.18\"},"
			"{\"Name\":\"runc\",\"Version\":\"1.1.13\"}]}";

		ASSERT_OK(vg_host_parse_version_json(&h, v, sizeof(v) - 1));
	}
	ASSERT_STREQ(h.engine_version, "27.0.3");
	ASSERT_STREQ(h.containerd_version, "1.7.18");
	ASSERT_STREQ(h.runc_version, "1.1.13");
	vg_host_done(&h);
}

/* A one-shot HTTP server for the live probe: answers /_ping with OK, /version with JSON. */
struct srv {
	int fd;
	int answered;
	bool tls_like; /* answer 400 as a TLS port does to plain HTTP */
};

static void *serve(void *arg)
{
	struct srv *s = arg;

	for (int k = 0; k < 2; k++) {
		char buf[1024];
		const char *body, *status;
		char out[1024];
		ssize_t n;
		int c = accept(s->fd, NULL, NULL);

		if (c < 0)
			break;
		n = read(c, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		if (s->tls_like) {
			status = "400 Bad Request";
			body = "Client sent an HTTP request to an HTTPS server.\n";
		} else if (strstr(buf, "GET /_ping")) {
			status = "200 OK";
			body = "OK";
		} else {
			status = "200 OK";
			body = "{\"Version\":\"99.0.1\"}";
		}
		snprintf(out, sizeof(out),
			 "HTTP/1.1 %s\r\nApi-Version: 1.45\r\nContent-Length: %zu\r\n\r\n%s",
			 status, strlen(body), body);
		if (write(c, out, strlen(out)) < 0)
			break;
		close(c);
		s->answered++;
		if (s->tls_like)
			break;
	}
	return NULL;
}

static int listen_loopback(uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ASSERT_GE(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ASSERT_EQ(listen(fd, 4), 0);
	ASSERT_EQ(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void fake_dockerd(unsigned pid, uint16_t port, uint64_t inode)
{
	char p[64], tcp[1024];

	snprintf(p, sizeof(p), "proc/%u/cmdline", pid);
	put_n(p, cmdline, sizeof(cmdline) - 1, 0444);
	snprintf(p, sizeof(p), "proc/%u/status", pid);
	put(p, "Name:\tdockerd\nUid:\t0\t0\t0\t0\n", 0444);
	snprintf(
		tcp, sizeof(tcp),
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
		" timeout inode\n   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000     0        0 %llu 1 0000000000000000 100 0 0 10 0\n",
		port, (unsigned long long)inode);
	snprintf(p, sizeof(p), "proc/%u/net/tcp", pid);
	put(p, tcp, 0444);
	link_fd(pid, 3, "/dev/null");
	snprintf(tcp, sizeof(tcp), "socket:[%llu]", (unsigned long long)inode);
	link_fd(pid, 4, tcp);
	/* another process that is not dockerd */
	put("proc/7/cmdline", "/usr/bin/containerd\0", 0444);
}

TEST(collect_fake_root)
{
	struct vg_host h;
	struct vg_host_opts o = {.probe = true, .timeout_ms = 2000};
	const struct vg_host_file *f;
	const struct vg_host_listener *li;
	struct srv s = {0};
	pthread_t t;
	uint16_t port;

	fresh_root();
	s.fd = listen_loopback(&port);
	ASSERT_EQ(pthread_create(&t, NULL, serve, &s), 0);
	fake_dockerd(4242, port, 91234);
	put("etc/vg/daemon.json",
	    "{\"no-new-privileges\": true, \"tlscacert\": \"/etc/vg/ca.pem\"}", 0600);
	put("etc/vg/ca.pem", "x", 0644);
	put("lib/systemd/system/docker.service", unit, 0644);
	put("etc/systemd/system/docker.service.d/10-tcp.conf", dropin, 0664);
	put("usr/lib/systemd/system/docker.socket", socket_unit, 0644);
	put("etc/docker/certs.d/reg.example/ca.crt", "x", 0644);
	put("etc/docker/certs.d/reg.example/client.key", "x", 0600);
	put("etc/group", "root:x:0:\ndocker:x:999:alice,bob\n", 0644);
	put("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644);
	put("etc/audit/rules.d/docker.rules",
	    "-w /usr/bin/dockerd -k docker\n"
	    "-a always,exit -F path=/etc/docker -k docker\n",
	    0640);
	put("usr/bin/dockerd", "elf", 0755);
	put("proc/1/mountinfo",
	    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	    "30 22 8:2 / /var/lib/docker rw,relatime shared:2 - ext4 /dev/sda2 rw\n",
	    0444);
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_TRUE(vg_host_applicable(&h));
	ASSERT_EQ(h.dockerd_pid, 4242u);
	ASSERT_EQ(h.dockerd_uid, 0u);
	/* the running daemon's flags, not the unit's ExecStart */
	ASSERT_NULL(vg_host_opt_last(&h, "userns-remap"));
	ASSERT_FALSE(vg_host_opt_bool(&h, "icc", true));
	/* --config-file's daemon.json */
	ASSERT_STREQ(h.daemon_json, "/etc/vg/daemon.json");
	ASSERT_TRUE(vg_host_opt_bool(&h, "no-new-privileges", false));
	ASSERT_STREQ(h.service_unit, "/lib/systemd/system/docker.service");
	ASSERT_STREQ(h.socket_unit, "/usr/lib/systemd/system/docker.socket");
	/* socket activation: the ListenStream addresses are hosts too */
	ASSERT_EQ(nvals(&h, "hosts"), 5u);
	ASSERT_STREQ(nth(&h, "hosts", 4), "tcp://0.0.0.0:2377");
	/* files */
	f = vg_host_file(&h, "daemon.json");
	ASSERT_NOT_NULL(f);
	ASSERT_TRUE(f->exists);
	ASSERT_EQ(f->mode, 0600u);
	ASSERT_STREQ(f->owner, getuid() == 0 ? "root" : f->owner);
	f = vg_host_file(&h, "tlscacert");
	ASSERT_NOT_NULL(f);
	ASSERT_STREQ(f->path, "/etc/vg/ca.pem");
	f = vg_host_file(&h, "certs.d");
	ASSERT_NOT_NULL(f);
	ASSERT_STREQ(f->path, "/etc/docker/certs.d/reg.example/ca.crt");
	f = vg_host_file(&h, "docker.sock");
	ASSERT_NOT_NULL(f);
	ASSERT_FALSE(f->exists);
	f = vg_host_file(&h, "dockerd");
	ASSERT_TRUE(f->exists && f->audit_watched);
	f = vg_host_file(&h, "etc-docker");
	ASSERT_TRUE(f->exists && f->audit_watched); /* certs.d made it; -F path= watches it */
	f = vg_host_file(&h, "docker.service");
	ASSERT_TRUE(f->exists && !f->audit_watched);
	ASSERT_EQ(h.data_root_mounted, 1);
	ASSERT_EQ(h.docker_group.len, 2u);
	ASSERT_STREQ(*(const char **)vg_vec_at(&h.docker_group, 1), "bob");
	/* the listener and the live probe */
	ASSERT_EQ(h.listeners.len, 1u);
	li = vg_vec_at(&h.listeners, 0);
	ASSERT_EQ(li->port, port);
	ASSERT_TRUE(li->probed);
	ASSERT_EQ(li->probe_status, 200);
	ASSERT_TRUE(li->unauthenticated);
	ASSERT_STREQ(li->probe_version, "99.0.1");
	vg_host_done(&h);
	pthread_join(t, NULL);
	close(s.fd);

	/* a listener that answers as a TLS port does is not unauthenticated */
	fresh_root();
	s = (struct srv){.tls_like = true};
	s.fd = listen_loopback(&port);
	ASSERT_EQ(pthread_create(&t, NULL, serve, &s), 0);
	fake_dockerd(4242, port, 91234);
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	li = vg_vec_at(&h.listeners, 0);
	ASSERT_TRUE(li->probed);
	ASSERT_EQ(li->probe_status, 400);
	ASSERT_FALSE(li->unauthenticated);
	vg_host_done(&h);
	pthread_join(t, NULL);
	close(s.fd);
}

TEST(collect_unit_only)
{
	struct vg_host h;
	struct vg_host_opts o = {0};

	fresh_root();
	put("lib/systemd/system/docker.service", unit, 0644);
	put("etc/systemd/system/docker.service.d/10-tcp.conf", dropin, 0644);
	put("etc/docker/daemon.json", "{\"icc\": \"no\"}", 0644);
	put("etc/systemd/system/docker.socket", "[Socket]\nListenStream=2375\nListenStream=@dock\n",
	    0644);
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_EQ(h.dockerd_pid, 0u);
	ASSERT_TRUE(vg_host_applicable(&h));
	/* no daemon: the unit's (drop-in's) ExecStart */
	ASSERT_STREQ(vg_host_opt_last(&h, "userns-remap"), "default");
	ASSERT_STREQ(nth(&h, "hosts", 0), "tcp://0.0.0.0:2376");
	ASSERT_STREQ(nth(&h, "hosts", 1), "tcp://[::]:2375");
	ASSERT_STREQ(nth(&h, "hosts", 2), "unix://@dock");
	ASSERT_STREQ(h.daemon_json, "/etc/docker/daemon.json");
	ASSERT_NOT_NULL(h.daemon_json_error);
	vg_host_done(&h);
}

TEST(collect_picks_the_daemon_of_the_socket)
{
	static const char other[] = "/usr/sbin/dockerd\0--host=unix:///run/other.sock\0"
				    "--userns-remap=default\0";
	struct vg_host h;
	struct vg_host_opts o = {0};

	fresh_root();
	put_n("proc/300/cmdline", cmdline, sizeof(cmdline) - 1, 0444);
	put_n("proc/4243/cmdline", other, sizeof(other) - 1, 0444);
	put_n("proc/200/cmdline", "/usr/bin/containerd\0", 20, 0444);
	o.root = base;
	/* the daemon serving the API socket asked for */
	o.api_socket = "/run/other.sock";
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_EQ(h.dockerd_pid, 4243u);
	ASSERT_STREQ(vg_host_opt_last(&h, "userns-remap"), "default");
	vg_host_done(&h);
	/* none serves it, or none asked: the lowest pid */
	o.api_socket = "/run/nobody.sock";
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_EQ(h.dockerd_pid, 300u);
	vg_host_done(&h);
	o.api_socket = NULL;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_EQ(h.dockerd_pid, 300u);
	vg_host_done(&h);
}

TEST(collect_rootless_config)
{
	static const char env[] = "PATH=/usr/bin\0HOME=/home/alice\0";
	struct vg_host h;
	struct vg_host_opts o = {0};

	fresh_root();
	put_n("proc/555/cmdline", "/usr/bin/dockerd\0--rootless\0", 27, 0444);
	put("proc/555/status", "Name:\tdockerd\nUid:\t1000\t1000\t1000\t1000\n", 0444);
	put_n("proc/555/environ", env, sizeof(env) - 1, 0400);
	put("home/alice/.config/docker/daemon.json", "{\"icc\": false}", 0600);
	put("etc/docker/daemon.json", "{\"icc\": true}", 0644);
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_EQ(h.dockerd_uid, 1000u);
	ASSERT_STREQ(h.daemon_json, "/home/alice/.config/docker/daemon.json");
	ASSERT_FALSE(vg_host_opt_bool(&h, "icc", true));
	vg_host_done(&h);
}

TEST(collect_unit_environment_file)
{
	struct vg_host h;
	struct vg_host_opts o = {0};

	fresh_root();
	put("lib/systemd/system/docker.service",
	    "[Service]\nEnvironmentFile=-/etc/default/docker\n"
	    "ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS ${EXTRA}$UNSET\n",
	    0644);
	put("etc/default/docker",
	    "# Docker options\nDOCKER_OPTS=\"--icc=true\"\n"
	    "export DOCKER_OPTS='-H tcp://0.0.0.0:2375 --icc=false'\n",
	    0644);
	put("etc/sysconfig/docker", "EXTRA=--insecure-registry=r:5000\n", 0644);
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	/* the last assignment wins; each file's variables expand */
	ASSERT_STREQ(nth(&h, "hosts", 1), "tcp://0.0.0.0:2375");
	ASSERT_FALSE(vg_host_opt_bool(&h, "icc", true));
	ASSERT_STREQ(vg_host_opt_last(&h, "insecure-registries"), "r:5000");
	vg_host_done(&h);
}

TEST(collect_nothing)
{
	struct vg_host h;
	struct vg_host_opts o = {0};

	fresh_root();
	o.root = base;
	vg_host_init(&h);
	ASSERT_OK(vg_host_collect(&h, &o));
	ASSERT_FALSE(vg_host_applicable(&h));
	ASSERT_NULL(h.daemon_json);
	ASSERT_EQ(h.listeners.len, 0u);
	vg_host_done(&h);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		ASSERT_EQ(system(cmd), 0);
	}
}
