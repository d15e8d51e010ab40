/* test_mue_deadletter.c - mue_deadletter against a real nats-server: entries on the DL stream.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue/v1/deadletter.pb-c.h"
#include "mue_bus.h"
#include "mue_deadletter.h"
#include "mue_err.h"
#include "mue_metrics.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "../../unit/mue_test.h"
#include "server_test.h"

static struct mue_bus *bus;
static char run_id[48]; /* makes subjects, stages and durable names unique to this run */

static struct mue_bus_consumer *open_consumer(const char *stream, const char *what,
                                              const char *filter)
{
    char name[96];
    struct mue_bus_consumer_opts co = { stream, name, filter, 30000, 100 };
    struct mue_bus_consumer *c = NULL;

    snprintf(name, sizeof(name), "test_%s_%s", run_id, what);
    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    remember_consumer(stream, name);
    return c;
}

/* Publishes 'body' on a fresh uplink subject (with 'msg_id' when not NULL) and fetches it back
 * through a durable consumer, as a stage would receive it. The caller finishes *batch. */
static natsMsg *receive_original(const char *what, const char *body, const char *msg_id,
                                 struct mue_bus_consumer **c, struct mue_bus_batch *batch)
{
    char subj[128];

    snprintf(subj, sizeof(subj), "mue.uplink.test.%s.%s", run_id, what);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subj, body, strlen(body), msg_id, NULL, 5000, NULL),
                      MUE_OK);
    *c = open_consumer(MUE_STREAM_UPLINKS, what, subj);
    MUE_ASSERT_INT_EQ(mue_bus_fetch(*c, batch, 1, 5000), 1);
    return batch->list.Msgs[0];
}

/* Fetches up to 'max' dead letters of 'stage' (waiting 'timeout_ms'); returns the count. */
static int fetch_dead_letters(const char *stage, const char *what, struct mue_bus_consumer **c,
                              struct mue_bus_batch *batch, int max, long timeout_ms)
{
    char subj[128];

    snprintf(subj, sizeof(subj), MUE_SUBJ_DEADLETTER_FMT, stage);
    if (*c == NULL)
        *c = open_consumer(MUE_STREAM_DEADLETTER, what, subj);
    return mue_bus_fetch(*c, batch, max, timeout_ms);
}

static void test_dead_letter_carries_stage_code_reason_original_and_its_id(void)
{
    char stage[64], orig_id[96], want_id[192], orig_subject[128];
    const char *body = "{\"deviceInfo\":{\"devEui\":\"0004a30b001c0530\"}}";
    struct mue_bus_consumer *src = NULL, *dlc = NULL;
    struct mue_bus_batch in, out;
    Mue__V1__DeadLetter *dl;
    natsMsg *orig, *m;
    int64_t before = mue_time_now_us();

    snprintf(stage, sizeof(stage), "t%s", run_id);
    snprintf(orig_id, sizeof(orig_id), "cs:%s:1", run_id);
    orig = receive_original("dl1", body, orig_id, &src, &in);
    snprintf(orig_subject, sizeof(orig_subject), "%s", mue_bus_msg_subject(orig));
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "unknown_device",
                                             "unknown device 0004a30b001c0530", orig),
                      MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
    mue_bus_ack(orig);
    mue_bus_batch_fini(&in);
    mue_bus_consumer_close(src);

    MUE_ASSERT_INT_EQ(fetch_dead_letters(stage, "dl1_out", &dlc, &out, 10, 5000), 1);
    m = out.list.Msgs[0];
    snprintf(want_id, sizeof(want_id), "dl:%s:%s", stage, orig_id);
    MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, "Nats-Msg-Id"), want_id);
    MUE_ASSERT_STR_EQ(mue_bus_msg_header(m, MUE_HDR_REASON), "unknown device 0004a30b001c0530");
    dl = mue__v1__dead_letter__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
    MUE_ASSERT(dl != NULL);
    MUE_ASSERT_STR_EQ(dl->stage, stage);
    MUE_ASSERT_STR_EQ(dl->code, "unknown_device");
    MUE_ASSERT_STR_EQ(dl->reason, "unknown device 0004a30b001c0530");
    MUE_ASSERT_STR_EQ(dl->subject, orig_subject);
    MUE_ASSERT_UINT_EQ(dl->original.len, strlen(body));
    MUE_ASSERT(memcmp(dl->original.data, body, strlen(body)) == 0);
    MUE_ASSERT_STR_EQ(dl->original_id, orig_id);
    MUE_ASSERT(dl->time_us >= before - 1000000);
    MUE_ASSERT(dl->time_us <= mue_time_now_us() + 1000000);
    mue__v1__dead_letter__free_unpacked(dl, NULL);
    mue_bus_ack(m);
    mue_bus_batch_fini(&out);
    mue_bus_consumer_close(dlc);
}

