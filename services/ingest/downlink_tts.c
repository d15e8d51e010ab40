/* downlink_tts.c - The Things Stack v3: push a downlink through the application's webhook.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "downlink_call.h"
#include "mue_base64.h"
#include "mue_err.h"
#include "webhook.h"

static int refuse(char *reason, size_t cap, const char *what)
{
    if (cap > 0)
        snprintf(reason, cap, "%s", what);
    return MUE_ECONFIG;
}

int downlink_tts_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                      struct downlink_call *call, char *reason, size_t cap)
{
    char data[4 * ((DOWNLINK_MAX_PAYLOAD + 2) / 3) + 1];
    char device[40], correlation[sizeof(WEBHOOK_TTS_CORRELATION_PREFIX) + DOWNLINK_MAX_ID];
    const char *app = rq->application_id[0] != '\0' ? rq->application_id : cfg->tts_application_id;
    json_t *doc;

    memset(call, 0, sizeof(*call));
    if (cfg->tts_api_url == NULL || cfg->tts_api_url[0] == '\0')
        return refuse(reason, cap, "The Things Stack's API is not configured (MUE_TTS_API_URL)");
    if (app == NULL || app[0] == '\0')
        return refuse(reason, cap,
                      "no application id: the request names none and "
                      "MUE_TTS_APPLICATION_ID is not set");
    /* Ids go into the path: only TTS's own id syntax, so none can add a segment or a query. */
    if (!downlink_is_tts_id(app))
        return refuse(reason, cap, "MUE_TTS_APPLICATION_ID is not a The Things Stack id");
    if (cfg->tts_webhook_id == NULL || !downlink_is_tts_id(cfg->tts_webhook_id))
        return refuse(reason, cap, "MUE_TTS_WEBHOOK_ID is not a The Things Stack id");
    /* The console's default end-device id is "eui-" and the DevEUI in lowercase. */
    if (rq->device_id[0] != '\0')
        snprintf(device, sizeof(device), "%s", rq->device_id);
    else
        snprintf(device, sizeof(device), "eui-%s", rq->dev_eui);
    if (downlink_call_url(call, cfg->tts_api_url,
                          "/api/v3/as/applications/%s/webhooks/%s/devices/%s/down/push", app,
                          cfg->tts_webhook_id, device) < 0 ||
        downlink_call_bearer(call, cfg->tts_api_key) < 0)
        return refuse(reason, cap, "MUE_TTS_API_URL or its key is too long");
    if (mue_base64_encode(rq->payload, rq->payload_len, data, sizeof(data)) < 0)
        return refuse(reason, cap, "payload too long");
    /* TTS echoes the correlation ids in every event about this downlink: the webhook side reads
     * the request id back from them. */
    snprintf(correlation, sizeof(correlation), "%s%s", WEBHOOK_TTS_CORRELATION_PREFIX, rq->id);
    doc = json_pack("{s:[{s:I, s:s, s:b, s:s, s:[s]}]}", "downlinks", "f_port",
                    (json_int_t)rq->f_port, "frm_payload", data, "confirmed", rq->confirmed,
                    "priority", "NORMAL", "correlation_ids", correlation);
    if (doc == NULL || downlink_call_set_body(call, doc) < 0)
        return refuse(reason, cap, "request body could not be built");
    return MUE_OK;
}
