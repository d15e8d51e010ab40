/* test_mue_config.c - unit tests for the option-table loader: defaults, strict parsing, --help.
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mue_config.h"
#include "mue_err.h"
#include "mue_log.h"
#include "../mue_test.h"

struct cfg {
    const char *url;
    const char *token;
    long batch;
    int verbose;
    const char *label;
    long offset;
};

static const struct mue_config_option options[] = {
    MUE_OPT_STR("MUET_URL", struct cfg, url, "nats://127.0.0.1:4222", "NATS server URL"),
    MUE_OPT_SECRET("MUET_TOKEN", struct cfg, token, NULL, "API token"),
    MUE_OPT_INT("MUET_BATCH", struct cfg, batch, "500", 1, 10000, "rows per INSERT"),
    MUE_OPT_BOOL("MUET_VERBOSE", struct cfg, verbose, "false", "log every message"),
    MUE_OPT_STR("MUET_LABEL", struct cfg, label, NULL, "an optional label"),
    MUE_OPT_INT("MUET_OFFSET", struct cfg, offset, "-5", -10, -1, "a negative range"),
    MUE_OPT_END,
};

struct secret_cfg {
    const char *dsn;
    long port;
};

static const struct mue_config_option secret_options[] = {
    MUE_OPT_INT("MUET_PORT", struct secret_cfg, port, "8080", 1, 65535, "HTTP port"),
    MUE_OPT_SECRET_REQUIRED("MUET_PG_DSN", struct secret_cfg, dsn, "libpq connection string"),
    MUE_OPT_END,
};

static void clear_env(void)
{
    static const char *const vars[] = { "MUET_URL",   "MUET_TOKEN",  "MUET_BATCH", "MUET_VERBOSE",
                                        "MUET_LABEL", "MUET_OFFSET", "MUET_PORT",  "MUET_PG_DSN" };
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

/* fd 1 or 2 redirected to a temporary file; no assertion may run between begin and end. */
struct capture {
    FILE *file;
    int fd, saved;
};

static void capture_begin(struct capture *c, int fd)
{
    fflush(stdout);
    fflush(stderr);
    c->fd = fd;
    c->file = tmpfile();
    MUE_ASSERT(c->file != NULL);
    c->saved = dup(fd);
    MUE_ASSERT(c->saved >= 0);
    MUE_ASSERT(dup2(fileno(c->file), fd) == fd);
}

static char *capture_end(struct capture *c)
{
    char *text;
    long size;

    fflush(stdout);
    fflush(stderr);
    dup2(c->saved, c->fd);
    close(c->saved);
    fseek(c->file, 0, SEEK_END);
    size = ftell(c->file);
    rewind(c->file);
    text = calloc((size_t)size + 1, 1);
    if (fread(text, 1, (size_t)size, c->file) != (size_t)size)
        text[0] = '\0';
    fclose(c->file);
    return text;
}

/* Loads 'options' with MUET_BATCH set to 'value'; returns what mue_config_load returned. */
static int load_batch(const char *value, struct cfg *c)
{
    struct capture cap;
    char *log;
    int rc;

    clear_env();
    setenv("MUET_BATCH", value, 1);
    capture_begin(&cap, 2); /* config.invalid lines stay out of the test output */
    rc = mue_config_load(options, c);
    log = capture_end(&cap);
    if (rc < 0 && strstr(log, "event=config.invalid var=MUET_BATCH") == NULL)
        rc = 1; /* failed without saying why: the caller's assertion shows 1 */
    free(log);
    return rc;
}

static void test_load_applies_the_defaults_when_nothing_is_set(void)
{
    struct cfg c = { "junk", "junk", 7, 7, "junk", 7 };

    clear_env();
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    MUE_ASSERT_STR_EQ(c.url, "nats://127.0.0.1:4222");
    MUE_ASSERT(c.token == NULL);
    MUE_ASSERT_INT_EQ(c.batch, 500);
    MUE_ASSERT_INT_EQ(c.verbose, 0);
    MUE_ASSERT(c.label == NULL);
    MUE_ASSERT_INT_EQ(c.offset, -5);
}

