/* talq_fields.h - strict readers of the members of TALQ JSON objects, shared by the program and
 * calendar readers (talq_json.c) and the writers (talq_json_write.c). Internal to the lighting
 * model: the API is talq_json.h.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_TALQ_FIELDS_H
#define LIGHTING_TALQ_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "schedule.h"

#define TALQ_PATH_LEN 128 /* "rules[31].condition.dates[7].start" and the like */
#define TALQ_OCC_LAST 6   /* occurrences: bit n is the n-th weekday of the month, bit 6 the last */

/* The forms of a date: one day of history, a day of every year, a day of every month. */
enum { TALQ_DATED = 1, TALQ_YEARLY = 2, TALQ_MONTHLY = 4 };

/* Where the reason for a refusal goes: buf may be NULL or cap 0. */
struct talq_why {
    char *buf;
    size_t cap;
};

/* Writes "path: reason" (or the reason alone for an empty path) and returns MUE_EINVAL. */
__attribute__((format(printf, 3, 4))) int talq_fail(struct talq_why *w, const char *path,
                                                    const char *fmt, ...);

/* A short printable copy of outside text, for a reason; 'out' holds cap (at least 4) bytes and
 * is returned. */
const char *talq_shown(const char *s, char *out, size_t cap);
#define TALQ_SHOWN(s, buf) talq_shown(s, buf, sizeof(buf))

/* "parent.name" and "parent[i]" in out (TALQ_PATH_LEN bytes), a path for talq_fail. */
void talq_member_path(char out[TALQ_PATH_LEN], const char *parent, const char *name);
void talq_item_path(char out[TALQ_PATH_LEN], const char *parent, size_t i);

/* 0 when 'o' is an object whose members are all in 'known' (NULL-terminated); else MUE_EINVAL
 * naming the first unknown member, so a typo never drops a setting. */
int talq_check_object(json_t *o, const char *path, const char *const *known, struct talq_why *w);

/* The readers of member 'name' of object 'o' at 'path'. Each returns 0 or MUE_EINVAL with the
 * reason in w. A missing member is refused when 'required', else left at its default: NULL for
 * strings and arrays, 'dflt' for numbers, out untouched for ids. Strings stay owned by 'o'. */
int talq_get_string(json_t *o, const char *path, const char *name, bool required, const char **out,
                    struct talq_why *w);
/* An array of at most 'max' items. */
int talq_get_array(json_t *o, const char *path, const char *name, bool required, size_t max,
                   json_t **out, struct talq_why *w);
/* A whole number in min..max; 60.0 counts as whole, as TALQ types some of these as floats. */
int talq_get_int(json_t *o, const char *path, const char *name, bool required, int min, int max,
                 int dflt, int *out, struct talq_why *w);
/* An id: 1 to LIGHT_ID_MAX - 1 characters of A-Z a-z 0-9 _ . : - */
bool talq_is_id(const char *s);
int talq_get_id(json_t *o, const char *path, const char *name, bool required,
                char out[LIGHT_ID_MAX], struct talq_why *w);
/* A time of day, "hh:mm:ss" or "hh:mm", as a clock minute; seconds must be 00 (the model's clock
 * counts minutes). Always required. */
int talq_get_time(json_t *o, const char *path, const char *name, int *minute, struct talq_why *w);
/* A date in one of 'forms' (TALQ_DATED "yyyy-mm-dd", TALQ_YEARLY "--mm-dd", TALQ_MONTHLY "---dd"),
 * a real day of the calendar; *form says which. Always required. */
int talq_get_md(json_t *o, const char *path, const char *name, unsigned forms, struct light_md *out,
                unsigned *form, struct talq_why *w);

#endif
