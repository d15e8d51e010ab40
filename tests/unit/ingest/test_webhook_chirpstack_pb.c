/* test_webhook_chirpstack_pb.c - unit tests for ChirpStack v4 events from the Protobuf marshaler:
 * each event read from protobuf-c packed messages, the same result as from JSON, the codec's
 * Struct as JSON text, and malformed or hostile wire bytes. SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chirpstack/integration.pb-c.h"
#include "mue_err.h"
#include "webhook.h"
#include <jansson.h>

#include "../mue_test.h"

/* protobuf-c's string fields are char *; the tests point them at literals they never write. */
#define S(literal) ((char *)(literal))

static struct webhook_event ev, ev_json;
static char reason[160];

/* Parses from a heap copy of exactly 'len' bytes, so ASan reports any read past the end. */
static int parse_bytes(const char *event, const uint8_t *bytes, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    MUE_ASSERT(copy != NULL);
    if (len > 0)
        memcpy(copy, bytes, len);
    memset(reason, 'x', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = '\0';
    rc = webhook_chirpstack_parse(event, copy, len, true, &ev, reason, sizeof(reason));
    free(copy);
    return rc;
}

static uint8_t *pack(const ProtobufCMessage *m, size_t *len)
{
    uint8_t *buf;

    *len = protobuf_c_message_get_packed_size(m);
    buf = malloc(*len > 0 ? *len : 1);
    MUE_ASSERT(buf != NULL);
    protobuf_c_message_pack(m, buf);
    return buf;
}

static int parse_pb(const char *event, const void *msg)
{
    size_t len;
    uint8_t *buf = pack(msg, &len);
    int rc = parse_bytes(event, buf, len);

    free(buf);
    return rc;
}

/* The JSON marshaler's view of the same event, into ev_json (' stands for "). */
static int parse_json(const char *event, const char *squoted)
{
    size_t len = strlen(squoted);
    char *body = malloc(len + 1), why[160];
    int rc;

    MUE_ASSERT(body != NULL);
    for (size_t i = 0; i <= len; i++)
        body[i] = squoted[i] == '\'' ? '"' : squoted[i];
    rc = webhook_chirpstack_parse(event, body, len, false, &ev_json, why, sizeof(why));
    free(body);
    return rc;
}

#define EXPECT_FAIL(event, msg, why)                                                               \
    do {                                                                                           \
        MUE_ASSERT_INT_EQ(parse_pb(event, msg), MUE_EDECODE);                                      \
        MUE_ASSERT_STR_EQ(reason, why);                                                            \
    } while (0)

/* Both marshalers gave the same event, field by field. */
static void assert_same_as_json(void)
{
    const struct webhook_event *a = &ev, *b = &ev_json;

    MUE_ASSERT_INT_EQ(a->kind, b->kind);
    MUE_ASSERT_STR_EQ(a->up.id, b->up.id);
    MUE_ASSERT_STR_EQ(a->up.network, b->up.network);
    MUE_ASSERT_STR_EQ(a->up.dev_eui, b->up.dev_eui);
    MUE_ASSERT_STR_EQ(a->up.device_name, b->up.device_name);
    MUE_ASSERT_STR_EQ(a->up.application, b->up.application);
    MUE_ASSERT_INT_EQ(a->up.time_us, b->up.time_us);
    MUE_ASSERT_UINT_EQ(a->up.f_port, b->up.f_port);
    MUE_ASSERT_UINT_EQ(a->up.f_cnt, b->up.f_cnt);
    MUE_ASSERT_UINT_EQ(a->up.payload_len, b->up.payload_len);
    MUE_ASSERT(memcmp(a->up.payload, b->up.payload, a->up.payload_len) == 0);
    MUE_ASSERT_INT_EQ(a->up.has_radio, b->up.has_radio);
    MUE_ASSERT_INT_EQ(a->up.rssi, b->up.rssi);
    MUE_ASSERT_DBL_NEAR(a->up.snr, b->up.snr, 1e-6); /* a float on the wire */
    MUE_ASSERT_UINT_EQ(a->up.dr, b->up.dr);
    MUE_ASSERT_UINT_EQ(a->up.frequency, b->up.frequency);
    MUE_ASSERT_UINT_EQ(a->up.spreading_factor, b->up.spreading_factor);
    MUE_ASSERT_UINT_EQ(a->up.gateway_count, b->up.gateway_count);
    MUE_ASSERT_STR_EQ(a->up.gateway_id, b->up.gateway_id);
    MUE_ASSERT_STR_EQ(a->up.decoded_json, b->up.decoded_json);
    MUE_ASSERT_INT_EQ(a->dev.kind, b->dev.kind);
    MUE_ASSERT_INT_EQ(a->dev.has_battery, b->dev.has_battery);
    MUE_ASSERT_DBL_NEAR(a->dev.battery_pct, b->dev.battery_pct, 1e-5);
    MUE_ASSERT_INT_EQ(a->dev.external_power, b->dev.external_power);
    MUE_ASSERT_INT_EQ(a->dev.has_margin, b->dev.has_margin);
    MUE_ASSERT_INT_EQ(a->dev.margin_db, b->dev.margin_db);
    MUE_ASSERT_STR_EQ(a->dev.dev_addr, b->dev.dev_addr);
    MUE_ASSERT_INT_EQ(a->dev.has_location, b->dev.has_location);
    MUE_ASSERT_DBL_NEAR(a->dev.latitude, b->dev.latitude, 0);
    MUE_ASSERT_DBL_NEAR(a->dev.longitude, b->dev.longitude, 0);
    MUE_ASSERT_DBL_NEAR(a->dev.altitude, b->dev.altitude, 0);
    MUE_ASSERT_STR_EQ(a->dev.log_level, b->dev.log_level);
    MUE_ASSERT_STR_EQ(a->dev.log_code, b->dev.log_code);
    MUE_ASSERT_STR_EQ(a->dev.log_description, b->dev.log_description);
    MUE_ASSERT_INT_EQ(a->dl.state, b->dl.state);
    MUE_ASSERT_STR_EQ(a->dl.downlink_id, b->dl.downlink_id);
    MUE_ASSERT_STR_EQ(a->dl.network_ref, b->dl.network_ref);
    MUE_ASSERT_UINT_EQ(a->dl.f_cnt_down, b->dl.f_cnt_down);
    MUE_ASSERT_STR_EQ(a->dl.reason, b->dl.reason);
    MUE_ASSERT_STR_EQ(a->dl.source, b->dl.source);
}

/* The documented examples' device and times (chirpstack-docs integrations/events.md). */
#define DOCS_DEVICE_JSON                                                                           \
    "'deviceInfo':{'applicationName':'Test application','deviceName':'Test device',"               \
    "'devEui':'0101010101010101'}"

static Chirpstack__Integration__DeviceInfo docs_device(void)
{
    Chirpstack__Integration__DeviceInfo d = CHIRPSTACK__INTEGRATION__DEVICE_INFO__INIT;

    d.application_name = S("Test application");
    d.device_name = S("Test device");
    d.dev_eui = S("0101010101010101");
    return d;
}

static Chirpstack__Integration__Timestamp stamp(int64_t seconds, int32_t nanos)
{
    Chirpstack__Integration__Timestamp t = CHIRPSTACK__INTEGRATION__TIMESTAMP__INIT;

    t.seconds = seconds;
    t.nanos = nanos;
    return t;
}

/* The documented "up" example, as the Protobuf marshaler sends it. */
struct docs_up {
    Chirpstack__Integration__UplinkEvent m;
    Chirpstack__Integration__DeviceInfo dev;
    Chirpstack__Integration__Timestamp time;
    Chirpstack__Integration__UplinkRxInfo rx, *rxs[1];
    Chirpstack__Integration__UplinkTxInfo tx;
    Chirpstack__Integration__Modulation mod;
    Chirpstack__Integration__LoraModulationInfo lora;
    uint8_t data[1];
};

static void docs_up_init(struct docs_up *d)
{
    Chirpstack__Integration__UplinkEvent m = CHIRPSTACK__INTEGRATION__UPLINK_EVENT__INIT;
    Chirpstack__Integration__UplinkRxInfo rx = CHIRPSTACK__INTEGRATION__UPLINK_RX_INFO__INIT;
    Chirpstack__Integration__UplinkTxInfo tx = CHIRPSTACK__INTEGRATION__UPLINK_TX_INFO__INIT;
    Chirpstack__Integration__Modulation mod = CHIRPSTACK__INTEGRATION__MODULATION__INIT;
    Chirpstack__Integration__LoraModulationInfo lora =
        CHIRPSTACK__INTEGRATION__LORA_MODULATION_INFO__INIT;

    d->m = m;
    d->rx = rx;
    d->tx = tx;
    d->mod = mod;
    d->lora = lora;
    d->dev = docs_device();
    d->time = stamp(1658136855, 775023242);
    d->data[0] = 0xaa;
    d->m.deduplication_id = S("3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    d->m.time = &d->time;
    d->m.device_info = &d->dev;
    d->m.dev_addr = S("00189440");
    d->m.dr = 1;
    d->m.f_port = 1;
    d->m.data.data = d->data;
    d->m.data.len = 1;
    d->rx.gateway_id = S("0016c001f153a14c");
    d->rx.uplink_id = 4217106255u;
    d->rx.rssi = -36;
    d->rx.snr = 10.5f;
    d->rxs[0] = &d->rx;
    d->m.n_rx_info = 1;
    d->m.rx_info = d->rxs;
    d->lora.bandwidth = 125000;
    d->lora.spreading_factor = 11;
    d->mod.parameters_case = CHIRPSTACK__INTEGRATION__MODULATION__PARAMETERS_LORA;
    d->mod.lora = &d->lora;
    d->tx.frequency = 867100000;
    d->tx.modulation = &d->mod;
    d->m.tx_info = &d->tx;
}

static void test_docs_up(void)
{
    struct docs_up d;

    docs_up_init(&d);
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    MUE_ASSERT_STR_EQ(reason, "");
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_UPLINK);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    MUE_ASSERT_STR_EQ(ev.up.network, "chirpstack");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "0101010101010101");
    MUE_ASSERT_STR_EQ(ev.up.device_name, "Test device");
    MUE_ASSERT_STR_EQ(ev.up.application, "Test application");
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, 0);
    MUE_ASSERT_UINT_EQ(ev.up.f_port, 1);
    MUE_ASSERT_UINT_EQ(ev.up.dr, 1);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 1);
    MUE_ASSERT_UINT_EQ(ev.up.payload[0], 0xaa);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(1658136855775023));
    MUE_ASSERT(ev.up.has_radio);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -36);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 10.5, 1e-9);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "0016c001f153a14c");
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 1);
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 867100000);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 11);
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");
    /* The JSON marshaler's body of the same uplink gives the same event. */
    MUE_ASSERT_INT_EQ(
        parse_json("up", "{'deduplicationId':'3ac7e3c4-4401-4b8d-9386-a5c902f9202d',"
                         "'time':'2022-07-18T09:34:15.775023242+00:00'," DOCS_DEVICE_JSON ","
                         "'devAddr':'00189440','dr':1,'fPort':1,'data':'qg==','rxInfo':[{"
                         "'gatewayId':'0016c001f153a14c','uplinkId':4217106255,'rssi':-36,"
                         "'snr':10.5}],'txInfo':{'frequency':867100000,'modulation':{'lora':{"
                         "'bandwidth':125000,'spreadingFactor':11,'codeRate':'CR_4_5'}}}}"),
        0);
    assert_same_as_json();
}

