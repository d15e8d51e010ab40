/* test_compile_nas.c - a week's programs compiled into NAS UL20xx downlinks, decoded back with the
 * normalizer's real codec: profiles and their days, holidays, the calendar's zenith angles
 * checked against the sun, and the dimming overrides.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "compile_nas.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_sun.h"
#include "schedule.h"
#include "../mue_test.h"

#define HM(h, m) ((h)*60 + (m))
#define CAP      16

/* Marseille, Vieux-Port. */
#define LAT 43.2965
#define LON 5.3698

static struct light_step step_at(int h, int m, int level)
{
    return (struct light_step){ { LIGHT_AT_TIME, HM(h, m) }, level, 0 };
}

static struct light_program program(const char *id, struct light_time on, struct light_time off)
{
    struct light_program p;

    memset(&p, 0, sizeof(p));
    snprintf(p.id, sizeof(p.id), "%s", id);
    p.on = on;
    p.off = off;
    return p;
}

static struct light_program astro(const char *id, int on_offset, int off_offset)
{
    return program(id, (struct light_time){ LIGHT_AT_SUNSET, on_offset },
                   (struct light_time){ LIGHT_AT_SUNRISE, off_offset });
}

static struct light_program fixed(const char *id, int on_min, int off_min)
{
    return program(id, (struct light_time){ LIGHT_AT_TIME, on_min },
                   (struct light_time){ LIGHT_AT_TIME, off_min });
}

static void add_rule(struct light_calendar *c, enum light_cond cond, uint8_t weekdays,
                     const char *prog)
{
    struct light_rule *r = &c->rules[c->nrules++];

    memset(r, 0, sizeof(*r));
    r->cond = cond;
    r->weekdays = weekdays;
    snprintf(r->program, sizeof(r->program), "%s", prog);
}

static void calendar_init(struct light_calendar *c, const char *default_program)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->id, sizeof(c->id), "cal-test");
    snprintf(c->default_program, sizeof(c->default_program), "%s", default_program);
}

static const struct light_packet *find_packet(const struct light_packet *pk, int n, const char *key)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(pk[i].key, key) == 0)
            return &pk[i];
    }
    return NULL;
}

/* Decodes a packet with the normalizer's codec on its own fPort; fails the test on refusal. */
static void decode(const struct light_packet *pk, struct codec_result *res)
{
    const struct codec *c = codec_find("nas-ul20xx");
    int rc;

    MUE_ASSERT(c != NULL);
    MUE_ASSERT(pk != NULL);
    MUE_ASSERT(pk->len <= LIGHT_PACKET_MAX);
    memset(res, 0, sizeof(*res));
    rc = codec_decode(c, pk->bytes, pk->len, pk->fport, res);
    if (rc != MUE_OK)
        fprintf(stderr, "  %s: %s\n", pk->key, res->reason);
    MUE_ASSERT_INT_EQ(rc, MUE_OK);
}

static const char *attr(const struct codec_result *res, const char *key)
{
    for (size_t i = 0; i < res->nattr; i++) {
        if (strcmp(res->attr[i].key, key) == 0)
            return res->attr[i].value;
    }
    return NULL;
}

/* Compiles and decodes every packet (each must decode); returns the count. */
static int compile_ok(const struct light_calendar *cal, const struct light_program *progs, int np,
                      int64_t first, struct light_packet *out)
{
    char err[160] = "";
    int n = -1, rc = nas_compile(cal, progs, np, first, LAT, LON, out, CAP, &n, err, sizeof(err));

    if (rc != MUE_OK)
        fprintf(stderr, "  nas_compile: %s\n", err);
    MUE_ASSERT_INT_EQ(rc, MUE_OK);
    MUE_ASSERT_INT_EQ(n, 2 + NAS_PROFILE_SLOTS);
    for (int i = 0; i < n; i++) {
        struct codec_result res;

        MUE_ASSERT_INT_EQ(out[i].fport, 50);
        decode(&out[i], &res);
    }
    return n;
}

/* The decoded attribute 'key' of the packet named 'pkey'. */
static void expect_attr(const struct light_packet *out, int n, const char *pkey, const char *key,
                        const char *want)
{
    struct codec_result res;

    decode(find_packet(out, n, pkey), &res);
    MUE_ASSERT_STR_EQ(attr(&res, key), want);
}

