/* test_webhook_thingpark.c - unit tests for the Actility ThingPark report parser.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "webhook.h"

#define WEBHOOK_TEST_PARSE webhook_thingpark_parse
#include "webhook_test.h"

/* actility/tpx-iot-flow-doc docs/Message/Uplink_Message/README.md ("Original message"): the older
 * form, every number a string. */
static const char tpx_strings[] = "{\n"
                                  "  \"DevEUI_uplink\": {\n"
                                  "    \"Time\": \"2018-10-03T15:38:46.882+02:00\",\n"
                                  "    \"DevEUI\": \"0018B20000000B20\",\n"
                                  "    \"FPort\": \"1\",\n"
                                  "    \"FCntUp\": \"1174\",\n"
                                  "    \"ADRbit\": \"1\",\n"
                                  "    \"MType\": \"4\",\n"
                                  "    \"FCntDn\": \"1229\",\n"
                                  "    \"payload_hex\": \"9e1c4852512000220020e3831071\",\n"
                                  "    \"mic_hex\": \"cfffc70f\",\n"
                                  "    \"Lrcid\": \"00000206\",\n"
                                  "    \"LrrRSSI\": \"-80.000000\",\n"
                                  "    \"LrrSNR\": \"7.000000\",\n"
                                  "    \"SpFact\": \"7\",\n"
                                  "    \"SubBand\": \"G2\",\n"
                                  "    \"Channel\": \"LC6\",\n"
                                  "    \"DevLrrCnt\": \"1\",\n"
                                  "    \"Lrrid\": \"004A18E3\",\n"
                                  "    \"Late\": \"0\",\n"
                                  "    \"LrrLAT\": \"45.851032\",\n"
                                  "    \"LrrLON\": \"1.266230\",\n"
                                  "    \"Lrrs\": {\n"
                                  "      \"Lrr\": [\n"
                                  "        {\n"
                                  "          \"Lrrid\": \"004A18E3\",\n"
                                  "          \"Chain\": \"0\",\n"
                                  "          \"LrrRSSI\": \"-80.000000\",\n"
                                  "          \"LrrSNR\": \"7.000000\",\n"
                                  "          \"LrrESP\": \"-80.790100\"\n"
                                  "        }\n"
                                  "      ]\n"
                                  "    },\n"
                                  "    \"CustomerID\": \"1100000077\",\n"
                                  "    \"CustomerData\": {\n"
                                  "      \"alr\": {\n"
                                  "        \"pro\": \"ADRF/DEMO\",\n"
                                  "        \"ver\": \"2\"\n"
                                  "      }\n"
                                  "    },\n"
                                  "    \"ModelCfg\": \"1:TemperatureService, 2:SwissPostDevice\",\n"
                                  "    \"DevAddr\": \"05CB0AE8\",\n"
                                  "    \"TxPower\": 7.000000,\n"
                                  "    \"NbTrans\": 1\n"
                                  "  }\n"
                                  "}\n";

/* docs.thingpark.com/thingpark-x/latest/Message/uplink-message (2024 example): numbers as
 * numbers, the driver's decoded "payload" and "points". Its trailing "downlinkUrl" is left out
 * (cut in the stored copy). */
