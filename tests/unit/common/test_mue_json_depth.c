/* test_mue_json_depth.c - the nesting scan: levels counted outside strings, the limit exact, a
 * deep text stopped early, the process's limit settable.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "mue_json_depth.h"
#include "../mue_test.h"

/* n '[' then n ']' in a buffer the caller frees. */
static char *nested(int n)
{
    char *s = malloc((size_t)n * 2 + 1);

    for (int i = 0; i < n; i++) {
        s[i] = '[';
        s[n + i] = ']';
    }
    s[2 * n] = '\0';
    return s;
}

static void test_exactly_the_limit_is_fine_one_more_is_too_deep(void)
{
    char *at = nested(32), *over = nested(33);

    MUE_ASSERT(!mue_json_deeper_than(at, strlen(at), 32));
    MUE_ASSERT(mue_json_deeper_than(over, strlen(over), 32));
    free(at);
    free(over);
}

static void test_objects_and_arrays_both_count(void)
{
    const char *text = "{\"a\":[{\"b\":[1]}]}"; /* 4 levels */

    MUE_ASSERT(!mue_json_deeper_than(text, strlen(text), 4));
    MUE_ASSERT(mue_json_deeper_than(text, strlen(text), 3));
}

static void test_siblings_do_not_add_up(void)
{
    const char *text = "[[1],[2],[3],{\"x\":[4]}]"; /* never deeper than 3 */

    MUE_ASSERT(!mue_json_deeper_than(text, strlen(text), 3));
    MUE_ASSERT(mue_json_deeper_than(text, strlen(text), 2));
}

static void test_brackets_inside_strings_do_not_count(void)
{
    const char *text = "{\"k\":\"[[[[{{{{\",\"q\":\"\\\"[[[[\"}"; /* an escaped quote too */

    MUE_ASSERT(!mue_json_deeper_than(text, strlen(text), 1));
}

static void test_only_len_bytes_are_read(void)
{
    const char *text = "[[]][[[[[[[[";

    MUE_ASSERT(!mue_json_deeper_than(text, 4, 2));
    MUE_ASSERT(mue_json_deeper_than(text, strlen(text), 2));
}

static void test_stray_closers_never_go_below_zero(void)
{
    const char *text = "]]]]]][[";

    MUE_ASSERT(!mue_json_deeper_than(text, strlen(text), 2));
    MUE_ASSERT(mue_json_deeper_than(text, strlen(text), 1));
}

static void test_null_or_empty_is_not_deep(void)
{
    MUE_ASSERT(!mue_json_deeper_than(NULL, 10, 1));
    MUE_ASSERT(!mue_json_deeper_than("", 0, 1));
}

/* A megabyte of '[' is refused as soon as level 33 opens. */
static void test_a_megabyte_of_brackets_is_refused(void)
{
    size_t n = 1 << 20;
    char *s = malloc(n);

    memset(s, '[', n);
    MUE_ASSERT(mue_json_deeper_than(s, n, 32));
    free(s);
}

static void test_the_process_limit_defaults_to_32_and_can_be_set(void)
{
    char *at = nested(32), *five = nested(5);

    MUE_ASSERT_INT_EQ(mue_json_depth_limit(), MUE_JSON_DEPTH_DEFAULT);
    MUE_ASSERT_INT_EQ(MUE_JSON_DEPTH_DEFAULT, 32);
    MUE_ASSERT(!mue_json_too_deep(at, strlen(at)));
    mue_json_depth_set_limit(4);
    MUE_ASSERT_INT_EQ(mue_json_depth_limit(), 4);
    MUE_ASSERT(mue_json_too_deep(five, strlen(five)));
    mue_json_depth_set_limit(0); /* below 1: 1 */
    MUE_ASSERT_INT_EQ(mue_json_depth_limit(), 1);
    mue_json_depth_set_limit(MUE_JSON_DEPTH_DEFAULT);
    free(at);
    free(five);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_exactly_the_limit_is_fine_one_more_is_too_deep),
        MUE_TEST(test_objects_and_arrays_both_count),
        MUE_TEST(test_siblings_do_not_add_up),
        MUE_TEST(test_brackets_inside_strings_do_not_count),
        MUE_TEST(test_only_len_bytes_are_read),
        MUE_TEST(test_stray_closers_never_go_below_zero),
        MUE_TEST(test_null_or_empty_is_not_deep),
        MUE_TEST(test_a_megabyte_of_brackets_is_refused),
        MUE_TEST(test_the_process_limit_defaults_to_32_and_can_be_set),
    };
    return mue_test_run("mue_json_depth", tests);
}
