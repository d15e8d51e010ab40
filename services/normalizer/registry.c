/* registry.c - device lookups by DevEUI, cached in a hash table with expiry.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_time.h"
#include "registry.h"

#define NBUCKETS    4096
#define MAX_ENTRIES 200000 /* past this the cache is emptied: a bound on memory, not a policy */

struct entry {
    struct entry *next;
    int known;
    int64_t expires_ms;
    struct registry_device dev;
};

struct registry {
    struct mue_db *db;
    long ttl_ms, negative_ttl_ms;
    size_t count;
    struct entry *buckets[NBUCKETS];
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % NBUCKETS;
}

static void entry_free(struct entry *e)
{
    json_decref(e->dev.params);
    free(e);
}

static void clear(struct registry *r)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        while (r->buckets[i]) {
            struct entry *e = r->buckets[i];
            r->buckets[i] = e->next;
            entry_free(e);
        }
    }
    r->count = 0;
}

struct registry *registry_new(struct mue_db *db, long ttl_s, long negative_ttl_s)
{
    struct registry *r = mue_xcalloc(1, sizeof(*r));
    r->db = db;
    r->ttl_ms = ttl_s * 1000;
    r->negative_ttl_ms = negative_ttl_s * 1000;
    return r;
}

void registry_free(struct registry *r)
{
    if (r == NULL)
        return;
    clear(r);
    free(r);
}

/* Loads one device into 'e'. Returns 1 found, 0 unknown, MUE_EDB. */
static int load(struct registry *r, const char *dev_eui, struct entry *e)
{
    static const char sql[] = "SELECT id, model, use_case, params::text FROM device"
                              " WHERE dev_eui = $1 AND active";
    const char *params[1] = { dev_eui };
    PGresult *res = NULL;
    json_error_t jerr;
    int n = mue_db_query(r->db, "registry lookup", &res, sql, 1, params);

    if (n < 0)
        return MUE_EDB;
    if (n == 0) {
        PQclear(res);
        return 0;
    }
    e->dev.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(e->dev.model, sizeof(e->dev.model), "%s", PQgetvalue(res, 0, 1));
    snprintf(e->dev.use_case, sizeof(e->dev.use_case), "%s", PQgetvalue(res, 0, 2));
    e->dev.params = json_loads(PQgetvalue(res, 0, 3), 0, &jerr);
    if (!json_is_object(e->dev.params)) {
        /* The column's CHECK makes this unreachable; an empty object keeps callers simple. */
        json_decref(e->dev.params);
        e->dev.params = json_object();
    }
    PQclear(res);
    return 1;
}

int registry_lookup(struct registry *r, const char *dev_eui, const struct registry_device **out)
{
    unsigned h = hash(dev_eui);
    int64_t now = mue_time_mono_ms();
    struct entry **link = &r->buckets[h], *e;
    int found;

    for (e = *link; e != NULL; link = &e->next, e = e->next) {
        if (strcmp(e->dev.dev_eui, dev_eui) != 0)
            continue;
        if (e->expires_ms > now) {
            *out = &e->dev;
            return e->known;
        }
        *link = e->next; /* expired: load it afresh below */
        entry_free(e);
        r->count--;
        break;
    }
    e = mue_xcalloc(1, sizeof(*e));
    snprintf(e->dev.dev_eui, sizeof(e->dev.dev_eui), "%s", dev_eui);
    found = load(r, dev_eui, e);
    if (found < 0) {
        entry_free(e);
        return MUE_EDB;
    }
    if (r->count >= MAX_ENTRIES)
        clear(r);
    e->known = found;
    e->expires_ms = now + (found ? r->ttl_ms : r->negative_ttl_ms);
    e->next = r->buckets[h];
    r->buckets[h] = e;
    r->count++;
    mue_log_debug("registry.loaded", "dev_eui=%s known=%d", dev_eui, found);
    *out = &e->dev;
    return found;
}

void registry_forget(struct registry *r, const char *dev_eui)
{
    struct entry **link, *e;

    if (dev_eui == NULL || dev_eui[0] == '\0') {
        clear(r);
        return;
    }
    link = &r->buckets[hash(dev_eui)];
    while ((e = *link) != NULL) {
        if (strcmp(e->dev.dev_eui, dev_eui) == 0) {
            *link = e->next;
            entry_free(e);
            r->count--;
        } else {
            link = &e->next;
        }
    }
}
