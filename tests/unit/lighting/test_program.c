/* test_program.c - a program's levels through a day, a lamp's plan across the daylight-saving
 * changes and under overrides, and the energy of a known night computed by hand.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_localtime.h"
#include "schedule.h"
#include "../mue_test.h"

#define HM(h, m) ((h)*60 + (m))

/* Marseille, Vieux-Port. */
#define LAT 43.2965
#define LON 5.3698

static struct light_step step(int h, int m, int level, int ramp_s)
{
    return (struct light_step){ { LIGHT_AT_TIME, HM(h, m) }, level, ramp_s };
}

/* formats.md's weekday example with fixed times: lit 18:00-07:00, 100 % in the evening, 50 % from
 * 23:00, 30 % from 01:00, 100 % again from 05:30. */
static struct light_program night_program(int ramp_s)
{
    struct light_program p;

    memset(&p, 0, sizeof(p));
    strcpy(p.id, "cp-night");
    p.on = (struct light_time){ LIGHT_AT_TIME, HM(18, 0) };
    p.off = (struct light_time){ LIGHT_AT_TIME, HM(7, 0) };
    p.steps[p.nsteps++] = step(23, 0, 50, ramp_s);
    p.steps[p.nsteps++] = step(1, 0, 30, 0);
    p.steps[p.nsteps++] = step(5, 30, 100, 0);
    p.steps[p.nsteps++] = step(18, 0, 100, 0);
    return p;
}

static void test_fixed_program_levels(void)
{
    struct light_program p = night_program(60);
    struct light_sun sun = { HM(8, 0), HM(17, 0) };
    uint8_t lv[LIGHT_DAY_MIN];

    light_program_levels(&p, &sun, lv);
    /* Before 01:00 the day's last step (23:00, 50 %) is in force: steps wrap. */
    MUE_ASSERT_INT_EQ(lv[HM(0, 0)], 50);
    MUE_ASSERT_INT_EQ(lv[HM(0, 59)], 50);
    MUE_ASSERT_INT_EQ(lv[HM(1, 0)], 30);
    MUE_ASSERT_INT_EQ(lv[HM(5, 29)], 30);
    MUE_ASSERT_INT_EQ(lv[HM(5, 30)], 100);
    MUE_ASSERT_INT_EQ(lv[HM(6, 59)], 100);
    /* Off outside the active period, whatever the steps say. */
    MUE_ASSERT_INT_EQ(lv[HM(7, 0)], 0);
    MUE_ASSERT_INT_EQ(lv[HM(12, 0)], 0);
    MUE_ASSERT_INT_EQ(lv[HM(17, 59)], 0);
    MUE_ASSERT_INT_EQ(lv[HM(18, 0)], 100);
    /* A 60 s ramp from 100 to 50: half-way at the middle of 23:00, done by 23:01. */
    MUE_ASSERT_INT_EQ(lv[HM(22, 59)], 100);
    MUE_ASSERT_INT_EQ(lv[HM(23, 0)], 75);
    MUE_ASSERT_INT_EQ(lv[HM(23, 1)], 50);
    MUE_ASSERT_INT_EQ(lv[HM(23, 59)], 50);
}

static void test_slow_ramp_and_wrap(void)
{
    struct light_program p = night_program(600); /* 10 min from 100 to 50 */
    struct light_sun sun = { HM(8, 0), HM(17, 0) };
    uint8_t lv[LIGHT_DAY_MIN];

    light_program_levels(&p, &sun, lv);
    /* Minute k of the ramp is at (k * 60 + 30) / 600 of the way; the change is rounded half
     * away from zero: -2.5 -> -3, -22.5 -> -23, -47.5 -> -48. */
    MUE_ASSERT_INT_EQ(lv[HM(23, 0)], 97);
    MUE_ASSERT_INT_EQ(lv[HM(23, 4)], 77);
    MUE_ASSERT_INT_EQ(lv[HM(23, 9)], 52);
    MUE_ASSERT_INT_EQ(lv[HM(23, 10)], 50);
}

