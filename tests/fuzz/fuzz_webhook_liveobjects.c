/* fuzz_webhook_liveobjects.c - libFuzzer target for the Orange Live Objects LoRa parser.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Names may be cut to fit: the cut must never leave half a UTF-8 character behind. */
static bool is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != 0) {
        int more = *p < 0x80             ? 0
                   : (*p & 0xe0) == 0xc0 ? 1
                   : (*p & 0xf0) == 0xe0 ? 2
                   : (*p & 0xf8) == 0xf0 ? 3
                                         : -1;
        if (more < 0)
            return false;
        p++;
        for (; more > 0; more--, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

static bool is_text(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL && is_utf8(s);
}

/* Printable ASCII without spaces: what may go into NATS headers and SQL keys. */
static bool is_token(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);

    if (n == 0 || n == cap)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

static bool is_lower_hex(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

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
