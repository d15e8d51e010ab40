/* test_downlink_request.c - DownlinkRequest messages unpacked and checked before anything is sent.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "downlink.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_err.h"

/* A lighting command as mue-lighting would ask for it. */
static Mue__V1__DownlinkRequest sample(void)
{
    static uint8_t payload[] = { 0x01, 0x32 };
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;

    m.id = (char *)"lighting:cmd:42";
    m.network = (char *)"chirpstack";
    m.dev_eui = (char *)"70B3D5E75E001A2B";
    m.f_port = 10;
    m.payload.data = payload;
    m.payload.len = sizeof(payload);
    m.confirmed = 1;
    m.requested_at_us = 1750000000000000LL;
    m.origin = (char *)"lighting";
    m.expires_at_us = 1750000600000000LL;
    return m;
}

/* Packs 'm' and decodes it; returns decode's result, the reason in 'reason'. */
static int decode(const Mue__V1__DownlinkRequest *m, struct downlink_request *rq, char *reason,
                  size_t cap)
{
    size_t len = mue__v1__downlink_request__get_packed_size(m);
    uint8_t *buf = malloc(len + 1);
    int rc;

    mue__v1__downlink_request__pack(m, buf);
    rc = downlink_request_decode(buf, len, rq, reason, cap);
    free(buf);
    return rc;
}

static void test_a_complete_request_is_decoded_with_its_dev_eui_in_lowercase(void)
{
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq;
    char reason[128] = "";

    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(rq.id, "lighting:cmd:42");
    MUE_ASSERT_STR_EQ(rq.network, "chirpstack");
    MUE_ASSERT_STR_EQ(rq.dev_eui, "70b3d5e75e001a2b");
    MUE_ASSERT_UINT_EQ(rq.f_port, 10);
    MUE_ASSERT_UINT_EQ(rq.payload_len, 2);
    MUE_ASSERT_UINT_EQ(rq.payload[0], 0x01);
    MUE_ASSERT_UINT_EQ(rq.payload[1], 0x32);
    MUE_ASSERT_INT_EQ(rq.confirmed, 1);
    MUE_ASSERT_INT_EQ(rq.requested_at_us, 1750000000000000LL);
    MUE_ASSERT_INT_EQ(rq.expires_at_us, 1750000600000000LL);
    MUE_ASSERT_STR_EQ(rq.origin, "lighting");
    MUE_ASSERT_STR_EQ(rq.application_id, "");
    MUE_ASSERT_STR_EQ(rq.device_id, "");
}

/* proto3 leaves out zero, false and empty fields: they must read as such. */
static void test_omitted_fields_default_to_zero_false_and_empty(void)
{
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;
    struct downlink_request rq;
    char reason[128] = "";

    m.id = (char *)"x1";
    m.network = (char *)"tts";
    m.dev_eui = (char *)"0004a30b001c0530";
    m.f_port = 1;
    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_UINT_EQ(rq.payload_len, 0);
    MUE_ASSERT_INT_EQ(rq.confirmed, 0);
    MUE_ASSERT_INT_EQ(rq.expires_at_us, 0);
    MUE_ASSERT_STR_EQ(rq.origin, "");
}

static void test_the_things_stack_ids_are_kept_when_well_formed(void)
{
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq;
    char reason[128] = "";

    m.network = (char *)"tts";
    m.application_id = (char *)"pav-amp";
    m.device_id = (char *)"pav-verre-0042";
    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(rq.application_id, "pav-amp");
    MUE_ASSERT_STR_EQ(rq.device_id, "pav-verre-0042");
}

/* Each bad field is refused with a reason naming it; what was valid of the identity stays, so
 * that the FAILED status can still be addressed. */
static void test_each_bad_field_is_refused_with_its_name(void)
{
    static const struct {
        const char *field, *value;
        const char *reason_prefix;
    } cases[] = {
        { "id", "", "id:" },
        { "id", "has space", "id:" },
        { "id", /* 93 characters: one too many */
          "lighting:cmd:0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-"
          "01234567890123",
          "id:" },
        { "network", "ChirpStack", "network:" },
        { "network", "", "network:" },
        { "network", "chirpstack.eu", "network:" },
        { "dev_eui", "70b3d5e75e001a2", "dev_eui:" },
        { "dev_eui", "70b3d5e75e001a2bb", "dev_eui:" },
        { "dev_eui", "70b3d5e75e001a2g", "dev_eui:" },
        { "origin", "two words", "origin:" },
        { "application_id", "Pav_Amp", "application_id:" },
        { "application_id", "-pav", "application_id:" },
        { "device_id", "pav--1", "device_id:" },
        { "device_id", "a", "device_id:" },
        { "device_id", "dev/../../x", "device_id:" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Mue__V1__DownlinkRequest m = sample();
        struct downlink_request rq;
        char reason[128] = "";
        char **slot = strcmp(cases[i].field, "id") == 0               ? &m.id
                      : strcmp(cases[i].field, "network") == 0        ? &m.network
                      : strcmp(cases[i].field, "dev_eui") == 0        ? &m.dev_eui
                      : strcmp(cases[i].field, "origin") == 0         ? &m.origin
                      : strcmp(cases[i].field, "application_id") == 0 ? &m.application_id
                                                                      : &m.device_id;
        *slot = (char *)cases[i].value;
        MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_EDECODE);
        if (strncmp(reason, cases[i].reason_prefix, strlen(cases[i].reason_prefix)) != 0) {
            char what[256];
            snprintf(what, sizeof(what), "case %zu (%s=\"%s\"): reason \"%s\"", i, cases[i].field,
                     cases[i].value, reason);
            mue_test_fail(__FILE__, __LINE__, what);
        }
        if (strcmp(cases[i].field, "id") != 0)
            MUE_ASSERT_STR_EQ(rq.id, "lighting:cmd:42");
        else
            MUE_ASSERT_STR_EQ(rq.id, "");
    }
}

