/* test_webhook_chirpstack.c - unit tests for the ChirpStack v4 "up" event parser (JSON).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

/* Only same_json: this parser fills a struct webhook_uplink, so the file keeps its own parse
 * helpers. */
#include "webhook_test.h"

/* Verbatim copies of /work/shared/vectors/netserver/chirpstack_v4_up_event.docs_example.json,
 * chirpstack_v4_up_event.real_dingtek_http_integration.json and
 * chirpstack_v3_up_event.real_nas_lcu.json, so the test needs no files at run time. */
static const char cs_docs_example[] =
    "{\n"
    "\t\"deduplicationId\": \"3ac7e3c4-4401-4b8d-9386-a5c902f9202d\",\n"
    "\t\"time\": \"2022-07-18T09:34:15.775023242+00:00\",\n"
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
    "\t\"devAddr\": \"00189440\",\n"
    "\t\"dr\": 1,\n"
    "\t\"fPort\": 1,\n"
    "\t\"data\": \"qg==\",\n"
    "\t\"rxInfo\": [{\n"
    "\t\t\"gatewayId\": \"0016c001f153a14c\",\n"
    "\t\t\"uplinkId\": 4217106255,\n"
    "\t\t\"rssi\": -36,\n"
    "\t\t\"snr\": 10.5,\n"
    "\t\t\"context\": \"E3OWOQ==\",\n"
    "\t\t\"metadata\": {\n"
    "\t\t\t\"region_name\": \"eu868\",\n"
    "\t\t\t\"region_common_name\": \"EU868\"\n"
    "\t\t}\n"
    "\t}],\n"
    "\t\"txInfo\": {\n"
    "\t\t\"frequency\": 867100000,\n"
    "\t\t\"modulation\": {\n"
    "\t\t\t\"lora\": {\n"
    "\t\t\t\t\"bandwidth\": 125000,\n"
    "\t\t\t\t\"spreadingFactor\": 11,\n"
    "\t\t\t\t\"codeRate\": \"CR_4_5\"\n"
    "\t\t\t}\n"
    "\t\t}\n"
    "\t}\n"
    "}\n";

static const char cs_dingtek[] =
    "{\n"
    "    \"deduplicationId\": \"e0ef6bea-d13a-4a5e-8394-d67981f4ed4e\",\n"
    "    \"time\": \"2022-10-03T03:17:10.427430120+00:00\",\n"
    "    \"deviceInfo\": {\n"
    "        \"tenantId\": \"12db9fde-70b0-40ee-b654-e0ac180bf7c0\",\n"
    "        \"tenantName\": \"Dingtek\",\n"
    "        \"applicationId\": \"1ebdc5b7-d43d-46e0-9a4e-bd50ad2d86d2\",\n"
    "        \"applicationName\": \"DC600\",\n"
    "        \"deviceProfileId\": \"ed666809-89e0-406c-8f3f-cbcc9e036fe2\",\n"
    "        \"deviceProfileName\": \"EU868\",\n"
    "        \"deviceName\": \"7C-F9-57-20-FC-01-5F-EF\",\n"
    "        \"devEui\": \"7cf95720fc015fef\"\n"
    "    },\n"
    "    \"devAddr\": \"00d988b3\",\n"
    "    \"adr\": true,\n"
    "    \"dr\": 5,\n"
    "    \"fCnt\": 2,\n"
    "    \"fPort\": 10,\n"
    "    \"confirmed\": true,\n"
    "    \"data\": \"gAAVARUAAAAAAW8AAAAAAAAAAQCB\",\n"
    "    \"rxInfo\": [{\n"
    "        \"gatewayId\": \"00001c497bcb18e8\",\n"
    "        \"uplinkId\": 48315,\n"
    "        \"rssi\": -74,\n"
    "        \"snr\": 9.8,\n"
    "        \"channel\": 5,\n"
    "        \"rfChain\": 1,\n"
    "        \"location\": {\n"
    "            \"latitude\": 40.03801110737512,\n"
    "            \"longitude\": 116.50793246587011\n"
    "        },\n"
    "        \"context\": \"Xlh3TA==\",\n"
    "        \"metadata\": {\n"
    "            \"region_name\": \"eu868\",\n"
    "            \"region_common_name\": \"EU868\"\n"
    "        }\n"
    "    }],\n"
    "    \"txInfo\": {\n"
    "        \"frequency\": 868100000,\n"
    "        \"modulation\": {\n"
    "            \"lora\": {\n"
    "                \"bandwidth\": 125000,\n"
    "                \"spreadingFactor\": 7,\n"
    "                \"codeRate\": \"CR_4_5\"\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}";

