/* lighting_cli.c - "mue-admin lighting preview": a lamp's planned level minute by minute.
 * SPDX-License-Identifier: MIT */
#include "lighting_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lamp_load.h"
#include "mue_err.h"
#include "mue_db.h"
#include "mue_localtime.h"
#include "schedule.h"
#include "talq_json.h"

#define MAX_PROGRAM_FILES 16
#define MAX_FILE_BYTES    (256 * 1024)

struct preview {
    const char *date, *dev_eui, *calendar_file;
    const char *program_files[MAX_PROGRAM_FILES];
    int nprogram_files;
    double lat, lon, power_w;
    int changes;
};

static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin lighting: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return 2;
}

static int refused(const char *what, const char *arg)
{
    fprintf(stderr, "mue-admin lighting: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return 1;
}

static int parse_number(const char *text, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct preview *p)
{
    memset(p, 0, sizeof(*p));
    p->lat = LAMP_DEFAULT_LAT;
    p->lon = LAMP_DEFAULT_LON;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--changes") == 0) {
            p->changes = 1;
            continue;
        }
        if (v == NULL)
            return usage("missing value after", a);
        i++;
        if (strcmp(a, "--date") == 0)
            p->date = v;
        else if (strcmp(a, "--dev-eui") == 0)
            p->dev_eui = v;
        else if (strcmp(a, "--calendar") == 0)
            p->calendar_file = v;
        else if (strcmp(a, "--program") == 0 && p->nprogram_files < MAX_PROGRAM_FILES)
            p->program_files[p->nprogram_files++] = v;
        else if (strcmp(a, "--lat") == 0 && parse_number(v, -90, 90, &p->lat) == 0)
            continue;
        else if (strcmp(a, "--lon") == 0 && parse_number(v, -180, 180, &p->lon) == 0)
            continue;
        else if (strcmp(a, "--power-w") == 0 && parse_number(v, 0, 1e6, &p->power_w) == 0)
            continue;
        else
            return usage("bad option or value", a);
    }
    if (p->date == NULL)
        return usage("--date YYYY-MM-DD is required", NULL);
    if ((p->dev_eui != NULL) == (p->calendar_file != NULL))
        return usage("give either --dev-eui or --calendar with --program", NULL);
    if (p->calendar_file != NULL && p->nprogram_files == 0)
        return usage("--calendar needs at least one --program", NULL);
    return 0;
}

static int parse_date(const char *text, int64_t *date)
{
    int y, m, d, y2, m2, d2;
    char tail;

    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 ||
        y > 2200 || m < 1 || m > 12 || d < 1)
        return -1;
    *date = mue_localtime_days_from_civil(y, m, d);
    mue_localtime_civil_from_days(*date, &y2, &m2, &d2);
    return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

/* Reads a whole small file into a string the caller frees. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;

    if (f == NULL)
        return NULL;
    buf = malloc(MAX_FILE_BYTES + 1);
    *len = buf ? fread(buf, 1, MAX_FILE_BYTES + 1, f) : 0;
    fclose(f);
    if (buf == NULL || *len > MAX_FILE_BYTES) {
        free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

/* The schedule from TALQ JSON files. */
static int load_files(const struct preview *p, struct lamp_schedule *s)
{
    char why[200], *text;
    size_t len;

    memset(s, 0, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "%s", "(files)");
    s->power_w = p->power_w;
    s->lamp.lat = p->lat;
    s->lamp.lon = p->lon;
    if ((text = read_file(p->calendar_file, &len)) == NULL)
        return refused("cannot read", p->calendar_file);
    if (talq_calendar_parse(text, len, &s->calendar, why, sizeof(why)) != 0) {
        free(text);
        fprintf(stderr, "mue-admin lighting: %s: %s\n", p->calendar_file, why);
        return 1;
    }
    free(text);
    snprintf(s->calendar_id, sizeof(s->calendar_id), "%s", s->calendar.id);
    s->lamp.calendar = &s->calendar;
    s->programs = calloc((size_t)p->nprogram_files, sizeof(*s->programs));
    if (s->programs == NULL)
        return refused("out of memory", NULL);
    s->lamp.programs = s->programs;
    for (int i = 0; i < p->nprogram_files; i++) {
        if ((text = read_file(p->program_files[i], &len)) == NULL)
            return refused("cannot read", p->program_files[i]);
        if (talq_program_parse(text, len, &s->programs[i], why, sizeof(why)) != 0) {
            free(text);
            fprintf(stderr, "mue-admin lighting: %s: %s\n", p->program_files[i], why);
            return 1;
        }
        free(text);
        s->lamp.nprograms++;
    }
    return 0;
}

static void hm(int minute, char out[16])
{
    if (minute < 0)
        snprintf(out, 16, "%s", "none");
    else
        snprintf(out, 16, "%02d:%02d", minute / 60 % 100, minute % 60);
}

