/* sim.c - frames of values, device parameters and the deterministic randomness of the simulator.
 * SPDX-License-Identifier: MIT */
#include "sim.h"

#include <math.h>
#include <string.h>

#include "mue_err.h"

int sim_frame_set(struct sim_frame *f, const char *name, double v)
{
    size_t len = strlen(name);

    if (len >= SIM_NAME_MAX)
        return MUE_E2BIG;
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->v[i].name, name) == 0) {
            f->v[i].v = v;
            return MUE_OK;
        }
    }
    if (f->n == SIM_MAX_VALUES)
        return MUE_E2BIG;
    memcpy(f->v[f->n].name, name, len + 1);
    f->v[f->n++].v = v;
    return MUE_OK;
}

int sim_frame_get(const struct sim_frame *f, const char *name, double *v)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->v[i].name, name) == 0) {
            *v = f->v[i].v;
            return 1;
        }
    }
    return 0;
}

double sim_param(const struct sim_device *d, const char *key, double dflt)
{
    const json_t *j = d->params ? json_object_get(d->params, key) : NULL;

    return json_is_number(j) ? json_number_value(j) : dflt;
}

const char *sim_param_str(const struct sim_device *d, const char *key, const char *dflt)
{
    const json_t *j = d->params ? json_object_get(d->params, key) : NULL;

    return json_is_string(j) ? json_string_value(j) : dflt;
}

/* splitmix64's finaliser: every input bit moves about half of the output bits. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sim_hash(uint64_t a, uint64_t b, uint64_t c)
{
    return mix(mix(mix(a + 0x9e3779b97f4a7c15ULL) ^ b) ^ (c * 0x9e3779b97f4a7c15ULL));
}

double sim_uniform(uint64_t a, uint64_t b, uint64_t c)
{
    return (double)(sim_hash(a, b, c) >> 11) * 0x1.0p-53;
}

double sim_normal(uint64_t a, uint64_t b, uint64_t c)
{
    double u1 = sim_uniform(a, b, c * 2 + 1), u2 = sim_uniform(a, b, c * 2 + 2);

    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}
