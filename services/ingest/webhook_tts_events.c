/* webhook_tts_events.c - The Things Stack v3 join, location and downlink events.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"
#include "webhook_tts.h"

#define DOWNLINK_PREFIX "as:downlink:"

/* An optional DevAddr, 8 hex digits, stored lowercase into out[9] when present. */
static int parse_dev_addr(const json_t *obj, const char *where, char out[9],
                          struct webhook_reason *r)
{
    const char *s;
    char addr[9];
    int rc = webhook_json_string(obj, where, "dev_addr", false, &s, r);

    if (rc < 0 || s == NULL)
        return rc;
    if (strlen(s) != 8)
        return webhook_json_fail(r, where, "dev_addr", "not 8 hex digits");
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return webhook_json_fail(r, where, "dev_addr", "not 8 hex digits");
        addr[i] = c;
    }
    addr[8] = '\0';
    memcpy(out, addr, sizeof(addr));
    return 0;
}

/* Writes "tts:<kind>:<dev_eui>:<key>" into u->id. */
static int event_id(struct webhook_uplink *u, const char *kind, const struct tts_key *k,
                    struct webhook_reason *r)
{
    int len = snprintf(u->id, sizeof(u->id), "tts:%s:%s:%s", kind, u->dev_eui, k->text);

    if (len < 0 || (size_t)len >= sizeof(u->id))
        return webhook_json_fail(r, k->where, k->key, "too long for an event id");
    return 0;
}

int tts_parse_join(const json_t *root, const json_t *msg, struct webhook_event *ev,
                   struct webhook_reason *r)
{
    const json_t *ids = json_object_get(root, "end_device_ids");
    struct tts_key k;
    int rc;

    ev->kind = WEBHOOK_DEVICE_EVENT;
    ev->dev.kind = WEBHOOK_DEVICE_JOIN;
    /* The Application Server puts the new session's address in the identifiers; accept it in
     * the message too, where older versions were read to have it. */
    rc = parse_dev_addr(ids, "end_device_ids", ev->dev.dev_addr, r);
    if (rc == 0 && ev->dev.dev_addr[0] == '\0')
        rc = parse_dev_addr(msg, "join_accept", ev->dev.dev_addr, r);
    if (rc == 0)
        rc = tts_parse_time(root, msg, "join_accept", &ev->up.time_us, r);
    if (rc == 0)
        rc = tts_event_key(root, msg, "join_accept", "join", &k, r);
    if (rc == 0)
        rc = event_id(&ev->up, "join", &k, r);
    return rc;
}

/* A coordinate within [-limit, limit]; absent gives 0, as TTS omits zero values. */
static int parse_degrees(const json_t *loc, const char *key, double limit, double *out,
                         struct webhook_reason *r)
{
    int rc = webhook_json_double(loc, "location_solved.location", key, out, r);

    if (rc == 0 && !(*out >= -limit && *out <= limit))
        return webhook_json_fail(r, "location_solved.location", key, "out of range");
    return rc;
}

int tts_parse_location(const json_t *root, const json_t *msg, struct webhook_event *ev,
                       struct webhook_reason *r)
{
    const json_t *loc;
    struct tts_key k;
    int32_t alt;
    int rc;

    ev->kind = WEBHOOK_DEVICE_EVENT;
    ev->dev.kind = WEBHOOK_DEVICE_LOCATION;
    rc = webhook_json_object(msg, "location_solved", "location", true, &loc, r);
    if (rc == 0)
        rc = parse_degrees(loc, "latitude", 90, &ev->dev.latitude, r);
    if (rc == 0)
        rc = parse_degrees(loc, "longitude", 180, &ev->dev.longitude, r);
    if (rc == 0)
        rc = webhook_json_i32(loc, "location_solved.location", "altitude", &alt, r);
    if (rc < 0)
        return rc;
    ev->dev.altitude = alt;
    ev->dev.has_location = true;
    /* A solved location has no reception time of its own: the Application Server's. */
    rc = tts_parse_time(root, NULL, "", &ev->up.time_us, r);
    if (rc == 0)
        rc = tts_event_key(root, msg, "location_solved", "location", &k, r);
    if (rc == 0)
        rc = event_id(&ev->up, "location", &k, r);
    return rc;
}

