/* mue_config.c - the option-table loader: the only place that calls getenv.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mue_config.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_redact.h"

int mue_config_parse_long(const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long v;

    /* strtol would skip leading blanks: "strict" means the whole text is the number. */
    if (text == NULL || text[0] == '\0' || isspace((unsigned char)text[0]))
        return MUE_EINVAL;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return MUE_EINVAL;
    *out = v;
    return MUE_OK;
}

int mue_config_parse_bool(const char *text, int *out)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(text, yes[i]) == 0) {
            *out = 1;
            return MUE_OK;
        }
        if (strcmp(text, no[i]) == 0) {
            *out = 0;
            return MUE_OK;
        }
    }
    return MUE_EINVAL;
}

static int apply(const struct mue_config_option *o, void *cfg, const char *text)
{
    char *field = (char *)cfg + o->offset;
    char quoted[128];

    switch (o->type) {
    case MUE_CONFIG_STR:
    case MUE_CONFIG_SECRET:
        *(const char **)(void *)field = text;
        return MUE_OK;
    case MUE_CONFIG_INT: {
        long v;
        if (text == NULL || mue_config_parse_long(text, o->min, o->max, &v) < 0)
            break;
        *(long *)(void *)field = v;
        return MUE_OK;
    }
    case MUE_CONFIG_BOOL: {
        int v;
        if (text == NULL || mue_config_parse_bool(text, &v) < 0)
            break;
        *(int *)(void *)field = v;
        return MUE_OK;
    }
    case MUE_CONFIG_END:
        break;
    }
    if (o->type == MUE_CONFIG_INT)
        mue_log_error("config.invalid", "var=%s value=\"%s\" expected=\"integer in [%ld, %ld]\"",
                      o->name, mue_log_quote(quoted, sizeof(quoted), text), o->min, o->max);
    else
        mue_log_error("config.invalid", "var=%s value=\"%s\" expected=\"true or false\"", o->name,
                      mue_log_quote(quoted, sizeof(quoted), text));
    return MUE_ECONFIG;
}

int mue_config_load(const struct mue_config_option *opts, void *cfg)
{
    for (const struct mue_config_option *o = opts; o->name != NULL; o++) {
        const char *env = getenv(o->name);
        int rc;

        if (env != NULL && env[0] == '\0' && o->type != MUE_CONFIG_STR)
            env = NULL; /* VAR= means "not set" for numbers and secrets */
        if (env == NULL && o->required) {
            mue_log_error("config.missing", "var=%s reason=\"required, no default\"", o->name);
            return MUE_ECONFIG;
        }
        rc = apply(o, cfg, env != NULL ? env : o->def);
        if (rc < 0)
            return rc;
    }
    return MUE_OK;
}

void mue_config_log(const struct mue_config_option *opts, const void *cfg)
{
    char line[1536];
    size_t used = 0;

    line[0] = '\0';
    for (const struct mue_config_option *o = opts; o->name != NULL; o++) {
        const char *field = (const char *)cfg + o->offset;
        char quoted[256], plain[256];
        int n = 0;

        switch (o->type) {
        case MUE_CONFIG_STR: {
            /* A URL may carry credentials (nats://user:password@host): they are not shown. */
            const char *s = *(const char *const *)(const void *)field;
            n = snprintf(
                line + used, sizeof(line) - used, "%s%s=\"%s\"", used ? " " : "", o->name,
                s ? mue_log_quote(quoted, sizeof(quoted), mue_redact_url(plain, sizeof(plain), s))
                  : "");
            break;
        }
        case MUE_CONFIG_SECRET: {
            const char *s = *(const char *const *)(const void *)field;
            n = snprintf(line + used, sizeof(line) - used, "%s%s=%s", used ? " " : "", o->name,
                         s ? "***" : "\"\"");
            break;
        }
        case MUE_CONFIG_INT:
            n = snprintf(line + used, sizeof(line) - used, "%s%s=%ld", used ? " " : "", o->name,
                         *(const long *)(const void *)field);
            break;
        case MUE_CONFIG_BOOL:
            n = snprintf(line + used, sizeof(line) - used, "%s%s=%s", used ? " " : "", o->name,
                         *(const int *)(const void *)field ? "true" : "false");
            break;
        case MUE_CONFIG_END:
            break;
        }
        if (n < 0 || (size_t)n >= sizeof(line) - used)
            break;
        used += (size_t)n;
    }
    mue_log_info("config.loaded", "%s", line);
}

void mue_config_print_help(FILE *out, const char *prog, const char *summary,
                           const struct mue_config_option *opts)
{
    fprintf(out, "%s - %s\n\nUsage: %s [--help]\n\nConfigured by environment variables:\n\n", prog,
            summary, prog);
    for (const struct mue_config_option *o = opts; o->name != NULL; o++) {
        fprintf(out, "  %-32s %s\n", o->name, o->help);
        if (o->required)
            fprintf(out, "  %-32s (required)\n", "");
        else if (o->type == MUE_CONFIG_INT)
            fprintf(out, "  %-32s default %s, range %ld..%ld\n", "", o->def ? o->def : "none",
                    o->min, o->max);
        else if (o->type == MUE_CONFIG_SECRET)
            fprintf(out, "  %-32s secret%s\n", "", o->def ? ", has a default" : ", optional");
        else
            fprintf(out, "  %-32s default %s\n", "", o->def ? o->def : "(unset)");
    }
    fprintf(out,
            "\nLog lines are logfmt on stderr; MUE_LOG_LEVEL is debug, info, warn or error.\n");
}

int mue_config_args(int argc, char **argv, const char *prog, const char *summary,
                    const struct mue_config_option *opts)
{
    if (argc < 2)
        return 0;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        mue_config_print_help(stdout, prog, summary, opts);
        return 1;
    }
    fprintf(stderr, "%s: unknown argument '%s' (try --help; settings come from the environment)\n",
            prog, argv[1]);
    return -1;
}
