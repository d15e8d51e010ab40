// view3d.js - the 3D view (/3d): the communes in relief, one use case's sensors as columns of
// their latest value, the table of the same values beside it, moved by mouse, touch, keys and
// buttons, kept current by the live stream. Without WebGL the table stays and a sentence says why.
import { announce, fill, h, table } from '../lib/dom.js';
import { num, when, withUnit } from '../lib/format.js';
import { live } from '../lib/live.js';
import { communeAt, loadCommunes } from '../lib/v3d-geo.js';
import { MEASURES, RAMP_CSS, fetchMeasure, measureById, scaleFor } from '../lib/v3d-measures.js';
import { createScene, webglAvailable } from '../lib/v3d-scene.js';

const byId = (id) => document.getElementById(id);
const ROTATE_DEG = 15;
const TILT_DEG = 8;
const ZOOM = 1.25;
const PAN_PX = 60;
const COUNTING_REFRESH_MS = 3000; // a counter's event is an interval's count: today's is asked again

let geo = null;     // v3d-geo.js's communes
let view = null;    // v3d-scene.js's handle, null without WebGL
let measure = null; // the MEASURES entry shown
let shown = [];     // the columns: [{dev_eui, name, x, y, commune, value, time, text}]
let scale = null;
let cells = new Map(); // dev_eui → {value, time}: the table's cells to update live
let stream = null;
let loadToken = 0;
let refetchTimer = null;

const valueText = (m, v) => withUnit(v, m.unit, m.digits);
const plural = (n, one, many) => (n > 1 ? many : one);
const sensors = (n) => `${n} capteur${plural(n, '', 's')} représenté${plural(n, '', 's')}`;

function setStatus(text, isError = false) {
    const el = byId('v3d-status');
    el.textContent = text;
    el.classList.toggle('error', isError);
}

// ---- the legend and the table ----

function drawLegend(m) {
    const ramp = h('div', { class: 'v3d-ramp', 'aria-hidden': 'true' });
    ramp.style.background = RAMP_CSS;
    fill(byId('v3d-legend'),
        h('p', { class: 'v3d-legend-title' }, `Légende : ${m.label}, en ${m.unit}`),
        ramp,
        h('ul', { class: 'v3d-ticks' }, scale.ticks.map((t) => h('li', {}, num(t, m.digits)))),
        h('p', { class: 'hint' }, `Hauteur et couleur des colonnes : de ${valueText(m, scale.min)} (basse, foncée) à `,
            `${valueText(m, scale.max)} (haute, jaune clair).`));
}

function drawTable(m, data) {
    cells = new Map();
    const notes = [];
    if (data.noValue > 0) {
        const n = data.noValue;
        notes.push(`${n} appareil${plural(n, ' de ce domaine n’a', 's de ce domaine n’ont')} pas de valeur de cette donnée `
            + `(${plural(n, 'il ne la mesure', 'ils ne la mesurent')} pas, ou rien n’est encore reçu) : `
            + `${plural(n, 'il n’est pas représenté', 'ils ne sont pas représentés')}.`);
    }
    if (data.unplaced > 0) {
        const n = data.unplaced;
        notes.push(`${n} appareil${plural(n, ' sans position connue n’est pas représenté', 's sans position connue ne sont pas représentés')}.`);
    }
    fill(byId('v3d-notes'), notes.map((n) => h('p', { class: 'hint' }, n)));
    if (shown.length === 0) {
        fill(byId('v3d-table'), h('p', { class: 'notice' }, 'Aucun capteur de ce domaine n’a de valeur à représenter pour le moment.'));
        return;
    }
    const rows = shown.map((s) => {
        const value = h('span', {}, num(s.value, m.digits));
        const time = h('span', {}, when(s.time));
        cells.set(s.dev_eui, { value, time });
        return [s.name, s.commune, value, time];
    });
    fill(byId('v3d-table'), table(`${m.label} : ${sensors(shown.length)}`,
        [{ label: 'Capteur', header: true }, { label: 'Commune' }, { label: `Valeur (${m.unit})`, num: true }, { label: 'Mesurée le' }],
        rows));
}

function describeCanvas(m) {
    if (!view) return;
    view.canvas.setAttribute('aria-label', `Vue 3D interactive du territoire : ${m.label}, ${shown.length} colonne${plural(shown.length, '', 's')}. Les valeurs sont dans le tableau « Les capteurs représentés ».`);
}

