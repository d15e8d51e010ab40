/* site_files.c - serving the built site: clean URLs mapped to files, nothing outside the folder,
 * the types browsers need to run modules, and a Content-Security-Policy that lets the pages load
 * only from this origin.
 * SPDX-License-Identifier: MIT */
#include "site_files.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <civetweb.h>

#define SECURITY_HEADERS                                                                           \
    "Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; "                    \
    "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "                    \
    "object-src 'none'; base-uri 'self'; form-action 'self'\r\n"                                   \
    "X-Content-Type-Options: nosniff\r\n"                                                          \
    "Referrer-Policy: same-origin\r\n"

static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".json", "application/json" },
    { ".geojson", "application/geo+json" },
    { ".map", "application/json" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".txt", "text/plain; charset=utf-8" },
    { ".woff2", "font/woff2" },
    /* the open data (/opendata/) */
    { ".csv", "text/csv; charset=utf-8" },
    { ".jsonld", "application/ld+json" },
    { ".ttl", "text/turtle; charset=utf-8" },
};

static const char *mime_of(const char *file)
{
    size_t n = strlen(file);

    for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++) {
        size_t e = strlen(mime_types[i].ext);
        if (n > e && strcmp(file + n - e, mime_types[i].ext) == 0)
            return mime_types[i].type;
    }
    return "application/octet-stream";
}

/* Only plain names: no empty, "." or ".." segment and nothing hidden, so no path can leave the
 * folder or reach a dot-file left beside the build. */
static bool path_is_plain(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\') != NULL)
        return false;
    for (const char *seg = path + 1; *seg != '\0';) {
        size_t len = strcspn(seg, "/");
        if (seg[0] == '.' || (len == 0 && seg[len] == '/'))
            return false;
        seg += len + (seg[len] == '/');
    }
    return true;
}

static bool is_file(const char *name)
{
    struct stat st;
    return stat(name, &st) == 0 && S_ISREG(st.st_mode);
}

int site_resolve(const char *root, const char *path, char *out, size_t cap)
{
    size_t len = strlen(path);
    const char *last = strrchr(path, '/');
    int n;

    if (!path_is_plain(path) || len > 512)
        return -1;
    if (path[len - 1] == '/')
        n = snprintf(out, cap, "%s%sindex.html", root, path);
    else if (strchr(last, '.') == NULL)
        n = snprintf(out, cap, "%s%s.html", root, path);
    else
        n = snprintf(out, cap, "%s%s", root, path);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return is_file(out) ? 0 : -1;
}

static int not_found(struct mg_connection *conn)
{
    static const char page[] =
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Page introuvable · mue</title><main><h1>Page introuvable</h1>"
        "<p>Cette adresse ne correspond à aucune page.</p>"
        "<p><a href=\"/\">Retour à l’accueil</a></p></main></html>\n";

    char length[24];

    snprintf(length, sizeof(length), "%zu", sizeof(page) - 1);
    mg_response_header_start(conn, 404);
    mg_response_header_add(conn, "Content-Type", "text/html; charset=utf-8", -1);
    mg_response_header_add(conn, "Content-Length", length, -1);
    mg_response_header_add(conn, "Cache-Control", "no-cache", -1);
    mg_response_header_add_lines(conn, SECURITY_HEADERS);
    mg_response_header_send(conn);
    if (strcmp(mg_get_request_info(conn)->request_method, "HEAD") != 0)
        mg_write(conn, page, sizeof(page) - 1);
    return 404;
}

int site_serve(struct mg_connection *conn, const char *root, const char *path, const char *prefix,
               const char *extra_headers)
{
    char file[1024], dir[1024], headers[1024];

    if (site_resolve(root, path, file, sizeof(file)) == 0) {
        snprintf(headers, sizeof(headers), "%s%s", SECURITY_HEADERS,
                 extra_headers ? extra_headers : "");
        mg_send_mime_file2(conn, file, mime_of(file), headers);
        return 200;
    }
    /* "/supervision" is a folder: its page lives at "/supervision/". */
    if (path_is_plain(path) && strlen(path) < 500 && snprintf(dir, sizeof(dir), "%s/", path) > 0 &&
        site_resolve(root, dir, file, sizeof(file)) == 0) {
        char location[1100];
        snprintf(location, sizeof(location), "%s%s", prefix, dir);
        mg_response_header_start(conn, 301);
        mg_response_header_add(conn, "Location", location, -1);
        mg_response_header_add(conn, "Content-Length", "0", -1);
        mg_response_header_send(conn);
        return 301;
    }
    return not_found(conn);
}
