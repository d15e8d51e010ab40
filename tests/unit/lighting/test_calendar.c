/* test_calendar.c - calendar rules against dates whose weekdays come from Python's datetime: days
 * of the week, their n-th and last of a month, dates and spans, holidays, validity, rule order.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "mue_localtime.h"
#include "schedule.h"
#include "../mue_test.h"

#define MON  (1u << 1)
#define TUE  (1u << 2)
#define FRI  (1u << 5)
#define SAT  (1u << 6)
#define SUN  (1u << 7)
#define LAST (1u << 6)

static int64_t day(int y, int m, int d)
{
    return mue_localtime_days_from_civil(y, m, d);
}

static struct light_rule days_rule(unsigned weekdays, unsigned occurrences)
{
    struct light_rule r;

    memset(&r, 0, sizeof(r));
    r.cond = LIGHT_COND_DAYS;
    r.weekdays = (uint8_t)weekdays;
    r.occurrences = (uint8_t)occurrences;
    strcpy(r.program, "cp-days");
    return r;
}

static struct light_span span(int y1, int m1, int d1, int y2, int m2, int d2)
{
    return (struct light_span){ { y1, m1, d1 }, { y2, m2, d2 } };
}

static struct light_rule dates_rule(const struct light_span *spans, int n)
{
    struct light_rule r;

    memset(&r, 0, sizeof(r));
    r.cond = LIGHT_COND_DATES;
    r.nspans = n;
    memcpy(r.spans, spans, (size_t)n * sizeof(spans[0]));
    strcpy(r.program, "cp-dates");
    return r;
}

/* 2026-07-31 is a Friday, 2026-06-01 a Monday, 2026-03-29 and 2026-05-31 Sundays, 2026-02-28 a
 * Saturday (Python's date.isoweekday()). */
static void test_weekdays_match_their_days_only(void)
{
    struct light_rule weekdays = days_rule(MON | TUE | (1u << 3) | (1u << 4) | FRI, 0);
    struct light_rule weekend = days_rule(SAT | SUN, 0);

    MUE_ASSERT(light_rule_matches(&weekdays, day(2026, 7, 31)));
    MUE_ASSERT(light_rule_matches(&weekdays, day(2026, 6, 1)));
    MUE_ASSERT(!light_rule_matches(&weekdays, day(2026, 3, 29)));
    MUE_ASSERT(!light_rule_matches(&weekdays, day(2026, 2, 28)));
    MUE_ASSERT(light_rule_matches(&weekend, day(2026, 3, 29)));
    MUE_ASSERT(light_rule_matches(&weekend, day(2026, 2, 28)));
    MUE_ASSERT(light_rule_matches(&weekend, day(2026, 5, 31)));
    MUE_ASSERT(!light_rule_matches(&weekend, day(2026, 7, 31)));
    /* A week in a row: exactly five of seven days are weekdays. */
    int n = 0;
    for (int64_t d = day(2026, 1, 5); d < day(2026, 1, 12); d++)
        n += light_rule_matches(&weekdays, d);
    MUE_ASSERT_INT_EQ(n, 5);
}

/* July 2026's Fridays are the 3rd, 10th, 17th, 24th and 31st; its Tuesdays the 7th, 14th, 21st and
 * 28th. */
static void test_last_friday_of_july_2026_is_the_31st(void)
{
    struct light_rule last_friday = days_rule(FRI, LAST);

    MUE_ASSERT(light_rule_matches(&last_friday, day(2026, 7, 31)));
    MUE_ASSERT(!light_rule_matches(&last_friday, day(2026, 7, 24)));
    MUE_ASSERT(!light_rule_matches(&last_friday, day(2026, 7, 30))); /* a Thursday */
    /* The 5th Friday is the last one too. */
    struct light_rule fifth_friday = days_rule(FRI, 1u << 5);
    MUE_ASSERT(light_rule_matches(&fifth_friday, day(2026, 7, 31)));
    MUE_ASSERT(!light_rule_matches(&fifth_friday, day(2026, 7, 24)));
}

