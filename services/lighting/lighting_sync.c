/* lighting_sync.c - compiles each controller's settings and queues a command for every setting
 * whose bytes changed: a device is sent only as much as changed.
 * SPDX-License-Identifier: MIT */
#include "lighting_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "compile_nas.h"
#include "compile_ws558.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_log.h"
#include "payload_hex.h"
#include "schedule.h"

#define MODEL_NAS   "nas-ul20xx"
#define MODEL_WS558 "milesight-ws558"
#define OVR_PREFIX  "nas.ovr."
#define AT_PREFIX   LIGHTING_KEY_WS558_AT

/* key = prefix a[.b] (b < 0: none); such numbers always fit. */
static void set_key(struct light_packet *p, const char *prefix, int64_t a, int64_t b)
{
    char k[96];

    if (b >= 0)
        snprintf(k, sizeof(k), "%s%lld.%lld", prefix, (long long)a, (long long)b);
    else
        snprintf(k, sizeof(k), "%s%lld", prefix, (long long)a);
    memcpy(p->key, k, sizeof(p->key) - 1);
    p->key[sizeof(p->key) - 1] = '\0';
}

static int desired_nas(const struct lamp_schedule *s, int64_t now_s, struct light_packet *out,
                       int cap, int *n, char *err, size_t errcap)
{
    const struct light_override *o = light_override_at(&s->lamp, now_s);
    int rc;

    if (s->lamp.calendar != NULL) {
        rc = nas_compile(s->lamp.calendar, s->lamp.programs, s->lamp.nprograms,
                         mue_localtime_day(now_s), s->lamp.lat, s->lamp.lon, out, cap, n, err,
                         errcap);
        if (rc != 0)
            return rc;
    }
    if (o != NULL && *n < cap) {
        int64_t left_min = (o->end_s - now_s + 59) / 60;

        rc = nas_dim_command(NAS_ADDR_BROADCAST, o->level, left_min <= 255 ? (int)left_min : 0,
                             &out[*n]);
        if (rc != 0) {
            snprintf(err, errcap, "override at %d %%: not a NAS command", o->level);
            return MUE_EINVAL;
        }
        /* Minutes since the epoch keep the key and its ".end" within a packet's key. */
        set_key(&out[*n], OVR_PREFIX, o->start_s / 60, o->end_s / 60);
        (*n)++;
    }
    return 0;
}

/* The next switching of a cabinet's plan, as one task (a WS558 holds one). */
static int desired_ws558(const struct lamp_schedule *s, int64_t now_s, struct light_packet *out,
                         int cap, int *n, char *err, size_t errcap)
{
    enum { NMIN = WS558_DELAY_MAX / 60 + 1 };
    static __thread uint8_t levels[NMIN];
    int64_t minute0 = now_s / 60 * 60;
    int got = 0, rc;

    if (s->lamp.calendar == NULL && s->lamp.noverrides == 0)
        return 0;
    light_plan(&s->lamp, minute0, NMIN, levels);
    rc = ws558_compile(now_s, levels, NMIN, 0xFF, 1, out, cap > 0 ? 1 : 0, &got);
    if (rc != 0) {
        snprintf(err, errcap, "%s", "the cabinet's plan does not compile");
        return rc;
    }
    if (got == 1) {
        unsigned delay = (unsigned)out[0].bytes[3] | (unsigned)out[0].bytes[4] << 8;

        /* The task keeps id 1: a device holds one, and the newest replaces it. */
        set_key(&out[0], AT_PREFIX, now_s + (int64_t)delay, -1);
    }
    *n = got;
    return 0;
}

int lighting_desired(const struct lamp_schedule *s, int64_t now_s, struct light_packet *out,
                     int cap, int *n, char *err, size_t errcap)
{
    *n = 0;
    snprintf(err, errcap, "%s", "");
    if (strcmp(s->model, MODEL_NAS) == 0)
        return desired_nas(s, now_s, out, cap, n, err, errcap);
    if (strcmp(s->model, MODEL_WS558) == 0)
        return desired_ws558(s, now_s, out, cap, n, err, errcap);
    return 0;
}

/* ---- the commands already there ---- */

struct known {
    char key[40];
    char state[16];
    uint8_t payload[LIGHT_PACKET_MAX + 13];
    size_t len;
    long long id;
    int64_t created_s;
    int in_setting; /* the device's accepted bytes for this key equal the desired ones */
};

static const char latest_sql[] =
    "SELECT DISTINCT ON (key) key, encode(payload, 'hex'), state, id, "
    "extract(epoch FROM created_at)::int8 FROM lighting_command "
    "WHERE device_id = $1::int8 AND state <> 'superseded' ORDER BY key, id DESC";

