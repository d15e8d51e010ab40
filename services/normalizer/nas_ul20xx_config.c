/* nas_ul20xx_config.c - NAS UL20xx configuration packets (fPort 50): the device echoes each
 * configuration it accepted, and answers a request on fPort 49 with the current one. Source:
 * nasys/nas-codecs src/ul20xx_1_1_x_decoder.processed.js @4691977b (decodeFport50 and the
 * decode*Config functions) and test/ul20xx_1_1_x_common_decoder.test.js.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codec.h"
#include "mue_err.h"
#include "nas_ul20xx.h"

/* Profile and switching step times count 10-minute units from midnight. */
static void step_time(unsigned v, char *buf, size_t size)
{
    snprintf(buf, size, "%02u:%02u", v * 10 / 60, v * 10 % 60);
}

static void level_attr(struct ul20xx_rd *rd, const char *key, const char *ff_name)
{
    char level[16];

    ul20xx_level_read(rd, ff_name, level, sizeof(level));
    ul20xx_attr(rd, key, "%s", level);
}

static void addr_attr(struct ul20xx_rd *rd, const char *key, const char *ff_name)
{
    struct ul20xx_addr a;

    ul20xx_addr_read(rd, ff_name, &a);
    ul20xx_attr(rd, key, "%s", a.name);
}

/* A u8 or u16 parameter whose all-ones value means 'off_name'. */
static void param_attr(struct ul20xx_rd *rd, const char *key, unsigned v, unsigned off,
                       const char *off_name)
{
    if (v == off)
        ul20xx_attr(rd, key, "%s", off_name);
    else
        ul20xx_attr(rd, key, "%u", v);
}

static void ldr_config(struct ul20xx_rd *rd)
{
    param_attr(rd, "ldr_off_threshold_high", ul20xx_u8(rd), 0xFF, "disabled");
    param_attr(rd, "ldr_on_threshold_low", ul20xx_u8(rd), 0xFF, "disabled");
    ul20xx_bool_attr(rd, "trigger_alert_enabled", ul20xx_u8(rd) >> 2 & 1u);
}

static void dig_config_legacy(struct ul20xx_rd *rd)
{
    unsigned bits;

    param_attr(rd, "light_on_duration_s", ul20xx_u16(rd), 0xFFFF, "dig_input_disabled");
    bits = ul20xx_u8(rd);
    ul20xx_bool_attr(rd, "signal_edge_rising", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "trigger_alert_enabled", bits >> 2 & 1u);
    addr_attr(rd, "address", "all_devices");
    level_attr(rd, "dimming_level", "disabled");
}

static void open_drain_config(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("switching_steps");
    struct ul20xx_list steps = { keys, 0, 0 };

    while (ul20xx_left(rd) > 0 && rd->err == 0) {
        char t[16];
        unsigned v = ul20xx_u8(rd);

        step_time(v, t, sizeof(t));
        ul20xx_list_add(rd, &steps, "%s %s", t, ul20xx_u8(rd) ? "on" : "off");
    }
}

static void status_config(struct ul20xx_rd *rd)
{
    ul20xx_attr(rd, "status_interval_s", "%lu", (unsigned long)ul20xx_u32(rd));
}

static void time_config(struct ul20xx_rd *rd)
{
    uint32_t epoch = ul20xx_u32(rd);

    if (epoch == 0 && rd->err == 0)
        ul20xx_attr(rd, "device_unix_epoch", "%s", "force_lorawan_devicetimereq");
    else
        ul20xx_epoch_attr(rd, "device_unix_epoch", epoch);
}

static void usage_config(struct ul20xx_rd *rd)
{
    unsigned volt;

    ul20xx_attr(rd, "usage_interval_s", "%lu", (unsigned long)ul20xx_u32(rd));
    volt = ul20xx_u8(rd);
    if (volt != 0xFF)
        ul20xx_attr(rd, "mains_voltage_v", "%u", volt);
}

/* One byte in the old layout, two since; the vendor tells them apart by what is left. */
static void boot_delay_config(struct ul20xx_rd *rd)
{
    unsigned range = ul20xx_left(rd) == 1 ? ul20xx_u8(rd) : ul20xx_u16(rd);

    ul20xx_attr(rd, "boot_delay_range_s", "%u", range);
}

static void led_config(struct ul20xx_rd *rd)
{
    ul20xx_bool_attr(rd, "status_led_enabled", ul20xx_u8(rd) & 1u);
}

