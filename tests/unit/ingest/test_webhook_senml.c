/* test_webhook_senml.c - unit tests for the SenML JSON (RFC 8428) pack parser of mue-ingest.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_err.h"
#include "webhook.h"

/* An id is "senml:<dev_eui>:<earliest record µs>:" and 16 hex digits of the resolved pack's
 * SHA-256. */
#define ASSERT_ID(id, prefix)                                                                      \
    do {                                                                                           \
        MUE_ASSERT(strncmp((id), prefix ":", sizeof(prefix)) == 0);                                \
        MUE_ASSERT_UINT_EQ(strlen(id), sizeof(prefix) + 16);                                       \
        MUE_ASSERT_UINT_EQ(strspn((id) + sizeof(prefix), "0123456789abcdef"), 16);                 \
    } while (0)

#include "../mue_test.h"

#define DEV    "0004a30b001c0530"
#define NOW_US INT64_C(1700000000123456) /* 2023-11-14T22:13:20.123456Z */

static struct webhook_event ev;
static char reason[160];

/* Parses 'body' from a heap copy of exactly its length, so a read past the end is caught by the
 * sanitizers (the body is not NUL-terminated). */
static int parse_at(const char *body, int64_t now_us)
{
    size_t len = strlen(body);
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    MUE_ASSERT(copy != NULL);
    memcpy(copy, body, len);
    memset(reason, 'x', sizeof(reason));
    rc = webhook_senml_parse(copy, len, DEV, now_us, &ev, reason, sizeof(reason));
    free(copy);
    return rc;
}

static int parse(const char *body)
{
    return parse_at(body, NOW_US);
}

/* The resolved payload as a C string. */
static const char *payload(void)
{
    static char text[WEBHOOK_MAX_PAYLOAD + 1];

    MUE_ASSERT(ev.up.payload_len <= WEBHOOK_MAX_PAYLOAD);
    memcpy(text, ev.up.payload, ev.up.payload_len);
    text[ev.up.payload_len] = '\0';
    return text;
}

/* A function, not the macro, so the failure message names 'want' rather than a long literal. */
static void assert_payload(const char *want)
{
    MUE_ASSERT_STR_EQ(payload(), want);
}

static void assert_refused(const char *body, const char *want_reason)
{
    MUE_ASSERT_INT_EQ(parse(body), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, want_reason);
}

/* RFC 8428 5.1.1. */
/* Two packs of the same instant with different readings are two uplinks; the same pack posted
 * again is the same one. */
static void test_id_tells_packs_of_one_instant_apart(void)
{
    char a[160], b[160];

    MUE_ASSERT_INT_EQ(parse("[{\"bt\":1700000000,\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21}]"),
                      0);
    snprintf(a, sizeof(a), "%s", ev.up.id);
    MUE_ASSERT_INT_EQ(parse("[{\"bt\":1700000000,\"n\":\"humidity\",\"u\":\"%RH\",\"v\":40}]"), 0);
    snprintf(b, sizeof(b), "%s", ev.up.id);
    MUE_ASSERT(strcmp(a, b) != 0);
    MUE_ASSERT_INT_EQ(parse("[{\"bt\":1700000000,\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21}]"),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.id, a);
}

static void test_rfc_single_datapoint_is_now(void)
{
    MUE_ASSERT_INT_EQ(
        parse("[\n  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}\n]"), 0);
    assert_payload("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"t\":1700000000.123456,"
                   "\"v\":23.1}]");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    ASSERT_ID(ev.up.id, "senml:" DEV ":1700000000123456");
    MUE_ASSERT_STR_EQ(ev.up.network, "senml");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, DEV);
    MUE_ASSERT_STR_EQ(ev.up.device_name, "");
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
    MUE_ASSERT_INT_EQ(ev.up.time_us, NOW_US);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 0);
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 0);
    MUE_ASSERT(!ev.up.has_radio);
    MUE_ASSERT_STR_EQ(reason, "");
}

/* RFC 8428 5.1.2, first example: base name, no time. */
static void test_rfc_multiple_datapoints_now(void)
{
    MUE_ASSERT_INT_EQ(
        parse(
            "[\n"
            "  "
            "{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},\n"
            "  {\"n\":\"current\",\"u\":\"A\",\"v\":1.2}\n"
            "]"),
        0);
    assert_payload("[{\"n\":\"urn:dev:ow:10e2073a01080063:voltage\",\"u\":\"V\","
                   "\"t\":1700000000.123456,\"v\":120.1},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:current\",\"u\":\"A\","
                   "\"t\":1700000000.123456,\"v\":1.2}]");
}

