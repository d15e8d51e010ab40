/* publish_batches.c - fills stream MEASURES with measurement batches for the writer benchmark.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue/v1/measurement.pb-c.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_subjects.h"
#include "mue_time.h"

#define MAX_PER_BATCH 8
#define WINDOW        2000 /* asynchronous publishes between two waits for their acks */
#define US_PER_S      1000000LL

/* What a Milesight EM310-UDL uplink decodes to first, then what other sensors add. */
static const char *const quantity[MAX_PER_BATCH] = {
    "distance", "fill_level", "battery", "tilt", "temperature", "rssi", "snr", "f_cnt"
};

struct opts {
    const char *url, *use_case, *model, *run_id;
    long batches, per_batch, devices, first_id, period_s;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The start (UTC) of the month 'back' months before the one holding 'secs'. */
static time_t month_start(time_t secs, int back)
{
    struct tm tm;
    gmtime_r(&secs, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mon -= back;
    return timegm(&tm);
}

static int month_of(int64_t us)
{
    time_t secs = (time_t)(us / US_PER_S);
    struct tm tm;
    gmtime_r(&secs, &tm);
    return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

/* A plausible reading: a container filling up over about three days, then emptied. */
static double reading(int q, long device, long round)
{
    long phase = (round + device * 37) % 432; /* 432 uplinks of 10 min = 3 days */
    double distance = 2.5 - 2.2 * (double)phase / 431.0;

    switch (q) {
    case 0:
        return distance;
    case 1:
        return (2.5 - distance) / 2.2 * 100.0;
    case 2:
        return (double)(100 - (round / 500) % 10);
    case 3:
        return phase == 7 ? 1.0 : 0.0;
    case 4:
        return 12.0 + (double)((round + device) % 100) / 10.0;
    case 5:
        return -40.0 - (double)(device % 60);
    case 6:
        return 9.5 - (double)(device % 20) / 2.0;
    default:
        return (double)round;
    }
}

/* Publishes batches [first, last); returns 0 once JetStream acknowledged all of them. */
static int publish_range(struct mue_bus *bus, const struct opts *o, int64_t t0_us, long first,
                         long last)
{
    for (long j = first; j < last; j++) {
        long round = j / o->devices, device = j % o->devices;
        int64_t t = t0_us + (int64_t)round * o->period_s * US_PER_S +
                    (int64_t)device * o->period_s * US_PER_S / o->devices;
        Mue__V1__MeasurementBatch b = MUE__V1__MEASUREMENT_BATCH__INIT;
        Mue__V1__Measurement m[MAX_PER_BATCH], *mp[MAX_PER_BATCH];
        char uplink_id[96], dev_eui[17], subject[128];
        uint8_t buf[512];
        size_t len;

        snprintf(uplink_id, sizeof(uplink_id), "bench-%s-%ld-%ld", o->run_id, device, round);
        snprintf(dev_eui, sizeof(dev_eui), "%016llx",
                 0xbe00000000000000ULL + (unsigned long long)(device + 1));
        for (long q = 0; q < o->per_batch; q++) {
            Mue__V1__Measurement one = MUE__V1__MEASUREMENT__INIT;
            one.quantity = (char *)quantity[q];
            one.value = reading((int)q, device, round);
            one.time_us = t;
            m[q] = one;
            mp[q] = &m[q];
        }
        b.uplink_id = uplink_id;
        b.device_id = o->first_id + device;
        b.dev_eui = dev_eui;
        b.use_case = (char *)o->use_case;
        b.model = (char *)o->model;
        b.n_measurements = (size_t)o->per_batch;
        b.measurements = mp;
        b.f_cnt = (uint32_t)round;
        len = mue__v1__measurement_batch__get_packed_size(&b);
        if (len > sizeof(buf))
            return MUE_E2BIG;
        mue__v1__measurement_batch__pack(&b, buf);
        snprintf(subject, sizeof(subject), MUE_SUBJ_MEASURE_FMT, o->use_case,
                 (long long)b.device_id);
        if (mue_bus_publish_async(bus, subject, buf, len, uplink_id, NULL) < 0)
            return MUE_EBUS;
    }
    return mue_bus_publish_async_wait(bus, 30000);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: publish_batches [options]\n"
            "  Publishes measurement batches (mue.v1.MeasurementBatch) onto\n"
            "  mue.measure.<use case>.<device id>, one Nats-Msg-Id each, and waits for JetStream\n"
            "  to store them all. Device i (0-based) has id FIRST+i and sends one uplink every\n"
            "  PERIOD seconds; the whole run spans BATCHES/DEVICES uplinks per device, placed\n"
            "  across a month boundary in the past so that two or more month partitions are hit.\n"
            "  -u URL        NATS server (default nats://127.0.0.1:4222)\n"
            "  -n BATCHES    messages to publish (default 100000)\n"
            "  -k K          measurements per batch, 1..%d (default 4, as an EM310-UDL uplink)\n"
            "  -d DEVICES    registered devices (default 100)\n"
            "  -f FIRST      id of the first device (default 1)\n"
            "  -c USE_CASE   (default waste)\n"
            "  -m MODEL      (default milesight-em310-udl)\n"
            "  -p PERIOD     seconds between two uplinks of a device (default 600)\n"
            "  -r RUN        tag of the message ids (default: the current time)\n",
            MAX_PER_BATCH);
}

int main(int argc, char **argv)
{
    struct opts o = {
        "nats://127.0.0.1:4222", "waste", "milesight-em310-udl", NULL, 100000, 4, 100, 1, 600
    };
    struct mue_bus_opts bo = { NULL, "mue-bench-publisher", 10000, 1200, 604800, 1 };
    struct mue_bus *bus = NULL;
    char run_id[32], first_ts[40], last_ts[40];
    int64_t span_us, t0_us, t_last;
    time_t boundary, now = time(NULL);
    double started, secs;
    int opt, rc = 1, months;

    while ((opt = getopt(argc, argv, "u:n:k:d:f:c:m:p:r:h")) != -1) {
        switch (opt) {
        case 'u':
            o.url = optarg;
            break;
        case 'n':
            o.batches = strtol(optarg, NULL, 10);
            break;
        case 'k':
            o.per_batch = strtol(optarg, NULL, 10);
            break;
        case 'd':
            o.devices = strtol(optarg, NULL, 10);
            break;
        case 'f':
            o.first_id = strtol(optarg, NULL, 10);
            break;
        case 'c':
            o.use_case = optarg;
            break;
        case 'm':
            o.model = optarg;
            break;
        case 'p':
            o.period_s = strtol(optarg, NULL, 10);
            break;
        case 'r':
            o.run_id = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (o.batches <= 0 || o.per_batch < 1 || o.per_batch > MAX_PER_BATCH || o.devices <= 0 ||
        o.first_id <= 0 || o.period_s <= 0) {
        usage(stderr);
        return 2;
    }
    if (o.run_id == NULL) {
        snprintf(run_id, sizeof(run_id), "%lld", (long long)now);
        o.run_id = run_id;
    }
    mue_log_init("bench", MUE_LOG_WARN);

    /* The run's times are centred on the latest month boundary that lies at least half a span
     * in the past, so the batches fill the end of one month and the start of the next. */
    span_us = (int64_t)((o.batches + o.devices - 1) / o.devices) * o.period_s * US_PER_S;
    boundary = month_start(now, 0);
    for (int back = 1; (int64_t)boundary * US_PER_S + span_us / 2 > (int64_t)now * US_PER_S; back++)
        boundary = month_start(now, back);
    t0_us = (int64_t)boundary * US_PER_S - span_us / 2;
    t0_us -= t0_us % (o.period_s * US_PER_S);
    t_last = t0_us + (int64_t)((o.batches - 1) / o.devices) * o.period_s * US_PER_S +
             (int64_t)((o.batches - 1) % o.devices) * o.period_s * US_PER_S / o.devices;
    months = month_of(t_last) - month_of(t0_us) + 1;

    bo.url = o.url;
    if (mue_bus_open(&bus, &bo) < 0 || mue_bus_ensure_streams(bus) < 0)
        goto out;
    started = now_s();
    for (long first = 0; first < o.batches; first += WINDOW) {
        long last = first + WINDOW < o.batches ? first + WINDOW : o.batches;
        int tries = 0, r;
        /* A failed window is published again whole: its message ids make repeats harmless. */
        while ((r = publish_range(bus, &o, t0_us, first, last)) < 0) {
            if (r == MUE_E2BIG || ++tries == 5) {
                fprintf(stderr, "publish_batches: batches %ld..%ld failed: %s\n", first, last - 1,
                        mue_strerror(r));
                goto out;
            }
        }
    }
    secs = now_s() - started;
    mue_time_format(t0_us, first_ts, sizeof(first_ts));
    mue_time_format(t_last, last_ts, sizeof(last_ts));
    printf("publish_batches: batches=%ld measurements=%ld devices=%ld seconds=%.3f"
           " batches_per_s=%.0f from=%s to=%s months=%d\n",
           o.batches, o.batches * o.per_batch, o.devices, secs, (double)o.batches / secs, first_ts,
           last_ts, months);
    rc = 0;
out:
    mue_bus_close(bus);
    nats_Close();
    return rc;
}
