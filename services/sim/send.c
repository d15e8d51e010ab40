/* send.c - sender threads over a bounded ring of uplinks. Each thread keeps one connection to the
 * ingest alive; an uplink the ingest did not take (no answer, 429, 5xx) is posted again after a
 * pause, as a network server's retry would, and the ledger says what became of it.
 * SPDX-License-Identifier: MIT */
#include "send.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger.h"
#include "mue_err.h"
#include "mue_http_conn.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"

#define SEND_QUEUE     1024
#define SEND_TIMEOUT   30000
#define SEND_MAX_THRDS 64

struct send_job {
    const struct sim_device *d;
    struct sim_uplink u;
    bool repeat;
};

struct sim_sender {
    struct sim_send_opts o;
    char auth[600];
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full, idle;
    struct send_job ring[SEND_QUEUE];
    size_t head, count, busy;
    bool stopping;
    struct sim_stats st;
    pthread_mutex_t ledger_lock;
    int nthreads;
    pthread_t th[SEND_MAX_THRDS];
};

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* Posts one uplink until it is taken, refused for good, or the attempts run out. */
static void post_one(struct sim_sender *s, struct mue_http_conn *conn, const struct send_job *j,
                     struct sim_stats *st)
{
    const char *headers[] = { s->auth, NULL }, *path = NULL;
    char body[SIM_WEBHOOK_MAX], answer[512];
    struct mue_http_conn_resp resp = { .body = answer, .cap = sizeof(answer) };
    struct ledger_entry e = {
        .time_us = j->u.time_us, .fcnt = j->u.fcnt, .fport = j->u.fport, .repeat = j->repeat
    };
    long pause = 200;
    int len = sim_webhook_body(j->d, &j->u, body, sizeof(body), &path), rc = MUE_EINVAL;
    const char *outcome = LEDGER_FAILED;

    memcpy(e.dev_eui, j->d->dev_eui, sizeof(e.dev_eui));
    e.posted_us = mue_time_now_us();
    for (e.attempts = 1; len > 0; e.attempts++) {
        rc = mue_http_conn_request(conn, "POST", path, headers, "application/json", body,
                                   (size_t)len, SEND_TIMEOUT, &resp);
        e.answered_us = rc == MUE_OK ? mue_time_now_us() : 0;
        if (rc == MUE_OK && resp.status >= 200 && resp.status < 300) {
            outcome = strstr(answer, "\"duplicate\":true") ? LEDGER_DUPLICATE : LEDGER_ACCEPTED;
            break;
        }
        if (rc == MUE_OK && resp.status >= 400 && resp.status < 500 && resp.status != 429) {
            outcome = LEDGER_REJECTED;
            mue_log_warn("uplink_rejected", "dev_eui=%s status=%d reason=%s", j->d->dev_eui,
                         resp.status, answer);
            break;
        }
        if (e.attempts >= s->o.max_attempts || mue_signal_stopping())
            break;
        st->retries++;
        if (rc == MUE_OK && resp.retry_after_s > 0)
            pause = resp.retry_after_s * 1000 > 5000 ? 5000 : resp.retry_after_s * 1000;
        pause_ms(pause);
        pause = pause * 2 > 5000 ? 5000 : pause * 2;
    }
    e.http_status = rc == MUE_OK ? resp.status : 0;
    if (strcmp(outcome, LEDGER_FAILED) == 0)
        mue_log_warn("uplink_failed", "dev_eui=%s attempts=%d status=%d error=\"%s\"",
                     j->d->dev_eui, e.attempts, e.http_status, mue_strerror(rc));
    snprintf(e.outcome, sizeof(e.outcome), "%s", outcome);
    st->accepted += strcmp(outcome, LEDGER_ACCEPTED) == 0;
    st->duplicates += strcmp(outcome, LEDGER_DUPLICATE) == 0;
    st->rejected += strcmp(outcome, LEDGER_REJECTED) == 0;
    st->failed += strcmp(outcome, LEDGER_FAILED) == 0;
    if (s->o.ledger != NULL) {
        pthread_mutex_lock(&s->ledger_lock);
        ledger_write(s->o.ledger, &e);
        pthread_mutex_unlock(&s->ledger_lock);
    }
}

