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

/* h_latest.c: latest values */
int h_device_latest(struct api_req *r);
int h_usecase_latest(struct api_req *r);

/* h_series.c: a device's series of one quantity */
int h_series(struct api_req *r);

/* h_meta.c: the caller */
int h_me(struct api_req *r);

/* openapi.c: the OpenAPI 3 document, made from the route table */
int h_openapi(struct api_req *r);

/* h_audit.c: the audit log */
int h_audit(struct api_req *r);

#endif
