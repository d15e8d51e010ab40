/* codec_senml.c - SenML JSON packs (RFC 8428) as mue-ingest resolves them: one reading per record
 * whose name and unit say which quantity it is, at the record's own time.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "codec.h"
#include "mue_err.h"
#include "senml_units.h"

/* mue-ingest writes times as whole µs; any time from 10000-01-01 on is not one it wrote. */
#define SENML_END_OF_TIME_S 253402300800.0

/* What a record of the resolved pack holds, read and checked. */
struct senml_record {
    const char *name;
    const char *unit; /* NULL when none */
    int64_t time_us;
    bool has_v, has_vb;
    double v;
};

/* 's' with every byte outside printable ASCII as '?': warnings end up in logs and mue-decode's
 * output, and a unit is free text. */
static void printable(char *dst, size_t cap, const char *src)
{
    size_t i = 0;

    for (; src[i] != '\0' && i + 1 < cap; i++)
        dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
    dst[i] = '\0';
}

static int read_record(const json_t *rec, size_t i, struct senml_record *out,
                       struct codec_result *res)
{
    const json_t *n = json_object_get(rec, "n"), *u = json_object_get(rec, "u");
    const json_t *t = json_object_get(rec, "t"), *v = json_object_get(rec, "v");
    const json_t *vb = json_object_get(rec, "vb");
    double secs;

    if (!json_is_object(rec))
        return codec_fail(res, "record %zu is not an object", i);
    if (!json_is_string(n) || json_string_value(n)[0] == '\0')
        return codec_fail(res, "record %zu has no name (n)", i);
    if (u != NULL && !json_is_string(u))
        return codec_fail(res, "record %zu: unit (u) is not a string", i);
    if (!json_is_number(t))
        return codec_fail(res, "record %zu has no time (t): not a resolved pack", i);
    if (v != NULL && !json_is_number(v))
        return codec_fail(res, "record %zu: value (v) is not a number", i);
    if (vb != NULL && !json_is_boolean(vb))
        return codec_fail(res, "record %zu: boolean value (vb) is not a boolean", i);
    secs = json_number_value(t);
    if (!(secs >= 0 && secs < SENML_END_OF_TIME_S))
        return codec_fail(res, "record %zu: time (t) out of range", i);
    out->name = json_string_value(n);
    out->unit = u != NULL ? json_string_value(u) : NULL;
    out->time_us = llround(secs * 1e6);
    out->has_v = v != NULL;
    out->has_vb = vb != NULL;
    out->v = v != NULL ? json_number_value(v) : json_is_true(vb) ? 1 : 0;
    return 0;
}

static const char *why(enum senml_match m)
{
    switch (m) {
    case SENML_UNKNOWN_NAME:
        return "no quantity of that name";
    case SENML_WRONG_UNIT:
        return "unit not convertible";
    case SENML_NO_UNIT:
        return "no unit";
    case SENML_AMBIGUOUS_UNIT:
        return "unit % is ambiguous: use / or /100";
    case SENML_NOT_A_FLAG:
        return "a boolean for a non-flag";
    case SENML_MAPPED:
        break;
    }
    return "?";
}

/* Says why the first skipped measurement was skipped, naming its record. */
static void warn_skipped(struct codec_result *res, const struct senml_record *rec,
                         const char *reason, bool *warned)
{
    char name[40], unit[24];

    if (*warned)
        return;
    *warned = true;
    printable(name, sizeof(name), senml_units_last_segment(rec->name));
    printable(unit, sizeof(unit), rec->unit != NULL ? rec->unit : "");
    codec_warn(res, "SenML '%s' (%s) skipped: %s", name, unit, reason);
}

/* True when a reading of 'quantity' at 'time_us' is already in 'res' (from this pack): the
 * database keeps one value per device, quantity and time, so the second would be lost anyway. */
static bool has_reading(const struct codec_result *res, size_t from, const char *quantity,
                        int64_t time_us)
{
    for (size_t i = from; i < res->n; i++) {
        if (res->r[i].time_us == time_us && strcmp(res->r[i].quantity, quantity) == 0)
            return true;
    }
    return false;
}

/* Reads one record; adds its reading, or counts it in *skipped. */
static int decode_record(const json_t *rec, size_t i, size_t first, struct codec_result *res,
                         size_t *skipped, bool *warned)
{
    struct senml_record r;
    struct senml_mapping m;
    enum senml_match match;
    double value;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = read_record(rec, i, &r, res);
    if (rc < 0)
        return rc;
    /* Strings, data and sums alone are not measurements of a quantity. */
    if (!r.has_v && !r.has_vb) {
        (*skipped)++;
        return 0;
    }
    match = senml_units_map(r.name, r.unit, r.has_vb, &m);
    if (match == SENML_MAPPED && strlen(m.name) >= CODEC_QUANTITY_MAX)
        match = SENML_UNKNOWN_NAME;
    if (match != SENML_MAPPED) {
        (*skipped)++;
        warn_skipped(res, &r, why(match), warned);
        return 0;
    }
    value = r.v * m.factor + m.offset;
    if (!isfinite(value)) {
        (*skipped)++;
        warn_skipped(res, &r, "value out of range", warned);
        return 0;
    }
    if (has_reading(res, first, m.name, r.time_us)) {
        (*skipped)++;
        warn_skipped(res, &r, "quantity already at that time", warned);
        return 0;
    }
    return codec_add_at(res, m.name, value, r.time_us) < 0 ? MUE_EDECODE : 0;
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    json_error_t err;
    json_t *pack;
    size_t n, skipped = 0, first = out->n;
    bool warned = false;
    int rc = 0;

    (void)fport; /* devices that post directly have no port; mue-ingest sets 0 */
    pack = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
    if (pack == NULL || !json_is_array(pack)) {
        json_decref(pack);
        return codec_fail(out, "not a SenML pack (a JSON array) at line %d, column %d",
                          pack == NULL ? err.line : 1, pack == NULL ? err.column : 1);
    }
    n = json_array_size(pack);
    if (n == 0)
        rc = codec_fail(out, "empty SenML pack");
    else if (n > CODEC_MAX_READINGS)
        rc = codec_fail(out, "SenML pack of %zu records, more than %d", n, CODEC_MAX_READINGS);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = decode_record(json_array_get(pack, i), i, first, out, &skipped, &warned);
    if (rc == 0 && skipped > 0)
        rc = codec_attr(out, "skipped", "%zu", skipped) < 0 ? MUE_EDECODE : 0;
    json_decref(pack);
    return rc;
}

const struct codec codec_senml = { "senml", "IETF", "SenML JSON (RFC 8428), resolved by mue-ingest",
                                   decode };
