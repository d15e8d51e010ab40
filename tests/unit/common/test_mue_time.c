/* test_mue_time.c - unit tests for RFC 3339 parsing and formatting and for the two clocks.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mue_err.h"
#include "mue_time.h"
#include "../mue_test.h"

static int64_t parse(const char *text)
{
    int64_t us = -42;

    MUE_ASSERT_INT_EQ(mue_time_parse(text, &us), 0);
    return us;
}

static void test_parses_network_server_times(void)
{
    /* ChirpStack (nanoseconds, numeric offset) and TTS (nanoseconds, Z). */
    MUE_ASSERT_INT_EQ(parse("2022-07-18T09:34:15.775023242+00:00"), INT64_C(1658136855775023));
    MUE_ASSERT_INT_EQ(parse("2022-10-03T03:17:10.427430120+00:00"), INT64_C(1664767030427430));
    MUE_ASSERT_INT_EQ(parse("2020-02-12T15:15:45.789585559Z"), INT64_C(1581520545789585));
    MUE_ASSERT_INT_EQ(parse("2020-02-12T15:15:45.787Z"), INT64_C(1581520545787000));
}

static void test_epoch_and_separators(void)
{
    MUE_ASSERT_INT_EQ(parse("1970-01-01T00:00:00Z"), 0);
    MUE_ASSERT_INT_EQ(parse("1970-01-01t00:00:00z"), 0);
    MUE_ASSERT_INT_EQ(parse("1970-01-01 00:00:01Z"), 1000000);
    MUE_ASSERT_INT_EQ(parse("1970-01-01T00:00:00.000001Z"), 1);
}

static void test_fraction_of_any_length_truncates_to_us(void)
{
    MUE_ASSERT_INT_EQ(parse("2000-01-01T00:00:00.5Z"), INT64_C(946684800500000));
    MUE_ASSERT_INT_EQ(parse("2000-01-01T00:00:00.12Z"), INT64_C(946684800120000));
    MUE_ASSERT_INT_EQ(parse("2000-01-01T00:00:00.123456Z"), INT64_C(946684800123456));
    MUE_ASSERT_INT_EQ(parse("2000-01-01T00:00:00.1234569Z"), INT64_C(946684800123456));
    MUE_ASSERT_INT_EQ(parse("2000-01-01T00:00:00.999999999999999999999Z"),
                      INT64_C(946684800999999));
}

static void test_offsets_shift_to_utc(void)
{
    int64_t utc = parse("2022-07-18T09:34:15.775023Z");

    MUE_ASSERT_INT_EQ(parse("2022-07-18T11:34:15.775023+02:00"), utc);
    MUE_ASSERT_INT_EQ(parse("2022-07-18T04:04:15.775023-05:30"), utc);
    MUE_ASSERT_INT_EQ(parse("2022-07-19T09:33:15.775023+23:59"), utc);
    MUE_ASSERT_INT_EQ(parse("2022-07-18T09:34:15.775023-00:00"), utc);
    /* An offset can carry a 1970 local time to before the epoch. */
    MUE_ASSERT_INT_EQ(parse("1970-01-01T00:00:00+01:00"), INT64_C(-3600000000));
}

static void test_calendar_edges(void)
{
    MUE_ASSERT_INT_EQ(parse("2000-02-29T00:00:00Z"), INT64_C(951782400000000));
    MUE_ASSERT_INT_EQ(parse("2024-02-29T12:00:00Z"), INT64_C(1709208000000000));
    MUE_ASSERT_INT_EQ(parse("2100-03-01T00:00:00Z"), INT64_C(4107542400000000));
    MUE_ASSERT_INT_EQ(parse("9999-12-31T23:59:59.999999Z"), INT64_C(253402300799999999));
    /* A leap second reads as the first second of the next minute. */
    MUE_ASSERT_INT_EQ(parse("2016-12-31T23:59:60Z"), parse("2017-01-01T00:00:00Z"));
}

static void test_agrees_with_timegm(void)
{
    /* Every day of 1970..2600, then every 97th up to 9999, at a time of day that moves. */
    for (int64_t day = 0; day < 2932897; day += day < 230000 ? 1 : 97) {
        time_t t = (time_t)(day * 86400 + (day * 3607) % 86400);
        struct tm tm;
        char text[96];

        MUE_ASSERT(gmtime_r(&t, &tm) != NULL);
        snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        MUE_ASSERT_INT_EQ(parse(text), (int64_t)timegm(&tm) * 1000000);
    }
}

