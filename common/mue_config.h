/* mue_config.h - configuration from environment variables, one option table per service.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_CONFIG_H
#define MUE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

enum mue_config_type {
    MUE_CONFIG_END = 0,
    MUE_CONFIG_STR,
    MUE_CONFIG_SECRET,
    MUE_CONFIG_INT,
    MUE_CONFIG_BOOL
};

/* One setting. The field at 'offset' is a 'const char *' (STR, SECRET), a 'long' (INT) or an
 * 'int' (BOOL, 0 or 1). A NULL default leaves a string NULL; 'required' makes a missing
 * variable an error. */
struct mue_config_option {
    const char *name;
    enum mue_config_type type;
    size_t offset;
    const char *def;
    long min, max;
    int required;
    const char *help;
};

#define MUE_OPT_STR(var, st, field, def, help)                                                     \
    {                                                                                              \
        var, MUE_CONFIG_STR, offsetof(st, field), def, 0, 0, 0, help                               \
    }
#define MUE_OPT_SECRET(var, st, field, def, help)                                                  \
    {                                                                                              \
        var, MUE_CONFIG_SECRET, offsetof(st, field), def, 0, 0, 0, help                            \
    }
#define MUE_OPT_SECRET_REQUIRED(var, st, field, help)                                              \
    {                                                                                              \
        var, MUE_CONFIG_SECRET, offsetof(st, field), NULL, 0, 0, 1, help                           \
    }
#define MUE_OPT_INT(var, st, field, def, lo, hi, help)                                             \
    {                                                                                              \
        var, MUE_CONFIG_INT, offsetof(st, field), def, lo, hi, 0, help                             \
    }
#define MUE_OPT_BOOL(var, st, field, def, help)                                                    \
    {                                                                                              \
        var, MUE_CONFIG_BOOL, offsetof(st, field), def, 0, 1, 0, help                              \
    }
#define MUE_OPT_END                                                                                \
    {                                                                                              \
        NULL, MUE_CONFIG_END, 0, NULL, 0, 0, 0, NULL                                               \
    }

/* Applies the defaults, then the variables that are set, to the struct 'cfg'. Strings point into
 * the environment or the table, valid for the life of the process. On the first missing or bad
 * value, logs config.invalid (or config.missing) and returns MUE_ECONFIG. */
int mue_config_load(const struct mue_config_option *opts, void *cfg);

/* Logs config.loaded with every effective value; secrets are shown as "***", and so are the
 * credentials of a URL in a plain string (mue_redact_url). */
void mue_config_log(const struct mue_config_option *opts, const void *cfg);

/* Prints the table as --help does: one variable a line, its default, range and meaning. */
void mue_config_print_help(FILE *out, const char *prog, const char *summary,
                           const struct mue_config_option *opts);

/* Handles the command line of a service: --help prints the table and returns 1 (exit 0);
 * anything else unknown prints an error and returns -1 (exit 2); nothing returns 0. */
int mue_config_args(int argc, char **argv, const char *prog, const char *summary,
                    const struct mue_config_option *opts);

/* Strict parsers: the whole text must parse and fall in [min, max]. Return 0 or MUE_EINVAL. */
int mue_config_parse_long(const char *text, long min, long max, long *out);
int mue_config_parse_bool(const char *text, int *out);

#endif
