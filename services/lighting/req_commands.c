/* req_commands.c - the commands request: the configuration downlinks compiled for the lamps and
 * how far each went, newest first.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "req_common.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX     1000

static const char *const states[] = { "pending", "queued",  "sent",       "acknowledged",
                                      "failed",  "expired", "superseded", NULL };

json_t *req_commands(struct req *r)
{
    static const char *const known[] = { "dev_eui", "state", "limit", NULL };
    /* clang-format off */
    static const char sql[] =
        "SELECT coalesce(json_agg(json_build_object('id', c.id, 'dev_eui', c.dev_eui,"
        " 'key', c.key, 'f_port', c.f_port, 'payload', encode(c.payload, 'hex'),"
        " 'state', c.state, 'attempts', c.attempts, 'reason', c.reason,"
        " 'created_at', " REQ_SQL_TS("c.created_at") ","
        " 'updated_at', " REQ_SQL_TS("c.updated_at") ","
        " 'acknowledged_at', " REQ_SQL_TS("c.acknowledged_at") ") ORDER BY c.id DESC), '[]')::text"
        " FROM (SELECT l.*, d.dev_eui FROM lighting_command l JOIN device d ON d.id = l.device_id"
        "  WHERE ($1::text IS NULL OR d.dev_eui = $1) AND ($2::text IS NULL OR l.state = $2)"
        "  ORDER BY l.id DESC LIMIT $3::integer) c";
    /* clang-format on */
    char dev_eui[17] = "", limit_text[24];
    const char *state = NULL;
    long long limit = LIMIT_DEFAULT;
    json_t *err = req_only(r, known);
    size_t i = 0;

    if (err == NULL)
        err = req_dev_eui(r, "dev_eui", false, dev_eui);
    if (err == NULL)
        err = req_string(r, "state", false, false, 16, &state);
    while (err == NULL && state != NULL && states[i] != NULL && strcmp(states[i], state) != 0)
        i++;
    if (err == NULL && state != NULL && states[i] == NULL)
        err = req_fail("bad_request",
                       "state: pending, queued, sent, acknowledged, failed, expired or "
                       "superseded, not \"%s\"",
                       state);
    if (err == NULL)
        err = req_int(r, "limit", false, 1, LIMIT_MAX, &limit);
    if (err != NULL)
        return err;
    snprintf(limit_text, sizeof(limit_text), "%lld", limit);
    const char *p[3] = { dev_eui[0] ? dev_eui : NULL, state, limit_text };
    return req_list(r, "lighting.commands", "commands", sql, 3, p);
}
