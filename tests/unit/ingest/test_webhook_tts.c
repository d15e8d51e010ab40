/* test_webhook_tts.c - unit tests for The Things Stack v3 uplink webhook parser.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

/* Only same_json: this parser fills a struct webhook_uplink, so the file keeps its own parse
 * helpers. */
#include "webhook_test.h"

/* Verbatim copies of /work/shared/vectors/netserver/ttn_v3_uplink_message.docs_example.fixed.json,
 * ttn_v3_uplink_message.docs_example.verbatim.txt (the docs' text, missing a comma) and
 * ttn_v3_webhook_filtered_uplink.docs_example.json, so the test needs no files at run time. */
static const char tts_docs_fixed[] =
    "{\n"
    "  \"end_device_ids\": {\n"
    "    \"device_id\": \"dev1\",\n"
    "    \"application_ids\": {\n"
    "      \"application_id\": \"app1\"\n"
    "    },\n"
    "    \"dev_eui\": \"0004A30B001C0530\",\n"
    "    \"join_eui\": \"800000000000000C\",\n"
    "    \"dev_addr\": \"00BCB929\"\n"
    "  },\n"
    "  \"correlation_ids\": [\n"
    "    \"as:up:01E0WZGT6Y7657CPFPE5WEYDSQ\",\n"
    "    \"gs:conn:01E0WDEC6T5T4XXBAX7S1VMFKE\",\n"
    "    \"gs:uplink:01E0WZGSZWT07NE5TS2APTV1Z9\",\n"
    "    \"ns:uplink:01E0WZGSZXZXZS8RFAWZX0F2FY\",\n"
    "    \"rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E0WZGSZXGE1KS577PFBWRJEE\"\n"
    "  ],\n"
    "  \"received_at\": \"2020-02-12T15:15:46.014773143Z\",\n"
    "  \"uplink_message\": {\n"
    "    \"session_key_id\": \"AXA50tHUGUucuzS/bCGMNw==\",\n"
    "    \"f_cnt\": 1,\n"
    "    \"frm_payload\": \"gkHe\",\n"
    "    \"decoded_payload\": {\n"
    "      \"temperature\": 1.0,\n"
    "      \"luminosity\": 0.64\n"
    "    },\n"
    "    \"rx_metadata\": [\n"
    "      {\n"
    "        \"gateway_ids\": {\n"
    "          \"gateway_id\": \"gtw1\",\n"
    "          \"eui\": \"9C5C8E00001A05C4\"\n"
    "        },\n"
    "        \"time\": \"2020-02-12T15:15:45.787Z\",\n"
    "        \"timestamp\": 2463457000,\n"
    "        \"rssi\": -35,\n"
    "        \"channel_rssi\": -35,\n"
    "        \"snr\": 5,\n"
    "        \"uplink_token\": \"ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk=\",\n"
    "        \"channel_index\": 2\n"
    "      }\n"
    "    ],\n"
    "    \"settings\": {\n"
    "      \"data_rate\": {\n"
    "        \"lora\": {\n"
    "          \"bandwidth\": 125000,\n"
    "          \"spreading_factor\": 7\n"
    "        }\n"
    "      },\n"
    "      \"coding_rate\": \"4/6\",\n"
    "      \"frequency\": \"868300000\",\n"
    "      \"timestamp\": 2463457000,\n"
    "      \"time\": \"2020-02-12T15:15:45.787Z\"\n"
    "    },\n"
    "    \"consumed_airtime\": \"0.056576s\",\n"
    "    \"locations\": {\n"
    "      \"user\": {\n"
    "        \"latitude\": 37.97155556731436,\n"
    "        \"longitude\": 23.72678801175413,\n"
    "        \"altitude\": 10,\n"
    "        \"source\": \"SOURCE_REGISTRY\"\n"
    "      }\n"
    "    },\n"
    "    \"version_ids\": {\n"
    "      \"brand_id\": \"the-things-products\",\n"
    "      \"model_id\": \"the-things-uno\",\n"
    "      \"hardware_version\": \"1.0\",\n"
    "      \"firmware_version\": \"quickstart\",\n"
    "      \"band_id\": \"US_902_928\"\n"
    "    },\n"
    "    \"network_ids\": {\n"
    "      \"net_id\": \"000013\",\n"
    "      \"tenant_id\": \"tenant1\",\n"
    "      \"cluster_id\": \"nam1\"\n"
    "    },\n"
    "    \"attributes\": {\n"
    "      \"key1\": \"value1\",\n"
    "      \"key2\": \"value2\"\n"
    "    },\n"
    "    \"received_at\" : \"2020-02-12T15:15:45.789585559Z\"\n"
    "  }\n"
    "}\n";

