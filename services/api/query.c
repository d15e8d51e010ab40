/* query.c - the values of mue-api's query strings, read and checked without a connection.
 * SPDX-License-Identifier: MIT */
#include "query.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

int query_get(const char *query, const char *name, char *buf, size_t cap)
{
    int n;

    if (query == NULL)
        return 0;
    /* civetweb: the decoded length, -1 when absent, -2 when it does not fit. */
    n = mg_get_var(query, strlen(query), name, buf, cap);
    if (n == -1)
        return 0;
    /* A %00 would cut the value short where C reads it: "limit=%00" is not an empty limit. */
    if (n < 0 || strlen(buf) != (size_t)n)
        return -1;
    return 1;
}

int query_long(const char *text, long lo, long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int query_page(const char *query, long *limit, long *offset, char *why, size_t cap)
{
    char buf[32];
    int n;

    *limit = 100;
    *offset = 0;
    n = query_get(query, "limit", buf, sizeof(buf));
    if (n < 0 || (n == 1 && query_long(buf, 1, 1000, limit) < 0))
        return snprintf(why, cap, "limit must be a whole number from 1 to 1000"), -1;
    n = query_get(query, "offset", buf, sizeof(buf));
    if (n < 0 || (n == 1 && query_long(buf, 0, 1000000000L, offset) < 0))
        return snprintf(why, cap, "offset must be a whole number from 0"), -1;
    return 0;
}

int query_dev_eui(const char *in, char out[17])
{
    if (strlen(in) != 16 || strspn(in, "0123456789abcdefABCDEF") != 16)
        return -1;
    for (size_t i = 0; i < 16; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[16] = '\0';
    return 0;
}

bool query_use_case_is_valid(const char *s)
{
    size_t n = strlen(s);

    return n >= 1 && n <= 32 && s[0] >= 'a' && s[0] <= 'z' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

bool query_quantity_is_valid(const char *s)
{
    size_t n = strlen(s);

    return n >= 1 && n <= 64 &&
           strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", s[0]) &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

bool query_month_is_valid(const char *s)
{
    return strlen(s) == 7 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
           strspn(s + 5, "0123456789") == 2 && atoi(s) >= 1970 && atoi(s + 5) >= 1 &&
           atoi(s + 5) <= 12;
}

bool query_date_is_valid(const char *s)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d;

    if (strlen(s) != 10 || strspn(s, "0123456789") != 4 || s[4] != '-' ||
        strspn(s + 5, "0123456789") != 2 || s[7] != '-' || strspn(s + 8, "0123456789") != 2)
        return false;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

bool query_insee_is_valid(const char *s)
{
    return strlen(s) == 5 && s[0] >= '0' && s[0] <= '9' && strchr("0123456789AB", s[1]) &&
           strspn(s + 2, "0123456789") == 3;
}
