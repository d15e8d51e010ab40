/* nas_ul20xx_cmd.c - NAS UL20xx command replies (fPort 60) and the downlink-only ports 49
 * (configuration requests) and 51 (DFU / reboot). Source: nasys/nas-codecs
 * src/ul20xx_1_1_x_decoder.processed.js @4691977b (decodeFport60, decodeFport49, decodeFport51).
 * The device answers a command on fPort 60 with the command's own layout.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue_err.h"
#include "nas_ul20xx.h"

/* 0x01 [address][level]... and 0x09 [address][level][minutes]...: dimming overrides. */
static int dimming_command(struct ul20xx_rd *rd, int timed)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("destination");
    struct ul20xx_list dest = { keys, 0, 0 };

    rd->what = timed ? "manual_timed_dimming" : "manual_dimming";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    while (ul20xx_left(rd) > 0 && rd->err == 0) {
        struct ul20xx_addr a;
        char level[16];

        ul20xx_addr_read(rd, "all_devices", &a);
        ul20xx_level_read(rd, "resume", level, sizeof(level));
        if (timed)
            ul20xx_list_add(rd, &dest, "%s %s %u min", a.name, level, ul20xx_u8(rd));
        else
            ul20xx_list_add(rd, &dest, "%s %s", a.name, level);
    }
    return rd->err;
}

/* 0x03: a raw DALI query; the reply adds the driver's answer. Past 3 bytes the vendor cannot
 * tell the parts apart either, and keeps only the hex. */
static int custom_dali_request(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("query_data_raw");
    size_t n = ul20xx_left(rd);
    struct ul20xx_addr a;

    rd->what = "custom_dali_request";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    ul20xx_hex_attr(rd, keys, rd->buf + rd->pos, n);
    if (n > 3) {
        rd->pos = rd->len;
        return rd->err;
    }
    if (n < 2)
        return ul20xx_fail(rd, "truncated custom_dali_request: %zu of 2 bytes at byte 1", n);
    ul20xx_addr_read(rd, NULL, &a);
    ul20xx_attr(rd, "address", "%s", a.name);
    ul20xx_attr(rd, "dali_query", "%u", ul20xx_u8(rd));
    if (ul20xx_left(rd) == 1)
        ul20xx_attr(rd, "dali_response", "%u", ul20xx_u8(rd));
    return rd->err;
}

/* 0x05: which reports were requested; a dim map reply lists [address][min][max][curve]. */
static int status_usage_request(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("dim_map");
    struct ul20xx_list map = { keys, 0, 0 };
    unsigned bits;

    rd->what = "status_usage_request";
    bits = ul20xx_u8(rd);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    ul20xx_bool_attr(rd, "usage_requested", bits & 1u);
    ul20xx_bool_attr(rd, "status_requested", bits >> 1 & 1u);
    ul20xx_bool_attr(rd, "dim_map_report_requested", bits >> 2 & 1u);
    ul20xx_bool_attr(rd, "request_gnss_notification", bits >> 3 & 1u);
    while ((bits & 0x04) && ul20xx_left(rd) > 0 && rd->err == 0) {
        struct ul20xx_addr a;
        unsigned min, max, curve;
        size_t at;

        ul20xx_addr_read(rd, NULL, &a);
        min = ul20xx_u8(rd);
        max = ul20xx_u8(rd);
        at = rd->pos;
        curve = ul20xx_u8(rd);
        /* The vendor calls every non-zero curve linear; IEC 62386-207 defines 0 (standard,
         * logarithmic) and 1 (linear) and reserves the rest. */
        if (rd->err == 0 && curve > 1)
            return ul20xx_fail(rd, "dimming curve %u undefined at byte %zu", curve, at);
        ul20xx_list_add(rd, &map, "%s %u-%u %s", a.name, min, max,
                        curve ? "linear" : "logarithmic");
    }
    return rd->err;
}

/* 0x07 and 0x08: driver memory access; an empty reply means the access failed. */
static int driver_memory(struct ul20xx_rd *rd, int write)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("memory_value");
    struct ul20xx_addr a;
    const uint8_t *p;
    size_t size;

    rd->what = write ? "driver_memory_write" : "driver_memory_read";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    if (ul20xx_left(rd) == 0) {
        codec_warn(rd->out, "%s_failed", rd->what);
        return rd->err;
    }
    ul20xx_addr_read(rd, NULL, &a);
    ul20xx_attr(rd, "address", "%s", a.name);
    ul20xx_attr(rd, "memory_bank", "%u", ul20xx_u8(rd));
    ul20xx_attr(rd, "memory_address", "%u", ul20xx_u8(rd));
    if (write) {
        size = ul20xx_left(rd);
    } else {
        size = ul20xx_u8(rd);
        ul20xx_attr(rd, "read_size_bytes", "%zu", size);
        if (ul20xx_left(rd) == 0) /* the request's echo, without data */
            return rd->err;
    }
    p = ul20xx_raw(rd, size);
    if (p != NULL)
        ul20xx_hex_attr(rd, keys, p, size);
    return rd->err;
}

