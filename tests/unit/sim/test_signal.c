/* test_signal.c - what every simulated signal promises: found by use case, deterministic, one
 * device unlike another, refusing models it does not simulate, and naming its values as the
 * model's codec does (checked against a list read from the codecs, and through the real encoder
 * and codec).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "encode.h"
#include "fleet.h"
#include "mue_err.h"
#include "signal_test.h"

/* One device of each model and profile the fleet uses. */
struct sample {
    const char *use_case, *model, *profile;
    int period;
    const char *params;
};

static const struct sample samples[] = {
    { "noise", "milesight-ws302", "street", 600, NULL },
    { "noise", "milesight-ws302", "nightlife", 600, NULL },
    { "noise", "elsys-ers-sound", "square", 600, NULL },
    { "waste", "milesight-em310-udl", "glass", 3600,
      "{\"empty_distance_m\":2.4,\"full_distance_m\":0.35,\"waste\":\"glass\"}" },
    { "waste", "dingtek-df702", "packaging", 3600,
      "{\"empty_distance_m\":2.2,\"full_distance_m\":0.3,\"waste\":\"packaging\"}" },
    { "water", "decentlab-dl-mbx", "level", 900,
      "{\"river\":\"touloubre\",\"base_level_m\":0.6,\"vigilance_yellow_m\":1.5,"
      "\"vigilance_orange_m\":2.2,\"vigilance_red_m\":3.0,\"sensor_height_m\":4.5,"
      "\"flood_lag_h\":0}" },
    { "water", "decentlab-dl-pr26", "level", 900,
      "{\"river\":\"cadiere\",\"base_level_m\":0.4,\"vigilance_yellow_m\":1.2,"
      "\"vigilance_orange_m\":1.8,\"vigilance_red_m\":2.5,\"sensor_elevation_m\":0.1,"
      "\"flood_lag_h\":2}" },
    { "water", "decentlab-dl-ctd10", "quality", 900,
      "{\"river\":\"touloubre\",\"base_level_m\":0.6,\"vigilance_yellow_m\":1.5,"
      "\"vigilance_orange_m\":2.2,\"vigilance_red_m\":3.0,\"sensor_elevation_m\":0.2,"
      "\"flood_lag_h\":6}" },
    { "counting", "parametric-pcr2", "commute", 900,
      "{\"counts\":\"bike\",\"ltr\":\"in\",\"daily_mean\":2000}" },
    { "counting", "parametric-pcr2", "leisure", 900,
      "{\"counts\":\"pedestrian\",\"ltr\":\"out\",\"daily_mean\":5000}" },
    { "lighting", "nas-ul20xx", "lamp", 1800, "{\"lamp_power_w\":60}" },
    { "lighting", "milesight-ws558", "cabinet", 900, "{\"lamps\":12,\"lamp_power_w\":60}" },
    { "heat", "elsys-ers", "mineral_square", 900, NULL },
    { "heat", "elsys-ers", "schoolyard", 900, NULL },
    { "heat", "elsys-ers", "street", 900, NULL },
    { "heat", "elsys-ers", "park", 900, NULL },
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static struct sim_device make(size_t i, uint64_t seed)
{
    return st_device(samples[i].use_case, samples[i].model, samples[i].profile, samples[i].period,
                     seed, samples[i].params);
}

/* The readings each codec outputs for what a signal sends (read from the codec sources: the
 * WS302 with A weighting and fast time weighting, the NAS status packet's broadcast dimming
 * source and the usage packet's own meter, the PCR2 extended frames). */
static const struct {
    const char *model;
    enum sim_frame_kind kind;
    const char *names;
} allowed[] = {
    { "milesight-ws302", SIM_FRAME_DATA, " LAF LAeq LAFmax battery " },
    { "elsys-ers-sound", SIM_FRAME_DATA,
      " LAeq LAmax temperature humidity illuminance motion battery_voltage " },
    { "milesight-em310-udl", SIM_FRAME_DATA, " distance tilt battery " },
    { "dingtek-df702", SIM_FRAME_DATA,
      " distance temperature tilt_angle full_alarm fire_alarm tilt battery_low " },
    { "decentlab-dl-mbx", SIM_FRAME_DATA, " distance valid_samples battery_voltage " },
    { "decentlab-dl-pr26", SIM_FRAME_DATA, " pressure temperature battery_voltage " },
    { "decentlab-dl-ctd10", SIM_FRAME_DATA,
      " water_depth temperature conductivity freezing battery_voltage " },
    { "parametric-pcr2", SIM_FRAME_DATA,
      " count_ltr count_rtl count_ltr_total count_rtl_total battery_voltage solar_power "
      "device_temperature " },
    { "nas-ul20xx", SIM_FRAME_STATUS,
      " dim_level relay_closed lamp_on lamp_failure device_temperature illuminance tilt_angle " },
    { "nas-ul20xx", SIM_FRAME_USAGE,
      " energy power load_side_energy load_side_power power_factor voltage "
      "driver_operating_time lamp_on_time " },
    { "milesight-ws558", SIM_FRAME_DATA,
      " switch_1 switch_2 switch_3 switch_4 switch_5 switch_6 switch_7 switch_8 voltage current "
      "power power_factor energy " },
    { "elsys-ers", SIM_FRAME_DATA, " temperature humidity illuminance motion battery_voltage " },
};

/* Facts a frame may carry that the codec keeps as attributes, not readings (the NAS status
 * packet's device clock). */
static const char attribute_names[] = " device_unix_epoch ";

static int is_attribute(const char *name)
{
    char word[SIM_NAME_MAX + 2];

    snprintf(word, sizeof(word), " %s ", name);
    return strstr(attribute_names, word) != NULL;
}

static int name_allowed(const char *model, enum sim_frame_kind kind, const char *name)
{
    char word[SIM_NAME_MAX + 2];

    if (is_attribute(name))
        return 1;
    snprintf(word, sizeof(word), " %s ", name);
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        if (strcmp(allowed[i].model, model) == 0 && allowed[i].kind == kind)
            return strstr(allowed[i].names, word) != NULL;
    }
    return 0;
}

