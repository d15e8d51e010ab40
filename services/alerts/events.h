/* events.h - the alert_event outbox: each committed change of an alert is published on
 * mue.alert.<use case>.<severity> (stream ALERTS, Nats-Msg-Id "alert-event:<id>") and queued for
 * the notification channels, then marked published. A crash between the two publishes again,
 * and the id makes JetStream drop the copy.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_EVENTS_H
#define ALERTS_EVENTS_H

struct mue_bus;
struct mue_db;

/* Publishes up to 'max' unpublished events, oldest first (several engines share the work:
 * rows are taken with SKIP LOCKED). Returns how many were published, or a negative mue error
 * (nothing marked: they are tried again later). Thread-safe across distinct 'db's. */
int events_publish(struct mue_db *db, struct mue_bus *bus, int max);

#endif