static void print_preview(const struct lamp_schedule *s, int64_t date, int changes)
{
    int y, m, d, n;
    int64_t from, to;
    uint8_t *levels;
    struct light_sun sun;
    struct light_energy e;
    const char *prog = s->lamp.calendar ? light_calendar_program(s->lamp.calendar, date) : NULL;
    const char *holiday = NULL;
    char rise[16], set[16];

    mue_localtime_civil_from_days(date, &y, &m, &d);
    from = mue_localtime_to_utc(y, m, d, 0, 0, 0);
    to = mue_localtime_to_utc(y, m, d + 1, 0, 0, 0);
    n = (int)((to - from) / 60);
    light_sun_of(s->lamp.lat, s->lamp.lon, date, &sun);
    hm(sun.rise_min, rise);
    hm(sun.set_min, set);
    light_holiday(date, &holiday);
    printf("# lamp %s %s%s%s, at %.4f %.4f, %g W\n", s->dev_eui[0] ? s->dev_eui : "-", s->name,
           s->model[0] ? " " : "", s->model, s->lamp.lat, s->lamp.lon, s->power_w);
    printf("# %04d-%02d-%02d%s%s: calendar %s%s%s, program %s%s; sunrise %s, sunset %s "
           "(Europe/Paris)\n",
           y, m, d, holiday ? ", " : "", holiday ? holiday : "",
           s->calendar_id[0] ? s->calendar_id : "none", s->group[0] ? " of group " : "", s->group,
           prog && prog[0] ? prog : "none",
           prog && prog[0] && !light_find_program(s->lamp.programs, s->lamp.nprograms, prog)
               ? " (missing: lamp off)"
               : "",
           rise, set);
    if (s->lamp.noverrides > 0)
        printf("# %d override(s) this day\n", s->lamp.noverrides);

    levels = calloc((size_t)n, 1);
    if (levels == NULL)
        return;
    light_plan(&s->lamp, from, n, levels);
    for (int i = 0; i < n; i++) {
        struct mue_localtime lt;

        if (changes && i > 0 && levels[i] == levels[i - 1])
            continue;
        mue_localtime_from_utc(from + (int64_t)i * 60, &lt);
        if (n != 1440)
            printf("%02d:%02d+%02d %u\n", lt.hour, lt.minute, lt.utc_offset_s / 3600, levels[i]);
        else
            printf("%02d:%02d %u\n", lt.hour, lt.minute, levels[i]);
    }
    free(levels);
    light_energy(&s->lamp, s->power_w, from, n, &e);
    printf("# energy: planned %.1f Wh, full power from sunset to sunrise %.1f Wh, saving %.1f Wh "
           "(%.0f %%); lit %d min\n",
           e.planned_wh, e.full_wh, e.saving_wh,
           e.full_wh > 0 ? 100.0 * e.saving_wh / e.full_wh : 0.0, e.lit_minutes);
}

static int preview(int argc, char **argv, const char *pg_dsn)
{
    struct preview p;
    struct lamp_schedule s;
    int64_t date;
    int rc = parse_args(argc, argv, &p);

    if (rc != 0)
        return rc;
    if (parse_date(p.date, &date) != 0)
        return usage("--date must be a date, YYYY-MM-DD:", p.date);
    if (p.dev_eui != NULL) {
        struct mue_db *db;
        char err[200];
        int y, m, d;

        if (pg_dsn == NULL)
            return refused("MUE_PG_DSN is not set", NULL);
        if (mue_db_open(&db, pg_dsn, 5000) < 0)
            return refused("the database cannot be reached", NULL);
        mue_localtime_civil_from_days(date, &y, &m, &d);
        rc = lamp_load(db, p.dev_eui, mue_localtime_to_utc(y, m, d, 0, 0, 0),
                       mue_localtime_to_utc(y, m, d + 1, 0, 0, 0), &s, err, sizeof(err));
        mue_db_close(db);
        if (rc != 0)
            return rc == MUE_EUNKNOWN ? refused("no active device", p.dev_eui)
                                      : refused(err[0] ? err : "the database failed", NULL);
    } else if ((rc = load_files(&p, &s)) != 0) {
        lamp_schedule_free(&s);
        return rc;
    }
    print_preview(&s, date, p.changes);
    lamp_schedule_free(&s);
    return 0;
}

int lighting_command(int argc, char **argv, const char *pg_dsn)
{
    if (argc >= 2 && strcmp(argv[1], "preview") == 0)
        return preview(argc, argv, pg_dsn);
    return usage("usage: mue-admin lighting preview --date YYYY-MM-DD (--dev-eui EUI | "
                 "--calendar FILE --program FILE...) [--changes]",
                 NULL);
}