static void test_every_use_case_is_found(void)
{
    static const char *const use_cases[] = { "noise",    "waste",    "water",
                                             "counting", "lighting", "heat" };
    size_t n = 0;

    for (size_t i = 0; i < sizeof(use_cases) / sizeof(use_cases[0]); i++) {
        const struct sim_signal *s = sim_signal_find(use_cases[i]);

        MUE_ASSERT(s != NULL);
        MUE_ASSERT_STR_EQ(s->use_case, use_cases[i]);
    }
    while (sim_signals[n] != NULL)
        n++;
    MUE_ASSERT_INT_EQ(n, 6);
    MUE_ASSERT(sim_signal_find("parking") == NULL);
}

static int frames_equal(const struct sim_frame *a, const struct sim_frame *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i].kind != b[i].kind || a[i].n != b[i].n)
            return 0;
        for (size_t j = 0; j < a[i].n; j++) {
            if (strcmp(a[i].v[j].name, b[i].v[j].name) != 0 || a[i].v[j].v != b[i].v[j].v)
                return 0;
        }
    }
    return 1;
}

/* The same device at the same time gives the same frames, whatever was asked in between; two
 * devices of the same kind tell different stories. */
static void test_deterministic_and_devices_differ(void)
{
    int64_t t0 = st_local(2026, 10, 12, 0, 0);

    for (size_t i = 0; i < NSAMPLES; i++) {
        struct sim_device a = make(i, 0x24e1247100000101ULL), b = make(i, 0x24e1247100000202ULL);
        struct sim_frame f1[SIM_MAX_FRAMES_PER_TICK], f2[SIM_MAX_FRAMES_PER_TICK];
        int differ = 0;

        for (int64_t t = st_tick(&a, t0); t < t0 + 86400; t += a.period_s * 7) {
            int n1 = st_frames(&a, t, f1), n2;

            st_frames(&a, t + a.period_s, f2); /* another time in between */
            n2 = st_frames(&a, t, f2);
            MUE_ASSERT_INT_EQ(n1, n2);
            MUE_ASSERT(frames_equal(f1, f2, n1));
        }
        for (int64_t t = t0; t < t0 + 86400 && !differ; t += 3600) {
            int n1 = st_frames(&a, st_tick(&a, t), f1), n2 = st_frames(&b, st_tick(&b, t), f2);

            differ = n1 != n2 || !frames_equal(f1, f2, n1);
        }
        if (!differ)
            fprintf(stderr, "  %s %s: two devices agree all day\n", samples[i].model,
                    samples[i].profile);
        MUE_ASSERT(differ);
        st_device_free(&a);
        st_device_free(&b);
    }
}

