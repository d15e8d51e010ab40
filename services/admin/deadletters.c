/* deadletters.c - listing and replaying mue.deadletter.> entries.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "deadletters.h"
#include "mue/v1/deadletter.pb-c.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_subjects.h"
#include "mue_time.h"

typedef int (*entry_fn)(struct mue_bus *bus, uint64_t seq, const Mue__V1__DeadLetter *dl,
                        void *arg);

static int matches(const struct deadletters_filter *f, const Mue__V1__DeadLetter *dl)
{
    const char *last = strrchr(dl->subject, '.');
    if (f->stage != NULL && strcmp(dl->stage, f->stage) != 0)
        return 0;
    if (f->code != NULL && strcmp(dl->code, f->code) != 0)
        return 0;
    if (f->dev_eui != NULL && (last == NULL || strcasecmp(last + 1, f->dev_eui) != 0))
        return 0;
    return 1;
}

/* Calls 'fn' for every matching entry, oldest first. Returns the number of calls, or the first
 * negative code. */
static int each(struct mue_bus *bus, const struct deadletters_filter *f, entry_fn fn, void *arg)
{
    uint64_t first = 0, last = 0;
    int count = 0;

    if (mue_bus_stream_range(bus, MUE_STREAM_DEADLETTER, &first, &last) < 0)
        return MUE_EBUS;
    for (uint64_t seq = first; first != 0 && seq <= last; seq++) {
        natsMsg *m = NULL;
        Mue__V1__DeadLetter *dl;
        int rc = mue_bus_stream_get(bus, MUE_STREAM_DEADLETTER, seq, &m);

        if (rc == MUE_ENOENT)
            continue; /* deleted: replayed before, or purged */
        if (rc < 0)
            return rc;
        dl = mue__v1__dead_letter__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
        if (dl != NULL && matches(f, dl)) {
            rc = fn(bus, seq, dl, arg);
            count++;
        }
        mue__v1__dead_letter__free_unpacked(dl, NULL);
        natsMsg_Destroy(m);
        if (rc < 0)
            return rc;
    }
    return count;
}

static int print_entry(struct mue_bus *bus, uint64_t seq, const Mue__V1__DeadLetter *dl, void *arg)
{
    char ts[40];
    json_t *o;
    char *line;
    (void)bus;

    mue_time_format(dl->time_us, ts, sizeof(ts));
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "seq", (json_int_t)seq, "stage",
                  dl->stage, "code", dl->code, "reason", dl->reason, "subject", dl->subject,
                  "original_id", dl->original_id, "time", ts, "original_bytes",
                  (json_int_t)dl->original.len);
    line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (line)
        fprintf(arg, "%s\n", line);
    free(line);
    json_decref(o);
    return MUE_OK;
}

int deadletters_list(struct mue_bus *bus, const struct deadletters_filter *f, FILE *out)
{
    return each(bus, f, print_entry, out);
}

static int replay_entry(struct mue_bus *bus, uint64_t seq, const Mue__V1__DeadLetter *dl, void *arg)
{
    char id[256];
    (void)arg;

    snprintf(id, sizeof(id), "%s:replay:%llu", dl->original_id[0] ? dl->original_id : "dl",
             (unsigned long long)seq);
    if (mue_bus_publish(bus, dl->subject, dl->original.data, dl->original.len, id, NULL, 5000,
                        NULL) < 0)
        return MUE_EBUS;
    mue_log_info("deadletter.replayed", "seq=%llu subject=%s code=%s", (unsigned long long)seq,
                 dl->subject, dl->code);
    return mue_bus_stream_delete(bus, MUE_STREAM_DEADLETTER, seq);
}

int deadletters_replay(struct mue_bus *bus, const struct deadletters_filter *f)
{
    return each(bus, f, replay_entry, NULL);
}
