/* out_counting.c - sites.csv, channels.csv and measures.csv of schema-comptage-mobilites 0.1.0.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "mue_log.h"
#include "out_cells.h"
#include "out_counting.h"
#include "out_isotime.h"

/* The columns of each file, in the schema's order. */
#define SITES_HEADER                                                                               \
    "site_id,parent_site_id,fr_insee_code,xlong,ylat,external_ids,infrastructure_type"
#define CHANNELS_HEADER                                                                            \
    "channel_id,channel_provider_id,site_provider_id,site_id,mobility_type,comment,"               \
    "counter_transmission_type,publication_transmission_type,counter_type,direction,"              \
    "provider_direction_code,provider_direction_name,data_provider_name,temporality,"              \
    "started_at,ended_at,last_updated_at,time_step,provider_portal_url"
#define MEASURES_HEADER "channel_id,counter_id,start_datetime,end_datetime,count"

#define DEFAULT_TIME_STEP_S 900

/* The sensing technique of the counter models we know (the schema's counter_type values). */
static const struct {
    const char *model;
    const char *counter_type;
} counter_types[] = {
    { "parametric-pcr2", "RADAR SENSOR" },
};

static const char *const kinds[] = { "bike", "pedestrian" };
static const char *const mobility_types[] = { "BIKE", "PEDESTRIAN" };
static const char *const dirs[] = { "in", "out" };

/* The columns of a devices result. */
struct device_cols {
    int eui, insee, lat, lon, counts, model, installed, seen, ltr;
};

static int done(FILE *f)
{
    return (fflush(f) != 0 || ferror(f)) ? -(errno ? errno : EIO) : 0;
}

