/* alerts_channels.c - "mue-admin alerts channel|channels" and "mue-admin groups": where
 * notifications go and which devices a rule may be bound to. Every change is audited in the same
 * statement and announced on mue.alertrules.changed; a channel's secret is never printed.
 * SPDX-License-Identifier: MIT */
#include "alerts.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"

#define TIME_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* A channel's columns, as channel add and channels print them (table alert_channel c). */
#define CHANNEL_SELECT                                                                             \
    "SELECT c.id, c.name, c.kind, c.target, c.secret <> '' AS secret_set, c.use_case,"             \
    " c.min_severity, c.group_s, to_char(c.quiet_from, 'HH24:MI') AS quiet_from,"                  \
    " to_char(c.quiet_to, 'HH24:MI') AS quiet_to, c.enabled, " TIME_UTC(                           \
        "c.created_at") " AS created_at"

#define NAME_MAX_LEN   64
#define TARGET_MAX_LEN 2000
/* "groups set": enough for a street's lamps or a campaign's sensors. */
#define GROUP_LIST_CAP (17 * 4096)

static const char chan_cmd[] = "alerts channel";
static const char group_cmd[] = "groups";

struct channel_args {
    const char *name, *kind, *target, *secret, *use_case, *min_severity, *group_s, *quiet;
    char quiet_from[6], quiet_to[6];
};

static int is_printable(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return 0;
    return 1;
}

/* An http(s) URL without spaces. */
static int is_webhook_target(const char *s)
{
    return (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) && strlen(s) > 8 &&
           strpbrk(s, " \t") == NULL;
}

/* Addresses separated by commas (blanks around them allowed, as mue-alerts trims them), each
 * "local@domain" without spaces. */
static int is_email_target(const char *s)
{
    for (const char *p = s;; p++) {
        size_t n = strcspn(p, ","), lead = strspn(p, " \t");
        const char *a = p + (lead < n ? lead : n), *b = p + n, *at;

        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        at = memchr(a, '@', (size_t)(b - a));
        if (a == b || at == NULL || at == a || at == b - 1 ||
            memchr(at + 1, '@', (size_t)(b - at - 1)) != NULL)
            return 0;
        for (const char *c = a; c < b; c++)
            if (*c == ' ' || *c == '\t')
                return 0;
        p += n;
        if (*p == '\0')
            return 1;
    }
}

static int parse_add(int argc, char **argv, struct channel_args *a)
{
    static const char *const opts[] = { "--name",     "--kind",         "--target",  "--secret",
                                        "--use-case", "--min-severity", "--group-s", "--quiet" };
    const char **slots[] = { &a->name,     &a->kind,         &a->target,  &a->secret,
                             &a->use_case, &a->min_severity, &a->group_s, &a->quiet };
    const size_t nopts = sizeof(opts) / sizeof(opts[0]);
    long l;

    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i += 2) {
        size_t k = 0;

        while (k < nopts && strcmp(argv[i], opts[k]) != 0)
            k++;
        if (k == nopts || i + 1 >= argc)
            return alerts_usage_error(chan_cmd, "unknown or incomplete argument", argv[i]);
        if (*slots[k] != NULL)
            return alerts_usage_error(chan_cmd, "given twice:", argv[i]);
        *slots[k] = argv[i + 1];
    }
    if (a->name == NULL || a->kind == NULL || a->target == NULL)
        return alerts_usage_error(chan_cmd, "channel add needs --name, --kind and --target", NULL);
    if (!is_printable(a->name, NAME_MAX_LEN))
        return alerts_usage_error(chan_cmd, "--name must be 1 to 64 printable characters, not",
                                  a->name);
    if (strcmp(a->kind, "webhook") == 0) {
        if (!is_webhook_target(a->target) || strlen(a->target) > TARGET_MAX_LEN)
            return alerts_usage_error(chan_cmd, "a webhook's --target is an http(s) URL, not",
                                      a->target);
    } else if (strcmp(a->kind, "email") == 0) {
        if (!is_email_target(a->target) || strlen(a->target) > TARGET_MAX_LEN)
            return alerts_usage_error(
                chan_cmd, "an email channel's --target is addresses separated by commas, not",
                a->target);
    } else {
        return alerts_usage_error(chan_cmd, "--kind is webhook or email, not", a->kind);
    }
    if (a->secret != NULL && strcmp(a->kind, "webhook") != 0)
        return alerts_usage_error(chan_cmd, "--secret is for webhooks only", NULL);
    if (a->min_severity != NULL && !alerts_is_severity(a->min_severity))
        return alerts_usage_error(chan_cmd, "--min-severity is info, warning or critical, not",
                                  a->min_severity);
    if (a->group_s != NULL && mue_config_parse_long(a->group_s, 0, 7L * 86400, &l) < 0)
        return alerts_usage_error(chan_cmd, "--group-s is 0 to 604800 seconds, not", a->group_s);
    if (a->quiet != NULL && alerts_parse_quiet(a->quiet, a->quiet_from, a->quiet_to) < 0)
        return alerts_usage_error(chan_cmd, "--quiet is HH:MM-HH:MM (local time), not", a->quiet);
    return 0;
}

