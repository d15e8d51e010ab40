/* sim.h - the simulated metropolis: its devices and the frames they send.
 * Shared by the fleet (fleet.c: who the devices are, where), the signals (signal_*.c: what each
 * device measures at a given time) and the encoders (encode_*.c: the bytes of its real model).
 * SPDX-License-Identifier: MIT */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SIM_MAX_VALUES 32
#define SIM_NAME_MAX   32

/* One value a device reports, named and scaled as the normalizer's codec of its model decodes it
 * (the quantity vocabulary, docs/quantities.md): "distance" in m, "LAeq" in dB(A), "switch_3". */
struct sim_value {
    char name[SIM_NAME_MAX];
    double v;
};

/* What kind of uplink a frame is, for models that send several (a lamp controller's status,
 * usage and alert packets); most models only send SIM_FRAME_DATA. */
enum sim_frame_kind {
    SIM_FRAME_DATA = 0,
    SIM_FRAME_STATUS,
    SIM_FRAME_USAGE,
    SIM_FRAME_ALERT,
};

/* One uplink's content, before encoding. */
struct sim_frame {
    enum sim_frame_kind kind;
    size_t n;
    struct sim_value v[SIM_MAX_VALUES];
};

/* Sets 'name' to 'v' (replacing an earlier value of that name). Returns 0, or MUE_E2BIG when the
 * frame is full or the name too long. */
int sim_frame_set(struct sim_frame *f, const char *name, double v);

/* Finds 'name'. Returns 1 and sets *v, or 0 when the frame has no such value. */
int sim_frame_get(const struct sim_frame *f, const char *name, double *v);

/* One simulated device, as the fleet files describe it (deploy/fleet/<use case>.json). */
struct sim_device {
    char dev_eui[17];   /* 16 lowercase hex digits */
    char name[96];      /* e.g. "PAV verre Aix-en-Provence 03" */
    char model[40];     /* a codec id of mue-normalizer: "milesight-em310-udl" */
    char use_case[32];  /* "waste" */
    char profile[32];   /* the signal's variant within the use case: "glass", "level", "lamp" */
    char network[16];   /* the network server that carries it: "chirpstack" or "tts" */
    char site[96];      /* the site it belongs to ("" when none) */
    char commune[64];   /* the commune's name, as in the GeoJSON ("Aix-en-Provence") */
    char insee[6];      /* its INSEE code ("13001") */
    double lat, lon;    /* inside the commune */
    int period_s;       /* seconds between two uplinks */
    int phase_s;        /* offset of its uplinks within the period, 0 <= phase_s < period_s */
    uint64_t seed;      /* from the DevEUI: the device's own randomness, stable across runs */
    json_t *params;     /* installation parameters as registered (device.params); owned */
};

/* Times at which a device sends: t = k * period_s + phase_s (seconds since the epoch), so a
 * back-fill and the live fleet agree on every uplink, and its frame counter is k mod 2^32 times
 * the number of frames it sends per tick, plus the frame's index. */

/* Reads a number of d->params, or 'dflt' when absent or not a number. */
double sim_param(const struct sim_device *d, const char *key, double dflt);

/* Reads a string of d->params, or 'dflt' when absent or not a string. */
const char *sim_param_str(const struct sim_device *d, const char *key, const char *dflt);

/* Deterministic randomness: a 64-bit mix of the arguments (splitmix64-style), and the same as a
 * double uniform in [0, 1). Signals draw from (device seed, a time slot, a purpose tag) so a
 * value at a given time is the same in every run and every mode. */
uint64_t sim_hash(uint64_t a, uint64_t b, uint64_t c);
double sim_uniform(uint64_t a, uint64_t b, uint64_t c);

/* A standard normal variate from the same inputs (Box-Muller on two hashes). */
double sim_normal(uint64_t a, uint64_t b, uint64_t c);

#endif
