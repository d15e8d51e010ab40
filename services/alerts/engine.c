/* engine.c - evaluating a batch of samples against the persisted rule states, in one transaction.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "eval.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "store.h"

void engine_add(struct engine_sample **v, int *n, int *cap, const struct rule *r,
                const struct rule_device *d, const char *quantity, int64_t t_us, double value)
{
    size_t qn = strlen(r->quantity);
    if (qn > 0 && r->quantity[qn - 1] == '*') {
        /* lamp_failure_1 and lamp_failure_2 of one uplink are one sample of the rule. */
        for (int i = *n - 1; i >= 0 && i >= *n - 64; i--) {
            struct engine_sample *s = &(*v)[i];
            if (s->rule == r && s->device == d && s->t_us == t_us) {
                if (r->op == RULE_ABOVE ? value > s->value : value < s->value) {
                    s->value = value;
                    snprintf(s->quantity, sizeof(s->quantity), "%s", quantity);
                }
                return;
            }
        }
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = mue_xrealloc(*v, (size_t)*cap * sizeof(**v));
    }
    struct engine_sample *s = &(*v)[(*n)++];
    s->rule = r;
    s->device = d;
    snprintf(s->quantity, sizeof(s->quantity), "%s", quantity);
    s->t_us = t_us;
    s->value = value;
}

static int by_pair_then_time(const void *a, const void *b)
{
    const struct engine_sample *x = a, *y = b;
    if (x->rule->id != y->rule->id)
        return x->rule->id < y->rule->id ? -1 : 1;
    if (x->device->id != y->device->id)
        return x->device->id < y->device->id ? -1 : 1;
    if (x->t_us != y->t_us)
        return x->t_us < y->t_us ? -1 : 1;
    return 0;
}

void engine_message(char *out, size_t cap, const struct rule *r, const struct rule_device *d,
                    const char *quantity, double value, double threshold)
{
    switch (r->kind) {
    case RULE_NO_DATA:
        snprintf(out, cap, "%s : %s (%s) muet depuis %.0f min", r->title, d->name, d->dev_eui,
                 value / 60.0);
        return;
    case RULE_HEALTH:
        if (strcmp(r->quantity, "f_cnt") == 0) {
            snprintf(out, cap, "%s : %s (%s), compteur de trames revenu à %.0f", r->title, d->name,
                     d->dev_eui, value);
            return;
        }
        break;
    case RULE_RATE:
        snprintf(out, cap, "%s : %s (%s), %s varie de %+.3g en %lld min (seuil %+.3g)", r->title,
                 d->name, d->dev_eui, quantity, value, (long long)(r->window_s / 60), threshold);
        return;
    default:
        break;
    }
    snprintf(out, cap, "%s : %s (%s), %s = %.4g (seuil %s %.4g)", r->title, d->name, d->dev_eui,
             quantity, value, r->op == RULE_ABOVE ? "≥" : "≤", threshold);
}

/* The pairs of sorted samples, and for each sample the index of its pair. */
static int collect_pairs(const struct engine_sample *v, int n, struct store_pair **out, int *idx)
{
    struct store_pair *p = mue_xcalloc((size_t)n + 1, sizeof(*p));
    int np = 0;
    for (int i = 0; i < n; i++) {
        if (np == 0 || p[np - 1].rule_id != v[i].rule->id ||
            p[np - 1].device_id != v[i].device->id) {
            p[np].rule_id = v[i].rule->id;
            p[np].device_id = v[i].device->id;
            np++;
        }
        idx[i] = np - 1;
    }
    *out = p;
    return np;
}

/* Applies one evaluated change to the database. */
static int apply(struct mue_db *db, const struct engine_sample *s, struct store_pair *p,
                 const struct eval_result *res, double threshold, struct engine_counts *c)
{
    const struct rule *r = s->rule;
    char message[512];

    switch (res->change) {
    case EVAL_OPEN: {
        engine_message(message, sizeof(message), r, s->device, s->quantity, res->value, threshold);
        struct store_alert a = { r->id,         s->device->id,
                                 r->use_case,   rule_severity_name(r->severity),
                                 s->quantity,   message,
                                 res->since_us, s->t_us,
                                 res->value };
        int opened = store_open_alert(db, &a, &p->alert_id);
        if (opened < 0)
            return MUE_EDB;
        c->opened += opened;
        if (opened)
            mue_log_info("alert.opened", "alert=%lld rule=%s dev_eui=%s value=%g",
                         (long long)p->alert_id, r->name, s->device->dev_eui, res->value);
        return MUE_OK;
    }
    case EVAL_UPDATE:
        return store_update_alert(db, p->alert_id, s->t_us, res->value, r->op == RULE_ABOVE);
    case EVAL_RESOLVE: {
        int resolved = store_resolve_alert(db, p->alert_id, s->t_us, res->value, "auto", "");
        if (resolved < 0)
            return MUE_EDB;
        c->resolved += resolved;
        if (resolved)
            mue_log_info("alert.resolved", "alert=%lld rule=%s dev_eui=%s value=%g",
                         (long long)p->alert_id, r->name, s->device->dev_eui, res->value);
        p->alert_id = 0;
        return MUE_OK;
    }
    case EVAL_LATE:
        c->late++;
        return MUE_OK;
    default:
        return MUE_OK;
    }
}

int engine_run(struct mue_db *db, struct engine_sample *v, int n, int64_t *heard_ids,
               int64_t *heard_us, int nheard, struct engine_counts *counts)
{
    struct store_pair *pairs = NULL;
    int *idx = mue_xcalloc((size_t)n + 1, sizeof(*idx));
    int np, rc = MUE_EDB;

    memset(counts, 0, sizeof(*counts));
    if (n > 0) /* a batch may bring no sample (no rule applies): v is NULL then */
        qsort(v, (size_t)n, sizeof(*v), by_pair_then_time);
    np = collect_pairs(v, n, &pairs, idx);
    counts->pairs = np;
    if (store_begin(db) < 0)
        goto out;
    if (store_lock_pairs(db, pairs, np) < 0)
        goto fail;
    for (int i = 0; i < n; i++) {
        struct store_pair *p = &pairs[idx[i]];
        struct eval_result res;
        double threshold;
        if (!p->found)
            continue;
        if (!rule_threshold(v[i].rule, v[i].device, &threshold))
            threshold = 0; /* frame-counter rules have none; others were left out before */
        /* An alert resolved by hand meanwhile: the state follows the table. */
        p->st.open = p->alert_id != 0;
        eval_sample(v[i].rule, threshold, &p->st, v[i].t_us, v[i].value, &res);
        if (apply(db, &v[i], p, &res, threshold, counts) < 0)
            goto fail;
    }
    if (store_save_pairs(db, pairs, np) < 0 || store_heard(db, heard_ids, heard_us, nheard) < 0 ||
        store_commit(db) < 0)
        goto fail;
    rc = MUE_OK;
    goto out;
fail:
    store_rollback(db);
    memset(counts, 0, sizeof(*counts));
out:
    free(pairs);
    free(idx);
    return rc;
}