/* "<namespace>:<name>: <message_format>" from downlink_failed.error, parts left out when
 * absent. */
static int parse_error(const json_t *msg, struct webhook_downlink_status *dl,
                       struct webhook_reason *r)
{
    static const char where[] = "downlink_failed.error";
    const json_t *err;
    const char *ns = NULL, *name = NULL, *text = NULL;
    char ns_part[64], name_part[128], text_part[256], what[480];
    int rc;

    rc = webhook_json_object(msg, "downlink_failed", "error", false, &err, r);
    if (rc < 0 || err == NULL)
        return rc;
    rc = webhook_json_string(err, where, "namespace", false, &ns, r);
    if (rc == 0)
        rc = webhook_json_string(err, where, "name", false, &name, r);
    if (rc == 0)
        rc = webhook_json_string(err, where, "message_format", false, &text, r);
    if (rc < 0)
        return rc;
    /* Each part is cut at a character boundary to a size that lets the sum fit. */
    webhook_json_copy_text(ns_part, sizeof(ns_part), ns != NULL ? ns : "");
    webhook_json_copy_text(name_part, sizeof(name_part), name != NULL ? name : "");
    webhook_json_copy_text(text_part, sizeof(text_part), text != NULL ? text : "");
    snprintf(what, sizeof(what), "%s%s%s%s%s", ns_part, ns != NULL && name != NULL ? ":" : "",
             name_part, (ns != NULL || name != NULL) && text != NULL ? ": " : "", text_part);
    webhook_json_copy_text(dl->reason, sizeof(dl->reason), what);
    return 0;
}

/* The downlink's mue id, from its "mue:dl:<id>" correlation id, or "". */
static int parse_downlink_id(const json_t *dl_msg, const char *where,
                             struct webhook_downlink_status *dl, struct webhook_reason *r)
{
    struct tts_key k;
    int rc = tts_find_correlation(dl_msg, where, WEBHOOK_TTS_CORRELATION_PREFIX, &k, r);

    if (rc < 0 || k.text == NULL)
        return rc;
    /* mue wrote it, but it comes back through the outside: it becomes part of an id. */
    if (!webhook_json_is_token(k.text, sizeof(dl->downlink_id) - 1))
        return webhook_json_fail(
            r, k.where, NULL, "mue downlink id not 1 to 127 printable characters without spaces");
    snprintf(dl->downlink_id, sizeof(dl->downlink_id), "%s", k.text);
    return 0;
}

/* The last part of a downlink event's id: the Application Server's reception time in µs, which
 * TTS keeps across webhook retries; without it (the docs' downlink_failed example has none) the
 * downlink's own "as:downlink:" ULID. */
static int event_time_key(const json_t *root, const json_t *dl_msg, const char *where, char *out,
                          size_t cap, struct webhook_reason *r)
{
    struct tts_key k;
    int64_t us;
    bool found;
    int rc = webhook_json_time(root, "", "received_at", &us, &found, r);

    if (rc < 0)
        return rc;
    if (found) {
        snprintf(out, cap, "%" PRId64, us);
        return 0;
    }
    rc = tts_find_correlation(dl_msg, where, DOWNLINK_PREFIX, &k, r);
    if (rc == 0 && k.text == NULL)
        rc = tts_find_correlation(root, "", DOWNLINK_PREFIX, &k, r);
    if (rc < 0)
        return rc;
    if (k.text == NULL)
        return webhook_json_fail(r, NULL, NULL,
                                 "no received_at nor as:downlink correlation id to identify the "
                                 "downlink event");
    if (!webhook_json_is_token(k.text, cap - 1))
        return webhook_json_fail(r, k.where, NULL, "not printable characters without spaces");
    snprintf(out, cap, "%s", k.text);
    return 0;
}

int tts_parse_downlink(const json_t *root, const json_t *msg, const char *name,
                       enum webhook_downlink_state state, struct webhook_event *ev,
                       struct webhook_reason *r)
{
    struct webhook_downlink_status *dl = &ev->dl;
    const json_t *dl_msg = msg;
    char where[48], time_key[128], count[12];
    int rc = 0, len;

