/* webhook_chirpstack_map.c - the rules that turn a ChirpStack event's values into a
 * webhook_event, shared by the JSON and Protobuf readers so both marshalers give the same result.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "webhook_chirpstack.h"

static const char not_token[] = "not 1 to 64 printable characters without spaces";

bool chirpstack_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != 0) {
        unsigned c = *p++, more;
        uint32_t cp;

        if (c < 0x80)
            continue;
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (; more > 0; more--, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (*p & 0x3fu);
        }
        /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
        if ((c == 0xe0 && cp < 0x800) || (c == 0xf0 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return false;
    }
    return true;
}

static bool is_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    return strspn(s, "0123456789abcdefABCDEF") == n;
}

static void copy_lower(char *dst, const char *src)
{
    size_t i = 0;

    for (; src[i] != '\0'; i++)
        dst[i] = (char)(src[i] >= 'A' && src[i] <= 'F' ? src[i] - 'A' + 'a' : src[i]);
    dst[i] = '\0';
}

static int copy_name(char *dst, size_t cap, const char *s, const char *key,
                     struct webhook_reason *r)
{
    if (s == NULL)
        return 0;
    if (!chirpstack_is_utf8(s))
        return webhook_json_fail(r, "deviceInfo", key, "not UTF-8");
    webhook_json_copy_text(dst, cap, s);
    return 0;
}

int chirpstack_map_identity(struct webhook_uplink *u, const char *dev_eui, const char *device_name,
                            const char *application_name, struct webhook_reason *r)
{
    int rc;

    if (dev_eui == NULL)
        return webhook_json_fail(r, "deviceInfo", "devEui", "missing");
    if (!is_hex(dev_eui, 16))
        return webhook_json_fail(r, "deviceInfo", "devEui", "not 16 hex digits");
    /* One spelling everywhere: subjects, database keys and registry lookups compare bytes. */
    copy_lower(u->dev_eui, dev_eui);
    rc = copy_name(u->device_name, sizeof(u->device_name), device_name, "deviceName", r);
    if (rc == 0)
        rc = copy_name(u->application, sizeof(u->application), application_name, "applicationName",
                       r);
    return rc;
}

/* The id becomes the idempotency key (a NATS header and a database key): keep it a token. */
static int check_id(const char *where, const char *key, const char *id, struct webhook_reason *r)
{
    if (id == NULL)
        return webhook_json_fail(r, where, key, "missing");
    if (!webhook_json_is_token(id, CHIRPSTACK_ID_MAX))
        return webhook_json_fail(r, where, key, not_token);
    return 0;
}

int chirpstack_map_dedup_id(struct webhook_uplink *u, const char *prefix, const char *dedup_id,
                            struct webhook_reason *r)
{
    int rc = check_id("", "deduplicationId", dedup_id, r);

    if (rc == 0)
        snprintf(u->id, sizeof(u->id), "%s%s", prefix, dedup_id);
    return rc;
}

int chirpstack_map_gateway(struct webhook_uplink *u, size_t index, int32_t rssi, double snr,
                           const char *gateway_id, struct webhook_reason *r)
{
    char where[32];

    snprintf(where, sizeof(where), "rxInfo[%zu]", index);
    if (!isfinite(snr))
        return webhook_json_fail(r, where, "snr", "not a finite number");
    if (gateway_id != NULL && !chirpstack_is_utf8(gateway_id))
        return webhook_json_fail(r, where, "gatewayId", "not UTF-8");
    /* Ties go to the better SNR, then to the first listed. */
    if (index == 0 || rssi > u->rssi || (rssi == u->rssi && snr > u->snr)) {
        u->rssi = rssi;
        u->snr = snr;
        webhook_json_copy_text(u->gateway_id, sizeof(u->gateway_id),
                               gateway_id != NULL ? gateway_id : "");
    }
    return 0;
}

int chirpstack_map_join(struct webhook_event *e, const char *dedup_id, const char *dev_addr,
                        struct webhook_reason *r)
{
    int rc = chirpstack_map_dedup_id(&e->up, "cs:join:", dedup_id, r);

    if (rc < 0)
        return rc;
    e->kind = WEBHOOK_DEVICE_EVENT;
    e->dev.kind = WEBHOOK_DEVICE_JOIN;
    if (dev_addr == NULL || dev_addr[0] == '\0')
        return 0;
    if (!is_hex(dev_addr, 8))
        return webhook_json_fail(r, "", "devAddr", "not 8 hex digits");
    copy_lower(e->dev.dev_addr, dev_addr);
    return 0;
}