/* RFC 8428 5.1.2, second example: bver 5, absolute base time, relative offsets, base unit. */
static void test_rfc_multiple_datapoints_with_base_time(void)
{
    MUE_ASSERT_INT_EQ(parse("[\n"
                            "  {\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1.276020076001e+09,\n"
                            "   \"bu\":\"A\",\"bver\":5,\n"
                            "   \"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},\n"
                            "  {\"n\":\"current\",\"t\":-5,\"v\":1.2},\n"
                            "  {\"n\":\"current\",\"t\":-4,\"v\":1.3},\n"
                            "  {\"n\":\"current\",\"t\":-3,\"v\":1.4},\n"
                            "  {\"n\":\"current\",\"t\":-2,\"v\":1.5},\n"
                            "  {\"n\":\"current\",\"t\":-1,\"v\":1.6},\n"
                            "  {\"n\":\"current\",\"v\":1.7}\n"
                            "]"),
                      0);
    /* Chronological, and the voltage keeps its place before the current of the same time; the
     * version, not 10, is on every resolved record. */
    assert_payload(
        "[{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020071.001,\"v\":1.2,"
        "\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020072.001,\"v\":1.3,"
        "\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020073.001,\"v\":1.4,"
        "\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020074.001,\"v\":1.5,"
        "\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020075.001,\"v\":1.6,"
        "\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:voltage\",\"u\":\"V\",\"t\":1276020076.001,"
        "\"v\":120.1,\"bver\":5},"
        "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\",\"t\":1276020076.001,"
        "\"v\":1.7,\"bver\":5}]");
    ASSERT_ID(ev.up.id, "senml:" DEV ":1276020071001000");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1276020076001000));
}

/* RFC 8428 5.1.3, and 5.1.4 which is the same pack resolved. */
static const char rfc_multiple_measurements[] =
    "[\n"
    "  {\"bn\":\"urn:dev:ow:10e2073a01080063\",\"bt\":1.320067464e+09,\n"
    "   \"bu\":\"%RH\",\"v\":20},\n"
    "  {\"u\":\"lon\",\"v\":24.30621},\n"
    "  {\"u\":\"lat\",\"v\":60.07965},\n"
    "  {\"t\":60,\"v\":20.3},\n"
    "  {\"u\":\"lon\",\"t\":60,\"v\":24.30622},\n"
    "  {\"u\":\"lat\",\"t\":60,\"v\":60.07965},\n"
    "  {\"t\":120,\"v\":20.7},\n"
    "  {\"u\":\"lon\",\"t\":120,\"v\":24.30623},\n"
    "  {\"u\":\"lat\",\"t\":120,\"v\":60.07966},\n"
    "  {\"u\":\"%EL\",\"t\":150,\"v\":98},\n"
    "  {\"t\":180,\"v\":21.2},\n"
    "  {\"u\":\"lon\",\"t\":180,\"v\":24.30628},\n"
    "  {\"u\":\"lat\",\"t\":180,\"v\":60.07967}\n"
    "]";

static const char rfc_resolved[] =
    "[\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1.320067464e+09,\n"
    "   \"v\":20},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1.320067464e+09,\n"
    "   \"v\":24.30621},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1.320067464e+09,\n"
    "   \"v\":60.07965},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1.320067524e+09,\n"
    "   \"v\":20.3},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1.320067524e+09,\n"
    "   \"v\":24.30622},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1.320067524e+09,\n"
    "   \"v\":60.07965},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1.320067584e+09,\n"
    "   \"v\":20.7},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1.320067584e+09,\n"
    "   \"v\":24.30623},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1.320067584e+09,\n"
    "   \"v\":60.07966},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%EL\",\"t\":1.320067614e+09,\n"
    "   \"v\":98},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1.320067644e+09,\n"
    "   \"v\":21.2},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1.320067644e+09,\n"
    "   \"v\":24.30628},\n"
    "  {\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1.320067644e+09,\n"
    "   \"v\":60.07967}\n"
    "]";

/* Every record of our payload equals the RFC's resolved record, as values. */
static void assert_payload_equals_rfc_resolved(void)
{
    json_error_t err;
    json_t *ours = json_loadb(payload(), strlen(payload()), 0, &err);
    json_t *rfc = json_loads(rfc_resolved, 0, &err);

    MUE_ASSERT(ours != NULL && rfc != NULL);
    MUE_ASSERT_UINT_EQ(json_array_size(ours), 13);
    MUE_ASSERT_UINT_EQ(json_array_size(rfc), 13);
    /* json_equal compares reals exactly; the RFC's 1.320067464e+09 and our 1320067464 are the
     * same double. */
    for (size_t i = 0; i < json_array_size(rfc); i++) {
        json_t *a = json_array_get(ours, i), *b = json_array_get(rfc, i);

        MUE_ASSERT_STR_EQ(json_string_value(json_object_get(a, "n")),
                          json_string_value(json_object_get(b, "n")));
        MUE_ASSERT_STR_EQ(json_string_value(json_object_get(a, "u")),
                          json_string_value(json_object_get(b, "u")));
        MUE_ASSERT(json_number_value(json_object_get(a, "t")) ==
                   json_number_value(json_object_get(b, "t")));
        MUE_ASSERT(json_number_value(json_object_get(a, "v")) ==
                   json_number_value(json_object_get(b, "v")));
        MUE_ASSERT_UINT_EQ(json_object_size(a), 4);
    }
    json_decref(ours);
    json_decref(rfc);
}

