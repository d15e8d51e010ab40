/* fuzz_codecs.c - libFuzzer target: every codec of codec_table on any bytes, fport from byte 0.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what the codec.h contract promises, beyond "no crash": a bounded count, only the two
 * documented codes, a reason with every refusal, and finite values with a name. */
static void check_result(int rc, const struct codec_result *res)
{
    size_t i;

    if (res->n > CODEC_MAX_READINGS)
        abort();
    if (rc != MUE_OK && rc != MUE_EDECODE)
        abort();
    if (memchr(res->reason, '\0', sizeof(res->reason)) == NULL)
        abort();
    if (rc == MUE_EDECODE && res->reason[0] == '\0')
        abort();
    for (i = 0; i < res->n; i++) {
        if (res->r[i].quantity == NULL || !isfinite(res->r[i].value))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct codec *c;
    unsigned fport;

    if (size == 0)
        return 0;
    fport = data[0];
    for (c = codec_table; c->model != NULL; c++) {
        struct codec_result res;
        int rc;

        memset(&res, 0, sizeof(res));
        rc = c->decode(data + 1, size - 1, fport, &res);
        check_result(rc, &res);
    }
    return 0;
}
