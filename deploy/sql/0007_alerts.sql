-- 0007_alerts.sql - alert rules as data, alerts with their lifecycle, the engine's rule state, and
-- the outboxes that carry events to the bus and notifications to webhooks and e-mail.
--
-- mue-alerts is the only writer of alert, alert_event, alert_state and alert_device_seen; the API
-- and mue-admin read them and edit rules and channels (then announce mue.alertrules.changed).
-- docs/alerts.md explains each default rule and the lifecycle.

-- A named set of devices (a street, a cabinet's lamps, a campaign): rules and, later, lighting
-- calendars are bound to groups.
CREATE TABLE device_group (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    title       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_group_member (
    group_name  text NOT NULL REFERENCES device_group (name) ON DELETE CASCADE,
    device_id   bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    PRIMARY KEY (group_name, device_id)
);
CREATE INDEX device_group_member_device_idx ON device_group_member (device_id);

-- A rule applies to the devices of its use case, narrowed by any of model, group and device.
--   threshold  value 'op' threshold (above: >=, below: <=) held for duration_s of measurement time;
--              clears past the hysteresis (above: value < threshold - hysteresis).
--   rate       the change over the last window_s (above: value - lowest; below: value - highest)
--              compared with threshold (a rise of 0.3 m in 3600 s: threshold 0.3, op above).
--   no_data    nothing heard from the device for silence_factor x its expected_period_s.
--   health     a threshold on a health quantity (battery, rssi, snr, link_margin), or for
--              quantity 'f_cnt' a frame counter that went back (a reset or a re-join).
--   daily      a daily indicator (noise.lnight, noise.lden, heat.tmin_night, counting.day_ratio)
--              of the last complete day, compared like a threshold.
-- threshold_param names a key of the device's params that holds a per-device threshold (a
-- station's vigilance levels); the rule's threshold is the fallback. A quantity ending in '*'
-- matches every quantity with that prefix (lamp_failure_*).
-- active_from/active_to restrict the rule to a window of local time (Europe/Paris), which may
-- cross midnight.
CREATE TABLE alert_rule (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    title            text NOT NULL,                       -- French, as the directorates read it
    description      text NOT NULL DEFAULT '',
    use_case         text NOT NULL REFERENCES use_case (id),
    model            text,
    group_name       text REFERENCES device_group (name) ON DELETE CASCADE,
    device_id        bigint REFERENCES device (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('threshold', 'rate', 'no_data', 'health', 'daily')),
    quantity         text NOT NULL DEFAULT '',
    op               text NOT NULL DEFAULT 'above' CHECK (op IN ('above', 'below')),
    threshold        double precision,
    threshold_param  text,
    hysteresis       double precision NOT NULL DEFAULT 0 CHECK (hysteresis >= 0),
    duration_s       integer NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    window_s         integer CHECK (window_s > 0),
    silence_factor   double precision CHECK (silence_factor > 0),
    active_from      time,
    active_to        time,
    severity         text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    escalate_after_s integer CHECK (escalate_after_s > 0),
    auto_resolve     boolean NOT NULL DEFAULT true,
    enabled          boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'no_data' OR quantity <> ''),
    CHECK (kind <> 'rate' OR window_s IS NOT NULL),
    CHECK (kind <> 'no_data' OR silence_factor IS NOT NULL),
    CHECK (kind IN ('no_data') OR (kind = 'health' AND quantity = 'f_cnt')
           OR threshold IS NOT NULL OR threshold_param IS NOT NULL),
    CHECK ((active_from IS NULL) = (active_to IS NULL))
);

-- At most one alert per (rule, device) that is not resolved: the engine opens with
-- INSERT ... ON CONFLICT DO NOTHING on this index, so concurrent evaluations cannot make two.
CREATE TABLE alert (
    id               bigserial PRIMARY KEY,
    rule_id          bigint NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    device_id        bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    use_case         text NOT NULL,
    severity         text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    state            text NOT NULL DEFAULT 'open'
                     CHECK (state IN ('open', 'acknowledged', 'resolved')),
    quantity         text NOT NULL DEFAULT '',
    message          text NOT NULL,
    since            timestamptz NOT NULL,    -- when the condition began (measurement time)
    opened_at        timestamptz NOT NULL,    -- when it held long enough (measurement time)
    value            double precision,        -- the value that opened it
    last_value       double precision,
    last_time        timestamptz,
    peak_value       double precision,        -- the worst value while unresolved
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    ack_comment      text,
    escalated_at     timestamptz,
    resolved_at      timestamptz,
    resolved_by      text,                    -- 'auto', or who resolved it by hand
    resolve_comment  text,
    created_at       timestamptz NOT NULL DEFAULT now(),  -- wall time, for escalation
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alert_one_unresolved_idx ON alert (rule_id, device_id) WHERE state <> 'resolved';
CREATE INDEX alert_device_idx ON alert (device_id, opened_at DESC);
CREATE INDEX alert_use_case_idx ON alert (use_case, opened_at DESC);
CREATE INDEX alert_unresolved_idx ON alert (state) WHERE state <> 'resolved';

-- Each change of an alert, in order; 'published' is the outbox flag for mue.alert.<uc>.<severity>.
CREATE TABLE alert_event (
    id          bigserial PRIMARY KEY,
    alert_id    bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('opened', 'acknowledged', 'escalated', 'resolved')),
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL DEFAULT 'mue-alerts',
    comment     text NOT NULL DEFAULT '',
    value       double precision,
    published   boolean NOT NULL DEFAULT false
);
CREATE INDEX alert_event_alert_idx ON alert_event (alert_id, id);
CREATE INDEX alert_event_unpublished_idx ON alert_event (id) WHERE NOT published;

-- What the engine remembers between measurements of one (rule, device), so a restart neither loses
-- a pending duration nor forgets a rate's recent values.
CREATE TABLE alert_state (
    rule_id        bigint NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    device_id      bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    pending_since  timestamptz,              -- condition true since (not long enough yet)
    last_time      timestamptz,              -- the latest sample evaluated (older ones are late)
    last_value     double precision,
    samples        jsonb NOT NULL DEFAULT '[]',   -- [[time_us, value], ...] within a rate's window
    disarmed       boolean NOT NULL DEFAULT false, -- resolved by hand: no new alert before it clears
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, device_id)
);

