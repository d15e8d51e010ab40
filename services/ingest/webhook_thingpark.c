/* webhook_thingpark.c - Actility ThingPark DevEUI_uplink and DevEUI_location reports.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "mue_time.h"
#include "webhook.h"
#include "webhook_json.h"

#define UP  "DevEUI_uplink"
#define LOC "DevEUI_location"

/* Every ThingPark report is one member named after its kind; these are known and not handled
 * (actility/tpx-iot-flow-doc docs/Message/): DevEUI_downlink_Sent gives no mue downlink id to
 * report on. */
static const char *const not_handled[] = {
    "DevEUI_downlink_Sent",
    "DevEUI_notification",
    "DevEUI_multicast_summary",
};

/* True when 'key' is there with a value: ThingPark writes "" for a field it has no value for. */
static bool is_given(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return v != NULL && !json_is_null(v) && !(json_is_string(v) && json_string_value(v)[0] == '\0');
}

/* A required ISO 8601 time with its offset ("2016-10-11T10:58:36.313+02:00"). */
static int parse_time(const json_t *obj, const char *where, const char *key, bool required,
                      int64_t *out_us, struct webhook_reason *r)
{
    const char *s;
    int rc = webhook_json_string(obj, where, key, required, &s, r);

    if (rc < 0)
        return rc;
    if (s == NULL || s[0] == '\0') {
        if (required)
            return webhook_json_fail(r, where, key, "missing");
        *out_us = 0;
        return 0;
    }
    if (mue_time_parse(s, out_us) < 0)
        return webhook_json_fail(r, where, key, "not an ISO 8601 time with an offset");
    return 0;
}

/* A number in dBm or dB, rounded to the nearest int32. */
static int parse_i32(const json_t *obj, const char *where, const char *key, int32_t *out,
                     struct webhook_reason *r)
{
    double d;
    int rc = webhook_json_double_lenient(obj, where, key, &d, r);

    if (rc < 0)
        return rc;
    if (!(d > -2147483648.5 && d < 2147483647.5))
        return webhook_json_fail(r, where, key, "out of range");
    *out = (int32_t)lround(d);
    return 0;
}

/* One reception, from the report itself or an Lrrs.Lrr[] element; the best so far is kept, by
 * RSSI, then SNR, then the first. */
static int parse_reception(const json_t *obj, const char *where, bool first,
                           struct webhook_uplink *u, struct webhook_reason *r)
{
    const char *id = NULL;
    int32_t rssi = 0;
    double snr = 0;
    int rc;

    if (!json_is_object(obj))
        return webhook_json_fail(r, where, NULL, "not an object");
    rc = parse_i32(obj, where, "LrrRSSI", &rssi, r);
    if (rc == 0)
        rc = webhook_json_double_lenient(obj, where, "LrrSNR", &snr, r);
    if (rc == 0)
        rc = webhook_json_string(obj, where, "Lrrid", false, &id, r);
    if (rc < 0)
        return rc;
    if (first || rssi > u->rssi || (rssi == u->rssi && snr > u->snr)) {
        u->rssi = rssi;
        u->snr = snr;
        webhook_json_copy_text(u->gateway_id, sizeof(u->gateway_id), id != NULL ? id : "");
    }
    return 0;
}

/* The receiving base stations (LRRs): Lrrs.Lrr is a list, or a single object in reports
 * converted from the XML form. */
