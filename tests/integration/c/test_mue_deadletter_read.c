/* test_mue_deadletter_read.c - mue_deadletter_walk against a real nats-server: order, filters, the
 * scan bound, deleted and undecodable entries. What a test adds to the stream it deletes again.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_bus.h"
#include "mue_deadletter.h"
#include "mue_deadletter_read.h"
#include "mue_err.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "../../unit/mue_test.h"
#include "server_test.h"

static struct mue_bus *bus;
static char run_id[48]; /* makes stages unique to this run */

/* What a walk handed over, in order. */
struct seen {
    size_t n;
    uint64_t seq[16];
    char dev_eui[16][17];
    char code[16][32];
    size_t stop_after; /* 0: never stop */
    int fail_with;     /* returned on the first call when negative */
};

static int remember(const struct mue_deadletter_entry *e, void *arg)
{
    struct seen *s = arg;

    if (s->fail_with < 0)
        return s->fail_with;
    if (s->n < 16) {
        s->seq[s->n] = e->seq;
        snprintf(s->dev_eui[s->n], sizeof(s->dev_eui[0]), "%s", e->dev_eui);
        snprintf(s->code[s->n], sizeof(s->code[0]), "%s", e->code);
    }
    s->n++;
    return s->stop_after != 0 && s->n >= s->stop_after ? MUE_DEADLETTER_STOP : 0;
}

/* Dead-letters a message of 'subject' as 'stage' would, and waits until it is stored. */
static void dead_letter(const char *stage, const char *code, const char *subject)
{
    natsMsg *orig = NULL;

    MUE_ASSERT_INT_EQ(natsMsg_Create(&orig, subject, NULL, "body", 4), NATS_OK);
    MUE_ASSERT_INT_EQ(mue_deadletter_publish(bus, stage, code, "refused for the test", orig),
                      MUE_OK);
    natsMsg_Destroy(orig);
    MUE_ASSERT_INT_EQ(mue_bus_publish_async_wait(bus, 5000), MUE_OK);
}

static void make_stage(char *stage, size_t cap, const char *what)
{
    snprintf(stage, cap, "r%s_%s", run_id, what);
}

/* Deletes the entries a walk saw, so the suite's stream is left as it was. */
static void delete_seen(const struct seen *s)
{
    for (size_t i = 0; i < s->n && i < 16; i++)
        MUE_ASSERT_INT_EQ(mue_bus_stream_delete(bus, MUE_STREAM_DEADLETTER, s->seq[i]), MUE_OK);
}

static void test_walks_oldest_first_and_newest_first_with_each_entrys_fields(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &f, false, 0 };
    struct mue_deadletter_walk_stats st;
    struct seen up = { 0 }, down = { 0 };

    make_stage(stage, sizeof(stage), "order");
    dead_letter(stage, "unknown_device", "mue.uplink.test.A1B2C3D4E5F60001");
    dead_letter(stage, "decode_failed", "mue.uplink.test.a1b2c3d4e5f60002");
    dead_letter(stage, "bad_value", "mue.measure.waste.42");

    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &up, &st), 3);
    MUE_ASSERT_UINT_EQ(up.n, 3);
    MUE_ASSERT(up.seq[0] < up.seq[1] && up.seq[1] < up.seq[2]);
    MUE_ASSERT_STR_EQ(up.dev_eui[0], "a1b2c3d4e5f60001");
    MUE_ASSERT_STR_EQ(up.dev_eui[1], "a1b2c3d4e5f60002");
    MUE_ASSERT_STR_EQ(up.dev_eui[2], "");
    MUE_ASSERT_STR_EQ(up.code[1], "decode_failed");
    MUE_ASSERT(!st.truncated);
    MUE_ASSERT(st.scanned >= 3);

    o.newest_first = true;
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &down, NULL), 3);
    MUE_ASSERT_UINT_EQ(down.seq[0], up.seq[2]);
    MUE_ASSERT_UINT_EQ(down.seq[2], up.seq[0]);
    MUE_ASSERT_STR_EQ(down.code[0], "bad_value");
    delete_seen(&up);
}

static int check_fields(const struct mue_deadletter_entry *e, void *arg)
{
    const int64_t *before = arg;

    MUE_ASSERT_STR_EQ(e->code, "unknown_device");
    MUE_ASSERT_STR_EQ(e->reason, "refused for the test");
    MUE_ASSERT_STR_EQ(e->subject, "mue.uplink.test.a1b2c3d4e5f600ff");
    MUE_ASSERT_STR_EQ(e->original_id, "");
    MUE_ASSERT_UINT_EQ(e->original_len, 4);
    MUE_ASSERT(memcmp(e->original, "body", 4) == 0);
    MUE_ASSERT(e->time_us >= *before && e->time_us <= mue_time_now_us() + 1000000);
    return MUE_OK;
}

static void test_an_entry_carries_the_original_and_why(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &f, true, 0 };
    struct seen s = { 0 };
    int64_t before = mue_time_now_us() - 1000000;

    make_stage(stage, sizeof(stage), "fields");
    dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f600ff");
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, check_fields, &before, NULL), 1);
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &s, NULL), 1);
    delete_seen(&s);
}

static void test_filters_by_code_and_by_dev_eui_in_any_case(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, "unknown_device", NULL };
    struct mue_deadletter_walk_opts o = { &f, true, 0 };
    struct seen by_code = { 0 }, by_eui = { 0 }, all = { 0 };

    make_stage(stage, sizeof(stage), "filter");
    dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60011");
    dead_letter(stage, "decode_failed", "mue.uplink.test.a1b2c3d4e5f60012");
    dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60013");

    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &by_code, NULL), 2);
    MUE_ASSERT_STR_EQ(by_code.dev_eui[0], "a1b2c3d4e5f60013");
    MUE_ASSERT_STR_EQ(by_code.dev_eui[1], "a1b2c3d4e5f60011");
    f.code = NULL;
    f.dev_eui = "A1B2C3D4E5F60012";
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &by_eui, NULL), 1);
    MUE_ASSERT_STR_EQ(by_eui.code[0], "decode_failed");
    f.dev_eui = NULL;
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &all, NULL), 3);
    delete_seen(&all);
}