static void test_astro_program(void)
{
    struct light_program p;
    struct light_sun sun = { HM(8, 7), HM(17, 6) };
    uint8_t lv[LIGHT_DAY_MIN];

    memset(&p, 0, sizeof(p));
    strcpy(p.id, "cp-astro");
    p.on = (struct light_time){ LIGHT_AT_SUNSET, -10 };
    p.off = (struct light_time){ LIGHT_AT_SUNRISE, 10 };
    p.steps[p.nsteps++] = (struct light_step){ { LIGHT_AT_SUNSET, 30 }, 80, 0 };
    p.steps[p.nsteps++] = step(0, 30, 40, 0);
    light_program_levels(&p, &sun, lv);
    MUE_ASSERT_INT_EQ(lv[HM(8, 16)], 40);
    MUE_ASSERT_INT_EQ(lv[HM(8, 17)], 0);
    MUE_ASSERT_INT_EQ(lv[HM(16, 55)], 0);
    /* Lit from 16:56; before sunset + 30 the step in force is 00:30's (40 %). */
    MUE_ASSERT_INT_EQ(lv[HM(16, 56)], 40);
    MUE_ASSERT_INT_EQ(lv[HM(17, 35)], 40);
    MUE_ASSERT_INT_EQ(lv[HM(17, 36)], 80);
    MUE_ASSERT_INT_EQ(lv[HM(0, 29)], 80);
    MUE_ASSERT_INT_EQ(lv[HM(0, 30)], 40);
    /* No steps: full light in the period. */
    p.nsteps = 0;
    light_program_levels(&p, &sun, lv);
    MUE_ASSERT_INT_EQ(lv[HM(20, 0)], 100);
    MUE_ASSERT_INT_EQ(lv[HM(12, 0)], 0);
}

static int64_t local(int y, int mo, int d, int h, int mi)
{
    return mue_localtime_to_utc(y, mo, d, h, mi, 0);
}

static long level_minutes(const uint8_t *lv, int n)
{
    long sum = 0;

    for (int i = 0; i < n; i++)
        sum += lv[i];
    return sum;
}

static struct light_calendar calendar_of(const char *program)
{
    struct light_calendar c;

    memset(&c, 0, sizeof(c));
    strcpy(c.id, "cal");
    strcpy(c.default_program, program);
    return c;
}

/* Noon to noon across each kind of night: 18:00-23:00 at 100, 23:00-01:00 at 50, 01:00-05:30 at
 * 30, 05:30-07:00 at 100 = 30000 + 6000 + 8100 + 9000 level-minutes; the October night has one
 * more hour at 30 % (02:00-02:59 twice), the March night one less. */
static void test_plan_across_daylight_saving(void)
{
    struct light_program p = night_program(0);
    struct light_calendar cal = calendar_of("cp-night");
    struct light_lamp lamp = { LAT, LON, &cal, &p, 1, NULL, 0 };
    static uint8_t lv[25 * 60];
    int64_t from, to;

    from = local(2026, 12, 21, 12, 0);
    to = local(2026, 12, 22, 12, 0);
    MUE_ASSERT_INT_EQ((to - from) / 60, 1440);
    light_plan(&lamp, from, 1440, lv);
    MUE_ASSERT_INT_EQ(level_minutes(lv, 1440), 53100);

    from = local(2026, 10, 24, 12, 0);
    to = local(2026, 10, 25, 12, 0);
    MUE_ASSERT_INT_EQ((to - from) / 60, 1500);
    light_plan(&lamp, from, 1500, lv);
    MUE_ASSERT_INT_EQ(level_minutes(lv, 1500), 53100 + 60 * 30);

    from = local(2026, 3, 28, 12, 0);
    to = local(2026, 3, 29, 12, 0);
    MUE_ASSERT_INT_EQ((to - from) / 60, 1380);
    light_plan(&lamp, from, 1380, lv);
    MUE_ASSERT_INT_EQ(level_minutes(lv, 1380), 53100 - 60 * 30);

    /* A calendar naming a program that does not exist leaves the lamp off. */
    cal = calendar_of("cp-gone");
    light_plan(&lamp, local(2026, 12, 21, 12, 0), 1440, lv);
    MUE_ASSERT_INT_EQ(level_minutes(lv, 1440), 0);
    lamp.calendar = NULL;
    light_plan(&lamp, local(2026, 12, 21, 12, 0), 1440, lv);
    MUE_ASSERT_INT_EQ(level_minutes(lv, 1440), 0);
}

