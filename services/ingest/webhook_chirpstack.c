/* webhook_chirpstack.c - ChirpStack v4 HTTP-integration bodies into a webhook_event: picks the
 * event type and the marshaler, the readers do the rest. SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook_chirpstack.h"

static const struct {
    const char *name;
    enum chirpstack_event ev;
} events[] = {
    { "up", CHIRPSTACK_EVENT_UP },
    { "join", CHIRPSTACK_EVENT_JOIN },
    { "status", CHIRPSTACK_EVENT_STATUS },
    { "ack", CHIRPSTACK_EVENT_ACK },
    { "txack", CHIRPSTACK_EVENT_TXACK },
    { "log", CHIRPSTACK_EVENT_LOG },
    { "location", CHIRPSTACK_EVENT_LOCATION },
};

/* Event types ChirpStack sends that mue has no use for ("integration": a third-party service's
 * answer, e.g. LoRa Cloud's). */
static const char *const unhandled[] = { "integration" };

static int find_event(const char *name, enum chirpstack_event *ev, struct webhook_reason *r)
{
    if (name == NULL || name[0] == '\0')
        return webhook_json_fail(r, "event", NULL, "missing");
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (strcmp(name, events[i].name) == 0) {
            *ev = events[i].ev;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(unhandled) / sizeof(unhandled[0]); i++) {
        if (strcmp(name, unhandled[i]) == 0) {
            char what[64];
            snprintf(what, sizeof(what), "'%s' events are not handled", unhandled[i]);
            (void)webhook_json_fail(r, "event", NULL, what);
            return MUE_ENOTSUP;
        }
    }
    /* The name comes from the caller's query string: it is not repeated back. */
    (void)webhook_json_fail(r, "event", NULL,
                            "not one of up, join, status, ack, txack, log, location");
    return MUE_ENOTSUP;
}

int webhook_chirpstack_parse(const char *event, const char *body, size_t len, bool protobuf,
                             struct webhook_event *out, char *reason, size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* About 13 KiB: kept off the heap, and filled on the side so that *out is untouched when the
     * body is rejected. */
    struct webhook_event e;
    enum chirpstack_event ev = CHIRPSTACK_EVENT_UP;
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    rc = find_event(event, &ev, &r);
    if (rc < 0)
        return rc;
    memset(&e, 0, sizeof(e));
    if (protobuf) {
        if (body == NULL && len > 0)
            return webhook_json_fail(&r, NULL, NULL, "no body");
        rc = chirpstack_pb_parse(ev, (const uint8_t *)body, len, &e, &r);
    } else {
        rc = webhook_json_load(body, len, &root, &r);
        if (rc == 0)
            rc = chirpstack_json_parse_event(ev, root, &e, &r);
        json_decref(root);
    }
    if (rc < 0)
        return rc;
    memcpy(e.up.network, "chirpstack", sizeof("chirpstack"));
    *out = e;
    return 0;
}

int webhook_chirpstack_parse_up(const char *body, size_t len, struct webhook_uplink *out,
                                char *reason, size_t reason_cap)
{
    struct webhook_event e;
    int rc = webhook_chirpstack_parse("up", body, len, false, &e, reason, reason_cap);

    if (rc == 0)
        *out = e.up;
    return rc;
}