static const char cs_v3_nas_lcu[] =
    "\n"
    "{\n"
    "    \"type\": \"up\",\n"
    "    \"payload\": {\n"
    "        \"applicationID\": \"430\",\n"
    "        \"applicationName\": \"hanneskask\",\n"
    "        \"deviceName\": \"Test_codec_LCU_1_1\",\n"
    "        \"devEUI\": \"cLPVsCAHMgg=\",\n"
    "        \"rxInfo\": [\n"
    "            {\n"
    "                \"gatewayID\": \"cLPVsCAAAX4=\",\n"
    "                \"time\": \"2024-07-01T13:43:42.236186Z\",\n"
    "                \"timeSinceGPSEpoch\": null,\n"
    "                \"rssi\": -57,\n"
    "                \"loRaSNR\": 9.75,\n"
    "                \"channel\": 6,\n"
    "                \"rfChain\": 0,\n"
    "                \"board\": 0,\n"
    "                \"antenna\": 0,\n"
    "                \"location\": {\n"
    "                    \"latitude\": 0,\n"
    "                    \"longitude\": 0,\n"
    "                    \"altitude\": 0,\n"
    "                    \"source\": \"UNKNOWN\",\n"
    "                    \"accuracy\": 0\n"
    "                },\n"
    "                \"fineTimestampType\": \"NONE\",\n"
    "                \"context\": \"n+Rm/A==\",\n"
    "                \"uplinkID\": \"CxOIe3mIS92+N8ObgFPA1Q==\",\n"
    "                \"crcStatus\": \"CRC_OK\"\n"
    "            },\n"
    "            {\n"
    "                \"gatewayID\": \"cLPVsCADKGg=\",\n"
    "                \"time\": null,\n"
    "                \"timeSinceGPSEpoch\": null,\n"
    "                \"rssi\": -127,\n"
    "                \"loRaSNR\": -4.2,\n"
    "                \"channel\": 6,\n"
    "                \"rfChain\": 0,\n"
    "                \"board\": 0,\n"
    "                \"antenna\": 0,\n"
    "                \"location\": {\n"
    "                    \"latitude\": -48.87667,\n"
    "                    \"longitude\": -123.39333,\n"
    "                    \"altitude\": 15,\n"
    "                    \"source\": \"UNKNOWN\",\n"
    "                    \"accuracy\": 0\n"
    "                },\n"
    "                \"fineTimestampType\": \"NONE\",\n"
    "                \"context\": \"nhJSnA==\",\n"
    "                \"uplinkID\": \"PfpP36UkQk6pL4fmKsKFrg==\",\n"
    "                \"crcStatus\": \"CRC_OK\"\n"
    "            }\n"
    "        ],\n"
    "        \"txInfo\": {\n"
    "            \"frequency\": 867700000,\n"
    "            \"modulation\": \"LORA\",\n"
    "            \"loRaModulationInfo\": {\n"
    "                \"bandwidth\": 125,\n"
    "                \"spreadingFactor\": 12,\n"
    "                \"codeRate\": \"4/5\",\n"
    "                \"polarizationInversion\": false\n"
    "            }\n"
    "        },\n"
    "        \"adr\": true,\n"
    "        \"dr\": 0,\n"
    "        \"fCnt\": 3,\n"
    "        \"fPort\": 23,\n"
    "        \"data\": \"AY6ygmYgAEcHGgACAd7+IQAA\",\n"
    "        \n"
    "        \"objectJSON\": \"{\\\"data\\\":{\\\"active_alerts\\\":{\\\"lamp_"
    "error_alert_in_24h\\\":false,\\\"power_alert_in_24h\\\":false,\\\"po"
    "wer_factor_alert_in_24h\\\":false,\\\"voltage_alert_in_24h\\\":fal"
    "se},\\\"device_unix_epoch\\\":\\\"2024-07-01T13:43:42.000Z\\\",\\\"dim"
    "ming_source\\\":[{\\\"address\\\":\\\"dali_broadcast\\\",\\\"dimming_lev"
    "el__percent\\\":0,\\\"reason\\\":\\\"calendar_day\\\",\\\"status\\\":{\\\"dr"
    "iver_error\\\":false,\\\"fade_running\\\":false,\\\"lamp_failure\\\":f"
    "alse,\\\"lamp_on\\\":false,\\\"limit_error\\\":false,\\\"missing_short"
    "_address\\\":false,\\\"power_failure\\\":false,\\\"reset_state\\\":fal"
    "se}}],\\\"downlink_rssi__dBm\\\":-71,\\\"downlink_snr__dB\\\":7,\\\"mc"
    "u_temperature__C\\\":26,\\\"packet_type\\\":\\\"status_packet\\\",\\\"se"
    "nsor_source\\\":{\\\"ldr_input\\\":222},\\\"status\\\":{\\\"dali_connect"
    "ion_error\\\":false,\\\"ext_rtc_warning\\\":false,\\\"internal_relay"
    "_closed\\\":false,\\\"lumalink_connected\\\":false,\\\"lumalink_conn"
    "ected_after_boot\\\":false,\\\"metering_com_error\\\":true,\\\"open_"
    "drain_output_on\\\":false}},\\\"errors\\\":[],\\\"warnings\\\":[\\\"mete"
    "ring_com_error\\\"]}\",\n"
    "        \n"
    "        \"tags\": {},\n"
    "        \"confirmedUplink\": false,\n"
    "        \"devAddr\": \"guTIZg==\",\n"
    "        \"publishedAt\": \"2024-07-01T13:43:46.875848807Z\",\n"
    "        \"deviceProfileID\": \"8b8f3654-40e5-45f6-aaaf-9def64eb4072\",\n"
    "        \"deviceProfileName\": \"EU868-LCU-1.1\"\n"
    "    }\n"
    "}";
