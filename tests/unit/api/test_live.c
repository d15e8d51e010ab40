/* test_live.c - the text of a live event: one line of JSON after "data: ", the newest time, the
 * newest value of a quantity read twice, no value that is not finite, the DevEUI given.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "h_live.h"
#include "../mue_test.h"

#define T0 1795860000000000LL /* 2026-11-28T10:00:00Z */

struct batch {
    Mue__V1__MeasurementBatch b;
    Mue__V1__Measurement m[8];
    Mue__V1__Measurement *mp[8];
};

static void batch_init(struct batch *x, const char *eui, const char *uc)
{
    mue__v1__measurement_batch__init(&x->b);
    x->b.dev_eui = (char *)eui;
    x->b.use_case = (char *)uc;
    x->b.device_id = 42;
    x->b.measurements = x->mp;
}

static void add(struct batch *x, const char *q, double v, int64_t t)
{
    size_t i = x->b.n_measurements++;

    mue__v1__measurement__init(&x->m[i]);
    x->m[i].quantity = (char *)q;
    x->m[i].value = v;
    x->m[i].time_us = t;
    x->mp[i] = &x->m[i];
}

static void test_an_uplink_is_one_event(void)
{
    struct batch x;
    char *text;

    batch_init(&x, "24e124710000a001", "waste");
    add(&x, "distance", 2.116, T0);
    add(&x, "fill_level", 47.1, T0);
    add(&x, "rssi", -36, T0);
    text = live_event(&x.b, NULL);
    MUE_ASSERT_STR_EQ(text, "event: measurement\ndata: {\"dev_eui\":\"24e124710000a001\","
                            "\"use_case\":\"waste\",\"time\":\"2026-11-28T10:00:00.000000Z\","
                            "\"values\":{\"distance\":2.116,\"fill_level\":47.1,\"rssi\":-36.0}}"
                            "\n\n");
    free(text);
}

static void test_the_newest_reading_stands(void)
{
    struct batch x;
    char *text;

    batch_init(&x, "70b3d5e75e000001", "heat");
    /* A pack with two times, the older one last. */
    add(&x, "temperature", 21.5, T0 + 60000000);
    add(&x, "temperature", 20.0, T0);
    add(&x, "humidity", 55, T0);
    add(&x, "humidity", 56, T0); /* the same time twice: the later one in the batch */
    text = live_event(&x.b, NULL);
    MUE_ASSERT(text != NULL);
    MUE_ASSERT(strstr(text, "\"time\":\"2026-11-28T10:01:00.000000Z\"") != NULL);
    MUE_ASSERT(strstr(text, "\"values\":{\"temperature\":21.5,\"humidity\":56.0}") != NULL);
    free(text);
}

static void test_values_not_finite_are_left_out(void)
{
    struct batch x;
    char *text;

    batch_init(&x, "24e124710000a001", "waste");
    add(&x, "distance", NAN, T0);
    add(&x, "fill_level", INFINITY, T0);
    add(&x, "battery", 90, T0);
    text = live_event(&x.b, NULL);
    MUE_ASSERT(text != NULL);
    MUE_ASSERT(strstr(text, "\"values\":{\"battery\":90.0}}\n\n") != NULL);
    free(text);
}

static void test_the_given_dev_eui_and_one_line_of_data(void)
{
    struct batch x;
    char *text, *data;

    batch_init(&x, "", "noise");
    add(&x, "LAeq", 61.25, T0);
    text = live_event(&x.b, "0004a30b001c0530");
    MUE_ASSERT(text != NULL);
    MUE_ASSERT(strstr(text, "\"dev_eui\":\"0004a30b001c0530\"") != NULL);
    /* SSE ends an event at a blank line: the JSON holds no newline. */
    data = strstr(text, "data: ");
    MUE_ASSERT(data != NULL);
    MUE_ASSERT_INT_EQ((long)(strchr(data, '\n') - text), (long)strlen(text) - 2);
    free(text);
}

static void test_an_empty_batch_sends_nothing(void)
{
    struct batch x;

    batch_init(&x, "24e124710000a001", "waste");
    MUE_ASSERT(live_event(&x.b, NULL) == NULL);
}

static void test_an_alert_event(void)
{
    Mue__V1__Alert a = MUE__V1__ALERT__INIT;
    char *text;

    a.alert_id = 42;
    a.event = (char *)"acknowledged";
    a.state = MUE__V1__ALERT_STATE__ALERT_STATE_ACKNOWLEDGED;
    a.severity = MUE__V1__SEVERITY__SEVERITY_CRITICAL;
    a.use_case = (char *)"water";
    a.dev_eui = (char *)"70b3d57ba0000101";
    a.rule_name = (char *)"water.vigilance_red";
    a.message = (char *)"Vigilance rouge : 2,6 m";
    a.value = 2.6;
    a.time_us = T0;
    a.actor = (char *)"astreinte \"eau\"";
    a.comment = (char *)"sur place";
    text = live_alert_event(&a);
    MUE_ASSERT(text != NULL);
    MUE_ASSERT(strncmp(text, "event: alert\ndata: {", 20) == 0);
    MUE_ASSERT(strstr(text, "\"alert_id\":42") != NULL);
    MUE_ASSERT(strstr(text, "\"state\":\"acknowledged\"") != NULL);
    MUE_ASSERT(strstr(text, "\"severity\":\"critical\"") != NULL);
    MUE_ASSERT(strstr(text, "\"time\":\"2026-11-28T10:00:00.000000Z\"") != NULL);
    MUE_ASSERT(strstr(text, "\"actor\":\"astreinte \\\"eau\\\"\"") != NULL);
    /* One line of data: the message's accents are escaped, no newline before the end. */
    MUE_ASSERT(strchr(text + 20, '\n') == text + strlen(text) - 2);
    free(text);
    a.event = (char *)"";
    MUE_ASSERT(live_alert_event(&a) == NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_an_uplink_is_one_event),
        MUE_TEST(test_the_newest_reading_stands),
        MUE_TEST(test_values_not_finite_are_left_out),
        MUE_TEST(test_the_given_dev_eui_and_one_line_of_data),
        MUE_TEST(test_an_empty_batch_sends_nothing),
        MUE_TEST(test_an_alert_event),
    };

    return mue_test_run("live", tests);
}
