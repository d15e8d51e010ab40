/* test_ratelimit.c - the public's token buckets: a burst, then refusals, a steady refill, and
 * addresses that do not share their budget.
 * SPDX-License-Identifier: MIT */
#include "ratelimit.h"
#include "../mue_test.h"

static void test_a_burst_then_refusals(void)
{
    struct ratelimit *rl = ratelimit_new(1.0, 5.0);
    int allowed = 0;

    for (int i = 0; i < 12; i++)
        allowed += ratelimit_allow(rl, "192.0.2.1", 1000);
    MUE_ASSERT_INT_EQ(allowed, 5);
    ratelimit_free(rl);
}

static void test_the_bucket_refills_at_the_rate(void)
{
    struct ratelimit *rl = ratelimit_new(2.0, 2.0);

    MUE_ASSERT(ratelimit_allow(rl, "a", 0));
    MUE_ASSERT(ratelimit_allow(rl, "a", 0));
    MUE_ASSERT(!ratelimit_allow(rl, "a", 0));
    MUE_ASSERT(!ratelimit_allow(rl, "a", 400)); /* 0.8 of a request came back */
    MUE_ASSERT(ratelimit_allow(rl, "a", 500));  /* 1.0 */
    MUE_ASSERT(!ratelimit_allow(rl, "a", 500));
    /* A long pause gives the burst back, never more. */
    MUE_ASSERT(ratelimit_allow(rl, "a", 100000));
    MUE_ASSERT(ratelimit_allow(rl, "a", 100000));
    MUE_ASSERT(!ratelimit_allow(rl, "a", 100000));
    ratelimit_free(rl);
}

static void test_addresses_have_their_own_budget(void)
{
    struct ratelimit *rl = ratelimit_new(1.0, 1.0);

    MUE_ASSERT(ratelimit_allow(rl, "192.0.2.1", 0));
    MUE_ASSERT(!ratelimit_allow(rl, "192.0.2.1", 0));
    MUE_ASSERT(ratelimit_allow(rl, "192.0.2.2", 0));
    MUE_ASSERT(ratelimit_allow(rl, "2001:db8::1", 0));
    ratelimit_free(rl);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_burst_then_refusals),
        MUE_TEST(test_the_bucket_refills_at_the_rate),
        MUE_TEST(test_addresses_have_their_own_budget),
    };

    return mue_test_run("ratelimit", tests);
}