/* Weekdays and weekends, a holiday rule first: Monday 14 July 2025 is a holiday, so the device
 * takes the weekend profile from its holiday list, and Monday stays the weekday profile's. */
static void test_weekday_weekend_with_holiday_rule(void)
{
    struct light_program progs[2] = { astro("cp-weekday", -10, 10), astro("cp-weekend", -10, 10) };
    struct light_calendar cal;
    struct light_packet out[CAP];
    int64_t first = mue_localtime_days_from_civil(2025, 7, 14);
    const uint8_t profile1[] = { 0x21, 0x01, 0x02, 0xFE, 0x3E, 0x00, 33, 100, 138, 50 };
    int n;

    progs[0].steps[progs[0].nsteps++] = step_at(23, 0, 50);
    progs[0].steps[progs[0].nsteps++] = step_at(5, 30, 100);
    progs[1].steps[progs[1].nsteps++] = step_at(1, 0, 70);
    calendar_init(&cal, "cp-weekend");
    add_rule(&cal, LIGHT_COND_HOLIDAY, 0, "cp-weekend");
    add_rule(&cal, LIGHT_COND_DAYS, 0x3E, "cp-weekday");
    n = compile_ok(&cal, progs, 2, first, out);

    expect_attr(out, n, "nas.profile.1", "profile_id", "1");
    expect_attr(out, n, "nas.profile.1", "address", "dali_broadcast");
    expect_attr(out, n, "nas.profile.1", "days_active", "mon, tue, wed, thu, fri");
    expect_attr(out, n, "nas.profile.1", "dimming_steps", "05:30 100%, 23:00 50%");
    expect_attr(out, n, "nas.profile.2", "days_active", "holiday, sat, sun");
    expect_attr(out, n, "nas.profile.2", "dimming_steps", "01:00 70%");
    for (int i = 3; i <= NAS_PROFILE_SLOTS; i++) {
        char key[32];

        snprintf(key, sizeof(key), "nas.profile.%d", i);
        expect_attr(out, n, key, "days_active", "none");
    }
    /* The bytes themselves, from the payload description's layout. */
    MUE_ASSERT_UINT_EQ(find_packet(out, n, "nas.profile.1")->len, sizeof(profile1));
    MUE_ASSERT(memcmp(find_packet(out, n, "nas.profile.1")->bytes, profile1, sizeof(profile1)) ==
               0);
    /* The French holidays from 14 July 2025 to 13 July 2026 (Easter 2026: 5 April). */
    expect_attr(out, n, "nas.holidays", "holidays",
                "07/14, 08/15, 11/01, 11/11, 12/25, 01/01, 04/06");
    expect_attr(out, n, "nas.holidays", "holidays_2", "05/01, 05/08, 05/14, 05/25");
    /* Both programs light from sunset to sunrise alike: the calendar switches. */
    expect_attr(out, n, "nas.calendar", "calendar_clamps_profiles", "true");
}

/* A date rule before the holiday rule decides 14 July: that date is no device holiday, and the
 * fête's program gets Monday. */
static void test_date_rule_before_holiday_rule(void)
{
    struct light_program progs[3] = { astro("cp-weekday", 0, 0), astro("cp-weekend", 0, 0),
                                      astro("cp-fete", 0, 0) };
    struct light_calendar cal;
    struct light_packet out[CAP];
    int n;

    calendar_init(&cal, "cp-weekend");
    add_rule(&cal, LIGHT_COND_DATES, 0, "cp-fete");
    cal.rules[0].nspans = 1;
    cal.rules[0].spans[0] = (struct light_span){ { 0, 7, 14 }, { 0, 7, 14 } };
    add_rule(&cal, LIGHT_COND_HOLIDAY, 0, "cp-weekend");
    add_rule(&cal, LIGHT_COND_DAYS, 0x3E, "cp-weekday");
    n = compile_ok(&cal, progs, 3, mue_localtime_days_from_civil(2025, 7, 14), out);

    expect_attr(out, n, "nas.profile.1", "days_active", "tue, wed, thu, fri");
    expect_attr(out, n, "nas.profile.2", "days_active", "holiday, sat, sun");
    expect_attr(out, n, "nas.profile.3", "days_active", "mon");
    expect_attr(out, n, "nas.holidays", "holidays",
                "08/15, 11/01, 11/11, 12/25, 01/01, 04/06, 05/01");
    expect_attr(out, n, "nas.holidays", "holidays_2", "05/08, 05/14, 05/25");
}