int chirpstack_map_status(struct webhook_event *e, const char *dedup_id, int32_t margin,
                          bool external_power, bool battery_unavailable, double battery_level,
                          struct webhook_reason *r)
{
    int rc = chirpstack_map_dedup_id(&e->up, "cs:status:", dedup_id, r);

    if (rc < 0)
        return rc;
    /* DevStatusAns carries the margin in 6 signed bits. */
    if (margin < -32 || margin > 31)
        return webhook_json_fail(r, "", "margin", "out of range");
    /* ChirpStack reports the level in percent, rounded from the device's 1..254 scale. */
    if (!(battery_level >= 0 && battery_level <= 100))
        return webhook_json_fail(r, "", "batteryLevel", "not a percentage");
    e->kind = WEBHOOK_DEVICE_EVENT;
    e->dev.kind = WEBHOOK_DEVICE_STATUS;
    /* The margin is omitted when 0, so every status event has one. */
    e->dev.has_margin = true;
    e->dev.margin_db = margin;
    e->dev.external_power = external_power;
    e->dev.has_battery = !battery_unavailable && !external_power;
    e->dev.battery_pct = e->dev.has_battery ? battery_level : 0;
    return 0;
}

int chirpstack_map_location(struct webhook_event *e, const char *dedup_id, bool has_location,
                            double latitude, double longitude, double altitude,
                            struct webhook_reason *r)
{
    int rc = chirpstack_map_dedup_id(&e->up, "cs:location:", dedup_id, r);

    if (rc < 0)
        return rc;
    if (!(latitude >= -90 && latitude <= 90))
        return webhook_json_fail(r, "location", "latitude", "out of range");
    if (!(longitude >= -180 && longitude <= 180))
        return webhook_json_fail(r, "location", "longitude", "out of range");
    if (!isfinite(altitude))
        return webhook_json_fail(r, "location", "altitude", "not a finite number");
    e->kind = WEBHOOK_DEVICE_EVENT;
    e->dev.kind = WEBHOOK_DEVICE_LOCATION;
    e->dev.has_location = has_location;
    e->dev.latitude = latitude;
    e->dev.longitude = longitude;
    e->dev.altitude = altitude;
    return 0;
}

int chirpstack_map_ack(struct webhook_event *e, const char *queue_item_id, bool acknowledged,
                       uint32_t f_cnt_down, struct webhook_reason *r)
{
    int rc = check_id("", "queueItemId", queue_item_id, r);

    if (rc < 0)
        return rc;
    snprintf(e->up.id, sizeof(e->up.id), "cs:ack:%s", queue_item_id);
    e->kind = WEBHOOK_DOWNLINK_STATUS;
    /* Class B/C downlinks that time out get "acknowledged": false, which JSON omits. */
    e->dl.state = acknowledged ? WEBHOOK_DL_ACKED : WEBHOOK_DL_NACKED;
    snprintf(e->dl.network_ref, sizeof(e->dl.network_ref), "%s", queue_item_id);
    e->dl.f_cnt_down = f_cnt_down;
    snprintf(e->dl.source, sizeof(e->dl.source), "chirpstack:ack");
    return 0;
}

int chirpstack_map_txack(struct webhook_event *e, uint32_t downlink_id, const char *queue_item_id,
                         uint32_t f_cnt_down, struct webhook_reason *r)
{
    int rc = check_id("", "queueItemId", queue_item_id, r);

    if (rc < 0)
        return rc;
    /* A gateway may be asked again for the same queue item: the downlink id tells them apart. */
    snprintf(e->up.id, sizeof(e->up.id), "cs:txack:%" PRIu32 ":%s", downlink_id, queue_item_id);
    e->kind = WEBHOOK_DOWNLINK_STATUS;
    /* The gateway accepted it for transmission: not yet proof that it went out. */
    e->dl.state = WEBHOOK_DL_SENT;
    snprintf(e->dl.network_ref, sizeof(e->dl.network_ref), "%s", queue_item_id);
    e->dl.f_cnt_down = f_cnt_down;
    snprintf(e->dl.source, sizeof(e->dl.source), "chirpstack:txack");
    return 0;
}

