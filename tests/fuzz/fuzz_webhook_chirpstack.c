/* fuzz_webhook_chirpstack.c - libFuzzer target for the ChirpStack v4 "up" webhook parser.
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

static bool is_terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

/* What every consumer of a parsed uplink relies on; abort() makes libFuzzer keep the input. */
static void check_uplink(const struct webhook_uplink *u)
{
    if (!is_terminated(u->id, sizeof(u->id)) || strncmp(u->id, "cs:", 3) != 0 || u->id[3] == '\0')
        abort();
    if (strcmp(u->network, "chirpstack") != 0)
        abort();
    if (strlen(u->dev_eui) != 16 || strspn(u->dev_eui, "0123456789abcdef") != 16)
        abort();
    if (!is_terminated(u->device_name, sizeof(u->device_name)) || !is_utf8(u->device_name))
        abort();
    if (!is_terminated(u->application, sizeof(u->application)) || !is_utf8(u->application))
        abort();
    if (!is_terminated(u->gateway_id, sizeof(u->gateway_id)) || !is_utf8(u->gateway_id))
        abort();
    if (u->payload_len > WEBHOOK_MAX_PAYLOAD)
        abort();
    if (u->has_radio != (u->gateway_count > 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly 'size' bytes, so ASan catches any read past the body's end. */
    char *body = malloc(size > 0 ? size : 1);
    struct webhook_uplink u, again;
    char reason[96], tiny[1];
    int rc, rc2;

    if (body == NULL)
        return 0;
    memcpy(body, data, size);
    rc = webhook_chirpstack_parse_up(body, size, &u, reason, sizeof(reason));
    if (rc == 0) {
        check_uplink(&u);
    } else if (rc != MUE_EDECODE || reason[0] == '\0' || !is_terminated(reason, sizeof(reason))) {
        abort();
    }
    /* The verdict cannot depend on the reason buffer. */
    tiny[0] = 'x';
    rc2 = webhook_chirpstack_parse_up(body, size, &again, tiny, sizeof(tiny));
    if (rc2 != rc || tiny[0] != '\0')
        abort();
    if (rc == 0 && memcmp(&u.id, &again.id, sizeof(u.id)) != 0)
        abort();
    free(body);
    return 0;
}
