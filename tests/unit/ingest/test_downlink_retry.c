/* test_downlink_retry.c - which failed API calls are tried again, and after how long.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "../mue_test.h"
#include "downlink.h"
#include "mue_err.h"

static void test_2xx_answers_are_accepted(void)
{
    MUE_ASSERT_INT_EQ(downlink_retry_classify(0, 200), DOWNLINK_ACCEPTED);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(0, 202), DOWNLINK_ACCEPTED);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(0, 204), DOWNLINK_ACCEPTED);
}

static void test_5xx_429_and_408_are_transient(void)
{
    static const int statuses[] = { 500, 502, 503, 504, 599, 429, 408 };

    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        MUE_ASSERT_INT_EQ(downlink_retry_classify(0, statuses[i]), DOWNLINK_TRANSIENT);
}

static void test_other_4xx_and_odd_statuses_are_refused(void)
{
    static const int statuses[] = { 400, 401, 403, 404, 409, 413, 422, 301, 100, 600 };

    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        MUE_ASSERT_INT_EQ(downlink_retry_classify(0, statuses[i]), DOWNLINK_REFUSED);
}

static void test_connection_failures_are_transient_and_bad_requests_are_not(void)
{
    MUE_ASSERT_INT_EQ(downlink_retry_classify(MUE_ETIMEDOUT, 0), DOWNLINK_TRANSIENT);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(-ECONNREFUSED, 0), DOWNLINK_TRANSIENT);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(-ECONNRESET, 0), DOWNLINK_TRANSIENT);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(-EHOSTUNREACH, 0), DOWNLINK_TRANSIENT);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(-EPROTO, 0), DOWNLINK_TRANSIENT);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(MUE_EINVAL, 0), DOWNLINK_REFUSED);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(MUE_ECONFIG, 0), DOWNLINK_REFUSED);
    MUE_ASSERT_INT_EQ(downlink_retry_classify(-EPROTONOSUPPORT, 0), DOWNLINK_REFUSED);
}

/* Both APIs make a new queue item per call: after a failure that may have queued one, the next
 * attempt must look first. */
static void test_failures_after_the_request_went_out_may_have_queued_it(void)
{
    MUE_ASSERT(downlink_retry_may_have_queued(MUE_ETIMEDOUT, 0, true));
    MUE_ASSERT(downlink_retry_may_have_queued(-ECONNRESET, 0, true));
    MUE_ASSERT(downlink_retry_may_have_queued(-ECONNRESET, 200, true)); /* broke inside the body */
    MUE_ASSERT(downlink_retry_may_have_queued(-EPROTO, 0, true));
    /* A proxy's word for a server that broke off or was too slow. */
    MUE_ASSERT(downlink_retry_may_have_queued(0, 502, true));
    MUE_ASSERT(downlink_retry_may_have_queued(0, 504, true));
}

static void test_failures_before_anything_went_out_or_refusals_did_not(void)
{
    static const int statuses[] = { 500, 503, 429, 408, 200, 201, 400, 404, 409 };

    MUE_ASSERT(!downlink_retry_may_have_queued(MUE_ETIMEDOUT, 0, false)); /* connect timeout */
    MUE_ASSERT(!downlink_retry_may_have_queued(-ECONNREFUSED, 0, false));
    MUE_ASSERT(!downlink_retry_may_have_queued(-EHOSTUNREACH, 0, false));
    MUE_ASSERT(!downlink_retry_may_have_queued(-ECONNRESET, 0, false)); /* broke while sending */
    MUE_ASSERT(!downlink_retry_may_have_queued(-EPROTO, 0, false));     /* TLS handshake */
    MUE_ASSERT(!downlink_retry_may_have_queued(MUE_EINVAL, 0, false));
    MUE_ASSERT(!downlink_retry_may_have_queued(-EPROTONOSUPPORT, 0, false));
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        MUE_ASSERT(!downlink_retry_may_have_queued(0, statuses[i], true));
}

