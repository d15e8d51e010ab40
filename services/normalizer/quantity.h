/* quantity.h - the vocabulary of measured quantities: every name a codec or a derivation may
 * produce, with its unit (docs/quantities.md says what each means).
 * SPDX-License-Identifier: MIT */
#ifndef QUANTITY_H
#define QUANTITY_H

struct quantity {
    const char *name;    /* [A-Za-z0-9_]; for indexed ones the base, used as "<name>_<n>" */
    const char *unit;    /* "dB(A)", "m", "%", "V", "1" for counts and flags, ... */
    int indexed;         /* 1 when the name takes a numeric suffix: switch_1 .. switch_8 */
    const char *meaning; /* one line, for mue-decode --list-quantities and the docs */
    const char *sdm;     /* the FIWARE Smart Data Models attribute it maps to, or NULL */
};

/* The vocabulary, ended by an entry whose name is NULL. */
extern const struct quantity quantity_table[];

/* Finds the entry of 'name', accepting "<base>_<digits>" for indexed quantities. Returns it
 * (static), or NULL when the name is not in the vocabulary. */
const struct quantity *quantity_find(const char *name);

#endif
