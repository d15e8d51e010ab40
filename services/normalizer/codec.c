/* codec.c - the table of device-model codecs and the helpers every codec uses to fill a result.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "mue_err.h"

/* Model ids are the strings of device.model; a new codec is one line here plus its own file. */
const struct codec codec_table[] = {
    { "milesight-em310-udl", codec_milesight_em310_udl_decode },
    { "decentlab-dl-mbx", codec_decentlab_dl_mbx_decode },
    { NULL, NULL },
};

const struct codec *codec_find(const char *model)
{
    const struct codec *c;

    if (model == NULL)
        return NULL;
    for (c = codec_table; c->model != NULL; c++) {
        if (strcmp(c->model, model) == 0)
            return c;
    }
    return NULL;
}

int codec_add(struct codec_result *out, const char *quantity, double value)
{
    /* A frame of repeated channels could otherwise run past the fixed array. */
    if (out->n >= CODEC_MAX_READINGS) {
        snprintf(out->reason, sizeof(out->reason), "more than %d readings (at %s)",
                 CODEC_MAX_READINGS, quantity);
        return MUE_E2BIG;
    }
    out->r[out->n].quantity = quantity;
    out->r[out->n].value = value;
    out->n++;
    return MUE_OK;
}

int codec_fail(struct codec_result *out, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
    return MUE_EDECODE;
}
