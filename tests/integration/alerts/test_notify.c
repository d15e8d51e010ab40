/* test_notify.c - the notification outbox on a fresh database, with a webhook receiver and a
 * mail relay on loopback threads: which channels get an event, grouping, quiet hours, retries
 * and backoff, permanent failures, SKIP LOCKED, and events that arrive while a row is being sent.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "../c/server_test.h"
#include "mue_base64.h"
#include "mue_log.h"
#include "notify.h"
#include "outbound_webhook.h"
#include "../../unit/mue_test.h"

#define SECRET "whsec-test"
#define NREQ   8

static struct test_db tdb;
static struct mue_db *db, *db2; /* db2: a second session, as another instance or the engine */
static int64_t device, rule_full, rule_fire, alert_full, alert_fire;

/* --- SQL helpers (assertions: a fixture that fails ends the test) */

static PGresult *sql(const char *q)
{
    PGresult *r = NULL;
    MUE_ASSERT(mue_db_query(db, "test sql", &r, q, 0, NULL) >= 0);
    return r;
}

static void sql_do(const char *q)
{
    PQclear(sql(q));
}

static long long sql_int(const char *q)
{
    PGresult *r = sql(q);
    long long v;

    if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
        PQclear(r);
        MUE_ASSERT(!"one non-NULL value");
    }
    v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

static void sql_text(const char *q, char *out, size_t cap)
{
    PGresult *r = sql(q);

    snprintf(out, cap, "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "(no row)");
    PQclear(r);
}

static int64_t add_event(int64_t alert, const char *kind, const char *actor, const char *comment)
{
    char q[512];

    snprintf(q, sizeof(q),
             "INSERT INTO alert_event (alert_id, kind, actor, comment, value)"
             " VALUES (%lld, '%s', '%s', '%s', CASE WHEN '%s' = 'opened' THEN 92.5 END)"
             " RETURNING id",
             (long long)alert, kind, actor, comment, kind);
    return sql_int(q);
}

/* Queues an event the way the engine does: in a transaction. Returns notify_enqueue's result. */
static int enqueue(int64_t event)
{
    int rc;

    MUE_ASSERT_INT_EQ(mue_db_exec(db, "begin", "BEGIN"), 0);
    rc = notify_enqueue(mue_db_conn(db), event);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "commit", "COMMIT"), 0);
    return rc;
}

static int64_t add_channel(const char *name, const char *kind, const char *target,
                           const char *use_case, const char *min_severity, int group_s)
{
    char q[1024];

    snprintf(q, sizeof(q),
             "INSERT INTO alert_channel (name, kind, target, secret, use_case, min_severity,"
             " group_s) VALUES ('%s', '%s', '%s', '%s', %s, '%s', %d) RETURNING id",
             name, kind, target, SECRET, use_case, min_severity, group_s);
    return sql_int(q);
}

static void reset(void)
{
    sql_do("DELETE FROM alert_notification");
    sql_do("DELETE FROM alert_channel");
    sql_do("UPDATE alert SET severity = 'warning' WHERE rule_id IN "
           "(SELECT id FROM alert_rule WHERE name = 'test.full')");
}

/* --- a webhook receiver on a loopback thread: answers statuses[k] to the k-th request (204
 * past the list), records bodies and headers, may run 'during' while it holds a request. */

static struct {
    int fd, port;
    pthread_t thread;
    int stop;
    int statuses[NREQ];
    int count;
    char body[NREQ][8192];
    char ts[NREQ][32];
    char sig[NREQ][128];
    void (*during)(void);
} hook;

static void header_value(const char *req, const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p, *eol;

    snprintf(key, sizeof(key), "\r\n%s:", name);
    out[0] = '\0';
    p = strcasestr(req, key);
    if (p == NULL)
        return;
    p += strlen(key);
    p += strspn(p, " ");
    eol = strstr(p, "\r\n");
    snprintf(out, cap, "%.*s", (int)(eol - p), p);
}

