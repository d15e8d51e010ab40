/* test_encode_vendor.c - the simulator's encoders write the vendors' own bytes: given the values
 * of a published example, each encoder gives that example's payload (or, where the example holds
 * fewer channels than the device's periodic report, starts like it); and the facts a frame
 * carries beside its readings (device ids, counters, the lamp controller's clock and warnings).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "../mue_test.h"
#include "codec.h"
#include "encode.h"
#include "mue_err.h"
#include "sim.h"

struct nv {
    const char *name;
    double v;
};

/* Encodes the values in[] (ended by a NULL name) as 'model' sends a frame of 'kind'; returns
 * the payload as lower-case hex in hex[2 * SIM_PAYLOAD_MAX + 1] and checks the fPort. */
static void encode_hex(const char *model, enum sim_frame_kind kind, const struct nv *in,
                       unsigned want_fport, char *hex)
{
    const struct sim_encoder *e = sim_encoder_find(model);
    uint8_t buf[SIM_PAYLOAD_MAX];
    struct sim_frame f;
    unsigned fport = 0;
    size_t len = 0;

    MUE_ASSERT(e != NULL);
    memset(&f, 0, sizeof(f));
    f.kind = kind;
    for (; in->name != NULL; in++)
        MUE_ASSERT_INT_EQ(sim_frame_set(&f, in->name, in->v), MUE_OK);
    MUE_ASSERT_INT_EQ(e->encode(&f, buf, sizeof(buf), &len, &fport), MUE_OK);
    MUE_ASSERT_UINT_EQ(fport, want_fport);
    for (size_t i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", buf[i]);
    hex[2 * len] = '\0';
}

/* Encodes, then decodes with the real codec into *res. */
static void round_trip(const char *model, enum sim_frame_kind kind, const struct nv *in,
                       struct codec_result *res)
{
    const struct sim_encoder *e = sim_encoder_find(model);
    uint8_t buf[SIM_PAYLOAD_MAX];
    struct sim_frame f;
    unsigned fport = 0;
    size_t len = 0;

    MUE_ASSERT(e != NULL);
    memset(&f, 0, sizeof(f));
    f.kind = kind;
    for (; in->name != NULL; in++)
        MUE_ASSERT_INT_EQ(sim_frame_set(&f, in->name, in->v), MUE_OK);
    MUE_ASSERT_INT_EQ(e->encode(&f, buf, sizeof(buf), &len, &fport), MUE_OK);
    memset(res, 0, sizeof(*res));
    MUE_ASSERT_INT_EQ(codec_decode(codec_find(model), buf, len, fport, res), MUE_OK);
}

static const char *attr_of(const struct codec_result *res, const char *key)
{
    for (size_t i = 0; i < res->nattr; i++) {
        if (strcmp(res->attr[i].key, key) == 0)
            return res->attr[i].value;
    }
    return NULL;
}

static int has_warning(const struct codec_result *res, const char *w)
{
    for (size_t i = 0; i < res->nwarn; i++) {
        if (strcmp(res->warning[i], w) == 0)
            return 1;
    }
    return 0;
}

struct vendor_example {
    const char *source;
    const char *model;
    enum sim_frame_kind kind;
    unsigned fport;
    struct nv in[12];
    const char *hex;
    int prefix; /* the example is the start of what the device sends */
};

/* The examples of ../shared/vectors (and of the codecs' tests), with their decoded values. */
static const struct vendor_example examples[] = {
    { "TTN em310-udl-codec.yaml",
      "milesight-em310-udl",
      SIM_FRAME_DATA,
      85,
      { { "battery", 92 }, { "distance", 2.116 }, { "tilt", 1 } },
      "01755c03824408040001",
      0 },
    { "Milesight ws302 README",
      "milesight-ws302",
      SIM_FRAME_DATA,
      85,
      { { "battery", 100 }, { "LAF", 57.5 }, { "LAeq", 47.4 }, { "LAFmax", 61.8 } },
      "017564055b053f02da016a02",
      0 },
    { "TTN df702-codec.yaml, heartbeat without GPS",
      "dingtek-df702",
      SIM_FRAME_DATA,
      3,
      { { "distance", 2.0 }, { "temperature", 25 } },
      "800001011107d000190000000000000081",
      0 },
    { "TTN dl-mbx-codec.yaml example 1",
      "decentlab-dl-mbx",
      SIM_FRAME_DATA,
      1,
      { { "device_id", 303 },
        { "distance", 1.234 },
        { "valid_samples", 1 },
        { "battery_voltage", 2.993 } },
      "02012f000304d200010bb1",
      0 },
    { "TTN dl-ctd10-codec.yaml example 1",
      "decentlab-dl-ctd10",
      SIM_FRAME_DATA,
      1,
      { { "device_id", 2009 },
        { "water_depth", 4.232 },
        { "temperature", 12.9 },
        { "conductivity", 100 },
        { "freezing", 0 },
        { "battery_voltage", 3.168 } },
      "0207d9000390888081006400000c60",
      0 },
    { "TTN dl-pr26-0-1-codec.yaml example 1",
      "decentlab-dl-pr26",
      SIM_FRAME_DATA,
      1,
      { { "device_id", 359 },
        { "pressure", -0.01171875 },
        { "temperature", 25.671875 },
        { "battery_voltage", 3.199 } },
      "02016700033e8060170c7f",
      0 },
    { "akenza elsys/ers uplink.spec.js",
      "elsys-ers",
      SIM_FRAME_DATA,
      5,
      { { "temperature", 24.1 },
        { "humidity", 23 },
        { "illuminance", 1050 },
        { "motion", 0 },
        { "battery_voltage", 3.674 } },
      "0100f1021704041a0500070e5a",
      0 },
    { "akenza elsys/ers-sound uplink.spec.js",
      "elsys-ers-sound",
      SIM_FRAME_DATA,
      5,
      { { "temperature", 23.8 },
        { "humidity", 35 },
        { "illuminance", 189 },
        { "battery_voltage", 3.574 },
        { "LAmax", 64 },
        { "LAeq", 44 } },
      "0100ee02230400bd070df615402c",
      0 },
    { "TTN ws558-codec.yaml example 1",
      "milesight-ws558",
      SIM_FRAME_DATA,
      85,
      { { "voltage", 222.6 } },
      "0374b208",
      1 },
    { "TTN ws558-codec.yaml example 2",
      "milesight-ws558",
      SIM_FRAME_DATA,
      85,
      { { "energy", 1.11 } },
      "068356040000",
      1 },
    { "NAS usage from DS, first record",
      "nas-ul20xx",
      SIM_FRAME_USAGE,
      26,
      { { "lamp_on_time", 19918800.0 / 3600 } },
      "00ff80d0ef2f01",
      0 },
    { "NAS metering_alert from DS",
      "nas-ul20xx",
      SIM_FRAME_ALERT,
      61,
      { { "over_current_alert", 1 },
        { "power", 89 },
        { "voltage", 229 },
        { "power_factor", 0.86 } },
      "84025900e50056",
      0 },
    { "TTN pcr2-codec.yaml, extended application payload V4",
      "parametric-pcr2",
      SIM_FRAME_DATA,
      14,
      { { "count_ltr", 1 },
        { "count_rtl", 2 },
        { "count_ltr_total", 3 },
        { "count_rtl_total", 4 },
        { "battery_voltage", 7.2 },
        { "solar_power", 3.3 },
        { "device_temperature", 31.3 } },
      "be010400010002000300041c200ce40139",
      0 },
};

static void test_vendor_examples_are_written_byte_for_byte(void)
{
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        const struct vendor_example *x = &examples[i];
        char hex[2 * SIM_PAYLOAD_MAX + 1];
        size_t n = strlen(x->hex);

        encode_hex(x->model, x->kind, x->in, x->fport, hex);
        if (x->prefix ? strncmp(hex, x->hex, n) != 0 : strcmp(hex, x->hex) != 0) {
            fprintf(stderr, "  %s: %s, want %s%s\n", x->source, hex, x->hex,
                    x->prefix ? "..." : "");
            mue_test_fail(__FILE__, __LINE__, "the vendor's bytes");
        }
    }
}

