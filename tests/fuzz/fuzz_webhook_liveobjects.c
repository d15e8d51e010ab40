/* fuzz_webhook_liveobjects.c - libFuzzer target for the Orange Live Objects LoRa parser.
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

/* What every consumer of a parsed message relies on; abort() makes libFuzzer keep the input. */
static void check_event(const struct webhook_event *ev)
{
    const struct webhook_uplink *u = &ev->up;

    if (ev->kind != WEBHOOK_UPLINK || strcmp(u->network, "liveobjects") != 0)
        abort();
    if (!is_token(u->id, sizeof(u->id)) || strncmp(u->id, "lo:", 3) != 0)
        abort();
    if (!is_lower_hex(u->dev_eui, 16) || u->payload_len > WEBHOOK_MAX_PAYLOAD)
        abort();
    if (u->has_radio != (u->gateway_count > 0))
        abort();
    if (!is_text(u->decoded_json, sizeof(u->decoded_json)))
        abort();
    /* The decoded fields never carry the raw payload again (keys are unique, so a first key
     * "payload" would be value.payload). */
    if (strncmp(u->decoded_json, "{\"payload\":", 11) == 0)
        abort();
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
    rc = webhook_liveobjects_parse(body, size, &ev, reason, sizeof(reason));
    if (rc == 0)
        check_event(&ev);
    else if ((rc != MUE_EDECODE && rc != MUE_ENOTSUP) || !is_text(reason, sizeof(reason)) ||
             reason[0] == '\0')
        abort();
    /* The verdict cannot depend on the reason buffer. */
    tiny[0] = 'x';
    rc2 = webhook_liveobjects_parse(body, size, &again, tiny, sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 && memcmp(ev.up.id, again.up.id, sizeof(ev.up.id)) != 0)
        abort();
    free(body);
    return 0;
}
