/* downlink.h - downlinks out, the parts without I/O: requests checked, the network servers' API
 * calls built and their answers read, the retry rule, status messages.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_H
#define DOWNLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LoRaWAN's largest FRMPayload (EU868, DR5 and up). */
#define DOWNLINK_MAX_PAYLOAD 242
/* Request ids go into Nats-Msg-Id headers, logs and The Things Stack's correlation ids
 * ("mue:dl:<id>", kept under 100 characters). */
#define DOWNLINK_MAX_ID 92
/* The longest pause between two attempts. */
#define DOWNLINK_BACKOFF_CAP_MS 60000L

/* The forwarder's settings (mue-ingest's MUE_CHIRPSTACK_*, MUE_TTS_*, MUE_DOWNLINK_*). A NULL API
 * URL means that network is not configured: its downlinks fail with a reason. */
struct downlink_config {
    const char *chirpstack_api_url;   /* base URL of ChirpStack's REST API */
    const char *chirpstack_api_token; /* sent as "Authorization: Bearer <token>" */
    const char *tts_api_url;          /* base URL of The Things Stack, e.g. https://eu1.cloud... */
    const char *tts_api_key;          /* sent as "Authorization: Bearer <key>" */
    const char *tts_application_id;   /* used when a request names none */
    const char *tts_webhook_id;       /* the webhook of the application that mue is */
    long timeout_ms;                  /* per API call, once connected */
    long max_attempts;                /* API calls per downlink before it fails */
    long backoff_ms; /* the first pause; it doubles up to DOWNLINK_BACKOFF_CAP_MS */
    /* Where the requests come from: the stream DOWNLINKS, durable "ingest-downlinks", filter
     * mue.downlink.> (tests use their own). */
    const char *stream;
    const char *durable;
    const char *filter;
};

/* A mue.v1.DownlinkRequest, checked. */
struct downlink_request {
    char id[DOWNLINK_MAX_ID + 1];
    char network[16];
    char dev_eui[17]; /* 16 lowercase hex digits */
    uint32_t f_port;
    uint8_t payload[DOWNLINK_MAX_PAYLOAD];
    size_t payload_len;
    bool confirmed;
    int64_t requested_at_us;
    int64_t expires_at_us;   /* 0: never */
    char application_id[40]; /* The Things Stack's ids, "" when not given */
    char device_id[40];
    char origin[32];
};

/* --- downlink_request.c */

/* Unpacks and checks a mue.v1.DownlinkRequest: id a token of at most DOWNLINK_MAX_ID characters,
 * network a lowercase name, dev_eui 16 hex digits (stored lowercase), f_port 1..223, payload at
 * most DOWNLINK_MAX_PAYLOAD bytes, TTS ids (when given) as The Things Stack spells them. Returns 0,
 * or MUE_EDECODE with a reason naming the field. Even on failure, out's id, network and dev_eui
 * hold what was valid of them ("" otherwise), so that the failure can be reported. */
int downlink_request_decode(const void *data, size_t len, struct downlink_request *out,
                            char *reason, size_t cap);

/* Packs a request (the inverse, for tests and tools of this service). Returns a
 * buffer the caller frees, its length in *len. */
uint8_t *downlink_request_encode(const struct downlink_request *rq, size_t *len);

/* True for 2..36 characters of a-z 0-9 and single inner dashes: The Things Stack's ids. */
bool downlink_is_tts_id(const char *s);

/* --- downlink_chirpstack.c, downlink_tts.c: one API call per downlink */

struct downlink_call {
    char url[1024];
    char authorization[600]; /* the whole header line, "Authorization: Bearer ..." */
    char *body;              /* JSON, the call's: free with downlink_call_fini */
    size_t body_len;
};

void downlink_call_fini(struct downlink_call *call);

/* ChirpStack: POST {api}/api/devices/{dev_eui}/queue with {"queueItem": {"devEui", "confirmed",
 * "fPort", "data" (base64)}}. Returns 0, or MUE_ECONFIG with a reason when the API is not
 * configured. */
int downlink_chirpstack_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                             struct downlink_call *call, char *reason, size_t cap);

/* Room for a network_ref (a ChirpStack queue item id) and its NUL. */
#define DOWNLINK_REF_CAP 64

/* Reads ChirpStack's answer {"id": "<queue item uuid>"} into 'queue_id' (cap >= 64). Returns 0,
 * or MUE_EDECODE with a reason (an id that is not 1..63 characters of hex digits and dashes is
 * refused: it becomes a key and a header). */
int downlink_chirpstack_parse_answer(const char *body, size_t len, char *queue_id, size_t cap,
                                     char *reason, size_t reason_cap);

/* ChirpStack: GET {api}/api/devices/{dev_eui}/queue (DeviceService/GetQueue) with the same token:
 * the device's queue, looked at before another attempt when the last one may have been queued.
 * Returns 0 (call->body stays NULL), or MUE_ECONFIG with a reason. */
int downlink_chirpstack_queue_call(const struct downlink_request *rq,
                                   const struct downlink_config *cfg, struct downlink_call *call,
                                   char *reason, size_t cap);

