/* test_codec.c - the codec list, the helpers every codec fills its result with, and the
 * vocabulary they must stay within.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "codec.h"
#include "mue_err.h"
#include "quantity.h"

static void test_every_codec_is_listed_once_with_a_model_vendor_and_name(void)
{
    size_t n = 0;
    for (const struct codec *const *c = codec_list; *c != NULL; c++, n++) {
        MUE_ASSERT((*c)->model != NULL && (*c)->vendor != NULL && (*c)->name != NULL);
        MUE_ASSERT((*c)->decode != NULL);
        MUE_ASSERT(codec_find((*c)->model) == *c);
        for (const struct codec *const *d = c + 1; *d != NULL; d++)
            MUE_ASSERT(strcmp((*c)->model, (*d)->model) != 0);
    }
    MUE_ASSERT(n >= 2);
}

static void test_unknown_models_are_not_found(void)
{
    MUE_ASSERT(codec_find("nope") == NULL);
    MUE_ASSERT(codec_find("") == NULL);
    MUE_ASSERT(codec_find(NULL) == NULL);
}

static void test_indexed_readings_are_named_base_underscore_index(void)
{
    struct codec_result res;
    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_add_indexed(&res, "switch", 3, 1.0), MUE_OK);
    MUE_ASSERT_STR_EQ(res.r[0].quantity, "switch_3");
    MUE_ASSERT_INT_EQ(res.r[0].time_us, 0);
    MUE_ASSERT_INT_EQ(codec_add_at(&res, "battery", 90, 1700000000000000LL), MUE_OK);
    MUE_ASSERT_INT_EQ(res.r[1].time_us, 1700000000000000LL);
}

static void test_a_name_too_long_for_a_reading_is_refused(void)
{
    struct codec_result res;
    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_add(&res, "a_quantity_name_that_is_far_too_long_to_fit", 1), MUE_E2BIG);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_attributes_and_warnings_are_kept_up_to_their_bounds(void)
{
    struct codec_result res;
    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_attr(&res, "firmware_version", "%d.%d", 1, 4), MUE_OK);
    MUE_ASSERT_STR_EQ(res.attr[0].key, "firmware_version");
    MUE_ASSERT_STR_EQ(res.attr[0].value, "1.4");
    for (int i = 1; i < CODEC_MAX_ATTRS; i++)
        MUE_ASSERT_INT_EQ(codec_attr(&res, "k", "%d", i), MUE_OK);
    MUE_ASSERT_INT_EQ(codec_attr(&res, "k", "x"), MUE_E2BIG);
    for (int i = 0; i < CODEC_MAX_WARNINGS + 2; i++)
        codec_warn(&res, "fault %d", i);
    MUE_ASSERT_UINT_EQ(res.nwarn, CODEC_MAX_WARNINGS);
    MUE_ASSERT_STR_EQ(res.warning[0], "fault 0");
}

static int always_fails(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    (void)buf;
    (void)len;
    (void)fport;
    codec_add(out, "battery", 1);
    codec_attr(out, "frame", "status");
    codec_warn(out, "half done");
    return MUE_EDECODE; /* and forgets to say why */
}

static void test_a_failed_decode_leaves_the_result_as_it_was_with_a_reason(void)
{
    static const struct codec broken = { "test-broken", "Test", "always fails", always_fails };
    struct codec_result res;
    uint8_t b = 0;

    memset(&res, 0, sizeof(res));
    codec_add(&res, "rssi", -100);
    MUE_ASSERT_INT_EQ(codec_decode(&broken, &b, 1, 1, &res), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
    MUE_ASSERT_STR_EQ(res.reason, "rejected by the test-broken codec");
}

static void test_vocabulary_finds_plain_and_indexed_names_only(void)
{
    MUE_ASSERT(quantity_find("LAeq") != NULL);
    MUE_ASSERT_STR_EQ(quantity_find("fill_level")->unit, "%");
    MUE_ASSERT(quantity_find("switch_8") != NULL);
    MUE_ASSERT(quantity_find("dim_level_12") != NULL);
    MUE_ASSERT(quantity_find("dim_level") != NULL);
    MUE_ASSERT(quantity_find("switch_") == NULL);
    MUE_ASSERT(quantity_find("switch_1x") == NULL);
    MUE_ASSERT(quantity_find("battery_2") == NULL); /* not indexed */
    MUE_ASSERT(quantity_find("laeq") == NULL);
    MUE_ASSERT(quantity_find(NULL) == NULL);
}

static void test_every_quantity_is_documented_with_its_unit(void)
{
    FILE *f = fopen("docs/quantities.md", "r");
    char *doc = NULL;
    size_t cap = 0;
    ssize_t n;

    MUE_ASSERT(f != NULL); /* run from the repository's root, as make test does */
    n = getdelim(&doc, &cap, '\0', f);
    fclose(f);
    MUE_ASSERT(n > 0);
    for (const struct quantity *q = quantity_table; q->name != NULL; q++) {
        char row[96];
        snprintf(row, sizeof(row), "| `%s%s` | %s |", q->name, q->indexed ? "_N" : "", q->unit);
        if (strstr(doc, row) == NULL) {
            free(doc);
            mue_test_fail(__FILE__, __LINE__, q->name);
        }
    }
    free(doc);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_every_codec_is_listed_once_with_a_model_vendor_and_name),
        MUE_TEST(test_unknown_models_are_not_found),
        MUE_TEST(test_indexed_readings_are_named_base_underscore_index),
        MUE_TEST(test_a_name_too_long_for_a_reading_is_refused),
        MUE_TEST(test_attributes_and_warnings_are_kept_up_to_their_bounds),
        MUE_TEST(test_a_failed_decode_leaves_the_result_as_it_was_with_a_reason),
        MUE_TEST(test_vocabulary_finds_plain_and_indexed_names_only),
        MUE_TEST(test_every_quantity_is_documented_with_its_unit),
    };
    return mue_test_run("codec", tests);
}