static const char tpx_numbers[] =
    "{\n"
    "\"DevEUI_uplink\": {\n"
    "\"Time\": \"2024-12-17T09:16:55.911+00:00\",\n"
    "\"DevEUI\": \"0018B20000000BEE\",\n"
    "\"FPort\": 1,\n"
    "\"FCntUp\": 368,\n"
    "\"LostUplinksAS\": 0,\n"
    "\"ADRbit\": 1,\n"
    "\"MType\": 4,\n"
    "\"FCntDn\": 370,\n"
    "\"payload_hex\": \"9e184856043000211770baae0bc9\",\n"
    "\"mic_hex\": \"d0ffa164\",\n"
    "\"Lrcid\": \"000000CB\",\n"
    "\"LrrRSSI\": -84.0,\n"
    "\"LrrSNR\": 9.75,\n"
    "\"LrrESP\": -84.437256,\n"
    "\"SpFact\": 7,\n"
    "\"SubBand\": \"G1\",\n"
    "\"Channel\": \"LC3\",\n"
    "\"Lrrid\": \"10001273\",\n"
    "\"Late\": 0,\n"
    "\"LrrLAT\": 47.934113,\n"
    "\"LrrLON\": 1.196017,\n"
    "\"Lrrs\": {\n"
    "\"Lrr\": [\n"
    "{\n"
    "\"Lrrid\": \"10001273\",\n"
    "\"Chain\": 0,\n"
    "\"LrrRSSI\": -84.0,\n"
    "\"LrrSNR\": 9.75,\n"
    "\"LrrESP\": -84.437256\n"
    "}\n"
    "]\n"
    "},\n"
    "\"DevLrrCnt\": 1,\n"
    "\"CustomerID\": \"100002164\",\n"
    "\"CustomerData\": {\n"
    "\"loc\": null,\n"
    "\"alr\": {\n"
    "\"pro\": \"ADRF/FIELD\",\n"
    "\"ver\": \"1\"\n"
    "},\n"
    "\"tags\": [\"Site=Paris\", \"Key=Value\", \"Bruno Devices\"],\n"
    "\"doms\": [],\n"
    "\"name\": \"Adeunis FieldTester #Bruno\"\n"
    "},\n"
    "\"BaseStationData\": {\n"
    "\"doms\": [\n"
    "{ \"n\": \"EMEA/France\", \"g\": \"Geography\" },\n"
    "{ \"n\": \"TempMonitoring\", \"g\": \"Use Case\" }\n"
    "],\n"
    "\"name\": \"Paris Office\"\n"
    "},\n"
    "\"ModelCfg\": \"1:ShowRoomTag\",\n"
    "\"DriverCfg\": {\n"
    "\"mod\": {\n"
    "\"pId\": \"adeunis\",\n"
    "\"mId\": \"field-test\",\n"
    "\"ver\": \"1\"\n"
    "},\n"
    "\"app\": {\n"
    "\"pId\": \"adeunis\",\n"
    "\"mId\": \"field-test\",\n"
    "\"ver\": \"1\"\n"
    "},\n"
    "\"id\": \"actility:adeunis-field-test:1\"\n"
    "},\n"
    "\"InstantPER\": 0.0,\n"
    "\"MeanPER\": 0.0,\n"
    "\"DevAddr\": \"040006CC\",\n"
    "\"AckRequested\": 1,\n"
    "\"rawMacCommands\": \"\",\n"
    "\"TxPower\": 2.0,\n"
    "\"NbTrans\": 1,\n"
    "\"Frequency\": 868.5,\n"
    "\"DynamicClass\": \"A\",\n"
    "\"PayloadEncryption\": 0,\n"
    "\"payload\": {\n"
    "\"triggeredByAccelerometer\": false,\n"
    "\"triggeredByPushbutton\": false,\n"
    "\"temperature\": 24,\n"
    "\"gps\": {\n"
    "\"latitude\": { \"hemisphere\": \"NORTH\", \"degrees\": 48, \"minutes\": 56.043 },\n"
    "\"longitude\": { \"hemisphere\": \"EAST\", \"degrees\": 2, \"minutes\": 11.77 }\n"
    "},\n"
    "\"uplinkFrameCounter\": 186,\n"
    "\"downlinkFrameCounter\": 174,\n"
    "\"batteryVoltage\": 3017\n"
    "},\n"
    "\"points\": {\n"
    "\"temperature\": { \"unitId\": \"Cel\", \"record\": 24 },\n"
    "\"location\": { \"unitId\": \"GPS\", \"record\": [1.1962, 47.934] },\n"
    "\"batteryVoltage\": { \"unitId\": \"mV\", \"record\": 3017 },\n"
    "\"batteryLevel\": { \"unitId\": \"%\", \"record\": 81.54 }\n"
    "}\n"
    "}\n"
    "}\n";

/* A push as a Finnish operator's ThingPark sent it (User-Agent ACTILITY-LRCLRN-DEVICE-AGENT/1.0),
 * kept as a fixture in a public integration's tests: numbers with six decimals. The stored copy
 * is cut after TxPower; the body is closed there. */
