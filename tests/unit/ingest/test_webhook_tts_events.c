/* test_webhook_tts_events.c - unit tests for webhook_tts_parse: every TTS v3 message type.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

#define WEBHOOK_TEST_PARSE webhook_tts_parse
#include "webhook_test.h"

/* The join-accept, downlink event and downlink failed examples of TheThingsIndustries/
 * lorawan-stack-docs doc/content/integrations/data-formats/_index.md, verbatim. */
static const char docs_join[] =
    "{\n"
    "  \"end_device_ids\" : {\n"
    "    \"device_id\" : \"dev1\",\n"
    "    \"application_ids\" : {\n"
    "      \"application_id\" : \"app1\"\n"
    "    },\n"
    "    \"dev_eui\" : \"0004A30B001C0530\",\n"
    "    \"join_eui\" : \"800000000000000C\",\n"
    "    \"dev_addr\" : \"01497ECC\"\n"
    "  },\n"
    "  \"correlation_ids\" : [\n"
    "    \"as:up:01E191YN5F2HMBQCBCVRF731VY\",\n"
    "    \"gs:conn:01E191S6ZEWB630NTR45K5QN4Q\",\n"
    "    \"gs:uplink:01E191YMZ2S7ZRTEGATVE2S3HH\",\n"
    "    \"ns:uplink:01E191YMZ2J64K6FEW5F0WE7TQ\",\n"
    "    \"rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E191YMZ2KK3TJYG5C4XZP8JK\"\n"
    "  ],\n"
    "  \"received_at\" : \"2020-02-17T07:49:09.935284891Z\",\n"
    "  \"join_accept\" : {\n"
    "    \"session_key_id\" : \"AXBSH1Pk6Z0G166RlH16CQ==\",\n"
    "    \"received_at\" : \"2020-02-17T07:49:09.736532315Z\"\n"
    "  }\n"
    "}\n";

static const char docs_downlink_ack[] =
    "{\n"
    "  \"end_device_ids\" : {\n"
    "    \"device_id\" : \"dev1\",\n"
    "    \"application_ids\" : {\n"
    "      \"application_id\" : \"app1\"\n"
    "    },\n"
    "    \"dev_eui\" : \"0004A30B001C0530\",\n"
    "    \"join_eui\" : \"800000000000000C\",\n"
    "    \"dev_addr\" : \"00C30DFA\"\n"
    "  },\n"
    "  \"correlation_ids\" : [\n"
    "    \"as:downlink:01E19B99501X84X6CV471TVSZ1\",\n"
    "    \"as:up:01E19B9J8ED6HZW5CC41KPGHVD\",\n"
    "    \"gs:conn:01E191S6ZEWB630NTR45K5QN4Q\",\n"
    "    \"gs:uplink:01E19B9J17SRJWJ4GV3MCJHNWZ\",\n"
    "    \"ns:uplink:01E19B9J1CG3QNWS5M8G3DBMPN\",\n"
    "    \"rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E19B9J17K85MJ1MXPHTW0410\"\n"
    "  ],\n"
    "  \"received_at\" : \"2020-02-17T10:32:24.590413417Z\",\n"
    "  \"downlink_ack\" : {\n"
    "    \"session_key_id\" : \"AXBSp8v2brG0jqkri+sIkw==\",\n"
    "    \"f_port\" : 15,\n"
    "    \"f_cnt\" : 1,\n"
    "    \"frm_payload\" : \"vu8=\",\n"
    "    \"confirmed\" : true,\n"
    "    \"priority\" : \"NORMAL\",\n"
    "    \"correlation_ids\" : [ \"as:downlink:01E19B99501X84X6CV471TVSZ1\" ]\n"
    "  }\n"
    "}\n";

