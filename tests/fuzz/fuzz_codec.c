/* fuzz_codec.c - libFuzzer target for one codec, built once per codec_<vendor>_<model>.c with
 * -DCODEC=codec_<vendor>_<model> (the struct codec it defines); the first byte is the fport.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mue_err.h"
#include "quantity.h"

#ifndef CODEC
#error "build with -DCODEC=<the codec's struct codec>"
#endif

extern const struct codec CODEC;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what codec.h promises, beyond "no crash": only the two documented codes, a reason with
 * every refusal, and on success finite values named in the vocabulary, within the bounds. */
static void check_result(int rc, const struct codec_result *res)
{
    if (res->n > CODEC_MAX_READINGS || res->nattr > CODEC_MAX_ATTRS ||
        res->nwarn > CODEC_MAX_WARNINGS)
        abort();
    if (rc != MUE_OK && rc != MUE_EDECODE)
        abort();
    if (memchr(res->reason, '\0', sizeof(res->reason)) == NULL)
        abort();
    if (rc == MUE_EDECODE && res->reason[0] == '\0')
        abort();
    for (size_t i = 0; i < res->n; i++) {
        if (quantity_find(res->r[i].quantity) == NULL || !isfinite(res->r[i].value))
            abort();
    }
    for (size_t i = 0; i < res->nattr; i++) {
        if (res->attr[i].key == NULL || memchr(res->attr[i].value, '\0', 48) == NULL)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct codec_result res;
    int rc;

    if (size == 0)
        return 0;
    memset(&res, 0, sizeof(res));
    rc = CODEC.decode(data + 1, size - 1, data[0], &res);
    check_result(rc, &res);
    return 0;
}
