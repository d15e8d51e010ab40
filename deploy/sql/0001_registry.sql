-- 0001_registry.sql - use cases, sites and the device registry.

CREATE TABLE use_case (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,31}$'),
    name        text NOT NULL,           -- French, as the public site shows it
    description text NOT NULL DEFAULT ''
);

INSERT INTO use_case (id, name, description) VALUES
    ('noise',    'Bruit',                 'Observatoire métropolitain du bruit'),
    ('waste',    'Points d''apport volontaire', 'Taux de remplissage des conteneurs'),
    ('water',    'Cours d''eau',          'Hauteur et qualité de l''eau de la Touloubre et de la Cadière'),
    ('counting', 'Comptages vélos et piétons', 'Compteurs et afficheurs'),
    ('lighting', 'Éclairage public',      'Armoires et luminaires connectés'),
    ('heat',     'Îlots de chaleur',      'Température et humidité de l''air');

CREATE TABLE site (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    use_case    text NOT NULL REFERENCES use_case (id),
    commune     text,                    -- name of one of the 92 communes
    insee       text CHECK (insee ~ '^[0-9][0-9AB][0-9]{3}$'),
    latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device (
    id                bigserial PRIMARY KEY,
    dev_eui           text NOT NULL UNIQUE CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
    network           text NOT NULL DEFAULT 'chirpstack',
    name              text NOT NULL,
    model             text NOT NULL,     -- a codec id of mue-normalizer, e.g. milesight-em310-udl
    use_case          text NOT NULL REFERENCES use_case (id),
    site_id           bigint REFERENCES site (id),
    latitude          double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude         double precision CHECK (longitude BETWEEN -180 AND 180),
    params            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    expected_period_s integer CHECK (expected_period_s > 0),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX device_use_case_idx ON device (use_case);
CREATE INDEX device_site_idx ON device (site_id);

COMMENT ON COLUMN device.params IS
    'installation parameters: empty_distance_m, full_distance_m (waste), sensor_height_m (water), ...';
