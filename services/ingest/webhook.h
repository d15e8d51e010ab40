/* webhook.h - network-server webhook bodies parsed into one uplink shape.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LoRaWAN's largest FRMPayload is 242 bytes; devices that post directly send more (a SenML pack,
 * resolved, is their payload). */
#define WEBHOOK_MAX_PAYLOAD 4096
/* The network server's own decoding of the payload, kept as compact JSON text. */
#define WEBHOOK_MAX_DECODED 8192

struct webhook_uplink {
    char id[160];         /* idempotency id: "cs:<deduplicationId>", "tts:<...>", ... */
    char network[16];     /* "chirpstack", "tts", "thingpark", "liveobjects", "senml" */
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

/* What a webhook body is about. */
enum webhook_kind {
    WEBHOOK_UPLINK = 1,      /* a frame from the device: mue.uplink.<network>.<dev_eui> */
    WEBHOOK_DEVICE_EVENT,    /* join, status, location, log: mue.device.<network>.<dev_eui> */
    WEBHOOK_DOWNLINK_STATUS, /* the network server's word on a downlink: mue.dlstatus.... */
};

/* Values are those of mue.v1.DeviceEventKind (proto/mue/v1/device_event.proto). */
enum webhook_device_event_kind {
    WEBHOOK_DEVICE_JOIN = 1,
    WEBHOOK_DEVICE_STATUS = 2,
    WEBHOOK_DEVICE_LOCATION = 3,
    WEBHOOK_DEVICE_LOG = 4,
};

struct webhook_device_event {
    enum webhook_device_event_kind kind;
    bool has_battery; /* false when absent or "batteryLevelUnavailable" */
    double battery_pct;
    bool external_power;
    bool has_margin;
    int32_t margin_db;
    char dev_addr[9]; /* JOIN: 8 lowercase hex digits, or "" */
    bool has_location;
    double latitude, longitude, altitude;
    char log_level[16]; /* LOG: INFO, WARNING, ERROR */
    char log_code[48];
    char log_description[256];
};

/* How many downlinks one event may report on beyond the first. */
#define WEBHOOK_DL_MORE_IDS 15

/* Values are those of mue.v1.DownlinkState (proto/mue/v1/downlink.proto). */
enum webhook_downlink_state {
    WEBHOOK_DL_QUEUED = 1,
    WEBHOOK_DL_SENT = 2,
    WEBHOOK_DL_ACKED = 3,
    WEBHOOK_DL_NACKED = 4,
    WEBHOOK_DL_FAILED = 5,
    WEBHOOK_DL_EXPIRED = 6,
};

struct webhook_downlink_status {
    enum webhook_downlink_state state;
    /* The mue DownlinkRequest id when the event carries it back (TTS correlation id
     * "mue:dl:<id>"), else "". */
    char downlink_id[128];
    /* The network server's id of the queued item when the event gives one (ChirpStack
     * queueItemId), else "": mue-ingest traces it back to downlink_id. */
    char network_ref[80];
    uint32_t f_cnt_down;
    char reason[256]; /* FAILED/NACKED/EXPIRED: the network server's words, else "" */
    char source[40];  /* the event, e.g. "chirpstack:txack", "tts:downlink_failed" */
    /* More mue downlinks in the same state, when one event speaks of several (TTS
     * downlink_queue_invalidated): each gets a status of its own. */
    char more_ids[WEBHOOK_DL_MORE_IDS][128];
    size_t n_more_ids;
};

/* One parsed webhook body. The identity (id, network, dev_eui, device_name, application, time_us)
 * is in 'up' whatever the kind; up's frame and radio fields only mean something for
 * WEBHOOK_UPLINK, 'dev' only for WEBHOOK_DEVICE_EVENT, 'dl' only for WEBHOOK_DOWNLINK_STATUS. */
struct webhook_event {
    enum webhook_kind kind;
    struct webhook_uplink up;
    struct webhook_device_event dev;
    struct webhook_downlink_status dl;
};

/* The correlation id mue puts on the downlinks it pushes to The Things Stack, which echoes it in
 * every downlink event: "mue:dl:<DownlinkRequest id>". */
#define WEBHOOK_TTS_CORRELATION_PREFIX "mue:dl:"

/* Every parser below parses 'len' bytes of 'body' (not NUL-terminated), fills *out only on
 * success, and returns 0, or MUE_EDECODE with a short reason in 'reason' (capacity 'reason_cap',
 * always NUL-terminated when cap > 0) naming the field at fault; MUE_ENOTSUP (reason set) for a
 * well-formed event type mue does not handle. Fields a network server omits when zero, false or
 * empty default to those values. */

/* ChirpStack v4 HTTP integration: 'event' is the ?event= value (up, join, status, ack, txack,
 * log, location); 'protobuf' says the body is the Protobuf marshaler's binary message rather
 * than JSON. */
int webhook_chirpstack_parse(const char *event, const char *body, size_t len, bool protobuf,
                             struct webhook_event *out, char *reason, size_t reason_cap);

/* The Things Stack v3 webhook, any message type: uplink_message, join_accept, downlink_queued,
 * downlink_sent, downlink_ack, downlink_nack, downlink_failed, downlink_queue_invalidated (a
 * session change dropped the queued downlinks: FAILED for each), recognised by its member. */
int webhook_tts_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                      size_t reason_cap);

/* Actility ThingPark {"DevEUI_uplink": {...}}; numbers may arrive as strings. Id
 * "tp:<deveui>:<FCntUp>:<Time>". */
int webhook_thingpark_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                            size_t reason_cap);

/* Orange Live Objects LoRa data message (model lora_v0). Id "lo:<message id>". */
int webhook_liveobjects_parse(const char *body, size_t len, struct webhook_event *out, char *reason,
                              size_t reason_cap);

/* A SenML JSON pack (RFC 8428) posted by the device 'dev_eui' itself (its bearer token said who
 * it is), received at 'now_us'. Base fields are applied and times resolved as the RFC says
 * (relative times count from now_us); the uplink's payload is the resolved pack as compact JSON,
 * an array of records in time order, each with "n", "t" (seconds since the epoch) and one of
 * "v", "vs", "vb", "vd" or "s", plus "u", "ut" and "bver" (when not 10) when known. Id
 * "senml:<dev_eui>:<earliest record time in µs>". */
int webhook_senml_parse(const char *body, size_t len, const char *dev_eui, int64_t now_us,
                        struct webhook_event *out, char *reason, size_t reason_cap);

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
