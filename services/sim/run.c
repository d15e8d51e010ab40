/* run.c - the fleet's ticks in time order (a min-heap of each device's next tick) handed to the
 * senders, under one of three clocks; and the load mode's paced round robin.
 * SPDX-License-Identifier: MIT */
#include "run.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"
#include "signal.h"

#define US_PER_S 1000000LL
/* Frames of one tick are sent 2 s apart: a device cannot send two uplinks at once. */
#define FRAME_SPACING_US (2 * US_PER_S)
/* A back-fill waits for its senders and moves its cursor every so many ticks. */
#define CHECKPOINT_TICKS 20000

struct tick {
    int64_t t_s; /* the tick's time, whole seconds */
    int64_t k;   /* its index on the device's grid */
    size_t dev;
};

struct heap {
    struct tick *a;
    size_t n;
};

static void heap_push(struct heap *h, struct tick t)
{
    size_t i = h->n++;

    while (i > 0 && h->a[(i - 1) / 2].t_s > t.t_s) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = t;
}

static struct tick heap_pop(struct heap *h)
{
    struct tick top = h->a[0], last = h->a[--h->n];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].t_s < h->a[c].t_s)
            c++;
        if (h->a[c].t_s >= last.t_s)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0)
        h->a[i] = last;
    return top;
}

/* What each device needs at every tick, looked up once. */
struct prepared {
    const struct sim_signal *sig;
    const struct sim_encoder *enc;
};

static int prepare(const struct sim_fleet *f, struct prepared *p)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct sim_device *d = &f->dev[i];

        p[i].sig = sim_signal_find(d->use_case);
        p[i].enc = sim_encoder_find(d->model);
        if (p[i].sig == NULL || p[i].enc == NULL || d->period_s <= 0) {
            mue_log_error("sim_device_unsupported", "dev_eui=%s use_case=%s model=%s reason=\"%s\"",
                          d->dev_eui, d->use_case, d->model,
                          p[i].sig == NULL   ? "no signal for this use case"
                          : p[i].enc == NULL ? "no encoder for this model"
                                             : "no period");
            return MUE_EINVAL;
        }
    }
    return MUE_OK;
}

/* The frames of device 'd' at tick k (time t_us), at most 'max' of them, encoded and queued.
 * Returns how many. */
static int emit(const struct sim_device *d, const struct prepared *p, int64_t t_us, int64_t k,
                struct sim_sender *s, bool repeat_first, int max)
{
    struct sim_frame frames[SIM_MAX_FRAMES_PER_TICK];
    int n;

    memset(frames, 0, sizeof(frames));
    n = p->sig->frames(d, t_us, frames, SIM_MAX_FRAMES_PER_TICK);
    if (n < 0) {
        mue_log_error("sim_signal_failed", "dev_eui=%s error=\"%s\"", d->dev_eui, mue_strerror(n));
        return 0;
    }
    if (n > max)
        n = max;
    for (int i = 0; i < n; i++) {
        struct sim_uplink u = { .time_us = t_us + i * FRAME_SPACING_US,
                                .fcnt = (uint32_t)(k * SIM_MAX_FRAMES_PER_TICK + i) };
        int rc = p->enc->encode(&frames[i], u.payload, sizeof(u.payload), &u.len, &u.fport);

        if (rc < 0) {
            mue_log_error("sim_encode_failed", "dev_eui=%s model=%s kind=%d error=\"%s\"",
                          d->dev_eui, d->model, (int)frames[i].kind, mue_strerror(rc));
            continue;
        }
        sim_send(s, d, &u, false);
        if (repeat_first && i == 0)
            sim_send(s, d, &u, true);
    }
    return n;
}

/* The first tick of 'd' at or after 'from_s'. */
static struct tick first_tick(const struct sim_device *d, size_t dev, int64_t from_s)
{
    int64_t k = (from_s - d->phase_s + d->period_s - 1) / d->period_s;

    /* Integer division rounds toward zero: correct k for instants before the epoch's grid. */
    while (k * d->period_s + d->phase_s < from_s)
        k++;
    while (k > 0 && (k - 1) * d->period_s + d->phase_s >= from_s)
        k--;
    return (struct tick){ k * d->period_s + d->phase_s, k, dev };
}

