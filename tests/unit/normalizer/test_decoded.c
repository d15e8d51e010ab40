/* test_decoded.c - the network server's decoded object mapped to quantities.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "decoded.h"
#include "mue_err.h"

static struct codec_result res;

static int apply(const char *decoded, const char *map_text)
{
    json_t *map = json_loads(map_text, 0, NULL);
    int rc;

    memset(&res, 0, sizeof(res));
    rc = decoded_apply(decoded, map, &res);
    json_decref(map);
    return rc;
}

static void test_plain_and_scaled_keys_become_readings(void)
{
    MUE_ASSERT_INT_EQ(apply("{\"LAeq\": 67.8, \"temp_dC\": -35, \"other\": 1}",
                            "{\"LAeq\": \"LAeq\", \"temp_dC\": {\"quantity\": \"temperature\", "
                            "\"scale\": 0.1}}"),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_STR_EQ(res.r[0].quantity, "LAeq");
    MUE_ASSERT_DBL_NEAR(res.r[0].value, 67.8, 0);
    MUE_ASSERT_STR_EQ(res.r[1].quantity, "temperature");
    MUE_ASSERT_DBL_NEAR(res.r[1].value, -3.5, 1e-12);
}

static void test_nested_paths_offsets_and_booleans(void)
{
    MUE_ASSERT_INT_EQ(apply("{\"level\": {\"cm\": 120}, \"alarm\": {\"full\": true}}",
                            "{\"level.cm\": {\"quantity\": \"distance\", \"scale\": 0.01, "
                            "\"offset\": 0.05}, \"alarm.full\": \"full_alarm\"}"),
                      MUE_OK);
    MUE_ASSERT_DBL_NEAR(res.r[0].value, 1.25, 1e-12);
    MUE_ASSERT_STR_EQ(res.r[1].quantity, "full_alarm");
    MUE_ASSERT_DBL_NEAR(res.r[1].value, 1, 0);
}

static void test_absent_keys_are_skipped_but_one_must_be_there(void)
{
    MUE_ASSERT_INT_EQ(apply("{\"a\": 1}", "{\"a\": \"battery\", \"b\": \"humidity\"}"), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_INT_EQ(apply("{\"c\": 1}", "{\"a\": \"battery\"}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "no mapped key is present in the decoded object");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_refusals_name_their_cause(void)
{
    MUE_ASSERT_INT_EQ(apply("", "{\"a\": \"battery\"}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "the network server sent no decoded object to map");
    MUE_ASSERT_INT_EQ(apply("[1]", "{\"a\": \"battery\"}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "the decoded object is not a JSON object");
    MUE_ASSERT_INT_EQ(apply("{\"a\": \"high\"}", "{\"a\": \"battery\"}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "decoded value at a is not a number");
    MUE_ASSERT_INT_EQ(apply("{\"a\": 1}", "{\"a\": \"loudness\"}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "decoded_map a: 'loudness' is not a quantity of the vocabulary");
    MUE_ASSERT_INT_EQ(apply("{\"a\": 1}", "{\"a\": {\"scale\": 2}}"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "decoded_map a: no quantity");
    MUE_ASSERT_INT_EQ(apply("{\"a\": 1}", "{\"a\": {\"quantity\": \"battery\", \"scale\": \"x\"}}"),
                      MUE_EDECODE);
    MUE_ASSERT_INT_EQ(apply("{\"a\": 1}", "[\"a\"]"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "decoded_map must be an object of path: quantity");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_plain_and_scaled_keys_become_readings),
        MUE_TEST(test_nested_paths_offsets_and_booleans),
        MUE_TEST(test_absent_keys_are_skipped_but_one_must_be_there),
        MUE_TEST(test_refusals_name_their_cause),
    };
    return mue_test_run("decoded", tests);
}
