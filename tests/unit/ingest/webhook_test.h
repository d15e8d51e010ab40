/* webhook_test.h - helpers the webhook parser unit tests share: JSON comparison, and parsing
 * through one parser of struct webhook_event.
 * SPDX-License-Identifier: MIT */
#ifndef WEBHOOK_TEST_H
#define WEBHOOK_TEST_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../mue_test.h"
#include "mue_err.h"
#include "webhook.h"

/* True when two JSON texts hold the same values (numbers are kept to all 17 digits). */
static inline int same_json(const char *a, const char *b)
{
    json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
    int same = ja != NULL && jb != NULL && json_equal(ja, jb);

    json_decref(ja);
    json_decref(jb);
    return same;
}

/* The rest needs the parser under test: define WEBHOOK_TEST_PARSE before the include as a parser
 * of the shape
 *     int parse(const char *body, size_t len, struct webhook_event *out, char *reason, size_t cap)
 * (webhook_tts_parse, webhook_thingpark_parse, webhook_liveobjects_parse). */
#ifdef WEBHOOK_TEST_PARSE

/* Every includer calls all three parse functions, so they are plain static, as they were in each
 * file: inlined, parse_raw() of an empty body makes gcc 12 warn that the parser may read the
 * uninitialised byte of its copy. */

/* What the last parse_raw() left: the event and the parser's reason. */
static struct webhook_event ev;
static char reason[200];

/* Zeroes ev, fills reason with 'x' (so a parser that leaves it alone is seen), and parses from a
 * heap copy of exactly 'len' bytes: like an HTTP body, nothing follows it, and ASan reports any
 * read past the end. Returns what the parser returns. */
static int parse_raw(const char *body, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    MUE_ASSERT(copy != NULL);
    memcpy(copy, body, len);
    memset(reason, 'x', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = '\0';
    memset(&ev, 0, sizeof(ev));
    rc = WEBHOOK_TEST_PARSE(copy, len, &ev, reason, sizeof(reason));
    free(copy);
    return rc;
}

/* parse_raw() of a C string, without its NUL. */
static int parse_s(const char *body)
{
    return parse_raw(body, strlen(body));
}

/* Parses 'squoted' with ' standing for " (JSON so written reads better in C; none of the bodies
 * needs a real apostrophe). */
static int parse_q(const char *squoted)
{
    size_t len = strlen(squoted);
    char *body = malloc(len + 1);
    int rc;

    MUE_ASSERT(body != NULL);
    for (size_t i = 0; i <= len; i++)
        body[i] = squoted[i] == '\'' ? '"' : squoted[i];
    rc = parse_raw(body, len);
    free(body);
    return rc;
}

/* parse_q(body) refuses the body as malformed (MUE_EDECODE), or as well-formed but not something
 * mue handles (MUE_ENOTSUP), with the reason 'why'. */
#define EXPECT_FAIL(body, why)                                                                     \
    do {                                                                                           \
        MUE_ASSERT_INT_EQ(parse_q(body), MUE_EDECODE);                                             \
        MUE_ASSERT_STR_EQ(reason, why);                                                            \
    } while (0)

#define EXPECT_NOTSUP(body, why)                                                                   \
    do {                                                                                           \
        MUE_ASSERT_INT_EQ(parse_q(body), MUE_ENOTSUP);                                             \
        MUE_ASSERT_STR_EQ(reason, why);                                                            \
    } while (0)

#endif /* WEBHOOK_TEST_PARSE */

#endif
