/* main.c - mue-admin: the operator's command line (migrations, devices, dead letters).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alerts.h"
#include "lighting_cli.h"
#include "sun.h"
#include "deadletters.h"
#include "devices.h"
#include "downlink_log.h"
#include "downlinks.h"
#include "keys.h"
#include "mue_bus.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_migrate.h"
#include "mue_kv.h"
#include "mue_subjects.h"
#include "roles.h"
#include "tokens.h"

struct config {
    struct mue_bus_opts bus;
    const char *pg_dsn;
    struct roles_passwords passwords;
    const char *log_level;
};

static const struct mue_config_option options[] = {
    MUE_BUS_OPTIONS(struct config, bus),
    MUE_OPT_SECRET("MUE_PG_DSN", struct config, pg_dsn, NULL,
                   "libpq connection string (migrate, device, devices, keys, ...)"),
    ROLES_PASSWORD_OPTIONS(struct config, passwords),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "warn", "debug, info, warn or error"),
    MUE_OPT_END,
};

static const char usage[] =
    "Usage: mue-admin COMMAND [ARGS]\n\n"
    "Commands:\n"
    "  migrate                       apply the pending SQL migrations of deploy/sql/, then\n"
    "                                set the services' role passwords given in\n"
    "                                MUE_PG_PASSWORD_<SERVICE> (NORMALIZER, WRITER, ALERTS,\n"
    "                                LIGHTING, OPENDATA, API)\n"
    "  device add --dev-eui HEX --model MODEL --use-case UC --name NAME\n"
    "             [--lat DEG --lon DEG] [--params JSON] [--network NET]\n"
    "                                register a device, or update the one with that DevEUI\n"
    "  devices import FILE.csv|FILE.json\n"
    "                                register or update every device of the file, all or\n"
    "                                nothing; importing the same file again changes nothing\n"
    "  deadletter list [--stage S] [--code C] [--dev-eui HEX]\n"
    "                                print the dead-letter entries, one JSON object a line\n"
    "  replay [--stage S] [--code C] [--dev-eui HEX]\n"
    "                                send the matching dead letters through their stage again\n"
    "                                (after registering the device, fixing its parameters...)\n"
    "  retention [--use-case UC (--days N | --keep)]\n"
    "                                how long each use case keeps its raw measurements (rollups\n"
    "                                are kept); without arguments, print the settings\n"
    "  token issue DEV_EUI           make a bearer token for a device that posts SenML to\n"
    "                                mue-ingest itself; printed once, replaces its old one\n"
    "  token revoke DEV_EUI          the device's token stops working\n"
    "  downlink send DEV_EUI --port N --hex HEX [--confirmed] [--ttl-s S]\n"
    "                                ask mue-ingest to send a downlink to a registered device;\n"
    "                                prints the request id (statuses on mue.dlstatus.>)\n"
    "  downlink list [--dev-eui HEX] [--id ID]\n"
    "                                the downlink requests and every status each got (queued,\n"
    "                                sent, acknowledged, failed...), one JSON object a line\n"
    "  keys create --name NAME --role directorate|operator|partner|admin\n"
    "              [--use-case UC,...] [--device EUI,...] [--key KEY]\n"
    "                                make an API key of mue-api (a directorate needs its use\n"
    "                                cases, a partner its devices); printed once, only its\n"
    "                                hash is kept; --key imports one (32+ characters)\n"
    "  keys list                     the API keys, one JSON object a line (never the key)\n"
    "  keys revoke ID                the key stops working\n"
    "  alerts list [--state open|acknowledged|resolved|unresolved] [--use-case UC]\n"
    "              [--dev-eui HEX] [--limit N]\n"
    "                                the alerts, newest first, one JSON object a line\n"
    "  alerts show ID                an alert and its events (opened, acknowledged, ...)\n"
    "  alerts ack ID [--comment TEXT]\n"
    "  alerts resolve ID [--comment TEXT]\n"
    "                                asked of mue-alerts on the bus; audited\n"
    "  alerts rules                  the alert rules, one JSON object a line\n"
    "  alerts rule NAME [--enabled true|false] [--threshold X|none] [--hysteresis X]\n"
    "              [--duration-s N] [--severity info|warning|critical]\n"
    "                                show or edit a rule (audited; the engines reload it)\n"
    "  alerts channel add --name N --kind webhook|email --target URL|ADDRESSES\n"
    "              [--secret S] [--use-case UC] [--min-severity S] [--group-s N]\n"
    "              [--quiet HH:MM-HH:MM]\n"
    "  alerts channel remove NAME    where notifications go (docs/alerts.md)\n"
    "  alerts channels               the channels, one JSON object a line (no secrets)\n"
    "  groups set NAME --device EUI,... [--title T]\n"
    "  groups list                   device groups, that rules can be bound to\n"
    "  sun --lat DEG --lon DEG --date YYYY-MM-DD\n"
    "                                official sunrise and sunset (Europe/Paris time, to the "
    "minute)\n"
    "  lighting preview --date YYYY-MM-DD (--dev-eui EUI | --calendar FILE --program FILE...)\n"
    "                   [--lat LAT --lon LON --power-w W] [--changes]\n"
    "                                a lamp's planned level minute by minute, and the day's "
    "energy\n"
    "  --help                        this text and the environment variables\n";

static int open_db(const struct config *cfg, struct mue_db **db)
{
    if (cfg->pg_dsn == NULL) {
        fprintf(stderr, "mue-admin: MUE_PG_DSN is not set\n");
        return MUE_ECONFIG;
    }
    return mue_db_open(db, cfg->pg_dsn, 5000);
}

static int open_bus(struct config *cfg, struct mue_bus **bus)
{
    cfg->bus.connect_timeout_ms = 5000;
    return mue_bus_open(bus, &cfg->bus);
}

/* Tells the normalizers to read the registry again ("" = every device). A failure is only a
 * warning: their caches expire on their own within MUE_NORMALIZER_CACHE_TTL_S. */
