/* calendar.c - which program a calendar picks for a date: its rules in order (TALQ CalendarRule:
 * a validity, a ccDay, ccDate or ccHoliday condition), else its default program.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "mue_localtime.h"
#include "schedule.h"

/* A date broken down once for every test of a rule. */
struct civil {
    int64_t days;
    int year, month, day;
};

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (month == 2 && is_leap(year))
        return 29;
    return len[(month - 1) % 12];
}

/* How a bound of a span is read: one day of history, a day of every year, or a day of every
 * month. */
enum bound_kind { BOUND_DATED, BOUND_YEARLY, BOUND_MONTHLY };

static enum bound_kind kind_of(const struct light_md *b)
{
    return b->year != 0 ? BOUND_DATED : b->month != 0 ? BOUND_YEARLY : BOUND_MONTHLY;
}

/* The date compared with a bound, in the bound's own terms: <0 before it, 0 on it, >0 after. */
static int compare(const struct civil *c, const struct light_md *b)
{
    switch (kind_of(b)) {
    case BOUND_DATED: {
        int64_t at = mue_localtime_days_from_civil(b->year, b->month, b->day);
        return c->days < at ? -1 : c->days > at;
    }
    case BOUND_YEARLY:
        if (c->month != b->month)
            return c->month < b->month ? -1 : 1;
        return c->day < b->day ? -1 : c->day > b->day;
    case BOUND_MONTHLY:
        return c->day < b->day ? -1 : c->day > b->day;
    }
    return -1;
}

/* A span with both bounds every year (or every month) whose start comes after its end wraps
 * over the year's (the month's) end: --12-24 to --01-02. Otherwise each bound is read on its
 * own, so a dated start with the default end --12-31 means "from that date on" (TALQ). */
static bool span_contains(const struct light_span *s, const struct civil *c)
{
    enum bound_kind ks = kind_of(&s->start), ke = kind_of(&s->end);
    bool after_start = compare(c, &s->start) >= 0, before_end = compare(c, &s->end) <= 0;

    if (ks == ke && ks != BOUND_DATED &&
        s->start.month * 32 + s->start.day > s->end.month * 32 + s->end.day)
        return after_start || before_end;
    return after_start && before_end;
}

/* ISO weekday: 1 Monday .. 7 Sunday; 1970-01-01 was a Thursday. */
static int iso_weekday(int64_t days)
{
    int64_t r = (days + 3) % 7;

    return (int)(r < 0 ? r + 7 : r) + 1;
}

static bool day_matches(const struct light_rule *r, const struct civil *c)
{
    int nth = (c->day - 1) / 7 + 1; /* days 1-7 hold the 1st of each weekday, 8-14 the 2nd... */
    bool last = c->day + 7 > days_in_month(c->year, c->month);

    if ((r->weekdays & (1u << iso_weekday(c->days))) == 0)
        return false;
    if (r->occurrences == 0)
        return true;
    return (r->occurrences & (1u << nth)) != 0 || (last && (r->occurrences & (1u << 6)) != 0);
}

bool light_rule_matches(const struct light_rule *r, int64_t date)
{
    struct civil c = { .days = date };

    mue_localtime_civil_from_days(date, &c.year, &c.month, &c.day);
    if (r->has_validity && !span_contains(&r->valid, &c))
        return false;
    switch (r->cond) {
    case LIGHT_COND_ALWAYS:
        return true;
    case LIGHT_COND_DAYS:
        return day_matches(r, &c);
    case LIGHT_COND_DATES:
        for (int i = 0; i < r->nspans && i < LIGHT_MAX_SPANS; i++)
            if (span_contains(&r->spans[i], &c))
                return true;
        return false;
    case LIGHT_COND_HOLIDAY:
        return light_holiday(date, NULL);
    }
    return false;
}

const char *light_calendar_program(const struct light_calendar *c, int64_t date)
{
    for (int i = 0; i < c->nrules && i < LIGHT_MAX_RULES; i++)
        if (light_rule_matches(&c->rules[i], date))
            return c->rules[i].program;
    return c->default_program;
}