// ---- a measure: fetch, draw, follow ----

function columnItem(m, r) {
    const [x, y] = geo.project(r.lon, r.lat);
    const c = communeAt(geo.communes, x, y);
    return { ...r, x, y, commune: c ? c.nom : 'hors commune', text: `${r.name} : ${valueText(m, r.value)}` };
}

// Shows measure 'm' (its data already asked for when 'pending' is given); 'quiet' refreshes the
// one shown, giving way to any choice made meanwhile. Returns false when another choice came.
async function showMeasure(m, { quiet = false, pending = null } = {}) {
    const token = quiet ? loadToken : ++loadToken;
    if (!quiet) setStatus(`Chargement : ${m.label}…`);
    const data = await (pending || fetchMeasure(m));
    if (token !== loadToken || (quiet && m !== measure)) return false; // another choice came since
    measure = m;
    shown = data.shown.map((r) => columnItem(m, r));
    scale = scaleFor(m, shown.map((s) => s.value));
    byId('v3d-viewport').dataset.measure = m.id;
    if (view) view.setColumns(shown, scale);
    describeCanvas(m);
    if (view) drawLegend(m);
    drawTable(m, data);
    setStatus(shown.length === 0
        ? `${m.label} : aucun capteur à représenter pour le moment.`
        : `${m.label} : ${sensors(shown.length)}.`);
    if (!quiet) follow(m);
    return true;
}

function scheduleRefetch() {
    if (refetchTimer) return;
    refetchTimer = setTimeout(() => {
        refetchTimer = null;
        const m = measure;
        showMeasure(m, { quiet: true }).catch(() => setStatus('La mise à jour des valeurs a échoué ; elle sera retentée à la prochaine mesure.', true));
    }, COUNTING_REFRESH_MS);
}

function onMeasurement(ev, type) {
    const m = measure;
    if (type !== 'measurement' || !m || !ev || ev.use_case !== m.useCase) return;
    if (m.source === 'counting') {
        scheduleRefetch();
        return;
    }
    const v = ev.values ? ev.values[m.quantity] : undefined;
    if (!Number.isFinite(v)) return;
    const s = shown.find((x) => x.dev_eui === ev.dev_eui);
    if (!s) {
        scheduleRefetch(); // a device that had no value yet: it gets its column
        return;
    }
    s.value = v;
    s.time = ev.time;
    s.text = `${s.name} : ${valueText(m, v)}`;
    if (!m.domain && (v < scale.min || v > scale.max)) {
        scale = scaleFor(m, shown.map((x) => x.value));
        if (view) {
            view.setColumns(shown, scale);
            drawLegend(m);
        }
    } else if (view) view.updateColumn(s.dev_eui, v, s.text);
    const c = cells.get(s.dev_eui);
    if (c) {
        c.value.textContent = num(v, m.digits);
        c.time.textContent = when(ev.time);
    }
}

function follow(m) {
    if (stream) stream.close();
    clearTimeout(refetchTimer);
    refetchTimer = null;
    const state = byId('v3d-live');
    stream = live({ use_case: m.useCase }, onMeasurement, (open) => {
        state.textContent = open ? 'Valeurs mises à jour en direct.' : 'Mise à jour en direct interrompue, nouvelle tentative en cours…';
        state.classList.toggle('live-dot', open);
    });
}

// ---- moving the view ----

let lastCentre = undefined;

// After a move by key or button: light and name the commune at the view's centre; say it when
// it changed.
function afterKeyMove() {
    const c = view.lightCentre();
    if (c !== lastCentre) announce(c ? `Au centre de la vue : ${c.nom}` : 'Au centre de la vue : aucune commune');
    lastCentre = c;
}

const ACTIONS = {
    left: () => view.rotate(ROTATE_DEG),
    right: () => view.rotate(-ROTATE_DEG),
    up: () => view.tilt(TILT_DEG),
    down: () => view.tilt(-TILT_DEG),
    in: () => view.zoom(ZOOM),
    out: () => view.zoom(1 / ZOOM),
    reset: () => view.reset(),
    panLeft: () => view.pan(PAN_PX, 0),
    panRight: () => view.pan(-PAN_PX, 0),
    panUp: () => view.pan(0, PAN_PX),
    panDown: () => view.pan(0, -PAN_PX),
};

