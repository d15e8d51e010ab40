/* test_webhook_liveobjects.c - unit tests for the Orange Live Objects LoRa message parser.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

#define WEBHOOK_TEST_PARSE webhook_liveobjects_parse
#include "webhook_test.h"

/* A message "received from Lora" quoted in the comment of an indexed PHP (Yii) integration's
 * controller (the example formats.md §3.4 cites), without its comment stars. */
static const char lo_php_example[] = "{\n"
                                     " \"metadata\": {\n"
                                     " \"connector\": \"lora\",\n"
                                     " \"source\": \"urn:lo:nsid:lora:70B3D54999F0552D\",\n"
                                     " \"group\": {\n"
                                     " \"path\": \"/\",\n"
                                     " \"id\": \"root\"\n"
                                     " },\n"
                                     " \"network\": {\n"
                                     " \"lora\": {\n"
                                     " \"signalLevel\": 3,\n"
                                     " \"rssi\": -113,\n"
                                     " \"gatewayCnt\": 2,\n"
                                     " \"esp\": -116.01,\n"
                                     " \"sf\": 7,\n"
                                     " \"messageType\": \"UNCONFIRMED_DATA_UP\",\n"
                                     " \"port\": 2,\n"
                                     " \"snr\": 0,\n"
                                     " \"ack\": false,\n"
                                     " \"location\": {\n"
                                     " \"alt\": 0,\n"
                                     " \"accuracy\": 10000,\n"
                                     " \"lon\": -4.438382,\n"
                                     " \"lat\": 48.498604\n"
                                     " },\n"
                                     " \"fcnt\": 0,\n"
                                     " \"devEUI\": \"70B3D54999F0552D\"\n"
                                     " }\n"
                                     " }\n"
                                     " },\n"
                                     " \"streamId\": \"urn:lo:nsid:lora:70B3D54999F0552D\",\n"
                                     " \"created\": \"2020-04-01T15:21:44.996Z\",\n"
                                     " \"extra\": {},\n"
                                     " \"location\": {\n"
                                     " \"provider\": \"lora\",\n"
                                     " \"alt\": 0,\n"
                                     " \"accuracy\": 10000,\n"
                                     " \"lon\": -4.438382,\n"
                                     " \"lat\": 48.498604\n"
                                     " },\n"
                                     " \"model\": \"lora_v0\",\n"
                                     " \"id\": \"5e84b188b112b25b2cb6d638\",\n"
                                     " \"value\": {\n"
                                     " \"payload\": \"53616c75742021\"\n"
                                     " },\n"
                                     " \"timestamp\": \"2020-04-01T15:21:29.683Z\",\n"
                                     " \"tags\": []\n"
                                     " }\n";

/* The message in a unit test of Orange's FIWARE LoRa agent (StadeIotagentApplicationTests,
 * "Copyright (C) 2016 Orange"): a device with a Live Objects decoder ("encoding"), whose output
 * sits beside the raw payload in "value". */
static const char lo_orange_decoded[] = "{\n"
                                        "   \"metadata\": {\n"
                                        "      \"connector\": \"lora\",\n"
                                        "      \"source\": \"urn:lo:nsid:lora:70B3D59BA0009832\",\n"
                                        "      \"encoding\": \"sonde_test_num2\",\n"
                                        "      \"group\": {\n"
                                        "         \"path\": \"/Saint-Quentin-Philippe-Roth_1\",\n"
                                        "         \"id\": \"O6BEHg\"\n"
                                        "      },\n"
                                        "      \"network\": {\n"
                                        "         \"lora\": {\n"
                                        "            \"signalLevel\": 5,\n"
                                        "            \"rssi\": -99,\n"
                                        "            \"gatewayCnt\": 1,\n"
                                        "            \"esp\": -99.79,\n"
                                        "            \"sf\": 12,\n"
                                        "            \"messageType\": \"UNCONFIRMED_DATA_UP\",\n"
                                        "            \"port\": 5,\n"
                                        "            \"snr\": 7,\n"
                                        "            \"ack\": false,\n"
                                        "            \"location\": {\n"
                                        "               \"alt\": 0,\n"
                                        "               \"accuracy\": 10000,\n"
                                        "               \"lon\": 3.28297,\n"
                                        "               \"lat\": 49.8527\n"
                                        "            },\n"
                                        "            \"fcnt\": 1,\n"
                                        "            \"devEUI\": \"70B3D59BA0009832\"\n"
                                        "         }\n"
                                        "      }\n"
                                        "   },\n"
                                        "   \"streamId\": \"urn:lo:nsid:lora:70B3D59BA0009832\",\n"
                                        "   \"created\": \"2019-10-23T12:32:48.011Z\",\n"
                                        "   \"extra\": {},\n"
                                        "   \"location\": {\n"
                                        "      \"provider\": \"lora\",\n"
                                        "      \"alt\": 0,\n"
                                        "      \"accuracy\": 10000,\n"
                                        "      \"lon\": 3.28297,\n"
                                        "      \"lat\": 49.8527\n"
                                        "   },\n"
                                        "   \"model\": \"lora_v0\",\n"
                                        "   \"id\": \"5db04870c74a496551742859\",\n"
                                        "   \"value\": {\n"
                                        "      \"temp_sol\": 14,\n"
                                        "      \"payload\": \"6d011f0179\",\n"
                                        "      \"humidity\": 109,\n"
                                        "      \"batterie\": 3.77\n"
                                        "   },\n"
                                        "   \"timestamp\": \"2019-10-23T12:32:44.546Z\",\n"
                                        "   \"tags\": [\n"
                                        "      \"capteur_5\"\n"
                                        "   ]\n"
                                        "}";

