/* alerts.h - "mue-admin alerts" and "mue-admin groups": read alerts, acknowledge and resolve them
 * through mue-alerts, edit alert rules, notification channels and device groups (tables of
 * deploy/sql/0007_alerts.sql).
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_H
#define ALERTS_H

#include <stddef.h>

struct mue_bus_opts;
struct mue_db;

/* How long ack and resolve wait for mue-alerts' answer. */
#define ALERTS_REQUEST_TIMEOUT_MS 5000
/* Rows "alerts list" prints when --limit is not given. */
#define ALERTS_LIST_DEFAULT_LIMIT 100

/* Runs "alerts ..." (argv[0] is "alerts"):
 *   list [--state open|acknowledged|resolved|unresolved] [--use-case UC] [--dev-eui HEX]
 *        [--limit N]
 *     one JSON object a line, newest first (opened_at, then id): id, rule, title, use_case,
 *     dev_eui, device, severity, state, quantity, message, since, opened_at, value, last_value,
 *     peak_value, acknowledged_by, acknowledged_at, ack_comment, escalated_at, resolved_by,
 *     resolved_at, resolve_comment. At most N (default ALERTS_LIST_DEFAULT_LIMIT) rows.
 *   show ID
 *     the alert as one indented JSON object with its "events" (alert_event, in order).
 *   ack ID [--comment TEXT] and resolve ID [--comment TEXT]
 *     a core NATS request to mue-alerts (the only writer of alert state) on mue.alertcmd.ack or
 *     mue.alertcmd.resolve, body alerts_cmd_body(); prints the answer on stdout. Refused (exit 1)
 *     when the answer carries "error", or when nobody answers within ALERTS_REQUEST_TIMEOUT_MS.
 *   rules
 *     every rule, one JSON object a line, by use case and name.
 *   rule NAME [--enabled true|false] [--threshold X] [--hysteresis X] [--duration-s N]
 *        [--severity info|warning|critical]
 *     edits the rule (updated_at = now(); --threshold none clears the threshold, leaving a
 *     rule with a threshold_param to the devices' own values) and writes an audit_log row
 *     (action rule.update,
 *     target the rule's name, detail {"<column>": {"from": old, "to": new}, ...}) in the same
 *     statement, prints the rule, then announces mue.alertrules.changed. Without options it
 *     only prints the rule.
 *   channel add|remove ..., channels: see alerts_channel_command.
 * 'bus' is copied. Returns the exit status: 0, 1 (refused: unknown alert, rule or use case, an
 * error answer, database or bus unavailable), 2 (bad arguments). */
int alerts_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus);

/* Runs "groups ..." (argv[0] is "groups"):
 *   set NAME --device EUI[,EUI...] [--title T]
 *     creates the device group or replaces its members (every DevEUI must be registered; all
 *     or nothing), keeps its title unless --title is given, writes audit_log (group.set, detail
 *     {title, devices, added, removed}), prints the group, announces mue.alertrules.changed
 *     (rules may be bound to the group).
 *   list
 *     one JSON object a line: name, title, devices (DevEUIs), rules (the names of the rules
 *     bound to it), created_at.
 * Returns the exit status as alerts_command. */
int groups_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus);

/* What the commands of alerts.c and alerts_channels.c share. */
struct alerts_ctx {
    const char *pg_dsn;             /* NULL when MUE_PG_DSN is not set */
    const struct mue_bus_opts *bus; /* borrowed */
    char actor[80];                 /* "cli:<user>", for audit_log and requests */
};

/* "alerts channel add|remove ..." and "alerts channels" (argv[0] is "channel" or "channels"):
 *   channel add --name N --kind webhook|email --target T [--secret S] [--use-case UC]
 *               [--min-severity info|warning|critical] [--group-s N] [--quiet HH:MM-HH:MM]
 *     creates the channel, or replaces every setting of the one with that name (options left
 *     out take their defaults: every use case, warning, 900 s, no quiet hours) except the
 *     secret, which is kept when --secret is not given. A webhook target is an http(s) URL, an
 *     e-mail target comma-separated addresses. Prints the channel ("secret_set", never the
 *     secret), writes audit_log (channel.add, detail the settings without the secret), announces
 *     mue.alertrules.changed.
 *   channel remove NAME
 *     deletes the channel and its pending notifications; audited (channel.remove) and announced.
 *   channels
 *     every channel, one JSON object a line, never the secret.
 * Returns the exit status as alerts_command. */
int alerts_channel_command(int argc, char **argv, const struct alerts_ctx *ctx);

/* Prints "mue-admin <cmd>: <what>[ '<arg>']" on stderr. usage_error returns 2, refused 1. */
int alerts_usage_error(const char *cmd, const char *what, const char *arg);
int alerts_refused(const char *cmd, const char *what, const char *arg);

/* Opens the database of ctx, or says why not on stderr. Returns 0, or 1 (the exit status). */
int alerts_open_db(const struct alerts_ctx *ctx, struct mue_db **db);

/* Announces mue.alertrules.changed so the engines reload rules, groups and channels. A failure is
 * only a warning on stderr: they reload every minute anyway. */
void alerts_announce(const struct alerts_ctx *ctx);

/* Writes "cli:<user>" into out, "cli:mue-admin" when 'user' is NULL or empty; a long name is cut
 * to fit 'cap'. */
void alerts_actor(const char *user, char *out, size_t cap);

/* alerts_actor of $USER: who runs the command. */
void alerts_actor_from_env(char *out, size_t cap);

/* Parses quiet hours "HH:MM-HH:MM" (local time; may cross midnight, "22:00-07:00") into from and
 * to, each written back as "HH:MM". Returns 0, or MUE_EINVAL (outputs untouched) when malformed,
 * out of range, or from equals to. */
int alerts_parse_quiet(const char *text, char from[6], char to[6]);

/* Parses a finite decimal number, the whole text. Returns 0, or MUE_EINVAL. */
int alerts_parse_double(const char *text, double *out);

/* Checks a comma-separated list of DevEUIs (16 hex digits each, no empty item) and writes it
 * lower-cased into out. Returns how many, or MUE_EINVAL (out undefined) when an item is wrong or
 * the list does not fit in 'cap'. */
int alerts_parse_dev_euis(const char *list, char *out, size_t cap);

/* True for info, warning and critical. */
int alerts_is_severity(const char *s);

/* True for a rule or group name as the schema allows it: [a-z0-9][a-z0-9_.-]{0,63}. */
int alerts_is_name(const char *s);

/* The JSON body of an ack or resolve request: {"alert_id": N, "actor": ..., "key_id": null,
 * "comment": ...} ("" when 'comment' is NULL). Returns a string the caller frees: "" when the
 * actor or the comment is not UTF-8 (nothing can be sent). */
char *alerts_cmd_body(long alert_id, const char *actor, const char *comment);

/* Reads mue-alerts' answer to a request. Returns 0 when it is a JSON object without "error", 1
 * when it carries one (then "<error>: <reason>", or "<error>", goes into 'reason'), MUE_EDECODE
 * when it is not a JSON object (reason says so). */
int alerts_cmd_answer(const void *data, size_t len, char *reason, size_t cap);

#endif
