/* test_mue_bus.c - mue_bus against a real nats-server: streams, publishing, durable consumers.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_subjects.h"
#include "../../unit/mue_test.h"
#include "server_test.h"

static struct mue_bus_opts opts;
static struct mue_bus *bus; /* opened once in main, shared by the tests that need a server */
static char run_id[48];     /* makes subjects and durable names unique to this run */

static void subject(char *out, size_t cap, const char *space, const char *what)
{
    snprintf(out, cap, "mue.%s.test.%s.%s", space, run_id, what);
}

static void durable(char *out, size_t cap, const char *what)
{
    snprintf(out, cap, "test_%s_%s", run_id, what);
}

static uint64_t last_seq(const char *stream)
{
    uint64_t first = 0, last = 0;

    MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, stream, &first, &last), MUE_OK);
    return last;
}

static struct mue_bus_consumer *open_consumer(const char *stream, const char *name,
                                              const char *filter)
{
    struct mue_bus_consumer_opts co = { stream, name, filter, 30000, 100 };
    struct mue_bus_consumer *c = NULL;

    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    MUE_ASSERT(c != NULL);
    remember_consumer(stream, name);
    return c;
}

/* Reads every message of 'subj' through a fresh durable consumer, acking them; returns how many
 * came (the stream is shared, so counting sequences could count others' messages). The first
 * body is copied to 'first' when not NULL. */
static int drain_subject(const char *stream, const char *subj, const char *what, char *first,
                         size_t cap)
{
    char name[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    int total = 0, n;

    durable(name, sizeof(name), what);
    c = open_consumer(stream, name, subj);
    while ((n = mue_bus_fetch(c, &batch, 100, 500)) > 0) {
        for (int i = 0; i < n; i++) {
            natsMsg *m = batch.list.Msgs[i];
            if (total == 0 && first != NULL)
                snprintf(first, cap, "%.*s", (int)mue_bus_msg_len(m),
                         (const char *)mue_bus_msg_data(m));
            mue_bus_ack(m);
            total++;
        }
        mue_bus_batch_fini(&batch);
    }
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    return n < 0 ? n : total;
}

static void test_open_to_a_refusing_url_fails_with_ebus_within_connect_timeout(void)
{
    struct mue_bus_opts o = opts;
    struct mue_bus *b = (struct mue_bus *)&o;
    char url[64];
    int fd, port = loopback_port(0, &fd), rc;
    long long t0, took;

    MUE_ASSERT(port > 0);
    snprintf(url, sizeof(url), "nats://127.0.0.1:%d", port);
    o.url = url;
    o.connect_timeout_ms = 1000;
    t0 = mono_ms();
    rc = mue_bus_open(&b, &o);
    took = mono_ms() - t0;
    MUE_ASSERT_INT_EQ(rc, MUE_EBUS);
    MUE_ASSERT(b == (struct mue_bus *)&o); /* out untouched */
    MUE_ASSERT(took >= 900);               /* it kept trying for the whole timeout */
    MUE_ASSERT(took < 2500);
}

/* A server that accepts the TCP connection but never speaks: each attempt waits for its own
 * timeout, and the total must still stay near connect_timeout_ms. */
static void test_open_to_a_silent_server_fails_within_connect_timeout(void)
{
    struct mue_bus_opts o = opts;
    struct mue_bus *b = NULL;
    char url[64];
    int fd, port = loopback_port(1, &fd), rc;
    long long t0, took;

    MUE_ASSERT(port > 0);
    snprintf(url, sizeof(url), "nats://127.0.0.1:%d", port);
    o.url = url;
    o.connect_timeout_ms = 1000;
    t0 = mono_ms();
    rc = mue_bus_open(&b, &o);
    took = mono_ms() - t0;
    close(fd);
    MUE_ASSERT_INT_EQ(rc, MUE_EBUS);
    MUE_ASSERT(b == NULL);
    /* One attempt in flight when the time is up may finish (2 s), no more. */
    if (took > 1000 + 2000 + 500) {
        char m[128];
        snprintf(m, sizeof(m), "connect_timeout_ms=1000 but mue_bus_open took %lld ms", took);
        mue_test_fail(__FILE__, __LINE__, m);
    }
}

static void test_open_connects_and_reports_connected(void)
{
    MUE_ASSERT(bus != NULL);
    MUE_ASSERT_INT_EQ(mue_bus_is_connected(bus), 1);
    MUE_ASSERT_INT_EQ(mue_bus_is_connected(NULL), 0);
}

static void test_close_and_consumer_close_accept_null(void)
{
    mue_bus_close(NULL);
    mue_bus_consumer_close(NULL);
}

static void test_ensure_streams_creates_the_five_streams(void)
{
    static const char *const names[] = { MUE_STREAM_UPLINKS, MUE_STREAM_MEASURES, MUE_STREAM_ALERTS,
                                         MUE_STREAM_DOWNLINKS, MUE_STREAM_DEADLETTER };
    uint64_t first = 7, last = 7;

    MUE_ASSERT_INT_EQ(mue_bus_ensure_streams(bus), MUE_OK);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, names[i], &first, &last), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, "NO_SUCH_STREAM", &first, &last), MUE_EBUS);
}

