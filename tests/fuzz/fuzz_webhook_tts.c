/* fuzz_webhook_tts.c - libFuzzer target for The Things Stack v3 webhook parser, every type.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "mue_err.h"
#include "webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every consumer of a parsed event relies on; abort() makes libFuzzer keep the input. */
static void check_event(const struct webhook_event *ev)
{
    const struct webhook_uplink *u = &ev->up;

    if (!is_token(u->id, sizeof(u->id)) || strncmp(u->id, "tts:", 4) != 0)
        abort();
    if (strcmp(u->network, "tts") != 0 || !is_lower_hex(u->dev_eui, 16))
        abort();
    /* The device is in every id. */
    if (strstr(u->id, u->dev_eui) == NULL)
        abort();
    if (!is_text(u->device_name, sizeof(u->device_name)) ||
        !is_text(u->application, sizeof(u->application)))
        abort();
    switch (ev->kind) {
    case WEBHOOK_UPLINK:
        if (!is_text(u->gateway_id, sizeof(u->gateway_id)) || u->payload_len > WEBHOOK_MAX_PAYLOAD)
            abort();
        if (u->has_radio != (u->gateway_count > 0))
            abort();
        if (!is_text(u->decoded_json, sizeof(u->decoded_json)))
            abort();
        break;
    case WEBHOOK_DEVICE_EVENT:
        if (ev->dev.kind == WEBHOOK_DEVICE_JOIN) {
            if (ev->dev.dev_addr[0] != '\0' && !is_lower_hex(ev->dev.dev_addr, 8))
                abort();
        } else if (ev->dev.kind == WEBHOOK_DEVICE_LOCATION) {
            if (!ev->dev.has_location || !(ev->dev.latitude >= -90 && ev->dev.latitude <= 90) ||
                !(ev->dev.longitude >= -180 && ev->dev.longitude <= 180))
                abort();
        } else {
            abort();
        }
        break;
    case WEBHOOK_DOWNLINK_STATUS:
        if (ev->dl.state < WEBHOOK_DL_QUEUED || ev->dl.state > WEBHOOK_DL_FAILED)
            abort();
        if (strncmp(ev->dl.source, "tts:downlink_", 13) != 0)
            abort();
        if (ev->dl.downlink_id[0] != '\0' &&
            !is_token(ev->dl.downlink_id, sizeof(ev->dl.downlink_id)))
            abort();
        if (!is_text(ev->dl.reason, sizeof(ev->dl.reason)))
            abort();
        break;
    default:
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly 'size' bytes, so ASan catches any read past the body's end. */
    char *body = malloc(size > 0 ? size : 1);
    struct webhook_event ev, again;
    struct webhook_uplink u;
    char reason[96], tiny[1];
    int rc, rc2;

    if (body == NULL)
        return 0;
    memcpy(body, data, size);
    rc = webhook_tts_parse(body, size, &ev, reason, sizeof(reason));
    if (rc == 0)
        check_event(&ev);
    else if ((rc != MUE_EDECODE && rc != MUE_ENOTSUP) || !is_text(reason, sizeof(reason)) ||
             reason[0] == '\0')
        abort();
    /* The verdict cannot depend on the reason buffer. */
    tiny[0] = 'x';
    rc2 = webhook_tts_parse(body, size, &again, tiny, sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 && memcmp(ev.up.id, again.up.id, sizeof(ev.up.id)) != 0)
        abort();
    /* The uplink-only entry point agrees with the dispatcher on uplinks (not the other way:
     * it does not look for a second message member). */
    rc2 = webhook_tts_parse_uplink(body, size, &u, NULL, 0);
    if (rc == 0 && ev.kind == WEBHOOK_UPLINK && (rc2 != 0 || strcmp(u.id, ev.up.id) != 0))
        abort();
    free(body);
    return 0;
}