static const char digita_push[] = "{\"DevEUI_uplink\": {\n"
                                  "  \"Time\": \"2022-02-24T16:23:17.468+00:00\",\n"
                                  "  \"DevEUI\": \"70B3D57050011422\",\n"
                                  "  \"FPort\": 20,\n"
                                  "  \"FCntUp\": 3866,\n"
                                  "  \"ADRbit\": 1,\n"
                                  "  \"MType\": 4,\n"
                                  "  \"FCntDn\": 3900,\n"
                                  "  \"payload_hex\": \"901429c204282705\",\n"
                                  "  \"mic_hex\": \"3af4037a\",\n"
                                  "  \"Lrcid\": \"00000201\",\n"
                                  "  \"LrrRSSI\": -113.000000,\n"
                                  "  \"LrrSNR\": -11.000000,\n"
                                  "  \"LrrESP\": -124.331955,\n"
                                  "  \"SpFact\": 8,\n"
                                  "  \"SubBand\": \"G1\",\n"
                                  "  \"Channel\": \"LC1\",\n"
                                  "  \"DevLrrCnt\": 1,\n"
                                  "  \"Lrrid\": \"FF0109A4\",\n"
                                  "  \"Late\": 0,\n"
                                  "  \"LrrLAT\": 60.242538,\n"
                                  "  \"LrrLON\": 25.211100,\n"
                                  "  \"Lrrs\": {\"Lrr\": [{\"Lrrid\": \"FF0109A4\", \"Chain\": 0,\n"
                                  "    \"LrrRSSI\": -113.000000, \"LrrSNR\": -11.000000,\n"
                                  "    \"LrrESP\": -124.331955}]},\n"
                                  "  \"CustomerID\": \"100002581\",\n"
                                  "  \"CustomerData\": {\"alr\": {\"pro\": \"mcf88/lw12terwp\", "
                                  "\"ver\": \"1\"}},\n"
                                  "  \"ModelCfg\": \"0\",\n"
                                  "  \"DevAddr\": \"E00324CA\",\n"
                                  "  \"TxPower\": 14.0\n"
                                  "}}\n";

/* actility/tpx-iot-flow-doc docs/Message/location-message.md. */
static const char tpx_location[] = "{\n"
                                   "  \"DevEUI_location\": {\n"
                                   "    \"DevEUI\": \"000000000f1d8693\",\n"
                                   "    \"DevAddr\": \"0405F519\",\n"
                                   "    \"Lrcid\": \"00000065\",\n"
                                   "    \"NwGeolocAlgo\": 2,\n"
                                   "    \"NwGeolocAlgoUsed\": 0,\n"
                                   "    \"Time\": \"2020-07-09T16:06:38.49+02:00\",\n"
                                   "    \"DevLocTime\": \"2020-01-27T10:00:43.336+01:00\",\n"
                                   "    \"DevLAT\": 10.11212,\n"
                                   "    \"DevLON\": 7.44464,\n"
                                   "    \"DevAlt\": 50,\n"
                                   "    \"DevLocRadius\": 100,\n"
                                   "    \"DevAltRadius\": 50,\n"
                                   "    \"DevUlFCntUpUsed\": 7010,\n"
                                   "    \"DevLocDilution\": 10,\n"
                                   "    \"DevAltDilution\": 0,\n"
                                   "    \"DevNorthVel\": 1,\n"
                                   "    \"DevEastVel\": 1,\n"
                                   "    \"CustomerID\": \"100000507\",\n"
                                   "    \"CustomerData\": {\n"
                                   "      \"loc\": {\n"
                                   "        \"lat\": \"43.58081\",\n"
                                   "        \"lon\": \"1.4421667\"\n"
                                   "      },\n"
                                   "      \"alr\": {\n"
                                   "        \"pro\": \"STL\",\n"
                                   "        \"ver\": \"1\"\n"
                                   "      },\n"
                                   "      \"tags\": [\n"
                                   "        \"tag1\",\n"
                                   "        \"tag2\"\n"
                                   "      ],\n"
                                   "      \"doms\": [\n"
                                   "        {\n"
                                   "          \"n\": \"France/Paris\",\n"
                                   "          \"g\": \"Site\"\n"
                                   "        },\n"
                                   "        {\n"
                                   "          \"n\": \"Location\",\n"
                                   "          \"g\": \"Vertical\"\n"
                                   "        }\n"
                                   "      ],\n"
                                   "      \"name\": \"My device name\"\n"
                                   "    },\n"
                                   "    \"ModelCfg\": \"1:TemperatureService, 2:SwissPostDevice\"\n"
                                   "  }\n"
                                   "}\n";