static void test_rejects_malformed(void)
{
    static const char *const bad[] = {
        "",
        "2022",
        "2022-07-18",
        "2022-07-18T09:34:15", /* no offset */
        "2022-07-18T09:34Z",   /* no seconds */
        "2022-07-18X09:34:15Z",
        "2022-07-18T09:34:15.Z", /* '.' without digits */
        "2022-07-18T09:34:15,5Z",
        "2022-07-18T09:34:15+0200",
        "2022-07-18T09:34:15+02",
        "2022-07-18T09:34:15+24:00",
        "2022-07-18T09:34:15+02:60",
        "2022-07-18T09:34:15Zjunk",
        "2022-07-18T09:34:15Z ",
        " 2022-07-18T09:34:15Z",
        "2022-7-18T09:34:15Z",
        "22022-07-18T09:34:15Z",
        "+2022-07-18T09:34:15Z",
        "2022-07-18T9:34:15Z",
        "2022-07-18T09:34:15.123456",
        "2022-07-18T09:34:1aZ",
    };
    int64_t us = 7;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        MUE_ASSERT_INT_EQ(mue_time_parse(bad[i], &us), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(mue_time_parse(NULL, &us), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(us, 7); /* untouched on error */
}

static void test_rejects_out_of_range_fields(void)
{
    static const char *const bad[] = {
        "1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2022-00-10T00:00:00Z",
        "2022-13-10T00:00:00Z", "2022-01-00T00:00:00Z", "2022-01-32T00:00:00Z",
        "2022-04-31T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2022-01-01T24:00:00Z", "2022-01-01T23:60:00Z", "2022-01-01T23:59:61Z",
    };
    int64_t us;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        MUE_ASSERT_INT_EQ(mue_time_parse(bad[i], &us), MUE_EDECODE);
}

static void test_format(void)
{
    char out[28];

    MUE_ASSERT_UINT_EQ(mue_time_format(0, out, sizeof(out)), 27);
    MUE_ASSERT_STR_EQ(out, "1970-01-01T00:00:00.000000Z");
    mue_time_format(INT64_C(1658136855775023), out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "2022-07-18T09:34:15.775023Z");
    mue_time_format(INT64_C(951782400000001), out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "2000-02-29T00:00:00.000001Z");
    mue_time_format(-1, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "1969-12-31T23:59:59.999999Z");
    mue_time_format(INT64_C(-62135596800000000), out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "0001-01-01T00:00:00.000000Z");
}

static void test_format_clamps_to_four_digit_years(void)
{
    char out[28];

    MUE_ASSERT_UINT_EQ(mue_time_format(INT64_MAX, out, sizeof(out)), 27);
    MUE_ASSERT_STR_EQ(out, "9999-12-31T23:59:59.999999Z");
    MUE_ASSERT_UINT_EQ(mue_time_format(INT64_MIN, out, sizeof(out)), 27);
    MUE_ASSERT_STR_EQ(out, "0000-01-01T00:00:00.000000Z");
}

static void test_format_refuses_short_buffer(void)
{
    char out[27];

    memset(out, 'x', sizeof(out));
    MUE_ASSERT_UINT_EQ(mue_time_format(0, out, sizeof(out)), 0);
    MUE_ASSERT_STR_EQ(out, "");
    MUE_ASSERT_UINT_EQ(mue_time_format(0, NULL, 0), 0);
}

static void test_format_then_parse_round_trips(void)
{
    int64_t us = 1;

    while (us < INT64_C(253402300799999999)) {
        char out[28];
        int64_t back = -1;

        mue_time_format(us, out, sizeof(out));
        MUE_ASSERT_INT_EQ(mue_time_parse(out, &back), 0);
        MUE_ASSERT_INT_EQ(back, us);
        us = us * 3 + 7;
    }
}

static void test_clocks_move_forward(void)
{
    int64_t now = mue_time_now_us();
    int64_t m1 = mue_time_mono_ms(), m2 = mue_time_mono_ms();

    MUE_ASSERT(now > INT64_C(1700000000000000)); /* after 2023-11 */
    MUE_ASSERT(m2 >= m1);
    MUE_ASSERT(m1 >= 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_parses_network_server_times),
        MUE_TEST(test_epoch_and_separators),
        MUE_TEST(test_fraction_of_any_length_truncates_to_us),
        MUE_TEST(test_offsets_shift_to_utc),
        MUE_TEST(test_calendar_edges),
        MUE_TEST(test_agrees_with_timegm),
        MUE_TEST(test_rejects_malformed),
        MUE_TEST(test_rejects_out_of_range_fields),
        MUE_TEST(test_format),
        MUE_TEST(test_format_clamps_to_four_digit_years),
        MUE_TEST(test_format_refuses_short_buffer),
        MUE_TEST(test_format_then_parse_round_trips),
        MUE_TEST(test_clocks_move_forward),
    };
    return mue_test_run("mue_time", tests);
}
