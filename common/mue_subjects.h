/* mue_subjects.h - every NATS subject and JetStream stream name of mue, in one place.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_SUBJECTS_H
#define MUE_SUBJECTS_H

/* Streams and the subjects they hold. */
#define MUE_STREAM_UPLINKS    "UPLINKS"    /* mue.uplink.<network>.<dev_eui>, mue.device.> */
#define MUE_STREAM_MEASURES   "MEASURES"   /* mue.measure.<usecase>.<device_id> */
#define MUE_STREAM_ALERTS     "ALERTS"     /* mue.alert.<usecase>.<severity> */
#define MUE_STREAM_DOWNLINKS  "DOWNLINKS"  /* mue.downlink.<network>.<dev_eui>, mue.dlstatus.> */
#define MUE_STREAM_DEADLETTER "DEADLETTER" /* mue.deadletter.<stage> */

#define MUE_SUBJ_UPLINK_ALL     "mue.uplink.>"
#define MUE_SUBJ_DEVICE_ALL     "mue.device.>"
#define MUE_SUBJ_MEASURE_ALL    "mue.measure.>"
#define MUE_SUBJ_ALERT_ALL      "mue.alert.>"
#define MUE_SUBJ_DOWNLINK_ALL   "mue.downlink.>"
#define MUE_SUBJ_DLSTATUS_ALL   "mue.dlstatus.>"
#define MUE_SUBJ_DEADLETTER_ALL "mue.deadletter.>"

/* printf formats for one message's subject. */
#define MUE_SUBJ_UPLINK_FMT     "mue.uplink.%s.%s"    /* network, dev_eui */
#define MUE_SUBJ_DEVICE_FMT     "mue.device.%s.%s"    /* network, dev_eui: mue.v1.DeviceEvent */
#define MUE_SUBJ_MEASURE_FMT    "mue.measure.%s.%lld" /* use case, device id */
#define MUE_SUBJ_ALERT_FMT      "mue.alert.%s.%s"     /* use case, severity */
#define MUE_SUBJ_DOWNLINK_FMT   "mue.downlink.%s.%s"  /* network, dev_eui */
#define MUE_SUBJ_DLSTATUS_FMT   "mue.dlstatus.%s.%s"  /* network, dev_eui */
#define MUE_SUBJ_DEADLETTER_FMT "mue.deadletter.%s"   /* stage */

/* Core NATS (not stored): the device registry changed. The body is the DevEUI that changed, or
 * empty for "reload everything". Caches also expire on their own, for changes sent while a
 * service was disconnected. */
#define MUE_SUBJ_REGISTRY_CHANGED "mue.registry.changed"

/* Core NATS requests to mue-alerts, the only writer of alert state (queue group "mue-alerts").
 * The body is JSON {"alert_id": N, "actor": "...", "key_id": N or null, "comment": "..."}; the
 * answer {"ok": true, "alert": {...}} or {"error": "...", "reason": "..."}. */
#define MUE_SUBJ_ALERTCMD_FMT   "mue.alertcmd.%s" /* ack, resolve */
#define MUE_SUBJ_ALERTCMD_ALL   "mue.alertcmd.*"
#define MUE_QUEUE_ALERTS        "mue-alerts"
/* Core NATS: alert rules or channels were edited; engines reload them (and also do every minute). */
#define MUE_SUBJ_ALERTRULES_CHANGED "mue.alertrules.changed"

/* Core NATS requests to mue-lighting (queue group "mue-lighting"): programs, calendars,
 * assignments, overrides, planned levels, command status, energy. The verb follows the prefix,
 * e.g. mue.lighting.req.program.put; bodies and answers are JSON (docs/lighting.md). */
#define MUE_SUBJ_LIGHTING_REQ_PREFIX "mue.lighting.req."
#define MUE_SUBJ_LIGHTING_REQ_ALL    "mue.lighting.req.>"
#define MUE_QUEUE_LIGHTING           "mue-lighting"

/* JetStream key-value buckets. */
/* "<network>.<network_ref>" -> DownlinkRequest id: traces the network server's downlink events
 * (ChirpStack's queueItemId) back to the request mue-ingest forwarded. */
#define MUE_KV_DOWNLINK_REFS       "mue_downlink_refs"
#define MUE_KV_DOWNLINK_REFS_TTL_S (14L * 24 * 3600) /* Class C/B devices answer late */
/* "<sha256 hex of a device token>" -> DevEUI: the devices that post SenML directly. */
#define MUE_KV_DEVICE_TOKENS "mue_device_tokens"

/* Headers mue sets besides Nats-Msg-Id. */
#define MUE_HDR_REASON "Mue-Reason"

#endif
