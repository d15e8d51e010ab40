/* mue_metrics.c - a fixed registry of lock-free metrics and its Prometheus text rendering.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"

#define MAX_BOUNDS 16

enum kind { COUNTER, GAUGE, HISTOGRAM };

struct mue_metric {
    const char *name;
    const char *help;
    char *labels;
    enum kind kind;
    int64_t value; /* counter or gauge, updated with __atomic builtins */
    size_t nbounds;
    double bounds[MAX_BOUNDS];
    uint64_t buckets[MAX_BOUNDS + 1]; /* per bucket, not cumulative; the last is +Inf */
    uint64_t sum_bits;                /* the sum as the bits of a double, updated by CAS */
};

static struct mue_metric registry[MUE_METRICS_MAX];
static size_t registered;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static struct mue_metric *add(const char *name, const char *labels, const char *help, enum kind k,
                              const double *bounds, size_t nbounds)
{
    struct mue_metric *m;

    pthread_mutex_lock(&registry_lock);
    if (registered == MUE_METRICS_MAX) {
        mue_log_error("metrics.full", "name=%s max=%d", name, MUE_METRICS_MAX);
        abort();
    }
    m = &registry[registered];
    memset(m, 0, sizeof(*m));
    m->name = name;
    m->help = help;
    m->labels = labels && labels[0] ? mue_xstrdup(labels) : NULL;
    m->kind = k;
    m->nbounds = nbounds < MAX_BOUNDS ? nbounds : MAX_BOUNDS;
    if (m->nbounds)
        memcpy(m->bounds, bounds, m->nbounds * sizeof(double));
    /* Publish the slot only once it is filled: the renderer reads 'registered' without the lock. */
    __atomic_store_n(&registered, registered + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&registry_lock);
    return m;
}

struct mue_metric *mue_metrics_counter(const char *name, const char *labels, const char *help)
{
    return add(name, labels, help, COUNTER, NULL, 0);
}

struct mue_metric *mue_metrics_gauge(const char *name, const char *labels, const char *help)
{
    return add(name, labels, help, GAUGE, NULL, 0);
}

struct mue_metric *mue_metrics_histogram(const char *name, const char *labels, const char *help,
                                         const double *bounds, size_t nbounds)
{
    return add(name, labels, help, HISTOGRAM, bounds, nbounds);
}

void mue_metric_add(struct mue_metric *m, uint64_t n)
{
    __atomic_fetch_add(&m->value, (int64_t)n, __ATOMIC_RELAXED);
}

void mue_metric_inc(struct mue_metric *m)
{
    mue_metric_add(m, 1);
}

void mue_metric_set(struct mue_metric *m, int64_t v)
{
    __atomic_store_n(&m->value, v, __ATOMIC_RELAXED);
}

void mue_metric_observe(struct mue_metric *m, double v)
{
    size_t i = 0;
    uint64_t old, next;
    double sum;

    while (i < m->nbounds && v > m->bounds[i])
        i++;
    __atomic_fetch_add(&m->buckets[i], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->value, 1, __ATOMIC_RELAXED);
    old = __atomic_load_n(&m->sum_bits, __ATOMIC_RELAXED);
    do {
        memcpy(&sum, &old, sizeof(sum));
        sum += v;
        memcpy(&next, &sum, sizeof(next));
    } while (!__atomic_compare_exchange_n(&m->sum_bits, &old, next, 1, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
}

int64_t mue_metric_value(const struct mue_metric *m)
{
    return __atomic_load_n(&m->value, __ATOMIC_RELAXED);
}

static void format_labels(struct mue_buf *b, const char *labels, const char *extra)
{
    if (labels == NULL && extra == NULL)
        return;
    mue_buf_printf(b, "{%s%s%s}", labels ? labels : "", labels && extra ? "," : "",
                   extra ? extra : "");
}

static void format_one(struct mue_buf *b, const struct mue_metric *m)
{
    if (m->kind != HISTOGRAM) {
        mue_buf_append_str(b, m->name);
        format_labels(b, m->labels, NULL);
        mue_buf_printf(b, " %lld\n", (long long)mue_metric_value(m));
        return;
    }
    uint64_t cumulative = 0;
    double sum;
    uint64_t bits = __atomic_load_n(&m->sum_bits, __ATOMIC_RELAXED);
    memcpy(&sum, &bits, sizeof(sum));
    for (size_t i = 0; i <= m->nbounds; i++) {
        char le[48];
        cumulative += __atomic_load_n(&m->buckets[i], __ATOMIC_RELAXED);
        if (i < m->nbounds)
            snprintf(le, sizeof(le), "le=\"%g\"", m->bounds[i]);
        else
            snprintf(le, sizeof(le), "le=\"+Inf\"");
        mue_buf_printf(b, "%s_bucket", m->name);
        format_labels(b, m->labels, le);
        mue_buf_printf(b, " %llu\n", (unsigned long long)cumulative);
    }
    mue_buf_printf(b, "%s_sum", m->name);
    format_labels(b, m->labels, NULL);
    mue_buf_printf(b, " %.9g\n", sum);
    mue_buf_printf(b, "%s_count", m->name);
    format_labels(b, m->labels, NULL);
    mue_buf_printf(b, " %llu\n", (unsigned long long)cumulative);
}

char *mue_metrics_format(void)
{
    static const char *const kinds[] = { "counter", "gauge", "histogram" };
    size_t n = __atomic_load_n(&registered, __ATOMIC_ACQUIRE);
    struct mue_buf b;
    char *done = mue_xcalloc(n ? n : 1, 1);

    mue_buf_init(&b, 0);
    /* Group the series of one name under one HELP/TYPE header, as Prometheus requires. */
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        mue_buf_printf(&b, "# HELP %s %s\n# TYPE %s %s\n", registry[i].name, registry[i].help,
                       registry[i].name, kinds[registry[i].kind]);
        for (size_t j = i; j < n; j++) {
            if (!done[j] && strcmp(registry[j].name, registry[i].name) == 0) {
                format_one(&b, &registry[j]);
                done[j] = 1;
            }
        }
    }
    free(done);
    return mue_buf_steal(&b);
}