/* "89.67 deg 100%" -> 89.67, 100. */
static void parse_zenith_step(const char *s, double *zenith, int *level)
{
    MUE_ASSERT(s != NULL);
    MUE_ASSERT_INT_EQ(sscanf(s, "%lf deg %d%%", zenith, level), 2);
}

/* On 15 min before sunset, off 20 min after sunrise: the zenith angles the device gets must put
 * the sun's crossings there, within a minute, on the week's middle date. */
static void check_astro_week(int year, int month, int day)
{
    struct light_program p = astro("cp-astro", -15, 20);
    struct light_calendar cal;
    struct light_packet out[CAP];
    struct codec_result res;
    int64_t first = mue_localtime_days_from_civil(year, month, day), rise0, set0, rise, set, t;
    double zset, zrise;
    int n, lset, lrise, y, m, d;

    p.steps[p.nsteps++] = step_at(23, 0, 50);
    p.steps[p.nsteps++] = step_at(5, 0, 100);
    calendar_init(&cal, "cp-astro");
    n = compile_ok(&cal, &p, 1, first, out);

    decode(find_packet(out, n, "nas.calendar"), &res);
    MUE_ASSERT_STR_EQ(attr(&res, "packet_type"), "calendar_config_packet");
    MUE_ASSERT_STR_EQ(attr(&res, "calendar_clamps_profiles"), "true");
    MUE_ASSERT_STR_EQ(attr(&res, "latitude_deg"), "43.30");
    MUE_ASSERT_STR_EQ(attr(&res, "longitude_deg"), "5.37");
    parse_zenith_step(attr(&res, "sunset_steps"), &zset, &lset);
    parse_zenith_step(attr(&res, "sunrise_steps"), &zrise, &lrise);
    MUE_ASSERT_INT_EQ(lset, 100); /* at sunset the 05:00 step is in force */
    MUE_ASSERT_INT_EQ(lrise, 0);

    mue_localtime_civil_from_days(first + 3, &y, &m, &d);
    MUE_ASSERT_INT_EQ(mue_sun_times(LAT, LON, y, m, d, MUE_SUN_ZENITH_OFFICIAL, &rise0, &set0), 0);
    MUE_ASSERT_INT_EQ(mue_sun_times(LAT, LON, y, m, d, zset, &t, &set), 0);
    MUE_ASSERT_INT_EQ(mue_sun_times(LAT, LON, y, m, d, zrise, &rise, &t), 0);
    MUE_ASSERT_DBL_NEAR((double)set, (double)(set0 - 15 * 60), 60.0);
    MUE_ASSERT_DBL_NEAR((double)rise, (double)(rise0 + 20 * 60), 60.0);

    expect_attr(out, n, "nas.profile.1", "days_active", "mon, tue, wed, thu, fri, sat, sun");
    expect_attr(out, n, "nas.profile.1", "dimming_steps", "05:00 100%, 23:00 50%");
}

static void test_astro_program_winter_week(void)
{
    check_astro_week(2025, 1, 6);
}

static void test_astro_program_summer_week(void)
{
    check_astro_week(2025, 6, 16);
}

/* Fixed times: no calendar steps, on and off in the profile, steps on the 10-minute grid. */
static void test_fixed_time_program(void)
{
    struct light_program p = fixed("cp-fixed", HM(18, 0), HM(6, 30));
    struct light_calendar cal;
    struct light_packet out[CAP];
    struct codec_result res;
    int n;

    p.steps[p.nsteps++] = step_at(18, 0, 100);
    p.steps[p.nsteps++] = step_at(22, 4, 50); /* to 22:00 */
    p.steps[p.nsteps++] = step_at(2, 5, 30);  /* to 02:10 */
    p.steps[p.nsteps++] = step_at(12, 0, 80); /* outside the active period: dropped */
    calendar_init(&cal, "cp-fixed");
    n = compile_ok(&cal, &p, 1, mue_localtime_days_from_civil(2025, 3, 3), out);

    decode(find_packet(out, n, "nas.calendar"), &res);
    MUE_ASSERT_STR_EQ(attr(&res, "calendar_clamps_profiles"), "false");
    MUE_ASSERT(attr(&res, "sunset_steps") == NULL);
    MUE_ASSERT(attr(&res, "sunrise_steps") == NULL);
    expect_attr(out, n, "nas.profile.1", "dimming_steps",
                "02:10 30%, 06:30 0%, 18:00 100%, 22:00 50%");
    expect_attr(out, n, "nas.holidays", "holidays", "none");
}

