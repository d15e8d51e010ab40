/* publish.h - files a reader never sees half written: each is written to a hidden temporary file
 * beside its final name, flushed to disk, then renamed over the previous version in one step. A
 * run killed in the middle leaves the previous file whole and a temporary that the next run of
 * the same dataset removes.
 * SPDX-License-Identifier: MIT */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <limits.h>
#include <stdio.h>

struct pub_file {
    char path[PATH_MAX]; /* the final name */
    char tmp[PATH_MAX];  /* ".<name>.tmp-<pid>" in the same folder */
    FILE *f;
};

/* Creates 'dir' (and its parents) when missing. Returns 0 or -errno. */
int pub_mkdir(const char *dir);

/* Opens the temporary file of dir/name. Returns 0 or -errno. */
int pub_open(struct pub_file *p, const char *dir, const char *name);

/* Flushes, syncs and renames the temporary over the final name, then syncs the folder. On a
 * write error the temporary is removed and the final file left as it was. Returns 0 or -errno. */
int pub_commit(struct pub_file *p);

/* Drops the temporary file. Accepts a file never opened. */
void pub_abort(struct pub_file *p);

/* Removes the temporaries that runs killed earlier left in 'dir' (a dataset's folder, under its
 * lock), except the landing page's, which the catalogue writes without that lock. Returns how
 * many. */
int pub_sweep(const char *dir);

/* Removes the files of 'dir' and 'dir' itself (a dataset's folder holds only files). Returns how
 * many files, 0 when there was no such folder. */
int pub_remove_dir(const char *dir);

/* The names in 'dir' that end with 'suffix' and start with a month "YYYY-MM", sorted (the
 * monthly parts of one format). Returns the count with *out allocated (pub_names_free). */
int pub_parts(const char *dir, const char *suffix, char ***out);
void pub_names_free(char **names, int n);

/* Joins the parts into one file: CSV keeps the first header line (a part with other columns is
 * -EPROTO); array files (open and close lines, one item a line) get one opening, every item, one
 * closing. Returns 0 or -errno. */
int pub_join_csv(FILE *out, const char *dir, char **parts, int n);
int pub_join_array(FILE *out, const char *dir, char **parts, int n, const char *open,
                   const char *close);

#endif