function keyAction(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return null;
    switch (ev.key) {
    case 'ArrowLeft': return ev.shiftKey ? 'panLeft' : 'left';
    case 'ArrowRight': return ev.shiftKey ? 'panRight' : 'right';
    case 'ArrowUp': return ev.shiftKey ? 'panUp' : 'up';
    case 'ArrowDown': return ev.shiftKey ? 'panDown' : 'down';
    case '+': case '=': return 'in';
    case '-': case '_': return 'out';
    case '0': case 'Home': return 'reset';
    default: return null;
    }
}

function showCamera() {
    const c = view.camera();
    Object.assign(view.canvas.dataset, {
        azimuth: c.azimuth.toFixed(1), polar: c.polar.toFixed(1), distance: c.distance.toFixed(1),
    });
}

function bindControls() {
    const canvas = view.canvas;
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'application');
    canvas.setAttribute('aria-roledescription', 'vue 3D');
    canvas.setAttribute('aria-describedby', 'v3d-help');
    canvas.addEventListener('keydown', (ev) => {
        const action = keyAction(ev);
        if (!action) return;
        ev.preventDefault(); // the arrows move the view, not the page
        ACTIONS[action]();
        afterKeyMove();
    });
    canvas.addEventListener('focus', () => { if (canvas.matches(':focus-visible')) afterKeyMove(); });
    canvas.addEventListener('blur', () => { view.forgetCentre(); lastCentre = undefined; });
    byId('v3d-buttons').addEventListener('click', (ev) => {
        const button = ev.target.closest('button[data-action]');
        if (!button) return;
        ACTIONS[button.dataset.action]();
        afterKeyMove();
    });
    byId('v3d-commune').addEventListener('change', (ev) => {
        const c = geo.communes.find((x) => x.code === ev.target.value);
        if (c) view.centreOn(c.centre[0], c.centre[1], 35);
        else view.reset();
        afterKeyMove();
    });
    byId('v3d-buttons').hidden = false;
    byId('v3d-help').hidden = false;
    showCamera();
}

// ---- start ----

function fillChoices(initial) {
    fill(byId('v3d-measure'), MEASURES.map((m) => h('option', {
        value: m.id, selected: m === initial,
        dataset: { useCase: m.useCase, quantity: m.quantity || '', source: m.source || 'latest' },
    }, m.label)));
    byId('v3d-measure').addEventListener('change', async (ev) => {
        const m = measureById(ev.target.value);
        if (!m) return;
        clearTimeout(refetchTimer); // a refresh of the previous choice is no longer wanted
        refetchTimer = null;
        const url = new URL(window.location.href);
        url.searchParams.set('mesure', m.id);
        history.replaceState(null, '', url);
        try {
            if (await showMeasure(m)) announce(byId('v3d-status').textContent);
        } catch (e) {
            setStatus(`Les valeurs de « ${m.label} » n’ont pas pu être chargées (${e.message}).`, true);
        }
    });
    const select = byId('v3d-commune');
    for (const c of [...geo.communes].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')))
        select.append(h('option', { value: c.code }, c.nom));
}

async function main() {
    const initial = measureById(new URLSearchParams(window.location.search).get('mesure')) || MEASURES[0];
    const pending = fetchMeasure(initial); // asked while the map is built
    pending.catch(() => {}); // its failure is met below, when awaited
    const res = await fetch('/assets/geo/communes.geojson');
    if (!res.ok) throw new Error(`fond de carte : HTTP ${res.status}`);
    geo = loadCommunes(await res.json());
    fillChoices(initial);
    if (webglAvailable()) {
        view = createScene(byId('v3d-viewport'), geo.communes, {
            label: byId('v3d-label'),
            onCamera: () => showCamera(),
        });
        bindControls();
    } else {
        byId('v3d-viewport').hidden = true;
        fill(byId('v3d-legend'));
        byId('v3d-stage-title').classList.remove('visually-hidden');
        byId('v3d-stage-title').after(h('p', { class: 'notice' },
            'Ce navigateur ne peut pas afficher la vue en trois dimensions (WebGL n’est pas disponible). Les capteurs et leurs valeurs restent dans le tableau ci-dessous.'));
    }
    await showMeasure(initial, { pending });
    if (view) view.draw(); // the first frame, now: data-ready means it is on the screen
    document.documentElement.dataset.ready = 'true';
}

main().catch((e) => {
    setStatus(`La vue 3D n’a pas pu être chargée : ${e.message}. Réessayez dans quelques instants.`, true);
    document.documentElement.dataset.ready = 'error';
});
