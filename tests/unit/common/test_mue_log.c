/* test_mue_log.c - unit tests for the logfmt writer: level names, quoting, the line's shape.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_err.h"
#include "mue_log.h"
#include "../mue_test.h"

/* stderr redirected to a temporary file; no assertion may run between begin and end. */
struct capture {
    FILE *file;
    int saved;
};

static void capture_begin(struct capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    MUE_ASSERT(c->file != NULL);
    c->saved = dup(2);
    MUE_ASSERT(c->saved >= 0);
    MUE_ASSERT(dup2(fileno(c->file), 2) == 2);
}

/* Restores stderr and returns what was written, for the caller to free(). */
static char *capture_end(struct capture *c, size_t *len)
{
    char *text;
    long size;

    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    fseek(c->file, 0, SEEK_END);
    size = ftell(c->file);
    rewind(c->file);
    text = calloc((size_t)size + 1, 1);
    if (fread(text, 1, (size_t)size, c->file) != (size_t)size)
        size = 0;
    fclose(c->file);
    if (len != NULL)
        *len = (size_t)size;
    return text;
}

static size_t count_char(const char *s, size_t len, char ch)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == ch;
    return n;
}

/* Checks "ts=YYYY-MM-DDTHH:MM:SS.mmmZ " and returns that time in seconds, or -1. */
static long long parse_ts(const char *line)
{
    struct tm tm;
    int ms = -1;
    char z = 0;

    if (strncmp(line, "ts=", 3) != 0 || strlen(line) < 28 || line[27] != ' ')
        return -1;
    for (int i = 3; i < 27; i++) {
        const char *digits = "0123456789";
        char want = i == 7 || i == 10    ? '-'
                    : i == 13            ? 'T'
                    : i == 16 || i == 19 ? ':'
                    : i == 22            ? '.'
                    : i == 26            ? 'Z'
                                         : 0;
        if (want ? line[i] != want : strchr(digits, line[i]) == NULL || line[i] == '\0')
            return -1;
    }
    memset(&tm, 0, sizeof(tm));
    if (sscanf(line + 3, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &z) != 8 ||
        z != 'Z' || ms < 0 || ms > 999)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

static void test_level_parse_knows_the_four_names(void)
{
    enum mue_log_level l = MUE_LOG_ERROR;

    MUE_ASSERT_INT_EQ(mue_log_level_parse("debug", &l), 0);
    MUE_ASSERT_INT_EQ(l, MUE_LOG_DEBUG);
    MUE_ASSERT_INT_EQ(mue_log_level_parse("info", &l), 0);
    MUE_ASSERT_INT_EQ(l, MUE_LOG_INFO);
    MUE_ASSERT_INT_EQ(mue_log_level_parse("warn", &l), 0);
    MUE_ASSERT_INT_EQ(l, MUE_LOG_WARN);
    MUE_ASSERT_INT_EQ(mue_log_level_parse("error", &l), 0);
    MUE_ASSERT_INT_EQ(l, MUE_LOG_ERROR);
}

static void test_level_parse_rejects_other_words_and_leaves_out_alone(void)
{
    const char *bad[] = { "", "INFO", "Info", "warning", "err", "info ", " info", "fatal", "0" };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum mue_log_level l = MUE_LOG_WARN;
        MUE_ASSERT_INT_EQ(mue_log_level_parse(bad[i], &l), MUE_EINVAL);
        MUE_ASSERT_INT_EQ(l, MUE_LOG_WARN);
    }
}

static void test_quote_copies_plain_text(void)
{
    char out[64];

    MUE_ASSERT(mue_log_quote(out, sizeof(out), "unknown device 0004a30b") == out);
    MUE_ASSERT_STR_EQ(out, "unknown device 0004a30b");
}

static void test_quote_escapes_quotes_and_backslashes(void)
{
    char out[64];

    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), "say \"hi\" C:\\x"),
                      "say \\\"hi\\\" C:\\\\x");
}

static void test_quote_turns_control_bytes_into_question_marks(void)
{
    char out[64];

    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out),
                                    "a\nb\rc\td\x01"
                                    "e\x7f"
                                    "f"),
                      "a?b?c?d?e?f");
}

static void test_quote_keeps_utf8_bytes(void)
{
    char out[64];

    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), "Éclairage public"), "Éclairage public");
}

/* Plain bytes fill the buffer up to its NUL: cap 8 holds 7 characters. */
static void test_quote_truncates_to_cap_and_terminates(void)
{
    char out[8];

    memset(out, 'Z', sizeof(out));
    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), "0123456789"), "0123456");
    MUE_ASSERT_UINT_EQ(strlen(out), sizeof(out) - 1);
}

