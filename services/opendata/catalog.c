/* catalog.c - the DCAT-AP catalogue, our NGSI-LD @context and the landing pages, from the
 * definitions, the files and what opendata_dataset says of their periods.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog.h"
#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "out_ngsild.h"
#include "out_table.h"
#include "publish.h"

static const struct {
    int format;
    const char *suffix, *format_name, *media_type, *title;
} kinds[] = {
    { DS_CSV, ".csv", "CSV", "text/csv", "CSV (tableur)" },
    { DS_GEOJSON, ".geojson", "GeoJSON", "application/geo+json", "GeoJSON (carte)" },
    { DS_JSON, ".json", "JSON", "application/json", "JSON" },
    { DS_NGSILD, ".jsonld", "JSON-LD", "application/ld+json",
      "NGSI-LD (FIWARE Smart Data Models)" },
    { DS_COUNTING, "-sites.csv", "CSV", "text/csv", "Schéma national des comptages : sites" },
    { DS_COUNTING, "-channels.csv", "CSV", "text/csv", "Schéma national des comptages : canaux" },
    { DS_COUNTING, "-measures.csv", "CSV", "text/csv", "Schéma national des comptages : mesures" },
};

static void iso_time(time_t t, char *out, size_t cap)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void catalog_files(const struct dataset *d, const char *dir, const char *base_url,
                   struct catalog_files *out)
{
    out->n = 0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds) && out->n < 8; k++) {
        char path[4096];
        struct stat st;
        int i = out->n;

        if (!(d->formats & kinds[k].format))
            continue;
        snprintf(path, sizeof(path), "%s/%s%s", dir, d->id, kinds[k].suffix);
        if (stat(path, &st) != 0)
            continue;
        snprintf(out->url[i], sizeof(out->url[i]), "%s/opendata/%s/%s%s", base_url, d->id, d->id,
                 kinds[k].suffix);
        iso_time(st.st_mtime, out->modified[i], sizeof(out->modified[i]));
        out->dist[i] =
            (struct dcat_distribution){ kinds[k].title, kinds[k].format_name,  kinds[k].media_type,
                                        out->url[i],    (long long)st.st_size, out->modified[i] };
        out->n++;
    }
}

/* What the database knows of each dataset's periods, by id. */
struct coverage {
    char start[32], end[32], modified[32];
};