/* With the random part at its extremes, the pause lies between half and all of base * 2^(n-1). */
static void test_delay_doubles_between_half_and_whole(void)
{
    long expect = 1000;

    for (uint32_t attempt = 1; attempt <= 6; attempt++, expect *= 2) {
        long lo = downlink_retry_delay_ms(attempt, 1000, 60000, -1, 0);
        long hi = downlink_retry_delay_ms(attempt, 1000, 60000, -1, (uint32_t)(expect / 2));
        MUE_ASSERT_INT_EQ(lo, expect / 2);
        MUE_ASSERT_INT_EQ(hi, expect);
        for (uint32_t r = 0; r < 5000; r += 7) {
            long d = downlink_retry_delay_ms(attempt, 1000, 60000, -1, r * 2654435761u);
            MUE_ASSERT(d >= expect / 2 && d <= expect);
        }
    }
}

static void test_delay_never_exceeds_the_cap_even_after_many_attempts(void)
{
    static const uint32_t attempts[] = { 7, 8, 20, 64, 100, 4294967295u };

    for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
        for (uint32_t r = 0; r < 1000; r++) {
            long d = downlink_retry_delay_ms(attempts[i], 1000, 60000, -1, r * 2654435761u);
            MUE_ASSERT(d >= 30000 && d <= 60000);
        }
    }
    /* A base larger than the cap is cut to the cap. */
    MUE_ASSERT(downlink_retry_delay_ms(1, 90000, 60000, -1, 0) == 30000);
}

static void test_jitter_spreads_the_retries(void)
{
    long seen_low = 0, seen_high = 0;

    for (uint32_t r = 0; r < 1000; r++) {
        long d = downlink_retry_delay_ms(4, 1000, 60000, -1, r * 2654435761u);
        seen_low += d < 6000;
        seen_high += d >= 6000;
    }
    MUE_ASSERT(seen_low > 300);
    MUE_ASSERT(seen_high > 300);
}

static void test_a_server_asking_for_more_time_gets_it_within_the_cap(void)
{
    MUE_ASSERT_INT_EQ(downlink_retry_delay_ms(1, 1000, 60000, 30000, 0), 30000);
    MUE_ASSERT_INT_EQ(downlink_retry_delay_ms(1, 1000, 60000, 3600000, 0), 60000);
    /* Asking for less than the backoff changes nothing. */
    MUE_ASSERT_INT_EQ(downlink_retry_delay_ms(3, 1000, 60000, 100, 0), 2000);
}

static void test_degenerate_settings_still_give_a_positive_pause(void)
{
    MUE_ASSERT(downlink_retry_delay_ms(0, 1000, 60000, -1, 0) >= 500);
    MUE_ASSERT(downlink_retry_delay_ms(1, 0, 60000, -1, 0) >= 0);
    MUE_ASSERT(downlink_retry_delay_ms(1, 1, 1, -1, 12345) <= 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_2xx_answers_are_accepted),
        MUE_TEST(test_5xx_429_and_408_are_transient),
        MUE_TEST(test_other_4xx_and_odd_statuses_are_refused),
        MUE_TEST(test_connection_failures_are_transient_and_bad_requests_are_not),
        MUE_TEST(test_failures_after_the_request_went_out_may_have_queued_it),
        MUE_TEST(test_failures_before_anything_went_out_or_refusals_did_not),
        MUE_TEST(test_delay_doubles_between_half_and_whole),
        MUE_TEST(test_delay_never_exceeds_the_cap_even_after_many_attempts),
        MUE_TEST(test_jitter_spreads_the_retries),
        MUE_TEST(test_a_server_asking_for_more_time_gets_it_within_the_cap),
        MUE_TEST(test_degenerate_settings_still_give_a_positive_pause),
    };
    return mue_test_run("downlink_retry", tests);
}
