/* webhook_chirpstack_pbstruct.c - the codec's "object" of a Protobuf UplinkEvent (a
 * google.protobuf.Struct): its nesting bounded before unpacking, then written as compact JSON.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "chirpstack/integration.pb-c.h"
#include "mue_err.h"
#include "mue_http_guard.h"
#include "mue_json_depth.h"
#include "webhook_chirpstack.h"

/* In a JSON body the object sits one level below the root, so the JSON marshaler allows it one
 * level less than the process's JSON limit: the same holds here. */
static int object_max_depth(void)
{
    return mue_json_depth_limit() - 1;
}

/* The messages on the way down to a Struct's leaves, as the depth scan sees them. */
enum wire_msg { MSG_NONE, MSG_EVENT, MSG_STRUCT, MSG_ENTRY, MSG_VALUE, MSG_LIST };

/* The message a length-delimited 'field' of 'parent' holds, and the levels it adds. */
static enum wire_msg child_of(enum wire_msg parent, uint64_t field, int *levels)
{
    *levels = 0;
    switch (parent) {
    case MSG_EVENT: /* UplinkEvent.object */
        *levels = 1;
        return field == 11 ? MSG_STRUCT : MSG_NONE;
    case MSG_STRUCT: /* Struct.fields, a map entry */
        return field == 1 ? MSG_ENTRY : MSG_NONE;
    case MSG_ENTRY: /* FieldsEntry.value */
        return field == 2 ? MSG_VALUE : MSG_NONE;
    case MSG_VALUE: /* Value.struct_value, Value.list_value */
        *levels = 1;
        return field == 5 ? MSG_STRUCT : field == 6 ? MSG_LIST : MSG_NONE;
    case MSG_LIST: /* ListValue.values */
        return field == 1 ? MSG_VALUE : MSG_NONE;
    case MSG_NONE:
        break;
    }
    return MSG_NONE;
}

static bool read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;

    for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* 1: deeper than allowed; -1: framing the scan cannot follow (truncated, groups, bad wire
 * types), refused too, as the scan must see every byte the unpacker will; 0: fine. */
static int scan(const uint8_t *p, const uint8_t *end, enum wire_msg msg, int depth)
{
    while (p < end) {
        uint64_t tag, n;
        enum wire_msg child;
        int levels, rc;

        if (!read_varint(&p, end, &tag))
            return -1;
        switch (tag & 7) {
        case 0:
            if (!read_varint(&p, end, &n))
                return -1;
            break;
        case 1:
            if (end - p < 8)
                return -1;
            p += 8;
            break;
        case 5:
            if (end - p < 4)
                return -1;
            p += 4;
            break;
        case 2:
            if (!read_varint(&p, end, &n) || n > (uint64_t)(end - p))
                return -1;
            child = child_of(msg, tag >> 3, &levels);
            if (child != MSG_NONE) {
                if (depth + levels > object_max_depth())
                    return 1;
                rc = scan(p, p + n, child, depth + levels);
                if (rc != 0)
                    return rc;
            }
            p += n;
            break;
        default:
            return -1;
        }
    }
    return 0;
}

int chirpstack_pb_check_object_depth(const uint8_t *body, size_t len, struct webhook_reason *r)
{
    char what[48];
    int rc = scan(body, body + len, MSG_EVENT, 0);

    if (rc < 0)
        return webhook_json_fail(r, NULL, NULL, "not a Protobuf UplinkEvent");
    if (rc > 0) {
        mue_http_guard_count(MUE_HTTP_JSON_TOO_DEEP);
        snprintf(what, sizeof(what), "nested deeper than %d levels", object_max_depth());
        return webhook_json_fail(r, "", "object", what);
    }
    return 0;
}

static int struct_json(const Chirpstack__Integration__Struct *s, int depth, json_t **out,
                       struct webhook_reason *r);

static int list_json(const Chirpstack__Integration__ListValue *l, int depth, json_t **out,
                     struct webhook_reason *r);

/* A Value without a kind has no JSON form: it is written as null, as an absent one would be. */
static int value_json(const Chirpstack__Integration__Value *v, int depth, json_t **out,
                      struct webhook_reason *r)
{
    *out = NULL;
    if (v == NULL) {
        *out = json_null();
        return 0;
    }
    switch (v->kind_case) {
    case CHIRPSTACK__INTEGRATION__VALUE__KIND_NUMBER_VALUE:
        if (!isfinite(v->number_value))
            return webhook_json_fail(r, "", "object", "number not finite");
        *out = json_real(v->number_value);
        break;
    case CHIRPSTACK__INTEGRATION__VALUE__KIND_STRING_VALUE:
        if (!chirpstack_is_utf8(v->string_value))
            return webhook_json_fail(r, "", "object", "string not UTF-8");
        *out = json_string(v->string_value);
        break;
    case CHIRPSTACK__INTEGRATION__VALUE__KIND_BOOL_VALUE:
        *out = json_boolean(v->bool_value);
        break;
    case CHIRPSTACK__INTEGRATION__VALUE__KIND_STRUCT_VALUE:
        return struct_json(v->struct_value, depth + 1, out, r);
    case CHIRPSTACK__INTEGRATION__VALUE__KIND_LIST_VALUE:
        return list_json(v->list_value, depth + 1, out, r);
    default:
        *out = json_null();
        break;
    }
    return *out != NULL ? 0 : webhook_json_fail(r, "", "object", "not representable");
}

static int list_json(const Chirpstack__Integration__ListValue *l, int depth, json_t **out,
                     struct webhook_reason *r)
{
    json_t *a;

    if (depth > object_max_depth())
        return webhook_json_fail(r, "", "object", "nested too deep");
    a = json_array();
    for (size_t i = 0; l != NULL && i < l->n_values; i++) {
        json_t *v;
        int rc = value_json(l->values[i], depth, &v, r);
        if (rc < 0) {
            json_decref(a);
            return rc;
        }
        json_array_append_new(a, v);
    }
    *out = a;
    return 0;
}

static int struct_json(const Chirpstack__Integration__Struct *s, int depth, json_t **out,
                       struct webhook_reason *r)
{
    json_t *o;

    if (depth > object_max_depth())
        return webhook_json_fail(r, "", "object", "nested too deep");
    o = json_object();
    for (size_t i = 0; s != NULL && i < s->n_fields; i++) {
        const Chirpstack__Integration__Struct__FieldsEntry *f = s->fields[i];
        json_t *v;
        int rc = 0;

        if (!chirpstack_is_utf8(f->key))
            rc = webhook_json_fail(r, "", "object", "key not UTF-8");
        /* As in JSON bodies: two readers of one map must not see two different values. */
        else if (json_object_get(o, f->key) != NULL)
            rc = webhook_json_fail(r, "", "object", "duplicate key");
        if (rc == 0)
            rc = value_json(f->value, depth, &v, r);
        if (rc < 0) {
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, f->key, v);
    }
    *out = o;
    return 0;
}

int chirpstack_pb_struct_text(const struct Chirpstack__Integration__Struct *s, char *out,
                              size_t cap, struct webhook_reason *r)
{
    json_t *o = NULL;
    size_t need;
    int rc = struct_json(s, 1, &o, r);

    out[0] = '\0';
    if (rc < 0)
        return rc;
    need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (need == 0 || need >= cap) {
        rc = webhook_json_fail(r, "", "object", "decoded object too large");
    } else {
        json_dumpb(o, out, cap, JSON_COMPACT | JSON_PRESERVE_ORDER);
        out[need] = '\0';
    }
    json_decref(o);
    return rc;
}
