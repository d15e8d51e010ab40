/* downlink_retry.c - the retry rule of the forwarder: which failures are worth another attempt,
 * which may have queued the downlink all the same, and how long to wait before the next one.
 * SPDX-License-Identifier: MIT */
#include <errno.h>

#include "downlink.h"
#include "mue_err.h"

enum downlink_outcome downlink_retry_classify(int rc, int status)
{
    if (rc == MUE_OK) {
        if (status >= 200 && status <= 299)
            return DOWNLINK_ACCEPTED;
        /* 429: The Things Stack rate-limits downlink queues per application; 408: the server
         * gave up waiting for us. Both say "later", as every 5xx does. */
        if (status == 429 || status == 408 || (status >= 500 && status <= 599))
            return DOWNLINK_TRANSIENT;
        return DOWNLINK_REFUSED; /* 4xx: the same request would be refused again */
    }
    /* A request mue could not even form, or an https URL without TLS, fails the same way every
     * time. */
    if (rc == MUE_EINVAL || rc == MUE_ECONFIG || rc == -EPROTONOSUPPORT)
        return DOWNLINK_REFUSED;
    /* Timeouts, refused or broken connections, names that do not resolve, TLS and garbled
     * answers: the network or the server, which may recover. The attempts are bounded. */
    return DOWNLINK_TRANSIENT;
}

bool downlink_retry_may_have_queued(int rc, int status, bool sent)
{
    if (downlink_retry_classify(rc, status) != DOWNLINK_TRANSIENT)
        return false;
    if (rc != MUE_OK)
        return sent;
    /* A proxy in front of the API (nginx, a load balancer) says 502 when the server broke off
     * and 504 when it was too slow: either may have come after the server queued it. The API's
     * own 500 (a failed database write), 503, 429 and 408 come before anything is queued. */
    return status == 502 || status == 504;
}

long downlink_retry_delay_ms(uint32_t attempt, long base_ms, long cap_ms, long retry_after_ms,
                             uint32_t random)
{
    long d = base_ms > 0 ? base_ms : 1, half;

    if (cap_ms < 1)
        cap_ms = 1;
    for (uint32_t i = 1; i < attempt && d < cap_ms; i++)
        d *= 2;
    if (d > cap_ms)
        d = cap_ms;
    /* Equal jitter: never less than half the pause, so a failing server still gets its rest,
     * and spread over the other half, so many downlinks do not come back together. */
    half = d / 2;
    d = half + (long)(random % (uint32_t)(d - half + 1));
    if (retry_after_ms > d)
        d = retry_after_ms < cap_ms ? retry_after_ms : cap_ms;
    return d;
}