static void test_rfc_multiple_measurements_resolve_to_the_rfc_resolved_data(void)
{
    MUE_ASSERT_INT_EQ(parse(rfc_multiple_measurements), 0);
    assert_payload_equals_rfc_resolved();
    ASSERT_ID(ev.up.id, "senml:" DEV ":1320067464000000");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1320067644000000));
}

static void test_rfc_resolved_data_resolves_to_itself(void)
{
    MUE_ASSERT_INT_EQ(parse(rfc_resolved), 0);
    assert_payload_equals_rfc_resolved();
}

/* RFC 8428 5.1.5. */
static void test_rfc_multiple_data_types(void)
{
    MUE_ASSERT_INT_EQ(
        parse(
            "[\n"
            "  {\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1},\n"
            "  {\"n\":\"label\",\"vs\":\"Machine Room\"},\n"
            "  {\"n\":\"open\",\"vb\":false},\n"
            "  {\"n\":\"nfv-reader\",\"vd\":\"aGkgCg\"}\n"
            "]"),
        0);
    assert_payload("[{\"n\":\"urn:dev:ow:10e2073a01080063:temp\",\"u\":\"Cel\","
                   "\"t\":1700000000.123456,\"v\":23.1},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:label\","
                   "\"t\":1700000000.123456,\"vs\":\"Machine Room\"},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:open\","
                   "\"t\":1700000000.123456,\"vb\":false},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:nfv-reader\","
                   "\"t\":1700000000.123456,\"vd\":\"aGkgCg\"}]");
}

/* RFC 8428 5.1.6: the last record takes bn from the third and bt from the first. */
static void test_rfc_collection_of_resources(void)
{
    MUE_ASSERT_INT_EQ(
        parse("[\n"
              "  {\"bn\":\"2001:db8::2/\",\"bt\":1.320078429e+09,\n"
              "   \"n\":\"temperature\",\"u\":\"Cel\",\"v\":25.2},\n"
              "  {\"n\":\"humidity\",\"u\":\"%RH\",\"v\":30},\n"
              "  {\"bn\":\"2001:db8::1/\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":12.3},\n"
              "  {\"n\":\"humidity\",\"u\":\"%RH\",\"v\":67}\n"
              "]"),
        0);
    assert_payload("[{\"n\":\"2001:db8::2/temperature\",\"u\":\"Cel\",\"t\":1320078429,\"v\":25.2},"
                   "{\"n\":\"2001:db8::2/humidity\",\"u\":\"%RH\",\"t\":1320078429,\"v\":30},"
                   "{\"n\":\"2001:db8::1/temperature\",\"u\":\"Cel\",\"t\":1320078429,\"v\":12.3},"
                   "{\"n\":\"2001:db8::1/humidity\",\"u\":\"%RH\",\"t\":1320078429,\"v\":67}]");
}

/* RFC 8428 5.1.7: a first record of base fields only sets the context and yields no record. */
static void test_rfc_record_of_base_fields_only_is_context(void)
{
    MUE_ASSERT_INT_EQ(parse("[\n"
                            "  {\"bn\":\"urn:dev:ow:10e2073a01080063:\"},\n"
                            "  {\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1},\n"
                            "  {\"n\":\"heat\",\"u\":\"/\",\"v\":1},\n"
                            "  {\"n\":\"fan\",\"u\":\"/\",\"v\":0}\n"
                            "]"),
                      0);
    assert_payload("[{\"n\":\"urn:dev:ow:10e2073a01080063:temp\",\"u\":\"Cel\","
                   "\"t\":1700000000.123456,\"v\":23.1},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:heat\",\"u\":\"/\","
                   "\"t\":1700000000.123456,\"v\":1},"
                   "{\"n\":\"urn:dev:ow:10e2073a01080063:fan\",\"u\":\"/\","
                   "\"t\":1700000000.123456,\"v\":0}]");
}

/* RFC 8428 5.1.7, the dimming example: a relative t of 0.1 s on an absolute base time. */
static void test_rfc_actuator_fractional_offsets(void)
{
    MUE_ASSERT_INT_EQ(
        parse("[\n"
              "  {\"bt\":1.320078429e+09,\"bu\":\"/\",\"n\":\"2001:db8::3\",\"v\":0.5},\n"
              "  {\"n\":\"2001:db8::4\",\"v\":0.5},\n"
              "  {\"n\":\"2001:db8::3\",\"t\":0.1,\"v\":0},\n"
              "  {\"n\":\"2001:db8::4\",\"t\":0.1,\"v\":0}\n"
              "]"),
        0);
    assert_payload("[{\"n\":\"2001:db8::3\",\"u\":\"/\",\"t\":1320078429,\"v\":0.5},"
                   "{\"n\":\"2001:db8::4\",\"u\":\"/\",\"t\":1320078429,\"v\":0.5},"
                   "{\"n\":\"2001:db8::3\",\"u\":\"/\",\"t\":1320078429.1,\"v\":0},"
                   "{\"n\":\"2001:db8::4\",\"u\":\"/\",\"t\":1320078429.1,\"v\":0}]");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1320078429100000));
}