static void metering_alert_config(struct ul20xx_rd *rd)
{
    size_t at = rd->pos;
    unsigned sub = ul20xx_u8(rd), pf;

    if (rd->err == 0 && sub != 0x01) {
        ul20xx_fail(rd, "unknown metering_alert_config_packet version 0x%02x at byte %zu", sub, at);
        return;
    }
    param_attr(rd, "min_power_w", ul20xx_u16(rd), 0xFFFF, "alert_off");
    param_attr(rd, "max_power_w", ul20xx_u16(rd), 0xFFFF, "alert_off");
    param_attr(rd, "min_voltage_v", ul20xx_u16(rd), 0xFFFF, "alert_off");
    param_attr(rd, "max_voltage_v", ul20xx_u16(rd), 0xFFFF, "alert_off");
    at = rd->pos;
    pf = ul20xx_u8(rd);
    if (pf == 0xFF)
        ul20xx_attr(rd, "min_power_factor", "%s", "alert_off");
    else if (pf <= 100)
        ul20xx_attr(rd, "min_power_factor", "%.2f", pf / 100.0);
    else
        ul20xx_fail(rd, "min_power_factor %u/100 > 1 at byte %zu", pf, at);
}

/* The session keys that follow the address are not shown: the device echoes them, but keys do
 * not belong in attributes that end up in logs and dead letters. */
static void multicast_config(struct ul20xx_rd *rd)
{
    size_t at = rd->pos;
    unsigned dev = ul20xx_u8(rd);

    if (rd->err == 0 && dev > 3) {
        ul20xx_fail(rd, "multicast device %u > 3 at byte %zu", dev, at);
        return;
    }
    ul20xx_attr(rd, "multicast_device", "%u", dev);
    ul20xx_attr(rd, "devaddr", "%08lX", (unsigned long)ul20xx_u32(rd));
    ul20xx_raw(rd, 32);
}

static void multicast_fcnt_config(struct ul20xx_rd *rd)
{
    ul20xx_attr(rd, "multicast_device", "%u", ul20xx_u8(rd));
    ul20xx_attr(rd, "multicast_fcnt", "%lu", (unsigned long)ul20xx_u32(rd));
}

static void clear_config(struct ul20xx_rd *rd)
{
    size_t at = rd->pos;
    unsigned target = ul20xx_u8(rd), dev;

    if (rd->err != 0)
        return;
    switch (target) {
    case 0x21:
        ul20xx_attr(rd, "reset_target", "%s", "profile_config");
        addr_attr(rd, "address", "all_profiles");
        return;
    case 0x23:
        ul20xx_attr(rd, "reset_target", "%s", "holiday_config");
        return;
    case 0x28:
        ul20xx_attr(rd, "reset_target", "%s", "dig_input_config");
        return;
    case 0x29:
        ul20xx_attr(rd, "reset_target", "%s", "light_sensor_config");
        return;
    case 0x52:
        ul20xx_attr(rd, "reset_target", "%s", "multicast_config");
        dev = ul20xx_u8(rd);
        if (dev == 0xFF)
            ul20xx_attr(rd, "multicast_device", "%s", "all_multicast_devices");
        else
            ul20xx_attr(rd, "multicast_device", "multicast_device_%u", dev);
        return;
    case 0xFF:
        ul20xx_attr(rd, "reset_target", "%s", "factory_reset");
        ul20xx_attr(rd, "device_serial", "%08lX", (unsigned long)ul20xx_u32(rd));
        return;
    default:
        ul20xx_fail(rd, "unknown clear_config_packet target 0x%02x at byte %zu", target, at);
        return;
    }
}

/* Steps of [zenith angle: int8 / 6 + 90 degrees][level, 0xFF disabled]. */
static void zenith_steps(struct ul20xx_rd *rd, const char *const *keys, unsigned n)
{
    struct ul20xx_list steps = { keys, 0, 0 };

    for (unsigned i = 0; i < n && rd->err == 0; i++) {
        double zenith = ul20xx_i8(rd) / 6.0 + 90.0;
        char level[16];

        ul20xx_level_read(rd, "disabled", level, sizeof(level));
        ul20xx_list_add(rd, &steps, "%.2f deg %s", zenith, level);
    }
}