/* The smallest body the parser accepts, as a prefix to append fields to ('' stands for ""). */
#define HEAD "{'deduplicationId':'d-1','deviceInfo':{'devEui':'0101010101010101'}"

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
    rc = webhook_chirpstack_parse_up(copy, len, &up, reason, sizeof(reason));
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

static void test_codec_object_is_kept_as_compact_json(void)
{
    MUE_ASSERT_INT_EQ(parse_q("{'deduplicationId':'d1','deviceInfo':{'devEui':'0101010101010101'},"
                              "'object':{'LAeq':67.8,'LAmax':84.1,'flags':{'ok':true}}}"),
                      0);
    MUE_ASSERT(
        same_json(up.decoded_json, "{\"LAeq\":67.8,\"LAmax\":84.1,\"flags\":{\"ok\":true}}"));
    MUE_ASSERT_INT_EQ(
        parse_q("{'deduplicationId':'d1','deviceInfo':{'devEui':'0101010101010101'}}"), 0);
    MUE_ASSERT_STR_EQ(up.decoded_json, "");
    EXPECT_FAIL("{'deduplicationId':'d1','deviceInfo':{'devEui':'0101010101010101'},'object':7}",
                "object: not an object");
}

static void test_docs_example(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(cs_docs_example, strlen(cs_docs_example)), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_STR_EQ(up.id, "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    MUE_ASSERT_STR_EQ(up.network, "chirpstack");
    MUE_ASSERT_STR_EQ(up.dev_eui, "0101010101010101");
    MUE_ASSERT_STR_EQ(up.device_name, "Test device");
    MUE_ASSERT_STR_EQ(up.application, "Test application");
    MUE_ASSERT_UINT_EQ(up.f_cnt, 0); /* omitted by ChirpStack when zero */
    MUE_ASSERT_UINT_EQ(up.f_port, 1);
    MUE_ASSERT_UINT_EQ(up.dr, 1);
    MUE_ASSERT_UINT_EQ(up.payload_len, 1);
    MUE_ASSERT_UINT_EQ(up.payload[0], 0xaa);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1658136855775023));
    MUE_ASSERT(up.has_radio);
    MUE_ASSERT_INT_EQ(up.rssi, -36);
    MUE_ASSERT_DBL_NEAR(up.snr, 10.5, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "0016c001f153a14c");
    MUE_ASSERT_UINT_EQ(up.gateway_count, 1);
    MUE_ASSERT_UINT_EQ(up.frequency, 867100000);
    MUE_ASSERT_UINT_EQ(up.spreading_factor, 11);
}

