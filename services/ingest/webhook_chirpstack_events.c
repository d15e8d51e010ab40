/* webhook_chirpstack_events.c - ChirpStack v4 join, status, ack, txack, log and location events
 * (JSON marshaler) into a webhook_event. SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook_chirpstack.h"

int chirpstack_json_identity(const json_t *root, struct webhook_uplink *u, bool *has_time,
                             struct webhook_reason *r)
{
    const json_t *dev;
    const char *eui, *name, *app;
    int rc;

    rc = webhook_json_object(root, "", "deviceInfo", true, &dev, r);
    if (rc == 0)
        rc = webhook_json_string(dev, "deviceInfo", "devEui", true, &eui, r);
    if (rc == 0)
        rc = webhook_json_string(dev, "deviceInfo", "deviceName", false, &name, r);
    if (rc == 0)
        rc = webhook_json_string(dev, "deviceInfo", "applicationName", false, &app, r);
    if (rc == 0)
        rc = chirpstack_map_identity(u, eui, name, app, r);
    if (rc == 0)
        rc = webhook_json_time(root, "", "time", &u->time_us, has_time, r);
    return rc;
}

/* A bool the protobuf JSON mapping omits when false. */
static int get_bool(const json_t *obj, const char *where, const char *key, bool *out,
                    struct webhook_reason *r)
{
    const json_t *v = json_object_get(obj, key);

    *out = false;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return webhook_json_fail(r, where, key, "not a boolean");
    *out = json_is_true(v);
    return 0;
}

/* An int32 written as a JSON integer (the protobuf JSON mapping never writes 10.0). */
static int get_i32(const json_t *obj, const char *where, const char *key, int32_t *out,
                   struct webhook_reason *r)
{
    const json_t *v = json_object_get(obj, key);

    *out = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return webhook_json_fail(r, where, key, "not an integer");
    if (json_integer_value(v) < INT32_MIN || json_integer_value(v) > INT32_MAX)
        return webhook_json_fail(r, where, key, "out of range");
    *out = (int32_t)json_integer_value(v);
    return 0;
}

/* An enum as its name (what ChirpStack writes) or its number (what the protobuf JSON mapping
 * also allows); absent is the enum's zero value. */
static int get_enum(const json_t *obj, const char *key,
                    const char *(*name_of)(int32_t, char *, size_t), char *buf, size_t cap,
                    const char **out, struct webhook_reason *r)
{
    const json_t *v = json_object_get(obj, key);
    int32_t n = 0;

    if (v != NULL && json_is_string(v)) {
        *out = json_string_value(v);
        return 0;
    }
    if (v != NULL && !json_is_null(v) && !json_is_integer(v))
        return webhook_json_fail(r, "", key, "not an enum name or number");
    if (get_i32(obj, "", key, &n, r) < 0)
        return MUE_EDECODE;
    *out = name_of(n, buf, cap);
    return 0;
}

static int parse_join(const json_t *root, struct webhook_event *e, const char *dedup,
                      struct webhook_reason *r)
{
    const char *addr;
    int rc = webhook_json_string(root, "", "devAddr", false, &addr, r);

    return rc < 0 ? rc : chirpstack_map_join(e, dedup, addr, r);
}

static int parse_status(const json_t *root, struct webhook_event *e, const char *dedup,
                        struct webhook_reason *r)
{
    bool external, unavailable;
    int32_t margin;
    double level;
    int rc;

    rc = get_i32(root, "", "margin", &margin, r);
    if (rc == 0)
        rc = get_bool(root, "", "externalPowerSource", &external, r);
    if (rc == 0)
        rc = get_bool(root, "", "batteryLevelUnavailable", &unavailable, r);
    if (rc == 0)
        rc = webhook_json_double(root, "", "batteryLevel", &level, r);
    if (rc == 0)
        rc = chirpstack_map_status(e, dedup, margin, external, unavailable, level, r);
    return rc;
}

static int parse_location(const json_t *root, struct webhook_event *e, const char *dedup,
                          struct webhook_reason *r)
{
    const json_t *loc;
    double lat = 0, lon = 0, alt = 0;
    int rc;

