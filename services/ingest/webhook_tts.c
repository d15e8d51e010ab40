/* webhook_tts.c - The Things Stack v3 webhooks: the message type, and what all types share.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"
#include "webhook_tts.h"

#define UP_PREFIX "as:up:"
/* Longer than any id it could go into: only bounds the scan. */
#define KEY_MAX 1024

enum handling { UPLINK, JOIN, LOCATION, DOWNLINK, INVALIDATED, NOT_HANDLED };

/* The members of ApplicationUp's "up" oneof (lorawan-stack api/ttn/lorawan/v3/messages.proto):
 * exactly one is present in a webhook body. */
static const struct message_type {
    const char *member;
    enum handling handling;
    enum webhook_downlink_state state;
} message_types[] = {
    { "uplink_message", UPLINK, 0 },
    { "join_accept", JOIN, 0 },
    { "downlink_queued", DOWNLINK, WEBHOOK_DL_QUEUED },
    { "downlink_sent", DOWNLINK, WEBHOOK_DL_SENT },
    { "downlink_ack", DOWNLINK, WEBHOOK_DL_ACKED },
    { "downlink_nack", DOWNLINK, WEBHOOK_DL_NACKED },
    { "downlink_failed", DOWNLINK, WEBHOOK_DL_FAILED },
    { "location_solved", LOCATION, 0 },
    /* The same frame as uplink_message, once per normalized payload: taking both would store
     * the uplink twice. */
    { "uplink_normalized", NOT_HANDLED, 0 },
    /* The downlinks a session change dropped from the queue: they will never go out. */
    { "downlink_queue_invalidated", INVALIDATED, WEBHOOK_DL_FAILED },
    { "service_data", NOT_HANDLED, 0 },
};

#define N_TYPES (sizeof(message_types) / sizeof(message_types[0]))

int tts_parse_device(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *ids, *app = NULL;
    const char *s;
    int rc;

    rc = webhook_json_object(root, "", "end_device_ids", false, &ids, r);
    if (rc < 0)
        return rc;
    /* A webhook whose field mask drops end_device_ids cannot be tied to a device: say which field
     * is missing rather than that a whole object is. */
    if (ids == NULL)
        return webhook_json_fail(r, "end_device_ids", "dev_eui", "missing");
    rc = webhook_json_eui(ids, "end_device_ids", "dev_eui", u->dev_eui, r);
    if (rc < 0)
        return rc;
    rc = webhook_json_string(ids, "end_device_ids", "device_id", false, &s, r);
    if (rc < 0)
        return rc;
    if (s != NULL)
        webhook_json_copy_text(u->device_name, sizeof(u->device_name), s);
    snprintf(u->network, sizeof(u->network), "tts");
    rc = webhook_json_object(ids, "end_device_ids", "application_ids", false, &app, r);
    if (rc < 0 || app == NULL)
        return rc;
    rc = webhook_json_string(app, "end_device_ids.application_ids", "application_id", false, &s, r);
    if (rc < 0)
        return rc;
    if (s != NULL)
        webhook_json_copy_text(u->application, sizeof(u->application), s);
    return 0;
}

int tts_find_correlation(const json_t *obj, const char *where, const char *prefix,
                         struct tts_key *found, struct webhook_reason *r)
{
    const json_t *cids;
    char list_where[48], item_where[80];
    size_t n, plen = strlen(prefix);
    int rc;

    found->text = NULL;
    found->key = NULL;
    found->where[0] = '\0';
    rc = webhook_json_array(obj, where, "correlation_ids", false, &cids, r);
    if (rc < 0)
        return rc;
    snprintf(list_where, sizeof(list_where), "%s%scorrelation_ids", where,
             where[0] != '\0' ? "." : "");
    n = cids != NULL ? json_array_size(cids) : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(cids, i);
        const char *t;

        snprintf(item_where, sizeof(item_where), "%s[%zu]", list_where, i);
        if (!json_is_string(c))
            return webhook_json_fail(r, item_where, NULL, "not a string");
        t = json_string_value(c);
        /* An empty remainder identifies nothing; keep looking. */
        if (found->text == NULL && strncmp(t, prefix, plen) == 0 && t[plen] != '\0') {
            found->text = t + plen;
            memcpy(found->where, item_where, sizeof(found->where));
        }
    }
    return 0;
}

int tts_event_key(const json_t *root, const json_t *msg, const char *msg_where, const char *what,
                  struct tts_key *k, struct webhook_reason *r)
{
    char none[96];
    int rc = tts_find_correlation(root, "", UP_PREFIX, k, r);