static void test_real_dingtek_event(void)
{
    static const uint8_t payload[] = { 0x80, 0x00, 0x15, 0x01, 0x15, 0x00, 0x00,
                                       0x00, 0x00, 0x01, 0x6f, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x81 };

    MUE_ASSERT_INT_EQ(parse_raw(cs_dingtek, strlen(cs_dingtek)), 0);
    MUE_ASSERT_STR_EQ(up.id, "cs:e0ef6bea-d13a-4a5e-8394-d67981f4ed4e");
    MUE_ASSERT_STR_EQ(up.dev_eui, "7cf95720fc015fef");
    MUE_ASSERT_STR_EQ(up.device_name, "7C-F9-57-20-FC-01-5F-EF");
    MUE_ASSERT_STR_EQ(up.application, "DC600");
    MUE_ASSERT_UINT_EQ(up.f_cnt, 2);
    MUE_ASSERT_UINT_EQ(up.f_port, 10);
    MUE_ASSERT_UINT_EQ(up.dr, 5);
    MUE_ASSERT_UINT_EQ(up.payload_len, sizeof(payload));
    MUE_ASSERT(memcmp(up.payload, payload, sizeof(payload)) == 0);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1664767030427430));
    MUE_ASSERT_INT_EQ(up.rssi, -74);
    MUE_ASSERT_DBL_NEAR(up.snr, 9.8, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "00001c497bcb18e8");
    MUE_ASSERT_UINT_EQ(up.frequency, 868100000);
    MUE_ASSERT_UINT_EQ(up.spreading_factor, 7);
}

