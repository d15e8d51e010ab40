/* ledger.c - the run's ledger as CSV:
 * time_us,dev_eui,fcnt,fport,outcome,http_status,attempts,repeat,posted_us,answered_us
 * SPDX-License-Identifier: MIT */
#include "ledger.h"

#include <inttypes.h>
#include <string.h>

#include "mue_err.h"

#define LEDGER_COLUMNS \
    "time_us,dev_eui,fcnt,fport,outcome,http_status,attempts,repeat,posted_us,answered_us"

void ledger_header(FILE *f)
{
    fputs(LEDGER_COLUMNS "\n", f);
}

void ledger_write(FILE *f, const struct ledger_entry *e)
{
    fprintf(f, "%" PRId64 ",%s,%" PRIu32 ",%u,%s,%d,%d,%d,%" PRId64 ",%" PRId64 "\n", e->time_us,
            e->dev_eui, e->fcnt, e->fport, e->outcome, e->http_status, e->attempts,
            e->repeat ? 1 : 0, e->posted_us, e->answered_us);
}

int ledger_parse(const char *line, struct ledger_entry *e)
{
    int repeat, end = 0;

    if (line[0] == '\n' || line[0] == '\0' ||
        strncmp(line, LEDGER_COLUMNS, strlen(LEDGER_COLUMNS)) == 0)
        return MUE_ENOENT;
    memset(e, 0, sizeof(*e));
    if (sscanf(line, "%" SCNd64 ",%16[0-9a-f],%" SCNu32 ",%u,%11[a-z],%d,%d,%d,%" SCNd64 ",%" SCNd64 "%n",
               &e->time_us, e->dev_eui, &e->fcnt, &e->fport, e->outcome, &e->http_status,
               &e->attempts, &repeat, &e->posted_us, &e->answered_us, &end) != 10 ||
        strlen(e->dev_eui) != 16 || (line[end] != '\0' && line[end] != '\n'))
        return MUE_EDECODE;
    e->repeat = repeat != 0;
    return MUE_OK;
}
