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
};

struct routes;

/* Starts the HTTP server on 'listen' with 'threads' workers and the routes
 *   POST /v1/chirpstack?event=<type>  ChirpStack v4 HTTP integration, JSON or Protobuf
 *   POST /v1/tts                      The Things Stack v3 webhooks
 *   POST /v1/thingpark                Actility ThingPark DevEUI_uplink
 *   POST /v1/liveobjects              Orange Live Objects LoRa messages
 *   POST /v1/senml                    SenML packs from devices, each with its own token
 * Each answers 202 only once JetStream stored the event, 503 when the bus cannot, 4xx with a
 * JSON reason otherwise. 'cfg' and 'bus' are kept by reference. Returns 0, MUE_EBUS when the
 * key-value buckets cannot be opened, or MUE_EINVAL when the port cannot be bound. */
int routes_open(struct routes **out, const char *listen, long threads,
                const struct routes_config *cfg, struct mue_bus *bus);

/* Stops accepting, waits for the requests in flight to finish, and frees. Accepts NULL. */
void routes_close(struct routes *r);

#endif
