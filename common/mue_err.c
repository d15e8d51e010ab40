/* mue_err.c - names of mue's error codes.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "mue_err.h"

const char *mue_strerror(int code)
{
    switch (code) {
    case MUE_OK:
        return "ok";
    case MUE_EDECODE:
        return "malformed input";
    case MUE_EBUS:
        return "message bus unavailable";
    case MUE_EDB:
        return "database unavailable";
    case MUE_ECONFIG:
        return "invalid configuration";
    case MUE_EAUTH:
        return "authentication failed";
    case MUE_EUNKNOWN:
        return "not registered";
    case MUE_ENOTSUP:
        return "not supported";
    default:
        break;
    }
    if (code < 0 && code > -4096)
        return strerror(-code);
    return "unknown error";
}
