/* handlers.h - the handlers of the route table (routes.c), one file per resource.
 * SPDX-License-Identifier: MIT */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "api.h"

/* h_catalog.c: use cases, sites, devices with their health */
int h_usecases(struct api_req *r);
int h_sites(struct api_req *r);
int h_devices(struct api_req *r);
int h_device(struct api_req *r);
/* Answers 'status' with device 'eui' as GET /v1/devices/{dev_eui} shows it, whatever the caller's
 * scope and the device's state (an admin's edit reads back what it wrote). 404 when unknown. */
int catalog_device_answer(struct api_req *r, int status, const char *eui);

/* h_devices_edit.c: admins register, change and retire devices */
int h_device_create(struct api_req *r);
int h_device_update(struct api_req *r);
int h_device_delete(struct api_req *r);

/* h_indicators.c (noise, heat) and h_ind_<use case>.c: each use case's indicators */
int h_ind_waste(struct api_req *r);
int h_ind_water(struct api_req *r);
int h_ind_noise(struct api_req *r);
int h_ind_counting(struct api_req *r);
int h_ind_heat(struct api_req *r);
int h_counter_display(struct api_req *r);

/* h_assessment.c: the pilot's monthly assessment of a use case */
int h_assessment(struct api_req *r);

/* h_live.c: Server-Sent Events from the bus */
int h_live(struct api_req *r);

/* h_latest.c: latest values */
int h_device_latest(struct api_req *r);
int h_usecase_latest(struct api_req *r);

/* h_series.c: a device's series of one quantity */
int h_series(struct api_req *r);

/* h_meta.c: the caller */
int h_me(struct api_req *r);

/* openapi.c: the OpenAPI 3 document, made from the route table */
int h_openapi(struct api_req *r);

/* h_opendata.c: the published datasets and their export runs */
int h_opendata_datasets(struct api_req *r);
int h_opendata_runs(struct api_req *r);

/* h_audit.c: the audit log */
int h_audit(struct api_req *r);

/* h_alerts.c: alerts, and acknowledge/resolve through mue-alerts */
int h_alerts(struct api_req *r);
int h_alert(struct api_req *r);
int h_alert_ack(struct api_req *r);
int h_alert_resolve(struct api_req *r);

/* h_alert_rules.c: alert rules */
int h_alert_rules(struct api_req *r);
int h_alert_rule_update(struct api_req *r);

/* h_deadletters.c: what the stages refused, read from the dead-letter stream */
int h_deadletters(struct api_req *r);

/* h_lighting.c: street lighting, each route one request to mue-lighting on the bus */
int h_lighting_programs(struct api_req *r);
int h_lighting_program_put(struct api_req *r);
int h_lighting_program_delete(struct api_req *r);
int h_lighting_calendars(struct api_req *r);
int h_lighting_calendar_put(struct api_req *r);
int h_lighting_calendar_delete(struct api_req *r);
int h_lighting_assignments(struct api_req *r);
int h_lighting_assignment_put(struct api_req *r);
int h_lighting_assignment_delete(struct api_req *r);
int h_lighting_overrides(struct api_req *r);
int h_lighting_override_create(struct api_req *r);
int h_lighting_override_cancel(struct api_req *r);
int h_lighting_plan(struct api_req *r);
int h_lighting_commands(struct api_req *r);
int h_lighting_energy(struct api_req *r);

/* h_ind_lighting.c: the lighting's public indicator (energy and saving per group, faults,
 * commands pending) */
int h_ind_lighting(struct api_req *r);

#endif
