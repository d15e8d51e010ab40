/* fuzz_downlink_queue.c - libFuzzer target for the device queue listings the downlink forwarder
 * reads from the network servers (ChirpStack's GetQueue, The Things Stack's DownlinkQueueList).
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "downlink.h"
#include "mue_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_IDS 4

static bool is_queue_id(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n < DOWNLINK_REF_CAP && strspn(s, "0123456789abcdefABCDEF-") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ids[MAX_IDS][DOWNLINK_REF_CAP], reason[96];
    struct downlink_request rq;
    char *body;
    size_t n;
    int rc;

    if (size == 0)
        return 0;
    /* The first byte picks the parser and the request's port, flag and payload. */
    memset(&rq, 0, sizeof(rq));
    strcpy(rq.id, "admin:70b3d5e75e001a2b:1750000000000000");
    strcpy(rq.dev_eui, "70b3d5e75e001a2b");
    rq.f_port = 15u + ((data[0] >> 1) & 1u);
    rq.confirmed = (data[0] & 4) != 0;
    rq.payload_len = (data[0] >> 3) & 3u;
    memset(rq.payload, 0xbe, rq.payload_len);
    /* A heap copy of exactly the bytes, so ASan catches any read past them. */
    n = size - 1;
    body = malloc(n > 0 ? n : 1);
    if (body == NULL)
        return 0;
    memcpy(body, data + 1, n);
    memset(ids, 0x5a, sizeof(ids));
    if (data[0] & 1) {
        strcpy(rq.network, "chirpstack");
        rc = downlink_chirpstack_find_queued(body, n, &rq, ids, MAX_IDS, reason, sizeof(reason));
        if (rc > MAX_IDS || (rc < 0 && rc != MUE_EDECODE))
            abort();
        for (int i = 0; i < rc; i++)
            if (memchr(ids[i], '\0', DOWNLINK_REF_CAP) == NULL || !is_queue_id(ids[i]))
                abort();
    } else {
        strcpy(rq.network, "tts");
        rc = downlink_tts_find_queued(body, n, &rq, reason, sizeof(reason));
        if (rc != 0 && rc != 1 && rc != MUE_EDECODE)
            abort();
    }
    if (rc == MUE_EDECODE && (memchr(reason, '\0', sizeof(reason)) == NULL || reason[0] == '\0'))
        abort();
    free(body);
    return 0;
}
