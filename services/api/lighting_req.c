/* lighting_req.c - mue-lighting's bus requests as mue-api makes them: checks before asking,
 * request bodies, the call, and the status an answer becomes.
 * SPDX-License-Identifier: MIT */
#include "lighting_req.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_subjects.h"

bool lighting_req_id_is_valid(const char *id)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-";
    size_t len = strlen(id);

    return len >= 1 && len <= 63 && strspn(id, alphabet) == len;
}

bool lighting_req_group_is_valid(const char *name)
{
    static const char first[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static const char rest[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
    size_t len = strlen(name);

    return len >= 1 && len <= 64 && strchr(first, name[0]) != NULL &&
           strspn(name + 1, rest) == len - 1;
}

int lighting_req_date_parse(const char *s, int64_t *days)
{
    int y, m, d, y2, m2, d2;

    if (strlen(s) != 10 || strspn(s, "0123456789") != 4 || s[4] != '-' ||
        strspn(s + 5, "0123456789") != 2 || s[7] != '-' || strspn(s + 8, "0123456789") != 2)
        return -1;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    /* A day past the month's end would be carried into the next: the round trip refuses it. */
    int64_t n = mue_localtime_days_from_civil(y, m, d);
    mue_localtime_civil_from_days(n, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return -1;
    *days = n;
    return 0;
}

void lighting_req_date_format(int64_t days, char out[11])
{
    int y, m, d;

    mue_localtime_civil_from_days(days, &y, &m, &d);
    /* Years stay within 1..9999 here (dates from lighting_req_date_parse or the clock); the
     * modulos only tell the compiler the text fits. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int64_t lighting_req_local_day(int64_t t_s)
{
    return mue_localtime_day(t_s);
}

json_t *lighting_req_new(json_t *fields, const char *key_name, int64_t key_id)
{
    char actor[128];

    snprintf(actor, sizeof(actor), "key:%s", key_name);
    json_object_set_new(fields, "actor", json_string(actor));
    json_object_set_new(fields, "key_id",
                        key_id != 0 ? json_integer((json_int_t)key_id) : json_null());
    return fields;
}

int lighting_req_doc_id(json_t *doc, const char *path_id, const char *what, char *why, size_t cap)
{
    json_t *id = json_object_get(doc, "id");

    if (id == NULL) {
        json_object_set_new(doc, "id", json_string(path_id));
        return 0;
    }
    if (!json_is_string(id))
        return snprintf(why, cap, "the %s's id is text", what), -1;
    if (strcmp(json_string_value(id), path_id) != 0)
        return snprintf(why, cap, "the %s's id (%.64s) is not the path's (%s)", what,
                        json_string_value(id), path_id),
               -1;
    return 0;
}

int lighting_req_assignment(json_t *body, const char *group, json_t **out, char *why, size_t cap)
{
    json_t *calendar = json_object_get(body, "calendar"),
           *priority = json_object_get(body, "priority");
    const char *key;
    json_t *v;

    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "calendar") != 0 && strcmp(key, "priority") != 0 &&
            strcmp(key, "group") != 0)
            return snprintf(why, cap, "%.64s is not a member of an assignment (calendar, priority)",
                            key),
                   -1;
    }
    v = json_object_get(body, "group");
    if (v != NULL && (!json_is_string(v) || strcmp(json_string_value(v), group) != 0))
        return snprintf(why, cap, "the assignment's group is the path's (%s)", group), -1;
    if (!json_is_string(calendar) || !lighting_req_id_is_valid(json_string_value(calendar)))
        return snprintf(why, cap, "calendar is a calendar's id (1 to 63 of A-Z a-z 0-9 _ . : -)"),
               -1;
    /* Its range is mue-lighting's to say. */
    if (priority != NULL && !json_is_null(priority) && !json_is_integer(priority))
        return snprintf(why, cap, "priority is a whole number"), -1;
    *out = json_pack("{s:s, s:O}", "group", group, "calendar", calendar);
    if (priority != NULL && !json_is_null(priority))
        json_object_set(*out, "priority", priority);
    return 0;
}

/* Checks "dev_euis" and returns them lower-cased (a new reference), or NULL with why. */
static json_t *dev_euis(json_t *v, char *why, size_t cap)
{
    json_t *out, *e;
    size_t i;

    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 1000) {
        snprintf(why, cap, "dev_euis is a list of 1 to 1000 DevEUIs");
        return NULL;
    }
    out = json_array();
    json_array_foreach(v, i, e)
    {
        const char *s = json_string_value(e);
        char eui[17];

        if (s == NULL || strlen(s) != 16 || strspn(s, "0123456789abcdefABCDEF") != 16) {
            snprintf(why, cap, "dev_euis[%zu] is not a DevEUI (16 hexadecimal digits)", i);
            json_decref(out);
            return NULL;
        }
        for (size_t k = 0; k < 16; k++)
            eui[k] = (char)tolower((unsigned char)s[k]);
        eui[16] = '\0';
        json_array_append_new(out, json_string(eui));
    }
    return out;
}

int lighting_req_override(json_t *body, json_t **out, char *why, size_t cap)
{
    static const char *const members[] = { "group",     "dev_euis",   "level",
                                           "starts_at", "expires_at", "duration_s",
                                           "priority",  "reason",     "comment" };
    json_t *group = json_object_get(body, "group"), *euis = json_object_get(body, "dev_euis");
    const char *key;
    json_t *v;

    json_object_foreach(body, key, v)
    {
        size_t i = 0;
        while (i < sizeof(members) / sizeof(members[0]) && strcmp(key, members[i]) != 0)
            i++;
        if (i == sizeof(members) / sizeof(members[0]))
            return snprintf(why, cap,
                            "%.64s is not a member of an override (group or dev_euis, level, "
                            "starts_at, expires_at or duration_s, priority, reason, comment)",
                            key),
                   -1;
    }
    if ((group == NULL) == (euis == NULL))
        return snprintf(why, cap, "an override is for a group or for dev_euis (one of the two)"),
               -1;
    if (group != NULL &&
        (!json_is_string(group) || !lighting_req_group_is_valid(json_string_value(group))))
        return snprintf(why, cap, "group is a group's name (a-z 0-9 _ . -, 1 to 64)"), -1;
    json_t *lower = NULL;
    if (euis != NULL && (lower = dev_euis(euis, why, cap)) == NULL)
        return -1;
    *out = json_deep_copy(body);
    if (lower != NULL)
        json_object_set_new(*out, "dev_euis", lower);
    return 0;
}

int lighting_req_status(json_t *answer, int ok_status, const char **error, const char **reason)
{
    static const struct {
        const char *error;
        int status;
    } known[] = { { "bad_request", 400 }, { "not_found", 404 }, { "conflict", 409 } };

    *error = json_string_value(json_object_get(answer, "error"));
    *reason = json_string_value(json_object_get(answer, "reason"));
    if (!json_is_object(answer))
        return 502;
    if (json_object_get(answer, "error") == NULL)
        return ok_status == 200 && json_is_true(json_object_get(answer, "created")) ? 201
                                                                                    : ok_status;
    for (size_t i = 0; *error != NULL && i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(*error, known[i].error) == 0)
            return known[i].status;
    return 503;
}

int lighting_req_ask(const char *verb, json_t *req, long timeout_ms, json_t **answer)
{
    char subject[96];
    char *text = json_dumps(req, JSON_COMPACT);
    struct mue_bus *bus = api_bus();
    natsMsg *reply = NULL;
    int rc;

    *answer = NULL;
    if (text == NULL)
        return MUE_ENOMEM;
    snprintf(subject, sizeof(subject), MUE_SUBJ_LIGHTING_REQ_PREFIX "%s", verb);
    rc = bus == NULL ? MUE_EBUS
                     : mue_bus_request(bus, subject, text, strlen(text), timeout_ms, &reply);
    free(text);
    if (rc < 0)
        return rc;
    *answer = json_loadb(mue_bus_msg_data(reply), mue_bus_msg_len(reply), 0, NULL);
    natsMsg_Destroy(reply);
    return 0;
}

/* Adds v (a number, or null to leave it) to the sum at 'key' of 'into'. */
static void add_number(json_t *into, const char *key, json_t *v)
{
    json_t *sum = json_object_get(into, key);

    if (!json_is_number(v))
        return;
    json_object_set_new(
        into, key,
        json_real((json_is_number(sum) ? json_number_value(sum) : 0.0) + json_number_value(v)));
}

/* {"planned_wh", "full_wh", "saving_wh", "measured_wh"} all null, to be summed into. */
static json_t *energy_empty(void)
{
    return json_pack("{s:n, s:n, s:n, s:n}", "planned_wh", "full_wh", "saving_wh", "measured_wh");
}

/* The saving as a share of the full-power energy, to a tenth of a percent; null without one. */
static void set_saving_pct(json_t *energy)
{
    json_t *full = json_object_get(energy, "full_wh"),
           *saving = json_object_get(energy, "saving_wh");

    if (json_is_number(full) && json_is_number(saving) && json_number_value(full) > 0)
        json_object_set_new(
            energy, "saving_pct",
            json_real(round(1000.0 * json_number_value(saving) / json_number_value(full)) / 10.0));
    else
        json_object_set_new(energy, "saving_pct", json_null());
}

json_t *lighting_req_energy_merge(json_t *groups, json_t *days)
{
    static const char *const sums[] = { "planned_wh", "full_wh", "saving_wh", "measured_wh" };
    json_t *total, *g, *d;
    size_t i, k;

    if (!json_is_array(days)) {
        json_array_foreach(groups, i, g) json_object_set_new(g, "energy", json_null());
        return json_null();
    }
    total = energy_empty();
    json_array_foreach(groups, i, g)
    {
        const char *name = json_string_value(json_object_get(g, "group"));
        json_t *energy = NULL;

        json_array_foreach(days, k, d)
        {
            const char *of = json_string_value(json_object_get(d, "group"));
            if (name == NULL || of == NULL || strcmp(name, of) != 0)
                continue;
            if (energy == NULL)
                energy = energy_empty();
            for (size_t s = 0; s < sizeof(sums) / sizeof(sums[0]); s++) {
                add_number(energy, sums[s], json_object_get(d, sums[s]));
                add_number(total, sums[s], json_object_get(d, sums[s]));
            }
        }
        if (energy != NULL)
            set_saving_pct(energy);
        json_object_set_new(g, "energy", energy != NULL ? energy : json_null());
    }
    set_saving_pct(total);
    return total;
}
