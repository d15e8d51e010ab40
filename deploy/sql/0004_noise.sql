-- 0004_noise.sql - the noise observatory's indicators (EU Directive 2002/49/EC), in local time.
--
-- Periods, Europe/Paris: day 06-18, evening 18-22, night 22-06; a night belongs to the date it
-- starts on. Each period's level is the energetic mean of the LAeq samples in it, from the hourly
-- rollups' energies, so it is exact whatever the sample interval as long as samples are regular.
-- Lden weights each period by its actual length that day (12 h, 4 h, and 8 h of night, 7 or 9 h
-- on the nights clocks change), with the +5 dB evening and +10 dB night penalties:
--   Lden = 10·log10((Td·10^(Ld/10) + Te·10^((Le+5)/10) + Tn·10^((Ln+10)/10)) / (Td + Te + Tn))

CREATE VIEW noise_period AS
WITH h AS (
    SELECT r.device_id, r.count, r.energy, (r.hour AT TIME ZONE 'Europe/Paris') AS local
    FROM rollup_hour r
    WHERE r.quantity = 'LAeq' AND r.energy IS NOT NULL
)
SELECT device_id,
       CASE WHEN extract(hour FROM local) < 6 THEN (local - interval '1 day')::date
            ELSE local::date END AS day,
       CASE WHEN extract(hour FROM local) >= 6 AND extract(hour FROM local) < 18 THEN 'day'
            WHEN extract(hour FROM local) >= 18 AND extract(hour FROM local) < 22 THEN 'evening'
            ELSE 'night' END AS period,
       sum(count) AS samples,
       sum(energy) AS energy
FROM h
GROUP BY 1, 2, 3;

CREATE VIEW noise_day AS
WITH p AS (
    SELECT device_id, day,
           10 * log(sum(energy) FILTER (WHERE period = 'day')
                    / sum(samples) FILTER (WHERE period = 'day')) AS lday,
           10 * log(sum(energy) FILTER (WHERE period = 'evening')
                    / sum(samples) FILTER (WHERE period = 'evening')) AS levening,
           10 * log(sum(energy) FILTER (WHERE period = 'night')
                    / sum(samples) FILTER (WHERE period = 'night')) AS lnight
    FROM noise_period
    GROUP BY device_id, day
), t AS (
    SELECT p.*,
           12::numeric AS td, 4::numeric AS te,
           (extract(epoch FROM ((p.day + 1) + time '06:00') AT TIME ZONE 'Europe/Paris'
                            - (p.day + time '22:00') AT TIME ZONE 'Europe/Paris') / 3600)::numeric
               AS tn
    FROM p
)
SELECT t.device_id, d.site_id, t.day,
       t.lday::double precision AS lday,
       t.levening::double precision AS levening,
       t.lnight::double precision AS lnight,
       (10 * log((t.td * power(10::numeric, t.lday / 10)
                  + t.te * power(10::numeric, (t.levening + 5) / 10)
                  + t.tn * power(10::numeric, (t.lnight + 10) / 10))
                 / (t.td + t.te + t.tn)))::double precision AS lden,
       t.tn::integer AS night_hours
FROM t JOIN device d ON d.id = t.device_id;

-- Per site: the site's devices' samples pooled, period by period.
CREATE VIEW noise_site_day AS
WITH p AS (
    SELECT d.site_id, n.day, n.period, sum(n.samples) AS samples, sum(n.energy) AS energy
    FROM noise_period n JOIN device d ON d.id = n.device_id
    WHERE d.site_id IS NOT NULL
    GROUP BY 1, 2, 3
), l AS (
    SELECT site_id, day,
           10 * log(sum(energy) FILTER (WHERE period = 'day')
                    / sum(samples) FILTER (WHERE period = 'day')) AS lday,
           10 * log(sum(energy) FILTER (WHERE period = 'evening')
                    / sum(samples) FILTER (WHERE period = 'evening')) AS levening,
           10 * log(sum(energy) FILTER (WHERE period = 'night')
                    / sum(samples) FILTER (WHERE period = 'night')) AS lnight,
           (extract(epoch FROM ((day + 1) + time '06:00') AT TIME ZONE 'Europe/Paris'
                            - (day + time '22:00') AT TIME ZONE 'Europe/Paris') / 3600)::numeric
               AS tn
    FROM p GROUP BY site_id, day
)
SELECT site_id, day, lday::double precision AS lday, levening::double precision AS levening,
       lnight::double precision AS lnight,
       (10 * log((12 * power(10::numeric, lday / 10) + 4 * power(10::numeric, (levening + 5) / 10)
                  + tn * power(10::numeric, (lnight + 10) / 10)) / (16 + tn)))::double precision
           AS lden
FROM l;

-- The composition of the sound environment: the statistical levels of each hour from the
-- short-interval LAeq samples. L10 is the level exceeded 10 % of the time (the 90th percentile),
-- L90 the background exceeded 90 % of it. Read from raw rows, so only while they are kept.
CREATE VIEW noise_hour AS
SELECT device_id, date_trunc('hour', time) AS hour, count(*) AS samples,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY value) AS l10,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS l50,
       percentile_cont(0.1) WITHIN GROUP (ORDER BY value) AS l90
FROM measurement
WHERE quantity = 'LAeq' AND use_case = 'noise'
GROUP BY 1, 2;
