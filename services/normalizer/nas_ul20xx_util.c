/* nas_ul20xx_util.c - the NAS UL20xx codec's reader, address and attribute helpers.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "nas_ul20xx.h"

/* 2015-01-01T00:00:00Z: the vendor's decoder calls earlier device times unset (the clock starts
 * at 2000-01-01 until the network answers DeviceTimeReq). */
#define UL20XX_EPOCH_MIN 1420070400u

void ul20xx_rd_init(struct ul20xx_rd *rd, const uint8_t *buf, size_t len, struct codec_result *out)
{
    memset(rd, 0, sizeof(*rd));
    rd->buf = buf;
    rd->len = len;
    rd->out = out;
    rd->n0 = out->n;
    rd->nattr0 = out->nattr;
    rd->what = "frame";
}

int ul20xx_fail(struct ul20xx_rd *rd, const char *fmt, ...)
{
    va_list ap;

    if (rd->err == 0) {
        va_start(ap, fmt);
        vsnprintf(rd->out->reason, sizeof(rd->out->reason), fmt, ap);
        va_end(ap);
        rd->err = MUE_EDECODE;
    }
    rd->pos = rd->len;
    return MUE_EDECODE;
}

/* For helpers that already wrote the reason (codec_add, codec_attr when full). */
static void fail_kept_reason(struct ul20xx_rd *rd)
{
    rd->err = MUE_EDECODE;
    rd->pos = rd->len;
}

size_t ul20xx_left(const struct ul20xx_rd *rd)
{
    return rd->len - rd->pos;
}

int ul20xx_expect_left(struct ul20xx_rd *rd, size_t n)
{
    size_t left = ul20xx_left(rd);

    if (rd->err != 0)
        return rd->err;
    if (left < n)
        return ul20xx_fail(rd, "truncated %s: %zu of %zu bytes at byte %zu", rd->what, left, n,
                           rd->pos);
    if (left > n)
        return ul20xx_fail(rd, "%s too long: %zu bytes after byte %zu where %zu belong", rd->what,
                           left, rd->pos, n);
    return MUE_OK;
}

const uint8_t *ul20xx_raw(struct ul20xx_rd *rd, size_t n)
{
    const uint8_t *p;

    if (rd->err != 0)
        return NULL;
    if (ul20xx_left(rd) < n) {
        ul20xx_fail(rd, "truncated %s: %zu byte(s) missing at byte %zu", rd->what,
                    n - ul20xx_left(rd), rd->pos);
        return NULL;
    }
    p = rd->buf + rd->pos;
    rd->pos += n;
    return p;
}

unsigned ul20xx_u8(struct ul20xx_rd *rd)
{
    const uint8_t *p = ul20xx_raw(rd, 1);
    return p ? p[0] : 0u;
}

unsigned ul20xx_u16(struct ul20xx_rd *rd)
{
    const uint8_t *p = ul20xx_raw(rd, 2);
    return p ? (unsigned)p[0] | (unsigned)p[1] << 8 : 0u;
}

