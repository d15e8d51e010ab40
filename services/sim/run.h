/* run.h - the simulator's clocks: the fleet's ticks from one instant to another, as fast as the
 * platform takes them (back-fill), at the pace of the wall clock (real time), or faster
 * (accelerated); and a steady load at a target rate on cloned devices (load).
 * SPDX-License-Identifier: MIT */
#ifndef RUN_H
#define RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "fleet.h"
#include "send.h"

enum sim_mode {
    SIM_MODE_BACKFILL,    /* every tick in [from, to) at once */
    SIM_MODE_REALTIME,    /* ticks before now at once (catching up from 'from'), then as they fall due */
    SIM_MODE_ACCELERATED, /* simulated time runs 'speed' times faster from 'from', never past now;
                             it ends at 'to' when one is given, else goes on in real time */
};

struct sim_run_opts {
    enum sim_mode mode;
    int64_t from_us;
    int64_t to_us;           /* exclusive; 0 = no end */
    double speed;            /* accelerated only */
    const char *cursor_path; /* NULL, or a file that gets the instant before which all was sent */
    bool progress;           /* a progress line on stderr every few seconds */
};

/* Runs the fleet's ticks through the signals and encoders into 's' until the end or a stop
 * signal. Returns 0, or MUE_EINVAL (reason logged) when a device's use case has no signal or its
 * model no encoder. */
int sim_run_ticks(const struct sim_fleet *f, struct sim_sender *s, const struct sim_run_opts *o);

/* Reads a cursor file. Returns 0 and *us, MUE_ENOENT when there is none, MUE_EDECODE. */
int sim_cursor_read(const char *path, int64_t *us);

struct sim_load_opts {
    double rate;       /* uplinks per second in all */
    double duration_s;
    double repeat_pct; /* share of uplinks posted twice, as a network server's retry would */
    int64_t start_us;  /* time of the first uplinks; each device's next ones 1 ms apart */
};

/* Makes 'n' load devices from the fleet's: device i is a copy of fleet device i mod f->n with
 * its own DevEUI (fe + 14 hex digits of i), name and no site. */
void sim_load_fleet(const struct sim_fleet *f, size_t n, struct sim_fleet *out);

/* Posts rate × duration uplinks of 'load' devices (round robin) at the target rate. */
int sim_run_load(const struct sim_fleet *load, struct sim_sender *s, const struct sim_load_opts *o);

#endif
