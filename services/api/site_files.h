/* site_files.h - the public site and the supervisor pages: built files under one folder, served
 * for every path outside the API's.
 * SPDX-License-Identifier: MIT */
#ifndef SITE_FILES_H
#define SITE_FILES_H

#include <stddef.h>

struct mg_connection;

/* Finds the file that answers 'path' under 'root' ("/" → index.html, "/bruit" → bruit.html,
 * "/supervision/" → supervision/index.html, "/assets/x.js" → itself) and writes its full name
 * to 'out'. Returns 0, or -1 when the path is not one the site can hold (a ".." segment, a hidden
 * name, no such regular file). */
int site_resolve(const char *root, const char *path, char *out, size_t cap);

/* Answers GET or HEAD of 'path' from the site under 'root': the file with its type, validators
 * and security headers, or a 404 page. "/supervision" redirects to "/supervision/". 'prefix' is
 * where the folder sits in the URL space ("" for the site, "/opendata" for the open data), for
 * that redirect; 'extra_headers' ("Name: value\r\n" lines, or NULL) go with a file. Returns the
 * HTTP status. */
int site_serve(struct mg_connection *conn, const char *root, const char *path, const char *prefix,
               const char *extra_headers);

#endif