static void hook_serve(int fd)
{
    static char req[16384];
    size_t len = 0, want = 0;
    const char *head_end = NULL, *body = NULL;
    char reply[128], cl[32];
    int k = __atomic_load_n(&hook.count, __ATOMIC_SEQ_CST), status, n;

    while (len + 1 < sizeof(req)) {
        struct pollfd p = { fd, POLLIN, 0 };
        ssize_t got;
        if (poll(&p, 1, 3000) <= 0 || (got = read(fd, req + len, sizeof(req) - 1 - len)) <= 0)
            return;
        len += (size_t)got;
        req[len] = '\0';
        if (head_end == NULL && (head_end = strstr(req, "\r\n\r\n")) != NULL) {
            header_value(req, "Content-Length", cl, sizeof(cl));
            want = strtoul(cl, NULL, 10);
            body = head_end + 4;
        }
        if (body != NULL && len >= (size_t)(body - req) + want)
            break;
    }
    if (body == NULL || k >= NREQ)
        return;
    snprintf(hook.body[k], sizeof(hook.body[k]), "%s", body);
    header_value(req, "X-Mue-Timestamp", hook.ts[k], sizeof(hook.ts[k]));
    header_value(req, "X-Mue-Signature", hook.sig[k], sizeof(hook.sig[k]));
    if (hook.during != NULL) {
        hook.during();
        hook.during = NULL;
    }
    status = hook.statuses[k] != 0 ? hook.statuses[k] : 204;
    n = snprintf(reply, sizeof(reply), "HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n", status);
    if (write(fd, reply, (size_t)n) != n)
        return;
    __atomic_store_n(&hook.count, k + 1, __ATOMIC_SEQ_CST);
}

static void *hook_main(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&hook.stop, __ATOMIC_SEQ_CST)) {
        struct pollfd p = { hook.fd, POLLIN, 0 };
        int fd;
        if (poll(&p, 1, 100) <= 0)
            continue;
        fd = accept(hook.fd, NULL, NULL);
        if (fd >= 0) {
            hook_serve(fd);
            close(fd);
        }
    }
    return NULL;
}

static void hook_reset(void)
{
    memset(hook.statuses, 0, sizeof(hook.statuses));
    __atomic_store_n(&hook.count, 0, __ATOMIC_SEQ_CST);
    hook.during = NULL;
}

/* --- a mail relay on a loopback thread: takes every message, keeps its DATA */

static struct {
    int fd, port;
    pthread_t thread;
    int stop;
    int count;
    char data[4][16384];
} relay;

static bool relay_line(int fd, char *line, size_t cap)
{
    size_t n = 0;
    char c;

    while (n + 1 < cap) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 3000) <= 0 || read(fd, &c, 1) != 1)
            return false;
        line[n++] = c;
        if (c == '\n')
            break;
    }
    line[n] = '\0';
    return true;
}

static void say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0)
        return;
}

static void relay_serve(int fd)
{
    char line[2048];
    int k = relay.count;

    say(fd, "220 relay ESMTP\r\n");
    while (relay_line(fd, line, sizeof(line))) {
        if (strncmp(line, "EHLO", 4) == 0) {
            say(fd, "250-relay\r\n250 8BITMIME\r\n");
        } else if (strncmp(line, "DATA", 4) == 0 && k < 4) {
            size_t len = 0;
            say(fd, "354 go\r\n");
            while (relay_line(fd, line, sizeof(line)) && strcmp(line, ".\r\n") != 0) {
                size_t l = strlen(line);
                if (len + l < sizeof(relay.data[k])) {
                    memcpy(relay.data[k] + len, line, l + 1);
                    len += l;
                }
            }
            say(fd, "250 queued\r\n");
            __atomic_store_n(&relay.count, k + 1, __ATOMIC_SEQ_CST);
        } else if (strncmp(line, "QUIT", 4) == 0) {
            say(fd, "221 bye\r\n");
            return;
        } else {
            say(fd, "250 ok\r\n");
        }
    }
}