/* The docs' example has no dev_eui (its device has none): mue refuses it. */
#define DOCS_FAILED_BODY(ids)                                                                      \
    "{\n"                                                                                          \
    "  \"end_device_ids\" : {\n"                                                                   \
    "    \"device_id\" : \"dev1\",\n" ids "    \"application_ids\" : {\n"                          \
    "      \"application_id\" : \"app1\"\n"                                                        \
    "    }\n"                                                                                      \
    "  },\n"                                                                                       \
    "  \"correlation_ids\" : [ \"as:downlink:01E19Z5W3BZBG7CXSJE9C0A3CE\" ],\n"                    \
    "  \"downlink_failed\" : {\n"                                                                  \
    "    \"downlink\" : {\n"                                                                       \
    "      \"f_port\" : 15,\n"                                                                     \
    "      \"frm_payload\" : \"vu8=\",\n"                                                          \
    "      \"confirmed\" : true,\n"                                                                \
    "      \"priority\" : \"NORMAL\",\n"                                                           \
    "      \"correlation_ids\" : [ \"as:downlink:01E19Z5W3BZBG7CXSJE9C0A3CE\" ]\n"                 \
    "    },\n"                                                                                     \
    "    \"error\" : {\n"                                                                          \
    "      \"namespace\" : \"pkg/networkserver\",\n"                                               \
    "      \"name\" : \"application_downlink_too_long\",\n"                                        \
    "      \"message_format\" : \"application downlink payload is too long\",\n"                   \
    "      \"correlation_id\" : \"2e7f786912e946e597894e381d0ad7b0\",\n"                           \
    "      \"code\" : 3\n"                                                                         \
    "    }\n"                                                                                      \
    "  }\n"                                                                                        \
    "}\n"

static const char docs_downlink_failed[] = DOCS_FAILED_BODY("");
static const char docs_downlink_failed_with_eui[] =
    DOCS_FAILED_BODY("    \"dev_eui\" : \"0004A30B001C0530\",\n");

/* Prefix to complete: the device, a correlation id and the AS reception time. */
#define IDS  "{'end_device_ids':{'dev_eui':'0004A30B001C0530'}"
#define HEAD IDS ",'received_at':'2020-02-17T10:32:24.590413417Z'"

static void test_docs_join(void)
{
    MUE_ASSERT_INT_EQ(parse_s(docs_join), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_JOIN);
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "01497ecc");
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:join:0004a30b001c0530:01E191YN5F2HMBQCBCVRF731VY");
    MUE_ASSERT_STR_EQ(ev.up.network, "tts");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0004a30b001c0530");
    MUE_ASSERT_STR_EQ(ev.up.device_name, "dev1");
    MUE_ASSERT_STR_EQ(ev.up.application, "app1");
    /* join_accept.received_at, the Network Server's, before the top-level one. */
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1581925749736532));
    MUE_ASSERT(!ev.dev.has_location);
    MUE_ASSERT_INT_EQ(ev.dl.state, 0);
}

static void test_join_variants(void)
{
    /* No as:up id: the top-level received_at, as sent; DevAddr in the message. */
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'received_at':'2020-02-17T07:49:09.935284891Z',"
                                  "'join_accept':{'dev_addr':'26011F2B'}}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:join:0004a30b001c0530:2020-02-17T07:49:09.935284891Z");
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "26011f2b");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1581925749935284));
    /* Then the message's own; no DevAddr at all is allowed. */
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'join_accept':{'received_at':'2020-02-17T07:49:09.7Z'}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:join:0004a30b001c0530:2020-02-17T07:49:09.7Z");
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "");
    EXPECT_FAIL(IDS ",'join_accept':{}}", "no correlation id nor received_at to identify the join");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C0530','dev_addr':'1497ECC'},"
                "'join_accept':{}}",
                "end_device_ids.dev_addr: not 8 hex digits");
    EXPECT_FAIL(IDS ",'join_accept':{'dev_addr':'01497ECG'}}",
                "join_accept.dev_addr: not 8 hex digits");
    EXPECT_FAIL(IDS ",'join_accept':{'dev_addr':1}}", "join_accept.dev_addr: not a string");
    EXPECT_FAIL(IDS ",'join_accept':{'received_at':'yesterday'}}",
                "join_accept.received_at: not an RFC 3339 time");
    EXPECT_FAIL(IDS ",'correlation_ids':['as:up:a b'],'join_accept':{}}",
                "correlation_ids[0]: not printable characters without spaces");
    EXPECT_FAIL("{'end_device_ids':{'device_id':'d'},'join_accept':{}}",
                "end_device_ids.dev_eui: missing");
    EXPECT_FAIL(IDS ",'join_accept':[]}", "join_accept: not an object");
}