static void test_v3_event_is_refused(void)
{
    MUE_ASSERT_INT_EQ(parse_raw(cs_v3_nas_lcu, strlen(cs_v3_nas_lcu)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "deduplicationId: missing");
}

static void test_minimal_event_defaults_to_zero(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD "}"), 0);
    MUE_ASSERT_STR_EQ(up.id, "cs:d-1");
    MUE_ASSERT_STR_EQ(up.device_name, "");
    MUE_ASSERT_STR_EQ(up.application, "");
    MUE_ASSERT_UINT_EQ(up.f_cnt, 0);
    MUE_ASSERT_UINT_EQ(up.f_port, 0);
    MUE_ASSERT_UINT_EQ(up.dr, 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, 0);
    MUE_ASSERT_INT_EQ(up.time_us, 0);
    MUE_ASSERT(!up.has_radio);
    MUE_ASSERT_UINT_EQ(up.gateway_count, 0);
    MUE_ASSERT_UINT_EQ(up.frequency, 0);
    MUE_ASSERT_STR_EQ(up.gateway_id, "");
    /* An empty rxInfo is no radio either. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[]}"), 0);
    MUE_ASSERT(!up.has_radio);
}

static void test_nulls_count_as_absent(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'fCnt':null,'data':null,'time':null,'rxInfo':null,"
                                   "'txInfo':null}"),
                      0);
    MUE_ASSERT_UINT_EQ(up.f_cnt, 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, 0);
    MUE_ASSERT(!up.has_radio);
}

static void test_dev_eui_is_lowercased(void)
{
    MUE_ASSERT_INT_EQ(parse_q("{'deduplicationId':'d','deviceInfo':{'devEui':'A84041000181854B'}}"),
                      0);
    MUE_ASSERT_STR_EQ(up.dev_eui, "a84041000181854b");
}

static void test_counters_at_their_limits(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'fCnt':4294967295,'fPort':224,'dr':15}"), 0);
    MUE_ASSERT_UINT_EQ(up.f_cnt, UINT32_MAX);
    MUE_ASSERT_UINT_EQ(up.f_port, 224);
    MUE_ASSERT_UINT_EQ(up.dr, 15);
}

static void test_time_falls_back_to_first_gateway(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[{'rssi':-90,'time':'2022-07-18T09:34:15.5Z'},"
                                   "{'rssi':-80,'time':'2000-01-01T00:00:00Z'}]}"),
                      0);
    MUE_ASSERT_INT_EQ(up.time_us, INT64_C(1658136855500000));
    /* The event's own time wins when given. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'time':'1970-01-01T00:00:01Z',"
                                   "'rxInfo':[{'time':'2022-07-18T09:34:15.5Z'}]}"),
                      0);
    MUE_ASSERT_INT_EQ(up.time_us, 1000000);
    EXPECT_FAIL(HEAD ",'rxInfo':[{'time':'soon'}]}", "rxInfo[0].time: not an RFC 3339 time");
    /* Since ChirpStack 4.6 the gateway's is "gwTime", and the network server's "nsTime" wins. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[{'gwTime':'1970-01-01T00:00:02Z'}]}"), 0);
    MUE_ASSERT_INT_EQ(up.time_us, 2000000);
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[{'gwTime':'1970-01-01T00:00:02Z',"
                                   "'nsTime':'1970-01-01T00:00:03Z'}]}"),
                      0);
    MUE_ASSERT_INT_EQ(up.time_us, 3000000);
    EXPECT_FAIL(HEAD ",'rxInfo':[{'nsTime':5}]}", "rxInfo[0].nsTime: not a string");
}

static void test_best_gateway_by_rssi(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[{'gatewayId':'aa','rssi':-110,'snr':-2},"
                                   "{'gatewayId':'bb','rssi':-71,'snr':3.25},"
                                   "{'gatewayId':'cc','rssi':-90,'snr':9}]}"),
                      0);
    MUE_ASSERT(up.has_radio);
    MUE_ASSERT_UINT_EQ(up.gateway_count, 3);
    MUE_ASSERT_INT_EQ(up.rssi, -71);
    MUE_ASSERT_DBL_NEAR(up.snr, 3.25, 1e-9);
    MUE_ASSERT_STR_EQ(up.gateway_id, "bb");
    /* Equal RSSI: the better SNR wins; a gateway without an id leaves it empty. */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'rxInfo':[{'gatewayId':'aa','rssi':-80,'snr':1},"
                                   "{'rssi':-80,'snr':2}]}"),
                      0);
    MUE_ASSERT_STR_EQ(up.gateway_id, "");
    MUE_ASSERT_DBL_NEAR(up.snr, 2, 1e-9);
}

static void test_non_lora_modulation_has_no_spreading_factor(void)
{
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'txInfo':{'frequency':868300000,'modulation':{'fsk':"
                                   "{'datarate':50000}}}}"),
                      0);
    MUE_ASSERT_UINT_EQ(up.frequency, 868300000);
    MUE_ASSERT_UINT_EQ(up.spreading_factor, 0);
}

