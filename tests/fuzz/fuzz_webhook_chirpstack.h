/* fuzz_webhook_chirpstack.h - what the ChirpStack fuzz targets (JSON and Protobuf marshalers)
 * share: the event chosen by the input's first byte, and the checks every parsed event must
 * pass. Included by one fuzz target each, hence static. SPDX-License-Identifier: MIT */
#ifndef FUZZ_WEBHOOK_CHIRPSTACK_H
#define FUZZ_WEBHOOK_CHIRPSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_text.h"
#include "mue_err.h"
#include "webhook.h"

/* The first input byte picks the ?event= value (modulo 8: seeds start with '0'..'7'); the rest
 * is the body. "integration" is one ChirpStack sends and mue does not handle. */
static const char *const fuzz_cs_events[8] = { "up",    "join", "status",   "ack",
                                               "txack", "log",  "location", "integration" };

/* The codec's object, when there is one, is a JSON object's compact text. */
static bool fuzz_cs_is_object_text(const char *s, size_t cap)
{
    json_t *o;
    bool ok;

    if (memchr(s, '\0', cap) == NULL)
        return false;
    if (s[0] == '\0')
        return true;
    o = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
    ok = json_is_object(o);
    json_decref(o);
    return ok;
}

static void fuzz_cs_check_downlink(const struct webhook_downlink_status *dl, const char *source)
{
    if (strcmp(dl->source, source) != 0 || dl->downlink_id[0] != '\0')
        abort();
    if (dl->network_ref[0] != '\0' && !is_token(dl->network_ref, sizeof(dl->network_ref)))
        abort();
    if (!is_text(dl->reason, sizeof(dl->reason)))
        abort();
}

/* What every consumer of a parsed event relies on; abort() makes libFuzzer keep the input.
 * 'ev_index' is the event the body was posted as. */
static void fuzz_cs_check_event(const struct webhook_event *ev, unsigned ev_index)
{
    const struct webhook_uplink *u = &ev->up;
    const struct webhook_device_event *d = &ev->dev;
    static const char *const prefixes[7] = { "cs:",       "cs:join:", "cs:status:",  "cs:ack:",
                                             "cs:txack:", "cs:log:",  "cs:location:" };

    if (ev_index >= 7 || !is_token(u->id, sizeof(u->id)))
        abort();
    if (strncmp(u->id, prefixes[ev_index], strlen(prefixes[ev_index])) != 0 ||
        u->id[strlen(prefixes[ev_index])] == '\0')
        abort();
    if (strcmp(u->network, "chirpstack") != 0 || !is_lower_hex(u->dev_eui, 16))
        abort();
    if (!is_text(u->device_name, sizeof(u->device_name)) ||
        !is_text(u->application, sizeof(u->application)))
        abort();
    switch (ev_index) {
    case 0:
        if (ev->kind != WEBHOOK_UPLINK || u->payload_len > WEBHOOK_MAX_PAYLOAD)
            abort();
        if (!is_text(u->gateway_id, sizeof(u->gateway_id)) ||
            u->has_radio != (u->gateway_count > 0) || u->snr != u->snr)
            abort();
        if (!fuzz_cs_is_object_text(u->decoded_json, sizeof(u->decoded_json)))
            abort();
        break;
    case 1:
        if (ev->kind != WEBHOOK_DEVICE_EVENT || d->kind != WEBHOOK_DEVICE_JOIN)
            abort();
        if (d->dev_addr[0] != '\0' && !is_lower_hex(d->dev_addr, 8))
            abort();
        break;
    case 2:
        if (ev->kind != WEBHOOK_DEVICE_EVENT || d->kind != WEBHOOK_DEVICE_STATUS || !d->has_margin)
            abort();
        if (d->margin_db < -32 || d->margin_db > 31 || !(d->battery_pct >= 0) ||
            d->battery_pct > 100 || (d->has_battery && d->external_power))
            abort();
        break;
    case 3:
        if (ev->kind != WEBHOOK_DOWNLINK_STATUS ||
            (ev->dl.state != WEBHOOK_DL_ACKED && ev->dl.state != WEBHOOK_DL_NACKED))
            abort();
        if (ev->dl.network_ref[0] == '\0' || strcmp(u->id + 7, ev->dl.network_ref) != 0)
            abort();
        fuzz_cs_check_downlink(&ev->dl, "chirpstack:ack");
        break;
    case 4:
        if (ev->kind != WEBHOOK_DOWNLINK_STATUS || ev->dl.state != WEBHOOK_DL_SENT ||
            ev->dl.network_ref[0] == '\0')
            abort();
        fuzz_cs_check_downlink(&ev->dl, "chirpstack:txack");
        break;
    case 5:
        /* The device and the time are in every log id. */
        if (strncmp(u->id + 7, u->dev_eui, 16) != 0 || u->time_us == 0)
            abort();
        if (ev->kind == WEBHOOK_DOWNLINK_STATUS) {
            if (ev->dl.state != WEBHOOK_DL_FAILED && ev->dl.state != WEBHOOK_DL_EXPIRED)
                abort();
            fuzz_cs_check_downlink(&ev->dl, "chirpstack:log");
        } else if (ev->kind != WEBHOOK_DEVICE_EVENT || d->kind != WEBHOOK_DEVICE_LOG ||
                   !is_token(d->log_level, sizeof(d->log_level)) ||
                   !is_token(d->log_code, sizeof(d->log_code)) ||
                   !is_text(d->log_description, sizeof(d->log_description))) {
            abort();
        }
        break;
    case 6:
        if (ev->kind != WEBHOOK_DEVICE_EVENT || d->kind != WEBHOOK_DEVICE_LOCATION)
            abort();
        if (!(d->latitude >= -90 && d->latitude <= 90) ||
            !(d->longitude >= -180 && d->longitude <= 180) || d->altitude != d->altitude)
            abort();
        break;
    default:
        abort();
    }
}