static void calendar_config(struct ul20xx_rd *rd)
{
    static const char *const rise[CODEC_MAX_ATTRS] = UL20XX_KEYS("sunrise_steps");
    static const char *const set[CODEC_MAX_ATTRS] = UL20XX_KEYS("sunset_steps");
    unsigned counts = ul20xx_u8(rd), bits = ul20xx_u8(rd);

    ul20xx_bool_attr(rd, "calendar_prefers_meta_pos", bits & 1u);
    ul20xx_bool_attr(rd, "calendar_clamps_profiles", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "calendar_clamps_dig", bits >> 2 & 1u);
    ul20xx_bool_attr(rd, "ignore_gnss", bits >> 3 & 1u);
    ul20xx_attr(rd, "latitude_deg", "%.2f", ul20xx_i16(rd) / 100.0);
    ul20xx_attr(rd, "longitude_deg", "%.2f", ul20xx_i16(rd) / 100.0);
    zenith_steps(rd, rise, counts & 0x0F);
    zenith_steps(rd, set, counts >> 4);
}

static void profile_config(struct ul20xx_rd *rd)
{
    static const char *const days[8] = {
        "holiday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"
    };
    static const char *const step_keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("dimming_steps");
    static const char *const day_keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("days_active");
    struct ul20xx_list steps = { step_keys, 0, 0 };
    struct ul20xx_list active = { day_keys, 0, 0 };
    unsigned id = ul20xx_u8(rd), n = ul20xx_u8(rd), bits;

    param_attr(rd, "profile_id", id, 0xFF, "no_profile");
    addr_attr(rd, "address", "all_devices");
    bits = ul20xx_u8(rd);
    for (unsigned i = 0; i < 8; i++) {
        if (bits & 1u << i)
            ul20xx_list_add(rd, &active, "%s", days[i]);
    }
    if (bits == 0)
        ul20xx_attr(rd, "days_active", "%s", "none");
    ul20xx_u8(rd); /* reserved */
    for (unsigned i = 0; i < n && rd->err == 0; i++) {
        char t[16], level[16];

        step_time(ul20xx_u8(rd), t, sizeof(t));
        ul20xx_level_read(rd, "inactive", level, sizeof(level));
        ul20xx_list_add(rd, &steps, "%s %s", t, level);
    }
}

static void fade_config(struct ul20xx_rd *rd)
{
    /* DALI FADE TIME codes 0..15 (IEC 62386-102), in seconds; 0xFF keeps the driver's own. */
    static const double fades[16] = { 0.5, 0.71,  1.0,  1.41,  2.0,  2.83,  4.0,  5.66,
                                      8.0, 11.31, 16.0, 22.63, 32.0, 45.25, 64.0, 90.51 };
    size_t at = rd->pos;
    unsigned v = ul20xx_u8(rd);

    if (v == 0xFF)
        ul20xx_attr(rd, "fade_duration_s", "%s", "ignore");
    else if (v < 16)
        ul20xx_attr(rd, "fade_duration_s", "%g", fades[v]);
    else
        ul20xx_fail(rd, "fade code %u undefined at byte %zu", v, at);
}

static void holiday_config(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("holidays");
    struct ul20xx_list days = { keys, 0, 0 };
    unsigned n = ul20xx_u8(rd);

    if (n == 0)
        ul20xx_attr(rd, "holidays", "%s", "none");
    for (unsigned i = 0; i < n && rd->err == 0; i++) {
        size_t at = rd->pos;
        unsigned month = ul20xx_u8(rd), day = ul20xx_u8(rd);

        if (rd->err == 0 && (month < 1 || month > 12 || day < 1 || day > 31)) {
            ul20xx_fail(rd, "holiday %u/%u is no date at byte %zu", month, day, at);
            return;
        }
        ul20xx_list_add(rd, &days, "%02u/%02u", month, day);
    }
}

static void dali_monitor_config(struct ul20xx_rd *rd)
{
    unsigned bits = ul20xx_u8(rd);

    ul20xx_bool_attr(rd, "send_dali_alert", bits & 1u);
    ul20xx_bool_attr(rd, "correct_dali_dimming_level", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "periodic_bus_scan_enabled", bits >> 2 & 1u);
    param_attr(rd, "monitoring_interval_s", ul20xx_u16(rd), 0, "disabled");
}

static void fallback_dim_config(struct ul20xx_rd *rd)
{
    level_attr(rd, "fallback_dimming_level", NULL);
}