static void test_ensure_streams_twice_is_idempotent_and_keeps_messages(void)
{
    char subj[128], body[16] = "";

    subject(subj, sizeof(subj), "uplink", "idem");
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "kept", 4, NULL, NULL, 5000, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_ensure_streams(bus), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_ensure_streams(bus), MUE_OK);
    MUE_ASSERT_INT_EQ(drain_subject(MUE_STREAM_UPLINKS, subj, "idem", body, sizeof(body)), 1);
    MUE_ASSERT_STR_EQ(body, "kept");
}

/* Each subject space lands in its stream: one message each, one sequence more there. */
static void test_each_subject_space_lands_in_its_stream(void)
{
    static const struct {
        const char *space, *stream;
    } spaces[] = {
        { "uplink", MUE_STREAM_UPLINKS },     { "measure", MUE_STREAM_MEASURES },
        { "alert", MUE_STREAM_ALERTS },       { "downlink", MUE_STREAM_DOWNLINKS },
        { "dlstatus", MUE_STREAM_DOWNLINKS }, { "deadletter", MUE_STREAM_DEADLETTER },
    };

    for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
        char subj[128], what[32];

        subject(subj, sizeof(subj), spaces[i].space, "space");
        snprintf(what, sizeof(what), "space_%s", spaces[i].space);
        MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "s", 1, NULL, NULL, 5000, NULL), MUE_OK);
        MUE_ASSERT_INT_EQ(drain_subject(spaces[i].stream, subj, what, NULL, 0), 1);
    }
}

static void test_publish_to_a_subject_no_stream_holds_fails_with_ebus(void)
{
    char subj[128];

    snprintf(subj, sizeof(subj), "nostream.test.%s", run_id);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "x", 1, NULL, NULL, 1000, NULL), MUE_EBUS);
}

static void test_publish_with_the_same_msg_id_twice_is_a_duplicate_the_second_time(void)
{
    char subj[128], id[96], body[16] = "";
    int dup1 = -1, dup2 = -1;

    subject(subj, sizeof(subj), "uplink", "dedup");
    snprintf(id, sizeof(id), "dedup-%s", run_id);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "one", 3, id, NULL, 5000, &dup1), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "two", 3, id, NULL, 5000, &dup2), MUE_OK);
    MUE_ASSERT_INT_EQ(dup1, 0);
    MUE_ASSERT_INT_EQ(dup2, 1);
    /* The stream kept the first one only. */
    MUE_ASSERT_INT_EQ(drain_subject(MUE_STREAM_UPLINKS, subj, "dedup", body, sizeof(body)), 1);
    MUE_ASSERT_STR_EQ(body, "one");
}

