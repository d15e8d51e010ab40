/* compile_ws558.h - a cabinet's plan as Milesight WS558 delay tasks: the relay circuits switched
 * on and off at the plan's changes, and the switch override.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_COMPILE_WS558_H
#define LIGHTING_COMPILE_WS558_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

/* Milesight's application port, for downlinks as for uplinks. */
#define WS558_FPORT 85
/* The longest delay a task can carry (uint16 seconds, about 18 h 12 min). */
#define WS558_DELAY_MAX 65535

/* Compiles the changes of a plan into delay tasks, 0xFF 0x32 [task id][delay s, u16 LE]
 * [circuits][state], at most cap of them, the earliest first. levels[i] (0..100) is the planned
 * level of the clock minute that starts at floor(now_s / 60) * 60 + 60 i, for nmin minutes; each
 * change between off (0) and on (above 0) becomes a task due at that minute's start, on the
 * circuits of the mask 'circuits' (bit n is circuit L(n+1)), while its delay from now_s is at
 * most WS558_DELAY_MAX. Tasks are numbered from first_task_id (1..255), 255 followed by 1: id 0
 * is the vendor's "force control". Keys "ws558.task.<id>", fPort 85.
 *
 * The user guide says the device holds one task and a later one replaces it (the 2025 encoder
 * speaks of task ids, but no document says how many a device keeps): where that holds, call
 * with cap 1 and compile again once the task is due. Returns 0 and sets *n, or MUE_EINVAL (no
 * circuit, a task id out of 1..255, nmin or cap below 0) with *n 0. */
int ws558_compile(int64_t now_s, const uint8_t *levels, int nmin, uint8_t circuits,
                  int first_task_id, struct light_packet *out, int cap, int *n);

/* Switches the circuits of 'circuits' on or off now: a delay task of 0 s with id 0 (force
 * control). The vendor's immediate command, 0x08 [circuits][state], has no reply our codec
 * reads back (it reads channel 0x08 as the switch status, 0x08 0x31). A single-task device
 * forgets its scheduled task for it: compile the plan again after an override. Key
 * "ws558.switch", fPort 85. Returns 0, or MUE_EINVAL for no circuit (out untouched). */
int ws558_switch_command(uint8_t circuits, bool on, struct light_packet *out);

#endif