static int use_case_exists(struct mue_db *db, const char *uc)
{
    const char *p[1] = { uc };
    PGresult *res = NULL;
    int n = mue_db_query(db, "alerts channel use case", &res,
                         "SELECT 1 FROM use_case WHERE id = $1", 1, p);

    PQclear(res);
    return n;
}

static int channel_add(struct mue_db *db, const struct channel_args *a, const char *actor)
{
    /* clang-format off */
    static const char sql[] =
        "WITH c AS (INSERT INTO alert_channel AS ch (name, kind, target, secret, use_case,"
        " min_severity, group_s, quiet_from, quiet_to)"
        " VALUES ($1, $2, $3, coalesce($4, ''), $5, coalesce($6, 'warning'),"
        " coalesce($7::integer, 900), $8::time, $9::time)"
        " ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, target = EXCLUDED.target,"
        " secret = CASE WHEN $4::text IS NULL THEN ch.secret ELSE EXCLUDED.secret END,"
        " use_case = EXCLUDED.use_case, min_severity = EXCLUDED.min_severity,"
        " group_s = EXCLUDED.group_s, quiet_from = EXCLUDED.quiet_from,"
        " quiet_to = EXCLUDED.quiet_to"
        " RETURNING ch.*, (ch.xmax = 0) AS created),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT $10, 'channel.add', c.name, jsonb_build_object('created', c.created, 'kind',"
        " c.kind, 'target', c.target, 'secret_set', c.secret <> '', 'use_case', c.use_case,"
        " 'min_severity', c.min_severity, 'group_s', c.group_s, 'quiet_from',"
        " to_char(c.quiet_from, 'HH24:MI'), 'quiet_to', to_char(c.quiet_to, 'HH24:MI')) FROM c)"
        " SELECT row_to_json(x)::text, (SELECT created FROM c), (SELECT secret <> '' FROM c)"
        " FROM (" CHANNEL_SELECT " FROM c) x";
    /* clang-format on */
    const char *p[10] = { a->name,
                          a->kind,
                          a->target,
                          a->secret,
                          a->use_case,
                          a->min_severity,
                          a->group_s,
                          a->quiet ? a->quiet_from : NULL,
                          a->quiet ? a->quiet_to : NULL,
                          actor };
    PGresult *res = NULL;
    int n;

    if (a->use_case != NULL) {
        n = use_case_exists(db, a->use_case);
        if (n < 0)
            return alerts_refused(chan_cmd, "the database refused (see the log)", NULL);
        if (n == 0)
            return alerts_refused(
                chan_cmd, "no such use case (mue-admin retention lists them):", a->use_case);
    }
    n = mue_db_query(db, "alerts channel add", &res, sql, 10, p);
    if (n == 1) {
        printf("%s\n", PQgetvalue(res, 0, 0));
        fprintf(stderr, "channel %s %s\n", a->name,
                strcmp(PQgetvalue(res, 0, 1), "t") == 0 ? "created" : "updated");
        if (strcmp(a->kind, "webhook") == 0 && strcmp(PQgetvalue(res, 0, 2), "t") != 0)
            fprintf(stderr, "warning: webhook %s has no --secret: its calls are not signed\n",
                    a->name);
    }
    PQclear(res);
    return n == 1 ? 0 : alerts_refused(chan_cmd, "the channel was not stored (see the log)", NULL);
}