    if (rc < 0)
        return rc;
    /* Without the ULID, which TTS keeps across webhook retries, a reception time is the next
     * most specific and equally stable text. */
    if (k->text == NULL) {
        k->key = "received_at";
        k->text = json_string_value(json_object_get(root, k->key));
        k->where[0] = '\0';
    }
    if (k->text == NULL) {
        k->text = json_string_value(json_object_get(msg, k->key));
        snprintf(k->where, sizeof(k->where), "%s", msg_where);
    }
    if (k->text == NULL) {
        snprintf(none, sizeof(none), "no correlation id nor received_at to identify the %s", what);
        return webhook_json_fail(r, NULL, NULL, none);
    }
    /* The id goes into NATS headers and SQL keys; the length is checked where it is built. */
    if (!webhook_json_is_token(k->text, KEY_MAX))
        return webhook_json_fail(r, k->where, k->key, "not printable characters without spaces");
    return 0;
}

int tts_parse_time(const json_t *root, const json_t *msg, const char *msg_where, int64_t *out_us,
                   struct webhook_reason *r)
{
    int64_t ns_us = 0, as_us = 0;
    bool ns_found = false, as_found;
    int rc = 0;

    if (msg != NULL)
        rc = webhook_json_time(msg, msg_where, "received_at", &ns_us, &ns_found, r);
    if (rc == 0)
        rc = webhook_json_time(root, "", "received_at", &as_us, &as_found, r);
    if (rc < 0)
        return rc;
    *out_us = ns_found ? ns_us : as_found ? as_us : 0;
    return 0;
}

/* Writes the reason for a well-formed body mue does not handle. */
static int not_supported(struct webhook_reason *r, const char *where, const char *what)
{
    (void)webhook_json_fail(r, where, NULL, what);
    return MUE_ENOTSUP;
}

/* The one message member of the body. Returns 0 with *type and *msg, MUE_ENOTSUP for a type mue
 * does not handle, or MUE_EDECODE. */
static int find_message(const json_t *root, const struct message_type **type, const json_t **msg,
                        struct webhook_reason *r)
{
    const struct message_type *t = NULL;
    const json_t *m = NULL;
    const char *key;
    json_t *value;
    char what[96];
    int rc;

    for (size_t i = 0; i < N_TYPES; i++) {
        const json_t *v = NULL;

        rc = webhook_json_object(root, "", message_types[i].member, false, &v, r);
        if (rc < 0)
            return rc;
        if (v == NULL)
            continue;
        if (t != NULL) {
            snprintf(what, sizeof(what), "both %s and %s: one message per body", t->member,
                     message_types[i].member);
            return webhook_json_fail(r, NULL, NULL, what);
        }
        t = &message_types[i];
        m = v;
    }
    if (t != NULL && t->handling == NOT_HANDLED)
        return not_supported(r, t->member, "message type not handled");
    if (t != NULL) {
        *type = t;
        *msg = m;
        return 0;
    }
    /* An object member besides the identifiers is a message type newer than this table. Its
     * name is not quoted: it is the sender's text. */
    json_object_foreach((json_t *)root, key, value)
    {
        if (json_is_object(value) && strcmp(key, "end_device_ids") != 0)
            return not_supported(r, NULL, "a message type mue does not know");
    }
    return webhook_json_fail(r, NULL, NULL,
                             "no message: uplink_message, join_accept, downlink_* or "
                             "location_solved expected");
}

int webhook_tts_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                      size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected. */
    struct webhook_event ev;
    const struct message_type *type = NULL;
    const json_t *msg = NULL;
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    memset(&ev, 0, sizeof(ev));
    rc = webhook_json_load(body, len, &root, &r);
    if (rc < 0)
        goto out;
    rc = find_message(root, &type, &msg, &r);
    if (rc < 0)
        goto out;
    rc = tts_parse_device(root, &ev.up, &r);
    if (rc < 0)
        goto out;
    switch (type->handling) {
    case UPLINK:
        ev.kind = WEBHOOK_UPLINK;
        rc = tts_parse_uplink(root, msg, &ev.up, &r);
        break;
    case JOIN:
        rc = tts_parse_join(root, msg, &ev, &r);
        break;
    case LOCATION:
        rc = tts_parse_location(root, msg, &ev, &r);
        break;
    case DOWNLINK:
        rc = tts_parse_downlink(root, msg, type->member, type->state, &ev, &r);
        break;
    case INVALIDATED:
        rc = tts_parse_invalidated(root, msg, &ev, &r);
        break;
    case NOT_HANDLED:
        rc = MUE_ENOTSUP; /* find_message returned it already */
        break;
    }
    if (rc < 0)
        goto out;
    *out = ev;
out:
    json_decref(root);
    return rc;
}

int webhook_tts_parse_uplink(const char *body, size_t len, struct webhook_uplink *out, char *reason,
                             size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    struct webhook_uplink u;
    const json_t *up;
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    memset(&u, 0, sizeof(u));
    rc = webhook_json_load(body, len, &root, &r);
    if (rc < 0)
        goto out;
    rc = tts_parse_device(root, &u, &r);
    if (rc < 0)
        goto out;
    rc = webhook_json_object(root, "", "uplink_message", true, &up, &r);
    if (rc < 0)
        goto out;
    rc = tts_parse_uplink(root, up, &u, &r);
    if (rc < 0)
        goto out;
    *out = u;
out:
    json_decref(root);
    return rc;
}
