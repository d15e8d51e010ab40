// usecase.js - one use case's public page, driven by <main data-use-case> and usecases.js: its key
// figures, its map, a chart of a chosen sensor over a day, a week, a month or a year, its own part
// (uc-<use case>.js), the table of the latest values kept live, and the raw data to download.
import { api } from '../lib/api.js';
import { fill, h, table } from '../lib/dom.js';
import { day, when } from '../lib/format.js';
import { live } from '../lib/live.js';
import { STATES, formatValue, quantity, useCase } from '../lib/usecases.js';
import { communeAt, loadCommunes, sensorMap } from '../lib/map.js';
import { allDevices, pageFailed, pageReady } from '../lib/uc-page.js';
import { drawChart } from '../lib/uc-chart.js';
import { SPECIFIC } from '../lib/uc-specific.js';

const main = document.getElementById('contenu');
const uc = main.dataset.useCase;
const $ = (sel) => main.querySelector(sel);

// ---- the latest values ----

const LONG_TABLE = 30;

// eui → Map(quantity → {value, time}) from GET /v1/usecases/{uc}/latest.
function latestByDevice(answer) {
    const byDevice = new Map();
    for (const it of answer.items) byDevice.set(it.dev_eui, new Map(it.values.map((v) => [v.quantity, { value: v.value, time: v.time }])));
    return byDevice;
}

const newest = (values) => [...values.values()].reduce((t, v) => (!t || v.time > t ? v.time : t), null);

