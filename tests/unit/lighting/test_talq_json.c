/* test_talq_json.c - TALQ programs and calendars: formats.md's example read into the structs it
 * means, parse -> JSON -> parse round trips, and malformed inputs each refused naming the member.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "schedule.h"
#include "talq_json.h"
#include "../mue_test.h"

/* The JSON of a test with ' for ", for legibility; the buffer is static, one at a time. */
static const char *q(const char *s)
{
    static char buf[8192];
    size_t i = 0;

    for (; s[i] != '\0' && i + 1 < sizeof(buf); i++)
        buf[i] = s[i] == '\'' ? '"' : s[i];
    buf[i] = '\0';
    return buf;
}

static int program_parse(const char *json, struct light_program *p, char *err, size_t cap)
{
    const char *text = q(json);
    return talq_program_parse(text, strlen(text), p, err, cap);
}

static int calendar_parse(const char *json, struct light_calendar *c, char *err, size_t cap)
{
    const char *text = q(json);
    return talq_calendar_parse(text, strlen(text), c, err, cap);
}

/* formats.md section 2.7, verbatim but for the quotes. */
static const char example_program[] =
    "{ 'type': 'ControlProgramOne', 'id': 'cp-weekday', 'ownerCMS': 'https://cms.example/talq',"
    "  'activePeriods': [ { 'name': 'AstroClockActivePeriod', 'sunsetOffset': -10,"
    "    'sunriseOffset': 10 } ],"
    "  'fixedTimeControls': ["
    "    { 'startTime': '00:00:00', 'command': { 'state': { 'name': 'LevelState', 'value': 100 } } "
    "},"
    "    { 'startTime': '01:00:00', 'command': { 'state': { 'name': 'LevelState', 'value': 30 },"
    "      'rampToLevelTime': 60 } },"
    "    { 'startTime': '05:30:00', 'command': { 'state': { 'name': 'LevelState', 'value': 100 } } "
    "},"
    "    { 'startTime': '23:00:00', 'command': { 'state': { 'name': 'LevelState', 'value': 50 },"
    "      'rampToLevelTime': 60 } } ] }";

static const char example_calendar[] =
    "{ 'id': 'cal-rue-republique', 'ownerCMS': 'https://cms.example/talq',"
    "  'rules': [ { 'condition': { 'type': 'ccDay', 'days': [ { 'start': 1, 'end': 5 } ] },"
    "               'program': 'cp-weekday' },"
    "             { 'condition': { 'type': 'ccDate', 'dates': [ { 'start': '--07-14' } ] },"
    "               'program': 'cp-fete' } ],"
    "  'defaultProgram': 'cp-weekend' }";

static void assert_step(const struct light_step *s, enum light_anchor a, int minutes, int level,
                        int ramp_s)
{
    MUE_ASSERT_INT_EQ(s->at.anchor, a);
    MUE_ASSERT_INT_EQ(s->at.minutes, minutes);
    MUE_ASSERT_INT_EQ(s->level, level);
    MUE_ASSERT_INT_EQ(s->ramp_s, ramp_s);
}

static void test_reads_the_formats_example_program(void)
{
    struct light_program p;
    char err[256] = "";

    MUE_ASSERT_INT_EQ(program_parse(example_program, &p, err, sizeof(err)), 0);
    MUE_ASSERT_STR_EQ(err, "");
    MUE_ASSERT_STR_EQ(p.id, "cp-weekday");
    MUE_ASSERT_INT_EQ(p.on.anchor, LIGHT_AT_SUNSET);
    MUE_ASSERT_INT_EQ(p.on.minutes, -10);
    MUE_ASSERT_INT_EQ(p.off.anchor, LIGHT_AT_SUNRISE);
    MUE_ASSERT_INT_EQ(p.off.minutes, 10);
    MUE_ASSERT_INT_EQ(p.nsteps, 4);
    assert_step(&p.steps[0], LIGHT_AT_TIME, 0, 100, 0);
    assert_step(&p.steps[1], LIGHT_AT_TIME, 60, 30, 60);
    assert_step(&p.steps[2], LIGHT_AT_TIME, 5 * 60 + 30, 100, 0);
    assert_step(&p.steps[3], LIGHT_AT_TIME, 23 * 60, 50, 60);
}

