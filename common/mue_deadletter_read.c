/* mue_deadletter_read.c - walking the DEADLETTER stream entry by entry, decoding each dead letter.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mue/v1/deadletter.pb-c.h"
#include "mue_bus.h"
#include "mue_deadletter_read.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_subjects.h"

bool mue_deadletter_subject_dev_eui(const char *subject, char out[17])
{
    const char *dot = subject ? strrchr(subject, '.') : NULL;
    const char *last = dot ? dot + 1 : NULL;

    out[0] = '\0';
    /* As in mue_deadletter_matches, a subject of one token names no device. */
    if (last == NULL || strlen(last) != 16 || strspn(last, "0123456789abcdefABCDEF") != 16)
        return false;
    for (size_t i = 0; i < 16; i++)
        out[i] = (char)tolower((unsigned char)last[i]);
    out[16] = '\0';
    return true;
}

bool mue_deadletter_matches(const struct mue_deadletter_filter *f,
                            const struct mue_deadletter_entry *e)
{
    const char *dot = strrchr(e->subject, '.');
    const char *last = dot ? dot + 1 : e->subject;

    if (f == NULL)
        return true;
    if (f->stage != NULL && strcmp(e->stage, f->stage) != 0)
        return false;
    if (f->code != NULL && strcmp(e->code, f->code) != 0)
        return false;
    /* A subject without a dot names no device: it never matches a DevEUI filter. */
    if (f->dev_eui != NULL && (dot == NULL || strcasecmp(last, f->dev_eui) != 0))
        return false;
    return true;
}

enum { VISIT_SKIPPED = 0, VISIT_CALLED = 1, VISIT_STOPPED = 2 };

/* Reads sequence 'seq' and hands it to 'fn' when it matches. Returns VISIT_SKIPPED (deleted,
 * undecodable or filtered out), VISIT_CALLED, VISIT_STOPPED ('fn' was called and ended the walk),
 * or a negative code (the bus's, or the one 'fn' returned). */

static int visit(struct mue_bus *bus, uint64_t seq, const struct mue_deadletter_filter *filter,
                 mue_deadletter_entry_fn fn, void *arg)
{
    struct mue_deadletter_entry e;
    Mue__V1__DeadLetter *dl = NULL;
    natsMsg *m = NULL;
    int rc = mue_bus_stream_get(bus, MUE_STREAM_DEADLETTER, seq, &m);

    if (rc == MUE_ENOENT)
        return VISIT_SKIPPED; /* deleted: replayed before, or purged */
    if (rc < 0)
        return rc;
    dl = mue__v1__dead_letter__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
    if (dl == NULL) {
        mue_log_warn("deadletter.undecodable", "seq=%llu len=%zu", (unsigned long long)seq,
                     mue_bus_msg_len(m));
        rc = VISIT_SKIPPED;
        goto out;
    }
    memset(&e, 0, sizeof(e));
    e.seq = seq;
    e.time_us = dl->time_us;
    e.stage = dl->stage;
    e.code = dl->code;
    e.reason = dl->reason;
    e.subject = dl->subject;
    e.original_id = dl->original_id;
    e.original = dl->original.data;
    e.original_len = dl->original.len;
    mue_deadletter_subject_dev_eui(dl->subject, e.dev_eui);
    if (!mue_deadletter_matches(filter, &e)) {
        rc = VISIT_SKIPPED;
        goto out;
    }
    rc = fn(&e, arg);
    if (rc == MUE_DEADLETTER_STOP)
        rc = VISIT_STOPPED;
    else if (rc >= 0)
        rc = VISIT_CALLED;
out:
    mue__v1__dead_letter__free_unpacked(dl, NULL);
    natsMsg_Destroy(m);
    return rc;
}

int mue_deadletter_walk(struct mue_bus *bus, const struct mue_deadletter_walk_opts *o,
                        mue_deadletter_entry_fn fn, void *arg,
                        struct mue_deadletter_walk_stats *stats)
{
    struct mue_deadletter_walk_stats st = { 0, false };
    uint64_t first = 0, last = 0, seq;
    int calls = 0, rc = MUE_OK;

    if (mue_bus_stream_range(bus, MUE_STREAM_DEADLETTER, &first, &last) < 0) {
        rc = MUE_EBUS;
        goto out;
    }
    if (first == 0)
        goto out; /* empty */
    seq = o->newest_first ? last : first;
    for (;;) {
        if (o->max_scan != 0 && st.scanned == o->max_scan) {
            st.truncated = true;
            break;
        }
        st.scanned++;
        rc = visit(bus, seq, o->filter, fn, arg);
        if (rc < 0)
            goto out;
        if (rc != VISIT_SKIPPED)
            calls++;
        if (rc == VISIT_STOPPED || seq == (o->newest_first ? first : last))
            break;
        seq = o->newest_first ? seq - 1 : seq + 1;
    }
    rc = calls;
out:
    if (stats != NULL)
        *stats = st;
    return rc;
}
