/* fuzz_config.c - libFuzzer target: configuration values on any text. The text is given to each
 * option type of the loader (string, secret, integer, boolean, required) as the variable and as
 * the table's default, to the strict parsers, to MUE_LOG_LEVEL's parser and to the URL parser of
 * the *_URL settings; the startup log line and --help are made from what was loaded.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mue_config.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cfg {
    const char *str;
    const char *secret;
    long port;
    long offset;
    long any;
    int flag;
    const char *required;
};

static const char unset_str[] = "unset";
#define UNSET_STR unset_str
#define UNSET_NUM (-424242L)

static const char *const vars[] = { "MUEF_STR", "MUEF_SECRET", "MUEF_PORT",    "MUEF_OFFSET",
                                    "MUEF_ANY", "MUEF_FLAG",   "MUEF_REQUIRED" };
#define NVARS (sizeof(vars) / sizeof(vars[0]))

/* One option of each type, as services declare them; 'def' is the table's default. */
static void make_table(struct mue_config_option *t, const char *def)
{
    const struct mue_config_option opts[] = {
        MUE_OPT_STR("MUEF_STR", struct cfg, str, def, "a string"),
        MUE_OPT_SECRET("MUEF_SECRET", struct cfg, secret, def, "a secret"),
        MUE_OPT_INT("MUEF_PORT", struct cfg, port, "8080", 1, 65535, "a port"),
        MUE_OPT_INT("MUEF_OFFSET", struct cfg, offset, "-5", -10, -1, "a negative range"),
        MUE_OPT_INT("MUEF_ANY", struct cfg, any, "0", LONG_MIN, LONG_MAX, "any long"),
        MUE_OPT_BOOL("MUEF_FLAG", struct cfg, flag, "false", "a flag"),
        MUE_OPT_SECRET_REQUIRED("MUEF_REQUIRED", struct cfg, required, "a required secret"),
        MUE_OPT_END,
    };
    memcpy(t, opts, sizeof(opts));
}

static void init_cfg(struct cfg *c)
{
    *c = (struct cfg){ UNSET_STR, UNSET_STR, UNSET_NUM, UNSET_NUM, UNSET_NUM, -1, UNSET_STR };
}

/* What strtol calls a number, in full: an optional sign, digits, nothing else, no blank. */
static bool is_plain_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

static void check_parse_long(const char *text)
{
    static const long ranges[][2] = {
        { 1, 65535 }, { -10, -1 }, { LONG_MIN, LONG_MAX }, { 0, 0 }, { 1, 10000 },
    };

    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        long v = UNSET_NUM, ref;
        int rc = mue_config_parse_long(text, ranges[i][0], ranges[i][1], &v);
        bool plain = is_plain_number(text);

        errno = 0;
        ref = strtol(text, NULL, 10);
        if (rc == MUE_OK) {
            if (!plain || v != ref || v < ranges[i][0] || v > ranges[i][1])
                abort();
        } else if (rc == MUE_EINVAL) {
            if (v != UNSET_NUM)
                abort(); /* untouched */
            /* A plain number that strtol reads in full and in range is never refused. */
            if (plain && errno == 0 && ref >= ranges[i][0] && ref <= ranges[i][1])
                abort();
        } else {
            abort();
        }
    }
}

static void check_parse_bool(const char *text)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    int v = -1, want = -1;
    int rc = mue_config_parse_bool(text, &v);

    for (size_t i = 0; i < 4; i++) {
        if (strcmp(text, yes[i]) == 0)
            want = 1;
        if (strcmp(text, no[i]) == 0)
            want = 0;
    }
    if (rc != (want >= 0 ? MUE_OK : MUE_EINVAL) || v != want)
        abort();
}

static void check_log_level(const char *text)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };
    enum mue_log_level level = (enum mue_log_level)77;
    int rc = mue_log_level_parse(text, &level);

    if (rc == 0 && ((unsigned)level > MUE_LOG_ERROR || strcmp(names[level], text) != 0))
        abort();
    if (rc != 0 && (rc != MUE_EINVAL || (int)level != 77))
        abort();
}

/* A value quoted for a log line: terminated within cap, no bare quote, no control byte. */
static void check_quote(const char *text)
{
    static const unsigned long caps[] = { 1, 2, 3, 16, 128, 4096 };
    char out[4096];

    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        size_t n;

        mue_log_quote(out, caps[i], text);
        n = strnlen(out, caps[i]);
        if (n >= caps[i])
            abort();
        for (size_t k = 0; k < n; k++) {
            unsigned char c = (unsigned char)out[k];
            if (c < 0x20 || c == 0x7f)
                abort();
            if (c == '"' || c == '\\') {
                if (k + 1 >= n || (out[k + 1] != '"' && out[k + 1] != '\\'))
                    abort(); /* an escape cut in half */
                k++;
            }
        }
    }
}

