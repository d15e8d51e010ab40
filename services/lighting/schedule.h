/* schedule.h - the street-lighting model of mue-lighting, after TALQ 2.7.1: control programs
 * (an active period and dim-level steps at fixed or solar times), calendars (ordered rules, first
 * match wins, a default program) and overrides. Pure data and pure functions: no database, no bus.
 *
 * Times of day are local (Europe/Paris) clock minutes, 0..1439. A date is days since 1970-01-01
 * (mue_localtime_days_from_civil). A lamp's day runs from one local midnight to the next: the
 * program of the date applies to its 24 hours, so a night spans two dates' programs (TALQ).
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_SCHEDULE_H
#define LIGHTING_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#define LIGHT_ID_MAX    64 /* ids of programs and calendars, with the '\0' */
#define LIGHT_MAX_STEPS 16 /* dim-level steps of a program */
#define LIGHT_MAX_RULES 32 /* rules of a calendar */
#define LIGHT_MAX_SPANS 8  /* day or date spans of one rule's condition */
#define LIGHT_DAY_MIN   1440

/* When something happens in a day: at a clock time, or minutes before (<0) or after a solar
 * event of that date (the official sunrise and sunset at the lamp's position). */
enum light_anchor {
    LIGHT_AT_TIME,
    LIGHT_AT_SUNSET,
    LIGHT_AT_SUNRISE,
};

struct light_time {
    enum light_anchor anchor;
    int minutes; /* LIGHT_AT_TIME: 0..1439; solar: the offset, -720..720 */
};

/* From 'at', the lamp goes to 'level' percent (0 off .. 100 full), ramping over 'ramp_s'. */
struct light_step {
    struct light_time at;
    int level;
    int ramp_s;
};

/* A control program. The lamp is lit in its active period, from 'on' to 'off' (wrapping over
 * midnight when 'off' comes first in the day: the usual night), and off outside it. Within the
 * period the level is that of the latest step at or before the minute; before the day's first
 * step, that of its last step (steps wrap from day to day); 100 without steps. */
struct light_program {
    char id[LIGHT_ID_MAX];
    struct light_time on, off;
    int nsteps;
    struct light_step steps[LIGHT_MAX_STEPS];
};

/* A rule's condition (TALQ ccDay and ccDate, and ccHoliday: a French public holiday). */
enum light_cond {
    LIGHT_COND_ALWAYS,  /* no condition: every date of the rule's validity */
    LIGHT_COND_DAYS,    /* weekdays, optionally only their n-th or last of the month */
    LIGHT_COND_DATES,   /* dates or date spans, every year or in one month of every year */
    LIGHT_COND_HOLIDAY, /* a French public holiday (light_holiday) */
};

/* A date span in a rule: month 0 means every month (TALQ "---dd"); year 0 every year
 * ("--mm-dd"). Spans wrap over the year's end (--12-24 to --01-02). */
struct light_md {
    int year, month, day;
};

struct light_span {
    struct light_md start, end;
};

struct light_rule {
    bool has_validity; /* the rule applies only from valid.start to valid.end */
    struct light_span valid;
    enum light_cond cond;
    uint8_t weekdays;    /* LIGHT_COND_DAYS: bit 1 Monday .. bit 7 Sunday (ISO numbers) */
    uint8_t occurrences; /* LIGHT_COND_DAYS: bit n (1..5) its n-th in the month, bit 6 the last;
                            0 every one */
    int nspans;          /* LIGHT_COND_DATES */
    struct light_span spans[LIGHT_MAX_SPANS];
    char program[LIGHT_ID_MAX];
};

struct light_calendar {
    char id[LIGHT_ID_MAX];
    int nrules;
    struct light_rule rules[LIGHT_MAX_RULES];
    char default_program[LIGHT_ID_MAX];
};

/* holidays.c */

/* Easter Sunday of 'year' (Gregorian), as days since 1970-01-01. */
int64_t light_easter(int year);
/* True when the date (days since 1970-01-01) is a French public holiday: 1 January, Easter
 * Monday, 1 May, 8 May, Ascension Thursday, Whit Monday, 14 July, 15 August, 1 November,
 * 11 November, 25 December. Writes its French name to *name when name is not NULL. */
bool light_holiday(int64_t date, const char **name);

/* calendar.c */

/* The program id the calendar picks for the date: the first rule that matches, else the
 * default (which may be empty: no program, the lamp stays off). */
const char *light_calendar_program(const struct light_calendar *c, int64_t date);
/* True when the rule matches the date. */
bool light_rule_matches(const struct light_rule *r, int64_t date);

/* program.c */

/* The sun of one date at one place: local clock minutes of the official sunrise and sunset,
 * or -1 when the sun does not rise or set that day. */
struct light_sun {
    int rise_min, set_min;
};

/* The sun of 'date' at lat/lon, for light_program_levels. */
void light_sun_of(double lat, double lon, int64_t date, struct light_sun *out);
/* Resolves a time to a clock minute of the date, clamped to 0..1439 (-1 when its solar event
 * does not happen that day). */
int light_time_resolve(const struct light_time *t, const struct light_sun *sun);
/* The program's level (0..100) for each clock minute of a day with that sun. A step with a
 * ramp moves linearly from the level before it to its own over ramp_s, from its minute on. */
void light_program_levels(const struct light_program *p, const struct light_sun *sun,
                          uint8_t levels[LIGHT_DAY_MIN]);

/* plan.c */

/* An override: a level for a while (an event, maintenance, an emergency), over the calendar. */
struct light_override {
    int64_t start_s, end_s; /* [start, end), seconds since the epoch */
    int level;              /* 0..100 */
    int priority;           /* the highest wins; between equals, the later start */
};

/* Everything a lamp's plan depends on. The arrays are borrowed. */
struct light_lamp {
    double lat, lon;
    const struct light_calendar *calendar; /* NULL: none assigned, the lamp is off */
    const struct light_program *programs;
    int nprograms;
    const struct light_override *overrides;
    int noverrides;
};

const struct light_program *light_find_program(const struct light_program *programs, int n,
                                               const char *id);
/* The override in force at t (the highest priority, then the later start), or NULL. */
const struct light_override *light_override_at(const struct light_lamp *lamp, int64_t t);
/* The planned level of each minute from 'from_s' (a whole minute) for 'n' minutes: the program the
 * calendar picks for each minute's local date, at its local clock minute (so across the
 * daylight-saving changes), overridden where an override is in force. A calendar naming a program
 * that is not there leaves the lamp off. */
void light_plan(const struct light_lamp *lamp, int64_t from_s, int n, uint8_t *levels);

/* energy.c */

/* Energy over a span, in watt-hours: planned from the levels (the power taken as proportional to
 * the level, as an LED driver's is, closely), full = 100 % from sunset to sunrise (a lamp on a
 * photocell), and the saving between them. */
struct light_energy {
    double planned_wh, full_wh, saving_wh;
    int lit_minutes; /* minutes with a level above 0 */
};

void light_energy(const struct light_lamp *lamp, double power_w, int64_t from_s, int n,
                  struct light_energy *out);

#endif