static void test_up_defaults_and_radio(void)
{
    Chirpstack__Integration__UplinkEvent m = CHIRPSTACK__INTEGRATION__UPLINK_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = CHIRPSTACK__INTEGRATION__DEVICE_INFO__INIT;
    Chirpstack__Integration__UplinkRxInfo g[3] = {
        CHIRPSTACK__INTEGRATION__UPLINK_RX_INFO__INIT,
        CHIRPSTACK__INTEGRATION__UPLINK_RX_INFO__INIT,
        CHIRPSTACK__INTEGRATION__UPLINK_RX_INFO__INIT,
    };
    Chirpstack__Integration__UplinkRxInfo *gs[3] = { &g[0], &g[1], &g[2] };
    Chirpstack__Integration__Timestamp ns = stamp(3, 0), gw = stamp(2, 500000);
    Chirpstack__Integration__UplinkTxInfo tx = CHIRPSTACK__INTEGRATION__UPLINK_TX_INFO__INIT;

    dev.dev_eui = S("A84041000181854B");
    m.deduplication_id = S("d-1");
    m.device_info = &dev;
    MUE_ASSERT_INT_EQ(parse_pb("up", &m), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:d-1");
    MUE_ASSERT_STR_EQ(ev.up.dev_eui, "a84041000181854b");
    MUE_ASSERT_STR_EQ(ev.up.device_name, "");
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, 0);
    MUE_ASSERT(!ev.up.has_radio);
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 0);
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "");

    /* The strongest gateway wins, ties to the better SNR; times fall back to the first's. */
    g[0].gateway_id = S("aa");
    g[0].rssi = -110;
    g[0].gw_time = &gw;
    g[1].gateway_id = S("bb");
    g[1].rssi = -71;
    g[1].snr = 3.25f;
    g[2].rssi = -71;
    g[2].snr = 9;
    m.n_rx_info = 3;
    m.rx_info = gs;
    m.f_cnt = UINT32_MAX;
    m.f_port = 224;
    m.dr = 15;
    tx.frequency = 868300000;
    m.tx_info = &tx; /* no modulation: no spreading factor */
    MUE_ASSERT_INT_EQ(parse_pb("up", &m), 0);
    MUE_ASSERT_UINT_EQ(ev.up.gateway_count, 3);
    MUE_ASSERT_INT_EQ(ev.up.rssi, -71);
    MUE_ASSERT_DBL_NEAR(ev.up.snr, 9, 0);
    MUE_ASSERT_STR_EQ(ev.up.gateway_id, "");
    MUE_ASSERT_UINT_EQ(ev.up.f_cnt, UINT32_MAX);
    MUE_ASSERT_UINT_EQ(ev.up.frequency, 868300000);
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, 2000500);
    g[0].ns_time = &ns;
    MUE_ASSERT_INT_EQ(parse_pb("up", &m), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, 3000000);
    MUE_ASSERT_INT_EQ(parse_json("up",
                                 "{'deduplicationId':'d-1','deviceInfo':{'devEui':"
                                 "'A84041000181854B'},'fCnt':4294967295,'fPort':224,'dr':15,"
                                 "'rxInfo':[{'gatewayId':'aa','rssi':-110,'gwTime':"
                                 "'1970-01-01T00:00:02.0005Z','nsTime':'1970-01-01T00:00:03Z'},"
                                 "{'gatewayId':'bb','rssi':-71,'snr':3.25},{'rssi':-71,'snr':9}],"
                                 "'txInfo':{'frequency':868300000}}"),
                      0);
    assert_same_as_json();
}

