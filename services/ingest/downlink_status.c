/* downlink_status.c - the forwarder's word on each downlink: mue.v1.DownlinkStatus messages.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "downlink.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"

const char *downlink_state_name(enum downlink_state s)
{
    switch (s) {
    case DOWNLINK_QUEUED:
        return "QUEUED";
    case DOWNLINK_FAILED:
        return "FAILED";
    case DOWNLINK_EXPIRED:
        return "EXPIRED";
    case DOWNLINK_RETRYING:
        return "RETRYING";
    }
    return "UNSPECIFIED";
}

int downlink_status_subject(const struct downlink_status *st, char *out, size_t cap)
{
    int n = snprintf(out, cap, MUE_SUBJ_DLSTATUS_FMT, st->network, st->dev_eui);
    return n < 0 || (size_t)n >= cap ? MUE_E2BIG : MUE_OK;
}

int downlink_status_msg_id(const struct downlink_status *st, char *out, size_t cap)
{
    /* One id per step: a redelivered request that reaches the same step again (the forwarder
     * stopped before its ack) publishes a duplicate that JetStream drops. */
    int n = snprintf(out, cap, "%s:%s:%u", st->id, downlink_state_name(st->state), st->attempt);
    return n < 0 || (size_t)n >= cap ? MUE_E2BIG : MUE_OK;
}

uint8_t *downlink_status_pack(const struct downlink_status *st, size_t *len)
{
    Mue__V1__DownlinkStatus m = MUE__V1__DOWNLINK_STATUS__INIT;
    uint8_t *buf;

    /* protobuf-c wants non-const strings; it only reads them when packing. */
    m.id = (char *)st->id;
    m.network = (char *)st->network;
    m.dev_eui = (char *)st->dev_eui;
    m.state = (Mue__V1__DownlinkState)st->state;
    m.time_us = st->time_us;
    if (st->reason != NULL)
        m.reason = (char *)st->reason;
    if (st->network_ref != NULL)
        m.network_ref = (char *)st->network_ref;
    m.attempt = st->attempt;
    m.source = (char *)"forwarder";
    *len = mue__v1__downlink_status__get_packed_size(&m);
    buf = mue_xmalloc(*len > 0 ? *len : 1);
    mue__v1__downlink_status__pack(&m, buf);
    return buf;
}