/* Prefix to complete: an uplink report with its identity. */
#define UP "{'DevEUI_uplink':{'DevEUI':'0018B20000000B20','Time':'2016-10-11T10:58:36.313+02:00',"
/* 2016-10-11T08:58:36.313Z */
#define UP_US INT64_C(1476176316313000)

static void test_documented_strings(void)
{
    static const uint8_t payload[] = { 0x9e, 0x1c, 0x48, 0x52, 0x51, 0x20, 0x00,
                                       0x22, 0x00, 0x20, 0xe3, 0x83, 0x10, 0x71 };

    MUE_ASSERT_INT_EQ(parse_s(tpx_strings), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    MUE_ASSERT_STR_EQ(ev.up.network, "thingpark");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0018b20000000b20");
    /* 2018-10-03T15:38:46.882+02:00 is 13:38:46.882Z. */
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1538573926882000));
    MUE_ASSERT_STR_EQ(ev.up.id, "tp:0018b20000000b20:1174:1538573926882000");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 1);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 1174);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, sizeof(payload));
    MUE_ASSERT(memcmp(ev.up.payload, payload, sizeof(payload)) == 0);
    MUE_ASSERT(ev.up.has_radio);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -80);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 7, 1e-9);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 7);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "004A18E3");
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 0);
    MUE_ASSERT_STR_EQ(ev.up.device_name, "");
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
}

static void test_documented_numbers_with_driver(void)
{
    MUE_ASSERT_INT_EQ(parse_s(tpx_numbers), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0018b20000000bee");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1734427015911000));
    MUE_ASSERT_STR_EQ(ev.up.id, "tp:0018b20000000bee:368:1734427015911000");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 1);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 368);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 14);
    MUE_ASSERT_UINT_EQ(ev.up.payload[0], 0x9e);
    MUE_ASSERT_UINT_EQ(ev.up.payload[13], 0xc9);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -84);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 9.75, 1e-9);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "10001273");
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 868500000);
    MUE_ASSERT_STR_EQ(ev.up.device_name, "Adeunis FieldTester #Bruno");
    MUE_ASSERT(same_json(ev.up.decoded_json,
                         "{\"triggeredByAccelerometer\":false,\"triggeredByPushbutton\":false,"
                         "\"temperature\":24,\"gps\":{\"latitude\":{\"hemisphere\":\"NORTH\","
                         "\"degrees\":48,\"minutes\":56.043},\"longitude\":{\"hemisphere\":"
                         "\"EAST\",\"degrees\":2,\"minutes\":11.77}},\"uplinkFrameCounter\":186,"
                         "\"downlinkFrameCounter\":174,\"batteryVoltage\":3017}"));
}

static void test_captured_push(void)
{
    MUE_ASSERT_INT_EQ(parse_s(digita_push), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tp:70b3d57050011422:3866:1645719797468000");
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 20);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 8);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -113);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, -11, 1e-9);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 8);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "FF0109A4");
}

static void test_documented_location(void)
{
    MUE_ASSERT_INT_EQ(parse_s(tpx_location), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOCATION);
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 10.11212, 1e-9);
    MUE_ASSERT_DBL_NEAR(ev.dev.longitude, 7.44464, 1e-9);
    MUE_ASSERT_DBL_NEAR(ev.dev.altitude, 50, 1e-9);
    MUE_ASSERT_STR_EQ(ev.up.network, "thingpark");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "000000000f1d8693");
    MUE_ASSERT_STR_EQ(ev.up.device_name, "My device name");
    /* The fix's time (DevLocTime, 09:00:43.336Z); the id from the report's (14:06:38.49Z). */
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1580115643336000));
    MUE_ASSERT_STR_EQ(ev.up.id, "tp:location:000000000f1d8693:1594303598490000");
}

