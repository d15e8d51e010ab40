/* roles.h - the PostgreSQL roles of the services (deploy/sql/0012_roles.sql makes them and their
 * grants): mue-admin migrate sets each one's password from MUE_PG_PASSWORD_<SERVICE>.
 * SPDX-License-Identifier: MIT */
#ifndef ROLES_H
#define ROLES_H

#include "mue_config.h"
#include "mue_db.h"

/* One password per service role; NULL (the variable unset or empty) leaves the role's as it is. */
struct roles_passwords {
    const char *normalizer, *writer, *alerts, *lighting, *opendata, *api;
};

/* The options of the config table that fill a struct roles_passwords (secrets: never shown). */
#define ROLES_PASSWORD_OPTIONS(st, field)                                                          \
    MUE_OPT_SECRET("MUE_PG_PASSWORD_NORMALIZER", st, field.normalizer, NULL,                       \
                   "migrate: password of the role mue_normalizer"),                                \
        MUE_OPT_SECRET("MUE_PG_PASSWORD_WRITER", st, field.writer, NULL,                           \
                       "migrate: password of the role mue_writer"),                                \
        MUE_OPT_SECRET("MUE_PG_PASSWORD_ALERTS", st, field.alerts, NULL,                           \
                       "migrate: password of the role mue_alerts"),                                \
        MUE_OPT_SECRET("MUE_PG_PASSWORD_LIGHTING", st, field.lighting, NULL,                       \
                       "migrate: password of the role mue_lighting"),                              \
        MUE_OPT_SECRET("MUE_PG_PASSWORD_OPENDATA", st, field.opendata, NULL,                       \
                       "migrate: password of the role mue_opendata"),                              \
        MUE_OPT_SECRET("MUE_PG_PASSWORD_API", st, field.api, NULL,                                 \
                       "migrate: password of the role mue_api")

/* Sets the password of every role whose password is given. Only a SCRAM verifier made by libpq
 * goes to the server, so the password itself appears in no statement and no server log; nothing
 * of it is logged here. Prints "password of ROLE set" per role on stdout. Returns the number of
 * roles set, or MUE_EDB (logged) at the first that fails. */
int roles_set_passwords(struct mue_db *db, const struct roles_passwords *pw);

#endif
