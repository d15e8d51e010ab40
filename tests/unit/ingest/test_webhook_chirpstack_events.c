/* test_webhook_chirpstack_events.c - unit tests for ChirpStack v4 events other than "up" (JSON
 * marshaler) and for the event dispatch of webhook_chirpstack_parse.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

#include "../mue_test.h"

/* Verbatim copies of the JSON examples of chirpstack-docs src/chirpstack/integrations/events.md
 * (the documented shape of each event), so the test needs no files at run time. */
static const char docs_status[] =
    "{\n"
    "\t\"deduplicationId\": \"bf2a9746-1c8b-49be-a92e-f0b89c8534e4\",\n"
    "\t\"time\": \"2022-07-18T09:35:06.927172638+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\"\n"
    "\t},\n"
    "\t\"margin\": 10,\n"
    "\t\"batteryLevel\": 88.3\n"
    "}\n";

static const char docs_join[] =
    "{\n"
    "\t\"deduplicationId\": \"c9dbe358-2578-4fb7-b295-66b44edc45a6\",\n"
    "\t\"time\": \"2022-07-18T09:33:28.823500726+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\",\n"
    "\t\t\"tags\": {\n"
    "\t\t\t\"key\": \"value\"\n"
    "\t\t}\n"
    "\t},\n"
    "\t\"devAddr\": \"00189440\"\n"
    "}\n";

static const char docs_ack[] =
    "{\n"
    "\t\"deduplicationId\": \"856a03e7-80f6-4c26-b971-9dcb34a59c2e\",\n"
    "\t\"time\": \"2022-07-18T09:38:49.235700766+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\",\n"
    "\t\t\"tags\": {\n"
    "\t\t\t\"key\": \"value\"\n"
    "\t\t}\n"
    "\t},\n"
    "\t\"queueItemId\": \"1bbcab1d-6ec6-4136-b3f5-d63be1dc08de\",\n"
    "\t\"acknowledged\": true,\n"
    "\t\"fCntDown\": 3\n"
    "}\n";

static const char docs_txack[] =
    "{\n"
    "\t\"downlinkId\": 3461958127,\n"
    "\t\"time\": \"2022-07-18T09:37:48.929184085+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\",\n"
    "\t\t\"tags\": {\n"
    "\t\t\t\"key\": \"value\"\n"
    "\t\t}\n"
    "\t},\n"
    "\t\"queueItemId\": \"42cb6459-a640-46ec-9623-bdff39dc4736\",\n"
    "\t\"fCntDown\": 2,\n"
    "\t\"gatewayId\": \"0016c001f153a14c\",\n"
    "\t\"txInfo\": {\n"
    "\t\t\"frequency\": 867900000,\n"
    "\t\t\"power\": 14,\n"
    "\t\t\"modulation\": {\n"
    "\t\t\t\"lora\": {\n"
    "\t\t\t\t\"bandwidth\": 125000,\n"
    "\t\t\t\t\"spreadingFactor\": 7,\n"
    "\t\t\t\t\"codeRate\": \"CR_4_5\",\n"
    "\t\t\t\t\"polarizationInversion\": true\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\t\"timing\": {\n"
    "\t\t\t\"delay\": {\n"
    "\t\t\t\t\"delay\": \"1s\"\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\t\"context\": \"ICYVGw==\"\n"
    "\t}\n"
    "}\n";

static const char docs_log[] =
    "{\n"
    "\t\"time\": \"2022-07-18T09:39:57.311414029+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\",\n"
    "\t\t\"tags\": {\n"
    "\t\t\t\"key\": \"value\"\n"
    "\t\t}\n"
    "\t},\n"
    "\t\"level\": \"ERROR\",\n"
    "\t\"code\": \"UPLINK_MIC\",\n"
    "\t\"description\": \"MIC of join-request is invalid, make sure keys are correct\",\n"
    "\t\"context\": {\n"
    "\t\t\"deduplication_id\": \"4e91db13-5ce3-4c8c-ab0f-dfc626cf0771\"\n"
    "\t}\n"
    "}\n";

