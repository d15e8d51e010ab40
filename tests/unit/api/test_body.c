/* test_body.c - a request body read as a JSON object: objects pass, anything else and a key given
 * twice are refused with the reason the API answers.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "../mue_test.h"
#include "body.h"

static int parse(const char *text, json_t **out, char why[256])
{
    why[0] = '\0';
    return body_parse(text, strlen(text), out, why, 256);
}

static void test_an_object_is_read(void)
{
    json_t *body = NULL;
    char why[256];

    MUE_ASSERT_INT_EQ(parse("{\"comment\": \"tourn\\u00e9e avanc\\u00e9e\"}", &body, why), 0);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(body, "comment")), "tournée avancée");
    json_decref(body);
    /* Only len bytes are read: what follows them is not the body's. */
    MUE_ASSERT_INT_EQ(body_parse("{}garbage", 2, &body, why, sizeof(why)), 0);
    MUE_ASSERT_INT_EQ(json_object_size(body), 0);
    json_decref(body);
}

static void test_anything_else_is_refused_with_a_reason(void)
{
    json_t *body = (json_t *)1;
    char why[256];

    MUE_ASSERT_INT_EQ(parse("[1, 2, 3]", &body, why), -1);
    MUE_ASSERT(body == NULL);
    MUE_ASSERT_STR_EQ(why, "the body must be a JSON object");
    MUE_ASSERT_INT_EQ(parse("{\"name\": ", &body, why), -1);
    MUE_ASSERT(body == NULL);
    MUE_ASSERT(strncmp(why, "the body is not JSON: ", 22) == 0);
    MUE_ASSERT(strstr(why, "(line 1)") != NULL);
    MUE_ASSERT_INT_EQ(parse("", &body, why), -1);
    MUE_ASSERT(strncmp(why, "the body is not JSON: ", 22) == 0);
}

static void test_a_key_given_twice_is_refused(void)
{
    json_t *body = NULL;
    char why[256];

    MUE_ASSERT_INT_EQ(parse("{\"name\": \"a\", \"name\": \"b\"}", &body, why), -1);
    MUE_ASSERT(body == NULL);
    MUE_ASSERT(strstr(why, "duplicate") != NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_an_object_is_read),
        MUE_TEST(test_anything_else_is_refused_with_a_reason),
        MUE_TEST(test_a_key_given_twice_is_refused),
    };
    return mue_test_run("body", tests);
}