static void test_second_tuesday_and_last_tuesday(void)
{
    struct light_rule second = days_rule(TUE, 1u << 2);
    struct light_rule first_or_last = days_rule(TUE, (1u << 1) | LAST);

    MUE_ASSERT(light_rule_matches(&second, day(2026, 7, 14)));
    MUE_ASSERT(!light_rule_matches(&second, day(2026, 7, 7)));
    MUE_ASSERT(!light_rule_matches(&second, day(2026, 7, 21)));
    MUE_ASSERT(light_rule_matches(&first_or_last, day(2026, 7, 7)));
    MUE_ASSERT(light_rule_matches(&first_or_last, day(2026, 7, 28)));
    MUE_ASSERT(!light_rule_matches(&first_or_last, day(2026, 7, 14)));
    MUE_ASSERT(!light_rule_matches(&first_or_last, day(2026, 7, 21)));
    /* September 2026 has 30 days: Tuesday the 29th is the last, Monday the 28th is no Tuesday. */
    MUE_ASSERT(light_rule_matches(&first_or_last, day(2026, 9, 29)));
    MUE_ASSERT(!light_rule_matches(&first_or_last, day(2026, 9, 22)));
}

/* February 2024, a leap year, ends on Thursday the 29th: its last Thursday, not the 22nd; in 2026
 * the last is the 26th. */
static void test_last_weekday_counts_the_months_length(void)
{
    struct light_rule last_thursday = days_rule(1u << 4, LAST);

    MUE_ASSERT(light_rule_matches(&last_thursday, day(2024, 2, 29)));
    MUE_ASSERT(!light_rule_matches(&last_thursday, day(2024, 2, 22)));
    MUE_ASSERT(light_rule_matches(&last_thursday, day(2026, 2, 26)));
}

static void test_dates_and_spans_every_year(void)
{
    const struct light_span spans[] = {
        span(0, 7, 14, 0, 7, 14), span(0, 12, 24, 0, 1, 2), /* wraps over the new year */
    };
    struct light_rule r = dates_rule(spans, 2);

    MUE_ASSERT(light_rule_matches(&r, day(2026, 7, 14)));
    MUE_ASSERT(light_rule_matches(&r, day(1999, 7, 14)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 7, 13)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 7, 15)));
    MUE_ASSERT(light_rule_matches(&r, day(2026, 12, 24)));
    MUE_ASSERT(light_rule_matches(&r, day(2026, 12, 31)));
    MUE_ASSERT(light_rule_matches(&r, day(2027, 1, 1)));
    MUE_ASSERT(light_rule_matches(&r, day(2027, 1, 2)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 12, 23)));
    MUE_ASSERT(!light_rule_matches(&r, day(2027, 1, 3)));
}

static void test_day_of_every_month(void)
{
    const struct light_span fifteenth[] = { span(0, 0, 15, 0, 0, 15) };
    const struct light_span month_end[] = { span(0, 0, 28, 0, 0, 2) }; /* wraps over the month */
    struct light_rule r = dates_rule(fifteenth, 1), w = dates_rule(month_end, 1);

    MUE_ASSERT(light_rule_matches(&r, day(2026, 3, 15)));
    MUE_ASSERT(light_rule_matches(&r, day(2026, 8, 15)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 8, 16)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 8, 14)));
    MUE_ASSERT(light_rule_matches(&w, day(2026, 2, 28)));
    MUE_ASSERT(light_rule_matches(&w, day(2026, 3, 31)));
    MUE_ASSERT(light_rule_matches(&w, day(2026, 3, 1)));
    MUE_ASSERT(light_rule_matches(&w, day(2026, 3, 2)));
    MUE_ASSERT(!light_rule_matches(&w, day(2026, 3, 3)));
    MUE_ASSERT(!light_rule_matches(&w, day(2026, 3, 27)));
}

static void test_holiday_rule_matches_easter_monday(void)
{
    struct light_rule r;

    memset(&r, 0, sizeof(r));
    r.cond = LIGHT_COND_HOLIDAY;
    MUE_ASSERT(light_rule_matches(&r, day(2026, 4, 6)));
    MUE_ASSERT(light_rule_matches(&r, day(2027, 3, 29)));
    MUE_ASSERT(light_rule_matches(&r, day(2026, 7, 14)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 4, 5)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 4, 7)));
}

static void test_validity_every_year_wraps_over_the_new_year(void)
{
    struct light_rule winter_mondays = days_rule(MON, 0);

    winter_mondays.has_validity = true;
    winter_mondays.valid = span(0, 11, 1, 0, 2, 28);
    MUE_ASSERT(light_rule_matches(&winter_mondays, day(2026, 11, 30)));
    MUE_ASSERT(light_rule_matches(&winter_mondays, day(2027, 1, 4)));
    MUE_ASSERT(light_rule_matches(&winter_mondays, day(2026, 3, 30) - 35)); /* 2026-02-23 */
    MUE_ASSERT(!light_rule_matches(&winter_mondays, day(2026, 6, 1)));      /* a Monday */
    MUE_ASSERT(!light_rule_matches(&winter_mondays, day(2026, 3, 30)));     /* a Monday */
    MUE_ASSERT(!light_rule_matches(&winter_mondays, day(2026, 12, 1)));     /* a Tuesday */
}