static void test_up_errors(void)
{
    struct docs_up d;
    uint8_t big[WEBHOOK_MAX_PAYLOAD + 1];
    Chirpstack__Integration__Timestamp bad;

    docs_up_init(&d);
    d.m.deduplication_id = S("");
    EXPECT_FAIL("up", &d.m, "deduplicationId: missing");
    d.m.deduplication_id = S("a b");
    EXPECT_FAIL("up", &d.m, "deduplicationId: not 1 to 64 printable characters without spaces");
    d.m.deduplication_id = S("d");
    d.m.device_info = NULL;
    EXPECT_FAIL("up", &d.m, "deviceInfo: missing");
    d.m.device_info = &d.dev;
    d.dev.dev_eui = S("");
    EXPECT_FAIL("up", &d.m, "deviceInfo.devEui: missing");
    d.dev.dev_eui = S("010101010101010");
    EXPECT_FAIL("up", &d.m, "deviceInfo.devEui: not 16 hex digits");
    d.dev.dev_eui = S("010101010101010g");
    EXPECT_FAIL("up", &d.m, "deviceInfo.devEui: not 16 hex digits");
    d.dev.dev_eui = S("0101010101010101");
    /* Protobuf strings are not checked by the decoder: the parser does. */
    d.dev.device_name = S("bad \xc3");
    EXPECT_FAIL("up", &d.m, "deviceInfo.deviceName: not UTF-8");
    d.dev.device_name = S("overlong \xc0\xaf");
    EXPECT_FAIL("up", &d.m, "deviceInfo.deviceName: not UTF-8");
    d.dev.device_name = S("surrogate \xed\xa0\x80");
    EXPECT_FAIL("up", &d.m, "deviceInfo.deviceName: not UTF-8");
    d.dev.device_name = S("ok \xc3\xa9 \xf0\x9f\x98\x80");
    d.dev.application_name = S("\xff");
    EXPECT_FAIL("up", &d.m, "deviceInfo.applicationName: not UTF-8");
    d.dev.application_name = S("");
    d.rx.gateway_id = S("\x80");
    EXPECT_FAIL("up", &d.m, "rxInfo[0].gatewayId: not UTF-8");
    d.rx.gateway_id = S("g");
    d.rx.snr = NAN;
    EXPECT_FAIL("up", &d.m, "rxInfo[0].snr: not a finite number");
    d.rx.snr = INFINITY;
    EXPECT_FAIL("up", &d.m, "rxInfo[0].snr: not a finite number");
    d.rx.snr = 1;
    bad = stamp(0, -1);
    d.m.time = &bad;
    EXPECT_FAIL("up", &d.m, "time: out of range");
    bad = stamp(0, 1000000000);
    EXPECT_FAIL("up", &d.m, "time: out of range");
    bad = stamp(INT64_C(253402300800), 0);
    EXPECT_FAIL("up", &d.m, "time: out of range");
    bad = stamp(INT64_C(-62135596801), 0);
    EXPECT_FAIL("up", &d.m, "time: out of range");
    bad = stamp(INT64_C(253402300799), 999999999);
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    MUE_ASSERT_INT_EQ(ev.up.time_us, INT64_C(253402300799999999));
    d.m.time = NULL;
    d.rx.ns_time = &bad;
    bad = stamp(-1, -5);
    EXPECT_FAIL("up", &d.m, "rxInfo[0].nsTime: out of range");
    d.rx.ns_time = NULL;
    memset(big, 7, sizeof(big));
    d.m.data.data = big;
    d.m.data.len = sizeof(big);
    EXPECT_FAIL("up", &d.m, "data: payload larger than 4096 bytes");
    d.m.data.len = WEBHOOK_MAX_PAYLOAD;
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    MUE_ASSERT_UINT_EQ(ev.up.payload_len, WEBHOOK_MAX_PAYLOAD);
    MUE_ASSERT_UINT_EQ(ev.up.payload[WEBHOOK_MAX_PAYLOAD - 1], 7);
    MUE_ASSERT_STR_EQ(ev.up.device_name, "ok \xc3\xa9 \xf0\x9f\x98\x80");
}