static const char docs_location[] =
    "{\n"
    "\t\"deduplicationId\": \"63d870b9-b769-4d88-8b33-8e43f58851a7\",\n"
    "\t\"time\": \"2022-07-18T09:55:11.059481003+00:00\",\n"
    "\t\"deviceInfo\": {\n"
    "\t\t\"tenantId\": \"52f14cd4-c6f1-4fbd-8f87-4025e1d49242\",\n"
    "\t\t\"tenantName\": \"ChirpStack\",\n"
    "\t\t\"applicationId\": \"17c82e96-be03-4f38-aef3-f83d48582d97\",\n"
    "\t\t\"applicationName\": \"Test application\",\n"
    "\t\t\"deviceProfileId\": \"14855bf7-d10d-4aee-b618-ebfcb64dc7ad\",\n"
    "\t\t\"deviceProfileName\": \"Test device-profile\",\n"
    "\t\t\"deviceName\": \"Test device\",\n"
    "\t\t\"devEui\": \"0101010101010101\",\n"
    "\t\t\"tags\": {\n"
    "\t\t\t\"key\": \"value\"\n"
    "\t\t}\n"
    "\t},\n"
    "\t\"location\": {\n"
    "\t\t\"latitude\": 37.344214,\n"
    "\t\t\"longitude\": -8.839375,\n"
    "\t\t\"altitude\": 2\n"
    "\t}\n"
    "}\n";
/* The smallest identity the parser accepts, as a prefix to append fields to ('' stands for ""). */
#define DEV           "'deviceInfo':{'devEui':'0101010101010101'}"
#define DEDUP         "{'deduplicationId':'d-1'," DEV
#define LOG_HEAD      "{'time':'2024-01-02T03:04:05.000006Z'," DEV
#define LOG_ID_PREFIX "cs:log:0101010101010101:1704164645000006:"

static struct webhook_event ev;
static char reason[160];

/* Parses from a heap copy of exactly 'len' bytes: like an HTTP body, nothing follows it, and
 * ASan reports any read past the end. */
static int parse_raw(const char *event, const char *body, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    MUE_ASSERT(copy != NULL);
    memcpy(copy, body, len);
    memset(reason, 'x', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = '\0';
    rc = webhook_chirpstack_parse(event, copy, len, false, &ev, reason, sizeof(reason));
    free(copy);
    return rc;
}

static int parse_doc(const char *event, const char *doc)
{
    return parse_raw(event, doc, strlen(doc));
}

/* JSON written with ' for " reads better in C; none of these bodies needs a real apostrophe. */
static int parse_q(const char *event, const char *squoted)
{
    size_t len = strlen(squoted);
    char *body = malloc(len + 1);
    int rc;

    MUE_ASSERT(body != NULL);
    for (size_t i = 0; i <= len; i++)
        body[i] = squoted[i] == '\'' ? '"' : squoted[i];
    rc = parse_raw(event, body, len);
    free(body);
    return rc;
}

#define EXPECT_FAIL(event, body, why)                                                              \
    do {                                                                                           \
        MUE_ASSERT_INT_EQ(parse_q(event, body), MUE_EDECODE);                                      \
        MUE_ASSERT_STR_EQ(reason, why);                                                            \
    } while (0)

static void assert_docs_identity(void)
{
    MUE_ASSERT_STR_EQ(ev.up.network, "chirpstack");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0101010101010101");
    MUE_ASSERT_STR_EQ(ev.up.device_name, "Test device");
    MUE_ASSERT_STR_EQ(ev.up.application, "Test application");
}

static void test_docs_status(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("status", docs_status), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    assert_docs_identity();
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_STATUS);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:status:bf2a9746-1c8b-49be-a92e-f0b89c8534e4");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658136906927172));
    MUE_ASSERT(ev.dev.has_margin);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, 10);
    MUE_ASSERT(ev.dev.has_battery);
    MUE_ASSERT_DBL_NEAR(ev.dev.battery_pct, 88.3, 1e-9);
    MUE_ASSERT(!ev.dev.external_power);
}

static void test_docs_join(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("join", docs_join), 0);
    assert_docs_identity();
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_JOIN);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:join:c9dbe358-2578-4fb7-b295-66b44edc45a6");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658136808823500));
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "00189440");
}

static void test_docs_ack(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("ack", docs_ack), 0);
    assert_docs_identity();
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:ack:1bbcab1d-6ec6-4136-b3f5-d63be1dc08de");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658137129235700));
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_ACKED);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "1bbcab1d-6ec6-4136-b3f5-d63be1dc08de");
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 3);
    MUE_ASSERT_STR_EQ(ev.dl.source, "chirpstack:ack");
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "");
    MUE_ASSERT_STR_EQ(ev.dl.reason, "");
}

