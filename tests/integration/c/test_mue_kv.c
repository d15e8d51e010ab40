/* test_mue_kv.c - mue_kv against a real nats-server: buckets made or bound, put, get, delete, TTL.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_bus.h"
#include "mue_err.h"
#include "mue_kv.h"
#include "../../unit/mue_test.h"
#include "server_test.h"

static struct mue_bus *bus;
static struct mue_kv *kv; /* the run's main bucket, opened in main */
static char bucket[64];   /* unique to this run */
static char ttl_bucket[72];

static void test_put_then_get_returns_the_value(void)
{
    char value[64] = "";

    MUE_ASSERT_INT_EQ(
        mue_kv_put(kv, "chirpstack.6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c", "lighting:cmd:42"),
        MUE_OK);
    MUE_ASSERT_INT_EQ(
        mue_kv_get(kv, "chirpstack.6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c", value, sizeof(value)),
        MUE_OK);
    MUE_ASSERT_STR_EQ(value, "lighting:cmd:42");
}

static void test_a_second_put_replaces_the_value(void)
{
    char value[64] = "";

    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.replace", "first"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.replace", "second"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.replace", value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "second");
}

static void test_an_absent_key_is_enoent_and_leaves_the_buffer(void)
{
    char value[16] = "untouched";

    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.never-written", value, sizeof(value)), MUE_ENOENT);
    MUE_ASSERT_STR_EQ(value, "untouched");
}

static void test_a_deleted_key_is_enoent_and_deleting_twice_is_fine(void)
{
    char value[16] = "";

    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.delete", "v"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_delete(kv, "k.delete"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.delete", value, sizeof(value)), MUE_ENOENT);
    MUE_ASSERT_INT_EQ(mue_kv_delete(kv, "k.delete"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_delete(kv, "k.absent"), MUE_OK);
    /* Written again after a delete, it is back. */
    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.delete", "again"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.delete", value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "again");
}

static void test_a_value_that_does_not_fit_is_e2big_and_one_that_just_fits_is_kept(void)
{
    char small[6] = "xxxxx", exact[7] = "";

    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.size", "123456"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.size", small, sizeof(small)), MUE_E2BIG);
    MUE_ASSERT_STR_EQ(small, "xxxxx");
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.size", exact, sizeof(exact)), MUE_OK);
    MUE_ASSERT_STR_EQ(exact, "123456");
}

static void test_keys_jetstream_refuses_are_einval(void)
{
    static const char *const bad[] = { "", "has space", "dot.", ".dot", "star*", "gt>", "a:b" };
    char value[16];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        MUE_ASSERT_INT_EQ(mue_kv_put(kv, bad[i], "v"), MUE_EINVAL);
        MUE_ASSERT_INT_EQ(mue_kv_get(kv, bad[i], value, sizeof(value)), MUE_EINVAL);
        MUE_ASSERT_INT_EQ(mue_kv_delete(kv, bad[i]), MUE_EINVAL);
    }
}

static void test_an_empty_value_is_a_value(void)
{
    char value[8] = "x";

    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.empty", ""), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.empty", value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "");
}

/* A second open binds to the existing bucket (its TTL argument is not applied) and sees the
 * same entries: two services, or two copies of one, share it. */
static void test_opening_an_existing_bucket_binds_to_it(void)
{
    struct mue_kv *other = NULL;
    char value[16] = "";

    MUE_ASSERT_INT_EQ(mue_kv_put(kv, "k.shared", "seen"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_open(&other, bus, bucket, 1), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(other, "k.shared", value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "seen");
    MUE_ASSERT_INT_EQ(mue_kv_put(other, "k.shared", "changed"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(kv, "k.shared", value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "changed");
    mue_kv_close(other);
}

static void test_entries_expire_after_the_bucket_ttl(void)
{
    struct mue_kv *t = NULL;
    char value[16] = "";
    long long t0;
    int rc = MUE_OK;

    MUE_ASSERT_INT_EQ(mue_kv_open(&t, bus, ttl_bucket, 1), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(t, "k.short", "lived"), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(t, "k.short", value, sizeof(value)), MUE_OK);
    t0 = mono_ms();
    while (mono_ms() - t0 < 5000) {
        rc = mue_kv_get(t, "k.short", value, sizeof(value));
        if (rc != MUE_OK)
            break;
        usleep(100000);
    }
    MUE_ASSERT_INT_EQ(rc, MUE_ENOENT);
    MUE_ASSERT(mono_ms() - t0 >= 500); /* not at once: after about a second */
    mue_kv_close(t);
}

static void test_bad_bucket_names_and_ttls_are_refused(void)
{
    struct mue_kv *t = (struct mue_kv *)&bus;

    MUE_ASSERT_INT_EQ(mue_kv_open(&t, bus, "has space", 0), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_kv_open(&t, bus, "dotted.name", 0), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_kv_open(&t, bus, bucket, -1), MUE_EINVAL);
    MUE_ASSERT(t == (struct mue_kv *)&bus); /* out untouched */
    mue_kv_close(NULL);
}

static void delete_bucket(const char *name)
{
    jsCtx *js = mue_bus_jetstream(bus);
    if (js != NULL)
        js_DeleteKeyValue(js, name);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_put_then_get_returns_the_value),
        MUE_TEST(test_a_second_put_replaces_the_value),
        MUE_TEST(test_an_absent_key_is_enoent_and_leaves_the_buffer),
        MUE_TEST(test_a_deleted_key_is_enoent_and_deleting_twice_is_fine),
        MUE_TEST(test_a_value_that_does_not_fit_is_e2big_and_one_that_just_fits_is_kept),
        MUE_TEST(test_keys_jetstream_refuses_are_einval),
        MUE_TEST(test_an_empty_value_is_a_value),
        MUE_TEST(test_opening_an_existing_bucket_binds_to_it),
        MUE_TEST(test_entries_expire_after_the_bucket_ttl),
        MUE_TEST(test_bad_bucket_names_and_ttls_are_refused),
    };
    struct mue_bus_opts opts = { 0 };
    const char *url = getenv("MUE_TEST_NATS_URL");
    int rc;

    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("mue_kv: 0 passed, 1 failed\n");
        return 1;
    }
    snprintf(bucket, sizeof(bucket), "test_kv_%ld_%lld", (long)getpid(), (long long)time(NULL));
    snprintf(ttl_bucket, sizeof(ttl_bucket), "%s_ttl", bucket);
    opts.url = url;
    opts.name = "mue-test-kv";
    opts.connect_timeout_ms = 5000;
    opts.duplicate_window_s = 1200;
    opts.max_age_s = 604800;
    opts.replicas = 1;
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_kv_open(&kv, bus, bucket, 3600) != MUE_OK) {
        fprintf(stderr, "cannot reach %s or create the bucket\n", url);
        printf("mue_kv: 0 passed, 1 failed\n");
        mue_bus_close(bus);
        return 1;
    }
    rc = mue_test_run("mue_kv", tests);
    mue_kv_close(kv);
    delete_bucket(bucket);
    delete_bucket(ttl_bucket);
    mue_bus_close(bus);
    nats_Close();
    return rc;
}