/* Parses the input as the event its first byte names, checks the verdict and the event, and
 * that the verdict does not depend on the reason buffer. */
static void fuzz_cs_run(const uint8_t *data, size_t size, bool protobuf)
{
    struct webhook_event ev, again;
    unsigned ev_index;
    char reason[96], tiny[1];
    char *body;
    int rc, rc2;

    if (size == 0)
        return;
    ev_index = data[0] % 8u;
    size--;
    /* A heap copy of exactly 'size' bytes, so ASan catches any read past the body's end. */
    body = malloc(size > 0 ? size : 1);
    if (body == NULL)
        return;
    memcpy(body, data + 1, size);
    rc = webhook_chirpstack_parse(fuzz_cs_events[ev_index], body, size, protobuf, &ev, reason,
                                  sizeof(reason));
    if (rc == 0)
        fuzz_cs_check_event(&ev, ev_index);
    else if ((rc != MUE_EDECODE && rc != MUE_ENOTSUP) || reason[0] == '\0' ||
             !is_text(reason, sizeof(reason)))
        abort();
    /* Only the event name decides "not handled". */
    if ((rc == MUE_ENOTSUP) != (ev_index == 7))
        abort();
    tiny[0] = 'x';
    rc2 = webhook_chirpstack_parse(fuzz_cs_events[ev_index], body, size, protobuf, &again, tiny,
                                   sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 && strcmp(ev.up.id, again.up.id) != 0)
        abort();
    /* The "up"-only entry point agrees with the dispatcher on JSON uplinks. */
    if (!protobuf && ev_index == 0) {
        struct webhook_uplink u;
        rc2 = webhook_chirpstack_parse_up(body, size, &u, NULL, 0);
        if (rc2 != rc || (rc == 0 && strcmp(u.id, ev.up.id) != 0))
            abort();
    }
    free(body);
}

#endif