static void test_docs_txack(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("txack", docs_txack), 0);
    assert_docs_identity();
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:txack:3461958127:42cb6459-a640-46ec-9623-bdff39dc4736");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658137068929184));
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_SENT);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "42cb6459-a640-46ec-9623-bdff39dc4736");
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 2);
    MUE_ASSERT_STR_EQ(ev.dl.source, "chirpstack:txack");
}

static void test_docs_log(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("log", docs_log), 0);
    assert_docs_identity();
    /* UPLINK_MIC is about a join-request, not a downlink: a device log. */
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOG);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:log:0101010101010101:1658137197311414:UPLINK_MIC");
    MUE_ASSERT_STR_EQ(ev.dev.log_level, "ERROR");
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "UPLINK_MIC");
    MUE_ASSERT_STR_EQ(ev.dev.log_description,
                      "MIC of join-request is invalid, make sure keys are correct");
}

static void test_docs_location(void)
{
    MUE_ASSERT_INT_EQ(parse_doc("location", docs_location), 0);
    assert_docs_identity();
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOCATION);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:location:63d870b9-b769-4d88-8b33-8e43f58851a7");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658138111059481));
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 37.344214, 1e-12);
    MUE_ASSERT_DBL_NEAR(ev.dev.longitude, -8.839375, 1e-12);
    MUE_ASSERT_DBL_NEAR(ev.dev.altitude, 2, 1e-12);
}

/* Every cut of a documented body before its closing brace is refused, never read past. */
static void test_truncated_docs_are_refused(void)
{
    static const struct {
        const char *event, *doc;
    } docs[] = {
        { "status", docs_status }, { "join", docs_join }, { "ack", docs_ack },
        { "txack", docs_txack },   { "log", docs_log },   { "location", docs_location },
    };

    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t end = (size_t)(strrchr(docs[d].doc, '}') - docs[d].doc);
        for (size_t len = 0; len <= end; len++)
            MUE_ASSERT_INT_EQ(parse_raw(docs[d].event, docs[d].doc, len), MUE_EDECODE);
        MUE_ASSERT_INT_EQ(parse_raw(docs[d].event, docs[d].doc, end + 1), 0);
    }
}

static void test_status_omitted_fields_default(void)
{
    /* ChirpStack omits a margin of 0 and a battery level of 0: both are still reported. */
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP "}"), 0);
    MUE_ASSERT(ev.dev.has_margin);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, 0);
    MUE_ASSERT(ev.dev.has_battery);
    MUE_ASSERT_DBL_NEAR(ev.dev.battery_pct, 0, 0);
    MUE_ASSERT(!ev.dev.external_power);
    MUE_ASSERT_INT_EQ(ev.up.time_us, 0);
    MUE_ASSERT_STR_EQ(ev.up.device_name, "");
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'margin':-32,'batteryLevel':100}"), 0);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, -32);
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'margin':31}"), 0);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, 31);
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'margin':-5,'batteryLevel':100}"), 0);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, -5);
    MUE_ASSERT_DBL_NEAR(ev.dev.battery_pct, 100, 0);
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'margin':null,'batteryLevel':null}"), 0);
    MUE_ASSERT(ev.dev.has_battery);
}

static void test_status_without_battery(void)
{
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'margin':7,'externalPowerSource':true}"), 0);
    MUE_ASSERT(ev.dev.external_power);
    MUE_ASSERT(!ev.dev.has_battery);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, 7);
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'batteryLevelUnavailable':true}"), 0);
    MUE_ASSERT(!ev.dev.external_power);
    MUE_ASSERT(!ev.dev.has_battery);
    MUE_ASSERT_INT_EQ(parse_q("status", DEDUP ",'batteryLevelUnavailable':false,"
                                              "'externalPowerSource':false,'batteryLevel':50.5}"),
                      0);
    MUE_ASSERT(ev.dev.has_battery);
    MUE_ASSERT_DBL_NEAR(ev.dev.battery_pct, 50.5, 1e-12);
}

