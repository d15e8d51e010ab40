/* compile_nas.c - a lamp's week of programs as NAS UL20xx configuration packets (fPort 50) and its
 * dimming overrides (fPort 60).
 * SPDX-License-Identifier: MIT
 *
 * Layouts from the vendor's encoder and decoder, nasys/nas-codecs src/ul20xx_1_1_x_encoder.js
 * (encode_calendar_config, encode_profile_config, encode_holiday_config, manual_dimming,
 * manual_timed_dimming) and src/ul20xx_decoder.js @4691977b, the payload description at
 * docs.nasys.no/en/lcu/payloads-configs ("the same command will be returned if it was accepted
 * and applied"), and the normalizer's decoder of them (services/normalizer/nas_ul20xx_config.c,
 * nas_ul20xx_cmd.c), which the tests decode these packets with:
 *   0x20 calendar [counts: sunrise low nibble, sunset high][bits: 0 prefers_meta_pos,
 *        1 clamps_profiles, 2 clamps_dig, 3 ignore_gnss][lat i16 /100][lon i16 /100]
 *        then per step [zenith: int8 = (deg - 90) * 6][level, 0xFF disabled], sunrise first;
 *   0x21 profile [id][step count][address][days: bit 0 holiday, 1 Monday .. 7 Sunday][0x00]
 *        then per step [10-minute units from midnight][level, 0xFF inactive];
 *   0x23 holidays [count] then [month][day], every year;
 *   0x01 / 0x09 dimming [address][level, 0xFF resume] (0x09: then [minutes]).
 *
 * What the calendar does, read from its fields and the status packet's dimming reasons
 * (calendar_day, calendar_night, calendar_dusk_step_N, calendar_dawn_step_N, profile_N): the
 * calendar follows the sun at the configured position, and with "clamps profiles" the profiles
 * only dim within its night. So a week whose programs all light from sunset to sunrise with the
 * same offsets gets a calendar, and the device follows the season by itself; any other week gets
 * its on and off times as profile steps (level at on, 0 at off), which are clock times and are
 * recompiled as the sun moves, and a calendar without steps, which switches nothing.
 *
 * Step times are local clock times, as in schedule.h; none of the vendor's public material says
 * whether the firmware runs its profiles in local time or in UTC (its clock is set in UTC, by
 * DeviceTimeReq or the time config 0x09). To be checked on a device: if UTC, shift the steps,
 * and the days with them, by the week's UTC offset.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_nas.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_sun.h"

#define WEEK_DAYS     7
#define MIDDLE_DAY    3
#define HOLIDAY_SPAN  365
#define STEP_MINUTES  10
#define NO_PROGRAM    (-1)                  /* a date without a program: the lamp is off all day */
#define NO_HOLIDAY    (-2)                  /* the calendar has no holiday rule */
#define PROFILE_STEPS (LIGHT_MAX_STEPS + 2) /* a program's steps, and its on and off */

/* A profile of up to PROFILE_STEPS steps fits in a packet; with a longer model this stops here. */
_Static_assert(6 + 2 * PROFILE_STEPS <= LIGHT_PACKET_MAX, "a profile must fit in a downlink");

struct step {
    int minute; /* 0..1430, a multiple of STEP_MINUTES */
    int level;
    int order; /* its place in the program: of two in one slot, the later is in force */
};

/* The profiles of the week: what each slot compiles and the days it is active. */
struct week {
    int npro;
    int program[NAS_PROFILE_SLOTS]; /* an index into 'programs', or NO_PROGRAM */
    uint8_t days[NAS_PROFILE_SLOTS];
    int holiday_program; /* an index, NO_PROGRAM or NO_HOLIDAY */
};