/* Length-prefixed UTF-8 text, shown up to a character boundary within the attribute. */
static void text_attr(struct ul20xx_rd *rd, const char *key, size_t n)
{
    size_t at = rd->pos, cut = 0;
    const uint8_t *p = ul20xx_raw(rd, n);

    if (p == NULL)
        return;
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80             ? 1
                   : (p[i] & 0xE0) == 0xC0 ? 2
                   : (p[i] & 0xF0) == 0xE0 ? 3
                   : (p[i] & 0xF8) == 0xF0 ? 4
                                           : 0;
        size_t j = 1;

        while (k > 1 && j < k && i + j < n && (p[i + j] & 0xC0) == 0x80)
            j++;
        if (k == 0 || j != k || p[i] < 0x20 || p[i] == 0x7F) {
            ul20xx_fail(rd, "invalid UTF-8 text at byte %zu", at + i);
            return;
        }
        i += k;
        if (i < sizeof(rd->out->attr[0].value))
            cut = i;
    }
    ul20xx_attr(rd, key, "%.*s", (int)cut, (const char *)p);
}

static void location_config(struct ul20xx_rd *rd)
{
    unsigned n = ul20xx_u8(rd);
    double lat = ul20xx_i32(rd) / 1e7, lon = ul20xx_i32(rd) / 1e7;

    if (rd->err == 0 && (fabs(lat) > 90.0 || fabs(lon) > 180.0)) {
        ul20xx_fail(rd, "location %.7f, %.7f out of range at byte 2", lat, lon);
        return;
    }
    ul20xx_attr(rd, "latitude_deg", "%.7f", lat);
    ul20xx_attr(rd, "longitude_deg", "%.7f", lon);
    text_attr(rd, "location_address", n);
}

static void lumalink_config(struct ul20xx_rd *rd)
{
    static const char *const modes[4] = { "never_advertise", "first_commission", "every_boot",
                                          "always" };
    size_t at = rd->pos;
    unsigned v = ul20xx_u8(rd);

    if (v < 4)
        ul20xx_attr(rd, "access_mode", "%s", modes[v]);
    else
        ul20xx_fail(rd, "lumalink access mode %u undefined at byte %zu", v, at);
}

static void dig_input_config(struct ul20xx_rd *rd)
{
    unsigned index = ul20xx_u8(rd), bits;

    if (index == 0xFF) {
        ul20xx_attr(rd, "dig_enabled", "%s", "disabled");
        return;
    }
    ul20xx_attr(rd, "dig_enabled", "%u", index);
    bits = ul20xx_u8(rd);
    ul20xx_bool_attr(rd, "dig_mode_button", bits & 1u);
    ul20xx_bool_attr(rd, "polarity_high_or_rising", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "notification_on_activation", bits >> 2 & 1u);
    ul20xx_bool_attr(rd, "notification_on_inactivation", bits >> 3 & 1u);
    ul20xx_bool_attr(rd, "source_d4i_motion_sensor", bits >> 7 & 1u);
    addr_attr(rd, "address", "all_devices");
    level_attr(rd, "active_dimming_level", "inactive");
    level_attr(rd, "inactive_dimming_level", "inactive");
    ul20xx_attr(rd, "on_delay_s", "%u", ul20xx_u16(rd));
    ul20xx_attr(rd, "off_delay_s", "%u", ul20xx_u16(rd));
}

static void light_sensor_config(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("dim_steps");
    struct ul20xx_list steps = { keys, 0, 0 };
    unsigned bits;

    if (ul20xx_u8(rd) == 0xFF) /* cleared: nothing follows */
        return;
    bits = ul20xx_u8(rd);
    ul20xx_bool_attr(rd, "notification_on_every_step", bits & 1u);
    ul20xx_bool_attr(rd, "light_sensor_clamps_profile", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "light_sensor_clamps_dig", bits >> 2 & 1u);
    ul20xx_bool_attr(rd, "interpolate_steps", bits >> 3 & 1u);
    ul20xx_attr(rd, "measurement_duration_s", "%u", ul20xx_u8(rd));
    addr_attr(rd, "address", "all_devices");
    while (ul20xx_left(rd) > 0 && rd->err == 0) {
        size_t at = rd->pos;
        double lx = ul20xx_f32(rd);
        char lux[24], level[16];

        if (rd->err == 0 && !(lx >= 0.0 && lx < 1e7)) {
            ul20xx_fail(rd, "light level %g lx out of range at byte %zu", lx, at);
            return;
        }
        ul20xx_lux_format(lx, lux, sizeof(lux));
        ul20xx_level_read(rd, "inactive", level, sizeof(level));
        ul20xx_list_add(rd, &steps, "%s lx %s", lux, level);
    }
}