static void test_validity_with_years_bounds_history(void)
{
    struct light_rule summer = days_rule(0xfe, 0);
    struct light_rule from = days_rule(0xfe, 0);

    summer.has_validity = true;
    summer.valid = span(2026, 6, 1, 2026, 8, 31);
    MUE_ASSERT(light_rule_matches(&summer, day(2026, 6, 1)));
    MUE_ASSERT(light_rule_matches(&summer, day(2026, 8, 31)));
    MUE_ASSERT(!light_rule_matches(&summer, day(2026, 5, 31)));
    MUE_ASSERT(!light_rule_matches(&summer, day(2026, 9, 1)));
    MUE_ASSERT(!light_rule_matches(&summer, day(2027, 7, 1)));
    /* A dated start with TALQ's default end (--12-31): from that date on, every year after. */
    from.has_validity = true;
    from.valid = span(2026, 6, 1, 0, 12, 31);
    MUE_ASSERT(!light_rule_matches(&from, day(2026, 5, 31)));
    MUE_ASSERT(light_rule_matches(&from, day(2026, 6, 1)));
    MUE_ASSERT(light_rule_matches(&from, day(2030, 1, 1)));
}

static void test_first_matching_rule_wins_else_the_default(void)
{
    static struct light_calendar c;
    const struct light_span fete[] = { span(0, 7, 14, 0, 7, 14) };

    memset(&c, 0, sizeof(c));
    strcpy(c.id, "cal-test");
    strcpy(c.default_program, "cp-weekend");
    c.rules[0].cond = LIGHT_COND_HOLIDAY;
    strcpy(c.rules[0].program, "cp-holiday");
    c.rules[1] = dates_rule(fete, 1); /* never reached: 14 July is a holiday */
    c.rules[2] = days_rule(MON | TUE | (1u << 3) | (1u << 4) | FRI, 0);
    strcpy(c.rules[2].program, "cp-weekday");
    c.nrules = 3;

    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 7, 14)), "cp-holiday");
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 4, 6)), "cp-holiday"); /* Monday */
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 7, 31)), "cp-weekday");
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 5, 31)), "cp-weekend");
    /* Put the dates first and they win over the holiday. */
    c.rules[0] = dates_rule(fete, 1);
    c.rules[1].cond = LIGHT_COND_HOLIDAY;
    strcpy(c.rules[1].program, "cp-holiday");
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 7, 14)), "cp-dates");
    /* No default: no program, an empty id. */
    c.default_program[0] = '\0';
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 5, 31)), "");
    c.nrules = 0;
    MUE_ASSERT_STR_EQ(light_calendar_program(&c, day(2026, 7, 14)), "");
}

static void test_rule_without_condition_matches_within_its_validity(void)
{
    struct light_rule r;

    memset(&r, 0, sizeof(r));
    r.cond = LIGHT_COND_ALWAYS;
    MUE_ASSERT(light_rule_matches(&r, day(2026, 1, 1)));
    MUE_ASSERT(light_rule_matches(&r, day(1970, 1, 1)));
    r.has_validity = true;
    r.valid = span(0, 12, 1, 0, 12, 31);
    MUE_ASSERT(light_rule_matches(&r, day(2026, 12, 1)));
    MUE_ASSERT(!light_rule_matches(&r, day(2026, 11, 30)));
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_weekdays_match_their_days_only),
        MUE_TEST(test_last_friday_of_july_2026_is_the_31st),
        MUE_TEST(test_second_tuesday_and_last_tuesday),
        MUE_TEST(test_last_weekday_counts_the_months_length),
        MUE_TEST(test_dates_and_spans_every_year),
        MUE_TEST(test_day_of_every_month),
        MUE_TEST(test_holiday_rule_matches_easter_monday),
        MUE_TEST(test_validity_every_year_wraps_over_the_new_year),
        MUE_TEST(test_validity_with_years_bounds_history),
        MUE_TEST(test_first_matching_rule_wins_else_the_default),
        MUE_TEST(test_rule_without_condition_matches_within_its_validity),
    };
    return mue_test_run("calendar", tests);
}
