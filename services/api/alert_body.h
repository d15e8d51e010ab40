/* alert_body.h - the bodies of the alert routes checked without a connection: the comment of an
 * acknowledgement or a resolution, and the fields of a rule's edit (docs/alerts.md).
 * SPDX-License-Identifier: MIT */
#ifndef ALERT_BODY_H
#define ALERT_BODY_H

#include <stddef.h>

#include <jansson.h>

/* The longest comment and the longest title or description, in bytes. */
#define ALERT_BODY_TEXT_MAX 2000

/* The body of POST /v1/alerts/{id}/ack or /resolve ({"comment": text or null}, optional; other
 * members are ignored; 'body' NULL when the request had none). Returns 0 with *comment (borrowed
 * from body; "" without one), or -1 with the reason in why. */
int alert_body_comment(const json_t *body, const char **comment, char *why, size_t cap);

/* The body of PUT /v1/alert-rules/{name}: at least one field, each one an edit may change with a
 * value of its type (title, description: text; threshold, hysteresis, silence_factor: a finite
 * number or null; duration_s, window_s, escalate_after_s: 0..366 days in seconds or null;
 * enabled, auto_resolve: true or false; severity: info, warning or critical; active_from,
 * active_to: HH:MM up to 24:00, or null). Returns 0, or -1 with the reason (the first field at
 * fault) in why. Whether the rule stays coherent is the table's CHECKs' to say. */
int alert_body_rule_edit(json_t *body, char *why, size_t cap);

#endif