function latestTable(ctx) {
    const cols = ctx.def.table.filter((q) => [...ctx.latest.values()].some((vals) => vals.has(q)));
    const devices = [...ctx.devices.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const box = $('[data-latest]');
    if (devices.length === 0) {
        fill(box, h('p', {}, 'Aucun capteur n’est enregistré pour cet usage.'));
        return;
    }
    const tableEl = table(`Dernière valeur de chaque capteur (${devices.length} capteurs)`, [
        { label: 'Capteur', header: true },
        { label: 'Commune' },
        ...cols.map((q) => ({ label: quantity(q).unit ? `${quantity(q).label} (${quantity(q).unit})` : quantity(q).label, num: !quantity(q).text })),
        { label: 'Mesurée le' },
        { label: 'État' },
    ], devices.map((d) => {
        const vals = ctx.latest.get(d.dev_eui) || new Map();
        return [
            d.name,
            ctx.communeOf(d) || '–',
            ...cols.map((q) => h('span', { dataset: { q } }, vals.has(q) ? formatValue(q, vals.get(q).value, false) : '–')),
            h('span', { dataset: { q: 'time' } }, when(newest(vals))),
            stateCell(d.health.status),
        ];
    }));
    // A long table stays folded so that the rest of the page is not pages away.
    fill(box, devices.length > LONG_TABLE
        ? h('details', { class: 'data-table' }, h('summary', {}, `Afficher les ${devices.length} ${ctx.def.sensors}`), tableEl)
        : tableEl);
    const rows = box.querySelectorAll('tbody tr');
    devices.forEach((d, i) => { rows[i].dataset.eui = d.dev_eui; });
    ctx.latestColumns = cols;
}

function stateCell(status) {
    const st = STATES[status] ? status : 'silent';
    return h('span', { class: `state state-${st}`, dataset: { q: 'state' } }, STATES[st].label);
}

// A measurement from the live stream: the row of its device, its marker, the use case's own part.
function onMeasurement(ctx, ev) {
    const d = ctx.devices.get(ev.dev_eui);
    if (!d || !ev.values) return;
    // Counted for those who compare the page with the API: what moved since the load.
    const root = document.documentElement;
    root.dataset.liveUpdates = String(Number(root.dataset.liveUpdates || 0) + 1);
    const vals = ctx.latest.get(ev.dev_eui) || new Map();
    for (const [q, v] of Object.entries(ev.values)) vals.set(q, { value: v, time: ev.time });
    ctx.latest.set(ev.dev_eui, vals);
    d.health.status = 'ok';
    d.health.last_seen = ev.time;
    const row = $(`[data-latest] tr[data-eui="${CSS.escape(ev.dev_eui)}"]`);
    if (row) {
        for (const q of ctx.latestColumns || []) {
            const cell = row.querySelector(`[data-q="${q}"]`);
            if (cell && vals.has(q)) cell.textContent = formatValue(q, vals.get(q).value, false);
        }
        row.querySelector('[data-q="time"]').textContent = when(newest(vals));
        row.querySelector('[data-q="state"]').replaceWith(stateCell('ok'));
        row.classList.remove('just-updated');
        void row.offsetWidth; // restarts the highlight
        row.classList.add('just-updated');
    }
    if (ctx.specific && ctx.specific.onLive && ctx.specific.onLive(ev.dev_eui, ev.values, ev.time)) drawKeyFigures(ctx);
    if (ctx.map) ctx.map.update(ev.dev_eui, sensorOf(ctx, d));
}

function followLive(ctx) {
    const state = $('[data-live]');
    live({ use_case: uc }, (ev, type) => { if (type !== 'alert') onMeasurement(ctx, ev); }, (open) => {
        state.hidden = false;
        state.className = open ? 'live-state live-dot' : 'live-state';
        state.textContent = open ? 'Les dernières valeurs se mettent à jour en direct.'
            : 'Mise à jour en direct interrompue ; nouvel essai en cours.';
    });
}

// ---- the map ----

function sensorOf(ctx, d) {
    const st = STATES[d.health.status] ? d.health.status : 'silent';
    const cls = ctx.def.colour ? ctx.def.colour(ctx, d) : { key: st, label: STATES[st].label, colour: STATES[st].colour };
    const vals = ctx.latest.get(d.dev_eui) || new Map();
    const shown = ctx.def.table.filter((q) => vals.has(q)).slice(0, 2);
    return {
        id: d.dev_eui,
        name: d.name,
        lat: d.latitude,
        lon: d.longitude,
        state: st,
        colour: cls.colour,
        legendKey: cls.key,
        classLabel: cls.label,
        word: ctx.def.colour ? `${cls.label} – ${STATES[st].label}` : STATES[st].label,
        details: [...shown.map((q) => `${quantity(q).label} : ${formatValue(q, vals.get(q).value)}`),
            `Dernière mesure : ${when(d.health.last_seen)}`],
        lastSeen: d.health.last_seen,
        commune: ctx.communeOf(d),
    };
}

async function drawMap(ctx) {
    const legend = ctx.def.colour
        ? { title: ctx.def.legendTitle, items: ctx.def.legend }
        : { title: 'État des capteurs', items: Object.entries(STATES).map(([key, s]) => ({ key, label: s.label, colour: s.colour, shape: key })) };
    ctx.map = await sensorMap($('[data-map]'), {
        label: `Carte des ${ctx.def.sensors}`,
        listTitle: `Liste des ${ctx.def.sensors}`,
        sensors: [...ctx.devices.values()].map((d) => sensorOf(ctx, d)),
        legend,
        columns: [
            { label: 'Commune', value: (s) => s.commune || '–' },
            ...(ctx.def.colour ? [{ label: ctx.def.legendTitle, value: (s) => s.classLabel }] : []),
        ],
        onActivate: (s) => ctx.chooseSensor(s.id, true),
        fitSensors: true,
    });
}

// ---- key figures ----

function drawKeyFigures(ctx) {
    const figures = ctx.def.keyFigures(ctx.indicators);
    const when_ = ctx.indicators.day || ctx.indicators.night;
    fill($('[data-key-figures]'),
        h('ul', { class: 'cards key-figures' }, figures.map((f) => h('li', { class: 'card', dataset: { figure: f.id } },
            h('p', { class: 'figure-label' }, f.label),
            h('p', { class: 'figure' }, f.value),
            f.detail ? h('p', { class: 'figure-detail' }, f.detail) : null))),
        when_ ? h('p', { class: 'hint' }, ctx.indicators.night
            ? `Indicateurs de la nuit du ${day(`${when_}T12:00:00Z`)} au lendemain.`
            : `Indicateurs calculés sur la journée du ${day(`${when_}T12:00:00Z`)}.`) : null);
}

// ---- downloads ----

function drawDownloads(ctx, chosen) {
    const latestPath = `/v1/usecases/${uc}/latest`;
    const items = [];
    if (chosen) {
        const what = `${quantity(chosen.quantity).label}, ${chosen.device.name}, ${chosen.range.title}`;
        items.push(h('li', {}, h('a', { href: `${chosen.path}&format=csv`, download: `${chosen.device.dev_eui}_${chosen.quantity}.csv`, dataset: { download: 'series-csv' } },
            `Série affichée au format CSV (${what})`)));
        items.push(h('li', {}, h('a', { href: chosen.path, download: `${chosen.device.dev_eui}_${chosen.quantity}.json`, dataset: { download: 'series-json' } },
            `Série affichée au format JSON (${what})`)));
    }
    items.push(h('li', {}, h('a', { href: `${latestPath}?format=geojson`, download: `${uc}_dernieres_valeurs.geojson`, dataset: { download: 'latest-geojson' } },
        `Dernières valeurs de tous les ${ctx.def.sensors} au format GeoJSON (carte)`)));
    items.push(h('li', {}, h('a', { href: latestPath, download: `${uc}_dernieres_valeurs.json`, dataset: { download: 'latest-json' } },
        `Dernières valeurs de tous les ${ctx.def.sensors} au format JSON`)));
    fill($('[data-downloads]'), h('ul', { class: 'downloads' }, items),
        h('p', { class: 'hint' }, 'Heures en temps universel (UTC), au format RFC 3339. Données sous Licence Ouverte 2.0.'),
        openDataList(ctx.openData));
}

// The use case's open datasets (mue-opendata): their landing page and whole-history files, at the
// stable URLs the open-data portals synchronise.
const OPEN_FORMATS = {
    csv: ['.csv', 'CSV'],
    geojson: ['.geojson', 'GeoJSON'],
    json: ['.json', 'JSON'],
    'ngsi-ld': ['.jsonld', 'NGSI-LD'],
    'schema-comptage': ['-measures.csv', 'schéma national des comptages'],
};

function openDataList(datasets) {
    if (!datasets.length) return null;
    return [
        h('h3', {}, 'Jeux de données ouverts'),
        h('ul', { class: 'downloads' }, datasets.map((d) => h('li', { dataset: { opendata: d.id } },
            h('a', { href: d.url }, d.title), ' : ',
            ...d.formats.filter((f) => OPEN_FORMATS[f]).flatMap((f, i) => [i ? ', ' : '',
                h('a', { href: `${d.url}${d.id}${OPEN_FORMATS[f][0]}`, download: `${d.id}${OPEN_FORMATS[f][0]}`,
                    'aria-label': `${d.title}, ${OPEN_FORMATS[f][1]}`, dataset: { download: `opendata-${f}` } },
                OPEN_FORMATS[f][1])]),
            '.'))),
        h('p', { class: 'hint' }, h('a', { href: '/opendata/' }, 'Tous les jeux de données ouverts'),
            ' (catalogue DCAT-AP pour les portails : ', h('a', { href: '/opendata/catalog.jsonld' }, 'catalog.jsonld'), ').'),
    ];
}

// ---- the page ----

async function start() {
    const def = useCase(uc);
    if (!def) throw new Error(`usage inconnu : ${uc}`);
    const [devices, latest, indicators, communes, openData] = await Promise.all([
        allDevices(uc), api(`/v1/usecases/${uc}/latest`), api(`/v1/indicators/${uc}`), loadCommunes(),
        api('/v1/opendata/datasets'),
    ]);
    const communeCache = new Map();
    const ctx = {
        uc, def, indicators, communes,
        openData: openData.items.filter((d) => d.use_case === uc && d.access === 'open' && d.url),
        devices: new Map(devices.map((d) => [d.dev_eui, d])),
        latest: latestByDevice(latest),
        communeOf: (d) => {
            if (!communeCache.has(d.dev_eui)) communeCache.set(d.dev_eui, communeAt(communes, d.latitude, d.longitude));
            return communeCache.get(d.dev_eui);
        },
    };
    drawKeyFigures(ctx);
    latestTable(ctx);
    const specific = SPECIFIC[uc];
    if (specific) ctx.specific = specific($('[data-specific]'), ctx) || null;
    const wanted = new URLSearchParams(window.location.search).get('capteur');
    ctx.chooseSensor = await drawChart($('[data-charts]'), ctx, {
        wanted, onChosen: (chosen) => drawDownloads(ctx, chosen),
    });
    await drawMap(ctx);
    followLive(ctx);
}

start().then(pageReady, pageFailed);