static const char tts_docs_verbatim[] =
    "{\n"
    "  \"end_device_ids\": {\n"
    "    \"device_id\": \"dev1\",\n"
    "    \"application_ids\": {\n"
    "      \"application_id\": \"app1\"\n"
    "    },\n"
    "    \"dev_eui\": \"0004A30B001C0530\",\n"
    "    \"join_eui\": \"800000000000000C\",\n"
    "    \"dev_addr\": \"00BCB929\"\n"
    "  },\n"
    "  \"correlation_ids\": [\n"
    "    \"as:up:01E0WZGT6Y7657CPFPE5WEYDSQ\",\n"
    "    \"gs:conn:01E0WDEC6T5T4XXBAX7S1VMFKE\",\n"
    "    \"gs:uplink:01E0WZGSZWT07NE5TS2APTV1Z9\",\n"
    "    \"ns:uplink:01E0WZGSZXZXZS8RFAWZX0F2FY\",\n"
    "    \"rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E0WZGSZXGE1KS577PFBWRJEE\"\n"
    "  ],\n"
    "  \"received_at\": \"2020-02-12T15:15:46.014773143Z\",\n"
    "  \"uplink_message\": {\n"
    "    \"session_key_id\": \"AXA50tHUGUucuzS/bCGMNw==\",\n"
    "    \"f_cnt\": 1,\n"
    "    \"frm_payload\": \"gkHe\",\n"
    "    \"decoded_payload\": {\n"
    "      \"temperature\": 1.0,\n"
    "      \"luminosity\": 0.64\n"
    "    },\n"
    "    \"rx_metadata\": [\n"
    "      {\n"
    "        \"gateway_ids\": {\n"
    "          \"gateway_id\": \"gtw1\",\n"
    "          \"eui\": \"9C5C8E00001A05C4\"\n"
    "        },\n"
    "        \"time\": \"2020-02-12T15:15:45.787Z\",\n"
    "        \"timestamp\": 2463457000,\n"
    "        \"rssi\": -35,\n"
    "        \"channel_rssi\": -35,\n"
    "        \"snr\": 5,\n"
    "        \"uplink_token\": \"ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk=\",\n"
    "        \"channel_index\": 2\n"
    "      }\n"
    "    ],\n"
    "    \"settings\": {\n"
    "      \"data_rate\": {\n"
    "        \"lora\": {\n"
    "          \"bandwidth\": 125000,\n"
    "          \"spreading_factor\": 7\n"
    "        }\n"
    "      },\n"
    "      \"coding_rate\": \"4/6\",\n"
    "      \"frequency\": \"868300000\",\n"
    "      \"timestamp\": 2463457000,\n"
    "      \"time\": \"2020-02-12T15:15:45.787Z\"\n"
    "    },\n"
    "    \"consumed_airtime\": \"0.056576s\",\n"
    "    \"locations\": {\n"
    "      \"user\": {\n"
    "        \"latitude\": 37.97155556731436,\n"
    "        \"longitude\": 23.72678801175413,\n"
    "        \"altitude\": 10,\n"
    "        \"source\": \"SOURCE_REGISTRY\"\n"
    "      }\n"
    "    },\n"
    "    \"version_ids\": {\n"
    "      \"brand_id\": \"the-things-products\",\n"
    "      \"model_id\": \"the-things-uno\",\n"
    "      \"hardware_version\": \"1.0\",\n"
    "      \"firmware_version\": \"quickstart\",\n"
    "      \"band_id\": \"US_902_928\"\n"
    "    },\n"
    "    \"network_ids\": {\n"
    "      \"net_id\": \"000013\",\n"
    "      \"tenant_id\": \"tenant1\",\n"
    "      \"cluster_id\": \"nam1\"\n"
    "    },\n"
    "    \"attributes\": {\n"
    "      \"key1\": \"value1\",\n"
    "      \"key2\": \"value2\"\n"
    "    }\n"
    "    \"received_at\" : \"2020-02-12T15:15:45.789585559Z\"\n"
    "  }\n"
    "}\n";

