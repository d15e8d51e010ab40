/* downlinks.c - "mue-admin downlink send": the registry says where the device is, JetStream takes
 * the request, mue-ingest's forwarder does the rest.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "downlinks.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_base64.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "mue_time.h"

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin downlink send: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return 2;
}

int downlinks_parse_args(int argc, char **argv, struct downlinks_args *out)
{
    struct downlinks_args a;
    const char *eui;
    bool has_port = false, has_hex = false;
    long v;
    int n;

    memset(&a, 0, sizeof(a));
    if (argc < 3 || strcmp(argv[1], "send") != 0)
        return usage_error("usage: downlink send DEV_EUI --port N --hex HEX [--confirmed] "
                           "[--ttl-s S]",
                           NULL);
    eui = argv[2];
    if (strlen(eui) != 16 || strspn(eui, "0123456789abcdefABCDEF") != 16)
        return usage_error("not a DevEUI (16 hex digits):", eui);
    for (int i = 0; i < 16; i++)
        a.dev_eui[i] = (char)(eui[i] >= 'A' && eui[i] <= 'F' ? eui[i] + 32 : eui[i]);
    for (int i = 3; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(opt, "--confirmed") == 0) {
            a.confirmed = true;
        } else if (strcmp(opt, "--port") == 0 && val != NULL) {
            if (mue_config_parse_long(val, 1, 223, &v) < 0)
                return usage_error("--port must be 1..223, not", val);
            a.f_port = (uint32_t)v;
            has_port = true;
            i++;
        } else if (strcmp(opt, "--hex") == 0 && val != NULL) {
            n = mue_hex_decode(val, strlen(val), a.payload, sizeof(a.payload));
            if (n < 0)
                return usage_error("--hex must be an even count of hex digits, at most 242 "
                                   "bytes, not",
                                   val);
            a.payload_len = (size_t)n;
            has_hex = true;
            i++;
        } else if (strcmp(opt, "--ttl-s") == 0 && val != NULL) {
            if (mue_config_parse_long(val, 1, 31536000, &v) < 0)
                return usage_error("--ttl-s must be 1..31536000 seconds, not", val);
            a.ttl_s = v;
            i++;
        } else {
            return usage_error("unknown or incomplete argument", opt);
        }
    }
    if (!has_port || !has_hex)
        return usage_error("--port and --hex are required", NULL);
    *out = a;
    return 0;
}

/* The device's network and, for The Things Stack, its ids there. Returns 1 when found, 0 when
 * not registered, MUE_EDB. */
static int lookup(struct mue_db *db, const char *dev_eui, char *network, size_t ncap, char *app,
                  char *dev, size_t idcap)
{
    static const char sql[] = "SELECT network, coalesce(params->>'tts_application_id', ''), "
                              "coalesce(params->>'tts_device_id', '') FROM device "
                              "WHERE dev_eui = $1";
    const char *p[1] = { dev_eui };
    PGresult *res = NULL;
    int n = mue_db_query(db, "downlink device", &res, sql, 1, p);

    if (n > 0) {
        snprintf(network, ncap, "%s", PQgetvalue(res, 0, 0));
        snprintf(app, idcap, "%s", PQgetvalue(res, 0, 1));
        snprintf(dev, idcap, "%s", PQgetvalue(res, 0, 2));
    }
    PQclear(res);
    return n < 0 ? MUE_EDB : n > 0;
}

/* The network names a subject token: nothing but lowercase letters, digits, '-' and '_'. */
static bool is_network(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 16 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

static int publish(const struct mue_bus_opts *opts, const struct downlinks_args *a,
                   const char *network, const char *app, const char *dev, char *id, size_t idcap)
{
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;
    struct mue_bus_opts o = *opts;
    struct mue_bus *bus = NULL;
    char subject[96];
    int64_t now = mue_time_now_us();
    uint8_t *buf;
    size_t len;
    int rc;

    snprintf(id, idcap, "admin:%s:%lld", a->dev_eui, (long long)now);
    snprintf(subject, sizeof(subject), MUE_SUBJ_DOWNLINK_FMT, network, a->dev_eui);
    /* protobuf-c wants non-const strings; it only reads them when packing. */
    m.id = id;
    m.network = (char *)network;
    m.dev_eui = (char *)a->dev_eui;
    m.f_port = a->f_port;
    m.payload.data = (uint8_t *)a->payload;
    m.payload.len = a->payload_len;
    m.confirmed = a->confirmed;
    m.requested_at_us = now;
    m.origin = (char *)"admin";
    m.expires_at_us = a->ttl_s > 0 ? now + (int64_t)a->ttl_s * 1000000 : 0;
    m.application_id = (char *)app;
    m.device_id = (char *)dev;
    len = mue__v1__downlink_request__get_packed_size(&m);
    buf = mue_xmalloc(len);
    mue__v1__downlink_request__pack(&m, buf);
    o.name = "mue-admin";
    o.connect_timeout_ms = 5000;
    rc = mue_bus_open(&bus, &o);
    if (rc == 0)
        rc = mue_bus_publish(bus, subject, buf, len, id, NULL, 5000, NULL);
    mue_bus_close(bus);
    free(buf);
    return rc;
}

int downlinks_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus)
{
    struct downlinks_args a;
    struct mue_db *db = NULL;
    char network[64] = "", app[64] = "", dev[64] = "", id[64];
    int found;

    if (downlinks_parse_args(argc, argv, &a) != 0)
        return 2;
    if (pg_dsn == NULL) {
        fprintf(stderr, "mue-admin: MUE_PG_DSN is not set\n");
        return 1;
    }
    if (mue_db_open(&db, pg_dsn, 5000) < 0)
        return 1;
    found = lookup(db, a.dev_eui, network, sizeof(network), app, dev, sizeof(app));
    mue_db_close(db);
    if (found < 0)
        return 1;
    if (found == 0) {
        fprintf(stderr, "mue-admin: device %s is not registered\n", a.dev_eui);
        return 1;
    }
    if (!is_network(network)) {
        fprintf(stderr, "mue-admin: device %s has network '%s', which takes no downlinks\n",
                a.dev_eui, network);
        return 1;
    }
    if (strcmp(network, "tts") != 0)
        app[0] = dev[0] = '\0'; /* only The Things Stack names devices its own way */
    if (publish(bus, &a, network, app, dev, id, sizeof(id)) < 0) {
        fprintf(stderr, "mue-admin: the request could not be stored on NATS (stream DOWNLINKS; "
                        "has a service created the streams?)\n");
        return 1;
    }
    printf("%s\n", id);
    return 0;
}