/* A field, quoted when it holds a comma, a quote or a line break (RFC 4180); NULL is empty. */
static void csv_field(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A datetime cell in the files' one form, or empty when it is missing or unreadable. */
static void csv_time(FILE *f, const char *text)
{
    time_t t;
    char iso[21];

    fputc(',', f);
    if (out_isotime_parse(text, &t)) {
        out_isotime_iso(t, iso);
        fputs(iso, f);
    }
}

/* An INSEE commune code: two digits (2A, 2B for Corsica) and three digits. */
static bool is_insee(const char *s)
{
    if (s == NULL || strlen(s) != 5)
        return false;
    if (!(isdigit((unsigned char)s[0]) && s[0] != '2' && isdigit((unsigned char)s[1])) &&
        !(s[0] == '2' && (s[1] == 'A' || s[1] == 'B' || (s[1] >= '1' && s[1] <= '9'))))
        return false;
    return isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
           isdigit((unsigned char)s[4]);
}

/* "<eui>-<bike|pedestrian>-<in|out>" as one field. */
static void channel_id_field(FILE *f, const char *eui, int kind, int dir, bool first)
{
    struct mue_buf id;

    mue_buf_init(&id, 0);
    mue_buf_printf(&id, "%s-%s-%s", eui, kinds[kind], dirs[dir]);
    csv_field(f, id.data, first);
    mue_buf_fini(&id);
}

static int device_cols_find(const PGresult *res, struct device_cols *c)
{
    c->eui = out_find_col(res, "device_eui", strlen("device_eui"));
    c->insee = out_find_col(res, "commune_insee", strlen("commune_insee"));
    c->lat = out_find_col(res, "latitude", strlen("latitude"));
    c->lon = out_find_col(res, "longitude", strlen("longitude"));
    c->counts = out_find_col(res, "counts", strlen("counts"));
    c->model = out_find_col(res, "model", strlen("model"));
    c->installed = out_find_col(res, "installed_at", strlen("installed_at"));
    c->seen = out_find_col(res, "last_seen", strlen("last_seen"));
    c->ltr = out_find_col(res, "ltr", strlen("ltr"));
    if (c->eui < 0 || c->lat < 0 || c->lon < 0 || c->counts < 0) {
        mue_log_error("counting.columns_missing", "need=\"device_eui latitude longitude counts\"");
        return MUE_EINVAL;
    }
    return 0;
}

static bool position(const PGresult *res, int row, int c_lat, int c_lon, double *lat, double *lon)
{
    return out_parse_number(out_cell(res, row, c_lat), lat) &&
           out_parse_number(out_cell(res, row, c_lon), lon) && *lat >= -90 && *lat <= 90 &&
           *lon >= -180 && *lon <= 180;
}

/* Whether the row is a counter to publish: its kind (index in kinds[]) and position. Rows come
 * ordered by key, so a repeated device is the row just before. */
static bool counter_row(const PGresult *res, int row, const struct device_cols *c, int *kind,
                        double *lat, double *lon)
{
    const char *counts = out_cell(res, row, c->counts), *eui = out_cell(res, row, c->eui);

    if (counts == NULL || eui == NULL || *eui == '\0')
        return false;
    if (strcmp(counts, kinds[0]) == 0)
        *kind = 0;
    else if (strcmp(counts, kinds[1]) == 0)
        *kind = 1;
    else
        return false;
    if (!position(res, row, c->lat, c->lon, lat, lon)) {
        mue_log_warn("counting.device_skipped", "device_eui=%s reason=\"no position\"", eui);
        return false;
    }
    return row == 0 || PQgetisnull(res, row - 1, c->eui) ||
           strcmp(PQgetvalue(res, row - 1, c->eui), eui) != 0;
}

int out_counting_sites(FILE *f, const PGresult *devices)
{
    struct device_cols c;
    int n = 0, rc = device_cols_find(devices, &c);

    if (rc < 0)
        return rc;
    fputs(SITES_HEADER "\r\n", f);
    for (int row = 0; row < PQntuples(devices); row++) {
        const char *insee;
        double lat, lon;
        int kind;

        if (!counter_row(devices, row, &c, &kind, &lat, &lon))
            continue;
        insee = out_cell(devices, row, c.insee);
        csv_field(f, PQgetvalue(devices, row, c.eui), true);
        csv_field(f, NULL, false); /* parent_site_id */
        csv_field(f, is_insee(insee) ? insee : NULL, false);
        fprintf(f, ",%.6f,%.6f", lon, lat);
        fputs(",,\r\n", f); /* external_ids, infrastructure_type: not known */
        n++;
    }
    rc = done(f);
    return rc < 0 ? rc : n;
}

static const char *counter_type(const char *model)
{
    for (size_t i = 0; model && i < sizeof(counter_types) / sizeof(*counter_types); i++)
        if (strcmp(counter_types[i].model, model) == 0)
            return counter_types[i].counter_type;
    return NULL;
}

int out_counting_channels(FILE *f, const PGresult *devices, const char *provider_name,
                          int time_step_s)
{
    struct device_cols c;
    int n = 0, rc = device_cols_find(devices, &c);

    if (rc < 0)
        return rc;
    if (time_step_s <= 0)
        time_step_s = DEFAULT_TIME_STEP_S;
    fputs(CHANNELS_HEADER "\r\n", f);
    for (int row = 0; row < PQntuples(devices); row++) {
        const char *eui = PQgetvalue(devices, row, c.eui), *ltr = out_cell(devices, row, c.ltr);
        double lat, lon;
        int kind;

        if (!counter_row(devices, row, &c, &kind, &lat, &lon))
            continue;
        if (ltr == NULL || strcmp(ltr, "out") != 0)
            ltr = "in";
        for (int d = 0; d < 2; d++) {
            bool left_to_right = strcmp(ltr, dirs[d]) == 0;
            channel_id_field(f, eui, kind, d, true);
            csv_field(f, NULL, false); /* channel_provider_id */
            csv_field(f, NULL, false); /* site_provider_id */
            csv_field(f, eui, false);
            csv_field(f, mobility_types[kind], false);
            csv_field(f, NULL, false);                  /* comment */
            csv_field(f, "REMOTE TRANSMISSION", false); /* LoRaWAN */
            csv_field(f, "API", false);                 /* published by a program, not by hand */
            csv_field(f, counter_type(out_cell(devices, row, c.model)), false);
            csv_field(f, NULL, false); /* direction: the compass bearing is not recorded */
            csv_field(f, d == 0 ? "IN" : "OUT", false);
            csv_field(f, left_to_right ? "gauche-droite du capteur" : "droite-gauche du capteur",
                      false);
            csv_field(f, provider_name, false);
            csv_field(f, "PERMANENT", false);
            csv_time(f, out_cell(devices, row, c.installed));
            csv_field(f, NULL, false); /* ended_at */
            csv_time(f, out_cell(devices, row, c.seen));
            fprintf(f, ",%d", time_step_s);
            csv_field(f, NULL, false); /* provider_portal_url */
            fputs("\r\n", f);
            n++;
        }
    }
    rc = done(f);
    return rc < 0 ? rc : n;
}

int out_counting_measures(FILE *f, const PGresult *rows, bool header)
{
    /* Each value column and the channel it counts for. */
    static const struct {
        const char *column;
        int kind, dir;
    } values[] = {
        { "bike_count_in", 0, 0 },
        { "bike_count_out", 0, 1 },
        { "pedestrian_count_in", 1, 0 },
        { "pedestrian_count_out", 1, 1 },
    };
    enum { NVALUES = sizeof(values) / sizeof(*values) };
    int c_eui = out_find_col(rows, "device_eui", strlen("device_eui")),
        c_start = out_find_col(rows, "period_start", strlen("period_start"));
    int c_end = out_find_col(rows, "period_end", strlen("period_end")),
        c_lat = out_find_col(rows, "latitude", strlen("latitude"));
    int c_lon = out_find_col(rows, "longitude", strlen("longitude")), cols[NVALUES];
    long bad_period = 0, bad_value = 0, no_position = 0;
    int n = 0, rc;

    if (c_eui < 0 || c_start < 0 || c_end < 0 || c_lat < 0 || c_lon < 0) {
        mue_log_error("counting.columns_missing",
                      "need=\"device_eui period_start period_end latitude longitude\"");
        return MUE_EINVAL;
    }
    for (int i = 0; i < NVALUES; i++)
        cols[i] = out_find_col(rows, values[i].column, strlen(values[i].column));
    if (header)
        fputs(MEASURES_HEADER "\r\n", f);
    for (int row = 0; row < PQntuples(rows); row++) {
        const char *eui = out_cell(rows, row, c_eui);
        char start[21], end[21];
        time_t ts, te;
        double lat, lon;

        if (eui == NULL || *eui == '\0' || !position(rows, row, c_lat, c_lon, &lat, &lon)) {
            no_position++; /* its site is not in sites.csv either */
            continue;
        }
        if (!out_isotime_parse(out_cell(rows, row, c_start), &ts) ||
            !out_isotime_parse(out_cell(rows, row, c_end), &te) || te <= ts) {
            bad_period++;
            continue;
        }
        out_isotime_iso(ts, start);
        out_isotime_iso(te, end);
        for (int i = 0; i < NVALUES; i++) {
            const char *text = out_cell(rows, row, cols[i]);
            double v;

            if (text == NULL)
                continue;
            if (!out_parse_number(text, &v) || v < 0 || v > 1e15) {
                bad_value++;
                continue;
            }
            channel_id_field(f, eui, values[i].kind, values[i].dir, true);
            csv_field(f, eui, false);
            fprintf(f, ",%s,%s,%.0f\r\n", start, end, nearbyint(v));
            n++;
        }
    }
    if (no_position + bad_period + bad_value > 0)
        mue_log_warn("counting.measures_skipped", "no_position=%ld bad_period=%ld bad_value=%ld",
                     no_position, bad_period, bad_value);
    rc = done(f);
    return rc < 0 ? rc : n;
}