/* Every name of every frame over two weeks is one the model's codec outputs for that kind of
 * frame, and every frame has values. */
static void test_frames_only_use_codec_names(void)
{
    int64_t t0 = st_local(2026, 3, 20, 0, 0);

    for (size_t i = 0; i < NSAMPLES; i++) {
        struct sim_device d = make(i, 0x70b3d57ba0000001ULL + i);

        MUE_ASSERT(codec_find(d.model) != NULL);
        for (int64_t t = st_tick(&d, t0); t < t0 + 14 * 86400; t += d.period_s * 3) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            int n = st_frames(&d, t, f);

            for (int k = 0; k < n; k++) {
                MUE_ASSERT(f[k].n > 0);
                for (size_t j = 0; j < f[k].n; j++) {
                    if (!name_allowed(d.model, f[k].kind, f[k].v[j].name))
                        fprintf(stderr, "  %s kind %d: \"%s\"\n", d.model, (int)f[k].kind,
                                f[k].v[j].name);
                    MUE_ASSERT(name_allowed(d.model, f[k].kind, f[k].v[j].name));
                    MUE_ASSERT(isfinite(f[k].v[j].v));
                }
            }
        }
        st_device_free(&d);
    }
}

/* Through the real encoder and codec, each value of a frame comes back under its own name. */
static void test_frames_decode_to_their_names(void)
{
    int64_t t0 = st_local(2026, 6, 1, 0, 0);

    for (size_t i = 0; i < NSAMPLES; i++) {
        struct sim_device d = make(i, 0xa817580000000001ULL + i);
        const struct sim_encoder *enc = sim_encoder_find(d.model);
        const struct codec *codec = codec_find(d.model);

        MUE_ASSERT(enc != NULL);
        MUE_ASSERT(codec != NULL);
        for (int64_t t = st_tick(&d, t0); t < t0 + 2 * 86400; t += d.period_s * 5) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            int n = st_frames(&d, t, f);

            for (int k = 0; k < n; k++) {
                uint8_t buf[SIM_PAYLOAD_MAX];
                size_t len = 0;
                unsigned fport = 0;
                static struct codec_result res;

                memset(&res, 0, sizeof(res));
                MUE_ASSERT_INT_EQ(enc->encode(&f[k], buf, sizeof(buf), &len, &fport), 0);
                MUE_ASSERT_INT_EQ(codec_decode(codec, buf, len, fport, &res), 0);
                /* A frame whose clock is set decodes without the "clock not set" warning. */
                for (size_t w = 0; w < res.nwarn; w++)
                    MUE_ASSERT(strstr(res.warning[w], "invalid_timestamp") == NULL);
                for (size_t j = 0; j < f[k].n; j++) {
                    int found = 0;

                    for (size_t r = 0; r < res.n; r++)
                        found |= strcmp(res.r[r].quantity, f[k].v[j].name) == 0;
                    for (size_t a = 0; a < res.nattr; a++)
                        found |= is_attribute(f[k].v[j].name) &&
                                 strcmp(res.attr[a].key, f[k].v[j].name) == 0;
                    if (!found)
                        fprintf(stderr, "  %s: \"%s\" not decoded\n", d.model, f[k].v[j].name);
                    MUE_ASSERT(found);
                }
            }
        }
        st_device_free(&d);
    }
}

/* The real fleet (deploy/fleet): every device is one its use case simulates, and sends frames
 * with its codec's names, at night and by day. */
