/* rule.c - loading alert rules and devices, and matching one against the other.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "rule.h"

static const char rules_sql[] =
    "SELECT id, name, title, use_case, coalesce(model, ''), coalesce(group_name, ''),"
    " coalesce(device_id, 0), kind, quantity, op, threshold, coalesce(threshold_param, ''),"
    " hysteresis, duration_s, coalesce(window_s, 0), coalesce(silence_factor, 0),"
    " active_from::text, active_to::text, severity, coalesce(escalate_after_s, 0), auto_resolve"
    " FROM alert_rule WHERE enabled ORDER BY id";

static const char devices_sql[] =
    "SELECT d.id, d.dev_eui, d.name, d.use_case, d.model, coalesce(d.expected_period_s, 0),"
    " d.params::text,"
    " coalesce((SELECT string_agg(m.group_name, ',') FROM device_group_member m"
    "           WHERE m.device_id = d.id), '')"
    " FROM device d WHERE d.active ORDER BY d.id";

/* Copies, cutting a text too long for 'dst' at a character boundary: a message cut inside a
 * UTF-8 sequence would be refused by PostgreSQL. */
static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src != NULL ? src : "");
    if (n < cap) {
        memcpy(dst, src != NULL ? src : "", n + 1);
        return;
    }
    n = cap - 1;
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--; /* src[n] is now the first byte of the character that does not fit */
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int rule_parse_kind(const char *text, enum rule_kind *out)
{
    static const char *const names[] = { "threshold", "rate", "no_data", "health", "daily" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum rule_kind)i;
            return MUE_OK;
        }
    }
    return MUE_EINVAL;
}

int rule_parse_severity(const char *text, enum rule_severity *out)
{
    for (int s = SEVERITY_INFO; s <= SEVERITY_CRITICAL; s++) {
        if (strcmp(text, rule_severity_name((enum rule_severity)s)) == 0) {
            *out = (enum rule_severity)s;
            return MUE_OK;
        }
    }
    return MUE_EINVAL;
}

const char *rule_severity_name(enum rule_severity s)
{
    switch (s) {
    case SEVERITY_INFO:
        return "info";
    case SEVERITY_WARNING:
        return "warning";
    case SEVERITY_CRITICAL:
        return "critical";
    }
    return "warning";
}