static void test_overrides(void)
{
    struct light_program p = night_program(0);
    struct light_calendar cal = calendar_of("cp-night");
    struct light_override ov[3] = {
        /* maintenance: 10 % from 20:00 to 21:00, priority 1 */
        { local(2026, 12, 21, 20, 0), local(2026, 12, 21, 21, 0), 10, 1 },
        /* an event: 80 % from 20:30 to 22:00, priority 0 */
        { local(2026, 12, 21, 20, 30), local(2026, 12, 21, 22, 0), 80, 0 },
        /* lamps on at noon for a check, 5 minutes */
        { local(2026, 12, 21, 12, 0), local(2026, 12, 21, 12, 5), 100, 0 },
    };
    struct light_lamp lamp = { LAT, LON, &cal, &p, 1, ov, 3 };
    int64_t from = local(2026, 12, 21, 12, 0);
    uint8_t lv[1440];

    light_plan(&lamp, from, 1440, lv);
    MUE_ASSERT_INT_EQ(lv[0], 100);
    MUE_ASSERT_INT_EQ(lv[4], 100);
    MUE_ASSERT_INT_EQ(lv[5], 0);
    MUE_ASSERT_INT_EQ(lv[HM(7, 59)], 100); /* 19:59 */
    MUE_ASSERT_INT_EQ(lv[HM(8, 0)], 10);   /* 20:00 */
    MUE_ASSERT_INT_EQ(lv[HM(8, 45)], 10);  /* both in force: the higher priority */
    MUE_ASSERT_INT_EQ(lv[HM(9, 0)], 80);   /* 21:00: the event alone */
    MUE_ASSERT_INT_EQ(lv[HM(9, 59)], 80);
    MUE_ASSERT_INT_EQ(lv[HM(10, 0)], 100); /* 22:00: back to the program */
    MUE_ASSERT_INT_EQ(lv[HM(11, 0)], 50);  /* 23:00 */
    /* Equal priorities: the later start wins. */
    ov[0].priority = 0;
    light_plan(&lamp, from, 1440, lv);
    MUE_ASSERT_INT_EQ(lv[HM(8, 29)], 10);
    MUE_ASSERT_INT_EQ(lv[HM(8, 30)], 80);
}

/* A 100 W lamp on the program above, noon 21 December 2026 to noon the next day in Marseille:
 * planned 53100 level-minutes x 100 W / 100 / 60 = 885 Wh. Full power from sunset (17:06 CET on
 * the 21st, from the almanac in test_mue_sun.c) to sunrise (08:08 on the 22nd): 14 h 54 min in the
 * local day of the 21st after 12:00 (17:06-24:00 = 414 min) plus 488 min = 902 min, 1503.3 Wh;
 * the sun's times are read to the minute, so the test allows 2 minutes either way. */
static void test_energy_of_a_known_night(void)
{
    struct light_program p = night_program(0);
    struct light_calendar cal = calendar_of("cp-night");
    struct light_lamp lamp = { LAT, LON, &cal, &p, 1, NULL, 0 };
    struct light_energy e;

    light_energy(&lamp, 100.0, local(2026, 12, 21, 12, 0), 1440, &e);
    MUE_ASSERT_DBL_NEAR(e.planned_wh, 885.0, 1e-9);
    MUE_ASSERT_INT_EQ(e.lit_minutes, 300 + 120 + 270 + 90);
    MUE_ASSERT_DBL_NEAR(e.full_wh, 902 * 100.0 / 60.0, 2 * 100.0 / 60.0 + 1e-9);
    MUE_ASSERT_DBL_NEAR(e.saving_wh, e.full_wh - 885.0, 1e-9);
    /* A 40 W lamp: everything scales. */
    light_energy(&lamp, 40.0, local(2026, 12, 21, 12, 0), 1440, &e);
    MUE_ASSERT_DBL_NEAR(e.planned_wh, 354.0, 1e-9);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_fixed_program_levels),
        MUE_TEST(test_slow_ramp_and_wrap),
        MUE_TEST(test_astro_program),
        MUE_TEST(test_plan_across_daylight_saving),
        MUE_TEST(test_overrides),
        MUE_TEST(test_energy_of_a_known_night),
    };
    return mue_test_run("lighting_program", tests);
}