-- When the platform last heard each device (the time its message was stored on the bus), for
-- no-data rules.
CREATE TABLE alert_device_seen (
    device_id  bigint PRIMARY KEY REFERENCES device (id) ON DELETE CASCADE,
    heard_at   timestamptz NOT NULL
);

-- Where notifications go. A webhook gets a JSON POST signed with HMAC-SHA256 of 'secret'; an
-- e-mail channel sends to 'target' (comma-separated addresses) through the configured SMTP
-- server. Events of one (rule, device) within group_s after a notification wait and go together
-- in the next one; during the quiet hours (local time) only critical alerts are sent at once.
CREATE TABLE alert_channel (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    kind          text NOT NULL CHECK (kind IN ('webhook', 'email')),
    target        text NOT NULL,
    secret        text NOT NULL DEFAULT '',
    use_case      text REFERENCES use_case (id),        -- NULL: every use case
    min_severity  text NOT NULL DEFAULT 'warning' CHECK (min_severity IN ('info', 'warning', 'critical')),
    group_s       integer NOT NULL DEFAULT 900 CHECK (group_s >= 0),
    quiet_from    time,
    quiet_to      time,
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
);

-- The notification outbox: one pending row per (channel, rule:device) gathers events until sent.
CREATE TABLE alert_notification (
    id               bigserial PRIMARY KEY,
    channel_id       bigint NOT NULL REFERENCES alert_channel (id) ON DELETE CASCADE,
    group_key        text NOT NULL,
    severity         text NOT NULL,
    events           jsonb NOT NULL DEFAULT '[]',
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE UNIQUE INDEX alert_notification_pending_idx ON alert_notification (channel_id, group_key)
    WHERE status = 'pending';
CREATE INDEX alert_notification_sent_idx ON alert_notification (channel_id, group_key, sent_at DESC)
    WHERE status = 'sent';
