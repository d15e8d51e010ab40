/* alerts.c - "mue-admin alerts": alerts are read from the database but changed only by
 * mue-alerts (ack and resolve are requests on the bus), while rules are edited here directly,
 * each edit audited in the same statement and announced so the engines reload at once.
 * SPDX-License-Identifier: MIT */
#include "alerts.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"

#define TIME_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* A comment travels in a request and lands in alert_event: keep it to a paragraph. */
#define COMMENT_MAX_LEN 2000

/* The columns of one alert, as list and show print them (table alert a, rule r, device d). */
/* clang-format off */
#define ALERT_SELECT                                                                               \
    "SELECT a.id, r.name AS rule, r.title, a.use_case, d.dev_eui, d.name AS device, a.severity,"   \
    " a.state, a.quantity, a.message, " TIME_UTC("a.since") " AS since,"                           \
    " " TIME_UTC("a.opened_at") " AS opened_at, a.value, a.last_value, a.peak_value,"              \
    " a.acknowledged_by, " TIME_UTC("a.acknowledged_at") " AS acknowledged_at, a.ack_comment,"     \
    " " TIME_UTC("a.escalated_at") " AS escalated_at, a.resolved_by,"                              \
    " " TIME_UTC("a.resolved_at") " AS resolved_at, a.resolve_comment"                             \
    " FROM alert a JOIN alert_rule r ON r.id = a.rule_id JOIN device d ON d.id = a.device_id"

/* The columns of one rule, as rules and rule print them (table alert_rule r). */
#define RULE_SELECT                                                                                \
    "SELECT r.id, r.name, r.title, r.use_case, r.model, r.group_name AS group,"                    \
    " (SELECT dev_eui FROM device WHERE id = r.device_id) AS dev_eui, r.kind, r.quantity, r.op,"   \
    " r.threshold, r.threshold_param, r.hysteresis, r.duration_s, r.window_s, r.silence_factor,"   \
    " to_char(r.active_from, 'HH24:MI') AS active_from, to_char(r.active_to, 'HH24:MI') AS"        \
    " active_to, r.severity, r.escalate_after_s, r.auto_resolve, r.enabled, r.description,"        \
    " " TIME_UTC("r.updated_at") " AS updated_at"
/* clang-format on */

static const char cmd_name[] = "alerts";

int alerts_usage_error(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin %s: %s%s%s%s\n", cmd, what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return 2;
}

int alerts_refused(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin %s: %s%s%s\n", cmd, what, arg ? " " : "", arg ? arg : "");
    return 1;
}

int alerts_open_db(const struct alerts_ctx *ctx, struct mue_db **db)
{
    if (ctx->pg_dsn == NULL)
        return alerts_refused(cmd_name, "MUE_PG_DSN is not set", NULL);
    if (mue_db_open(db, ctx->pg_dsn, 5000) < 0)
        return alerts_refused(cmd_name, "the database cannot be reached", NULL);
    return 0;
}

static int open_bus(const struct alerts_ctx *ctx, struct mue_bus **bus)
{
    struct mue_bus_opts o = *ctx->bus;

    o.name = "mue-admin";
    o.connect_timeout_ms = 5000;
    return mue_bus_open(bus, &o);
}

void alerts_announce(const struct alerts_ctx *ctx)
{
    struct mue_bus *bus = NULL;

    if (open_bus(ctx, &bus) < 0 || mue_bus_notify(bus, MUE_SUBJ_ALERTRULES_CHANGED, "", 0) < 0)
        fprintf(stderr, "mue-admin: could not tell the alert engines; they reload their rules "
                        "within a minute\n");
    mue_bus_close(bus);
}

void alerts_actor(const char *user, char *out, size_t cap)
{
    snprintf(out, cap, "cli:%s", user != NULL && user[0] != '\0' ? user : "mue-admin");
}

/* $USER is read through a config table: getenv lives in mue_config.c only. */
void alerts_actor_from_env(char *out, size_t cap)
{
    struct who {
        const char *user;
    } w = { NULL };
    static const struct mue_config_option opts[] = {
        MUE_OPT_STR("USER", struct who, user, NULL, "the operator's login name"),
        MUE_OPT_END,
    };

    if (mue_config_load(opts, &w) < 0)
        w.user = NULL;
    alerts_actor(w.user, out, cap);
}

static int two_digits(const char *s, int max)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
        return -1;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v <= max ? v : -1;
}

