/* webhook_liveobjects.c - Orange Live Objects LoRa data messages into a webhook_uplink.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"

#define STREAM_PREFIX "urn:lo:nsid:lora:"
#define LORA          "metadata.network.lora"
/* Live Objects ids are 24 hex digits (a MongoDB ObjectId); the margin tolerates other schemes
 * without unbounded ids. */
#define MESSAGE_ID_MAX 100

/* Writes the reason for a well-formed message mue does not handle. */
static int not_supported(struct webhook_reason *r, const char *where, const char *what)
{
    (void)webhook_json_fail(r, where, NULL, what);
    return MUE_ENOTSUP;
}

/* Finds metadata.network.lora (*lora, NULL when absent) and checks that the message came
 * through the LoRa connector: Live Objects also carries MQTT, HTTP, SMS and LwM2M devices,
 * whose messages have another shape. */
static int find_lora(const json_t *root, const json_t **lora, struct webhook_reason *r)
{
    const json_t *meta = NULL, *net = NULL;
    const char *connector = NULL, *stream = NULL;
    int rc;

    *lora = NULL;
    rc = webhook_json_object(root, "", "metadata", false, &meta, r);
    if (rc == 0 && meta != NULL)
        rc = webhook_json_string(meta, "metadata", "connector", false, &connector, r);
    if (rc == 0 && meta != NULL)
        rc = webhook_json_object(meta, "metadata", "network", false, &net, r);
    if (rc == 0 && net != NULL)
        rc = webhook_json_object(net, "metadata.network", "lora", false, lora, r);
    if (rc == 0)
        rc = webhook_json_string(root, "", "streamId", false, &stream, r);
    if (rc < 0)
        return rc;
    if (connector != NULL && strcmp(connector, "lora") != 0)
        return not_supported(r, "metadata.connector", "not a LoRa message");
    if (connector == NULL && *lora == NULL &&
        (stream == NULL || strncmp(stream, STREAM_PREFIX, strlen(STREAM_PREFIX)) != 0))
        return not_supported(r, NULL, "not a LoRa message");
    return 0;
}

/* 16 hex digits, lowercased into out[17]. */
static bool parse_eui(const char *s, char out[17])
{
    if (strlen(s) != 16)
        return false;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        out[i] = c;
    }
    out[16] = '\0';
    return true;
}

/* The DevEUI is in metadata.network.lora.devEUI and at the end of streamId; either will do, but
 * two that differ mean the message cannot be trusted to name its device. */
static int parse_device(const json_t *root, const json_t *lora, struct webhook_uplink *u,
                        struct webhook_reason *r)
{
    const char *stream = NULL;
    char from_stream[17];
    bool has_lora_eui = lora != NULL && json_object_get(lora, "devEUI") != NULL &&
                        !json_is_null(json_object_get(lora, "devEUI"));
    int rc = webhook_json_string(root, "", "streamId", false, &stream, r);

    if (rc < 0)
        return rc;
    if (has_lora_eui) {
        rc = webhook_json_eui(lora, LORA, "devEUI", u->dev_eui, r);
        if (rc < 0)
            return rc;
    }
    if (stream == NULL || strncmp(stream, STREAM_PREFIX, strlen(STREAM_PREFIX)) != 0) {
        if (!has_lora_eui)
            return webhook_json_fail(r, LORA, "devEUI", "missing");
        return 0;
    }
    if (!parse_eui(stream + strlen(STREAM_PREFIX), from_stream))
        return webhook_json_fail(r, "", "streamId", "not urn:lo:nsid:lora:<16 hex digits>");
    if (has_lora_eui && strcmp(from_stream, u->dev_eui) != 0)
        return webhook_json_fail(r, "", "streamId", "DevEUI differs from " LORA ".devEUI");
    memcpy(u->dev_eui, from_stream, sizeof(from_stream));
    return 0;
}

/* The members of 'value' besides "payload" are Live Objects' decoding of it, when a decoder is
 * set for the device: kept as compact JSON, like the other networks' decoded payloads. */
