/* mue_migrate.h - the numbered SQL migrations of deploy/sql/, embedded at build time.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_MIGRATE_H
#define MUE_MIGRATE_H

#include <stddef.h>

#include "mue_db.h"

struct mue_migration {
    int version; /* the NNNN of deploy/sql/NNNN_<what>.sql */
    const char *name;
    const char *sql;
};

/* Generated from deploy/sql/ by deploy/sql/embed.sh, in version order. */
extern const struct mue_migration mue_migrations[];
extern const size_t mue_migrations_count;

/* Applies the migrations not yet recorded in schema_migration, each in its own transaction, under
 * an advisory lock so concurrent runners wait for each other. Returns the number applied, or
 * MUE_EDB (the failing migration was rolled back and named in the log). */
int mue_migrate_apply(struct mue_db *db);

/* The highest version recorded in the database (0 when none), or MUE_EDB. */
int mue_migrate_current(struct mue_db *db);

/* Returns 0 when the database is at the version this build knows, else logs db.schema_behind and
 * returns MUE_EDB: services refuse to run on a schema they were not built for. */
int mue_migrate_require(struct mue_db *db);

#endif
