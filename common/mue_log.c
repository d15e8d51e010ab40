/* mue_log.c - the logfmt writer.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_err.h"
#include "mue_log.h"

enum mue_log_level mue_log_min_level = MUE_LOG_INFO;
static const char *log_svc = "mue";

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void mue_log_init(const char *svc, enum mue_log_level min_level)
{
    log_svc = svc;
    mue_log_min_level = min_level;
}

int mue_log_level_parse(const char *text, enum mue_log_level *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(text, level_names[i]) == 0) {
            *out = (enum mue_log_level)i;
            return MUE_OK;
        }
    }
    return MUE_EINVAL;
}

void mue_log_write(enum mue_log_level level, const char *event, const char *fmt, ...)
{
    char line[2048];
    struct timespec now;
    struct tm tm;
    size_t len;
    int n;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    n = snprintf(line, sizeof(line),
                 "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s svc=%s event=%s",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 now.tv_nsec / 1000000, level_names[level], log_svc, event);
    len = (size_t)n;
    if (fmt != NULL && fmt[0] != '\0' && len < sizeof(line) - 2) {
        va_list ap;
        line[len++] = ' ';
        va_start(ap, fmt);
        n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
        va_end(ap);
        if (n > 0)
            len += (size_t)n;
    }
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2; /* truncated: still one line */
    line[len++] = '\n';
    /* One write(2) per line keeps lines whole when threads log at once. */
    ssize_t w = write(2, line, len);
    (void)w;
}

char *mue_log_quote(char *out, unsigned long cap, const char *in)
{
    size_t o = 0;
    if (cap == 0)
        return out;
    for (; in != NULL && *in != '\0' && o + 1 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '"' || c == '\\') {
            if (o + 2 >= cap)
                break; /* an escape pair that does not fit is dropped whole */
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            out[o++] = '?';
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}
