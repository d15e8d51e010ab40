/* mue_metrics.h - counters, gauges and histograms, rendered in the Prometheus text format.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_METRICS_H
#define MUE_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct mue_metric;

/* Registers a metric and returns it; it lives until the process ends. 'name' and 'help' are
 * kept by reference (string literals); 'labels' is copied, e.g. "reason=\"bad_json\"" or NULL.
 * Metrics sharing a name share their HELP and TYPE lines. Registration is thread-safe; so are
 * the updates, which are lock-free. Aborts past MUE_METRICS_MAX registrations. */
#define MUE_METRICS_MAX 256
struct mue_metric *mue_metrics_counter(const char *name, const char *labels, const char *help);
struct mue_metric *mue_metrics_gauge(const char *name, const char *labels, const char *help);
/* 'bounds' (ascending upper bounds, copied, at most 16) define the buckets; +Inf is implied. */
struct mue_metric *mue_metrics_histogram(const char *name, const char *labels, const char *help,
                                         const double *bounds, size_t nbounds);

void mue_metric_add(struct mue_metric *m, uint64_t n);
void mue_metric_inc(struct mue_metric *m);
void mue_metric_set(struct mue_metric *m, int64_t v);
void mue_metric_observe(struct mue_metric *m, double v);
/* Current value of a counter or gauge (a histogram's count), for tests and health checks. */
int64_t mue_metric_value(const struct mue_metric *m);

/* Renders every metric. Returns a string for the caller to free(). */
char *mue_metrics_format(void);

#endif
