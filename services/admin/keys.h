/* keys.h - "mue-admin keys": the API keys of mue-api (table api_key, deploy/sql/0006_api.sql).
 * SPDX-License-Identifier: MIT */
#ifndef KEYS_H
#define KEYS_H

/* A made key: 32 random bytes in base64url without padding. */
#define KEYS_LEN 43
/* An imported key (--key) is at least this long. */
#define KEYS_MIN_IMPORT 24

/* Runs "keys create|list|revoke ..." (argv[0] is "keys"):
 *   create --name NAME --role ROLE [--use-case UC,...] [--device EUI,...] [--key KEY]
 *     makes a key (or imports KEY), keeps only its SHA-256 hex, prints the key alone on stdout
 *     and "key ID created for ROLE: it is shown once" on stderr. A directorate needs existing
 *     use cases, a partner registered DevEUIs; the lists belong to those roles only. Importing
 *     a key already stored under the same name and role is not an error ("key already present",
 *     the key printed again): a local stack registers its key at every start.
 *   list
 *     one JSON object a line: id, name, role, use_cases, devices, created_at, revoked_at; never
 *     the hash.
 *   revoke ID
 *     the key stops working at once (mue-api looks keys up on every request).
 * Create and revoke write an audit_log row in the same statement (actor "mue-admin", action
 * key.create or key.revoke, target the key's id, detail {name, role}).
 * Returns the exit status: 0, 1 (refused: unknown use case or device, unknown id, key stored under
 * another name or role; database unavailable), 2 (bad arguments). */
int keys_command(int argc, char **argv, const char *pg_dsn);

#endif