static void test_reads_the_formats_example_calendar(void)
{
    static struct light_calendar c;
    char err[256] = "";

    MUE_ASSERT_INT_EQ(calendar_parse(example_calendar, &c, err, sizeof(err)), 0);
    MUE_ASSERT_STR_EQ(c.id, "cal-rue-republique");
    MUE_ASSERT_STR_EQ(c.default_program, "cp-weekend");
    MUE_ASSERT_INT_EQ(c.nrules, 2);
    MUE_ASSERT(!c.rules[0].has_validity);
    MUE_ASSERT_INT_EQ(c.rules[0].cond, LIGHT_COND_DAYS);
    MUE_ASSERT_UINT_EQ(c.rules[0].weekdays, 0x3e); /* bits 1 (Monday) to 5 (Friday) */
    MUE_ASSERT_UINT_EQ(c.rules[0].occurrences, 0);
    MUE_ASSERT_STR_EQ(c.rules[0].program, "cp-weekday");
    MUE_ASSERT_INT_EQ(c.rules[1].cond, LIGHT_COND_DATES);
    MUE_ASSERT_INT_EQ(c.rules[1].nspans, 1);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[0].start.year, 0);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[0].start.month, 7);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[0].start.day, 14);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[0].end.month, 7);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[0].end.day, 14);
    MUE_ASSERT_STR_EQ(c.rules[1].program, "cp-fete");
}

/* The brief's calendar: every kind of condition, validities every year and dated. */
static const char full_calendar[] =
    "{'id':'cal-full','rules':["
    " {'startDate':'--12-01','endDate':'--12-31','condition':{'type':'ccDay',"
    "  'days':[{'start':1,'end':5}],'occurrences':['1','L']},'program':'cp-x'},"
    " {'condition':{'type':'ccDate','dates':[{'start':'--07-14'},"
    "  {'start':'--12-24','end':'--01-02'},{'start':'---15'},{'start':'---28','end':'---02'}]},"
    "  'program':'cp-fete'},"
    " {'condition':{'type':'ccHoliday'},'program':'cp-holiday'},"
    " {'startDate':'2026-06-01','endDate':'2026-08-31','condition':{'type':'ccDay',"
    "  'days':[{'start':6},{'start':7},{'start':2,'end':3}]},'program':'cp.summer:1'},"
    " {'startDate':'2026-06-01','program':'cp_from'},"
    " {'program':'cp-always'}],"
    " 'defaultProgram':'cp-weekend'}";

static const char astro_program[] =
    "{'id':'cp-astro','activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':-720,"
    " 'sunriseOffset':720}],"
    " 'fixedTimeControls':[{'startTime':'23:00','command':{'state':{'name':'LevelState',"
    "  'value':50},'rampToLevelTime':3600}}],"
    " 'astroClockTimeControls':[{'offset':30,'solarEventType':'sunset','operation':'Set',"
    "  'command':{'state':{'name':'LevelState','value':80}}},{'offset':-45,"
    "  'solarEventType':'sunrise','command':{'state':{'name':'LevelState','value':0},"
    "  'rampToLevelTime':60.0}}]}";

static const char absolute_program[] =
    "{'id':'cp-abs','activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'18:30:00',"
    " 'endTime':'07:00:00'}]}";

static void assert_programs_equal(const struct light_program *a, const struct light_program *b)
{
    MUE_ASSERT_STR_EQ(a->id, b->id);
    MUE_ASSERT_INT_EQ(a->on.anchor, b->on.anchor);
    MUE_ASSERT_INT_EQ(a->on.minutes, b->on.minutes);
    MUE_ASSERT_INT_EQ(a->off.anchor, b->off.anchor);
    MUE_ASSERT_INT_EQ(a->off.minutes, b->off.minutes);
    MUE_ASSERT_INT_EQ(a->nsteps, b->nsteps);
    for (int i = 0; i < a->nsteps; i++)
        assert_step(&b->steps[i], a->steps[i].at.anchor, a->steps[i].at.minutes, a->steps[i].level,
                    a->steps[i].ramp_s);
}

static void assert_md_equal(const struct light_md *a, const struct light_md *b)
{
    MUE_ASSERT_INT_EQ(a->year, b->year);
    MUE_ASSERT_INT_EQ(a->month, b->month);
    MUE_ASSERT_INT_EQ(a->day, b->day);
}

