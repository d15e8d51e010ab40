/* roles.c - the services' PostgreSQL roles: their passwords, set by mue-admin migrate.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "mue_log.h"
#include "roles.h"

static const struct {
    const char *role;
    size_t offset; /* of its password in struct roles_passwords */
} roles[] = {
    { "mue_normalizer", offsetof(struct roles_passwords, normalizer) },
    { "mue_writer", offsetof(struct roles_passwords, writer) },
    { "mue_alerts", offsetof(struct roles_passwords, alerts) },
    { "mue_lighting", offsetof(struct roles_passwords, lighting) },
    { "mue_opendata", offsetof(struct roles_passwords, opendata) },
    { "mue_api", offsetof(struct roles_passwords, api) },
};

/* ALTER ROLE takes no parameters ($1), so the statement is made here.
 * sql-params: the role is a name of the table above, and the password's SCRAM verifier (made by
 * libpq from the password and the role) goes in as a literal quoted by PQescapeLiteral. */
static int set_one(struct mue_db *db, const char *role, const char *password)
{
    PGconn *c = mue_db_conn(db);
    char *verifier = PQencryptPasswordConn(c, password, role, NULL);
    char *literal = NULL, quoted[256];
    struct mue_buf sql;
    int rc = MUE_EDB;

    mue_buf_init(&sql, 0);
    if (verifier != NULL)
        literal = PQescapeLiteral(c, verifier, strlen(verifier));
    if (literal == NULL) {
        mue_log_error("db.password_failed", "role=%s err=\"%s\"", role,
                      mue_log_quote(quoted, sizeof(quoted), PQerrorMessage(c)));
        goto out;
    }
    mue_buf_append_str(&sql, "ALTER ROLE ");
    mue_buf_append_str(&sql, role);
    mue_buf_append_str(&sql, " PASSWORD ");
    mue_buf_append_str(&sql, literal);
    rc = mue_db_exec(db, "role password", sql.data);
out:
    mue_buf_fini(&sql);
    PQfreemem(literal);
    PQfreemem(verifier);
    return rc;
}

int roles_set_passwords(struct mue_db *db, const struct roles_passwords *pw)
{
    int set = 0;

    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        const char *password =
            *(const char *const *)(const void *)((const char *)pw + roles[i].offset);
        if (password == NULL || password[0] == '\0')
            continue;
        if (set_one(db, roles[i].role, password) < 0)
            return MUE_EDB;
        printf("password of %s set\n", roles[i].role);
        set++;
    }
    return set;
}
