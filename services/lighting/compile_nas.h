/* compile_nas.h - a lamp's week of programs as NAS UL20xx configuration downlinks (profiles,
 * calendar, holidays on fPort 50) and its dimming overrides (fPort 60).
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_COMPILE_NAS_H
#define LIGHTING_COMPILE_NAS_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "schedule.h"

#define NAS_FPORT_CONFIG  50
#define NAS_FPORT_COMMAND 60

/* Profiles 1..NAS_PROFILE_SLOTS are always compiled, the unused ones with no day and no step:
 * a profile the week no longer needs is overwritten, never left active on the device. A week
 * needs at most 8: one per date and the holidays' own. */
#define NAS_PROFILE_SLOTS 8

/* Address bytes of the payload description: DALI broadcast, and "every output" (0xFF). */
#define NAS_ADDR_BROADCAST   0xFE
#define NAS_ADDR_ALL_DEVICES 0xFF
/* The level of a dimming command that hands the lamp back to its schedule. */
#define NAS_LEVEL_RESUME 0xFF

/* Compiles what the calendar asks of a lamp at lat/lon for the 7 dates from 'first_date' (days
 * since 1970-01-01) into up to cap packets, written to out[0..*n-1] in this order:
 *   "nas.calendar"     0x20: with every date's program lit from sunset to sunrise (the same
 *                      offsets), one sunset step at the program's level and one sunrise step at
 *                      0 %, as zenith angles of the middle date, clamping the profiles; else no
 *                      step (the on/off times are then in the profiles);
 *   "nas.holidays"     0x23: the month/day of every date of the next 365 on which a holiday
 *                      rule (LIGHT_COND_HOLIDAY) decides; empty without such a rule;
 *   "nas.profile.<id>" 0x21 for ids 1..NAS_PROFILE_SLOTS: the week's programs in the order of
 *                      'programs' (a date without a program last: off all day), each with the
 *                      weekdays it gets and the holiday bit for the holiday rule's program.
 * Steps are at the device's 10-minute resolution, solar ones resolved on the middle date; ramps
 * are not compiled (the device has one fade time, fade_config 0x22). Returns 0, or MUE_EINVAL
 * (a level out of 0..100, a position out of range), MUE_E2BIG (a program with more than
 * LIGHT_MAX_STEPS steps, a packet over LIGHT_PACKET_MAX bytes, fewer than 2 + NAS_PROFILE_SLOTS
 * places in out) with the reason in err; *n is 0 on failure. A NULL calendar, like a date
 * without a program, leaves the lamp off. */
int nas_compile(const struct light_calendar *cal, const struct light_program *programs,
                int nprograms, int64_t first_date, double lat, double lon, struct light_packet *out,
                int cap, int *n, char *err, size_t errcap);

/* A dimming override for 'address' (NAS_ADDR_BROADCAST, a DALI short address a << 1, a group
 * 0x80 | g << 1, 0x01 the 0-10 V output, NAS_ADDR_ALL_DEVICES): 0x01 [address][level] for good
 * when minutes is 0, else 0x09 [address][level][minutes] for 1..255 minutes; level 0..100, or
 * NAS_LEVEL_RESUME to return to the schedule. Key "nas.dim", fPort 60. Returns 0, or
 * MUE_EINVAL (out untouched). */
int nas_dim_command(uint8_t address, int level, int minutes, struct light_packet *out);

#endif
