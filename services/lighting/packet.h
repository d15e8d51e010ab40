/* packet.h - one compiled device downlink: the setting it carries, its fPort and its bytes.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_PACKET_H
#define LIGHTING_PACKET_H

#include <stddef.h>
#include <stdint.h>

/* The smallest application payload of EU868 (DR0..DR2, no FOpts): every packet fits in it, so
 * a downlink goes through at any data rate. */
#define LIGHT_PACKET_MAX 51

/* 'key' names the setting the bytes carry ("nas.profile.1", "nas.calendar", "ws558.task.7"),
 * the same from one compilation to the next: the service sends a key only when its bytes
 * differ from those the device last accepted. */
struct light_packet {
    char key[32];
    unsigned fport;
    uint8_t bytes[64];
    size_t len; /* at most LIGHT_PACKET_MAX */
};

#endif