static void assert_calendars_equal(const struct light_calendar *a, const struct light_calendar *b)
{
    MUE_ASSERT_STR_EQ(a->id, b->id);
    MUE_ASSERT_STR_EQ(a->default_program, b->default_program);
    MUE_ASSERT_INT_EQ(a->nrules, b->nrules);
    for (int i = 0; i < a->nrules; i++) {
        const struct light_rule *x = &a->rules[i], *y = &b->rules[i];
        MUE_ASSERT_INT_EQ(x->has_validity, y->has_validity);
        assert_md_equal(&x->valid.start, &y->valid.start);
        assert_md_equal(&x->valid.end, &y->valid.end);
        MUE_ASSERT_INT_EQ(x->cond, y->cond);
        MUE_ASSERT_UINT_EQ(x->weekdays, y->weekdays);
        MUE_ASSERT_UINT_EQ(x->occurrences, y->occurrences);
        MUE_ASSERT_INT_EQ(x->nspans, y->nspans);
        for (int s = 0; s < x->nspans; s++) {
            assert_md_equal(&x->spans[s].start, &y->spans[s].start);
            assert_md_equal(&x->spans[s].end, &y->spans[s].end);
        }
        MUE_ASSERT_STR_EQ(x->program, y->program);
    }
}

static void test_programs_round_trip(void)
{
    const char *inputs[] = { example_program, astro_program, absolute_program };

    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct light_program a, b;
        char err[256] = "", *text, *again;

        MUE_ASSERT_INT_EQ(program_parse(inputs[i], &a, err, sizeof(err)), 0);
        text = talq_program_json(&a);
        MUE_ASSERT(text != NULL);
        MUE_ASSERT_INT_EQ(talq_program_parse(text, strlen(text), &b, err, sizeof(err)), 0);
        assert_programs_equal(&a, &b);
        again = talq_program_json(&b);
        MUE_ASSERT_STR_EQ(again, text);
        free(text);
        free(again);
    }
}

static void test_calendars_round_trip(void)
{
    const char *inputs[] = { example_calendar, full_calendar };
    static struct light_calendar a, b;

    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char err[256] = "", *text, *again;

        MUE_ASSERT_INT_EQ(calendar_parse(inputs[i], &a, err, sizeof(err)), 0);
        text = talq_calendar_json(&a);
        MUE_ASSERT(text != NULL);
        MUE_ASSERT_INT_EQ(talq_calendar_parse(text, strlen(text), &b, err, sizeof(err)), 0);
        assert_calendars_equal(&a, &b);
        again = talq_calendar_json(&b);
        MUE_ASSERT_STR_EQ(again, text);
        free(text);
        free(again);
    }
}

static void test_reads_the_full_calendar_as_meant(void)
{
    static struct light_calendar c;
    char err[256] = "";

    MUE_ASSERT_INT_EQ(calendar_parse(full_calendar, &c, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(c.nrules, 6);
    MUE_ASSERT(c.rules[0].has_validity);
    MUE_ASSERT_INT_EQ(c.rules[0].valid.start.month * 100 + c.rules[0].valid.start.day, 1201);
    MUE_ASSERT_UINT_EQ(c.rules[0].occurrences, (1u << 1) | (1u << 6));
    MUE_ASSERT_INT_EQ(c.rules[1].nspans, 4);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[1].end.month * 100 + c.rules[1].spans[1].end.day, 102);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[2].start.month, 0);
    MUE_ASSERT_INT_EQ(c.rules[1].spans[2].start.day, 15);
    MUE_ASSERT_INT_EQ(c.rules[2].cond, LIGHT_COND_HOLIDAY);
    MUE_ASSERT_UINT_EQ(c.rules[3].weekdays, (1u << 2) | (1u << 3) | (1u << 6) | (1u << 7));
    MUE_ASSERT_INT_EQ(c.rules[3].valid.start.year, 2026);
    /* Only a start: TALQ's default end, --12-31. */
    MUE_ASSERT(c.rules[4].has_validity);
    MUE_ASSERT_INT_EQ(c.rules[4].cond, LIGHT_COND_ALWAYS);
    MUE_ASSERT_INT_EQ(c.rules[4].valid.end.year, 0);
    MUE_ASSERT_INT_EQ(c.rules[4].valid.end.month * 100 + c.rules[4].valid.end.day, 1231);
    MUE_ASSERT(!c.rules[5].has_validity);
    MUE_ASSERT_INT_EQ(c.rules[5].cond, LIGHT_COND_ALWAYS);
}

