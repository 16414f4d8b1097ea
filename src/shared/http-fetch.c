/* SPDX-License-Identifier: Apache-2.0 */
/* libcurl adapter: bounded, resumable, verified downloads (see http-fetch.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/http-fetch.h"

bool vg_http_url_allowed(const char *url)
{
	static const char *const loopback[] = {
		"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"};

	if (!url)
		return false;
	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	for (size_t i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++)
		if (strncasecmp(url, loopback[i], strlen(loopback[i])) == 0)
			return true;
	return false;
}

struct sink {
	CURL *curl;
	int fd;
	uint64_t resume; /* bytes in the file before this transfer */
	uint64_t written; /* bytes written by this transfer */
	uint64_t max;
	bool decided, discard, restarted;
	int error;
};

static size_t on_data(char *p, size_t size, size_t n, void *userdata)
{
	struct sink *s = userdata;
	size_t len = size * n;

	if (!s->decided) {
		long status = 0;

		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
		s->decided = true;
		if (status >= 400) {
			s->discard = true; /* error page: not part of the file */
		} else if (status == 200 && s->resume > 0) {
			/* the server ignored the Range: start over */
			if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0) {
				s->error = -errno;
				return 0;
			}
			s->resume = 0;
			s->restarted = true;
		}
	}
	if (s->discard)
		return len;
	if (s->resume + s->written + len > s->max) {
		s->error = -E2BIG;
		return 0;
	}
	for (size_t o = 0; o < len;) {
		ssize_t w = write(s->fd, p + o, len - o);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			s->error = -errno;
			return 0;
		}
		o += (size_t)w;
	}
	s->written += len;
	return len;
}

static int sha256_file(const char *path, char hex[65], uint64_t *ret_size)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int mdlen = 0;
	uint64_t size = 0;
	EVP_MD_CTX *ctx;
	int r = 0;

	if (fd < 0)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		size += (uint64_t)n;
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			r = -EIO;
			break;
		}
	}
	if (r == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		r = -EIO;
	EVP_MD_CTX_free(ctx);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	*ret_size = size;
	return 0;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return -EHOSTUNREACH;
	case CURLE_FILESIZE_EXCEEDED:
		return -E2BIG;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return -EPROTONOSUPPORT;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int vg_http_fetch(const struct vg_http_fetch_options *o, struct vg_http_fetch_result *ret,
		  char *err, size_t errsize)
{
	cleanup_free char *part = NULL;
	struct vg_http_fetch_result res = {.last_modified = -1};
	struct sink s = {.fd = -1};
	char range[32], errbuf[CURL_ERROR_SIZE] = "";
	curl_off_t clen = -1, ftime = -1;
	struct stat st;
	CURLcode cc;
	CURL *curl;
	long status = 0;
	int r = 0;

	if (!vg_http_url_allowed(o->url)) {
		snprintf(err, errsize,
			 "%s: only https:// URLs are allowed (http:// to loopback only)", o->url);
		return -EPROTONOSUPPORT;
	}
	if (asprintf(&part, "%s.part", o->dest) < 0)
		return -ENOMEM;
	s.max = o->max_bytes ? o->max_bytes : VG_HTTP_DOWNLOAD_MAX;
	s.fd = open(part, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (s.fd < 0) {
		snprintf(err, errsize, "%s: %s", part, strerror(errno));
		return -errno;
	}
	if (fstat(s.fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	s.resume = (uint64_t)st.st_size;
	if (o->expected_size && s.resume > o->expected_size) {
		if (ftruncate(s.fd, 0) < 0) {
			r = -errno;
			goto out_close;
		}
		s.resume = 0;
	}
	res.resumed_from = s.resume;

	curl = curl_easy_init();
	if (!curl) {
		r = -ENOMEM;
		goto out_close;
	}
	s.curl = curl;
	curl_easy_setopt(curl, CURLOPT_URL, o->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
			 (long)(o->connect_timeout_s ? o->connect_timeout_s : 30));
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)(o->timeout_s ? o->timeout_s : 1800));
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
			 (long)(o->low_speed_time_s ? o->low_speed_time_s : 60));
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(s.max - s.resume));
	curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "vigil-db-update");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
	if (s.resume > 0) {
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)s.resume);
		curl_easy_setopt(curl, CURLOPT_RANGE, range);
	}
	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	curl_easy_getinfo(curl, CURLINFO_FILETIME_T, &ftime);
	curl_easy_cleanup(curl);
	res.status = status;
	if (s.error < 0) {
		r = s.error;
		snprintf(err, errsize, "%s: %s", o->url,
			 r == -E2BIG ? "larger than the download limit" : strerror(-r));
		if (r == -E2BIG)
			unlink(part);
		goto out_close;
	}
	if (cc != CURLE_OK) {
		r = curl_errno(cc);
		snprintf(err, errsize, "%s: %s", o->url,
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		if (r == -E2BIG)
			unlink(part);
		goto out_close;
	}
	if (status == 416 && s.resume > 0 && o->expected_size && s.resume == o->expected_size) {
		/* already complete: verified below */
	} else if (status >= 400 || (status != 200 && status != 206)) {
		snprintf(err, errsize, "%s: HTTP status %ld", o->url, status);
		r = -EIO;
		if (status == 416) /* our partial file does not fit: start over next time */
			unlink(part);
		goto out_close;
	} else if (clen >= 0 && (uint64_t)clen != s.written) {
		snprintf(err, errsize, "%s: received %llu bytes, Content-Length said %lld", o->url,
			 (unsigned long long)s.written, (long long)clen);
		r = -EBADMSG;
		goto out_close;
	}
	if (fsync(s.fd) < 0) {
		r = -errno;
		snprintf(err, errsize, "%s: %s", part, strerror(-r));
		goto out_close;
	}
	close(s.fd);
	s.fd = -1;
	r = sha256_file(part, res.sha256, &res.size);
	if (r < 0) {
		snprintf(err, errsize, "%s: %s", part, strerror(-r));
		return r;
	}
	if ((o->expected_size && res.size != o->expected_size) ||
	    (o->expected_sha256 && strcasecmp(o->expected_sha256, res.sha256) != 0)) {
		snprintf(err, errsize,
			 "%s: verification failed (%llu bytes, sha256 %s; expected "
			 "%llu bytes%s%s)",
			 o->url, (unsigned long long)res.size, res.sha256,
			 (unsigned long long)o->expected_size,
			 o->expected_sha256 ? ", sha256 " : "",
			 o->expected_sha256 ? o->expected_sha256 : "");
		unlink(part);
		return -EBADMSG;
	}
	if (ftime > 0) {
		struct timeval tv[2] = {{.tv_sec = (time_t)ftime}, {.tv_sec = (time_t)ftime}};

		res.last_modified = ftime;
		(void)utimes(part, tv);
	}
	if (rename(part, o->dest) < 0) {
		r = -errno;
		snprintf(err, errsize, "%s: %s", o->dest, strerror(-r));
		return r;
	}
	if (ret)
		*ret = res;
	return 0;
out_close:
	if (s.fd >= 0)
		close(s.fd);
	return r;
}
