/* h_ind.h - what the indicator handlers (h_indicators.c, h_ind_*.c) share: the use-case scope
 * check, the date parameters and today's date in Paris (the time and scope fragments are api.h's).
 * SPDX-License-Identifier: MIT */
#ifndef H_IND_H
#define H_IND_H

#include "handlers.h"

/* Today's date in Paris, the days the directorates count in. */
#define IND_TODAY "(now() AT TIME ZONE 'Europe/Paris')::date"

/* Answers 404 not_found when the use case 'uc' is out of a directorate's scope (for it, the
 * use case does not exist). Returns 0 when in scope, else the status sent (404 or 500). */
int ind_use_case_scope(struct api_req *r, const char *uc);

/* Reads the query parameter 'name' as a calendar date YYYY-MM-DD into day[11]; absent, the day
 * before today in Paris. Returns 0, or the status of the 400 (or 500) sent. */
int ind_day(struct api_req *r, const char *name, char day[11]);

#endif
