/* test_normalize.c - one uplink of a registered device into a measurement batch, or a refusal.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "mue/v1/measurement.pb-c.h"
#include "mue_err.h"
#include "normalize.h"

static uint8_t em310_example[] = { 0x01, 0x75, 0x5c, 0x03, 0x82, 0x44, 0x08, 0x04, 0x00, 0x01 };

static struct registry_device waste_device(const char *params)
{
    struct registry_device d;
    json_error_t err;
    memset(&d, 0, sizeof(d));
    d.id = 42;
    strcpy(d.dev_eui, "24e124710000a001");
    strcpy(d.model, "milesight-em310-udl");
    strcpy(d.use_case, "waste");
    d.params = json_loads(params, 0, &err);
    return d;
}

static Mue__V1__Uplink uplink(uint8_t *payload, size_t len, int64_t time_us)
{
    Mue__V1__Uplink up = MUE__V1__UPLINK__INIT;
    static char id[] = "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d";
    static char dev_eui[] = "24e124710000a001";
    up.id = id;
    up.dev_eui = dev_eui;
    up.f_port = 85;
    up.f_cnt = 11;
    up.payload.data = payload;
    up.payload.len = len;
    up.time_us = time_us;
    up.ingested_at_us = 1700000000000000LL;
    return up;
}

static double value_of(const Mue__V1__MeasurementBatch *b, const char *quantity)
{
    for (size_t i = 0; i < b->n_measurements; i++)
        if (strcmp(b->measurements[i]->quantity, quantity) == 0)
            return b->measurements[i]->value;
    return -999;
}

static void test_em310_example_becomes_a_batch_with_fill_level(void)
{
    struct registry_device d =
        waste_device("{\"empty_distance_m\": 2.5, \"full_distance_m\": 0.3}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 1658136855775023LL);
    struct normalize_out out;

    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_OK);
    MUE_ASSERT_STR_EQ(out.subject, "mue.measure.waste.42");
    MUE_ASSERT_UINT_EQ(out.n_measurements, 5); /* 4 from the payload, and the frame counter */
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL);
    MUE_ASSERT_STR_EQ(b->uplink_id, "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    MUE_ASSERT_INT_EQ(b->device_id, 42);
    MUE_ASSERT_UINT_EQ(b->f_cnt, 11);
    MUE_ASSERT_DBL_NEAR(value_of(b, "battery"), 92, 0);
    MUE_ASSERT_DBL_NEAR(value_of(b, "distance"), 2.116, 1e-12);
    MUE_ASSERT_DBL_NEAR(value_of(b, "tilt"), 1, 0);
    MUE_ASSERT_DBL_NEAR(value_of(b, "fill_level"), (2.5 - 2.116) / 2.2 * 100, 1e-9);
    MUE_ASSERT_DBL_NEAR(value_of(b, "f_cnt"), 11, 0);
    MUE_ASSERT_DBL_NEAR(value_of(b, "rssi"), -999, 0); /* no radio facts in this uplink */
    for (size_t i = 0; i < b->n_measurements; i++)
        MUE_ASSERT_INT_EQ(b->measurements[i]->time_us, 1658136855775023LL);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_uplink_without_network_time_is_stamped_with_its_ingest_time(void)
{
    struct registry_device d = waste_device("{}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 0);
    struct normalize_out out;

    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_OK);
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL && b->n_measurements == 4); /* no params: no fill_level */
    MUE_ASSERT_INT_EQ(b->measurements[0]->time_us, 1700000000000000LL);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_radio_facts_become_rssi_and_snr(void)
{
    struct registry_device d = waste_device("{}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 1);
    Mue__V1__Radio radio = MUE__V1__RADIO__INIT;
    struct normalize_out out;

    radio.rssi = -109;
    radio.snr = -3.5;
    up.radio = &radio;
    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_OK);
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL);
    MUE_ASSERT_DBL_NEAR(value_of(b, "rssi"), -109, 0);
    MUE_ASSERT_DBL_NEAR(value_of(b, "snr"), -3.5, 0);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_model_without_codec_maps_the_network_decoding(void)
{
    struct registry_device d = waste_device(
        "{\"decoded_map\": {\"LAeq\": \"LAeq\", \"t\": {\"quantity\": \"temperature\", "
        "\"scale\": 0.1}}}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 1);
    static char decoded[] = "{\"LAeq\": 61.2, \"t\": 215}";
    struct normalize_out out;

    strcpy(d.model, "acme-sonometer");
    strcpy(d.use_case, "noise");
    up.decoded_json = decoded;
    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_OK);
    MUE_ASSERT_STR_EQ(out.subject, "mue.measure.noise.42");
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL);
    MUE_ASSERT_DBL_NEAR(value_of(b, "LAeq"), 61.2, 1e-12);
    MUE_ASSERT_DBL_NEAR(value_of(b, "temperature"), 21.5, 1e-12);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

/* A device that posts SenML itself has no frame counter: no f_cnt row for it. */
static void test_senml_device_gets_no_frame_counter(void)
{
    struct registry_device d = waste_device("{}");
    static uint8_t pack[] = "[{\"n\":\"LAeq\",\"u\":\"dB\",\"v\":61.5,\"t\":1709630000}]";
    Mue__V1__Uplink up = uplink(pack, sizeof(pack) - 1, 1709630000000000LL);
    static char senml[] = "senml";
    struct normalize_out out;

    strcpy(d.model, "senml");
    strcpy(d.use_case, "noise");
    up.network = senml;
    up.f_cnt = 0;
    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_OK);
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, out.batch_len, out.batch);
    MUE_ASSERT(b != NULL);
    MUE_ASSERT_UINT_EQ(b->n_measurements, 1);
    MUE_ASSERT_DBL_NEAR(value_of(b, "LAeq"), 61.5, 0);
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    free(out.batch);
    json_decref(d.params);
}