static const char tts_filtered[] = "{\n"
                                   "  \"uplink_message\": {\n"
                                   "    \"f_port\": 1,\n"
                                   "    \"frm_payload\": \"ICw=\",\n"
                                   "    \"rx_metadata\": [\n"
                                   "      {\n"
                                   "        \"gateway_ids\": {\n"
                                   "          \"gateway_id\": \"test\"\n"
                                   "        },\n"
                                   "        \"rssi\": 42,\n"
                                   "        \"channel_rssi\": 42,\n"
                                   "        \"snr\": 4.2\n"
                                   "      }\n"
                                   "    ],\n"
                                   "    \"settings\": {\n"
                                   "      \"data_rate\": {\n"
                                   "        \"lora\": {\n"
                                   "          \"bandwidth\": 125000,\n"
                                   "          \"spreading_factor\": 7\n"
                                   "        }\n"
                                   "      },\n"
                                   "      \"frequency\": \"868000000\"\n"
                                   "    }\n"
                                   "  }\n"
                                   "}\n";
/* The constructed example of formats.md §3.2 (waste container level). */
static const char tts_waste_example[] =
    "{ \"end_device_ids\": { \"device_id\": \"pav-verre-0042\", \"application_ids\": "
    "{ \"application_id\": \"pav-amp\" },\n"
    "    \"dev_eui\": \"A84041000181854B\", \"join_eui\": \"A840410000000101\", "
    "\"dev_addr\": \"260B1C2D\" },\n"
    "  \"correlation_ids\": [ \"as:up:01HZX4K6T3Q8M9V2N7B5C1D0EF\" ],\n"
    "  \"received_at\": \"2025-06-12T07:02:11.532901227Z\",\n"
    "  \"uplink_message\": { \"session_key_id\": \"AYxQ3v2w8kH1Z0mNn7dT4w==\", \"f_port\": 10, "
    "\"f_cnt\": 412,\n"
    "    \"frm_payload\": \"AQ0gOA==\", \"decoded_payload\": { \"distance_cm\": 42, "
    "\"fill_pct\": 71, \"battery_v\": 3.58 },\n"
    "    \"rx_metadata\": [ { \"gateway_ids\": { \"gateway_id\": \"gw-aix-centre\", "
    "\"eui\": \"9C5C8E00001A05C4\" },\n"
    "      \"time\": \"2025-06-12T07:02:11.301Z\", \"timestamp\": 2463457000, \"rssi\": -109, "
    "\"channel_rssi\": -109,\n"
    "      \"snr\": -3.5, \"uplink_token\": \"ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk=\", "
    "\"channel_index\": 4 } ],\n"
    "    \"settings\": { \"data_rate\": { \"lora\": { \"bandwidth\": 125000, "
    "\"spreading_factor\": 9 } },\n"
    "      \"data_rate_index\": 3, \"coding_rate\": \"4/5\", \"frequency\": \"867500000\" },\n"
    "    \"received_at\": \"2025-06-12T07:02:11.318770112Z\", \"consumed_airtime\": "
    "\"0.185344s\" } }\n";

/* Prefixes to complete with fields ('' stands for ""): the device, then an open uplink_message. */
#define IDS  "{'end_device_ids':{'dev_eui':'0004A30B001C0530'}"
#define CIDS ",'correlation_ids':['as:up:U1']"
#define UP   IDS CIDS ",'uplink_message':{"

static struct webhook_uplink up;
static char reason[160];

/* Parses from a heap copy of exactly 'len' bytes: like an HTTP body, nothing follows it, and
 * ASan reports any read past the end. */
