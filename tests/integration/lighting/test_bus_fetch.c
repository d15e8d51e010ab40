/* test_bus_fetch.c - mue-lighting's consumers against a real nats-server when a pull subscription
 * already holds messages as a fetch begins (what crashed the service during a back-fill: libnats
 * 3.4.1 then overflowed the array of natsSubscription_Fetch): no fetch hands out more than asked,
 * and nothing the stream holds is lost.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../c/server_test.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_subjects.h"
#include "../../unit/mue_test.h"

#define REAL  20 /* messages in the stream */
#define QUEUE 7  /* already queued as the fetch begins: more than half of BATCH */
#define BATCH 10

static const char *url;
static struct mue_bus *bus;
static natsConnection *spy; /* a second connection: sees the pull requests, writes to the inbox */
static char run_id[48];

/* The stream's subject, the durable and the pull request subject of this run. */
static char subj[128], dur[96], next_subj[192];

static struct mue_bus_consumer *open_consumer(void)
{
    struct mue_bus_consumer_opts co = { MUE_STREAM_MEASURES, dur, subj, 30000, 1000 };
    struct mue_bus_consumer *c = NULL;

    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    remember_consumer(MUE_STREAM_MEASURES, dur);
    return c;
}

/* The inbox the consumer's pull requests name as their reply: whatever is published there lands
 * in its subscription's queue, as the server's late deliveries do. */
static void learn_inbox(struct mue_bus_consumer *c, char *inbox, size_t cap)
{
    natsSubscription *requests = NULL;
    struct mue_bus_batch b;
    natsMsg *req = NULL;

    MUE_ASSERT_INT_EQ(natsConnection_SubscribeSync(&requests, spy, next_subj), NATS_OK);
    MUE_ASSERT_INT_EQ(natsConnection_Flush(spy), NATS_OK);
    MUE_ASSERT_INT_EQ(mue_bus_fetch(c, &b, BATCH, 200), 0); /* nothing yet: one pull request */
    mue_bus_batch_fini(&b);
    MUE_ASSERT_INT_EQ(natsSubscription_NextMsg(&req, requests, 2000), NATS_OK);
    snprintf(inbox, cap, "%s", natsMsg_GetReply(req));
    natsMsg_Destroy(req);
    natsSubscription_Destroy(requests);
    MUE_ASSERT(strncmp(inbox, "_INBOX.", 7) == 0);
}

static void queue_strays(const char *inbox, int n)
{
    for (int i = 0; i < n; i++)
        MUE_ASSERT_INT_EQ(natsConnection_PublishString(spy, inbox, "stray"), NATS_OK);
    MUE_ASSERT_INT_EQ(natsConnection_Flush(spy), NATS_OK);
}

static void publish_real(int n)
{
    for (int i = 0; i < n; i++) {
        char body[32];

        snprintf(body, sizeof(body), "real-%d", i);
        MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, body, strlen(body), NULL, NULL, 5000, NULL),
                          MUE_OK);
    }
}

static int is_real(natsMsg *m)
{
    return mue_bus_msg_len(m) > 5 && memcmp(mue_bus_msg_data(m), "real-", 5) == 0;
}

/* More strays while the fetch waits, as a pull request that outlived its fetch keeps delivering. */
struct stream_of_strays {
    const char *inbox;
    int n, gap_ms;
};

static void *send_strays(void *arg)
{
    const struct stream_of_strays *s = arg;

    for (int i = 0; i < s->n; i++) {
        natsConnection_PublishString(spy, s->inbox, "stray");
        natsConnection_Flush(spy);
        usleep((useconds_t)s->gap_ms * 1000);
    }
    return NULL;
}

/* Fetches until every real message came (acked) or 'deadline_ms' passed; returns how many real
 * ones came, and the largest batch in *largest. */
static int fetch_all(struct mue_bus_consumer *c, long long deadline_ms, int *largest)
{
    int real = 0;

    *largest = 0;
    while (real < REAL && mono_ms() < deadline_ms) {
        struct mue_bus_batch b;
        int n = mue_bus_fetch(c, &b, BATCH, 300);

        *largest = n > *largest ? n : *largest;
        MUE_ASSERT(n <= BATCH); /* checked before the batch is freed: past BATCH the heap is torn */
        for (int i = 0; i < n; i++) {
            if (is_real(b.list.Msgs[i])) {
                real++;
                MUE_ASSERT_INT_EQ(mue_bus_ack(b.list.Msgs[i]), MUE_OK);
            }
        }
        mue_bus_batch_fini(&b);
    }
    return real;
}

