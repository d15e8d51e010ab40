/* fuzz_webhook_thingpark.c - libFuzzer target for the Actility ThingPark report parser.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "mue_err.h"
#include "webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every consumer of a parsed report relies on; abort() makes libFuzzer keep the input. */
static void check_event(const struct webhook_event *ev)
{
    const struct webhook_uplink *u = &ev->up;
    char id[sizeof(u->id)];

    if (!is_token(u->id, sizeof(u->id)) || strcmp(u->network, "thingpark") != 0)
        abort();
    if (!is_lower_hex(u->dev_eui, 16) || !is_text(u->device_name, sizeof(u->device_name)))
        abort();
    if (ev->kind == WEBHOOK_UPLINK) {
        /* DevEUI, FCntUp and Time: the same report retried gives the same id. */
        snprintf(id, sizeof(id), "tp:%s:%" PRIu32 ":%" PRId64, u->dev_eui, u->f_cnt, u->time_us);
        if (strcmp(id, u->id) != 0)
            abort();
        if (!is_text(u->gateway_id, sizeof(u->gateway_id)) || u->payload_len > WEBHOOK_MAX_PAYLOAD)
            abort();
        if (u->has_radio != (u->gateway_count > 0))
            abort();
        if (!is_text(u->decoded_json, sizeof(u->decoded_json)))
            abort();
    } else if (ev->kind == WEBHOOK_DEVICE_EVENT && ev->dev.kind == WEBHOOK_DEVICE_LOCATION) {
        if (strncmp(u->id, "tp:location:", 12) != 0 || !ev->dev.has_location)
            abort();
        if (!(ev->dev.latitude >= -90 && ev->dev.latitude <= 90) ||
            !(ev->dev.longitude >= -180 && ev->dev.longitude <= 180))
            abort();
    } else {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly 'size' bytes, so ASan catches any read past the body's end. */
    char *body = malloc(size > 0 ? size : 1);
    struct webhook_event ev, again;
    char reason[96], tiny[1];
    int rc, rc2;

    if (body == NULL)
        return 0;
    memcpy(body, data, size);
    rc = webhook_thingpark_parse(body, size, &ev, reason, sizeof(reason));
    if (rc == 0)
        check_event(&ev);
    else if ((rc != MUE_EDECODE && rc != MUE_ENOTSUP) || !is_text(reason, sizeof(reason)) ||
             reason[0] == '\0')
        abort();
    /* The verdict cannot depend on the reason buffer. */
    tiny[0] = 'x';
    rc2 = webhook_thingpark_parse(body, size, &again, tiny, sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 && memcmp(ev.up.id, again.up.id, sizeof(ev.up.id)) != 0)
        abort();
    free(body);
    return 0;
}