static int fail(char *err, size_t errcap, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errcap, int rc, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errcap > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* 1 Monday .. 7 Sunday; 1970-01-01 was a Thursday. */
static int iso_weekday(int64_t date)
{
    return (int)(((date % 7 + 7) % 7 + 3) % 7) + 1;
}

/* The nearest 10-minute slot of a clock minute; 23:55 and later is midnight. */
static int slot_of(int minute)
{
    return (minute + STEP_MINUTES / 2) / STEP_MINUTES * STEP_MINUTES % LIGHT_DAY_MIN;
}

static int program_index(const struct light_program *programs, int n, const char *id)
{
    const struct light_program *p = light_find_program(programs, n, id);

    return p != NULL ? (int)(p - programs) : NO_PROGRAM;
}

/* The calendar's first rule that matches the date, or NULL (the default decides). */
static const struct light_rule *deciding_rule(const struct light_calendar *cal, int64_t date)
{
    for (int i = 0; i < cal->nrules && i < LIGHT_MAX_RULES; i++) {
        if (light_rule_matches(&cal->rules[i], date))
            return &cal->rules[i];
    }
    return NULL;
}

/* The program of the date's weekday profile. Where a holiday rule decides, the device takes the
 * holiday profile from its holiday list, and the weekday goes to what the calendar would pick
 * were the date no holiday. */
static const char *weekday_program(const struct light_calendar *cal, int64_t date)
{
    const struct light_rule *r = deciding_rule(cal, date);

    if (r == NULL)
        return cal->default_program;
    if (r->cond != LIGHT_COND_HOLIDAY)
        return r->program;
    for (int i = 0; i < cal->nrules && i < LIGHT_MAX_RULES; i++) {
        if (cal->rules[i].cond != LIGHT_COND_HOLIDAY && light_rule_matches(&cal->rules[i], date))
            return cal->rules[i].program;
    }
    return cal->default_program;
}

static int slot_of_program(struct week *w, int program)
{
    for (int i = 0; i < w->npro; i++) {
        if (w->program[i] == program)
            return i;
    }
    /* 7 dates and the holiday program: never more than NAS_PROFILE_SLOTS. */
    w->program[w->npro] = program;
    w->days[w->npro] = 0;
    return w->npro++;
}

/* Programs in the order of 'programs', the day without a program last: profile ids then stay
 * the same from one day's compilation to the next. */
static int by_program(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    if (x == NO_PROGRAM || y == NO_PROGRAM)
        return (x == NO_PROGRAM) - (y == NO_PROGRAM);
    return (x > y) - (x < y);
}

static void plan_week(const struct light_calendar *cal, const struct light_program *programs,
                      int nprograms, int64_t first_date, struct week *w)
{
    int refs[WEEK_DAYS + 1], nrefs = 0, picks[WEEK_DAYS];

    memset(w, 0, sizeof(*w));
    w->holiday_program = NO_HOLIDAY;
    for (int i = 0; i < cal->nrules && i < LIGHT_MAX_RULES; i++) {
        if (cal->rules[i].cond == LIGHT_COND_HOLIDAY) {
            w->holiday_program = program_index(programs, nprograms, cal->rules[i].program);
            break;
        }
    }
    for (int d = 0; d < WEEK_DAYS; d++) {
        picks[d] = program_index(programs, nprograms, weekday_program(cal, first_date + d));
        refs[nrefs++] = picks[d];
    }
    if (w->holiday_program != NO_HOLIDAY)
        refs[nrefs++] = w->holiday_program;
    qsort(refs, (size_t)nrefs, sizeof(refs[0]), by_program);
    for (int i = 0; i < nrefs; i++)
        slot_of_program(w, refs[i]);
    for (int d = 0; d < WEEK_DAYS; d++)
        w->days[slot_of_program(w, picks[d])] |= (uint8_t)(1u << iso_weekday(first_date + d));
    if (w->holiday_program != NO_HOLIDAY)
        w->days[slot_of_program(w, w->holiday_program)] |= 1u;
}

static int by_minute(const void *a, const void *b)
{
    const struct step *x = a, *y = b;

    if (x->minute != y->minute)
        return (x->minute > y->minute) - (x->minute < y->minute);
    return (x->order > y->order) - (x->order < y->order);
}

/* Sorts steps by slot and keeps, of each slot, the one in force after it. */
static int sort_unique(struct step *st, int n)
{
    int k = 0;

    qsort(st, (size_t)n, sizeof(st[0]), by_minute);
    for (int i = 0; i < n; i++) {
        if (k > 0 && st[k - 1].minute == st[i].minute)
            st[k - 1] = st[i];
        else
            st[k++] = st[i];
    }
    return k;
}

/* The program's own steps at the device's resolution (a solar step whose event does not happen
 * that day does not happen either, as in light_program_levels). */
static int program_steps(const struct light_program *p, const struct light_sun *sun,
                         struct step *st)
{
    int n = 0;

    for (int i = 0; i < p->nsteps; i++) {
        int m = light_time_resolve(&p->steps[i].at, sun);

        if (m >= 0)
            st[n++] = (struct step){ slot_of(m), p->steps[i].level, i };
    }
    return sort_unique(st, n);
}

/* The level of the latest step at or before 'minute', the day's last before its first; 100
 * without steps (schedule.h). */
static int level_at(const struct step *st, int n, int minute)
{
    int level = n > 0 ? st[n - 1].level : 100;

    for (int i = 0; i < n && st[i].minute <= minute; i++)
        level = st[i].level;
    return level;
}

static bool is_active(int m, int on, int off)
{
    return on < off ? m >= on && m < off : m >= on || m < off;
}

/* A profile of the program as the device runs it: with the calendar, the program's steps (the
 * calendar switches on and off); without, the active period's on and off as steps as well. */
static int profile_steps(const struct light_program *p, const struct light_sun *sun, bool calendar,
                         struct step *out)
{
    struct step st[LIGHT_MAX_STEPS];
    int n = program_steps(p, sun, st), on, off, k = 0;

    if (calendar) {
        if (n == 0) {
            out[0] = (struct step){ 0, 100, 0 };
            return 1;
        }
        memcpy(out, st, sizeof(st[0]) * (size_t)n);
        return n;
    }
    on = light_time_resolve(&p->on, sun);
    off = light_time_resolve(&p->off, sun);
    if (on < 0 || off < 0 || slot_of(on) == slot_of(off)) {
        out[0] = (struct step){ 0, 0, 0 }; /* never lit that day */
        return 1;
    }
    on = slot_of(on);
    off = slot_of(off);
    out[k++] = (struct step){ on, level_at(st, n, on), -2 };
    out[k++] = (struct step){ off, 0, -1 };
    for (int i = 0; i < n; i++) {
        if (st[i].minute != on && is_active(st[i].minute, on, off))
            out[k++] = st[i];
    }
    qsort(out, (size_t)k, sizeof(out[0]), by_minute);
    return k;
}

/* Both solar ends of the active period, and the same offsets as 'ref'. */
static bool same_solar_period(const struct light_program *p, const struct light_program *ref)
{
    return p->on.anchor == LIGHT_AT_SUNSET && p->off.anchor == LIGHT_AT_SUNRISE &&
           p->on.minutes == ref->on.minutes && p->off.minutes == ref->off.minutes;
}

/* The zenith byte of the sun at its official sunset (or sunrise) of 'date' plus 'offset_min'.
 * Returns false where the event does not happen or the angle does not fit an int8 (68.7..111.2
 * degrees). */
static bool zenith_byte(double lat, double lon, int64_t date, bool sunset, int offset_min,
                        uint8_t *out)
{
    int64_t rise, set;
    int y, m, d;
    long v;

    mue_localtime_civil_from_days(date, &y, &m, &d);
    if (mue_sun_times(lat, lon, y, m, d, MUE_SUN_ZENITH_OFFICIAL, &rise, &set) != 0)
        return false;
    /* zenith - 90 = -elevation, in sixths of a degree */
    v = lround(-6.0 * mue_sun_elevation(lat, lon, (sunset ? set : rise) + offset_min * 60));
    if (v < -128 || v > 127)
        return false;
    *out = (uint8_t)(int8_t)v;
    return true;
}

static void put(struct light_packet *pk, unsigned v)
{
    if (pk->len < sizeof(pk->bytes))
        pk->bytes[pk->len] = (uint8_t)v;
    pk->len++;
}

static void put_i16(struct light_packet *pk, long v)
{
    unsigned u = (unsigned)(v & 0xFFFF);

    put(pk, u & 0xFF);
    put(pk, u >> 8);
}

static struct light_packet *packet_new(struct light_packet *out, int *n, unsigned fport,
                                       const char *key)
{
    struct light_packet *pk = &out[(*n)++];

    memset(pk, 0, sizeof(*pk));
    snprintf(pk->key, sizeof(pk->key), "%s", key);
    pk->fport = fport;
    return pk;
}

/* The calendar of a week lit from sunset to sunrise, or false (the profiles switch). */
static bool calendar_steps(const struct week *w, const struct light_program *programs, int64_t mid,
                           double lat, double lon, const struct light_sun *sun, uint8_t zen[2],
                           int *on_level)
{
    const struct light_program *ref = NULL;

    *on_level = 0;
    for (int i = 0; i < w->npro; i++) {
        const struct light_program *p;
        uint8_t levels[LIGHT_DAY_MIN];
        int on;

        if (w->days[i] == 0)
            continue;
        if (w->program[i] == NO_PROGRAM)
            return false;
        p = &programs[w->program[i]];
        if (ref == NULL)
            ref = p;
        on = light_time_resolve(&p->on, sun);
        if (!same_solar_period(p, ref) || on < 0)
            return false;
        /* One sunset level for every profile: the highest lets each profile's own through. */
        light_program_levels(p, sun, levels);
        if (levels[on] > *on_level)
            *on_level = levels[on];
    }
    return ref != NULL && zenith_byte(lat, lon, mid, false, ref->off.minutes, &zen[0]) &&
           zenith_byte(lat, lon, mid, true, ref->on.minutes, &zen[1]);
}

static void calendar_packet(struct light_packet *pk, bool on, const uint8_t zen[2], int on_level,
                            double lat, double lon)
{
    put(pk, 0x20);
    put(pk, on ? 0x11 : 0x00); /* one sunrise and one sunset step, or none */
    put(pk, on ? 0x02 : 0x00); /* calendar clamps profiles */
    put_i16(pk, lround(lat * 100.0));
    put_i16(pk, lround(lon * 100.0));
    if (on) {
        put(pk, zen[0]);
        put(pk, 0);
        put(pk, zen[1]);
        put(pk, (unsigned)on_level);
    }
}

/* The holidays of the next 365 dates on which the calendar's holiday rule decides. */
static void holiday_packet(struct light_packet *pk, const struct light_calendar *cal,
                           int64_t first_date, bool has_rule)
{
    size_t count_at;

    put(pk, 0x23);
    count_at = pk->len;
    put(pk, 0);
    for (int64_t d = first_date; has_rule && d < first_date + HOLIDAY_SPAN; d++) {
        const struct light_rule *r = deciding_rule(cal, d);
        int y, m, day;

        if (r == NULL || r->cond != LIGHT_COND_HOLIDAY)
            continue;
        mue_localtime_civil_from_days(d, &y, &m, &day);
        put(pk, (unsigned)m);
        put(pk, (unsigned)day);
        pk->bytes[count_at]++;
    }
}

static void profile_packet(struct light_packet *pk, int id, uint8_t days, const struct step *st,
                           int n)
{
    put(pk, 0x21);
    put(pk, (unsigned)id);
    put(pk, (unsigned)n);
    put(pk, NAS_ADDR_BROADCAST);
    put(pk, days);
    put(pk, 0x00); /* reserved */
    for (int i = 0; i < n; i++) {
        put(pk, (unsigned)(st[i].minute / STEP_MINUTES));
        put(pk, (unsigned)st[i].level);
    }
}

static int check_programs(const struct week *w, const struct light_program *programs, char *err,
                          size_t errcap)
{
    for (int i = 0; i < w->npro; i++) {
        const struct light_program *p;

        if (w->program[i] == NO_PROGRAM)
            continue;
        p = &programs[w->program[i]];
        if (p->nsteps < 0 || p->nsteps > LIGHT_MAX_STEPS)
            return fail(err, errcap, MUE_E2BIG, "program %s: too many steps (%d, at most %d)",
                        p->id, p->nsteps, LIGHT_MAX_STEPS);
        for (int k = 0; k < p->nsteps; k++) {
            if (p->steps[k].level < 0 || p->steps[k].level > 100)
                return fail(err, errcap, MUE_EINVAL, "program %s: step %d level %d not 0..100",
                            p->id, k + 1, p->steps[k].level);
        }
    }
    return MUE_OK;
}

/* A lamp without a calendar is off every day. */
static const struct light_calendar no_calendar;

int nas_compile(const struct light_calendar *cal, const struct light_program *programs,
                int nprograms, int64_t first_date, double lat, double lon, struct light_packet *out,
                int cap, int *n, char *err, size_t errcap)
{
    struct week w;
    struct light_sun sun;
    uint8_t zen[2] = { 0, 0 };
    int64_t mid = first_date + MIDDLE_DAY;
    int rc, on_level = 0;
    bool calendar;

    *n = 0;
    if (cal == NULL)
        cal = &no_calendar;
    if (!(fabs(lat) <= 90.0 && fabs(lon) <= 180.0))
        return fail(err, errcap, MUE_EINVAL, "position %g, %g out of range", lat, lon);
    if (cap < 2 + NAS_PROFILE_SLOTS)
        return fail(err, errcap, MUE_E2BIG, "%d packets need %d places, not %d",
                    2 + NAS_PROFILE_SLOTS, 2 + NAS_PROFILE_SLOTS, cap);
    plan_week(cal, programs, nprograms, first_date, &w);
    rc = check_programs(&w, programs, err, errcap);
    if (rc != MUE_OK)
        return rc;
    light_sun_of(lat, lon, mid, &sun);
    calendar = calendar_steps(&w, programs, mid, lat, lon, &sun, zen, &on_level);

    calendar_packet(packet_new(out, n, NAS_FPORT_CONFIG, "nas.calendar"), calendar, zen, on_level,
                    lat, lon);
    holiday_packet(packet_new(out, n, NAS_FPORT_CONFIG, "nas.holidays"), cal, first_date,
                   w.holiday_program != NO_HOLIDAY);
    for (int i = 0; i < NAS_PROFILE_SLOTS; i++) {
        struct step st[PROFILE_STEPS];
        char key[32];
        int k = 0;

        if (i < w.npro && w.program[i] != NO_PROGRAM)
            k = profile_steps(&programs[w.program[i]], &sun, calendar, st);
        else if (i < w.npro)
            st[k++] = (struct step){ 0, 0, 0 }; /* no program: off all day */
        snprintf(key, sizeof(key), "nas.profile.%d", i + 1);
        profile_packet(packet_new(out, n, NAS_FPORT_CONFIG, key), i + 1, i < w.npro ? w.days[i] : 0,
                       st, k);
    }
    for (int i = 0; i < *n; i++) {
        if (out[i].len > LIGHT_PACKET_MAX) {
            rc = fail(err, errcap, MUE_E2BIG, "%s: %zu bytes, over the %d of a downlink",
                      out[i].key, out[i].len, LIGHT_PACKET_MAX);
            *n = 0;
            return rc;
        }
    }
    return MUE_OK;
}

/* The address bytes the payload description defines (and nas_ul20xx_util.c reads). */
static bool address_is_valid(unsigned b)
{
    return b == 0x01 || b == NAS_ADDR_BROADCAST || b == NAS_ADDR_ALL_DEVICES || (b & 0x81) == 0 ||
           (b & 0xE1) == 0x80;
}

int nas_dim_command(uint8_t address, int level, int minutes, struct light_packet *out)
{
    int k = 0;

    if (!address_is_valid(address) ||
        !((level >= 0 && level <= 100) || level == NAS_LEVEL_RESUME) || minutes < 0 ||
        minutes > 255)
        return MUE_EINVAL;
    memset(out, 0, sizeof(*out));
    snprintf(out->key, sizeof(out->key), "nas.dim");
    out->fport = NAS_FPORT_COMMAND;
    out->bytes[k++] = minutes == 0 ? 0x01 : 0x09;
    out->bytes[k++] = address;
    out->bytes[k++] = (uint8_t)level;
    if (minutes > 0)
        out->bytes[k++] = (uint8_t)minutes;
    out->len = (size_t)k;
    return MUE_OK;
}