static void test_quote_never_splits_an_escape(void)
{
    char out[5];

    /* "ab\"" needs 4 bytes plus the NUL: the escape fits whole or not at all. */
    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), "ab\"cd"), "ab\\\"");
    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), "abc\"d"), "abc");
}

static void test_quote_handles_tiny_caps_and_null_input(void)
{
    char out[4] = "xyz";

    MUE_ASSERT(mue_log_quote(out, 0, "abc") == out);
    MUE_ASSERT_STR_EQ(out, "xyz"); /* cap 0: nothing written */
    MUE_ASSERT_STR_EQ(mue_log_quote(out, 1, "abc"), "");
    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), NULL), "");
    MUE_ASSERT_STR_EQ(mue_log_quote(out, sizeof(out), ""), "");
}

static void test_write_prints_ts_level_svc_event_then_the_pairs(void)
{
    struct capture c;
    char *text;
    size_t len;
    long long ts, now = (long long)time(NULL);

    mue_log_init("testsvc", MUE_LOG_DEBUG);
    capture_begin(&c);
    mue_log_write(MUE_LOG_WARN, "uplink.dropped", "subject=%s len=%d reason=\"%s\"", "mue.uplink.x",
                  2, "decode error");
    text = capture_end(&c, &len);
    ts = parse_ts(text);
    MUE_ASSERT(ts >= 0);
    MUE_ASSERT(ts >= now - 2 && ts <= now + 2);
    MUE_ASSERT_STR_EQ(text + 28, "level=warn svc=testsvc event=uplink.dropped "
                                 "subject=mue.uplink.x len=2 reason=\"decode error\"\n");
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\n'), 1);
    free(text);
}

static void test_write_names_every_level(void)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };

    mue_log_init("testsvc", MUE_LOG_DEBUG);
    for (int i = MUE_LOG_DEBUG; i <= MUE_LOG_ERROR; i++) {
        struct capture c;
        char want[64], *text;

        capture_begin(&c);
        mue_log_write((enum mue_log_level)i, "level.checked", "n=%d", i);
        text = capture_end(&c, NULL);
        snprintf(want, sizeof(want), "level=%s svc=testsvc event=level.checked n=%d\n", names[i],
                 i);
        MUE_ASSERT(parse_ts(text) >= 0);
        MUE_ASSERT_STR_EQ(text + 28, want);
        free(text);
    }
}

static void test_write_of_a_long_line_is_still_one_line(void)
{
    struct capture c;
    char *value = malloc(10000), *text;
    size_t len;

    memset(value, 'v', 9999);
    value[9999] = '\0';
    mue_log_init("testsvc", MUE_LOG_DEBUG);
    capture_begin(&c);
    mue_log_write(MUE_LOG_ERROR, "payload.too_long", "value=%s", value);
    mue_log_write(MUE_LOG_INFO, "after.long", "k=1");
    text = capture_end(&c, &len);
    free(value);
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\n'), 2);
    MUE_ASSERT(parse_ts(text) >= 0);
    MUE_ASSERT(strncmp(text + 28, "level=error svc=testsvc event=payload.too_long value=vvv", 56) ==
               0);
    /* The first line ends with its own newline, no NUL byte, then the next line starts. */
    char *nl = memchr(text, '\n', len);
    MUE_ASSERT(nl != NULL);
    MUE_ASSERT(nl[-1] == 'v');
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\0'), 0);
    MUE_ASSERT(parse_ts(nl + 1) >= 0);
    MUE_ASSERT_STR_EQ(nl + 1 + 28, "level=info svc=testsvc event=after.long k=1\n");
    free(text);
}

static void test_write_of_a_long_event_is_still_one_line(void)
{
    struct capture c;
    char *event = malloc(5000), *text;
    size_t len;

    memset(event, 'e', 4999);
    event[4999] = '\0';
    mue_log_init("testsvc", MUE_LOG_DEBUG);
    capture_begin(&c);
    mue_log_write(MUE_LOG_WARN, event, "k=%d", 1);
    text = capture_end(&c, &len);
    free(event);
    MUE_ASSERT(len > 0);
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\n'), 1);
    MUE_ASSERT(text[len - 1] == '\n');
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\0'), 0);
    free(text);
}

struct writer_arg {
    int id;
};

