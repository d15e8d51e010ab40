/* mue_service.h - what every service's main() does first: arguments, settings, logging, signals,
 * and the health check over its bus and database.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_SERVICE_H
#define MUE_SERVICE_H

#include <stddef.h>

#include "mue_config.h"

struct mue_bus;
struct mue_db;

/* Handles --help (prints the table) and bad arguments, loads 'opts' into 'cfg', starts logging as
 * 'svc' at the level of the table's MUE_LOG_LEVEL option (a string; "info" when the table has
 * none), installs the signal handlers and logs the effective settings. Returns -1 to go on, or
 * the exit status main() must return: 0 after --help, 2 for bad arguments or settings. */
int mue_service_setup(int argc, char **argv, const char *svc, const char *summary,
                      const struct mue_config_option *opts, void *cfg);

/* What a service depends on; a NULL member is not checked. */
struct mue_service_deps {
    struct mue_bus *bus;
    struct mue_db *db;
};

/* A mue_admin_health_fn over a struct mue_service_deps: unhealthy while the bus is disconnected
 * or the database was last seen down. */
int mue_service_health(void *deps, char *reason, size_t cap);

#endif
