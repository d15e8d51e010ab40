/* test_mue_localtime.c - unit tests for Europe/Paris civil time without tzdata.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "mue_localtime.h"
#include "../mue_test.h"

/* A UTC instant from its fields, through the calendar arithmetic under test. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return mue_localtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void test_days_from_civil_known_dates(void)
{
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(1970, 1, 1), 0);
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(1969, 12, 31), -1);
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(2000, 3, 1), 11017);
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(2024, 2, 29), 19782);
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(1900, 3, 1), -25508);
    /* A day past the month's end is carried. */
    MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(2026, 1, 32),
                      mue_localtime_days_from_civil(2026, 2, 1));
}

/* Every day from 1900 to 2100 against glibc's timegm/gmtime_r (UTC: no time zone involved). */
static void test_civil_days_agree_with_libc(void)
{
    for (int64_t days = -25567; days < 47482; days++) {
        time_t t = (time_t)(days * 86400);
        struct tm tm;
        int y, m, d;

        MUE_ASSERT(gmtime_r(&t, &tm) != NULL);
        mue_localtime_civil_from_days(days, &y, &m, &d);
        MUE_ASSERT_INT_EQ(y, tm.tm_year + 1900);
        MUE_ASSERT_INT_EQ(m, tm.tm_mon + 1);
        MUE_ASSERT_INT_EQ(d, tm.tm_mday);
        MUE_ASSERT_INT_EQ(mue_localtime_days_from_civil(y, m, d), days);
    }
}

/* The published change dates: 2024-03-31/10-27, 2025-03-30/10-26, 2026-03-29/10-25, at 01:00 UTC
 * (02:00 CET -> 03:00 CEST, 03:00 CEST -> 02:00 CET). */
static void test_offset_changes_at_the_eu_instants(void)
{
    static const int changes[][3] = {
        { 2024, 3, 31 },  { 2024, 10, 27 }, { 2025, 3, 30 },
        { 2025, 10, 26 }, { 2026, 3, 29 },  { 2026, 10, 25 },
    };

    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        int64_t at = utc(changes[i][0], changes[i][1], changes[i][2], 1, 0, 0);
        int before = changes[i][1] == 3 ? MUE_LOCALTIME_CET : MUE_LOCALTIME_CEST;
        int after = changes[i][1] == 3 ? MUE_LOCALTIME_CEST : MUE_LOCALTIME_CET;

        MUE_ASSERT_INT_EQ(mue_localtime_offset(at - 1), before);
        MUE_ASSERT_INT_EQ(mue_localtime_offset(at), after);
        /* The Sunday before is still on the old offset all day. */
        MUE_ASSERT_INT_EQ(mue_localtime_offset(at - 7 * 86400), before);
    }
    MUE_ASSERT_INT_EQ(mue_localtime_offset(utc(2026, 1, 15, 12, 0, 0)), MUE_LOCALTIME_CET);
    MUE_ASSERT_INT_EQ(mue_localtime_offset(utc(2026, 7, 15, 12, 0, 0)), MUE_LOCALTIME_CEST);
    MUE_ASSERT_INT_EQ(mue_localtime_offset(utc(2026, 12, 31, 23, 59, 59)), MUE_LOCALTIME_CET);
}

static void test_broken_down_local_time(void)
{
    struct mue_localtime lt;

    /* 2026-07-14 (a Tuesday) 10:00 UTC is noon in Marseille. */
    mue_localtime_from_utc(utc(2026, 7, 14, 10, 0, 0), &lt);
    MUE_ASSERT_INT_EQ(lt.year, 2026);
    MUE_ASSERT_INT_EQ(lt.month, 7);
    MUE_ASSERT_INT_EQ(lt.day, 14);
    MUE_ASSERT_INT_EQ(lt.hour, 12);
    MUE_ASSERT_INT_EQ(lt.minute, 0);
    MUE_ASSERT_INT_EQ(lt.wday, 2);
    MUE_ASSERT_INT_EQ(lt.yday, 194);
    MUE_ASSERT_INT_EQ(lt.utc_offset_s, 7200);

    /* New Year's Eve 23:30 UTC is already 2027 in Paris: a Friday, day 0 of its year. */
    mue_localtime_from_utc(utc(2026, 12, 31, 23, 30, 15), &lt);
    MUE_ASSERT_INT_EQ(lt.year, 2027);
    MUE_ASSERT_INT_EQ(lt.month, 1);
    MUE_ASSERT_INT_EQ(lt.day, 1);
    MUE_ASSERT_INT_EQ(lt.hour, 0);
    MUE_ASSERT_INT_EQ(lt.minute, 30);
    MUE_ASSERT_INT_EQ(lt.second, 15);
    MUE_ASSERT_INT_EQ(lt.wday, 5);
    MUE_ASSERT_INT_EQ(lt.yday, 0);
    MUE_ASSERT_INT_EQ(lt.utc_offset_s, 3600);
    MUE_ASSERT_INT_EQ(mue_localtime_day(utc(2026, 12, 31, 23, 30, 15)),
                      mue_localtime_days_from_civil(2027, 1, 1));

    /* The last second of summer time and the first of winter time read 02:59:59 and 02:00:00. */
    mue_localtime_from_utc(utc(2026, 10, 25, 0, 59, 59), &lt);
    MUE_ASSERT_INT_EQ(lt.hour, 2);
    MUE_ASSERT_INT_EQ(lt.minute, 59);
    mue_localtime_from_utc(utc(2026, 10, 25, 1, 0, 0), &lt);
    MUE_ASSERT_INT_EQ(lt.hour, 2);
    MUE_ASSERT_INT_EQ(lt.minute, 0);
    MUE_ASSERT_INT_EQ(lt.wday, 0);

    /* Before 1970. */
    mue_localtime_from_utc(-1, &lt);
    MUE_ASSERT_INT_EQ(lt.year, 1970);
    MUE_ASSERT_INT_EQ(lt.hour, 0);
    MUE_ASSERT_INT_EQ(lt.minute, 59);
    MUE_ASSERT_INT_EQ(lt.wday, 4);
}

