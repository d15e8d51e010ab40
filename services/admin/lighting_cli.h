/* lighting_cli.h - "mue-admin lighting": operators' view of street-lighting schedules.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_CLI_H
#define LIGHTING_CLI_H

/* Runs "lighting ..." (argv[0] is "lighting"):
 *   preview --date YYYY-MM-DD (--dev-eui EUI | --calendar FILE --program FILE [--program FILE...]
 *           [--lat LAT --lon LON] [--power-w W]) [--changes]
 *     the planned level of the lamp for each minute of that local date (Europe/Paris), one line
 *     "HH:MM LEVEL" a minute (with the UTC offset, "HH:MM+02 LEVEL", on the days the clocks
 *     change), or only the minutes where it changes with --changes; a header line (#) names the
 *     lamp, the calendar, the day's program and the sun, and a footer line the day's energy:
 *     planned, at full power from sunset to sunrise, and the saving. --dev-eui reads the lamp's
 *     schedule and overrides from the database; --calendar/--program read TALQ JSON files, to try
 *     a schedule before storing it.
 * Returns the exit status: 0, 1 (refused: unknown lamp, unreadable file, bad schedule, database
 * unavailable), 2 (bad arguments). */
int lighting_command(int argc, char **argv, const char *pg_dsn);

#endif
