-- 0002_measurement.sql - measurements partitioned by month, and the latest value of each series.

CREATE TABLE measurement (
    device_id bigint NOT NULL,
    quantity  text NOT NULL,
    time      timestamptz NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (device_id, quantity, time)
) PARTITION BY RANGE (time);

-- Creates the month partition holding 't' (UTC months) unless it exists; returns its name.
-- Writers call it ahead of time and for late or back-filled data; the advisory lock makes two
-- writers racing for the same month wait for each other instead of failing.
CREATE FUNCTION mue_ensure_measurement_partition(t timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo   timestamptz := date_trunc('month', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi   timestamptz := lo + interval '1 month';
    name text := 'measurement_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext(name));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF measurement FOR VALUES FROM (%L) TO (%L)',
                           name, lo, hi);
        END IF;
    END IF;
    RETURN name;
END
$$;

SELECT mue_ensure_measurement_partition(now() + m * interval '1 month')
FROM generate_series(-1, 2) AS m;

CREATE TABLE latest_value (
    device_id bigint NOT NULL,
    quantity  text NOT NULL,
    time      timestamptz NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (device_id, quantity)
);
