-- 0003_storage.sql - measurements partitioned by month then by use case (so that each use case
-- keeps its raw rows for its own time, by dropping partitions), hourly and daily rollups kept
-- exactly in step with the raw rows, and the noise indicators computed from them.

ALTER TABLE use_case ADD COLUMN raw_retention_days integer CHECK (raw_retention_days > 0);
COMMENT ON COLUMN use_case.raw_retention_days IS
    'raw measurements older than this are dropped with their month partition; NULL keeps them';

ALTER TABLE measurement RENAME TO measurement_v2;
-- Its month partitions bear the names the new layout gives its own: out of the way.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'measurement_v2'::regclass LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', p.relname, p.relname || '_v2');
    END LOOP;
END
$$;
DROP FUNCTION mue_ensure_measurement_partition(timestamptz);

-- use_case is in the key only because PostgreSQL wants every partition key in a partitioned
-- table's primary key. (device_id, quantity, time) stays unique because all of a device's rows
-- live under its current use case: the writer takes the use case from the device row (locked
-- for the batch), and changing a device's use case moves its rows (trigger below).
CREATE TABLE measurement (
    device_id bigint NOT NULL,
    quantity  text NOT NULL,
    time      timestamptz NOT NULL,
    value     double precision NOT NULL,
    use_case  text NOT NULL,
    PRIMARY KEY (device_id, quantity, time, use_case)
) PARTITION BY RANGE (time);

-- Creates the month partition holding 't' (UTC months) and its leaf for 'uc', unless they exist;
-- returns the leaf's name (measurement_YYYY_MM_<use case>). Writers call it for every month and
-- use case a batch needs, so late and back-filled data always has a home; the advisory locks make
-- two writers racing for the same partition wait for each other instead of failing.
CREATE FUNCTION mue_ensure_measurement_partition(uc text, t timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo    timestamptz := date_trunc('month', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi    timestamptz := lo + interval '1 month';
    month text := 'measurement_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
    leaf  text := month || '_' || uc;
BEGIN
    IF to_regclass(leaf) IS NOT NULL THEN
        RETURN leaf;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext(month));
    IF to_regclass(month) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF measurement FOR VALUES FROM (%L) TO (%L)'
                       ' PARTITION BY LIST (use_case)', month, lo, hi);
    END IF;
    IF to_regclass(leaf) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', leaf, month, uc);
    END IF;
    RETURN leaf;
END
$$;

-- Partitions ahead of time: this month and the next 'months' for every use case.
CREATE FUNCTION mue_ensure_measurement_ahead(months integer) RETURNS integer
LANGUAGE sql AS $$
    SELECT count(mue_ensure_measurement_partition(u.id, now() + m * interval '1 month'))::integer
    FROM use_case u, generate_series(0, months) AS m
$$;

-- The UTC month a partition's name stands for (measurement_YYYY_MM[_<use case>]), or NULL for
-- any other name, so that no other relation's name is ever parsed as a date.
CREATE FUNCTION mue_partition_month(relname text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN relname ~ '^measurement_[0-9]{4}_[0-9]{2}($|_)'
                THEN to_date(substr(relname, 13, 7), 'YYYY_MM')::timestamp AT TIME ZONE 'UTC' END
$$;

-- Drops the leaves whose whole month is older than their use case's raw_retention_days, then the
-- months left empty; rollups stay. Returns the number of leaves dropped.
CREATE FUNCTION mue_drop_expired_measurements() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        SELECT c.relname AS leaf, p.relname AS month, u.raw_retention_days AS days,
               mue_partition_month(p.relname) AS lo
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_inherits top ON top.inhrelid = p.oid AND top.inhparent = 'measurement'::regclass
        JOIN use_case u ON c.relname = p.relname || '_' || u.id
        WHERE u.raw_retention_days IS NOT NULL
    LOOP
        IF r.lo IS NOT NULL AND r.lo + interval '1 month' <= now() - make_interval(days => r.days) THEN
            EXECUTE format('DROP TABLE %I', r.leaf);
            n := n + 1;
        END IF;
    END LOOP;
    FOR r IN
        SELECT p.relname AS month FROM pg_inherits top JOIN pg_class p ON p.oid = top.inhrelid
        WHERE top.inhparent = 'measurement'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = p.oid)
          AND mue_partition_month(p.relname) < now() - interval '1 month'
    LOOP
        EXECUTE format('DROP TABLE %I', r.month);
    END LOOP;
    RETURN n;
END
$$;