int alerts_parse_quiet(const char *text, char from[6], char to[6])
{
    int h1, m1, h2, m2;

    if (strlen(text) != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':')
        return MUE_EINVAL;
    h1 = two_digits(text, 23);
    m1 = two_digits(text + 3, 59);
    h2 = two_digits(text + 6, 23);
    m2 = two_digits(text + 9, 59);
    if (h1 < 0 || m1 < 0 || h2 < 0 || m2 < 0 || (h1 == h2 && m1 == m2))
        return MUE_EINVAL;
    snprintf(from, 6, "%02d:%02d", h1, m1);
    snprintf(to, 6, "%02d:%02d", h2, m2);
    return MUE_OK;
}

int alerts_parse_double(const char *text, double *out)
{
    char *end = NULL;
    double v;

    if (text[0] == '\0' || isspace((unsigned char)text[0]))
        return MUE_EINVAL;
    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(v))
        return MUE_EINVAL;
    *out = v;
    return MUE_OK;
}

int alerts_parse_dev_euis(const char *list, char *out, size_t cap)
{
    size_t len = strlen(list);
    int n = 0;

    if (len == 0 || len >= cap)
        return MUE_EINVAL;
    for (const char *p = list;; p++) {
        size_t k = strcspn(p, ",");

        if (k != 16 || strspn(p, "0123456789abcdefABCDEF") < 16)
            return MUE_EINVAL;
        n++;
        p += k;
        if (*p == '\0')
            break;
    }
    for (size_t i = 0; i <= len; i++)
        out[i] = (char)tolower((unsigned char)list[i]);
    return n;
}

int alerts_is_severity(const char *s)
{
    return strcmp(s, "info") == 0 || strcmp(s, "warning") == 0 || strcmp(s, "critical") == 0;
}

int alerts_is_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

char *alerts_cmd_body(long alert_id, const char *actor, const char *comment)
{
    json_t *o = json_object();
    json_t *a = json_string(actor), *c = json_string(comment != NULL ? comment : "");
    char *s = NULL;

    /* json_string refuses what is not UTF-8: then there is no body to send. */
    if (a != NULL && c != NULL) {
        json_object_set_new(o, "alert_id", json_integer((json_int_t)alert_id));
        json_object_set(o, "actor", a);
        json_object_set_new(o, "key_id", json_null());
        json_object_set(o, "comment", c);
        s = json_dumps(o, JSON_COMPACT);
    }
    json_decref(a);
    json_decref(c);
    json_decref(o);
    return s != NULL ? s : mue_xstrdup("");
}

int alerts_cmd_answer(const void *data, size_t len, char *reason, size_t cap)
{
    json_t *o = json_loadb(data, len, 0, NULL), *err;
    int rc = 0;

    if (!json_is_object(o)) {
        snprintf(reason, cap, "the answer is not a JSON object");
        json_decref(o);
        return MUE_EDECODE;
    }
    err = json_object_get(o, "error");
    if (err != NULL) {
        const char *why = json_string_value(json_object_get(o, "reason"));

        snprintf(reason, cap, "%s%s%s", json_is_string(err) ? json_string_value(err) : "error",
                 why ? ": " : "", why ? why : "");
        rc = 1;
    }
    json_decref(o);
    return rc;
}

/* Prints every row's first column, one a line. Returns the exit status. */
static int print_rows(struct mue_db *db, const char *what, const char *sql, int nparams,
                      const char *const *params)
{
    PGresult *res = NULL;
    int n = mue_db_query(db, what, &res, sql, nparams, params);

    for (int i = 0; i < n; i++)
        printf("%s\n", PQgetvalue(res, i, 0));
    PQclear(res);
    return n < 0 ? alerts_refused(cmd_name, "the query failed (see the log line above)", NULL) : 0;
}

struct list_args {
    const char *p[4]; /* state, use case, DevEUI, limit: the query's parameters */
    char eui[17], limit[24];
};

