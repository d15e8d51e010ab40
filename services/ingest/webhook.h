/* webhook.h - network-server webhook bodies parsed into one uplink shape.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LoRaWAN's largest FRMPayload is 242 bytes; direct devices may send more. */
#define WEBHOOK_MAX_PAYLOAD 1024
/* The network server's own decoding of the payload, kept as compact JSON text. */
#define WEBHOOK_MAX_DECODED 8192

struct webhook_uplink {
    char id[160];         /* idempotency id: "cs:<deduplicationId>" or "tts:<...>" */
    char network[16];     /* "chirpstack" or "tts" */
    char dev_eui[17];     /* 16 lowercase hex digits */
    char device_name[96]; /* informative, may be empty */
    char application[96]; /* informative, may be empty */
    uint32_t f_port;
    uint32_t f_cnt;
    uint8_t payload[WEBHOOK_MAX_PAYLOAD];
    size_t payload_len;
    int64_t time_us; /* network-server reception time, µs since the epoch; 0 = not given */
    bool has_radio;
    int32_t rssi; /* best gateway's */
    double snr;
    uint32_t dr;
    uint64_t frequency;
    uint32_t spreading_factor;
    uint32_t gateway_count;
    char gateway_id[40];
    char decoded_json[WEBHOOK_MAX_DECODED]; /* ChirpStack "object" / TTS "decoded_payload", or "" */
};

/* Parses a ChirpStack v4 HTTP-integration "up" event (JSON marshaler). Fields ChirpStack omits
 * when zero/false (fCnt, fPort, ...) default to 0; the codec's "object", when present, is kept as
 * JSON text. Returns 0 and fills *out, or MUE_EDECODE with a
 * short reason in 'reason' (cap 'reason_cap') naming the field at fault. */
int webhook_chirpstack_parse_up(const char *body, size_t len, struct webhook_uplink *out,
                                char *reason, size_t reason_cap);

/* Parses a The Things Stack v3 uplink webhook (JSON: end_device_ids, correlation_ids,
 * uplink_message{f_port, f_cnt, frm_payload, decoded_payload, rx_metadata, settings, received_at}).
 * Omitted fields default to 0/empty. The id is "tts:<dev_eui>:<f_cnt>:" followed by the "as:up:"
 * correlation id (else received_at); with neither the uplink cannot be identified and is refused.
 * Returns 0, or MUE_EDECODE with a reason as above. */
int webhook_tts_parse_uplink(const char *body, size_t len, struct webhook_uplink *out, char *reason,
                             size_t reason_cap);

#endif
