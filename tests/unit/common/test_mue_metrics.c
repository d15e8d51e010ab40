/* test_mue_metrics.c - unit tests for counters, gauges, histograms and their Prometheus text.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_metrics.h"
#include "../mue_test.h"

/* The registry is process-wide and never shrinks: every test uses names of its own. */

static size_t count_substr(const char *text, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + len, needle))
        n++;
    return n;
}

/* True when 'line' (a whole line, without its newline) is in 'text'. */
static int has_line(const char *text, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = strstr(text, line); p != NULL; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && p[len] == '\n')
            return 1;
    return 0;
}

/* Offset of the line 'line' in 'text', or -1. */
static long line_at(const char *text, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = strstr(text, line); p != NULL; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && p[len] == '\n')
            return (long)(p - text);
    return -1;
}

static void test_counter_starts_at_zero_and_counts(void)
{
    struct mue_metric *m = mue_metrics_counter("t_counter_total", NULL, "a counter");

    MUE_ASSERT_INT_EQ(mue_metric_value(m), 0);
    mue_metric_inc(m);
    mue_metric_inc(m);
    mue_metric_add(m, 40);
    MUE_ASSERT_INT_EQ(mue_metric_value(m), 42);
}

static void test_gauge_takes_the_last_value_set(void)
{
    struct mue_metric *m = mue_metrics_gauge("t_gauge", NULL, "a gauge");

    MUE_ASSERT_INT_EQ(mue_metric_value(m), 0);
    mue_metric_set(m, 17);
    MUE_ASSERT_INT_EQ(mue_metric_value(m), 17);
    mue_metric_set(m, -3);
    MUE_ASSERT_INT_EQ(mue_metric_value(m), -3);
}

static void test_histogram_value_is_its_count(void)
{
    static const double bounds[] = { 1, 2 };
    struct mue_metric *m = mue_metrics_histogram("t_hist_count", NULL, "h", bounds, 2);

    MUE_ASSERT_INT_EQ(mue_metric_value(m), 0);
    mue_metric_observe(m, 0.5);
    mue_metric_observe(m, 5);
    mue_metric_observe(m, 1.5);
    MUE_ASSERT_INT_EQ(mue_metric_value(m), 3);
}

static void test_format_renders_counter_and_gauge_with_help_and_type(void)
{
    struct mue_metric *c = mue_metrics_counter("t_fmt_total", NULL, "things done");
    struct mue_metric *g = mue_metrics_gauge("t_fmt_pending", NULL, "things waiting");
    char *text;

    mue_metric_add(c, 5);
    mue_metric_set(g, -7);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "# HELP t_fmt_total things done"));
    MUE_ASSERT(has_line(text, "# TYPE t_fmt_total counter"));
    MUE_ASSERT(has_line(text, "t_fmt_total 5"));
    MUE_ASSERT(has_line(text, "# HELP t_fmt_pending things waiting"));
    MUE_ASSERT(has_line(text, "# TYPE t_fmt_pending gauge"));
    MUE_ASSERT(has_line(text, "t_fmt_pending -7"));
    MUE_ASSERT(line_at(text, "# HELP t_fmt_total things done") <
               line_at(text, "# TYPE t_fmt_total counter"));
    MUE_ASSERT(line_at(text, "# TYPE t_fmt_total counter") < line_at(text, "t_fmt_total 5"));
    free(text);
}

static void test_format_renders_labels_in_braces(void)
{
    struct mue_metric *m = mue_metrics_counter("t_lbl_total", "reason=\"bad_json\"", "dropped");
    struct mue_metric *e = mue_metrics_counter("t_lbl_empty_total", "", "empty labels");
    char *text;

    mue_metric_add(m, 3);
    mue_metric_inc(e);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_lbl_total{reason=\"bad_json\"} 3"));
    MUE_ASSERT(has_line(text, "t_lbl_empty_total 1"));
    free(text);
}

static void test_labels_are_copied(void)
{
    char labels[32] = "stage=\"writer\"";
    struct mue_metric *m = mue_metrics_counter("t_copy_total", labels, "copied labels");
    char *text;

    memcpy(labels, "XXXXXXXXXXXXXX", 14);
    mue_metric_inc(m);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_copy_total{stage=\"writer\"} 1"));
    free(text);
}

