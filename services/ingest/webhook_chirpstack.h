/* webhook_chirpstack.h - what the ChirpStack JSON and Protobuf readers share (ingest-internal):
 * the event types, and the rules that turn an event's values into a webhook_event whichever
 * marshaler carried them. SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_CHIRPSTACK_H
#define WEBHOOK_CHIRPSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "webhook.h"
#include "webhook_json.h"

/* The ?event= values mue handles. */
enum chirpstack_event {
    CHIRPSTACK_EVENT_UP,
    CHIRPSTACK_EVENT_JOIN,
    CHIRPSTACK_EVENT_STATUS,
    CHIRPSTACK_EVENT_ACK,
    CHIRPSTACK_EVENT_TXACK,
    CHIRPSTACK_EVENT_LOG,
    CHIRPSTACK_EVENT_LOCATION,
};

/* Longest deduplication or queue-item id taken: a UUID is 36 characters; the margin tolerates
 * other id schemes without unbounded ids. */
#define CHIRPSTACK_ID_MAX 64

/* Readers. Each fills the event-specific parts of *e (zeroed by the caller) and the identity in
 * e->up except 'network'; reasons name fields by their JSON names whatever the marshaler. */

/* webhook_chirpstack_up.c: an "up" event, JSON marshaler. */
int chirpstack_json_parse_up(const json_t *root, struct webhook_event *e, struct webhook_reason *r);

/* webhook_chirpstack_events.c: the identity every JSON event carries (deviceInfo, time; *has_time
 * says whether "time" was given) ... */
int chirpstack_json_identity(const json_t *root, struct webhook_uplink *u, bool *has_time,
                             struct webhook_reason *r);
/* ... and any event, JSON marshaler. */
int chirpstack_json_parse_event(enum chirpstack_event ev, const json_t *root,
                                struct webhook_event *e, struct webhook_reason *r);

/* webhook_chirpstack_pb.c: any event, Protobuf marshaler ('len' bytes of 'body'). */
int chirpstack_pb_parse(enum chirpstack_event ev, const uint8_t *body, size_t len,
                        struct webhook_event *e, struct webhook_reason *r);

/* webhook_chirpstack_pbstruct.c: the codec's "object" (a google.protobuf.Struct). */
struct Chirpstack__Integration__Struct;
/* Checks, before the message is unpacked, that every "object" (field 11) of the UplinkEvent in
 * 'len' bytes of 'body' nests Structs and lists no deeper than the JSON marshaler allows: the
 * unpacker recurses without a limit. Framing the scan cannot follow (truncated, groups) is
 * refused as well, so that no byte reaches the unpacker unseen. */
int chirpstack_pb_check_object_depth(const uint8_t *body, size_t len, struct webhook_reason *r);
/* Writes 's' as compact JSON text into out (capacity cap), keys in the order given. */
int chirpstack_pb_struct_text(const struct Chirpstack__Integration__Struct *s, char *out,
                              size_t cap, struct webhook_reason *r);

/* Mapping rules (webhook_chirpstack_map.c), fed with plain values by both readers. Strings are
 * borrowed NUL-terminated text, NULL when absent (the Protobuf reader passes NULL for "", as
 * proto3 cannot tell them apart). Each returns 0 or MUE_EDECODE with the field named. */

/* The identity: 'dev_eui' must be 16 hex digits (stored lowercase); names, valid UTF-8, are cut
 * to fit. */
int chirpstack_map_identity(struct webhook_uplink *u, const char *dev_eui, const char *device_name,
                            const char *application_name, struct webhook_reason *r);

/* up.id = prefix + deduplicationId, which must be a token of at most CHIRPSTACK_ID_MAX characters.
 */
int chirpstack_map_dedup_id(struct webhook_uplink *u, const char *prefix, const char *dedup_id,
                            struct webhook_reason *r);

/* The strongest gateway so far: gateway 'index' replaces the kept one when its RSSI (then SNR)
 * is better, or when it is the first. 'gateway_id' may be NULL. */
int chirpstack_map_gateway(struct webhook_uplink *u, size_t index, int32_t rssi, double snr,
                           const char *gateway_id, struct webhook_reason *r);

int chirpstack_map_join(struct webhook_event *e, const char *dedup_id, const char *dev_addr,
                        struct webhook_reason *r);
int chirpstack_map_status(struct webhook_event *e, const char *dedup_id, int32_t margin,
                          bool external_power, bool battery_unavailable, double battery_level,
                          struct webhook_reason *r);
/* 'has_location' is false when the event carried no location object. */
int chirpstack_map_location(struct webhook_event *e, const char *dedup_id, bool has_location,
                            double latitude, double longitude, double altitude,
                            struct webhook_reason *r);
int chirpstack_map_ack(struct webhook_event *e, const char *queue_item_id, bool acknowledged,
                       uint32_t f_cnt_down, struct webhook_reason *r);
int chirpstack_map_txack(struct webhook_event *e, uint32_t downlink_id, const char *queue_item_id,
                         uint32_t f_cnt_down, struct webhook_reason *r);
/* 'level' and 'code' are the enum names (INFO..., UPLINK_CODEC...); a downlink code makes the
 * event a WEBHOOK_DOWNLINK_STATUS, tied to 'queue_item_id' (the context's, may be NULL). Needs
 * e->up.time_us and dev_eui set: they make the id. */
int chirpstack_map_log(struct webhook_event *e, const char *level, const char *code,
                       const char *description, const char *queue_item_id,
                       struct webhook_reason *r);

/* The names of the LogLevel and LogCode enum values. An unknown number gives its decimal digits
 * in buf (cap >= 12), as a newer ChirpStack may add codes. */
const char *chirpstack_log_level_name(int32_t level, char *buf, size_t cap);
const char *chirpstack_log_code_name(int32_t code, char *buf, size_t cap);

/* True when 's' is valid UTF-8 (the Protobuf decoder does not check). */
bool chirpstack_is_utf8(const char *s);

#endif