static void test_status_errors(void)
{
    EXPECT_FAIL("status", DEDUP ",'margin':'10'}", "margin: not an integer");
    EXPECT_FAIL("status", DEDUP ",'margin':10.5}", "margin: not an integer");
    EXPECT_FAIL("status", DEDUP ",'margin':32}", "margin: out of range");
    EXPECT_FAIL("status", DEDUP ",'margin':-33}", "margin: out of range");
    EXPECT_FAIL("status", DEDUP ",'margin':4294967296}", "margin: out of range");
    EXPECT_FAIL("status", DEDUP ",'batteryLevel':'88.3'}", "batteryLevel: not a number");
    EXPECT_FAIL("status", DEDUP ",'batteryLevel':100.5}", "batteryLevel: not a percentage");
    EXPECT_FAIL("status", DEDUP ",'batteryLevel':-1}", "batteryLevel: not a percentage");
    EXPECT_FAIL("status", DEDUP ",'externalPowerSource':'true'}",
                "externalPowerSource: not a boolean");
    EXPECT_FAIL("status", DEDUP ",'batteryLevelUnavailable':1}",
                "batteryLevelUnavailable: not a boolean");
}

static void test_join_dev_addr(void)
{
    MUE_ASSERT_INT_EQ(parse_q("join", DEDUP ",'devAddr':'01A2B3C4'}"), 0);
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "01a2b3c4");
    MUE_ASSERT_INT_EQ(parse_q("join", DEDUP "}"), 0);
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "");
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_JOIN);
    EXPECT_FAIL("join", DEDUP ",'devAddr':'0018944'}", "devAddr: not 8 hex digits");
    EXPECT_FAIL("join", DEDUP ",'devAddr':'001894401'}", "devAddr: not 8 hex digits");
    EXPECT_FAIL("join", DEDUP ",'devAddr':'0018944g'}", "devAddr: not 8 hex digits");
    EXPECT_FAIL("join", DEDUP ",'devAddr':1610612736}", "devAddr: not a string");
}

static void test_ack_defaults_to_nack(void)
{
    /* "For some integrations default values are omitted, which is equal to ack: false". */
    MUE_ASSERT_INT_EQ(parse_q("ack", "{" DEV ",'queueItemId':'q-1'}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_NACKED);
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:ack:q-1");
    MUE_ASSERT_INT_EQ(parse_q("ack", "{" DEV ",'queueItemId':'q-1','acknowledged':false,"
                                     "'fCntDown':4294967295}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_NACKED);
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, UINT32_MAX);
}

static void test_ack_errors(void)
{
    EXPECT_FAIL("ack", "{" DEV "}", "queueItemId: missing");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':7}", "queueItemId: not a string");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':''}",
                "queueItemId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'a b'}",
                "queueItemId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'q\\u00e9'}",
                "queueItemId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("ack",
                "{" DEV ",'queueItemId':'"
                "0123456789012345678901234567890123456789012345678901234567890123X'}",
                "queueItemId: not 1 to 64 printable characters without spaces");
    MUE_ASSERT_INT_EQ(parse_q("ack",
                              "{" DEV ",'queueItemId':'"
                              "0123456789012345678901234567890123456789012345678901234567890123'}"),
                      0);
    MUE_ASSERT_UINT_EQ(strlen(ev.dl.network_ref), 64);
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'q','acknowledged':'true'}",
                "acknowledged: not a boolean");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'q','fCntDown':'3'}",
                "fCntDown: not an unsigned integer");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'q','fCntDown':-1}",
                "fCntDown: not an unsigned integer");
    EXPECT_FAIL("ack", "{" DEV ",'queueItemId':'q','fCntDown':4294967296}",
                "fCntDown: out of range");
}

