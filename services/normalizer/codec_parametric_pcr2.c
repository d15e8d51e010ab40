/* codec_parametric_pcr2.c - Parametric PCR2 radar people / bike counter: counting frames on fPort
 * 14, configuration and device-id frames on fPort 190.
 *
 * Sources: the vendor decoder in TheThingsNetwork/lorawan-devices vendor/parametric/pcr2.js
 * @886ed1a3 and pcr2-decoder.js (@0a254aaa: config v6; a later version of that file, commit not
 * pinned, adds the firmware-4 AppData V5 and DeviceID frames), and Parametric's payload
 * descriptions (parametric.ch / docs.pmx.systems "PCR2 LoRaWAN Payload Description" V2-V5, "PCR2
 * Configuration Payload" V2-V5).
 * All multi-byte values are big-endian.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue_err.h"

#define PCR2_FPORT_APP     14
#define PCR2_FPORT_CONFIG  190
#define PCR2_FPORT_CONFIG5 1 /* firmware 4 "Config Payload V5" (be 01 xx c5) */
#define PCR2_VENDOR_ID     0xbe
#define PCR2_FAMILY        0x01
#define PCR2_APPDATA_V5    0xa5
#define PCR2_DEVICE_ID_V5  0xd5
#define PCR2_ELSYS_FIRST   0x0a

/* DeviceType / DEV_TYPE codes of the payload descriptions (2 and 3 are PCR2-R and PCR2-T in the
 * config V2-V5 tables; the firmware-4 decoder lists 5 to 8). */
static const char *const pcr2_device_types[] = { "PCR2-IN",  "PCR2-OD",  "PCR2-R",
                                                 "PCR2-T",   "PCR2-XIO", "PCR2-ODS",
                                                 "PCR2-ODA", "PCR2-ODB", "PCR2-ODBS" };
#define PCR2_NDEVICE_TYPES (sizeof(pcr2_device_types) / sizeof(pcr2_device_types[0]))

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static int pcr2_device_type(struct codec_result *out, const uint8_t *buf, size_t off)
{
    if (buf[off] >= PCR2_NDEVICE_TYPES)
        return codec_fail(out, "unknown device type %u at offset %zu", buf[off], off);
    return codec_attr(out, "device_type", "%s", pcr2_device_types[buf[off]]);
}

/* CPU_TEMP is a signed tenth of a degree. The vendor decoder floors it to whole degrees; the
 * description gives 0.1 °C steps, so they are kept. Its documented span is f000..0fff. */
static int pcr2_cpu_temp(struct codec_result *out, const uint8_t *buf, size_t off)
{
    unsigned raw = be16(buf + off);
    long t = raw >= 0x8000u ? (long)raw - 0x10000L : (long)raw;

    if (t < -0x1000L || t > 0x0fffL)
        return codec_fail(out, "CPU temperature 0x%04x at offset %zu outside f000..0fff", raw, off);
    return codec_add(out, "device_temperature", (double)t / 10.0);
}

/* Legacy "ELSYS" frame: repeated [type u8][value u16]. The vendor decoder stops silently at an
 * unknown type; here an unknown, repeated or cut entry rejects the frame. */
static int pcr2_elsys(const uint8_t *buf, size_t len, struct codec_result *out)
{
    unsigned seen = 0;
    size_t i;
    int rc = codec_attr(out, "frame_type", "elsys");

    for (i = 0; rc == MUE_OK && i < len; i += 3) {
        unsigned bit = buf[i] == 0x0a ? 1u : buf[i] == 0x16 ? 2u : buf[i] == 0x01 ? 4u : 0u;

        if (bit == 0)
            return codec_fail(out, "unknown ELSYS type 0x%02x at offset %zu", buf[i], i);
        if (len - i < 3)
            return codec_fail(out, "truncated ELSYS value of type 0x%02x at offset %zu", buf[i], i);
        if (seen & bit)
            return codec_fail(out, "repeated ELSYS type 0x%02x at offset %zu", buf[i], i);
        seen |= bit;
        if (bit == 1)
            rc = codec_add(out, "count_ltr", (double)be16(buf + i + 1));
        else if (bit == 2)
            rc = codec_add(out, "count_rtl", (double)be16(buf + i + 1));
        else
            rc = pcr2_cpu_temp(out, buf, i + 1);
    }
    return rc;
}

/* The SBX solar charger fields read 0 when no SBX is fitted (the DeviceID frame documents
 * "no solar unit installed" the same way); a 0 V or 0 % battery beside 0 mW from the panel is then
 * not a measurement, and passing it on would raise false low-battery alarms. */
