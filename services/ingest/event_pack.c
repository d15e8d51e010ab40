/* event_pack.c - device events and downlink statuses as protobuf (uplinks: uplink.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "event_pack.h"
#include "mue/v1/device_event.pb-c.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "uplink.h"

/* protobuf-c wants non-const strings; it only reads them while packing. */
#define RW(s) ((char *)(s))

static uint8_t *pack_device_event(const struct webhook_event *ev, int64_t now_us, size_t *len)
{
    const struct webhook_device_event *d = &ev->dev;
    Mue__V1__DeviceEvent m = MUE__V1__DEVICE_EVENT__INIT;
    uint8_t *buf;

    m.id = RW(ev->up.id);
    m.network = RW(ev->up.network);
    m.dev_eui = RW(ev->up.dev_eui);
    m.kind = (Mue__V1__DeviceEventKind)d->kind;
    m.time_us = ev->up.time_us;
    m.ingested_at_us = now_us;
    m.device_name = RW(ev->up.device_name);
    m.application = RW(ev->up.application);
    m.has_battery = d->has_battery;
    m.battery_pct = d->battery_pct;
    m.external_power = d->external_power;
    m.has_margin = d->has_margin;
    m.margin_db = d->margin_db;
    m.dev_addr = RW(d->dev_addr);
    m.has_location = d->has_location;
    m.latitude = d->latitude;
    m.longitude = d->longitude;
    m.altitude = d->altitude;
    m.log_level = RW(d->log_level);
    m.log_code = RW(d->log_code);
    m.log_description = RW(d->log_description);
    *len = mue__v1__device_event__get_packed_size(&m);
    buf = mue_xmalloc(*len > 0 ? *len : 1);
    mue__v1__device_event__pack(&m, buf);
    return buf;
}

static uint8_t *pack_downlink_status(const struct webhook_event *ev, size_t *len)
{
    const struct webhook_downlink_status *s = &ev->dl;
    Mue__V1__DownlinkStatus m = MUE__V1__DOWNLINK_STATUS__INIT;
    uint8_t *buf;

    m.id = RW(s->downlink_id);
    m.network = RW(ev->up.network);
    m.dev_eui = RW(ev->up.dev_eui);
    m.state = (Mue__V1__DownlinkState)s->state;
    m.time_us = ev->up.time_us;
    m.reason = RW(s->reason);
    m.f_cnt_down = s->f_cnt_down;
    m.network_ref = RW(s->network_ref);
    m.source = RW(s->source);
    *len = mue__v1__downlink_status__get_packed_size(&m);
    buf = mue_xmalloc(*len > 0 ? *len : 1);
    mue__v1__downlink_status__pack(&m, buf);
    return buf;
}

int event_pack(const struct webhook_event *ev, int64_t ingested_at_us, struct event_message *out)
{
    int n;

    /* Each format literal in its own call, so the compiler checks the arguments. */
    if (ev->kind == WEBHOOK_UPLINK)
        n = snprintf(out->subject, sizeof(out->subject), MUE_SUBJ_UPLINK_FMT, ev->up.network,
                     ev->up.dev_eui);
    else if (ev->kind == WEBHOOK_DEVICE_EVENT)
        n = snprintf(out->subject, sizeof(out->subject), MUE_SUBJ_DEVICE_FMT, ev->up.network,
                     ev->up.dev_eui);
    else
        n = snprintf(out->subject, sizeof(out->subject), MUE_SUBJ_DLSTATUS_FMT, ev->up.network,
                     ev->up.dev_eui);
    if (n < 0 || (size_t)n >= sizeof(out->subject))
        return MUE_E2BIG;
    out->msg_id = ev->up.id;
    if (ev->kind == WEBHOOK_UPLINK)
        out->data = uplink_pack(&ev->up, ingested_at_us, &out->len);
    else if (ev->kind == WEBHOOK_DEVICE_EVENT)
        out->data = pack_device_event(ev, ingested_at_us, &out->len);
    else
        out->data = pack_downlink_status(ev, &out->len);
    return 0;
}

const char *event_kind_name(enum webhook_kind kind)
{
    return kind == WEBHOOK_UPLINK         ? "uplink"
           : kind == WEBHOOK_DEVICE_EVENT ? "device_event"
                                          : "downlink_status";
}
