/* fuzz_alert_command.c - libFuzzer target: the body of an acknowledge or resolve request that
 * mue-alerts takes from the bus (the API and mue-admin send it) on any bytes.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct commands_request r;
    char why[128];
    int rc = commands_parse((const char *)data, size, &r, why, sizeof(why));

    if (rc != MUE_OK && rc != MUE_EINVAL)
        abort();
    if (rc == MUE_OK && (r.id[0] == '\0' || r.id[0] == '-' || r.actor[0] == '\0' ||
                         strlen(r.actor) >= sizeof(r.actor)))
        abort();
    if (rc == MUE_EINVAL && why[0] == '\0')
        abort();
    return 0;
}