/* Reads ChirpStack's GetDeviceQueueItemsResponse, {"totalCount", "result": [{"id", "devEui",
 * "confirmed", "fPort", "data" (base64), "isPending", "fCntDown", "isEncrypted", ...}]}, and copies
 * into ids[] the ids of the items that carry rq's downlink - the same fPort, confirmed flag and
 * payload bytes, not encrypted by an application - in queue order, at most 'max'. Returns how
 * many (0 also for an empty or omitted "result"), or MUE_EDECODE with a reason naming the field:
 * an item that is not an object, a field of the wrong type, bad base64, a matching item whose id
 * is missing or not a queue item id. */
int downlink_chirpstack_find_queued(const char *body, size_t len, const struct downlink_request *rq,
                                    char ids[][DOWNLINK_REF_CAP], int max, char *reason,
                                    size_t cap);

/* The Things Stack: POST {api}/api/v3/as/applications/{app}/webhooks/{webhook}/devices/{dev}/
 * down/push with {"downlinks": [{"f_port", "frm_payload" (base64), "confirmed", "priority":
 * "NORMAL", "correlation_ids": ["mue:dl:<id>"]}]}. app = rq->application_id, else the configured
 * one; dev = rq->device_id, else "eui-<dev_eui>". Returns 0, or MUE_ECONFIG with a reason (API,
 * application id or webhook id missing or malformed). */
int downlink_tts_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                      struct downlink_call *call, char *reason, size_t cap);

/* The Things Stack: GET {api}/api/v3/as/applications/{app}/devices/{dev}/down (AppAs/
 * DownlinkQueueList), with the key, application and device of downlink_tts_call. Listing needs
 * the key's right to read application traffic (RIGHT_APPLICATION_TRAFFIC_READ) besides the one to
 * write downlinks. Returns 0 (call->body stays NULL), or MUE_ECONFIG with a reason. */
int downlink_tts_queue_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                            struct downlink_call *call, char *reason, size_t cap);

/* Reads an ApplicationDownlinks answer, {"downlinks": [{"f_port", "frm_payload", "confirmed",
 * "priority", "correlation_ids": [...], ...}]}. Returns 1 when an entry's correlation_ids hold
 * "mue:dl:<rq->id>" (what downlink_tts_call pushes), 0 when none does (also for an omitted or
 * empty list), or MUE_EDECODE with a reason naming the field. */
int downlink_tts_find_queued(const char *body, size_t len, const struct downlink_request *rq,
                             char *reason, size_t cap);

/* A short text of an API's error answer for a status reason: the "message" member of a JSON
 * body (ChirpStack's and The Things Stack's errors have one), else "" . Control characters
 * become '?'; at most cap - 1 bytes. */
void downlink_error_message(const char *body, size_t len, char *out, size_t cap);

/* --- downlink_retry.c: what a failed call leads to */

enum downlink_outcome {
    DOWNLINK_ACCEPTED,  /* 2xx: the network server queued it */
    DOWNLINK_TRANSIENT, /* 5xx, 429, 408, timeouts, refused or broken connections: try again */
    DOWNLINK_REFUSED,   /* other answers, a bad URL or TLS setup: trying again cannot help */
};

/* Classifies a call: 'rc' is mue_http_request's return, 'status' the HTTP status when rc is 0. */
enum downlink_outcome downlink_retry_classify(int rc, int status);

/* True when a transient failure may still have queued the downlink, so that the next attempt must
 * look at the device's queue before calling again (both APIs make a new queue item per call):
 * the request went out whole ('sent', from mue_http_resp) and no usable answer came back (a
 * timeout, a reset, a garbled answer), or a proxy answered 502 or 504 for a server it may have
 * reached. False when the failure shows nothing was queued: no connection, 408, 429, 500, 503,
 * and for every answer that is not a transient failure. */
bool downlink_retry_may_have_queued(int rc, int status, bool sent);

/* The pause before attempt 'attempt' + 1 after attempt 'attempt' (1 = the first) failed:
 * base * 2^(attempt - 1), at most 'cap_ms', of which a random part ('random' is any value from
 * a random source) spreads the retries of many downlinks ("equal jitter": between half and all
 * of it). At least 'retry_after_ms' when the server asked for it (-1: it did not), still capped. */
long downlink_retry_delay_ms(uint32_t attempt, long base_ms, long cap_ms, long retry_after_ms,
                             uint32_t random);

/* --- downlink_status.c: mue.v1.DownlinkStatus messages */

/* Values are those of mue.v1.DownlinkState. */
enum downlink_state {
    DOWNLINK_QUEUED = 1,
    DOWNLINK_FAILED = 5,
    DOWNLINK_EXPIRED = 6,
    DOWNLINK_RETRYING = 7,
};

struct downlink_status {
    const char *id, *network, *dev_eui;
    enum downlink_state state;
    int64_t time_us;
    const char *reason;      /* may be NULL */
    const char *network_ref; /* may be NULL */
    uint32_t attempt;
};

/* "QUEUED", "FAILED", ... */
const char *downlink_state_name(enum downlink_state s);

/* The status's subject (mue.dlstatus.<network>.<dev_eui>) and Nats-Msg-Id
 * ("<id>:<STATE>:<attempt>"). Return 0, or MUE_E2BIG when they do not fit. */
int downlink_status_subject(const struct downlink_status *st, char *out, size_t cap);
int downlink_status_msg_id(const struct downlink_status *st, char *out, size_t cap);

/* Packs it as a mue.v1.DownlinkStatus with source "forwarder". Returns a buffer the caller frees,
 * its length in *len. */
uint8_t *downlink_status_pack(const struct downlink_status *st, size_t *len);

#endif