/* The local clock minute of an instant, to the nearest minute, then its 10-minute slot. */
static void slot_text(int64_t t_s, char *buf, size_t size)
{
    struct mue_localtime lt;
    int m;

    mue_localtime_from_utc(t_s + 30, &lt);
    m = ((lt.hour * 60 + lt.minute) + 5) / 10 * 10 % 1440;
    snprintf(buf, size, "%02d:%02d", m / 60, m % 60);
}

/* A solar program beside a fixed one: the profiles switch, the solar times resolved on the
 * middle date; weekends without a program are off all day. */
static void test_mixed_week_and_days_without_program(void)
{
    struct light_program progs[2] = { astro("cp-astro", -15, 20),
                                      fixed("cp-fixed", HM(19, 0), HM(6, 0)) };
    struct light_calendar cal;
    struct light_packet out[CAP];
    int64_t first = mue_localtime_days_from_civil(2025, 1, 6), rise, set;
    char on[8], off[8], want[64];
    int n;

    calendar_init(&cal, "");
    add_rule(&cal, LIGHT_COND_DAYS, 0x06, "cp-astro"); /* Monday, Tuesday */
    add_rule(&cal, LIGHT_COND_DAYS, 0x38, "cp-fixed"); /* Wednesday .. Friday */
    n = compile_ok(&cal, progs, 2, first, out);

    MUE_ASSERT_INT_EQ(mue_sun_times(LAT, LON, 2025, 1, 9, MUE_SUN_ZENITH_OFFICIAL, &rise, &set), 0);
    slot_text(rise + 20 * 60, off, sizeof(off));
    slot_text(set - 15 * 60, on, sizeof(on));
    snprintf(want, sizeof(want), "%s 0%%, %s 100%%", off, on);
    expect_attr(out, n, "nas.calendar", "calendar_clamps_profiles", "false");
    expect_attr(out, n, "nas.profile.1", "days_active", "mon, tue");
    expect_attr(out, n, "nas.profile.1", "dimming_steps", want);
    expect_attr(out, n, "nas.profile.2", "days_active", "wed, thu, fri");
    expect_attr(out, n, "nas.profile.2", "dimming_steps", "06:00 0%, 19:00 100%");
    expect_attr(out, n, "nas.profile.3", "days_active", "sat, sun");
    expect_attr(out, n, "nas.profile.3", "dimming_steps", "00:00 0%");
}

/* No calendar: off every day, and no holidays. */
static void test_lamp_without_calendar(void)
{
    struct light_packet out[CAP];
    char err[160] = "";
    int n = -1;

    MUE_ASSERT_INT_EQ(nas_compile(NULL, NULL, 0, 20000, LAT, LON, out, CAP, &n, err, sizeof(err)),
                      MUE_OK);
    MUE_ASSERT_INT_EQ(n, 2 + NAS_PROFILE_SLOTS);
    expect_attr(out, n, "nas.profile.1", "days_active", "mon, tue, wed, thu, fri, sat, sun");
    expect_attr(out, n, "nas.profile.1", "dimming_steps", "00:00 0%");
    expect_attr(out, n, "nas.profile.2", "days_active", "none");
    expect_attr(out, n, "nas.holidays", "holidays", "none");
    expect_attr(out, n, "nas.calendar", "calendar_clamps_profiles", "false");
}