static int pcr2_sbx(struct codec_result *out, unsigned version, unsigned batt, unsigned pv_mw)
{
    int rc;

    if (batt == 0 && pv_mw == 0)
        return MUE_OK;
    if (version == 3)
        rc = codec_add(out, "battery", (double)batt); /* a gauge, 0..100 % */
    else
        rc = codec_add(out, "battery_voltage", (double)batt / 1000.0); /* mV */
    if (rc == MUE_OK)
        rc = codec_add(out, "solar_power", (double)pv_mw / 1000.0);
    return rc;
}

/* Extended V3 (16 bytes) and V4 (17 bytes): the same fields, but SBX_BATT is a u8 gauge in V3 and
 * a u16 voltage in V4. DIFF = |LTR_SUM - RTL_SUM| is computed by the vendor decoder, not sent, and
 * is left out: the two totals are there. */
static int pcr2_extended(const uint8_t *buf, size_t len, struct codec_result *out)
{
    unsigned version = buf[2], batt;
    size_t want = version == 3 ? 16 : 17, pv = version == 3 ? 12 : 13;
    int rc;

    if (len != want)
        return codec_fail(out, "extended V%u frame of %zu bytes, expected %zu", version, len, want);
    batt = version == 3 ? buf[11] : be16(buf + 11);
    if (version == 3 && batt > 100)
        return codec_fail(out, "battery gauge %u %% at offset 11, above 100", batt);
    rc = codec_attr(out, "frame_type", "extended v%u", version);
    if (rc == MUE_OK)
        rc = codec_add(out, "count_ltr", (double)be16(buf + 3));
    if (rc == MUE_OK)
        rc = codec_add(out, "count_rtl", (double)be16(buf + 5));
    if (rc == MUE_OK)
        rc = codec_add(out, "count_ltr_total", (double)be16(buf + 7));
    if (rc == MUE_OK)
        rc = codec_add(out, "count_rtl_total", (double)be16(buf + 9));
    if (rc == MUE_OK)
        rc = pcr2_sbx(out, version, batt, be16(buf + pv));
    if (rc == MUE_OK)
        rc = pcr2_cpu_temp(out, buf, pv + 2);
    return rc;
}

/* Firmware 4 AppData V5 (10 bytes, be 01 <type> a5): LTR, RTL, battery in 100 mV steps, and a
 * message counter. It has no solar power field, so a 0 battery alone marks "no solar unit". */
static int pcr2_appdata_v5(const uint8_t *buf, size_t len, struct codec_result *out)
{
    int rc;

    if (len != 10)
        return codec_fail(out, "AppData V5 frame of %zu bytes, expected 10", len);
    rc = pcr2_device_type(out, buf, 2);
    if (rc == MUE_OK)
        rc = codec_attr(out, "frame_type", "appdata v5");
    if (rc == MUE_OK)
        rc = codec_attr(out, "message_counter", "%u", buf[9]);
    if (rc == MUE_OK)
        rc = codec_add(out, "count_ltr", (double)be16(buf + 4));
    if (rc == MUE_OK)
        rc = codec_add(out, "count_rtl", (double)be16(buf + 6));
    if (rc == MUE_OK && buf[8] != 0)
        rc = codec_add(out, "battery_voltage", (double)buf[8] / 10.0);
    return rc;
}

static int pcr2_app(const uint8_t *buf, size_t len, struct codec_result *out)
{
    if (len == 0)
        return codec_fail(out, "empty payload");
    if (buf[0] == PCR2_ELSYS_FIRST)
        return pcr2_elsys(buf, len, out);
    /* PTYPE 1: the description's byte table (a one-byte TEMP) contradicts Cayenne LPP (two bytes)
     * and the vendor decoder does not decode it either, so it is refused rather than guessed. */
    if (buf[0] == 0x00 && len >= 2 && buf[1] == 0x66)
        return codec_fail(out, "Cayenne LPP frame (PTYPE 1) not decoded: layout not reliably "
                               "documented");
    if (buf[0] != PCR2_VENDOR_ID)
        return codec_fail(out, "unknown application frame header 0x%02x at offset 0", buf[0]);
    if (len < 4)
        return codec_fail(out, "truncated extended header: %zu bytes, need 4", len);
    if (buf[1] != PCR2_FAMILY)
        return codec_fail(out, "device family 0x%02x at offset 1, expected 01 (PCR2)", buf[1]);
    /* Length first: the V5 type byte sits where V3/V4 put their version, and a PCR2-T or
     * PCR2-XIO (type 3 or 4) AppData V5 frame would otherwise be taken for V3/V4, which the
     * vendor decoder does (and then rejects it for its length). */
    if (len == 10 && buf[3] == PCR2_APPDATA_V5)
        return pcr2_appdata_v5(buf, len, out);
    if (buf[2] == 3 || buf[2] == 4)
        return pcr2_extended(buf, len, out);
    if (buf[3] == PCR2_APPDATA_V5)
        return pcr2_appdata_v5(buf, len, out);
    return codec_fail(out, "unknown extended payload version 0x%02x at offset 2", buf[2]);
}

