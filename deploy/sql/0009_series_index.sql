-- A year's hourly series of one sensor is read from the primary key alone (an index-only scan,
-- already in time order). rollup_hour rows of one series lie far apart in the heap, since every
-- device's current hour is written at once; fetching 8,760 of them from as many pages was most
-- of the time of a year's series. The key's index carries the values the series reads.
ALTER TABLE rollup_hour
    DROP CONSTRAINT rollup_hour_pkey,
    ADD CONSTRAINT rollup_hour_pkey PRIMARY KEY (device_id, quantity, hour)
        INCLUDE (count, sum, min, max, first_value, last_value, energy);