static void *relay_main(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&relay.stop, __ATOMIC_SEQ_CST)) {
        struct pollfd p = { relay.fd, POLLIN, 0 };
        int fd;
        if (poll(&p, 1, 100) <= 0)
            continue;
        fd = accept(relay.fd, NULL, NULL);
        if (fd >= 0) {
            relay_serve(fd);
            close(fd);
        }
    }
    return NULL;
}

static int listen_loopback(int *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0 || listen(fd, 8) != 0)
        return -1;
    *port = ntohs(sa.sin_port);
    return fd;
}

static char hook_url[64], relay_addr[64];

static struct notify_cfg cfg(void)
{
    struct notify_cfg c = { relay_addr, "alertes@metropole.test", "mue.test", 2000, 3, 30000 };
    return c;
}

static int run(void)
{
    struct notify_cfg c = cfg();
    return notify_run(db, &c);
}

/* --- the tests */

static void test_an_event_goes_to_the_channels_that_want_it(void)
{
    int64_t ev;
    char text[256], want[64];

    reset();
    add_channel("all-warning", "webhook", hook_url, "NULL", "warning", 900);
    add_channel("waste-critical", "email", "voirie@metropole.test", "'waste'", "critical", 900);
    add_channel("water-only", "webhook", hook_url, "'water'", "info", 900);
    add_channel("disabled", "webhook", hook_url, "NULL", "info", 900);
    sql_do("UPDATE alert_channel SET enabled = false WHERE name = 'disabled'");

    ev = add_event(alert_full, "opened", "mue-alerts", "");
    MUE_ASSERT_INT_EQ(enqueue(ev), 1); /* warning: only all-warning */
    ev = add_event(alert_fire, "opened", "mue-alerts", "");
    MUE_ASSERT_INT_EQ(enqueue(ev), 2); /* critical: and waste-critical */
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification n JOIN alert_channel c"
                              " ON c.id = n.channel_id WHERE c.name = 'all-warning'"),
                      2);
    sql_text("SELECT n.group_key || ' ' || n.severity || ' ' || (n.events->0)::text"
             " FROM alert_notification n JOIN alert_channel c ON c.id = n.channel_id"
             " WHERE c.name = 'waste-critical'",
             text, sizeof(text));
    snprintf(want, sizeof(want), "%lld:%lld critical ", (long long)rule_fire, (long long)device);
    MUE_ASSERT(strncmp(text, want, strlen(want)) == 0);
}

static void test_the_event_object_carries_alert_rule_device_and_site(void)
{
    char q[256], text[2048];
    json_t *ev;
    int64_t id;

    reset();
    add_channel("all", "webhook", hook_url, "NULL", "info", 900);
    id = add_event(alert_full, "opened", "mue-alerts", "");
    MUE_ASSERT_INT_EQ(enqueue(id), 1);
    snprintf(q, sizeof(q), "SELECT (events->0)::text FROM alert_notification");
    sql_text(q, text, sizeof(text));
    ev = json_loads(text, 0, NULL);
    MUE_ASSERT(ev != NULL);
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(ev, "event_id")), id);
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(ev, "alert_id")), alert_full);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "kind")), "opened");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "rule")), "test.full");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "title")), "Conteneur presque plein");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "severity")), "warning");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "use_case")), "waste");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "quantity")), "fill_level");
    MUE_ASSERT_DBL_NEAR(json_number_value(json_object_get(ev, "value")), 92.5, 1e-9);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "message")), "Remplissage 92,5 %");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "actor")), "mue-alerts");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ev, "comment")), "");
    MUE_ASSERT(strlen(json_string_value(json_object_get(ev, "at"))) == 27);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(ev, "device"), "dev_eui")),
                      "24e124710000a001");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(ev, "device"), "name")),
                      "pav-aix-001");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(ev, "device"), "site")),
                      "Place des Prêcheurs");
    json_decref(ev);
}

