/* codec_dingtek_df702.c - CNDingtek DF702 ultrasonic waste bin sensor (fixed frames on fPort 3).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue_err.h"

/* Sources: TheThingsNetwork/lorawan-devices vendor/dingtek/df702.js @0a254aaa and its
 * df702-codec.yaml @62c8acdd (the TTN codec); the vendor's own codecs for the sibling DF703, which
 * uses the same frames (DF702&DF703 LoRaWAN protocol V2.8): cndingtek/Chirpstack_codec
 * Chirpstack_DF703_script_V1.0.js @b3a4d0d2 and cndingtek/Chirpstack_Http_JS chirpstack_DF703.js
 * @8dfd5eea, whose parser handles "DF702" and "DF703" alike and reads the frame counter and the
 * work mode; cndingtek/NB-IoT-JS- DF70X.js @46811457 for byte 7 as the GPS flag. */
#define DF702_FPORT      3
#define DF702_HEAD       0x80
#define DF702_TAIL       0x81
#define DF702_FORCED     0x00 /* every uplink; the vendor's downlinks carry 0x02 there */
#define DF702_DEVICE     0x01 /* DF70x device type */
#define DF702_LEN_PLAIN  17
#define DF702_LEN_LONG   25 /* data frame with GPS, or parameter frame */
#define DF702_TYPE_PARAM 0x03

/* Where the fields after the position sit in the two data frames; both share the header, the
 * level at bytes 5-6 and the GPS flag at byte 7. */
struct df702_layout {
    size_t temp, angle_sign, alarms, counter;
    unsigned gps; /* value of the GPS flag, byte 7 */
};

static const struct df702_layout df702_plain = { 8, 9, 11, 13, 0 };
static const struct df702_layout df702_gps = { 16, 17, 19, 21, 1 };

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

/* Decodes an IEEE-754 binary32 stored little-endian, exactly: the mantissa is m / 2^23, where the
 * vendor's hex2float divides by 0x7FFFFF (2^23 - 1) and so reads every value slightly too large
 * (116.507423 deg for 0x42E903CD, published by TTN as "116.507430"). Returns 0, or -1 for an
 * infinity or NaN, which no position can be. */
static int f32le(const uint8_t *p, double *out)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    int exp = (int)(u >> 23 & 0xFF);
    double m = (double)(u & 0x7FFFFF);

    if (exp == 0xFF)
        return -1;
    if (exp == 0)
        *out = ldexp(m, -149); /* subnormal: no implicit leading 1 */
    else
        *out = ldexp(m + 8388608.0, exp - 150);
    if (u & 0x80000000u)
        *out = -*out;
    return 0;
}

/* Longitude at bytes 8-11, latitude at 12-15, both float32 little-endian. A fix of exactly 0/0 is
 * what a receiver without a fix leaves there; it is reported as an attribute, not as a
 * position in the Gulf of Guinea. */
static int df702_position(const uint8_t *buf, struct codec_result *out)
{
    double lon, lat;

    if (f32le(buf + 8, &lon) != 0 || f32le(buf + 12, &lat) != 0)
        return codec_fail(out, "position at bytes 8-15 is not a number");
    if (lon == 0.0 && lat == 0.0)
        return codec_attr(out, "gps", "no fix");
    if (fabs(lat) > 90.0 || fabs(lon) > 180.0)
        return codec_fail(out, "position %.6f, %.6f out of range at bytes 8-15", lat, lon);
    if (codec_add(out, "latitude", lat) != MUE_OK)
        return MUE_E2BIG;
    return codec_add(out, "longitude", lon);
}

/* The alarm bytes hold one flag per nibble, 1 set and 0 clear (Dingtek's DF702 protocol, quoted in
 * thethingsnetwork.org forum thread 23291: "full: 1, not full: 0"); other values are not
 * documented. */
static int df702_alarms(const uint8_t *a, size_t at, struct codec_result *out)
{
    static const char *const names[] = { "full_alarm", "fire_alarm", "tilt", "battery_low" };
    unsigned nib[4];
    size_t k;

    nib[0] = a[0] >> 4;
    nib[1] = a[0] & 0x0Fu;
    nib[2] = a[1] >> 4;
    nib[3] = a[1] & 0x0Fu;
    for (k = 0; k < 4; k++) {
        if (nib[k] > 1)
            return codec_fail(out, "%s flag %u at byte %zu is neither 0 nor 1", names[k], nib[k],
                              at + k / 2);
    }
    for (k = 0; k < 4; k++) {
        if (codec_add(out, names[k], (double)nib[k]) != MUE_OK)
            return MUE_E2BIG;
    }
    return MUE_OK;
}