static int channel_remove(struct mue_db *db, const char *name, const char *actor)
{
    static const char sql[] =
        "WITH c AS (DELETE FROM alert_channel WHERE name = $1 RETURNING name, kind, target),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT $2, 'channel.remove', c.name, jsonb_build_object('kind', c.kind, 'target',"
        " c.target) FROM c)"
        " SELECT name FROM c";
    const char *p[2] = { name, actor };
    PGresult *res = NULL;
    int n = mue_db_query(db, "alerts channel remove", &res, sql, 2, p);

    PQclear(res);
    if (n == 0)
        return alerts_refused(chan_cmd, "no such channel (alerts channels lists them):", name);
    if (n < 0)
        return alerts_refused(chan_cmd, "the channel was not removed (see the log)", NULL);
    fprintf(stderr, "channel %s removed\n", name);
    return 0;
}

static int channel_list(struct mue_db *db)
{
    static const char sql[] = "SELECT row_to_json(x)::text FROM (" CHANNEL_SELECT
                              " FROM alert_channel c ORDER BY c.name) x";
    PGresult *res = NULL;
    int n = mue_db_query(db, "alerts channels", &res, sql, 0, NULL);

    for (int i = 0; i < n; i++)
        printf("%s\n", PQgetvalue(res, i, 0));
    PQclear(res);
    return n < 0 ? alerts_refused(chan_cmd, "the query failed (see the log)", NULL) : 0;
}

int alerts_channel_command(int argc, char **argv, const struct alerts_ctx *ctx)
{
    const char *verb = argc >= 2 ? argv[1] : "";
    struct channel_args a;
    struct mue_db *db = NULL;
    int list = strcmp(argv[0], "channels") == 0, rc;

    if (list) {
        if (argc != 1)
            return alerts_usage_error("alerts", "usage: alerts channels", NULL);
    } else if (strcmp(verb, "add") == 0) {
        if (parse_add(argc, argv, &a) != 0)
            return 2;
    } else if (strcmp(verb, "remove") == 0) {
        if (argc != 3)
            return alerts_usage_error(chan_cmd, "usage: alerts channel remove NAME", NULL);
    } else {
        return alerts_usage_error(chan_cmd, "usage: alerts channel add|remove ...", NULL);
    }
    if (alerts_open_db(ctx, &db) != 0)
        return 1;
    if (list)
        rc = channel_list(db);
    else if (verb[0] == 'a')
        rc = channel_add(db, &a, ctx->actor);
    else
        rc = channel_remove(db, argv[2], ctx->actor);
    mue_db_close(db);
    if (rc == 0 && !list)
        alerts_announce(ctx);
    return rc;
}

struct group_args {
    const char *name, *title;
    char euis[GROUP_LIST_CAP];
};

static int parse_group_set(int argc, char **argv, struct group_args *g)
{
    const char *devices = NULL;

    g->name = argc >= 3 ? argv[2] : NULL;
    g->title = NULL;
    if (g->name == NULL || !alerts_is_name(g->name))
        return alerts_usage_error(group_cmd,
                                  "a group's name is [a-z0-9][a-z0-9_.-]*, 64 characters at most,"
                                  " not",
                                  g->name);
    for (int i = 3; i < argc; i += 2) {
        const char **slot = strcmp(argv[i], "--device") == 0  ? &devices
                            : strcmp(argv[i], "--title") == 0 ? &g->title
                                                              : NULL;
        if (slot == NULL || i + 1 >= argc)
            return alerts_usage_error(group_cmd, "unknown or incomplete argument", argv[i]);
        *slot = argv[i + 1];
    }
    if (devices == NULL)
        return alerts_usage_error(group_cmd, "groups set needs --device EUI[,EUI...]", NULL);
    if (alerts_parse_dev_euis(devices, g->euis, sizeof(g->euis)) < 0)
        return alerts_usage_error(group_cmd, "--device takes DevEUIs separated by commas, not",
                                  devices);
    if (g->title != NULL && strlen(g->title) > 200)
        return alerts_usage_error(group_cmd, "--title is 200 bytes at most", NULL);
    return 0;
}

