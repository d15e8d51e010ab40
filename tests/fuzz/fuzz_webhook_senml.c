/* fuzz_webhook_senml.c - libFuzzer target for the SenML JSON (RFC 8428) pack parser.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_err.h"
#include "webhook.h"

#define DEV    "0004a30b001c0530"
#define NOW_US INT64_C(1700000000123456)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct webhook_event ev, again;

static bool is_terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

/* What the normalizer's senml codec relies on: the payload is a JSON array of resolved records,
 * each with a name and a time, and the uplink's id and time come from those times. */
static void check_uplink(const struct webhook_event *e)
{
    const struct webhook_uplink *u = &e->up;
    json_error_t err;
    json_t *pack;
    size_t n;

    if (e->kind != WEBHOOK_UPLINK || strcmp(u->network, "senml") != 0 ||
        strcmp(u->dev_eui, DEV) != 0)
        abort();
    if (!is_terminated(u->id, sizeof(u->id)) || strncmp(u->id, "senml:" DEV ":", 23) != 0)
        abort();
    if (u->payload_len == 0 || u->payload_len > WEBHOOK_MAX_PAYLOAD || u->f_port != 0)
        abort();
    pack = json_loadb((const char *)u->payload, u->payload_len, JSON_REJECT_DUPLICATES, &err);
    if (pack == NULL || !json_is_array(pack))
        abort();
    n = json_array_size(pack);
    if (n == 0 || n > 64)
        abort();
    for (size_t i = 0; i < n; i++) {
        json_t *rec = json_array_get(pack, i);
        json_t *t = json_object_get(rec, "t");

        if (!json_is_string(json_object_get(rec, "n")) || !json_is_number(t))
            abort();
        /* Chronological, within the bounds of int64 µs. */
        if (json_number_value(t) < 0 || json_number_value(t) >= 253402300800.0)
            abort();
        if (i > 0 && json_number_value(t) <
                         json_number_value(json_object_get(json_array_get(pack, i - 1), "t")))
            abort();
    }
    if (u->time_us < 0)
        abort();
    json_decref(pack);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly 'size' bytes, so ASan catches any read past the body's end. */
    char *body = malloc(size > 0 ? size : 1);
    char reason[96], tiny[1];
    int rc, rc2;

    if (body == NULL)
        return 0;
    memcpy(body, data, size);
    rc = webhook_senml_parse(body, size, DEV, NOW_US, &ev, reason, sizeof(reason));
    if (rc == 0) {
        check_uplink(&ev);
    } else if (rc != MUE_EDECODE || reason[0] == '\0' || !is_terminated(reason, sizeof(reason))) {
        abort();
    }
    /* The verdict and the result cannot depend on the reason buffer. */
    tiny[0] = 'x';
    rc2 = webhook_senml_parse(body, size, DEV, NOW_US, &again, tiny, sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 &&
        (strcmp(ev.up.id, again.up.id) != 0 || ev.up.payload_len != again.up.payload_len ||
         memcmp(ev.up.payload, again.up.payload, ev.up.payload_len) != 0))
        abort();
    free(body);
    return 0;
}