static void test_publish_without_msg_id_is_never_a_duplicate(void)
{
    char subj[128];
    int dup1 = -1, dup2 = -1;

    subject(subj, sizeof(subj), "uplink", "noid");
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "same", 4, NULL, NULL, 5000, &dup1), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "same", 4, NULL, NULL, 5000, &dup2), MUE_OK);
    MUE_ASSERT_INT_EQ(dup1, 0);
    MUE_ASSERT_INT_EQ(dup2, 0);
}

static void test_publish_async_then_wait_stores_every_message(void)
{
    char subj[128], id[96], body[32], first[16] = "";

    subject(subj, sizeof(subj), "measure", "async");
    for (int i = 0; i < 50; i++) {
        int n = snprintf(body, sizeof(body), "m%d", i);
        snprintf(id, sizeof(id), "async-%s-%d", run_id, i);
        MUE_ASSERT_INT_EQ(mue_bus_publish_async(bus, subj, body, (size_t)n, id, NULL), MUE_OK);
    }
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
    MUE_ASSERT_INT_EQ(drain_subject(MUE_STREAM_MEASURES, subj, "async", first, sizeof(first)), 50);
    MUE_ASSERT_STR_EQ(first, "m0");
    /* Nothing pending: a second wait returns at once. */
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 1000), MUE_OK);
}

static void test_publish_async_wait_reports_a_message_no_stream_took(void)
{
    char subj[128];

    snprintf(subj, sizeof(subj), "nostream.async.%s", run_id);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async(bus, subj, "x", 1, NULL, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_EBUS);
    /* The failure was reported once; the next batch starts clean. */
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 1000), MUE_OK);
}

static void test_consumer_fetches_what_was_published_with_headers(void)
{
    char subj[128], name[96], id[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    int n;

    subject(subj, sizeof(subj), "uplink", "fetch");
    durable(name, sizeof(name), "fetch");
    c = open_consumer(MUE_STREAM_UPLINKS, name, subj);
    for (int i = 0; i < 3; i++) {
        char body[16];
        int len = snprintf(body, sizeof(body), "payload-%d", i);
        snprintf(id, sizeof(id), "fetch-%s-%d", run_id, i);
        MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, body, (size_t)len, id,
                                          i == 1 ? "bad json" : NULL, 5000, NULL),
                          MUE_OK);
    }
    /* All three were stored before the pull: one pull brings them all, in order. */
    n = mue_bus_fetch(c, &batch, 10, 5000);
    MUE_ASSERT_INT_EQ(n, 3);
    for (int i = 0; i < 3; i++) {
        natsMsg *m = batch.list.Msgs[i];
        char body[16];
        snprintf(body, sizeof(body), "payload-%d", i);
        snprintf(id, sizeof(id), "fetch-%s-%d", run_id, i);
        MUE_ASSERT_UINT_EQ(mue_bus_msg_len(m), strlen(body));
        MUE_ASSERT(memcmp(mue_bus_msg_data(m), body, strlen(body)) == 0);
        MUE_ASSERT_STR_EQ(mue_bus_msg_subject(m), subj);
        MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, "Nats-Msg-Id"), id);
        if (i == 1)
            MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, MUE_HDR_REASON), "bad json");
        else
            MUE_ASSERT(mue_bus_msg_header(m, MUE_HDR_REASON) == NULL);
        MUE_ASSERT(mue_bus_msg_header(m, "No-Such-Header") == NULL);
        MUE_ASSERT_UINT_EQ(mue_bus_msg_deliveries(m), 1);
        MUE_ASSERT_INT_EQ(mue_bus_ack(m), MUE_OK);
    }
    mue_bus_batch_fini(&batch);
    MUE_ASSERT_INT_EQ(batch.list.Count, 0);
    mue_bus_consumer_close(c);
}

