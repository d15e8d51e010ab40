/* webhook.h - a simulated uplink wrapped as its network server's webhook.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "sim.h"

#define SIM_WEBHOOK_B64_MAX ((SIM_PAYLOAD_MAX + 2) / 3 * 4 + 1)
#define SIM_WEBHOOK_MAX     2048

/* One uplink of a device: when, its frame counter, its encoded payload. */
struct sim_uplink {
    int64_t time_us;
    uint32_t fcnt;
    unsigned fport;
    size_t len;
    uint8_t payload[SIM_PAYLOAD_MAX];
};

/* Writes the JSON body the device's network server (d->network: "chirpstack" or "tts") posts for
 * 'u', and sets *path to the ingest route it goes to. The same uplink always gives the same body
 * (ids included), so a repeated post is a duplicate the ingest recognises. Returns the body's
 * length, MUE_EINVAL for a network the simulator does not speak, MUE_E2BIG when cap is short. */
int sim_webhook_body(const struct sim_device *d, const struct sim_uplink *u, char *out,
                     size_t cap, const char **path);

#endif