/* An enum value's name as the protobuf JSON mapping writes it: capitals, digits, underscores. */
static bool is_enum_name(const char *s, size_t cap)
{
    size_t n = strlen(s);

    return n > 0 && n < cap && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* Codes after which ChirpStack deletes the device's queue item (integration.proto's LogCode and
 * its downlink scheduler): the downlink will never go out. Others about downlinks, such as a
 * gateway's DOWNLINK_GATEWAY error, leave the item queued for the next opportunity, so they are
 * only logged. */
static bool is_final_downlink_code(const char *code)
{
    return strcmp(code, "DOWNLINK_PAYLOAD_SIZE") == 0 || strcmp(code, "F_CNT_DOWN") == 0 ||
           strcmp(code, "EXPIRED") == 0;
}

int chirpstack_map_log(struct webhook_event *e, const char *level, const char *code,
                       const char *description, const char *queue_item_id, struct webhook_reason *r)
{
    if (!is_enum_name(level, sizeof(e->dev.log_level)))
        return webhook_json_fail(r, "", "level", "not a log level name");
    if (!is_enum_name(code, sizeof(e->dev.log_code)))
        return webhook_json_fail(r, "", "code", "not a log code name");
    if (description != NULL && !chirpstack_is_utf8(description))
        return webhook_json_fail(r, "", "description", "not UTF-8");
    if (description == NULL)
        description = "";
    /* A log event has no deduplication id; ChirpStack stamps each with the time it is made. */
    if (e->up.time_us == 0)
        return webhook_json_fail(r, "", "time", "missing (it identifies a log event)");
    snprintf(e->up.id, sizeof(e->up.id), "cs:log:%s:%" PRId64 ":%s", e->up.dev_eui, e->up.time_us,
             code);
    if (queue_item_id != NULL && queue_item_id[0] == '\0')
        queue_item_id = NULL;
    /* Without the queue item, the failure cannot be pinned on a downlink (it may be one of
     * ChirpStack's own MAC commands): it stays a log line of the device. */
    if (!is_final_downlink_code(code) || queue_item_id == NULL) {
        e->kind = WEBHOOK_DEVICE_EVENT;
        e->dev.kind = WEBHOOK_DEVICE_LOG;
        snprintf(e->dev.log_level, sizeof(e->dev.log_level), "%s", level);
        snprintf(e->dev.log_code, sizeof(e->dev.log_code), "%s", code);
        webhook_json_copy_text(e->dev.log_description, sizeof(e->dev.log_description), description);
        return 0;
    }
    if (!webhook_json_is_token(queue_item_id, CHIRPSTACK_ID_MAX))
        return webhook_json_fail(r, "context", "queue_item_id", not_token);
    e->kind = WEBHOOK_DOWNLINK_STATUS;
    e->dl.state = strcmp(code, "EXPIRED") == 0 ? WEBHOOK_DL_EXPIRED : WEBHOOK_DL_FAILED;
    snprintf(e->dl.network_ref, sizeof(e->dl.network_ref), "%s", queue_item_id);
    if (description[0] != '\0') {
        char text[sizeof(e->dl.reason) + sizeof(e->dev.log_code) + 2];
        snprintf(text, sizeof(text), "%s: %s", code, description);
        webhook_json_copy_text(e->dl.reason, sizeof(e->dl.reason), text);
    } else {
        snprintf(e->dl.reason, sizeof(e->dl.reason), "%s", code);
    }
    snprintf(e->dl.source, sizeof(e->dl.source), "chirpstack:log");
    return 0;
}

const char *chirpstack_log_level_name(int32_t level, char *buf, size_t cap)
{
    static const char *const names[] = { "INFO", "WARNING", "ERROR" };

    if (level >= 0 && (size_t)level < sizeof(names) / sizeof(names[0]))
        return names[level];
    snprintf(buf, cap, "%" PRId32, level);
    return buf;
}

const char *chirpstack_log_code_name(int32_t code, char *buf, size_t cap)
{
    static const char *const names[] = {
        "UNKNOWN",
        "DOWNLINK_PAYLOAD_SIZE",
        "UPLINK_CODEC",
        "DOWNLINK_CODEC",
        "OTAA",
        "UPLINK_F_CNT_RESET",
        "UPLINK_MIC",
        "UPLINK_F_CNT_RETRANSMISSION",
        "DOWNLINK_GATEWAY",
        "RELAY_NEW_END_DEVICE",
        "F_CNT_DOWN",
        "EXPIRED",
    };

    if (code >= 0 && (size_t)code < sizeof(names) / sizeof(names[0]))
        return names[code];
    snprintf(buf, cap, "%" PRId32, code);
    return buf;
}
