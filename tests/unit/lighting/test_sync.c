/* test_sync.c - the settings a controller should have (lighting_desired) and the gap between a
 * reported and a planned level (deviation_of).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compile_nas.h"
#include "compile_ws558.h"
#include "lighting_deviation.h"
#include "lighting_sync.h"
#include "mue_localtime.h"
#include "payload_hex.h"
#include "../mue_test.h"

static struct light_program program;
static struct light_calendar calendar;

/* Lit 18:00-07:00 at 100 %, 50 % from 23:00. */
static void schedule(struct lamp_schedule *s, const char *model)
{
    memset(s, 0, sizeof(*s));
    memset(&program, 0, sizeof(program));
    memset(&calendar, 0, sizeof(calendar));
    strcpy(program.id, "cp");
    program.on = (struct light_time){ LIGHT_AT_TIME, 18 * 60 };
    program.off = (struct light_time){ LIGHT_AT_TIME, 7 * 60 };
    program.steps[0] = (struct light_step){ { LIGHT_AT_TIME, 18 * 60 }, 100, 0 };
    program.steps[1] = (struct light_step){ { LIGHT_AT_TIME, 23 * 60 }, 50, 0 };
    program.nsteps = 2;
    strcpy(calendar.id, "cal");
    strcpy(calendar.default_program, "cp");
    strcpy(s->model, model);
    s->lamp.lat = 43.2965;
    s->lamp.lon = 5.3698;
    s->lamp.calendar = &calendar;
    s->lamp.programs = &program;
    s->lamp.nprograms = 1;
}

static int find(const struct light_packet *p, int n, const char *key)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(p[i].key, key) == 0)
            return i;
    }
    return -1;
}

static void test_nas_week_and_override(void)
{
    struct lamp_schedule s;
    struct light_packet p[SYNC_MAX_PACKETS];
    struct light_override o;
    char err[160], key[64];
    int64_t now = mue_localtime_to_utc(2026, 12, 21, 12, 0, 0);
    int n = -1;

    schedule(&s, "nas-ul20xx");
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 2 + NAS_PROFILE_SLOTS);
    MUE_ASSERT(find(p, n, "nas.calendar") >= 0);
    MUE_ASSERT(find(p, n, "nas.holidays") >= 0);
    MUE_ASSERT(find(p, n, "nas.profile.1") >= 0);
    MUE_ASSERT(find(p, n, "nas.profile.8") >= 0);

    /* 10 % from 11:50 to 12:30: 30 minutes left at noon, a timed dimming keyed by its minutes. */
    o = (struct light_override){ now - 600, now + 1800, 10, 0 };
    s.lamp.overrides = &o;
    s.lamp.noverrides = 1;
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 3 + NAS_PROFILE_SLOTS);
    snprintf(key, sizeof(key), "nas.ovr.%lld.%lld", (long long)(o.start_s / 60),
             (long long)(o.end_s / 60));
    int i = find(p, n, key);
    MUE_ASSERT(i >= 0);
    MUE_ASSERT_INT_EQ(p[i].fport, NAS_FPORT_COMMAND);
    MUE_ASSERT_INT_EQ(p[i].len, 4);
    MUE_ASSERT_INT_EQ(p[i].bytes[0], 0x09);
    MUE_ASSERT_INT_EQ(p[i].bytes[1], NAS_ADDR_BROADCAST);
    MUE_ASSERT_INT_EQ(p[i].bytes[2], 10);
    MUE_ASSERT_INT_EQ(p[i].bytes[3], 30);

    /* Eight hours left: more than a timed dimming holds, a plain one (ended by a resume). */
    o.end_s = now + 8 * 3600;
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    i = n - 1;
    MUE_ASSERT(strncmp(p[i].key, "nas.ovr.", 8) == 0);
    MUE_ASSERT_INT_EQ(p[i].len, 3);
    MUE_ASSERT_INT_EQ(p[i].bytes[0], 0x01);
    MUE_ASSERT_INT_EQ(p[i].bytes[2], 10);

    /* Without a calendar only the override is driven. */
    s.lamp.calendar = NULL;
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 1);
}

