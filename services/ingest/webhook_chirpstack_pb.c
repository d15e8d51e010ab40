/* webhook_chirpstack_pb.c - ChirpStack v4 events from the HTTP integration's Protobuf marshaler
 * (proto/chirpstack/integration.proto) into a webhook_event. SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "chirpstack/integration.pb-c.h"
#include "mue_err.h"
#include "webhook_chirpstack.h"

/* RFC 3339's years 0001 to 9999, the range google.protobuf.Timestamp allows. */
#define TS_MIN_SECONDS INT64_C(-62135596800)
#define TS_MAX_SECONDS INT64_C(253402300799)

/* proto3 writes no empty string: "" is what an absent one unpacks to. */
static const char *given(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static int map_time(const Chirpstack__Integration__Timestamp *t, const char *where, const char *key,
                    int64_t *out_us, bool *found, struct webhook_reason *r)
{
    *found = t != NULL;
    if (t == NULL)
        return 0;
    if (t->seconds < TS_MIN_SECONDS || t->seconds > TS_MAX_SECONDS || t->nanos < 0 ||
        t->nanos > 999999999)
        return webhook_json_fail(r, where, key, "out of range");
    *out_us = t->seconds * 1000000 + t->nanos / 1000;
    return 0;
}

static int map_identity(const Chirpstack__Integration__DeviceInfo *dev,
                        const Chirpstack__Integration__Timestamp *time, struct webhook_uplink *u,
                        bool *has_time, struct webhook_reason *r)
{
    int rc;

    if (dev == NULL)
        return webhook_json_fail(r, "", "deviceInfo", "missing");
    rc = chirpstack_map_identity(u, given(dev->dev_eui), given(dev->device_name),
                                 given(dev->application_name), r);
    if (rc == 0)
        rc = map_time(time, "", "time", &u->time_us, has_time, r);
    return rc;
}

static int map_up(const Chirpstack__Integration__UplinkEvent *m, struct webhook_uplink *u,
                  struct webhook_reason *r)
{
    bool has_time, found = false;
    char what[48];
    int rc;

    rc = chirpstack_map_dedup_id(u, "cs:", given(m->deduplication_id), r);
    if (rc == 0)
        rc = map_identity(m->device_info, m->time, u, &has_time, r);
    if (rc < 0)
        return rc;
    u->f_cnt = m->f_cnt;
    u->f_port = m->f_port;
    u->dr = m->dr;
    if (m->data.len > sizeof(u->payload)) {
        snprintf(what, sizeof(what), "payload larger than %zu bytes", sizeof(u->payload));
        return webhook_json_fail(r, "", "data", what);
    }
    if (m->data.len > 0)
        memcpy(u->payload, m->data.data, m->data.len);
    u->payload_len = m->data.len;
    if (m->object != NULL) {
        rc = chirpstack_pb_struct_text(m->object, u->decoded_json, sizeof(u->decoded_json), r);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < m->n_rx_info; i++) {
        const Chirpstack__Integration__UplinkRxInfo *g = m->rx_info[i];
        rc = chirpstack_map_gateway(u, i, g->rssi, (double)g->snr, given(g->gateway_id), r);
        if (rc < 0)
            return rc;
    }
    u->has_radio = m->n_rx_info > 0;
    u->gateway_count = m->n_rx_info > UINT32_MAX ? UINT32_MAX : (uint32_t)m->n_rx_info;
    if (m->tx_info != NULL) {
        const Chirpstack__Integration__Modulation *mod = m->tx_info->modulation;
        u->frequency = m->tx_info->frequency;
        /* FSK and LR-FHSS uplinks have no spreading factor: it stays 0. */
        if (mod != NULL &&
            mod->parameters_case == CHIRPSTACK__INTEGRATION__MODULATION__PARAMETERS_LORA)
            u->spreading_factor = mod->lora->spreading_factor;
    }
    /* Without the event's own time, the first gateway's: the network server's, else its own. */
    if (!has_time && m->n_rx_info > 0) {
        rc = map_time(m->rx_info[0]->ns_time, "rxInfo[0]", "nsTime", &u->time_us, &found, r);
        if (rc == 0 && !found)
            rc = map_time(m->rx_info[0]->gw_time, "rxInfo[0]", "gwTime", &u->time_us, &found, r);
    }
    return rc;
}

static int map_log(const Chirpstack__Integration__LogEvent *m, struct webhook_event *e,
                   struct webhook_reason *r)
{
    char level_buf[12], code_buf[12];
    const char *queue_item = NULL;
    bool has_time;
    int rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);

    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n_context; i++) {
        if (strcmp(m->context[i]->key, "queue_item_id") != 0)
            continue;
        /* As in JSON bodies: two readers of one map must not see two different values. */
        if (queue_item != NULL)
            return webhook_json_fail(r, "context", "queue_item_id", "given twice");
        queue_item = m->context[i]->value;
    }
    return chirpstack_map_log(
        e, chirpstack_log_level_name((int32_t)m->level, level_buf, sizeof(level_buf)),
        chirpstack_log_code_name((int32_t)m->code, code_buf, sizeof(code_buf)),
        given(m->description), queue_item, r);
}