/* Times below 2**28 count from the reception; a relative base time adds to t. */
static void test_relative_times_count_from_now(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"bn\":\"dev1:\",\"bt\":-100,\"n\":\"a\",\"t\":10,\"v\":1},"
                            "{\"n\":\"b\",\"t\":-0.5,\"v\":2},"
                            "{\"bt\":0,\"n\":\"c\",\"t\":-60,\"v\":3},"
                            "{\"n\":\"d\",\"t\":0.000001,\"v\":4}]"),
                      0);
    assert_payload("[{\"n\":\"dev1:b\",\"t\":1699999899.623456,\"v\":2},"
                   "{\"n\":\"dev1:a\",\"t\":1699999910.123456,\"v\":1},"
                   "{\"n\":\"dev1:c\",\"t\":1699999940.123456,\"v\":3},"
                   "{\"n\":\"dev1:d\",\"t\":1700000000.123457,\"v\":4}]");
    ASSERT_ID(ev.up.id, "senml:" DEV ":1699999899623456");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1700000000123457));
}

/* 2**28 itself is absolute (1978-07-04T21:24:16Z); just below is an offset from now. */
static void test_relative_limit_is_two_to_the_28(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"t\":268435456,\"v\":1}]"), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(268435456000000));
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"t\":-268435455,\"v\":1}]"), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, NOW_US - INT64_C(268435455000000));
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"t\":268435455,\"v\":1}]"), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, NOW_US + INT64_C(268435455000000));
}

static void test_records_in_any_time_order_are_sorted(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"bt\":1700000000,\"n\":\"x\",\"t\":30,\"v\":3},"
                            "{\"n\":\"x\",\"t\":10,\"v\":1},{\"n\":\"x\",\"t\":20,\"v\":2}]"),
                      0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000010,\"v\":1},"
                   "{\"n\":\"x\",\"t\":1700000020,\"v\":2},"
                   "{\"n\":\"x\",\"t\":1700000030,\"v\":3}]");
    ASSERT_ID(ev.up.id, "senml:" DEV ":1700000010000000");
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1700000030000000));
}

/* Times are kept to the µs, rounded. */
static void test_times_round_to_the_microsecond(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"t\":1700000000.0000003,\"v\":1},"
                            "{\"n\":\"y\",\"t\":1700000000.0000016,\"v\":1}]"),
                      0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000000,\"v\":1},"
                   "{\"n\":\"y\",\"t\":1700000000.000002,\"v\":1}]");
}

static void test_base_value_and_base_sum_are_added(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"bn\":\"m:\",\"bv\":100,\"bs\":1000,\"bt\":1700000000,"
                            "\"n\":\"a\",\"v\":1.5,\"s\":5},"
                            "{\"n\":\"b\",\"v\":-100},"
                            "{\"n\":\"c\"},"
                            "{\"n\":\"d\",\"vs\":\"text\"}]"),
                      0);
    /* bv applies to v only; with a base sum in force every record has a sum. */
    assert_payload("[{\"n\":\"m:a\",\"t\":1700000000,\"v\":101.5,\"s\":1005},"
                   "{\"n\":\"m:b\",\"t\":1700000000,\"v\":0,\"s\":1000},"
                   "{\"n\":\"m:c\",\"t\":1700000000,\"s\":1000},"
                   "{\"n\":\"m:d\",\"t\":1700000000,\"vs\":\"text\",\"s\":1000}]");
}

static void test_sum_without_value_is_a_record(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"energy\",\"u\":\"J\",\"s\":3600000}]"), 0);
    assert_payload("[{\"n\":\"energy\",\"u\":\"J\",\"t\":1700000000.123456,\"s\":3600000}]");
}

static void test_update_time_is_kept(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1,\"ut\":300}]"), 0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000000.123456,\"v\":1,\"ut\":300}]");
    assert_refused("[{\"n\":\"x\",\"v\":1,\"ut\":-1}]", "[0].ut: negative");
}

/* A unit on the record wins over the base unit; a record with neither has no "u". */
static void test_unit_falls_back_to_base_unit(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"a\",\"v\":1},{\"bu\":\"m\",\"n\":\"b\",\"v\":2},"
                            "{\"n\":\"c\",\"u\":\"Cel\",\"v\":3},{\"n\":\"d\",\"v\":4}]"),
                      0);
    assert_payload("[{\"n\":\"a\",\"t\":1700000000.123456,\"v\":1},"
                   "{\"n\":\"b\",\"u\":\"m\",\"t\":1700000000.123456,\"v\":2},"
                   "{\"n\":\"c\",\"u\":\"Cel\",\"t\":1700000000.123456,\"v\":3},"
                   "{\"n\":\"d\",\"u\":\"m\",\"t\":1700000000.123456,\"v\":4}]");
}

