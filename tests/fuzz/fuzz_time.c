/* fuzz_time.c - libFuzzer target for RFC 3339 parsing and formatting.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "mue_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What parse can yield: 1970-01-01T00:00:00+23:59 .. 9999-12-31T23:59:60.999999-23:59. */
#define PARSE_MIN_US (-INT64_C(86340) * 1000000)
#define PARSE_MAX_US ((INT64_C(253402300800) + 86340) * 1000000 + 999999)
/* What format writes with four-digit years, and parse reads back (it refuses years < 1970). */
#define ROUND_TRIP_MAX_US (INT64_C(253402300800) * 1000000 - 1)

/* format(us) must be 27 characters that parse back to 'us' whenever parse can read that year. */
static void check_format(int64_t us)
{
    char out[28];
    int64_t back;

    if (mue_time_format(us, out, sizeof(out)) != 27 || strlen(out) != 27)
        abort();
    if (us >= 0 && us <= ROUND_TRIP_MAX_US && (mue_time_parse(out, &back) != 0 || back != us))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* parse takes a C string: the input up to its first NUL, with one appended. */
    char *text = malloc(size + 1);
    int64_t us = 0, raw;
    int rc;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rc = mue_time_parse(text, &us);
    if (rc == 0) {
        if (us < PARSE_MIN_US || us > PARSE_MAX_US)
            abort();
        check_format(us);
    } else if (rc != MUE_EDECODE) {
        abort();
    }
    /* The same bytes as a raw number exercise format's clamping and negative times. */
    if (size >= sizeof(raw)) {
        memcpy(&raw, data, sizeof(raw));
        check_format(raw);
    }
    free(text);
    return 0;
}
