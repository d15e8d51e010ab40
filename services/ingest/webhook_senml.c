/* webhook_senml.c - SenML JSON packs (RFC 8428) posted by devices, resolved into one uplink.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "mue_mem.h"
#include "mue_sha256.h"
#include "webhook.h"
#include "webhook_json.h"

/* The normalizer keeps at most CODEC_MAX_READINGS (64) readings of one uplink: a longer pack
 * would lose readings silently downstream, so it is refused here, where the device hears why. */
#define SENML_MAX_RECORDS 64
/* Bounds that keep one record well inside the 4 KiB resolved pack. */
#define SENML_MAX_NAME 128
#define SENML_MAX_UNIT 32
/* RFC 8428 4.4: the version this code understands, the default when bver is absent. */
#define SENML_VERSION 10
/* RFC 9100 4: feature 4, secondary units (RFC 8798), is version bit 16. Units pass through this
 * parser as text, so a pack announcing them is understood: 10 + 16. */
#define SENML_VERSION_SECONDARY_UNITS 26
/* RFC 8428 4.5.3: times below 2**28 s count from "now". */
#define SENML_RELATIVE_LIMIT 268435456.0
/* 10000-01-01T00:00:00Z: any time from then on is an error, and the bound keeps µs in an int64. */
#define SENML_END_OF_TIME_S 253402300800.0

/* Base fields in force (RFC 8428 4.1): each applies to its own record and every later one until a
 * record sets it again. Strings and values are borrowed from the parsed pack. */
struct base {
    const char *bn;
    const json_t *bu;
    double bt, bv, bs;
    bool has_bs;
    json_int_t version;
};

enum value_kind { VALUE_NONE, VALUE_NUMBER, VALUE_STRING, VALUE_BOOL, VALUE_DATA };

/* One resolved record; name = bn + n, the text values are borrowed from the parsed pack. */
struct record {
    const char *bn, *n;
    const json_t *unit;
    int64_t time_us;
    enum value_kind kind;
    double v;
    const json_t *text; /* vs or vd */
    bool vb;
    bool has_sum, has_ut;
    double sum, ut;
};

/* The labels of RFC 8428 table 1; others are ignored unless they end in '_'. */
static const char *const known_labels[] = {
    "bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut",
};

static bool is_known_label(const char *key)
{
    for (size_t i = 0; i < sizeof(known_labels) / sizeof(known_labels[0]); i++) {
        if (strcmp(key, known_labels[i]) == 0)
            return true;
    }
    return false;
}

/* Fields that make a record more than a carrier of base fields (see parse_record). */
static bool is_regular_label(const char *key)
{
    return is_known_label(key) && key[0] != 'b';
}

static bool is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 8428 4.5.1: a letter or digit, then letters, digits and "-:./_". */
static bool is_name_char(char c, bool first)
{
    return is_alnum(c) || (!first && strchr("-:./_", c) != NULL && c != '\0');
}

/* The present member, or NULL for absent; JSON null counts as absent, as in webhook_json.h. */
static const json_t *field(const json_t *rec, const char *label)
{
    const json_t *v = json_object_get(rec, label);

    return json_is_null(v) ? NULL : v;
}

/* A present number member into *out; absent leaves *out and *found false. */
static int number_field(const json_t *rec, const char *where, const char *label, double *out,
                        bool *found, struct webhook_reason *r)
{
    const json_t *v = field(rec, label);

    *found = v != NULL;
    if (v == NULL)
        return 0;
    if (!json_is_number(v))
        return webhook_json_fail(r, where, label, "not a number");
    *out = json_number_value(v);
    return 0;
}

/* A present unit member (u or bu), bounded; absent gives NULL. */
static int unit_field(const json_t *rec, const char *where, const char *label, const json_t **out,
                      struct webhook_reason *r)
{
    const char *s;
    char what[48];
    int rc = webhook_json_string(rec, where, label, false, &s, r);

    if (rc < 0)
        return rc;
    if (s != NULL && strlen(s) > SENML_MAX_UNIT) {
        snprintf(what, sizeof(what), "longer than %d bytes", SENML_MAX_UNIT);
        return webhook_json_fail(r, where, label, what);
    }
    *out = s != NULL ? field(rec, label) : NULL;
    return 0;
}

/* Refuses keys ending in '_' (RFC 8428 4.4: must be understood, and none is) and tells whether
 * the record has a regular field. The key is quoted only when it is a short SenML-like label, so
 * a body's bytes never reach the reason. */
