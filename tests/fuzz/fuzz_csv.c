/* fuzz_csv.c - libFuzzer target: the CSV reader of registry imports on any bytes.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv c = { NULL, 0 };
    char reason[96];
    int rc = csv_parse((const char *)data, size, &c, reason, sizeof(reason));

    if (rc != MUE_OK && rc != MUE_EDECODE)
        abort();
    for (size_t i = 0; rc == MUE_OK && i < c.n; i++) {
        if (c.rec[i].n == 0 || c.rec[i].line == 0)
            abort();
        for (size_t k = 0; k < c.rec[i].n; k++)
            if (c.rec[i].field[k] == NULL || strlen(c.rec[i].field[k]) > size)
                abort();
    }
    csv_fini(&c);
    return 0;
}
