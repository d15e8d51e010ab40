/* fuzz_downlink.c - libFuzzer target for what the downlink forwarder reads from outside: requests
 * from the bus, the network servers' answers, API URLs.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "downlink.h"
#include "mue_err.h"
#include "mue_http_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_token(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

/* A request that passed the checks must make a well-formed call to either network server. */
static void check_request(const struct downlink_request *rq)
{
    struct downlink_config cfg = { "http://cs:8090",
                                   "t",
                                   "https://tts.example",
                                   "k",
                                   "app-1",
                                   "mue",
                                   5000,
                                   8,
                                   1000,
                                   NULL,
                                   NULL,
                                   NULL };
    struct downlink_call call;
    char reason[160];
    json_t *doc;

    if (!is_token(rq->id, DOWNLINK_MAX_ID) || strlen(rq->network) == 0 ||
        strlen(rq->dev_eui) != 16 || strspn(rq->dev_eui, "0123456789abcdef") != 16 ||
        rq->f_port < 1 || rq->f_port > 223 || rq->payload_len > DOWNLINK_MAX_PAYLOAD ||
        rq->expires_at_us < 0)
        abort();
    if ((rq->application_id[0] && !downlink_is_tts_id(rq->application_id)) ||
        (rq->device_id[0] && !downlink_is_tts_id(rq->device_id)))
        abort();
    if (downlink_chirpstack_call(rq, &cfg, &call, reason, sizeof(reason)) != 0)
        abort();
    doc = json_loadb(call.body, call.body_len, 0, NULL);
    if (doc == NULL)
        abort();
    json_decref(doc);
    downlink_call_fini(&call);
    if (downlink_tts_call(rq, &cfg, &call, reason, sizeof(reason)) != 0)
        abort();
    doc = json_loadb(call.body, call.body_len, 0, NULL);
    if (doc == NULL || strchr(call.url, '?') != NULL || strstr(call.url, "..") != NULL)
        abort();
    json_decref(doc);
    downlink_call_fini(&call);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly the bytes, so ASan catches any read past them. */
    char *body;
    char reason[96], id[64], msg[48];
    struct downlink_request rq;
    struct mue_http_url u;
    size_t n;
    int rc;

    if (size == 0)
        return 0;
    n = size - 1;
    body = malloc(n > 0 ? n : 1);
    if (body == NULL)
        return 0;
    memcpy(body, data + 1, n);
    switch (data[0] % 3) {
    case 0: /* an API's answer */
        rc = downlink_chirpstack_parse_answer(body, n, id, sizeof(id), reason, sizeof(reason));
        if (rc == 0 && (strlen(id) == 0 || strlen(id) > 63 ||
                        strspn(id, "0123456789abcdefABCDEF-") != strlen(id)))
            abort();
        if (rc != 0 && (rc != MUE_EDECODE || memchr(reason, '\0', sizeof(reason)) == NULL))
            abort();
        downlink_error_message(body, n, msg, sizeof(msg));
        if (memchr(msg, '\0', sizeof(msg)) == NULL)
            abort();
        for (const char *c = msg; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                abort();
        break;
    case 1: /* a DownlinkRequest from the bus */
        rc = downlink_request_decode(body, n, &rq, reason, sizeof(reason));
        if (rc == 0)
            check_request(&rq);
        else if (rc != MUE_EDECODE || reason[0] == '\0')
            abort();
        break;
    default: { /* an API URL from the environment */
        char *text = malloc(n + 1);
        if (text == NULL)
            break;
        memcpy(text, body, n);
        text[n] = '\0';
        if (mue_http_url_parse(text, &u) == 0 &&
            (u.host[0] == '\0' || u.port < 1 || u.port > 65535 || strchr(u.path, '#') != NULL ||
             (u.path[0] != '\0' && u.path[0] != '/')))
            abort();
        free(text);
        break;
    }
    }
    free(body);
    return 0;
}
