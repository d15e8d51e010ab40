/* downlink_tts.c - The Things Stack v3: push a downlink through the application's webhook, find it
 * in the device's queue by its correlation id.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "downlink_call.h"
#include "mue_base64.h"
#include "mue_err.h"
#include "webhook.h"
#include "webhook_json.h"

/* Room for a name in reasons: "downlinks[4294967295]". */
#define WHERE_CAP 40

static int refuse(char *reason, size_t cap, const char *what)
{
    if (cap > 0)
        snprintf(reason, cap, "%s", what);
    return MUE_ECONFIG;
}

/* The application and device a request goes to, checked: app = rq->application_id, else the
 * configured one; device = rq->device_id, else "eui-<dev_eui>". */
static int target(const struct downlink_request *rq, const struct downlink_config *cfg,
                  const char **app_out, char device[40], char *reason, size_t cap)
{
    const char *app = rq->application_id[0] != '\0' ? rq->application_id : cfg->tts_application_id;

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
        snprintf(device, 40, "%s", rq->device_id);
    else
        snprintf(device, 40, "eui-%s", rq->dev_eui);
    *app_out = app;
    return MUE_OK;
}

int downlink_tts_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                      struct downlink_call *call, char *reason, size_t cap)
{
    char data[4 * ((DOWNLINK_MAX_PAYLOAD + 2) / 3) + 1];
    char device[40], correlation[sizeof(WEBHOOK_TTS_CORRELATION_PREFIX) + DOWNLINK_MAX_ID];
    const char *app = NULL;
    json_t *doc;

    memset(call, 0, sizeof(*call));
    if (target(rq, cfg, &app, device, reason, cap) < 0)
        return MUE_ECONFIG;
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

int downlink_tts_queue_call(const struct downlink_request *rq, const struct downlink_config *cfg,
                            struct downlink_call *call, char *reason, size_t cap)
{
    char device[40];
    const char *app = NULL;

    memset(call, 0, sizeof(*call));
    if (target(rq, cfg, &app, device, reason, cap) < 0)
        return MUE_ECONFIG;
    /* The Application Server's own API (AppAs/DownlinkQueueList), not the webhook's: listing has no
     * webhook binding. */
    if (downlink_call_url(call, cfg->tts_api_url, "/api/v3/as/applications/%s/devices/%s/down", app,
                          device) < 0 ||
        downlink_call_bearer(call, cfg->tts_api_key) < 0)
        return refuse(reason, cap, "MUE_TTS_API_URL or its key is too long");
    return MUE_OK;
}

int downlink_tts_find_queued(const char *body, size_t len, const struct downlink_request *rq,
                             char *reason, size_t cap)
{
    char want[sizeof(WEBHOOK_TTS_CORRELATION_PREFIX) + DOWNLINK_MAX_ID];
    struct webhook_reason r = { reason, cap };
    const json_t *list = NULL;
    json_t *doc = NULL;
    int found = 0, rc;

    snprintf(want, sizeof(want), "%s%s", WEBHOOK_TTS_CORRELATION_PREFIX, rq->id);
    rc = webhook_json_load(body, len, &doc, &r);
    if (rc == 0)
        rc = webhook_json_array(doc, "", "downlinks", false, &list, &r);
    for (size_t i = 0; rc == 0 && !found && list != NULL && i < json_array_size(list); i++) {
        const json_t *dl = json_array_get(list, i), *ids = NULL;
        char where[WHERE_CAP], key[WHERE_CAP];
        snprintf(where, sizeof(where), "downlinks[%zu]", i);
        if (!json_is_object(dl)) {
            rc = webhook_json_fail(&r, where, NULL, "not an object");
            break;
        }
        rc = webhook_json_array(dl, where, "correlation_ids", false, &ids, &r);
        for (size_t j = 0; rc == 0 && ids != NULL && j < json_array_size(ids); j++) {
            const json_t *v = json_array_get(ids, j);
            if (!json_is_string(v)) {
                snprintf(key, sizeof(key), "correlation_ids[%zu]", j);
                rc = webhook_json_fail(&r, where, key, "not a string");
            } else if (strcmp(json_string_value(v), want) == 0) {
                found = 1;
                break;
            }
        }
    }
    json_decref(doc);
    return rc < 0 ? rc : found;
}
