/* test_downlink_calls.c - the API calls built for ChirpStack and The Things Stack, and their
 * answers read.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "downlink.h"
#include "mue_err.h"

static struct downlink_config config(void)
{
    struct downlink_config c;

    memset(&c, 0, sizeof(c));
    c.chirpstack_api_url = "http://chirpstack-rest-api:8090";
    c.chirpstack_api_token = "cs-token";
    c.tts_api_url = "https://eu1.cloud.thethings.network/";
    c.tts_api_key = "NNSXS.KEY";
    c.tts_application_id = "pav-amp";
    c.tts_webhook_id = "mue";
    c.timeout_ms = 5000;
    c.max_attempts = 8;
    c.backoff_ms = 1000;
    return c;
}

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

static json_t *body_of(const struct downlink_call *call)
{
    json_error_t err;
    json_t *doc = json_loadb(call->body, call->body_len, 0, &err);

    MUE_ASSERT(doc != NULL);
    MUE_ASSERT_UINT_EQ(call->body_len, strlen(call->body));
    return doc;
}

static void test_chirpstack_enqueue_call_has_path_token_and_queue_item(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("chirpstack");
    struct downlink_call call;
    char reason[160] = "";
    json_t *doc, *item;

    MUE_ASSERT_INT_EQ(downlink_chirpstack_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url,
                      "http://chirpstack-rest-api:8090/api/devices/70b3d5e75e001a2b/queue");
    MUE_ASSERT_STR_EQ(call.authorization, "Authorization: Bearer cs-token");
    doc = body_of(&call);
    item = json_object_get(doc, "queueItem");
    MUE_ASSERT(json_is_object(item));
    MUE_ASSERT_UINT_EQ(json_object_size(doc), 1);
    MUE_ASSERT_UINT_EQ(json_object_size(item), 4);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(item, "devEui")), "70b3d5e75e001a2b");
    MUE_ASSERT(json_is_true(json_object_get(item, "confirmed")));
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(item, "fPort")), 15);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(item, "data")), "vu8=");
    json_decref(doc);
    downlink_call_fini(&call);
}

static void test_chirpstack_unconfirmed_empty_payload_and_no_token(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("chirpstack");
    struct downlink_call call;
    char reason[160] = "";
    json_t *doc, *item;

    c.chirpstack_api_url = "http://10.0.0.5:8090/prefix/";
    c.chirpstack_api_token = NULL;
    rq.confirmed = false;
    rq.payload_len = 0;
    MUE_ASSERT_INT_EQ(downlink_chirpstack_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url, "http://10.0.0.5:8090/prefix/api/devices/70b3d5e75e001a2b/queue");
    MUE_ASSERT_STR_EQ(call.authorization, "");
    doc = body_of(&call);
    item = json_object_get(doc, "queueItem");
    MUE_ASSERT(json_is_false(json_object_get(item, "confirmed")));
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(item, "data")), "");
    json_decref(doc);
    downlink_call_fini(&call);
}

static void test_chirpstack_without_api_url_is_a_configuration_failure(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("chirpstack");
    struct downlink_call call;
    char reason[160] = "";

    c.chirpstack_api_url = NULL;
    MUE_ASSERT_INT_EQ(downlink_chirpstack_call(&rq, &c, &call, reason, sizeof(reason)),
                      MUE_ECONFIG);
    MUE_ASSERT(strstr(reason, "MUE_CHIRPSTACK_API_URL") != NULL);
    MUE_ASSERT(call.body == NULL);
    downlink_call_fini(&call);
}

static void test_chirpstack_answer_gives_the_queue_item_id(void)
{
    static const char answer[] = "{\"id\":\"6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c\"}";
    char id[64] = "", reason[160] = "";

    /* Not NUL-terminated at 'len': the parser must not read past it. */
    MUE_ASSERT_INT_EQ(downlink_chirpstack_parse_answer(answer, sizeof(answer) - 1, id, sizeof(id),
                                                       reason, sizeof(reason)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(id, "6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c");
}

static void test_chirpstack_answers_without_a_usable_id_are_refused(void)
{
    static const char *const bad[] = {
        "{}",
        "{\"id\": 42}",
        "{\"id\": \"\"}",
        "{\"id\": \"6f1b4a2c 1d3e\"}",
        "{\"id\": \"../../x\"}",
        "{\"id\": \"6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c-6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c\"}",
        "{\"id\": \"6f1b4a2c",
        "[\"6f1b4a2c\"]",
        "<html>502 Bad Gateway</html>",
        "",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char id[64] = "untouched", reason[160] = "";
        MUE_ASSERT_INT_EQ(downlink_chirpstack_parse_answer(bad[i], strlen(bad[i]), id, sizeof(id),
                                                           reason, sizeof(reason)),
                          MUE_EDECODE);
        MUE_ASSERT_STR_EQ(id, "untouched");
        MUE_ASSERT(reason[0] != '\0');
    }
}

static void test_tts_push_call_has_path_key_and_downlink(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("tts");
    struct downlink_call call;
    char reason[160] = "";
    json_t *doc, *list, *dl, *corr;

    MUE_ASSERT_INT_EQ(downlink_tts_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url, "https://eu1.cloud.thethings.network/api/v3/as/applications/"
                                "pav-amp/webhooks/mue/devices/eui-70b3d5e75e001a2b/down/push");
    MUE_ASSERT_STR_EQ(call.authorization, "Authorization: Bearer NNSXS.KEY");
    doc = body_of(&call);
    list = json_object_get(doc, "downlinks");
    MUE_ASSERT(json_is_array(list));
    MUE_ASSERT_UINT_EQ(json_array_size(list), 1);
    dl = json_array_get(list, 0);
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(dl, "f_port")), 15);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(dl, "frm_payload")), "vu8=");
    MUE_ASSERT(json_is_true(json_object_get(dl, "confirmed")));
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(dl, "priority")), "NORMAL");
    corr = json_object_get(dl, "correlation_ids");
    MUE_ASSERT_UINT_EQ(json_array_size(corr), 1);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(corr, 0)),
                      "mue:dl:admin:70b3d5e75e001a2b:1750000000000000");
    json_decref(doc);
    downlink_call_fini(&call);
}

