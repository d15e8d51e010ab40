/* talq_json.c - TALQ 2.7.1 control programs and calendars, from JSON into the lighting model. The
 * reader is strict: every member is known, in range and of the TALQ shape, and an error names the
 * member, so an operator fixes a calendar before a lamp follows it.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_err.h"
#include "talq_fields.h"
#include "talq_json.h"

#define OFFSET_MAX 720 /* minutes: half a day either side of a solar event */
#define RAMP_MAX_S 3600

static int parse_command(json_t *o, const char *path, struct light_step *st, struct talq_why *w)
{
    static const char *const known[] = { "state", "rampToLevelTime", NULL };
    static const char *const state_known[] = { "name", "value", NULL };
    char p[TALQ_PATH_LEN], k[32];
    const char *name;
    json_t *state;
    int rc;

    rc = talq_check_object(o, path, known, w);
    if (rc < 0)
        return rc;
    talq_member_path(p, path, "state");
    state = json_object_get(o, "state");
    if (state == NULL)
        return talq_fail(w, p, "missing");
    rc = talq_check_object(state, p, state_known, w);
    if (rc == 0)
        rc = talq_get_string(state, p, "name", true, &name, w);
    if (rc < 0)
        return rc;
    if (strcmp(name, "LevelState") != 0) {
        char n[TALQ_PATH_LEN];
        talq_member_path(n, p, "name");
        return talq_fail(w, n, "%s is not supported (LevelState only)", TALQ_SHOWN(name, k));
    }
    rc = talq_get_int(state, p, "value", true, 0, 100, 0, &st->level, w);
    if (rc == 0)
        rc = talq_get_int(o, path, "rampToLevelTime", false, 0, RAMP_MAX_S, 0, &st->ramp_s, w);
    return rc;
}

static int parse_period(json_t *a, struct light_program *p, struct talq_why *w)
{
    static const char *const astro[] = { "name", "sunsetOffset", "sunriseOffset", NULL };
    static const char *const absolute[] = { "name", "startTime", "endTime", NULL };
    const char *path = "activePeriods[0]", *name;
    char k[32];
    json_t *o;
    int rc;

    if (json_array_size(a) != 1)
        return talq_fail(w, "activePeriods", "must hold exactly one period, not %zu",
                         json_array_size(a));
    o = json_array_get(a, 0);
    if (!json_is_object(o))
        return talq_fail(w, path, "must be an object");
    rc = talq_get_string(o, path, "name", true, &name, w);
    if (rc < 0)
        return rc;
    if (strcmp(name, "AstroClockActivePeriod") == 0) {
        p->on.anchor = LIGHT_AT_SUNSET;
        p->off.anchor = LIGHT_AT_SUNRISE;
        rc = talq_check_object(o, path, astro, w);
        if (rc == 0)
            rc = talq_get_int(o, path, "sunsetOffset", true, -OFFSET_MAX, OFFSET_MAX, 0,
                              &p->on.minutes, w);
        if (rc == 0)
            rc = talq_get_int(o, path, "sunriseOffset", true, -OFFSET_MAX, OFFSET_MAX, 0,
                              &p->off.minutes, w);
        return rc;
    }
    if (strcmp(name, "AbsoluteActivePeriod") == 0) {
        p->on.anchor = p->off.anchor = LIGHT_AT_TIME;
        rc = talq_check_object(o, path, absolute, w);
        if (rc == 0)
            rc = talq_get_time(o, path, "startTime", &p->on.minutes, w);
        if (rc == 0)
            rc = talq_get_time(o, path, "endTime", &p->off.minutes, w);
        /* TALQ reads equal times as the whole day; the model reads them as never lit. */
        if (rc == 0 && p->on.minutes == p->off.minutes)
            return talq_fail(w, path,
                             "startTime equals endTime (TALQ's whole day) is not supported");
        return rc;
    }
    return talq_fail(w, "activePeriods[0].name",
                     "%s is not supported (AstroClockActivePeriod or AbsoluteActivePeriod)",
                     TALQ_SHOWN(name, k));
}

static int parse_fixed(json_t *a, struct light_program *p, struct talq_why *w)
{
    static const char *const known[] = { "startTime", "command", NULL };
    char path[TALQ_PATH_LEN], cmd[TALQ_PATH_LEN], t[TALQ_PATH_LEN];
    size_t i;
    json_t *o;
    int rc;

    json_array_foreach(a, i, o)
    {
        struct light_step *st = &p->steps[p->nsteps];

        talq_item_path(path, "fixedTimeControls", i);
        rc = talq_check_object(o, path, known, w);
        if (rc == 0)
            rc = talq_get_time(o, path, "startTime", &st->at.minutes, w);
        if (rc < 0)
            return rc;
        st->at.anchor = LIGHT_AT_TIME;
        /* TALQ: strictly increasing, so the step that follows each one is plain. */
        if (p->nsteps > 0 && st->at.minutes <= p->steps[p->nsteps - 1].at.minutes) {
            talq_member_path(t, path, "startTime");
            return talq_fail(w, t, "%02d:%02d:00 does not come after the previous startTime",
                             st->at.minutes / 60, st->at.minutes % 60);
        }
        talq_member_path(cmd, path, "command");
        if (json_object_get(o, "command") == NULL)
            return talq_fail(w, cmd, "missing");
        rc = parse_command(json_object_get(o, "command"), cmd, st, w);
        if (rc < 0)
            return rc;
        p->nsteps++;
    }
    return 0;
}