static void dim_notify_config(struct ul20xx_rd *rd)
{
    unsigned delay = ul20xx_u8(rd);

    if (delay == 0xFF)
        ul20xx_attr(rd, "random_delay_s", "%s", "disabled");
    else
        ul20xx_attr(rd, "random_delay_s", "%u", delay * 5);
    ul20xx_attr(rd, "packet_limit_s", "%u", ul20xx_u8(rd) * 60);
}

static void interface_type_config(struct ul20xx_rd *rd)
{
    size_t at = rd->pos;
    unsigned v = ul20xx_u8(rd);

    if (v == 0 || v == 1) {
        ul20xx_attr(rd, "interface_type", "%s", v ? "analog_0_10v" : "dali");
    } else if (v == 254) {
        /* The vendor reports an error; the frame is well formed and says the controller
         * does not support switching its interface. */
        ul20xx_attr(rd, "interface_type", "%s", "not_supported");
        codec_warn(rd->out, "interface_type not_supported");
    } else {
        ul20xx_fail(rd, "interface type %u undefined at byte %zu", v, at);
    }
}

static const struct {
    unsigned header;
    const char *name;
    void (*fn)(struct ul20xx_rd *rd);
} configs[] = {
    { 0x01, "deprecated_ldr_input_config_packet", ldr_config },
    { 0x03, "deprecated_dig_input_config_packet", dig_config_legacy },
    { 0x05, "open_drain_output_config_packet", open_drain_config },
    { 0x07, "status_config_packet", status_config },
    { 0x09, "time_config_packet", time_config },
    { 0x0B, "usage_config_packet", usage_config },
    { 0x0D, "boot_delay_config_packet", boot_delay_config },
    { 0x15, "onboard_led_config_packet", led_config },
    { 0x16, "metering_alert_config_packet", metering_alert_config },
    { 0x20, "calendar_config_packet", calendar_config },
    { 0x21, "profile_config_packet", profile_config },
    { 0x22, "fade_config_packet", fade_config },
    { 0x23, "holiday_config_packet", holiday_config },
    { 0x24, "dali_monitor_config_packet", dali_monitor_config },
    { 0x25, "fallback_dim_config_packet", fallback_dim_config },
    { 0x26, "location_config_packet", location_config },
    { 0x27, "lumalink_config_packet", lumalink_config },
    { 0x28, "dig_input_config_packet", dig_input_config },
    { 0x29, "light_sensor_config_packet", light_sensor_config },
    { 0x2A, "dim_notify_config_packet", dim_notify_config },
    { 0x2B, "interface_type_config_packet", interface_type_config },
    { 0x52, "multicast_config_packet", multicast_config },
    { 0x53, "multicast_fcnt_config_packet", multicast_fcnt_config },
    { 0xFF, "clear_config_packet", clear_config },
};

/* One configuration packet; inside a chain its type joins the 'chain' list. */
static void config_one(struct ul20xx_rd *rd, struct ul20xx_list *chain)
{
    size_t at = rd->pos;
    unsigned header = ul20xx_u8(rd);

    if (rd->err != 0)
        return;
    for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
        if (configs[i].header != header)
            continue;
        rd->what = configs[i].name;
        if (chain != NULL)
            ul20xx_list_add(rd, chain, "%s", rd->what);
        else
            ul20xx_attr(rd, "packet_type", "%s", rd->what);
        configs[i].fn(rd);
        return;
    }
    ul20xx_fail(rd, "unknown configuration packet 0x%02x at byte %zu", header, at);
}

int ul20xx_decode_config(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("chained_packets");
    struct ul20xx_list chain = { keys, 0, 0 };

    if (rd->buf[0] != 0xFE) {
        config_one(rd, NULL);
        return rd->err;
    }
    /* 0xFE chains packets to the end of the frame; the vendor recurses on a nested 0xFE, which
     * reads the same packets, so a nested one is just skipped. */
    rd->what = "chained_config_packet";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    rd->pos = 1;
    while (ul20xx_left(rd) > 0 && rd->err == 0) {
        if (rd->buf[rd->pos] == 0xFE)
            rd->pos++;
        else
            config_one(rd, &chain);
    }
    return rd->err;
}