static int parse_raw(const char *body, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    MUE_ASSERT(copy != NULL);
    memcpy(copy, body, len);
    memset(reason, 'x', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = '\0';
    rc = webhook_tts_parse_uplink(copy, len, &up, reason, sizeof(reason));
    free(copy);
    return rc;
}

/* JSON written with ' for " reads better in C; none of these bodies needs a real apostrophe. */
static int parse_q(const char *squoted)
{
    size_t len = strlen(squoted);
    char *body = malloc(len + 1);
    int rc;

    MUE_ASSERT(body != NULL);
    for (size_t i = 0; i <= len; i++)
        body[i] = squoted[i] == '\'' ? '"' : squoted[i];
    rc = parse_raw(body, len);
    free(body);
    return rc;
}

#define EXPECT_FAIL(body, why)                                                                     \
    do {                                                                                           \
        MUE_ASSERT_INT_EQ(parse_q(body), MUE_EDECODE);                                             \
        MUE_ASSERT_STR_EQ(reason, why);                                                            \
    } while (0)

static void test_docs_example(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(tts_docs_fixed, strlen(tts_docs_fixed)), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_STR_EQ(up.id, "tts:0004a30b001c0530:1:01E0WZGT6Y7657CPFPE5WEYDSQ");
    MUE_ASSERT_STR_EQ(up.network, "tts");
    MUE_ASSERT_STR_EQ(up.dev_eui, "0004a30b001c0530");
    MUE_ASSERT_STR_EQ(up.device_name, "dev1");
    MUE_ASSERT_STR_EQ(up.application, "app1");
    MUE_ASSERT_UINT_EQ(up.f_port, 0); /* omitted by TTS when zero */
    MUE_ASSERT_UINT_EQ(up.f_cnt, 1);
    MUE_ASSERT_UINT_EQ(up.payload_len, 3);
    MUE_ASSERT_UINT_EQ(up.payload[0], 0x82);
    MUE_ASSERT_UINT_EQ(up.payload[1], 0x41);
    MUE_ASSERT_UINT_EQ(up.payload[2], 0xde);
    /* uplink_message.received_at (the Network Server's), not the top-level one. */
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1581520545789585));
    MUE_ASSERT(up.has_radio);
    MUE_ASSERT_INT_EQ(up.rssi, -35);
    MUE_ASSERT_DBL_NEAR(up.snr, 5, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "gtw1");
    MUE_ASSERT_UINT_EQ(up.gateway_count, 1);
    MUE_ASSERT_UINT_EQ(up.frequency, 868300000);
    MUE_ASSERT_UINT_EQ(up.spreading_factor, 7);
    MUE_ASSERT_UINT_EQ(up.dr, 0);
    /* The application's payload formatter ran: its output travels on as compact JSON. */
    MUE_ASSERT(same_json(up.decoded_json, "{\"temperature\":1.0,\"luminosity\":0.64}"));
}

static void test_decoded_payload_must_be_an_object_and_is_optional(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "'f_cnt':2}}"), 0);
    MUE_ASSERT_STR_EQ(up.decoded_json, "");
    EXPECT_FAIL(UP "'decoded_payload':[1,2]}}", "uplink_message.decoded_payload: not an object");
}

static void test_docs_verbatim_text_is_invalid_json(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(tts_docs_verbatim, strlen(tts_docs_verbatim)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "invalid JSON at line 79, column 17");
}

static void test_filtered_webhook_has_no_device(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(tts_filtered, strlen(tts_filtered)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "end_device_ids.dev_eui: missing");
}

static void test_constructed_example(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(tts_waste_example, strlen(tts_waste_example)), 0);
    MUE_ASSERT_STR_EQ(up.id, "tts:a84041000181854b:412:01HZX4K6T3Q8M9V2N7B5C1D0EF");
    MUE_ASSERT_STR_EQ(up.dev_eui, "a84041000181854b");
    MUE_ASSERT_STR_EQ(up.device_name, "pav-verre-0042");
    MUE_ASSERT_STR_EQ(up.application, "pav-amp");
    MUE_ASSERT_UINT_EQ(up.f_port, 10);
    MUE_ASSERT_UINT_EQ(up.f_cnt, 412);
    MUE_ASSERT_UINT_EQ(up.payload_len, 4);
    MUE_ASSERT(memcmp(up.payload, "\x01\x0d\x20\x38", 4) == 0);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1749711731318770));
    MUE_ASSERT_INT_EQ(up.rssi, -109);
    MUE_ASSERT_DBL_NEAR(up.snr, -3.5, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "gw-aix-centre");
    MUE_ASSERT_UINT_EQ(up.frequency, 867500000);
    MUE_ASSERT_UINT_EQ(up.spreading_factor, 9);
    MUE_ASSERT_UINT_EQ(up.dr, 3);
}