enum pcr2_kind { PCR2_U8, PCR2_U16, PCR2_VERSION, PCR2_NIBBLE_VERSION, PCR2_DEVICE_TYPE };

/* One configuration field: attribute key (unit in the name), byte offset, encoding. */
struct pcr2_field {
    const char *key;
    unsigned char off;
    unsigned char kind;
};

/* Config V2 (14 bytes, no header; Firmware 3.2). */
static const struct pcr2_field pcr2_cfg_v2[] = {
    { "device_type", 0, PCR2_DEVICE_TYPE },
    { "firmware_version", 1, PCR2_VERSION },
    { "operating_mode", 4, PCR2_U8 },
    { "payload_type", 5, PCR2_U8 },
    { "uplink_type", 6, PCR2_U8 },
    { "uplink_interval_min", 7, PCR2_U16 },
    { "link_check_interval_min", 9, PCR2_U16 },
    { "holdoff_time_s", 11, PCR2_U16 },
    { "radar_sensitivity_pct", 13, PCR2_U8 },
};

/* Bytes 3..18 of config V3 to V6 (header be 01 <version>). */
static const struct pcr2_field pcr2_cfg_head[] = {
    { "device_type", 3, PCR2_DEVICE_TYPE },  { "firmware_version", 4, PCR2_VERSION },
    { "operating_mode", 7, PCR2_U8 },        { "payload_type", 8, PCR2_U8 },
    { "device_class", 9, PCR2_U8 },          { "uplink_type", 10, PCR2_U8 },
    { "uplink_interval_min", 11, PCR2_U16 }, { "link_check_interval_min", 13, PCR2_U16 },
    { "capacity_limit", 15, PCR2_U16 },      { "holdoff_time_s", 17, PCR2_U16 },
};

static const struct pcr2_field pcr2_cfg_v3_tail[] = {
    { "radar_sensitivity_pct", 19, PCR2_U8 },
};

static const struct pcr2_field pcr2_cfg_v4_tail[] = {
    { "inactivity_timeout_min", 19, PCR2_U16 },
    { "mounting_direction_deg", 21, PCR2_U8 },
    { "mounting_tilt_deg", 22, PCR2_U8 },
    { "detection_angle_deg", 23, PCR2_U8 },
    { "min_dist_cm", 24, PCR2_U16 },
    { "max_dist_cm", 26, PCR2_U16 },
    { "min_speed_kmh", 28, PCR2_U8 },
    { "max_speed_kmh", 29, PCR2_U8 },
    { "radar_sensitivity_pct", 30, PCR2_U8 },
};

/* V5 is this table without its last entry; V6 (35 bytes) adds the radar channel. */
static const struct pcr2_field pcr2_cfg_v56_tail[] = {
    { "inactivity_timeout_min", 19, PCR2_U16 },
    { "radar_enabled", 21, PCR2_U8 },
    { "beam_angle_deg", 22, PCR2_U8 },
    { "min_dist_cm", 23, PCR2_U16 },
    { "max_dist_cm", 25, PCR2_U16 },
    { "min_speed_kmh", 27, PCR2_U8 },
    { "max_speed_kmh", 28, PCR2_U8 },
    { "radar_autotune", 29, PCR2_U8 },
    { "radar_sensitivity_pct", 30, PCR2_U8 },
    { "sbx_firmware_version", 31, PCR2_VERSION },
    { "radar_channel", 34, PCR2_U8 },
};

/* Firmware 4 DeviceID V5 (9 bytes, be 01 <type> d5, FEAT "future use"): versions are packed as
 * major/minor nibbles then a fix byte (0x41 0x02 = 4.1.2). */
static const struct pcr2_field pcr2_device_id[] = {
    { "device_type", 2, PCR2_DEVICE_TYPE },
    { "firmware_version", 5, PCR2_NIBBLE_VERSION },
    { "sbx_firmware_version", 7, PCR2_NIBBLE_VERSION },
};

#define PCR2_N(a) (sizeof(a) / sizeof((a)[0]))

/* The configuration frames, told apart by their length as the vendor decoder does; 'marker' is
 * the byte the header must carry at 'marker_off' (after be 01), 0 for the headerless V2. */
