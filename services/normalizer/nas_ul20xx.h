/* nas_ul20xx.h - shared pieces of the NAS UL20xx luminaire controller codec (reader, addresses).
 * SPDX-License-Identifier: MIT */
#ifndef NAS_UL20XX_H
#define NAS_UL20XX_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/* A cursor over one frame. Failures are sticky: the first one sets out->reason and 'err', moves
 * the cursor to the end, and every later read returns 0 and every later append does nothing, so
 * a packet decoder can read its fields in a row and return rd->err once at the end. */
struct ul20xx_rd {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    struct codec_result *out;
    size_t n0;        /* out->n before this frame: duplicates are looked for from here */
    size_t nattr0;    /* out->nattr before this frame */
    const char *what; /* the packet being read, for the failure reason */
    int err;          /* 0, or MUE_EDECODE once something failed */
};

/* How the vendor encodes a DALI destination in one byte (address encoding of the payload
 * description): 0x01 the 0-10 V output, 0xFE broadcast, 0xFF a packet-specific meaning,
 * 0AAAAAA0 a short address, 100GGGG0 a group. */
enum ul20xx_addr_kind {
    UL20XX_ADDR_SHORT,
    UL20XX_ADDR_GROUP,
    UL20XX_ADDR_BROADCAST,
    UL20XX_ADDR_ANALOG,
    UL20XX_ADDR_FF,
};

struct ul20xx_addr {
    enum ul20xx_addr_kind kind;
    unsigned num;  /* short address 0..63 or group 0..15 */
    char name[24]; /* the vendor's name: "dali_single_9", "dali_broadcast", ... */
};

/* A list attribute: items are joined with ", " into one value while they fit, then continue in
 * the next attribute of the list's keys ("holidays", "holidays_2", ...): keys must be static, and
 * mue-decode shows the attributes as one JSON object, where a repeated key would hide the first.
 * Declare the keys with UL20XX_KEYS("name"). */
struct ul20xx_list {
    const char *const *keys; /* CODEC_MAX_ATTRS of them */
    size_t at;
    int open;
};

#define UL20XX_KEYS(k)                                                                             \
    {                                                                                              \
        k, k "_2", k "_3", k "_4", k "_5", k "_6", k "_7", k "_8", k "_9", k "_10", k "_11",       \
            k "_12", k "_13", k "_14", k "_15", k "_16", k "_17", k "_18", k "_19", k "_20",       \
            k "_21", k "_22", k "_23", k "_24"                                                     \
    }
_Static_assert(CODEC_MAX_ATTRS == 24, "UL20XX_KEYS needs one key per attribute slot");

void ul20xx_rd_init(struct ul20xx_rd *rd, const uint8_t *buf, size_t len, struct codec_result *out);
/* Sets the reason (only for the first failure) and returns MUE_EDECODE. */
int ul20xx_fail(struct ul20xx_rd *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t ul20xx_left(const struct ul20xx_rd *rd);
/* Fails unless exactly 'n' bytes are left: for packets of fixed length. */
int ul20xx_expect_left(struct ul20xx_rd *rd, size_t n);

/* Little-endian reads; past the end they fail the frame ("truncated ...") and return 0. */
unsigned ul20xx_u8(struct ul20xx_rd *rd);
unsigned ul20xx_u16(struct ul20xx_rd *rd);
uint32_t ul20xx_u32(struct ul20xx_rd *rd);
int ul20xx_i8(struct ul20xx_rd *rd);
int ul20xx_i16(struct ul20xx_rd *rd);
int32_t ul20xx_i32(struct ul20xx_rd *rd);
double ul20xx_f32(struct ul20xx_rd *rd);
/* Returns the next 'n' bytes and skips them, or NULL (failed) when fewer are left. */
const uint8_t *ul20xx_raw(struct ul20xx_rd *rd, size_t n);

/* Appends an attribute. A key the frame has already (two packets of a chained configuration)
 * gets the new value joined with "; " while it fits. */
void ul20xx_attr(struct ul20xx_rd *rd, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ul20xx_bool_attr(struct ul20xx_rd *rd, const char *key, unsigned bit);
void ul20xx_list_add(struct ul20xx_rd *rd, struct ul20xx_list *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Hex of 'n' bytes (upper case, like the vendor), 23 bytes to an attribute of 'keys'. */
void ul20xx_hex_attr(struct ul20xx_rd *rd, const char *const *keys, const uint8_t *p, size_t n);
void ul20xx_add(struct ul20xx_rd *rd, const char *quantity, double value);
void ul20xx_add_at(struct ul20xx_rd *rd, const char *quantity, double value, int64_t time_us);
/* Adds 'quantity' unless this frame has it already (returns 1 when added): a frame carries one
 * measurement time, so a second value of the same name would contradict the first. */
int ul20xx_add_once(struct ul20xx_rd *rd, const char *quantity, double value);

/* Reads an address byte. 'ff_name' names 0xFF where the packet gives it a meaning; NULL makes
 * 0xFF invalid. Odd bytes other than 0x01 and the reserved 101xxxx0/110xxxx0 fail. */
void ul20xx_addr_read(struct ul20xx_rd *rd, const char *ff_name, struct ul20xx_addr *a);
/* Reads a dimming level byte: 0..100 %, or 0xFF named 'ff_name' (invalid when NULL); formats it
 * into 'buf'. Returns the level, or -1 for 0xFF (and on failure). */
int ul20xx_level_read(struct ul20xx_rd *rd, const char *ff_name, char *buf, size_t size);
/* The DALI status byte (IEC 62386-102 STATUS): faults become warnings named like the vendor's
 * ("dali_single_1 lamp_failure"); lamp_on and lamp_failure become readings for short and
 * broadcast addresses. 0xFF means "no answer" and says nothing. */
void ul20xx_dali_status(struct ul20xx_rd *rd, const struct ul20xx_addr *a, unsigned bits);
/* Formats a device epoch as the vendor does ("2020-01-16T15:23:31.000Z") into attribute 'key';
 * before 2015 the clock was never set: "invalid_timestamp" and a warning. Returns 1 when
 * valid. */
int ul20xx_epoch_attr(struct ul20xx_rd *rd, const char *key, uint32_t epoch);
/* The vendor's lux formatting: 3 decimals below 10 lx, down to none from 1000 lx. */
void ul20xx_lux_format(double lx, char *buf, size_t size);

/* The packet families, one per fPort (or two for the command port's requests). */
int ul20xx_decode_alert(struct ul20xx_rd *rd);          /* fPort 61 */
int ul20xx_decode_system(struct ul20xx_rd *rd);         /* fPort 99 */
int ul20xx_decode_command(struct ul20xx_rd *rd);        /* fPort 60 */
int ul20xx_decode_config_request(struct ul20xx_rd *rd); /* fPort 49 */
int ul20xx_decode_dfu_command(struct ul20xx_rd *rd);    /* fPort 51 */
int ul20xx_decode_config(struct ul20xx_rd *rd);         /* fPort 50 */

#endif