static void test_location_variants(void)
{
    static const char head[] =
        "{'DevEUI_location':{'DevEUI':'0059AC0000000001','Time':'2018-01-12T10:00:00.000+01:00',";

    char body[256];

    snprintf(body, sizeof(body), "%s'DevLAT':'51.907218','DevLON':'4.489303','DevAlt':''}}", head);
    MUE_ASSERT_INT_EQ(parse_q(body), 0);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 51.907218, 1e-9);
    MUE_ASSERT_DBL_NEAR(ev.dev.altitude, 0, 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1515747600000000));
    /* KPN's token example leaves every value "": no position, nothing to report. */
    snprintf(body, sizeof(body), "%s'DevLAT':'','DevLON':''}}", head);
    EXPECT_FAIL(body, "DevEUI_location.DevLAT: missing");
    snprintf(body, sizeof(body), "%s'DevLAT':1}}", head);
    EXPECT_FAIL(body, "DevEUI_location.DevLON: missing");
    snprintf(body, sizeof(body), "%s'DevLAT':'95','DevLON':1}}", head);
    EXPECT_FAIL(body, "DevEUI_location.DevLAT: out of range");
    snprintf(body, sizeof(body), "%s'DevLAT':1,'DevLON':'east'}}", head);
    EXPECT_FAIL(body, "DevEUI_location.DevLON: not a number");
    snprintf(body, sizeof(body), "%s'DevLAT':1,'DevLON':1,'DevLocTime':'soon'}}", head);
    EXPECT_FAIL(body, "DevEUI_location.DevLocTime: not an ISO 8601 time with an offset");
    EXPECT_FAIL("{'DevEUI_location':{'DevEUI':'0059AC0000000001','DevLAT':1,'DevLON':1}}",
                "DevEUI_location.Time: missing");
}