static void test_docs_downlink_ack(void)
{
    MUE_ASSERT_INT_EQ(parse_s(docs_downlink_ack), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_ACKED);
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 1);
    /* Not a downlink mue queued: no mue id to report on, the counter stands in the id. */
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "");
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "");
    MUE_ASSERT_STR_EQ(ev.dl.reason, "");
    MUE_ASSERT_STR_EQ(ev.dl.source, "tts:downlink_ack");
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:downlink_ack:0004a30b001c0530:1:1581935544590413");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1581935544590413));
    MUE_ASSERT_STR_EQ(ev.up.device_name, "dev1");
    MUE_ASSERT_STR_EQ(ev.up.network, "tts");
}

static void test_downlink_states_and_mue_id(void)
{
    static const struct {
        const char *member;
        enum webhook_downlink_state state;
    } cases[] = {
        { "downlink_queued", WEBHOOK_DL_QUEUED },
        { "downlink_sent", WEBHOOK_DL_SENT },
        { "downlink_ack", WEBHOOK_DL_ACKED },
        { "downlink_nack", WEBHOOK_DL_NACKED },
    };
    char body[512], id[160], source[40];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(body, sizeof(body),
                 HEAD ",'%s':{'f_port':2,'f_cnt':7,'correlation_ids':['as:downlink:D1',"
                      "'mue:dl:','mue:dl:req-42','mue:dl:other']}}",
                 cases[i].member);
        MUE_ASSERT_INT_EQ(parse_q(body), 0);
        MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
        MUE_ASSERT_INT_EQ(ev.dl.state, cases[i].state);
        MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 7);
        /* The first non-empty mue:dl: id. */
        MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "req-42");
        snprintf(source, sizeof(source), "tts:%s", cases[i].member);
        MUE_ASSERT_STR_EQ(ev.dl.source, source);
        snprintf(id, sizeof(id), "tts:%s:0004a30b001c0530:req-42:1581935544590413",
                 cases[i].member);
        MUE_ASSERT_STR_EQ(ev.up.id, id);
    }
    /* f_cnt 0 is omitted by TTS. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'downlink_queued':{}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:downlink_queued:0004a30b001c0530:0:1581935544590413");
}

static void test_docs_downlink_failed(void)
{
    MUE_ASSERT_INT_EQ(parse_s(docs_downlink_failed), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "end_device_ids.dev_eui: missing");

    MUE_ASSERT_INT_EQ(parse_s(docs_downlink_failed_with_eui), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    MUE_ASSERT_STR_EQ(ev.dl.reason, "pkg/networkserver:application_downlink_too_long: "
                                    "application downlink payload is too long");
    MUE_ASSERT_STR_EQ(ev.dl.source, "tts:downlink_failed");
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 0);
    /* No received_at in this example: the downlink's as:downlink ULID ends the id instead. */
    MUE_ASSERT_STR_EQ(ev.up.id,
                      "tts:downlink_failed:0004a30b001c0530:0:01E19Z5W3BZBG7CXSJE9C0A3CE");
    MUE_ASSERT_INT_EQ(ev.up.time_us, 0);
}