static int single_byte_command(struct ul20xx_rd *rd, unsigned header)
{
    struct ul20xx_addr a;

    switch (header) {
    case 0x0A:
        rd->what = "address_dali_driver";
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        ul20xx_addr_read(rd, "rescan_dali_bus", &a);
        ul20xx_attr(rd, "address", "%s", a.name);
        return rd->err;
    case 0x0B:
        rd->what = "dali_identify";
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        return rd->err;
    default: /* 0x0C */
        rd->what = "open_drain_output_control";
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        ul20xx_bool_attr(rd, "open_drain_output_on", ul20xx_u8(rd) & 1u);
        return rd->err;
    }
}

int ul20xx_decode_command(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("dali_command");
    unsigned header = ul20xx_u8(rd);

    if (rd->err != 0)
        return rd->err;
    switch (header) {
    case 0x01:
        return dimming_command(rd, 0);
    case 0x03:
        return custom_dali_request(rd);
    case 0x04:
        rd->what = "custom_dali_command";
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        ul20xx_hex_attr(rd, keys, rd->buf + rd->pos, ul20xx_left(rd));
        rd->pos = rd->len;
        return rd->err;
    case 0x05:
        return status_usage_request(rd);
    case 0x07:
        return driver_memory(rd, 0);
    case 0x08:
        return driver_memory(rd, 1);
    case 0x09:
        return dimming_command(rd, 1);
    case 0x0A:
    case 0x0B:
    case 0x0C:
        return single_byte_command(rd, header);
    default:
        return ul20xx_fail(rd, "unknown fport 60 command 0x%02x at byte 0", header);
    }
}

/* Configuration requests: the header of the configuration packet asked for. */
static const struct {
    unsigned header;
    const char *name;
} config_requests[] = {
    { 0x01, "deprecated_ldr_input_config_request" },
    { 0x03, "deprecated_dig_input_config_request" },
    { 0x07, "status_config_request" },
    { 0x09, "time_config_packet" }, /* sic: the vendor's name for the time request */
    { 0x0B, "usage_config_request" },
    { 0x0D, "boot_delay_config_request" },
    { 0x15, "onboard_led_config_request" },
    { 0x16, "metering_alert_confic_request" }, /* sic */
    { 0x20, "calendar_config_request" },
    { 0x21, "profile_config_request" },
    { 0x22, "fade_config_request" },
    { 0x23, "holiday_config_request" },
    { 0x24, "dali_monitor_config_request" },
    { 0x25, "fallback_dim_config_request" },
    { 0x26, "location_config_request" },
    { 0x27, "lumalink_config_request" },
    { 0x28, "dig_input_config_request" },
    { 0x29, "light_input_config_request" },
    { 0x2A, "dim_notify_config_request" },
    { 0x2B, "interface_type_config_request" },
    { 0x52, "multicast_config_request" },
};

int ul20xx_decode_config_request(struct ul20xx_rd *rd)
{
    unsigned header = ul20xx_u8(rd), v;

    for (size_t i = 0; i < sizeof(config_requests) / sizeof(config_requests[0]); i++) {
        if (rd->err != 0 || config_requests[i].header != header)
            continue;
        rd->what = config_requests[i].name;
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        if (header == 0x21) {
            v = ul20xx_u8(rd);
            if (v == 0xFF)
                ul20xx_attr(rd, "profile_id", "%s", "all_profiles");
            else
                ul20xx_attr(rd, "profile_id", "%u", v);
        } else if (header == 0x52) {
            v = ul20xx_u8(rd);
            if (v == 0xFF)
                ul20xx_attr(rd, "multicast_device", "%s", "all");
            else
                ul20xx_attr(rd, "multicast_device", "%u", v);
        }
        return rd->err;
    }
    if (rd->err != 0)
        return rd->err;
    return ul20xx_fail(rd, "unknown fport 49 request 0x%02x at byte 0", header);
}

int ul20xx_decode_dfu_command(struct ul20xx_rd *rd)
{
    unsigned header = ul20xx_u8(rd);

    if (rd->err != 0)
        return rd->err;
    rd->what = header == 0xFF ? "activate_dfu_command" : "restart_controller_command";
    if (header != 0xFF && header != 0xFE)
        return ul20xx_fail(rd, "unknown fport 51 command 0x%02x at byte 0", header);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    return rd->err;
}
