/* test_eval.c - the evaluator on synthetic series with known answers: durations, hysteresis,
 * rates, windows in local time, frame counter resets, late samples and silences.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "eval.h"
#include "../mue_test.h"

#define MIN (60LL * 1000000LL)
/* 2026-11-25 12:00:00 UTC (13:00 in Paris, winter time). */
#define T0 (1795608000LL * 1000000LL)

static struct rule threshold_rule(double hysteresis, int64_t duration_s)
{
    struct rule r;
    memset(&r, 0, sizeof(r));
    r.kind = RULE_THRESHOLD;
    strcpy(r.quantity, "fill_level");
    r.op = RULE_ABOVE;
    r.has_threshold = true;
    r.threshold = 90;
    r.hysteresis = hysteresis;
    r.duration_s = duration_s;
    r.active_from_min = r.active_to_min = -1;
    r.auto_resolve = true;
    return r;
}

/* Feeds a series one sample a minute from T0 and records each change. */
static void feed(const struct rule *r, double thr, struct eval_state *s, const double *v, int n,
                 enum eval_change *changes, double *values)
{
    for (int i = 0; i < n; i++) {
        struct eval_result res;
        changes[i] = eval_sample(r, thr, s, T0 + i * MIN, v[i], &res);
        if (values != NULL)
            values[i] = res.value;
    }
}

static void test_duration_opens_once_held_long_enough(void)
{
    struct rule r = threshold_rule(0, 5 * 60);
    struct eval_state s = { 0 };
    const double v[] = { 80, 92, 93, 95, 91, 96, 97, 98, 99 };
    enum eval_change c[9];

    feed(&r, r.threshold, &s, v, 9, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[1], EVAL_PENDING); /* true since minute 1 */
    for (int i = 2; i <= 5; i++)
        MUE_ASSERT_INT_EQ(c[i], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[6], EVAL_OPEN); /* minute 6: held 5 minutes */
    MUE_ASSERT_INT_EQ(c[7], EVAL_UPDATE);
    MUE_ASSERT_INT_EQ(c[8], EVAL_UPDATE);
    MUE_ASSERT(s.open);
}

static void test_a_dip_cancels_the_pending_duration(void)
{
    struct rule r = threshold_rule(0, 3 * 60);
    struct eval_state s = { 0 };
    const double v[] = { 95, 95, 89, 95, 95, 95, 95 };
    enum eval_change c[7];
    struct eval_result res;

    feed(&r, r.threshold, &s, v, 7, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_PENDING);
    MUE_ASSERT_INT_EQ(c[2], EVAL_CANCEL);
    MUE_ASSERT_INT_EQ(c[3], EVAL_PENDING);
    MUE_ASSERT_INT_EQ(c[5], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[6], EVAL_OPEN); /* 3 minutes after minute 3 */
    /* The alert's condition began at minute 3. */
    s = (struct eval_state){ 0 };
    for (int i = 0; i < 7; i++)
        if (eval_sample(&r, 90, &s, T0 + i * MIN, v[i], &res) == EVAL_OPEN)
            MUE_ASSERT_INT_EQ(res.since_us, T0 + 3 * MIN);
}

static void test_hysteresis_holds_the_alert_until_past_it(void)
{
    struct rule r = threshold_rule(5, 0);
    struct eval_state s = { 0 };
    /* Flapping around 90: with 5 of hysteresis it opens once and resolves below 85 only. */
    const double v[] = { 91, 89, 90, 88, 86, 85, 84.9, 89, 90 };
    enum eval_change c[9];

    feed(&r, r.threshold, &s, v, 9, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_OPEN);
    for (int i = 1; i <= 5; i++)
        MUE_ASSERT_INT_EQ(c[i], EVAL_UPDATE);
    MUE_ASSERT_INT_EQ(c[6], EVAL_RESOLVE);
    MUE_ASSERT_INT_EQ(c[7], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[8], EVAL_OPEN);
}

static void test_without_hysteresis_a_flapping_series_flaps(void)
{
    struct rule r = threshold_rule(0, 0);
    struct eval_state s = { 0 };
    const double v[] = { 91, 89, 91, 89 };
    enum eval_change c[4];

    feed(&r, r.threshold, &s, v, 4, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_OPEN);
    MUE_ASSERT_INT_EQ(c[1], EVAL_RESOLVE);
    MUE_ASSERT_INT_EQ(c[2], EVAL_OPEN);
    MUE_ASSERT_INT_EQ(c[3], EVAL_RESOLVE);
}

