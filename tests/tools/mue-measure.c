/* mue-measure.c - publishes synthetic measurement batches on MEASURES, as mue-normalizer would,
 * so tests can give mue-alerts series with known answers. One stdin line is one uplink:
 *   TIME QUANTITY VALUE [QUANTITY VALUE ...]
 * TIME is RFC 3339 or "+S" (S seconds after --start). The batch's uplink id is
 * "<--id-prefix>:<line number>", so publishing the same input twice stores nothing new.
 * Usage: mue-measure --device-id N --dev-eui HEX --use-case UC [--model M] [--id-prefix P]
 *        [--start RFC3339]           (MUE_NATS_URL from the environment)
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue/v1/measurement.pb-c.h"
#include "mue_bus.h"
#include "mue_log.h"
#include "mue_subjects.h"
#include "mue_time.h"

#define MAX_VALUES 16

/* Returns 1 when published, 0 for an empty line, or a negative error. */
static int publish_line(struct mue_bus *bus, char *line, long lineno, const char *const *o,
                        int64_t device_id, int64_t start_us)
{
    Mue__V1__MeasurementBatch b = MUE__V1__MEASUREMENT_BATCH__INIT;
    Mue__V1__Measurement m[MAX_VALUES], *mp[MAX_VALUES];
    char *save = NULL, *tok = strtok_r(line, " \t\n", &save), id[160], subject[160];
    int64_t t;
    size_t n = 0;

    if (tok == NULL)
        return 0;
    if (tok[0] == '+')
        t = start_us + (int64_t)(strtod(tok + 1, NULL) * 1e6);
    else if (mue_time_parse(tok, &t) < 0) {
        fprintf(stderr, "mue-measure: line %ld: bad time %s\n", lineno, tok);
        return -1;
    }
    while (n < MAX_VALUES && (tok = strtok_r(NULL, " \t\n", &save)) != NULL) {
        char *value = strtok_r(NULL, " \t\n", &save);
        if (value == NULL) {
            fprintf(stderr, "mue-measure: line %ld: %s has no value\n", lineno, tok);
            return -1;
        }
        mue__v1__measurement__init(&m[n]);
        m[n].quantity = tok;
        m[n].value = strtod(value, NULL);
        m[n].time_us = t;
        mp[n] = &m[n];
        n++;
    }
    snprintf(id, sizeof(id), "%s:%ld", o[0], lineno);
    b.uplink_id = id;
    b.device_id = device_id;
    b.dev_eui = (char *)o[1];
    b.use_case = (char *)o[2];
    b.model = (char *)o[3];
    b.n_measurements = n;
    b.measurements = mp;
    size_t len = mue__v1__measurement_batch__get_packed_size(&b);
    uint8_t *buf = malloc(len + 1);
    mue__v1__measurement_batch__pack(&b, buf);
    snprintf(subject, sizeof(subject), MUE_SUBJ_MEASURE_FMT, o[2], (long long)device_id);
    int rc = mue_bus_publish_async(bus, subject, buf, len, id, NULL);
    free(buf);
    return rc < 0 ? rc : 1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = { { "device-id", required_argument, NULL, 'd' },
                                              { "dev-eui", required_argument, NULL, 'e' },
                                              { "use-case", required_argument, NULL, 'u' },
                                              { "model", required_argument, NULL, 'm' },
                                              { "id-prefix", required_argument, NULL, 'p' },
                                              { "start", required_argument, NULL, 's' },
                                              { NULL, 0, NULL, 0 } };
    const char *o[4] = { "measure", "", "", "test" }; /* id prefix, dev_eui, use case, model */
    int64_t device_id = 0, start_us = mue_time_now_us();
    struct mue_bus *bus = NULL;
    char line[4096];
    long lineno = 0, published = 0;
    int c, rc = 1;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            device_id = strtoll(optarg, NULL, 10);
            break;
        case 'e':
            o[1] = optarg;
            break;
        case 'u':
            o[2] = optarg;
            break;
        case 'm':
            o[3] = optarg;
            break;
        case 'p':
            o[0] = optarg;
            break;
        case 's':
            if (mue_time_parse(optarg, &start_us) < 0) {
                fprintf(stderr, "mue-measure: bad --start %s\n", optarg);
                return 2;
            }
            break;
        default:
            fprintf(stderr, "usage: mue-measure --device-id N --dev-eui HEX --use-case UC"
                            " [--model M] [--id-prefix P] [--start RFC3339] < lines\n");
            return 2;
        }
    }
    if (device_id <= 0 || o[2][0] == '\0') {
        fprintf(stderr, "mue-measure: --device-id and --use-case are required\n");
        return 2;
    }
    mue_log_init("measure", MUE_LOG_WARN);
    const char *url = getenv("MUE_NATS_URL");
    struct mue_bus_opts bo = {
        url != NULL ? url : "nats://127.0.0.1:4222", "mue-measure", 5000, 1200, 604800, 1
    };
    if (mue_bus_open(&bus, &bo) < 0 || mue_bus_ensure_streams(bus) < 0)
        goto out;
    while (fgets(line, sizeof(line), stdin) != NULL) {
        lineno++;
        int r = publish_line(bus, line, lineno, o, device_id, start_us);
        if (r < 0)
            goto out;
        published += r;
        if (r > 0 && published % 500 == 0 && mue_bus_publish_async_wait(bus, 10000) < 0)
            goto out;
    }
    if (mue_bus_publish_async_wait(bus, 10000) < 0)
        goto out;
    printf("published %ld\n", published);
    rc = 0;
out:
    mue_bus_close(bus);
    nats_Close();
    return rc;
}
