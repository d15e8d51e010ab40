/* test_downlink_ledger.c - the keys the forwarder writes its marks under: valid KV keys whatever
 * the request id holds. (The marks themselves: tests/integration/ingest/test_downlink_forward.c.)
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "../mue_test.h"
#include "downlink_ledger.h"
#include "mue_err.h"

/* JetStream's KV keys: A-Z a-z 0-9 - _ / = and inner dots, at most 255 characters. */
static int is_kv_key(const char *k)
{
    size_t n = strlen(k);

    if (n == 0 || n > 255 || k[0] == '.' || k[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_/=.", k[i]) ==
            NULL)
            return 0;
    return 1;
}

static void test_a_key_is_the_prefix_and_the_sha256_of_the_id_in_hex(void)
{
    char key[DOWNLINK_LEDGER_KEY_CAP];

    /* sha256sum of the id, computed apart. */
    MUE_ASSERT_INT_EQ(
        downlink_ledger_key("sent", "admin:70b3d5e75e001a2b:1750000000000000", key, sizeof(key)),
        MUE_OK);
    MUE_ASSERT_STR_EQ(key, "sent.1afb4cbff60c547395b7b6c1136183535f23b7052bfde8136e3bac36b44846c7");
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sending", "x", key, sizeof(key)), MUE_OK);
    MUE_ASSERT_STR_EQ(key,
                      "sending.2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
}

static void test_ids_with_characters_keys_refuse_still_make_valid_keys(void)
{
    static const char *const ids[] = {
        "admin:70b3d5e75e001a2b:1750000000000000",
        "a.b..c",
        ".",
        "lighting/cmd=42",
        "*>",
        "\"quoted\"",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aa",
    };
    char key[DOWNLINK_LEDGER_KEY_CAP];

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        MUE_ASSERT_INT_EQ(downlink_ledger_key("sending", ids[i], key, sizeof(key)), MUE_OK);
        MUE_ASSERT(is_kv_key(key));
        MUE_ASSERT_UINT_EQ(strlen(key), strlen("sending.") + 64);
    }
}

static void test_two_ids_get_two_keys(void)
{
    char a[DOWNLINK_LEDGER_KEY_CAP], b[DOWNLINK_LEDGER_KEY_CAP];

    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", "admin:70b3d5e75e001a2b:1", a, sizeof(a)), 0);
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", "admin:70b3d5e75e001a2b:2", b, sizeof(b)), 0);
    MUE_ASSERT(strcmp(a, b) != 0);
}

static void test_a_buffer_too_small_is_e2big(void)
{
    char key[40] = "";

    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", "x", key, sizeof(key)), MUE_E2BIG);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_key_is_the_prefix_and_the_sha256_of_the_id_in_hex),
        MUE_TEST(test_ids_with_characters_keys_refuse_still_make_valid_keys),
        MUE_TEST(test_two_ids_get_two_keys),
        MUE_TEST(test_a_buffer_too_small_is_e2big),
    };
    return mue_test_run("downlink_ledger", tests);
}