static void test_events_of_a_group_gather_and_raise_the_severity(void)
{
    reset();
    add_channel("all", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    sql_do("UPDATE alert SET severity = 'critical' WHERE rule_id IN "
           "(SELECT id FROM alert_rule WHERE name = 'test.full')");
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "escalated", "mue-alerts", "")), 1);
    sql_do("UPDATE alert SET severity = 'warning' WHERE rule_id IN "
           "(SELECT id FROM alert_rule WHERE name = 'test.full')");
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "acknowledged", "j.dupont", "vu")), 1);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification"), 1);
    MUE_ASSERT_INT_EQ(sql_int("SELECT jsonb_array_length(events) FROM alert_notification"), 3);
    MUE_ASSERT_INT_EQ(sql_int("SELECT (severity = 'critical')::int FROM alert_notification"), 1);
}

static void test_enqueue_belongs_to_the_callers_transaction(void)
{
    int64_t ev;

    reset();
    add_channel("all", "webhook", hook_url, "NULL", "info", 900);
    ev = add_event(alert_full, "opened", "mue-alerts", "");
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "begin", "BEGIN"), 0);
    MUE_ASSERT_INT_EQ(notify_enqueue(mue_db_conn(db), ev), 1);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "rollback", "ROLLBACK"), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification"), 0);
    MUE_ASSERT_INT_EQ(enqueue(999999999), 0); /* no such event: nothing, no error */
}

static void test_a_webhook_is_sent_signed_and_marked(void)
{
    char sig[WEBHOOK_SIGNATURE_LEN], group[64];
    json_t *body;

    reset();
    hook_reset();
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(hook.count, 1);
    webhook_signature(SECRET, strtoll(hook.ts[0], NULL, 10), hook.body[0], strlen(hook.body[0]),
                      sig);
    MUE_ASSERT_STR_EQ(hook.sig[0], sig);
    body = json_loads(hook.body[0], 0, NULL);
    MUE_ASSERT(body != NULL);
    snprintf(group, sizeof(group), "%lld:%lld", (long long)rule_full, (long long)device);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(body, "channel")), "voirie");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(body, "group")), group);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(body, "severity")), "warning");
    MUE_ASSERT_UINT_EQ(json_array_size(json_object_get(body, "events")), 1);
    json_decref(body);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'sent'"
                              " AND sent_at IS NOT NULL AND attempts = 1"),
                      1);
    MUE_ASSERT_INT_EQ(run(), 0); /* nothing left */
    MUE_ASSERT_INT_EQ(hook.count, 1);
}

static void test_a_flapping_group_waits_for_its_grouping_period(void)
{
    reset();
    hook_reset();
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1);
    /* The sensor flaps: resolved, opened, resolved; all wait in one pending row. */
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "resolved", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "resolved", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 0);
    MUE_ASSERT_INT_EQ(hook.count, 1);
    /* The period passes (the sent row ages): one notification with the three events. */
    sql_do("UPDATE alert_notification SET sent_at = now() - interval '901 seconds'"
           " WHERE status = 'sent'");
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(hook.count, 2);
    MUE_ASSERT(strstr(hook.body[1], "\"resolved\"") != NULL);
    MUE_ASSERT_INT_EQ(sql_int("SELECT jsonb_array_length(events) FROM alert_notification"
                              " ORDER BY id DESC LIMIT 1"),
                      3);
}

static void test_other_groups_and_channels_do_not_wait(void)
{
    reset();
    hook_reset();
    add_channel("a", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_fire, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1); /* another rule: another group */
    add_channel("b", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "resolved", "mue-alerts", "")), 2);
    MUE_ASSERT_INT_EQ(run(), 1); /* b has sent nothing yet; a waits */
    MUE_ASSERT_INT_EQ(hook.count, 3);
}