static void test_local_to_utc(void)
{
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 7, 14, 12, 0, 0), utc(2026, 7, 14, 10, 0, 0));
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 1, 14, 23, 0, 0), utc(2026, 1, 14, 22, 0, 0));
    /* Hour 24 is the next midnight. */
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 1, 14, 24, 0, 0), utc(2026, 1, 14, 23, 0, 0));
    /* October's double hour: the first (summer) 02:30. */
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 10, 25, 2, 30, 0), utc(2026, 10, 25, 0, 30, 0));
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 10, 25, 3, 0, 0), utc(2026, 10, 25, 2, 0, 0));
    /* March's missing hour reads as winter time: 02:30 is 01:30 UTC (03:30 CEST). */
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 3, 29, 2, 30, 0), utc(2026, 3, 29, 1, 30, 0));
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 3, 29, 3, 0, 0), utc(2026, 3, 29, 1, 0, 0));
    MUE_ASSERT_INT_EQ(mue_localtime_to_utc(2026, 3, 29, 1, 59, 59), utc(2026, 3, 29, 0, 59, 59));

    /* Every quarter hour of two years goes there and back, except the October repeat whose
     * second pass maps to the first. */
    for (int64_t t = utc(2025, 1, 1, 0, 0, 0); t < utc(2027, 1, 1, 0, 0, 0); t += 900) {
        struct mue_localtime lt;
        int64_t back;

        mue_localtime_from_utc(t, &lt);
        back = mue_localtime_to_utc(lt.year, lt.month, lt.day, lt.hour, lt.minute, lt.second);
        if (back != t) {
            MUE_ASSERT_INT_EQ(back, t - 3600);
            MUE_ASSERT_INT_EQ(lt.month, 10);
            MUE_ASSERT_INT_EQ(lt.hour, 2);
        }
    }
}

/* Where the system has the IANA zone, the rule agrees with it hour by hour from 1996 (the EU rule
 * in France) to 2037. The hand-picked instants above do not need it. */
static void test_agrees_with_tzdata_where_present(void)
{
    if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0) {
        fprintf(stderr, "  note: no tzdata, comparison skipped\n");
        return;
    }
    MUE_ASSERT_INT_EQ(setenv("TZ", "Europe/Paris", 1), 0);
    tzset();
    for (int64_t t = utc(1996, 1, 1, 0, 30, 0); t < utc(2037, 12, 31, 0, 0, 0); t += 3600) {
        time_t tt = (time_t)t;
        struct tm tm;
        struct mue_localtime lt;

        MUE_ASSERT(localtime_r(&tt, &tm) != NULL);
        mue_localtime_from_utc(t, &lt);
        MUE_ASSERT_INT_EQ(lt.utc_offset_s, tm.tm_gmtoff);
        MUE_ASSERT_INT_EQ(lt.hour, tm.tm_hour);
        MUE_ASSERT_INT_EQ(lt.day, tm.tm_mday);
        MUE_ASSERT_INT_EQ(lt.wday, tm.tm_wday);
        MUE_ASSERT_INT_EQ(lt.yday, tm.tm_yday);
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_days_from_civil_known_dates),
        MUE_TEST(test_civil_days_agree_with_libc),
        MUE_TEST(test_offset_changes_at_the_eu_instants),
        MUE_TEST(test_broken_down_local_time),
        MUE_TEST(test_local_to_utc),
        MUE_TEST(test_agrees_with_tzdata_where_present),
    };
    return mue_test_run("mue_localtime", tests);
}