static int parse_astro(json_t *a, struct light_program *p, struct talq_why *w)
{
    static const char *const known[] = { "offset", "solarEventType", "operation", "command", NULL };
    char path[TALQ_PATH_LEN], sub[TALQ_PATH_LEN], k[32];
    const char *event, *op;
    size_t i;
    json_t *o;
    int rc;

    json_array_foreach(a, i, o)
    {
        struct light_step *st = &p->steps[p->nsteps];

        talq_item_path(path, "astroClockTimeControls", i);
        rc = talq_check_object(o, path, known, w);
        if (rc == 0)
            rc = talq_get_int(o, path, "offset", true, -OFFSET_MAX, OFFSET_MAX, 0, &st->at.minutes,
                              w);
        if (rc == 0)
            rc = talq_get_string(o, path, "solarEventType", true, &event, w);
        if (rc == 0)
            rc = talq_get_string(o, path, "operation", false, &op, w);
        if (rc < 0)
            return rc;
        if (strcmp(event, "sunset") == 0) {
            st->at.anchor = LIGHT_AT_SUNSET;
        } else if (strcmp(event, "sunrise") == 0) {
            st->at.anchor = LIGHT_AT_SUNRISE;
        } else {
            talq_member_path(sub, path, "solarEventType");
            return talq_fail(w, sub, "\"%s\" is not sunset or sunrise", TALQ_SHOWN(event, k));
        }
        /* A step sets the level; TALQ's other operations combine it with the fixed ones. */
        if (op != NULL && strcmp(op, "Set") != 0) {
            talq_member_path(sub, path, "operation");
            return talq_fail(w, sub, "%s is not supported (Set only)", TALQ_SHOWN(op, k));
        }
        talq_member_path(sub, path, "command");
        if (json_object_get(o, "command") == NULL)
            return talq_fail(w, sub, "missing");
        rc = parse_command(json_object_get(o, "command"), sub, st, w);
        if (rc < 0)
            return rc;
        p->nsteps++;
    }
    return 0;
}

static json_t *load(const char *json, size_t len, struct talq_why *w)
{
    json_error_t e;
    char k[96];
    json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);

    if (j == NULL)
        talq_fail(w, "", "not JSON: %s (line %d, column %d)", TALQ_SHOWN(e.text, k), e.line,
                  e.column);
    else if (!json_is_object(j))
        talq_fail(w, "", "not a JSON object");
    return j;
}

int talq_program_parse(const char *json, size_t len, struct light_program *out, char *err,
                       size_t cap)
{
    static const char *const known[] = {
        "type",
        "id",
        "ownerCMS",
        "activePeriods",
        "fixedTimeControls",
        "astroClockTimeControls",
        "dynamicControls",
        NULL,
    };
    struct talq_why w = { err, cap };
    struct light_program p;
    json_t *j = load(json, len, &w), *periods, *fixed, *astro, *dyn;
    const char *type, *owner;
    char k[32];
    int rc = MUE_EINVAL;

    memset(&p, 0, sizeof(p));
    if (!json_is_object(j))
        goto out;
    rc = talq_check_object(j, "", known, &w);
    if (rc == 0)
        rc = talq_get_string(j, "", "type", false, &type, &w);
    if (rc == 0 && type != NULL && strcmp(type, "ControlProgramOne") != 0)
        rc = talq_fail(&w, "type", "%s is not supported (ControlProgramOne only)",
                       TALQ_SHOWN(type, k));
    if (rc == 0)
        rc = talq_get_string(j, "", "ownerCMS", false, &owner, &w);
    if (rc == 0)
        rc = talq_get_id(j, "", "id", true, p.id, &w);
    if (rc == 0)
        rc = talq_get_array(j, "", "activePeriods", true, LIGHT_MAX_STEPS, &periods, &w);
    if (rc == 0)
        rc = parse_period(periods, &p, &w);
    if (rc == 0)
        rc = talq_get_array(j, "", "dynamicControls", false, LIGHT_MAX_STEPS, &dyn, &w);
    if (rc == 0 && json_array_size(dyn) > 0)
        rc = talq_fail(&w, "dynamicControls", "not supported (sensors and external sources)");
    if (rc == 0)
        rc = talq_get_array(j, "", "fixedTimeControls", false, LIGHT_MAX_STEPS, &fixed, &w);
    if (rc == 0)
        rc = talq_get_array(j, "", "astroClockTimeControls", false, LIGHT_MAX_STEPS, &astro, &w);
    if (rc == 0 && json_array_size(fixed) + json_array_size(astro) > LIGHT_MAX_STEPS)
        rc = talq_fail(&w, "fixedTimeControls, astroClockTimeControls",
                       "%zu steps in all, at most %d",
                       json_array_size(fixed) + json_array_size(astro), LIGHT_MAX_STEPS);
    if (rc == 0)
        rc = parse_fixed(fixed, &p, &w);
    if (rc == 0)
        rc = parse_astro(astro, &p, &w);
    if (rc == 0)
        *out = p;
out:
    json_decref(j);
    return rc;
}

