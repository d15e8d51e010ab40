/* test_downlink_status.c - the forwarder's DownlinkStatus messages: subject, id, fields.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "downlink.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_err.h"

static struct downlink_status sample(void)
{
    struct downlink_status st = {
        .id = "lighting:cmd:42",
        .network = "chirpstack",
        .dev_eui = "70b3d5e75e001a2b",
        .state = DOWNLINK_QUEUED,
        .time_us = 1750000000123456LL,
        .network_ref = "6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c",
        .attempt = 2,
    };
    return st;
}

static void test_subject_is_dlstatus_network_dev_eui(void)
{
    struct downlink_status st = sample();
    char subject[64], tiny[16];

    MUE_ASSERT_INT_EQ(downlink_status_subject(&st, subject, sizeof(subject)), MUE_OK);
    MUE_ASSERT_STR_EQ(subject, "mue.dlstatus.chirpstack.70b3d5e75e001a2b");
    MUE_ASSERT_INT_EQ(downlink_status_subject(&st, tiny, sizeof(tiny)), MUE_E2BIG);
}

static void test_msg_id_names_request_state_and_attempt(void)
{
    struct downlink_status st = sample();
    char id[64];

    MUE_ASSERT_INT_EQ(downlink_status_msg_id(&st, id, sizeof(id)), MUE_OK);
    MUE_ASSERT_STR_EQ(id, "lighting:cmd:42:QUEUED:2");
    st.state = DOWNLINK_RETRYING;
    st.attempt = 1;
    MUE_ASSERT_INT_EQ(downlink_status_msg_id(&st, id, sizeof(id)), MUE_OK);
    MUE_ASSERT_STR_EQ(id, "lighting:cmd:42:RETRYING:1");
    MUE_ASSERT_INT_EQ(downlink_status_msg_id(&st, id, 10), MUE_E2BIG);
}

static void test_state_names_and_proto_values_agree(void)
{
    MUE_ASSERT_STR_EQ(downlink_state_name(DOWNLINK_QUEUED), "QUEUED");
    MUE_ASSERT_STR_EQ(downlink_state_name(DOWNLINK_FAILED), "FAILED");
    MUE_ASSERT_STR_EQ(downlink_state_name(DOWNLINK_EXPIRED), "EXPIRED");
    MUE_ASSERT_STR_EQ(downlink_state_name(DOWNLINK_RETRYING), "RETRYING");
    MUE_ASSERT_INT_EQ(DOWNLINK_QUEUED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED);
    MUE_ASSERT_INT_EQ(DOWNLINK_FAILED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED);
    MUE_ASSERT_INT_EQ(DOWNLINK_EXPIRED, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_EXPIRED);
    MUE_ASSERT_INT_EQ(DOWNLINK_RETRYING, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_RETRYING);
}

static void test_pack_carries_every_field_and_the_forwarder_as_source(void)
{
    struct downlink_status st = sample();
    size_t len = 0;
    uint8_t *buf = downlink_status_pack(&st, &len);
    Mue__V1__DownlinkStatus *m = mue__v1__downlink_status__unpack(NULL, len, buf);

    free(buf);
    MUE_ASSERT(m != NULL);
    MUE_ASSERT_STR_EQ(m->id, "lighting:cmd:42");
    MUE_ASSERT_STR_EQ(m->network, "chirpstack");
    MUE_ASSERT_STR_EQ(m->dev_eui, "70b3d5e75e001a2b");
    MUE_ASSERT_INT_EQ(m->state, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED);
    MUE_ASSERT_INT_EQ(m->time_us, 1750000000123456LL);
    MUE_ASSERT_STR_EQ(m->reason, "");
    MUE_ASSERT_STR_EQ(m->network_ref, "6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c");
    MUE_ASSERT_UINT_EQ(m->attempt, 2);
    MUE_ASSERT_STR_EQ(m->source, "forwarder");
    mue__v1__downlink_status__free_unpacked(m, NULL);
}

static void test_a_failure_carries_its_reason_and_no_reference(void)
{
    struct downlink_status st = sample();
    size_t len = 0;
    uint8_t *buf;
    Mue__V1__DownlinkStatus *m;

    st.state = DOWNLINK_FAILED;
    st.reason = "HTTP 404: Object does not exist";
    st.network_ref = NULL;
    buf = downlink_status_pack(&st, &len);
    m = mue__v1__downlink_status__unpack(NULL, len, buf);
    free(buf);
    MUE_ASSERT(m != NULL);
    MUE_ASSERT_INT_EQ(m->state, MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED);
    MUE_ASSERT_STR_EQ(m->reason, "HTTP 404: Object does not exist");
    MUE_ASSERT_STR_EQ(m->network_ref, "");
    mue__v1__downlink_status__free_unpacked(m, NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_subject_is_dlstatus_network_dev_eui),
        MUE_TEST(test_msg_id_names_request_state_and_attempt),
        MUE_TEST(test_state_names_and_proto_values_agree),
        MUE_TEST(test_pack_carries_every_field_and_the_forwarder_as_source),
        MUE_TEST(test_a_failure_carries_its_reason_and_no_reference),
    };
    return mue_test_run("downlink_status", tests);
}
