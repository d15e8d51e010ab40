/* downlink_chirpstack.c - ChirpStack v4's REST API: enqueue a downlink, read the queue item id,
 * find a downlink in the device's queue.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "downlink_call.h"
#include "mue_base64.h"
#include "mue_err.h"
#include "webhook_json.h"

/* Room for an item's name in reasons: "result[4294967295]". */
#define WHERE_CAP 32

static int refuse(char *reason, size_t cap, const char *what)
{
    if (cap > 0)
        snprintf(reason, cap, "%s", what);
    return MUE_ECONFIG;
}

/* The device's queue, {api}/api/devices/{dev_eui}/queue: Enqueue posts to it, GetQueue reads it
 * (their grpc-gateway bindings). */
static int queue_url(const struct downlink_request *rq, const struct downlink_config *cfg,
                     struct downlink_call *call, char *reason, size_t cap)
{
    memset(call, 0, sizeof(*call));
    if (cfg->chirpstack_api_url == NULL || cfg->chirpstack_api_url[0] == '\0')
        return refuse(reason, cap, "ChirpStack's API is not configured (MUE_CHIRPSTACK_API_URL)");
    if (downlink_call_url(call, cfg->chirpstack_api_url, "/api/devices/%s/queue", rq->dev_eui) <
            0 ||
        downlink_call_bearer(call, cfg->chirpstack_api_token) < 0)
        return refuse(reason, cap, "MUE_CHIRPSTACK_API_URL or its token is too long");
    return MUE_OK;
}

int downlink_chirpstack_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                             struct downlink_call *call, char *reason, size_t cap)
{
    char data[4 * ((DOWNLINK_MAX_PAYLOAD + 2) / 3) + 1];
    json_t *doc;

    /* The body is the whole EnqueueDeviceQueueItemRequest in the protobuf JSON mapping. */
    if (queue_url(rq, cfg, call, reason, cap) < 0)
        return MUE_ECONFIG;
    if (mue_base64_encode(rq->payload, rq->payload_len, data, sizeof(data)) < 0)
        return refuse(reason, cap, "payload too long");
    doc = json_pack("{s:{s:s, s:b, s:I, s:s}}", "queueItem", "devEui", rq->dev_eui, "confirmed",
                    rq->confirmed, "fPort", (json_int_t)rq->f_port, "data", data);
    if (doc == NULL || downlink_call_set_body(call, doc) < 0)
        return refuse(reason, cap, "request body could not be built");
    return MUE_OK;
}

static bool is_queue_id(const char *s)
{
    size_t n = 0;

    for (; s[n] != '\0'; n++)
        if (n >= 63 || !((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') ||
                         (s[n] >= 'A' && s[n] <= 'F') || s[n] == '-'))
            return false;
    return n > 0;
}

int downlink_chirpstack_parse_answer(const char *body, size_t len, char *queue_id, size_t cap,
                                     char *reason, size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    json_t *doc = NULL;
    const char *id = NULL;
    int rc;

    rc = webhook_json_load(body, len, &doc, &r);
    if (rc == 0)
        rc = webhook_json_string(doc, "", "id", true, &id, &r);
    if (rc == 0 && (!is_queue_id(id) || strlen(id) >= cap))
        rc = webhook_json_fail(&r, "", "id", "not a queue item id (hex digits and dashes)");
    if (rc == 0)
        memcpy(queue_id, id, strlen(id) + 1);
    json_decref(doc);
    return rc;
}

int downlink_chirpstack_queue_call(const struct downlink_request *rq,
                                   const struct downlink_config *cfg, struct downlink_call *call,
                                   char *reason, size_t cap)
{
    return queue_url(rq, cfg, call, reason, cap);
}

/* A bool member; absent or null is false (the protobuf JSON mapping omits false). */
static int member_bool(const json_t *obj, const char *where, const char *key, bool *out,
                       struct webhook_reason *r)
{
    const json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        *out = false;
        return MUE_OK;
    }
    if (!json_is_boolean(v))
        return webhook_json_fail(r, where, key, "not a boolean");
    *out = json_is_true(v);
    return MUE_OK;
}

/* Whether the item 'where' carries rq's downlink. 1 yes, 0 no, or MUE_EDECODE. */
static int item_matches(const json_t *item, const char *where, const struct downlink_request *rq,
                        struct webhook_reason *r)
{
    uint8_t data[DOWNLINK_MAX_PAYLOAD];
    const char *text = NULL;
    uint32_t f_port = 0;
    bool confirmed = false, encrypted = false;
    int n;

    if (!json_is_object(item))
        return webhook_json_fail(r, where, NULL, "not an object");
    if (webhook_json_u32_lenient(item, where, "fPort", &f_port, r) < 0 ||
        member_bool(item, where, "confirmed", &confirmed, r) < 0 ||
        member_bool(item, where, "isEncrypted", &encrypted, r) < 0 ||
        webhook_json_string(item, where, "data", false, &text, r) < 0)
        return MUE_EDECODE;
    if (text == NULL)
        text = "";
    n = mue_base64_decode(text, strlen(text), data, sizeof(data));
    if (n == MUE_E2BIG)
        return 0; /* longer than any downlink mue sends: someone else's */
    if (n < 0)
        return webhook_json_fail(r, where, "data", "not base64");
    /* mue never encrypts payloads itself: an encrypted item came from elsewhere. */
    return !encrypted && f_port == rq->f_port && confirmed == rq->confirmed &&
           (size_t)n == rq->payload_len && memcmp(data, rq->payload, rq->payload_len) == 0;
}

int downlink_chirpstack_find_queued(const char *body, size_t len, const struct downlink_request *rq,
                                    char ids[][DOWNLINK_REF_CAP], int max, char *reason, size_t cap)
{
    struct webhook_reason r = { reason, cap };
    const json_t *items = NULL;
    json_t *doc = NULL;
    int found = 0, rc;

    rc = webhook_json_load(body, len, &doc, &r);
    if (rc == 0)
        rc = webhook_json_array(doc, "", "result", false, &items, &r);
    for (size_t i = 0; rc == 0 && items != NULL && i < json_array_size(items); i++) {
        const json_t *item = json_array_get(items, i);
        const char *id = NULL;
        char where[WHERE_CAP];
        snprintf(where, sizeof(where), "result[%zu]", i);
        rc = item_matches(item, where, rq, &r);
        if (rc <= 0)
            continue; /* rc < 0 ends the loop */
        rc = webhook_json_string(item, where, "id", true, &id, &r);
        if (rc == 0 && (!is_queue_id(id) || strlen(id) >= DOWNLINK_REF_CAP))
            rc = webhook_json_fail(&r, where, "id", "not a queue item id (hex digits and dashes)");
        if (rc == 0 && found < max)
            memcpy(ids[found++], id, strlen(id) + 1);
    }
    json_decref(doc);
    return rc < 0 ? rc : found;
}
