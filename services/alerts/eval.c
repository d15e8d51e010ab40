/* eval.c - one sample of one (rule, device) against its state: pending, open, update, resolve.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "eval.h"
#include "mue_localtime.h"

#define US_PER_S 1000000LL

bool eval_in_window(const struct rule *r, int64_t t_us)
{
    struct mue_localtime lt;
    int m;

    if (r->active_from_min < 0)
        return true;
    mue_localtime_from_utc(t_us / US_PER_S, &lt);
    m = lt.hour * 60 + lt.minute;
    if (r->active_from_min < r->active_to_min)
        return m >= r->active_from_min && m < r->active_to_min;
    if (r->active_from_min == r->active_to_min)
        return true;
    return m >= r->active_from_min || m < r->active_to_min;
}

bool eval_silent(const struct rule *r, int64_t heard_us, int64_t period_s, int64_t now_us)
{
    if (period_s <= 0 || r->silence_factor <= 0)
        return false;
    return (double)(now_us - heard_us) > r->silence_factor * (double)period_s * (double)US_PER_S;
}

/* Keeps the samples of a rate rule's window ending at the newest, and returns the change of the
 * newest from the lowest (op above: a rise) or the highest (op below: a fall, negative). */
static double rate_change(const struct rule *r, struct eval_state *s, int64_t t_us, double v)
{
    int64_t from = t_us - r->window_s * US_PER_S;
    int keep = 0;

    for (int i = 0; i < s->nsamples; i++) {
        if (s->sample_t[i] < from)
            continue;
        s->sample_t[keep] = s->sample_t[i];
        s->sample_v[keep] = s->sample_v[i];
        keep++;
    }
    if (keep == EVAL_MAX_SAMPLES) {
        memmove(s->sample_t, s->sample_t + 1, (EVAL_MAX_SAMPLES - 1) * sizeof(s->sample_t[0]));
        memmove(s->sample_v, s->sample_v + 1, (EVAL_MAX_SAMPLES - 1) * sizeof(s->sample_v[0]));
        keep--;
    }
    s->sample_t[keep] = t_us;
    s->sample_v[keep] = v;
    s->nsamples = keep + 1;

    double ext = v;
    for (int i = 0; i < s->nsamples; i++) {
        if (r->op == RULE_ABOVE ? s->sample_v[i] < ext : s->sample_v[i] > ext)
            ext = s->sample_v[i];
    }
    return v - ext;
}

enum eval_change eval_sample(const struct rule *r, double threshold, struct eval_state *s,
                             int64_t t_us, double v, struct eval_result *out)
{
    bool cond, clear;
    double x = v;

    memset(out, 0, sizeof(*out));
    out->value = v;
    if (s->last_time_us != 0 && t_us <= s->last_time_us)
        return out->change = EVAL_LATE;
    s->last_time_us = t_us;

    if (r->kind == RULE_HEALTH && strcmp(r->quantity, "f_cnt") == 0) {
        /* A frame counter that goes back: the device restarted or joined again. */
        cond = s->has_last_value && v < s->last_value;
        clear = !cond;
    } else {
        if (r->kind == RULE_RATE)
            x = rate_change(r, s, t_us, v);
        if (r->op == RULE_ABOVE) {
            cond = x >= threshold;
            clear = x < threshold - r->hysteresis;
        } else {
            cond = x <= threshold;
            clear = x > threshold + r->hysteresis;
        }
    }
    s->has_last_value = true;
    s->last_value = v;
    out->value = x;
    if (!eval_in_window(r, t_us)) {
        cond = false;
        clear = true;
    }

    if (s->open) {
        if (clear && r->auto_resolve) {
            s->open = false;
            s->pending_since_us = 0;
            return out->change = EVAL_RESOLVE;
        }
        return out->change = EVAL_UPDATE;
    }
    if (s->disarmed) {
        /* Someone resolved it by hand while it held: the same problem does not come back as a
         * new alert, a new one after it clears does. */
        s->pending_since_us = 0;
        if (!clear)
            return out->change = EVAL_NONE;
        s->disarmed = false;
        return out->change = EVAL_REARM;
    }
    if (!cond) {
        if (s->pending_since_us == 0)
            return out->change = EVAL_NONE;
        s->pending_since_us = 0;
        return out->change = EVAL_CANCEL;
    }
    bool started = s->pending_since_us == 0;
    if (started)
        s->pending_since_us = t_us;
    if (t_us - s->pending_since_us >= r->duration_s * US_PER_S) {
        out->since_us = s->pending_since_us;
        s->pending_since_us = 0;
        s->open = true;
        return out->change = EVAL_OPEN;
    }
    return out->change = started ? EVAL_PENDING : EVAL_NONE;
}