uint32_t ul20xx_u32(struct ul20xx_rd *rd)
{
    const uint8_t *p = ul20xx_raw(rd, 4);

    if (p == NULL)
        return 0;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int ul20xx_i8(struct ul20xx_rd *rd)
{
    unsigned v = ul20xx_u8(rd);
    return v > 0x7F ? (int)v - 0x100 : (int)v;
}

int ul20xx_i16(struct ul20xx_rd *rd)
{
    unsigned v = ul20xx_u16(rd);
    return v > 0x7FFF ? (int)v - 0x10000 : (int)v;
}

int32_t ul20xx_i32(struct ul20xx_rd *rd)
{
    uint32_t v = ul20xx_u32(rd);
    return v > 0x7FFFFFFFu ? (int32_t)((int64_t)v - 0x100000000) : (int32_t)v;
}

double ul20xx_f32(struct ul20xx_rd *rd)
{
    uint32_t v = ul20xx_u32(rd);
    float f;

    memcpy(&f, &v, sizeof(f)); /* IEEE 754 single, little-endian on the wire like the rest */
    return (double)f;
}

/* Returns the frame's attribute of 'key', or NULL. */
static struct codec_attr *attr_find(struct ul20xx_rd *rd, const char *key)
{
    for (size_t i = rd->nattr0; i < rd->out->nattr; i++) {
        if (strcmp(rd->out->attr[i].key, key) == 0)
            return &rd->out->attr[i];
    }
    return NULL;
}

/* Appends ", item" (or "; item") to 'v' when it fits; returns 1 if it did. */
static int join(char *v, const char *sep, const char *item)
{
    size_t used = strlen(v), n = strlen(item);

    if (used + 2 + n >= sizeof(((struct codec_attr *)0)->value))
        return 0;
    memcpy(v + used, sep, 2);
    memcpy(v + used + 2, item, n + 1);
    return 1;
}

static void attr_put(struct ul20xx_rd *rd, const char *key, const char *value)
{
    struct codec_result *out = rd->out;

    if (out->nattr >= CODEC_MAX_ATTRS) {
        ul20xx_fail(rd, "more than %d attributes (at %s)", CODEC_MAX_ATTRS, key);
        return;
    }
    out->attr[out->nattr].key = key;
    snprintf(out->attr[out->nattr].value, sizeof(out->attr[0].value), "%s", value);
    out->nattr++;
}

void ul20xx_attr(struct ul20xx_rd *rd, const char *key, const char *fmt, ...)
{
    char value[sizeof(rd->out->attr[0].value)];
    struct codec_attr *same;
    va_list ap;

    if (rd->err != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    same = attr_find(rd, key);
    if (same == NULL || !join(same->value, "; ", value))
        attr_put(rd, key, value);
}

void ul20xx_bool_attr(struct ul20xx_rd *rd, const char *key, unsigned bit)
{
    ul20xx_attr(rd, key, "%s", bit ? "true" : "false");
}

/* The first of 'keys' the frame does not use yet (a list may come twice in a chain). */
static const char *key_unused(struct ul20xx_rd *rd, const char *const *keys)
{
    for (size_t i = 0; i < CODEC_MAX_ATTRS; i++) {
        if (attr_find(rd, keys[i]) == NULL)
            return keys[i];
    }
    return keys[0]; /* unreachable: fewer attributes than keys */
}

void ul20xx_list_add(struct ul20xx_rd *rd, struct ul20xx_list *l, const char *fmt, ...)
{
    char item[sizeof(rd->out->attr[0].value)];
    va_list ap;

    if (rd->err != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(item, sizeof(item), fmt, ap);
    va_end(ap);
    if (l->open && join(rd->out->attr[l->at].value, ", ", item))
        return;
    attr_put(rd, key_unused(rd, l->keys), item);
    l->at = rd->out->nattr - 1;
    l->open = rd->err == 0;
}

void ul20xx_hex_attr(struct ul20xx_rd *rd, const char *const *keys, const uint8_t *p, size_t n)
{
    size_t i = 0;

    if (n == 0 && rd->err == 0)
        attr_put(rd, key_unused(rd, keys), "");
    while (i < n && rd->err == 0) {
        char hex[47];
        size_t k = 0;

        for (; i < n && k + 2 < sizeof(hex); i++, k += 2)
            snprintf(hex + k, sizeof(hex) - k, "%02X", p[i]);
        attr_put(rd, key_unused(rd, keys), hex);
    }
}

void ul20xx_add_at(struct ul20xx_rd *rd, const char *quantity, double value, int64_t time_us)
{
    if (rd->err != 0)
        return;
    if (codec_add_at(rd->out, quantity, value, time_us) != MUE_OK)
        fail_kept_reason(rd);
}

void ul20xx_add(struct ul20xx_rd *rd, const char *quantity, double value)
{
    ul20xx_add_at(rd, quantity, value, 0);
}

int ul20xx_add_once(struct ul20xx_rd *rd, const char *quantity, double value)
{
    for (size_t i = rd->n0; i < rd->out->n; i++) {
        if (strcmp(rd->out->r[i].quantity, quantity) == 0)
            return 0;
    }
    ul20xx_add(rd, quantity, value);
    return rd->err == 0;
}

void ul20xx_addr_read(struct ul20xx_rd *rd, const char *ff_name, struct ul20xx_addr *a)
{
    size_t at = rd->pos;
    unsigned b = ul20xx_u8(rd);

    memset(a, 0, sizeof(*a));
    if (rd->err != 0)
        return;
    if (b == 0x01) {
        a->kind = UL20XX_ADDR_ANALOG;
        snprintf(a->name, sizeof(a->name), "analog_0_10v");
    } else if (b == 0xFE) {
        a->kind = UL20XX_ADDR_BROADCAST;
        snprintf(a->name, sizeof(a->name), "dali_broadcast");
    } else if (b == 0xFF && ff_name != NULL) {
        a->kind = UL20XX_ADDR_FF;
        snprintf(a->name, sizeof(a->name), "%s", ff_name);
    } else if ((b & 0x81) == 0) {
        a->kind = UL20XX_ADDR_SHORT;
        a->num = b >> 1;
        snprintf(a->name, sizeof(a->name), "dali_single_%u", a->num);
    } else if ((b & 0xE1) == 0x80) {
        a->kind = UL20XX_ADDR_GROUP;
        a->num = (b >> 1) & 0x0F;
        snprintf(a->name, sizeof(a->name), "dali_group_%u", a->num);
    } else {
        /* The vendor warns "invalid_address" for odd bytes and 0xFF, and reads 101xxxx0 and
         * 110xxxx0 as groups by masking; DALI reserves those for special commands. */
        ul20xx_fail(rd, "invalid DALI address 0x%02x in %s at byte %zu", b, rd->what, at);
    }
}

int ul20xx_level_read(struct ul20xx_rd *rd, const char *ff_name, char *buf, size_t size)
{
    size_t at = rd->pos;
    unsigned v = ul20xx_u8(rd);

    snprintf(buf, size, "%s", "");
    if (rd->err != 0)
        return -1;
    if (v == 0xFF && ff_name != NULL) {
        snprintf(buf, size, "%s", ff_name);
        return -1;
    }
    if (v > 100) {
        ul20xx_fail(rd, "dimming level %u > 100 in %s at byte %zu", v, rd->what, at);
        return -1;
    }
    snprintf(buf, size, "%u%%", v);
    return (int)v;
}

/* The status flags the vendor turns into warnings, in its order (bit numbers of STATUS). */
static const struct {
    unsigned bit;
    const char *name;
} dali_faults[] = {
    { 0, "driver_error" }, { 1, "lamp_failure" },  { 3, "limit_error" },
    { 5, "reset_state" },  { 7, "power_failure" },
};

void ul20xx_dali_status(struct ul20xx_rd *rd, const struct ul20xx_addr *a, unsigned bits)
{
    char name[CODEC_QUANTITY_MAX];

    if (bits == 0xFF || rd->err != 0)
        return;
    for (size_t i = 0; i < sizeof(dali_faults) / sizeof(dali_faults[0]); i++) {
        if (bits & 1u << dali_faults[i].bit)
            codec_warn(rd->out, "%s %s", a->name, dali_faults[i].name);
    }
    /* Groups have no index of their own in the vocabulary, and 0-10 V drivers answer no DALI
     * query, so only short addresses and broadcast give readings. lamp_failure also counts the
     * control gear failure bit: the vocabulary's flag is "lamp or driver". */
    if (a->kind == UL20XX_ADDR_SHORT) {
        snprintf(name, sizeof(name), "lamp_on_%u", a->num);
        ul20xx_add_once(rd, name, (double)(bits >> 2 & 1u));
        snprintf(name, sizeof(name), "lamp_failure_%u", a->num);
        ul20xx_add_once(rd, name, (double)((bits | bits >> 1) & 1u));
    } else if (a->kind == UL20XX_ADDR_BROADCAST) {
        ul20xx_add_once(rd, "lamp_on", (double)(bits >> 2 & 1u));
        ul20xx_add_once(rd, "lamp_failure", (double)((bits | bits >> 1) & 1u));
    }
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), so that no time_t or libc
 * time zone is involved. */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    long era, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    yoe = z - era * 146097;
    yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
    doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int ul20xx_epoch_attr(struct ul20xx_rd *rd, const char *key, uint32_t epoch)
{
    long y;
    unsigned m, d, s = (unsigned)(epoch % 86400u);

    if (epoch < UL20XX_EPOCH_MIN) {
        ul20xx_attr(rd, key, "%s", "invalid_timestamp");
        codec_warn(rd->out, "invalid_timestamp");
        return 0;
    }
    civil_from_days((long)(epoch / 86400u), &y, &m, &d);
    ul20xx_attr(rd, key, "%04ld-%02u-%02uT%02u:%02u:%02u.000Z", y, m, d, s / 3600, s / 60 % 60,
                s % 60);
    return 1;
}

void ul20xx_lux_format(double lx, char *buf, size_t size)
{
    double l = lx > 0.0 ? log10(lx) : 0.0;
    int decimals;

    if (!(l >= 0.0))
        l = 0.0;
    if (l > 3.0)
        l = 3.0;
    decimals = 3 - (int)l;
    snprintf(buf, size, "%.*f", decimals, lx);
}
