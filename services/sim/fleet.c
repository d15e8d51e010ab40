/* fleet.c - loads and checks the fleet files, numbers the devices and places them in their
 * communes. SPDX-License-Identifier: MIT */
#include "fleet.h"

#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "geo.h"
#include "mue_err.h"

/* The network servers the simulator posts to (sim.h). */
static const char *const networks[] = { "chirpstack", "tts" };

static const char *const file_keys[] = { "use_case", "groups", "comment" };
static const char *const group_keys[] = { "model",   "profile", "network", "period_s", "eui_base",
                                          "commune", "name",    "count",   "near",     "radius_m",
                                          "sites",   "site",    "params",  "comment" };
static const char *const site_keys[] = { "name", "at" };

#define NKEYS(a) (sizeof(a) / sizeof(a[0]))

/* Where a device came from, to name both ends of a DevEUI clash. */
struct origin {
    uint64_t eui;
    size_t file; /* index into loader.files */
    size_t group;
};

struct loader {
    struct geo_map geo;
    char **files; /* the file names of the folder, sorted */
    size_t nfiles;
    struct sim_fleet *fleet;
    struct origin *from; /* one per device of fleet */
    size_t cap_dev;
    /* Where we are, for error messages. */
    size_t file;
    size_t group; /* from 1; 0 outside any group */
    char label[128];
    char *err;
    size_t cap;
};

static int fail(struct loader *l, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "<file>: group <n> (<label>): <reason>" into the caller's buffer. */
static int fail(struct loader *l, int code, const char *fmt, ...)
{
    char reason[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (l->group == 0)
        snprintf(l->err, l->cap, "%s: %s", l->files[l->file], reason);
    else if (l->label[0] != '\0')
        snprintf(l->err, l->cap, "%s: group %zu (%s): %s", l->files[l->file], l->group, l->label,
                 reason);
    else
        snprintf(l->err, l->cap, "%s: group %zu: %s", l->files[l->file], l->group, reason);
    return code;
}

static int check_keys(struct loader *l, const json_t *obj, const char *const *allowed, size_t n,
                      const char *where)
{
    const char *key;
    const json_t *v;

    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(key, allowed[i]) != 0)
            i++;
        if (i == n)
            return fail(l, MUE_EINVAL, "unknown key \"%s\"%s", key, where);
    }
    return MUE_OK;
}

/* Copies the string obj[key] into out (cap bytes). Returns 0, or fails when it is missing (unless
 * optional: then out is ""), not a non-empty string, or too long. */
static int get_str(struct loader *l, const json_t *obj, const char *key, char *out, size_t cap,
                   int optional)
{
    const json_t *v = json_object_get(obj, key);
    size_t len;

    if (v == NULL && optional) {
        out[0] = '\0';
        return MUE_OK;
    }
    if (v == NULL)
        return fail(l, MUE_EINVAL, "\"%s\" is missing", key);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(l, MUE_EINVAL, "\"%s\" must be a non-empty string", key);
    len = strlen(json_string_value(v));
    if (len != json_string_length(v) || len >= cap)
        return fail(l, MUE_EINVAL, "\"%s\" is longer than %zu bytes", key, cap - 1);
    memcpy(out, json_string_value(v), len + 1);
    return MUE_OK;
}

/* Reads a [lon, lat] pair. */
static int get_lonlat(struct loader *l, const json_t *v, const char *what, double *lon, double *lat)
{
    const json_t *x = json_array_get(v, 0), *y = json_array_get(v, 1);

    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(x) || !json_is_number(y) ||
        json_number_value(x) < -180 || json_number_value(x) > 180 || json_number_value(y) < -90 ||
        json_number_value(y) > 90)
        return fail(l, MUE_EINVAL, "%s must be [longitude, latitude] in degrees", what);
    *lon = json_number_value(x);
    *lat = json_number_value(y);
    return MUE_OK;
}

