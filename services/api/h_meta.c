/* h_meta.c - the caller's own view (GET /v1/me): role, name, scope.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "handlers.h"

int h_me(struct api_req *r)
{
    json_t *o = json_pack("{s:s, s:s}", "role", auth_role_name(r->who.role), "name", r->who.name);

    if (r->who.key_id != 0)
        json_object_set_new(o, "key_id", json_integer(r->who.key_id));
    if (r->who.use_cases != NULL)
        json_object_set_new(o, "use_cases", json_string(r->who.use_cases));
    if (r->who.devices != NULL)
        json_object_set_new(o, "devices", json_string(r->who.devices));
    return api_json(r, 200, o);
}
