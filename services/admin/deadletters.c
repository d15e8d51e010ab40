/* deadletters.c - listing and replaying mue.deadletter.> entries.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "deadletters.h"
#include "mue_bus.h"
#include "mue_deadletter_read.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_subjects.h"
#include "mue_time.h"

/* Walks every matching entry, oldest first, calling 'fn'. Returns the number of calls, or the
 * first negative code. */
static int each(struct mue_bus *bus, const struct deadletters_filter *f, mue_deadletter_entry_fn fn,
                void *arg)
{
    const struct mue_deadletter_filter filter = { f->stage, f->code, f->dev_eui };
    const struct mue_deadletter_walk_opts o = { &filter, false, 0 };

    return mue_deadletter_walk(bus, &o, fn, arg, NULL);
}

static int print_entry(const struct mue_deadletter_entry *e, void *arg)
{
    char ts[40];
    json_t *o;
    char *line;

    mue_time_format(e->time_us, ts, sizeof(ts));
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "seq", (json_int_t)e->seq, "stage",
                  e->stage, "code", e->code, "reason", e->reason, "subject", e->subject,
                  "original_id", e->original_id, "time", ts, "original_bytes",
                  (json_int_t)e->original_len);
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

static int replay_entry(const struct mue_deadletter_entry *e, void *arg)
{
    struct mue_bus *bus = arg;
    char id[256];

    snprintf(id, sizeof(id), "%s:replay:%llu", e->original_id[0] ? e->original_id : "dl",
             (unsigned long long)e->seq);
    if (mue_bus_publish(bus, e->subject, e->original, e->original_len, id, NULL, 5000, NULL) < 0)
        return MUE_EBUS;
    mue_log_info("deadletter.replayed", "seq=%llu subject=%s code=%s", (unsigned long long)e->seq,
                 e->subject, e->code);
    return mue_bus_stream_delete(bus, MUE_STREAM_DEADLETTER, e->seq);
}

int deadletters_replay(struct mue_bus *bus, const struct deadletters_filter *f)
{
    return each(bus, f, replay_entry, bus);
}
