/* test_mue_signal.c - unit tests for the stop flag set by SIGTERM and SIGINT, and its sleep.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mue_signal.h"
#include "../mue_test.h"

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Once SIGTERM arrived this process stays "stopping": the tests that raise it here come last. */
static void test_not_stopping_before_any_signal(void)
{
    mue_signal_init();
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 0);
}

static void test_sleep_sleeps_the_whole_time_without_a_signal(void)
{
    long long t0 = mono_ms(), took;

    MUE_ASSERT_INT_EQ(mue_signal_sleep_ms(120), 0);
    took = mono_ms() - t0;
    MUE_ASSERT(took >= 115);
    MUE_ASSERT(took < 1000);
    MUE_ASSERT_INT_EQ(mue_signal_sleep_ms(0), 0);
    MUE_ASSERT_INT_EQ(mue_signal_sleep_ms(-5), 0);
}

static void test_sigpipe_is_ignored(void)
{
    struct sigaction sa;

    MUE_ASSERT_INT_EQ(sigaction(SIGPIPE, NULL, &sa), 0);
    MUE_ASSERT(sa.sa_handler == SIG_IGN);
    MUE_ASSERT_INT_EQ(raise(SIGPIPE), 0); /* still alive */
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 0);
}

/* SIGINT in a child, so this process is not yet stopping. */
static void test_sigint_sets_stopping_in_a_child(void)
{
    int status = -1;
    pid_t pid = fork();

    MUE_ASSERT(pid >= 0);
    if (pid == 0) {
        mue_signal_init();
        if (mue_signal_stopping())
            _exit(3);
        raise(SIGINT);
        _exit(mue_signal_stopping() && mue_signal_sleep_ms(10000) == 1 ? 0 : 4);
    }
    MUE_ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
    MUE_ASSERT(WIFEXITED(status));
    MUE_ASSERT_INT_EQ(WEXITSTATUS(status), 0);
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 0);
}

static void *send_sigterm_later(void *arg)
{
    struct timespec ts = { 0, 150 * 1000000L };
    (void)arg;
    nanosleep(&ts, NULL);
    kill(getpid(), SIGTERM); /* to the process: any thread may take it */
    return NULL;
}

static void test_sleep_returns_early_when_sigterm_arrives_during_it(void)
{
    pthread_t th;
    long long t0, took;
    int rc;

    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 0);
    MUE_ASSERT_INT_EQ(pthread_create(&th, NULL, send_sigterm_later, NULL), 0);
    t0 = mono_ms();
    rc = mue_signal_sleep_ms(10000);
    took = mono_ms() - t0;
    pthread_join(th, NULL);
    MUE_ASSERT_INT_EQ(rc, 1);
    MUE_ASSERT(took >= 100);
    MUE_ASSERT(took < 1000);
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 1);
}

static void test_raised_sigterm_sets_stopping_and_does_not_kill(void)
{
    MUE_ASSERT_INT_EQ(raise(SIGTERM), 0);
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 1);
}

static void test_sleep_returns_at_once_once_stopping(void)
{
    long long t0 = mono_ms();

    MUE_ASSERT_INT_EQ(mue_signal_sleep_ms(10000), 1);
    MUE_ASSERT(mono_ms() - t0 < 100);
    MUE_ASSERT_INT_EQ(mue_signal_stopping(), 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_not_stopping_before_any_signal),
        MUE_TEST(test_sleep_sleeps_the_whole_time_without_a_signal),
        MUE_TEST(test_sigpipe_is_ignored),
        MUE_TEST(test_sigint_sets_stopping_in_a_child),
        /* From here on this process is stopping. */
        MUE_TEST(test_sleep_returns_early_when_sigterm_arrives_during_it),
        MUE_TEST(test_raised_sigterm_sets_stopping_and_does_not_kill),
        MUE_TEST(test_sleep_returns_at_once_once_stopping),
    };
    return mue_test_run("mue_signal", tests);
}
