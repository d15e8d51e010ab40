/* deadletters.h - the dead-letter stream for operators: list what was refused, replay it once the
 * cause is fixed (a device registered, a codec updated).
 * SPDX-License-Identifier: MIT */
#ifndef DEADLETTERS_H
#define DEADLETTERS_H

#include <stdio.h>

struct mue_bus;

/* Which entries a command applies to; NULL members match everything. 'dev_eui' matches the last
 * token of the original subject (mue.uplink.<network>.<dev_eui>). */
struct deadletters_filter {
    const char *stage;
    const char *code;
    const char *dev_eui;
};

/* Prints the matching entries to 'out', one JSON object a line. Returns the count, or MUE_EBUS. */
int deadletters_list(struct mue_bus *bus, const struct deadletters_filter *f, FILE *out);

/* Publishes each matching entry's original message again on its original subject, then deletes
 * the entry. The re-sent message carries a new Nats-Msg-Id (the old one may still be inside the
 * stream's duplicate window) but its payload, and so the ids that make the downstream stages
 * idempotent, is unchanged. An entry refused again comes back as a new dead letter. Returns the
 * number replayed, or MUE_EBUS (what was replayed so far stays replayed). */
int deadletters_replay(struct mue_bus *bus, const struct deadletters_filter *f);

#endif
