/* webhook_tts.h - internals shared by the files of The Things Stack webhook parser.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_TTS_H
#define WEBHOOK_TTS_H

#include <stddef.h>

#include "webhook.h"
#include "webhook_json.h"

/* The text an event id is built from, and the name of the field it came from for reasons:
 * webhook_json_fail(r, k.where, k.key, ...). 'text' is borrowed from the parsed body. */
struct tts_key {
    const char *text;
    char where[80];
    const char *key;
};

/* Fills u's dev_eui (required: TTS omits it only for devices that have none, which mue cannot
 * address), device_name, application and network from end_device_ids. Returns 0 or
 * MUE_EDECODE. */
int tts_parse_device(const json_t *root, struct webhook_uplink *u, struct webhook_reason *r);

/* Looks through the correlation id array 'correlation_ids' of 'obj' ('where' names obj, "" for
 * the root) for the first entry that starts with 'prefix' and has text after it. Every entry must
 * be a string. *found is that text, or NULL; found->where names the entry. Returns 0 or
 * MUE_EDECODE. */
int tts_find_correlation(const json_t *obj, const char *where, const char *prefix,
                         struct tts_key *found, struct webhook_reason *r);

/* What identifies an uplink-borne event across webhook retries: the Application Server's
 * "as:up:" ULID, else the top-level received_at text, else msg's own received_at ('msg_where'
 * names msg). The text is checked to be a token. 'what' names the event in the reason when none
 * is found ("uplink", "join"). Returns 0 or MUE_EDECODE. */
int tts_event_key(const json_t *root, const json_t *msg, const char *msg_where, const char *what,
                  struct tts_key *k, struct webhook_reason *r);

/* The Network Server's reception time in msg ('msg_where'.received_at), else the Application
 * Server's (top level), else 0; both are checked when present. Returns 0 or MUE_EDECODE. */
int tts_parse_time(const json_t *root, const json_t *msg, const char *msg_where, int64_t *out_us,
                   struct webhook_reason *r);

/* The message parsers: each fills the kind-specific part of *ev and completes ev->up (whose
 * identity tts_parse_device already filled) with the time and the id. Return 0 or
 * MUE_EDECODE. */
int tts_parse_uplink(const json_t *root, const json_t *msg, struct webhook_uplink *u,
                     struct webhook_reason *r);
int tts_parse_join(const json_t *root, const json_t *msg, struct webhook_event *ev,
                   struct webhook_reason *r);
int tts_parse_location(const json_t *root, const json_t *msg, struct webhook_event *ev,
                       struct webhook_reason *r);
/* 'name' is the member ("downlink_ack", ...), 'state' what it means. */
int tts_parse_downlink(const json_t *root, const json_t *msg, const char *name,
                       enum webhook_downlink_state state, struct webhook_event *ev,
                       struct webhook_reason *r);
/* downlink_queue_invalidated {downlinks[], last_f_cnt_down, session_key_id}: FAILED for every
 * mue downlink of the list (the first in ev->dl.downlink_id, the others in more_ids). */
int tts_parse_invalidated(const json_t *root, const json_t *msg, struct webhook_event *ev,
                          struct webhook_reason *r);

#endif
