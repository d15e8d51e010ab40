/* mue_err.h - the one error type of mue: an int, 0 or a count on success, a negative code on
 * failure. SPDX-License-Identifier: MIT */
#ifndef MUE_ERR_H
#define MUE_ERR_H

#include <errno.h>

/* System errors pass through as -errno; mue's own codes sit far below them. */
enum {
    MUE_OK = 0,
    MUE_ENOMEM = -ENOMEM,
    MUE_EINVAL = -EINVAL,
    MUE_ETIMEDOUT = -ETIMEDOUT,
    MUE_ENOENT = -ENOENT,
    MUE_E2BIG = -E2BIG,
    MUE_EDECODE = -1000,  /* bytes or text that do not follow their format */
    MUE_EBUS = -1001,     /* NATS or JetStream refused or is unreachable */
    MUE_EDB = -1002,      /* PostgreSQL refused or is unreachable */
    MUE_ECONFIG = -1003,  /* a setting is missing or out of range */
    MUE_EAUTH = -1004,    /* a caller presented no or a wrong secret */
    MUE_EUNKNOWN = -1005, /* a device, model or route that is not registered */
    MUE_ENOTSUP = -1006   /* well-formed, but a kind of message mue does not handle */
};

/* Names a code: mue's own, or strerror() of a -errno. The string is static. */
const char *mue_strerror(int code);

#endif