static void test_fetch_with_nothing_to_fetch_returns_0_after_the_timeout(void)
{
    char subj[128], name[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    long long t0, took;
    int n;

    subject(subj, sizeof(subj), "alert", "empty");
    durable(name, sizeof(name), "empty");
    c = open_consumer(MUE_STREAM_ALERTS, name, subj);
    t0 = mono_ms();
    n = mue_bus_fetch(c, &batch, 10, 300);
    took = mono_ms() - t0;
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    MUE_ASSERT_INT_EQ(n, 0);
    MUE_ASSERT(took >= 250);
    MUE_ASSERT(took < 2000);
}

/* Publishes A and B, fetches both, acks A and naks B, closes and re-opens the consumer: only B
 * comes again, delivered a second time. */
static void test_after_reopening_acked_messages_stay_done_and_nacked_ones_return(void)
{
    char subj[128], name[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    int n, acked = -1, nacked = -1;

    subject(subj, sizeof(subj), "downlink", "acknak");
    durable(name, sizeof(name), "acknak");
    c = open_consumer(MUE_STREAM_DOWNLINKS, name, subj);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "A", 1, NULL, NULL, 5000, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "B", 1, NULL, NULL, 5000, NULL), MUE_OK);
    n = mue_bus_fetch(c, &batch, 10, 5000);
    if (n == 2) {
        acked = mue_bus_ack(batch.list.Msgs[0]);
        nacked = mue_bus_nak(batch.list.Msgs[1], 0);
    }
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    MUE_ASSERT_INT_EQ(n, 2);
    MUE_ASSERT_INT_EQ(acked, MUE_OK);
    MUE_ASSERT_INT_EQ(nacked, MUE_OK);

    c = open_consumer(MUE_STREAM_DOWNLINKS, name, subj);
    n = mue_bus_fetch(c, &batch, 10, 5000);
    MUE_ASSERT_INT_EQ(n, 1);
    MUE_ASSERT_UINT_EQ(mue_bus_msg_len(batch.list.Msgs[0]), 1);
    MUE_ASSERT(memcmp(mue_bus_msg_data(batch.list.Msgs[0]), "B", 1) == 0);
    MUE_ASSERT_UINT_EQ(mue_bus_msg_deliveries(batch.list.Msgs[0]), 2);
    MUE_ASSERT_INT_EQ(mue_bus_ack(batch.list.Msgs[0]), MUE_OK);
    mue_bus_batch_fini(&batch);
    /* Both done now: nothing more comes. */
    n = mue_bus_fetch(c, &batch, 10, 500);
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    MUE_ASSERT_INT_EQ(n, 0);
}

static void test_a_nacked_message_comes_again_on_the_same_consumer(void)
{
    char subj[128], name[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    int n1, n2;
    uint64_t d2 = 0;

    subject(subj, sizeof(subj), "measure", "nak");
    durable(name, sizeof(name), "nak");
    c = open_consumer(MUE_STREAM_MEASURES, name, subj);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "N", 1, NULL, NULL, 5000, NULL), MUE_OK);
    n1 = mue_bus_fetch(c, &batch, 1, 5000);
    if (n1 == 1)
        MUE_ASSERT_INT_EQ(mue_bus_nak(batch.list.Msgs[0], 100), MUE_OK);
    mue_bus_batch_fini(&batch);
    n2 = mue_bus_fetch(c, &batch, 1, 5000);
    if (n2 == 1) {
        d2 = mue_bus_msg_deliveries(batch.list.Msgs[0]);
        mue_bus_ack(batch.list.Msgs[0]);
    }
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    MUE_ASSERT_INT_EQ(n1, 1);
    MUE_ASSERT_INT_EQ(n2, 1);
    MUE_ASSERT_UINT_EQ(d2, 2);
}

static void test_a_terminated_message_never_comes_again(void)
{
    char subj[128], name[96];
    struct mue_bus_consumer *c;
    struct mue_bus_batch batch;
    int n1, n2, termed = -1;

    subject(subj, sizeof(subj), "alert", "term");
    durable(name, sizeof(name), "term");
    c = open_consumer(MUE_STREAM_ALERTS, name, subj);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "T", 1, NULL, NULL, 5000, NULL), MUE_OK);
    n1 = mue_bus_fetch(c, &batch, 1, 5000);
    if (n1 == 1)
        termed = mue_bus_term(batch.list.Msgs[0]);
    mue_bus_batch_fini(&batch);
    n2 = mue_bus_fetch(c, &batch, 1, 500);
    mue_bus_batch_fini(&batch);
    mue_bus_consumer_close(c);
    MUE_ASSERT_INT_EQ(n1, 1);
    MUE_ASSERT_INT_EQ(termed, MUE_OK);
    MUE_ASSERT_INT_EQ(n2, 0);
}