static void test_decentlab_device_id(void)
{
    static const struct nv given[] = { { "device_id", 4242 }, { "distance", 1 }, { NULL, 0 } };
    static const struct nv none[] = { { "distance", 1 }, { NULL, 0 } };
    struct codec_result res;

    round_trip("decentlab-dl-mbx", SIM_FRAME_DATA, given, &res);
    MUE_ASSERT_STR_EQ(attr_of(&res, "device_id"), "4242");
    round_trip("decentlab-dl-mbx", SIM_FRAME_DATA, none, &res);
    MUE_ASSERT_STR_EQ(attr_of(&res, "device_id"), "1");
}

/* The DF702's frame counter is a uint16 that wraps. */
static void test_df702_frame_counter(void)
{
    static const struct nv in[] = { { "frame_counter", 65536 + 41 }, { NULL, 0 } };
    struct codec_result res;

    round_trip("dingtek-df702", SIM_FRAME_DATA, in, &res);
    MUE_ASSERT_STR_EQ(attr_of(&res, "frame_counter"), "41");
    MUE_ASSERT_STR_EQ(attr_of(&res, "frame_type"), "data (type 1)");
}

/* A failed lamp is told as the controller tells it: the DALI driver's lamp failure bit and the
 * 24 h lamp error alert in the status packet, and the metering alert's lamp error. */
