/* talq_json.h - control programs and calendars as TALQ 2.7.1 JSON (ControlProgramOne, Calendar):
 * read strictly into the lighting model (schedule.h) and written back.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_TALQ_JSON_H
#define LIGHTING_TALQ_JSON_H

#include <stddef.h>

#include "schedule.h"

/* Reads a ControlProgramOne: "id"; exactly one of "activePeriods", an AstroClockActivePeriod
 * (on at sunset + sunsetOffset, off at sunrise + sunriseOffset) or an AbsoluteActivePeriod (on at
 * startTime, off at endTime); optional "fixedTimeControls" (startTime strictly increasing) and
 * "astroClockTimeControls", LIGHT_MAX_STEPS in all, each with a LevelState command. Times are
 * "hh:mm:ss" or "hh:mm", whole minutes; offsets -720..720 minutes; levels 0..100;
 * rampToLevelTime 0..3600 s. "type" (ControlProgramOne) and "ownerCMS" are accepted and
 * "ownerCMS" is not kept; any other member is refused, so a typo never drops a setting.
 * Returns 0 and fills *out (fixed steps first, then solar ones, each in the text's order), or
 * MUE_EINVAL with out untouched and the reason in err, naming the member
 * ("fixedTimeControls[2].startTime: 24:10:00 is not a time of day"). Never reads past len. */
int talq_program_parse(const char *json, size_t len, struct light_program *out, char *err,
                       size_t cap);

/* Reads a Calendar: "id", "rules" (at most LIGHT_MAX_RULES, in order, each with an optional
 * "startDate"/"endDate" validity in "yyyy-mm-dd" or "--mm-dd", an optional "condition" and a
 * "program") and an optional "defaultProgram". Conditions are TALQ's ccDay ("days" spans of ISO
 * weekdays, optional "occurrences" "1".."5" or "L") and ccDate ("dates" spans of "--mm-dd" or
 * "---dd"), and mue's own ccHoliday (a French public holiday). A rule without a condition is
 * LIGHT_COND_ALWAYS. Ids are 1 to 63 characters of A-Z a-z 0-9 _ . : -. Returns as
 * talq_program_parse does. */
int talq_calendar_parse(const char *json, size_t len, struct light_calendar *out, char *err,
                        size_t cap);

/* The program or calendar as compact TALQ JSON that the parsers above read back to the same
 * struct. The string is the caller's, to free(). NULL when TALQ cannot say it (a program's
 * period mixing a clock time and a solar event, an id outside the id rule) or memory runs
 * out. */
char *talq_program_json(const struct light_program *p);
char *talq_calendar_json(const struct light_calendar *c);

#endif
