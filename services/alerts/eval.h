/* eval.h - the pure heart of mue-alerts: one sample of one (rule, device) in, at most one change
 * of its alert out. No I/O, so every rule kind is tested on synthetic series with known answers.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_EVAL_H
#define ALERTS_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "rule.h"

/* How many recent samples a rate rule keeps (a river read every 10 min over an hour needs 7). */
#define EVAL_MAX_SAMPLES 64

/* What the engine remembers of one (rule, device) between samples (alert_state, plus whether an
 * unresolved alert exists). Times are microseconds since the Unix epoch, measurement time. */
struct eval_state {
    int64_t pending_since_us; /* 0: the condition is not pending */
    int64_t last_time_us;     /* 0: no sample yet; samples not newer than this are late */
    bool has_last_value;
    double last_value; /* the previous sample (frame counters) */
    int nsamples;      /* a rate rule's window, oldest first */
    int64_t sample_t[EVAL_MAX_SAMPLES];
    double sample_v[EVAL_MAX_SAMPLES];
    bool open;     /* an unresolved alert exists for this (rule, device) */
    bool disarmed; /* resolved by hand while true: nothing opens before the condition clears */
};

enum eval_change {
    EVAL_NONE,    /* nothing to record but the state */
    EVAL_PENDING, /* the condition became true; its duration is not reached yet */
    EVAL_CANCEL,  /* a pending condition became false before its duration */
    EVAL_OPEN,    /* open an alert */
    EVAL_UPDATE,  /* the open alert has a new value */
    EVAL_RESOLVE, /* the condition cleared past the hysteresis: resolve automatically */
    EVAL_LATE,    /* the sample is not newer than the last one: ignored */
    EVAL_REARM    /* resolved by hand earlier, the condition has now cleared: armed again */
};

struct eval_result {
    enum eval_change change;
    double value;     /* what was compared: the level, or the change over a rate's window */
    int64_t since_us; /* EVAL_OPEN: when the condition began */
};

/* Evaluates one sample (t_us, v) of a threshold, rate, health or daily rule whose threshold for
 * this device is 'threshold' (rule_threshold), updating *s. A sample outside the rule's active
 * window counts as cleared (a night rule's alert resolves when the night ends). */
enum eval_change eval_sample(const struct rule *r, double threshold, struct eval_state *s,
                             int64_t t_us, double v, struct eval_result *out);

/* True when local time (Europe/Paris) at 't_us' is inside the rule's active window (always, for
 * a rule without one). The window is [from, to), crossing midnight when to <= from. */
bool eval_in_window(const struct rule *r, int64_t t_us);

/* A no-data rule: true when nothing was heard since 'heard_us' for longer than silence_factor x
 * period_s at 'now_us'. */
bool eval_silent(const struct rule *r, int64_t heard_us, int64_t period_s, int64_t now_us);

#endif