static void test_a_failed_send_backs_off_then_fails_for_good(void)
{
    reset();
    hook_reset();
    hook.statuses[0] = 500;
    hook.statuses[1] = 503;
    hook.statuses[2] = 500;
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT attempts FROM alert_notification WHERE status = 'pending'"
                              " AND last_error LIKE 'HTTP 500%'"),
                      1);
    /* 30 s x 2^0 after the first failure. */
    MUE_ASSERT_INT_EQ(sql_int("SELECT (next_attempt_at - now() BETWEEN interval '25 s'"
                              " AND interval '31 s')::int FROM alert_notification"),
                      1);
    MUE_ASSERT_INT_EQ(run(), 0); /* not due yet */
    MUE_ASSERT_INT_EQ(hook.count, 1);
    sql_do("UPDATE alert_notification SET next_attempt_at = now()");
    MUE_ASSERT_INT_EQ(run(), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT (next_attempt_at - now() BETWEEN interval '55 s'"
                              " AND interval '61 s')::int FROM alert_notification"
                              " WHERE attempts = 2 AND last_error LIKE 'HTTP 503%'"),
                      1);
    sql_do("UPDATE alert_notification SET next_attempt_at = now()");
    MUE_ASSERT_INT_EQ(run(), 0); /* the third of max_attempts 3 */
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'failed'"
                              " AND attempts = 3"),
                      1);
    MUE_ASSERT_INT_EQ(hook.count, 3);
}

static void test_the_first_wait_is_configurable(void)
{
    struct notify_cfg c = cfg();

    reset();
    hook_reset();
    hook.statuses[0] = 500;
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    c.backoff_ms = 5000;
    MUE_ASSERT_INT_EQ(notify_run(db, &c), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT (next_attempt_at - now() BETWEEN interval '3 s'"
                              " AND interval '5.5 s')::int FROM alert_notification"),
                      1);
}

static void test_a_4xx_answer_fails_at_once(void)
{
    reset();
    hook_reset();
    hook.statuses[0] = 410;
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 0);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'failed'"
                              " AND attempts = 1 AND last_error LIKE 'HTTP 410%'"),
                      1);
}

static void test_an_email_goes_through_the_relay(void)
{
    const char *subject, *eol;
    char words[1024], decoded[1024];
    int got;

    reset();
    __atomic_store_n(&relay.count, 0, __ATOMIC_SEQ_CST);
    add_channel("astreinte", "email", "voirie@metropole.test, astreinte@metropole.test", "NULL",
                "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(relay.count, 1);
    subject = strstr(relay.data[0], "Subject: =?UTF-8?B?");
    MUE_ASSERT(subject != NULL);
    /* The first encoded-word is enough to read the start of the subject. */
    subject += strlen("Subject: =?UTF-8?B?");
    eol = strstr(subject, "?=");
    snprintf(words, sizeof(words), "%.*s", (int)(eol - subject), subject);
    got = mue_base64_decode(words, strlen(words), (uint8_t *)decoded, sizeof(decoded) - 1);
    MUE_ASSERT(got > 0);
    decoded[got] = '\0';
    MUE_ASSERT(strncmp(decoded, "[mue] Alerte : Conteneur", 24) == 0);
    MUE_ASSERT(strstr(relay.data[0], "To: voirie@metropole.test, astreinte@metropole.test") !=
               NULL);
    MUE_ASSERT(strstr(relay.data[0], "Capteur : pav-aix-001 (24e124710000a001)") != NULL);
    MUE_ASSERT(strstr(relay.data[0], "Site : Place des Prêcheurs, Aix-en-Provence") != NULL);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'sent'"), 1);
}

static void test_email_without_a_relay_fails_for_good(void)
{
    struct notify_cfg c = cfg();
    char err[256];

    reset();
    add_channel("astreinte", "email", "voirie@metropole.test", "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    c.smtp_server = "";
    MUE_ASSERT_INT_EQ(notify_run(db, &c), 0);
    sql_text("SELECT status || ': ' || last_error FROM alert_notification", err, sizeof(err));
    MUE_ASSERT_STR_EQ(err, "failed: no SMTP server is configured: e-mail channels cannot send");
}

static void test_quiet_hours_hold_all_but_critical(void)
{
    reset();
    hook_reset();
    add_channel("nuit", "webhook", hook_url, "NULL", "info", 0);
    /* A window of two hours around the present Paris time (it may cross midnight). */
    sql_do("UPDATE alert_channel SET"
           " quiet_from = ((now() AT TIME ZONE 'Europe/Paris') - interval '1 hour')::time,"
           " quiet_to = ((now() AT TIME ZONE 'Europe/Paris') + interval '1 hour')::time");
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_fire, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(hook.count, 1);
    MUE_ASSERT(strstr(hook.body[0], "\"severity\":\"critical\"") != NULL);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'pending'"
                              " AND severity = 'warning'"),
                      1);
    /* The window moves past: the warning goes. */
    sql_do("UPDATE alert_channel SET"
           " quiet_from = ((now() AT TIME ZONE 'Europe/Paris') + interval '1 hour')::time,"
           " quiet_to = ((now() AT TIME ZONE 'Europe/Paris') + interval '2 hours')::time");
    MUE_ASSERT_INT_EQ(run(), 1);
    MUE_ASSERT_INT_EQ(hook.count, 2);
}