/* Numbers come out in their shortest exact form; strings are escaped again. */
static void test_numbers_and_strings_are_written_back_exactly(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"a\",\"v\":0.1},{\"n\":\"b\",\"v\":1e21},"
                            "{\"n\":\"c\",\"v\":-2.5e-7},{\"n\":\"d\",\"v\":0.30000000000000004},"
                            "{\"n\":\"e\",\"vs\":\"say \\\"h\\u00e9\\\"\\n\\\\\",\"u\":\"\\\"\"}]"),
                      0);
    assert_payload("[{\"n\":\"a\",\"t\":1700000000.123456,\"v\":0.1},"
                   "{\"n\":\"b\",\"t\":1700000000.123456,\"v\":1e+21},"
                   "{\"n\":\"c\",\"t\":1700000000.123456,\"v\":-2.5e-07},"
                   "{\"n\":\"d\",\"t\":1700000000.123456,\"v\":0.30000000000000004},"
                   "{\"n\":\"e\",\"u\":\"\\\"\",\"t\":1700000000.123456,"
                   "\"vs\":\"say \\\"h\xc3\xa9\\\"\\n\\\\\"}]");
}

static void test_unknown_fields_are_ignored(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1,\"foo\":{\"deep\":[1,2]},\"bfoo\":1,"
                            "\"vx\":\"?\"}]"),
                      0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000000.123456,\"v\":1}]");
}

static void test_must_understand_fields_are_refused(void)
{
    assert_refused("[{\"n\":\"x\",\"v\":1},{\"n\":\"y\",\"v\":1,\"foo_\":1}]",
                   "[1].foo_: must-understand field (name ending in '_') not supported");
    assert_refused("[{\"bn_\":\"x\",\"n\":\"y\",\"v\":1}]",
                   "[0].bn_: must-understand field (name ending in '_') not supported");
    /* A key that is not a short label is not quoted back. */
    assert_refused("[{\"n\":\"x\",\"v\":1,\"<script>_\":1}]",
                   "[0]: must-understand field (name ending in '_') not supported");
    assert_refused("[{\"n\":\"x\",\"v\":1,\"_\":1}]",
                   "[0]._: must-understand field (name ending in '_') not supported");
}

static void test_versions(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"bver\":10,\"n\":\"x\",\"v\":1}]"), 0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000000.123456,\"v\":1}]");
    /* RFC 9100: 26 is 10 plus secondary units (RFC 8798), which pass through as text. */
    MUE_ASSERT_INT_EQ(parse("[{\"bver\":26,\"n\":\"x\",\"u\":\"km/h\",\"v\":1}]"), 0);
    assert_payload("[{\"n\":\"x\",\"u\":\"km/h\",\"t\":1700000000.123456,\"v\":1,\"bver\":26}]");
    MUE_ASSERT_INT_EQ(parse("[{\"bver\":5,\"n\":\"x\",\"v\":1},{\"bver\":5,\"n\":\"y\",\"v\":1}]"),
                      0);
    assert_refused("[{\"bver\":11,\"n\":\"x\",\"v\":1}]",
                   "[0].bver: SenML version not supported (10 or 26 known)");
    assert_refused("[{\"bver\":0,\"n\":\"x\",\"v\":1}]", "[0].bver: not a positive integer");
    assert_refused("[{\"bver\":10.5,\"n\":\"x\",\"v\":1}]", "[0].bver: not a positive integer");
    assert_refused("[{\"bver\":\"10\",\"n\":\"x\",\"v\":1}]", "[0].bver: not a positive integer");
    assert_refused("[{\"bver\":5,\"n\":\"x\",\"v\":1},{\"bver\":10,\"n\":\"y\",\"v\":1}]",
                   "[1].bver: differs from the version of earlier records");
    /* The first record without bver is version 10. */
    assert_refused("[{\"n\":\"x\",\"v\":1},{\"bver\":5,\"n\":\"y\",\"v\":1}]",
                   "[1].bver: differs from the version of earlier records");
}