static void announce_change(struct config *cfg, const char *dev_eui)
{
    struct mue_bus *bus = NULL;
    if (open_bus(cfg, &bus) == 0)
        mue_bus_notify(bus, MUE_SUBJ_REGISTRY_CHANGED, dev_eui, strlen(dev_eui));
    else
        fprintf(stderr, "mue-admin: could not notify the normalizers; they see the change "
                        "when their cache expires\n");
    mue_bus_close(bus);
}

static int cmd_migrate(struct config *cfg, int argc, char **argv)
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
        rc = roles_set_passwords(db, &cfg->passwords) < 0;
    }
    mue_db_close(db);
    return rc;
}

static int upsert_and_announce(struct config *cfg, json_t *devices, const char *dev_eui)
{
    struct mue_db *db = NULL;
    struct devices_counts n;
    char reason[256] = "";
    int rc;

    if (open_db(cfg, &db) < 0)
        return 1;
    rc = devices_upsert(db, devices, &n, reason, sizeof(reason));
    mue_db_close(db);
    if (rc < 0) {
        fprintf(stderr, "mue-admin: nothing changed: %s\n", reason);
        return 1;
    }
    printf("%zu created, %zu updated, %zu unchanged\n", n.created, n.updated, n.unchanged);
    if (n.created + n.updated > 0)
        announce_change(cfg, dev_eui);
    return 0;
}

static int cmd_device(struct config *cfg, int argc, char **argv)
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
    static const char keys[] = "emunaopw";
    static const char *const names[] = { "dev_eui",  "model",     "use_case", "name",
                                         "latitude", "longitude", "params",   "network" };
    json_t *dev = json_object(), *devices = json_array();
    char eui[17] = "";
    int c, rc = 2;

    json_array_append_new(devices, dev);
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        goto out;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        const char *k = c > 0 ? strchr(keys, c) : NULL;
        json_t *v;
        if (k == NULL)
            goto out;
        if (c == 'p')
            v = json_loads(optarg, 0, NULL);
        else if (c == 'a' || c == 'o')
            v = json_real(strtod(optarg, NULL));
        else
            v = json_string(optarg);
        if (v == NULL || (c == 'p' && !json_is_object(v))) {
            fprintf(stderr, "mue-admin device add: --params must be a JSON object\n");
            json_decref(v);
            goto out;
        }
        json_object_set_new(dev, names[k - keys], v);
    }
    if (json_is_string(json_object_get(dev, "dev_eui")))
        snprintf(eui, sizeof(eui), "%s", json_string_value(json_object_get(dev, "dev_eui")));
    for (size_t i = 0; eui[i]; i++)
        eui[i] = (char)(eui[i] >= 'A' && eui[i] <= 'F' ? eui[i] + 32 : eui[i]);
    rc = upsert_and_announce(cfg, devices, eui);
