-- 0011_opendata.sql - mue-opendata: the published datasets, how far each was exported, the runs
-- of their export jobs (visible through the API while they run) and their pushes to CKAN portals.
--
-- The definitions themselves live in deploy/opendata/datasets.json; mue-opendata copies each one
-- here at start so that the API lists what is published without reading the service's files.
CREATE TABLE opendata_dataset (
    id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    title        text NOT NULL,
    use_case     text REFERENCES use_case (id),
    restricted   boolean NOT NULL,
    frequency    text NOT NULL,
    definition   jsonb NOT NULL,
    first_period timestamptz,          -- start of the first period in the files
    done_until   timestamptz,          -- end of the last period in the files (periodic datasets)
    exported_at  timestamptz,          -- when a run last wrote the files
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One run of a dataset's job. A run that dies leaves 'running' behind: the next run of the same
-- dataset (which holds the dataset's advisory lock, so none other runs) marks it interrupted.
CREATE TABLE opendata_run (
    id           bigserial PRIMARY KEY,
    dataset      text NOT NULL REFERENCES opendata_dataset (id) ON DELETE CASCADE,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    state        text NOT NULL DEFAULT 'running'
                 CHECK (state IN ('running', 'ok', 'failed', 'interrupted')),
    period_from  timestamptz,          -- the periods this run wrote: [period_from, period_to)
    period_to    timestamptz,
    parts_total  integer NOT NULL DEFAULT 0,
    parts_done   integer NOT NULL DEFAULT 0,
    rows         bigint NOT NULL DEFAULT 0,
    files        integer NOT NULL DEFAULT 0,
    pid          integer,
    error        text
);
CREATE INDEX opendata_run_dataset_idx ON opendata_run (dataset, id DESC);

-- The last push of a dataset to a CKAN portal (DataSud...): what the portal calls the package.
CREATE TABLE opendata_push (
    dataset      text NOT NULL REFERENCES opendata_dataset (id) ON DELETE CASCADE,
    portal       text NOT NULL,
    state        text NOT NULL CHECK (state IN ('ok', 'failed')),
    package_id   text,
    pushed_at    timestamptz NOT NULL DEFAULT now(),
    calls        integer NOT NULL DEFAULT 0,
    retries      integer NOT NULL DEFAULT 0,
    error        text,
    PRIMARY KEY (dataset, portal)
);