static void test_two_consumers_with_one_durable_share_the_messages(void)
{
    char subj[128], name[96];
    struct mue_bus_consumer *a, *b;
    struct mue_bus_batch ba, bb;
    int na, nb;

    subject(subj, sizeof(subj), "uplink", "shared");
    durable(name, sizeof(name), "shared");
    a = open_consumer(MUE_STREAM_UPLINKS, name, subj);
    b = open_consumer(MUE_STREAM_UPLINKS, name, subj);
    for (int i = 0; i < 4; i++)
        MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "s", 1, NULL, NULL, 5000, NULL), MUE_OK);
    na = mue_bus_fetch(a, &ba, 2, 5000);
    nb = mue_bus_fetch(b, &bb, 10, 5000);
    for (int i = 0; i < na && na > 0; i++)
        mue_bus_ack(ba.list.Msgs[i]);
    for (int i = 0; i < nb && nb > 0; i++)
        mue_bus_ack(bb.list.Msgs[i]);
    mue_bus_batch_fini(&ba);
    mue_bus_batch_fini(&bb);
    mue_bus_consumer_close(a);
    mue_bus_consumer_close(b);
    MUE_ASSERT_INT_EQ(na, 2);
    MUE_ASSERT_INT_EQ(nb, 2); /* the other two, not the same ones again */
}

static void test_consumer_open_on_a_missing_stream_fails_with_ebus(void)
{
    char name[96];
    struct mue_bus_consumer_opts co = { "NO_SUCH_STREAM", NULL, "nomatch.>", 30000, 10 };
    struct mue_bus_consumer *c = (struct mue_bus_consumer *)&co;

    durable(name, sizeof(name), "missing");
    co.durable = name;
    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_EBUS);
    MUE_ASSERT(c == (struct mue_bus_consumer *)&co); /* out untouched */
}

/* A durable left by an older version with other limits (a smaller batch, a shorter ack wait) is
 * brought up to date rather than refused. */
static void test_consumer_open_updates_an_older_durables_limits(void)
{
    char name[96];
    struct mue_bus_consumer_opts co = { MUE_STREAM_DEADLETTER, NULL, "mue.deadletter.>", 30000,
                                        100 };
    struct mue_bus_consumer *c = NULL;

    durable(name, sizeof(name), "limits");
    co.durable = name;
    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    remember_consumer(co.stream, name);
    mue_bus_consumer_close(c);
    co.max_ack_pending = 400;
    co.ack_wait_ms = 60000;
    c = NULL;
    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    mue_bus_consumer_close(c);
}

static void test_stream_get_reads_a_message_by_sequence(void)
{
    char subj[128], id[96];
    uint64_t seq;
    natsMsg *m = NULL;

    subject(subj, sizeof(subj), "alert", "get");
    snprintf(id, sizeof(id), "get-%s", run_id);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "hello", 5, id, "why", 5000, NULL), MUE_OK);
    seq = last_seq(MUE_STREAM_ALERTS);
    MUE_ASSERT_INT_EQ(mue_bus_stream_get(bus, MUE_STREAM_ALERTS, seq, &m), MUE_OK);
    MUE_ASSERT(m != NULL);
    MUE_ASSERT_STR_EQ(mue_bus_msg_subject(m), subj);
    MUE_ASSERT_UINT_EQ(mue_bus_msg_len(m), 5);
    MUE_ASSERT(memcmp(mue_bus_msg_data(m), "hello", 5) == 0);
    MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, "Nats-Msg-Id"), id);
    MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, MUE_HDR_REASON), "why");
    natsMsg_Destroy(m);
}

