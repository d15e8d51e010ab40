/* downlink_request.c - mue.v1.DownlinkRequest unpacked and checked before anything is sent.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "downlink.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "webhook_json.h"

static int refuse(char *reason, size_t cap, const char *field, const char *what)
{
    if (cap > 0)
        snprintf(reason, cap, "%s: %s", field, what);
    return MUE_EDECODE;
}

static bool is_network(const char *s)
{
    size_t n = 0;

    for (; s[n] != '\0'; n++)
        if (n >= 15 || !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
                         s[n] == '-' || s[n] == '_'))
            return false;
    return n > 0;
}

static bool copy_eui(const char *s, char out[17])
{
    for (size_t i = 0; i < 16; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        out[i] = c;
    }
    if (s[16] != '\0')
        return false;
    out[16] = '\0';
    return true;
}

bool downlink_is_tts_id(const char *s)
{
    size_t n = 0;

    for (; s[n] != '\0'; n++) {
        bool alnum = (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9');
        if (n >= 36)
            return false;
        /* A dash only between two letters or digits. */
        if (!alnum && !(s[n] == '-' && n > 0 && s[n - 1] != '-' && s[n + 1] != '\0'))
            return false;
    }
    return n >= 2;
}

/* Copies an optional TTS id: "" stays "", anything else must be a TTS id. */
static int copy_tts_id(const char *s, char *out, size_t cap, const char *field, char *reason,
                       size_t reason_cap)
{
    if (s == NULL || s[0] == '\0') {
        out[0] = '\0';
        return MUE_OK;
    }
    if (!downlink_is_tts_id(s) || strlen(s) >= cap)
        return refuse(reason, reason_cap, field,
                      "not a The Things Stack id (2..36 of a-z, 0-9 and inner dashes)");
    memcpy(out, s, strlen(s) + 1);
    return MUE_OK;
}

static int check(const Mue__V1__DownlinkRequest *m, struct downlink_request *rq, char *reason,
                 size_t cap)
{
    if (m->id == NULL || !webhook_json_is_token(m->id, DOWNLINK_MAX_ID))
        return refuse(reason, cap, "id", "not 1..92 printable characters without spaces");
    memcpy(rq->id, m->id, strlen(m->id) + 1);
    if (m->network == NULL || !is_network(m->network))
        return refuse(reason, cap, "network", "not a lowercase network name");
    memcpy(rq->network, m->network, strlen(m->network) + 1);
    if (m->dev_eui == NULL || !copy_eui(m->dev_eui, rq->dev_eui)) {
        rq->dev_eui[0] = '\0';
        return refuse(reason, cap, "dev_eui", "not 16 hex digits");
    }
    if (m->f_port < 1 || m->f_port > 223)
        return refuse(reason, cap, "f_port", "not in 1..223");
    rq->f_port = m->f_port;
    if (m->payload.len > DOWNLINK_MAX_PAYLOAD)
        return refuse(reason, cap, "payload", "longer than 242 bytes");
    if (m->payload.len > 0)
        memcpy(rq->payload, m->payload.data, m->payload.len);
    rq->payload_len = m->payload.len;
    if (m->expires_at_us < 0)
        return refuse(reason, cap, "expires_at_us", "negative");
    rq->expires_at_us = m->expires_at_us;
    rq->requested_at_us = m->requested_at_us;
    rq->confirmed = m->confirmed != 0;
    if (m->origin != NULL && m->origin[0] != '\0') {
        if (!webhook_json_is_token(m->origin, sizeof(rq->origin) - 1))
            return refuse(reason, cap, "origin", "not 1..31 printable characters without spaces");
        memcpy(rq->origin, m->origin, strlen(m->origin) + 1);
    }
    if (copy_tts_id(m->application_id, rq->application_id, sizeof(rq->application_id),
                    "application_id", reason, cap) < 0 ||
        copy_tts_id(m->device_id, rq->device_id, sizeof(rq->device_id), "device_id", reason, cap) <
            0)
        return MUE_EDECODE;
    return MUE_OK;
}

int downlink_request_decode(const void *data, size_t len, struct downlink_request *out,
                            char *reason, size_t cap)
{
    Mue__V1__DownlinkRequest *m;
    int rc;

    memset(out, 0, sizeof(*out));
    m = mue__v1__downlink_request__unpack(NULL, len, data);
    if (m == NULL)
        return refuse(reason, cap, "message", "not a mue.v1.DownlinkRequest");
    rc = check(m, out, reason, cap);
    mue__v1__downlink_request__free_unpacked(m, NULL);
    return rc;
}

uint8_t *downlink_request_encode(const struct downlink_request *rq, size_t *len)
{
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;
    uint8_t *buf;

    /* protobuf-c wants non-const strings; it only reads them when packing. */
    m.id = (char *)rq->id;
    m.network = (char *)rq->network;
    m.dev_eui = (char *)rq->dev_eui;
    m.f_port = rq->f_port;
    m.payload.data = (uint8_t *)rq->payload;
    m.payload.len = rq->payload_len;
    m.confirmed = rq->confirmed;
    m.requested_at_us = rq->requested_at_us;
    m.origin = (char *)rq->origin;
    m.expires_at_us = rq->expires_at_us;
    m.application_id = (char *)rq->application_id;
    m.device_id = (char *)rq->device_id;
    *len = mue__v1__downlink_request__get_packed_size(&m);
    buf = mue_xmalloc(*len > 0 ? *len : 1);
    mue__v1__downlink_request__pack(&m, buf);
    return buf;
}
