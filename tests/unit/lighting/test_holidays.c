/* test_holidays.c - Easter against published dates, and the French public holidays of 2026 and
 * 2027 by name.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "mue_localtime.h"
#include "schedule.h"
#include "../mue_test.h"

static int64_t day(int y, int m, int d)
{
    return mue_localtime_days_from_civil(y, m, d);
}

/* Western Easter Sundays from the published tables (the earliest possible date, 22 March, in 1818
 * and 2285; the latest, 25 April, in 1943 and 2038), cross-checked with python-dateutil's
 * easter(), an independent implementation. */
static const struct {
    int year, month, day;
} easters[] = {
    { 1818, 3, 22 }, { 1943, 4, 25 }, { 2000, 4, 23 }, { 2008, 3, 23 }, { 2011, 4, 24 },
    { 2019, 4, 21 }, { 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 },  { 2027, 3, 28 },
    { 2030, 4, 21 }, { 2038, 4, 25 }, { 2285, 3, 22 },
};

static void test_easter_matches_published_dates(void)
{
    for (size_t i = 0; i < sizeof(easters) / sizeof(easters[0]); i++) {
        int y, m, d;
        mue_localtime_civil_from_days(light_easter(easters[i].year), &y, &m, &d);
        if (y != easters[i].year || m != easters[i].month || d != easters[i].day)
            fprintf(stderr, "  Easter %d: got %d-%02d-%02d\n", easters[i].year, y, m, d);
        MUE_ASSERT_INT_EQ(light_easter(easters[i].year),
                          day(easters[i].year, easters[i].month, easters[i].day));
    }
}

/* Easter is a Sunday between 22 March and 25 April in every year, and the Gregorian computus
 * repeats every 5,700,000 years: the same day of the year, before year 1 as after. */
static void test_easter_is_a_spring_sunday_and_repeats_over_the_cycle(void)
{
    static const int years[] = { -4000, -1, 0, 1, 33, 1582, 1900, 2100, 2400, 9999 };

    for (int y = 1583; y < 3000; y++) {
        int64_t e = light_easter(y);
        MUE_ASSERT_INT_EQ(((e + 3) % 7 + 7) % 7 + 1, 7); /* ISO weekday; 1970-01-01 a Thursday */
        MUE_ASSERT(e >= day(y, 3, 22) && e <= day(y, 4, 25));
    }
    for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
        int y1, m1, d1, y2, m2, d2;
        mue_localtime_civil_from_days(light_easter(years[i]), &y1, &m1, &d1);
        mue_localtime_civil_from_days(light_easter(years[i] + 5700000), &y2, &m2, &d2);
        MUE_ASSERT_INT_EQ(y1, years[i]);
        MUE_ASSERT_INT_EQ(m1 * 100 + d1, m2 * 100 + d2);
    }
}

struct named {
    int y, m, d;
    const char *name;
};

static void check_holidays(const struct named *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = NULL;
        MUE_ASSERT(light_holiday(day(h[i].y, h[i].m, h[i].d), &name));
        MUE_ASSERT_STR_EQ(name, h[i].name);
        MUE_ASSERT(light_holiday(day(h[i].y, h[i].m, h[i].d), NULL));
    }
}

/* The movable ones are Easter + 1, + 39 and + 50 days, counted with python-dateutil: Easter Monday
 * 6 April 2026 and 29 March 2027, Ascension 14 May 2026 and 6 May 2027, Whit Monday 25 May 2026
 * and 17 May 2027. */
static void test_names_every_holiday_of_2026(void)
{
    static const struct named h[] = {
        { 2026, 1, 1, "Jour de l'an" },    { 2026, 4, 6, "Lundi de Pâques" },
        { 2026, 5, 1, "Fête du Travail" }, { 2026, 5, 8, "Victoire 1945" },
        { 2026, 5, 14, "Ascension" },      { 2026, 5, 25, "Lundi de Pentecôte" },
        { 2026, 7, 14, "Fête nationale" }, { 2026, 8, 15, "Assomption" },
        { 2026, 11, 1, "Toussaint" },      { 2026, 11, 11, "Armistice 1918" },
        { 2026, 12, 25, "Noël" },
    };
    check_holidays(h, sizeof(h) / sizeof(h[0]));
}

static void test_names_every_holiday_of_2027(void)
{
    static const struct named h[] = {
        { 2027, 1, 1, "Jour de l'an" },    { 2027, 3, 29, "Lundi de Pâques" },
        { 2027, 5, 1, "Fête du Travail" }, { 2027, 5, 8, "Victoire 1945" },
        { 2027, 5, 6, "Ascension" },       { 2027, 5, 17, "Lundi de Pentecôte" },
        { 2027, 7, 14, "Fête nationale" }, { 2027, 8, 15, "Assomption" },
        { 2027, 11, 1, "Toussaint" },      { 2027, 11, 11, "Armistice 1918" },
        { 2027, 12, 25, "Noël" },
    };
    check_holidays(h, sizeof(h) / sizeof(h[0]));
}

static void test_counts_eleven_holidays_a_year(void)
{
    for (int y = 2020; y <= 2040; y++) {
        int n = 0;
        for (int64_t d = day(y, 1, 1); d < day(y + 1, 1, 1); d++)
            n += light_holiday(d, NULL);
        /* Ascension met 1 or 8 May in 1997 and 2008 and meets it again in 2059, so each of
         * these years has eleven distinct holidays. */
        MUE_ASSERT_INT_EQ(n, 11);
    }
}

static void test_other_days_are_not_holidays(void)
{
    static const struct {
        int y, m, d;
    } days[] = {
        { 2026, 4, 5 },   /* Easter Sunday itself */
        { 2026, 5, 24 },  /* Whit Sunday */
        { 2026, 4, 7 },   /* the Tuesday after Easter */
        { 2027, 4, 6 },   /* 2026's Easter Monday, a year on */
        { 2026, 12, 24 }, /* Christmas Eve */
        { 2026, 12, 26 }, /* St Stephen's day: a holiday in Alsace-Moselle only */
        { 2026, 7, 13 },  { 2026, 11, 2 }, { 2026, 12, 31 }, { 2027, 1, 2 },
    };
    const char *name = "untouched";

    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
        MUE_ASSERT(!light_holiday(day(days[i].y, days[i].m, days[i].d), &name));
    MUE_ASSERT_STR_EQ(name, "untouched");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_easter_matches_published_dates),
        MUE_TEST(test_easter_is_a_spring_sunday_and_repeats_over_the_cycle),
        MUE_TEST(test_names_every_holiday_of_2026),
        MUE_TEST(test_names_every_holiday_of_2027),
        MUE_TEST(test_counts_eleven_holidays_a_year),
        MUE_TEST(test_other_days_are_not_holidays),
    };
    return mue_test_run("holidays", tests);
}