static void add_stats(struct sim_stats *to, struct sim_stats *from)
{
    to->accepted += from->accepted;
    to->duplicates += from->duplicates;
    to->rejected += from->rejected;
    to->failed += from->failed;
    to->retries += from->retries;
    memset(from, 0, sizeof(*from));
}

static void *sender(void *arg)
{
    struct sim_sender *s = arg;
    struct mue_http_conn *conn = NULL;
    struct sim_stats st = { 0 };

    mue_http_conn_new(&conn, s->o.url); /* checked by sim_send_start */
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (s->count == 0 && !s->stopping)
            pthread_cond_wait(&s->not_empty, &s->lock);
        if (s->count == 0)
            break;
        struct send_job j = s->ring[s->head];
        s->head = (s->head + 1) % SEND_QUEUE;
        s->count--;
        s->busy++;
        pthread_cond_signal(&s->not_full);
        pthread_mutex_unlock(&s->lock);
        post_one(s, conn, &j, &st);
        pthread_mutex_lock(&s->lock);
        add_stats(&s->st, &st);
        s->busy--;
        if (s->count == 0 && s->busy == 0)
            pthread_cond_broadcast(&s->idle);
    }
    pthread_mutex_unlock(&s->lock);
    mue_http_conn_free(conn);
    return NULL;
}

int sim_send_start(struct sim_sender **out, const struct sim_send_opts *o)
{
    struct mue_http_conn *probe;
    struct sim_sender *s;

    if (mue_http_conn_new(&probe, o->url) < 0)
        return MUE_EINVAL;
    mue_http_conn_free(probe);
    s = mue_xcalloc(1, sizeof(*s));
    s->o = *o;
    if (s->o.threads < 1)
        s->o.threads = 1;
    if (s->o.threads > SEND_MAX_THRDS)
        s->o.threads = SEND_MAX_THRDS;
    if (s->o.max_attempts < 1)
        s->o.max_attempts = 1;
    snprintf(s->auth, sizeof(s->auth), "Authorization: Bearer %s", o->secret ? o->secret : "");
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->ledger_lock, NULL);
    pthread_cond_init(&s->not_empty, NULL);
    pthread_cond_init(&s->not_full, NULL);
    pthread_cond_init(&s->idle, NULL);
    if (s->o.ledger != NULL)
        ledger_header(s->o.ledger);
    for (int i = 0; i < s->o.threads; i++)
        if (pthread_create(&s->th[s->nthreads], NULL, sender, s) == 0)
            s->nthreads++;
    *out = s;
    return MUE_OK;
}

void sim_send(struct sim_sender *s, const struct sim_device *d, const struct sim_uplink *u,
              bool repeat)
{
    pthread_mutex_lock(&s->lock);
    while (s->count == SEND_QUEUE)
        pthread_cond_wait(&s->not_full, &s->lock);
    struct send_job *j = &s->ring[(s->head + s->count) % SEND_QUEUE];
    j->d = d;
    j->u = *u;
    j->repeat = repeat;
    s->count++;
    s->st.sent++;
    pthread_cond_signal(&s->not_empty);
    pthread_mutex_unlock(&s->lock);
}

void sim_send_drain(struct sim_sender *s)
{
    pthread_mutex_lock(&s->lock);
    while (s->count > 0 || s->busy > 0)
        pthread_cond_wait(&s->idle, &s->lock);
    pthread_mutex_unlock(&s->lock);
    if (s->o.ledger != NULL)
        fflush(s->o.ledger);
}

void sim_send_stats(struct sim_sender *s, struct sim_stats *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->st;
    pthread_mutex_unlock(&s->lock);
}

void sim_send_stop(struct sim_sender *s)
{
    if (s == NULL)
        return;
    sim_send_drain(s);
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->not_empty);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < s->nthreads; i++)
        pthread_join(s->th[i], NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->ledger_lock);
    pthread_cond_destroy(&s->not_empty);
    pthread_cond_destroy(&s->not_full);
    pthread_cond_destroy(&s->idle);
    free(s);
}
