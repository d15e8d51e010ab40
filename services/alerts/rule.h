/* rule.h - alert rules as the engine holds them: loaded from alert_rule, matched against devices
 * and quantities. The meaning of each field is in deploy/sql/0007_alerts.sql.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_RULE_H
#define ALERTS_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct mue_db;

enum rule_kind { RULE_THRESHOLD, RULE_RATE, RULE_NO_DATA, RULE_HEALTH, RULE_DAILY };
enum rule_op { RULE_ABOVE, RULE_BELOW };
enum rule_severity { SEVERITY_INFO = 1, SEVERITY_WARNING = 2, SEVERITY_CRITICAL = 3 };

struct rule {
    int64_t id;
    char name[64];
    char title[160];
    char use_case[32];
    char model[64];    /* "" for any */
    char group[64];    /* "" for any */
    int64_t device_id; /* 0 for any */
    enum rule_kind kind;
    char quantity[64]; /* a quantity, a prefix ending in '*', or a daily indicator */
    enum rule_op op;
    bool has_threshold;
    double threshold;
    char threshold_param[64]; /* "" when none */
    double hysteresis;
    int64_t duration_s;
    int64_t window_s;      /* rate rules */
    double silence_factor; /* no_data rules */
    int active_from_min;   /* minutes after local midnight, -1 when always active */
    int active_to_min;
    enum rule_severity severity;
    int64_t escalate_after_s; /* 0: never */
    bool auto_resolve;
};

/* What a rule needs to know of a device. */
struct rule_device {
    int64_t id;
    char dev_eui[17];
    char name[128];
    char use_case[32];
    char model[64];
    int64_t expected_period_s; /* 0 when unknown */
    json_t *params;            /* the device's installation params (owned) */
    char **groups;             /* the groups it belongs to */
    int ngroups;
};

/* The rules and the devices they apply to, as loaded at one moment. */
struct rule_set {
    struct rule *rules;
    int nrules;
    struct rule_device *devices; /* sorted by id */
    int ndevices;
};

/* Loads the enabled rules and the active devices. Returns 0, or MUE_EDB (*out untouched). */
int rule_set_load(struct mue_db *db, struct rule_set **out);
void rule_set_free(struct rule_set *rs);

/* Keeps only the devices whose id modulo 'nparts' is 'part' (an engine's partition). */
void rule_set_keep_partition(struct rule_set *rs, long part, long nparts);

/* The device with that id, or NULL. */
const struct rule_device *rule_set_device(const struct rule_set *rs, int64_t id);

/* True when the rule applies to the device (use case, model, group, device). */
bool rule_applies(const struct rule *r, const struct rule_device *d);

/* True when 'quantity' is what the rule looks at (exactly, or by its prefix pattern). */
bool rule_matches_quantity(const struct rule *r, const char *quantity);

/* The threshold of the rule for this device: its threshold_param from the device's params when
 * that is a number, else the rule's own. Returns false when there is none. */
bool rule_threshold(const struct rule *r, const struct rule_device *d, double *out);

/* Parsers of the database's text forms, shared with tests. Return 0, or MUE_EINVAL. */
int rule_parse_kind(const char *text, enum rule_kind *out);
int rule_parse_severity(const char *text, enum rule_severity *out);
const char *rule_severity_name(enum rule_severity s);
/* "HH:MM[:SS]" to minutes after midnight. */
int rule_parse_time_of_day(const char *text, int *minutes);

#endif