/* Prefixes to complete: the id, then the LoRa metadata opened. */
#define ID   "{'id':'m1','streamId':'urn:lo:nsid:lora:0123456789ABCDEF'"
#define LORA ID ",'metadata':{'connector':'lora','network':{'lora':{"

static void test_php_integration_example(void)
{
    MUE_ASSERT_INT_EQ(parse_s(lo_php_example), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    MUE_ASSERT_STR_EQ(ev.up.id, "lo:5e84b188b112b25b2cb6d638");
    MUE_ASSERT_STR_EQ(ev.up.network, "liveobjects");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "70b3d54999f0552d");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 2);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 7);
    MUE_ASSERT(memcmp(ev.up.payload, "Salut !", 7) == 0);
    /* timestamp (the network's), not created (Live Objects' storage). */
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1585754489683000));
    MUE_ASSERT(ev.up.has_radio);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -113);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 0, 0);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 7);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 2);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "");
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
}

static void test_orange_decoded_example(void)
{
    static const uint8_t payload[] = { 0x6d, 0x01, 0x1f, 0x01, 0x79 };

    MUE_ASSERT_INT_EQ(parse_s(lo_orange_decoded), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "lo:5db04870c74a496551742859");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "70b3d59ba0009832");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 5);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 1);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, sizeof(payload));
    MUE_ASSERT(memcmp(ev.up.payload, payload, sizeof(payload)) == 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1571833964546000));
    MUE_ASSERT_INT_EQ(ev.up.rssi, -99);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 7, 1e-9);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 12);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    /* The decoder's fields, without the raw payload. */
    MUE_ASSERT(
        same_json(ev.up.decoded_json, "{\"temp_sol\":14,\"humidity\":109,\"batterie\":3.77}"));
    MUE_ASSERT(strstr(ev.up.decoded_json, "payload") == NULL);
}