static int group_set(struct mue_db *db, const struct group_args *g, const char *actor)
{
    static const char missing_sql[] =
        "SELECT coalesce(string_agg(DISTINCT e, ','), '') FROM unnest(string_to_array($1, ',')) e"
        " WHERE NOT EXISTS (SELECT 1 FROM device WHERE dev_eui = e)";
    /* One statement: the group, its new members, the old ones dropped and the audit row. */
    /* clang-format off */
    static const char set_sql[] =
        "WITH want AS (SELECT id FROM device WHERE dev_eui = ANY (string_to_array($2, ','))),"
        " g AS (INSERT INTO device_group (name, title) VALUES ($1, coalesce($3, ''))"
        " ON CONFLICT (name) DO UPDATE SET title = coalesce($3, device_group.title)"
        " RETURNING name, title),"
        " del AS (DELETE FROM device_group_member WHERE group_name = $1"
        " AND device_id NOT IN (SELECT id FROM want) RETURNING device_id),"
        " ins AS (INSERT INTO device_group_member (group_name, device_id)"
        " SELECT g.name, want.id FROM g, want ON CONFLICT DO NOTHING RETURNING device_id),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT $4, 'group.set', g.name, jsonb_build_object('title', g.title, 'devices',"
        " to_jsonb(string_to_array($2, ',')), 'added', (SELECT count(*) FROM ins), 'removed',"
        " (SELECT count(*) FROM del)) FROM g)"
        " SELECT row_to_json(x)::text FROM (SELECT g.name, g.title,"
        " (SELECT json_agg(DISTINCT e) FROM unnest(string_to_array($2, ',')) e) AS devices,"
        " (SELECT count(*) FROM ins) AS added, (SELECT count(*) FROM del) AS removed FROM g) x";
    /* clang-format on */
    const char *pm[1] = { g->euis };
    const char *p[4] = { g->name, g->euis, g->title, actor };
    PGresult *res = NULL;
    int n, rc = 1;

    n = mue_db_query(db, "groups missing devices", &res, missing_sql, 1, pm);
    if (n != 1)
        goto out;
    if (PQgetvalue(res, 0, 0)[0] != '\0') {
        rc = alerts_refused(group_cmd,
                            "nothing changed; no such registered device:", PQgetvalue(res, 0, 0));
        goto out;
    }
    PQclear(res);
    res = NULL;
    n = mue_db_query(db, "groups set", &res, set_sql, 4, p);
    if (n == 1) {
        printf("%s\n", PQgetvalue(res, 0, 0));
        rc = 0;
    }
out:
    if (rc != 0 && n < 0)
        alerts_refused(group_cmd, "the database refused (see the log)", NULL);
    PQclear(res);
    return rc;
}

static int group_list(struct mue_db *db)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT row_to_json(x)::text FROM (SELECT g.name, g.title,"
        " (SELECT coalesce(json_agg(d.dev_eui ORDER BY d.dev_eui), '[]') FROM device_group_member m"
        " JOIN device d ON d.id = m.device_id WHERE m.group_name = g.name) AS devices,"
        " (SELECT coalesce(json_agg(r.name ORDER BY r.name), '[]') FROM alert_rule r"
        " WHERE r.group_name = g.name) AS rules,"
        " " TIME_UTC("g.created_at") " AS created_at"
        " FROM device_group g ORDER BY g.name) x";
    /* clang-format on */
    PGresult *res = NULL;
    int n = mue_db_query(db, "groups list", &res, sql, 0, NULL);

    for (int i = 0; i < n; i++)
        printf("%s\n", PQgetvalue(res, i, 0));
    PQclear(res);
    return n < 0 ? alerts_refused(group_cmd, "the query failed (see the log)", NULL) : 0;
}

int groups_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus)
{
    static struct group_args g; /* the DevEUI list is large for a stack frame */
    struct alerts_ctx ctx = { pg_dsn, bus, "" };
    const char *verb = argc >= 2 ? argv[1] : "";
    struct mue_db *db = NULL;
    int set = strcmp(verb, "set") == 0, rc;

    if (set) {
        if (parse_group_set(argc, argv, &g) != 0)
            return 2;
    } else if (strcmp(verb, "list") != 0 || argc != 2) {
        return alerts_usage_error(
            group_cmd, "usage: groups set NAME --device EUI,... [--title T] | groups list", NULL);
    }
    alerts_actor_from_env(ctx.actor, sizeof(ctx.actor));
    if (alerts_open_db(&ctx, &db) != 0)
        return 1;
    rc = set ? group_set(db, &g, ctx.actor) : group_list(db);
    mue_db_close(db);
    if (rc == 0 && set)
        alerts_announce(&ctx);
    return rc;
}