/* The writer's text, as TALQ spells it, checked by hand. */
static void test_writes_compact_talq(void)
{
    struct light_program p;
    static struct light_calendar c;
    const char *want;
    char *text;

    MUE_ASSERT_INT_EQ(program_parse(absolute_program, &p, NULL, 0), 0);
    p.nsteps = 1;
    p.steps[0] = (struct light_step){ { LIGHT_AT_SUNRISE, -5 }, 20, 0 };
    text = talq_program_json(&p);
    want = q("{'type':'ControlProgramOne','id':'cp-abs','activePeriods':[{'name':"
             "'AbsoluteActivePeriod','startTime':'18:30:00','endTime':'07:00:00'}],"
             "'fixedTimeControls':[],'astroClockTimeControls':[{'offset':-5,'solarEventType':"
             "'sunrise','operation':'Set','command':{'state':{'name':'LevelState','value':20}}}]}");
    MUE_ASSERT_STR_EQ(text, want);
    free(text);
    MUE_ASSERT_INT_EQ(calendar_parse("{'id':'c','rules':[{'condition':{'type':'ccDay','days':"
                                     "[{'start':1},{'start':3,'end':5},{'start':7}],"
                                     "'occurrences':['L','2']},'program':'p'}]}",
                                     &c, NULL, 0),
                      0);
    text = talq_calendar_json(&c);
    want = q("{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':1},{'start':3,"
             "'end':5},{'start':7}],'occurrences':['2','L']},'program':'p'}]}");
    MUE_ASSERT_STR_EQ(text, want);
    free(text);
}

static void test_writer_refuses_what_talq_cannot_say(void)
{
    struct light_program p;
    static struct light_calendar c;

    MUE_ASSERT_INT_EQ(program_parse(absolute_program, &p, NULL, 0), 0);
    p.off.anchor = LIGHT_AT_SUNRISE; /* on at a clock time, off at sunrise */
    MUE_ASSERT(talq_program_json(&p) == NULL);
    MUE_ASSERT_INT_EQ(program_parse(absolute_program, &p, NULL, 0), 0);
    strcpy(p.id, "a b");
    MUE_ASSERT(talq_program_json(&p) == NULL);
    memset(&c, 0, sizeof(c));
    strcpy(c.id, "cal");
    c.nrules = 1;
    strcpy(c.rules[0].program, ""); /* a rule must name a program */
    MUE_ASSERT(talq_calendar_json(&c) == NULL);
}

struct bad {
    const char *json;
    const char *why; /* the start of the reason */
};

#define PERIOD                                                                                     \
    "'activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':0,'sunriseOffset':0}]"
#define LEVEL(v) "{'state':{'name':'LevelState','value':" #v "}}"

