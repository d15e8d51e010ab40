/* signal_test.h - helpers for the simulator's signal tests: a device from a few fields, its
 * ticks, its frames, and the names each model's codec outputs.
 * SPDX-License-Identifier: MIT */
#ifndef SIGNAL_TEST_H
#define SIGNAL_TEST_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "mue_localtime.h"
#include "signal.h"
#include "sim.h"
#include "../mue_test.h"

/* A device as the fleet loader would make it; params is JSON text (NULL for none). The caller
 * releases it with st_device_free. */
static inline struct sim_device st_device(const char *use_case, const char *model,
                                          const char *profile, int period_s, uint64_t seed,
                                          const char *params)
{
    struct sim_device d;

    memset(&d, 0, sizeof(d));
    snprintf(d.dev_eui, sizeof(d.dev_eui), "%016llx", (unsigned long long)seed);
    snprintf(d.name, sizeof(d.name), "test %s %llu", model, (unsigned long long)seed);
    snprintf(d.model, sizeof(d.model), "%s", model);
    snprintf(d.use_case, sizeof(d.use_case), "%s", use_case);
    snprintf(d.profile, sizeof(d.profile), "%s", profile);
    snprintf(d.network, sizeof(d.network), "chirpstack");
    snprintf(d.site, sizeof(d.site), "Site %llu", (unsigned long long)(seed % 7));
    snprintf(d.commune, sizeof(d.commune), "Marseille");
    snprintf(d.insee, sizeof(d.insee), "13055");
    d.lat = 43.2965;
    d.lon = 5.3698;
    d.period_s = period_s;
    d.phase_s = (int)(seed % (uint64_t)period_s);
    d.seed = seed;
    d.params = params ? json_loads(params, 0, NULL) : NULL;
    return d;
}

static inline void st_device_free(struct sim_device *d)
{
    json_decref(d->params);
    d->params = NULL;
}

/* The first tick of 'd' at or after 't_s'. */
static inline int64_t st_tick(const struct sim_device *d, int64_t t_s)
{
    int64_t k = (t_s - d->phase_s + d->period_s - 1) / d->period_s;

    return k * d->period_s + d->phase_s;
}

/* Seconds of a local civil time. */
static inline int64_t st_local(int y, int m, int d, int h, int mi)
{
    return mue_localtime_to_utc(y, m, d, h, mi, 0);
}

/* The frames 'd' sends at tick 't_s'; fails the test on an error. */
static inline int st_frames(const struct sim_device *d, int64_t t_s, struct sim_frame *f)
{
    const struct sim_signal *s = sim_signal_find(d->use_case);
    int n;

    MUE_ASSERT(s != NULL);
    n = s->frames(d, t_s * 1000000, f, SIM_MAX_FRAMES_PER_TICK);
    MUE_ASSERT(n >= 0);
    MUE_ASSERT(n <= SIM_MAX_FRAMES_PER_TICK);
    return n;
}

/* A value the frame must have. */
static inline double st_get(const struct sim_frame *f, const char *name)
{
    double v = NAN;

    if (!sim_frame_get(f, name, &v)) {
        char m[96];

        snprintf(m, sizeof(m), "frame has no \"%s\"", name);
        mue_test_fail(__FILE__, __LINE__, m);
    }
    return v;
}

/* The frame of 'kind' among f[0..n), or NULL. */
static inline const struct sim_frame *st_kind(const struct sim_frame *f, int n,
                                              enum sim_frame_kind kind)
{
    for (int i = 0; i < n; i++) {
        if (f[i].kind == kind)
            return &f[i];
    }
    return NULL;
}

#endif