/* A small pool for the Struct trees the tests build. */
static void *pool[256];
static size_t pooled;

static void *pool_alloc(size_t n)
{
    void *p = calloc(1, n);

    MUE_ASSERT(p != NULL && pooled < sizeof(pool) / sizeof(pool[0]));
    pool[pooled++] = p;
    return p;
}

static void pool_free(void)
{
    while (pooled > 0)
        free(pool[--pooled]);
}

static Chirpstack__Integration__Value *value(Chirpstack__Integration__Value__KindCase kind)
{
    Chirpstack__Integration__Value *v = pool_alloc(sizeof(*v));

    chirpstack__integration__value__init(v);
    v->kind_case = kind;
    return v;
}

static Chirpstack__Integration__Value *num(double d)
{
    Chirpstack__Integration__Value *v = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_NUMBER_VALUE);

    v->number_value = d;
    return v;
}

static Chirpstack__Integration__Value *str(const char *s)
{
    Chirpstack__Integration__Value *v = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_STRING_VALUE);

    v->string_value = (char *)s;
    return v;
}

/* A Struct of n fields, keys and values given in order. */
static Chirpstack__Integration__Struct *object(size_t n, const char *const *keys,
                                               Chirpstack__Integration__Value *const *values)
{
    Chirpstack__Integration__Struct *s = pool_alloc(sizeof(*s));

    chirpstack__integration__struct__init(s);
    s->n_fields = n;
    s->fields = pool_alloc(n * sizeof(*s->fields) + 1);
    for (size_t i = 0; i < n; i++) {
        Chirpstack__Integration__Struct__FieldsEntry *f = pool_alloc(sizeof(*f));
        chirpstack__integration__struct__fields_entry__init(f);
        f->key = (char *)keys[i];
        f->value = values[i];
        s->fields[i] = f;
    }
    return s;
}

static void test_object_becomes_json_text(void)
{
    static const char *const flag_keys[] = { "ok" };
    static const char *const keys[] = { "LAeq", "flags", "list", "name", "none", "unset" };
    Chirpstack__Integration__Value *flag = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_BOOL_VALUE);
    Chirpstack__Integration__Value *flags =
        value(CHIRPSTACK__INTEGRATION__VALUE__KIND_STRUCT_VALUE);
    Chirpstack__Integration__Value *list = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_LIST_VALUE);
    Chirpstack__Integration__ListValue l = CHIRPSTACK__INTEGRATION__LIST_VALUE__INIT;
    Chirpstack__Integration__Value *items[3];
    Chirpstack__Integration__Value *values[6];
    struct docs_up d;

    flag->bool_value = 1;
    flags->struct_value = object(1, flag_keys, &flag);
    items[0] = num(1);
    items[1] = str("a\"\xc3\xa9");
    items[2] = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_NULL_VALUE);
    l.n_values = 3;
    l.values = items;
    list->list_value = &l;
    values[0] = num(67.5);
    values[1] = flags;
    values[2] = list;
    values[3] = str("sono");
    values[4] = value(CHIRPSTACK__INTEGRATION__VALUE__KIND_NULL_VALUE);
    values[5] = value(CHIRPSTACK__INTEGRATION__VALUE__KIND__NOT_SET);
    docs_up_init(&d);
    d.m.object = object(6, keys, values);
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    /* Keys in the order given; a Value of no kind is null. */
    MUE_ASSERT_STR_EQ(
        ev.up.decoded_json,
        "{\"LAeq\":67.5,\"flags\":{\"ok\":true},\"list\":[1.0,\"a\\\"\xc3\xa9\",null],"
        "\"name\":\"sono\",\"none\":null,\"unset\":null}");
    /* An empty Struct is an empty object, not "no object". */
    d.m.object = object(0, NULL, NULL);
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    MUE_ASSERT_STR_EQ(ev.up.decoded_json, "{}");
    pool_free();
}