static int parse_radio(const json_t *up, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *lrrs = NULL, *list = NULL;
    bool seen = false;
    size_t n = 0;
    double mhz;
    int rc;

    /* The report's own fields name the LRR ThingPark chose; checked even when empty. */
    rc = parse_reception(up, UP, true, u, r);
    if (rc < 0)
        return rc;
    seen = is_given(up, "LrrRSSI") || is_given(up, "Lrrid");
    rc = webhook_json_object(up, UP, "Lrrs", false, &lrrs, r);
    if (rc < 0)
        return rc;
    list = lrrs != NULL ? json_object_get(lrrs, "Lrr") : NULL;
    if (json_is_object(list)) {
        rc = parse_reception(list, UP ".Lrrs.Lrr", !seen, u, r);
        n = 1;
    } else if (lrrs != NULL) {
        rc = webhook_json_array(lrrs, UP ".Lrrs", "Lrr", false, &list, r);
        n = list != NULL ? json_array_size(list) : 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char where[48];

            snprintf(where, sizeof(where), UP ".Lrrs.Lrr[%zu]", i);
            rc = parse_reception(json_array_get(list, i), where, !seen && i == 0, u, r);
        }
    }
    if (rc == 0)
        rc = webhook_json_u32_lenient(up, UP, "DevLrrCnt", &u->gateway_count, r);
    if (rc == 0)
        rc = webhook_json_u32_lenient(up, UP, "SpFact", &u->spreading_factor, r);
    if (rc == 0)
        rc = webhook_json_double_lenient(up, UP, "Frequency", &mhz, r);
    if (rc < 0)
        return rc;
    /* MHz; LoRaWAN bands are all below 1 GHz, 10 GHz leaves room without overflow. */
    if (!(mhz >= 0 && mhz < 10000))
        return webhook_json_fail(r, UP, "Frequency", "out of range");
    u->frequency = (uint64_t)llround(mhz * 1e6);
    /* Older reports give no DevLrrCnt; then the receptions listed are the count. */
    if (u->gateway_count == 0)
        u->gateway_count = n > 0 ? (n > UINT32_MAX ? UINT32_MAX : (uint32_t)n) : seen ? 1 : 0;
    u->has_radio = u->gateway_count > 0;
    return 0;
}

static int parse_payload(const json_t *up, struct webhook_uplink *u, struct webhook_reason *r)
{
    const char *hex;
    char what[48];
    int n, rc = webhook_json_string(up, UP, "payload_hex", false, &hex, r);

    if (rc < 0 || hex == NULL)
        return rc;
    n = mue_hex_decode(hex, strlen(hex), u->payload, sizeof(u->payload));
    if (n == MUE_E2BIG) {
        snprintf(what, sizeof(what), "payload larger than %zu bytes", sizeof(u->payload));
        return webhook_json_fail(r, UP, "payload_hex", what);
    }
    if (n < 0)
        return webhook_json_fail(r, UP, "payload_hex", "not hex");
    u->payload_len = (size_t)n;
    return 0;
}

/* The device's name as set in ThingPark, kept in CustomerData. */
static int parse_customer(const json_t *report, const char *where, struct webhook_uplink *u,
                          struct webhook_reason *r)
{
    const json_t *cd = NULL;
    const char *name = NULL;
    char cd_where[40];
    int rc = webhook_json_object(report, where, "CustomerData", false, &cd, r);

    snprintf(cd_where, sizeof(cd_where), "%s.CustomerData", where);
    if (rc == 0 && cd != NULL)
        rc = webhook_json_string(cd, cd_where, "name", false, &name, r);
    if (rc == 0 && name != NULL)
        webhook_json_copy_text(u->device_name, sizeof(u->device_name), name);
    return rc;
}

static int parse_uplink(const json_t *up, struct webhook_event *ev, struct webhook_reason *r)
{
    struct webhook_uplink *u = &ev->up;
    int64_t time_us;
    int rc;

    ev->kind = WEBHOOK_UPLINK;
    rc = webhook_json_eui(up, UP, "DevEUI", u->dev_eui, r);
    if (rc == 0)
        rc = parse_time(up, UP, "Time", true, &time_us, r);
    if (rc == 0)
        rc = webhook_json_u32_lenient(up, UP, "FPort", &u->f_port, r);
    if (rc == 0)
        rc = webhook_json_u32_lenient(up, UP, "FCntUp", &u->f_cnt, r);
    if (rc == 0)
        rc = parse_payload(up, u, r);
    if (rc == 0)
        rc = parse_radio(up, u, r);
    if (rc == 0)
        rc = parse_customer(up, UP, u, r);
    /* The application server's decoding ("driver"), when the connection has one. */
    if (rc == 0)
        rc = webhook_json_object_text(up, UP, "payload", u->decoded_json, sizeof(u->decoded_json),
                                      r);
    if (rc < 0)
        return rc;
    u->time_us = time_us;
    /* ThingPark retries a push with the same report: device, counter and time identify it. */
    snprintf(u->id, sizeof(u->id), "tp:%s:%" PRIu32 ":%" PRId64, u->dev_eui, u->f_cnt, time_us);
    return 0;
}

