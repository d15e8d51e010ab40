/* test_downlink_queue.c - the device queue listings the forwarder reads before calling again after
 * a call that may have queued a downlink unheard: ChirpStack's GetQueue and The Things Stack's
 * DownlinkQueueList, their calls and their answers.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "downlink.h"
#include "mue_err.h"

static struct downlink_config config(void)
{
    struct downlink_config c;

    memset(&c, 0, sizeof(c));
    c.chirpstack_api_url = "http://chirpstack-rest-api:8090/";
    c.chirpstack_api_token = "cs-token";
    c.tts_api_url = "https://eu1.cloud.thethings.network";
    c.tts_api_key = "NNSXS.KEY";
    c.tts_application_id = "pav-amp";
    c.tts_webhook_id = "mue";
    return c;
}

/* The forwarder's request: port 15, confirmed, payload be ef ("vu8="). */
static struct downlink_request request(const char *network)
{
    struct downlink_request rq;

    memset(&rq, 0, sizeof(rq));
    strcpy(rq.id, "admin:70b3d5e75e001a2b:1750000000000000");
    strcpy(rq.network, network);
    strcpy(rq.dev_eui, "70b3d5e75e001a2b");
    rq.f_port = 15;
    rq.payload[0] = 0xbe;
    rq.payload[1] = 0xef;
    rq.payload_len = 2;
    rq.confirmed = true;
    return rq;
}

/* A copy of exactly the text's bytes, without its NUL, so the sanitizers catch a read past it. */
static char *bytes_of(const char *text, size_t *len)
{
    char *b;

    *len = strlen(text);
    b = malloc(*len > 0 ? *len : 1);
    memcpy(b, text, *len);
    return b;
}

static int cs_find(const char *text, const struct downlink_request *rq,
                   char ids[][DOWNLINK_REF_CAP], int max, char *reason, size_t cap)
{
    size_t len;
    char *b = bytes_of(text, &len);
    int rc = downlink_chirpstack_find_queued(b, len, rq, ids, max, reason, cap);

    free(b);
    return rc;
}

static int tts_find(const char *text, const struct downlink_request *rq, char *reason, size_t cap)
{
    size_t len;
    char *b = bytes_of(text, &len);
    int rc = downlink_tts_find_queued(b, len, rq, reason, cap);

    free(b);
    return rc;
}

/* --- the calls */