static int load_known(struct mue_db *db, const char *device_id, struct known **out, int *n)
{
    const char *p[1] = { device_id };
    PGresult *res;
    int rows = mue_db_query(db, "lighting.commands_latest", &res, latest_sql, 1, p);

    *out = NULL;
    *n = 0;
    if (rows < 0)
        return MUE_EDB;
    *out = calloc(rows > 0 ? (size_t)rows : 1, sizeof(**out));
    if (*out == NULL) {
        PQclear(res);
        return MUE_ENOMEM;
    }
    for (int i = 0; i < rows; i++) {
        struct known *k = &(*out)[i];

        snprintf(k->key, sizeof(k->key), "%s", PQgetvalue(res, i, 0));
        k->len = payload_from_hex(PQgetvalue(res, i, 1), k->payload, sizeof(k->payload));
        snprintf(k->state, sizeof(k->state), "%s", PQgetvalue(res, i, 2));
        k->id = strtoll(PQgetvalue(res, i, 3), NULL, 10);
        k->created_s = strtoll(PQgetvalue(res, i, 4), NULL, 10);
    }
    *n = rows;
    PQclear(res);
    return 0;
}

static const struct known *find_known(const struct known *k, int n, const char *key)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(k[i].key, key) == 0)
            return &k[i];
    }
    return NULL;
}

