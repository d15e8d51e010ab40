-- 0012_roles.sql - least privilege: one PostgreSQL role per service, with only the grants its SQL
-- needs (read from the statements in services/<service>/*.c). mue-admin, which runs the
-- migrations, stays the owner of every object; mue-ingest and mue-sim need no role (the ingest
-- never touches the database; the simulator stands outside, registering its fleet as an operator).
--
--   role            reads                                       writes
--   mue_normalizer  device                                      -
--   mue_writer      use_case, device                            measurement (insert), latest_value,
--                                                               rollup_hour, rollup_day
--   mue_alerts      site, device, device_group_member,          alert, alert_event, alert_state,
--                   rollup_day, noise_day, heat_night,          alert_device_seen,
--                   alert_rule, alert_channel                   alert_notification, audit_log
--   mue_lighting    site, device, device_group(_member),        lighting_*, audit_log
--                   rollup_day, api_key (its id alone)
--   mue_opendata    site, device, device_group(_member),        opendata_dataset, opendata_run,
--                   measurement, latest_value, rollups,         opendata_push
--                   noise_site_day
--   mue_api         the registry, the measurements and their    device, alert_rule (update),
--                   rollups and views, api_key, audit_log,      audit_log (insert)
--                   alerts, lighting commands, opendata_*
-- Every service but the API also reads schema_migration, to check the schema's version at start.
-- Besides the owner, only mue-alerts reads alert_channel (webhook secrets) and only mue-api reads
-- api_key's hashes; the writer and the normalizer see neither.
--
-- A later migration that adds a table or a view grants it, in the same file, to the roles whose
-- SQL uses it (and USAGE on the sequence of a serial column to those that insert; EXECUTE on a
-- function they call, since functions are no longer everyone's): the integration suite
-- (tests/integration/roles.sh) fails on a relation that no service role may use, unless it lists
-- it there as read by people only, and on any refusal a service met.
--
-- Roles belong to the whole cluster: they are made here only when missing (a second database on
-- the same cluster finds them), which needs CREATEROLE (the owner of a docker-compose or a local
-- stack has it); otherwise an administrator makes them first (CREATE ROLE mue_writer LOGIN ...).
-- Passwords are not kept here: mue-admin migrate sets each role's from MUE_PG_PASSWORD_<SERVICE>.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['mue_normalizer', 'mue_writer', 'mue_alerts', 'mue_lighting',
                             'mue_opendata', 'mue_api'] LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', r);
        EXCEPTION
            -- The migration of another database of the cluster made it meanwhile.
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role % is missing and % may not create roles', r, current_user
                    USING HINT = format('give %I CREATEROLE, or make the role: CREATE ROLE %I LOGIN',
                                        current_user, r);
        END;
    END LOOP;
END
$$;

-- Only the owner creates objects; functions run for those granted them, not for everyone (a
-- SECURITY DEFINER function open to PUBLIC would hand the owner's rights to any login).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Partitions are made and dropped by their owner: the writer creates them through this function
-- and expires them through mue_drop_expired_measurements, both with the owner's rights. A device
-- that changes use case takes its rows along whoever changes it (the API or mue-admin): the
-- trigger function runs as the owner too, so the API never needs to write measurement itself.
ALTER FUNCTION mue_ensure_measurement_partition(text, timestamptz) SECURITY DEFINER;
ALTER FUNCTION mue_drop_expired_measurements() SECURITY DEFINER;
ALTER FUNCTION mue_device_use_case_moved() SECURITY DEFINER;

-- A row lock (FOR SHARE, FOR KEY SHARE) needs UPDATE on the table. The writer locks its batch's
-- devices against a change of use case, and mue-lighting holds a group while it binds a calendar
-- or an override to it; neither may change those tables, so these functions take the locks for
-- them and do nothing else.
CREATE FUNCTION mue_lock_devices(ids bigint[]) RETURNS integer
LANGUAGE sql SECURITY DEFINER AS $$
    SELECT count(*)::integer FROM (SELECT 1 FROM device WHERE id = ANY (ids) ORDER BY id FOR SHARE) AS l
$$;

-- True when the group exists, and then it cannot be deleted before the transaction ends.
CREATE FUNCTION mue_hold_device_group(group_name text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER AS $$
    SELECT count(*) > 0 FROM (SELECT 1 FROM device_group WHERE name = group_name FOR KEY SHARE) AS g
$$;

-- A SECURITY DEFINER function resolves names in the owner's schema only, then in pg_temp (last,
-- so that no temporary table of the caller can stand in for one of the owner's).
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['mue_ensure_measurement_partition(text, timestamptz)',
                             'mue_drop_expired_measurements()', 'mue_device_use_case_moved()',
                             'mue_lock_devices(bigint[])', 'mue_hold_device_group(text)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END
$$;
REVOKE EXECUTE ON FUNCTION mue_lock_devices(bigint[]), mue_hold_device_group(text) FROM PUBLIC;

-- mue-normalizer: the registry, to decode each device's frames.
GRANT SELECT ON device, schema_migration TO mue_normalizer;

-- mue-writer: COPY into its own temporary table (TEMP on the database, PUBLIC's by default), then
-- one statement inserting what is new (RETURNING reads it back) and merging the latest values
-- and rollups; partitions ahead and retention in its housekeeping.
GRANT SELECT ON use_case, device, schema_migration TO mue_writer;
GRANT SELECT, INSERT ON measurement TO mue_writer;
GRANT SELECT, INSERT, UPDATE ON latest_value, rollup_hour, rollup_day TO mue_writer;
GRANT EXECUTE ON FUNCTION mue_sound_energy(text, double precision),
    mue_ensure_measurement_partition(text, timestamptz), mue_ensure_measurement_ahead(integer),
    mue_drop_expired_measurements(), mue_lock_devices(bigint[]) TO mue_writer;

-- mue-alerts: rules and devices in, alerts with their events, states and notifications out; the
-- acknowledgements it serves are audited.
GRANT SELECT ON site, device, device_group_member, rollup_day, noise_day, heat_night, alert_rule,
    alert_channel, schema_migration TO mue_alerts;
GRANT SELECT, INSERT, UPDATE ON alert, alert_event, alert_state, alert_device_seen,
    alert_notification TO mue_alerts;
GRANT INSERT ON audit_log TO mue_alerts;
GRANT USAGE ON SEQUENCE alert_id_seq, alert_event_id_seq, alert_notification_id_seq,
    audit_log_id_seq TO mue_alerts;

-- mue-lighting: the only writer of the lighting tables; its audit rows name the caller's key by
-- id, which it checks exists (api_key's other columns stay hidden from it).
GRANT SELECT ON site, device, device_group, device_group_member, rollup_day, schema_migration
    TO mue_lighting;
GRANT SELECT (id) ON api_key TO mue_lighting;
GRANT SELECT, INSERT, UPDATE, DELETE ON lighting_program, lighting_calendar, lighting_assignment
    TO mue_lighting;
GRANT SELECT, INSERT, UPDATE ON lighting_override, lighting_command, lighting_device_setting
    TO mue_lighting;
GRANT INSERT ON audit_log TO mue_lighting;
GRANT USAGE ON SEQUENCE lighting_override_id_seq, lighting_command_id_seq, audit_log_id_seq
    TO mue_lighting;
GRANT EXECUTE ON FUNCTION mue_hold_device_group(text) TO mue_lighting;

-- mue-opendata: reads what it exports; keeps its datasets, runs and pushes.
GRANT SELECT ON site, device, device_group, device_group_member, measurement, latest_value,
    rollup_hour, rollup_day, noise_site_day, schema_migration TO mue_opendata;
GRANT SELECT, INSERT, UPDATE, DELETE ON opendata_dataset TO mue_opendata;
GRANT SELECT, INSERT, UPDATE ON opendata_run, opendata_push TO mue_opendata;
GRANT USAGE ON SEQUENCE opendata_run_id_seq TO mue_opendata;

-- mue-api: reads for its callers (in their scope), registers and edits devices, edits alert
-- rules, audits; alerts are changed by mue-alerts and lighting by mue-lighting, on its request.
GRANT SELECT ON use_case, site, device, device_group, device_group_member, measurement,
    latest_value, rollup_hour, rollup_day, noise_site_day, heat_night, api_key, audit_log,
    alert_rule, alert, alert_event, lighting_assignment, lighting_command, opendata_dataset,
    opendata_run, opendata_push TO mue_api;
GRANT INSERT, UPDATE ON device TO mue_api;
GRANT UPDATE ON alert_rule TO mue_api;
GRANT INSERT ON audit_log TO mue_api;
GRANT USAGE ON SEQUENCE device_id_seq, audit_log_id_seq TO mue_api;