static void test_the_real_fleet(void)
{
    struct sim_fleet fleet;
    char err[256] = "";
    int64_t t0 = st_local(2026, 11, 28, 0, 0);
    size_t per_use_case[6] = { 0 };
    static const char *const use_cases[] = { "noise",    "waste",    "water",
                                             "counting", "lighting", "heat" };

    if (sim_fleet_load("deploy/fleet", "deploy/data/geo/amp-communes.geojson", &fleet, err,
                       sizeof(err)) != 0)
        fprintf(stderr, "  %s\n", err);
    MUE_ASSERT(err[0] == '\0');
    MUE_ASSERT(fleet.n > 0);
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        const struct sim_signal *s = sim_signal_find(d->use_case);

        MUE_ASSERT(s != NULL);
        for (size_t u = 0; u < 6; u++)
            per_use_case[u] += strcmp(d->use_case, use_cases[u]) == 0;
        for (int h = 2; h < 24; h += 6) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            int n = s->frames(d, st_tick(d, t0 + h * 3600) * 1000000, f, SIM_MAX_FRAMES_PER_TICK);

            if (n < 0)
                fprintf(stderr, "  %s (%s %s): %d\n", d->name, d->model, d->profile, n);
            MUE_ASSERT(n >= 0);
            for (int k = 0; k < n; k++) {
                for (size_t j = 0; j < f[k].n; j++)
                    MUE_ASSERT(name_allowed(d->model, f[k].kind, f[k].v[j].name));
            }
        }
    }
    for (size_t u = 0; u < 6; u++)
        MUE_ASSERT(per_use_case[u] > 0);
    sim_fleet_free(&fleet);
}

/* A use case refuses a model or profile it does not simulate, and a missing parameter that has
 * no default. */
static void test_refuses_foreign_devices(void)
{
    static const struct {
        const char *use_case, *model, *profile, *params;
    } bad[] = {
        { "noise", "milesight-ws302", "stadium", NULL },
        { "noise", "milesight-em310-udl", "street", NULL },
        { "waste", "milesight-em310-udl", "glass", "{\"waste\":\"food\"}" },
        { "waste", "milesight-ws302", "glass", "{\"waste\":\"glass\"}" },
        { "water", "decentlab-dl-mbx", "level", "{\"river\":\"huveaune\"}" },
        { "water", "decentlab-dl-ctd10", "level", "{\"river\":\"cadiere\"}" },
        { "counting", "parametric-pcr2", "commute", "{\"counts\":\"car\"}" },
        { "counting", "parametric-pcr2", "rush", "{\"counts\":\"bike\"}" },
        { "lighting", "nas-ul20xx", "cabinet", NULL },
        { "lighting", "milesight-ws558", "lamp", NULL },
        { "heat", "elsys-ers", "beach", NULL },
        { "heat", "elsys-ers-sound", "park", NULL },
    };
    struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sim_device d =
            st_device(bad[i].use_case, bad[i].model, bad[i].profile, 900, 7, bad[i].params);
        const struct sim_signal *s = sim_signal_find(d.use_case);

        MUE_ASSERT_INT_EQ(s->frames(&d, INT64_C(1780000000000000), f, 2), MUE_EINVAL);
        st_device_free(&d);
    }
}

/* A caller with no room for the frames is told so. */
static void test_no_room(void)
{
    struct sim_device d = make(0, 1);
    struct sim_frame f[1];

    MUE_ASSERT_INT_EQ(sim_signal_find("noise")->frames(&d, INT64_C(1780000000000000), f, 0),
                      MUE_E2BIG);
    st_device_free(&d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_every_use_case_is_found),
        MUE_TEST(test_deterministic_and_devices_differ),
        MUE_TEST(test_frames_only_use_codec_names),
        MUE_TEST(test_frames_decode_to_their_names),
        MUE_TEST(test_the_real_fleet),
        MUE_TEST(test_refuses_foreign_devices),
        MUE_TEST(test_no_room),
    };
    return mue_test_run("signal", tests);
}
