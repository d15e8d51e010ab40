/* downlink_chirpstack.c - ChirpStack v4's REST API: enqueue a downlink, read the queue item id.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "downlink_call.h"
#include "mue_base64.h"
#include "mue_err.h"
#include "webhook_json.h"

static int refuse(char *reason, size_t cap, const char *what)
{
    if (cap > 0)
        snprintf(reason, cap, "%s", what);
    return MUE_ECONFIG;
}

int downlink_chirpstack_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                             struct downlink_call *call, char *reason, size_t cap)
{
    char data[4 * ((DOWNLINK_MAX_PAYLOAD + 2) / 3) + 1];
    json_t *doc;

    memset(call, 0, sizeof(*call));
    if (cfg->chirpstack_api_url == NULL || cfg->chirpstack_api_url[0] == '\0')
        return refuse(reason, cap, "ChirpStack's API is not configured (MUE_CHIRPSTACK_API_URL)");
    /* The grpc-gateway binding of DeviceService/Enqueue: the path names the device, the body is
     * the whole EnqueueDeviceQueueItemRequest in the protobuf JSON mapping. */
    if (downlink_call_url(call, cfg->chirpstack_api_url, "/api/devices/%s/queue", rq->dev_eui) <
            0 ||
        downlink_call_bearer(call, cfg->chirpstack_api_token) < 0)
        return refuse(reason, cap, "MUE_CHIRPSTACK_API_URL or its token is too long");
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