static void test_best_reception(void)
{
    /* No DevLrrCnt: the receptions listed are the count; the best RSSI wins, ties to SNR. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'Lrrs':{'Lrr':[{'Lrrid':'A','LrrRSSI':'-101.5','LrrSNR':'2'},"
                                 "{'Lrrid':'B','LrrRSSI':-90,'LrrSNR':-3},"
                                 "{'Lrrid':'C','LrrRSSI':-90.2,'LrrSNR':'5.25'}]}}}"),
                      0);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 3);
    MUE_ASSERT(ev.up.has_radio);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -90);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 5.25, 1e-9);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "C");
    /* The report's own LRR competes with the list. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'Lrrid':'TOP','LrrRSSI':-70,'DevLrrCnt':'4',"
                                 "'Lrrs':{'Lrr':[{'Lrrid':'A','LrrRSSI':-75}]}}}"),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "TOP");
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 4);
    /* A single Lrr as an object, as XML-converted reports have it. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'Lrrs':{'Lrr':{'Lrrid':'X','LrrRSSI':'-99'}}}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "X");
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    /* Only the report's own. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'LrrRSSI':'-100.4'}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -100);
}

static void test_minimal_report_defaults(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "'FCntUp':'0'}}"), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "tp:0018b20000000b20:0:1476176316313000");
    MUE_ASSERT_INT_EQ(ev.up.time_us, UP_US);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 0);
    MUE_ASSERT(!ev.up.has_radio);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 0);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "");
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
    /* "" stands for no value in ThingPark's reports. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'FPort':'','LrrSNR':'','payload_hex':''}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 0);
}

static void test_numbers_as_strings_or_numbers(void)
{
    MUE_ASSERT_INT_EQ(parse_q(UP "'FPort':'2','FCntUp':4294967295,'SpFact':12,'Frequency':'868.1',"
                                 "'LrrRSSI':'-1.2e2','LrrSNR':'+.5'}}"),
                      0);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 2);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, UINT32_MAX);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 12);
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 868100000);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -120);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 0.5, 1e-12);
    MUE_ASSERT_INT_EQ(parse_q(UP "'FCntUp':'4294967295'}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, UINT32_MAX);

    EXPECT_FAIL(UP "'FCntUp':'4294967296'}}", "DevEUI_uplink.FCntUp: out of range");
    EXPECT_FAIL(UP "'FCntUp':'99999999999999999999999'}}", "DevEUI_uplink.FCntUp: out of range");
    EXPECT_FAIL(UP "'FCntUp':4294967296}}", "DevEUI_uplink.FCntUp: out of range");
    EXPECT_FAIL(UP "'FPort':'1.0'}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'FPort':1.0}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'FPort':' 1'}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'FPort':'-1'}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'FPort':-1}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'FPort':true}}", "DevEUI_uplink.FPort: not an unsigned integer");
    EXPECT_FAIL(UP "'SpFact':'SF7'}}", "DevEUI_uplink.SpFact: not an unsigned integer");
    EXPECT_FAIL(UP "'DevLrrCnt':[1]}}", "DevEUI_uplink.DevLrrCnt: not an unsigned integer");
    EXPECT_FAIL(UP "'LrrRSSI':'abc'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'inf'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'nan'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'0x10'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':' -80'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'-80 '}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'-'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'1e'}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':true}}", "DevEUI_uplink.LrrRSSI: not a number");
    EXPECT_FAIL(UP "'LrrRSSI':'1e400'}}", "DevEUI_uplink.LrrRSSI: out of range");
    EXPECT_FAIL(UP "'LrrRSSI':-3e9}}", "DevEUI_uplink.LrrRSSI: out of range");
    EXPECT_FAIL(UP "'LrrSNR':{}}}", "DevEUI_uplink.LrrSNR: not a number");
    EXPECT_FAIL(UP "'Frequency':-868.1}}", "DevEUI_uplink.Frequency: out of range");
    EXPECT_FAIL(UP "'Frequency':'1e9'}}", "DevEUI_uplink.Frequency: out of range");
}

static void test_field_errors(void)
{
    EXPECT_FAIL("{'DevEUI_uplink':{'Time':'2016-10-11T10:58:36.313+02:00'}}",
                "DevEUI_uplink.DevEUI: missing");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B2'}}",
                "DevEUI_uplink.DevEUI: not 16 hex digits");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'XXXXXXXXXXXXXXXX'}}",
                "DevEUI_uplink.DevEUI: not 16 hex digits");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B20'}}", "DevEUI_uplink.Time: missing");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B20','Time':''}}",
                "DevEUI_uplink.Time: missing");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B20','Time':1476176316}}",
                "DevEUI_uplink.Time: not a string");
    /* A local time is ambiguous; KPN's documented placeholder is not a time either. */
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B20','Time':'2016-10-11T10:58:36.313'}}",
                "DevEUI_uplink.Time: not an ISO 8601 time with an offset");
    EXPECT_FAIL("{'DevEUI_uplink':{'DevEUI':'0018B20000000B20',"
                "'Time':'yyyy-mm-ddThh:mm:ss.sss+01:00'}}",
                "DevEUI_uplink.Time: not an ISO 8601 time with an offset");
    EXPECT_FAIL(UP "'payload_hex':'9e1'}}", "DevEUI_uplink.payload_hex: not hex");
    EXPECT_FAIL(UP "'payload_hex':'9g'}}", "DevEUI_uplink.payload_hex: not hex");
    EXPECT_FAIL(UP "'payload_hex':9}}", "DevEUI_uplink.payload_hex: not a string");
    EXPECT_FAIL(UP "'payload':'t=21'}}", "DevEUI_uplink.payload: not an object");
    EXPECT_FAIL(UP "'CustomerData':'x'}}", "DevEUI_uplink.CustomerData: not an object");
    EXPECT_FAIL(UP "'CustomerData':{'name':1}}}", "DevEUI_uplink.CustomerData.name: not a string");
    EXPECT_FAIL(UP "'Lrrs':[]}}", "DevEUI_uplink.Lrrs: not an object");
    EXPECT_FAIL(UP "'Lrrs':{'Lrr':'A'}}}", "DevEUI_uplink.Lrrs.Lrr: not an array");
    EXPECT_FAIL(UP "'Lrrs':{'Lrr':[{},3]}}}", "DevEUI_uplink.Lrrs.Lrr[1]: not an object");
    EXPECT_FAIL(UP "'Lrrs':{'Lrr':[{'Lrrid':5}]}}}",
                "DevEUI_uplink.Lrrs.Lrr[0].Lrrid: not a string");
    EXPECT_FAIL(UP "'Lrrs':{'Lrr':[{'LrrRSSI':'x'}]}}}",
                "DevEUI_uplink.Lrrs.Lrr[0].LrrRSSI: not a number");
    EXPECT_FAIL(UP "'Lrrs':{'Lrr':{'LrrSNR':'x'}}}}",
                "DevEUI_uplink.Lrrs.Lrr.LrrSNR: not a number");
    EXPECT_FAIL(UP "'Lrrid':7}}", "DevEUI_uplink.Lrrid: not a string");
}

