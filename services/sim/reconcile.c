/* reconcile.c - ledger and database, both as sorted (DevEUI, time) lists, walked side by side.
 * SPDX-License-Identifier: MIT */
#include "reconcile.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"

struct key {
    char dev_eui[17];
    int64_t time_us;
    bool taken; /* ledger: the ingest took it; database: its row count is in 'rows' */
    long rows;
};

static int key_cmp(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->dev_eui, y->dev_eui);

    return c != 0 ? c : (x->time_us > y->time_us) - (x->time_us < y->time_us);
}

/* The ledger's distinct uplinks, sorted; an uplink taken by any of its posts counts as taken. */
static int read_ledger(FILE *f, struct key **out, size_t *n, struct sim_reconcile *r, char *err,
                       size_t cap)
{
    char line[256];
    size_t len = 0, alloc = 1024, lineno = 0, w = 0;
    struct key *k = mue_xcalloc(alloc, sizeof(*k));
    struct ledger_entry e;

    while (fgets(line, sizeof(line), f) != NULL) {
        int rc = ledger_parse(line, &e);

        lineno++;
        if (rc == MUE_ENOENT)
            continue;
        if (rc < 0) {
            snprintf(err, cap, "ledger line %zu does not parse", lineno);
            free(k);
            return MUE_EDECODE;
        }
        r->lines++;
        r->repeats += e.repeat;
        if (len == alloc)
            k = mue_xrealloc(k, (alloc *= 2) * sizeof(*k));
        memcpy(k[len].dev_eui, e.dev_eui, sizeof(e.dev_eui));
        k[len].time_us = e.time_us;
        k[len].taken =
            strcmp(e.outcome, LEDGER_ACCEPTED) == 0 || strcmp(e.outcome, LEDGER_DUPLICATE) == 0;
        len++;
    }
    qsort(k, len, sizeof(*k), key_cmp);
    for (size_t i = 0; i < len; i++) {
        if (w > 0 && key_cmp(&k[w - 1], &k[i]) == 0) {
            k[w - 1].taken |= k[i].taken;
            continue;
        }
        k[w++] = k[i];
    }
    *out = k;
    *n = w;
    return MUE_OK;
}

/* The measurements of the ledger's devices between 'lo' and 'hi', one key per (device, time). */
static int read_db(struct mue_db *db, const struct key *lk, size_t ln, int64_t lo, int64_t hi,
                   struct key **out, size_t *n)
{
    static const char sql[] =
        "SELECT d.dev_eui, (extract(epoch FROM m.time) * 1000000)::bigint, count(*)"
        " FROM measurement m JOIN device d ON d.id = m.device_id"
        " WHERE d.dev_eui = ANY($1::text[]) AND m.time >= $2::timestamptz"
        " AND m.time <= $3::timestamptz GROUP BY 1, 2";
    size_t cap = 3, i;
    char *devs = mue_xcalloc(1, cap), tlo[40], thi[40];
    const char *params[3];
    PGresult *res;
    int rows;

    strcpy(devs, "{");
    for (i = 0; i < ln; i++) {
        if (i > 0 && strcmp(lk[i - 1].dev_eui, lk[i].dev_eui) == 0)
            continue;
        devs = mue_xrealloc(devs, cap += 17);
        strcat(devs, lk[i].dev_eui);
        strcat(devs, ",");
    }
    /* The last comma becomes the closing brace ({} when there is no device). */
    if (devs[strlen(devs) - 1] == ',')
        devs[strlen(devs) - 1] = '}';
    else
        strcat(devs, "}");
    mue_time_format(lo, tlo, sizeof(tlo));
    mue_time_format(hi, thi, sizeof(thi));
    params[0] = devs;
    params[1] = tlo;
    params[2] = thi;
    rows = mue_db_query(db, "reconcile", &res, sql, 3, params);
    free(devs);
    if (rows < 0)
        return MUE_EDB;
    struct key *k = mue_xcalloc((size_t)rows + 1, sizeof(*k));
    for (int r = 0; r < rows; r++) {
        snprintf(k[r].dev_eui, sizeof(k[r].dev_eui), "%s", PQgetvalue(res, r, 0));
        k[r].time_us = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        k[r].rows = strtol(PQgetvalue(res, r, 2), NULL, 10);
    }
    PQclear(res);
    qsort(k, (size_t)rows, sizeof(*k), key_cmp);
    *out = k;
    *n = (size_t)rows;
    return MUE_OK;
}

static void compare(const struct key *lk, size_t ln, const struct key *dk, size_t dn,
                    struct sim_reconcile *r)
{
    size_t i = 0, j = 0;

    r->expected = r->not_taken = r->stored = r->lost = r->unexpected = r->rows = 0;
    r->rows_min = r->rows_max = 0;
    while (i < ln || j < dn) {
        int c = i == ln ? 1 : j == dn ? -1 : key_cmp(&lk[i], &dk[j]);

        if (c < 0) { /* in the ledger only */
            r->expected += lk[i].taken;
            r->lost += lk[i].taken;
            r->not_taken += !lk[i].taken;
            i++;
        } else if (c > 0) { /* in the database only */
            r->unexpected++;
            j++;
        } else {
            if (lk[i].taken) {
                r->expected++;
                r->stored++;
                r->rows += dk[j].rows;
                if (r->rows_min == 0 || dk[j].rows < r->rows_min)
                    r->rows_min = dk[j].rows;
                if (dk[j].rows > r->rows_max)
                    r->rows_max = dk[j].rows;
            } else {
                /* Refused or failed, yet stored: the ingest took it after all (an answer lost
                 * on the way back). Not a loss, not a duplicate. */
                r->not_taken++;
            }
            i++;
            j++;
        }
    }
}

int sim_reconcile(struct mue_db *db, FILE *f, long wait_s, struct sim_reconcile *out, char *err,
                  size_t cap)
{
    struct key *lk = NULL, *dk = NULL;
    size_t ln = 0, dn = 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN, deadline = mue_time_mono_ms() + wait_s * 1000;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = read_ledger(f, &lk, &ln, out, err, cap);
    for (size_t i = 0; rc == MUE_OK && i < ln; i++) {
        lo = lk[i].time_us < lo ? lk[i].time_us : lo;
        hi = lk[i].time_us > hi ? lk[i].time_us : hi;
    }
    while (rc == MUE_OK && ln > 0) {
        free(dk);
        dk = NULL;
        rc = read_db(db, lk, ln, lo, hi, &dk, &dn);
        if (rc < 0) {
            snprintf(err, cap, "the database did not answer");
            break;
        }
        compare(lk, ln, dk, dn, out);
        if (out->lost == 0 || mue_time_mono_ms() >= deadline || mue_signal_sleep_ms(500))
            break;
    }
    free(lk);
    free(dk);
    return rc;
}
