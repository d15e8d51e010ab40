-- 0005_heat.sql - the urban heat islands' indicators, in local time (Europe/Paris).
--
-- A night runs from 20:00 to 08:00 local time and belongs to the date it starts on. Its minimum
-- is the lowest of the hourly minimums of the air temperature (rollup_hour), so it is exact
-- whatever the sample interval. Thresholds: Météo-France calls a night tropical when the
-- temperature stays at or above 20 °C; the heatwave watch of the Bouches-du-Rhône looks for nights
-- at or above 24 °C. The island's intensity is how much warmer a night stayed than the mean of the
-- reference sensors (params.reference = true, the parks) that same night.

CREATE VIEW heat_night AS
WITH h AS (
    SELECT r.device_id, r.min, (r.hour AT TIME ZONE 'Europe/Paris') AS local
    FROM rollup_hour r JOIN device d ON d.id = r.device_id
    WHERE r.quantity = 'temperature' AND d.use_case = 'heat'
), n AS (
    SELECT device_id,
           CASE WHEN extract(hour FROM local) < 8 THEN (local - interval '1 day')::date
                ELSE local::date END AS night,
           min(min) AS tmin,
           count(*) AS hours
    FROM h
    WHERE extract(hour FROM local) >= 20 OR extract(hour FROM local) < 8
    GROUP BY 1, 2
), ref AS (
    SELECT n.night, avg(n.tmin) AS tmin
    FROM n JOIN device d ON d.id = n.device_id
    WHERE (d.params ->> 'reference') = 'true'
    GROUP BY n.night
)
SELECT n.device_id, d.site_id, n.night, n.tmin, n.hours::integer AS hours,
       n.tmin >= 20 AS tropical,
       n.tmin >= 24 AS heatwave_night,
       n.tmin - ref.tmin AS island
FROM n JOIN device d ON d.id = n.device_id
LEFT JOIN ref ON ref.night = n.night;

COMMENT ON VIEW heat_night IS
    'per heat sensor and night (20:00-08:00 local, dated by its start): minimum temperature, '
    'hours measured, tropical (>= 20 °C), heatwave night (>= 24 °C), and the island intensity '
    '(minimum minus the mean minimum of the reference sensors that night)';
