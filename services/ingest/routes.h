/* routes.h - the webhook endpoints of mue-ingest on civetweb.
 * SPDX-License-Identifier: MIT */
#ifndef ROUTES_H
#define ROUTES_H

struct mue_bus;

struct routes_config {
    /* Expected after "Authorization: Bearer " from every network server... */
    const char *secret;
    /* ...unless its own is set (NULL or "": use 'secret'). */
    const char *secret_chirpstack;
    const char *secret_tts;
    const char *secret_thingpark;
    const char *secret_liveobjects;
    long max_body;           /* bytes; larger bodies get 413 */
    long publish_timeout_ms; /* how long to wait for JetStream before answering 503 */
    /* What a client may send and how slowly (docs/limits.md): */
    long max_header_bytes;     /* request line and headers; more: 400 */
    long max_headers;          /* header fields; more: 431 */
    long max_json_depth;       /* nesting of a JSON body; deeper: 400 */
    long request_timeout_ms;   /* for the head, and again for the body; slower: 408 */
    long keepalive_timeout_ms; /* idle wait for the next request on a kept connection */
};

struct routes;

/* Starts the HTTP server on 'listen' with 'threads' workers and the routes
 *   POST /v1/chirpstack?event=<type>  ChirpStack v4 HTTP integration, JSON or Protobuf
 *   POST /v1/tts                      The Things Stack v3 webhooks
 *   POST /v1/thingpark                Actility ThingPark DevEUI_uplink
 *   POST /v1/liveobjects              Orange Live Objects LoRa messages
 *   POST /v1/senml                    SenML packs from devices, each with its own token
 * Each answers 202 only once JetStream stored the event, 503 when the bus cannot, 4xx with a
 * JSON reason otherwise: 408, 413 and 431 for a request over the limits of 'cfg'. Sets the
 * process's JSON depth limit to cfg->max_json_depth. 'cfg' and 'bus' are kept by reference. Returns
 * 0, MUE_EBUS when the key-value buckets cannot be opened, or MUE_EINVAL when the port cannot be
 * bound. */
int routes_open(struct routes **out, const char *listen, long threads,
                const struct routes_config *cfg, struct mue_bus *bus);

/* Stops accepting, waits for the requests in flight to finish, and frees. Accepts NULL. */
void routes_close(struct routes *r);

#endif
