/* h_live.h - the text of a live event, apart from the stream that sends it (for its unit test).
 * SPDX-License-Identifier: MIT */
#ifndef H_LIVE_H
#define H_LIVE_H

#include "mue/v1/alert.pb-c.h"
#include "mue/v1/measurement.pb-c.h"

/* The Server-Sent Event of one batch: "event: measurement\ndata: {...}\n\n" where the data is
 * {"dev_eui", "use_case", "time", "values": {quantity: value}} on one line. 'time' is the newest
 * of the batch's times (RFC 3339 UTC, microseconds); a quantity read at several times keeps its
 * newest value; values that are not finite are left out. 'dev_eui' overrides the batch's when not
 * NULL. Returns the text (the caller frees it), or NULL when the batch has no measurement. */
char *live_event(const Mue__V1__MeasurementBatch *b, const char *dev_eui);

/* The Server-Sent Event of one alert event of mue-alerts: "event: alert\ndata: {...}\n\n" with
 * {"alert_id", "event" (opened, acknowledged, escalated, resolved), "state", "severity",
 * "use_case", "dev_eui", "rule", "message", "value", "time", "actor", "comment"} on one line.
 * Returns the text (the caller frees it), or NULL when the message has no event. */
char *live_alert_event(const Mue__V1__Alert *a);

#endif
