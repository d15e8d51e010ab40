/* req_plan.c - the plan request: a lamp's levels over one local day (where they change), its sun
 * and energy; or a group's lamps, each with its program and energy, and their total.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lamp_load.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_mem.h"
#include "req_lamps.h"

static json_t *energy_json(const struct light_energy *e)
{
    return json_pack("{s:o, s:o, s:o}", "planned_wh", req_wh_json(e->planned_wh), "full_wh",
                     req_wh_json(e->full_wh), "saving_wh", req_wh_json(e->saving_wh));
}

static json_t *text_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* The minutes where the level changes, the day's first always: [{"time": "HH:MM", "level"}]. */
static json_t *level_changes(const struct light_lamp *lamp, int64_t from_s, int n)
{
    uint8_t *levels = mue_xmalloc((size_t)n);
    json_t *list = json_array();

    light_plan(lamp, from_s, n, levels);
    for (int i = 0; i < n; i++) {
        struct mue_localtime lt;

        if (i > 0 && levels[i] == levels[i - 1])
            continue;
        mue_localtime_from_utc(from_s + (int64_t)i * 60, &lt);
        json_array_append_new(list, json_pack("{s:o, s:i}", "time",
                                              req_clock_json(lt.hour * 60 + lt.minute), "level",
                                              (int)levels[i]));
    }
    free(levels);
    return list;
}

static json_t *lamp_plan(struct req *r, const char *dev_eui, int64_t date)
{
    static const char lamp_sql[] =
        "SELECT 1 FROM device WHERE dev_eui = $1 AND active AND use_case = 'lighting'";
    const char *p[1] = { dev_eui };
    struct lamp_schedule s;
    struct light_sun sun;
    struct light_energy e;
    PGresult *res = NULL;
    int64_t from_s, to_s;
    char err[200], day[11];
    json_t *answer;
    int n = req_query(r, "lighting.plan_lamp", &res, lamp_sql, 1, p);

    PQclear(res);
    if (n < 0)
        return req_unavailable();
    if (n == 0)
        return req_fail("not_found", "no active lighting device %s", dev_eui);
    req_day_bounds(date, &from_s, &to_s);
    n = lamp_load(r->db, dev_eui, from_s, to_s, &s, err, sizeof(err));
    if (n == MUE_EUNKNOWN)
        return req_fail("not_found", "no active lighting device %s", dev_eui);
    if (n != 0)
        return n == MUE_EINVAL ? req_fail("unavailable", "a stored schedule is broken: %s", err)
                               : req_unavailable();
    req_date_text(date, day);
    light_sun_of(s.lamp.lat, s.lamp.lon, date, &sun);
    light_energy(&s.lamp, s.power_w, from_s, (int)((to_s - from_s) / 60), &e);
    answer = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "dev_eui", dev_eui, "date", day,
        "calendar", text_or_null(s.lamp.calendar ? s.calendar_id : NULL), "group",
        text_or_null(s.lamp.calendar ? s.group : NULL), "program",
        text_or_null(s.lamp.calendar ? light_calendar_program(s.lamp.calendar, date) : NULL),
        "sunrise", req_clock_json(sun.rise_min), "sunset", req_clock_json(sun.set_min), "levels",
        level_changes(&s.lamp, from_s, (int)((to_s - from_s) / 60)), "energy", energy_json(&e));
    lamp_schedule_free(&s);
    return answer;
}

static json_t *group_plan(struct req *r, const char *group, int64_t date)
{
    struct req_fleet f;
    struct req_day d;
    struct light_energy total = { 0, 0, 0, 0 };
    int64_t from_s, to_s;
    char err[200], day[11];
    json_t *lamps;
    int rc;

    req_day_bounds(date, &from_s, &to_s);
    rc = req_fleet_load(r, group, from_s, to_s, &f, err, sizeof(err));
    if (rc != 0)
        return rc == MUE_EINVAL ? req_fail("unavailable", "a stored schedule is broken: %s", err)
                                : req_unavailable();
    if (f.ngroups == 0) {
        req_fleet_free(&f);
        return req_fail("not_found", "no group \"%s\"", group);
    }
    req_day_init(&d, &f, date);
    lamps = json_array();
    for (int i = 0; i < f.nmembers; i++) {
        const struct req_lamp *l = &f.lamps[f.members[i].lamp];
        const char *program;
        struct light_energy e;

        req_day_energy(&d, l, &e, &program);
        total.planned_wh += e.planned_wh;
        total.full_wh += e.full_wh;
        total.saving_wh += e.saving_wh;
        json_array_append_new(lamps, json_pack("{s:s, s:o, s:o}", "dev_eui", l->dev_eui, "program",
                                               text_or_null(program), "energy", energy_json(&e)));
    }
    req_day_fini(&d);
    req_fleet_free(&f);
    req_date_text(date, day);
    return json_pack("{s:s, s:s, s:o, s:o}", "group", group, "date", day, "lamps", lamps, "energy",
                     energy_json(&total));
}

json_t *req_plan(struct req *r)
{
    static const char *const known[] = { "dev_eui", "group", "date", NULL };
    const char *group = NULL;
    char dev_eui[17] = "";
    int64_t date = 0;
    json_t *err = req_only(r, known);

    if (err == NULL)
        err = req_dev_eui(r, "dev_eui", false, dev_eui);
    if (err == NULL)
        err = req_group(r, "group", false, &group);
    if (err == NULL && (dev_eui[0] != '\0') == (group != NULL))
        err = req_fail("bad_request", group != NULL ? "give dev_eui or group, not both"
                                                    : "dev_eui or group: missing");
    if (err == NULL)
        err = req_date(r, "date", true, &date);
    if (err != NULL)
        return err;
    return group != NULL ? group_plan(r, group, date) : lamp_plan(r, dev_eui, date);
}
