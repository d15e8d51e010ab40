/* test_mue_buf.c - unit tests for the growable buffer: appends, printf, the ceiling, steal, reset.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "../mue_test.h"

static void test_init_starts_empty_with_its_ceiling(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 64);
    MUE_ASSERT(b.data == NULL);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    MUE_ASSERT_UINT_EQ(b.max, 64);
    mue_buf_fini(&b);
}

static void test_append_accumulates_and_terminates(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "abc", 3), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "defXXX", 3), MUE_OK);
    MUE_ASSERT_UINT_EQ(b.len, 6);
    MUE_ASSERT_STR_EQ(b.data, "abcdef");
    MUE_ASSERT(b.cap > b.len);
    mue_buf_fini(&b);
}

static void test_append_keeps_embedded_nul_bytes(void)
{
    struct mue_buf b;
    const char bytes[] = { 'a', '\0', 'b', '\xff' };

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, bytes, sizeof(bytes)), MUE_OK);
    MUE_ASSERT_UINT_EQ(b.len, 4);
    MUE_ASSERT(memcmp(b.data, bytes, 4) == 0);
    MUE_ASSERT_INT_EQ(b.data[4], '\0');
    mue_buf_fini(&b);
}

static void test_append_of_nothing_gives_an_empty_string(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, NULL, 0), MUE_OK);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    MUE_ASSERT_STR_EQ(b.data, "");
    mue_buf_fini(&b);
}

static void test_append_str_and_printf_append_text(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "count="), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%d %s", 42, "ok"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%s", ""), MUE_OK);
    MUE_ASSERT_STR_EQ(b.data, "count=42 ok");
    MUE_ASSERT_UINT_EQ(b.len, strlen("count=42 ok"));
    mue_buf_fini(&b);
}

static void test_grows_past_many_doublings(void)
{
    struct mue_buf b;
    char chunk[100];

    mue_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++) {
        memset(chunk, 'a' + i % 26, sizeof(chunk));
        MUE_ASSERT_INT_EQ(mue_buf_append(&b, chunk, sizeof(chunk)), MUE_OK);
    }
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%5000s|", "end"), MUE_OK);
    MUE_ASSERT_UINT_EQ(b.len, 100000 + 5001);
    MUE_ASSERT(b.cap > b.len);
    for (size_t i = 0; i < 100000; i++)
        MUE_ASSERT_INT_EQ(b.data[i], 'a' + (int)(i / 100 % 26));
    MUE_ASSERT_STR_EQ(b.data + 100000 + 4997, "end|");
    mue_buf_fini(&b);
}

static void test_append_up_to_the_ceiling_succeeds(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 8);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "1234", 4), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "5678"), MUE_OK);
    MUE_ASSERT_STR_EQ(b.data, "12345678");
    mue_buf_fini(&b);
}

static void test_append_past_the_ceiling_fails_and_leaves_the_buffer_unchanged(void)
{
    struct mue_buf b;
    char *data;
    size_t cap;

    mue_buf_init(&b, 8);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "123456", 6), MUE_OK);
    data = b.data;
    cap = b.cap;
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "789", 3), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "789"), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%d", 789), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "x", (size_t)-1), MUE_E2BIG);
    MUE_ASSERT(b.data == data);
    MUE_ASSERT_UINT_EQ(b.cap, cap);
    MUE_ASSERT_UINT_EQ(b.len, 6);
    MUE_ASSERT_STR_EQ(b.data, "123456");
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%d", 78), MUE_OK); /* what fits still goes in */
    MUE_ASSERT_STR_EQ(b.data, "12345678");
    mue_buf_fini(&b);
}

static void test_first_append_past_the_ceiling_allocates_nothing(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 4);
    MUE_ASSERT_INT_EQ(mue_buf_append(&b, "12345", 5), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(mue_buf_printf(&b, "%s", "12345"), MUE_E2BIG);
    MUE_ASSERT(b.data == NULL);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    mue_buf_fini(&b);
}

static void test_steal_hands_over_the_data_and_empties_the_buffer(void)
{
    struct mue_buf b;
    char *s;

    mue_buf_init(&b, 100);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "hello"), MUE_OK);
    s = mue_buf_steal(&b);
    MUE_ASSERT_STR_EQ(s, "hello");
    MUE_ASSERT(b.data == NULL);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    MUE_ASSERT_UINT_EQ(b.cap, 0);
    MUE_ASSERT_UINT_EQ(b.max, 100);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "again"), MUE_OK);
    MUE_ASSERT_STR_EQ(b.data, "again");
    MUE_ASSERT_STR_EQ(s, "hello");
    free(s);
    mue_buf_fini(&b);
}

static void test_steal_of_an_empty_buffer_returns_an_empty_string(void)
{
    struct mue_buf b;
    char *s;

    mue_buf_init(&b, 0);
    s = mue_buf_steal(&b);
    MUE_ASSERT(s != NULL);
    MUE_ASSERT_STR_EQ(s, "");
    free(s);
    mue_buf_fini(&b);
}

static void test_reset_empties_and_keeps_the_memory(void)
{
    struct mue_buf b;
    char *data;

    mue_buf_init(&b, 16);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "0123456789"), MUE_OK);
    data = b.data;
    mue_buf_reset(&b);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    MUE_ASSERT_STR_EQ(b.data, "");
    MUE_ASSERT(b.data == data);
    /* The ceiling counts from empty again. */
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "abcdefghijklmnop"), MUE_OK);
    MUE_ASSERT_STR_EQ(b.data, "abcdefghijklmnop");
    mue_buf_fini(&b);
}

static void test_reset_of_a_fresh_buffer_is_harmless(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 0);
    mue_buf_reset(&b);
    MUE_ASSERT(b.data == NULL);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    mue_buf_fini(&b);
}

static void test_fini_frees_and_leaves_a_reusable_buffer(void)
{
    struct mue_buf b;

    mue_buf_init(&b, 32);
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "x"), MUE_OK);
    mue_buf_fini(&b);
    MUE_ASSERT(b.data == NULL);
    MUE_ASSERT_UINT_EQ(b.len, 0);
    MUE_ASSERT_UINT_EQ(b.max, 32);
    mue_buf_fini(&b); /* twice is fine */
    MUE_ASSERT_INT_EQ(mue_buf_append_str(&b, "y"), MUE_OK);
    MUE_ASSERT_STR_EQ(b.data, "y");
    mue_buf_fini(&b);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_init_starts_empty_with_its_ceiling),
        MUE_TEST(test_append_accumulates_and_terminates),
        MUE_TEST(test_append_keeps_embedded_nul_bytes),
        MUE_TEST(test_append_of_nothing_gives_an_empty_string),
        MUE_TEST(test_append_str_and_printf_append_text),
        MUE_TEST(test_grows_past_many_doublings),
        MUE_TEST(test_append_up_to_the_ceiling_succeeds),
        MUE_TEST(test_append_past_the_ceiling_fails_and_leaves_the_buffer_unchanged),
        MUE_TEST(test_first_append_past_the_ceiling_allocates_nothing),
        MUE_TEST(test_steal_hands_over_the_data_and_empties_the_buffer),
        MUE_TEST(test_steal_of_an_empty_buffer_returns_an_empty_string),
        MUE_TEST(test_reset_empties_and_keeps_the_memory),
        MUE_TEST(test_reset_of_a_fresh_buffer_is_harmless),
        MUE_TEST(test_fini_frees_and_leaves_a_reusable_buffer),
    };
    return mue_test_run("mue_buf", tests);
}