static void test_tts_ids_of_the_request_win_over_the_defaults(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("tts");
    struct downlink_call call;
    char reason[160] = "";

    strcpy(rq.application_id, "eaux-touloubre");
    strcpy(rq.device_id, "dl-mbx-01");
    MUE_ASSERT_INT_EQ(downlink_tts_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT_STR_EQ(call.url, "https://eu1.cloud.thethings.network/api/v3/as/applications/"
                                "eaux-touloubre/webhooks/mue/devices/dl-mbx-01/down/push");
    downlink_call_fini(&call);
}

static void test_tts_configuration_gaps_are_refused_with_their_variable(void)
{
    static const struct {
        const char *url, *app, *webhook, *expect;
    } cases[] = {
        { NULL, "pav-amp", "mue", "MUE_TTS_API_URL" },
        { "", "pav-amp", "mue", "MUE_TTS_API_URL" },
        { "http://tts", NULL, "mue", "MUE_TTS_APPLICATION_ID" },
        { "http://tts", "Pav_Amp", "mue", "MUE_TTS_APPLICATION_ID" },
        { "http://tts", "pav-amp", "mue/../x", "MUE_TTS_WEBHOOK_ID" },
        { "http://tts", "pav-amp", NULL, "MUE_TTS_WEBHOOK_ID" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct downlink_config c = config();
        struct downlink_request rq = request("tts");
        struct downlink_call call;
        char reason[160] = "";
        c.tts_api_url = cases[i].url;
        c.tts_application_id = cases[i].app;
        c.tts_webhook_id = cases[i].webhook;
        MUE_ASSERT_INT_EQ(downlink_tts_call(&rq, &c, &call, reason, sizeof(reason)), MUE_ECONFIG);
        MUE_ASSERT(strstr(reason, cases[i].expect) != NULL);
        downlink_call_fini(&call);
    }
}

static void test_a_full_payload_fits_both_bodies(void)
{
    struct downlink_config c = config();
    struct downlink_request rq = request("tts");
    struct downlink_call call;
    char reason[160] = "";

    memset(rq.payload, 0xff, sizeof(rq.payload));
    rq.payload_len = DOWNLINK_MAX_PAYLOAD;
    memset(rq.id, 'x', DOWNLINK_MAX_ID);
    rq.id[DOWNLINK_MAX_ID] = '\0';
    MUE_ASSERT_INT_EQ(downlink_tts_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT(strstr(call.body, "\"mue:dl:xxxx") != NULL);
    downlink_call_fini(&call);
    MUE_ASSERT_INT_EQ(downlink_chirpstack_call(&rq, &c, &call, reason, sizeof(reason)), MUE_OK);
    MUE_ASSERT(call.body_len > 4 * DOWNLINK_MAX_PAYLOAD / 3);
    downlink_call_fini(&call);
}

static void test_error_message_is_the_message_member_cleaned(void)
{
    static const char grpc[] = "{\"code\":5,\"message\":\"Object does not exist\",\"details\":[]}";
    static const char tts[] = "{\"code\":7,\"message\":\"error:pkg/auth/rights:no_application_"
                              "rights (no application rights)\"}";
    static const char control[] = "{\"message\":\"line one\\nline two\\u0007\"}";
    char out[64];

    downlink_error_message(grpc, sizeof(grpc) - 1, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "Object does not exist");
    downlink_error_message(tts, sizeof(tts) - 1, out, 24);
    MUE_ASSERT_STR_EQ(out, "error:pkg/auth/rights:n");
    downlink_error_message(control, sizeof(control) - 1, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "line one?line two?");
    downlink_error_message("<html>", 6, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "");
    downlink_error_message("{\"message\":42}", 14, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "");
    downlink_error_message(NULL, 0, out, sizeof(out));
    MUE_ASSERT_STR_EQ(out, "");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_chirpstack_enqueue_call_has_path_token_and_queue_item),
        MUE_TEST(test_chirpstack_unconfirmed_empty_payload_and_no_token),
        MUE_TEST(test_chirpstack_without_api_url_is_a_configuration_failure),
        MUE_TEST(test_chirpstack_answer_gives_the_queue_item_id),
        MUE_TEST(test_chirpstack_answers_without_a_usable_id_are_refused),
        MUE_TEST(test_tts_push_call_has_path_key_and_downlink),
        MUE_TEST(test_tts_ids_of_the_request_win_over_the_defaults),
        MUE_TEST(test_tts_configuration_gaps_are_refused_with_their_variable),
        MUE_TEST(test_a_full_payload_fits_both_bodies),
        MUE_TEST(test_error_message_is_the_message_member_cleaned),
    };
    return mue_test_run("downlink_calls", tests);
}