static void test_stream_get_of_a_missing_sequence_is_enoent(void)
{
    uint64_t seq = last_seq(MUE_STREAM_ALERTS);
    natsMsg *m = NULL;

    MUE_ASSERT_INT_EQ(mue_bus_stream_get(bus, MUE_STREAM_ALERTS, seq + 1000000, &m), MUE_ENOENT);
    MUE_ASSERT(m == NULL);
}

static void test_stream_range_is_first_and_last_sequence(void)
{
    uint64_t first = 0, last = 0, first2 = 0, last2 = 0;
    char subj[128];

    subject(subj, sizeof(subj), "uplink", "range");
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "r", 1, NULL, NULL, 5000, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, MUE_STREAM_UPLINKS, &first, &last), MUE_OK);
    MUE_ASSERT(first >= 1);
    MUE_ASSERT(last >= first);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, "r", 1, NULL, NULL, 5000, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, MUE_STREAM_UPLINKS, &first2, &last2), MUE_OK);
    MUE_ASSERT_UINT_EQ(first2, first);
    MUE_ASSERT(last2 >= last + 1); /* others may publish on this stream too */
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_open_to_a_refusing_url_fails_with_ebus_within_connect_timeout),
        MUE_TEST(test_open_to_a_silent_server_fails_within_connect_timeout),
        MUE_TEST(test_open_connects_and_reports_connected),
        MUE_TEST(test_close_and_consumer_close_accept_null),
        MUE_TEST(test_ensure_streams_creates_the_five_streams),
        MUE_TEST(test_ensure_streams_twice_is_idempotent_and_keeps_messages),
        MUE_TEST(test_each_subject_space_lands_in_its_stream),
        MUE_TEST(test_publish_to_a_subject_no_stream_holds_fails_with_ebus),
        MUE_TEST(test_publish_with_the_same_msg_id_twice_is_a_duplicate_the_second_time),
        MUE_TEST(test_publish_without_msg_id_is_never_a_duplicate),
        MUE_TEST(test_publish_async_then_wait_stores_every_message),
        MUE_TEST(test_publish_async_wait_reports_a_message_no_stream_took),
        MUE_TEST(test_consumer_fetches_what_was_published_with_headers),
        MUE_TEST(test_fetch_with_nothing_to_fetch_returns_0_after_the_timeout),
        MUE_TEST(test_after_reopening_acked_messages_stay_done_and_nacked_ones_return),
        MUE_TEST(test_a_nacked_message_comes_again_on_the_same_consumer),
        MUE_TEST(test_a_terminated_message_never_comes_again),
        MUE_TEST(test_two_consumers_with_one_durable_share_the_messages),
        MUE_TEST(test_consumer_open_on_a_missing_stream_fails_with_ebus),
        MUE_TEST(test_consumer_open_updates_an_older_durables_limits),
        MUE_TEST(test_stream_get_reads_a_message_by_sequence),
        MUE_TEST(test_stream_get_of_a_missing_sequence_is_enoent),
        MUE_TEST(test_stream_range_is_first_and_last_sequence),
    };
    const char *url = getenv("MUE_TEST_NATS_URL");
    int rc;

    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("mue_bus: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(run_id, sizeof(run_id), "%ld_%lld", (long)getpid(), (long long)time(NULL));
    opts.url = url;
    opts.name = "mue-test-bus";
    opts.connect_timeout_ms = 5000;
    opts.duplicate_window_s = 1200;
    opts.max_age_s = 604800;
    opts.replicas = 1;
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_bus_ensure_streams(bus) != MUE_OK) {
        fprintf(stderr, "cannot reach %s or create the streams\n", url);
        printf("mue_bus: 0 passed, 1 failed\n");
        mue_bus_close(bus);
        return 1;
    }
    rc = mue_test_run("mue_bus", tests);
    mue_bus_close(bus);
    delete_consumers(url);
    return rc;
}