static void test_minimal_uplink_defaults_to_zero(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "}}"), 0);
    MUE_ASSERT_STR_EQ(up.id, "tts:0004a30b001c0530:0:U1");
    MUE_ASSERT_STR_EQ(up.device_name, "");
    MUE_ASSERT_STR_EQ(up.application, "");
    MUE_ASSERT_UINT_EQ(up.f_port, 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, 0);
    MUE_ASSERT_INT_EQ(up.time_us, 0);
    MUE_ASSERT(!up.has_radio);
    MUE_ASSERT_UINT_EQ(up.frequency, 0);
    MUE_ASSERT_UINT_EQ(up.gateway_count, 0);
}

static void test_id_source_order(void)
{
    /* The first non-empty as:up id, wherever it is in the list. */
    MUE_ASSERT_INT_EQ(parse_q(IDS
                              ",'correlation_ids':['gs:uplink:G','as:up:','as:up:A1','as:up:A2'],"
                              "'uplink_message':{'f_cnt':7}}"),
                      0);
    MUE_ASSERT_STR_EQ(up.id, "tts:0004a30b001c0530:7:A1");
    /* Without one: the top-level received_at, as sent. */
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'correlation_ids':['ns:uplink:N'],"
                                  "'received_at':'2020-02-12T15:15:46.014773143Z',"
                                  "'uplink_message':{'f_cnt':7,"
                                  "'received_at':'2020-02-12T15:15:45.789585559Z'}}"),
                      0);
    MUE_ASSERT_STR_EQ(up.id, "tts:0004a30b001c0530:7:2020-02-12T15:15:46.014773143Z");
    /* Then the uplink's own. */
    MUE_ASSERT_INT_EQ(parse_q(IDS ",'uplink_message':{'f_cnt':7,"
                                  "'received_at':'2020-02-12T15:15:45.789585559Z'}}"),
                      0);
    MUE_ASSERT_STR_EQ(up.id, "tts:0004a30b001c0530:7:2020-02-12T15:15:45.789585559Z");
    EXPECT_FAIL(IDS ",'uplink_message':{'f_cnt':7}}",
                "no correlation id nor received_at to identify the uplink");
    EXPECT_FAIL(IDS ",'correlation_ids':['as:up:'],'uplink_message':{}}",
                "no correlation id nor received_at to identify the uplink");
}

static void test_id_must_fit(void)
{
    char body[512];
    char ulid[200];

    /* "tts:" 16 ":" "4294967295" ":" = 32 bytes, so 127 more fill id[160] to its NUL. */
    memset(ulid, 'U', 127);
    ulid[127] = '\0';
    snprintf(body, sizeof(body),
             "{\"end_device_ids\":{\"dev_eui\":\"0004A30B001C0530\"},\"correlation_ids\":"
             "[\"x\",\"as:up:%s\"],\"uplink_message\":{\"f_cnt\":4294967295}}",
             ulid);
    MUE_ASSERT_INT_EQ(parse_raw(body, strlen(body)), 0);
    MUE_ASSERT_UINT_EQ(strlen(up.id), 159);
    snprintf(body, sizeof(body),
             "{\"end_device_ids\":{\"dev_eui\":\"0004A30B001C0530\"},\"correlation_ids\":"
             "[\"x\",\"as:up:%sU\"],\"uplink_message\":{\"f_cnt\":4294967295}}",
             ulid);
    MUE_ASSERT_INT_EQ(parse_raw(body, strlen(body)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "correlation_ids[1]: too long for an uplink id");
    EXPECT_FAIL(IDS ",'correlation_ids':['as:up:a b'],'uplink_message':{}}",
                "correlation_ids[0]: not printable characters without spaces");
}

static void test_time_source_order(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "},'received_at':'2020-02-12T15:15:46.014773143Z'}"), 0);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1581520546014773));
    MUE_ASSERT_INT_EQ(parse_q(UP "'received_at':'2020-02-12T15:15:45.789585559Z'},"
                                 "'received_at':'2020-02-12T15:15:46.014773143Z'}"),
                      0);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1581520545789585));
    EXPECT_FAIL(UP "'received_at':'yesterday'}}",
                "uplink_message.received_at: not an RFC 3339 time");
    EXPECT_FAIL(UP "},'received_at':20200212}", "received_at: not a string");
}

