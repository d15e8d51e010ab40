/* mue_test.h - the in-house unit test runner: a table of tests, values printed on failure.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_TEST_H
#define MUE_TEST_H

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

struct mue_test {
    const char *name;
    void (*fn)(void);
};

#define MUE_TEST(fn)                                                                               \
    {                                                                                              \
#fn, fn                                                                                    \
    }

static jmp_buf mue_test_jmp;
static int mue_test_failed_now;

static inline void mue_test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, what);
    mue_test_failed_now = 1;
    longjmp(mue_test_jmp, 1);
}

#define MUE_ASSERT(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            mue_test_fail(__FILE__, __LINE__, "assertion failed: " #cond);                         \
    } while (0)

#define MUE_ASSERT_INT_EQ(a, b)                                                                    \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            char m_[512];                                                                          \
            snprintf(m_, sizeof(m_), "%s == %s: %lld != %lld", #a, #b, a_, b_);                    \
            mue_test_fail(__FILE__, __LINE__, m_);                                                 \
        }                                                                                          \
    } while (0)

#define MUE_ASSERT_UINT_EQ(a, b)                                                                   \
    do {                                                                                           \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);             \
        if (a_ != b_) {                                                                            \
            char m_[512];                                                                          \
            snprintf(m_, sizeof(m_), "%s == %s: %llu != %llu", #a, #b, a_, b_);                    \
            mue_test_fail(__FILE__, __LINE__, m_);                                                 \
        }                                                                                          \
    } while (0)

/* Compares doubles within an absolute tolerance. */
#define MUE_ASSERT_DBL_NEAR(a, b, tol)                                                             \
    do {                                                                                           \
        double a_ = (double)(a), b_ = (double)(b);                                                 \
        if (!(fabs(a_ - b_) <= (tol))) {                                                           \
            char m_[512];                                                                          \
            snprintf(m_, sizeof(m_), "%s ~= %s: %.17g != %.17g", #a, #b, a_, b_);                  \
            mue_test_fail(__FILE__, __LINE__, m_);                                                 \
        }                                                                                          \
    } while (0)

#define MUE_ASSERT_STR_EQ(a, b)                                                                    \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                                     \
            char m_[1024];                                                                         \
            snprintf(m_, sizeof(m_), "%s == %s: \"%.400s\" != \"%.400s\"", #a, #b,                 \
                     a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                      \
            mue_test_fail(__FILE__, __LINE__, m_);                                                 \
        }                                                                                          \
    } while (0)

/* Runs every test of the table, each to its end or its first failed assertion, and prints
 * "<suite>: N passed, N failed". Returns the exit status for main(). */
#define mue_test_run(suite, table) mue_test_run_(suite, table, sizeof(table) / sizeof(table[0]))

static inline int mue_test_run_(const char *suite, const struct mue_test *t, size_t n)
{
    /* volatile: they live across setjmp/longjmp. */
    volatile int passed = 0, failed = 0;
    for (volatile size_t i = 0; i < n; i++) {
        mue_test_failed_now = 0;
        if (setjmp(mue_test_jmp) == 0)
            t[i].fn();
        if (mue_test_failed_now) {
            fprintf(stderr, "  in %s.%s\n", suite, t[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}

#endif
