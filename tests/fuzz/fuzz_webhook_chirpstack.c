/* fuzz_webhook_chirpstack.c - libFuzzer target for the ChirpStack v4 webhook parser, JSON
 * marshaler, every event type (the first input byte picks it, see fuzz_webhook_chirpstack.h).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_webhook_chirpstack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_cs_run(data, size, false);
    return 0;
}