static int check_labels(json_t *rec, const char *where, bool *has_regular, struct webhook_reason *r)
{
    const char *key;
    json_t *value;

    *has_regular = false;
    json_object_foreach(rec, key, value)
    {
        size_t len = strlen(key);

        if (value != NULL && !json_is_null(value) && is_regular_label(key))
            *has_regular = true;
        if (len > 0 && key[len - 1] == '_') {
            bool quotable = len <= 24;
            for (size_t i = 0; quotable && i < len; i++)
                quotable = is_name_char(key[i], false);
            return webhook_json_fail(r, where, quotable ? key : NULL,
                                     "must-understand field (name ending in '_') not supported");
        }
    }
    return 0;
}

/* RFC 8428 4.4 and RFC 9100: every record has the same version, 10 unless the first says
 * otherwise; a version above the one understood is refused. */
static int apply_version(const json_t *rec, const char *where, size_t index, struct base *b,
                         struct webhook_reason *r)
{
    const json_t *v = field(rec, "bver");
    json_int_t ver;

    if (v == NULL)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return webhook_json_fail(r, where, "bver", "not a positive integer");
    ver = json_integer_value(v);
    if (ver > SENML_VERSION && ver != SENML_VERSION_SECONDARY_UNITS)
        return webhook_json_fail(r, where, "bver", "SenML version not supported (10 or 26 known)");
    if (index > 0 && ver != b->version)
        return webhook_json_fail(r, where, "bver", "differs from the version of earlier records");
    b->version = ver;
    return 0;
}

static int apply_base(const json_t *rec, const char *where, size_t index, struct base *b,
                      struct webhook_reason *r)
{
    const char *bn;
    const json_t *bu = NULL;
    double d = 0;
    bool found;
    int rc;

    rc = apply_version(rec, where, index, b, r);
    if (rc == 0)
        rc = webhook_json_string(rec, where, "bn", false, &bn, r);
    if (rc == 0 && bn != NULL)
        b->bn = bn;
    if (rc == 0)
        rc = unit_field(rec, where, "bu", &bu, r);
    if (rc == 0 && bu != NULL)
        b->bu = bu;
    if (rc == 0)
        rc = number_field(rec, where, "bt", &d, &found, r);
    if (rc == 0 && found)
        b->bt = d;
    if (rc == 0)
        rc = number_field(rec, where, "bv", &d, &found, r);
    if (rc == 0 && found)
        b->bv = d;
    if (rc == 0)
        rc = number_field(rec, where, "bs", &d, &found, r);
    if (rc == 0 && found) {
        b->bs = d;
        b->has_bs = true;
    }
    return rc;
}

/* name = bn + n, checked against RFC 8428 4.5.1. */
static int resolve_name(const char *bn, const char *n, const char *where, struct webhook_reason *r)
{
    const char *key = n[0] != '\0' ? "n" : "bn";
    size_t bn_len = strlen(bn), len = bn_len + strlen(n);
    char what[48];

    if (len == 0)
        return webhook_json_fail(r, where, "n", "missing (and no bn)");
    if (len > SENML_MAX_NAME) {
        snprintf(what, sizeof(what), "name (bn + n) longer than %d bytes", SENML_MAX_NAME);
        return webhook_json_fail(r, where, key, what);
    }
    for (size_t i = 0; i < len; i++) {
        char c = i < bn_len ? bn[i] : n[i - bn_len];
        if (!is_name_char(c, i == 0))
            return webhook_json_fail(r, where, key,
                                     "not a SenML name (A-Z a-z 0-9, then also - : . / _)");
    }
    return 0;
}

/* time = bt + t; below 2**28 it counts from now_us (RFC 8428 4.5.3). */
static int resolve_time(double t, int64_t now_us, const char *where, int64_t *out,
                        struct webhook_reason *r)
{
    bool relative = t < SENML_RELATIVE_LIMIT;
    double s = relative ? (double)now_us / 1e6 + t : t;
    int64_t v;

    if (!(s >= 0 && s < SENML_END_OF_TIME_S))
        return webhook_json_fail(r, where, "t", "time (bt + t) out of range");
    /* t * 1e6 is within +-2**63 here; rounding the offset alone keeps now_us exact. */
    v = relative ? now_us + llround(t * 1e6) : llround(t * 1e6);
    if (v < 0)
        v = 0;
    *out = v;
    return 0;
}