static void test_a_row_locked_by_another_instance_is_skipped(void)
{
    PGresult *r = NULL;

    reset();
    hook_reset();
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 900);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    MUE_ASSERT_INT_EQ(mue_db_exec(db2, "begin", "BEGIN"), 0);
    MUE_ASSERT_INT_EQ(
        mue_db_query(db2, "lock", &r, "SELECT id FROM alert_notification FOR UPDATE", 0, NULL), 1);
    PQclear(r);
    MUE_ASSERT_INT_EQ(run(), 0); /* skipped, not waited for */
    MUE_ASSERT_INT_EQ(mue_db_exec(db2, "rollback", "ROLLBACK"), 0);
    MUE_ASSERT_INT_EQ(run(), 1);
}

static int64_t late_event;
static int meanwhile_rc = -100;

/* Runs on the receiver's thread while it holds the request (no assertions here): the engine, on
 * its own session, escalates the alert and queues the event; that must not wait for the send. */
static void enqueue_meanwhile(void)
{
    PGresult *r = NULL;
    char q[512];

    snprintf(q, sizeof(q),
             "WITH up AS (UPDATE alert SET severity = 'critical' WHERE id = %lld)"
             " INSERT INTO alert_event (alert_id, kind) VALUES (%lld, 'escalated') RETURNING id",
             (long long)alert_full, (long long)alert_full);
    if (mue_db_query(db2, "late event", &r, q, 0, NULL) == 1) {
        late_event = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        meanwhile_rc = notify_enqueue(mue_db_conn(db2), late_event);
    }
    PQclear(r);
}

static void test_events_queued_during_a_send_go_in_the_next_one(void)
{
    char q[256];

    reset();
    hook_reset();
    add_channel("voirie", "webhook", hook_url, "NULL", "info", 0);
    MUE_ASSERT_INT_EQ(enqueue(add_event(alert_full, "opened", "mue-alerts", "")), 1);
    hook.during = enqueue_meanwhile;
    hook.statuses[1] = 204;
    meanwhile_rc = -100;
    MUE_ASSERT_INT_EQ(run(), 2); /* group_s 0: the new row is due at once */
    MUE_ASSERT_INT_EQ(meanwhile_rc, 1);
    MUE_ASSERT_INT_EQ(hook.count, 2);
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification WHERE status = 'sent'"), 2);
    /* The first carried only the event it was claimed with, the second the late one. */
    MUE_ASSERT_INT_EQ(sql_int("SELECT count(*) FROM alert_notification"
                              " WHERE jsonb_array_length(events) = 1"),
                      2);
    snprintf(q, sizeof(q),
             "SELECT (events->0->>'event_id')::bigint FROM alert_notification"
             " ORDER BY id DESC LIMIT 1");
    MUE_ASSERT_INT_EQ(sql_int(q), late_event);
    MUE_ASSERT(strstr(hook.body[0], "\"severity\":\"warning\"") != NULL);
    MUE_ASSERT(strstr(hook.body[1], "\"escalated\"") != NULL);
    MUE_ASSERT(strstr(hook.body[1], "\"severity\":\"critical\"") != NULL);
}