out:
    if (rc == 2)
        fputs(usage, stderr);
    json_decref(devices);
    return rc;
}

static int cmd_devices(struct config *cfg, int argc, char **argv)
{
    json_t *devices = NULL;
    char reason[256];
    int rc;

    if (argc != 3 || strcmp(argv[1], "import") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    if (devices_load_file(argv[2], &devices, reason, sizeof(reason)) < 0) {
        fprintf(stderr, "mue-admin: %s\n", reason);
        return 1;
    }
    rc = upsert_and_announce(cfg, devices, "");
    json_decref(devices);
    return rc;
}

/* Reads --stage/--code/--dev-eui from argv[first..]. Returns 0, or 2 on an unknown argument. */
static int parse_filter(int argc, char **argv, int first, struct deadletters_filter *f)
{
    memset(f, 0, sizeof(*f));
    for (int i = first; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--stage") == 0     ? &f->stage
                            : strcmp(argv[i], "--code") == 0    ? &f->code
                            : strcmp(argv[i], "--dev-eui") == 0 ? &f->dev_eui
                                                                : NULL;
        if (slot == NULL || i + 1 >= argc) {
            fprintf(stderr, "mue-admin: unknown or incomplete argument '%s'\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    return 0;
}

static int cmd_deadletter(struct config *cfg, int argc, char **argv)
{
    struct deadletters_filter f;
    struct mue_bus *bus = NULL;
    int n;

    if (argc < 2 || strcmp(argv[1], "list") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    if (parse_filter(argc, argv, 2, &f) != 0)
        return 2;
    if (open_bus(cfg, &bus) < 0)
        return 1;
    n = deadletters_list(bus, &f, stdout);
    mue_bus_close(bus);
    return n < 0 ? 1 : 0;
}

static int cmd_replay(struct config *cfg, int argc, char **argv)
{
    struct deadletters_filter f;
    struct mue_bus *bus = NULL;
    int n;

    if (parse_filter(argc, argv, 1, &f) != 0)
        return 2;
    if (open_bus(cfg, &bus) < 0)
        return 1;
    n = deadletters_replay(bus, &f);
    mue_bus_close(bus);
    if (n < 0) {
        fprintf(stderr, "mue-admin: replay stopped on a bus error (see the log)\n");
        return 1;
    }
    printf("replayed %d dead letter(s)\n", n);
    return 0;
}

static int cmd_retention(struct config *cfg, int argc, char **argv)
{
    const char *uc = NULL, *days = NULL;
    struct mue_db *db = NULL;
    PGresult *res = NULL;
    int keep = 0, n, rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--use-case") == 0 && i + 1 < argc)
            uc = argv[++i];
        else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
            days = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if ((uc != NULL) != (days != NULL || keep) || (days != NULL && keep)) {
        fputs(usage, stderr);
        return 2;
    }
    if (open_db(cfg, &db) < 0)
        return 1;
    if (uc != NULL) {
        const char *p[2] = { uc, days };
        n = mue_db_query(db, "retention set", &res,
                         "UPDATE use_case SET raw_retention_days = $2::integer WHERE id = $1", 2,
                         p);
        if (n < 0 || PQcmdTuples(res)[0] == '0') {
            fprintf(stderr, "mue-admin: no such use case '%s', or days not a positive integer\n",
                    uc);
            goto out;
        }
        PQclear(res);
        res = NULL;
    }
    n = mue_db_query(
        db, "retention list", &res,
        "SELECT id, coalesce(raw_retention_days::text, 'kept') FROM use_case ORDER BY id", 0, NULL);
    for (int i = 0; i < n; i++)
        printf("%-10s %s%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
               strcmp(PQgetvalue(res, i, 1), "kept") == 0 ? "" : " days");
    rc = n < 0;
out:
    PQclear(res);
    mue_db_close(db);
    return rc;
}

/* Lowercases a DevEUI argument into eui[17]. Returns 0, or 2 when it is not 16 hex digits. */
static int parse_dev_eui(const char *arg, char eui[17])
{
    if (strlen(arg) != 16 || strspn(arg, "0123456789abcdefABCDEF") != 16) {
        fprintf(stderr, "mue-admin: '%s' is not a DevEUI (16 hex digits)\n", arg);
        return 2;
    }
    for (int i = 0; i <= 16; i++)
        eui[i] = (char)(arg[i] >= 'A' && arg[i] <= 'F' ? arg[i] + 32 : arg[i]);
    return 0;
}

static int cmd_token(struct config *cfg, int argc, char **argv)
{
    struct mue_bus *bus = NULL;
    struct mue_kv *kv = NULL;
    char eui[17], token[TOKENS_LEN + 1];
    bool issue = argc == 3 && strcmp(argv[1], "issue") == 0;
    int rc;

    if (!issue && !(argc == 3 && strcmp(argv[1], "revoke") == 0)) {
        fputs(usage, stderr);
        return 2;
    }
    if (parse_dev_eui(argv[2], eui) != 0)
        return 2;
    if (open_bus(cfg, &bus) < 0 || mue_kv_open(&kv, bus, MUE_KV_DEVICE_TOKENS, 0) < 0) {
        mue_bus_close(bus);
        fprintf(stderr, "mue-admin: the token bucket on NATS cannot be reached\n");
        return 1;
    }
    rc = issue ? tokens_issue(kv, eui, token) : tokens_revoke(kv, eui);
    if (rc == 0 && issue)
        printf("%s\n", token);
    else if (rc == MUE_ENOENT)
        fprintf(stderr, "mue-admin: device %s has no token\n", eui);
    else if (rc < 0)
        fprintf(stderr, "mue-admin: token %s failed: %s\n", argv[1], mue_strerror(rc));
    mue_kv_close(kv);
    mue_bus_close(bus);
    return rc == 0 ? 0 : 1;
}

/* "downlink list [--dev-eui HEX] [--id ID]": the requests and statuses kept on DOWNLINKS. */
static int downlink_list(struct config *cfg, int argc, char **argv)
{
    struct downlink_log_filter f = { NULL, NULL };
    struct mue_bus *bus = NULL;
    int n;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dev-eui") == 0 && i + 1 < argc)
            f.dev_eui = argv[++i];
        else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
            f.id = argv[++i];
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (open_bus(cfg, &bus) < 0)
        return 1;
    n = downlink_log_print(bus, &f, stdout);
    mue_bus_close(bus);
    return n < 0 ? 1 : 0;
}

static int cmd_downlink(struct config *cfg, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return downlink_list(cfg, argc, argv);
    return downlinks_command(argc, argv, cfg->pg_dsn, &cfg->bus);
}

static int cmd_keys(struct config *cfg, int argc, char **argv)
{
    return keys_command(argc, argv, cfg->pg_dsn);
}

static int cmd_alerts(struct config *cfg, int argc, char **argv)
{
    return alerts_command(argc, argv, cfg->pg_dsn, &cfg->bus);
}

static int cmd_groups(struct config *cfg, int argc, char **argv)
{
    return groups_command(argc, argv, cfg->pg_dsn, &cfg->bus);
}

static int cmd_sun(struct config *cfg, int argc, char **argv)
{
    (void)cfg;
    return sun_command(argc, argv);
}

static int cmd_lighting(struct config *cfg, int argc, char **argv)
{
    return lighting_command(argc, argv, cfg->pg_dsn);
}

static const struct {
    const char *name;
    int (*run)(struct config *cfg, int argc, char **argv);
} commands[] = {
    { "migrate", cmd_migrate }, { "device", cmd_device },
    { "devices", cmd_devices }, { "deadletter", cmd_deadletter },
    { "replay", cmd_replay },   { "retention", cmd_retention },
    { "token", cmd_token },     { "downlink", cmd_downlink },
    { "keys", cmd_keys },       { "alerts", cmd_alerts },
    { "groups", cmd_groups },   { "lighting", cmd_lighting },
    { "sun", cmd_sun },
};

int main(int argc, char **argv)
{
    struct config cfg;
    enum mue_log_level level;
    int rc = 2;

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
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            rc = commands[i].run(&cfg, argc - 1, argv + 1);
            nats_Close();
            return rc;
        }
    }
    fprintf(stderr, "mue-admin: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
