/* test_mue_service.c - the shared start of a service's main() and its health check.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../mue_test.h"
#include "mue_err.h"
#include "mue_service.h"

struct cfg {
    const char *log_level;
    long batch;
};

static const struct mue_config_option opts[] = {
    MUE_OPT_STR("MUE_LOG_LEVEL", struct cfg, log_level, "info", "level"),
    MUE_OPT_INT("MUE_TESTSVC_BATCH", struct cfg, batch, "5", 1, 10, "batch"),
    MUE_OPT_END,
};

static char prog[] = "mue-testsvc", help[] = "--help", bogus[] = "--bogus";

/* Runs setup with stdout and stderr sent to /dev/null, so --help and log lines stay quiet. */
static int setup(int argc, char **argv, struct cfg *c)
{
    int out = dup(1), err = dup(2), rc;
    FILE *null = fopen("/dev/null", "w");
    fflush(stdout);
    dup2(fileno(null), 1);
    dup2(fileno(null), 2);
    rc = mue_service_setup(argc, argv, "testsvc", "a test service", opts, c);
    fflush(stdout);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    fclose(null);
    return rc;
}

static void test_help_asks_main_to_exit_0(void)
{
    char *argv[] = { prog, help, NULL };
    struct cfg c;
    MUE_ASSERT_INT_EQ(setup(2, argv, &c), 0);
}

static void test_an_unknown_argument_asks_main_to_exit_2(void)
{
    char *argv[] = { prog, bogus, NULL };
    struct cfg c;
    MUE_ASSERT_INT_EQ(setup(2, argv, &c), 2);
}

static void test_a_bad_setting_asks_main_to_exit_2(void)
{
    char *argv[] = { prog, NULL };
    struct cfg c;
    setenv("MUE_TESTSVC_BATCH", "11", 1);
    MUE_ASSERT_INT_EQ(setup(1, argv, &c), 2);
    unsetenv("MUE_TESTSVC_BATCH");
}

static void test_an_unknown_log_level_asks_main_to_exit_2(void)
{
    char *argv[] = { prog, NULL };
    struct cfg c;
    setenv("MUE_LOG_LEVEL", "chatty", 1);
    MUE_ASSERT_INT_EQ(setup(1, argv, &c), 2);
    unsetenv("MUE_LOG_LEVEL");
}

static void test_good_settings_go_on_with_the_config_loaded(void)
{
    char *argv[] = { prog, NULL };
    struct cfg c = { NULL, 0 };
    setenv("MUE_TESTSVC_BATCH", "7", 1);
    MUE_ASSERT_INT_EQ(setup(1, argv, &c), -1);
    MUE_ASSERT_INT_EQ(c.batch, 7);
    MUE_ASSERT_STR_EQ(c.log_level, "info");
    unsetenv("MUE_TESTSVC_BATCH");
}

static void test_health_without_dependencies_is_ok(void)
{
    struct mue_service_deps deps = { NULL, NULL };
    char reason[64] = "";
    MUE_ASSERT_INT_EQ(mue_service_health(&deps, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(reason, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_help_asks_main_to_exit_0),
        MUE_TEST(test_an_unknown_argument_asks_main_to_exit_2),
        MUE_TEST(test_a_bad_setting_asks_main_to_exit_2),
        MUE_TEST(test_an_unknown_log_level_asks_main_to_exit_2),
        MUE_TEST(test_good_settings_go_on_with_the_config_loaded),
        MUE_TEST(test_health_without_dependencies_is_ok),
    };
    return mue_test_run("mue_service", tests);
}
