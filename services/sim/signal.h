/* signal.h - what each simulated device measures at a given time: realistic, deterministic
 * signals per use case (a function of the device's seed and the time only, so a back-fill and the
 * live fleet tell the same story, and a test can ask what the value was meant to be).
 * SPDX-License-Identifier: MIT */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

/* A device sends at most this many frames at one tick (a lamp's status and usage packets). */
#define SIM_MAX_FRAMES_PER_TICK 2

/* Fills out[0..] with the frames 'd' sends at its tick 't_us' (µs since the epoch, on the
 * device's grid: see sim.h). Returns how many (0 when it sends nothing then, e.g. a lamp
 * controller by day that only reports every third tick), or MUE_EINVAL when the device's
 * model or profile is not one this use case simulates. */
typedef int (*sim_signal_fn)(const struct sim_device *d, int64_t t_us, struct sim_frame *out,
                             size_t cap);

struct sim_signal {
    const char *use_case;
    sim_signal_fn frames;
};

/* Every use case's signal, ended by NULL (signal.c). */
extern const struct sim_signal *const sim_signals[];

/* Finds the signal of 'use_case'. Returns it (static), or NULL. */
const struct sim_signal *sim_signal_find(const char *use_case);

#endif