    ev->kind = WEBHOOK_DOWNLINK_STATUS;
    dl->state = state;
    snprintf(dl->source, sizeof(dl->source), "tts:%s", name);
    snprintf(where, sizeof(where), "%s", name);
    /* downlink_failed wraps the downlink and adds the error. */
    if (state == WEBHOOK_DL_FAILED) {
        rc = webhook_json_object(msg, name, "downlink", true, &dl_msg, r);
        snprintf(where, sizeof(where), "%s.downlink", name);
        if (rc == 0)
            rc = parse_error(msg, dl, r);
    }
    if (rc == 0)
        rc = webhook_json_u32(dl_msg, where, "f_cnt", &dl->f_cnt_down, r);
    if (rc == 0)
        rc = parse_downlink_id(dl_msg, where, dl, r);
    if (rc == 0)
        rc = tts_parse_time(root, NULL, "", &ev->up.time_us, r);
    if (rc == 0)
        rc = event_time_key(root, dl_msg, where, time_key, sizeof(time_key), r);
    if (rc < 0)
        return rc;
    snprintf(count, sizeof(count), "%" PRIu32, dl->f_cnt_down);
    len = snprintf(ev->up.id, sizeof(ev->up.id), "tts:%s:%s:%s:%s", name, ev->up.dev_eui,
                   dl->downlink_id[0] != '\0' ? dl->downlink_id : count, time_key);
    if (len < 0 || (size_t)len >= sizeof(ev->up.id))
        return webhook_json_fail(r, NULL, NULL, "downlink id too long for an event id");
    return 0;
}

int tts_parse_invalidated(const json_t *root, const json_t *msg, struct webhook_event *ev,
                          struct webhook_reason *r)
{
    static const char name[] = "downlink_queue_invalidated";
    struct webhook_downlink_status *dl = &ev->dl;
    const json_t *list = NULL;
    char time_key[128];
    size_t n;
    int rc, len;

    ev->kind = WEBHOOK_DOWNLINK_STATUS;
    dl->state = WEBHOOK_DL_FAILED;
    snprintf(dl->source, sizeof(dl->source), "tts:%s", name);
    snprintf(dl->reason, sizeof(dl->reason),
             "the device's session changed: The Things Stack dropped its queued downlinks");
    rc = webhook_json_array(msg, name, "downlinks", false, &list, r);
    n = list != NULL ? json_array_size(list) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *item = json_array_get(list, i);
        struct webhook_downlink_status one;
        char where[64];

        snprintf(where, sizeof(where), "%s.downlinks[%zu]", name, i);
        if (!json_is_object(item))
            return webhook_json_fail(r, where, NULL, "not an object");
        memset(&one, 0, sizeof(one));
        rc = parse_downlink_id(item, where, &one, r);
        if (rc < 0 || one.downlink_id[0] == '\0')
            continue; /* not one of mue's */
        if (dl->downlink_id[0] == '\0')
            memcpy(dl->downlink_id, one.downlink_id, sizeof(dl->downlink_id));
        else if (dl->n_more_ids < WEBHOOK_DL_MORE_IDS)
            memcpy(dl->more_ids[dl->n_more_ids++], one.downlink_id, sizeof(dl->more_ids[0]));
        else
            return webhook_json_fail(r, name, "downlinks",
                                     "more mue downlinks than one event holds");
    }
    if (rc == 0)
        rc = tts_parse_time(root, NULL, "", &ev->up.time_us, r);
    if (rc == 0)
        rc = event_time_key(root, msg, name, time_key, sizeof(time_key), r);
    if (rc < 0)
        return rc;
    len = snprintf(ev->up.id, sizeof(ev->up.id), "tts:%s:%s:%s", name, ev->up.dev_eui, time_key);
    if (len < 0 || (size_t)len >= sizeof(ev->up.id))
        return webhook_json_fail(r, NULL, NULL, "event time too long for an event id");
    return 0;
}
