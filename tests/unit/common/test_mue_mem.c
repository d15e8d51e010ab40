/* test_mue_mem.c - unit tests for the aborting allocators, on their paths that return.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_mem.h"
#include "../mue_test.h"

static void test_xstrdup_copies_into_new_memory(void)
{
    char src[] = "mue.uplink.chirpstack";
    char *copy = mue_xstrdup(src);

    MUE_ASSERT(copy != src);
    src[0] = 'X'; /* the copy does not follow the original */
    MUE_ASSERT_STR_EQ(copy, "mue.uplink.chirpstack");
    free(copy);
}

static void test_xstrdup_of_empty_string_is_empty_string(void)
{
    char *copy = mue_xstrdup("");

    MUE_ASSERT(copy != NULL);
    MUE_ASSERT_STR_EQ(copy, "");
    free(copy);
}

static void test_xstrndup_stops_at_n(void)
{
    char *copy = mue_xstrndup("abcdef", 3);

    MUE_ASSERT_STR_EQ(copy, "abc");
    MUE_ASSERT_UINT_EQ(strlen(copy), 3);
    free(copy);
}

static void test_xstrndup_stops_at_the_nul_when_shorter_than_n(void)
{
    char *copy = mue_xstrndup("ab", 100);

    MUE_ASSERT_STR_EQ(copy, "ab");
    free(copy);
}

static void test_xstrndup_of_zero_bytes_is_empty_string(void)
{
    char *copy = mue_xstrndup("abc", 0);

    MUE_ASSERT_STR_EQ(copy, "");
    free(copy);
}

static void test_xstrndup_reads_no_further_than_n(void)
{
    /* No NUL anywhere: reading past n would run off the array (ASan catches it). */
    char *src = malloc(4);
    char *copy;

    memcpy(src, "wxyz", 4);
    copy = mue_xstrndup(src, 4);
    MUE_ASSERT_STR_EQ(copy, "wxyz");
    free(copy);
    free(src);
}

static void test_xmalloc_of_zero_returns_usable_pointer(void)
{
    void *p = mue_xmalloc(0);

    MUE_ASSERT(p != NULL);
    free(p);
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

static void test_xcalloc_returns_zeroed_memory(void)
{
    /* Dirty the heap first so that recycled memory would show through. */
    for (int round = 0; round < 4; round++) {
        unsigned char *dirty = mue_xmalloc(4096);
        memset(dirty, 0xa5, 4096);
        free(dirty);
    }
    unsigned char *small = mue_xcalloc(64, 64);
    unsigned char *big = mue_xcalloc(1, (size_t)4 << 20);

    MUE_ASSERT(all_zero(small, 64 * 64));
    MUE_ASSERT(all_zero(big, (size_t)4 << 20));
    free(small);
    free(big);
}

static void test_xcalloc_of_zero_elements_returns_usable_pointer(void)
{
    void *a = mue_xcalloc(0, 16);
    void *b = mue_xcalloc(16, 0);

    MUE_ASSERT(a != NULL);
    MUE_ASSERT(b != NULL);
    free(a);
    free(b);
}

static void test_xrealloc_grows_and_keeps_the_contents(void)
{
    unsigned char *p = mue_xmalloc(16);

    for (size_t i = 0; i < 16; i++)
        p[i] = (unsigned char)i;
    p = mue_xrealloc(p, (size_t)1 << 20);
    for (size_t i = 0; i < 16; i++)
        MUE_ASSERT_UINT_EQ(p[i], i);
    p[((size_t)1 << 20) - 1] = 0xff; /* the new end is writable */
    MUE_ASSERT_UINT_EQ(p[((size_t)1 << 20) - 1], 0xff);
    free(p);
}

static void test_xrealloc_of_null_allocates(void)
{
    char *p = mue_xrealloc(NULL, 8);

    MUE_ASSERT(p != NULL);
    memcpy(p, "1234567", 8);
    MUE_ASSERT_STR_EQ(p, "1234567");
    free(p);
}

static void test_xrealloc_shrinks_and_keeps_the_prefix(void)
{
    char *p = mue_xstrdup("0123456789");

    p = mue_xrealloc(p, 4);
    p[3] = '\0';
    MUE_ASSERT_STR_EQ(p, "012");
    free(p);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_xstrdup_copies_into_new_memory),
        MUE_TEST(test_xstrdup_of_empty_string_is_empty_string),
        MUE_TEST(test_xstrndup_stops_at_n),
        MUE_TEST(test_xstrndup_stops_at_the_nul_when_shorter_than_n),
        MUE_TEST(test_xstrndup_of_zero_bytes_is_empty_string),
        MUE_TEST(test_xstrndup_reads_no_further_than_n),
        MUE_TEST(test_xmalloc_of_zero_returns_usable_pointer),
        MUE_TEST(test_xcalloc_returns_zeroed_memory),
        MUE_TEST(test_xcalloc_of_zero_elements_returns_usable_pointer),
        MUE_TEST(test_xrealloc_grows_and_keeps_the_contents),
        MUE_TEST(test_xrealloc_of_null_allocates),
        MUE_TEST(test_xrealloc_shrinks_and_keeps_the_prefix),
    };
    return mue_test_run("mue_mem", tests);
}
