/* auth.h - who is calling: no key is the public; a bearer key is looked up by its SHA-256 in
 * table api_key (deploy/sql/0006_api.sql), and gives its role and scope.
 * SPDX-License-Identifier: MIT */
#ifndef AUTH_H
#define AUTH_H

#include "api.h"

/* Fills r->who from the Authorization header (NULL when absent) using r->db. Returns 0 (the
 * public, or a valid key), MUE_EAUTH for a key that is malformed, unknown or revoked, MUE_EDB. */
int auth_caller(struct api_req *r, const char *authorization);

/* Frees what auth_caller allocated in 'c'. */
void auth_caller_free(struct api_caller *c);

/* The name of a role bit ("public", "directorate", ...), and the bit of a name (0 if none). */
const char *auth_role_name(unsigned role);
unsigned auth_role_parse(const char *name);

#endif
