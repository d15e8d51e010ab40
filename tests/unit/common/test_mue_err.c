/* test_mue_err.c - unit tests for mue_strerror: mue's own codes, -errno pass-through, the rest.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "mue_err.h"
#include "../mue_test.h"

static void test_ok_is_named_ok(void)
{
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_OK), "ok");
}

static void test_own_codes_have_their_own_names(void)
{
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_EDECODE), "malformed input");
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_EBUS), "message bus unavailable");
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_EDB), "database unavailable");
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_ECONFIG), "invalid configuration");
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_EAUTH), "authentication failed");
    MUE_ASSERT_STR_EQ(mue_strerror(MUE_EUNKNOWN), "not registered");
}

static void test_own_codes_sit_below_every_errno(void)
{
    MUE_ASSERT(MUE_EDECODE < -999);
    MUE_ASSERT(MUE_EUNKNOWN < -999);
    MUE_ASSERT_INT_EQ(MUE_ENOMEM, -ENOMEM);
    MUE_ASSERT_INT_EQ(MUE_EINVAL, -EINVAL);
    MUE_ASSERT_INT_EQ(MUE_ETIMEDOUT, -ETIMEDOUT);
    MUE_ASSERT_INT_EQ(MUE_ENOENT, -ENOENT);
    MUE_ASSERT_INT_EQ(MUE_E2BIG, -E2BIG);
}

static void test_negative_errno_is_named_by_strerror(void)
{
    char want[256];
    const int codes[] = { ENOMEM, EINVAL, ETIMEDOUT, ENOENT, E2BIG, ECONNREFUSED, EPIPE };

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        /* Copied first: strerror's buffer may be reused by the next call. */
        snprintf(want, sizeof(want), "%s", strerror(codes[i]));
        MUE_ASSERT_STR_EQ(mue_strerror(-codes[i]), want);
    }
}

static void test_codes_outside_both_ranges_are_unknown(void)
{
    MUE_ASSERT_STR_EQ(mue_strerror(-999999), "unknown error");
    MUE_ASSERT_STR_EQ(mue_strerror(-4096), "unknown error");
    MUE_ASSERT_STR_EQ(mue_strerror(7), "unknown error");
}

static void test_the_string_is_static_and_stable(void)
{
    const char *a = mue_strerror(MUE_EBUS);
    const char *b = mue_strerror(MUE_EDB);

    MUE_ASSERT_STR_EQ(a, "message bus unavailable");
    MUE_ASSERT_STR_EQ(b, "database unavailable");
    MUE_ASSERT(a == mue_strerror(MUE_EBUS));
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_ok_is_named_ok),
        MUE_TEST(test_own_codes_have_their_own_names),
        MUE_TEST(test_own_codes_sit_below_every_errno),
        MUE_TEST(test_negative_errno_is_named_by_strerror),
        MUE_TEST(test_codes_outside_both_ranges_are_unknown),
        MUE_TEST(test_the_string_is_static_and_stable),
    };
    return mue_test_run("mue_err", tests);
}
