/* mue_admin.h - the admin HTTP endpoint of every service: /healthz and /metrics, on civetweb.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_ADMIN_H
#define MUE_ADMIN_H

#include <stddef.h>

struct mue_admin;

/* Tells whether the service can do its job. Returns 0 when healthy; otherwise a negative code and
 * a short reason in 'reason' (cap 'cap'), e.g. "nats disconnected". Called on a civetweb thread:
 * it must only read state that is safe to read from another thread (atomics, thread-safe APIs). */
typedef int (*mue_admin_health_fn)(void *arg, char *reason, size_t cap);

/* Starts listening on 'listen' ("127.0.0.1:9082" or "9082"): GET /healthz answers 200
 * {"status":"ok"} or 503 {"status":"unavailable","reason":...}; GET /metrics the Prometheus text
 * of mue_metrics_format(). 'health' and 'arg' are kept by reference. Returns 0, or MUE_EINVAL
 * when the port cannot be bound (the reason is logged). */
int mue_admin_open(struct mue_admin **out, const char *listen, mue_admin_health_fn health,
                   void *arg);

/* Stops the server and waits for its threads. Accepts NULL. */
void mue_admin_close(struct mue_admin *a);

/* civetweb's own error messages go through mue_log; every civetweb context should use this as
 * its log_message callback. Returns 1 (handled). */
int mue_admin_civetweb_log(const void *conn, const char *message);

#endif
