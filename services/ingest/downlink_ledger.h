/* downlink_ledger.h - what the forwarder writes down so that the network servers queue each
 * downlink request at most once, beside the references the webhook side reads back.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_LEDGER_H
#define DOWNLINK_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "downlink.h"

struct mue_kv;

/* The keys, all in the bucket MUE_KV_DOWNLINK_REFS (and its TTL):
 *   sent.<h>                 -> "<network_ref> <attempt>": an API accepted the request at that
 *                               attempt; network_ref is "-" when the API names none (TTS);
 *   sending.<h>              -> "<attempt>": a call went out that may have queued the request, and
 *                               no answer has shown that it did not;
 *   <network>.<network_ref>  -> request id: ChirpStack's events name only the queue item.
 * <h> is the SHA-256 of the request id in lowercase hex. Request ids are tokens of up to
 * DOWNLINK_MAX_ID characters, and hold characters KV keys refuse (':' in
 * "admin:<eui>:<µs>"); the digest makes every key valid and of one length. */
#define DOWNLINK_LEDGER_KEY_CAP 80

/* The key "<prefix>.<h>" of request 'id' into out (cap >= DOWNLINK_LEDGER_KEY_CAP). Returns 0, or
 * MUE_E2BIG when it does not fit. */
int downlink_ledger_key(const char *prefix, const char *id, char *out, size_t cap);

/* Whether the API accepted request 'id' before: 0 and the recorded network_ref ("" when there is
 * none; cap >= DOWNLINK_REF_CAP) and attempt (0 when the value holds none), MUE_ENOENT when it did
 * not, MUE_EBUS when the bucket could not be read (logged by mue_kv). */
int downlink_ledger_sent(struct mue_kv *kv, const char *id, char *network_ref, size_t cap,
                         uint32_t *attempt);

/* Records that the API accepted 'rq' at 'attempt': first "<network>.<network_ref>" -> id (when
 * network_ref is not ""), then "sent.<h>". Each put is tried a few times. Returns 0, or MUE_EBUS
 * when one still failed (logged). */
int downlink_ledger_record_sent(struct mue_kv *kv, const struct downlink_request *rq,
                                const char *network_ref, uint32_t attempt);

/* 1 when a call for 'id' may have been queued unseen (a "sending." mark), 0 when not, MUE_EBUS. */
int downlink_ledger_is_sending(struct mue_kv *kv, const char *id);

/* Marks 'id' as sending at 'attempt', before its call goes out; tried a few times. Returns 0, or
 * MUE_EBUS. */
int downlink_ledger_mark_sending(struct mue_kv *kv, const char *id, uint32_t attempt);

/* Removes the mark after an answer that shows nothing was queued. A failure is only logged: the
 * next attempt then looks at the queue for nothing. */
void downlink_ledger_clear_sending(struct mue_kv *kv, const char *id);

/* The request id recorded for a network's queue item: 0 and 'id' ("" when the recorded one does
 * not fit in 'cap': then it is not the caller's), MUE_ENOENT when none is, MUE_EBUS. */
int downlink_ledger_ref_owner(struct mue_kv *kv, const char *network, const char *network_ref,
                              char *id, size_t cap);

#endif
