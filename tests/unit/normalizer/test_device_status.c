/* test_device_status.c - a network server's status report as battery and link-margin readings.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "device_status.h"
#include "mue/v1/measurement.pb-c.h"
#include "mue_err.h"

static struct registry_device device(void)
{
    struct registry_device d;
    memset(&d, 0, sizeof(d));
    d.id = 42;
    strcpy(d.dev_eui, "24e124710000a001");
    strcpy(d.model, "milesight-em310-udl");
    strcpy(d.use_case, "waste");
    d.params = json_object();
    return d;
}

static Mue__V1__DeviceEvent status_event(void)
{
    Mue__V1__DeviceEvent ev = MUE__V1__DEVICE_EVENT__INIT;
    ev.id = (char *)"cs:status:9e1c";
    ev.dev_eui = (char *)"24e124710000a001";
    ev.kind = MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_STATUS;
    ev.time_us = 1709631000000000LL;
    ev.ingested_at_us = 1709631000500000LL;
    ev.has_battery = true;
    ev.battery_pct = 87.5;
    ev.has_margin = true;
    ev.margin_db = 7;
    return ev;
}

static void test_status_gives_battery_and_margin_at_the_event_time(void)
{
    struct registry_device d = device();
    Mue__V1__DeviceEvent ev = status_event();
    struct normalize_out out;
    Mue__V1__MeasurementBatch *b;

    MUE_ASSERT_INT_EQ(normalize_device_event(&ev, &d, &out), 1);
    MUE_ASSERT_STR_EQ(out.subject, "mue.measure.waste.42");
    b = mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL);
    MUE_ASSERT_STR_EQ(b->uplink_id, "cs:status:9e1c");
    MUE_ASSERT_UINT_EQ(b->n_measurements, 2);
    MUE_ASSERT_STR_EQ(b->measurements[0]->quantity, "battery");
    MUE_ASSERT_DBL_NEAR(b->measurements[0]->value, 87.5, 0);
    MUE_ASSERT_STR_EQ(b->measurements[1]->quantity, "link_margin");
    MUE_ASSERT_DBL_NEAR(b->measurements[1]->value, 7, 0);
    MUE_ASSERT_INT_EQ(b->measurements[1]->time_us, 1709631000000000LL);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_external_power_gives_margin_only(void)
{
    struct registry_device d = device();
    Mue__V1__DeviceEvent ev = status_event();
    struct normalize_out out;

    ev.has_battery = false;
    ev.external_power = true;
    ev.time_us = 0; /* no network time: the ingest time stands in */
    MUE_ASSERT_INT_EQ(normalize_device_event(&ev, &d, &out), 1);
    MUE_ASSERT_UINT_EQ(out.n_measurements, 1);
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT_STR_EQ(b->measurements[0]->quantity, "link_margin");
    MUE_ASSERT_INT_EQ(b->measurements[0]->time_us, 1709631000500000LL);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_other_events_carry_no_reading(void)
{
    struct registry_device d = device();
    Mue__V1__DeviceEvent ev = status_event();
    struct normalize_out out;

    ev.kind = MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_JOIN;
    MUE_ASSERT_INT_EQ(normalize_device_event(&ev, &d, &out), 0);
    MUE_ASSERT(out.batch == NULL);
    ev = status_event();
    ev.has_battery = false;
    ev.has_margin = false;
    MUE_ASSERT_INT_EQ(normalize_device_event(&ev, &d, &out), 0);
    json_decref(d.params);
}

static void test_battery_out_of_range_is_refused(void)
{
    struct registry_device d = device();
    Mue__V1__DeviceEvent ev = status_event();
    struct normalize_out out;

    ev.battery_pct = 254; /* LoRaWAN's "could not measure" code, if a server passed it on */
    MUE_ASSERT_INT_EQ(normalize_device_event(&ev, &d, &out), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(out.code, "bad_value");
    MUE_ASSERT(strstr(out.reason, "254") != NULL);
    json_decref(d.params);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_status_gives_battery_and_margin_at_the_event_time),
        MUE_TEST(test_external_power_gives_margin_only),
        MUE_TEST(test_other_events_carry_no_reading),
        MUE_TEST(test_battery_out_of_range_is_refused),
    };
    return mue_test_run("device_status", tests);
}
