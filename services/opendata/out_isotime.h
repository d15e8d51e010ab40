/* out_isotime.h - the timestamps of exported rows, read as libpq or the sources write them and
 * written back in the one ISO 8601 form the open-data files use.
 * SPDX-License-Identifier: MIT */
#ifndef OUT_ISOTIME_H
#define OUT_ISOTIME_H

#include <stdbool.h>
#include <time.h>

/* Reads "YYYY-MM-DD(T| )HH:MM[:SS[.fraction]]" followed by "Z", "+HH", "+HHMM", "+HH:MM" (or
 * '-'), or by nothing, which means UTC (the sources write UTC). Fractions of a second are
 * dropped. Returns true and sets *out, or false for any other text (*out untouched). */
bool out_isotime_parse(const char *text, time_t *out);

/* "2026-11-28T14:00:00Z" (21 bytes with the NUL). */
void out_isotime_iso(time_t t, char buf[21]);

/* "20261128T140000Z" (17 bytes with the NUL): the form used inside identifiers. */
void out_isotime_compact(time_t t, char buf[17]);

#endif