static int parse_days(json_t *cond, const char *path, struct light_rule *r, struct talq_why *w)
{
    static const char *const known[] = { "start", "end", NULL };
    char p[TALQ_PATH_LEN], item[TALQ_PATH_LEN];
    json_t *days, *occ, *o;
    size_t i;
    int rc = talq_get_array(cond, path, "days", true, 7, &days, w), start, end;

    if (rc == 0)
        rc = talq_get_array(cond, path, "occurrences", false, 5, &occ, w);
    if (rc < 0)
        return rc;
    talq_member_path(p, path, "days");
    if (json_array_size(days) == 0)
        return talq_fail(w, p, "must list at least one day");
    json_array_foreach(days, i, o)
    {
        talq_item_path(item, p, i);
        rc = talq_check_object(o, item, known, w);
        if (rc == 0)
            rc = talq_get_int(o, item, "start", true, 1, 7, 0, &start, w);
        if (rc == 0)
            rc = talq_get_int(o, item, "end", false, start, 7, start, &end, w);
        if (rc < 0)
            return rc;
        for (int d = start; d <= end; d++)
            r->weekdays = (uint8_t)(r->weekdays | 1u << d);
    }
    talq_member_path(p, path, "occurrences");
    json_array_foreach(occ, i, o)
    {
        const char *s = json_string_value(o);
        unsigned bit;

        talq_item_path(item, p, i);
        if (s == NULL || strlen(s) != 1 || ((s[0] < '1' || s[0] > '5') && s[0] != 'L'))
            return talq_fail(w, item, "must be \"1\" to \"5\" or \"L\"");
        bit = s[0] == 'L' ? TALQ_OCC_LAST : (unsigned)(s[0] - '0');
        if (r->occurrences & 1u << bit)
            return talq_fail(w, item, "\"%s\" is listed twice", s);
        r->occurrences = (uint8_t)(r->occurrences | 1u << bit);
    }
    return 0;
}

static int parse_dates(json_t *cond, const char *path, struct light_rule *r, struct talq_why *w)
{
    static const char *const known[] = { "start", "end", NULL };
    char p[TALQ_PATH_LEN], item[TALQ_PATH_LEN];
    json_t *dates, *o;
    size_t i;
    int rc = talq_get_array(cond, path, "dates", true, LIGHT_MAX_SPANS, &dates, w);

    if (rc < 0)
        return rc;
    talq_member_path(p, path, "dates");
    if (json_array_size(dates) == 0)
        return talq_fail(w, p, "must list at least one date");
    json_array_foreach(dates, i, o)
    {
        struct light_span *s = &r->spans[r->nspans];
        unsigned start_form, end_form;

        talq_item_path(item, p, i);
        rc = talq_check_object(o, item, known, w);
        if (rc == 0)
            rc = talq_get_md(o, item, "start", TALQ_YEARLY | TALQ_MONTHLY, &s->start, &start_form,
                             w);
        if (rc < 0)
            return rc;
        s->end = s->start;
        end_form = start_form;
        if (json_object_get(o, "end") != NULL) {
            rc = talq_get_md(o, item, "end", TALQ_YEARLY | TALQ_MONTHLY, &s->end, &end_form, w);
            if (rc < 0)
                return rc;
        }
        /* A span ending before its start wraps over the year's (month's) end, as schedule.h
         * says; TALQ itself asks for end > start. */
        if (end_form != start_form)
            return talq_fail(w, item, "start and end must be both --mm-dd or both ---dd");
        r->nspans++;
    }
    return 0;
}

