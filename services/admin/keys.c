/* keys.c - "mue-admin keys": API keys are shown once and kept only as their SHA-256, so reading
 * the table gives no way in; every change leaves an audit_log row written by the same statement.
 * SPDX-License-Identifier: MIT */
#include "keys.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_sha256.h"

/* mue-api keeps a caller's name in 96 bytes (struct api_caller). */
#define NAME_MAX_LEN 95
/* mue-api hashes at most 256 characters of a bearer key. */
#define KEY_MAX_LEN 256

#define TIME_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

struct create_args {
    const char *name, *role, *use_cases, *devices, *key;
    char eui_list[1024]; /* --device, lower-cased */
};

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin keys: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return 2;
}

static int refused(const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin keys: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
    return 1;
}

static bool is_role(const char *s)
{
    static const char *const roles[] = { "directorate", "operator", "partner", "admin" };

    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(s, roles[i]) == 0)
            return true;
    return false;
}

/* A comma-separated list without empty items (they would become '' in the array). */
static bool is_list(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && s[0] != ',' && s[n - 1] != ',' && strstr(s, ",,") == NULL;
}

/* Checks every item of --device and writes the list lower-cased into out. */
static int parse_devices(const char *list, char *out, size_t cap)
{
    size_t len = strlen(list);

    if (!is_list(list) || len >= cap)
        return usage_error("--device takes DevEUIs separated by commas, not", list);
    for (const char *p = list; *p != '\0';) {
        size_t n = strcspn(p, ",");
        if (n != 16 || strspn(p, "0123456789abcdefABCDEF") < 16)
            return usage_error("not a DevEUI (16 hex digits) in --device", list);
        p += n + (p[n] == ',');
    }
    for (size_t i = 0; i <= len; i++)
        out[i] = (char)(list[i] >= 'A' && list[i] <= 'F' ? list[i] + 32 : list[i]);
    return 0;
}

/* A key is a bearer token: visible ASCII, no space (a header would lose it). */
static bool is_key_text(const char *s)
{
    size_t n = strlen(s);

    if (n < KEYS_MIN_IMPORT || n > KEY_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

static bool is_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > NAME_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return false;
    return true;
}

static int parse_create(int argc, char **argv, struct create_args *a)
{
    static const char *const opts[] = { "--name", "--role", "--use-case", "--device", "--key" };
    const char **slots[] = { &a->name, &a->role, &a->use_cases, &a->devices, &a->key };

    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i++) {
        size_t k = 0;
        while (k < 5 && strcmp(argv[i], opts[k]) != 0)
            k++;
        if (k == 5 || i + 1 >= argc)
            return usage_error("unknown or incomplete argument", argv[i]);
        if (*slots[k] != NULL)
            return usage_error("given twice:", argv[i]);
        *slots[k] = argv[++i];
    }
    if (a->name == NULL || a->role == NULL)
        return usage_error("keys create needs --name and --role", NULL);
    if (!is_name(a->name))
        return usage_error("--name must be 1 to 95 printable characters, not", a->name);
    if (!is_role(a->role))
        return usage_error("--role must be directorate, operator, partner or admin, not", a->role);
    if (strcmp(a->role, "directorate") == 0 && a->use_cases == NULL)
        return usage_error("a directorate key needs --use-case UC[,UC...]", NULL);
    if (strcmp(a->role, "directorate") != 0 && a->use_cases != NULL)
        return usage_error("--use-case is for directorate keys only", NULL);
    if (strcmp(a->role, "partner") == 0 && a->devices == NULL)
        return usage_error("a partner key needs --device EUI[,EUI...]", NULL);
    if (strcmp(a->role, "partner") != 0 && a->devices != NULL)
        return usage_error("--device is for partner keys only", NULL);
    if (a->use_cases != NULL && !is_list(a->use_cases))
        return usage_error("--use-case takes use case ids separated by commas, not", a->use_cases);
    if (a->devices != NULL && parse_devices(a->devices, a->eui_list, sizeof(a->eui_list)) != 0)
        return 2;
    if (a->key != NULL && !is_key_text(a->key))
        return usage_error("--key must be 24 to 256 visible ASCII characters without spaces", NULL);
    return 0;
}

