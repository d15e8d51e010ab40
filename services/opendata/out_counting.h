/* out_counting.h - the French national counting schema (schema-comptage-mobilites 0.1.0 of
 * schema.data.gouv.fr: sites.csv, channels.csv, measures.csv) from the counting devices and
 * their counts.
 *
 * CSV as out_table.h writes it: UTF-8, comma, RFC 4180 quoting, CRLF, a header line with the
 * schema's columns in its order. Datetimes are ISO 8601 UTC ("2026-11-28T14:00:00Z").
 * A device is a counter when its "counts" is "bike" or "pedestrian"; other devices of the rows
 * are left out. One site per counter (site_id = its EUI) and one channel per counter and
 * direction, "<eui>-<bike|pedestrian>-<in|out>". A counter without a position (the schema
 * requires xlong, ylat) is left out of all three files, and so are its measures, so that every
 * reference between the files holds.
 * SPDX-License-Identifier: MIT */
#ifndef OUT_COUNTING_H
#define OUT_COUNTING_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* sites.csv, header included, from rows of the "devices" source (device_eui, name,
 * commune_insee, latitude, longitude, ..., counts). Returns the number of sites, MUE_EINVAL when
 * the rows lack one of these columns, or -errno when the file cannot be written. */
int out_counting_sites(FILE *f, const PGresult *devices);

/* channels.csv, header included, from the same rows (also model, installed_at, last_seen, ltr:
 * which direction, "in" by default, the sensor's left-to-right is). counter_type is known for the
 * models we have met (parametric-pcr2: RADAR SENSOR), else empty; data_provider_name is
 * 'provider_name' (may be NULL); time_step is 'time_step_s', 900 when not positive.
 * Returns the number of channels, MUE_EINVAL, or -errno. */
int out_counting_channels(FILE *f, const PGresult *devices, const char *provider_name,
                          int time_step_s);

/* measures.csv lines from rows of a periodic "measure" dataset keyed by device_eui with the value
 * columns bike_count_in, bike_count_out, pedestrian_count_in, pedestrian_count_out (those the
 * rows have): one line per value that is not NULL, the count rounded to an integer. A negative or
 * unreadable value, or a row without a readable period, is left out and logged. 'header' writes
 * the header line first. Returns the number of lines after the header, MUE_EINVAL when the rows
 * lack device_eui, period_start or period_end, or -errno. */
int out_counting_measures(FILE *f, const PGresult *rows, bool header);

#endif