static void test_unknown_model_is_refused_as_no_codec(void)
{
    struct registry_device d = waste_device("{}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 1);
    struct normalize_out out;

    strcpy(d.model, "acme-unknown");
    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(out.code, "no_codec");
    MUE_ASSERT(strstr(out.reason, "acme-unknown") != NULL);
    MUE_ASSERT(out.batch == NULL);
    json_decref(d.params);
}

static void test_garbage_payload_is_refused_as_decode_failed_with_the_codec_reason(void)
{
    uint8_t garbage[] = { 0xde, 0xad, 0xbe, 0xef };
    struct registry_device d = waste_device("{}");
    Mue__V1__Uplink up = uplink(garbage, sizeof(garbage), 1);
    struct normalize_out out;

    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(out.code, "decode_failed");
    MUE_ASSERT(strstr(out.reason, "milesight-em310-udl: ") == out.reason);
    MUE_ASSERT(strstr(out.reason, "unknown channel") != NULL);
    json_decref(d.params);
}

static void test_unusable_params_are_refused_as_bad_params(void)
{
    struct registry_device d =
        waste_device("{\"empty_distance_m\": 0.2, \"full_distance_m\": 0.3}");
    Mue__V1__Uplink up = uplink(em310_example, sizeof(em310_example), 1);
    struct normalize_out out;

    MUE_ASSERT_INT_EQ(normalize_uplink(&up, &d, &out), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(out.code, "bad_params");
    MUE_ASSERT(strstr(out.reason, "24e124710000a001") != NULL);
    json_decref(d.params);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_em310_example_becomes_a_batch_with_fill_level),
        MUE_TEST(test_uplink_without_network_time_is_stamped_with_its_ingest_time),
        MUE_TEST(test_radio_facts_become_rssi_and_snr),
        MUE_TEST(test_model_without_codec_maps_the_network_decoding),
        MUE_TEST(test_senml_device_gets_no_frame_counter),
        MUE_TEST(test_unknown_model_is_refused_as_no_codec),
        MUE_TEST(test_garbage_payload_is_refused_as_decode_failed_with_the_codec_reason),
        MUE_TEST(test_unusable_params_are_refused_as_bad_params),
    };
    return mue_test_run("normalize", tests);
}