-- A device moved to another use case takes its rows with it, in the same transaction, so no
-- replay can store a row a second time under the other use case.
CREATE FUNCTION mue_device_use_case_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mue_ensure_measurement_partition(NEW.use_case, m.month)
    FROM (SELECT DISTINCT date_trunc('month', time) AS month FROM measurement
          WHERE device_id = NEW.id AND use_case = OLD.use_case) AS m;
    UPDATE measurement SET use_case = NEW.use_case
    WHERE device_id = NEW.id AND use_case = OLD.use_case;
    RETURN NEW;
END
$$;

CREATE TRIGGER device_use_case_moved AFTER UPDATE OF use_case ON device
FOR EACH ROW WHEN (OLD.use_case IS DISTINCT FROM NEW.use_case)
EXECUTE FUNCTION mue_device_use_case_moved();

-- Move what the first layout holds.
SELECT mue_ensure_measurement_partition(s.use_case, s.month)
FROM (SELECT DISTINCT d.use_case, date_trunc('month', m.time) AS month
      FROM measurement_v2 m JOIN device d ON d.id = m.device_id) AS s;
INSERT INTO measurement (device_id, quantity, time, value, use_case)
SELECT m.device_id, m.quantity, m.time, m.value, d.use_case
FROM measurement_v2 m JOIN device d ON d.id = m.device_id;
DROP TABLE measurement_v2;
SELECT mue_ensure_measurement_ahead(2);

-- Rollups per (device, quantity): UTC hours, and local days (Europe/Paris, the days the
-- directorates count in). Sums are numeric, each value taken through its shortest exact text
-- (value::text::numeric: a plain ::numeric cast keeps only 15 digits), so they are exact and the
-- same whatever order rows arrive in; 'energy' is the sum of 10^(L/10) for sound levels
-- (quantities L[ACZ]...), from which the energetic mean 10·log10(energy / count) is taken.
CREATE TABLE rollup_hour (
    device_id   bigint NOT NULL,
    quantity    text NOT NULL,
    hour        timestamptz NOT NULL,
    count       bigint NOT NULL,
    sum         numeric NOT NULL,
    min         double precision NOT NULL,
    max         double precision NOT NULL,
    first_time  timestamptz NOT NULL,
    first_value double precision NOT NULL,
    last_time   timestamptz NOT NULL,
    last_value  double precision NOT NULL,
    energy      numeric,
    PRIMARY KEY (device_id, quantity, hour)
);

CREATE TABLE rollup_day (
    device_id   bigint NOT NULL,
    quantity    text NOT NULL,
    day         date NOT NULL,
    count       bigint NOT NULL,
    sum         numeric NOT NULL,
    min         double precision NOT NULL,
    max         double precision NOT NULL,
    first_time  timestamptz NOT NULL,
    first_value double precision NOT NULL,
    last_time   timestamptz NOT NULL,
    last_value  double precision NOT NULL,
    energy      numeric,
    PRIMARY KEY (device_id, quantity, day)
);

-- 10^(L/10) in numeric: exact enough to sum without order mattering.
CREATE FUNCTION mue_sound_energy(quantity text, value double precision) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN quantity ~ '^L[ACZ]' THEN power(10::numeric, value::text::numeric / 10) END
$$;

-- The rollups as a person reads them.
CREATE VIEW rollup_hour_stats AS
SELECT device_id, quantity, hour, count, min, max, (sum / count)::double precision AS mean,
       sum::double precision AS sum, first_value, last_value,
       (10 * log(energy / count))::double precision AS energetic_mean
FROM rollup_hour;

CREATE VIEW rollup_day_stats AS
SELECT device_id, quantity, day, count, min, max, (sum / count)::double precision AS mean,
       sum::double precision AS sum, first_value, last_value,
       (10 * log(energy / count))::double precision AS energetic_mean
FROM rollup_day;

-- The rows the first layout held get their rollups now, computed as the writer does, so that
-- the rollups equal the raw rows from the start.
INSERT INTO rollup_hour (device_id, quantity, hour, count, sum, min, max, first_time,
                         first_value, last_time, last_value, energy)
SELECT device_id, quantity, date_trunc('hour', time, 'UTC'), count(*), sum(value::text::numeric),
       min(value), max(value), min(time), (array_agg(value ORDER BY time))[1], max(time),
       (array_agg(value ORDER BY time DESC))[1], sum(mue_sound_energy(quantity, value))
FROM measurement GROUP BY 1, 2, 3;

INSERT INTO rollup_day (device_id, quantity, day, count, sum, min, max, first_time, first_value,
                        last_time, last_value, energy)
SELECT device_id, quantity, (hour AT TIME ZONE 'Europe/Paris')::date, sum(count), sum(sum),
       min(min), max(max), min(first_time), (array_agg(first_value ORDER BY first_time))[1],
       max(last_time), (array_agg(last_value ORDER BY last_time DESC))[1], sum(energy)
FROM rollup_hour GROUP BY 1, 2, 3;