static void *write_many(void *p)
{
    const struct writer_arg *a = p;
    char pad[600];

    memset(pad, 'a' + a->id, sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    for (int i = 0; i < 200; i++)
        mue_log_write(MUE_LOG_INFO, "thread.logged", "thread=%d i=%d pad=%s end=1", a->id, i, pad);
    return NULL;
}

static void test_lines_of_concurrent_threads_never_interleave(void)
{
    struct capture c;
    pthread_t th[4];
    struct writer_arg args[4];
    char *text, *line, *save = NULL;
    size_t len, lines = 0;

    mue_log_init("testsvc", MUE_LOG_DEBUG);
    capture_begin(&c);
    for (int i = 0; i < 4; i++) {
        args[i].id = i;
        pthread_create(&th[i], NULL, write_many, &args[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    text = capture_end(&c, &len);
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\n'), 800);
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        int id = -1, i = -1;
        MUE_ASSERT(parse_ts(line) >= 0);
        MUE_ASSERT(sscanf(line + 28, "level=info svc=testsvc event=thread.logged thread=%d i=%d",
                          &id, &i) == 2);
        MUE_ASSERT(id >= 0 && id < 4);
        MUE_ASSERT(strlen(line) > 6 && strcmp(line + strlen(line) - 6, " end=1") == 0);
        lines++;
    }
    MUE_ASSERT_UINT_EQ(lines, 800);
    free(text);
}

static int evaluated;

static int side_effect(void)
{
    return ++evaluated;
}

static void test_macros_below_min_level_do_not_evaluate_their_arguments(void)
{
    struct capture c;
    char *text;
    size_t len;

    evaluated = 0;
    mue_log_init("testsvc", MUE_LOG_WARN);
    capture_begin(&c);
    mue_log_debug("never.shown", "n=%d", side_effect());
    mue_log_info("never.shown", "n=%d", side_effect());
    text = capture_end(&c, &len);
    MUE_ASSERT_INT_EQ(evaluated, 0);
    MUE_ASSERT_UINT_EQ(len, 0);
    free(text);
}

static void test_macros_at_or_above_min_level_write_once(void)
{
    struct capture c;
    char *text;
    size_t len;

    evaluated = 0;
    mue_log_init("testsvc", MUE_LOG_WARN);
    capture_begin(&c);
    mue_log_warn("shown.warn", "n=%d", side_effect());
    mue_log_error("shown.error", "n=%d", side_effect());
    text = capture_end(&c, &len);
    mue_log_init("testsvc", MUE_LOG_INFO);
    MUE_ASSERT_INT_EQ(evaluated, 2);
    MUE_ASSERT_UINT_EQ(count_char(text, len, '\n'), 2);
    MUE_ASSERT(strstr(text, "level=warn svc=testsvc event=shown.warn n=1\n") != NULL);
    MUE_ASSERT(strstr(text, "level=error svc=testsvc event=shown.error n=2\n") != NULL);
    free(text);
}

static void test_init_sets_the_min_level_variable(void)
{
    mue_log_init("testsvc", MUE_LOG_ERROR);
    MUE_ASSERT_INT_EQ(mue_log_min_level, MUE_LOG_ERROR);
    mue_log_init("testsvc", MUE_LOG_DEBUG);
    MUE_ASSERT_INT_EQ(mue_log_min_level, MUE_LOG_DEBUG);
    mue_log_init("testsvc", MUE_LOG_INFO);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_level_parse_knows_the_four_names),
        MUE_TEST(test_level_parse_rejects_other_words_and_leaves_out_alone),
        MUE_TEST(test_quote_copies_plain_text),
        MUE_TEST(test_quote_escapes_quotes_and_backslashes),
        MUE_TEST(test_quote_turns_control_bytes_into_question_marks),
        MUE_TEST(test_quote_keeps_utf8_bytes),
        MUE_TEST(test_quote_truncates_to_cap_and_terminates),
        MUE_TEST(test_quote_never_splits_an_escape),
        MUE_TEST(test_quote_handles_tiny_caps_and_null_input),
        MUE_TEST(test_write_prints_ts_level_svc_event_then_the_pairs),
        MUE_TEST(test_write_names_every_level),
        MUE_TEST(test_write_of_a_long_line_is_still_one_line),
        MUE_TEST(test_write_of_a_long_event_is_still_one_line),
        MUE_TEST(test_lines_of_concurrent_threads_never_interleave),
        MUE_TEST(test_macros_below_min_level_do_not_evaluate_their_arguments),
        MUE_TEST(test_macros_at_or_above_min_level_write_once),
        MUE_TEST(test_init_sets_the_min_level_variable),
    };
    return mue_test_run("mue_log", tests);
}
