/* mue_migrate.c - applies the embedded migrations, once each, in order.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "mue_err.h"
#include "mue_log.h"
#include "mue_migrate.h"

/* Any constant works as long as every runner uses the same one: "mue-migr" in ASCII. */
#define MIGRATE_LOCK "7887112330187617650"

static const char create_table[] = "CREATE TABLE IF NOT EXISTS schema_migration ("
                                   " version integer PRIMARY KEY,"
                                   " name text NOT NULL,"
                                   " applied_at timestamptz NOT NULL DEFAULT now())";

int mue_migrate_current(struct mue_db *db)
{
    PGresult *r = NULL;
    int v = MUE_EDB;

    /* A database never migrated has no schema_migration table: that is version 0, not an error. */
    if (mue_db_query(db, "migrate probe", &r, "SELECT to_regclass('schema_migration') IS NOT NULL",
                     0, NULL) != 1) {
        PQclear(r);
        return MUE_EDB;
    }
    if (PQgetvalue(r, 0, 0)[0] != 't') {
        PQclear(r);
        return 0;
    }
    PQclear(r);
    r = NULL;
    if (mue_db_query(db, "migrate current", &r,
                     "SELECT coalesce(max(version), 0) FROM schema_migration", 0, NULL) == 1)
        v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static int apply_one(struct mue_db *db, const struct mue_migration *m)
{
    PGresult *r = NULL;
    char version[16];
    const char *params[2] = { version, m->name };
    int rc;

    snprintf(version, sizeof(version), "%d", m->version);
    if (mue_db_exec(db, "migrate begin", "BEGIN") < 0)
        return MUE_EDB;
    rc = mue_db_exec(db, m->name, m->sql);
    if (rc == MUE_OK &&
        mue_db_query(db, "migrate record", &r,
                     "INSERT INTO schema_migration (version, name) VALUES ($1, $2)", 2, params) < 0)
        rc = MUE_EDB;
    PQclear(r);
    if (rc == MUE_OK)
        rc = mue_db_exec(db, "migrate commit", "COMMIT");
    if (rc < 0) {
        mue_db_exec(db, "migrate rollback", "ROLLBACK");
        mue_log_error("migrate.failed", "version=%d name=%s", m->version, m->name);
        return MUE_EDB;
    }
    mue_log_info("migrate.applied", "version=%d name=%s", m->version, m->name);
    return MUE_OK;
}

int mue_migrate_apply(struct mue_db *db)
{
    int current, applied = 0, rc = MUE_OK;

    if (mue_db_exec(db, "migrate lock", "SELECT pg_advisory_lock(" MIGRATE_LOCK ")") < 0)
        return MUE_EDB;
    if (mue_db_exec(db, "migrate table", create_table) < 0) {
        rc = MUE_EDB;
        goto out;
    }
    current = mue_migrate_current(db);
    if (current < 0) {
        rc = MUE_EDB;
        goto out;
    }
    for (size_t i = 0; i < mue_migrations_count; i++) {
        if (mue_migrations[i].version <= current)
            continue;
        if (apply_one(db, &mue_migrations[i]) < 0) {
            rc = MUE_EDB;
            goto out;
        }
        applied++;
    }
    rc = applied;
out:
    mue_db_exec(db, "migrate unlock", "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")");
    return rc;
}

int mue_migrate_require(struct mue_db *db)
{
    int want = mue_migrations_count ? mue_migrations[mue_migrations_count - 1].version : 0;
    int have;
    PGresult *r = NULL;

    /* A database never migrated has no schema_migration table: that is "behind", not an error. */
    if (mue_db_query(db, "migrate probe", &r, "SELECT to_regclass('schema_migration') IS NOT NULL",
                     0, NULL) != 1) {
        PQclear(r);
        return MUE_EDB;
    }
    have = PQgetvalue(r, 0, 0)[0] == 't' ? mue_migrate_current(db) : 0;
    PQclear(r);
    if (have < 0)
        return MUE_EDB;
    if (have < want) {
        mue_log_error("db.schema_behind", "have=%d want=%d hint=\"run mue-admin migrate\"", have,
                      want);
        return MUE_EDB;
    }
    return MUE_OK;
}
