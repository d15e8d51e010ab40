/* mue_deadletter_read.h - reading the dead-letter stream back: each entry decoded, with the DevEUI
 * its original subject names, oldest or newest first, within a bound on what is read.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_DEADLETTER_READ_H
#define MUE_DEADLETTER_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mue_bus;

/* One entry of the DEADLETTER stream (mue_deadletter_publish wrote it). Strings and bytes are
 * borrowed: valid during the callback that receives the entry, no longer. */
struct mue_deadletter_entry {
    uint64_t seq;            /* its sequence in the stream */
    int64_t time_us;         /* when the stage refused the original */
    const char *stage;       /* "normalizer", "writer", ... */
    const char *code;        /* "unknown_device", "decode_failed", ... */
    const char *reason;      /* words for a person */
    const char *subject;     /* the subject the original came on */
    const char *original_id; /* its Nats-Msg-Id, "" when it had none */
    const uint8_t *original; /* the original body, untouched */
    size_t original_len;
    char dev_eui[17]; /* see mue_deadletter_subject_dev_eui; "" when the subject names none */
};

/* Which entries a walk hands over; NULL members match everything. 'dev_eui' is compared, case
 * ignored, with the last token of the original subject (mue.uplink.<network>.<dev_eui>). */
struct mue_deadletter_filter {
    const char *stage;
    const char *code;
    const char *dev_eui;
};

struct mue_deadletter_walk_opts {
    const struct mue_deadletter_filter *filter; /* NULL: every entry */
    bool newest_first;                          /* else oldest first */
    uint64_t max_scan; /* sequences read at most, deleted ones included; 0: no bound */
};

/* What a walk did: how many sequences it read, and whether max_scan stopped it with sequences
 * left unread (the caller says its answer may be incomplete). */
struct mue_deadletter_walk_stats {
    uint64_t scanned;
    bool truncated;
};

/* What an entry callback returns to end the walk early without an error. */
#define MUE_DEADLETTER_STOP 1

/* Called for each matching entry; returns 0 to go on, MUE_DEADLETTER_STOP to end the walk there,
 * or a negative MUE_E* code that ends the walk and is returned by it. */
typedef int (*mue_deadletter_entry_fn)(const struct mue_deadletter_entry *e, void *arg);

/* Reads the DEADLETTER stream one sequence at a time, from its first or its last sequence at the
 * start of the walk, and calls 'fn' for each entry that matches o->filter. Deleted sequences
 * (replayed, purged) are skipped; an entry that is not a mue.v1.DeadLetter is skipped with a warn
 * line. 'fn' may delete the entry it was given. Fills *stats when not NULL (also on error).
 * Returns the number of calls to 'fn', MUE_EBUS when the stream cannot be read, or the negative
 * code 'fn' returned. */
int mue_deadletter_walk(struct mue_bus *bus, const struct mue_deadletter_walk_opts *o,
                        mue_deadletter_entry_fn fn, void *arg,
                        struct mue_deadletter_walk_stats *stats);

/* The DevEUI a subject ends with: its last dot-separated token, lower-cased, when that is exactly
 * 16 hex digits (mue.uplink.<network>.<dev_eui>, mue.device.<network>.<dev_eui>); a subject of
 * one token names none. Returns true and fills 'out', or false with 'out' set to "". */
bool mue_deadletter_subject_dev_eui(const char *subject, char out[17]);

/* Whether 'e' passes 'f' (NULL passes everything). */
bool mue_deadletter_matches(const struct mue_deadletter_filter *f,
                            const struct mue_deadletter_entry *e);

#endif