static const struct bad bad_programs[] = {
    { "{'id':'p'," PERIOD ",", "not JSON: " },
    { "[1]", "not a JSON object" },
    { "{" PERIOD "}", "id: missing" },
    { "{'id':'cp weekday'," PERIOD "}", "id: \"cp weekday\" is not an id" },
    { "{'id':'"
      "0123456789012345678901234567890123456789012345678901234567890123'," PERIOD "}",
      "id: \"0123456789012345678901234567...\" is not an id" },
    { "{'id':'p','type':'ControlProgramTwo'," PERIOD "}",
      "type: ControlProgramTwo is not supported" },
    { "{'id':'p'," PERIOD ",'fixedTimeControl':[]}", "unknown member \"fixedTimeControl\"" },
    { "{'id':'p'}", "activePeriods: missing" },
    { "{'id':'p','activePeriods':[]}", "activePeriods: must hold exactly one period, not 0" },
    { "{'id':'p','activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':0,"
      "'sunriseOffset':0},{'name':'AstroClockActivePeriod','sunsetOffset':0,'sunriseOffset':0}]}",
      "activePeriods: must hold exactly one period, not 2" },
    { "{'id':'p','activePeriods':[{'name':'SensorActivePeriod'}]}",
      "activePeriods[0].name: SensorActivePeriod is not supported" },
    { "{'id':'p','activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':721,"
      "'sunriseOffset':0}]}",
      "activePeriods[0].sunsetOffset: must be a whole number from -720 to 720" },
    { "{'id':'p','activePeriods':[{'name':'AstroClockActivePeriod','sunsetOffset':0}]}",
      "activePeriods[0].sunriseOffset: missing" },
    { "{'id':'p','activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'18:00',"
      "'endTime':'18:00:00'}]}",
      "activePeriods[0]: startTime equals endTime" },
    { "{'id':'p','activePeriods':[{'name':'AbsoluteActivePeriod','startTime':'6pm',"
      "'endTime':'07:00'}]}",
      "activePeriods[0].startTime: \"6pm\" is not hh:mm:ss" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'01:00:00','command':" LEVEL(
          1) "},{'startTime':'02:00:00','command':" LEVEL(2) "},{'startTime':'24:10:00','command'"
                                                             ":" LEVEL(3) "}]}",
      "fixedTimeControls[2].startTime: 24:10:00 is not a time of day" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00:30','command':" LEVEL(1) "}]}",
      "fixedTimeControls[0].startTime: 23:00:30 has seconds" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':" LEVEL(
          1) "},{'startTime':'22:00','command':" LEVEL(2) "}]}",
      "fixedTimeControls[1].startTime: 22:00:00 does not come after the previous startTime" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':" LEVEL(
          1) "},{'startTime':'23:00','command':" LEVEL(2) "}]}",
      "fixedTimeControls[1].startTime: 23:00:00 does not come after" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':" LEVEL(101) "}]}",
      "fixedTimeControls[0].command.state.value: must be a whole number from 0 to 100" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':" LEVEL('50') "}]}",
      "fixedTimeControls[0].command.state.value: must be a whole number" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':{'state':{"
      "'name':'LevelState','value':5},'rampToLevelTime':1.5}}]}",
      "fixedTimeControls[0].command.rampToLevelTime: must be a whole number from 0 to 3600" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':{'state':{"
      "'name':'LevelState','value':5},'rampToLevelTime':3601}}]}",
      "fixedTimeControls[0].command.rampToLevelTime: must be a whole number from 0 to 3600" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':{'state':{"
      "'name':'LevelState','value':5},'rampFromLevelTime':3}}]}",
      "fixedTimeControls[0].command: unknown member \"rampFromLevelTime\"" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00','command':{'state':{"
      "'name':'FloatState','value':5}}}]}",
      "fixedTimeControls[0].command.state.name: FloatState is not supported" },
    { "{'id':'p'," PERIOD ",'fixedTimeControls':[{'startTime':'23:00'}]}",
      "fixedTimeControls[0].command: missing" },
    { "{'id':'p'," PERIOD ",'astroClockTimeControls':[{'offset':0,'solarEventType':'noon',"
      "'command':" LEVEL(1) "}]}",
      "astroClockTimeControls[0].solarEventType: \"noon\" is not sunset or sunrise" },
    { "{'id':'p'," PERIOD ",'astroClockTimeControls':[{'offset':0,'solarEventType':'sunset',"
      "'operation':'Max','command':" LEVEL(1) "}]}",
      "astroClockTimeControls[0].operation: Max is not supported" },
    { "{'id':'p'," PERIOD ",'astroClockTimeControls':[{'offset':-721,'solarEventType':'sunset',"
      "'command':" LEVEL(1) "}]}",
      "astroClockTimeControls[0].offset: must be a whole number from -720 to 720" },
    { "{'id':'p'," PERIOD ",'dynamicControls':[{}]}", "dynamicControls: not supported" },
    { "{'id':'p','id':'q'," PERIOD "}", "not JSON: duplicate object key" },
};

