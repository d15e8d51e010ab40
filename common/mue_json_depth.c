/* mue_json_depth.c - a single pass over JSON text that counts nesting outside strings.
 * SPDX-License-Identifier: MIT */
#include "mue_json_depth.h"

static int depth_limit = MUE_JSON_DEPTH_DEFAULT; /* set once at start, then only read */

void mue_json_depth_set_limit(int levels)
{
    depth_limit = levels < 1 ? 1 : levels;
}

int mue_json_depth_limit(void)
{
    return depth_limit;
}

bool mue_json_deeper_than(const char *text, size_t len, int levels)
{
    long depth = 0;
    bool in_string = false;

    if (text == NULL)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++; /* the escaped character cannot end the string */
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > levels)
                return true;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return false;
}

bool mue_json_too_deep(const char *text, size_t len)
{
    return mue_json_deeper_than(text, len, depth_limit);
}