static void test_the_scan_bound_truncates_and_the_callback_may_stop(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &f, true, 2 };
    struct mue_deadletter_walk_stats st;
    struct seen bounded = { 0 }, stopped = { .stop_after = 1 }, all = { 0 };

    make_stage(stage, sizeof(stage), "bound");
    for (int i = 0; i < 4; i++)
        dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60021");

    /* Nothing else is published meanwhile: the 4 newest entries are this test's. */
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &bounded, &st), 2);
    MUE_ASSERT_UINT_EQ(st.scanned, 2);
    MUE_ASSERT(st.truncated);

    o.max_scan = 0;
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &stopped, &st), 1);
    MUE_ASSERT_UINT_EQ(st.scanned, 1);
    MUE_ASSERT(!st.truncated);
    MUE_ASSERT_UINT_EQ(stopped.seq[0], bounded.seq[0]);

    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &all, &st), 4);
    MUE_ASSERT(!st.truncated);
    delete_seen(&all);
}

static void test_deleted_entries_are_skipped_but_count_as_scanned(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &f, true, 3 };
    struct mue_deadletter_walk_stats st;
    struct seen before = { 0 }, after = { 0 };

    make_stage(stage, sizeof(stage), "deleted");
    for (int i = 0; i < 3; i++)
        dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60031");
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &before, NULL), 3);
    MUE_ASSERT_INT_EQ(mue_bus_stream_delete(bus, MUE_STREAM_DEADLETTER, before.seq[1]), MUE_OK);

    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &after, &st), 2);
    MUE_ASSERT_UINT_EQ(st.scanned, 3);
    MUE_ASSERT_UINT_EQ(after.seq[0], before.seq[0]);
    MUE_ASSERT_UINT_EQ(after.seq[1], before.seq[2]);
    delete_seen(&after);
}

static void test_a_callbacks_error_ends_the_walk_and_is_returned(void)
{
    char stage[64];
    struct mue_deadletter_filter f = { stage, NULL, NULL };
    struct mue_deadletter_walk_opts o = { &f, false, 0 };
    struct seen failing = { .fail_with = MUE_EBUS }, all = { 0 };

    make_stage(stage, sizeof(stage), "error");
    dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60041");
    dead_letter(stage, "unknown_device", "mue.uplink.test.a1b2c3d4e5f60042");
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &failing, NULL), MUE_EBUS);
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &all, NULL), 2);
    delete_seen(&all);
}

static void test_an_entry_that_is_not_a_dead_letter_is_skipped(void)
{
    /* Field 1 as a varint: wire type 0 where DeadLetter has a string. */
    static const char garbage[] = { 0x08, 0x01, (char)0xff };
    char subject[96];
    struct mue_deadletter_walk_opts o = { NULL, true, 1 };
    struct mue_deadletter_walk_stats st;
    struct seen s = { 0 };
    uint64_t first = 0, last = 0;
    natsMsg *m = NULL;

    snprintf(subject, sizeof(subject), MUE_SUBJ_DEADLETTER_FMT, "rgarbage");
    MUE_ASSERT_INT_EQ(
        mue_bus_publish(bus, subject, garbage, sizeof(garbage), NULL, NULL, 5000, NULL), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_deadletter_walk(bus, &o, remember, &s, &st), 0);
    MUE_ASSERT_UINT_EQ(st.scanned, 1);
    MUE_ASSERT_UINT_EQ(s.n, 0);
    /* The newest entry is the garbage: take it out again. */
    MUE_ASSERT_INT_EQ(mue_bus_stream_range(bus, MUE_STREAM_DEADLETTER, &first, &last), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_bus_stream_get(bus, MUE_STREAM_DEADLETTER, last, &m), MUE_OK);
    MUE_ASSERT_UINT_EQ(mue_bus_msg_len(m), sizeof(garbage));
    natsMsg_Destroy(m);
    MUE_ASSERT_INT_EQ(mue_bus_stream_delete(bus, MUE_STREAM_DEADLETTER, last), MUE_OK);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_walks_oldest_first_and_newest_first_with_each_entrys_fields),
        MUE_TEST(test_an_entry_carries_the_original_and_why),
        MUE_TEST(test_filters_by_code_and_by_dev_eui_in_any_case),
        MUE_TEST(test_the_scan_bound_truncates_and_the_callback_may_stop),
        MUE_TEST(test_deleted_entries_are_skipped_but_count_as_scanned),
        MUE_TEST(test_a_callbacks_error_ends_the_walk_and_is_returned),
        MUE_TEST(test_an_entry_that_is_not_a_dead_letter_is_skipped),
    };
    const char *url = getenv("MUE_TEST_NATS_URL");
    struct mue_bus_opts opts = { url, "mue-test-deadletter-read", 5000, 1200, 604800, 1 };
    int rc;

    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("mue_deadletter_read: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(run_id, sizeof(run_id), "%ld_%lld", (long)getpid(), (long long)time(NULL));
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_bus_ensure_streams(bus) != MUE_OK) {
        fprintf(stderr, "cannot reach %s or create the streams\n", url);
        printf("mue_deadletter_read: 0 passed, 1 failed\n");
        mue_bus_close(bus);
        return 1;
    }
    rc = mue_test_run("mue_deadletter_read", tests);
    mue_bus_close(bus);
    return rc;
}