/* A *_URL setting: a scheme, a host of visible characters, a port in range, no credentials, no
 * fragment, and a path that is empty or absolute. */
static void check_url(const char *text)
{
    struct mue_http_url u;
    int rc;

    memset(&u, 0x5a, sizeof(u));
    rc = mue_http_url_parse(text, &u);
    if (rc == MUE_OK) {
        size_t host_len = strnlen(u.host, sizeof(u.host));

        if (host_len == 0 || host_len >= sizeof(u.host) ||
            strnlen(u.path, sizeof(u.path)) >= sizeof(u.path) || u.port < 1 || u.port > 65535 ||
            (u.path[0] != '\0' && u.path[0] != '/') || strchr(u.path, '#') != NULL)
            abort();
        for (size_t k = 0; k < host_len; k++)
            if (!isgraph((unsigned char)u.host[k]) || strchr("/?#@[]", u.host[k]) != NULL)
                abort();
        if (strncasecmp(text, u.tls ? "https://" : "http://", u.tls ? 8 : 7) != 0)
            abort();
    } else if (rc != MUE_EINVAL) {
        abort();
    }
}

/* Whether option i, given 'text' (from the environment or as its default), holds in 'c' what it
 * should: the text, its value, or its default when the variable is empty; false when the text is
 * not one it may take. */
static bool expect(size_t i, const char *text, bool from_env, const struct cfg *c)
{
    bool unset = from_env && text[0] == '\0'; /* VAR= is "not set" but for strings */
    long v;
    int b;

    switch (i) {
    case 0:
        return c->str != UNSET_STR && strcmp(c->str, text) == 0;
    case 1:
        return c->secret != UNSET_STR && strcmp(c->secret, unset ? "the default" : text) == 0;
    case 2:
        if (unset)
            return c->port == 8080;
        return mue_config_parse_long(text, 1, 65535, &v) == MUE_OK && c->port == v;
    case 3:
        if (unset)
            return c->offset == -5;
        return mue_config_parse_long(text, -10, -1, &v) == MUE_OK && c->offset == v;
    case 4:
        if (unset)
            return c->any == 0;
        return mue_config_parse_long(text, LONG_MIN, LONG_MAX, &v) == MUE_OK && c->any == v;
    case 5:
        if (unset)
            return c->flag == 0;
        return mue_config_parse_bool(text, &b) == MUE_OK && c->flag == b;
    default:
        return !unset && c->required != UNSET_STR && strcmp(c->required, text) == 0;
    }
}

/* Option i gets the text, from the environment or as the table's default (the required secret,
 * which has none, is then set to "set"); every other option has its usual default. The load
 * succeeds exactly when the option takes the text, and the field holds what it should. */
static void check_load(size_t i, const char *text, bool from_env)
{
    struct mue_config_option table[NVARS + 1];
    struct cfg c;
    int rc;
    bool taken;

    make_table(table, "the default");
    if (from_env)
        setenv(vars[i], text, 1);
    else
        table[i].def = text;
    if (i != NVARS - 1)
        setenv("MUEF_REQUIRED", "set", 1);
    else if (!from_env)
        setenv("MUEF_REQUIRED", text, 1); /* a required option has no default to try */
    init_cfg(&c);
    rc = mue_config_load(table, &c);
    for (size_t k = 0; k < NVARS; k++)
        unsetenv(vars[k]);
    if (rc != MUE_OK && rc != MUE_ECONFIG)
        abort();
    taken = rc == MUE_OK && expect(i, text, from_env || i == NVARS - 1, &c);
    /* The load's verdict is the option's: a refusal is never silent, a value never bent. */
    if ((rc == MUE_OK) != taken)
        abort();
    if (rc == MUE_OK) {
        if (c.port < 1 || c.port > 65535 || c.offset < -10 || c.offset > -1 ||
            (c.flag != 0 && c.flag != 1) || c.required == UNSET_STR)
            abort();
        mue_config_log(table, &c);
    }
    /* --help prints every default: once, with the text as the string's. */
    if (i == 0 && !from_env)
        mue_config_print_help(stdout, "mue-fuzz", "fuzzing", table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int started;
    size_t len = strnlen((const char *)data, size);
    char *text = malloc(len + 1);

    if (!started) {
        /* Silence: the loader logs every refusal, and --help goes to stdout. */
        mue_log_min_level = (enum mue_log_level)(MUE_LOG_ERROR + 1);
        if (freopen("/dev/null", "w", stdout) == NULL)
            abort();
        started = 1;
    }
    /* An environment variable is text up to its first NUL. */
    memcpy(text, data, len);
    text[len] = '\0';
    check_parse_long(text);
    check_parse_bool(text);
    check_log_level(text);
    check_quote(text);
    check_url(text);
    for (size_t i = 0; i < NVARS; i++) {
        check_load(i, text, true);
        check_load(i, text, false);
    }
    free(text);
    return 0;
}