/* vd: RFC 8428 5 says base64url without padding. Checked, not decoded: the text is what the
 * resolved pack carries, and a length of 4k + 1 characters is the one no encoder writes. */
static int check_data(const char *s, const char *where, struct webhook_reason *r)
{
    size_t len = strlen(s);

    for (size_t i = 0; i < len; i++) {
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
            return webhook_json_fail(r, where, "vd", "not base64url without padding");
    }
    if (len % 4 == 1)
        return webhook_json_fail(r, where, "vd", "not base64url without padding");
    return 0;
}

/* The value fields: at most one of v, vs, vb, vd (RFC 8428 4.2). */
static int parse_value(const json_t *rec, const char *where, const struct base *b,
                       struct record *out, struct webhook_reason *r)
{
    const json_t *vs = field(rec, "vs"), *vb = field(rec, "vb"), *vd = field(rec, "vd");
    bool has_v;
    int rc;

    rc = number_field(rec, where, "v", &out->v, &has_v, r);
    if (rc < 0)
        return rc;
    if ((has_v ? 1 : 0) + (vs != NULL ? 1 : 0) + (vb != NULL ? 1 : 0) + (vd != NULL ? 1 : 0) > 1)
        return webhook_json_fail(r, where, NULL, "more than one of v, vs, vb, vd");
    out->kind = VALUE_NONE;
    if (has_v) {
        out->kind = VALUE_NUMBER;
        out->v += b->bv;
        if (!isfinite(out->v))
            return webhook_json_fail(r, where, "v", "not finite (bv + v)");
    } else if (vs != NULL) {
        if (!json_is_string(vs))
            return webhook_json_fail(r, where, "vs", "not a string");
        out->kind = VALUE_STRING;
        out->text = vs;
    } else if (vb != NULL) {
        if (!json_is_boolean(vb))
            return webhook_json_fail(r, where, "vb", "not a boolean");
        out->kind = VALUE_BOOL;
        out->vb = json_is_true(vb);
    } else if (vd != NULL) {
        if (!json_is_string(vd))
            return webhook_json_fail(r, where, "vd", "not a string");
        rc = check_data(json_string_value(vd), where, r);
        if (rc < 0)
            return rc;
        out->kind = VALUE_DATA;
        out->text = vd;
    }
    return 0;
}

/* The sum (bs + s, RFC 8428 4.5.4) and the update time. */
static int parse_sum_and_ut(const json_t *rec, const char *where, const struct base *b,
                            struct record *out, struct webhook_reason *r)
{
    double s = 0;
    bool has_s;
    int rc;

    rc = number_field(rec, where, "s", &s, &has_s, r);
    if (rc == 0)
        rc = number_field(rec, where, "ut", &out->ut, &out->has_ut, r);
    if (rc < 0)
        return rc;
    out->has_sum = has_s || b->has_bs;
    out->sum = b->bs + s;
    if (out->has_sum && !isfinite(out->sum))
        return webhook_json_fail(r, where, "s", "not finite (bs + s)");
    if (out->has_ut && !(out->ut >= 0))
        return webhook_json_fail(r, where, "ut", "negative");
    return 0;
}

/* One element of the pack: applies its base fields to *b, then resolves it into *out. Returns 1
 * when it is a record, 0 when it only carries base fields, or MUE_EDECODE. */
static int parse_record(json_t *rec, size_t index, int64_t now_us, struct base *b,
                        struct record *out, struct webhook_reason *r)
{
    char where[24];
    const char *n;
    double t = 0;
    bool has_regular, has_t;
    int rc;

