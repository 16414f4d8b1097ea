/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host names for fd.cip.name / fd.sip.name / fd.lip.name / fd.rip.name, as Falco does it:
 * the names rules compare those fields with are collected when the rules compile (the field
 * table's literal hook), resolved forward with getaddrinfo() in a background thread and
 * refreshed periodically; extracting the field for an IP gives every collected name that
 * resolved to that IP (<NA> when none). So `fd.sip.name = "kubernetes.default.svc.cluster.
 * local"` is true when the server IP is one of that name's addresses. Lookups on the event
 * path never block on DNS.
 */
#ifndef VG_STATE_DNS_H
#define VG_STATE_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/field.h"

#define VG_DNS_REFRESH_SECONDS 30 /* as often as names are looked up again */
#define VG_DNS_FIRST_WAIT_MS   2000 /* startup waits this long for the first pass */

/** vg_dns_add_name() - adds @name to the set resolved (deduplicated, bounded by
 * VG_DNS_NAMES_MAX). 0, -E2BIG when full, -EINVAL for a name that cannot be a host name. */
int vg_dns_add_name(const char *name);

/** The field-table hook: vg_dns_add_name() of every literal compared with the field. */
void vg_dns_field_literal(const struct vg_field *f, const char *literal);

size_t vg_dns_n_names(void);

/** vg_dns_resolve_now() - one resolution pass, synchronously. Returns the addresses known. */
size_t vg_dns_resolve_now(void);

/**
 * vg_dns_start() - starts the refresher thread (when names were added and it is not
 * running) and waits up to @wait_first_ms for its first pass, so rules work from the first
 * event. Returns 0 or a negative errno.
 */
int vg_dns_start(unsigned refresh_seconds, unsigned wait_first_ms);
void vg_dns_stop(void);

/** vg_dns_extract() - extracts the names that resolved to @addr (@family AF_INET/AF_INET6). */
void vg_dns_extract(int family, const void *addr, struct vg_extract *x);

/** vg_dns_reset() - forgets every name and address (tests). The thread must be stopped. */
void vg_dns_reset(void);

#endif /* VG_STATE_DNS_H */
