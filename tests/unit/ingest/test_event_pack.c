/* test_event_pack.c - each kind of webhook event becomes its protobuf on its own subject.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "event_pack.h"
#include "mue/v1/device_event.pb-c.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue/v1/uplink.pb-c.h"
#include "mue_err.h"

static struct webhook_event *identity(enum webhook_kind kind, const char *id)
{
    struct webhook_event *ev = calloc(1, sizeof(*ev));
    ev->kind = kind;
    strcpy(ev->up.id, id);
    strcpy(ev->up.network, "chirpstack");
    strcpy(ev->up.dev_eui, "24e124710000a001");
    strcpy(ev->up.device_name, "pav-aix-001");
    ev->up.time_us = 1709631000000000LL;
    return ev;
}

static void test_uplink_goes_to_mue_uplink(void)
{
    struct webhook_event *ev = identity(WEBHOOK_UPLINK, "cs:abc");
    struct event_message m;
    Mue__V1__Uplink *up;

    ev->up.f_port = 85;
    ev->up.payload_len = 1;
    ev->up.payload[0] = 0x42;
    MUE_ASSERT_INT_EQ(event_pack(ev, 7, &m), 0);
    MUE_ASSERT_STR_EQ(m.subject, "mue.uplink.chirpstack.24e124710000a001");
    MUE_ASSERT_STR_EQ(m.msg_id, "cs:abc");
    up = mue__v1__uplink__unpack(NULL, m.len, m.data);
    MUE_ASSERT(up != NULL);
    MUE_ASSERT_UINT_EQ(up->f_port, 85);
    MUE_ASSERT_INT_EQ(up->ingested_at_us, 7);
    MUE_ASSERT_UINT_EQ(up->payload.len, 1);
    MUE_ASSERT_STR_EQ(event_kind_name(ev->kind), "uplink");
    mue__v1__uplink__free_unpacked(up, NULL);
    free(m.data);
    free(ev);
}

static void test_status_event_round_trips_battery_and_margin(void)
{
    struct webhook_event *ev = identity(WEBHOOK_DEVICE_EVENT, "cs:status:d1");
    struct event_message m;
    Mue__V1__DeviceEvent *d;

    ev->dev.kind = WEBHOOK_DEVICE_STATUS;
    ev->dev.has_battery = true;
    ev->dev.battery_pct = 87.5;
    ev->dev.has_margin = true;
    ev->dev.margin_db = -3;
    MUE_ASSERT_INT_EQ(event_pack(ev, 9, &m), 0);
    MUE_ASSERT_STR_EQ(m.subject, "mue.device.chirpstack.24e124710000a001");
    d = mue__v1__device_event__unpack(NULL, m.len, m.data);
    MUE_ASSERT(d != NULL);
    MUE_ASSERT_INT_EQ(d->kind, MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_STATUS);
    MUE_ASSERT(d->has_battery);
    MUE_ASSERT_DBL_NEAR(d->battery_pct, 87.5, 0);
    MUE_ASSERT(d->has_margin);
    MUE_ASSERT_INT_EQ(d->margin_db, -3);
    MUE_ASSERT_INT_EQ(d->time_us, 1709631000000000LL);
    MUE_ASSERT_INT_EQ(d->ingested_at_us, 9);
    MUE_ASSERT_STR_EQ(d->device_name, "pav-aix-001");
    MUE_ASSERT_STR_EQ(event_kind_name(ev->kind), "device_event");
    mue__v1__device_event__free_unpacked(d, NULL);
    free(m.data);
    free(ev);
}

static void test_downlink_status_keeps_its_references(void)
{
    struct webhook_event *ev = identity(WEBHOOK_DOWNLINK_STATUS, "cs:ack:q1");
    struct event_message m;
    Mue__V1__DownlinkStatus *s;

    ev->dl.state = WEBHOOK_DL_NACKED;
    strcpy(ev->dl.downlink_id, "lighting:42");
    strcpy(ev->dl.network_ref, "q1");
    strcpy(ev->dl.source, "chirpstack:ack");
    ev->dl.f_cnt_down = 12;
    MUE_ASSERT_INT_EQ(event_pack(ev, 9, &m), 0);
    MUE_ASSERT_STR_EQ(m.subject, "mue.dlstatus.chirpstack.24e124710000a001");
    MUE_ASSERT_STR_EQ(m.msg_id, "cs:ack:q1");
    s = mue__v1__downlink_status__unpack(NULL, m.len, m.data);
    MUE_ASSERT(s != NULL);
    MUE_ASSERT_INT_EQ(s->state, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_NACKED);
    MUE_ASSERT_STR_EQ(s->id, "lighting:42");
    MUE_ASSERT_STR_EQ(s->network_ref, "q1");
    MUE_ASSERT_STR_EQ(s->source, "chirpstack:ack");
    MUE_ASSERT_UINT_EQ(s->f_cnt_down, 12);
    MUE_ASSERT_STR_EQ(event_kind_name(ev->kind), "downlink_status");
    mue__v1__downlink_status__free_unpacked(s, NULL);
    free(m.data);
    free(ev);
}

/* The enums of webhook.h are the proto's values: event_pack casts one to the other. */
static void test_enums_match_the_protos(void)
{
    MUE_ASSERT_INT_EQ(WEBHOOK_DEVICE_JOIN, MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_JOIN);
    MUE_ASSERT_INT_EQ(WEBHOOK_DEVICE_STATUS, MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_STATUS);
    MUE_ASSERT_INT_EQ(WEBHOOK_DEVICE_LOCATION,
                      MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_LOCATION);
    MUE_ASSERT_INT_EQ(WEBHOOK_DEVICE_LOG, MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_LOG);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_QUEUED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_SENT, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_SENT);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_ACKED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_ACKED);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_NACKED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_NACKED);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_FAILED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED);
    MUE_ASSERT_INT_EQ(WEBHOOK_DL_EXPIRED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_EXPIRED);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_uplink_goes_to_mue_uplink),
        MUE_TEST(test_status_event_round_trips_battery_and_margin),
        MUE_TEST(test_downlink_status_keeps_its_references),
        MUE_TEST(test_enums_match_the_protos),
    };
    return mue_test_run("event_pack", tests);
}
