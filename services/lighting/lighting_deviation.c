/* lighting_deviation.c - compares each reported lamp or cabinet level with its plan and publishes
 * the gap as the measurement schedule_deviation.
 * SPDX-License-Identifier: MIT */
#include "lighting_deviation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lamp_load.h"
#include "mue/v1/measurement.pb-c.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "schedule.h"

#define CACHE_SLOTS 256
#define CACHE_TTL_S 60 /* a schedule is read again after this, changes or not */

struct slot {
    char dev_eui[17];
    int64_t loaded_s;
    int loaded; /* lamp_load succeeded */
    struct lamp_schedule s;
};

struct deviation_cache {
    struct slot slots[CACHE_SLOTS];
};

double deviation_of(const char *model, const char *const *quantities, const double *values,
                    size_t n, int planned)
{
    double reported = -1;
    int cabinet = strcmp(model, "milesight-ws558") == 0;

    for (size_t i = 0; i < n; i++) {
        const char *q = quantities[i];

        if (!cabinet && (strcmp(q, "dim_level") == 0 || strncmp(q, "dim_level_", 10) == 0))
            reported = fmax(reported, values[i]);
        else if (cabinet && strncmp(q, "switch_", 7) == 0)
            reported = fmax(reported, values[i] > 0 ? 100.0 : 0.0);
    }
    if (reported < 0)
        return -1;
    if (cabinet)
        return fabs(reported - (planned > 0 ? 100.0 : 0.0));
    return fabs(reported - planned);
}

struct deviation_cache *deviation_cache_new(void)
{
    return mue_xcalloc(1, sizeof(struct deviation_cache));
}

void deviation_cache_clear(struct deviation_cache *c)
{
    for (int i = 0; c != NULL && i < CACHE_SLOTS; i++) {
        if (c->slots[i].loaded)
            lamp_schedule_free(&c->slots[i].s);
        memset(&c->slots[i], 0, sizeof(c->slots[i]));
    }
}

void deviation_cache_free(struct deviation_cache *c)
{
    deviation_cache_clear(c);
    free(c);
}

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* The lamp's schedule, read at most once a minute; NULL when it has none to follow. */
static const struct lamp_schedule *schedule_of(struct mue_db *db, struct deviation_cache *c,
                                               const char *dev_eui, int64_t now_s, int *db_error)
{
    struct slot *sl = &c->slots[hash(dev_eui) % CACHE_SLOTS];
    char err[200];

    *db_error = 0;
    if (strcmp(sl->dev_eui, dev_eui) != 0 || now_s - sl->loaded_s >= CACHE_TTL_S) {
        if (sl->loaded)
            lamp_schedule_free(&sl->s);
        memset(sl, 0, sizeof(*sl));
        /* Overrides of the day around now: reports are seldom older. */
        int rc = lamp_load(db, dev_eui, now_s - 86400, now_s + 86400, &sl->s, err, sizeof(err));
        if (rc == MUE_EDB) {
            *db_error = 1;
            return NULL;
        }
        snprintf(sl->dev_eui, sizeof(sl->dev_eui), "%s", dev_eui);
        sl->loaded_s = now_s;
        sl->loaded = rc == 0;
    }
    if (!sl->loaded || sl->s.lamp.calendar == NULL)
        return NULL;
    return &sl->s;
}

static int publish(struct mue_bus *bus, const Mue__V1__MeasurementBatch *in, double deviation,
                   int64_t time_us)
{
    Mue__V1__MeasurementBatch out = MUE__V1__MEASUREMENT_BATCH__INIT;
    Mue__V1__Measurement m = MUE__V1__MEASUREMENT__INIT;
    Mue__V1__Measurement *ms[1] = { &m };
    char uplink_id[160], subject[96];
    uint8_t *buf;
    size_t len;
    int rc;

    snprintf(uplink_id, sizeof(uplink_id), "lighting-deviation:%s", in->uplink_id);
    snprintf(subject, sizeof(subject), MUE_SUBJ_MEASURE_FMT, "lighting", (long long)in->device_id);
    m.quantity = (char *)"schedule_deviation";
    m.value = deviation;
    m.time_us = time_us;
    out.uplink_id = uplink_id;
    out.device_id = in->device_id;
    out.dev_eui = in->dev_eui;
    out.use_case = in->use_case;
    out.model = in->model;
    out.n_measurements = 1;
    out.measurements = ms;
    len = mue__v1__measurement_batch__get_packed_size(&out);
    buf = mue_xmalloc(len);
    mue__v1__measurement_batch__pack(&out, buf);
    rc = mue_bus_publish(bus, subject, buf, len, uplink_id, NULL, 5000, NULL);
    free(buf);
    return rc == 0 ? 0 : MUE_EBUS;
}

int deviation_take(struct mue_db *db, struct mue_bus *bus, struct deviation_cache *c,
                   const void *data, size_t len, int *published)
{
    Mue__V1__MeasurementBatch *b = mue__v1__measurement_batch__unpack(NULL, len, data);
    const char *q[64];
    double v[64];
    size_t n = 0;
    int64_t t_us = 0;
    int rc = 0, db_error;

    *published = 0;
    if (b == NULL)
        return MUE_EDECODE;
    for (size_t i = 0; i < b->n_measurements && n < 64; i++) {
        q[n] = b->measurements[i]->quantity;
        v[n] = b->measurements[i]->value;
        if (b->measurements[i]->time_us > t_us)
            t_us = b->measurements[i]->time_us;
        n++;
    }
    /* Our own schedule_deviation comes back here too: it reports no level. */
    if (deviation_of(b->model, q, v, n, 0) >= 0) {
        const struct lamp_schedule *s =
            schedule_of(db, c, b->dev_eui, mue_time_now_us() / 1000000, &db_error);

        if (db_error) {
            rc = MUE_EDB;
        } else if (s != NULL) {
            uint8_t planned;
            int64_t minute = t_us / 1000000 / 60 * 60;

            light_plan(&s->lamp, minute, 1, &planned);
            rc = publish(bus, b, deviation_of(b->model, q, v, n, planned), t_us);
            *published = rc == 0;
        }
    }
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    return rc;
}