/* Builds an uplink report whose payload_hex is 'n' hex digits "00". */
static int parse_with_hex_digits(size_t n)
{
    static const char head[] = "{\"DevEUI_uplink\":{\"DevEUI\":\"0018B20000000B20\","
                               "\"Time\":\"2016-10-11T10:58:36.313+02:00\",\"payload_hex\":\"";
    static char body[WEBHOOK_MAX_PAYLOAD * 2 + 200];
    size_t len = strlen(head);

    MUE_ASSERT(len + n + 3 <= sizeof(body));
    memcpy(body, head, len);
    memset(body + len, '0', n);
    len += n;
    memcpy(body + len, "\"}}", 3);
    return parse_raw(body, len + 3);
}

static void test_payload_size_limit(void)
{
    char why[96];

    MUE_ASSERT_INT_EQ(parse_with_hex_digits(2 * WEBHOOK_MAX_PAYLOAD), 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_INT_EQ(parse_with_hex_digits(2 * WEBHOOK_MAX_PAYLOAD + 2), MUE_EDECODE);
    snprintf(why, sizeof(why), "DevEUI_uplink.payload_hex: payload larger than %d bytes",
             WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_STR_EQ(reason, why);
    /* Upper-case digits are hex too. */
    MUE_ASSERT_INT_EQ(parse_q(UP "'payload_hex':'ABcd'}}"), 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload[0], 0xab);
    MUE_ASSERT_UINT_EQ(ev.up.payload[1], 0xcd);
}

static void test_report_types(void)
{
    EXPECT_NOTSUP("{'DevEUI_notification':{'DevEUI':'000000000F1D8693','Type':'join'}}",
                  "DevEUI_notification: report type not handled");
    EXPECT_NOTSUP("{'DevEUI_downlink_Sent':{}}", "DevEUI_downlink_Sent: report type not handled");
    EXPECT_NOTSUP("{'DevEUI_multicast_summary':{}}",
                  "DevEUI_multicast_summary: report type not handled");
    EXPECT_NOTSUP("{'DevEUI_teleport':{'DevEUI':'000000000F1D8693'}}",
                  "a report type mue does not know");
    EXPECT_FAIL("{'hello':1}", "not a ThingPark report");
    EXPECT_FAIL("{}", "empty object: DevEUI_uplink expected");
    EXPECT_FAIL(UP "'FPort':1},'DevEUI_location':{}}", "more than one report in the body");
    EXPECT_FAIL("{'DevEUI_uplink':[]}", "DevEUI_uplink: not an object");
    EXPECT_FAIL("{'DevEUI_uplink':null}", "DevEUI_uplink: missing");
    EXPECT_FAIL("{'DevEUI_location':'x'}", "DevEUI_location: not an object");
}

static void test_invalid_bodies(void)
{
    size_t n = strlen(tpx_strings);

    EXPECT_FAIL("", "invalid JSON at line 1, column 0");
    EXPECT_FAIL("[{}]", "body is not a JSON object");
    EXPECT_FAIL(UP "'FPort':1,'FPort':2}}", "duplicate key at line 1");
    for (size_t i = 0; i + 1 < n; i++) {
        MUE_ASSERT_INT_EQ(parse_raw(tpx_strings, i), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0');
    }
    MUE_ASSERT_INT_EQ(webhook_thingpark_parse(NULL, 0, &ev, reason, sizeof(reason)), MUE_EDECODE);
}

static void test_out_untouched_on_failure(void)
{
    struct webhook_event e;

    memset(&e, 0x5a, sizeof(e));
    MUE_ASSERT_INT_EQ(webhook_thingpark_parse("{\"DevEUI_uplink\":{}}", 20, &e, NULL, 0),
                      MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[0], 0x5a);
    MUE_ASSERT_UINT_EQ(((const unsigned char *)&e)[sizeof(e) - 1], 0x5a);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_documented_strings),
        MUE_TEST(test_documented_numbers_with_driver),
        MUE_TEST(test_captured_push),
        MUE_TEST(test_documented_location),
        MUE_TEST(test_location_variants),
        MUE_TEST(test_best_reception),
        MUE_TEST(test_minimal_report_defaults),
        MUE_TEST(test_numbers_as_strings_or_numbers),
        MUE_TEST(test_field_errors),
        MUE_TEST(test_payload_size_limit),
        MUE_TEST(test_report_types),
        MUE_TEST(test_invalid_bodies),
        MUE_TEST(test_out_untouched_on_failure),
    };
    return mue_test_run("webhook_thingpark", tests);
}
