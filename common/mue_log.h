/* mue_log.h - logfmt lines on stderr, one per event, written with a single write(2).
 * SPDX-License-Identifier: MIT */
#ifndef MUE_LOG_H
#define MUE_LOG_H

enum mue_log_level { MUE_LOG_DEBUG = 0, MUE_LOG_INFO, MUE_LOG_WARN, MUE_LOG_ERROR };

extern enum mue_log_level mue_log_min_level;

/* Sets the service name printed as svc=... and the lowest level printed.
 * 'svc' is kept by reference: pass a string literal. */
void mue_log_init(const char *svc, enum mue_log_level min_level);

/* Parses "debug", "info", "warn" or "error". Returns 0, or MUE_EINVAL. */
int mue_log_level_parse(const char *text, enum mue_log_level *out);

/* Writes "ts=... level=... svc=... event=<event> <fmt...>". 'event' is a stable dotted name
 * (noun.verb_past); 'fmt' holds further key=value pairs, values with spaces quoted. Thread-safe. */
void mue_log_write(enum mue_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The macros test the level before their arguments are evaluated. */
#define MUE_LOG_AT(lvl, event, ...)                                                                \
    do {                                                                                           \
        if ((lvl) >= mue_log_min_level)                                                            \
            mue_log_write((lvl), (event), __VA_ARGS__);                                            \
    } while (0)
#define mue_log_debug(event, ...) MUE_LOG_AT(MUE_LOG_DEBUG, event, __VA_ARGS__)
#define mue_log_info(event, ...)  MUE_LOG_AT(MUE_LOG_INFO, event, __VA_ARGS__)
#define mue_log_warn(event, ...)  MUE_LOG_AT(MUE_LOG_WARN, event, __VA_ARGS__)
#define mue_log_error(event, ...) MUE_LOG_AT(MUE_LOG_ERROR, event, __VA_ARGS__)

/* Copies 'in' into 'out' (size 'cap', always NUL-terminated) so it can stand inside a quoted
 * logfmt value: quotes and backslashes are escaped, control bytes become '?'. Returns 'out'. */
char *mue_log_quote(char *out, unsigned long cap, const char *in);

#endif
