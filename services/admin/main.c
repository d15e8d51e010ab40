/* main.c - mue-admin: the operator's command line (migrations, devices, dead letters).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue/v1/deadletter.pb-c.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_migrate.h"
#include "mue_subjects.h"
#include "mue_time.h"

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    const char *log_level;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET("MUE_PG_DSN", struct config, pg_dsn, NULL,
                   "libpq connection string (migrate, device)"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "warn", "debug, info, warn or error"),
    MUE_OPT_END,
};

static const char usage[] =
    "Usage: mue-admin COMMAND [ARGS]\n\n"
    "Commands:\n"
    "  migrate                       apply the pending SQL migrations of deploy/sql/\n"
    "  device add --dev-eui HEX --model MODEL --use-case UC --name NAME\n"
    "             [--lat DEG --lon DEG] [--params JSON] [--network NET]\n"
    "                                register a device, or update the one with that DevEUI\n"
    "  deadletter list [--stage STAGE]\n"
    "                                print the dead-letter entries, one JSON object a line\n"
    "  --help                        this text and the environment variables\n";

static int open_db(const struct config *cfg, struct mue_db **db)
{
    if (cfg->pg_dsn == NULL) {
        fprintf(stderr, "mue-admin: MUE_PG_DSN is not set\n");
        return MUE_ECONFIG;
    }
    return mue_db_open(db, cfg->pg_dsn, 5000);
}

static int cmd_migrate(const struct config *cfg, int argc, char **argv)
{
    struct mue_db *db = NULL;
    int applied, rc = 1;
    (void)argc;
    (void)argv;

    if (open_db(cfg, &db) < 0)
        return 1;
    applied = mue_migrate_apply(db);
    if (applied >= 0) {
        printf("applied %d migration(s); schema at version %d\n", applied, mue_migrate_current(db));
        rc = 0;
    }
    mue_db_close(db);
    return rc;
}

static int cmd_device_add(const struct config *cfg, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "dev-eui", required_argument, NULL, 'e' },
        { "model", required_argument, NULL, 'm' },
        { "use-case", required_argument, NULL, 'u' },
        { "name", required_argument, NULL, 'n' },
        { "lat", required_argument, NULL, 'a' },
        { "lon", required_argument, NULL, 'o' },
        { "params", required_argument, NULL, 'p' },
        { "network", required_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 },
    };
    const char *v[8] = { NULL, NULL, NULL, NULL, NULL, NULL, "{}", "chirpstack" };
    static const char sql[] =
        "INSERT INTO device (dev_eui, model, use_case, name, latitude, longitude, params, network)"
        " VALUES (lower($1), $2, $3, $4, $5, $6, $7::jsonb, $8)"
        " ON CONFLICT (dev_eui) DO UPDATE SET model = EXCLUDED.model,"
        " use_case = EXCLUDED.use_case, name = EXCLUDED.name, latitude = EXCLUDED.latitude,"
        " longitude = EXCLUDED.longitude, params = EXCLUDED.params, network = EXCLUDED.network,"
        " updated_at = now()"
        " RETURNING id";
    struct mue_db *db = NULL;
    PGresult *res = NULL;
    int c, rc = 1;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        const char *keys = "emunaopw";
        const char *k = strchr(keys, c);
        if (c == '?' || k == NULL)
            return 2;
        v[k - keys] = optarg;
    }
    if (!v[0] || !v[1] || !v[2] || !v[3]) {
        fprintf(stderr, "mue-admin device add: --dev-eui, --model, --use-case and --name are "
                        "required\n");
        return 2;
    }
    if (open_db(cfg, &db) < 0)
        return 1;
    if (mue_db_query(db, "device add", &res, sql, 8, v) == 1) {
        printf("device %s registered as id %s\n", v[0], PQgetvalue(res, 0, 0));
        rc = 0;
    }
    PQclear(res);
    mue_db_close(db);
    return rc;
}

static void print_entry(uint64_t seq, const Mue__V1__DeadLetter *dl)
{
    char ts[40];
    json_t *o;
    char *line;

    mue_time_format(dl->time_us, ts, sizeof(ts));
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "seq", (json_int_t)seq, "stage",
                  dl->stage, "code", dl->code, "reason", dl->reason, "subject", dl->subject,
                  "original_id", dl->original_id, "time", ts, "original_bytes",
                  (json_int_t)dl->original.len);
    line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (line)
        printf("%s\n", line);
    free(line);
    json_decref(o);
}

static int cmd_deadletter_list(struct config *cfg, int argc, char **argv)
{
    const char *stage = NULL;
    struct mue_bus *bus = NULL;
    uint64_t first = 0, last = 0;
    int rc = 1;

    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--stage") == 0 && i + 1 < argc)
            stage = argv[++i];
        else if (strcmp(argv[i], "list") != 0) {
            fprintf(stderr, "mue-admin deadletter: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    cfg->bus.connect_timeout_ms = 5000;
    if (mue_bus_open(&bus, &cfg->bus) < 0)
        return 1;
    if (mue_bus_stream_range(bus, MUE_STREAM_DEADLETTER, &first, &last) < 0)
        goto out;
    for (uint64_t seq = first; first != 0 && seq <= last; seq++) {
        natsMsg *m = NULL;
        Mue__V1__DeadLetter *dl;
        int got = mue_bus_stream_get(bus, MUE_STREAM_DEADLETTER, seq, &m);
        if (got == MUE_ENOENT)
            continue;
        if (got < 0)
            goto out;
        dl = mue__v1__dead_letter__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
        if (dl != NULL && (stage == NULL || strcmp(dl->stage, stage) == 0))
            print_entry(seq, dl);
        mue__v1__dead_letter__free_unpacked(dl, NULL);
        natsMsg_Destroy(m);
    }
    rc = 0;
out:
    mue_bus_close(bus);
    nats_Close();
    return rc;
}

int main(int argc, char **argv)
{
    struct config cfg;
    enum mue_log_level level;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        if (argc >= 2)
            mue_config_print_help(stdout, "mue-admin", "operator commands", options);
        return argc < 2 ? 2 : 0;
    }
    mue_log_init("admin", MUE_LOG_WARN);
    cfg.bus.name = "mue-admin";
    if (mue_config_load(options, &cfg) < 0)
        return 2;
    if (mue_log_level_parse(cfg.log_level, &level) == 0)
        mue_log_init("admin", level);
    if (strcmp(argv[1], "migrate") == 0)
        return cmd_migrate(&cfg, argc - 1, argv + 1);
    if (strcmp(argv[1], "device") == 0 && argc > 2 && strcmp(argv[2], "add") == 0)
        return cmd_device_add(&cfg, argc - 2, argv + 2);
    if (strcmp(argv[1], "deadletter") == 0 && argc > 2)
        return cmd_deadletter_list(&cfg, argc - 2, argv + 2);
    fprintf(stderr, "mue-admin: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