static const struct bad bad_calendars[] = {
    { "{'rules':[]}", "id: missing" },
    { "{'id':'c','rules':{}}", "rules: must be an array" },
    { "{'id':'c','defaultProgram':''}", "defaultProgram: \"\" is not an id" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':1}]}}]}",
      "rules[0].program: missing" },
    { "{'id':'c','rules':[{'program':'p','programme':'q'}]}",
      "rules[0]: unknown member \"programme\"" },
    { "{'id':'c','rules':[{'program':'p'},{'condition':{'type':'ccWeek'},'program':'p'}]}",
      "rules[1].condition.type: \"ccWeek\" is not ccDay, ccDate or ccHoliday" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':8}]},'program':'p'}]}",
      "rules[0].condition.days[0].start: must be a whole number from 1 to 7" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':5,'end':2}]},"
      "'program':'p'}]}",
      "rules[0].condition.days[0].end: must be a whole number from 5 to 7" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[]},'program':'p'}]}",
      "rules[0].condition.days: must list at least one day" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':1}],"
      "'occurrences':['6']},'program':'p'}]}",
      "rules[0].condition.occurrences[0]: must be \"1\" to \"5\" or \"L\"" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDay','days':[{'start':1}],"
      "'occurrences':['L','L']},'program':'p'}]}",
      "rules[0].condition.occurrences[1]: \"L\" is listed twice" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDate','dates':[{'start':'--02-30'}]},"
      "'program':'p'}]}",
      "rules[0].condition.dates[0].start: --02-30 is not a day of the calendar" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDate','dates':[{'start':'2026-07-14'}]},"
      "'program':'p'}]}",
      "rules[0].condition.dates[0].start: \"2026-07-14\" is not --mm-dd or ---dd" },
    { "{'id':'c','rules':[{'condition':{'type':'ccDate','dates':[{'start':'--07-14'},"
      "{'start':'---05','end':'--07-10'}]},'program':'p'}]}",
      "rules[0].condition.dates[1]: start and end must be both --mm-dd or both ---dd" },
    { "{'id':'c','rules':[{'condition':{'type':'ccHoliday','days':[{'start':1}]},"
      "'program':'p'}]}",
      "rules[0].condition: unknown member \"days\"" },
    { "{'id':'c','rules':[{'startDate':'2026-13-01','program':'p'}]}",
      "rules[0].startDate: 2026-13-01 has no month 13" },
    { "{'id':'c','rules':[{'endDate':'2027-02-29','program':'p'}]}",
      "rules[0].endDate: 2027-02-29 is not a day of the calendar" },
    { "{'id':'c','rules':[{'startDate':'2026-08-01','endDate':'2026-07-31','program':'p'}]}",
      "rules[0]: endDate comes before startDate" },
    { "{'id':'c','rules':[{'startDate':'---01','program':'p'}]}",
      "rules[0].startDate: \"---01\" is not yyyy-mm-dd or --mm-dd" },
    { "{'id':'c','rules':[{'condition':'ccHoliday','program':'p'}]}",
      "rules[0].condition: must be an object" },
};

static void check_refusals(const struct bad *b, size_t n, bool program)
{
    static struct light_calendar c, c_before;
    struct light_program p, p_before;

    for (size_t i = 0; i < n; i++) {
        char err[256] = "";
        const char *text = q(b[i].json);
        int rc;

        memset(&p, 0x5a, sizeof(p));
        memset(&c, 0x5a, sizeof(c));
        p_before = p;
        c_before = c;
        rc = program ? talq_program_parse(text, strlen(text), &p, err, sizeof(err))
                     : talq_calendar_parse(text, strlen(text), &c, err, sizeof(err));
        if (rc != MUE_EINVAL || strncmp(err, b[i].why, strlen(b[i].why)) != 0)
            fprintf(stderr, "  input %zu: %s\n  reason: %s\n", i, text, err);
        MUE_ASSERT_INT_EQ(rc, MUE_EINVAL);
        MUE_ASSERT_INT_EQ(strncmp(err, b[i].why, strlen(b[i].why)), 0);
        /* out untouched */
        MUE_ASSERT_INT_EQ(memcmp(&p, &p_before, sizeof(p)), 0);
        MUE_ASSERT_INT_EQ(memcmp(&c, &c_before, sizeof(c)), 0);
    }
}

static void test_refuses_malformed_programs_naming_the_member(void)
{
    check_refusals(bad_programs, sizeof(bad_programs) / sizeof(bad_programs[0]), true);
}

static void test_refuses_malformed_calendars_naming_the_member(void)
{
    check_refusals(bad_calendars, sizeof(bad_calendars) / sizeof(bad_calendars[0]), false);
}

