/* reconcile.h - a run's ledger against what PostgreSQL holds: every uplink the ingest took is
 * stored, once, and nothing else of those devices in that time span is.
 * SPDX-License-Identifier: MIT */
#ifndef RECONCILE_H
#define RECONCILE_H

#include <stdio.h>

struct mue_db;

struct sim_reconcile {
    long lines;        /* uplinks in the ledger, repeats included */
    long repeats;      /* deliberate second posts */
    long expected;     /* distinct uplinks the ingest took (accepted or duplicate) */
    long not_taken;    /* distinct uplinks rejected or failed: not expected in the database */
    long stored;       /* expected uplinks found in the database */
    long lost;         /* expected uplinks not found */
    long unexpected;   /* uplinks of those devices and times in the database the ledger lacks */
    long rows;         /* measurement rows of the stored uplinks */
    long rows_min, rows_max; /* rows per stored uplink */
};

/* Reads the ledger 'f' and compares it with the measurements of its devices between its first
 * and last time, polling for up to 'wait_s' seconds while uplinks are still missing (the pipeline
 * may not have written them yet). Returns 0 with *out filled (lost and unexpected say whether it
 * reconciles), MUE_EDECODE for a ledger line that does not parse (err says which), MUE_EDB. */
int sim_reconcile(struct mue_db *db, FILE *f, long wait_s, struct sim_reconcile *out, char *err,
                  size_t cap);

#endif