static void test_identity_errors(void)
{
    EXPECT_FAIL("{'deviceInfo':{'devEui':'0101010101010101'}}", "deduplicationId: missing");
    EXPECT_FAIL("{'deduplicationId':7,'deviceInfo':{'devEui':'0101010101010101'}}",
                "deduplicationId: not a string");
    EXPECT_FAIL("{'deduplicationId':'','deviceInfo':{'devEui':'0101010101010101'}}",
                "deduplicationId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("{'deduplicationId':'a b','deviceInfo':{'devEui':'0101010101010101'}}",
                "deduplicationId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("{'deduplicationId':'a\\nb','deviceInfo':{'devEui':'0101010101010101'}}",
                "deduplicationId: not 1 to 64 printable characters without spaces");
    EXPECT_FAIL("{'deduplicationId':'"
                "0123456789012345678901234567890123456789012345678901234567890123X',"
                "'deviceInfo':{'devEui':'0101010101010101'}}",
                "deduplicationId: not 1 to 64 printable characters without spaces");
    MUE_ASSERT_INT_EQ(parse_q("{'deduplicationId':"
                              "'0123456789012345678901234567890123456789012345678901234567890123',"
                              "'deviceInfo':{'devEui':'0101010101010101'}}"),
                      0);
    MUE_ASSERT_UINT_EQ(strlen(up.id), 67);
    EXPECT_FAIL("{'deduplicationId':'d'}", "deviceInfo: missing");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':[]}", "deviceInfo: not an object");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{}}", "deviceInfo.devEui: missing");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':null}}",
                "deviceInfo.devEui: missing");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':72623859790382856}}",
                "deviceInfo.devEui: not a string");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'010101010101010'}}",
                "deviceInfo.devEui: not 16 hex digits");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'01010101010101010'}}",
                "deviceInfo.devEui: not 16 hex digits");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'010101010101010g'}}",
                "deviceInfo.devEui: not 16 hex digits");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'AQEBAQEBAQE='}}",
                "deviceInfo.devEui: not 16 hex digits");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'0101010101010101',"
                "'deviceName':5}}",
                "deviceInfo.deviceName: not a string");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'0101010101010101',"
                "'applicationName':{}}}",
                "deviceInfo.applicationName: not a string");
}

static void test_counter_errors(void)
{
    EXPECT_FAIL(HEAD ",'fCnt':'5'}", "fCnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fCnt':-1}", "fCnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fCnt':1.5}", "fCnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fCnt':2.0}", "fCnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fCnt':true}", "fCnt: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fCnt':4294967296}", "fCnt: out of range");
    EXPECT_FAIL(HEAD ",'fPort':-3}", "fPort: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'fPort':[1]}", "fPort: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'dr':'5'}", "dr: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'dr':9223372036854775807}", "dr: out of range");
}

static void test_data_errors(void)
{
    EXPECT_FAIL(HEAD ",'data':170}", "data: not a string");
    EXPECT_FAIL(HEAD ",'data':'qg='}", "data: not base64");
    EXPECT_FAIL(HEAD ",'data':'q g=='}", "data: not base64");
    EXPECT_FAIL(HEAD ",'data':'!!!!'}", "data: not base64");
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'data':''}"), 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, 0);
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'data':'qg'}"), 0); /* padding is optional */
    MUE_ASSERT_UINT_EQ(up.payload_len, 1);
}

/* Builds HEAD + ,'data':'<n 'A's>'} as real JSON; "AAAA" is three zero bytes. */
static int parse_with_data_chars(size_t n)
{
    static const char head[] = "{\"deduplicationId\":\"d\",\"deviceInfo\":"
                               "{\"devEui\":\"0101010101010101\"},\"data\":\"";
    char body[8192];
    size_t len = strlen(head);

    MUE_ASSERT(len + n + 2 <= sizeof(body));
    memcpy(body, head, len);
    memset(body + len, 'A', n);
    len += n;
    memcpy(body + len, "\"}", 2);
    return parse_raw(body, len + 2);
}