static void test_bad_names_are_refused(void)
{
    assert_refused("[{\"v\":1}]", "[0].n: missing (and no bn)");
    assert_refused("[{\"n\":\"\",\"v\":1}]", "[0].n: missing (and no bn)");
    assert_refused("[{\"n\":\"-x\",\"v\":1}]",
                   "[0].n: not a SenML name (A-Z a-z 0-9, then also - : . / _)");
    assert_refused("[{\"n\":\"a b\",\"v\":1}]",
                   "[0].n: not a SenML name (A-Z a-z 0-9, then also - : . / _)");
    assert_refused("[{\"n\":\"caf\\u00e9\",\"v\":1}]",
                   "[0].n: not a SenML name (A-Z a-z 0-9, then also - : . / _)");
    assert_refused("[{\"bn\":\"<script>\",\"v\":1}]",
                   "[0].bn: not a SenML name (A-Z a-z 0-9, then also - : . / _)");
    /* bn may start what n could not, and n may hold characters only allowed after the first. */
    MUE_ASSERT_INT_EQ(parse("[{\"bn\":\"a\",\"n\":\"-_:./\",\"v\":1}]"), 0);
    assert_payload("[{\"n\":\"a-_:./\",\"t\":1700000000.123456,\"v\":1}]");
    assert_refused("[{\"bn\":\"_a\",\"n\":\"b\",\"v\":1}]",
                   "[0].n: not a SenML name (A-Z a-z 0-9, then also - : . / _)");
}

static void test_long_names_and_units_are_refused(void)
{
    char body[512];

    snprintf(body, sizeof(body), "[{\"bn\":\"%0100d\",\"n\":\"%029d\",\"v\":1}]", 0, 0);
    assert_refused(body, "[0].n: name (bn + n) longer than 128 bytes");
    snprintf(body, sizeof(body), "[{\"bn\":\"%0100d\",\"n\":\"%028d\",\"v\":1}]", 0, 0);
    MUE_ASSERT_INT_EQ(parse(body), 0);
    assert_refused("[{\"n\":\"x\",\"u\":\"123456789012345678901234567890123\",\"v\":1}]",
                   "[0].u: longer than 32 bytes");
    assert_refused("[{\"bu\":\"123456789012345678901234567890123\",\"n\":\"x\",\"v\":1}]",
                   "[0].bu: longer than 32 bytes");
}

static void test_more_than_one_value_is_refused(void)
{
    assert_refused("[{\"n\":\"x\",\"v\":1,\"vs\":\"1\"}]", "[0]: more than one of v, vs, vb, vd");
    assert_refused("[{\"n\":\"x\",\"vb\":true,\"vd\":\"AA\"}]",
                   "[0]: more than one of v, vs, vb, vd");
    assert_refused("[{\"n\":\"x\",\"v\":1,\"vs\":\"a\",\"vb\":true,\"vd\":\"AA\",\"s\":1}]",
                   "[0]: more than one of v, vs, vb, vd");
    /* The JSON object itself may not repeat a label. */
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1,\"v\":2}]"), MUE_EDECODE);
}

static void test_record_without_value_or_sum_is_refused(void)
{
    assert_refused("[{\"n\":\"x\",\"u\":\"Cel\"}]", "[0]: no value (v, vs, vb, vd) nor sum (s)");
    assert_refused("[{\"bn\":\"x\"},{\"t\":5}]", "[1]: no value (v, vs, vb, vd) nor sum (s)");
    assert_refused("[{\"bn\":\"x\",\"bt\":1700000000}]", "no record with a value or a sum");
    assert_refused("[{\"bn\":\"x\",\"bs\":5}]", "no record with a value or a sum");
    assert_refused("[{\"other\":1}]", "no record with a value or a sum");
}

static void test_wrong_types_are_refused(void)
{
    assert_refused("[{\"n\":7,\"v\":1}]", "[0].n: not a string");
    assert_refused("[{\"bn\":[],\"n\":\"x\",\"v\":1}]", "[0].bn: not a string");
    /* SenML numbers are JSON numbers: a string of digits is not one. */
    assert_refused("[{\"n\":\"x\",\"v\":\"23.1\"}]", "[0].v: not a number");
    assert_refused("[{\"n\":\"x\",\"t\":\"1700000000\",\"v\":1}]", "[0].t: not a number");
    assert_refused("[{\"bt\":\"0\",\"n\":\"x\",\"v\":1}]", "[0].bt: not a number");
    assert_refused("[{\"bv\":true,\"n\":\"x\",\"v\":1}]", "[0].bv: not a number");
    assert_refused("[{\"bs\":{},\"n\":\"x\",\"v\":1}]", "[0].bs: not a number");
    assert_refused("[{\"n\":\"x\",\"s\":\"1\"}]", "[0].s: not a number");
    assert_refused("[{\"n\":\"x\",\"v\":1,\"ut\":\"60\"}]", "[0].ut: not a number");
    assert_refused("[{\"n\":\"x\",\"vs\":1}]", "[0].vs: not a string");
    assert_refused("[{\"n\":\"x\",\"vb\":\"true\"}]", "[0].vb: not a boolean");
    assert_refused("[{\"n\":\"x\",\"vb\":1}]", "[0].vb: not a boolean");
    assert_refused("[{\"n\":\"x\",\"vd\":12}]", "[0].vd: not a string");
    assert_refused("[{\"n\":\"x\",\"u\":1,\"v\":1}]", "[0].u: not a string");
    assert_refused("[{\"n\":\"x\",\"v\":1},7]", "[1]: not an object");
    assert_refused("[[]]", "[0]: not an object");
}