/* Unpacks 'len' bytes as 'desc' and maps them into *e. */
static int parse_message(enum chirpstack_event ev, const ProtobufCMessageDescriptor *desc,
                         const uint8_t *body, size_t len, struct webhook_event *e,
                         struct webhook_reason *r)
{
    ProtobufCMessage *msg = protobuf_c_message_unpack(desc, NULL, len, body);
    bool has_time;
    char what[64];
    int rc = 0;

    if (msg == NULL) {
        snprintf(what, sizeof(what), "not a Protobuf %s", desc->short_name);
        return webhook_json_fail(r, NULL, NULL, what);
    }
    switch (ev) {
    case CHIRPSTACK_EVENT_UP: {
        const Chirpstack__Integration__UplinkEvent *m = (const void *)msg;
        rc = map_up(m, &e->up, r);
        e->kind = WEBHOOK_UPLINK;
        break;
    }
    case CHIRPSTACK_EVENT_JOIN: {
        const Chirpstack__Integration__JoinEvent *m = (const void *)msg;
        rc = chirpstack_map_dedup_id(&e->up, "cs:join:", given(m->deduplication_id), r);
        if (rc == 0)
            rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);
        if (rc == 0)
            rc = chirpstack_map_join(e, given(m->deduplication_id), given(m->dev_addr), r);
        break;
    }
    case CHIRPSTACK_EVENT_STATUS: {
        const Chirpstack__Integration__StatusEvent *m = (const void *)msg;
        rc = chirpstack_map_dedup_id(&e->up, "cs:status:", given(m->deduplication_id), r);
        if (rc == 0)
            rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);
        if (rc == 0)
            rc = chirpstack_map_status(e, given(m->deduplication_id), m->margin,
                                       m->external_power_source, m->battery_level_unavailable,
                                       (double)m->battery_level, r);
        break;
    }
    case CHIRPSTACK_EVENT_LOCATION: {
        const Chirpstack__Integration__LocationEvent *m = (const void *)msg;
        const Chirpstack__Integration__Location *loc = m->location;
        rc = chirpstack_map_dedup_id(&e->up, "cs:location:", given(m->deduplication_id), r);
        if (rc == 0)
            rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);
        if (rc == 0)
            rc = chirpstack_map_location(
                e, given(m->deduplication_id), loc != NULL, loc != NULL ? loc->latitude : 0,
                loc != NULL ? loc->longitude : 0, loc != NULL ? loc->altitude : 0, r);
        break;
    }
    case CHIRPSTACK_EVENT_ACK: {
        const Chirpstack__Integration__AckEvent *m = (const void *)msg;
        rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);
        if (rc == 0)
            rc = chirpstack_map_ack(e, given(m->queue_item_id), m->acknowledged, m->f_cnt_down, r);
        break;
    }
    case CHIRPSTACK_EVENT_TXACK: {
        const Chirpstack__Integration__TxAckEvent *m = (const void *)msg;
        rc = map_identity(m->device_info, m->time, &e->up, &has_time, r);
        if (rc == 0)
            rc = chirpstack_map_txack(e, m->downlink_id, given(m->queue_item_id), m->f_cnt_down, r);
        break;
    }
    case CHIRPSTACK_EVENT_LOG:
        rc = map_log((const void *)msg, e, r);
        break;
    }
    protobuf_c_message_free_unpacked(msg, NULL);
    return rc;
}

int chirpstack_pb_parse(enum chirpstack_event ev, const uint8_t *body, size_t len,
                        struct webhook_event *e, struct webhook_reason *r)
{
    static const uint8_t empty[1];
    const ProtobufCMessageDescriptor *desc = NULL;
    int rc;

    if (body == NULL)
        body = empty;
    switch (ev) {
    case CHIRPSTACK_EVENT_UP:
        /* The unpacker recurses into the codec's object without a limit: bound it first. */
        rc = chirpstack_pb_check_object_depth(body, len, r);
        if (rc < 0)
            return rc;
        desc = &chirpstack__integration__uplink_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_JOIN:
        desc = &chirpstack__integration__join_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_STATUS:
        desc = &chirpstack__integration__status_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_LOCATION:
        desc = &chirpstack__integration__location_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_ACK:
        desc = &chirpstack__integration__ack_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_TXACK:
        desc = &chirpstack__integration__tx_ack_event__descriptor;
        break;
    case CHIRPSTACK_EVENT_LOG:
        desc = &chirpstack__integration__log_event__descriptor;
        break;
    }
    return parse_message(ev, desc, body, len, e, r);
}