static int df702_data(const uint8_t *buf, size_t len, struct codec_result *out)
{
    const struct df702_layout *l = len == DF702_LEN_PLAIN ? &df702_plain : &df702_gps;
    int rc;

    if (buf[7] != l->gps)
        return codec_fail(out, "GPS flag %u at byte 7 does not match the %zu-byte frame", buf[7],
                          len);
    if (codec_attr(out, "frame_type", "data (type %u)", buf[3]) != MUE_OK ||
        codec_attr(out, "frame_counter", "%u", be16(buf + l->counter)) != MUE_OK)
        return MUE_EDECODE;
    /* "level" is the air gap from the sensor down to the waste (the same protocol text: "the air
     * level (from sensor to garbage), unit: mm"; the NB-IoT codec calls it "air_height"): a
     * distance. derive turns it into a fill level with the container's height. */
    rc = codec_add(out, "distance", (double)be16(buf + 5) / 1000.0);
    if (rc == MUE_OK && l->gps)
        rc = df702_position(buf, out);
    /* One byte with no sign byte of its own; the vendor codecs print it unsigned, which turns
     * -20 degC, the low end of the operating range (TTN df702.yaml), into 236 degC. Dingtek's
     * newer codecs (Chirpstack_DO201/DO202_script_V1.0.js @88cbdbbe) read their one-byte
     * temperature as two's complement, and the sensor does not survive 128 degC, so int8 is the
     * reading that fits. */
    if (rc == MUE_OK)
        rc = codec_add(out, "temperature", (double)(int8_t)buf[l->temp]);
    /* The angle's sign is the low nibble of the byte before it (non-zero: negative). The vendor
     * codec means that test, but "bytes[9] & (0x0f === 0x00)" is "bytes[9] & false", always 0,
     * so it negates every angle: it prints -30 for a +30 deg tilt. */
    if (rc == MUE_OK) {
        double angle = (double)buf[l->angle_sign + 1];

        rc = codec_add(out, "tilt_angle", (buf[l->angle_sign] & 0x0F) ? -angle : angle);
    }
    if (rc == MUE_OK)
        rc = df702_alarms(buf + l->alarms, l->alarms, out);
    return rc == MUE_OK ? MUE_OK : MUE_EDECODE;
}

/* Ranges the vendor's downlink encoder accepts, so the only values the device can hold: a
 * parameter frame outside them is corrupt or not a DF702's. */
static int df702_param_check(const uint8_t *buf, struct codec_result *out)
{
    if (buf[7] < 1 || buf[7] > 168)
        return codec_fail(out, "periodic interval %u h at byte 7 outside 1..168", buf[7]);
    if (buf[8] < 1 || buf[8] > 60)
        return codec_fail(out, "detection interval %u min at byte 8 outside 1..60", buf[8]);
    if (buf[9] < 15)
        return codec_fail(out, "full alarm threshold %u cm at byte 9 below 15", buf[9]);
    if (buf[11] < 15 || buf[11] > 90)
        return codec_fail(out, "tilt alarm threshold %u deg at byte 11 outside 15..90", buf[11]);
    return MUE_OK;
}

/* The parameter frame (TTN's example calls it "Command confirmation", the vendor's codecs the
 * parameter packet): attributes only. Byte 13 selects the ultrasonic range, 0 for the 2 m model
 * setting and anything else for 5 m (TTN codec); byte 14 is the work mode (vendor DF703 codecs). */
static int df702_param(const uint8_t *buf, struct codec_result *out)
{
    if (df702_param_check(buf, out) != MUE_OK)
        return MUE_EDECODE;
    if (codec_attr(out, "frame_type", "parameters") != MUE_OK ||
        codec_attr(out, "firmware", "%u.%u", buf[5], buf[6]) != MUE_OK ||
        codec_attr(out, "periodic_interval_h", "%u", buf[7]) != MUE_OK ||
        codec_attr(out, "detection_interval_min", "%u", buf[8]) != MUE_OK ||
        codec_attr(out, "full_alarm_threshold_cm", "%u", buf[9]) != MUE_OK ||
        codec_attr(out, "fire_alarm_threshold_c", "%u", buf[10]) != MUE_OK ||
        codec_attr(out, "tilt_alarm_threshold_deg", "%u", buf[11]) != MUE_OK ||
        codec_attr(out, "tilt_enable", "%u", buf[12] != 0) != MUE_OK ||
        codec_attr(out, "ultrasonic_range_mm", "%u", buf[13] == 0 ? 2000u : 5000u) != MUE_OK ||
        codec_attr(out, "work_mode", "%u", buf[14]) != MUE_OK)
        return MUE_EDECODE;
    return MUE_OK;
}

static int df702_parse(const uint8_t *buf, size_t len, struct codec_result *out)
{
    if (len != DF702_LEN_PLAIN && len != DF702_LEN_LONG)
        return codec_fail(out, "length %zu, expected %d or %d", len, DF702_LEN_PLAIN,
                          DF702_LEN_LONG);
    if (buf[0] != DF702_HEAD || buf[len - 1] != DF702_TAIL)
        return codec_fail(out, "frame marks 0x%02x..0x%02x, expected 0x80..0x81", buf[0],
                          buf[len - 1]);
    if (buf[1] != DF702_FORCED || buf[2] != DF702_DEVICE)
        return codec_fail(out, "header bytes 1-2 0x%02x 0x%02x, expected 0x00 0x01", buf[1],
                          buf[2]);
    if ((size_t)buf[4] != len)
        return codec_fail(out, "length byte %u at byte 4, frame has %zu bytes", buf[4], len);
    if (buf[3] == DF702_TYPE_PARAM) {
        if (len != DF702_LEN_LONG)
            return codec_fail(out, "parameter frame of %zu bytes, expected %d", len,
                              DF702_LEN_LONG);
        return df702_param(buf, out);
    }
    /* Types 1 and 2 carry the same data layout (the TTN example sends 1, the vendor's DF703
     * example 2; the vendor codecs decode both alike). */
    if (buf[3] != 0x01 && buf[3] != 0x02)
        return codec_fail(out, "unknown data type 0x%02x at byte 3", buf[3]);
    return df702_data(buf, len, out);
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    if (fport != DF702_FPORT)
        return codec_fail(out, "unexpected fport %u", fport);
    return df702_parse(buf, len, out);
}

const struct codec codec_dingtek_df702 = { "dingtek-df702", "CNDingtek",
                                           "DF702 ultrasonic waste bin sensor", decode };
