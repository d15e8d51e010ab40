/* fuzz_datasets.c - libFuzzer target: the dataset definition file (deploy/opendata/datasets.json)
 * read by ds_catalog_load from any bytes. Operators write it, but a bad one must be refused with a
 * reason, never crash the service.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

/* One file in memory per process, rewritten for each input: the loader only reads from a path,
 * and a crash leaves nothing behind in /tmp. */
static void write_input(const uint8_t *data, size_t size)
{
    static int fd = -1;

    if (fd < 0) {
        fd = memfd_create("fuzz_datasets", MFD_CLOEXEC);
        if (fd < 0)
            abort();
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
}

/* What every loaded catalogue keeps, whatever the file held. */
static void check(const struct ds_catalog *c)
{
    if (c->nds < 1 || c->nlicences < 1 || c->title == NULL ||
        !(c->bbox[0] < c->bbox[2] && c->bbox[1] < c->bbox[3]))
        abort();
    for (int i = 0; i < c->nds; i++) {
        const struct dataset *d = &c->ds[i];
        if (d->id == NULL || ds_find(c, d->id) != d || ds_licence_find(c, d->licence) == NULL)
            abort();
        if (d->formats == 0 || d->every_s < 10 || d->source == NULL || d->frequency == NULL)
            abort();
        if ((d->formats & DS_NGSILD) && d->nngsi == 0)
            abort();
        for (int k = 0; k < d->ncolumns; k++)
            if (d->columns[k].name == NULL || d->columns[k].quantity == NULL)
                abort();
        for (int k = 0; k < d->nngsi; k++)
            for (int a = 0; a < d->ngsi[k].nattrs; a++)
                if (d->ngsi[k].attrs[a].column == NULL)
                    abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ds_catalog c;
    char err[256];
    int rc;

    write_input(data, size);
    err[0] = '\0';
    rc = ds_catalog_load(&c, path, err, sizeof(err));
    if (rc == 0)
        check(&c);
    else if (rc != MUE_EINVAL || err[0] == '\0' || c.nds != 0 || c.ds != NULL)
        abort(); /* refused: with a reason, and nothing left to free */
    ds_catalog_fini(&c);
    return 0;
}