static int is_open(const char *state)
{
    return strcmp(state, "pending") == 0 || strcmp(state, "queued") == 0 ||
           strcmp(state, "sent") == 0;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether the device already has the desired bytes, or a command for them is on its way. */
static int needs_command(const struct known *k, const struct light_packet *p, const char *setting,
                         int64_t now_s)
{
    char hex[2 * sizeof(p->bytes) + 1];

    /* An override's command goes once: its bytes count minutes from when it was made. */
    if (starts_with(p->key, OVR_PREFIX))
        return k == NULL;
    payload_to_hex(p->bytes, p->len, hex);
    if (k != NULL && k->len == p->len && memcmp(k->payload, p->bytes, p->len) == 0 &&
        !starts_with(p->key, AT_PREFIX)) {
        if (is_open(k->state) || strcmp(k->state, "acknowledged") == 0)
            return 0;
        return now_s - k->created_s >= SYNC_RETRY_FAILED_S;
    }
    if (k != NULL && starts_with(p->key, AT_PREFIX))
        return 0; /* that switching is already asked for */
    if (setting != NULL && strcmp(setting, hex) == 0 && (k == NULL || !is_open(k->state)))
        return 0;
    return 1;
}

/* clang-format off */
static const char settings_sql[] =
    "SELECT key, encode(payload, 'hex') FROM lighting_device_setting WHERE device_id = $1::int8";
static const char supersede_sql[] =
    "UPDATE lighting_command SET state = 'superseded', updated_at = now(), "
    "reason = 'replaced by newer settings' "
    "WHERE device_id = $1::int8 AND key = $2 AND state IN ('pending', 'queued', 'sent')";
static const char insert_sql[] =
    "INSERT INTO lighting_command (device_id, key, f_port, payload, expires_at) "
    "VALUES ($1::int8, $2, $3::int, decode($4, 'hex'), to_timestamp($5::float8))";
/* clang-format on */

static const char *setting_of(PGresult *settings, const char *key)
{
    for (int i = 0; i < PQntuples(settings); i++) {
        if (strcmp(PQgetvalue(settings, i, 0), key) == 0)
            return PQgetvalue(settings, i, 1);
    }
    return NULL;
}

static int supersede(struct mue_db *db, const char *device_id, const char *key,
                     struct sync_stats *st)
{
    const char *p[2] = { device_id, key };
    PGresult *res;
    int n = mue_db_query(db, "lighting.supersede", &res, supersede_sql, 2, p);

    if (n < 0)
        return MUE_EDB;
    st->superseded += atoi(PQcmdTuples(res));
    PQclear(res);
    return 0;
}

static int insert(struct mue_db *db, const char *device_id, const struct light_packet *pk,
                  const char *expires, struct sync_stats *st)
{
    char port[8], hex[2 * sizeof(pk->bytes) + 1];
    const char *p[5] = { device_id, pk->key, port, hex, expires };
    PGresult *res;

    snprintf(port, sizeof(port), "%u", pk->fport);
    payload_to_hex(pk->bytes, pk->len, hex);
    if (mue_db_query(db, "lighting.queue", &res, insert_sql, 5, p) < 0)
        return MUE_EDB;
    PQclear(res);
    st->queued++;
    return 0;
}

/* Queues the packets that need it; ends overrides no longer in force; drops switchings of a
 * cabinet's older plan. */
static int queue_changes(struct mue_db *db, const char *device_id, const struct light_packet *pk,
                         int npk, int64_t now_s, struct sync_stats *st)
{
    struct known *known;
    int nknown, rc;
    PGresult *settings;
    const char *p[1] = { device_id };
    char expires[32];

    rc = load_known(db, device_id, &known, &nknown);
    if (rc != 0)
        return rc;
    if (mue_db_query(db, "lighting.settings", &settings, settings_sql, 1, p) < 0) {
        free(known);
        return MUE_EDB;
    }
    for (int i = 0; i < npk && rc == 0; i++) {
        const struct known *k = find_known(known, nknown, pk[i].key);
        /* A WS558 switching is worthless once due; the rest keeps a day. */
        int64_t until = starts_with(pk[i].key, AT_PREFIX)
                            ? strtoll(pk[i].key + strlen(AT_PREFIX), NULL, 10)
                            : now_s + 24 * 3600;

        if (!needs_command(k, &pk[i], setting_of(settings, pk[i].key), now_s))
            continue;
        snprintf(expires, sizeof(expires), "%lld", (long long)until);
        rc = supersede(db, device_id, pk[i].key, st);
        if (rc == 0)
            rc = insert(db, device_id, &pk[i], expires, st);
    }
    /* Open commands of keys no longer wanted: an older plan's switching, an override that ended
     * or was cancelled (its end is sent: the lamp resumes its schedule). */
    for (int i = 0; i < nknown && rc == 0; i++) {
        int wanted = 0;

        for (int j = 0; j < npk; j++)
            wanted |= strcmp(known[i].key, pk[j].key) == 0;
        if (wanted)
            continue;
        if (starts_with(known[i].key, AT_PREFIX) && is_open(known[i].state)) {
            rc = supersede(db, device_id, known[i].key, st);
        } else if (starts_with(known[i].key, OVR_PREFIX) && strstr(known[i].key, ".end") == NULL) {
            char end_key[48];

            snprintf(end_key, sizeof(end_key), "%s.end", known[i].key);
            if (find_known(known, nknown, end_key) != NULL || strlen(end_key) >= 32)
                continue;
            if (is_open(known[i].state))
                rc = supersede(db, device_id, known[i].key, st);
            struct light_packet resume;
            if (rc == 0 && nas_dim_command(NAS_ADDR_BROADCAST, NAS_LEVEL_RESUME, 0, &resume) == 0) {
                snprintf(resume.key, sizeof(resume.key), "%s", end_key);
                snprintf(expires, sizeof(expires), "%lld", (long long)now_s + 24 * 3600);
                rc = insert(db, device_id, &resume, expires, st);
            }
        }
    }
    PQclear(settings);
    free(known);
    return rc;
}

int lighting_sync_lamp(struct mue_db *db, const char *dev_eui, int64_t now_s, struct sync_stats *st,
                       char *err, size_t errcap)
{
    struct lamp_schedule s;
    struct light_packet pk[SYNC_MAX_PACKETS];
    char device_id[24];
    int n = 0, rc;

    rc = lamp_load(db, dev_eui, now_s, now_s + 8 * 86400, &s, err, errcap);
    if (rc == MUE_EUNKNOWN)
        return 0;
    if (rc != 0)
        return rc;
    rc = lighting_desired(&s, now_s, pk, SYNC_MAX_PACKETS, &n, err, errcap);
    snprintf(device_id, sizeof(device_id), "%lld", s.device_id);
    lamp_schedule_free(&s);
    if (rc != 0)
        return rc;
    st->lamps++;
    if (mue_db_exec(db, "lighting.sync_begin", "BEGIN") < 0)
        return MUE_EDB;
    rc = queue_changes(db, device_id, pk, n, now_s, st);
    if (rc == 0 && mue_db_exec(db, "lighting.sync_commit", "COMMIT") < 0)
        return MUE_EDB;
    if (rc != 0)
        mue_db_exec(db, "lighting.sync_rollback", "ROLLBACK");
    return rc;
}

int lighting_sync_all(struct mue_db *db, int64_t now_s, struct sync_stats *st)
{
    static const char sql[] = "SELECT dev_eui FROM device WHERE active AND use_case = 'lighting' "
                              "AND model IN ('" MODEL_NAS "', '" MODEL_WS558 "') ORDER BY id";
    PGresult *res;
    int n = mue_db_query(db, "lighting.controllers", &res, sql, 0, NULL);

    if (n < 0)
        return MUE_EDB;
    for (int i = 0; i < n; i++) {
        char err[200];
        int rc = lighting_sync_lamp(db, PQgetvalue(res, i, 0), now_s, st, err, sizeof(err));

        if (rc == MUE_EDB) {
            PQclear(res);
            return rc;
        }
        if (rc != 0) {
            st->errors++;
            mue_log_warn("lighting.compile_failed", "dev_eui=%s reason=\"%s\"",
                         PQgetvalue(res, i, 0), err);
        }
    }
    PQclear(res);
    return 0;
}
