/* webhook_chirpstack_up.c - a ChirpStack v4 "up" event (JSON marshaler) into a webhook_event.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook_chirpstack.h"

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
        if (rc == 0)
            rc = chirpstack_map_gateway(u, i, rssi, snr, gw, r);
        if (rc < 0)
            return rc;
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

/* Without the event's own time (older ChirpStack builds leave it out), the first gateway's: the
 * network server's reception time, else the gateway's, named "time" before ChirpStack 4.6 and
 * "gwTime" since. Runs after parse_radio checked rxInfo's shape. */
static int parse_gateway_time(const json_t *root, struct webhook_uplink *u,
                              struct webhook_reason *r)
{
    static const char *const keys[] = { "nsTime", "gwTime", "time" };
    const json_t *rx = json_object_get(root, "rxInfo");
    const json_t *first = json_is_array(rx) ? json_array_get(rx, 0) : NULL;
    bool found = false;

    for (size_t i = 0; first != NULL && !found && i < sizeof(keys) / sizeof(keys[0]); i++) {
        int rc = webhook_json_time(first, "rxInfo[0]", keys[i], &u->time_us, &found, r);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int chirpstack_json_parse_up(const json_t *root, struct webhook_event *e, struct webhook_reason *r)
{
    const char *dedup;
    bool has_time;
    int rc;

    rc = webhook_json_string(root, "", "deduplicationId", true, &dedup, r);
    if (rc == 0)
        rc = chirpstack_map_dedup_id(&e->up, "cs:", dedup, r);
    if (rc == 0)
        rc = chirpstack_json_identity(root, &e->up, &has_time, r);
    if (rc == 0)
        rc = parse_frame(root, &e->up, r);
    if (rc == 0)
        rc = parse_radio(root, &e->up, r);
    if (rc == 0 && !has_time)
        rc = parse_gateway_time(root, &e->up, r);
    if (rc == 0)
        e->kind = WEBHOOK_UPLINK;
    return rc;
}