static void name_run(const char *what)
{
    snprintf(subj, sizeof(subj), "mue.measure.fetchtest.%s.%s", run_id, what);
    snprintf(dur, sizeof(dur), "test_fetch_%s_%s", run_id, what);
    snprintf(next_subj, sizeof(next_subj), "$JS.API.CONSUMER.MSG.NEXT.%s.%s", MUE_STREAM_MEASURES,
             dur);
}

static void test_queued_messages_come_first_and_alone(void)
{
    struct mue_bus_consumer *c;
    struct mue_bus_batch b;
    char inbox[128];
    int n, strays = 0, largest;

    name_run("queued");
    c = open_consumer();
    learn_inbox(c, inbox, sizeof(inbox));
    publish_real(REAL);
    queue_strays(inbox, QUEUE);
    usleep(200 * 1000); /* in the subscription's queue */

    n = mue_bus_fetch(c, &b, BATCH, 300);
    for (int i = 0; i < n && i < BATCH; i++)
        strays += !is_real(b.list.Msgs[i]);
    MUE_ASSERT_INT_EQ(n, QUEUE);
    mue_bus_batch_fini(&b);
    MUE_ASSERT_INT_EQ(strays, QUEUE);
    MUE_ASSERT_INT_EQ(fetch_all(c, mono_ms() + 15000, &largest), REAL);
    MUE_ASSERT(largest <= BATCH);
    mue_bus_consumer_close(c);
}

static void test_a_fetch_never_hands_out_more_than_asked_while_strays_keep_coming(void)
{
    struct mue_bus_consumer *c;
    struct stream_of_strays s;
    pthread_t t;
    char inbox[128];
    int largest;

    name_run("flood");
    c = open_consumer();
    learn_inbox(c, inbox, sizeof(inbox));
    publish_real(REAL);
    queue_strays(inbox, QUEUE);
    usleep(200 * 1000);
    s = (struct stream_of_strays){ inbox, 150, 2 };
    MUE_ASSERT_INT_EQ(pthread_create(&t, NULL, send_strays, &s), 0);
    MUE_ASSERT_INT_EQ(fetch_all(c, mono_ms() + 15000, &largest), REAL);
    pthread_join(t, NULL);
    MUE_ASSERT(largest <= BATCH);
    mue_bus_consumer_close(c);
}

static void test_fetch_refuses_a_batch_of_nothing(void)
{
    struct mue_bus_consumer *c;
    struct mue_bus_batch b;

    name_run("zero");
    c = open_consumer();
    MUE_ASSERT_INT_EQ(mue_bus_fetch(c, &b, 0, 100), MUE_EINVAL);
    mue_bus_batch_fini(&b);
    mue_bus_consumer_close(c);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_queued_messages_come_first_and_alone),
        MUE_TEST(test_a_fetch_never_hands_out_more_than_asked_while_strays_keep_coming),
        MUE_TEST(test_fetch_refuses_a_batch_of_nothing),
    };
    struct mue_bus_opts opts = { NULL, "mue-test-lighting-fetch", 5000, 1200, 604800, 1 };
    int rc;

    url = getenv("MUE_TEST_NATS_URL");
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("lighting_bus_fetch: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(run_id, sizeof(run_id), "%ld_%lld", (long)getpid(), (long long)time(NULL));
    opts.url = url;
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_bus_ensure_streams(bus) != MUE_OK ||
        natsConnection_ConnectTo(&spy, url) != NATS_OK) {
        fprintf(stderr, "cannot reach %s or create the streams\n", url);
        printf("lighting_bus_fetch: 0 passed, 1 failed\n");
        mue_bus_close(bus);
        natsConnection_Destroy(spy);
        return 1;
    }
    rc = mue_test_run("lighting_bus_fetch", tests);
    natsConnection_Destroy(spy);
    mue_bus_close(bus);
    delete_consumers(url);
    return rc;
}
