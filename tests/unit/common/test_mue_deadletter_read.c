/* test_mue_deadletter_read.c - the pure parts of the dead-letter reader: the DevEUI a subject
 * names, and which entries a filter lets through.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_deadletter_read.h"
#include "../mue_test.h"

static void test_an_uplink_subject_names_its_dev_eui_lower_cased(void)
{
    char eui[17] = "x";

    MUE_ASSERT(mue_deadletter_subject_dev_eui("mue.uplink.chirpstack.24E124710000A001", eui));
    MUE_ASSERT_STR_EQ(eui, "24e124710000a001");
    MUE_ASSERT(mue_deadletter_subject_dev_eui("mue.device.tts.ffffffffffff0001", eui));
    MUE_ASSERT_STR_EQ(eui, "ffffffffffff0001");
}

static void test_a_subject_without_a_16_hex_last_token_names_no_device(void)
{
    static const char *const subjects[] = {
        "mue.measure.waste.42",                    /* a device id, not a DevEUI */
        "mue.uplink.test.1234_5678.dl1",           /* a test's subject */
        "mue.uplink.chirpstack.24e124710000a00",   /* 15 digits */
        "mue.uplink.chirpstack.24e124710000a0011", /* 17 digits */
        "mue.uplink.chirpstack.24e124710000a00g",  /* not hex */
        "mue.uplink.chirpstack.",                  /* empty last token */
        "ffffffffffff0001",                        /* one token: not a mue subject */
        "",
    };
    char eui[17];

    for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
        memcpy(eui, "garbagegarbage!!", sizeof(eui));
        MUE_ASSERT(!mue_deadletter_subject_dev_eui(subjects[i], eui));
        MUE_ASSERT_STR_EQ(eui, "");
    }
    MUE_ASSERT(!mue_deadletter_subject_dev_eui(NULL, eui));
    MUE_ASSERT_STR_EQ(eui, "");
}

static struct mue_deadletter_entry entry(const char *stage, const char *code, const char *subject)
{
    struct mue_deadletter_entry e;

    memset(&e, 0, sizeof(e));
    e.stage = stage;
    e.code = code;
    e.reason = "why";
    e.subject = subject;
    e.original_id = "";
    mue_deadletter_subject_dev_eui(subject, e.dev_eui);
    return e;
}

static void test_no_filter_and_an_empty_filter_let_everything_through(void)
{
    const struct mue_deadletter_filter none = { NULL, NULL, NULL };
    struct mue_deadletter_entry e = entry("writer", "bad_batch", "mue.measure.waste.42");

    MUE_ASSERT(mue_deadletter_matches(NULL, &e));
    MUE_ASSERT(mue_deadletter_matches(&none, &e));
}

static void test_stage_and_code_are_matched_exactly(void)
{
    const struct mue_deadletter_filter by_stage = { "normalizer", NULL, NULL };
    const struct mue_deadletter_filter by_code = { NULL, "unknown_device", NULL };
    const struct mue_deadletter_filter both = { "normalizer", "decode_failed", NULL };
    struct mue_deadletter_entry e =
        entry("normalizer", "unknown_device", "mue.uplink.chirpstack.ffffffffffff0001");

    MUE_ASSERT(mue_deadletter_matches(&by_stage, &e));
    MUE_ASSERT(mue_deadletter_matches(&by_code, &e));
    MUE_ASSERT(!mue_deadletter_matches(&both, &e));
    e.stage = "normalizer2";
    MUE_ASSERT(!mue_deadletter_matches(&by_stage, &e));
    e.code = "Unknown_device";
    MUE_ASSERT(!mue_deadletter_matches(&by_code, &e));
}

static void test_dev_eui_matches_the_subjects_last_token_in_any_case(void)
{
    const struct mue_deadletter_filter upper = { NULL, NULL, "FFFFFFFFFFFF0001" };
    const struct mue_deadletter_filter other = { NULL, NULL, "ffffffffffff0002" };
    const struct mue_deadletter_filter token = { NULL, NULL, "42" };
    struct mue_deadletter_entry uplink =
        entry("normalizer", "unknown_device", "mue.uplink.chirpstack.ffffffffffff0001");
    struct mue_deadletter_entry measure = entry("writer", "bad_value", "mue.measure.waste.42");
    struct mue_deadletter_entry bare = entry("writer", "bad_value", "ffffffffffff0001");

    MUE_ASSERT(mue_deadletter_matches(&upper, &uplink));
    MUE_ASSERT(!mue_deadletter_matches(&other, &uplink));
    /* mue-admin's --dev-eui has always compared the last token, whatever it is. */
    MUE_ASSERT(mue_deadletter_matches(&token, &measure));
    MUE_ASSERT(!mue_deadletter_matches(&upper, &measure));
    /* A subject of one token names no device. */
    MUE_ASSERT(!mue_deadletter_matches(&upper, &bare));
    MUE_ASSERT_STR_EQ(bare.dev_eui, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_an_uplink_subject_names_its_dev_eui_lower_cased),
        MUE_TEST(test_a_subject_without_a_16_hex_last_token_names_no_device),
        MUE_TEST(test_no_filter_and_an_empty_filter_let_everything_through),
        MUE_TEST(test_stage_and_code_are_matched_exactly),
        MUE_TEST(test_dev_eui_matches_the_subjects_last_token_in_any_case),
    };
    return mue_test_run("mue_deadletter_read", tests);
}