static void test_txack_fields(void)
{
    MUE_ASSERT_INT_EQ(parse_q("txack", "{" DEV ",'queueItemId':'q-2'}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:txack:0:q-2");
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_SENT);
    MUE_ASSERT_INT_EQ(parse_q("txack", "{" DEV ",'queueItemId':'q-2','downlinkId':4294967295}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:txack:4294967295:q-2");
    EXPECT_FAIL("txack", "{" DEV ",'downlinkId':1}", "queueItemId: missing");
    EXPECT_FAIL("txack", "{" DEV ",'queueItemId':'q','downlinkId':4294967296}",
                "downlinkId: out of range");
    EXPECT_FAIL("txack", "{" DEV ",'queueItemId':'q','downlinkId':'3461958127'}",
                "downlinkId: not an unsigned integer");
    EXPECT_FAIL("txack", "{" DEV ",'queueItemId':'q','fCntDown':2.5}",
                "fCntDown: not an unsigned integer");
}

static void test_log_downlink_codes(void)
{
    /* The body ChirpStack's downlink/data.rs sends when it drops an expired queue item. */
    MUE_ASSERT_INT_EQ(parse_q("log",
                              LOG_HEAD ",'level':'ERROR','code':'EXPIRED','description':"
                                       "'Device queue-item discarded because it has expired',"
                                       "'context':{'queue_item_id':'9d5a-q'}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_EXPIRED);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "9d5a-q");
    MUE_ASSERT_STR_EQ(ev.dl.reason, "EXPIRED: Device queue-item discarded because it has expired");
    MUE_ASSERT_STR_EQ(ev.dl.source, "chirpstack:log");
    MUE_ASSERT_STR_EQ(ev.up.id, LOG_ID_PREFIX "EXPIRED");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1704164645000006));

    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'level':'ERROR','code':'DOWNLINK_PAYLOAD_SIZE',"
                                              "'context':{'max_payload_size':'51','item_size':'60',"
                                              "'queue_item_id':'q-3'}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "q-3");
    MUE_ASSERT_STR_EQ(ev.dl.reason, "DOWNLINK_PAYLOAD_SIZE");
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':'F_CNT_DOWN','context':{'queue_item_id':"
                                              "'q-4','device_f_cnt_down':'7'}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "q-4");
    /* A gateway's refusal leaves the item queued for the next chance, and ChirpStack names no
     * queue item: only a log line of the device. So are codec errors and future DOWNLINK_
     * codes, and a final code without its queue item (one of ChirpStack's own MAC commands). */
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':'DOWNLINK_GATEWAY','description':"
                                              "'TOO_LATE'}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOG);
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "DOWNLINK_GATEWAY");
    MUE_ASSERT_STR_EQ(ev.dev.log_description, "TOO_LATE");
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':'DOWNLINK_CODEC'}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':'DOWNLINK_SOMETHING_NEW'}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':'F_CNT_DOWN','context':{}}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    /* Enums as numbers, which the protobuf JSON mapping allows: 11 is EXPIRED, 2 ERROR. */
    MUE_ASSERT_INT_EQ(
        parse_q("log", LOG_HEAD ",'level':2,'code':11,'context':{'queue_item_id':'q-5'}}"), 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_EXPIRED);
    MUE_ASSERT_STR_EQ(ev.up.id, LOG_ID_PREFIX "EXPIRED");
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'context':{'queue_item_id':''},'code':11}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
}

static void test_log_device_codes(void)
{
    /* INFO and UNKNOWN are the zero values ChirpStack omits. */
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD "}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOG);
    MUE_ASSERT_STR_EQ(ev.dev.log_level, "INFO");
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "UNKNOWN");
    MUE_ASSERT_STR_EQ(ev.dev.log_description, "");
    MUE_ASSERT_STR_EQ(ev.up.id, LOG_ID_PREFIX "UNKNOWN");
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'level':'WARNING','code':'UPLINK_F_CNT_RESET',"
                                              "'context':{'queue_item_id':'ignored here'}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOG);
    MUE_ASSERT_STR_EQ(ev.dev.log_level, "WARNING");
    /* An unknown number is kept as its digits: a newer ChirpStack may add codes. */
    MUE_ASSERT_INT_EQ(parse_q("log", LOG_HEAD ",'code':42}"), 0);
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "42");
    MUE_ASSERT_STR_EQ(ev.up.id, LOG_ID_PREFIX "42");
}