static void test_object_errors(void)
{
    static const char *const two[] = { "a", "a" };
    static const char *const bad_key[] = { "\xc3" };
    static const char *const one[] = { "a" };
    Chirpstack__Integration__Value *v[2];
    struct docs_up d;
    char *long_text = malloc(WEBHOOK_MAX_DECODED);

    MUE_ASSERT(long_text != NULL);
    docs_up_init(&d);
    v[0] = num(1);
    v[1] = num(2);
    d.m.object = object(2, two, v);
    EXPECT_FAIL("up", &d.m, "object: duplicate key");
    d.m.object = object(1, bad_key, v);
    EXPECT_FAIL("up", &d.m, "object: key not UTF-8");
    v[0] = str("\xe2\x82");
    d.m.object = object(1, one, v);
    EXPECT_FAIL("up", &d.m, "object: string not UTF-8");
    v[0] = num(NAN);
    d.m.object = object(1, one, v);
    EXPECT_FAIL("up", &d.m, "object: number not finite");
    v[0] = num(-INFINITY);
    d.m.object = object(1, one, v);
    EXPECT_FAIL("up", &d.m, "object: number not finite");
    /* {"a":"<n x's>"} is n + 8 bytes of text; with its NUL it must fit WEBHOOK_MAX_DECODED. */
    memset(long_text, 'x', WEBHOOK_MAX_DECODED - 9);
    long_text[WEBHOOK_MAX_DECODED - 9] = '\0';
    v[0] = str(long_text);
    d.m.object = object(1, one, v);
    MUE_ASSERT_INT_EQ(parse_pb("up", &d.m), 0);
    MUE_ASSERT_UINT_EQ(strlen(ev.up.decoded_json), WEBHOOK_MAX_DECODED - 1);
    long_text[WEBHOOK_MAX_DECODED - 9] = 'x';
    long_text[WEBHOOK_MAX_DECODED - 8] = '\0';
    EXPECT_FAIL("up", &d.m, "object: decoded object too large");
    free(long_text);
    pool_free();
}

/* Wire bytes written by hand, for shapes protobuf-c would not pack. */
struct wire {
    uint8_t *buf;
    size_t len, cap;
};

static void put(struct wire *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        w->cap = (w->len + n) * 2;
        w->buf = realloc(w->buf, w->cap);
        MUE_ASSERT(w->buf != NULL);
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_varint(struct wire *w, uint64_t v)
{
    uint8_t b[10];
    size_t n = 0;

    do {
        b[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v != 0)
            b[n] |= 0x80;
        n++;
    } while (v != 0);
    put(w, b, n);
}

/* Field 'field' holding the bytes of 'inner' (which is freed). */
static void put_field(struct wire *w, unsigned field, struct wire *inner)
{
    put_varint(w, (uint64_t)field << 3 | 2);
    put_varint(w, inner->len);
    if (inner->len > 0)
        put(w, inner->buf, inner->len);
    free(inner->buf);
    memset(inner, 0, sizeof(*inner));
}

static void put_text(struct wire *w, unsigned field, const char *s)
{
    put_varint(w, (uint64_t)field << 3 | 2);
    put_varint(w, strlen(s));
    put(w, s, strlen(s));
}

static size_t varint_size(uint64_t v)
{
    size_t n = 1;

    for (; v >= 0x80; v >>= 7)
        n++;
    return n;
}

/* An UplinkEvent whose object is {"a": [[...[true]...]]} with 'lists' nested arrays, framed as
 * ChirpStack would: Struct.fields(1) = entry{key(1), value(2)}, Value.list_value(6) =
 * ListValue{values(1)}, Value.bool_value(4). The lengths are worked out from the inside first,
 * so a deep one is written in one pass. */
static struct wire deep_up(size_t lists)
{
    struct wire v = { 0 }, entry = { 0 }, st = { 0 }, dev = { 0 }, m = { 0 };
    size_t *value_len = malloc((lists + 1) * sizeof(*value_len));

    MUE_ASSERT(value_len != NULL);
    value_len[0] = 2; /* bool_value: true */
    for (size_t i = 1; i <= lists; i++) {
        size_t list_len = 1 + varint_size(value_len[i - 1]) + value_len[i - 1];
        value_len[i] = 1 + varint_size(list_len) + list_len;
    }
    for (size_t i = lists; i >= 1; i--) {
        put_varint(&v, 6 << 3 | 2); /* Value.list_value */
        put_varint(&v, 1 + varint_size(value_len[i - 1]) + value_len[i - 1]);
        put_varint(&v, 1 << 3 | 2); /* ListValue.values */
        put_varint(&v, value_len[i - 1]);
    }
    put_varint(&v, 4 << 3 | 0);
    put_varint(&v, 1);
    MUE_ASSERT_UINT_EQ(v.len, value_len[lists]);
    free(value_len);
    put_text(&entry, 1, "a");
    put_field(&entry, 2, &v);
    put_field(&st, 1, &entry);
    put_text(&m, 1, "d-deep");
    put_text(&dev, 8, "0101010101010101");
    put_field(&m, 3, &dev);
    put_field(&m, 11, &st);
    return m;
}

/* The JSON body of the same uplink. */
static char *deep_json(size_t lists)
{
    static const char head[] = "{\"deduplicationId\":\"d-deep\",\"deviceInfo\":{\"devEui\":"
                               "\"0101010101010101\"},\"object\":{\"a\":";
    size_t n = strlen(head);
    char *s = malloc(n + 2 * lists + 8);

    MUE_ASSERT(s != NULL);
    memcpy(s, head, n);
    memset(s + n, '[', lists);
    memcpy(s + n + lists, "true", 4);
    memset(s + n + lists + 4, ']', lists);
    memcpy(s + n + 2 * lists + 4, "}}", 3);
    return s;
}

static void test_object_depth_is_bounded(void)
{
    /* 30 arrays inside the object are 32 levels of JSON body: the most either marshaler takes. */
    static const size_t ok = 30;
    struct wire w = deep_up(ok);
    char *json = deep_json(ok), why[160];

    MUE_ASSERT_INT_EQ(parse_bytes("up", w.buf, w.len), 0);
    MUE_ASSERT(strncmp(ev.up.decoded_json, "{\"a\":[[[[", 9) == 0);
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse("up", json, strlen(json), false, &ev_json, why, sizeof(why)), 0);
    assert_same_as_json();
    free(w.buf);
    free(json);

    w = deep_up(ok + 1);
    json = deep_json(ok + 1);
    MUE_ASSERT_INT_EQ(parse_bytes("up", w.buf, w.len), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "object: nested deeper than 31 levels");
    MUE_ASSERT_INT_EQ(
        webhook_chirpstack_parse("up", json, strlen(json), false, &ev_json, why, sizeof(why)),
        MUE_EDECODE);
    free(w.buf);
    free(json);

    /* Deep enough to exhaust the stack of an unbounded recursive unpacker. */
    w = deep_up(200000);
    MUE_ASSERT_INT_EQ(parse_bytes("up", w.buf, w.len), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "object: nested deeper than 31 levels");
    free(w.buf);
}