int rule_parse_time_of_day(const char *text, int *minutes)
{
    int h, m, n = 0;
    /* PostgreSQL's time type has 24:00:00, the end of the day. */
    if (sscanf(text, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h < 0 || h > 24 || m < 0 ||
        m > 59 || (h == 24 && m != 0))
        return MUE_EINVAL;
    if (text[5] != '\0' && text[5] != ':')
        return MUE_EINVAL;
    *minutes = h * 60 + m;
    return MUE_OK;
}

/* Fills one rule from a row of rules_sql; a row the engine cannot read is skipped (logged). */
static int read_rule(PGresult *res, int i, struct rule *r)
{
    memset(r, 0, sizeof(*r));
    r->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    copy(r->name, sizeof(r->name), PQgetvalue(res, i, 1));
    copy(r->title, sizeof(r->title), PQgetvalue(res, i, 2));
    copy(r->use_case, sizeof(r->use_case), PQgetvalue(res, i, 3));
    copy(r->model, sizeof(r->model), PQgetvalue(res, i, 4));
    copy(r->group, sizeof(r->group), PQgetvalue(res, i, 5));
    r->device_id = strtoll(PQgetvalue(res, i, 6), NULL, 10);
    if (rule_parse_kind(PQgetvalue(res, i, 7), &r->kind) < 0)
        return MUE_EINVAL;
    copy(r->quantity, sizeof(r->quantity), PQgetvalue(res, i, 8));
    r->op = strcmp(PQgetvalue(res, i, 9), "below") == 0 ? RULE_BELOW : RULE_ABOVE;
    r->has_threshold = !PQgetisnull(res, i, 10);
    if (r->has_threshold)
        r->threshold = strtod(PQgetvalue(res, i, 10), NULL);
    copy(r->threshold_param, sizeof(r->threshold_param), PQgetvalue(res, i, 11));
    r->hysteresis = strtod(PQgetvalue(res, i, 12), NULL);
    r->duration_s = strtoll(PQgetvalue(res, i, 13), NULL, 10);
    r->window_s = strtoll(PQgetvalue(res, i, 14), NULL, 10);
    r->silence_factor = strtod(PQgetvalue(res, i, 15), NULL);
    r->active_from_min = r->active_to_min = -1;
    if (!PQgetisnull(res, i, 16) &&
        (rule_parse_time_of_day(PQgetvalue(res, i, 16), &r->active_from_min) < 0 ||
         rule_parse_time_of_day(PQgetvalue(res, i, 17), &r->active_to_min) < 0))
        return MUE_EINVAL;
    if (rule_parse_severity(PQgetvalue(res, i, 18), &r->severity) < 0)
        return MUE_EINVAL;
    r->escalate_after_s = strtoll(PQgetvalue(res, i, 19), NULL, 10);
    r->auto_resolve = PQgetvalue(res, i, 20)[0] == 't';
    return MUE_OK;
}

static void read_device(PGresult *res, int i, struct rule_device *d)
{
    const char *groups = PQgetvalue(res, i, 7);

    memset(d, 0, sizeof(*d));
    d->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    copy(d->dev_eui, sizeof(d->dev_eui), PQgetvalue(res, i, 1));
    copy(d->name, sizeof(d->name), PQgetvalue(res, i, 2));
    copy(d->use_case, sizeof(d->use_case), PQgetvalue(res, i, 3));
    copy(d->model, sizeof(d->model), PQgetvalue(res, i, 4));
    d->expected_period_s = strtoll(PQgetvalue(res, i, 5), NULL, 10);
    d->params = json_loads(PQgetvalue(res, i, 6), 0, NULL);
    if (d->params == NULL)
        d->params = json_object();
    while (groups[0] != '\0') {
        size_t n = strcspn(groups, ",");
        d->groups = mue_xrealloc(d->groups, (size_t)(d->ngroups + 1) * sizeof(*d->groups));
        d->groups[d->ngroups++] = mue_xstrndup(groups, n);
        groups += n + (groups[n] == ',');
    }
}

int rule_set_load(struct mue_db *db, struct rule_set **out)
{
    PGresult *rules = NULL, *devices = NULL;
    int nr = mue_db_query(db, "rules.load", &rules, rules_sql, 0, NULL), nd;

    if (nr < 0)
        return MUE_EDB;
    nd = mue_db_query(db, "devices.load", &devices, devices_sql, 0, NULL);
    if (nd < 0) {
        PQclear(rules);
        return MUE_EDB;
    }
    struct rule_set *rs = mue_xcalloc(1, sizeof(*rs));
    rs->rules = mue_xcalloc((size_t)nr + 1, sizeof(*rs->rules));
    for (int i = 0; i < nr; i++) {
        if (read_rule(rules, i, &rs->rules[rs->nrules]) < 0) {
            mue_log_warn("rule.unreadable", "rule=%s reason=\"unknown kind, severity or window\"",
                         PQgetvalue(rules, i, 1));
            continue;
        }
        rs->nrules++;
    }
    rs->devices = mue_xcalloc((size_t)nd + 1, sizeof(*rs->devices));
    for (int i = 0; i < nd; i++)
        read_device(devices, i, &rs->devices[rs->ndevices++]);
    PQclear(rules);
    PQclear(devices);
    *out = rs;
    return MUE_OK;
}

void rule_set_free(struct rule_set *rs)
{
    if (rs == NULL)
        return;
    for (int i = 0; i < rs->ndevices; i++) {
        json_decref(rs->devices[i].params);
        for (int g = 0; g < rs->devices[i].ngroups; g++)
            free(rs->devices[i].groups[g]);
        free(rs->devices[i].groups);
    }
    free(rs->devices);
    free(rs->rules);
    free(rs);
}

void rule_set_keep_partition(struct rule_set *rs, long part, long nparts)
{
    int keep = 0;
    for (int i = 0; i < rs->ndevices; i++) {
        struct rule_device *d = &rs->devices[i];
        if (d->id % nparts == part) {
            rs->devices[keep++] = *d;
            continue;
        }
        json_decref(d->params);
        for (int g = 0; g < d->ngroups; g++)
            free(d->groups[g]);
        free(d->groups);
    }
    rs->ndevices = keep;
}

const struct rule_device *rule_set_device(const struct rule_set *rs, int64_t id)
{
    int lo = 0, hi = rs->ndevices - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (rs->devices[mid].id == id)
            return &rs->devices[mid];
        if (rs->devices[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

bool rule_applies(const struct rule *r, const struct rule_device *d)
{
    if (strcmp(r->use_case, d->use_case) != 0)
        return false;
    if (r->model[0] != '\0' && strcmp(r->model, d->model) != 0)
        return false;
    if (r->device_id != 0 && r->device_id != d->id)
        return false;
    if (r->group[0] != '\0') {
        for (int g = 0; g < d->ngroups; g++)
            if (strcmp(d->groups[g], r->group) == 0)
                return true;
        return false;
    }
    return true;
}

bool rule_matches_quantity(const struct rule *r, const char *quantity)
{
    size_t n = strlen(r->quantity);
    if (n > 0 && r->quantity[n - 1] == '*')
        return strncmp(r->quantity, quantity, n - 1) == 0;
    return strcmp(r->quantity, quantity) == 0;
}

bool rule_threshold(const struct rule *r, const struct rule_device *d, double *out)
{
    if (r->threshold_param[0] != '\0' && d != NULL) {
        json_t *v = json_object_get(d->params, r->threshold_param);
        if (json_is_number(v)) {
            *out = json_number_value(v);
            return true;
        }
    }
    if (!r->has_threshold)
        return false;
    *out = r->threshold;
    return true;
}