static int random_key(char key[KEYS_LEN + 1])
{
    uint8_t raw[32];
    char b64[48];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f != NULL ? fread(raw, 1, sizeof(raw), f) : 0;

    if (f != NULL)
        fclose(f);
    if (got != sizeof(raw) || mue_base64_encode(raw, sizeof(raw), b64, sizeof(b64)) < 0)
        return refused("could not read 32 random bytes from /dev/urandom", NULL);
    /* base64url without padding: safe in a header, a URL or a shell. */
    for (char *s = b64; *s != '\0'; s++) {
        if (*s == '+')
            *s = '-';
        else if (*s == '/')
            *s = '_';
        else if (*s == '=')
            *s = '\0';
    }
    memcpy(key, b64, KEYS_LEN + 1);
    return 0;
}

/* The items of 'csv' that 'sql' finds missing, comma-separated into out ("" when none).
 * Returns 0 or MUE_EDB. */
static int missing(struct mue_db *db, const char *what, const char *sql, const char *csv, char *out,
                   size_t cap)
{
    const char *p[1] = { csv };
    PGresult *res = NULL;
    int n = mue_db_query(db, what, &res, sql, 1, p);

    if (n == 1)
        snprintf(out, cap, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return n == 1 ? 0 : MUE_EDB;
}

/* The scope of the key must exist: a typo would make a key that sees nothing. Returns the exit
 * status. */
static int check_scope(struct mue_db *db, const struct create_args *a)
{
    static const char uc_sql[] =
        "SELECT coalesce(string_agg(u, ','), '') FROM unnest(string_to_array($1, ',')) u"
        " WHERE NOT EXISTS (SELECT 1 FROM use_case WHERE id = u)";
    static const char dev_sql[] =
        "SELECT coalesce(string_agg(e, ','), '') FROM unnest(string_to_array($1, ',')) e"
        " WHERE NOT EXISTS (SELECT 1 FROM device WHERE dev_eui = e)";
    char bad[1100];

    if (a->use_cases != NULL) {
        if (missing(db, "keys use cases", uc_sql, a->use_cases, bad, sizeof(bad)) < 0)
            return 1;
        if (bad[0] != '\0')
            return refused("no such use case (mue-admin retention lists them):", bad);
    }
    if (a->devices != NULL) {
        if (missing(db, "keys devices", dev_sql, a->eui_list, bad, sizeof(bad)) < 0)
            return 1;
        if (bad[0] != '\0')
            return refused("no such registered device:", bad);
    }
    return 0;
}

/* The key's hash is already stored: fine when it is the same key imported again. */
static int already_present(struct mue_db *db, const struct create_args *a, const char *hash,
                           const char *key)
{
    static const char sql[] =
        "SELECT id, name, role, revoked_at IS NOT NULL FROM api_key WHERE key_hash = $1";
    const char *p[1] = { hash };
    PGresult *res = NULL;
    int n = mue_db_query(db, "keys lookup", &res, sql, 1, p), rc = 1;

    if (n != 1) {
        if (n == 0)
            refused("the key could not be stored (its hash vanished meanwhile); try again", NULL);
    } else if (strcmp(PQgetvalue(res, 0, 3), "t") == 0) {
        fprintf(stderr, "mue-admin keys: this key is key %s, which was revoked\n",
                PQgetvalue(res, 0, 0));
    } else if (strcmp(PQgetvalue(res, 0, 1), a->name) != 0 ||
               strcmp(PQgetvalue(res, 0, 2), a->role) != 0) {
        fprintf(stderr,
                "mue-admin keys: this key is already stored under another name or role "
                "(key %s)\n",
                PQgetvalue(res, 0, 0));
    } else {
        printf("%s\n", key);
        fprintf(stderr, "key already present: key %s for %s\n", PQgetvalue(res, 0, 0), a->role);
        rc = 0;
    }
    PQclear(res);
    return rc;
}

static int cmd_create(struct mue_db *db, const struct create_args *a)
{
    static const char sql[] =
        "WITH k AS (INSERT INTO api_key (name, role, use_cases, devices, key_hash)"
        " VALUES ($1, $2, string_to_array($3, ','), string_to_array($4, ','), $5)"
        " ON CONFLICT (key_hash) DO NOTHING RETURNING id, name, role),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT 'mue-admin', 'key.create', id::text, jsonb_build_object('name', name, 'role',"
        " role) FROM k)"
        " SELECT id FROM k";
    char made[KEYS_LEN + 1], hash[65];
    const char *key = a->key;
    const char *p[5] = { a->name, a->role, a->use_cases ? a->use_cases : "", a->eui_list, hash };
    PGresult *res = NULL;
    int n, rc;

    rc = check_scope(db, a);
    if (rc != 0)
        return rc;
    if (key == NULL) {
        if (random_key(made) != 0)
            return 1;
        key = made;
    }
    mue_sha256_hex(key, strlen(key), hash);
    n = mue_db_query(db, "keys create", &res, sql, 5, p);
    if (n == 1) {
        printf("%s\n", key);
        fprintf(stderr, "key %s created for %s: it is shown once\n", PQgetvalue(res, 0, 0),
                a->role);
    }
    PQclear(res);
    if (n == 0)
        return already_present(db, a, hash, key);
    return n == 1 ? 0 : 1;
}

static int cmd_list(struct mue_db *db)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT row_to_json(k)::text FROM (SELECT id, name, role, use_cases, devices,"
        " " TIME_UTC("created_at") " AS created_at,"
        " " TIME_UTC("revoked_at") " AS revoked_at"
        " FROM api_key ORDER BY id) k";
    /* clang-format on */
    PGresult *res = NULL;
    int n = mue_db_query(db, "keys list", &res, sql, 0, NULL);

    for (int i = 0; i < n; i++)
        printf("%s\n", PQgetvalue(res, i, 0));
    PQclear(res);
    return n < 0;
}

static int cmd_revoke(struct mue_db *db, const char *id)
{
    static const char sql[] =
        "WITH k AS (UPDATE api_key SET revoked_at = now() WHERE id = $1::bigint"
        " AND revoked_at IS NULL RETURNING id, name, role),"
        " a AS (INSERT INTO audit_log (actor, action, target, detail)"
        " SELECT 'mue-admin', 'key.revoke', id::text, jsonb_build_object('name', name, 'role',"
        " role) FROM k)"
        " SELECT 'revoked' FROM k"
        " UNION ALL SELECT 'already' FROM api_key WHERE id = $1::bigint AND revoked_at IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM k)";
    const char *p[1] = { id };
    PGresult *res = NULL;
    int n = mue_db_query(db, "keys revoke", &res, sql, 1, p), rc = 1;

    if (n == 0)
        refused("no such key:", id);
    else if (n == 1 && strcmp(PQgetvalue(res, 0, 0), "already") == 0) {
        fprintf(stderr, "key %s was already revoked\n", id);
        rc = 0;
    } else if (n == 1) {
        fprintf(stderr, "key %s revoked\n", id);
        rc = 0;
    }
    PQclear(res);
    return rc;
}

int keys_command(int argc, char **argv, const char *pg_dsn)
{
    struct create_args a;
    struct mue_db *db = NULL;
    const char *verb = argc >= 2 ? argv[1] : "";
    long id;
    int rc;

    if (strcmp(verb, "create") == 0) {
        if (parse_create(argc, argv, &a) != 0)
            return 2;
    } else if (strcmp(verb, "list") == 0) {
        if (argc != 2)
            return usage_error("usage: keys list", NULL);
    } else if (strcmp(verb, "revoke") == 0) {
        if (argc != 3 || mue_config_parse_long(argv[2], 1, LONG_MAX, &id) < 0)
            return usage_error("usage: keys revoke ID (the id of keys list)", NULL);
    } else {
        return usage_error("usage: keys create|list|revoke", NULL);
    }
    if (pg_dsn == NULL)
        return refused("MUE_PG_DSN is not set", NULL);
    if (mue_db_open(&db, pg_dsn, 5000) < 0)
        return 1;
    if (verb[0] == 'c')
        rc = cmd_create(db, &a);
    else if (verb[0] == 'l')
        rc = cmd_list(db);
    else
        rc = cmd_revoke(db, argv[2]);
    mue_db_close(db);
    return rc;
}
