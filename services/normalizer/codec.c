/* codec.c - the table of device-model codecs and the helpers every codec uses to fill a result.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "mue_err.h"

const struct codec *codec_find(const char *model)
{
    if (model == NULL)
        return NULL;
    for (const struct codec *const *c = codec_list; *c != NULL; c++) {
        if (strcmp((*c)->model, model) == 0)
            return *c;
    }
    return NULL;
}

int codec_decode(const struct codec *c, const uint8_t *buf, size_t len, unsigned fport,
                 struct codec_result *out)
{
    size_t n = out->n, nattr = out->nattr, nwarn = out->nwarn;
    int rc = c->decode(buf, len, fport, out);

    if (rc < 0) {
        out->n = n;
        out->nattr = nattr;
        out->nwarn = nwarn;
        if (out->reason[0] == '\0')
            snprintf(out->reason, sizeof(out->reason), "rejected by the %s codec", c->model);
        return MUE_EDECODE;
    }
    return MUE_OK;
}

int codec_add_at(struct codec_result *out, const char *quantity, double value, int64_t time_us)
{
    struct codec_reading *r;

    /* A frame of repeated channels could otherwise run past the fixed array. */
    if (out->n >= CODEC_MAX_READINGS) {
        snprintf(out->reason, sizeof(out->reason), "more than %d readings (at %s)",
                 CODEC_MAX_READINGS, quantity);
        return MUE_E2BIG;
    }
    if (strlen(quantity) >= CODEC_QUANTITY_MAX) {
        snprintf(out->reason, sizeof(out->reason), "quantity name too long: %.40s", quantity);
        return MUE_E2BIG;
    }
    r = &out->r[out->n++];
    snprintf(r->quantity, sizeof(r->quantity), "%s", quantity);
    r->value = value;
    r->time_us = time_us;
    return MUE_OK;
}

int codec_add(struct codec_result *out, const char *quantity, double value)
{
    return codec_add_at(out, quantity, value, 0);
}

int codec_add_indexed(struct codec_result *out, const char *base, unsigned index, double value)
{
    char name[CODEC_QUANTITY_MAX + 8];
    snprintf(name, sizeof(name), "%s_%u", base, index);
    return codec_add_at(out, name, value, 0);
}

int codec_attr(struct codec_result *out, const char *key, const char *fmt, ...)
{
    va_list ap;

    if (out->nattr >= CODEC_MAX_ATTRS) {
        snprintf(out->reason, sizeof(out->reason), "more than %d attributes (at %s)",
                 CODEC_MAX_ATTRS, key);
        return MUE_E2BIG;
    }
    out->attr[out->nattr].key = key;
    va_start(ap, fmt);
    vsnprintf(out->attr[out->nattr].value, sizeof(out->attr[0].value), fmt, ap);
    va_end(ap);
    out->nattr++;
    return MUE_OK;
}

void codec_warn(struct codec_result *out, const char *fmt, ...)
{
    va_list ap;

    if (out->nwarn >= CODEC_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    vsnprintf(out->warning[out->nwarn], sizeof(out->warning[0]), fmt, ap);
    va_end(ap);
    out->nwarn++;
}

int codec_fail(struct codec_result *out, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
    return MUE_EDECODE;
}
