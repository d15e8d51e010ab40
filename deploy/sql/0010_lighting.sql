-- Street lighting (mue-lighting, docs/lighting.md): TALQ control programs and calendars, their
-- assignment to groups of lamps (device_group of 0007: a commune, a cabinet, a street, any set),
-- overrides, and the configuration downlinks compiled from them with what each device accepted.

-- A program and a calendar are kept as their TALQ JSON (services/lighting/talq_json.c parses
-- and checks it before it is stored), so what an operator sent is what is read back.
CREATE TABLE lighting_program (
    id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,63}$'),
    doc         jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT ''
);

CREATE TABLE lighting_calendar (
    id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,63}$'),
    doc         jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT ''
);

-- A calendar drives the lamps of a group; a lamp in several assigned groups follows the
-- assignment of highest priority (then the group's name, for a stable choice).
CREATE TABLE lighting_assignment (
    group_name   text PRIMARY KEY REFERENCES device_group (name) ON DELETE CASCADE,
    calendar_id  text NOT NULL REFERENCES lighting_calendar (id),
    priority     integer NOT NULL DEFAULT 0,
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    assigned_by  text NOT NULL DEFAULT ''
);

-- A level for a group or for some lamps from starts_at to expires_at, over the calendar; the
-- lamps return to their program at expiry, or when the override is cancelled.
CREATE TABLE lighting_override (
    id            bigserial PRIMARY KEY,
    group_name    text REFERENCES device_group (name) ON DELETE CASCADE,
    device_ids    bigint[],
    level         integer NOT NULL CHECK (level BETWEEN 0 AND 100),
    starts_at     timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    priority      integer NOT NULL DEFAULT 0,
    reason        text NOT NULL CHECK (reason IN ('event', 'maintenance', 'emergency', 'other')),
    comment       text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT '',
    cancelled_at  timestamptz,
    cancelled_by  text,
    CHECK (expires_at > starts_at),
    CHECK ((group_name IS NULL) <> (device_ids IS NULL))
);
CREATE INDEX lighting_override_live_idx ON lighting_override (expires_at)
    WHERE cancelled_at IS NULL;

-- One configuration downlink for one setting of a device ('key': nas.profile.1, nas.calendar,
-- nas.holidays, nas.dim, ws558.task.7 ...). pending: to publish; queued, sent: the network
-- server's word; acknowledged: the device echoed it (or acked a confirmed downlink); failed
-- after max_attempts, expired past expires_at; superseded when a newer one for the same setting
-- replaced it before it was acknowledged.
CREATE TABLE lighting_command (
    id               bigserial PRIMARY KEY,
    device_id        bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    key              text NOT NULL,
    f_port           integer NOT NULL CHECK (f_port BETWEEN 1 AND 223),
    payload          bytea NOT NULL,
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'queued', 'sent', 'acknowledged', 'failed',
                                      'expired', 'superseded')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 5,
    downlink_id      text UNIQUE,
    reason           text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz,
    acknowledged_at  timestamptz
);
CREATE INDEX lighting_command_device_idx ON lighting_command (device_id, key, id DESC);
CREATE INDEX lighting_command_open_idx ON lighting_command (next_attempt_at)
    WHERE state IN ('pending', 'queued', 'sent');

-- What each device runs: per setting, the bytes it last acknowledged.
CREATE TABLE lighting_device_setting (
    device_id    bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    key          text NOT NULL,
    payload      bytea NOT NULL,
    command_id   bigint REFERENCES lighting_command (id) ON DELETE SET NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, key)
);