static void test_chirpstack_queue_call_is_a_get_of_the_device_queue_with_the_token(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("chirpstack");
    struct downlink_call call;
    char reason[160] = "";

    MUE_ASSERT_INT_EQ(downlink_chirpstack_queue_call(&rq, &c, &call, reason, sizeof(reason)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(call.url,
                      "http://chirpstack-rest-api:8090/api/devices/70b3d5e75e001a2b/queue");
    MUE_ASSERT_STR_EQ(call.authorization, "Authorization: Bearer cs-token");
    MUE_ASSERT(call.body == NULL);
    MUE_ASSERT_UINT_EQ(call.body_len, 0);
    downlink_call_fini(&call);
    c.chirpstack_api_url = NULL;
    MUE_ASSERT_INT_EQ(downlink_chirpstack_queue_call(&rq, &c, &call, reason, sizeof(reason)),
                      MUE_ECONFIG);
    MUE_ASSERT_STR_EQ(reason, "ChirpStack's API is not configured (MUE_CHIRPSTACK_API_URL)");
}

static void test_tts_queue_call_lists_the_application_servers_queue_of_the_device(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("tts");
    struct downlink_call call;
    char reason[160] = "";

    MUE_ASSERT_INT_EQ(downlink_tts_queue_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url, "https://eu1.cloud.thethings.network/api/v3/as/applications/"
                                "pav-amp/devices/eui-70b3d5e75e001a2b/down");
    MUE_ASSERT_STR_EQ(call.authorization, "Authorization: Bearer NNSXS.KEY");
    MUE_ASSERT(call.body == NULL);
    downlink_call_fini(&call);
    /* The ids the request names win, as for the push. */
    strcpy(rq.application_id, "eaux-touloubre");
    strcpy(rq.device_id, "dl-mbx-01");
    MUE_ASSERT_INT_EQ(downlink_tts_queue_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url, "https://eu1.cloud.thethings.network/api/v3/as/applications/"
                                "eaux-touloubre/devices/dl-mbx-01/down");
    downlink_call_fini(&call);
    c.tts_api_url = "";
    MUE_ASSERT_INT_EQ(downlink_tts_queue_call(&rq, &c, &call, reason, sizeof(reason)), MUE_ECONFIG);
    MUE_ASSERT_STR_EQ(reason, "The Things Stack's API is not configured (MUE_TTS_API_URL)");
}

/* --- ChirpStack's listing */

/* GetDeviceQueueItemsResponse as the REST API writes it (protobuf JSON mapping, camelCase): an
 * item of another port, then the forwarder's, already sent and waiting for its ack. */
static const char cs_listing[] =
    "{\"totalCount\":2,\"result\":["
    "{\"id\":\"3f0e8a4c-59b2-4c4e-9d37-0b1c2d3e4f50\",\"devEui\":\"70b3d5e75e001a2b\","
    "\"confirmed\":true,\"fPort\":10,\"data\":\"vu8=\",\"object\":null,\"isPending\":false,"
    "\"fCntDown\":0,\"isEncrypted\":false,\"expiresAt\":null},"
    "{\"id\":\"0b7c1e4a-8f2d-4e6a-9c1b-2d3e4f5a6b7c\",\"devEui\":\"70b3d5e75e001a2b\","
    "\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\",\"object\":null,\"isPending\":true,"
    "\"fCntDown\":41,\"isEncrypted\":false,\"expiresAt\":null}]}";

static void test_chirpstack_item_of_the_same_port_flag_and_bytes_is_found(void)
{
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    MUE_ASSERT_INT_EQ(cs_find(cs_listing, &rq, ids, 4, reason, sizeof(reason)), 1);
    MUE_ASSERT_STR_EQ(ids[0], "0b7c1e4a-8f2d-4e6a-9c1b-2d3e4f5a6b7c");
}

static void test_chirpstack_items_that_differ_in_anything_are_not_it(void)
{
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    rq.confirmed = false;
    MUE_ASSERT_INT_EQ(cs_find(cs_listing, &rq, ids, 4, reason, sizeof(reason)), 0);
    rq = request("chirpstack");
    rq.payload[1] = 0xee;
    MUE_ASSERT_INT_EQ(cs_find(cs_listing, &rq, ids, 4, reason, sizeof(reason)), 0);
    rq = request("chirpstack");
    rq.payload_len = 3; /* be ef 00 */
    MUE_ASSERT_INT_EQ(cs_find(cs_listing, &rq, ids, 4, reason, sizeof(reason)), 0);
    rq = request("chirpstack");
    rq.f_port = 16;
    MUE_ASSERT_INT_EQ(cs_find(cs_listing, &rq, ids, 4, reason, sizeof(reason)), 0);
    /* Encrypted by an application: not a payload mue sent. */
    rq = request("chirpstack");
    MUE_ASSERT_INT_EQ(cs_find("{\"result\":[{\"id\":\"ab-12\",\"confirmed\":true,\"fPort\":15,"
                              "\"data\":\"vu8=\",\"isEncrypted\":true}]}",
                              &rq, ids, 4, reason, sizeof(reason)),
                      0);
}

/* ChirpStack leaves out false, zero and empty fields: an unconfirmed item on port 0 with no data
 * is {"id": ...}, and an empty queue may be {} or {"totalCount": 0}. */
static void test_chirpstack_omitted_fields_are_false_zero_and_empty(void)
{
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    MUE_ASSERT_INT_EQ(cs_find("{}", &rq, ids, 4, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(cs_find("{\"totalCount\":0}", &rq, ids, 4, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(
        cs_find("{\"totalCount\":0,\"result\":[]}", &rq, ids, 4, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(cs_find("{\"result\":null}", &rq, ids, 4, reason, sizeof(reason)), 0);
    rq.confirmed = false;
    rq.payload_len = 0;
    MUE_ASSERT_INT_EQ(cs_find("{\"result\":[{\"id\":\"aa-01\",\"fPort\":15}]}", &rq, ids, 4, reason,
                              sizeof(reason)),
                      1);
    MUE_ASSERT_STR_EQ(ids[0], "aa-01");
    MUE_ASSERT_INT_EQ(cs_find("{\"result\":[{\"id\":\"aa-01\",\"fPort\":15,\"data\":\"\"}]}", &rq,
                              ids, 4, reason, sizeof(reason)),
                      1);
}

static void test_chirpstack_port_as_a_string_is_read(void)
{
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    MUE_ASSERT_INT_EQ(cs_find("{\"result\":[{\"id\":\"aa-01\",\"confirmed\":true,\"fPort\":\"15\","
                              "\"data\":\"vu8=\"}]}",
                              &rq, ids, 4, reason, sizeof(reason)),
                      1);
}

static void test_chirpstack_several_matches_come_oldest_first_up_to_max(void)
{
    static const char listing[] =
        "{\"result\":["
        "{\"id\":\"aa-01\",\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"},"
        "{\"id\":\"aa-02\",\"confirmed\":true,\"fPort\":15,\"data\":\"vu8\"},"
        "{\"id\":\"aa-03\",\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"}]}";
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    MUE_ASSERT_INT_EQ(cs_find(listing, &rq, ids, 4, reason, sizeof(reason)), 3);
    MUE_ASSERT_STR_EQ(ids[0], "aa-01");
    MUE_ASSERT_STR_EQ(ids[1], "aa-02"); /* unpadded base64: the same bytes */
    MUE_ASSERT_STR_EQ(ids[2], "aa-03");
    MUE_ASSERT_INT_EQ(cs_find(listing, &rq, ids, 2, reason, sizeof(reason)), 2);
    MUE_ASSERT_STR_EQ(ids[1], "aa-02");
}

/* Another party's item longer than any downlink mue sends is simply not it. */
static void test_chirpstack_an_item_longer_than_any_downlink_is_not_it(void)
{
    char listing[1024], data[400];
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160] = "";

    memset(data, 'A', 332); /* 249 bytes */
    data[332] = '\0';
    snprintf(listing, sizeof(listing),
             "{\"result\":[{\"id\":\"aa-01\",\"confirmed\":true,\"fPort\":15,\"data\":\"%s\"},"
             "{\"id\":\"aa-02\",\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"}]}",
             data);
    MUE_ASSERT_INT_EQ(cs_find(listing, &rq, ids, 4, reason, sizeof(reason)), 1);
    MUE_ASSERT_STR_EQ(ids[0], "aa-02");
}

