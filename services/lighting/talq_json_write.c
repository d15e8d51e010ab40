/* talq_json_write.c - the lighting model's programs and calendars as compact TALQ 2.7.1 JSON, in
 * the shape talq_json.c reads back.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "talq_fields.h"
#include "talq_json.h"

/* Sets o[key] = v (taking v); clears *ok when v or the set failed (memory). */
static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = false;
}

static void append(json_t *a, json_t *v, bool *ok)
{
    if (v == NULL || json_array_append_new(a, v) != 0)
        *ok = false;
}

/* The text, or NULL (and *ok cleared) when the struct holds something TALQ cannot say. */
static json_t *id_value(const char *id, bool *ok)
{
    if (memchr(id, '\0', LIGHT_ID_MAX) == NULL || !talq_is_id(id)) {
        *ok = false;
        return NULL;
    }
    return json_string(id);
}

static json_t *time_value(int minute)
{
    char s[16];

    snprintf(s, sizeof(s), "%02d:%02d:00", minute / 60 % 100, minute % 60);
    return json_string(s);
}

static json_t *command_value(const struct light_step *st, bool *ok)
{
    json_t *cmd = json_object(), *state = json_object();

    put(state, "name", json_string("LevelState"), ok);
    put(state, "value", json_integer(st->level), ok);
    put(cmd, "state", state, ok);
    if (st->ramp_s != 0)
        put(cmd, "rampToLevelTime", json_integer(st->ramp_s), ok);
    return cmd;
}

char *talq_program_json(const struct light_program *p)
{
    json_t *o = json_object(), *period = json_object(), *periods = json_array();
    json_t *fixed = json_array(), *astro = json_array();
    bool ok = true;
    char *text = NULL;

    put(o, "type", json_string("ControlProgramOne"), &ok);
    put(o, "id", id_value(p->id, &ok), &ok);
    if (p->on.anchor == LIGHT_AT_SUNSET && p->off.anchor == LIGHT_AT_SUNRISE) {
        put(period, "name", json_string("AstroClockActivePeriod"), &ok);
        put(period, "sunsetOffset", json_integer(p->on.minutes), &ok);
        put(period, "sunriseOffset", json_integer(p->off.minutes), &ok);
    } else if (p->on.anchor == LIGHT_AT_TIME && p->off.anchor == LIGHT_AT_TIME) {
        put(period, "name", json_string("AbsoluteActivePeriod"), &ok);
        put(period, "startTime", time_value(p->on.minutes), &ok);
        put(period, "endTime", time_value(p->off.minutes), &ok);
    } else {
        ok = false;
    }
    append(periods, period, &ok);
    put(o, "activePeriods", periods, &ok);
    for (int i = 0; i < p->nsteps && i < LIGHT_MAX_STEPS; i++) {
        const struct light_step *st = &p->steps[i];
        json_t *c = json_object();

        if (st->at.anchor == LIGHT_AT_TIME) {
            put(c, "startTime", time_value(st->at.minutes), &ok);
            put(c, "command", command_value(st, &ok), &ok);
            append(fixed, c, &ok);
        } else {
            put(c, "offset", json_integer(st->at.minutes), &ok);
            put(c, "solarEventType",
                json_string(st->at.anchor == LIGHT_AT_SUNSET ? "sunset" : "sunrise"), &ok);
            put(c, "operation", json_string("Set"), &ok);
            put(c, "command", command_value(st, &ok), &ok);
            append(astro, c, &ok);
        }
    }
    /* TALQ requires fixedTimeControls, even empty. */
    put(o, "fixedTimeControls", fixed, &ok);
    if (json_array_size(astro) > 0)
        put(o, "astroClockTimeControls", astro, &ok);
    else
        json_decref(astro);
    if (ok)
        text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static json_t *md_value(const struct light_md *md)
{
    char s[48];

    if (md->year != 0)
        snprintf(s, sizeof(s), "%04d-%02d-%02d", md->year, md->month, md->day);
    else if (md->month != 0)
        snprintf(s, sizeof(s), "--%02d-%02d", md->month, md->day);
    else
        snprintf(s, sizeof(s), "---%02d", md->day);
    return json_string(s);
}

static json_t *condition_value(const struct light_rule *r, bool *ok)
{
    json_t *c = json_object(), *list = json_array();

    switch (r->cond) {
    case LIGHT_COND_DAYS:
        put(c, "type", json_string("ccDay"), ok);
        /* Runs of consecutive weekdays, as a person would write them. */
        for (int d = 1; d <= 7; d++) {
            int end = d;
            json_t *span;
            if (!(r->weekdays & 1u << d))
                continue;
            while (end < 7 && r->weekdays & 1u << (end + 1))
                end++;
            span = json_object();
            put(span, "start", json_integer(d), ok);
            if (end != d)
                put(span, "end", json_integer(end), ok);
            append(list, span, ok);
            d = end;
        }
        put(c, "days", list, ok);
        if (r->occurrences != 0) {
            json_t *occ = json_array();
            for (int n = 1; n <= TALQ_OCC_LAST; n++) {
                char s[2] = { n == TALQ_OCC_LAST ? 'L' : (char)('0' + n), '\0' };
                if (r->occurrences & 1u << n)
                    append(occ, json_string(s), ok);
            }
            put(c, "occurrences", occ, ok);
        }
        return c;
    case LIGHT_COND_DATES:
        put(c, "type", json_string("ccDate"), ok);
        for (int i = 0; i < r->nspans && i < LIGHT_MAX_SPANS; i++) {
            const struct light_span *s = &r->spans[i];
            json_t *span = json_object();
            put(span, "start", md_value(&s->start), ok);
            if (memcmp(&s->start, &s->end, sizeof(s->start)) != 0)
                put(span, "end", md_value(&s->end), ok);
            append(list, span, ok);
        }
        put(c, "dates", list, ok);
        return c;
    case LIGHT_COND_HOLIDAY:
        put(c, "type", json_string("ccHoliday"), ok);
        json_decref(list);
        return c;
    case LIGHT_COND_ALWAYS:
        break;
    }
    *ok = false;
    json_decref(list);
    json_decref(c);
    return NULL;
}

char *talq_calendar_json(const struct light_calendar *c)
{
    json_t *o = json_object(), *rules = json_array();
    bool ok = true;
    char *text = NULL;

    put(o, "id", id_value(c->id, &ok), &ok);
    for (int i = 0; i < c->nrules && i < LIGHT_MAX_RULES; i++) {
        const struct light_rule *r = &c->rules[i];
        json_t *rule = json_object();

        if (r->has_validity) {
            put(rule, "startDate", md_value(&r->valid.start), &ok);
            put(rule, "endDate", md_value(&r->valid.end), &ok);
        }
        if (r->cond != LIGHT_COND_ALWAYS)
            put(rule, "condition", condition_value(r, &ok), &ok);
        put(rule, "program", id_value(r->program, &ok), &ok);
        append(rules, rule, &ok);
    }
    put(o, "rules", rules, &ok);
    if (c->default_program[0] != '\0')
        put(o, "defaultProgram", id_value(c->default_program, &ok), &ok);
    if (ok)
        text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}