static void test_downlink_failed_variants(void)
{
    char body[1024], text[400];

    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'downlink_failed':{'downlink':{'f_cnt':3,"
                                   "'correlation_ids':['mue:dl:r1']},'error':{'name':'n'}}}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.dl.reason, "n");
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "r1");
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:downlink_failed:0004a30b001c0530:r1:1581935544590413");
    MUE_ASSERT_INT_EQ(
        parse_q(HEAD ",'downlink_failed':{'downlink':{},'error':{'message_format':'m'}}}"), 0);
    MUE_ASSERT_STR_EQ(ev.dl.reason, "m");
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'downlink_failed':{'downlink':{},'error':{'namespace':'ns',"
                                   "'message_format':'m'}}}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.dl.reason, "ns: m");
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'downlink_failed':{'downlink':{}}}"), 0);
    MUE_ASSERT_STR_EQ(ev.dl.reason, "");
    /* A long message is cut to fit, never inside a character: 'é' is two bytes. */
    memset(text, 0, sizeof(text));
    for (size_t i = 0; i + 2 < 300; i += 2)
        memcpy(text + i, "\xc3\xa9", 2);
    snprintf(body, sizeof(body),
             HEAD ",'downlink_failed':{'downlink':{},'error':{'name':'x','message_format':'%s'}}}",
             text);
    MUE_ASSERT_INT_EQ(parse_q(body), 0);
    MUE_ASSERT(strlen(ev.dl.reason) < sizeof(ev.dl.reason));
    MUE_ASSERT(strlen(ev.dl.reason) > 200);
    MUE_ASSERT(((unsigned char)ev.dl.reason[strlen(ev.dl.reason) - 1]) == 0xa9);

    EXPECT_FAIL(HEAD ",'downlink_failed':{'error':{}}}", "downlink_failed.downlink: missing");
    EXPECT_FAIL(HEAD ",'downlink_failed':{'downlink':[]}}",
                "downlink_failed.downlink: not an object");
    EXPECT_FAIL(HEAD ",'downlink_failed':{'downlink':{},'error':'boom'}}",
                "downlink_failed.error: not an object");
    EXPECT_FAIL(HEAD ",'downlink_failed':{'downlink':{},'error':{'name':3}}}",
                "downlink_failed.error.name: not a string");
    EXPECT_FAIL(HEAD ",'downlink_failed':{'downlink':{'f_cnt':'3'}}}",
                "downlink_failed.downlink.f_cnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'downlink_failed':{'downlink':{'correlation_ids':[1]}}}",
                "downlink_failed.downlink.correlation_ids[0]: not a string");
}

static void test_downlink_field_errors(void)
{
    char body[512], long_id[200];

    EXPECT_FAIL(HEAD ",'downlink_ack':{'f_cnt':-1}}",
                "downlink_ack.f_cnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'downlink_ack':{'correlation_ids':'mue:dl:x'}}",
                "downlink_ack.correlation_ids: not an array");
    EXPECT_FAIL(HEAD ",'downlink_sent':{'correlation_ids':['as:downlink:A',7]}}",
                "downlink_sent.correlation_ids[1]: not a string");
    EXPECT_FAIL(HEAD ",'downlink_ack':{'correlation_ids':['mue:dl:a b']}}",
                "downlink_ack.correlation_ids[0]: mue downlink id not 1 to 127 printable "
                "characters without spaces");
    EXPECT_FAIL(IDS ",'received_at':12,'downlink_ack':{}}", "received_at: not a string");
    EXPECT_FAIL(IDS ",'received_at':'now','downlink_ack':{}}", "received_at: not an RFC 3339 time");
    /* Neither a time nor an as:downlink id: a retried webhook could not be told from a new one. */
    EXPECT_FAIL(IDS ",'downlink_nack':{'correlation_ids':['mue:dl:r']}}",
                "no received_at nor as:downlink correlation id to identify the downlink event");
    /* The top level's as:downlink id does when the downlink's own list has none. */
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'correlation_ids':['as:downlink:TOP'],'downlink_nack':{}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:downlink_nack:0004a30b001c0530:0:TOP");

    /* A 127-character mue id fits downlink_id but not, with the rest, the event id. */
    memset(long_id, 'r', 127);
    long_id[127] = '\0';
    snprintf(body, sizeof(body), HEAD ",'downlink_queued':{'correlation_ids':['mue:dl:%s']}}",
             long_id);
    EXPECT_FAIL(body, "downlink id too long for an event id");
    snprintf(body, sizeof(body), HEAD ",'downlink_queued':{'correlation_ids':['mue:dl:%sr']}}",
             long_id);
    EXPECT_FAIL(body, "downlink_queued.correlation_ids[0]: mue downlink id not 1 to 127 "
                      "printable characters without spaces");
    /* 96 characters: 4 + 15 + 1 + 16 + 1 + 96 + 1 + 16 = 150 fit. */
    long_id[96] = '\0';
    snprintf(body, sizeof(body), HEAD ",'downlink_queued':{'correlation_ids':['mue:dl:%s']}}",
             long_id);
    MUE_ASSERT_INT_EQ(parse_q(body), 0);
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, long_id);
}

/* Shaped after ApplicationLocation in TheThingsNetwork/lorawan-stack
 * api/ttn/lorawan/v3/messages.proto (service, location{latitude, longitude, altitude, accuracy,
 * source}, attributes); no published webhook example was found. */
static void test_location_solved(void)
{
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'correlation_ids':['as:up:01HLOC'],"
                                  "'received_at':'2020-02-17T10:32:24.590413417Z',"
                                  "'location_solved':{'service':'lora-cloud-device-management-v1-"
                                  "gnss','location':{'latitude':43.2965,'longitude':5.3698,"
                                  "'altitude':12,'accuracy':8,'source':'SOURCE_GPS'}}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOCATION);
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 43.2965, 1e-9);
    MUE_ASSERT_DBL_NEAR(ev.dev.longitude, 5.3698, 1e-9);
    MUE_ASSERT_DBL_NEAR(ev.dev.altitude, 12, 1e-9);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:location:0004a30b001c0530:01HLOC");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1581935544590413));
    /* Zero coordinates are omitted by TTS. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'location_solved':{'location':{'source':'SOURCE_GPS'}}}"), 0);
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 0, 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:location:0004a30b001c0530:2020-02-17T10:32:24.590413417Z");
    EXPECT_FAIL(HEAD ",'location_solved':{'service':'s'}}", "location_solved.location: missing");
    EXPECT_FAIL(HEAD ",'location_solved':{'location':{'latitude':'43.3'}}}",
                "location_solved.location.latitude: not a number");
    EXPECT_FAIL(HEAD ",'location_solved':{'location':{'latitude':91}}}",
                "location_solved.location.latitude: out of range");
    EXPECT_FAIL(HEAD ",'location_solved':{'location':{'longitude':-180.5}}}",
                "location_solved.location.longitude: out of range");
    EXPECT_FAIL(HEAD ",'location_solved':{'location':{'altitude':true}}}",
                "location_solved.location.altitude: not a number");
}

static void test_uplink_through_the_dispatcher(void)
{
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'correlation_ids':['as:up:U1'],"
                                  "'uplink_message':{'f_port':3,'f_cnt':9,'frm_payload':'AQI='}}"),
                      0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    MUE_ASSERT_STR_EQ(ev.up.id, "tts:0004a30b001c0530:9:U1");
    MUE_ASSERT_STR_EQ(ev.up.network, "tts");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 3);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 2);
    MUE_ASSERT_INT_EQ(ev.dev.kind, 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, 0);
    EXPECT_FAIL(IDS ",'uplink_message':{'f_cnt':'9'}}",
                "uplink_message.f_cnt: not an unsigned integer");
}

/* A session change drops the queue: every mue downlink in it failed, the others are not mue's. */
static void test_downlink_queue_invalidated(void)
{
    MUE_ASSERT_INT_EQ(
        parse_q(HEAD ",'downlink_queue_invalidated':{'downlinks':["
                     "{'f_port':50,'frm_payload':'AQI=','correlation_ids':['as:downlink:01H','mue:"
                     "dl:lighting:7']},"
                     "{'f_port':1,'correlation_ids':['as:downlink:02H']},"
                     "{'f_port':60,'correlation_ids':['mue:dl:admin:8']}],'last_f_cnt_down':12}}"),
        0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "lighting:7");
    MUE_ASSERT_UINT_EQ(ev.dl.n_more_ids, 1);
    MUE_ASSERT_STR_EQ(ev.dl.more_ids[0], "admin:8");
    MUE_ASSERT_STR_EQ(ev.dl.source, "tts:downlink_queue_invalidated");
    MUE_ASSERT(strstr(ev.dl.reason, "session") != NULL);
    MUE_ASSERT(strncmp(ev.up.id, "tts:downlink_queue_invalidated:0004a30b001c0530:", 48) == 0);
    /* None of mue's: a status without an id, still a fact about the device. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'downlink_queue_invalidated':{'downlinks':[]}}"), 0);
    MUE_ASSERT_STR_EQ(ev.dl.downlink_id, "");
    MUE_ASSERT_UINT_EQ(ev.dl.n_more_ids, 0);
    EXPECT_FAIL(HEAD ",'downlink_queue_invalidated':{'downlinks':[3]}}",
                "downlink_queue_invalidated.downlinks[0]: not an object");
}

static void test_message_types(void)
{
    EXPECT_NOTSUP(HEAD ",'service_data':{'service':'s','data':{}}}",
                  "service_data: message type not handled");
    EXPECT_NOTSUP(HEAD ",'uplink_normalized':{'f_port':1}}",
                  "uplink_normalized: message type not handled");
    /* Decided before the device: a message mue drops needs no DevEUI. */
    EXPECT_NOTSUP("{'service_data':{}}", "service_data: message type not handled");
    EXPECT_NOTSUP(HEAD ",'downlink_teleported':{'f_cnt':1}}", "a message type mue does not know");
    EXPECT_FAIL(HEAD "}", "no message: uplink_message, join_accept, downlink_* or "
                          "location_solved expected");
    EXPECT_FAIL("{}", "no message: uplink_message, join_accept, downlink_* or "
                      "location_solved expected");
    EXPECT_FAIL(HEAD ",'uplink_message':{},'join_accept':{}}",
                "both uplink_message and join_accept: one message per body");
    EXPECT_FAIL(HEAD ",'downlink_ack':{},'service_data':{}}",
                "both downlink_ack and service_data: one message per body");
    EXPECT_FAIL(HEAD ",'downlink_ack':'acked'}", "downlink_ack: not an object");
    /* null is absent, as everywhere in TTS's JSON. */
    EXPECT_FAIL(HEAD ",'downlink_ack':null}", "no message: uplink_message, join_accept, "
                                              "downlink_* or location_solved expected");
}

static void test_invalid_bodies(void)
{
    EXPECT_FAIL("", "invalid JSON at line 1, column 0");
    EXPECT_FAIL("[]", "body is not a JSON object");
    EXPECT_FAIL(HEAD ",'downlink_ack':{'f_cnt':1,'f_cnt':2}}", "duplicate key at line 1");
    /* Truncated anywhere before its closing brace, the docs' example is refused, never
     * half-read (the last byte is a newline). */
    for (size_t n = 0; n + 1 < strlen(docs_downlink_ack); n++) {
        MUE_ASSERT_INT_EQ(parse_raw(docs_downlink_ack, n), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0');
    }
    MUE_ASSERT_INT_EQ(webhook_tts_parse(NULL, 0, &ev, reason, sizeof(reason)), MUE_EDECODE);
}

static void test_out_untouched_on_failure(void)
{
    struct webhook_event e;

    memset(&e, 0x5a, sizeof(e));
    MUE_ASSERT_INT_EQ(
        webhook_tts_parse(docs_downlink_failed, strlen(docs_downlink_failed), &e, NULL, 0),
        MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[sizeof(e) - 1], 0x5a);
    MUE_ASSERT_INT_EQ(webhook_tts_parse("{\"service_data\":{}}", 19, &e, NULL, 0), MUE_ENOTSUP);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_docs_join),
        MUE_TEST(test_join_variants),
        MUE_TEST(test_docs_downlink_ack),
        MUE_TEST(test_downlink_states_and_mue_id),
        MUE_TEST(test_docs_downlink_failed),
        MUE_TEST(test_downlink_failed_variants),
        MUE_TEST(test_downlink_field_errors),
        MUE_TEST(test_location_solved),
        MUE_TEST(test_uplink_through_the_dispatcher),
        MUE_TEST(test_downlink_queue_invalidated),
        MUE_TEST(test_message_types),
        MUE_TEST(test_invalid_bodies),
        MUE_TEST(test_out_untouched_on_failure),
    };
    return mue_test_run("webhook_tts_events", tests);
}
