/* webhook.c - an uplink as the network server that carries the device would post it: the
 * ChirpStack v4 HTTP integration's "up" event, or The Things Stack v3 webhook's uplink message
 * (formats in ../shared/reference/formats.md and the fixtures of tests/integration/fixtures/).
 * SPDX-License-Identifier: MIT */
#include "webhook.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "mue_time.h"

/* The radio of a device: where it sits sets its mean RSSI and SNR, each uplink varies a little. */
static void radio(const struct sim_device *d, int64_t t_us, int *rssi, double *snr)
{
    double mean = -70.0 - 45.0 * sim_uniform(d->seed, 0, 0x7261646f);
    double r = mean + 3.0 * sim_normal(d->seed, (uint64_t)t_us, 0x72737369);
    double s = (r + 120.0) / 4.0 + 1.5 * sim_normal(d->seed, (uint64_t)t_us, 0x736e72);

    *rssi = (int)lround(r < -130.0 ? -130.0 : r);
    *snr = round((s < -20.0 ? -20.0 : s > 13.0 ? 13.0 : s) * 4.0) / 4.0;
}

/* A UUID-shaped id, the same for the same device, time and frame counter (so a repeated post of
 * one uplink carries the id a network server would repeat). */
static void uuid(uint64_t seed, int64_t t_us, uint32_t fcnt, char out[37])
{
    uint64_t a = sim_hash(seed, (uint64_t)t_us, fcnt), b = sim_hash(a, seed, 0x75756964);

    snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-a%03" PRIx64 "-%012" PRIx64,
             a >> 32, (a >> 16) & 0xffff, a & 0xfff, b >> 52, b & (uint64_t)0xffffffffffff);
}

/* The device name a network server knows it by: its DevEUI, as operators often do. */
static int body_chirpstack(const struct sim_device *d, const struct sim_uplink *u, char *out,
                           size_t cap)
{
    char ts[40], id[37], b64[SIM_WEBHOOK_B64_MAX];
    int rssi, n;
    double snr;

    mue_time_format(u->time_us, ts, sizeof(ts));
    if (mue_base64_encode(u->payload, u->len, b64, sizeof(b64)) < 0)
        return MUE_E2BIG;
    uuid(d->seed, u->time_us, u->fcnt, id);
    radio(d, u->time_us, &rssi, &snr);
    n = snprintf(out, cap,
                 "{\"deduplicationId\":\"%s\",\"time\":\"%s\","
                 "\"deviceInfo\":{\"tenantName\":\"Metropole Aix-Marseille-Provence\","
                 "\"applicationName\":\"mue-%s\",\"deviceProfileName\":\"%s\","
                 "\"deviceName\":\"%s\",\"devEui\":\"%s\"},"
                 "\"devAddr\":\"%08" PRIx64 "\",\"adr\":true,\"dr\":5,\"fCnt\":%" PRIu32
                 ",\"fPort\":%u,\"confirmed\":false,\"data\":\"%s\","
                 "\"rxInfo\":[{\"gatewayId\":\"%016" PRIx64 "\",\"uplinkId\":%" PRIu64
                 ",\"rssi\":%d,\"snr\":%.2f}],"
                 "\"txInfo\":{\"frequency\":%d,\"modulation\":{\"lora\":{\"bandwidth\":125000,"
                 "\"spreadingFactor\":7,\"codeRate\":\"CR_4_5\"}}}}",
                 id, ts, d->use_case, d->model, d->dev_eui, d->dev_eui,
                 sim_hash(d->seed, 0, 0x61646472) & 0x01ffffff, u->fcnt, u->fport, b64,
                 (uint64_t)0x0016c001f1000000 | (d->seed & 0xff), sim_hash(d->seed, u->fcnt, 1) >> 32,
                 rssi, snr, 868100000 + 200000 * (int)(u->fcnt % 3));
    return n > 0 && (size_t)n < cap ? n : MUE_E2BIG;
}

static int body_tts(const struct sim_device *d, const struct sim_uplink *u, char *out, size_t cap)
{
    char ts[40], id[37], b64[SIM_WEBHOOK_B64_MAX], eui[17];
    int rssi, n;
    double snr;

    mue_time_format(u->time_us, ts, sizeof(ts));
    if (mue_base64_encode(u->payload, u->len, b64, sizeof(b64)) < 0)
        return MUE_E2BIG;
    uuid(d->seed, u->time_us, u->fcnt, id);
    radio(d, u->time_us, &rssi, &snr);
    /* The Things Stack writes EUIs in upper case. */
    for (size_t i = 0; i < 16; i++)
        eui[i] = (char)(d->dev_eui[i] >= 'a' ? d->dev_eui[i] - 'a' + 'A' : d->dev_eui[i]);
    eui[16] = '\0';
    n = snprintf(out, cap,
                 "{\"end_device_ids\":{\"device_id\":\"eui-%s\",\"application_ids\":"
                 "{\"application_id\":\"mue-%s\"},\"dev_eui\":\"%s\",\"dev_addr\":\"%08" PRIX64
                 "\"},\"correlation_ids\":[\"as:up:%s\"],\"received_at\":\"%s\","
                 "\"uplink_message\":{\"f_port\":%u,\"f_cnt\":%" PRIu32 ",\"frm_payload\":\"%s\","
                 "\"rx_metadata\":[{\"gateway_ids\":{\"gateway_id\":\"amp-gw-%02" PRIu64
                 "\"},\"rssi\":%d,\"channel_rssi\":%d,\"snr\":%.2f}],"
                 "\"settings\":{\"data_rate\":{\"lora\":{\"bandwidth\":125000,"
                 "\"spreading_factor\":7}},\"frequency\":\"%d\"},\"received_at\":\"%s\"}}",
                 d->dev_eui, d->use_case, eui, sim_hash(d->seed, 0, 0x61646472) & 0x01ffffff, id,
                 ts, u->fport, u->fcnt, b64, d->seed % 12, rssi, rssi, snr,
                 868100000 + 200000 * (int)(u->fcnt % 3), ts);
    return n > 0 && (size_t)n < cap ? n : MUE_E2BIG;
}

int sim_webhook_body(const struct sim_device *d, const struct sim_uplink *u, char *out, size_t cap,
                     const char **path)
{
    if (strcmp(d->network, "tts") == 0) {
        *path = "/v1/tts";
        return body_tts(d, u, out, cap);
    }
    if (strcmp(d->network, "chirpstack") == 0) {
        *path = "/v1/chirpstack?event=up";
        return body_chirpstack(d, u, out, cap);
    }
    return MUE_EINVAL;
}