static void test_load_takes_the_variables_that_are_set(void)
{
    struct cfg c;

    memset(&c, 0, sizeof(c));
    clear_env();
    setenv("MUET_URL", "nats://10.0.0.1:4222,nats://10.0.0.2:4222", 1);
    setenv("MUET_TOKEN", "s3cret", 1);
    setenv("MUET_BATCH", "10000", 1);
    setenv("MUET_VERBOSE", "yes", 1);
    setenv("MUET_LABEL", "north", 1);
    setenv("MUET_OFFSET", "-10", 1);
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    MUE_ASSERT_STR_EQ(c.url, "nats://10.0.0.1:4222,nats://10.0.0.2:4222");
    MUE_ASSERT_STR_EQ(c.token, "s3cret");
    MUE_ASSERT_INT_EQ(c.batch, 10000);
    MUE_ASSERT_INT_EQ(c.verbose, 1);
    MUE_ASSERT_STR_EQ(c.label, "north");
    MUE_ASSERT_INT_EQ(c.offset, -10);
    clear_env();
}

static void test_load_accepts_both_ends_of_the_range(void)
{
    struct cfg c;

    MUE_ASSERT_INT_EQ(load_batch("1", &c), MUE_OK);
    MUE_ASSERT_INT_EQ(c.batch, 1);
    MUE_ASSERT_INT_EQ(load_batch("10000", &c), MUE_OK);
    MUE_ASSERT_INT_EQ(c.batch, 10000);
    MUE_ASSERT_INT_EQ(load_batch("+42", &c), MUE_OK);
    MUE_ASSERT_INT_EQ(c.batch, 42);
    clear_env();
}