static void test_log_errors(void)
{
    EXPECT_FAIL("log", "{" DEV "}", "time: missing (it identifies a log event)");
    EXPECT_FAIL("log", LOG_HEAD ",'level':'error'}", "level: not a log level name");
    EXPECT_FAIL("log", LOG_HEAD ",'level':''}", "level: not a log level name");
    EXPECT_FAIL("log", LOG_HEAD ",'level':-1}", "level: not a log level name");
    EXPECT_FAIL("log", LOG_HEAD ",'code':'EXPIRED now'}", "code: not a log code name");
    EXPECT_FAIL("log", LOG_HEAD ",'code':'A_CODE_NAME_LONGER_THAN_FORTY_SEVEN_CHARACTERS_X'}",
                "code: not a log code name");
    EXPECT_FAIL("log", LOG_HEAD ",'code':true}", "code: not an enum name or number");
    EXPECT_FAIL("log", LOG_HEAD ",'code':1.5}", "code: not an enum name or number");
    EXPECT_FAIL("log", LOG_HEAD ",'code':4294967296}", "code: out of range");
    EXPECT_FAIL("log", LOG_HEAD ",'description':5}", "description: not a string");
    EXPECT_FAIL("log", LOG_HEAD ",'context':[]}", "context: not an object");
    EXPECT_FAIL("log", LOG_HEAD ",'code':'EXPIRED','context':{'queue_item_id':5}}",
                "context.queue_item_id: not a string");
    EXPECT_FAIL("log", LOG_HEAD ",'code':'EXPIRED','context':{'queue_item_id':'a b'}}",
                "context.queue_item_id: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("log", "{'time':'2024-01-02'," DEV "}", "time: not an RFC 3339 time");
}

static void test_log_texts_are_cut_on_a_character(void)
{
    char body[1024], text[400];

    /* 254 ASCII bytes then a two-byte 'é': the 256th byte would split it. */
    memset(text, 'd', 254);
    strcpy(text + 254, "\xc3\xa9 and more");
    snprintf(body, sizeof(body),
             "{\"time\":\"2024-01-02T03:04:05Z\",\"deviceInfo\":{\"devEui\":\"0101010101010101\"},"
             "\"code\":\"OTAA\",\"description\":\"%s\"}",
             text);
    MUE_ASSERT_INT_EQ(parse_raw("log", body, strlen(body)), 0);
    MUE_ASSERT_UINT_EQ(strlen(ev.dev.log_description), 254);
    /* As a downlink status the code comes first: "EXPIRED: " + 246 'd's, then the 'é' is cut. */
    snprintf(body, sizeof(body),
             "{\"time\":\"2024-01-02T03:04:05Z\",\"deviceInfo\":{\"devEui\":\"0101010101010101\"},"
             "\"code\":\"EXPIRED\",\"description\":\"%s\",\"context\":{\"queue_item_id\":\"q\"}}",
             text + 8);
    MUE_ASSERT_INT_EQ(parse_raw("log", body, strlen(body)), 0);
    MUE_ASSERT_UINT_EQ(strlen(ev.dl.reason), 9 + 246);
    MUE_ASSERT(strncmp(ev.dl.reason, "EXPIRED: ddd", 12) == 0);
}

static void test_location_fields(void)
{
    MUE_ASSERT_INT_EQ(parse_q("location", DEDUP "}"), 0);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOCATION);
    MUE_ASSERT(!ev.dev.has_location);
    /* ChirpStack omits zero coordinates; the object itself says there is a fix. */
    MUE_ASSERT_INT_EQ(parse_q("location", DEDUP ",'location':{}}"), 0);
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 0, 0);
    MUE_ASSERT_INT_EQ(parse_q("location", DEDUP ",'location':{'latitude':-90,'longitude':180,"
                                                "'altitude':-12.5,'source':'GEO_RESOLVER_TDOA'}}"),
                      0);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, -90, 0);
    MUE_ASSERT_DBL_NEAR(ev.dev.longitude, 180, 0);
    MUE_ASSERT_DBL_NEAR(ev.dev.altitude, -12.5, 0);
    EXPECT_FAIL("location", DEDUP ",'location':[]}", "location: not an object");
    EXPECT_FAIL("location", DEDUP ",'location':{'latitude':90.5}}",
                "location.latitude: out of range");
    EXPECT_FAIL("location", DEDUP ",'location':{'longitude':-181}}",
                "location.longitude: out of range");
    EXPECT_FAIL("location", DEDUP ",'location':{'altitude':'2'}}",
                "location.altitude: not a number");
}

