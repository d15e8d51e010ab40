/* main.c - mue-sim: the simulated metropolis. Lists and registers the fleet of
 * deploy/fleet/<use case>.json, and posts its uplinks to mue-ingest as its network servers would: a
 * back-fill of history, real time, accelerated time, or a load at a target rate with a ledger.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"
#include "mue_signal.h"
#include "mue_time.h"
#include "reconcile.h"
#include "register.h"
#include "run.h"

#define DAY_US (86400LL * 1000000LL)

struct config {
    const char *ingest_url;
    const char *ingest_secret;
    const char *pg_dsn;
    const char *fleet_dir;
    const char *geojson;
    const char *log_level;
};

static const struct mue_config_option options[] = {
    MUE_OPT_STR("MUE_INGEST_URL", struct config, ingest_url, "http://127.0.0.1:8081",
                "mue-ingest's base URL (run)"),
    MUE_OPT_SECRET("MUE_INGEST_SECRET", struct config, ingest_secret, NULL,
                   "the bearer secret of the ingest's webhooks (run)"),
    MUE_OPT_SECRET("MUE_PG_DSN", struct config, pg_dsn, NULL,
                   "libpq connection string (register, run --mode load, reconcile)"),
    MUE_OPT_STR("MUE_SIM_FLEET", struct config, fleet_dir, "deploy/fleet",
                "folder of the fleet files"),
    MUE_OPT_STR("MUE_SIM_GEO", struct config, geojson, "deploy/data/geo/amp-communes.geojson",
                "GeoJSON of the communes the fleet is placed in"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "warn", "debug, info, warn or error"),
    MUE_OPT_END,
};

static const char usage[] =
    "Usage: mue-sim COMMAND [OPTIONS]\n\n"
    "Commands:\n"
    "  fleet [--use-case UC,...]     list the simulated devices, one tab-separated line each\n"
    "  register [--use-case UC,...]  register the fleet's sites and devices (again: no change)\n"
    "  run --mode backfill [--days N | --from TIME] [--to TIME] [--cursor FILE]\n"
    "                                post every uplink of the period as fast as the ingest takes\n"
    "                                them (default: the last 7 days up to now); with --cursor,\n"
    "                                start where the last run stopped, and record where this one "
    "does\n"
    "  run --mode realtime [--from TIME] [--cursor FILE]\n"
    "                                catch up from TIME (or the cursor) to now, then post each\n"
    "                                uplink when it falls due, until SIGTERM\n"
    "  run --mode accelerated --speed X [--from TIME] [--to TIME] [--cursor FILE]\n"
    "                                simulated time runs X times faster from TIME (default a\n"
    "                                day ago) and never past now; ends at --to, else goes on in\n"
    "                                real time\n"
    "  run --mode load --rate N --duration S [--devices N] [--repeat-pct P] --ledger FILE\n"
    "                                register N load devices (copies of the fleet's, DevEUIs\n"
    "                                fe...) and post N uplinks a second for S seconds; P % of\n"
    "                                them twice, as network servers retry; every post in FILE\n"
    "  reconcile --ledger FILE [--wait S]\n"
    "                                compare a ledger with the database: exit 0 when every\n"
    "                                uplink taken is stored once and nothing else is\n"
    "Options of run: --use-case UC,... (only those use cases), --threads N (4),\n"
    "  --ledger FILE (any mode: one CSV line per uplink), --progress (a line every 5 s)\n"
    "TIME is RFC 3339 (2026-11-21T00:00:00Z).\n";

struct args {
    const char *mode, *use_cases, *cursor, *ledger;
    int64_t from_us, to_us;
    double days, speed, rate, duration, repeat_pct;
    long threads, devices, wait_s;
    bool progress;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option longopts[] = {
        { "mode", required_argument, NULL, 'm' },
        { "use-case", required_argument, NULL, 'u' },
        { "cursor", required_argument, NULL, 'c' },
        { "ledger", required_argument, NULL, 'l' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "days", required_argument, NULL, 'd' },
        { "speed", required_argument, NULL, 's' },
        { "rate", required_argument, NULL, 'r' },
        { "duration", required_argument, NULL, 'D' },
        { "repeat-pct", required_argument, NULL, 'p' },
        { "threads", required_argument, NULL, 'T' },
        { "devices", required_argument, NULL, 'n' },
        { "wait", required_argument, NULL, 'w' },
        { "progress", no_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;

    memset(a, 0, sizeof(*a));
    a->days = 7;
    a->threads = 4;
    a->devices = 100;
    a->wait_s = 60;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        double v = 0.0;

        if (strchr("dsrDpTnw", c) != NULL) {
            v = strtod(optarg, &end);
            if (*end != '\0' || !(v >= 0.0)) {
                fprintf(stderr, "mue-sim: not a number: %s\n", optarg);
                return MUE_EINVAL;
            }
        }
        if ((c == 'f' || c == 't') &&
            mue_time_parse(optarg, c == 'f' ? &a->from_us : &a->to_us) < 0) {
            fprintf(stderr, "mue-sim: not an RFC 3339 time: %s\n", optarg);
            return MUE_EINVAL;
        }
        switch (c) {
        case 'm':
            a->mode = optarg;
            break;
        case 'u':
            a->use_cases = optarg;
            break;
        case 'c':
            a->cursor = optarg;
            break;
        case 'l':
            a->ledger = optarg;
            break;
        case 'f':
        case 't':
            break;
        case 'd':
            a->days = v;
            break;
        case 's':
            a->speed = v;
            break;
        case 'r':
            a->rate = v;
            break;
        case 'D':
            a->duration = v;
            break;
        case 'p':
            a->repeat_pct = v;
            break;
        case 'T':
            a->threads = (long)v;
            break;
        case 'n':
            a->devices = (long)v;
            break;
        case 'w':
            a->wait_s = (long)v;
            break;
        case 'P':
            a->progress = true;
            break;
        default:
            return MUE_EINVAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mue-sim: unexpected argument '%s'\n", argv[optind]);
        return MUE_EINVAL;
    }
    return MUE_OK;
}

/* True when 'uc' is in the comma-separated 'list' (every use case when the list is NULL). */
static bool wanted(const char *list, const char *uc)
{
    size_t n = strlen(uc);

    if (list == NULL)
        return true;
    for (const char *p = list; p != NULL; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, uc, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

/* Loads the fleet and keeps the devices of the wanted use cases (the others are freed). */
static int load_fleet(const struct config *cfg, const char *use_cases, struct sim_fleet *f)
{
    char err[512];
    size_t w = 0;
    int rc = sim_fleet_load(cfg->fleet_dir, cfg->geojson, f, err, sizeof(err));

    if (rc < 0) {
        fprintf(stderr, "mue-sim: %s\n", err);
        return rc;
    }
    for (size_t i = 0; i < f->n; i++) {
        if (wanted(use_cases, f->dev[i].use_case))
            f->dev[w++] = f->dev[i];
        else
            json_decref(f->dev[i].params);
    }
    f->n = w;
    if (w == 0) {
        fprintf(stderr, "mue-sim: no device of use case %s in %s\n", use_cases, cfg->fleet_dir);
        sim_fleet_free(f);
        return MUE_ENOENT;
    }
    return MUE_OK;
}

static int open_db(const struct config *cfg, struct mue_db **db)
{
    if (cfg->pg_dsn == NULL) {
        fprintf(stderr, "mue-sim: MUE_PG_DSN is not set\n");
        return MUE_ECONFIG;
    }
    return mue_db_open(db, cfg->pg_dsn, 10000);
}

static int register_fleet(const struct config *cfg, const struct sim_fleet *f)
{
    struct mue_db *db = NULL;
    char err[512];
    int rc = open_db(cfg, &db);

    if (rc == MUE_OK && (rc = sim_fleet_register(f, db, err, sizeof(err))) < 0)
        fprintf(stderr, "mue-sim: registering the fleet failed: %s\n", err);
    mue_db_close(db);
    return rc;
}

static int cmd_fleet(const struct config *cfg, const struct args *a)
{
    struct sim_fleet f;

    if (load_fleet(cfg, a->use_cases, &f) < 0)
        return 1;
    printf("dev_eui\tuse_case\tmodel\tprofile\tnetwork\tperiod_"
           "s\tcommune\tinsee\tlat\tlon\tsite\tname\n");
    for (size_t i = 0; i < f.n; i++) {
        const struct sim_device *d = &f.dev[i];
        printf("%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%.5f\t%.5f\t%s\t%s\n", d->dev_eui, d->use_case,
               d->model, d->profile, d->network, d->period_s, d->commune, d->insee, d->lat, d->lon,
               d->site, d->name);
    }
    sim_fleet_free(&f);
    return 0;
}

static int cmd_register(const struct config *cfg, const struct args *a)
{
    struct sim_fleet f;
    int rc;

    if (load_fleet(cfg, a->use_cases, &f) < 0)
        return 1;
    rc = register_fleet(cfg, &f);
    if (rc == MUE_OK)
        printf("registered %zu devices\n", f.n);
    sim_fleet_free(&f);
    return rc == MUE_OK ? 0 : 1;
}

static int run_mode(const struct args *a, struct sim_run_opts *o)
{
    int64_t now = mue_time_now_us(), cursor;
    bool has_cursor = a->cursor != NULL && sim_cursor_read(a->cursor, &cursor) == MUE_OK;

    memset(o, 0, sizeof(*o));
    o->cursor_path = a->cursor;
    o->progress = a->progress;
    o->from_us = a->from_us;
    o->to_us = a->to_us;
    if (strcmp(a->mode, "backfill") == 0) {
        o->mode = SIM_MODE_BACKFILL;
        if (o->to_us == 0)
            o->to_us = now;
        if (o->from_us == 0)
            o->from_us = o->to_us - (int64_t)(a->days * (double)DAY_US);
        /* A back-fill never sends again what an earlier run did. */
        if (has_cursor && cursor > o->from_us)
            o->from_us = cursor;
    } else if (strcmp(a->mode, "realtime") == 0) {
        o->mode = SIM_MODE_REALTIME;
        if (o->from_us == 0)
            o->from_us = has_cursor ? cursor : now;
        o->to_us = 0;
    } else if (strcmp(a->mode, "accelerated") == 0) {
        o->mode = SIM_MODE_ACCELERATED;
        o->speed = a->speed;
        if (!(o->speed >= 1.0)) {
            fprintf(stderr, "mue-sim: accelerated mode needs --speed X with X >= 1\n");
            return MUE_EINVAL;
        }
        if (o->from_us == 0)
            o->from_us = has_cursor ? cursor : now - DAY_US;
    } else {
        fprintf(stderr, "mue-sim: unknown mode '%s' (backfill, realtime, accelerated, load)\n",
                a->mode);
        return MUE_EINVAL;
    }
    if (o->to_us != 0 && o->to_us < o->from_us)
        o->from_us = o->to_us; /* nothing left to send */
    return MUE_OK;
}

static void print_stats(const struct sim_stats *st, int64_t mono0)
{
    double secs = (double)(mue_time_mono_ms() - mono0) / 1000.0;

    printf("sent %ld accepted %ld duplicates %ld rejected %ld failed %ld retries %ld seconds %.2f "
           "rate %.0f/s\n",
           st->sent, st->accepted, st->duplicates, st->rejected, st->failed, st->retries, secs,
           secs > 0 ? (double)st->sent / secs : 0.0);
}

static int cmd_run(const struct config *cfg, const struct args *a)
{
    struct sim_fleet f, load = { 0 };
    struct sim_run_opts ro;
    struct sim_sender *s = NULL;
    struct sim_stats st;
    struct sim_send_opts so = { .url = cfg->ingest_url,
                                .secret = cfg->ingest_secret,
                                .threads = (int)a->threads,
                                .max_attempts = 60 };
    FILE *ledger = NULL;
    int64_t mono0 = mue_time_mono_ms();
    bool is_load = a->mode != NULL && strcmp(a->mode, "load") == 0;
    int rc;

    if (a->mode == NULL) {
        fprintf(stderr, "mue-sim: run needs --mode (backfill, realtime, accelerated, load)\n");
        return 2;
    }
    if (cfg->ingest_secret == NULL) {
        fprintf(stderr, "mue-sim: MUE_INGEST_SECRET is not set\n");
        return 2;
    }
    if (is_load && (!(a->rate > 0) || !(a->duration > 0) || a->devices < 1 || a->ledger == NULL)) {
        fprintf(stderr, "mue-sim: load mode needs --rate, --duration and --ledger\n");
        return 2;
    }
    if (!is_load && run_mode(a, &ro) < 0)
        return 2;
    if (load_fleet(cfg, a->use_cases, &f) < 0)
        return 1;
    if (is_load) {
        sim_load_fleet(&f, (size_t)a->devices, &load);
        rc = register_fleet(cfg, &load);
        if (rc < 0)
            goto out;
    }
    if (a->ledger != NULL && (ledger = fopen(a->ledger, "w")) == NULL) {
        fprintf(stderr, "mue-sim: cannot write %s\n", a->ledger);
        rc = MUE_EINVAL;
        goto out;
    }
    so.ledger = ledger;
    rc = sim_send_start(&s, &so);
    if (rc < 0) {
        fprintf(stderr, "mue-sim: bad ingest URL %s (http://host:port)\n", cfg->ingest_url);
        goto out;
    }
    if (is_load) {
        struct sim_load_opts lo = { .rate = a->rate,
                                    .duration_s = a->duration,
                                    .repeat_pct = a->repeat_pct,
                                    .start_us = a->from_us ? a->from_us : mue_time_now_us() };
        rc = sim_run_load(&load, s, &lo);
    } else {
        rc = sim_run_ticks(&f, s, &ro);
    }
    sim_send_drain(s);
    sim_send_stats(s, &st);
    sim_send_stop(s);
    if (rc == MUE_OK)
        print_stats(&st, mono0);
    /* Uplinks the ingest never took make the run fail; refused ones are the ingest's verdict
     * on what was sent, logged one by one, and fail it too. */
    if (rc == MUE_OK && (st.failed > 0 || st.rejected > 0))
        rc = MUE_EINVAL;
out:
    if (ledger != NULL && fclose(ledger) != 0)
        rc = MUE_EINVAL;
    sim_fleet_free(&load);
    sim_fleet_free(&f);
    return rc == MUE_OK ? 0 : 1;
}

static int cmd_reconcile(const struct config *cfg, const struct args *a)
{
    struct sim_reconcile r;
    struct mue_db *db = NULL;
    char err[256] = "";
    FILE *f;
    int rc;

    if (a->ledger == NULL) {
        fprintf(stderr, "mue-sim: reconcile needs --ledger FILE\n");
        return 2;
    }
    if ((f = fopen(a->ledger, "r")) == NULL) {
        fprintf(stderr, "mue-sim: cannot read %s\n", a->ledger);
        return 2;
    }
    rc = open_db(cfg, &db);
    if (rc == MUE_OK)
        rc = sim_reconcile(db, f, a->wait_s, &r, err, sizeof(err));
    fclose(f);
    mue_db_close(db);
    if (rc < 0) {
        fprintf(stderr, "mue-sim: reconcile: %s\n", err[0] ? err : mue_strerror(rc));
        return 1;
    }
    printf("ledger %ld posts (%ld repeats): %ld uplinks taken, %ld not taken; stored %ld "
           "(%ld rows, %ld to %ld per uplink); lost %ld; unexpected %ld\n",
           r.lines, r.repeats, r.expected, r.not_taken, r.stored, r.rows, r.rows_min, r.rows_max,
           r.lost, r.unexpected);
    return r.lost == 0 && r.unexpected == 0 ? 0 : 1;
}

static const struct {
    const char *name;
    int (*run)(const struct config *cfg, const struct args *a);
} commands[] = {
    { "fleet", cmd_fleet },
    { "register", cmd_register },
    { "run", cmd_run },
    { "reconcile", cmd_reconcile },
};

int main(int argc, char **argv)
{
    struct config cfg;
    struct args a;
    enum mue_log_level level;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        if (argc >= 2)
            mue_config_print_help(stdout, "mue-sim", "the simulated metropolis", options);
        return argc < 2 ? 2 : 0;
    }
    mue_log_init("sim", MUE_LOG_WARN);
    if (mue_config_load(options, &cfg) < 0)
        return 2;
    if (mue_log_level_parse(cfg.log_level, &level) == 0)
        mue_log_init("sim", level);
    mue_signal_init();
    mue_http_client_init();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            if (parse_args(argc - 1, argv + 1, &a) < 0) {
                fputs(usage, stderr);
                return 2;
            }
            return commands[i].run(&cfg, &a);
        }
    }
    fprintf(stderr, "mue-sim: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