/* JSON null counts as absent, as for the network servers' bodies. */
static void test_null_fields_are_absent(void)
{
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1,\"vs\":null,\"u\":null,\"t\":null}]"), 0);
    assert_payload("[{\"n\":\"x\",\"t\":1700000000.123456,\"v\":1}]");
}

static void test_invalid_data_values_are_refused(void)
{
    assert_refused("[{\"n\":\"x\",\"vd\":\"aGk+Cg\"}]", "[0].vd: not base64url without padding");
    assert_refused("[{\"n\":\"x\",\"vd\":\"aGkgCg==\"}]", "[0].vd: not base64url without padding");
    assert_refused("[{\"n\":\"x\",\"vd\":\"aGkgC\"}]", "[0].vd: not base64url without padding");
    assert_refused("[{\"n\":\"x\",\"vd\":\"aG kgCg\"}]", "[0].vd: not base64url without padding");
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"vd\":\"-_-_\"}]"), 0);
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"vd\":\"\"}]"), 0);
}

static void test_times_out_of_range_are_refused(void)
{
    assert_refused("[{\"n\":\"x\",\"t\":1e300,\"v\":1}]", "[0].t: time (bt + t) out of range");
    assert_refused("[{\"n\":\"x\",\"t\":253402300800,\"v\":1}]",
                   "[0].t: time (bt + t) out of range");
    /* Relative, but before 1970. */
    assert_refused("[{\"n\":\"x\",\"t\":-1800000000,\"v\":1}]",
                   "[0].t: time (bt + t) out of range");
    assert_refused("[{\"bt\":-1e308,\"n\":\"x\",\"t\":-1e308,\"v\":1}]",
                   "[0].t: not finite (bt + t)");
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"t\":253402300799,\"v\":1}]"), 0);
}

static void test_non_finite_sums_are_refused(void)
{
    assert_refused("[{\"bv\":1e308,\"n\":\"x\",\"v\":1e308}]", "[0].v: not finite (bv + v)");
    assert_refused("[{\"bs\":-1e308,\"n\":\"x\",\"s\":-1e308}]", "[0].s: not finite (bs + s)");
    /* JSON cannot spell infinity; jansson refuses a number that overflows a double. */
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1e999}]"), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":NaN}]"), MUE_EDECODE);
}

static void test_not_a_pack_is_refused(void)
{
    assert_refused("[]", "empty pack (no record)");
    assert_refused("{\"n\":\"x\",\"v\":1}", "body is not a JSON array");
    MUE_ASSERT_INT_EQ(parse(""), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1}"), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":1}]]"), MUE_EDECODE);
    MUE_ASSERT(strncmp(reason, "invalid JSON", 12) == 0);
}

/* Truncated at every length, the pack is refused, never read past its end. */
static void test_every_truncation_is_refused(void)
{
    static const char body[] = "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"temp\","
                               "\"u\":\"Cel\",\"v\":23.1},{\"n\":\"open\",\"vb\":false}]";

    for (size_t len = 0; len < strlen(body); len++) {
        char *copy = malloc(len > 0 ? len : 1);

        MUE_ASSERT(copy != NULL);
        memcpy(copy, body, len);
        MUE_ASSERT_INT_EQ(webhook_senml_parse(copy, len, DEV, NOW_US, &ev, reason, sizeof(reason)),
                          MUE_EDECODE);
        free(copy);
    }
    MUE_ASSERT_INT_EQ(parse(body), 0);
}

static void append_records(char *body, size_t cap, size_t n, const char *record)
{
    size_t len = 0;

    body[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(body + len, cap - len, "%s%s", i > 0 ? "," : "", record);

        MUE_ASSERT(k > 0 && (size_t)k < cap - len);
        len += (size_t)k;
    }
    MUE_ASSERT(len + 2 <= cap);
    body[len++] = ']';
    body[len] = '\0';
}

static void test_record_count_is_bounded(void)
{
    static char body[8192];

    append_records(body, sizeof(body), 64, "{\"n\":\"x\",\"v\":1}");
    MUE_ASSERT_INT_EQ(parse(body), 0);
    append_records(body, sizeof(body), 65, "{\"n\":\"x\",\"v\":1}");
    assert_refused(body, "pack has more than 64 records");
}

static void test_resolved_pack_must_fit_the_payload(void)
{
    static char body[16384];
    /* 64 records that resolve to some 4.5 KiB: each gains "t" and the base name. */
    append_records(body, sizeof(body), 64,
                   "{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"x\","
                   "\"vs\":\"0123456789\"}");
    assert_refused(body, "pack too large (resolved over 4096 bytes)");
    append_records(body, sizeof(body), 40,
                   "{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"x\","
                   "\"vs\":\"0123456789\"}");
    MUE_ASSERT_INT_EQ(parse(body), 0);
    MUE_ASSERT(ev.up.payload_len > 3000 && ev.up.payload_len <= WEBHOOK_MAX_PAYLOAD);
}

