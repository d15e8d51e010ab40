/* test_mue_redact.c - unit tests for the credentials of URLs kept out of logs.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "mue_redact.h"
#include "../mue_test.h"

static const char *redact(const char *in)
{
    static char out[256];
    return mue_redact_url(out, sizeof(out), in);
}

static void test_hides_a_user_and_password(void)
{
    MUE_ASSERT_STR_EQ(redact("nats://mue:hunter2@nats:4222"), "nats://***@nats:4222");
}

static void test_hides_a_token_alone(void)
{
    MUE_ASSERT_STR_EQ(redact("https://tok3n@ckan.example.org/api/3"),
                      "https://***@ckan.example.org/api/3");
}

static void test_hides_each_url_of_a_list(void)
{
    MUE_ASSERT_STR_EQ(redact("nats://a:b@n1:4222,nats://n2:4222, nats://c@n3"),
                      "nats://***@n1:4222,nats://n2:4222, nats://***@n3");
}

static void test_a_password_holding_an_at_sign_is_hidden_whole(void)
{
    MUE_ASSERT_STR_EQ(redact("postgresql://u:p@ss@db:5432/mue"), "postgresql://***@db:5432/mue");
}

static void test_leaves_urls_without_credentials_and_other_text_alone(void)
{
    MUE_ASSERT_STR_EQ(redact("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
    MUE_ASSERT_STR_EQ(redact("http://host/path/a@b?x=y@z#f@g"), "http://host/path/a@b?x=y@z#f@g");
    MUE_ASSERT_STR_EQ(redact("alertes@mue.test"), "alertes@mue.test");
    MUE_ASSERT_STR_EQ(redact(""), "");
}

static void test_cuts_to_the_buffer_and_still_hides(void)
{
    char out[12];

    MUE_ASSERT_STR_EQ(mue_redact_url(out, sizeof(out), "nats://user:secret@host"), "nats://***@");
    MUE_ASSERT_STR_EQ(mue_redact_url(out, 9, "nats://user:secret@host"), "nats://*");
    MUE_ASSERT_STR_EQ(mue_redact_url(out, 5, "nats://user:secret@host"), "nats");
    out[0] = 'x';
    mue_redact_url(out, 1, "nats://user:secret@host");
    MUE_ASSERT_STR_EQ(out, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_hides_a_user_and_password),
        MUE_TEST(test_hides_a_token_alone),
        MUE_TEST(test_hides_each_url_of_a_list),
        MUE_TEST(test_a_password_holding_an_at_sign_is_hidden_whole),
        MUE_TEST(test_leaves_urls_without_credentials_and_other_text_alone),
        MUE_TEST(test_cuts_to_the_buffer_and_still_hides),
    };
    return mue_test_run("mue_redact", tests);
}
