/* mue_service.c - the shared start of every service.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "mue_bus.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_service.h"
#include "mue_signal.h"

static const char *log_level_of(const struct mue_config_option *opts, const void *cfg)
{
    for (const struct mue_config_option *o = opts; o->name != NULL; o++)
        if (strcmp(o->name, "MUE_LOG_LEVEL") == 0 && o->type == MUE_CONFIG_STR)
            return *(const char *const *)(const void *)((const char *)cfg + o->offset);
    return "info";
}

int mue_service_setup(int argc, char **argv, const char *svc, const char *summary,
                      const struct mue_config_option *opts, void *cfg)
{
    char prog[64];
    enum mue_log_level level;
    const char *text;

    snprintf(prog, sizeof(prog), "mue-%s", svc);
    switch (mue_config_args(argc, argv, prog, summary, opts)) {
    case 1:
        return 0; /* --help printed */
    case -1:
        return 2;
    default:
        break;
    }
    mue_log_init(svc, MUE_LOG_INFO);
    if (mue_config_load(opts, cfg) < 0)
        return 2;
    text = log_level_of(opts, cfg);
    if (mue_log_level_parse(text, &level) < 0) {
        mue_log_error("config.invalid",
                      "var=MUE_LOG_LEVEL value=\"%s\" expected=\"debug, info, "
                      "warn or error\"",
                      text);
        return 2;
    }
    mue_log_init(svc, level);
    mue_config_log(opts, cfg);
    mue_signal_init();
    return -1;
}

int mue_service_health(void *arg, char *reason, size_t cap)
{
    const struct mue_service_deps *deps = arg;

    if (deps->bus != NULL && !mue_bus_is_connected(deps->bus)) {
        snprintf(reason, cap, "nats disconnected");
        return MUE_EBUS;
    }
    if (deps->db != NULL && !mue_db_is_up(deps->db)) {
        snprintf(reason, cap, "postgresql unreachable");
        return MUE_EDB;
    }
    return MUE_OK;
}