static void test_below_mirrors_above(void)
{
    struct rule r = threshold_rule(0.5, 0);
    struct eval_state s = { 0 };
    const double v[] = { 7.0, 6.4, 6.5, 6.9, 7.1 }; /* pH below 6.5 */
    enum eval_change c[5];

    r.op = RULE_BELOW;
    feed(&r, 6.5, &s, v, 5, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[1], EVAL_OPEN);
    MUE_ASSERT_INT_EQ(c[2], EVAL_UPDATE);
    MUE_ASSERT_INT_EQ(c[3], EVAL_UPDATE); /* 6.9 is not past 6.5 + 0.5 */
    MUE_ASSERT_INT_EQ(c[4], EVAL_RESOLVE);
}

static void test_rate_of_rise_over_a_window(void)
{
    struct rule r = threshold_rule(0.1, 0);
    struct eval_state s = { 0 };
    /* A river read every 10 minutes: +0.30 m within an hour opens; the change is measured from
     * the lowest level of the last hour. */
    const double v[] = { 1.00, 1.02, 1.05, 1.10, 1.20, 1.31, 1.40, 1.42, 1.43, 1.43, 1.43, 1.43 };
    enum eval_change c[12];
    double x[12];

    r.kind = RULE_RATE;
    r.threshold = 0.3;
    r.window_s = 3600;
    for (int i = 0; i < 12; i++) {
        struct eval_result res;
        c[i] = eval_sample(&r, 0.3, &s, T0 + i * 10 * MIN, v[i], &res);
        x[i] = res.value;
    }
    MUE_ASSERT_DBL_NEAR(x[4], 0.20, 1e-9);
    MUE_ASSERT_INT_EQ(c[4], EVAL_NONE);
    MUE_ASSERT_DBL_NEAR(x[5], 0.31, 1e-9);
    MUE_ASSERT_INT_EQ(c[5], EVAL_OPEN);
    /* Minute 100: the hour starts at minute 40 (1.20): +0.23, inside the hysteresis. */
    MUE_ASSERT_DBL_NEAR(x[10], 0.23, 1e-9);
    MUE_ASSERT_INT_EQ(c[10], EVAL_UPDATE);
    /* Minute 110: the hour starts at minute 50 (1.31): +0.12, below 0.3 - 0.1. */
    MUE_ASSERT_DBL_NEAR(x[11], 0.12, 1e-9);
    MUE_ASSERT_INT_EQ(c[11], EVAL_RESOLVE);
}

static void test_rate_resolves_once_the_river_levels_off(void)
{
    struct rule r = threshold_rule(0.1, 0);
    struct eval_state s = { 0 };
    const double v[] = { 1.0, 1.4, 1.45, 1.45, 1.45, 1.45, 1.45, 1.45, 1.45 };
    enum eval_change c[9];

    r.kind = RULE_RATE;
    r.window_s = 1800;
    for (int i = 0; i < 9; i++) {
        struct eval_result res;
        c[i] = eval_sample(&r, 0.3, &s, T0 + i * 10 * MIN, v[i], &res);
    }
    MUE_ASSERT_INT_EQ(c[1], EVAL_OPEN);
    MUE_ASSERT_INT_EQ(c[2], EVAL_UPDATE);
    MUE_ASSERT_INT_EQ(c[3], EVAL_UPDATE);  /* minute 30: the window still holds 1.0 (+0.45) */
    MUE_ASSERT_INT_EQ(c[4], EVAL_RESOLVE); /* minute 40: from 1.4, +0.05 */
}

static void test_a_night_window_in_local_time(void)
{
    struct rule r = threshold_rule(0, 0);
    struct eval_state s = { 0 };
    struct eval_result res;

    r.active_from_min = 22 * 60; /* 22:00-06:00 Paris */
    r.active_to_min = 6 * 60;
    /* 20:30 UTC is 21:30 in winter: outside; 21:00 UTC is 22:00: inside. */
    int64_t evening = T0 + 8 * 60 * MIN + 30 * MIN;
    MUE_ASSERT(!eval_in_window(&r, evening));
    MUE_ASSERT(eval_in_window(&r, evening + 30 * MIN));
    MUE_ASSERT(eval_in_window(&r, evening + 8 * 60 * MIN));             /* 05:30 */
    MUE_ASSERT(!eval_in_window(&r, evening + 8 * 60 * MIN + 30 * MIN)); /* 06:00 */
    /* Summer: 20:30 UTC is 22:30 in Paris. */
    MUE_ASSERT(eval_in_window(&r, T0 - 150LL * 24 * 60 * MIN + 8 * 60 * MIN + 30 * MIN));

    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, evening, 95, &res), EVAL_NONE);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, evening + 40 * MIN, 95, &res), EVAL_OPEN);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, evening + 5 * 60 * MIN, 95, &res), EVAL_UPDATE);
    /* The night ends: the alert resolves even though the level stays high. */
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, evening + 10 * 60 * MIN, 95, &res), EVAL_RESOLVE);
}