static void load_coverage(struct mue_db *db, const struct ds_catalog *cat, struct coverage *cov)
{
    PGresult *res = NULL;
    int n = mue_db_query(db, "opendata.coverage", &res,
                         "SELECT id, "
                         "to_char(first_period AT TIME ZONE 'UTC',"
                         " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(done_until AT TIME ZONE"
                         " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(exported_at AT TIME"
                         " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM opendata_dataset",
                         0, NULL);
    for (int r = 0; r < n; r++)
        for (int i = 0; i < cat->nds; i++)
            if (strcmp(cat->ds[i].id, PQgetvalue(res, r, 0)) == 0) {
                snprintf(cov[i].start, sizeof(cov[i].start), "%s", PQgetvalue(res, r, 1));
                snprintf(cov[i].end, sizeof(cov[i].end), "%s", PQgetvalue(res, r, 2));
                snprintf(cov[i].modified, sizeof(cov[i].modified), "%s", PQgetvalue(res, r, 3));
            }
    PQclear(res);
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

static int write_buf(const char *dir, const char *name, const struct mue_buf *b)
{
    struct pub_file p;
    int rc = pub_open(&p, dir, name);

    if (rc < 0)
        return rc;
    fwrite(b->data ? b->data : "", 1, b->len, p.f);
    return pub_commit(&p);
}

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* A person's page for one dataset: what it is, its licence and period, its files. */
static int write_landing(const struct ds_catalog *cat, const struct dataset *d, const char *dir,
                         const struct catalog_files *files, const struct coverage *cov)
{
    const struct ds_licence *li = ds_licence_find(cat, d->licence);
    struct pub_file p;
    int rc = pub_open(&p, dir, "index.html");

    if (rc < 0)
        return rc;
    fputs("<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
          p.f);
    html_text(p.f, d->title);
    fputs(" — données ouvertes</title><link rel=\"alternate\" type=\"application/ld+json\" "
          "href=\"../catalog.jsonld\"></head><body><main><h1>",
          p.f);
    html_text(p.f, d->title);
    fputs("</h1><p>", p.f);
    html_text(p.f, d->description);
    fputs("</p><dl><dt>Licence</dt><dd><a href=\"", p.f);
    html_text(p.f, li->url);
    fputs("\">", p.f);
    html_text(p.f, li->title);
    fputs("</a></dd><dt>Mise à jour</dt><dd>", p.f);
    html_text(p.f, d->frequency);
    if (cov->start[0]) {
        fputs("</dd><dt>Période couverte</dt><dd>", p.f);
        html_text(p.f, cov->start);
        fputs(" — ", p.f);
        html_text(p.f, cov->end);
    }
    fputs("</dd></dl><h2>Fichiers</h2><ul>", p.f);
    for (int i = 0; i < files->n; i++) {
        const char *name = strrchr(files->url[i], '/') + 1;
        fprintf(p.f, "<li><a href=\"%s\">", name);
        html_text(p.f, files->dist[i].title);
        fprintf(p.f, "</a> (%lld octets)</li>", files->dist[i].byte_size);
    }
    fputs("</ul><p>Fichiers par mois : <code>AAAA-MM.csv</code>, <code>AAAA-MM.geojson</code>… "
          "dans ce même dossier. Catalogue DCAT-AP : <a href=\"../catalog.jsonld\">JSON-LD</a>, "
          "<a href=\"../catalog.ttl\">Turtle</a>.</p></main></body></html>\n",
          p.f);
    return pub_commit(&p);
}

/* The front page of /opendata/: every open dataset. */
static int write_index(const struct ds_catalog *cat, const char *public_dir)
{
    struct pub_file p;
    int rc = pub_open(&p, public_dir, "index.html");

    if (rc < 0)
        return rc;
    fputs("<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>Données ouvertes</title></head><body><main><h1>",
          p.f);
    html_text(p.f, cat->title);
    fputs("</h1><p>", p.f);
    html_text(p.f, cat->description);
    fputs("</p><ul>", p.f);
    for (int i = 0; i < cat->nds; i++) {
        if (cat->ds[i].restricted)
            continue;
        fprintf(p.f, "<li><a href=\"%s/\">", cat->ds[i].id);
        html_text(p.f, cat->ds[i].title);
        fputs("</a></li>", p.f);
    }
    fputs("</ul><p>Catalogue DCAT-AP : <a href=\"catalog.jsonld\">JSON-LD</a>, "
          "<a href=\"catalog.ttl\">Turtle</a>.</p></main></body></html>\n",
          p.f);
    return pub_commit(&p);
}

/* What our own NGSI-LD attributes mean: the page their @context points to (one anchor each). */
static int write_vocabulary(const struct ds_catalog *cat, const char *public_dir)
{
    struct pub_file p;
    int rc = pub_open(&p, public_dir, "vocabulaire.html");

    if (rc < 0)
        return rc;
    fputs("<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>Vocabulaire des attributs propres</title></head><body><main>"
          "<h1>Attributs propres des entités NGSI-LD</h1><p>Ces attributs complètent les "
          "modèles FIWARE Smart Data Models, qui ne les prévoient pas.</p><dl>",
          p.f);
    for (int i = 0; i < cat->nds; i++) {
        const struct dataset *d = &cat->ds[i];
        for (int t = 0; !d->restricted && t < d->nngsi; t++) {
            for (int a = 0; a < d->ngsi[t].nattrs; a++) {
                const struct ds_ngsi_attr *at = &d->ngsi[t].attrs[a];
                const struct ds_column *col = NULL;
                if (!at->custom)
                    continue;
                for (int c = 0; c < d->ncolumns; c++)
                    if (strcmp(d->columns[c].name, at->column) == 0)
                        col = &d->columns[c];
                fputs("<dt id=\"", p.f);
                html_text(p.f, at->attribute);
                fputs("\"><code>", p.f);
                html_text(p.f, at->attribute);
                fputs("</code> (", p.f);
                html_text(p.f, d->ngsi[t].type);
                fputs(")</dt><dd>", p.f);
                html_text(p.f, col ? col->label : at->column);
                if (col && col->unit[0]) {
                    fputs(", en ", p.f);
                    html_text(p.f, col->unit);
                }
                fputs(" — jeu de données <a href=\"", p.f);
                html_text(p.f, d->id);
                fputs("/\">", p.f);
                html_text(p.f, d->title);
                fputs("</a></dd>", p.f);
            }
        }
    }
    fputs("</dl></main></body></html>\n", p.f);
    return pub_commit(&p);
}

static int write_pages(const struct dcat_catalog *dc, const char *public_dir, int per_page)
{
    int pages = dcat_pages(dc->nds, per_page), rc = 0;

    for (int page = 1; page <= pages && rc == 0; page++) {
        for (int syntax = 0; syntax < 2 && rc == 0; syntax++) {
            struct mue_buf b;
            char name[64];

            mue_buf_init(&b, 0);
            dcat_page_file(name, sizeof(name), page, syntax ? "ttl" : "jsonld");
            rc = syntax ? dcat_write_turtle(dc, page, per_page, &b)
                        : dcat_write_jsonld(dc, page, per_page, &b);
            if (rc == 0)
                rc = write_buf(public_dir, name, &b);
            mue_buf_fini(&b);
        }
    }
    return rc;
}

int catalog_publish(struct mue_db *db, const struct ds_catalog *cat, const char *public_dir,
                    const char *base_url, int per_page)
{
    struct coverage *cov = mue_xcalloc((size_t)cat->nds + 1, sizeof(*cov));
    struct catalog_files *files = mue_xcalloc((size_t)cat->nds + 1, sizeof(*files));
    struct dcat_dataset *dd = mue_xcalloc((size_t)cat->nds + 1, sizeof(*dd));
    char now[32], ctx_url[512];
    int n = 0, rc;

    iso_time(time(NULL), now, sizeof(now));
    load_coverage(db, cat, cov);
    rc = pub_mkdir(public_dir);
    for (int i = 0; i < cat->nds && rc == 0; i++) {
        const struct dataset *d = &cat->ds[i];
        const struct ds_licence *li = ds_licence_find(cat, d->licence);
        char dir[4096];

        if (d->restricted)
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", public_dir, d->id);
        if (pub_mkdir(dir) < 0)
            continue;
        catalog_files(d, dir, base_url, &files[i]);
        char *landing = mue_xmalloc(strlen(base_url) + strlen(d->id) + 16);
        sprintf(landing, "%s/opendata/%s/", base_url, d->id);
        dd[n++] = (struct dcat_dataset){
            d->id,
            d->title,
            d->description,
            landing,
            li->url,
            li->title,
            d->frequency,
            d->theme,
            (const char *const *)d->keywords,
            d->nkeywords,
            or_null(cov[i].start),
            or_null(cov[i].end),
            NULL,
            or_null(cov[i].modified),
            files[i].dist,
            files[i].n,
        };
        rc = write_landing(cat, d, dir, &files[i], &cov[i]);
    }
    struct dcat_catalog dc = { base_url,
                               cat->title,
                               cat->description,
                               "fr",
                               base_url,
                               cat->publisher,
                               cat->publisher_url,
                               cat->contact_email,
                               cat->spatial_name,
                               cat->spatial_uri,
                               { cat->bbox[0], cat->bbox[1], cat->bbox[2], cat->bbox[3] },
                               now,
                               dd,
                               n };
    if (rc == 0)
        rc = write_pages(&dc, public_dir, per_page);
    if (rc == 0)
        rc = write_index(cat, public_dir);
    if (rc == 0)
        rc = write_vocabulary(cat, public_dir);
    snprintf(ctx_url, sizeof(ctx_url), "%s/opendata/vocabulaire", base_url);
    if (rc == 0) {
        struct pub_file p;
        rc = pub_open(&p, public_dir, "context.jsonld");
        if (rc == 0) {
            rc = out_ngsild_write_context(p.f, cat, ctx_url);
            if (rc < 0)
                pub_abort(&p);
            else
                rc = pub_commit(&p);
        }
    }
    for (int i = 0; i < n; i++)
        free((char *)dd[i].landing_page);
    free(dd);
    free(files);
    free(cov);
    if (rc < 0)
        mue_log_error("catalog.failed", "dir=%s reason=\"%s\"", public_dir, mue_strerror(rc));
    return rc;
}
