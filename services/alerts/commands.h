/* commands.h - acknowledge and resolve, asked on core NATS (mue.alertcmd.ack, .resolve) by the
 * API or mue-admin: the engine is the only writer of alert state. Each action is audited and its
 * event published.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_COMMANDS_H
#define ALERTS_COMMANDS_H

#include <stddef.h>

struct mue_bus;
struct mue_db;

/* A request's fields, checked. */
struct commands_request {
    char id[24];
    char actor[129];
    char comment[2001];
    char key_id[24]; /* "" for none */
};

/* Parses a request body: {"alert_id": N > 0, "actor": "1..128 bytes", "comment": "..." or
 * null (at most 2000 bytes), "key_id": N > 0 or null}. Returns 0, or MUE_EINVAL with 'why'. */
int commands_parse(const char *body, size_t len, struct commands_request *r, char *why, size_t cap);

/* Handles one request body for 'action' ("ack" or "resolve") and writes the JSON answer into
 * 'out' (always NUL-terminated). Returns 0 when the action was done, or a negative mue error
 * (the answer says why: bad_request, not_found, conflict, unavailable). */
int commands_handle(struct mue_db *db, const char *action, const char *body, size_t len, char *out,
                    size_t cap);

/* What the serving thread needs. */
struct commands_ctx {
    struct mue_bus *bus;
    const char *pg_dsn;
    long connect_timeout_ms;
};
/* Serves requests until stop is signalled, with its own connection (a thread's body). */
void *commands_thread(void *ctx);

#endif