static void test_identity_errors(void)
{
    static const char *const with_dedup[] = { "join", "status", "location" };
    static const char *const any[] = { "join", "status", "location", "ack", "txack", "log" };

    for (size_t i = 0; i < sizeof(with_dedup) / sizeof(with_dedup[0]); i++) {
        EXPECT_FAIL(with_dedup[i], "{" DEV "}", "deduplicationId: missing");
        EXPECT_FAIL(with_dedup[i], "{'deduplicationId':'a b'," DEV "}",
                    "deduplicationId: not 1 to 64 printable characters without spaces");
    }
    for (size_t i = 0; i < sizeof(any) / sizeof(any[0]); i++) {
        EXPECT_FAIL(any[i], "{'deduplicationId':'d'}", "deviceInfo: missing");
        EXPECT_FAIL(any[i], "{'deduplicationId':'d','deviceInfo':{'devEui':'AQEBAQEBAQE='}}",
                    "deviceInfo.devEui: not 16 hex digits");
        EXPECT_FAIL(any[i],
                    "{'deduplicationId':'d','deviceInfo':{'devEui':'0101010101010101',"
                    "'deviceName':[]}}",
                    "deviceInfo.deviceName: not a string");
        EXPECT_FAIL(any[i], "{'deduplicationId':'d','time':'yesterday'," DEV "}",
                    "time: not an RFC 3339 time");
        EXPECT_FAIL(any[i], "[]", "body is not a JSON object");
    }
    MUE_ASSERT_INT_EQ(parse_q("ack", "{'deviceInfo':{'devEui':'A84041000181854B'},"
                                     "'queueItemId':'q'}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "a84041000181854b");
}

static void test_body_of_another_event(void)
{
    /* A status body posted as an ack has no queue item. */
    MUE_ASSERT_INT_EQ(parse_doc("ack", docs_status), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "queueItemId: missing");
    /* A log posted as a join has no deduplication id. */
    MUE_ASSERT_INT_EQ(parse_doc("join", docs_log), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "deduplicationId: missing");
}

static void test_event_names(void)
{
    struct webhook_event e;
    static const char body[] = "{}";

    memset(&e, 0x5a, sizeof(e));
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse("integration", body, 2, false, &e, reason, sizeof(reason)),
        MUE_ENOTSUP);
    MUE_ASSERT_STR_EQ(reason, "event: 'integration' events are not handled");
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse("integration", body, 2, true, &e, reason, sizeof(reason)),
        MUE_ENOTSUP);
    /* An unknown name is not echoed: it comes from the caller. */
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse("UP<script>", body, 2, false, &e, reason, sizeof(reason)),
        MUE_ENOTSUP);
    MUE_ASSERT_STR_EQ(reason, "event: not one of up, join, status, ack, txack, log, location");
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse("Up", body, 2, false, &e, reason, sizeof(reason)),
                      MUE_ENOTSUP);
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse(NULL, body, 2, false, &e, reason, sizeof(reason)),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "event: missing");
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse("", body, 2, false, &e, reason, sizeof(reason)),
                      MUE_EDECODE);
    /* *out is untouched by any refusal. */
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[sizeof(e) - 1], 0x5a);
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse("status", body, 2, false, &e, NULL, 0), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
}

static void test_up_through_the_dispatch(void)
{
    MUE_ASSERT_INT_EQ(parse_q("up", DEDUP ",'fPort':2,'data':'AQI='}"), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:d-1");
    MUE_ASSERT_STR_EQ(ev.up.network, "chirpstack");
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 2);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 2);
}

static void test_reason_buffer_sizes(void)
{
    char small[8];

    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse("ack", "{}", 2, false, &ev, small, sizeof(small)),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(small, "deviceI"); /* cut, but terminated */
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse("nope", "{}", 2, false, &ev, small, 1), MUE_ENOTSUP);
    MUE_ASSERT_STR_EQ(small, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_docs_status),
        MUE_TEST(test_docs_join),
        MUE_TEST(test_docs_ack),
        MUE_TEST(test_docs_txack),
        MUE_TEST(test_docs_log),
        MUE_TEST(test_docs_location),
        MUE_TEST(test_truncated_docs_are_refused),
        MUE_TEST(test_status_omitted_fields_default),
        MUE_TEST(test_status_without_battery),
        MUE_TEST(test_status_errors),
        MUE_TEST(test_join_dev_addr),
        MUE_TEST(test_ack_defaults_to_nack),
        MUE_TEST(test_ack_errors),
        MUE_TEST(test_txack_fields),
        MUE_TEST(test_log_downlink_codes),
        MUE_TEST(test_log_device_codes),
        MUE_TEST(test_log_errors),
        MUE_TEST(test_log_texts_are_cut_on_a_character),
        MUE_TEST(test_location_fields),
        MUE_TEST(test_identity_errors),
        MUE_TEST(test_body_of_another_event),
        MUE_TEST(test_event_names),
        MUE_TEST(test_up_through_the_dispatch),
        MUE_TEST(test_reason_buffer_sizes),
    };
    return mue_test_run("webhook_chirpstack_events", tests);
}