struct pcr2_layout {
    size_t len;
    const char *frame_type;
    unsigned char marker_off, marker;
    const struct pcr2_field *head, *tail;
    size_t nhead, ntail;
};

static const struct pcr2_layout pcr2_layouts[] = {
    { 14, "configuration v2", 0, 0, pcr2_cfg_v2, NULL, PCR2_N(pcr2_cfg_v2), 0 },
    { 20, "configuration v3", 2, 0x03, pcr2_cfg_head, pcr2_cfg_v3_tail, PCR2_N(pcr2_cfg_head),
      PCR2_N(pcr2_cfg_v3_tail) },
    { 31, "configuration v4", 2, 0x04, pcr2_cfg_head, pcr2_cfg_v4_tail, PCR2_N(pcr2_cfg_head),
      PCR2_N(pcr2_cfg_v4_tail) },
    { 34, "configuration v5", 2, 0x05, pcr2_cfg_head, pcr2_cfg_v56_tail, PCR2_N(pcr2_cfg_head),
      PCR2_N(pcr2_cfg_v56_tail) - 1 },
    { 35, "configuration v6", 2, 0x06, pcr2_cfg_head, pcr2_cfg_v56_tail, PCR2_N(pcr2_cfg_head),
      PCR2_N(pcr2_cfg_v56_tail) },
    { 9, "device id v5", 3, PCR2_DEVICE_ID_V5, pcr2_device_id, NULL, PCR2_N(pcr2_device_id), 0 },
};

static int pcr2_field(const uint8_t *buf, const struct pcr2_field *f, struct codec_result *out)
{
    const uint8_t *p = buf + f->off;

    switch (f->kind) {
    case PCR2_U8:
        return codec_attr(out, f->key, "%u", p[0]);
    case PCR2_U16:
        return codec_attr(out, f->key, "%u", be16(p));
    case PCR2_VERSION:
        return codec_attr(out, f->key, "%u.%u.%u", p[0], p[1], p[2]);
    case PCR2_NIBBLE_VERSION:
        return codec_attr(out, f->key, "%u.%u.%u", p[0] >> 4, p[0] & 0x0fu, p[1]);
    default:
        return pcr2_device_type(out, buf, f->off);
    }
}

/* Settings are reported as sent, not range-checked: the vendor's own tables contradict its
 * examples (config V2 firmware "030400-0304ff" beside an example of 3.2.0). */
static int pcr2_config(const uint8_t *buf, size_t len, struct codec_result *out)
{
    const struct pcr2_layout *l = NULL;
    size_t i;
    int rc;

    for (i = 0; i < PCR2_N(pcr2_layouts) && l == NULL; i++) {
        if (pcr2_layouts[i].len == len)
            l = &pcr2_layouts[i];
    }
    if (l == NULL)
        return codec_fail(out, "configuration frame of %zu bytes: no known version has it", len);
    if (l->marker == 0 && buf[0] == PCR2_VENDOR_ID)
        return codec_fail(out, "14-byte configuration V2 frame starts with be, a V3+ header");
    if (l->marker != 0 &&
        (buf[0] != PCR2_VENDOR_ID || buf[1] != PCR2_FAMILY || buf[l->marker_off] != l->marker))
        return codec_fail(out,
                          "%s frame of %zu bytes without its header (be 01, %02x at offset %u)",
                          l->frame_type, len, l->marker, l->marker_off);
    rc = codec_attr(out, "frame_type", "%s", l->frame_type);
    for (i = 0; rc == MUE_OK && i < l->nhead; i++)
        rc = pcr2_field(buf, &l->head[i], out);
    for (i = 0; rc == MUE_OK && i < l->ntail; i++)
        rc = pcr2_field(buf, &l->tail[i], out);
    return rc;
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    size_t n0 = out->n, nattr0 = out->nattr;
    int rc;

    if (fport == PCR2_FPORT_APP)
        rc = pcr2_app(buf, len, out);
    else if (fport == PCR2_FPORT_CONFIG)
        rc = pcr2_config(buf, len, out);
    else if (fport == PCR2_FPORT_CONFIG5)
        rc = codec_fail(out, "fPort 1 (firmware 4 Config V5, be 01 xx c5): layout not in the "
                             "vendor sources checked");
    else
        rc = codec_fail(out, "fPort %u: PCR2 sends counts on 14 and configuration on 190", fport);
    if (rc != MUE_OK) {
        out->n = n0;
        out->nattr = nattr0;
        return MUE_EDECODE; /* the callee set the reason */
    }
    return MUE_OK;
}

const struct codec codec_parametric_pcr2 = { "parametric-pcr2", "Parametric",
                                             "PCR2 radar people / bike counter", decode };