static void test_chirpstack_bad_listings_are_decode_errors_naming_the_field(void)
{
    static const struct {
        const char *body, *reason;
    } bad[] = {
        { "{\"result\":[{\"id\":\"aa-01\",\"fPort\":true}]}",
          "result[0].fPort: not an unsigned integer" },
        { "{\"result\":[{\"id\":\"aa-01\",\"fPort\":-1}]}", "result[0].fPort:" },
        { "{\"result\":[{\"id\":\"aa-01\",\"fPort\":\"15x\"}]}",
          "result[0].fPort: not an unsigned integer" },
        { "{\"result\":[{\"id\":\"aa-01\",\"confirmed\":\"true\"}]}",
          "result[0].confirmed: not a boolean" },
        { "{\"result\":[{\"id\":\"aa-01\",\"isEncrypted\":1}]}",
          "result[0].isEncrypted: not a boolean" },
        { "{\"result\":[{\"id\":\"aa-01\",\"data\":\"vu8*\"}]}", "result[0].data: not base64" },
        { "{\"result\":[{\"id\":\"aa-01\",\"data\":42}]}", "result[0].data:" },
        { "{\"result\":[{}, 7]}", "result[1]: not an object" },
        { "{\"result\":{\"id\":\"aa-01\"}}", "result:" },
        /* The matching item's id becomes a key and a status field. */
        { "{\"result\":[{\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"}]}", "result[0].id:" },
        { "{\"result\":[{\"id\":\"a b\",\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"}]}",
          "result[0].id: not a queue item id" },
        { "{\"result\":[{\"id\":\"0b7c1e4a-8f2d-4e6a-9c1b-2d3e4f5a6b7c0b7c1e4a-8f2d-4e6a-9c1b-"
          "2d3e4f5a6\","
          "\"confirmed\":true,\"fPort\":15,\"data\":\"vu8=\"}]}",
          "result[0].id: not a queue item id" },
        { "[]", "" },
        { "{\"result\":[", "" },
        { "", "" },
    };
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char reason[160] = "";
        MUE_ASSERT_INT_EQ(cs_find(bad[i].body, &rq, ids, 4, reason, sizeof(reason)), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0');
        if (strncmp(reason, bad[i].reason, strlen(bad[i].reason)) != 0) {
            char m[400];
            snprintf(m, sizeof(m), "case %zu: reason \"%s\" does not start with \"%s\"", i, reason,
                     bad[i].reason);
            mue_test_fail(__FILE__, __LINE__, m);
        }
    }
}