/* A coordinate within [-limit, limit], required. */
static int parse_degrees(const json_t *loc, const char *key, double limit, double *out,
                         struct webhook_reason *r)
{
    int rc;

    if (!is_given(loc, key))
        return webhook_json_fail(r, LOC, key, "missing");
    rc = webhook_json_double_lenient(loc, LOC, key, out, r);
    if (rc == 0 && !(*out >= -limit && *out <= limit))
        return webhook_json_fail(r, LOC, key, "out of range");
    return rc;
}

static int parse_location(const json_t *loc, struct webhook_event *ev, struct webhook_reason *r)
{
    struct webhook_uplink *u = &ev->up;
    int64_t time_us, fix_us;
    int rc;

    ev->kind = WEBHOOK_DEVICE_EVENT;
    ev->dev.kind = WEBHOOK_DEVICE_LOCATION;
    rc = webhook_json_eui(loc, LOC, "DevEUI", u->dev_eui, r);
    if (rc == 0)
        rc = parse_time(loc, LOC, "Time", true, &time_us, r);
    if (rc == 0)
        rc = parse_time(loc, LOC, "DevLocTime", false, &fix_us, r);
    if (rc == 0)
        rc = parse_degrees(loc, "DevLAT", 90, &ev->dev.latitude, r);
    if (rc == 0)
        rc = parse_degrees(loc, "DevLON", 180, &ev->dev.longitude, r);
    if (rc == 0)
        rc = webhook_json_double_lenient(loc, LOC, "DevAlt", &ev->dev.altitude, r);
    if (rc == 0)
        rc = parse_customer(loc, LOC, u, r);
    if (rc < 0)
        return rc;
    ev->dev.has_location = true;
    /* When the device was there, if ThingPark says; else when the report was made. */
    u->time_us = fix_us != 0 ? fix_us : time_us;
    snprintf(u->id, sizeof(u->id), "tp:location:%s:%" PRId64, u->dev_eui, time_us);
    return 0;
}

/* The report: the body's one member, named after its kind. Returns 0 with *report and *uplink
 * (else a location), MUE_ENOTSUP for a kind mue does not handle, or MUE_EDECODE. */
static int find_report(const json_t *root, const json_t **report, bool *uplink,
                       struct webhook_reason *r)
{
    const char *key;
    const json_t *value;
    void *iter;

    if (json_object_size(root) != 1)
        return webhook_json_fail(r, NULL, NULL,
                                 json_object_size(root) == 0
                                     ? "empty object: DevEUI_uplink expected"
                                     : "more than one report in the body");
    iter = json_object_iter((json_t *)root);
    key = json_object_iter_key(iter);
    value = json_object_iter_value(iter);
    *uplink = strcmp(key, UP) == 0;
    if (*uplink || strcmp(key, LOC) == 0)
        return webhook_json_object(root, "", key, true, report, r);
    for (size_t i = 0; i < sizeof(not_handled) / sizeof(not_handled[0]); i++) {
        if (strcmp(key, not_handled[i]) == 0) {
            (void)webhook_json_fail(r, not_handled[i], NULL, "report type not handled");
            return MUE_ENOTSUP;
        }
    }
    /* A kind newer than this list; its name is the sender's text, not quoted. */
    if (!json_is_object(value))
        return webhook_json_fail(r, NULL, NULL, "not a ThingPark report");
    (void)webhook_json_fail(r, NULL, NULL, "a report type mue does not know");
    return MUE_ENOTSUP;
}

int webhook_thingpark_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                            size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected. */
    struct webhook_event ev;
    const json_t *report = NULL;
    json_t *root = NULL;
    bool uplink = false;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    memset(&ev, 0, sizeof(ev));
    rc = webhook_json_load(body, len, &root, &r);
    if (rc < 0)
        goto out;
    rc = find_report(root, &report, &uplink, &r);
    if (rc < 0)
        goto out;
    rc = uplink ? parse_uplink(report, &ev, &r) : parse_location(report, &ev, &r);
    if (rc < 0)
        goto out;
    snprintf(ev.up.network, sizeof(ev.up.network), "thingpark");
    *out = ev;
out:
    json_decref(root);
    return rc;
}