static void test_frequency_as_string_or_number(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "'settings':{'frequency':868100000}}}"), 0);
    MUE_ASSERT_UINT_EQ(up.frequency, 868100000);
    MUE_ASSERT_INT_EQ(parse_q(UP "'settings':{'frequency':'18446744073709551615'}}}"), 0);
    MUE_ASSERT_UINT_EQ(up.frequency, UINT64_MAX);
    EXPECT_FAIL(UP "'settings':{'frequency':'18446744073709551616'}}}",
                "uplink_message.settings.frequency: out of range");
    EXPECT_FAIL(UP "'settings':{'frequency':''}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'frequency':'868.1'}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'frequency':'-1'}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'frequency':' 868100000'}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'frequency':-868100000}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'frequency':868.1e6}}}",
                "uplink_message.settings.frequency: not an unsigned integer");
}

static void test_best_gateway_by_rssi(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "'rx_metadata':[{'gateway_ids':{'gateway_id':'a'},'rssi':-120.2},"
                                 "{'gateway_ids':{'gateway_id':'b'},'rssi':-99.6,'snr':7.25},"
                                 "{'rssi':-101,'snr':9}]}}"),
                      0);
    MUE_ASSERT_UINT_EQ(up.gateway_count, 3);
    MUE_ASSERT_INT_EQ(up.rssi, -100); /* TTS sends floats; rounded */
    MUE_ASSERT_DBL_NEAR(up.snr, 7.25, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "b");
}

static void test_field_errors(void)
{
    EXPECT_FAIL("{'uplink_message':{}}", "end_device_ids.dev_eui: missing");
    EXPECT_FAIL("{'end_device_ids':{'device_id':'d'},'uplink_message':{}}",
                "end_device_ids.dev_eui: missing");
    EXPECT_FAIL("{'end_device_ids':'0004A30B001C0530'}", "end_device_ids: not an object");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C053'}}",
                "end_device_ids.dev_eui: not 16 hex digits");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C053Z'}}",
                "end_device_ids.dev_eui: not 16 hex digits");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C0530','device_id':1}}",
                "end_device_ids.device_id: not a string");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C0530','application_ids':'a'}}",
                "end_device_ids.application_ids: not an object");
    EXPECT_FAIL("{'end_device_ids':{'dev_eui':'0004A30B001C0530','application_ids':"
                "{'application_id':[]}}}",
                "end_device_ids.application_ids.application_id: not a string");
    EXPECT_FAIL(IDS CIDS "}", "uplink_message: missing");
    EXPECT_FAIL(IDS CIDS ",'uplink_message':[]}", "uplink_message: not an object");
    EXPECT_FAIL(UP "'f_cnt':'1'}}", "uplink_message.f_cnt: not an unsigned integer");
    EXPECT_FAIL(UP "'f_cnt':-1}}", "uplink_message.f_cnt: not an unsigned integer");
    EXPECT_FAIL(UP "'f_cnt':4294967296}}", "uplink_message.f_cnt: out of range");
    EXPECT_FAIL(UP "'f_port':1.0}}", "uplink_message.f_port: not an unsigned integer");
    EXPECT_FAIL(UP "'frm_payload':[]}}", "uplink_message.frm_payload: not a string");
    EXPECT_FAIL(UP "'frm_payload':'gkHe='}}", "uplink_message.frm_payload: not base64");
    EXPECT_FAIL(UP "'frm_payload':'g'}}", "uplink_message.frm_payload: not base64");
    EXPECT_FAIL(UP "'rx_metadata':{}}}", "uplink_message.rx_metadata: not an array");
    EXPECT_FAIL(UP "'rx_metadata':[{},'gw']}}", "uplink_message.rx_metadata[1]: not an object");
    EXPECT_FAIL(UP "'rx_metadata':[{'rssi':'-35'}]}}",
                "uplink_message.rx_metadata[0].rssi: not a number");
    EXPECT_FAIL(UP "'rx_metadata':[{'snr':true}]}}",
                "uplink_message.rx_metadata[0].snr: not a number");
    EXPECT_FAIL(UP "'rx_metadata':[{'gateway_ids':'gtw1'}]}}",
                "uplink_message.rx_metadata[0].gateway_ids: not an object");
    EXPECT_FAIL(UP "'rx_metadata':[{'gateway_ids':{'gateway_id':1}}]}}",
                "uplink_message.rx_metadata[0].gateway_ids.gateway_id: not a string");
    EXPECT_FAIL(UP "'settings':[]}}", "uplink_message.settings: not an object");
    EXPECT_FAIL(UP "'settings':{'data_rate_index':-1}}}",
                "uplink_message.settings.data_rate_index: not an unsigned integer");
    EXPECT_FAIL(UP "'settings':{'data_rate':{'lora':{'spreading_factor':'7'}}}}}",
                "uplink_message.settings.data_rate.lora.spreading_factor: not an unsigned integer");
    EXPECT_FAIL(IDS ",'correlation_ids':'as:up:U1','uplink_message':{}}",
                "correlation_ids: not an array");
    EXPECT_FAIL(IDS ",'correlation_ids':['as:up:U1',5],'uplink_message':{}}",
                "correlation_ids[1]: not a string");
}