static void test_one_help_and_type_per_name_with_several_label_sets(void)
{
    struct mue_metric *a = mue_metrics_counter("t_multi_total", "code=\"a\"", "by code");
    struct mue_metric *other = mue_metrics_counter("t_between_total", NULL, "registered between");
    struct mue_metric *b = mue_metrics_counter("t_multi_total", "code=\"b\"", "by code");
    struct mue_metric *c = mue_metrics_counter("t_multi_total", "code=\"c\"", "by code");
    char *text;
    long help, type, la, lb, lc, between;

    mue_metric_add(a, 1);
    mue_metric_add(b, 2);
    mue_metric_add(c, 3);
    mue_metric_inc(other);
    text = mue_metrics_format();
    MUE_ASSERT_UINT_EQ(count_substr(text, "# HELP t_multi_total "), 1);
    MUE_ASSERT_UINT_EQ(count_substr(text, "# TYPE t_multi_total "), 1);
    help = line_at(text, "# HELP t_multi_total by code");
    type = line_at(text, "# TYPE t_multi_total counter");
    la = line_at(text, "t_multi_total{code=\"a\"} 1");
    lb = line_at(text, "t_multi_total{code=\"b\"} 2");
    lc = line_at(text, "t_multi_total{code=\"c\"} 3");
    between = line_at(text, "# HELP t_between_total registered between");
    MUE_ASSERT(help >= 0 && type > help);
    MUE_ASSERT(la > type && lb > type && lc > type);
    /* The series of one name stay together, under their header. */
    MUE_ASSERT(between > la && between > lb && between > lc);
    free(text);
}

static void test_histogram_buckets_are_cumulative_with_inf_sum_and_count(void)
{
    static const double bounds[] = { 0.1, 1, 10 };
    struct mue_metric *m =
        mue_metrics_histogram("t_latency_seconds", "route=\"x\"", "latency", bounds, 3);
    char *text;

    mue_metric_observe(m, 0.05);
    mue_metric_observe(m, 0.5);
    mue_metric_observe(m, 1); /* le is "less or equal": lands in the 1 bucket */
    mue_metric_observe(m, 5);
    mue_metric_observe(m, 50);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "# TYPE t_latency_seconds histogram"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_bucket{route=\"x\",le=\"0.1\"} 1"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_bucket{route=\"x\",le=\"1\"} 3"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_bucket{route=\"x\",le=\"10\"} 4"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_bucket{route=\"x\",le=\"+Inf\"} 5"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_sum{route=\"x\"} 56.55"));
    MUE_ASSERT(has_line(text, "t_latency_seconds_count{route=\"x\"} 5"));
    MUE_ASSERT(line_at(text, "t_latency_seconds_bucket{route=\"x\",le=\"0.1\"} 1") <
               line_at(text, "t_latency_seconds_bucket{route=\"x\",le=\"+Inf\"} 5"));
    free(text);
}

static void test_histogram_without_labels_has_only_le(void)
{
    static const double bounds[] = { 0.25 };
    struct mue_metric *m = mue_metrics_histogram("t_plain_hist", NULL, "plain", bounds, 1);
    char *text;

    mue_metric_observe(m, 0.125);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_plain_hist_bucket{le=\"0.25\"} 1"));
    MUE_ASSERT(has_line(text, "t_plain_hist_bucket{le=\"+Inf\"} 1"));
    MUE_ASSERT(has_line(text, "t_plain_hist_sum 0.125"));
    MUE_ASSERT(has_line(text, "t_plain_hist_count 1"));
    free(text);
}

static void test_empty_histogram_renders_zeros(void)
{
    static const double bounds[] = { 1, 2 };
    char *text;

    (void)mue_metrics_histogram("t_empty_hist", NULL, "empty", bounds, 2);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_empty_hist_bucket{le=\"1\"} 0"));
    MUE_ASSERT(has_line(text, "t_empty_hist_bucket{le=\"2\"} 0"));
    MUE_ASSERT(has_line(text, "t_empty_hist_bucket{le=\"+Inf\"} 0"));
    MUE_ASSERT(has_line(text, "t_empty_hist_sum 0"));
    MUE_ASSERT(has_line(text, "t_empty_hist_count 0"));
    free(text);
}

static void test_histogram_keeps_at_most_16_bounds(void)
{
    double bounds[20];
    struct mue_metric *m;
    char *text;

    for (int i = 0; i < 20; i++)
        bounds[i] = i + 1;
    m = mue_metrics_histogram("t_wide_hist", NULL, "wide", bounds, 20);
    mue_metric_observe(m, 18);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_wide_hist_bucket{le=\"16\"} 0"));
    MUE_ASSERT(strstr(text, "t_wide_hist_bucket{le=\"17\"}") == NULL);
    MUE_ASSERT(has_line(text, "t_wide_hist_bucket{le=\"+Inf\"} 1"));
    free(text);
}