static void test_ws558_next_switching(void)
{
    struct lamp_schedule s;
    struct light_packet p[SYNC_MAX_PACKETS];
    char err[160], key[64];
    int64_t now = mue_localtime_to_utc(2026, 12, 21, 12, 0, 30);
    int64_t on = mue_localtime_to_utc(2026, 12, 21, 18, 0, 0);
    int n = -1;

    schedule(&s, "milesight-ws558");
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 1);
    snprintf(key, sizeof(key), "ws558.at.%lld", (long long)on);
    MUE_ASSERT_STR_EQ(p[0].key, key);
    MUE_ASSERT_INT_EQ(p[0].fport, WS558_FPORT);
    /* 0xFF 0x32, task 1, delay 5 h 59 min 30 s, every circuit, on. */
    MUE_ASSERT_INT_EQ(p[0].bytes[0], 0xFF);
    MUE_ASSERT_INT_EQ(p[0].bytes[1], 0x32);
    MUE_ASSERT_INT_EQ(p[0].bytes[2], 1);
    MUE_ASSERT_INT_EQ(p[0].bytes[3] | p[0].bytes[4] << 8, (int)(on - now));
    MUE_ASSERT_INT_EQ(p[0].bytes[5], 0xFF);
    MUE_ASSERT_INT_EQ(p[0].bytes[6], 0xFF);

    /* At 20:00 the next switching is off at 07:00 tomorrow, 11 h on. */
    now = mue_localtime_to_utc(2026, 12, 21, 20, 0, 0);
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 1);
    MUE_ASSERT_INT_EQ(p[0].bytes[3] | p[0].bytes[4] << 8, 11 * 3600);
    MUE_ASSERT_INT_EQ(p[0].bytes[6], 0x00);

    /* Nothing to drive: no calendar, no override. */
    s.lamp.calendar = NULL;
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 0);
    /* A model it does not drive. */
    schedule(&s, "milesight-em310-udl");
    MUE_ASSERT_INT_EQ(lighting_desired(&s, now, p, SYNC_MAX_PACKETS, &n, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(n, 0);
}

static void test_deviation(void)
{
    const char *q[3] = { "dim_level", "power", "battery" };
    double v[3] = { 80, 45, 99 };
    const char *qs[3] = { "switch_1", "switch_2", "voltage" };
    double vs[3] = { 0, 1, 230 };
    const char *none[1] = { "power" };

    MUE_ASSERT_DBL_NEAR(deviation_of("nas-ul20xx", q, v, 3, 40), 40.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(deviation_of("nas-ul20xx", q, v, 3, 100), 20.0, 1e-12);
    /* Several DALI lamps: the brightest is compared. */
    const char *qd[2] = { "dim_level_1", "dim_level_9" };
    double vd[2] = { 30, 60 };
    MUE_ASSERT_DBL_NEAR(deviation_of("nas-ul20xx", qd, vd, 2, 60), 0.0, 1e-12);
    /* A cabinet: on when any circuit is; planned on at any level above 0. */
    MUE_ASSERT_DBL_NEAR(deviation_of("milesight-ws558", qs, vs, 3, 50), 0.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(deviation_of("milesight-ws558", qs, vs, 3, 0), 100.0, 1e-12);
    vs[1] = 0;
    MUE_ASSERT_DBL_NEAR(deviation_of("milesight-ws558", qs, vs, 3, 30), 100.0, 1e-12);
    /* No level reported: nothing to compare (schedule_deviation itself comes back this way). */
    MUE_ASSERT(deviation_of("nas-ul20xx", none, v, 1, 50) < 0);
    MUE_ASSERT(deviation_of("milesight-ws558", q, v, 3, 50) < 0);
}

static void test_payload_hex(void)
{
    const uint8_t b[4] = { 0x09, 0xFE, 0x0A, 0xC1 };
    uint8_t back[8];
    char hex[9];

    payload_to_hex(b, 4, hex);
    MUE_ASSERT_STR_EQ(hex, "09fe0ac1");
    MUE_ASSERT_INT_EQ(payload_from_hex("09FE0ac1", back, sizeof(back)), 4);
    MUE_ASSERT(memcmp(back, b, 4) == 0);
    /* At most cap bytes; an odd digit left over is ignored. */
    MUE_ASSERT_INT_EQ(payload_from_hex("0102030", back, 2), 2);
    MUE_ASSERT_INT_EQ(back[1], 2);
    payload_to_hex(b, 0, hex);
    MUE_ASSERT_STR_EQ(hex, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_nas_week_and_override),
        MUE_TEST(test_ws558_next_switching),
        MUE_TEST(test_deviation),
        MUE_TEST(test_payload_hex),
    };
    return mue_test_run("lighting_sync", tests);
}