static void test_device_sources(void)
{
    /* From the streamId alone. */
    MUE_ASSERT_INT_EQ(parse_q(ID ",'value':{'payload':'01'}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0123456789abcdef");
    MUE_ASSERT_STR_EQ(ev.up.id, "lo:m1");
    MUE_ASSERT(!ev.up.has_radio);
    /* From the LoRa metadata alone. */
    MUE_ASSERT_INT_EQ(parse_q("{'id':'m2','metadata':{'network':{'lora':{'devEUI':"
                              "'0123456789ABCDEF'}}}}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0123456789abcdef");
    /* Both, in different case: the same device. */
    MUE_ASSERT_INT_EQ(parse_q(LORA "'devEUI':'0123456789abcdef'}}}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0123456789abcdef");
    EXPECT_FAIL(LORA "'devEUI':'0123456789ABCDEE'}}}}",
                "streamId: DevEUI differs from metadata.network.lora.devEUI");
    EXPECT_FAIL("{'id':'m1','streamId':'urn:lo:nsid:lora:0123456789ABCDEFF'}",
                "streamId: not urn:lo:nsid:lora:<16 hex digits>");
    EXPECT_FAIL("{'id':'m1','streamId':'urn:lo:nsid:lora:'}",
                "streamId: not urn:lo:nsid:lora:<16 hex digits>");
    EXPECT_FAIL("{'id':'m1','metadata':{'connector':'lora'}}",
                "metadata.network.lora.devEUI: missing");
    EXPECT_FAIL("{'id':'m1','streamId':'my-stream','metadata':{'connector':'lora'}}",
                "metadata.network.lora.devEUI: missing");
    EXPECT_FAIL(LORA "'devEUI':'0123456789ABCDEG'}}}}",
                "metadata.network.lora.devEUI: not 16 hex digits");
    EXPECT_FAIL(LORA "'devEUI':1}}}}", "metadata.network.lora.devEUI: not a string");
    EXPECT_FAIL("{'id':'m1','streamId':7}", "streamId: not a string");
}

static void test_other_connectors(void)
{
    EXPECT_NOTSUP("{'id':'m1','streamId':'urn:lo:nsid:mqtt:dev1','metadata':{'connector':'mqtt'},"
                  "'value':{'temp':21}}",
                  "metadata.connector: not a LoRa message");
    EXPECT_NOTSUP("{'id':'m1','streamId':'urn:lo:nsid:sms:+33600000000','value':{}}",
                  "not a LoRa message");
    EXPECT_NOTSUP("{'id':'m1'}", "not a LoRa message");
    EXPECT_FAIL("{'id':'m1','metadata':{'connector':5}}", "metadata.connector: not a string");
    EXPECT_FAIL("{'id':'m1','metadata':[]}", "metadata: not an object");
    EXPECT_FAIL("{'id':'m1','metadata':{'network':'lora'}}", "metadata.network: not an object");
    EXPECT_FAIL("{'id':'m1','metadata':{'network':{'lora':[]}}}",
                "metadata.network.lora: not an object");
}

static void test_ids(void)
{
    char body[256], id[120];

    EXPECT_FAIL("{'streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}", "id: missing");
    EXPECT_FAIL("{'id':5,'streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}", "id: not a string");
    EXPECT_FAIL("{'id':'a b','streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}",
                "id: not 1 to 100 printable characters without spaces");
    EXPECT_FAIL("{'id':'','streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}",
                "id: not 1 to 100 printable characters without spaces");
    memset(id, 'i', 100);
    id[100] = '\0';
    snprintf(body, sizeof(body), "{'id':'%s','streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}", id);
    MUE_ASSERT_INT_EQ(parse_q(body), 0);
    MUE_ASSERT_UINT_EQ(strlen(ev.up.id), 103);
    snprintf(body, sizeof(body), "{'id':'%si','streamId':'urn:lo:nsid:lora:0123456789ABCDEF'}", id);
    EXPECT_FAIL(body, "id: not 1 to 100 printable characters without spaces");
}

static void test_value_and_payload(void)
{
    char big[WEBHOOK_MAX_DECODED + 128], why[96];

    MUE_ASSERT_INT_EQ(parse_q(ID ",'value':{'payload':'ABcd'}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 2);
    MUE_ASSERT_UINT_EQ(ev.up.payload[0], 0xab);
    MUE_ASSERT_INT_EQ(parse_q(ID ",'value':{}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 0);
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
    /* Decoded fields without the raw payload still travel on. */
    MUE_ASSERT_INT_EQ(parse_q(ID ",'value':{'t':1.5}}"), 0);
    MUE_ASSERT(same_json(ev.up.decoded_json, "{\"t\":1.5}"));
    EXPECT_FAIL(ID ",'value':{'payload':'abc'}}", "value.payload: not hex");
    EXPECT_FAIL(ID ",'value':{'payload':'zz'}}", "value.payload: not hex");
    EXPECT_FAIL(ID ",'value':{'payload':12}}", "value.payload: not a string");
    EXPECT_FAIL(ID ",'value':'01'}", "value: not an object");

    /* Decoded fields larger than webhook.h allows. */
    snprintf(big, sizeof(big), ID ",'value':{'s':'%0*d'}}", WEBHOOK_MAX_DECODED, 0);
    EXPECT_FAIL(big, "value: decoded fields too large");
    /* One payload byte too many. */
    {
        static char body[2 * WEBHOOK_MAX_PAYLOAD + 200];
        static const char head[] =
            "{\"id\":\"m1\",\"streamId\":\"urn:lo:nsid:lora:0123456789ABCDEF\","
            "\"value\":{\"payload\":\"";
        size_t len = strlen(head);

        memcpy(body, head, len);
        memset(body + len, 'f', 2 * WEBHOOK_MAX_PAYLOAD);
        memcpy(body + len + 2 * WEBHOOK_MAX_PAYLOAD, "\"}}", 3);
        MUE_ASSERT_INT_EQ(parse_raw(body, len + 2 * WEBHOOK_MAX_PAYLOAD + 3), 0);
        MUE_ASSERT_UINT_EQ(ev.up.payload_len, WEBHOOK_MAX_PAYLOAD);
        memset(body + len, 'f', 2 * WEBHOOK_MAX_PAYLOAD + 2);
        memcpy(body + len + 2 * WEBHOOK_MAX_PAYLOAD + 2, "\"}}", 3);
        MUE_ASSERT_INT_EQ(parse_raw(body, len + 2 * WEBHOOK_MAX_PAYLOAD + 5), MUE_EDECODE);
        snprintf(why, sizeof(why), "value.payload: payload larger than %d bytes",
                 WEBHOOK_MAX_PAYLOAD);
        MUE_ASSERT_STR_EQ(reason, why);
    }
}

static void test_lora_fields(void)
{
    /* An RSSI without a count was still one gateway's reception. */
    MUE_ASSERT_INT_EQ(parse_q(LORA "'rssi':-100.6,'snr':-2.5}}}}"), 0);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -101);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, -2.5, 1e-9);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    MUE_ASSERT(ev.up.has_radio);
    EXPECT_FAIL(LORA "'port':'2'}}}}", "metadata.network.lora.port: not an unsigned integer");
    EXPECT_FAIL(LORA "'fcnt':-1}}}}", "metadata.network.lora.fcnt: not an unsigned integer");
    EXPECT_FAIL(LORA "'rssi':'-99'}}}}", "metadata.network.lora.rssi: not a number");
    EXPECT_FAIL(LORA "'snr':[]}}}}", "metadata.network.lora.snr: not a number");
    EXPECT_FAIL(LORA "'sf':7.5}}}}", "metadata.network.lora.sf: not an unsigned integer");
    EXPECT_FAIL(LORA "'gatewayCnt':true}}}}",
                "metadata.network.lora.gatewayCnt: not an unsigned integer");
    EXPECT_FAIL(LORA "'messageType':2}}}}", "metadata.network.lora.messageType: not a string");
    EXPECT_FAIL(LORA "'location':'here'}}}}", "metadata.network.lora.location: not an object");
}

static void test_times(void)
{
    MUE_ASSERT_INT_EQ(parse_q(ID ",'created':'2019-10-23T12:32:48.011Z'}"), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1571833968011000));
    MUE_ASSERT_INT_EQ(parse_q(ID "}"), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, 0);
    EXPECT_FAIL(ID ",'timestamp':'today'}", "timestamp: not an RFC 3339 time");
    EXPECT_FAIL(ID ",'timestamp':1571833964}", "timestamp: not a string");
    EXPECT_FAIL(ID ",'created':'2019-10-23'}", "created: not an RFC 3339 time");
}

static void test_invalid_bodies(void)
{
    size_t n = strlen(lo_php_example);

    EXPECT_FAIL("", "invalid JSON at line 1, column 0");
    EXPECT_FAIL("[]", "body is not a JSON object");
    EXPECT_FAIL(ID ",'id':'m2'}", "duplicate key at line 1");
    for (size_t i = 0; i + 1 < n; i++) {
        MUE_ASSERT_INT_EQ(parse_raw(lo_php_example, i), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0');
    }
    MUE_ASSERT_INT_EQ(webhook_liveobjects_parse(NULL, 0, &ev, reason, sizeof(reason)), MUE_EDECODE);
}

static void test_out_untouched_on_failure(void)
{
    struct webhook_event e;

    memset(&e, 0x5a, sizeof(e));
    MUE_ASSERT_INT_EQ(webhook_liveobjects_parse("{\"id\":\"m\"}", 10, &e, NULL, 0), MUE_ENOTSUP);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[sizeof(e) - 1], 0x5a);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_php_integration_example),
        MUE_TEST(test_orange_decoded_example),
        MUE_TEST(test_device_sources),
        MUE_TEST(test_other_connectors),
        MUE_TEST(test_ids),
        MUE_TEST(test_value_and_payload),
        MUE_TEST(test_lora_fields),
        MUE_TEST(test_times),
        MUE_TEST(test_invalid_bodies),
        MUE_TEST(test_out_untouched_on_failure),
    };
    return mue_test_run("webhook_liveobjects", tests);
}