static void test_frame_counter_reset(void)
{
    struct rule r = threshold_rule(0, 0);
    struct eval_state s = { 0 };
    const double v[] = { 100, 101, 102, 3, 4, 5 };
    enum eval_change c[6];

    r.kind = RULE_HEALTH;
    strcpy(r.quantity, "f_cnt");
    r.has_threshold = false;
    r.auto_resolve = false;
    feed(&r, 0, &s, v, 6, c, NULL);
    MUE_ASSERT_INT_EQ(c[0], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[2], EVAL_NONE);
    MUE_ASSERT_INT_EQ(c[3], EVAL_OPEN);
    MUE_ASSERT_INT_EQ(c[4], EVAL_UPDATE); /* stays open until someone resolves it */
    MUE_ASSERT_INT_EQ(c[5], EVAL_UPDATE);
}

static void test_late_samples_change_nothing(void)
{
    struct rule r = threshold_rule(0, 0);
    struct eval_state s = { 0 };
    struct eval_result res;

    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 10 * MIN, 50, &res), EVAL_NONE);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 5 * MIN, 99, &res), EVAL_LATE);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 10 * MIN, 99, &res), EVAL_LATE);
    MUE_ASSERT(!s.open);
    MUE_ASSERT_INT_EQ(s.last_time_us, T0 + 10 * MIN);
}

static void test_a_restored_state_keeps_the_pending_duration(void)
{
    struct rule r = threshold_rule(0, 10 * 60);
    struct eval_state s = { 0 }, saved;
    struct eval_result res;

    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0, 95, &res), EVAL_PENDING);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 4 * MIN, 95, &res), EVAL_NONE);
    saved = s; /* what alert_state holds across a restart */
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &saved, T0 + 8 * MIN, 95, &res), EVAL_NONE);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &saved, T0 + 10 * MIN, 95, &res), EVAL_OPEN);
    MUE_ASSERT_INT_EQ(res.since_us, T0);
}

static void test_resolved_by_hand_waits_for_a_clear(void)
{
    struct rule r = threshold_rule(5, 0);
    struct eval_state s = { 0 };
    struct eval_result res;

    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0, 95, &res), EVAL_OPEN);
    /* Someone resolves it by hand: the engine finds no alert and a disarmed state. */
    s.open = false;
    s.disarmed = true;
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + MIN, 96, &res), EVAL_NONE);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 2 * MIN, 86, &res), EVAL_NONE); /* not past */
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 3 * MIN, 80, &res), EVAL_REARM);
    MUE_ASSERT(!s.disarmed);
    MUE_ASSERT_INT_EQ(eval_sample(&r, 90, &s, T0 + 4 * MIN, 91, &res), EVAL_OPEN);
}

static void test_silence(void)
{
    struct rule r = threshold_rule(0, 0);

    r.kind = RULE_NO_DATA;
    r.silence_factor = 3;
    MUE_ASSERT(!eval_silent(&r, T0, 600, T0 + 30 * MIN));
    MUE_ASSERT(eval_silent(&r, T0, 600, T0 + 30 * MIN + 1));
    MUE_ASSERT(!eval_silent(&r, T0, 0, T0 + 3000 * MIN)); /* no expected period: never */
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_duration_opens_once_held_long_enough),
        MUE_TEST(test_a_dip_cancels_the_pending_duration),
        MUE_TEST(test_hysteresis_holds_the_alert_until_past_it),
        MUE_TEST(test_without_hysteresis_a_flapping_series_flaps),
        MUE_TEST(test_below_mirrors_above),
        MUE_TEST(test_rate_of_rise_over_a_window),
        MUE_TEST(test_rate_resolves_once_the_river_levels_off),
        MUE_TEST(test_a_night_window_in_local_time),
        MUE_TEST(test_frame_counter_reset),
        MUE_TEST(test_late_samples_change_nothing),
        MUE_TEST(test_a_restored_state_keeps_the_pending_duration),
        MUE_TEST(test_resolved_by_hand_waits_for_a_clear),
        MUE_TEST(test_silence),
    };
    return mue_test_run("eval", tests);
}
