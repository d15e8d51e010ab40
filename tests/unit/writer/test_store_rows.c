/* test_store_rows.c - which measurement rows the writer accepts to store.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "../mue_test.h"
#include "store.h"

static int valid_in(const char *use_case, const char *quantity, int64_t time_us, double value)
{
    struct store_row r = { 1, quantity, time_us, value, use_case };
    return store_row_is_valid(&r);
}

static int valid(const char *quantity, int64_t time_us, double value)
{
    return valid_in("waste", quantity, time_us, value);
}

static void test_vocabulary_names_are_valid(void)
{
    MUE_ASSERT_INT_EQ(valid("fill_level", 1658136855775023LL, 17.45), 1);
    MUE_ASSERT_INT_EQ(valid("l90", 0, -3), 1);
    MUE_ASSERT_INT_EQ(valid("LAeq", 0, 61.5), 1); /* sound levels keep their capitals */
}

static void test_names_that_could_break_copy_text_are_refused(void)
{
    MUE_ASSERT_INT_EQ(valid("fill\tlevel", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("fill\nlevel", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("fill-level", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("fill level", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("a\\b", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("", 1, 1), 0);
    MUE_ASSERT_INT_EQ(valid(NULL, 1, 1), 0);
    MUE_ASSERT_INT_EQ(
        valid("a123456789012345678901234567890123456789012345678901234567890123", 1, 1), 0);
}

static void test_use_cases_must_be_lowercase_names_that_start_with_a_letter(void)
{
    MUE_ASSERT_INT_EQ(valid_in("heat", "temperature", 1, 20), 1);
    MUE_ASSERT_INT_EQ(valid_in("Heat", "temperature", 1, 20), 0);
    MUE_ASSERT_INT_EQ(valid_in("1heat", "temperature", 1, 20), 0);
    MUE_ASSERT_INT_EQ(valid_in("he'at", "temperature", 1, 20), 0);
    MUE_ASSERT_INT_EQ(valid_in("", "temperature", 1, 20), 0);
    MUE_ASSERT_INT_EQ(valid_in(NULL, "temperature", 1, 20), 0);
}

static void test_non_finite_values_and_times_out_of_range_are_refused(void)
{
    MUE_ASSERT_INT_EQ(valid("battery", 1, NAN), 0);
    MUE_ASSERT_INT_EQ(valid("battery", 1, INFINITY), 0);
    MUE_ASSERT_INT_EQ(valid("battery", -1, 1), 0);
    MUE_ASSERT_INT_EQ(valid("battery", 253402300800000000LL, 1), 0);
    MUE_ASSERT_INT_EQ(valid("battery", 253402300799999999LL, 1), 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vocabulary_names_are_valid),
        MUE_TEST(test_names_that_could_break_copy_text_are_refused),
        MUE_TEST(test_use_cases_must_be_lowercase_names_that_start_with_a_letter),
        MUE_TEST(test_non_finite_values_and_times_out_of_range_are_refused),
    };
    return mue_test_run("store_rows", tests);
}