static void test_refuses_too_many_steps(void)
{
    struct light_program p = fixed("cp-long", HM(18, 0), HM(6, 0));
    struct light_calendar cal;
    struct light_packet out[CAP];
    char err[160] = "";
    int n = -1;

    p.nsteps = LIGHT_MAX_STEPS + 1;
    calendar_init(&cal, "cp-long");
    MUE_ASSERT_INT_EQ(nas_compile(&cal, &p, 1, 20000, LAT, LON, out, CAP, &n, err, sizeof(err)),
                      MUE_E2BIG);
    MUE_ASSERT_INT_EQ(n, 0);
    MUE_ASSERT(strstr(err, "cp-long: too many steps") != NULL);

    p.nsteps = 1;
    p.steps[0] = step_at(20, 0, 101);
    MUE_ASSERT_INT_EQ(nas_compile(&cal, &p, 1, 20000, LAT, LON, out, CAP, &n, err, sizeof(err)),
                      MUE_EINVAL);
    p.steps[0] = step_at(20, 0, 100);
    MUE_ASSERT_INT_EQ(nas_compile(&cal, &p, 1, 20000, LAT, LON, out, 9, &n, err, sizeof(err)),
                      MUE_E2BIG);
    MUE_ASSERT_INT_EQ(nas_compile(&cal, &p, 1, 20000, 91.0, LON, out, CAP, &n, err, sizeof(err)),
                      MUE_EINVAL);
}

/* The longest program the model allows, every step lit, still fits a downlink with its on and
 * off. */
static void test_longest_program_fits(void)
{
    struct light_program p = fixed("cp-busy", HM(12, 0), HM(11, 0));
    struct light_calendar cal;
    struct light_packet out[CAP];
    int n;

    for (int i = 0; i < LIGHT_MAX_STEPS; i++)
        p.steps[p.nsteps++] = step_at((13 + i) % 24, 30, 10 + i);
    calendar_init(&cal, "cp-busy");
    n = compile_ok(&cal, &p, 1, 20000, out);
    MUE_ASSERT_UINT_EQ(find_packet(out, n, "nas.profile.1")->len, 6 + 2 * (LIGHT_MAX_STEPS + 2));
}

static void test_dimming_overrides(void)
{
    struct light_packet pk;
    struct codec_result res;
    const uint8_t timed[] = { 0x09, 0xFE, 30, 90 };

    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, 40, 0, &pk), MUE_OK);
    MUE_ASSERT_INT_EQ(pk.fport, 60);
    decode(&pk, &res);
    MUE_ASSERT_STR_EQ(attr(&res, "packet_type"), "manual_dimming");
    MUE_ASSERT_STR_EQ(attr(&res, "destination"), "dali_broadcast 40%");

    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, NAS_LEVEL_RESUME, 0, &pk), MUE_OK);
    decode(&pk, &res);
    MUE_ASSERT_STR_EQ(attr(&res, "destination"), "dali_broadcast resume");

    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, 30, 90, &pk), MUE_OK);
    MUE_ASSERT_UINT_EQ(pk.len, sizeof(timed));
    MUE_ASSERT(memcmp(pk.bytes, timed, sizeof(timed)) == 0);
    decode(&pk, &res);
    MUE_ASSERT_STR_EQ(attr(&res, "packet_type"), "manual_timed_dimming");
    MUE_ASSERT_STR_EQ(attr(&res, "destination"), "dali_broadcast 30% 90 min");

    MUE_ASSERT_INT_EQ(nas_dim_command(9 << 1, 0, 255, &pk), MUE_OK); /* DALI short address 9 */
    decode(&pk, &res);
    MUE_ASSERT_STR_EQ(attr(&res, "destination"), "dali_single_9 0% 255 min");

    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, 101, 0, &pk), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, -1, 0, &pk), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(nas_dim_command(NAS_ADDR_BROADCAST, 50, 256, &pk), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(nas_dim_command(0x03, 50, 0, &pk), MUE_EINVAL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_weekday_weekend_with_holiday_rule),
        MUE_TEST(test_date_rule_before_holiday_rule),
        MUE_TEST(test_astro_program_winter_week),
        MUE_TEST(test_astro_program_summer_week),
        MUE_TEST(test_fixed_time_program),
        MUE_TEST(test_mixed_week_and_days_without_program),
        MUE_TEST(test_lamp_without_calendar),
        MUE_TEST(test_refuses_too_many_steps),
        MUE_TEST(test_longest_program_fits),
        MUE_TEST(test_dimming_overrides),
    };
    return mue_test_run("compile_nas", tests);
}
