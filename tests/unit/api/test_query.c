/* test_query.c - the values of mue-api's query strings: decoding, sizes, an encoded NUL (found by
 * tests/fuzz/fuzz_api_query.c), whole numbers, pages, DevEUIs and the checkers of names, months,
 * dates and INSEE codes.
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <string.h>

#include "../mue_test.h"
#include "query.h"

static void test_values_are_url_decoded_and_names_match_in_any_case(void)
{
    char buf[32];

    MUE_ASSERT_INT_EQ(query_get("use_case=wa%73te&quantity=fill+level", "use_case", buf, 32), 1);
    MUE_ASSERT_STR_EQ(buf, "waste");
    MUE_ASSERT_INT_EQ(query_get("use_case=wa%73te&quantity=fill+level", "quantity", buf, 32), 1);
    MUE_ASSERT_STR_EQ(buf, "fill level");
    MUE_ASSERT_INT_EQ(query_get("FORMAT=json&format=csv", "format", buf, 32), 1);
    MUE_ASSERT_STR_EQ(buf, "json"); /* the first occurrence */
    MUE_ASSERT_INT_EQ(query_get("limit=&offset=2", "limit", buf, 32), 1);
    MUE_ASSERT_STR_EQ(buf, "");
}

static void test_absent_parameters_are_absent(void)
{
    char buf[32];

    MUE_ASSERT_INT_EQ(query_get(NULL, "limit", buf, sizeof(buf)), 0);
    MUE_ASSERT_INT_EQ(query_get("", "limit", buf, sizeof(buf)), 0);
    MUE_ASSERT_INT_EQ(query_get("xlimit=1&limits=2", "limit", buf, sizeof(buf)), 0);
    MUE_ASSERT_INT_EQ(query_get("limit", "limit", buf, sizeof(buf)), 0);
}

static void test_a_value_too_long_is_refused_not_cut(void)
{
    char buf[8];

    MUE_ASSERT_INT_EQ(query_get("state=acknowledged", "state", buf, sizeof(buf)), -1);
    MUE_ASSERT_INT_EQ(query_get("state=resolve", "state", buf, sizeof(buf)), 1);
    MUE_ASSERT_STR_EQ(buf, "resolve");
    MUE_ASSERT_INT_EQ(query_get("state=resolved", "state", buf, sizeof(buf)), -1);
}

/* The fuzzer's find: "limit=%00" read as an empty limit in a large buffer but refused in a small
 * one; and "dev_eui=<16 digits>%00junk" passed as the DevEUI. An encoded NUL is refused. */
static void test_a_value_holding_an_encoded_nul_is_refused(void)
{
    static const char found[] = "stage=normalizer&code=decode\xa3_failed&limit=%00"
                                "&dev_eui=ffffffffffff0001";
    char buf[128];

    MUE_ASSERT_INT_EQ(query_get(found, "limit", buf, sizeof(buf)), -1);
    MUE_ASSERT_INT_EQ(query_get(found, "limit", buf, 1), -1);
    MUE_ASSERT_INT_EQ(query_get(found, "dev_eui", buf, sizeof(buf)), 1);
    MUE_ASSERT_STR_EQ(buf, "ffffffffffff0001");
    MUE_ASSERT_INT_EQ(query_get("dev_eui=a84041000181854b%00junk", "dev_eui", buf, 40), -1);
    MUE_ASSERT_INT_EQ(query_get("use_case=%00", "use_case", buf, 40), -1);
}

static void test_whole_numbers_in_range(void)
{
    long v = 7;

    MUE_ASSERT_INT_EQ(query_long("1000", 1, 1000, &v), 0);
    MUE_ASSERT_INT_EQ(v, 1000);
    MUE_ASSERT_INT_EQ(query_long("+5", 1, 1000, &v), 0); /* as strtol reads it */
    MUE_ASSERT_INT_EQ(v, 5);
    v = 7;
    MUE_ASSERT_INT_EQ(query_long("1001", 1, 1000, &v), -1);
    MUE_ASSERT_INT_EQ(query_long("0", 1, 1000, &v), -1);
    MUE_ASSERT_INT_EQ(query_long("", 1, 1000, &v), -1);
    MUE_ASSERT_INT_EQ(query_long("12abc", 1, 1000, &v), -1);
    MUE_ASSERT_INT_EQ(query_long("99999999999999999999", 1, LONG_MAX, &v), -1);
    MUE_ASSERT_INT_EQ(v, 7); /* untouched */
}