static int parse_eui(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (strlen(s) != 16)
        return -1;
    for (int i = 0; i < 16; i++) {
        int c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 0;
}

static int valid_use_case(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 31 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* Expands a group's name: its one conversion is the device's index from 1 (%d, or %0Nd with N a
 * digit) when 'kind' is 'd', the site's name (%s) when 'kind' is 's'; %% is a percent sign.
 * Returns the number of conversions done (0 or 1), -1 for any other '%' or a second conversion,
 * -2 when the result does not fit in cap bytes. */
static int expand_name(const char *tmpl, char kind, long index, const char *site, char *out,
                       size_t cap)
{
    size_t len = 0;
    int convs = 0;
    char piece[128];

    for (const char *p = tmpl; *p != '\0'; p++) {
        const char *add = piece;
        if (*p != '%') {
            piece[0] = *p;
            piece[1] = '\0';
        } else if (p[1] == '%') {
            piece[0] = '%';
            piece[1] = '\0';
            p++;
        } else if (kind == 's' && p[1] == 's') {
            add = site;
            p++;
            convs++;
        } else if (kind == 'd' && p[1] == 'd') {
            snprintf(piece, sizeof(piece), "%ld", index);
            p++;
            convs++;
        } else if (kind == 'd' && p[1] == '0' && p[2] >= '1' && p[2] <= '9' && p[3] == 'd') {
            snprintf(piece, sizeof(piece), "%0*ld", p[2] - '0', index);
            p += 3;
            convs++;
        } else {
            return -1;
        }
        if (convs > 1)
            return -1;
        size_t n = strlen(add);
        if (len + n >= cap)
            return -2;
        memcpy(out + len, add, n);
        len += n;
    }
    out[len] = '\0';
    return convs;
}

/* What a group's devices share. */
struct group {
    const json_t *j;
    char model[sizeof(((struct sim_device *)0)->model)];
    char profile[sizeof(((struct sim_device *)0)->profile)];
    char network[sizeof(((struct sim_device *)0)->network)];
    char site[sizeof(((struct sim_device *)0)->site)];
    char name[sizeof(((struct sim_device *)0)->name)];
    char insee[sizeof(((struct sim_device *)0)->insee)];
    const struct geo_commune *commune;
    uint64_t eui_base;
    int period_s;
    const json_t *params;
};

static struct sim_device *new_device(struct loader *l)
{
    struct sim_fleet *f = l->fleet;

    if (f->n == l->cap_dev) {
        size_t cap = l->cap_dev ? 2 * l->cap_dev : 64;
        struct sim_device *d = realloc(f->dev, cap * sizeof(*d));
        if (d == NULL)
            return NULL;
        f->dev = d;
        struct origin *o = realloc(l->from, cap * sizeof(*o));
        if (o == NULL)
            return NULL;
        l->from = o;
        l->cap_dev = cap;
    }
    memset(&f->dev[f->n], 0, sizeof(f->dev[0]));
    return &f->dev[f->n];
}

/* Adds device 'index' (from 0) of group g, named 'name', with site 'site', at (lon, lat) when
 * 'placed', else placed near the anchor. */
static int add_device(struct loader *l, const struct group *g, const char *use_case, uint64_t index,
                      const char *name, const char *site, int placed, double lon, double lat,
                      double radius_m)
{
    uint64_t eui = g->eui_base + index;
    struct sim_device *d;
    int rc;

    for (size_t i = 0; i < l->fleet->n; i++) {
        if (l->from[i].eui == eui)
            return fail(l, MUE_EINVAL, "DevEUI %016" PRIx64 " is also in %s, group %zu", eui,
                        l->files[l->from[i].file], l->from[i].group);
        const struct sim_device *o = &l->fleet->dev[i];
        if (site[0] != '\0' && strcmp(o->site, site) == 0 && strcmp(o->use_case, use_case) == 0 &&
            strcmp(o->insee, g->insee) != 0)
            return fail(l, MUE_EINVAL,
                        "site \"%s\" is in %s (%s) here but in %s (%s) in %s, group %zu", site,
                        g->commune->name, g->insee, o->commune, o->insee, l->files[l->from[i].file],
                        l->from[i].group);
    }
    d = new_device(l);
    if (d == NULL)
        return fail(l, MUE_ENOMEM, "out of memory");
    snprintf(d->dev_eui, sizeof(d->dev_eui), "%016" PRIx64, eui);
    snprintf(d->name, sizeof(d->name), "%s", name);
    snprintf(d->model, sizeof(d->model), "%s", g->model);
    snprintf(d->use_case, sizeof(d->use_case), "%s", use_case);
    snprintf(d->profile, sizeof(d->profile), "%s", g->profile);
    snprintf(d->network, sizeof(d->network), "%s", g->network);
    snprintf(d->site, sizeof(d->site), "%s", site);
    snprintf(d->commune, sizeof(d->commune), "%s", g->commune->name);
    snprintf(d->insee, sizeof(d->insee), "%s", g->insee);
    d->period_s = g->period_s;
    d->seed = sim_hash(eui, 0, 0);
    d->phase_s = (int)(d->seed % (uint64_t)g->period_s);
    if (placed) {
        d->lon = lon;
        d->lat = lat;
    } else {
        rc = geo_place(g->commune, lon, lat, radius_m, d->seed, &d->lon, &d->lat);
        if (rc < 0)
            return fail(l, MUE_EINVAL, "%s: no point of %s within %g m of [%g, %g] after %d tries",
                        d->dev_eui, g->commune->name, radius_m, lon, lat, GEO_PLACE_TRIES);
    }
    d->params = json_deep_copy(g->params);
    if (d->params == NULL)
        return fail(l, MUE_ENOMEM, "out of memory");
    l->from[l->fleet->n] = (struct origin){ eui, l->file, l->group };
    l->fleet->n++;
    return MUE_OK;
}

/* A group of "sites": one device at each, named after it. */
static int load_sites(struct loader *l, const struct group *g, const char *use_case,
                      const json_t *sites)
{
    char where[160], dname[sizeof(g->name)], site[sizeof(g->site)];
    double lon, lat;
    int rc;

    if (!json_is_array(sites) || json_array_size(sites) == 0)
        return fail(l, MUE_EINVAL, "\"sites\" must be a non-empty array");
    for (const char *k = "count\0near\0radius_m\0site\0"; *k != '\0'; k += strlen(k) + 1)
        if (json_object_get(g->j, k) != NULL)
            return fail(l, MUE_EINVAL, "\"%s\" does not go with \"sites\"", k);
    for (size_t i = 0; i < json_array_size(sites); i++) {
        const json_t *s = json_array_get(sites, i);
        snprintf(where, sizeof(where), " in site %zu", i + 1);
        if (!json_is_object(s))
            return fail(l, MUE_EINVAL, "site %zu is not an object", i + 1);
        rc = check_keys(l, s, site_keys, NKEYS(site_keys), where);
        if (rc == MUE_OK)
            rc = get_str(l, s, "name", site, sizeof(site), 0);
        if (rc == MUE_OK)
            rc = get_lonlat(l, json_object_get(s, "at"), "a site's \"at\"", &lon, &lat);
        if (rc < 0)
            return rc;
        if (!geo_contains(g->commune, lon, lat))
            return fail(l, MUE_EINVAL, "site \"%s\": [%.6f, %.6f] is outside %s (%s)", site, lon,
                        lat, g->commune->name, g->insee);
        if (g->name[0] == '\0') {
            snprintf(dname, sizeof(dname), "%s", site);
        } else {
            rc = expand_name(g->name, 's', 0, site, dname, sizeof(dname));
            if (rc != 1)
                return fail(l, MUE_EINVAL, "site \"%s\": \"name\" %s", site,
                            rc == -2 ? "gives a name that is too long"
                                     : "must hold one %s (the site's name) and no other %");
        }
        rc = add_device(l, g, use_case, i, dname, site, 1, lon, lat, 0);
        if (rc < 0)
            return rc;
    }
    return MUE_OK;
}

/* A group of "count" devices placed near an anchor. */
static int load_count(struct loader *l, const struct group *g, const char *use_case)
{
    const json_t *count = json_object_get(g->j, "count");
    const json_t *radius = json_object_get(g->j, "radius_m");
    char dname[sizeof(g->name)];
    double lon, lat;
    json_int_t n;
    int rc;

    if (!json_is_integer(count) || json_integer_value(count) < 1 ||
        json_integer_value(count) > 100000)
        return fail(l, MUE_EINVAL, "a group needs \"sites\" or a \"count\" from 1 to 100000");
    n = json_integer_value(count);
    if (g->name[0] == '\0')
        return fail(l, MUE_EINVAL, "\"name\" is missing");
    if ((uint64_t)(n - 1) > UINT64_MAX - g->eui_base)
        return fail(l, MUE_EINVAL, "eui_base + count goes past ffffffffffffffff");
    rc = get_lonlat(l, json_object_get(g->j, "near"), "\"near\"", &lon, &lat);
    if (rc < 0)
        return rc;
    if (!json_is_number(radius) || !(json_number_value(radius) > 0))
        return fail(l, MUE_EINVAL, "\"radius_m\" must be a number > 0");
    for (json_int_t i = 0; i < n; i++) {
        rc = expand_name(g->name, 'd', (long)(i + 1), NULL, dname, sizeof(dname));
        if (rc < 0 || (rc == 0 && n > 1))
            return fail(l, MUE_EINVAL, "\"name\" %s",
                        rc == -2 ? "gives a name that is too long"
                                 : "must hold one %d or %0Nd (the index from 1) when count > 1, "
                                   "and no other %");
        rc = add_device(l, g, use_case, (uint64_t)i, dname, g->site, 0, lon, lat,
                        json_number_value(radius));
        if (rc < 0)
            return rc;
    }
    return MUE_OK;
}

static int load_group(struct loader *l, const json_t *j, const char *use_case)
{
    struct group g;
    char eui[24];
    const json_t *period = json_object_get(j, "period_s");
    const json_t *sites = json_object_get(j, "sites");
    const json_t *name = json_object_get(j, "name");
    size_t i;
    int rc;

    memset(&g, 0, sizeof(g));
    g.j = j;
    /* The label names the group in errors: its first site, or its name. */
    if (json_is_string(json_object_get(json_array_get(sites, 0), "name")))
        snprintf(l->label, sizeof(l->label), "%s",
                 json_string_value(json_object_get(json_array_get(sites, 0), "name")));
    else if (json_is_string(name))
        snprintf(l->label, sizeof(l->label), "%s", json_string_value(name));
    if (!json_is_object(j))
        return fail(l, MUE_EINVAL, "not an object");
    rc = check_keys(l, j, group_keys, NKEYS(group_keys), "");
    if (rc == MUE_OK)
        rc = get_str(l, j, "model", g.model, sizeof(g.model), 0);
    if (rc == MUE_OK)
        rc = get_str(l, j, "profile", g.profile, sizeof(g.profile), 0);
    if (rc == MUE_OK)
        rc = get_str(l, j, "network", g.network, sizeof(g.network), 0);
    if (rc == MUE_OK)
        rc = get_str(l, j, "commune", g.insee, sizeof(g.insee), 0);
    if (rc == MUE_OK)
        rc = get_str(l, j, "eui_base", eui, sizeof(eui), 0);
    if (rc == MUE_OK)
        rc = get_str(l, j, "name", g.name, sizeof(g.name), 1);
    if (rc == MUE_OK)
        rc = get_str(l, j, "site", g.site, sizeof(g.site), 1);
    if (rc < 0)
        return rc;
    for (i = 0; i < NKEYS(networks) && strcmp(g.network, networks[i]) != 0; i++)
        ;
    if (i == NKEYS(networks))
        return fail(l, MUE_EINVAL, "network \"%s\" is not chirpstack or tts", g.network);
    g.commune = geo_find(&l->geo, g.insee);
    if (g.commune == NULL)
        return fail(l, MUE_EINVAL, "commune \"%s\" is not an INSEE code of the communes file",
                    g.insee);
    if (parse_eui(eui, &g.eui_base) < 0)
        return fail(l, MUE_EINVAL, "eui_base \"%s\" is not 16 hex digits", eui);
    if (!json_is_integer(period) || json_integer_value(period) <= 0 ||
        json_integer_value(period) > INT_MAX)
        return fail(l, MUE_EINVAL, "\"period_s\" must be an integer > 0");
    g.period_s = (int)json_integer_value(period);
    g.params = json_object_get(j, "params");
    if (g.params == NULL)
        g.params = json_object();
    else if (!json_is_object(g.params))
        return fail(l, MUE_EINVAL, "\"params\" must be an object");
    else
        json_incref((json_t *)g.params);
    rc = sites != NULL ? load_sites(l, &g, use_case, sites) : load_count(l, &g, use_case);
    json_decref((json_t *)g.params);
    return rc;
}

static int load_file(struct loader *l, const char *dir)
{
    char path[PATH_MAX], use_case[sizeof(((struct sim_device *)0)->use_case)];
    const json_t *groups;
    json_error_t je;
    json_t *root;
    int rc;

    l->group = 0;
    l->label[0] = '\0';
    snprintf(path, sizeof(path), "%s/%s", dir, l->files[l->file]);
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return fail(l, MUE_EINVAL, "line %d: %s", je.line, je.text);
    if (!json_is_object(root)) {
        rc = fail(l, MUE_EINVAL, "not a JSON object");
        goto out;
    }
    rc = check_keys(l, root, file_keys, NKEYS(file_keys), "");
    if (rc == MUE_OK)
        rc = get_str(l, root, "use_case", use_case, sizeof(use_case), 0);
    if (rc < 0)
        goto out;
    if (!valid_use_case(use_case)) {
        rc =
            fail(l, MUE_EINVAL, "use_case \"%s\" is not a use case id ([a-z][a-z0-9_]*)", use_case);
        goto out;
    }
    groups = json_object_get(root, "groups");
    if (!json_is_array(groups) || json_array_size(groups) == 0) {
        rc = fail(l, MUE_EINVAL, "\"groups\" must be a non-empty array");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(groups); i++) {
        l->group = i + 1;
        l->label[0] = '\0';
        rc = load_group(l, json_array_get(groups, i), use_case);
        if (rc < 0)
            goto out;
    }
out:
    json_decref(root);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the *.json regular files of 'dir', sorted. */
static int list_files(struct loader *l, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;

    if (d == NULL) {
        snprintf(l->err, l->cap, "%s: cannot open the folder", dir);
        return MUE_ENOENT;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char path[PATH_MAX];
        struct stat st;

        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (l->nfiles == cap) {
            cap = cap ? 2 * cap : 16;
            char **f = realloc(l->files, cap * sizeof(*f));
            if (f == NULL)
                break;
            l->files = f;
        }
        l->files[l->nfiles] = strdup(e->d_name);
        if (l->files[l->nfiles] == NULL)
            break;
        l->nfiles++;
    }
    closedir(d);
    if (e != NULL) {
        snprintf(l->err, l->cap, "out of memory");
        return MUE_ENOMEM;
    }
    if (l->nfiles == 0) {
        snprintf(l->err, l->cap, "%s: no fleet file (*.json)", dir);
        return MUE_ENOENT;
    }
    qsort(l->files, l->nfiles, sizeof(*l->files), by_name);
    return MUE_OK;
}

int sim_fleet_load(const char *dir, const char *geojson, struct sim_fleet *out, char *err,
                   size_t cap)
{
    struct loader l;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&l, 0, sizeof(l));
    l.fleet = out;
    l.err = err;
    l.cap = cap;
    rc = geo_load(geojson, &l.geo, err, cap);
    if (rc < 0)
        return rc;
    rc = list_files(&l, dir);
    for (l.file = 0; rc == MUE_OK && l.file < l.nfiles; l.file++)
        rc = load_file(&l, dir);
    if (rc < 0)
        sim_fleet_free(out);
    for (size_t i = 0; i < l.nfiles; i++)
        free(l.files[i]);
    free(l.files);
    free(l.from);
    geo_free(&l.geo);
    return rc;
}

void sim_fleet_free(struct sim_fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        json_decref(f->dev[i].params);
    free(f->dev);
    f->dev = NULL;
    f->n = 0;
}
