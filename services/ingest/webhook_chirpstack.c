/* webhook_chirpstack.c - ChirpStack v4 HTTP-integration "up" events into a webhook_uplink.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"

/* A UUID is 36 characters; the margin tolerates other id schemes without unbounded ids. */
#define DEDUP_ID_MAX 64

static int parse_identity(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *dev;
    const char *s;
    int rc;

    rc = webhook_json_string(root, "", "deduplicationId", true, &s, r);
    if (rc < 0)
        return rc;
    /* The id becomes the idempotency key (a NATS header and a database key): keep it a token. */
    if (!webhook_json_is_token(s, DEDUP_ID_MAX))
        return webhook_json_fail(r, "", "deduplicationId",
                                 "not 1 to 64 printable characters without spaces");
    snprintf(u->id, sizeof(u->id), "cs:%s", s);

    rc = webhook_json_object(root, "", "deviceInfo", true, &dev, r);
    if (rc < 0)
        return rc;
    rc = webhook_json_eui(dev, "deviceInfo", "devEui", u->dev_eui, r);
    if (rc < 0)
        return rc;
    rc = webhook_json_string(dev, "deviceInfo", "deviceName", false, &s, r);
    if (rc < 0)
        return rc;
    if (s != NULL)
        webhook_json_copy_text(u->device_name, sizeof(u->device_name), s);
    rc = webhook_json_string(dev, "deviceInfo", "applicationName", false, &s, r);
    if (rc < 0)
        return rc;
    if (s != NULL)
        webhook_json_copy_text(u->application, sizeof(u->application), s);
    return 0;
}

static int parse_frame(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    int rc;

    rc = webhook_json_u32(root, "", "fCnt", &u->f_cnt, r);
    if (rc == 0)
        rc = webhook_json_u32(root, "", "fPort", &u->f_port, r);
    if (rc == 0)
        rc = webhook_json_u32(root, "", "dr", &u->dr, r);
    if (rc == 0)
        rc = webhook_json_base64(root, "", "data", u->payload, sizeof(u->payload), &u->payload_len,
                                 r);
    if (rc == 0)
        rc = webhook_json_object_text(root, "", "object", u->decoded_json, sizeof(u->decoded_json),
                                      r);
    return rc;
}

/* Takes the strongest gateway's metrics; every element is checked, not just the winner, so a
 * malformed body fails the same way whatever its order. */
static int parse_radio(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *rx, *tx, *mod = NULL, *lora = NULL;
    uint32_t freq;
    size_t n;
    int rc;

    rc = webhook_json_array(root, "", "rxInfo", false, &rx, r);
    if (rc < 0)
        return rc;
    n = rx != NULL ? json_array_size(rx) : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *g = json_array_get(rx, i);
        char where[32];
        const char *gw;
        int32_t rssi;
        double snr;

        snprintf(where, sizeof(where), "rxInfo[%zu]", i);
        if (!json_is_object(g))
            return webhook_json_fail(r, where, NULL, "not an object");
        rc = webhook_json_i32(g, where, "rssi", &rssi, r);
        if (rc == 0)
            rc = webhook_json_double(g, where, "snr", &snr, r);
        if (rc == 0)
            rc = webhook_json_string(g, where, "gatewayId", false, &gw, r);
        if (rc < 0)
            return rc;
        /* Ties go to the better SNR, then to the first listed. */
        if (i == 0 || rssi > u->rssi || (rssi == u->rssi && snr > u->snr)) {
            u->rssi = rssi;
            u->snr = snr;
            webhook_json_copy_text(u->gateway_id, sizeof(u->gateway_id), gw != NULL ? gw : "");
        }
    }
    u->has_radio = n > 0;
    u->gateway_count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;

    rc = webhook_json_object(root, "", "txInfo", false, &tx, r);
    if (rc < 0 || tx == NULL)
        return rc;
    rc = webhook_json_u32(tx, "txInfo", "frequency", &freq, r);
    if (rc < 0)
        return rc;
    u->frequency = freq;
    /* FSK and LR-FHSS uplinks have no spreading factor: it stays 0. */
    rc = webhook_json_object(tx, "txInfo", "modulation", false, &mod, r);
    if (rc == 0 && mod != NULL)
        rc = webhook_json_object(mod, "txInfo.modulation", "lora", false, &lora, r);
    if (rc == 0 && lora != NULL)
        rc = webhook_json_u32(lora, "txInfo.modulation.lora", "spreadingFactor",
                              &u->spreading_factor, r);
    return rc;
}

/* The deduplicated event's time, else the first gateway's (older ChirpStack builds leave the
 * top-level one out), else 0 for "not given". Runs after parse_radio checked rxInfo's shape. */
static int parse_time(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *rx, *first;
    bool found;
    int rc;

    rc = webhook_json_time(root, "", "time", &u->time_us, &found, r);
    if (rc < 0 || found)
        return rc;
    rx = json_object_get(root, "rxInfo");
    first = json_is_array(rx) ? json_array_get(rx, 0) : NULL;
    if (first == NULL)
        return 0;
    return webhook_json_time(first, "rxInfo[0]", "time", &u->time_us, &found, r);
}

int webhook_chirpstack_parse_up(const char *body, size_t len, struct webhook_uplink *out,
                                char *reason, size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected. */
    struct webhook_uplink u;
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    memset(&u, 0, sizeof(u));
    rc = webhook_json_load(body, len, &root, &r);
    if (rc < 0)
        goto out;
    rc = parse_identity(root, &u, &r);
    if (rc < 0)
        goto out;
    rc = parse_frame(root, &u, &r);
    if (rc < 0)
        goto out;
    rc = parse_radio(root, &u, &r);
    if (rc < 0)
        goto out;
    rc = parse_time(root, &u, &r);
    if (rc < 0)
        goto out;
    snprintf(u.network, sizeof(u.network), "chirpstack");
    *out = u;
out:
    json_decref(root);
    return rc;
}