static void test_a_redelivered_original_is_dead_lettered_once(void)
{
    char stage[64], orig_id[96];
    struct mue_bus_consumer *src = NULL, *dlc = NULL;
    struct mue_bus_batch in, out;
    natsMsg *orig;
    int n, more;

    snprintf(stage, sizeof(stage), "t%s_once", run_id);
    snprintf(orig_id, sizeof(orig_id), "cs:%s:2", run_id);
    orig = receive_original("dl2", "\x01\x02\x03", orig_id, &src, &in);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "decode_failed", "short", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "decode_failed", "short", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
    mue_bus_ack(orig);
    mue_bus_batch_fini(&in);
    mue_bus_consumer_close(src);

    n = fetch_dead_letters(stage, "dl2_out", &dlc, &out, 10, 2000);
    for (int i = 0; i < n; i++)
        mue_bus_ack(out.list.Msgs[i]);
    mue_bus_batch_fini(&out);
    more = fetch_dead_letters(stage, "dl2_out", &dlc, &out, 10, 500);
    mue_bus_batch_fini(&out);
    mue_bus_consumer_close(dlc);
    MUE_ASSERT_INT_EQ(n, 1);
    MUE_ASSERT_INT_EQ(more, 0);
}

static void test_an_original_without_an_id_gets_an_empty_original_id(void)
{
    char stage[64];
    struct mue_bus_consumer *src = NULL, *dlc = NULL;
    struct mue_bus_batch in, out;
    Mue__V1__DeadLetter *dl;
    natsMsg *orig;

    snprintf(stage, sizeof(stage), "t%s_noid", run_id);
    orig = receive_original("dl3", "raw", NULL, &src, &in);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "bad_json", "not json", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
    mue_bus_ack(orig);
    mue_bus_batch_fini(&in);
    mue_bus_consumer_close(src);

    MUE_ASSERT_INT_EQ(fetch_dead_letters(stage, "dl3_out", &dlc, &out, 10, 5000), 1);
    MUE_ASSERT(mue_bus_msg_header(out.list.Msgs[0], "Nats-Msg-Id") == NULL);
    dl = mue__v1__dead_letter__unpack(NULL, mue_bus_msg_len(out.list.Msgs[0]),
                                      mue_bus_msg_data(out.list.Msgs[0]));
    MUE_ASSERT(dl != NULL);
    MUE_ASSERT_STR_EQ(dl->original_id, "");
    MUE_ASSERT_STR_EQ(dl->code, "bad_json");
    MUE_ASSERT_UINT_EQ(dl->original.len, 3);
    MUE_ASSERT(memcmp(dl->original.data, "raw", 3) == 0);
    mue__v1__dead_letter__free_unpacked(dl, NULL);
    mue_bus_ack(out.list.Msgs[0]);
    mue_bus_batch_fini(&out);
    mue_bus_consumer_close(dlc);
}

static void test_dead_letters_are_counted_by_stage_and_code(void)
{
    char stage[64], line[192];
    struct mue_bus_consumer *src = NULL;
    struct mue_bus_batch in;
    natsMsg *orig;
    char *text;

    snprintf(stage, sizeof(stage), "t%s_count", run_id);
    orig = receive_original("dl4", "c", NULL, &src, &in);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "unknown_device", "r", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "unknown_device", "r", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, "decode_failed", "r", orig), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
    mue_bus_ack(orig);
    mue_bus_batch_fini(&in);
    mue_bus_consumer_close(src);
    text = mue_metrics_format();
    snprintf(line, sizeof(line), "\nmue_deadletter_total{stage=\"%s\",code=\"unknown_device\"} 2\n",
             stage);
    MUE_ASSERT(strstr(text, line) != NULL);
    snprintf(line, sizeof(line), "\nmue_deadletter_total{stage=\"%s\",code=\"decode_failed\"} 1\n",
             stage);
    MUE_ASSERT(strstr(text, line) != NULL);
    MUE_ASSERT(strstr(text, "# TYPE mue_deadletter_total counter\n") != NULL);
    free(text);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_dead_letter_carries_stage_code_reason_original_and_its_id),
        MUE_TEST(test_a_redelivered_original_is_dead_lettered_once),
        MUE_TEST(test_an_original_without_an_id_gets_an_empty_original_id),
        MUE_TEST(test_dead_letters_are_counted_by_stage_and_code),
    };
    const char *url = getenv("MUE_TEST_NATS_URL");
    struct mue_bus_opts opts = { url, "mue-test-deadletter", 5000, 1200, 604800, 1 };
    int rc;

    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("mue_deadletter: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(run_id, sizeof(run_id), "%ld_%lld", (long)getpid(), (long long)time(NULL));
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_bus_ensure_streams(bus) != MUE_OK) {
        fprintf(stderr, "cannot reach %s or create the streams\n", url);
        printf("mue_deadletter: 0 passed, 1 failed\n");
        mue_bus_close(bus);
        return 1;
    }
    rc = mue_test_run("mue_deadletter", tests);
    mue_bus_close(bus);
    delete_consumers(url);
    return rc;
}
