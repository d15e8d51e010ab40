/* webhook_tts_uplink.c - The Things Stack v3 uplink_message into a webhook_uplink.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"
#include "webhook_tts.h"

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

int tts_parse_uplink(const json_t *root, const json_t *up, struct webhook_uplink *u,
                     struct webhook_reason *r)
{
    struct tts_key k;
    int rc, len;

    rc = parse_frame(up, u, r);
    if (rc == 0)
        rc = parse_radio(up, u, r);
    if (rc == 0)
        rc = tts_parse_time(root, up, "uplink_message", &u->time_us, r);
    if (rc == 0)
        rc = tts_event_key(root, up, "uplink_message", "uplink", &k, r);
    if (rc < 0)
        return rc;
    len = snprintf(u->id, sizeof(u->id), "tts:%s:%" PRIu32 ":%s", u->dev_eui, u->f_cnt, k.text);
    if (len < 0 || (size_t)len >= sizeof(u->id))
        return webhook_json_fail(r, k.where, k.key, "too long for an uplink id");
    return 0;
}