    snprintf(where, sizeof(where), "[%zu]", index);
    if (!json_is_object(rec))
        return webhook_json_fail(r, where, NULL, "not an object");
    memset(out, 0, sizeof(*out));
    rc = check_labels(rec, where, &has_regular, r);
    if (rc == 0)
        rc = apply_base(rec, where, index, b, r);
    if (rc == 0)
        rc = webhook_json_string(rec, where, "n", false, &n, r);
    if (rc == 0)
        rc = unit_field(rec, where, "u", &out->unit, r);
    if (rc == 0)
        rc = number_field(rec, where, "t", &t, &has_t, r);
    if (rc == 0)
        rc = parse_value(rec, where, b, out, r);
    if (rc == 0)
        rc = parse_sum_and_ut(rec, where, b, out, r);
    if (rc < 0)
        return rc;
    /* RFC 8428 4.2 wants a value, or a sum, in every record; yet its own 5.1.7 example opens a
     * pack with a record of base fields only, to set bn for the records after it. Such a record
     * states no measurement: it is taken as context, not refused. A record with a regular field
     * (n, u, t, ut) but no value and no sum is a measurement without one: refused. */
    if (out->kind == VALUE_NONE && !out->has_sum) {
        if (has_regular)
            return webhook_json_fail(r, where, NULL, "no value (v, vs, vb, vd) nor sum (s)");
        return 0;
    }
    /* A base sum alone gives a record with no s of its own a sum; a record of base fields only
     * is still context, whatever base sum is in force. */
    if (!has_regular)
        return 0;
    out->bn = b->bn;
    out->n = n != NULL ? n : "";
    rc = resolve_name(out->bn, out->n, where, r);
    if (rc < 0)
        return rc;
    if (out->unit == NULL)
        out->unit = b->bu;
    if (!isfinite(b->bt + t))
        return webhook_json_fail(r, where, "t", "not finite (bt + t)");
    rc = resolve_time(b->bt + t, now_us, where, &out->time_us, r);
    return rc < 0 ? rc : 1;
}

/* The resolved pack is written straight into the uplink's payload; past its end the pack is too
 * large and 'full' says so. */
struct pack_writer {
    char *buf;
    size_t cap, len;
    bool full;
};

static void put(struct pack_writer *w, const char *s, size_t len)
{
    if (w->full || len > w->cap - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->buf + w->len, s, len);
    w->len += len;
}

static void put_str(struct pack_writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* A JSON string as jansson escapes it. */
static void put_json_string(struct pack_writer *w, const json_t *s)
{
    size_t need;

    if (w->full)
        return;
    need = json_dumpb(s, w->buf + w->len, w->cap - w->len, JSON_ENCODE_ANY);
    if (need == 0 || need > w->cap - w->len) {
        w->full = true;
        return;
    }
    w->len += need;
}

/* The shortest %g text that reads back as the same double: 23.1 stays "23.1", not
 * "23.100000000000001" as jansson's fixed 17 digits would write. */
static void put_number(struct pack_writer *w, double d)
{
    char text[40];

    for (int prec = 15; prec <= 17; prec++) {
        snprintf(text, sizeof(text), "%.*g", prec, d);
        if (strtod(text, NULL) == d)
            break;
    }
    put_str(w, text);
}

/* Seconds since the epoch from whole µs, exactly: "1320067464.001", never a binary fraction. */
static void put_time(struct pack_writer *w, int64_t time_us)
{
    char text[40];
    int64_t frac = time_us % 1000000;
    int len = snprintf(text, sizeof(text), "%" PRId64, time_us / 1000000);

    if (frac != 0) {
        len += snprintf(text + len, sizeof(text) - (size_t)len, ".%06" PRId64, frac);
        while (text[len - 1] == '0')
            text[--len] = '\0';
    }
    put_str(w, text);
}

static void put_record(struct pack_writer *w, const struct record *rec, json_int_t version)
{
    char text[32];

    put_str(w, "{\"n\":\"");
    put_str(w, rec->bn);
    put_str(w, rec->n); /* the name characters need no escaping */
    put_str(w, "\"");
    if (rec->unit != NULL) {
        put_str(w, ",\"u\":");
        put_json_string(w, rec->unit);
    }
    put_str(w, ",\"t\":");
    put_time(w, rec->time_us);
    if (rec->kind == VALUE_NUMBER) {
        put_str(w, ",\"v\":");
        put_number(w, rec->v);
    } else if (rec->kind == VALUE_STRING || rec->kind == VALUE_DATA) {
        put_str(w, rec->kind == VALUE_STRING ? ",\"vs\":" : ",\"vd\":");
        put_json_string(w, rec->text);
    } else if (rec->kind == VALUE_BOOL) {
        put_str(w, rec->vb ? ",\"vb\":true" : ",\"vb\":false");
    }
    if (rec->has_sum) {
        put_str(w, ",\"s\":");
        put_number(w, rec->sum);
    }
    if (rec->has_ut) {
        put_str(w, ",\"ut\":");
        put_number(w, rec->ut);
    }
    /* RFC 8428 4.6: resolved records of another version than 10 each say which. */
    if (version != SENML_VERSION) {
        snprintf(text, sizeof(text), ",\"bver\":%" JSON_INTEGER_FORMAT, version);
        put_str(w, text);
    }
    put_str(w, "}");
}

/* RFC 8428 4.6: resolved records are in chronological order. Insertion sort: stable, so records
 * of the same time keep the device's order, and there are at most 64. */
static void sort_by_time(struct record *recs, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct record cur = recs[i];
        size_t j = i;

        for (; j > 0 && recs[j - 1].time_us > cur.time_us; j--)
            recs[j] = recs[j - 1];
        recs[j] = cur;
    }
}

