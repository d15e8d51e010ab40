/* req_common.h - what the request handlers of mue-lighting share (requests.c): the request and its
 * actor, refusals, strict readers of the request's members, queries, transactions and the audit
 * row. Internal to services/lighting/req_*.c; the service's entry point is requests.h.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_REQ_COMMON_H
#define LIGHTING_REQ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

struct mue_db;

/* A timestamptz as the API writes it: RFC 3339 in UTC with microseconds (NULL stays NULL). */
#define REQ_SQL_TS(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define REQ_ACTOR_MAX   128 /* bytes of an actor's name */
#define REQ_GROUP_MAX   72  /* a device_group name (64) and its '\0', with room */
#define REQ_PRIORITY    100 /* priorities run from -REQ_PRIORITY to REQ_PRIORITY */
#define REQ_COMMENT_MAX 2000

/* One request being answered. */
struct req {
    struct mue_db *db;
    json_t *body;                  /* the request object, borrowed */
    char actor[REQ_ACTOR_MAX + 1]; /* "unknown" when the request names nobody */
    char key_id[24];               /* the API key's id in decimal, "" for none */
    bool changed;                  /* a change that moves lamps: the service recompiles */
};

/* A handler answers with a new JSON object: its answer, or a refusal from req_fail. */
typedef json_t *(*req_handler_fn)(struct req *r);

/* ---- refusals ---- */

/* {"error": error, "reason": the formatted text}. error is "bad_request", "not_found", "conflict"
 * or "unavailable". */
__attribute__((format(printf, 2, 3))) json_t *req_fail(const char *error, const char *fmt, ...);
/* The database failed (it logged why): "unavailable". */
json_t *req_unavailable(void);
bool req_is_refusal(const json_t *answer);

/* ---- the request's members: each reader returns NULL when the member is fine (and sets *out),
 * else a refusal naming it. An optional member that is absent or null leaves *out untouched. ----
 */

/* Refuses a member that is neither in 'known' (NULL-terminated) nor actor or key_id. */
json_t *req_only(const struct req *r, const char *const *known);
/* A string of 1 to max bytes (0 to max when 'empty_ok'); borrowed from the body. */
json_t *req_string(const struct req *r, const char *name, bool required, bool empty_ok, size_t max,
                   const char **out);
json_t *req_int(const struct req *r, const char *name, bool required, long long min, long long max,
                long long *out);
json_t *req_bool(const struct req *r, const char *name, bool *out);
/* A program's or a calendar's id (TALQ's: 1 to 63 of A-Z a-z 0-9 _ . : -), required. */
json_t *req_id(const struct req *r, const char *name, const char **out);
/* A device group's name (lower case, digits, _ . -; 64 at most); the group's existence is the
 * caller's to check. */
json_t *req_group(const struct req *r, const char *name, bool required, const char **out);
/* A DevEUI, 16 hex digits, written to out in lower case. */
json_t *req_dev_eui(const struct req *r, const char *name, bool required, char out[17]);
/* A local date "YYYY-MM-DD" (1970 to 2200), as days since 1970-01-01. */
json_t *req_date(const struct req *r, const char *name, bool required, int64_t *out);

bool req_is_group_name(const char *s);
/* Copies a DevEUI in lower case; false when s is not 16 hex digits. */
bool req_is_dev_eui(const char *s, char out[17]);

/* ---- the database ---- */

/* mue_db_query on the request's connection: the row count, or MUE_EDB (logged). */
int req_query(struct req *r, const char *what, PGresult **res, const char *sql, int nparams,
              const char *const *params);
/* Runs 'sql', whose one row and column is a JSON array, and answers {key: that array}. */
json_t *req_list(struct req *r, const char *what, const char *key, const char *sql, int nparams,
                 const char *const *params);
/* A JSON text the database made (json_build_object ...); null when it does not parse. */
json_t *req_json_text(const char *text);
/* BEGIN: NULL, or the unavailable refusal. */
json_t *req_begin(struct req *r);
/* COMMIT: NULL, or the unavailable refusal (the transaction is gone). */
json_t *req_commit(struct req *r);
/* ROLLBACK, and hands 'answer' back: return req_rollback(r, req_fail(...)). */
json_t *req_rollback(struct req *r, json_t *answer);
/* The audit_log row of a change, in the caller's transaction, with the request's actor and key:
 * action ("lighting.program.put"), target (an id, a group) and a small detail object (borrowed).
 * Returns 0, or MUE_EDB. */
int req_audit(struct req *r, const char *action, const char *target, const json_t *detail);

/* ---- dates ---- */

/* The instants of local midnight starting 'date' and the next one (the day has 23, 24 or 25
 * hours). */
void req_day_bounds(int64_t date, int64_t *from_s, int64_t *to_s);
/* "YYYY-MM-DD". */
void req_date_text(int64_t date, char out[11]);
/* A local clock minute as "HH:MM", or JSON null when negative (no such event that day). */
json_t *req_clock_json(int minute);
/* Watt-hours rounded to the hundredth, as a JSON real. */
json_t *req_wh_json(double wh);

/* ---- programs and calendars, stored alike as their TALQ JSON (req_docs.c) ---- */

/* A stored program or calendar as the answers show it: its TALQ JSON, and who changed it last. */
/* clang-format off */
#define REQ_DOC_JSON                                                                               \
    "(doc || jsonb_build_object('updated_at', " REQ_SQL_TS("updated_at") ","                       \
    " 'updated_by', updated_by))"
/* clang-format on */

struct req_doc_kind {
    const char *name;     /* "program": the request's member, the answer's, the audit's */
    const char *list_sql; /* one row: the JSON array of every document with its updated_* */
    const char *put_sql;  /* $1 id, $2 doc, $3 actor: created, the stored document */
    const char *put_what; /* the log's name of the statement */
};

/* Runs in the transaction of a put before the document is stored: NULL to go on, or a refusal. */
typedef json_t *(*req_doc_check_fn)(struct req *r, const void *parsed);

/* Stores the canonical JSON 'doc' of 'id' (upsert) with its audit row "lighting.<name>.put" in one
 * transaction, after 'check' (may be NULL). Answers {name: the stored document, "created": bool}.
 */
json_t *req_doc_put(struct req *r, const struct req_doc_kind *k, const char *id, const char *doc,
                    req_doc_check_fn check, const void *parsed);
/* The member 'name' of the request as JSON text, to give to a TALQ parser; NULL after a refusal in
 * *err. The text is the caller's to free(). */
char *req_doc_text(const struct req *r, const char *name, json_t **err);
/* A TALQ parser's reason as the request's: "rules[2].program: ..." becomes
 * "calendar.rules[2].program: ...", a reason without a path "calendar: ...". */
json_t *req_doc_refusal(const char *name, const char *why);

/* ---- the handlers (req_<resource>.c) ---- */

json_t *req_programs_list(struct req *r);
json_t *req_program_put(struct req *r);
json_t *req_program_delete(struct req *r);
json_t *req_calendars_list(struct req *r);
json_t *req_calendar_put(struct req *r);
json_t *req_calendar_delete(struct req *r);
json_t *req_assignments_list(struct req *r);
json_t *req_assignment_put(struct req *r);
json_t *req_assignment_delete(struct req *r);
json_t *req_overrides_list(struct req *r);
json_t *req_override_create(struct req *r);
json_t *req_override_cancel(struct req *r);
json_t *req_plan(struct req *r);
json_t *req_commands(struct req *r);
json_t *req_energy(struct req *r);

#endif
