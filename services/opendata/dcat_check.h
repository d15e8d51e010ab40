/* dcat_check.h - syntax checks on what goes into the catalogue: UTF-8, IRIs, ISO 8601 dates,
 * slugs, media types. Internal to dcat*.c.
 * SPDX-License-Identifier: MIT */
#ifndef DCAT_CHECK_H
#define DCAT_CHECK_H

#include <stdbool.h>

/* Well-formed UTF-8: no overlong form, no surrogate, nothing past U+10FFFF. */
bool dcat_is_utf8(const char *s);

/* An absolute IRI Turtle can write between < and >: a scheme, a colon, something after it,
 * valid UTF-8, no space, control character or any of <>"{}|^`\ . */
bool dcat_is_iri(const char *s);

/* The XSD datatype of an ISO 8601 date ("2024-05-01" -> "xsd:date") or date-time
 * ("2024-05-01T10:00:00Z", seconds fraction and offset optional -> "xsd:dateTime");
 * NULL for anything else. The string returned is static. */
const char *dcat_date_type(const char *s);

/* A dataset id usable as a path segment: [A-Za-z0-9._-]+, not "." or "..". */
bool dcat_is_slug(const char *s);

/* An IANA media type "type/subtype" (RFC 6838 restricted names, no parameters). */
bool dcat_is_media_type(const char *s);

#endif
