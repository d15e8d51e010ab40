/* webhook_tts.c - The Things Stack v3 uplink webhooks into a webhook_uplink.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"

#define UP_PREFIX "as:up:"

static int parse_device(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
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

static int parse_frame(const json_t *up, struct webhook_uplink *u, struct webhook_reason *r)
{
    int rc;

    rc = webhook_json_u32(up, "uplink_message", "f_port", &u->f_port, r);
    if (rc == 0)
        rc = webhook_json_u32(up, "uplink_message", "f_cnt", &u->f_cnt, r);
    if (rc == 0)
        rc = webhook_json_base64(up, "uplink_message", "frm_payload", u->payload,
                                 sizeof(u->payload), &u->payload_len, r);
    if (rc == 0)
        rc = webhook_json_object_text(up, "uplink_message", "decoded_payload", u->decoded_json,
                                      sizeof(u->decoded_json), r);
    return rc;
}

static int parse_gateway(const json_t *g, const char *where, bool first, struct webhook_uplink *u,
                         struct webhook_reason *r)
{
    const json_t *gw_ids = NULL;
    const char *gw = NULL;
    char ids_where[80];
    int32_t rssi;
    double snr;
    int rc;

    if (!json_is_object(g))
        return webhook_json_fail(r, where, NULL, "not an object");
    rc = webhook_json_i32(g, where, "rssi", &rssi, r);
    if (rc == 0)
        rc = webhook_json_double(g, where, "snr", &snr, r);
    if (rc == 0)
        rc = webhook_json_object(g, where, "gateway_ids", false, &gw_ids, r);
    snprintf(ids_where, sizeof(ids_where), "%s.gateway_ids", where);
    if (rc == 0 && gw_ids != NULL)
        rc = webhook_json_string(gw_ids, ids_where, "gateway_id", false, &gw, r);
    if (rc < 0)
        return rc;
    /* Ties go to the better SNR, then to the first listed. */
    if (first || rssi > u->rssi || (rssi == u->rssi && snr > u->snr)) {
        u->rssi = rssi;
        u->snr = snr;
        webhook_json_copy_text(u->gateway_id, sizeof(u->gateway_id), gw != NULL ? gw : "");
    }
    return 0;
}

static int parse_radio(const json_t *up, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *rx, *set, *dr = NULL, *lora = NULL;
    size_t n;
    int rc;

    rc = webhook_json_array(up, "uplink_message", "rx_metadata", false, &rx, r);
    if (rc < 0)
        return rc;
    n = rx != NULL ? json_array_size(rx) : 0;
    for (size_t i = 0; i < n; i++) {
        char where[64];

        snprintf(where, sizeof(where), "uplink_message.rx_metadata[%zu]", i);
        rc = parse_gateway(json_array_get(rx, i), where, i == 0, u, r);
        if (rc < 0)
            return rc;
    }
    u->has_radio = n > 0;
    u->gateway_count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;

    rc = webhook_json_object(up, "uplink_message", "settings", false, &set, r);
    if (rc < 0 || set == NULL)
        return rc;
    /* frequency is a uint64, which the protobuf JSON mapping writes as a string. */
    rc = webhook_json_u64(set, "uplink_message.settings", "frequency", &u->frequency, r);
    if (rc == 0)
        rc = webhook_json_u32(set, "uplink_message.settings", "data_rate_index", &u->dr, r);
    if (rc == 0)
        rc = webhook_json_object(set, "uplink_message.settings", "data_rate", false, &dr, r);
    if (rc == 0 && dr != NULL)
        rc = webhook_json_object(dr, "uplink_message.settings.data_rate", "lora", false, &lora, r);
    if (rc == 0 && lora != NULL)
        rc = webhook_json_u32(lora, "uplink_message.settings.data_rate.lora", "spreading_factor",
                              &u->spreading_factor, r);
    return rc;
}

/* The Network Server's reception time is the closest to the radio; the Application Server's
 * (top level) comes second. Both are checked when present. */
static int parse_time(const json_t *root, const json_t *up, struct webhook_uplink *u,
                      struct webhook_reason *r)
{
    int64_t ns_us = 0, as_us = 0;
    bool ns_found, as_found;
    int rc;

    rc = webhook_json_time(up, "uplink_message", "received_at", &ns_us, &ns_found, r);
    if (rc == 0)
        rc = webhook_json_time(root, "", "received_at", &as_us, &as_found, r);
    if (rc < 0)
        return rc;
    u->time_us = ns_found ? ns_us : as_found ? as_us : 0;
    return 0;
}

/* "tts:<dev_eui>:<f_cnt>:<uplink>", where <uplink> is the Application Server's "as:up:" ULID,
 * which TTS keeps across webhook retries; without it, a reception time is the next most
 * specific and equally stable text. Runs after parse_device, parse_frame and parse_time. */
static int build_id(const json_t *root, const json_t *up, struct webhook_uplink *u,
                    struct webhook_reason *r)
{
    const json_t *cids;
    const char *key = NULL, *where = "", *s = NULL;
    char cid_where[40], used_where[40];
    size_t n;
    int rc, len;

    rc = webhook_json_array(root, "", "correlation_ids", false, &cids, r);
    if (rc < 0)
        return rc;
    n = cids != NULL ? json_array_size(cids) : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(cids, i);
        const char *t;

        snprintf(cid_where, sizeof(cid_where), "correlation_ids[%zu]", i);
        if (!json_is_string(c))
            return webhook_json_fail(r, cid_where, NULL, "not a string");
        t = json_string_value(c);
        /* An empty ULID identifies nothing; keep looking. */
        if (s == NULL && strncmp(t, UP_PREFIX, strlen(UP_PREFIX)) == 0 &&
            t[strlen(UP_PREFIX)] != '\0') {
            s = t + strlen(UP_PREFIX);
            memcpy(used_where, cid_where, sizeof(used_where));
            where = used_where;
        }
    }
    if (s == NULL) {
        key = "received_at";
        s = json_string_value(json_object_get(root, key));
        where = "";
    }
    if (s == NULL) {
        s = json_string_value(json_object_get(up, key));
        where = "uplink_message";
    }
    if (s == NULL)
        return webhook_json_fail(r, NULL, NULL,
                                 "no correlation id nor received_at to identify the uplink");
    if (!webhook_json_is_token(s, sizeof(u->id)))
        return webhook_json_fail(r, where, key, "not printable characters without spaces");
    len = snprintf(u->id, sizeof(u->id), "tts:%s:%" PRIu32 ":%s", u->dev_eui, u->f_cnt, s);
    if (len < 0 || (size_t)len >= sizeof(u->id))
        return webhook_json_fail(r, where, key, "too long for an uplink id");
    return 0;
}

int webhook_tts_parse_uplink(const char *body, size_t len, struct webhook_uplink *out, char *reason,
                             size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected. */
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
    rc = parse_device(root, &u, &r);
    if (rc < 0)
        goto out;
    rc = webhook_json_object(root, "", "uplink_message", true, &up, &r);
    if (rc < 0)
        goto out;
    rc = parse_frame(up, &u, &r);
    if (rc < 0)
        goto out;
    rc = parse_radio(up, &u, &r);
    if (rc < 0)
        goto out;
    rc = parse_time(root, up, &u, &r);
    if (rc < 0)
        goto out;
    rc = build_id(root, up, &u, &r);
    if (rc < 0)
        goto out;
    snprintf(u.network, sizeof(u.network), "tts");
    *out = u;
out:
    json_decref(root);
    return rc;
}
