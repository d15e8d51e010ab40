/* auth.c - API keys: "Authorization: Bearer <key>", the key's SHA-256 looked up, revoked keys
 * refused. The key itself is never stored nor logged.
 * SPDX-License-Identifier: MIT */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mue_err.h"
#include "mue_sha256.h"

static const struct {
    unsigned bit;
    const char *name;
} roles[] = {
    { API_PUBLIC, "public" },           { API_PARTNER, "partner" }, { API_OPERATOR, "operator" },
    { API_DIRECTORATE, "directorate" }, { API_ADMIN, "admin" },
};

const char *auth_role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (roles[i].bit == role)
            return roles[i].name;
    return "unknown";
}

unsigned auth_role_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].bit;
    return 0;
}

void auth_caller_free(struct api_caller *c)
{
    free(c->use_cases);
    free(c->devices);
    c->use_cases = c->devices = NULL;
}

int auth_caller(struct api_req *r, const char *authorization)
{
    static const char sql[] = "SELECT id, name, role, use_cases::text, devices::text FROM api_key"
                              " WHERE key_hash = $1 AND revoked_at IS NULL";
    char hash[65];
    const char *key, *params[1] = { hash };
    PGresult *res;
    int rc = MUE_EAUTH;

    memset(&r->who, 0, sizeof(r->who));
    r->who.role = API_PUBLIC;
    snprintf(r->who.name, sizeof(r->who.name), "public");
    if (authorization == NULL)
        return MUE_OK;
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return MUE_EAUTH;
    key = authorization + 7;
    while (*key == ' ')
        key++;
    /* Keys are 43 characters; the bound keeps a hostile header to one cheap hash. */
    if (key[0] == '\0' || strlen(key) > 256)
        return MUE_EAUTH;
    mue_sha256_hex(key, strlen(key), hash);
    res = PQexecParams(r->db, sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return MUE_EDB;
    }
    if (PQntuples(res) == 1) {
        r->who.key_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(r->who.name, sizeof(r->who.name), "%s", PQgetvalue(res, 0, 1));
        r->who.role = auth_role_parse(PQgetvalue(res, 0, 2));
        if (r->who.role == API_DIRECTORATE)
            r->who.use_cases = strdup(PQgetvalue(res, 0, 3));
        if (r->who.role == API_PARTNER)
            r->who.devices = strdup(PQgetvalue(res, 0, 4));
        rc = r->who.role != 0 ? MUE_OK : MUE_EAUTH;
    }
    PQclear(res);
    if (rc != MUE_OK) {
        auth_caller_free(&r->who);
        r->who.role = API_PUBLIC;
        r->who.key_id = 0;
    }
    return rc;
}