static void cursor_write(const char *path, int64_t us)
{
    char tmp[4096], ts[40];
    FILE *f;

    if (path == NULL)
        return;
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    mue_time_format(us, ts, sizeof(ts));
    f = fopen(tmp, "w");
    if (f == NULL || fprintf(f, "%s\n", ts) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
        mue_log_warn("sim_cursor_not_written", "path=%s", path);
}

int sim_cursor_read(const char *path, int64_t *us)
{
    char line[64];
    FILE *f = fopen(path, "r");
    int rc;

    if (f == NULL)
        return MUE_ENOENT;
    rc = fgets(line, sizeof(line), f) != NULL ? MUE_OK : MUE_EDECODE;
    fclose(f);
    if (rc == MUE_OK) {
        line[strcspn(line, "\n")] = '\0';
        rc = mue_time_parse(line, us) < 0 ? MUE_EDECODE : MUE_OK;
    }
    return rc;
}

/* The simulated instant the clock has reached: everything before it is due. */
static int64_t clock_now(const struct sim_run_opts *o, int64_t mono0_ms)
{
    int64_t now = mue_time_now_us(), c;

    switch (o->mode) {
    case SIM_MODE_BACKFILL:
        return o->to_us;
    case SIM_MODE_ACCELERATED:
        c = o->from_us + (int64_t)((double)(mue_time_mono_ms() - mono0_ms) * 1000.0 * o->speed);
        return c < now ? c : now;
    case SIM_MODE_REALTIME:
    default:
        return now;
    }
}

static void progress(const struct sim_sender *s, int64_t clock_us, int64_t mono0_ms)
{
    struct sim_stats st;
    char ts[40];
    double secs = (double)(mue_time_mono_ms() - mono0_ms) / 1000.0;

    sim_send_stats((struct sim_sender *)s, &st);
    mue_time_format(clock_us, ts, sizeof(ts));
    fprintf(stderr, "  %s  sent %ld, accepted %ld, duplicates %ld, %.0f/s\n", ts, st.sent,
            st.accepted, st.duplicates, secs > 0 ? (double)st.sent / secs : 0.0);
}

int sim_run_ticks(const struct sim_fleet *f, struct sim_sender *s, const struct sim_run_opts *o)
{
    struct prepared *p = mue_xcalloc(f->n ? f->n : 1, sizeof(*p));
    struct heap h = { mue_xcalloc(f->n ? f->n : 1, sizeof(struct tick)), 0 };
    int64_t mono0 = mue_time_mono_ms(), last_report = mono0, last_cursor = mono0, clock = 0;
    long ticks = 0;
    int rc = prepare(f, p);

    for (size_t i = 0; rc == MUE_OK && i < f->n; i++)
        heap_push(&h, first_tick(&f->dev[i], i, o->from_us / US_PER_S));
    while (rc == MUE_OK && h.n > 0 && !mue_signal_stopping()) {
        clock = clock_now(o, mono0);
        if (o->to_us != 0 && clock > o->to_us)
            clock = o->to_us;
        while (h.n > 0 && h.a[0].t_s * US_PER_S < clock && !mue_signal_stopping()) {
            struct tick t = heap_pop(&h);
            const struct sim_device *d = &f->dev[t.dev];

            emit(d, &p[t.dev], t.t_s * US_PER_S, t.k, s, false, SIM_MAX_FRAMES_PER_TICK);
            heap_push(&h, (struct tick){ t.t_s + d->period_s, t.k + 1, t.dev });
            if (++ticks % CHECKPOINT_TICKS == 0) {
                sim_send_drain(s);
                cursor_write(o->cursor_path, h.a[0].t_s * US_PER_S);
            }
            if (o->progress && mue_time_mono_ms() - last_report >= 5000) {
                progress(s, t.t_s * US_PER_S, mono0);
                last_report = mue_time_mono_ms();
            }
        }
        if (o->to_us != 0 && clock >= o->to_us)
            break;
        /* Caught up: what was queued goes out, the cursor moves now and then, and the clock is
         * given time to reach the next tick. */
        if (mue_time_mono_ms() - last_cursor >= 10000) {
            sim_send_drain(s);
            cursor_write(o->cursor_path, clock);
            last_cursor = mue_time_mono_ms();
        }
        double wait_ms = (double)(h.a[0].t_s * US_PER_S - clock) / 1000.0;
        if (o->mode == SIM_MODE_ACCELERATED)
            wait_ms /= o->speed;
        mue_signal_sleep_ms(wait_ms > 1000.0 ? 1000 : wait_ms < 1.0 ? 1 : (long)wait_ms);
    }
    sim_send_drain(s);
    if (rc == MUE_OK && clock != 0)
        cursor_write(o->cursor_path,
                     mue_signal_stopping() && h.n > 0 && h.a[0].t_s * US_PER_S < clock
                         ? h.a[0].t_s * US_PER_S
                         : clock);
    if (rc == MUE_OK && o->progress)
        progress(s, clock, mono0);
    free(h.a);
    free(p);
    return rc;
}

void sim_load_fleet(const struct sim_fleet *f, size_t n, struct sim_fleet *out)
{
    out->n = n;
    out->dev = mue_xcalloc(n ? n : 1, sizeof(*out->dev));
    for (size_t i = 0; i < n && f->n > 0; i++) {
        struct sim_device *d = &out->dev[i];
        const struct sim_device *t = &f->dev[i % f->n];

        *d = *t;
        snprintf(d->dev_eui, sizeof(d->dev_eui), "fe%014llx", (unsigned long long)(i & 0xffffffffffffffULL));
        snprintf(d->name, sizeof(d->name), "Charge %04zu (%.60s)", i + 1, t->name);
        d->site[0] = '\0';
        d->seed = sim_hash(t->seed, i, 0x6c6f6164);
        d->params = json_deep_copy(t->params);
    }
}

int sim_run_load(const struct sim_fleet *load, struct sim_sender *s, const struct sim_load_opts *o)
{
    struct prepared *p = mue_xcalloc(load->n ? load->n : 1, sizeof(*p));
    long total = (long)(o->rate * o->duration_s);
    int64_t mono0 = mue_time_mono_ms();
    int rc = prepare(load, p);

    for (long i = 0; rc == MUE_OK && i < total && !mue_signal_stopping(); i++) {
        size_t dev = (size_t)i % load->n;
        int64_t k = i / (long)load->n;
        int64_t due = mono0 + (int64_t)((double)i * 1000.0 / o->rate),
                wait = due - mue_time_mono_ms();
        bool repeat = sim_uniform(0x72657065, (uint64_t)i, 0) * 100.0 < o->repeat_pct;

        if (wait > 0)
            mue_signal_sleep_ms(wait);
        /* One uplink per device and millisecond (the first frame of a tick only): the load
         * devices' times never collide. */
        emit(&load->dev[dev], &p[dev], o->start_us + k * 1000, k, s, repeat, 1);
    }
    sim_send_drain(s);
    free(p);
    return rc;
}