/* Every prefix of a valid listing is refused, never read past. */
static void test_chirpstack_truncated_listings_are_refused(void)
{
    struct downlink_request rq = request("chirpstack");
    char ids[4][DOWNLINK_REF_CAP], reason[160];

    for (size_t n = 0; n < sizeof(cs_listing) - 1; n++) {
        char *b = malloc(n > 0 ? n : 1);
        memcpy(b, cs_listing, n);
        MUE_ASSERT_INT_EQ(
            downlink_chirpstack_find_queued(b, n, &rq, ids, 4, reason, sizeof(reason)),
            MUE_EDECODE);
        free(b);
    }
}

/* --- The Things Stack's listing */

static const char tts_listing[] =
    "{\"downlinks\":["
    "{\"session_key_id\":\"AXBSH1Pk6Z0G166nB4C7+A==\",\"f_port\":15,\"f_cnt\":7,"
    "\"frm_payload\":\"vu8=\",\"confirmed\":true,\"priority\":\"NORMAL\","
    "\"correlation_ids\":[\"as:downlink:01HZX3J8Q5W6E7R8T9Y0U1I2O3\","
    "\"mue:dl:admin:70b3d5e75e001a2b:1749999999999999\"]},"
    "{\"session_key_id\":\"AXBSH1Pk6Z0G166nB4C7+A==\",\"f_port\":15,\"f_cnt\":8,"
    "\"frm_payload\":\"vu8=\",\"confirmed\":true,\"priority\":\"NORMAL\","
    "\"correlation_ids\":[\"as:downlink:01HZX3J8Q5W6E7R8T9Y0U1I2O4\","
    "\"mue:dl:admin:70b3d5e75e001a2b:1750000000000000\"]}]}";

static void test_tts_entry_with_the_requests_correlation_id_is_found(void)
{
    struct downlink_request rq = request("tts");
    char reason[160] = "";

    MUE_ASSERT_INT_EQ(tts_find(tts_listing, &rq, reason, sizeof(reason)), 1);
    /* The same bytes under another request's id are another downlink. */
    strcpy(rq.id, "admin:70b3d5e75e001a2b:1750000000000001");
    MUE_ASSERT_INT_EQ(tts_find(tts_listing, &rq, reason, sizeof(reason)), 0);
    /* Whole ids only, either way round. */
    strcpy(rq.id, "admin:70b3d5e75e001a2b:175000000000000");
    MUE_ASSERT_INT_EQ(tts_find(tts_listing, &rq, reason, sizeof(reason)), 0);
    strcpy(rq.id, "admin:70b3d5e75e001a2b:1750000000000000");
    MUE_ASSERT_INT_EQ(tts_find("{\"downlinks\":[{\"correlation_ids\":[\"mue:dl:admin:70b3d5e75e\","
                               "\"mue:dl:\",\"\"]}]}",
                               &rq, reason, sizeof(reason)),
                      0);
}