static void test_the_email_text_is_french_and_in_paris_time(void)
{
    static const char events[] =
        "[{\"event_id\": 1, \"kind\": \"opened\", \"at\": \"2024-11-28T22:09:41.000000Z\","
        " \"alert_id\": 12, \"rule\": \"waste.full\", \"title\": \"Conteneur presque plein\","
        " \"severity\": \"critical\", \"quantity\": \"fill_level\", \"value\": 92.5,"
        " \"message\": \"Remplissage 92,5 %\", \"actor\": \"mue-alerts\", \"comment\": \"\","
        " \"device\": {\"dev_eui\": \"24e124710000a001\", \"name\": \"pav-aix-001\","
        " \"site\": \"Place des Prêcheurs\", \"commune\": \"Aix-en-Provence\"}},"
        " {\"event_id\": 2, \"kind\": \"acknowledged\", \"at\": \"2024-07-01T10:00:00.000000Z\","
        " \"alert_id\": 12, \"rule\": \"waste.full\", \"title\": \"Conteneur presque plein\","
        " \"severity\": \"critical\", \"quantity\": \"fill_level\", \"value\": null,"
        " \"message\": \"Remplissage 92,5 %\", \"actor\": \"j.dupont\","
        " \"comment\": \"vidage prévu\", \"device\": {\"dev_eui\": \"24e124710000a001\","
        " \"name\": \"pav-aix-001\", \"site\": null, \"commune\": null}}]";
    char *subject = NULL, *body = NULL;

    MUE_ASSERT_INT_EQ(notify_format_email("critical", events, &subject, &body), 0);
    MUE_ASSERT_STR_EQ(subject, "[mue] Alerte critique acquittée : Conteneur presque plein — "
                               "pav-aix-001 (+1 événement)");
    MUE_ASSERT(strstr(body, "- 28/11/2024 23:09:41 : ouverte (alerte n° 12)\n"
                            "  Remplissage 92,5 %\n  Valeur : 92.5 (fill_level)\n") != NULL);
    MUE_ASSERT(strstr(body, "- 01/07/2024 12:00:00 : acquittée par j.dupont (alerte n° 12)\n"
                            "  Commentaire : vidage prévu\n") != NULL);
    MUE_ASSERT(strstr(body, "2 événements :") != NULL);
    free(subject);
    free(body);
    MUE_ASSERT_INT_EQ(notify_format_email("warning", "[]", &subject, &body), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(notify_format_email("warning", "nope", &subject, &body), MUE_EDECODE);
}

/* --- fixtures */

static void test_setup(void)
{
    int64_t site;
    char q[512];

    site = sql_int("INSERT INTO site (name, use_case, commune) VALUES"
                   " ('Place des Prêcheurs', 'waste', 'Aix-en-Provence') RETURNING id");
    snprintf(q, sizeof(q),
             "INSERT INTO device (dev_eui, name, model, use_case, site_id) VALUES"
             " ('24e124710000a001', 'pav-aix-001', 'milesight-em310-udl', 'waste', %lld)"
             " RETURNING id",
             (long long)site);
    device = sql_int(q);
    rule_full = sql_int("INSERT INTO alert_rule (name, title, use_case, kind, quantity, threshold,"
                        " severity) VALUES ('test.full', 'Conteneur presque plein', 'waste',"
                        " 'threshold', 'fill_level', 90, 'warning') RETURNING id");
    rule_fire = sql_int("INSERT INTO alert_rule (name, title, use_case, kind, quantity, threshold,"
                        " severity) VALUES ('test.fire', 'Départ de feu probable', 'waste',"
                        " 'threshold', 'temperature', 70, 'critical') RETURNING id");
    snprintf(q, sizeof(q),
             "INSERT INTO alert (rule_id, device_id, use_case, severity, quantity, message, since,"
             " opened_at, value) VALUES (%lld, %lld, 'waste', 'warning', 'fill_level',"
             " 'Remplissage 92,5 %%', now(), now(), 92.5) RETURNING id",
             (long long)rule_full, (long long)device);
    alert_full = sql_int(q);
    snprintf(q, sizeof(q),
             "INSERT INTO alert (rule_id, device_id, use_case, severity, quantity, message, since,"
             " opened_at, value) VALUES (%lld, %lld, 'waste', 'critical', 'temperature',"
             " 'Température 75 °C', now(), now(), 75) RETURNING id",
             (long long)rule_fire, (long long)device);
    alert_fire = sql_int(q);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_setup),
        MUE_TEST(test_an_event_goes_to_the_channels_that_want_it),
        MUE_TEST(test_the_event_object_carries_alert_rule_device_and_site),
        MUE_TEST(test_events_of_a_group_gather_and_raise_the_severity),
        MUE_TEST(test_enqueue_belongs_to_the_callers_transaction),
        MUE_TEST(test_a_webhook_is_sent_signed_and_marked),
        MUE_TEST(test_a_flapping_group_waits_for_its_grouping_period),
        MUE_TEST(test_other_groups_and_channels_do_not_wait),
        MUE_TEST(test_a_failed_send_backs_off_then_fails_for_good),
        MUE_TEST(test_the_first_wait_is_configurable),
        MUE_TEST(test_a_4xx_answer_fails_at_once),
        MUE_TEST(test_an_email_goes_through_the_relay),
        MUE_TEST(test_email_without_a_relay_fails_for_good),
        MUE_TEST(test_quiet_hours_hold_all_but_critical),
        MUE_TEST(test_a_row_locked_by_another_instance_is_skipped),
        MUE_TEST(test_events_queued_during_a_send_go_in_the_next_one),
        MUE_TEST(test_the_email_text_is_french_and_in_paris_time),
    };
    char dsn[512];
    int rc;

    signal(SIGPIPE, SIG_IGN);
    mue_log_init("test_notify", MUE_LOG_ERROR);
    if (test_db_open(&tdb, "notify") != 0) {
        test_db_close(&tdb);
        return 1;
    }
    db = tdb.db;
    if (dsn_with_db(test_pg_dsn("notify"), tdb.name, dsn, sizeof(dsn)) < 0 ||
        mue_db_open(&db2, dsn, 5000) != MUE_OK) {
        printf("notify: 0 passed, 1 failed\n");
        test_db_close(&tdb);
        return 1;
    }
    hook.fd = listen_loopback(&hook.port);
    relay.fd = listen_loopback(&relay.port);
    snprintf(hook_url, sizeof(hook_url), "http://127.0.0.1:%d/hooks/alerts", hook.port);
    snprintf(relay_addr, sizeof(relay_addr), "127.0.0.1:%d", relay.port);
    pthread_create(&hook.thread, NULL, hook_main, NULL);
    pthread_create(&relay.thread, NULL, relay_main, NULL);

    rc = mue_test_run("notify", tests);

    __atomic_store_n(&hook.stop, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&relay.stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(hook.thread, NULL);
    pthread_join(relay.thread, NULL);
    close(hook.fd);
    close(relay.fd);
    mue_db_close(db2);
    test_db_close(&tdb);
    return rc;
}
