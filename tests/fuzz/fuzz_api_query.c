/* fuzz_api_query.c - libFuzzer target: mue-api's query strings on any bytes. Every parameter the
 * handlers read goes through query_get, then its checker (query.h, series_query.h, the lighting
 * dates and group names); each answer is checked against what it promises.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "lighting_req.h"
#include "mue_time.h"
#include "query.h"
#include "series_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The time the series takes as "now" when ?to= is absent: any fixed instant will do. */
#define NOW_US INT64_C(1795000000000000)

/* Every parameter name some handler reads. */
static const char *const names[] = {
    "limit",  "offset", "dev_eui",  "use_case", "quantity", "from",    "to",    "bucket", "agg",
    "format", "state",  "severity", "rule",     "month",    "commune", "site",  "date",   "group",
    "active", "stage",  "code",     "alerts",   "dataset",  "day",     "night",
};

/* The buffer sizes the handlers give query_get. */
static const size_t caps[] = { 1, 8, 11, 16, 24, 32, 40, 64, 80, 96, 128 };
#define NCAPS (sizeof(caps) / sizeof(caps[0]))
#define BIG   4096

/* A whole number as strtol reads one: blanks, a sign, digits and nothing else. */
static bool looks_whole(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        s++;
    return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* query_get: the same answer whatever the buffer, as long as the value fits. */
static void check_get(const char *query, const char *name)
{
    static char big[BIG];
    char buf[128];
    int whole = query_get(query, name, big, sizeof(big));

    if (whole < -1 || whole > 1)
        abort();
    if (whole == 1 && strlen(big) >= sizeof(big))
        abort();
    for (size_t i = 0; i < NCAPS; i++) {
        int n = query_get(query, name, buf, caps[i]);

        if (n < -1 || n > 1)
            abort();
        if (whole == 0 && n != 0)
            abort(); /* absent is absent */
        if (whole == 1 && strlen(big) < caps[i] && (n != 1 || strcmp(buf, big) != 0))
            abort(); /* it fits: the same value */
        if (whole == 1 && strlen(big) >= caps[i] && n != -1)
            abort(); /* it does not fit: refused, never cut */
        if (whole == -1 && n == 1)
            abort(); /* refused (a NUL in it) whatever the size */
    }
}

static void check_long(const char *text)
{
    static const long ranges[][2] = { { 1, 1000 }, { 0, 1000000000L }, { 1, 500 } };

    for (size_t i = 0; i < 3; i++) {
        long v = -7;
        int rc = query_long(text, ranges[i][0], ranges[i][1], &v);

        if (rc != 0 && rc != -1)
            abort();
        if (rc == 0 && (v < ranges[i][0] || v > ranges[i][1] || !looks_whole(text) ||
                        v != strtol(text, NULL, 10)))
            abort();
        if (rc == -1 && v != -7)
            abort(); /* untouched */
    }
}

static void check_dev_eui(const char *text)
{
    char out[17] = "untouched";
    int rc = query_dev_eui(text, out);
    bool hex = strlen(text) == 16 && strspn(text, "0123456789abcdefABCDEF") == 16;

    if (rc != (hex ? 0 : -1))
        abort();
    if (rc == 0) {
        if (!is_lower_hex(out, 16))
            abort();
        for (size_t i = 0; i < 16; i++)
            if (out[i] != (char)tolower((unsigned char)text[i]))
                abort();
    } else if (strcmp(out, "untouched") != 0) {
        abort();
    }
}

/* The two date checkers (indicators, lighting) must agree, and a date reads back as itself. */
static void check_dates(const char *text)
{
    int64_t days = INT64_MIN;
    char back[11], first[11];
    bool valid = query_date_is_valid(text);
    int rc = lighting_req_date_parse(text, &days);

    if (valid != (rc == 0))
        abort();
    if (rc == 0) {
        lighting_req_date_format(days, back);
        if (strcmp(back, text) != 0)
            abort();
    } else if (days != INT64_MIN) {
        abort();
    }
    if (query_month_is_valid(text)) {
        if (strlen(text) != 7 || atoi(text) < 1970)
            abort();
        snprintf(first, sizeof(first), "%s-01", text);
        if (!query_date_is_valid(first))
            abort();
    }
}

static void check_names(const char *text)
{
    size_t n = strlen(text);

    if (query_use_case_is_valid(text) &&
        (n < 1 || n > 32 || !islower((unsigned char)text[0]) || !is_token(text, 64)))
        abort();
    if (query_quantity_is_valid(text) &&
        (n < 1 || n > 64 || !isalpha((unsigned char)text[0]) || !is_token(text, 128)))
        abort();
    if (query_insee_is_valid(text) && (n != 5 || !isdigit((unsigned char)text[0])))
        abort();
    if (lighting_req_group_is_valid(text) && (n < 1 || n > 64 || !is_token(text, 128)))
        abort();
    if (lighting_req_id_is_valid(text) && (n < 1 || n > 63 || !is_token(text, 128)))
        abort();
}

static void check_page(const char *query)
{
    char why[96] = "", buf[32];
    long limit = -1, offset = -1, v;
    int rc = query_page(query, &limit, &offset, why, sizeof(why));

    if (rc == -1) {
        if (why[0] == '\0')
            abort();
        return;
    }
    if (rc != 0 || limit < 1 || limit > 1000 || offset < 0 || offset > 1000000000L)
        abort();
    if (query_get(query, "limit", buf, sizeof(buf)) == 0 && limit != 100)
        abort();
    if (query_get(query, "offset", buf, sizeof(buf)) == 0 && offset != 0)
        abort();
    if (query_get(query, "limit", buf, sizeof(buf)) == 1 &&
        (query_long(buf, 1, 1000, &v) != 0 || v != limit))
        abort();
}

static void check_series(const char *query)
{
    struct series_query s;
    char why[160] = "", buf[64], t[32];
    int64_t back;
    int rc;

    memset(&s, 0xa5, sizeof(s));
    rc = series_query_parse(query, NOW_US, &s, why, sizeof(why));
    if (rc == -1) {
        if (why[0] == '\0' || strlen(why) >= sizeof(why))
            abort();
        return;
    }
    if (rc != 0)
        abort();
    /* put_head writes quantity unescaped into JSON: its alphabet must be safe. */
    if (!is_token(s.quantity, sizeof(s.quantity)) ||
        strspn(s.quantity, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
            strlen(s.quantity))
        abort();
    if (s.from >= s.to || s.to - s.from > SERIES_QUERY_RANGE_MAX)
        abort();
    if (query_get(query, "to", buf, sizeof(buf)) == 0 && s.to != NOW_US)
        abort();
    if (s.bucket != SERIES_BUCKET_RAW && s.bucket != SERIES_BUCKET_HOUR &&
        s.bucket != SERIES_BUCKET_DAY)
        abort();
    if (s.agg == NULL || s.agg->name == NULL || s.agg->expr == NULL)
        abort();
    if (s.agg->sound_only &&
        !(s.quantity[0] == 'L' && strchr("ACZ", s.quantity[1]) != NULL && s.quantity[1] != '\0'))
        abort();
    if (s.csv != (query_get(query, "format", buf, sizeof(buf)) == 1 && strcmp(buf, "csv") == 0))
        abort();
    /* The times go to SQL as mue_time_format writes them: they must read back the same. */
    mue_time_format(s.from, t, sizeof(t));
    if (mue_time_parse(t, &back) != 0 || back != s.from)
        abort();
    mue_time_format(s.to, t, sizeof(t));
    if (mue_time_parse(t, &back) != 0 || back != s.to)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The query string as civetweb hands it over: text up to the first NUL, in a buffer of its
     * own size so that reading past it is caught. */
    size_t len = strnlen((const char *)data, size);
    char *query = malloc(len + 1);
    char value[BIG];

    memcpy(query, data, len);
    query[len] = '\0';
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        check_get(query, names[i]);
        if (query_get(query, names[i], value, sizeof(value)) != 1)
            continue;
        check_long(value);
        check_dev_eui(value);
        check_dates(value);
        check_names(value);
    }
    check_page(query);
    check_series(query);
    check_series(NULL);
    free(query);
    return 0;
}