static int parse_decoded(const json_t *value, struct webhook_uplink *u, struct webhook_reason *r)
{
    json_t *decoded;
    const char *key;
    json_t *member;
    size_t need;

    if (json_object_size(value) == 0 ||
        (json_object_size(value) == 1 && json_object_get(value, "payload") != NULL))
        return 0;
    decoded = json_object();
    if (decoded == NULL)
        return webhook_json_fail(r, "value", NULL, "out of memory");
    json_object_foreach((json_t *)value, key, member)
    {
        if (strcmp(key, "payload") != 0)
            (void)json_object_set(decoded, key, member);
    }
    need = json_dumpb(decoded, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (need == 0 || need >= sizeof(u->decoded_json)) {
        json_decref(decoded);
        return webhook_json_fail(r, "value", NULL, "decoded fields too large");
    }
    json_dumpb(decoded, u->decoded_json, sizeof(u->decoded_json),
               JSON_COMPACT | JSON_PRESERVE_ORDER);
    u->decoded_json[need] = '\0';
    json_decref(decoded);
    return 0;
}

static int parse_value(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *value = NULL;
    const char *hex = NULL;
    char what[48];
    int n, rc = webhook_json_object(root, "", "value", false, &value, r);

    if (rc < 0 || value == NULL)
        return rc;
    rc = webhook_json_string(value, "value", "payload", false, &hex, r);
    if (rc < 0)
        return rc;
    if (hex != NULL) {
        n = mue_hex_decode(hex, strlen(hex), u->payload, sizeof(u->payload));
        if (n == MUE_E2BIG) {
            snprintf(what, sizeof(what), "payload larger than %zu bytes", sizeof(u->payload));
            return webhook_json_fail(r, "value", "payload", what);
        }
        if (n < 0)
            return webhook_json_fail(r, "value", "payload", "not hex");
        u->payload_len = (size_t)n;
    }
    return parse_decoded(value, u, r);
}

/* The LoRaWAN side: port, counter and the radio as the network saw it. */
static int parse_lora(const json_t *lora, struct webhook_uplink *u, struct webhook_reason *r)
{
    const json_t *loc = NULL;
    const char *type = NULL;
    bool has_rssi;
    int rc;

    if (lora == NULL)
        return 0;
    has_rssi =
        json_object_get(lora, "rssi") != NULL && !json_is_null(json_object_get(lora, "rssi"));
    rc = webhook_json_u32(lora, LORA, "port", &u->f_port, r);
    if (rc == 0)
        rc = webhook_json_u32(lora, LORA, "fcnt", &u->f_cnt, r);
    if (rc == 0)
        rc = webhook_json_i32(lora, LORA, "rssi", &u->rssi, r);
    if (rc == 0)
        rc = webhook_json_double(lora, LORA, "snr", &u->snr, r);
    if (rc == 0)
        rc = webhook_json_u32(lora, LORA, "sf", &u->spreading_factor, r);
    if (rc == 0)
        rc = webhook_json_u32(lora, LORA, "gatewayCnt", &u->gateway_count, r);
    if (rc == 0)
        rc = webhook_json_string(lora, LORA, "messageType", false, &type, r);
    if (rc == 0)
        rc = webhook_json_object(lora, LORA, "location", false, &loc, r);
    if (rc < 0)
        return rc;
    /* A reception without a count was still one gateway's. */
    if (u->gateway_count == 0 && has_rssi)
        u->gateway_count = 1;
    u->has_radio = u->gateway_count > 0;
    return 0;
}

/* The network's reception time, else when Live Objects stored the message. */
static int parse_time(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    int64_t stamp = 0, created = 0;
    bool has_stamp, has_created;
    int rc = webhook_json_time(root, "", "timestamp", &stamp, &has_stamp, r);

    if (rc == 0)
        rc = webhook_json_time(root, "", "created", &created, &has_created, r);
    if (rc < 0)
        return rc;
    u->time_us = has_stamp ? stamp : has_created ? created : 0;
    return 0;
}

static int parse_id(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r)
{
    const char *id;
    int rc = webhook_json_string(root, "", "id", true, &id, r);

    if (rc < 0)
        return rc;
    /* Live Objects gives each stored message its id and keeps it when it retries a push. */
    if (!webhook_json_is_token(id, MESSAGE_ID_MAX))
        return webhook_json_fail(r, "", "id", "not 1 to 100 printable characters without spaces");
    snprintf(u->id, sizeof(u->id), "lo:%s", id);
    return 0;
}

int webhook_liveobjects_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                              size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected. */
    struct webhook_event ev;
    const json_t *lora = NULL;
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    memset(&ev, 0, sizeof(ev));
    rc = webhook_json_load(body, len, &root, &r);
    if (rc == 0)
        rc = find_lora(root, &lora, &r);
    if (rc == 0)
        rc = parse_id(root, &ev.up, &r);
    if (rc == 0)
        rc = parse_device(root, lora, &ev.up, &r);
    if (rc == 0)
        rc = parse_value(root, &ev.up, &r);
    if (rc == 0)
        rc = parse_lora(lora, &ev.up, &r);
    if (rc == 0)
        rc = parse_time(root, &ev.up, &r);
    if (rc < 0)
        goto out;
    ev.kind = WEBHOOK_UPLINK;
    snprintf(ev.up.network, sizeof(ev.up.network), "liveobjects");
    *out = ev;
out:
    json_decref(root);
    return rc;
}