static void test_payload_size_limit(void)
{
    /* 1365 quanta make 4095 bytes; "AA" adds the 4096th, "AAA" would add two. */
    MUE_ASSERT_UINT_EQ(WEBHOOK_MAX_PAYLOAD, 4096);
    MUE_ASSERT_INT_EQ(parse_with_data_chars(1365 * 4 + 2), 0);
    MUE_ASSERT_UINT_EQ(up.payload_len, WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_INT_EQ(parse_with_data_chars(1365 * 4 + 3), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "data: payload larger than 4096 bytes");
    MUE_ASSERT_INT_EQ(parse_with_data_chars(6400), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "data: payload larger than 4096 bytes");
}

static void test_time_errors(void)
{
    EXPECT_FAIL(HEAD ",'time':'2022-07-18 late'}", "time: not an RFC 3339 time");
    EXPECT_FAIL(HEAD ",'time':1658136855}", "time: not a string");
    EXPECT_FAIL(HEAD ",'time':'2022-02-30T00:00:00Z'}", "time: not an RFC 3339 time");
}

static void test_radio_errors(void)
{
    EXPECT_FAIL(HEAD ",'rxInfo':{}}", "rxInfo: not an array");
    EXPECT_FAIL(HEAD ",'rxInfo':[1]}", "rxInfo[0]: not an object");
    EXPECT_FAIL(HEAD ",'rxInfo':[{'rssi':-1},{'rssi':'-80'}]}", "rxInfo[1].rssi: not a number");
    EXPECT_FAIL(HEAD ",'rxInfo':[{'rssi':-1e12}]}", "rxInfo[0].rssi: out of range");
    EXPECT_FAIL(HEAD ",'rxInfo':[{'snr':'high'}]}", "rxInfo[0].snr: not a number");
    EXPECT_FAIL(HEAD ",'rxInfo':[{'gatewayId':1}]}", "rxInfo[0].gatewayId: not a string");
    EXPECT_FAIL(HEAD ",'txInfo':[]}", "txInfo: not an object");
    EXPECT_FAIL(HEAD ",'txInfo':{'frequency':'868100000'}}",
                "txInfo.frequency: not an unsigned integer");
    EXPECT_FAIL(HEAD ",'txInfo':{'modulation':'LORA'}}", "txInfo.modulation: not an object");
    EXPECT_FAIL(HEAD ",'txInfo':{'modulation':{'lora':{'spreadingFactor':-7}}}}",
                "txInfo.modulation.lora.spreadingFactor: not an unsigned integer");
}

static void test_invalid_json(void)
{
    EXPECT_FAIL("", "invalid JSON at line 1, column 0");
    EXPECT_FAIL(HEAD, "invalid JSON at line 1, column 67");
    EXPECT_FAIL(HEAD "}}", "invalid JSON at line 1, column 69");
    EXPECT_FAIL("[" HEAD "}]", "body is not a JSON object");
    /* jansson takes only objects and arrays at the top unless told JSON_DECODE_ANY. */
    EXPECT_FAIL("null", "invalid JSON at line 1, column 4");
    EXPECT_FAIL("'deduplicationId'", "invalid JSON at line 1, column 17");
    /* jansson refuses \u0000 in strings, so C strings hold whole values. */
    MUE_ASSERT_INT_EQ(parse_q("{'deduplicationId':'d\\u0000x','deviceInfo':"
                              "{'devEui':'0101010101010101'}}"),
                      MUE_EDECODE);
    /* Invalid UTF-8 */
    MUE_ASSERT_INT_EQ(parse_q(HEAD ",'deviceInfo2':'\xc3'}"), MUE_EDECODE);
    /* A NUL byte inside the body is not the end of it. */
    MUE_ASSERT_INT_EQ(parse_raw("{\"a\":1}\0", 8), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse_up(NULL, 0, &up, reason, sizeof(reason)),
                      MUE_EDECODE);
}

static void test_duplicate_keys(void)
{
    EXPECT_FAIL(HEAD ",'fCnt':1,'fCnt':2}", "duplicate key at line 1");
    EXPECT_FAIL("{'deduplicationId':'d','deviceInfo':{'devEui':'0101010101010101',"
                "\n'devEui':'0202020202020202'}}",
                "duplicate key at line 2");
    EXPECT_FAIL(HEAD ",'rxInfo':[{'rssi':1,'rssi':2}]}", "duplicate key at line 1");
}

static void test_reason_never_quotes_the_body(void)
{
    EXPECT_FAIL(HEAD ",'data':'SECRETPAYLOAD'x}", "invalid JSON at line 1, column 91");
    EXPECT_FAIL(HEAD ",'SECRETKEY':1,'SECRETKEY':2}", "duplicate key at line 1");
}

static void test_out_and_reason_on_failure(void)
{
    static const char body[] = "{\"deduplicationId\":\"d\"}";
    struct webhook_uplink u;
    char small[8];

    memset(&u, 0x5a, sizeof(u));
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse_up(body, strlen(body), &u, small, sizeof(small)),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(small, "deviceI"); /* cut, but terminated */
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&u)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&u)[sizeof(u) - 1], 0x5a);
    MUE_ASSERT_INT_EQ(webhook_chirpstack_parse_up(body, strlen(body), &u, NULL, 0), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse_up(cs_docs_example, strlen(cs_docs_example), &u, NULL, 0), 0);
    MUE_ASSERT_STR_EQ(u.dev_eui, "0101010101010101");
}

