/* notify.h - the notification outbox of mue-alerts: alert events gathered per channel and
 * (rule, device) in alert_notification, then sent as signed webhooks and e-mails.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_NOTIFY_H
#define ALERTS_NOTIFY_H

#include <stdint.h>

#include <libpq-fe.h>

struct mue_db;

/* Adds the alert event 'event_id' to the outbox. Runs inside the caller's open transaction (the
 * one that wrote the event), so an event is queued exactly when it is committed. For every
 * enabled channel whose use case is NULL or the alert's, and whose min_severity the alert's
 * severity reaches (info < warning < critical), the event is appended to the channel's pending
 * notification of the group "<rule_id>:<device_id>", or starts one; the pending row's severity
 * becomes the higher of the two. The event is a JSON object:
 *   {"event_id", "kind", "at" (RFC 3339 UTC), "alert_id", "rule" (its name), "title",
 *    "severity", "use_case", "quantity", "value" (number or null), "message", "actor",
 *    "comment", "device": {"dev_eui", "name", "site" (name or null), "commune" (or null)}}
 * One parameterised statement. Returns the number of notification rows inserted or updated
 * (0 when no channel wants it, or the event does not exist), or MUE_EDB after logging. */
int notify_enqueue(PGconn *conn, int64_t event_id);

struct notify_cfg {
    const char *smtp_server; /* "host:port" of the mail relay; NULL or "": e-mail channels fail */
    const char *smtp_from;   /* the sender address of the e-mails */
    const char *smtp_helo;   /* the name given in EHLO; NULL is "localhost" */
    long timeout_ms;         /* per webhook answer, per SMTP step */
    int max_attempts;        /* a notification fails for good after this many tries (>= 1) */
    long backoff_ms;         /* the wait after a first failure, doubled after each next one up
                              * to 1 h; 0 or less is 30 s */
};

/* Sends the notifications that are due, a few claimed at a time, until none is left. Due: status
 * pending, next_attempt_at reached, no notification of the same channel and group sent within the
 * channel's group_s (that is the grouping: the events wait in the pending row, so a flapping
 * sensor yields at most one notification per group_s), the channel enabled, and the local time
 * (Europe/Paris) outside the channel's quiet hours (quiet_from to quiet_to, which may cross
 * midnight; equal bounds mean none) unless the notification is critical.
 *
 * Claiming takes rows FOR UPDATE SKIP LOCKED and moves their next_attempt_at past the time the
 * sends may take (a lease), in one short statement; sending happens outside any transaction, so
 * several engine instances may run this at once and an event written meanwhile is never blocked.
 * Then each row is marked: sent (sent_at); or, on failure, attempts + 1, last_error, and
 * next_attempt_at = now() + min(backoff x 2^attempts, 1 h), or status 'failed' after max_attempts
 * tries or a permanent error (a 4xx webhook answer, a 5xx SMTP reply, no SMTP server configured).
 * Events appended to a row while it was being sent are moved to a new pending row, so they go out
 * in the next notification. An instance that dies in the middle of a send leaves its rows to be
 * sent again once the lease ends: delivery is at least once (receivers deduplicate by event_id).
 *
 * Webhooks get {"channel", "group", "severity", "events": [...]} (see outbound_webhook.h for the
 * signature); e-mails go to the channel's comma-separated addresses, in French. Each send is
 * logged (notify.sent, notify.failed) and counted in mue_alerts_notifications_total{channel_kind,
 * outcome} (outcome sent, retry or failed). Uses the connection as it is (no reconnect: that is
 * the caller's mue_db_ensure). Returns how many notifications were sent, or MUE_EDB. */
int notify_run(struct mue_db *db, const struct notify_cfg *cfg);

/* The e-mail of a notification, exposed for tests: 'events' is the JSON array of a row. Writes
 * the subject and the body (UTF-8, LF line ends), for the caller to free(). Returns 0, or
 * MUE_EDECODE when 'events' is not a non-empty array of event objects. */
int notify_format_email(const char *severity, const char *events, char **subject, char **body);

#endif