static void test_nas_lamp_failure_warnings(void)
{
    static const struct nv failed[] = { { "dim_level", 100 }, { "lamp_failure", 1 }, { NULL, 0 } };
    static const struct nv fine[] = { { "dim_level", 100 }, { NULL, 0 } };
    static const struct nv alert[] = { { "lamp_error_alert", 1 }, { NULL, 0 } };
    struct codec_result res;

    round_trip("nas-ul20xx", SIM_FRAME_STATUS, failed, &res);
    MUE_ASSERT(has_warning(&res, "dali_broadcast lamp_failure"));
    MUE_ASSERT(has_warning(&res, "lamp_error_alert_in_24h"));
    MUE_ASSERT_STR_EQ(attr_of(&res, "dimming_source"), "dali_broadcast calendar_night 100%");
    round_trip("nas-ul20xx", SIM_FRAME_STATUS, fine, &res);
    MUE_ASSERT(!has_warning(&res, "dali_broadcast lamp_failure"));
    MUE_ASSERT(!has_warning(&res, "lamp_error_alert_in_24h"));
    round_trip("nas-ul20xx", SIM_FRAME_ALERT, alert, &res);
    MUE_ASSERT(has_warning(&res, "metering_lamp_error"));
    MUE_ASSERT_STR_EQ(attr_of(&res, "packet_type"), "metering_alert");
}

/* The status packet's clock: the frame's device_unix_epoch, or an unset clock. */
static void test_nas_device_clock(void)
{
    static const struct nv set[] = { { "device_unix_epoch", 1700000000 }, { NULL, 0 } };
    static const struct nv unset[] = { { NULL, 0 } };
    struct codec_result res;

    round_trip("nas-ul20xx", SIM_FRAME_STATUS, set, &res);
    MUE_ASSERT_STR_EQ(attr_of(&res, "device_unix_epoch"), "2023-11-14T22:13:20.000Z");
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
    MUE_ASSERT_STR_EQ(attr_of(&res, "dimming_source"), "dali_broadcast calendar_day 0%");
    round_trip("nas-ul20xx", SIM_FRAME_STATUS, unset, &res);
    MUE_ASSERT_STR_EQ(attr_of(&res, "device_unix_epoch"), "invalid_timestamp");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_examples_are_written_byte_for_byte),
        MUE_TEST(test_decentlab_device_id),
        MUE_TEST(test_df702_frame_counter),
        MUE_TEST(test_nas_lamp_failure_warnings),
        MUE_TEST(test_nas_device_clock),
    };
    return mue_test_run("encode_vendor", tests);
}