/* TTS omits empty fields: an empty queue is {}, an entry may have no correlation ids. */
static void test_tts_omitted_lists_are_empty(void)
{
    struct downlink_request rq = request("tts");
    char reason[160] = "";

    MUE_ASSERT_INT_EQ(tts_find("{}", &rq, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(tts_find("{\"downlinks\":[]}", &rq, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(tts_find("{\"downlinks\":null}", &rq, reason, sizeof(reason)), 0);
    MUE_ASSERT_INT_EQ(tts_find("{\"downlinks\":[{\"f_port\":15},{\"correlation_ids\":[]}]}", &rq,
                               reason, sizeof(reason)),
                      0);
}

static void test_tts_bad_listings_are_decode_errors_naming_the_field(void)
{
    static const struct {
        const char *body, *reason;
    } bad[] = {
        { "{\"downlinks\":{}}", "downlinks:" },
        { "{\"downlinks\":[\"x\"]}", "downlinks[0]: not an object" },
        { "{\"downlinks\":[{\"correlation_ids\":\"mue:dl:x\"}]}", "downlinks[0].correlation_ids:" },
        { "{\"downlinks\":[{},{\"correlation_ids\":[\"a\",7]}]}",
          "downlinks[1].correlation_ids[1]: not a string" },
        { "{\"downlinks\":[", "" },
        { "null", "" },
    };
    struct downlink_request rq = request("tts");

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char reason[160] = "";
        MUE_ASSERT_INT_EQ(tts_find(bad[i].body, &rq, reason, sizeof(reason)), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0');
        if (strncmp(reason, bad[i].reason, strlen(bad[i].reason)) != 0) {
            char m[400];
            snprintf(m, sizeof(m), "case %zu: reason \"%s\" does not start with \"%s\"", i, reason,
                     bad[i].reason);
            mue_test_fail(__FILE__, __LINE__, m);
        }
    }
}

static void test_tts_truncated_listings_are_refused(void)
{
    struct downlink_request rq = request("tts");
    char reason[160];

    for (size_t n = 0; n < sizeof(tts_listing) - 1; n++) {
        char *b = malloc(n > 0 ? n : 1);
        memcpy(b, tts_listing, n);
        MUE_ASSERT_INT_EQ(downlink_tts_find_queued(b, n, &rq, reason, sizeof(reason)), MUE_EDECODE);
        free(b);
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_chirpstack_queue_call_is_a_get_of_the_device_queue_with_the_token),
        MUE_TEST(test_tts_queue_call_lists_the_application_servers_queue_of_the_device),
        MUE_TEST(test_chirpstack_item_of_the_same_port_flag_and_bytes_is_found),
        MUE_TEST(test_chirpstack_items_that_differ_in_anything_are_not_it),
        MUE_TEST(test_chirpstack_omitted_fields_are_false_zero_and_empty),
        MUE_TEST(test_chirpstack_port_as_a_string_is_read),
        MUE_TEST(test_chirpstack_several_matches_come_oldest_first_up_to_max),
        MUE_TEST(test_chirpstack_an_item_longer_than_any_downlink_is_not_it),
        MUE_TEST(test_chirpstack_bad_listings_are_decode_errors_naming_the_field),
        MUE_TEST(test_chirpstack_truncated_listings_are_refused),
        MUE_TEST(test_tts_entry_with_the_requests_correlation_id_is_found),
        MUE_TEST(test_tts_omitted_lists_are_empty),
        MUE_TEST(test_tts_bad_listings_are_decode_errors_naming_the_field),
        MUE_TEST(test_tts_truncated_listings_are_refused),
    };
    return mue_test_run("downlink_queue", tests);
}
