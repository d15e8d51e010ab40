/* test_ratelimit_spend.c - a budget spent only on failures (made-up keys): a burst, then refused
 * until it refills; asking spends nothing; addresses apart; asking never frees a slot taken by a
 * failure.
 * SPDX-License-Identifier: MIT */
#include "ratelimit.h"
#include "../mue_test.h"

static void test_a_burst_of_failures_then_the_address_is_exhausted(void)
{
    struct ratelimit *b = ratelimit_new(1.0, 3.0);

    for (int i = 0; i < 3; i++) {
        MUE_ASSERT(!ratelimit_exhausted(b, "192.0.2.1", 1000));
        ratelimit_spend(b, "192.0.2.1", 1000);
    }
    MUE_ASSERT(ratelimit_exhausted(b, "192.0.2.1", 1000));
    ratelimit_free(b);
}

static void test_asking_spends_nothing(void)
{
    struct ratelimit *b = ratelimit_new(1.0, 1.0);

    for (int i = 0; i < 100; i++)
        MUE_ASSERT(!ratelimit_exhausted(b, "192.0.2.1", 0));
    ratelimit_spend(b, "192.0.2.1", 0);
    MUE_ASSERT(ratelimit_exhausted(b, "192.0.2.1", 0));
    ratelimit_free(b);
}

static void test_the_budget_refills_at_the_rate_up_to_the_burst(void)
{
    struct ratelimit *b = ratelimit_new(2.0, 2.0);

    ratelimit_spend(b, "a", 0);
    ratelimit_spend(b, "a", 0);
    MUE_ASSERT(ratelimit_exhausted(b, "a", 0));
    MUE_ASSERT(ratelimit_exhausted(b, "a", 400)); /* 0.8 of a failure back */
    MUE_ASSERT(!ratelimit_exhausted(b, "a", 500));
    ratelimit_spend(b, "a", 500);
    MUE_ASSERT(ratelimit_exhausted(b, "a", 500));
    /* a long pause gives back the burst, never more */
    ratelimit_spend(b, "a", 100000);
    ratelimit_spend(b, "a", 100000);
    MUE_ASSERT(ratelimit_exhausted(b, "a", 100000));
    ratelimit_free(b);
}

static void test_addresses_have_their_own_budget(void)
{
    struct ratelimit *b = ratelimit_new(1.0, 1.0);

    ratelimit_spend(b, "192.0.2.1", 0);
    MUE_ASSERT(ratelimit_exhausted(b, "192.0.2.1", 0));
    MUE_ASSERT(!ratelimit_exhausted(b, "192.0.2.2", 0));
    MUE_ASSERT(!ratelimit_exhausted(b, "2001:db8::1", 0));
    ratelimit_free(b);
}

/* Many addresses asking (valid keys) must not wash out one that failed. */
static void test_asking_never_pushes_out_a_failed_address(void)
{
    struct ratelimit *b = ratelimit_new(1.0, 1.0);
    char addr[32];

    ratelimit_spend(b, "198.51.100.7", 0);
    for (int i = 0; i < 5000; i++) {
        snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 256, i % 256);
        MUE_ASSERT(!ratelimit_exhausted(b, addr, 0));
    }
    MUE_ASSERT(ratelimit_exhausted(b, "198.51.100.7", 0));
    ratelimit_free(b);
}

static void test_free_of_null_is_fine(void)
{
    ratelimit_free(NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_burst_of_failures_then_the_address_is_exhausted),
        MUE_TEST(test_asking_spends_nothing),
        MUE_TEST(test_the_budget_refills_at_the_rate_up_to_the_burst),
        MUE_TEST(test_addresses_have_their_own_budget),
        MUE_TEST(test_asking_never_pushes_out_a_failed_address),
        MUE_TEST(test_free_of_null_is_fine),
    };
    return mue_test_run("ratelimit_spend", tests);
}
