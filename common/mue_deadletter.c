/* mue_deadletter.c - dead-letter entries: the original bytes plus why they were refused.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "mue/v1/deadletter.pb-c.h"
#include "mue_deadletter.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_subjects.h"
#include "mue_time.h"

struct counted {
    char key[96];
    struct mue_metric *m;
};

/* Counters are made on first use of each stage and code; a handful exist per service. */
static struct mue_metric *counter_for(const char *stage, const char *code)
{
    static struct counted seen[64];
    static size_t nseen;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    char key[96], labels[160];
    struct mue_metric *m = NULL;

    snprintf(key, sizeof(key), "%s/%s", stage, code);
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nseen && m == NULL; i++)
        if (strcmp(seen[i].key, key) == 0)
            m = seen[i].m;
    if (m == NULL && nseen < sizeof(seen) / sizeof(seen[0])) {
        snprintf(labels, sizeof(labels), "stage=\"%s\",code=\"%s\"", stage, code);
        m = mue_metrics_counter("mue_deadletter_total", labels,
                                "Messages sent to the dead-letter stream, by stage and reason");
        snprintf(seen[nseen].key, sizeof(seen[nseen].key), "%s", key);
        seen[nseen++].m = m;
    }
    pthread_mutex_unlock(&lock);
    return m;
}

int mue_deadletter_publish(struct mue_bus *bus, const char *stage, const char *code,
                           const char *reason, natsMsg *orig)
{
    Mue__V1__DeadLetter dl = MUE__V1__DEAD_LETTER__INIT;
    const char *orig_id = mue_bus_msg_header(orig, "Nats-Msg-Id");
    char subject[64], id[256], quoted[256];
    uint8_t *buf;
    size_t len;
    int rc;

    snprintf(subject, sizeof(subject), MUE_SUBJ_DEADLETTER_FMT, stage);
    dl.stage = (char *)stage;
    dl.code = (char *)code;
    dl.reason = (char *)reason;
    dl.subject = (char *)mue_bus_msg_subject(orig);
    dl.original.data = (uint8_t *)mue_bus_msg_data(orig);
    dl.original.len = mue_bus_msg_len(orig);
    dl.original_id = (char *)(orig_id ? orig_id : "");
    dl.time_us = mue_time_now_us();
    len = mue__v1__dead_letter__get_packed_size(&dl);
    buf = mue_xmalloc(len);
    mue__v1__dead_letter__pack(&dl, buf);
    if (orig_id != NULL)
        snprintf(id, sizeof(id), "dl:%s:%s", stage, orig_id);
    rc = mue_bus_publish_async(bus, subject, buf, len, orig_id ? id : NULL, reason);
    free(buf);
    struct mue_metric *m = counter_for(stage, code);
    if (m != NULL)
        mue_metric_inc(m);
    mue_log_warn("deadletter.published", "stage=%s code=%s subject=%s len=%zu reason=\"%s\"", stage,
                 code, dl.subject, dl.original.len, mue_log_quote(quoted, sizeof(quoted), reason));
    return rc;
}
