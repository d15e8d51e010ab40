-- 0006_api.sql - who may call mue-api, and what operators did.
--
-- An API key is shown once when made (mue-admin keys create); only its SHA-256 is kept. Its role
-- says what it may do: 'directorate' for the use cases it lists, 'operator' (street lighting),
-- 'partner' for the devices it lists (an experimentation site), 'admin'. Calls without a key are
-- the public's.

CREATE TABLE api_key (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('directorate', 'operator', 'partner', 'admin')),
    use_cases  text[] NOT NULL DEFAULT '{}',
    devices    text[] NOT NULL DEFAULT '{}',
    key_hash   text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CHECK (role <> 'directorate' OR cardinality(use_cases) > 0),
    CHECK (role <> 'partner' OR cardinality(devices) > 0)
);

CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    key_id  bigint REFERENCES api_key (id),
    actor   text NOT NULL,          -- the key's name, or the command line's user
    action  text NOT NULL,          -- e.g. 'device.update', 'key.create'
    target  text NOT NULL DEFAULT '',
    detail  jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
