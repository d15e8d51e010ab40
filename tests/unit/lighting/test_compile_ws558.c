/* test_compile_ws558.c - a cabinet's night plan compiled into WS558 delay tasks, decoded back with
 * the normalizer's real codec: delays, circuits, task ids, and the switch override.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "compile_ws558.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "../mue_test.h"

#define HM(h, m) ((h)*60 + (m))
#define DAY      1440
#define CAP      8

static void decode(const struct light_packet *pk, struct codec_result *res)
{
    const struct codec *c = codec_find("milesight-ws558");
    int rc;

    MUE_ASSERT(c != NULL);
    MUE_ASSERT(pk->len <= LIGHT_PACKET_MAX);
    MUE_ASSERT_INT_EQ(pk->fport, 85);
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

static void expect_task(const struct light_packet *pk, const char *key, const char *id,
                        const char *delay_s, const char *switches)
{
    struct codec_result res;

    MUE_ASSERT_STR_EQ(pk->key, key);
    decode(pk, &res);
    MUE_ASSERT_STR_EQ(attr(&res, "delay_task_id"), id);
    MUE_ASSERT_STR_EQ(attr(&res, "delay_task_s"), delay_s);
    MUE_ASSERT_STR_EQ(attr(&res, "delay_task_switches"), switches);
}

/* Lit from 17:10 to 07:50, from the clock minute 'from_min' for a day, written out by hand. */
static void night_plan(int from_min, uint8_t *levels)
{
    for (int i = 0; i < DAY; i++) {
        int m = (from_min + i) % DAY;

        levels[i] = m >= HM(17, 10) || m < HM(7, 50) ? 80 : 0;
    }
}

/* From noon: on at 17:10, 18 600 s away; off at 07:50, 71 400 s away, past a task's reach. */
static void test_night_plan_from_noon(void)
{
    uint8_t levels[DAY];
    struct light_packet out[CAP];
    const uint8_t want[] = { 0xFF, 0x32, 7, 0xA8, 0x48, 0x03, 0x03 }; /* 18600 = 0x48A8 */
    int64_t now = mue_localtime_to_utc(2025, 1, 15, 12, 0, 0);
    int n = -1;

    night_plan(HM(12, 0), levels);
    MUE_ASSERT_INT_EQ(ws558_compile(now, levels, DAY, 0x03, 7, out, CAP, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 1);
    MUE_ASSERT_UINT_EQ(out[0].len, sizeof(want));
    MUE_ASSERT(memcmp(out[0].bytes, want, sizeof(want)) == 0);
    expect_task(&out[0], "ws558.task.7", "7", "18600", "on:1,2");
}

/* From 16:00 both changes are within reach: on after 4 200 s, off after 57 000 s; ids wrap from
 * 255 to 1. */
static void test_night_plan_from_four_pm(void)
{
    uint8_t levels[DAY];
    struct light_packet out[CAP];
    int64_t now = mue_localtime_to_utc(2025, 1, 15, 16, 0, 0);
    int n = -1;

    night_plan(HM(16, 0), levels);
    MUE_ASSERT_INT_EQ(ws558_compile(now, levels, DAY, 0x81, 255, out, CAP, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 2);
    expect_task(&out[0], "ws558.task.255", "255", "4200", "on:1,8");
    expect_task(&out[1], "ws558.task.1", "1", "57000", "off:1,8");

    /* A device that keeps one task gets the next change only. */
    MUE_ASSERT_INT_EQ(ws558_compile(now, levels, DAY, 0x81, 255, out, 1, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 1);
    expect_task(&out[0], "ws558.task.255", "255", "4200", "on:1,8");
}

/* Half a minute into the clock minute, the change comes 30 s sooner. */
static void test_now_inside_a_minute(void)
{
    uint8_t levels[DAY];
    struct light_packet out[CAP];
    int64_t now = mue_localtime_to_utc(2025, 1, 15, 12, 0, 30);
    int n = -1;

    night_plan(HM(12, 0), levels);
    MUE_ASSERT_INT_EQ(ws558_compile(now, levels, DAY, 0x01, 1, out, CAP, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 1);
    expect_task(&out[0], "ws558.task.1", "1", "18570", "on:1");
}

/* Level changes that keep the lamp lit, and a plan off all along: nothing to send. */
static void test_plan_without_change(void)
{
    uint8_t levels[DAY];
    struct light_packet out[CAP];
    int n = -1;

    for (int i = 0; i < DAY; i++)
        levels[i] = (uint8_t)(i < 600 ? 100 : 40);
    MUE_ASSERT_INT_EQ(ws558_compile(1736942400, levels, DAY, 0xFF, 1, out, CAP, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 0);
    memset(levels, 0, sizeof(levels));
    MUE_ASSERT_INT_EQ(ws558_compile(1736942400, levels, DAY, 0xFF, 1, out, CAP, &n), MUE_OK);
    MUE_ASSERT_INT_EQ(n, 0);
}

static void test_refuses_bad_arguments(void)
{
    uint8_t levels[DAY] = { 0 };
    struct light_packet out[CAP];
    int n = -1;

    MUE_ASSERT_INT_EQ(ws558_compile(0, levels, DAY, 0x00, 1, out, CAP, &n), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(ws558_compile(0, levels, DAY, 0x01, 0, out, CAP, &n), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(ws558_compile(0, levels, DAY, 0x01, 256, out, CAP, &n), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(n, 0);
    MUE_ASSERT_INT_EQ(ws558_switch_command(0x00, true, out), MUE_EINVAL);
}

/* The override: a task of 0 s with id 0, the vendor's "force control". */
static void test_switch_override(void)
{
    struct light_packet pk;
    const uint8_t want[] = { 0xFF, 0x32, 0x00, 0x00, 0x00, 0x0F, 0x00 };

    MUE_ASSERT_INT_EQ(ws558_switch_command(0x0F, false, &pk), MUE_OK);
    MUE_ASSERT_UINT_EQ(pk.len, sizeof(want));
    MUE_ASSERT(memcmp(pk.bytes, want, sizeof(want)) == 0);
    expect_task(&pk, "ws558.switch", "0", "0", "off:1,2,3,4");
    MUE_ASSERT_INT_EQ(ws558_switch_command(0x30, true, &pk), MUE_OK);
    expect_task(&pk, "ws558.switch", "0", "0", "on:5,6");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_night_plan_from_noon),  MUE_TEST(test_night_plan_from_four_pm),
        MUE_TEST(test_now_inside_a_minute),   MUE_TEST(test_plan_without_change),
        MUE_TEST(test_refuses_bad_arguments), MUE_TEST(test_switch_override),
    };
    return mue_test_run("compile_ws558", tests);
}