static void test_refuses_too_many_steps_and_rules(void)
{
    static char json[8192];
    static struct light_calendar c;
    struct light_program p;
    char err[256] = "";
    size_t n;

    n = (size_t)snprintf(json, sizeof(json), "{\"id\":\"p\",%s,\"fixedTimeControls\":[", q(PERIOD));
    for (int i = 0; i < 17; i++)
        n += (size_t)snprintf(json + n, sizeof(json) - n,
                              "%s{\"startTime\":\"%02d:00\",\"command\":%s}", i ? "," : "", i,
                              q(LEVEL(50)));
    n += (size_t)snprintf(json + n, sizeof(json) - n, "]}");
    MUE_ASSERT_INT_EQ(talq_program_parse(json, n, &p, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err, "fixedTimeControls: 17 items, at most 16");

    n = (size_t)snprintf(json, sizeof(json), "{\"id\":\"c\",\"rules\":[");
    for (int i = 0; i < 33; i++)
        n += (size_t)snprintf(json + n, sizeof(json) - n, "%s{\"program\":\"p%d\"}", i ? "," : "",
                              i);
    n += (size_t)snprintf(json + n, sizeof(json) - n, "]}");
    MUE_ASSERT_INT_EQ(talq_calendar_parse(json, n, &c, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err, "rules: 33 items, at most 32");
    /* 32 rules are fine. */
    memcpy(json + n - 2 - strlen(",{\"program\":\"p32\"}"), "]}", 3);
    MUE_ASSERT_INT_EQ(talq_calendar_parse(json, strlen(json), &c, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(c.nrules, 32);
    MUE_ASSERT_STR_EQ(c.rules[31].program, "p31");
}

/* 10 fixed + 7 solar steps: each list fits, together they do not. */
static void test_counts_fixed_and_solar_steps_together(void)
{
    static char json[8192];
    struct light_program p;
    char err[256] = "";
    size_t n;

    n = (size_t)snprintf(json, sizeof(json), "{\"id\":\"p\",%s,\"fixedTimeControls\":[", q(PERIOD));
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(json + n, sizeof(json) - n,
                              "%s{\"startTime\":\"%02d:00\",\"command\":%s}", i ? "," : "", i,
                              q(LEVEL(50)));
    n += (size_t)snprintf(json + n, sizeof(json) - n, "],\"astroClockTimeControls\":[");
    for (int i = 0; i < 7; i++)
        n += (size_t)snprintf(json + n, sizeof(json) - n,
                              "%s{\"offset\":%d,\"solarEventType\":\"sunset\",\"command\":%s}",
                              i ? "," : "", i, q(LEVEL(50)));
    n += (size_t)snprintf(json + n, sizeof(json) - n, "]}");
    MUE_ASSERT_INT_EQ(talq_program_parse(json, n, &p, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err,
                      "fixedTimeControls, astroClockTimeControls: 17 steps in all, at most 16");
}

/* A tiny or absent error buffer is never overrun; the input is read only up to len. */
static void test_error_buffer_and_length_are_respected(void)
{
    struct light_program p;
    char err[8];
    const char *text = q(absolute_program);

    memset(err, 'x', sizeof(err));
    MUE_ASSERT_INT_EQ(talq_program_parse("{\"id\":1}", 8, &p, err, 4), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err, "id:");
    MUE_ASSERT_INT_EQ(err[4], 'x');
    MUE_ASSERT_INT_EQ(talq_program_parse("{\"id\":1}", 8, &p, NULL, 0), MUE_EINVAL);
    /* The same text cut short is not JSON. */
    MUE_ASSERT_INT_EQ(talq_program_parse(text, strlen(text) - 1, &p, NULL, 0), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(talq_program_parse(text, strlen(text), &p, NULL, 0), 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_reads_the_formats_example_program),
        MUE_TEST(test_reads_the_formats_example_calendar),
        MUE_TEST(test_programs_round_trip),
        MUE_TEST(test_calendars_round_trip),
        MUE_TEST(test_reads_the_full_calendar_as_meant),
        MUE_TEST(test_writes_compact_talq),
        MUE_TEST(test_writer_refuses_what_talq_cannot_say),
        MUE_TEST(test_refuses_malformed_programs_naming_the_member),
        MUE_TEST(test_refuses_malformed_calendars_naming_the_member),
        MUE_TEST(test_refuses_too_many_steps_and_rules),
        MUE_TEST(test_counts_fixed_and_solar_steps_together),
        MUE_TEST(test_error_buffer_and_length_are_respected),
    };
    return mue_test_run("talq_json", tests);
}
