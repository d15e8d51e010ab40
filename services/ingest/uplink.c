/* uplink.c - webhook uplinks as mue.v1.Uplink protobuf messages.
 * SPDX-License-Identifier: MIT */
#include "mue/v1/uplink.pb-c.h"
#include "mue_mem.h"
#include "uplink.h"

uint8_t *uplink_pack(const struct webhook_uplink *u, int64_t ingested_at_us, size_t *len)
{
    Mue__V1__Uplink msg = MUE__V1__UPLINK__INIT;
    Mue__V1__Radio radio = MUE__V1__RADIO__INIT;
    uint8_t *buf;

    /* protobuf-c wants non-const strings; it only reads them while packing. */
    msg.id = (char *)u->id;
    msg.network = (char *)u->network;
    msg.dev_eui = (char *)u->dev_eui;
    msg.f_port = u->f_port;
    msg.f_cnt = u->f_cnt;
    msg.payload.data = (uint8_t *)u->payload;
    msg.payload.len = u->payload_len;
    msg.time_us = u->time_us;
    msg.ingested_at_us = ingested_at_us;
    msg.device_name = (char *)u->device_name;
    msg.application = (char *)u->application;
    msg.decoded_json = (char *)u->decoded_json;
    if (u->has_radio) {
        radio.rssi = u->rssi;
        radio.snr = u->snr;
        radio.dr = u->dr;
        radio.frequency = u->frequency;
        radio.spreading_factor = u->spreading_factor;
        radio.gateway_count = u->gateway_count;
        radio.gateway_id = (char *)u->gateway_id;
        msg.radio = &radio;
    }
    *len = mue__v1__uplink__get_packed_size(&msg);
    buf = mue_xmalloc(*len);
    mue__v1__uplink__pack(&msg, buf);
    return buf;
}