static int parse_list(int argc, char **argv, struct list_args *a)
{
    long n = ALERTS_LIST_DEFAULT_LIMIT;

    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i += 2) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (val == NULL)
            return alerts_usage_error(cmd_name, "incomplete argument", opt);
        if (strcmp(opt, "--state") == 0) {
            if (strcmp(val, "open") != 0 && strcmp(val, "acknowledged") != 0 &&
                strcmp(val, "resolved") != 0 && strcmp(val, "unresolved") != 0)
                return alerts_usage_error(
                    cmd_name, "--state is open, acknowledged, resolved or unresolved, not", val);
            a->p[0] = val;
        } else if (strcmp(opt, "--use-case") == 0) {
            a->p[1] = val;
        } else if (strcmp(opt, "--dev-eui") == 0) {
            if (alerts_parse_dev_euis(val, a->eui, sizeof(a->eui)) != 1)
                return alerts_usage_error(cmd_name, "not a DevEUI (16 hex digits):", val);
            a->p[2] = a->eui;
        } else if (strcmp(opt, "--limit") == 0) {
            if (mue_config_parse_long(val, 1, 100000, &n) < 0)
                return alerts_usage_error(cmd_name, "--limit is 1 to 100000, not", val);
        } else {
            return alerts_usage_error(cmd_name, "unknown argument", opt);
        }
    }
    snprintf(a->limit, sizeof(a->limit), "%ld", n);
    a->p[3] = a->limit;
    return 0;
}

static int cmd_list(struct mue_db *db, const struct list_args *a)
{
    static const char sql[] =
        "SELECT row_to_json(x)::text FROM (" ALERT_SELECT
        " WHERE ($1::text IS NULL OR a.state = $1 OR ($1 = 'unresolved' AND a.state <> 'resolved'))"
        " AND ($2::text IS NULL OR a.use_case = $2) AND ($3::text IS NULL OR d.dev_eui = $3)"
        " ORDER BY a.opened_at DESC, a.id DESC LIMIT $4::integer) x";

    return print_rows(db, "alerts list", sql, 4, a->p);
}