    rc = webhook_json_object(root, "", "location", false, &loc, r);
    if (rc == 0 && loc != NULL)
        rc = webhook_json_double(loc, "location", "latitude", &lat, r);
    if (rc == 0 && loc != NULL)
        rc = webhook_json_double(loc, "location", "longitude", &lon, r);
    if (rc == 0 && loc != NULL)
        rc = webhook_json_double(loc, "location", "altitude", &alt, r);
    if (rc == 0)
        rc = chirpstack_map_location(e, dedup, loc != NULL, lat, lon, alt, r);
    return rc;
}

static int parse_ack(const json_t *root, struct webhook_event *e, struct webhook_reason *r)
{
    const char *queue_item;
    bool acked;
    uint32_t f_cnt_down;
    int rc;

    rc = webhook_json_string(root, "", "queueItemId", true, &queue_item, r);
    if (rc == 0)
        rc = get_bool(root, "", "acknowledged", &acked, r);
    if (rc == 0)
        rc = webhook_json_u32(root, "", "fCntDown", &f_cnt_down, r);
    if (rc == 0)
        rc = chirpstack_map_ack(e, queue_item, acked, f_cnt_down, r);
    return rc;
}

static int parse_txack(const json_t *root, struct webhook_event *e, struct webhook_reason *r)
{
    const char *queue_item;
    uint32_t downlink_id, f_cnt_down;
    int rc;

    rc = webhook_json_u32(root, "", "downlinkId", &downlink_id, r);
    if (rc == 0)
        rc = webhook_json_string(root, "", "queueItemId", true, &queue_item, r);
    if (rc == 0)
        rc = webhook_json_u32(root, "", "fCntDown", &f_cnt_down, r);
    if (rc == 0)
        rc = chirpstack_map_txack(e, downlink_id, queue_item, f_cnt_down, r);
    return rc;
}

static int parse_log(const json_t *root, struct webhook_event *e, struct webhook_reason *r)
{
    char level_buf[12], code_buf[12];
    const char *level, *code, *description, *queue_item = NULL;
    const json_t *context;
    int rc;

    rc =
        get_enum(root, "level", chirpstack_log_level_name, level_buf, sizeof(level_buf), &level, r);
    if (rc == 0)
        rc = get_enum(root, "code", chirpstack_log_code_name, code_buf, sizeof(code_buf), &code, r);
    if (rc == 0)
        rc = webhook_json_string(root, "", "description", false, &description, r);
    /* A map<string, string>: ChirpStack names the dropped downlink's queue item there. */
    if (rc == 0)
        rc = webhook_json_object(root, "", "context", false, &context, r);
    if (rc == 0 && context != NULL)
        rc = webhook_json_string(context, "context", "queue_item_id", false, &queue_item, r);
    if (rc == 0)
        rc = chirpstack_map_log(e, level, code, description, queue_item, r);
    return rc;
}

int chirpstack_json_parse_event(enum chirpstack_event ev, const json_t *root,
                                struct webhook_event *e, struct webhook_reason *r)
{
    const char *dedup = NULL;
    bool has_time;
    int rc;

    if (ev == CHIRPSTACK_EVENT_UP)
        return chirpstack_json_parse_up(root, e, r);
    /* Only the events about one deduplicated uplink carry its id, and make theirs of it. */
    if (ev == CHIRPSTACK_EVENT_JOIN || ev == CHIRPSTACK_EVENT_STATUS ||
        ev == CHIRPSTACK_EVENT_LOCATION) {
        rc = webhook_json_string(root, "", "deduplicationId", true, &dedup, r);
        if (rc < 0)
            return rc;
    }
    rc = chirpstack_json_identity(root, &e->up, &has_time, r);
    if (rc < 0)
        return rc;
    switch (ev) {
    case CHIRPSTACK_EVENT_JOIN:
        return parse_join(root, e, dedup, r);
    case CHIRPSTACK_EVENT_STATUS:
        return parse_status(root, e, dedup, r);
    case CHIRPSTACK_EVENT_LOCATION:
        return parse_location(root, e, dedup, r);
    case CHIRPSTACK_EVENT_ACK:
        return parse_ack(root, e, r);
    case CHIRPSTACK_EVENT_TXACK:
        return parse_txack(root, e, r);
    case CHIRPSTACK_EVENT_LOG:
        return parse_log(root, e, r);
    case CHIRPSTACK_EVENT_UP:
        break;
    }
    return webhook_json_fail(r, NULL, NULL, "unknown event");
}