/* Every line is a comment or "name[{labels}] value": what a Prometheus scraper accepts. */
static void test_every_line_of_the_format_is_well_formed(void)
{
    char *text = mue_metrics_format(), *line, *save = NULL;
    size_t len = strlen(text);

    MUE_ASSERT(len > 0 && text[len - 1] == '\n');
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') {
            MUE_ASSERT(strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0);
            continue;
        }
        const char *sp = strrchr(line, ' ');
        char *end = NULL;
        MUE_ASSERT(sp != NULL && sp != line);
        strtod(sp + 1, &end);
        MUE_ASSERT(end != NULL && *end == '\0' && end != sp + 1);
        for (const char *p = line; p < sp && *p != '{'; p++)
            MUE_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9') || *p == '_' || *p == ':');
    }
    free(text);
}

struct hammer {
    struct mue_metric *counter;
    struct mue_metric *hist;
};

enum { THREADS = 4, PER_THREAD = 100000 };

static void *hammer_run(void *p)
{
    const struct hammer *h = p;

    for (int i = 0; i < PER_THREAD; i++) {
        mue_metric_inc(h->counter);
        if (i % 10 == 0)
            mue_metric_observe(h->hist, (i / 10) % 2 ? 2.0 : 0.5);
    }
    return NULL;
}

static void test_concurrent_updates_from_4_threads_sum_exactly(void)
{
    static const double bounds[] = { 1 };
    struct hammer h;
    pthread_t th[THREADS];
    char *text;

    h.counter = mue_metrics_counter("t_race_total", NULL, "raced");
    h.hist = mue_metrics_histogram("t_race_hist", NULL, "raced", bounds, 1);
    for (int i = 0; i < THREADS; i++)
        MUE_ASSERT_INT_EQ(pthread_create(&th[i], NULL, hammer_run, &h), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    MUE_ASSERT_INT_EQ(mue_metric_value(h.counter), THREADS * PER_THREAD);
    MUE_ASSERT_INT_EQ(mue_metric_value(h.hist), THREADS * PER_THREAD / 10);
    text = mue_metrics_format();
    MUE_ASSERT(has_line(text, "t_race_total 400000"));
    MUE_ASSERT(has_line(text, "t_race_hist_bucket{le=\"1\"} 20000"));
    MUE_ASSERT(has_line(text, "t_race_hist_bucket{le=\"+Inf\"} 40000"));
    MUE_ASSERT(has_line(text, "t_race_hist_sum 50000"));
    MUE_ASSERT(has_line(text, "t_race_hist_count 40000"));
    free(text);
}

struct registrar {
    int id;
    struct mue_metric *m[20];
};

static void *register_many(void *p)
{
    struct registrar *r = p;

    for (int i = 0; i < 20; i++) {
        r->m[i] = mue_metrics_counter("t_reg_total", r->id % 2 ? "side=\"odd\"" : "side=\"even\"",
                                      "registered concurrently");
        mue_metric_add(r->m[i], 1);
    }
    return NULL;
}

static void test_concurrent_registration_gives_distinct_metrics(void)
{
    struct registrar r[THREADS];
    pthread_t th[THREADS];

    for (int i = 0; i < THREADS; i++) {
        r[i].id = i;
        MUE_ASSERT_INT_EQ(pthread_create(&th[i], NULL, register_many, &r[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < 20; j++) {
            MUE_ASSERT_INT_EQ(mue_metric_value(r[i].m[j]), 1);
            for (int k = 0; k < j; k++)
                MUE_ASSERT(r[i].m[j] != r[i].m[k]);
        }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_counter_starts_at_zero_and_counts),
        MUE_TEST(test_gauge_takes_the_last_value_set),
        MUE_TEST(test_histogram_value_is_its_count),
        MUE_TEST(test_format_renders_counter_and_gauge_with_help_and_type),
        MUE_TEST(test_format_renders_labels_in_braces),
        MUE_TEST(test_labels_are_copied),
        MUE_TEST(test_one_help_and_type_per_name_with_several_label_sets),
        MUE_TEST(test_histogram_buckets_are_cumulative_with_inf_sum_and_count),
        MUE_TEST(test_histogram_without_labels_has_only_le),
        MUE_TEST(test_empty_histogram_renders_zeros),
        MUE_TEST(test_histogram_keeps_at_most_16_bounds),
        MUE_TEST(test_concurrent_updates_from_4_threads_sum_exactly),
        MUE_TEST(test_concurrent_registration_gives_distinct_metrics),
        MUE_TEST(test_every_line_of_the_format_is_well_formed),
    };
    return mue_test_run("mue_metrics", tests);
}