/* Builds a body whose frm_payload is 'n' 'A's; "AAAA" is three zero bytes. */
static int parse_with_payload_chars(size_t n)
{
    static const char head[] = "{\"end_device_ids\":{\"dev_eui\":\"0004A30B001C0530\"},"
                               "\"correlation_ids\":[\"as:up:U1\"],"
                               "\"uplink_message\":{\"frm_payload\":\"";
    static char body[WEBHOOK_MAX_PAYLOAD * 2];
    size_t len = strlen(head);

    MUE_ASSERT(len + n + 3 <= sizeof(body));
    memcpy(body, head, len);
    memset(body + len, 'A', n);
    len += n;
    memcpy(body + len, "\"}}", 3);
    return parse_raw(body, len + 3);
}

/* Unpadded base64 characters for 'bytes' bytes. */
static size_t base64_chars(size_t bytes)
{
    return bytes / 3 * 4 + (bytes % 3 != 0 ? bytes % 3 + 1 : 0);
}

static void test_payload_size_limit(void)
{
    char why[96];

    MUE_ASSERT_INT_EQ(parse_with_payload_chars(base64_chars(WEBHOOK_MAX_PAYLOAD)), 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_INT_EQ(parse_with_payload_chars(base64_chars(WEBHOOK_MAX_PAYLOAD + 1)), MUE_EDECODE);
    snprintf(why, sizeof(why), "uplink_message.frm_payload: payload larger than %d bytes",
             WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_STR_EQ(reason, why);
    /* The limit is the one webhook.h documents, and it is above LoRaWAN's 242-byte FRMPayload. */
    MUE_ASSERT_INT_EQ(WEBHOOK_MAX_PAYLOAD, 4096);
}

static void test_invalid_json_and_duplicates(void)
{
    EXPECT_FAIL("", "invalid JSON at line 1, column 0");
    EXPECT_FAIL(UP "}", "invalid JSON at line 1, column 99");
    EXPECT_FAIL("[]", "body is not a JSON object");
    EXPECT_FAIL(UP "'f_cnt':1,'f_cnt':2}}", "duplicate key at line 1");
    EXPECT_FAIL(IDS ",'end_device_ids':{'dev_eui':'0000000000000000'}}", "duplicate key at line 1");
    MUE_ASSERT_INT_EQ(webhook_tts_parse_uplink(NULL, 0, &up, reason, sizeof(reason)), MUE_EDECODE);
}

static void test_out_untouched_on_failure(void)
{
    struct webhook_uplink u;

    memset(&u, 0x5a, sizeof(u));
    MUE_ASSERT_INT_EQ(webhook_tts_parse_uplink(tts_filtered, strlen(tts_filtered), &u, NULL, 0),
                      MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&u)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&u)[sizeof(u) - 1], 0x5a);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_docs_example),
        MUE_TEST(test_decoded_payload_must_be_an_object_and_is_optional),
        MUE_TEST(test_docs_verbatim_text_is_invalid_json),
        MUE_TEST(test_filtered_webhook_has_no_device),
        MUE_TEST(test_constructed_example),
        MUE_TEST(test_minimal_uplink_defaults_to_zero),
        MUE_TEST(test_id_source_order),
        MUE_TEST(test_id_must_fit),
        MUE_TEST(test_time_source_order),
        MUE_TEST(test_frequency_as_string_or_number),
        MUE_TEST(test_best_gateway_by_rssi),
        MUE_TEST(test_field_errors),
        MUE_TEST(test_payload_size_limit),
        MUE_TEST(test_invalid_json_and_duplicates),
        MUE_TEST(test_out_untouched_on_failure),
    };
    return mue_test_run("webhook_tts", tests);
}
