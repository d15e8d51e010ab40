/* test_uplink.c - a parsed webhook uplink packed as mue.v1.Uplink.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "mue/v1/uplink.pb-c.h"
#include "mue_err.h"
#include "uplink.h"

static struct webhook_uplink sample(void)
{
    struct webhook_uplink u;
    memset(&u, 0, sizeof(u));
    strcpy(u.id, "cs:3ac7e3c4-4401-4b8d-9386-a5c902f9202d");
    strcpy(u.network, "chirpstack");
    strcpy(u.dev_eui, "24e124710000a001");
    strcpy(u.device_name, "pav-aix-001");
    u.f_port = 85;
    u.f_cnt = 4294967295u;
    u.payload[0] = 0x01;
    u.payload[1] = 0x75;
    u.payload_len = 2;
    u.time_us = 1658136855775023LL;
    u.has_radio = true;
    u.rssi = -109;
    u.snr = -3.5;
    u.frequency = 868100000;
    u.gateway_count = 2;
    strcpy(u.gateway_id, "0016c001f153a14c");
    return u;
}

static void test_pack_round_trips_every_field(void)
{
    struct webhook_uplink u = sample();
    size_t len = 0;
    uint8_t *buf = uplink_pack(&u, 1700000000000001LL, &len);
    Mue__V1__Uplink *m = mue__v1__uplink__unpack(NULL, len, buf);

    MUE_ASSERT(m != NULL);
    MUE_ASSERT_STR_EQ(m->id, u.id);
    MUE_ASSERT_STR_EQ(m->network, "chirpstack");
    MUE_ASSERT_STR_EQ(m->dev_eui, "24e124710000a001");
    MUE_ASSERT_STR_EQ(m->device_name, "pav-aix-001");
    MUE_ASSERT_UINT_EQ(m->f_port, 85);
    MUE_ASSERT_UINT_EQ(m->f_cnt, 4294967295u);
    MUE_ASSERT_UINT_EQ(m->payload.len, 2);
    MUE_ASSERT_INT_EQ(m->payload.data[1], 0x75);
    MUE_ASSERT_INT_EQ(m->time_us, 1658136855775023LL);
    MUE_ASSERT_INT_EQ(m->ingested_at_us, 1700000000000001LL);
    MUE_ASSERT(m->radio != NULL);
    MUE_ASSERT_INT_EQ(m->radio->rssi, -109);
    MUE_ASSERT_DBL_NEAR(m->radio->snr, -3.5, 0);
    MUE_ASSERT_UINT_EQ(m->radio->frequency, 868100000);
    MUE_ASSERT_UINT_EQ(m->radio->gateway_count, 2);
    MUE_ASSERT_STR_EQ(m->radio->gateway_id, "0016c001f153a14c");
    mue__v1__uplink__free_unpacked(m, NULL);
    free(buf);
}

static void test_uplink_without_radio_facts_has_no_radio_message(void)
{
    struct webhook_uplink u = sample();
    size_t len = 0;
    uint8_t *buf;
    Mue__V1__Uplink *m;

    u.has_radio = false;
    buf = uplink_pack(&u, 1, &len);
    m = mue__v1__uplink__unpack(NULL, len, buf);
    MUE_ASSERT(m != NULL);
    MUE_ASSERT(m->radio == NULL);
    mue__v1__uplink__free_unpacked(m, NULL);
    free(buf);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_pack_round_trips_every_field),
        MUE_TEST(test_uplink_without_radio_facts_has_no_radio_message),
    };
    return mue_test_run("uplink", tests);
}