/* Copies the route's DevEUI, lowercase; it comes from the token table, but is checked all the
 * same since it ends up in subjects and keys. */
static int copy_dev_eui(const char *dev_eui, char out[17], struct webhook_reason *r)
{
    if (dev_eui == NULL || strlen(dev_eui) != 16)
        return webhook_json_fail(r, NULL, "dev_eui", "not 16 hex digits");
    for (int i = 0; i < 16; i++) {
        char c = dev_eui[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return webhook_json_fail(r, NULL, "dev_eui", "not 16 hex digits");
        out[i] = c;
    }
    out[16] = '\0';
    return 0;
}

static int resolve_pack(json_t *root, int64_t now_us, struct webhook_uplink *u,
                        struct webhook_reason *r)
{
    struct record recs[SENML_MAX_RECORDS];
    struct base b = { "", NULL, 0, 0, 0, false, SENML_VERSION };
    struct pack_writer w = { (char *)u->payload, sizeof(u->payload), 0, false };
    size_t size = json_array_size(root), n = 0;
    char what[64], hash[65];

    if (size == 0)
        return webhook_json_fail(r, NULL, NULL, "empty pack (no record)");
    if (size > SENML_MAX_RECORDS) {
        snprintf(what, sizeof(what), "pack has more than %d records", SENML_MAX_RECORDS);
        return webhook_json_fail(r, NULL, NULL, what);
    }
    for (size_t i = 0; i < size; i++) {
        int rc = parse_record(json_array_get(root, i), i, now_us, &b, &recs[n], r);
        if (rc < 0)
            return rc;
        n += (size_t)rc;
    }
    if (n == 0)
        return webhook_json_fail(r, NULL, NULL, "no record with a value or a sum");
    sort_by_time(recs, n);

    put_str(&w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            put_str(&w, ",");
        put_record(&w, &recs[i], b.version);
    }
    put_str(&w, "]");
    if (w.full) {
        snprintf(what, sizeof(what), "pack too large (resolved over %d bytes)",
                 WEBHOOK_MAX_PAYLOAD);
        return webhook_json_fail(r, NULL, NULL, what);
    }
    u->payload_len = w.len;
    u->time_us = recs[n - 1].time_us;
    /* The earliest time tells a person what the pack is; the hash of what it resolved to tells
     * two packs of the same instant apart (a temperature, then a humidity, posted separately)
     * while a retried pack with absolute times keeps its id. */
    mue_sha256_hex(u->payload, u->payload_len, hash);
    snprintf(u->id, sizeof(u->id), "senml:%s:%" PRId64 ":%.16s", u->dev_eui, recs[0].time_us, hash);
    return 0;
}

int webhook_senml_parse(const char *body, size_t len, const char *dev_eui, int64_t now_us,
                        struct webhook_event *out, char *reason, size_t reason_cap)
{
    struct webhook_reason r = { reason, reason_cap };
    /* Filled on the side so that *out is untouched when the body is rejected; on the heap, as
     * the event is some 13 KiB and HTTP worker threads may have small stacks. */
    struct webhook_event *ev = mue_xcalloc(1, sizeof(*ev));
    json_t *root = NULL;
    int rc;

    if (reason != NULL && reason_cap > 0)
        reason[0] = '\0';
    rc = copy_dev_eui(dev_eui, ev->up.dev_eui, &r);
    if (rc == 0)
        rc = webhook_json_load_array(body, len, &root, &r);
    if (rc == 0)
        rc = resolve_pack(root, now_us, &ev->up, &r);
    if (rc == 0) {
        ev->kind = WEBHOOK_UPLINK;
        snprintf(ev->up.network, sizeof(ev->up.network), "senml");
        *out = *ev;
    }
    json_decref(root);
    free(ev);
    return rc;
}