static int parse_condition(json_t *cond, const char *path, struct light_rule *r, struct talq_why *w)
{
    static const char *const day_known[] = { "type", "days", "occurrences", NULL };
    static const char *const date_known[] = { "type", "dates", NULL };
    static const char *const holiday_known[] = { "type", NULL };
    const char *type;
    char p[TALQ_PATH_LEN], k[32];
    int rc;

    if (!json_is_object(cond))
        return talq_fail(w, path, "must be an object");
    rc = talq_get_string(cond, path, "type", true, &type, w);
    if (rc < 0)
        return rc;
    if (strcmp(type, "ccDay") == 0) {
        r->cond = LIGHT_COND_DAYS;
        rc = talq_check_object(cond, path, day_known, w);
        return rc < 0 ? rc : parse_days(cond, path, r, w);
    }
    if (strcmp(type, "ccDate") == 0) {
        r->cond = LIGHT_COND_DATES;
        rc = talq_check_object(cond, path, date_known, w);
        return rc < 0 ? rc : parse_dates(cond, path, r, w);
    }
    /* ccHoliday is mue's extension of TALQ: a French public holiday (light_holiday). */
    if (strcmp(type, "ccHoliday") == 0) {
        r->cond = LIGHT_COND_HOLIDAY;
        return talq_check_object(cond, path, holiday_known, w);
    }
    talq_member_path(p, path, "type");
    return talq_fail(w, p, "\"%s\" is not ccDay, ccDate or ccHoliday", TALQ_SHOWN(type, k));
}

static int parse_rule(json_t *o, const char *path, struct light_rule *r, struct talq_why *w)
{
    static const char *const known[] = { "startDate", "endDate", "condition", "program", NULL };
    static const struct light_md year_start = { 0, 1, 1 }, year_end = { 0, 12, 31 };
    bool has_start = json_object_get(o, "startDate") != NULL;
    bool has_end = json_object_get(o, "endDate") != NULL;
    unsigned start_form = TALQ_YEARLY, end_form = TALQ_YEARLY;
    json_t *cond = json_object_get(o, "condition");
    int rc = talq_check_object(o, path, known, w);

    if (rc == 0)
        rc = talq_get_id(o, path, "program", true, r->program, w);
    /* A missing bound takes TALQ's default, --01-01 or --12-31. */
    r->has_validity = has_start || has_end;
    r->valid.start = year_start;
    r->valid.end = year_end;
    if (rc == 0 && has_start)
        rc = talq_get_md(o, path, "startDate", TALQ_DATED | TALQ_YEARLY, &r->valid.start,
                         &start_form, w);
    if (rc == 0 && has_end)
        rc = talq_get_md(o, path, "endDate", TALQ_DATED | TALQ_YEARLY, &r->valid.end, &end_form, w);
    if (rc == 0 && start_form == TALQ_DATED && end_form == TALQ_DATED &&
        (r->valid.start.year * 10000 + r->valid.start.month * 100 + r->valid.start.day >
         r->valid.end.year * 10000 + r->valid.end.month * 100 + r->valid.end.day))
        rc = talq_fail(w, path, "endDate comes before startDate");
    if (!r->has_validity)
        memset(&r->valid, 0, sizeof(r->valid));
    r->cond = LIGHT_COND_ALWAYS;
    if (rc == 0 && cond != NULL) {
        char p[TALQ_PATH_LEN];
        talq_member_path(p, path, "condition");
        rc = parse_condition(cond, p, r, w);
    }
    return rc;
}

int talq_calendar_parse(const char *json, size_t len, struct light_calendar *out, char *err,
                        size_t cap)
{
    static const char *const known[] = { "id", "ownerCMS", "rules", "defaultProgram", NULL };
    struct talq_why w = { err, cap };
    struct light_calendar *c = calloc(1, sizeof(*c)); /* some 10 kB: not on a fuzzer's stack */
    json_t *j = load(json, len, &w), *rules, *o;
    const char *owner;
    char path[TALQ_PATH_LEN];
    int rc = MUE_EINVAL;
    size_t i;

    if (c == NULL)
        abort();
    if (!json_is_object(j))
        goto out;
    rc = talq_check_object(j, "", known, &w);
    if (rc == 0)
        rc = talq_get_string(j, "", "ownerCMS", false, &owner, &w);
    if (rc == 0)
        rc = talq_get_id(j, "", "id", true, c->id, &w);
    if (rc == 0)
        rc = talq_get_id(j, "", "defaultProgram", false, c->default_program, &w);
    if (rc == 0)
        rc = talq_get_array(j, "", "rules", false, LIGHT_MAX_RULES, &rules, &w);
    if (rc < 0)
        goto out;
    json_array_foreach(rules, i, o)
    {
        talq_item_path(path, "rules", i);
        rc = parse_rule(o, path, &c->rules[c->nrules], &w);
        if (rc < 0)
            goto out;
        c->nrules++;
    }
    *out = *c;
out:
    json_decref(j);
    free(c);
    return rc;
}