static void test_dev_eui_is_checked_and_lowercased(void)
{
    static const char body[] = "[{\"n\":\"x\",\"v\":1}]";

    MUE_ASSERT_INT_EQ(webhook_senml_parse(body, strlen(body), "0004A30B001C0530", NOW_US, &ev,
                                          reason, sizeof(reason)),
                      0);
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0004a30b001c0530");
    ASSERT_ID(ev.up.id, "senml:0004a30b001c0530:1700000000123456");
    MUE_ASSERT_INT_EQ(webhook_senml_parse(body, strlen(body), "0004a30b001c053", NOW_US, &ev,
                                          reason, sizeof(reason)),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "dev_eui: not 16 hex digits");
    MUE_ASSERT_INT_EQ(webhook_senml_parse(body, strlen(body), "0004a30b001c053g", NOW_US, &ev,
                                          reason, sizeof(reason)),
                      MUE_EDECODE);
    MUE_ASSERT_INT_EQ(
        webhook_senml_parse(body, strlen(body), NULL, NOW_US, &ev, reason, sizeof(reason)),
        MUE_EDECODE);
}

static void test_event_is_untouched_on_error(void)
{
    memset(&ev, 0x5a, sizeof(ev));
    MUE_ASSERT_INT_EQ(parse("[{\"n\":\"x\",\"v\":\"1\"}]"), MUE_EDECODE);
    for (size_t i = 0; i < sizeof(ev); i++)
        MUE_ASSERT(((const unsigned char *)&ev)[i] == 0x5a);
}

static void test_reason_buffer_may_be_small_or_absent(void)
{
    static const char body[] = "[{\"n\":\"x\",\"v\":\"1\"}]";
    char tiny[4];

    MUE_ASSERT_INT_EQ(webhook_senml_parse(body, strlen(body), DEV, NOW_US, &ev, tiny, sizeof(tiny)),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(tiny, "[0]");
    MUE_ASSERT_INT_EQ(webhook_senml_parse(body, strlen(body), DEV, NOW_US, &ev, NULL, 0),
                      MUE_EDECODE);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_id_tells_packs_of_one_instant_apart),
        MUE_TEST(test_rfc_single_datapoint_is_now),
        MUE_TEST(test_rfc_multiple_datapoints_now),
        MUE_TEST(test_rfc_multiple_datapoints_with_base_time),
        MUE_TEST(test_rfc_multiple_measurements_resolve_to_the_rfc_resolved_data),
        MUE_TEST(test_rfc_resolved_data_resolves_to_itself),
        MUE_TEST(test_rfc_multiple_data_types),
        MUE_TEST(test_rfc_collection_of_resources),
        MUE_TEST(test_rfc_record_of_base_fields_only_is_context),
        MUE_TEST(test_rfc_actuator_fractional_offsets),
        MUE_TEST(test_relative_times_count_from_now),
        MUE_TEST(test_relative_limit_is_two_to_the_28),
        MUE_TEST(test_records_in_any_time_order_are_sorted),
        MUE_TEST(test_times_round_to_the_microsecond),
        MUE_TEST(test_base_value_and_base_sum_are_added),
        MUE_TEST(test_sum_without_value_is_a_record),
        MUE_TEST(test_update_time_is_kept),
        MUE_TEST(test_unit_falls_back_to_base_unit),
        MUE_TEST(test_numbers_and_strings_are_written_back_exactly),
        MUE_TEST(test_unknown_fields_are_ignored),
        MUE_TEST(test_must_understand_fields_are_refused),
        MUE_TEST(test_versions),
        MUE_TEST(test_bad_names_are_refused),
        MUE_TEST(test_long_names_and_units_are_refused),
        MUE_TEST(test_more_than_one_value_is_refused),
        MUE_TEST(test_record_without_value_or_sum_is_refused),
        MUE_TEST(test_wrong_types_are_refused),
        MUE_TEST(test_null_fields_are_absent),
        MUE_TEST(test_invalid_data_values_are_refused),
        MUE_TEST(test_times_out_of_range_are_refused),
        MUE_TEST(test_non_finite_sums_are_refused),
        MUE_TEST(test_not_a_pack_is_refused),
        MUE_TEST(test_every_truncation_is_refused),
        MUE_TEST(test_record_count_is_bounded),
        MUE_TEST(test_resolved_pack_must_fit_the_payload),
        MUE_TEST(test_dev_eui_is_checked_and_lowercased),
        MUE_TEST(test_event_is_untouched_on_error),
        MUE_TEST(test_reason_buffer_may_be_small_or_absent),
    };
    return mue_test_run("webhook_senml", tests);
}
