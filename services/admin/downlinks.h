/* downlinks.h - "mue-admin downlink send": a downlink to one registered device, by hand.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINKS_H
#define DOWNLINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mue_bus_opts;

/* The arguments of "downlink send DEV_EUI --port N --hex HEX [--confirmed] [--ttl-s S]". */
struct downlinks_args {
    char dev_eui[17]; /* lowercase */
    uint32_t f_port;  /* 1..223 */
    uint8_t payload[242];
    size_t payload_len;
    bool confirmed;
    long ttl_s; /* 0: no expiry */
};

/* Reads argv (argv[0] "downlink", argv[1] "send", then the DevEUI and options). Returns 0, or 2
 * after printing what is wrong to stderr. */
int downlinks_parse_args(int argc, char **argv, struct downlinks_args *out);

/* Runs the command: looks the device up in the registry (its network; for The Things Stack the
 * params "tts_application_id" and "tts_device_id" when present), publishes a mue.v1.DownlinkRequest
 * with id "admin:<dev_eui>:<now µs>" and origin "admin" on mue.downlink.<network>.<dev_eui>, and
 * prints the id; mue-ingest forwards it and reports on mue.dlstatus.<network>.<dev_eui>. 'bus'
 * is copied. Returns the exit status: 0, 1 (unknown device, database or bus unavailable), 2 (bad
 * arguments). */
int downlinks_command(int argc, char **argv, const char *pg_dsn, const struct mue_bus_opts *bus);

#endif