static void test_long_names_are_cut_on_a_character(void)
{
    char body[512], name[128], app[128];

    /* 94 ASCII bytes then a two-byte 'é': the 96th byte would split it. */
    memset(name, 'n', 94);
    memcpy(name + 94, "\xc3\xa9", 3);
    memset(app, 'a', 95);
    app[95] = '\0';
    snprintf(body, sizeof(body),
             "{\"deduplicationId\":\"d\",\"deviceInfo\":{\"devEui\":\"0101010101010101\","
             "\"deviceName\":\"%s\",\"applicationName\":\"%sX\"}}",
             name, app);
    MUE_ASSERT_INT_EQ(parse_raw(body, strlen(body)), 0);
    MUE_ASSERT_UINT_EQ(strlen(up.device_name), 94);
    MUE_ASSERT_UINT_EQ(strlen(up.application), 95);
    MUE_ASSERT(memcmp(up.application, app, 95) == 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_docs_example),
        MUE_TEST(test_codec_object_is_kept_as_compact_json),
        MUE_TEST(test_real_dingtek_event),
        MUE_TEST(test_v3_event_is_refused),
        MUE_TEST(test_minimal_event_defaults_to_zero),
        MUE_TEST(test_nulls_count_as_absent),
        MUE_TEST(test_dev_eui_is_lowercased),
        MUE_TEST(test_counters_at_their_limits),
        MUE_TEST(test_time_falls_back_to_first_gateway),
        MUE_TEST(test_best_gateway_by_rssi),
        MUE_TEST(test_non_lora_modulation_has_no_spreading_factor),
        MUE_TEST(test_identity_errors),
        MUE_TEST(test_counter_errors),
        MUE_TEST(test_data_errors),
        MUE_TEST(test_payload_size_limit),
        MUE_TEST(test_time_errors),
        MUE_TEST(test_radio_errors),
        MUE_TEST(test_invalid_json),
        MUE_TEST(test_duplicate_keys),
        MUE_TEST(test_reason_never_quotes_the_body),
        MUE_TEST(test_out_and_reason_on_failure),
        MUE_TEST(test_long_names_are_cut_on_a_character),
    };
    return mue_test_run("webhook_chirpstack", tests);
}
