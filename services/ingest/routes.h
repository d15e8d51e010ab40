/* routes.h - the webhook endpoints of mue-ingest on civetweb.
 * SPDX-License-Identifier: MIT */
#ifndef ROUTES_H
#define ROUTES_H

#include <stddef.h>

struct mue_bus;

struct routes_config {
    const char *secret;      /* expected after "Authorization: Bearer " */
    long max_body;           /* bytes; larger bodies get 413 */
    long publish_timeout_ms; /* how long to wait for JetStream before answering 503 */
};

struct routes;

/* Starts the HTTP server on 'listen' with 'threads' workers and the routes
 *   POST /v1/chirpstack?event=up   ChirpStack v4 HTTP integration (JSON)
 *   POST /v1/tts                   The Things Stack v3 uplink webhook
 * Each answers 202 only once JetStream stored the uplink, 503 when the bus cannot, 400/401/413
 * with a JSON reason otherwise. 'cfg' and 'bus' are kept by reference. Returns 0, or MUE_EINVAL
 * when the port cannot be bound. */
int routes_open(struct routes **out, const char *listen, long threads,
                const struct routes_config *cfg, struct mue_bus *bus);

/* Stops accepting, waits for the requests in flight to finish, and frees. Accepts NULL. */
void routes_close(struct routes *r);

#endif