static void test_load_rejects_integers_that_do_not_parse_whole(void)
{
    struct cfg c;

    MUE_ASSERT_INT_EQ(load_batch("12x", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch(" 1", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("1 ", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("x", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("1.5", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("0x10", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("-", &c), MUE_ECONFIG);
    clear_env();
}

static void test_load_rejects_integers_out_of_range(void)
{
    struct cfg c;

    MUE_ASSERT_INT_EQ(load_batch("0", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("10001", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("-1", &c), MUE_ECONFIG);
    clear_env();
}

static void test_load_rejects_integers_that_overflow_a_long(void)
{
    struct cfg c;

    MUE_ASSERT_INT_EQ(load_batch("99999999999999999999999", &c), MUE_ECONFIG);
    MUE_ASSERT_INT_EQ(load_batch("-99999999999999999999999", &c), MUE_ECONFIG);
    clear_env();
}

static void test_load_treats_an_empty_integer_as_unset(void)
{
    struct cfg c;

    MUE_ASSERT_INT_EQ(load_batch("", &c), MUE_OK);
    MUE_ASSERT_INT_EQ(c.batch, 500);
    clear_env();
}

static void test_load_knows_every_bool_form(void)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    struct cfg c;

    for (size_t i = 0; i < 4; i++) {
        clear_env();
        setenv("MUET_VERBOSE", yes[i], 1);
        c.verbose = 0;
        MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
        MUE_ASSERT_INT_EQ(c.verbose, 1);
        setenv("MUET_VERBOSE", no[i], 1);
        c.verbose = 1;
        MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
        MUE_ASSERT_INT_EQ(c.verbose, 0);
    }
    clear_env();
}

static void test_load_rejects_other_bool_words(void)
{
    static const char *const bad[] = { "2", "maybe", "y", "tru", " true", "true " };
    struct cfg c;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct capture cap;
        char *log;
        int rc;

        clear_env();
        setenv("MUET_VERBOSE", bad[i], 1);
        capture_begin(&cap, 2);
        rc = mue_config_load(options, &c);
        log = capture_end(&cap);
        MUE_ASSERT_INT_EQ(rc, MUE_ECONFIG);
        MUE_ASSERT(strstr(log, "event=config.invalid var=MUET_VERBOSE") != NULL);
        free(log);
    }
    clear_env();
}

static void test_load_treats_an_empty_bool_as_unset(void)
{
    struct cfg c;

    clear_env();
    setenv("MUET_VERBOSE", "", 1);
    c.verbose = 1;
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    MUE_ASSERT_INT_EQ(c.verbose, 0);
    clear_env();
}

static void test_load_treats_an_empty_secret_as_unset(void)
{
    struct cfg c;

    clear_env();
    setenv("MUET_TOKEN", "", 1);
    c.token = "junk";
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    MUE_ASSERT(c.token == NULL);
    clear_env();
}

static void test_load_keeps_an_empty_string_as_empty(void)
{
    struct cfg c;

    clear_env();
    setenv("MUET_URL", "", 1);
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    MUE_ASSERT_STR_EQ(c.url, "");
    clear_env();
}

static void test_load_fails_when_a_required_secret_is_missing(void)
{
    struct secret_cfg c = { NULL, 0 };
    struct capture cap;
    char *log;
    int rc;

    clear_env();
    capture_begin(&cap, 2);
    rc = mue_config_load(secret_options, &c);
    log = capture_end(&cap);
    MUE_ASSERT_INT_EQ(rc, MUE_ECONFIG);
    MUE_ASSERT(strstr(log, "event=config.missing var=MUET_PG_DSN") != NULL);
    free(log);
}

static void test_load_fails_when_a_required_secret_is_empty(void)
{
    struct secret_cfg c = { NULL, 0 };
    struct capture cap;
    char *log;
    int rc;

    clear_env();
    setenv("MUET_PG_DSN", "", 1);
    capture_begin(&cap, 2);
    rc = mue_config_load(secret_options, &c);
    log = capture_end(&cap);
    MUE_ASSERT_INT_EQ(rc, MUE_ECONFIG);
    MUE_ASSERT(strstr(log, "event=config.missing var=MUET_PG_DSN") != NULL);
    free(log);
    clear_env();
}

static void test_load_takes_a_required_secret_that_is_set(void)
{
    struct secret_cfg c = { NULL, 0 };

    clear_env();
    setenv("MUET_PG_DSN", "host=db user=mue password=hunter2", 1);
    MUE_ASSERT_INT_EQ(mue_config_load(secret_options, &c), MUE_OK);
    MUE_ASSERT_STR_EQ(c.dsn, "host=db user=mue password=hunter2");
    MUE_ASSERT_INT_EQ(c.port, 8080);
    clear_env();
}

static void test_parse_long_is_strict(void)
{
    long v = 77;

    MUE_ASSERT_INT_EQ(mue_config_parse_long("", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long(NULL, 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("12x", 0, 100, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long(" 1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("\t1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("1\n", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("11", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("-1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(v, 77); /* untouched on every error */
    MUE_ASSERT_INT_EQ(mue_config_parse_long("10", 0, 10, &v), MUE_OK);
    MUE_ASSERT_INT_EQ(v, 10);
}

static void test_parse_long_rejects_any_leading_whitespace(void)
{
    long v = 77;

    /* strtol skips all of isspace(): a newline or vertical tab is whitespace too. */
    MUE_ASSERT_INT_EQ(mue_config_parse_long("\n1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("\v1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("\r1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("\f1", 0, 10, &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(v, 77);
}

static void test_parse_long_reaches_the_limits_of_long_and_no_further(void)
{
    long v = 0;
    char text[32];

    snprintf(text, sizeof(text), "%ld", LONG_MAX);
    MUE_ASSERT_INT_EQ(mue_config_parse_long(text, LONG_MIN, LONG_MAX, &v), MUE_OK);
    MUE_ASSERT(v == LONG_MAX);
    snprintf(text, sizeof(text), "%ld", LONG_MIN);
    MUE_ASSERT_INT_EQ(mue_config_parse_long(text, LONG_MIN, LONG_MAX, &v), MUE_OK);
    MUE_ASSERT(v == LONG_MIN);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("9223372036854775808", LONG_MIN, LONG_MAX, &v),
                      MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_long("-9223372036854775809", LONG_MIN, LONG_MAX, &v),
                      MUE_EINVAL);
    MUE_ASSERT(v == LONG_MIN);
}

static void test_parse_bool_knows_the_forms_and_nothing_else(void)
{
    int v = 5;

    MUE_ASSERT_INT_EQ(mue_config_parse_bool("on", &v), MUE_OK);
    MUE_ASSERT_INT_EQ(v, 1);
    MUE_ASSERT_INT_EQ(mue_config_parse_bool("off", &v), MUE_OK);
    MUE_ASSERT_INT_EQ(v, 0);
    v = 5;
    MUE_ASSERT_INT_EQ(mue_config_parse_bool("", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_config_parse_bool("enabled", &v), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(v, 5);
}

static void test_print_help_lists_every_variable_with_its_help(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    MUE_ASSERT(out != NULL);
    mue_config_print_help(out, "mue-test", "a service for tests", options);
    mue_config_print_help(out, "mue-test", "a service for tests", secret_options);
    fclose(out);
    MUE_ASSERT(strstr(text, "mue-test - a service for tests") != NULL);
    for (const struct mue_config_option *o = options; o->name != NULL; o++) {
        MUE_ASSERT(strstr(text, o->name) != NULL);
        MUE_ASSERT(strstr(text, o->help) != NULL);
    }
    MUE_ASSERT(strstr(text, "MUET_PG_DSN") != NULL);
    MUE_ASSERT(strstr(text, "default 500, range 1..10000") != NULL);
    MUE_ASSERT(strstr(text, "default -5, range -10..-1") != NULL);
    MUE_ASSERT(strstr(text, "default nats://127.0.0.1:4222") != NULL);
    MUE_ASSERT(strstr(text, "(required)") != NULL);
    free(text);
}

static void test_args_without_arguments_returns_0(void)
{
    char prog[] = "mue-test";
    char *argv[] = { prog, NULL };

    MUE_ASSERT_INT_EQ(mue_config_args(1, argv, "mue-test", "tests", options), 0);
}

static void test_args_help_prints_the_table_on_stdout_and_returns_1(void)
{
    char prog[] = "mue-test", help[] = "--help", h[] = "-h";
    char *argv[] = { prog, help, NULL };
    char *argv_h[] = { prog, h, NULL };
    struct capture cap;
    char *text, *text_h;
    int rc, rc_h;

    capture_begin(&cap, 1);
    rc = mue_config_args(2, argv, "mue-test", "tests", options);
    text = capture_end(&cap);
    capture_begin(&cap, 1);
    rc_h = mue_config_args(2, argv_h, "mue-test", "tests", options);
    text_h = capture_end(&cap);
    MUE_ASSERT_INT_EQ(rc, 1);
    MUE_ASSERT_INT_EQ(rc_h, 1);
    MUE_ASSERT(strstr(text, "MUET_BATCH") != NULL);
    MUE_ASSERT(strstr(text, "MUET_VERBOSE") != NULL);
    MUE_ASSERT_STR_EQ(text_h, text);
    free(text);
    free(text_h);
}

static void test_args_unknown_prints_an_error_and_returns_minus_1(void)
{
    char prog[] = "mue-test", bogus[] = "--bogus", help[] = "--help", extra[] = "extra";
    char *argv[] = { prog, bogus, NULL };
    char *argv2[] = { prog, help, extra, NULL };
    struct capture cap;
    char *err;
    int rc, rc2;

    capture_begin(&cap, 2);
    rc = mue_config_args(2, argv, "mue-test", "tests", options);
    rc2 = mue_config_args(3, argv2, "mue-test", "tests", options);
    err = capture_end(&cap);
    MUE_ASSERT_INT_EQ(rc, -1);
    MUE_ASSERT_INT_EQ(rc2, -1);
    MUE_ASSERT(strstr(err, "--bogus") != NULL);
    free(err);
}

static void test_log_shows_values_and_hides_secrets(void)
{
    struct secret_cfg sc;
    struct cfg c;
    struct capture cap;
    char *log;
    int rc, rc2;

    clear_env();
    setenv("MUET_TOKEN", "tok-very-secret", 1);
    setenv("MUET_PG_DSN", "password=hunter2", 1);
    setenv("MUET_LABEL", "say \"hi\"", 1);
    rc = mue_config_load(options, &c);
    rc2 = mue_config_load(secret_options, &sc);
    capture_begin(&cap, 2);
    mue_config_log(options, &c);
    mue_config_log(secret_options, &sc);
    log = capture_end(&cap);
    clear_env();
    MUE_ASSERT_INT_EQ(rc, MUE_OK);
    MUE_ASSERT_INT_EQ(rc2, MUE_OK);
    MUE_ASSERT(strstr(log, "event=config.loaded") != NULL);
    MUE_ASSERT(strstr(log, "MUET_URL=\"nats://127.0.0.1:4222\"") != NULL);
    MUE_ASSERT(strstr(log, "MUET_TOKEN=***") != NULL);
    MUE_ASSERT(strstr(log, "MUET_BATCH=500") != NULL);
    MUE_ASSERT(strstr(log, "MUET_VERBOSE=false") != NULL);
    MUE_ASSERT(strstr(log, "MUET_LABEL=\"say \\\"hi\\\"\"") != NULL);
    MUE_ASSERT(strstr(log, "MUET_OFFSET=-5") != NULL);
    MUE_ASSERT(strstr(log, "MUET_PG_DSN=***") != NULL);
    MUE_ASSERT(strstr(log, "tok-very-secret") == NULL);
    MUE_ASSERT(strstr(log, "hunter2") == NULL);
    free(log);
}

static void test_log_hides_the_credentials_of_urls(void)
{
    struct cfg c;
    struct capture cap;
    char *log;

    clear_env();
    setenv("MUET_URL", "nats://mue:s3cret-pass@nats1:4222,nats://tok3n@nats2:4222", 1);
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    capture_begin(&cap, 2);
    mue_config_log(options, &c);
    log = capture_end(&cap);
    clear_env();
    MUE_ASSERT(strstr(log, "MUET_URL=\"nats://***@nats1:4222,nats://***@nats2:4222\"") != NULL);
    MUE_ASSERT(strstr(log, "s3cret-pass") == NULL);
    MUE_ASSERT(strstr(log, "tok3n") == NULL);
    free(log);
}

static void test_log_shows_an_unset_secret_as_empty(void)
{
    struct cfg c;
    struct capture cap;
    char *log;

    clear_env();
    MUE_ASSERT_INT_EQ(mue_config_load(options, &c), MUE_OK);
    capture_begin(&cap, 2);
    mue_config_log(options, &c);
    log = capture_end(&cap);
    MUE_ASSERT(strstr(log, "MUET_TOKEN=\"\"") != NULL);
    MUE_ASSERT(strstr(log, "MUET_LABEL=\"\"") != NULL);
    free(log);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_load_applies_the_defaults_when_nothing_is_set),
        MUE_TEST(test_load_takes_the_variables_that_are_set),
        MUE_TEST(test_load_accepts_both_ends_of_the_range),
        MUE_TEST(test_load_rejects_integers_that_do_not_parse_whole),
        MUE_TEST(test_load_rejects_integers_out_of_range),
        MUE_TEST(test_load_rejects_integers_that_overflow_a_long),
        MUE_TEST(test_load_treats_an_empty_integer_as_unset),
        MUE_TEST(test_load_knows_every_bool_form),
        MUE_TEST(test_load_rejects_other_bool_words),
        MUE_TEST(test_load_treats_an_empty_bool_as_unset),
        MUE_TEST(test_load_treats_an_empty_secret_as_unset),
        MUE_TEST(test_load_keeps_an_empty_string_as_empty),
        MUE_TEST(test_load_fails_when_a_required_secret_is_missing),
        MUE_TEST(test_load_fails_when_a_required_secret_is_empty),
        MUE_TEST(test_load_takes_a_required_secret_that_is_set),
        MUE_TEST(test_parse_long_is_strict),
        MUE_TEST(test_parse_long_rejects_any_leading_whitespace),
        MUE_TEST(test_parse_long_reaches_the_limits_of_long_and_no_further),
        MUE_TEST(test_parse_bool_knows_the_forms_and_nothing_else),
        MUE_TEST(test_print_help_lists_every_variable_with_its_help),
        MUE_TEST(test_args_without_arguments_returns_0),
        MUE_TEST(test_args_help_prints_the_table_on_stdout_and_returns_1),
        MUE_TEST(test_args_unknown_prints_an_error_and_returns_minus_1),
        MUE_TEST(test_log_shows_values_and_hides_secrets),
        MUE_TEST(test_log_hides_the_credentials_of_urls),
        MUE_TEST(test_log_shows_an_unset_secret_as_empty),
    };
    return mue_test_run("mue_config", tests);
}