static int cmd_show(struct mue_db *db, const char *id)
{
    static const char alert_sql[] =
        "SELECT row_to_json(x)::text FROM (" ALERT_SELECT " WHERE a.id = $1::bigint) x";
    static const char events_sql[] =
        "SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind, 'at', " TIME_UTC(
            "at") ", 'actor', actor, 'comment', comment, 'value', value, 'published', published)"
                  " ORDER BY id), '[]')::text FROM alert_event WHERE alert_id = $1::bigint";
    const char *p[1] = { id };
    PGresult *res = NULL;
    json_t *alert = NULL, *events = NULL;
    int n, rc = 1;

    n = mue_db_query(db, "alerts show", &res, alert_sql, 1, p);
    if (n == 0)
        rc = alerts_refused(cmd_name, "no such alert:", id);
    if (n != 1)
        goto out;
    alert = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    res = NULL;
    if (mue_db_query(db, "alerts show events", &res, events_sql, 1, p) != 1)
        goto out;
    events = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    if (alert == NULL || events == NULL)
        goto out;
    json_object_set(alert, "events", events);
    json_dumpf(alert, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    rc = 0;
out:
    json_decref(alert);
    json_decref(events);
    PQclear(res);
    return rc;
}

/* "ack ID [--comment TEXT]" and "resolve ID [--comment TEXT]": mue-alerts decides and answers. */
static int cmd_request(const struct alerts_ctx *ctx, const char *verb, int argc, char **argv)
{
    const char *comment = NULL;
    struct mue_bus *bus = NULL;
    natsMsg *reply = NULL;
    char subject[64], reason[512];
    char *body = NULL;
    long id;
    int rc;

    if (argc < 3 || mue_config_parse_long(argv[2], 1, LONG_MAX, &id) < 0)
        return alerts_usage_error(cmd_name, "the alert's id (of alerts list) is missing or wrong:",
                                  argc >= 3 ? argv[2] : NULL);
    for (int i = 3; i < argc; i += 2) {
        if (strcmp(argv[i], "--comment") != 0 || i + 1 >= argc)
            return alerts_usage_error(cmd_name, "unknown or incomplete argument", argv[i]);
        comment = argv[i + 1];
    }
    if (comment != NULL && strlen(comment) > COMMENT_MAX_LEN)
        return alerts_usage_error(cmd_name, "--comment is too long (2000 bytes at most)", NULL);
    body = alerts_cmd_body(id, ctx->actor, comment);
    if (body[0] == '\0') {
        free(body);
        return alerts_usage_error(cmd_name, "--comment (or $USER) is not valid UTF-8", NULL);
    }
    snprintf(subject, sizeof(subject), MUE_SUBJ_ALERTCMD_FMT, verb);
    if (open_bus(ctx, &bus) < 0) {
        rc = alerts_refused(cmd_name, "NATS cannot be reached", NULL);
        goto out;
    }
    rc = mue_bus_request(bus, subject, body, strlen(body), ALERTS_REQUEST_TIMEOUT_MS, &reply);
    if (rc == MUE_ETIMEDOUT) {
        rc = alerts_refused(cmd_name,
                            "no answer from mue-alerts within 5 s: is mue-alerts running?", NULL);
        goto out;
    }
    if (rc < 0) {
        rc = alerts_refused(cmd_name, "the request could not be sent (see the log line above)",
                            NULL);
        goto out;
    }
    rc = alerts_cmd_answer(mue_bus_msg_data(reply), mue_bus_msg_len(reply), reason, sizeof(reason));
    if (rc != 0) {
        fprintf(stderr, "mue-admin alerts: %s of alert %ld refused: %s\n", verb, id, reason);
        rc = 1;
        goto out;
    }
    printf("%.*s\n", (int)mue_bus_msg_len(reply), (const char *)mue_bus_msg_data(reply));
out:
    if (reply != NULL)
        natsMsg_Destroy(reply);
    mue_bus_close(bus);
    free(body);
    return rc;
}

struct rule_edit {
    const char *enabled, *threshold, *hysteresis, *duration_s, *severity;
    int clear_threshold; /* --threshold none: back to the threshold_param alone */
};

static int parse_rule_edit(int argc, char **argv, struct rule_edit *e)
{
    static const char *const opts[] = { "--enabled", "--threshold", "--hysteresis", "--duration-s",
                                        "--severity" };
    const char **slots[] = { &e->enabled, &e->threshold, &e->hysteresis, &e->duration_s,
                             &e->severity };
    double d;
    long l;
    int b;

    memset(e, 0, sizeof(*e));
    for (int i = 3; i < argc; i += 2) {
        size_t k = 0;

        while (k < 5 && strcmp(argv[i], opts[k]) != 0)
            k++;
        if (k == 5 || i + 1 >= argc)
            return alerts_usage_error(cmd_name, "unknown or incomplete argument", argv[i]);
        *slots[k] = argv[i + 1];
    }
    if (e->enabled != NULL) {
        if (mue_config_parse_bool(e->enabled, &b) < 0)
            return alerts_usage_error(cmd_name, "--enabled is true or false, not", e->enabled);
        e->enabled = b ? "true" : "false";
    }
    if (e->threshold != NULL && strcmp(e->threshold, "none") == 0) {
        e->threshold = NULL;
        e->clear_threshold = 1;
    } else if (e->threshold != NULL && alerts_parse_double(e->threshold, &d) < 0) {
        return alerts_usage_error(cmd_name, "--threshold is a number or none, not", e->threshold);
    }
    if (e->hysteresis != NULL && (alerts_parse_double(e->hysteresis, &d) < 0 || d < 0))
        return alerts_usage_error(cmd_name, "--hysteresis is a number >= 0, not", e->hysteresis);
    if (e->duration_s != NULL && mue_config_parse_long(e->duration_s, 0, INT_MAX, &l) < 0)
        return alerts_usage_error(cmd_name, "--duration-s is a whole number of seconds >= 0, not",
                                  e->duration_s);
    if (e->severity != NULL && !alerts_is_severity(e->severity))
        return alerts_usage_error(cmd_name, "--severity is info, warning or critical, not",
                                  e->severity);
    return 0;
}

/* The change of one column as an audit detail entry, {} when it was not asked for (a column
 * that was NULL keeps "from": null). */
#define CHANGE_IF(col, asked)                                                                      \
    "CASE WHEN " asked " THEN jsonb_build_object('" col "', jsonb_build_object('from', o." col     \
    ", 'to', u." col ")) ELSE '{}'::jsonb END"
#define CHANGE(col, n) CHANGE_IF(col, "$" #n "::text IS NOT NULL")

static int cmd_rule(const struct alerts_ctx *ctx, struct mue_db *db, int argc, char **argv,
                    const struct rule_edit *e)
{
    /* clang-format off */
    static const char show_sql[] =
        "SELECT row_to_json(x)::text FROM (" RULE_SELECT " FROM alert_rule r WHERE r.name = $1) x";
    static const char edit_sql[] =
        "WITH o AS (SELECT * FROM alert_rule WHERE name = $1 FOR UPDATE),"
        " u AS (UPDATE alert_rule r SET enabled = coalesce($2::boolean, r.enabled),"
        " threshold = CASE WHEN $8::boolean THEN NULL"
        " ELSE coalesce($3::double precision, r.threshold) END,"
        " hysteresis = coalesce($4::double precision, r.hysteresis),"
        " duration_s = coalesce($5::integer, r.duration_s), severity = coalesce($6, r.severity),"
        " updated_at = now() FROM o WHERE r.id = o.id RETURNING r.*),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT $7, 'rule.update', u.name, " CHANGE("enabled", 2) " || "
        CHANGE_IF("threshold", "($3::text IS NOT NULL OR $8::boolean)")
        " || " CHANGE("hysteresis", 4) " || " CHANGE("duration_s", 5) " || " CHANGE("severity", 6)
        " FROM u JOIN o ON o.id = u.id)"
        " SELECT row_to_json(x)::text FROM (" RULE_SELECT " FROM u r) x";
    /* clang-format on */
    PGresult *res = NULL;
    int n;

    if (argc == 3) {
        const char *p[1] = { argv[2] };
        n = mue_db_query(db, "alerts rule", &res, show_sql, 1, p);
    } else {
        const char *p[8] = { argv[2],       e->enabled,
                             e->threshold,  e->hysteresis,
                             e->duration_s, e->severity,
                             ctx->actor,    e->clear_threshold ? "true" : "false" };
        n = mue_db_query(db, "alerts rule update", &res, edit_sql, 8, p);
    }
    if (n == 1)
        printf("%s\n", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (n == 0)
        return alerts_refused(cmd_name, "no such rule (alerts rules lists them):", argv[2]);
    if (n < 0)
        return alerts_refused(cmd_name,
                              "the database refused (see the log line above; a threshold rule "
                              "keeps a threshold or a threshold_param)",
                              NULL);
    if (argc > 3)
        alerts_announce(ctx);
    return 0;
}

int alerts_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus)
{
    static const char rules_sql[] = "SELECT row_to_json(x)::text FROM (" RULE_SELECT
                                    " FROM alert_rule r ORDER BY r.use_case, r.name) x";
    struct alerts_ctx ctx = { pg_dsn, bus, "" };
    const char *verb = argc >= 2 ? argv[1] : "";
    struct list_args list;
    struct rule_edit edit;
    struct mue_db *db = NULL;
    long id;
    int rc;

    alerts_actor_from_env(ctx.actor, sizeof(ctx.actor));
    if (strcmp(verb, "ack") == 0 || strcmp(verb, "resolve") == 0)
        return cmd_request(&ctx, verb, argc, argv);
    if (strcmp(verb, "channel") == 0 || strcmp(verb, "channels") == 0)
        return alerts_channel_command(argc - 1, argv + 1, &ctx);
    /* Arguments are checked before the database is opened, so a typo is told as such. */
    if (strcmp(verb, "list") == 0) {
        if (parse_list(argc, argv, &list) != 0)
            return 2;
    } else if (strcmp(verb, "show") == 0) {
        if (argc != 3 || mue_config_parse_long(argv[2], 1, LONG_MAX, &id) < 0)
            return alerts_usage_error(cmd_name, "usage: alerts show ID (the id of alerts list)",
                                      NULL);
    } else if (strcmp(verb, "rules") == 0) {
        if (argc != 2)
            return alerts_usage_error(cmd_name, "usage: alerts rules", NULL);
    } else if (strcmp(verb, "rule") == 0) {
        if (argc < 3)
            return alerts_usage_error(cmd_name,
                                      "usage: alerts rule NAME [--enabled true|false]"
                                      " [--threshold X] [--hysteresis X] [--duration-s N]"
                                      " [--severity S]",
                                      NULL);
        if (!alerts_is_name(argv[2]))
            return alerts_refused(cmd_name, "no such rule (alerts rules lists them):", argv[2]);
        if (parse_rule_edit(argc, argv, &edit) != 0)
            return 2;
    } else {
        return alerts_usage_error(
            cmd_name, "usage: alerts list|show|ack|resolve|rules|rule|channel|channels", NULL);
    }
    if (alerts_open_db(&ctx, &db) != 0)
        return 1;
    if (strcmp(verb, "list") == 0)
        rc = cmd_list(db, &list);
    else if (strcmp(verb, "show") == 0)
        rc = cmd_show(db, argv[2]);
    else if (strcmp(verb, "rules") == 0)
        rc = print_rows(db, "alerts rules", rules_sql, 0, NULL);
    else
        rc = cmd_rule(&ctx, db, argc, argv, &edit);
    mue_db_close(db);
    return rc;
}
