/* reply.h - the JSON answers of mue-ingest: 202 with the stored id, or an error with a reason.
 * SPDX-License-Identifier: MIT */
#ifndef REPLY_H
#define REPLY_H

#include <stdbool.h>

struct mg_connection;

/* Sends {"error":<error>,"reason":<reason>} with 'status' and the headers that status calls for
 * (Retry-After on 503, WWW-Authenticate on 401, Connection: close on 413). Returns 'status'. */
int reply_error(struct mg_connection *conn, int status, const char *error, const char *reason);

/* Sends 202 {"status":"accepted","kind":<kind>,"id":<id>,"duplicate":<duplicate>}. */
int reply_accepted(struct mg_connection *conn, const char *kind, const char *id, bool duplicate);

#endif