static void test_pages_have_defaults_and_bounds(void)
{
    char why[96] = "";
    long limit = 0, offset = -1;

    MUE_ASSERT_INT_EQ(query_page(NULL, &limit, &offset, why, sizeof(why)), 0);
    MUE_ASSERT_INT_EQ(limit, 100);
    MUE_ASSERT_INT_EQ(offset, 0);
    MUE_ASSERT_INT_EQ(query_page("limit=1000&offset=1000000000", &limit, &offset, why, 96), 0);
    MUE_ASSERT_INT_EQ(limit, 1000);
    MUE_ASSERT_INT_EQ(offset, 1000000000L);
    MUE_ASSERT_INT_EQ(query_page("limit=1001", &limit, &offset, why, sizeof(why)), -1);
    MUE_ASSERT_STR_EQ(why, "limit must be a whole number from 1 to 1000");
    MUE_ASSERT_INT_EQ(query_page("limit=2&offset=-1", &limit, &offset, why, sizeof(why)), -1);
    MUE_ASSERT_STR_EQ(why, "offset must be a whole number from 0");
}

static void test_dev_euis_are_sixteen_hex_digits_lower_cased(void)
{
    char out[17] = "untouched";

    MUE_ASSERT_INT_EQ(query_dev_eui("A84041000181854B", out), 0);
    MUE_ASSERT_STR_EQ(out, "a84041000181854b");
    memcpy(out, "untouched", 10);
    MUE_ASSERT_INT_EQ(query_dev_eui("a84041000181854", out), -1);
    MUE_ASSERT_INT_EQ(query_dev_eui("a84041000181854b0", out), -1);
    MUE_ASSERT_INT_EQ(query_dev_eui("g84041000181854b", out), -1);
    MUE_ASSERT_STR_EQ(out, "untouched");
}

static void test_names_months_dates_and_communes(void)
{
    MUE_ASSERT(query_use_case_is_valid("waste"));
    MUE_ASSERT(query_use_case_is_valid("heat_2"));
    MUE_ASSERT(!query_use_case_is_valid("Waste"));
    MUE_ASSERT(!query_use_case_is_valid("2heat"));
    MUE_ASSERT(!query_use_case_is_valid("abcdefghijklmnopqrstuvwxyz0123456"));
    MUE_ASSERT(query_quantity_is_valid("LAeq"));
    MUE_ASSERT(!query_quantity_is_valid("_fill"));
    MUE_ASSERT(query_month_is_valid("2026-11"));
    MUE_ASSERT(!query_month_is_valid("1969-12"));
    MUE_ASSERT(!query_month_is_valid("2026-13"));
    MUE_ASSERT(query_date_is_valid("2024-02-29"));
    MUE_ASSERT(!query_date_is_valid("2026-02-29"));
    MUE_ASSERT(!query_date_is_valid("1900-02-29"));
    MUE_ASSERT(query_date_is_valid("2000-02-29"));
    MUE_ASSERT(!query_date_is_valid("2026-04-31"));
    MUE_ASSERT(!query_date_is_valid("0000-01-01"));
    MUE_ASSERT(query_insee_is_valid("13001"));
    MUE_ASSERT(query_insee_is_valid("2A004"));
    MUE_ASSERT(!query_insee_is_valid("2C004"));
    MUE_ASSERT(!query_insee_is_valid("1300"));
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_values_are_url_decoded_and_names_match_in_any_case),
        MUE_TEST(test_absent_parameters_are_absent),
        MUE_TEST(test_a_value_too_long_is_refused_not_cut),
        MUE_TEST(test_a_value_holding_an_encoded_nul_is_refused),
        MUE_TEST(test_whole_numbers_in_range),
        MUE_TEST(test_pages_have_defaults_and_bounds),
        MUE_TEST(test_dev_euis_are_sixteen_hex_digits_lower_cased),
        MUE_TEST(test_names_months_dates_and_communes),
    };
    return mue_test_run("query", tests);
}