static void test_f_port_must_be_1_to_223(void)
{
    static const uint32_t bad[] = { 0, 224, 255, 4294967295u };
    static const uint32_t good[] = { 1, 223 };
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq;
    char reason[128];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        m.f_port = bad[i];
        MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_EDECODE);
        MUE_ASSERT_STR_EQ(reason, "f_port: not in 1..223");
        MUE_ASSERT_STR_EQ(rq.dev_eui, "70b3d5e75e001a2b"); /* still addressable */
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        m.f_port = good[i];
        MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    }
}

static void test_payload_of_242_bytes_passes_and_243_is_refused(void)
{
    uint8_t big[243];
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq;
    char reason[128];

    memset(big, 0xa5, sizeof(big));
    m.payload.data = big;
    m.payload.len = 242;
    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_UINT_EQ(rq.payload_len, 242);
    MUE_ASSERT_UINT_EQ(rq.payload[241], 0xa5);
    m.payload.len = 243;
    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "payload: longer than 242 bytes");
}

static void test_negative_expiry_is_refused(void)
{
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq;
    char reason[128];

    m.expires_at_us = -1;
    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "expires_at_us: negative");
}

static void test_bytes_that_are_not_a_request_are_refused_and_leave_no_identity(void)
{
    static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
    Mue__V1__DownlinkRequest m = sample();
    size_t len = mue__v1__downlink_request__get_packed_size(&m);
    uint8_t *buf = malloc(len);
    struct downlink_request rq;
    char reason[128];

    MUE_ASSERT_INT_EQ(
        downlink_request_decode(garbage, sizeof(garbage), &rq, reason, sizeof(reason)),
        MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "message: not a mue.v1.DownlinkRequest");
    MUE_ASSERT_STR_EQ(rq.id, "");
    MUE_ASSERT_STR_EQ(rq.network, "");
    /* Truncated in the middle of a field. */
    mue__v1__downlink_request__pack(&m, buf);
    MUE_ASSERT_INT_EQ(downlink_request_decode(buf, len - 3, &rq, reason, sizeof(reason)),
                      MUE_EDECODE);
    free(buf);
}

static void test_encode_then_decode_round_trips(void)
{
    Mue__V1__DownlinkRequest m = sample();
    struct downlink_request rq, back;
    char reason[128];
    size_t len = 0;
    uint8_t *buf;

    MUE_ASSERT_INT_EQ(decode(&m, &rq, reason, sizeof(reason)), MUE_OK);
    buf = downlink_request_encode(&rq, &len);
    MUE_ASSERT_INT_EQ(downlink_request_decode(buf, len, &back, reason, sizeof(reason)), MUE_OK);
    free(buf);
    MUE_ASSERT(memcmp(&rq, &back, sizeof(rq)) == 0);
}

static void test_tts_id_rule(void)
{
    MUE_ASSERT(downlink_is_tts_id("eui-70b3d5e75e001a2b"));
    MUE_ASSERT(downlink_is_tts_id("ab"));
    MUE_ASSERT(downlink_is_tts_id("a-b"));
    MUE_ASSERT(downlink_is_tts_id("abcdefghijklmnopqrstuvwxyz0123456789"));   /* 36 */
    MUE_ASSERT(!downlink_is_tts_id("abcdefghijklmnopqrstuvwxyz01234567890")); /* 37 */
    MUE_ASSERT(!downlink_is_tts_id("a"));
    MUE_ASSERT(!downlink_is_tts_id("a-"));
    MUE_ASSERT(!downlink_is_tts_id("-a"));
    MUE_ASSERT(!downlink_is_tts_id("a--b"));
    MUE_ASSERT(!downlink_is_tts_id("A-b"));
    MUE_ASSERT(!downlink_is_tts_id("a_b"));
    MUE_ASSERT(!downlink_is_tts_id("a/b"));
    MUE_ASSERT(!downlink_is_tts_id(""));
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_complete_request_is_decoded_with_its_dev_eui_in_lowercase),
        MUE_TEST(test_omitted_fields_default_to_zero_false_and_empty),
        MUE_TEST(test_the_things_stack_ids_are_kept_when_well_formed),
        MUE_TEST(test_each_bad_field_is_refused_with_its_name),
        MUE_TEST(test_f_port_must_be_1_to_223),
        MUE_TEST(test_payload_of_242_bytes_passes_and_243_is_refused),
        MUE_TEST(test_negative_expiry_is_refused),
        MUE_TEST(test_bytes_that_are_not_a_request_are_refused_and_leave_no_identity),
        MUE_TEST(test_encode_then_decode_round_trips),
        MUE_TEST(test_tts_id_rule),
    };
    return mue_test_run("downlink_request", tests);
}