static void test_malformed_wire_bytes(void)
{
    static const uint8_t truncated_length[] = { 0x0a, 0x05, 'd', '-' };
    static const uint8_t bad_varint[] = { 0x30, 0xff, 0xff, 0xff, 0xff, 0xff,
                                          0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
    static const uint8_t group[] = { 0x0b, 0x0c };
    static const uint8_t wire_type_7[] = { 0x0f };
    /* f_cnt (7) as a length-delimited field. */
    static const uint8_t wrong_wire_type[] = { 0x3a, 0x00 };
    static const char *const events[] = {
        "up", "join", "status", "ack", "txack", "log", "location"
    };

    MUE_ASSERT_INT_EQ(parse_bytes("up", truncated_length, sizeof(truncated_length)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "not a Protobuf UplinkEvent");
    MUE_ASSERT_INT_EQ(parse_bytes("up", bad_varint, sizeof(bad_varint)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse_bytes("up", group, sizeof(group)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse_bytes("up", wire_type_7, sizeof(wire_type_7)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(parse_bytes("up", wrong_wire_type, sizeof(wrong_wire_type)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "not a Protobuf UplinkEvent");
    MUE_ASSERT_INT_EQ(parse_bytes("ack", truncated_length, sizeof(truncated_length)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "not a Protobuf AckEvent");
    MUE_ASSERT_INT_EQ(parse_bytes("txack", wire_type_7, sizeof(wire_type_7)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "not a Protobuf TxAckEvent");
    /* An empty body is a message of defaults: it lacks its identity. */
    MUE_ASSERT_INT_EQ(parse_bytes("status", NULL, 0), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "deduplicationId: missing");
    MUE_ASSERT_INT_EQ(parse_bytes("log", NULL, 0), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "deviceInfo: missing");
    /* A JSON body sent as Protobuf is refused, whatever the event. */
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        static const char json[] = "{\"deduplicationId\":\"x\"}";
        MUE_ASSERT_INT_EQ(parse_bytes(events[i], (const uint8_t *)json, strlen(json)), MUE_EDECODE);
        MUE_ASSERT(reason[0] != '\0' && strchr(reason, '"') == NULL);
    }
}

/* Every prefix of a packed event is refused or read as the fields it holds, never past its end. */
static void test_every_prefix(void)
{
    struct docs_up d;
    size_t len;
    uint8_t *buf;

    docs_up_init(&d);
    buf = pack(&d.m.base, &len);
    for (size_t n = 0; n < len; n++) {
        int rc = parse_bytes("up", buf, n);
        MUE_ASSERT(rc == 0 || rc == MUE_EDECODE);
        MUE_ASSERT(rc == 0 || reason[0] != '\0');
    }
    MUE_ASSERT_INT_EQ(parse_bytes("up", buf, len), 0);
    free(buf);
}

static void test_unknown_fields_are_skipped(void)
{
    struct docs_up d;
    struct wire w = { 0 };
    size_t len;
    uint8_t *buf;

    docs_up_init(&d);
    buf = pack(&d.m.base, &len);
    put(&w, buf, len);
    free(buf);
    put_varint(&w, 5 << 3 | 0); /* adr: true */
    put_varint(&w, 1);
    put_text(&w, 16, "eu868");   /* region_config_id */
    put_varint(&w, 99 << 3 | 5); /* a fixed32 from a future version */
    put(&w, "\1\2\3\4", 4);
    MUE_ASSERT_INT_EQ(parse_bytes("up", w.buf, w.len), 0);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    MUE_ASSERT_UINT_EQ(ev.up.spreading_factor, 11);
    free(w.buf);
}

static void test_join(void)
{
    Chirpstack__Integration__JoinEvent m = CHIRPSTACK__INTEGRATION__JOIN_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = docs_device();
    Chirpstack__Integration__Timestamp t = stamp(1658136808, 823500726);

    m.deduplication_id = S("c9dbe358-2578-4fb7-b295-66b44edc45a6");
    m.time = &t;
    m.device_info = &dev;
    m.dev_addr = S("00189440");
    MUE_ASSERT_INT_EQ(parse_pb("join", &m), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_JOIN);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:join:c9dbe358-2578-4fb7-b295-66b44edc45a6");
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "00189440");
    MUE_ASSERT_INT_EQ(parse_json("join",
                                 "{'deduplicationId':'c9dbe358-2578-4fb7-b295-66b44edc45a6',"
                                 "'time':'2022-07-18T09:33:28.823500726+00:00'," DOCS_DEVICE_JSON
                                 ",'devAddr':'00189440'}"),
                      0);
    assert_same_as_json();
    m.dev_addr = S("");
    MUE_ASSERT_INT_EQ(parse_pb("join", &m), 0);
    MUE_ASSERT_STR_EQ(ev.dev.dev_addr, "");
    m.dev_addr = S("0018944Z");
    EXPECT_FAIL("join", &m, "devAddr: not 8 hex digits");
    m.dev_addr = S("00189440");
    m.deduplication_id = S("");
    EXPECT_FAIL("join", &m, "deduplicationId: missing");
}

static void test_status(void)
{
    Chirpstack__Integration__StatusEvent m = CHIRPSTACK__INTEGRATION__STATUS_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = docs_device();
    Chirpstack__Integration__Timestamp t = stamp(1658136906, 927172638);

    m.deduplication_id = S("bf2a9746-1c8b-49be-a92e-f0b89c8534e4");
    m.time = &t;
    m.device_info = &dev;
    m.margin = 10;
    m.battery_level = 88.3f;
    MUE_ASSERT_INT_EQ(parse_pb("status", &m), 0);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_STATUS);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:status:bf2a9746-1c8b-49be-a92e-f0b89c8534e4");
    MUE_ASSERT(ev.dev.has_margin);
    MUE_ASSERT_INT_EQ(ev.dev.margin_db, 10);
    MUE_ASSERT(ev.dev.has_battery);
    MUE_ASSERT_DBL_NEAR(ev.dev.battery_pct, 88.3, 1e-5);
    MUE_ASSERT_INT_EQ(parse_json("status",
                                 "{'deduplicationId':'bf2a9746-1c8b-49be-a92e-f0b89c8534e4',"
                                 "'time':'2022-07-18T09:35:06.927172638+00:00'," DOCS_DEVICE_JSON
                                 ",'margin':10,'batteryLevel':88.3}"),
                      0);
    assert_same_as_json();
    m.margin = 0;
    m.battery_level = 0;
    m.external_power_source = 1;
    MUE_ASSERT_INT_EQ(parse_pb("status", &m), 0);
    MUE_ASSERT(ev.dev.has_margin);
    MUE_ASSERT(ev.dev.external_power);
    MUE_ASSERT(!ev.dev.has_battery);
    m.external_power_source = 0;
    m.battery_level_unavailable = 1;
    MUE_ASSERT_INT_EQ(parse_pb("status", &m), 0);
    MUE_ASSERT(!ev.dev.has_battery);
    m.battery_level_unavailable = 0;
    m.battery_level = NAN;
    EXPECT_FAIL("status", &m, "batteryLevel: not a percentage");
    m.battery_level = 100.5f;
    EXPECT_FAIL("status", &m, "batteryLevel: not a percentage");
    m.battery_level = 1;
    m.margin = 32;
    EXPECT_FAIL("status", &m, "margin: out of range");
    m.margin = INT32_MIN;
    EXPECT_FAIL("status", &m, "margin: out of range");
}

static void test_location(void)
{
    Chirpstack__Integration__LocationEvent m = CHIRPSTACK__INTEGRATION__LOCATION_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = docs_device();
    Chirpstack__Integration__Timestamp t = stamp(1658138111, 59481003);
    Chirpstack__Integration__Location loc = CHIRPSTACK__INTEGRATION__LOCATION__INIT;

    m.deduplication_id = S("63d870b9-b769-4d88-8b33-8e43f58851a7");
    m.time = &t;
    m.device_info = &dev;
    loc.latitude = 37.344214;
    loc.longitude = -8.839375;
    loc.altitude = 2;
    m.location = &loc;
    MUE_ASSERT_INT_EQ(parse_pb("location", &m), 0);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOCATION);
    MUE_ASSERT(ev.dev.has_location);
    MUE_ASSERT_DBL_NEAR(ev.dev.latitude, 37.344214, 0);
    MUE_ASSERT_INT_EQ(parse_json("location",
                                 "{'deduplicationId':"
                                 "'63d870b9-b769-4d88-8b33-8e43f58851a7','time':"
                                 "'2022-07-18T09:55:11.059481003+00:00'," DOCS_DEVICE_JSON
                                 ",'location':{'latitude':37.344214,"
                                 "'longitude':-8.839375,'altitude':2}}"),
                      0);
    assert_same_as_json();
    loc.longitude = NAN;
    EXPECT_FAIL("location", &m, "location.longitude: out of range");
    loc.longitude = 0;
    loc.altitude = INFINITY;
    EXPECT_FAIL("location", &m, "location.altitude: not a finite number");
    m.location = NULL;
    MUE_ASSERT_INT_EQ(parse_pb("location", &m), 0);
    MUE_ASSERT(!ev.dev.has_location);
}

static void test_ack_and_txack(void)
{
    Chirpstack__Integration__AckEvent a = CHIRPSTACK__INTEGRATION__ACK_EVENT__INIT;
    Chirpstack__Integration__TxAckEvent t = CHIRPSTACK__INTEGRATION__TX_ACK_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = docs_device();
    Chirpstack__Integration__Timestamp ts = stamp(1658137129, 235700766);

    a.deduplication_id = S("856a03e7-80f6-4c26-b971-9dcb34a59c2e");
    a.time = &ts;
    a.device_info = &dev;
    a.queue_item_id = S("1bbcab1d-6ec6-4136-b3f5-d63be1dc08de");
    a.acknowledged = 1;
    a.f_cnt_down = 3;
    MUE_ASSERT_INT_EQ(parse_pb("ack", &a), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_ACKED);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:ack:1bbcab1d-6ec6-4136-b3f5-d63be1dc08de");
    MUE_ASSERT_INT_EQ(parse_json("ack",
                                 "{'deduplicationId':'856a03e7-80f6-4c26-b971-9dcb34a59c2e',"
                                 "'time':'2022-07-18T09:38:49.235700766+00:00'," DOCS_DEVICE_JSON
                                 ",'queueItemId':"
                                 "'1bbcab1d-6ec6-4136-b3f5-d63be1dc08de','acknowledged':true,"
                                 "'fCntDown':3}"),
                      0);
    assert_same_as_json();
    a.acknowledged = 0;
    MUE_ASSERT_INT_EQ(parse_pb("ack", &a), 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_NACKED);
    a.queue_item_id = S("");
    EXPECT_FAIL("ack", &a, "queueItemId: missing");
    a.queue_item_id = S("q\x01");
    EXPECT_FAIL("ack", &a, "queueItemId: not 1 to 64 printable characters without spaces");

    t.downlink_id = 3461958127u;
    t.time = &ts;
    t.device_info = &dev;
    t.queue_item_id = S("42cb6459-a640-46ec-9623-bdff39dc4736");
    t.f_cnt_down = 2;
    t.gateway_id = S("0016c001f153a14c");
    MUE_ASSERT_INT_EQ(parse_pb("txack", &t), 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_SENT);
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:txack:3461958127:42cb6459-a640-46ec-9623-bdff39dc4736");
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "42cb6459-a640-46ec-9623-bdff39dc4736");
    MUE_ASSERT_UINT_EQ(ev.dl.f_cnt_down, 2);
    MUE_ASSERT_INT_EQ(parse_json("txack", "{'downlinkId':3461958127,'time':"
                                          "'2022-07-18T09:38:49.235700766+00:00'," DOCS_DEVICE_JSON
                                          ",'queueItemId':"
                                          "'42cb6459-a640-46ec-9623-bdff39dc4736','fCntDown':2,"
                                          "'gatewayId':'0016c001f153a14c'}"),
                      0);
    assert_same_as_json();
    t.device_info = NULL;
    EXPECT_FAIL("txack", &t, "deviceInfo: missing");
}

static void test_log(void)
{
    Chirpstack__Integration__LogEvent m = CHIRPSTACK__INTEGRATION__LOG_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo dev = docs_device();
    Chirpstack__Integration__Timestamp t = stamp(1704164645, 6000);
    Chirpstack__Integration__LogEvent__ContextEntry c[3] = {
        CHIRPSTACK__INTEGRATION__LOG_EVENT__CONTEXT_ENTRY__INIT,
        CHIRPSTACK__INTEGRATION__LOG_EVENT__CONTEXT_ENTRY__INIT,
        CHIRPSTACK__INTEGRATION__LOG_EVENT__CONTEXT_ENTRY__INIT,
    };
    Chirpstack__Integration__LogEvent__ContextEntry *cs[3] = { &c[0], &c[1], &c[2] };

    m.time = &t;
    m.device_info = &dev;
    m.level = CHIRPSTACK__INTEGRATION__LOG_LEVEL__ERROR;
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__UPLINK_MIC;
    m.description = S("MIC of join-request is invalid, make sure keys are correct");
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DEVICE_EVENT);
    MUE_ASSERT_INT_EQ(ev.dev.kind, WEBHOOK_DEVICE_LOG);
    MUE_ASSERT_STR_EQ(ev.dev.log_level, "ERROR");
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "UPLINK_MIC");
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:log:0101010101010101:1704164645000006:UPLINK_MIC");
    MUE_ASSERT_INT_EQ(parse_json("log", "{'time':'2024-01-02T03:04:05.000006Z'," DOCS_DEVICE_JSON
                                        ",'level':'ERROR','code':'UPLINK_MIC','description':"
                                        "'MIC of join-request is invalid, make sure keys are "
                                        "correct','context':{'deduplication_id':'x'}}"),
                      0);
    assert_same_as_json();

    /* A dropped downlink, named by the context's queue_item_id among other keys. */
    c[0].key = S("max_payload_size");
    c[0].value = S("51");
    c[1].key = S("queue_item_id");
    c[1].value = S("q-3");
    m.n_context = 2;
    m.context = cs;
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__DOWNLINK_PAYLOAD_SIZE;
    m.description = S("Device queue-item discarded because it exceeds the max. payload size");
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_INT_EQ(ev.kind, WEBHOOK_DOWNLINK_STATUS);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "q-3");
    MUE_ASSERT_STR_EQ(ev.dl.source, "chirpstack:log");
    MUE_ASSERT_STR_EQ(ev.dl.reason, "DOWNLINK_PAYLOAD_SIZE: Device queue-item discarded because "
                                    "it exceeds the max. payload size");
    MUE_ASSERT_STR_EQ(ev.up.id, "cs:log:0101010101010101:1704164645000006:DOWNLINK_PAYLOAD_SIZE");
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__EXPIRED;
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_EXPIRED);
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__F_CNT_DOWN;
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_INT_EQ(ev.dl.state, WEBHOOK_DL_FAILED);
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__DOWNLINK_GATEWAY;
    m.n_context = 0;
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_STR_EQ(ev.dl.network_ref, "");
    /* Protobuf enums are open: an unknown code is kept as its number. */
    m.code = (Chirpstack__Integration__LogCode)42;
    MUE_ASSERT_INT_EQ(parse_pb("log", &m), 0);
    MUE_ASSERT_STR_EQ(ev.dev.log_code, "42");
    MUE_ASSERT_INT_EQ(parse_json("log", "{'time':'2024-01-02T03:04:05.000006Z'," DOCS_DEVICE_JSON
                                        ",'level':2,'code':42,'description':'Device queue-item "
                                        "discarded because it exceeds the max. payload size'}"),
                      0);
    assert_same_as_json();
    m.level = (Chirpstack__Integration__LogLevel)-1;
    EXPECT_FAIL("log", &m, "level: not a log level name");
    m.level = CHIRPSTACK__INTEGRATION__LOG_LEVEL__INFO;
    m.code = CHIRPSTACK__INTEGRATION__LOG_CODE__EXPIRED;
    c[2].key = S("queue_item_id");
    c[2].value = S("q-other");
    m.n_context = 3;
    EXPECT_FAIL("log", &m, "context.queue_item_id: given twice");
    m.n_context = 2;
    c[1].value = S("q 3");
    EXPECT_FAIL("log", &m,
                "context.queue_item_id: not 1 to 64 printable characters without "
                "spaces");
    c[1].value = S("q-3");
    m.description = S("\xfe");
    EXPECT_FAIL("log", &m, "description: not UTF-8");
    m.description = S("");
    m.time = NULL;
    EXPECT_FAIL("log", &m, "time: missing (it identifies a log event)");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_docs_up),
        MUE_TEST(test_up_defaults_and_radio),
        MUE_TEST(test_up_errors),
        MUE_TEST(test_object_becomes_json_text),
        MUE_TEST(test_object_errors),
        MUE_TEST(test_object_depth_is_bounded),
        MUE_TEST(test_malformed_wire_bytes),
        MUE_TEST(test_every_prefix),
        MUE_TEST(test_unknown_fields_are_skipped),
        MUE_TEST(test_join),
        MUE_TEST(test_status),
        MUE_TEST(test_location),
        MUE_TEST(test_ack_and_txack),
        MUE_TEST(test_log),
    };
    return mue_test_run("webhook_chirpstack_pb", tests);
}
