// sup-devices.js - /supervision/equipements: the health of every device of the key's scope (GET
// /v1/devices), filtered in the page, kept current by the live stream, and the dead letters.
import { api, query } from '../lib/api.js';
import { $, h, fill, table, announce } from '../lib/dom.js';
import { ago, num, when } from '../lib/format.js';
import { DEVICE_STATES, USE_CASES, label } from '../lib/sup-labels.js';
import { errorText, mayReadDeadLetters, pageReady, requireSession, scopeUseCases } from '../lib/sup-session.js';
import { followUseCases } from '../lib/sup-live.js';
import { countByDevice, drawDeadLetters, readDeadLetters } from '../lib/sup-deadletters.js';

const PAGE = 1000;
const POLL_MS = 60000;
const LOW_BATTERY_PCT = 20;

const state = {
    me: null,
    useCases: new Map(),
    devices: new Map(), // dev_eui → device, in the API's order
    deadCounts: new Map(),
    deadLetters: null,
    filters: { use_case: '', state: '', q: '' },
};

const useCaseName = (id) => state.useCases.get(id) || label(USE_CASES, id);

async function readDevices() {
    const all = [];
    for (let offset = 0; ; offset += PAGE) {
        const page = await api(`/v1/devices${query({ limit: PAGE, offset })}`, { auth: true });
        all.push(...page.items);
        if (all.length >= page.total || page.items.length === 0) break;
    }
    return all;
}

// ---- cells ----

function batteryText(b) {
    if (!b || b.value === null || b.value === undefined) return '–';
    if (b.unit === '%') return `${num(b.value, 0)}\u202f%${b.value < LOW_BATTERY_PCT ? ' (faible)' : ''}`;
    return `${num(b.value, 2)}\u202f${b.unit || ''}`;
}

function signalText(hl) {
    const rssi = hl.rssi === null || hl.rssi === undefined ? '–' : `${num(hl.rssi, 0)}\u202fdBm`;
    const snr = hl.snr === null || hl.snr === undefined ? '–' : `${num(hl.snr, 1)}\u202fdB`;
    return rssi === '–' && snr === '–' ? '–' : `${rssi} / ${snr}`;
}

const lastSeen = (t) => (t ? h('time', { datetime: t, title: when(t) }, ago(t)) : 'jamais');

const stateCell = (s) => h('span', { class: `state state-${s}` }, label(DEVICE_STATES, s));

function deadCell(d) {
    const n = state.deadCounts.get(d.dev_eui) || 0;
    if (!n) return '0';
    return h('button', { type: 'button', class: 'button-link', 'data-dead-for': d.dev_eui,
        'aria-label': `Voir les ${n} lettres mortes de ${d.name}`, onclick: () => showDeadLetters(d.dev_eui) }, String(n));
}

// The cells of a row that change with news of the device, by column name.
const LIVE_CELLS = {
    seen: (d) => lastSeen(d.health.last_seen),
    battery: (d) => batteryText(d.health.battery),
    signal: (d) => signalText(d.health),
    state: (d) => stateCell(d.health.status),
};

// ---- drawing ----

function visible() {
    const { use_case: uc, state: st, q } = state.filters;
    const needle = q.trim().toLowerCase();
    return [...state.devices.values()].filter((d) => (!uc || d.use_case === uc) && (!st || d.health.status === st)
        && (!needle || d.name.toLowerCase().includes(needle) || d.dev_eui.includes(needle)));
}

function drawSummary() {
    const counts = { ok: 0, late: 0, silent: 0 };
    for (const d of state.devices.values()) counts[d.health.status] = (counts[d.health.status] || 0) + 1;
    const dead = state.deadLetters && !state.deadLetters.error
        ? h('li', { class: 'card', 'data-summary-dead': '' }, h('span', { class: 'figure' }, num(state.deadLetters.items.length, 0)),
            h('span', { class: 'figure-label' }, `lettres mortes récentes (${num(state.deadLetters.scanned, 0)} lues)`))
        : null;
    fill($('[data-summary]'),
        ['ok', 'late', 'silent'].map((s) => h('li', { class: 'card', 'data-summary-state': s },
            h('span', { class: 'figure' }, num(counts[s], 0)),
            h('span', { class: `figure-label state state-${s}` }, label(DEVICE_STATES, s)))),
        dead);
}

function drawTable() {
    const list = visible();
    const box = $('[data-devices]');
    box.dataset.shown = String(list.length);
    if (!list.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' },
            state.devices.size ? 'Aucun équipement ne correspond à ces filtres.' : 'Aucun équipement actif dans votre périmètre.'));
        return;
    }
    fill(box, table(`Équipements : ${list.length} affiché${list.length > 1 ? 's' : ''} sur ${state.devices.size}`,
        [{ label: 'Nom', header: true }, { label: 'DevEUI' }, { label: 'Cas d’usage' }, { label: 'Modèle' },
            { label: 'Dernier message' }, { label: 'Batterie', num: true }, { label: 'RSSI / SNR', num: true },
            { label: 'Lettres mortes', num: true }, { label: 'État' }],
        list.map((d) => [d.name, h('code', {}, d.dev_eui), useCaseName(d.use_case), d.model || '–',
            LIVE_CELLS.seen(d), LIVE_CELLS.battery(d), LIVE_CELLS.signal(d), deadCell(d), LIVE_CELLS.state(d)])));
    const cols = ['name', 'eui', 'use_case', 'model', 'seen', 'battery', 'signal', 'dead', 'state'];
    box.querySelectorAll('tbody tr').forEach((tr, i) => {
        tr.dataset.eui = list[i].dev_eui;
        [...tr.children].forEach((cell, j) => { cell.dataset.col = cols[j]; });
    });
}

// Updates one device's changing cells in place (focus and scrolling stay where they are).
function redrawDevice(d) {
    const tr = document.querySelector(`[data-devices] tr[data-eui="${d.dev_eui}"]`);
    if (!tr) return;
    for (const [col, make] of Object.entries(LIVE_CELLS)) {
        const cell = tr.querySelector(`[data-col="${col}"]`);
        if (cell) fill(cell, make(d));
    }
}

async function showDeadLetters(devEui) {
    const answer = devEui ? await readDeadLetters(devEui) : state.deadLetters;
    drawDeadLetters(answer, state.devices, devEui);
    $('#titre-lettres').focus();
}

// ---- news ----

function onMeasurement(m) {
    const d = state.devices.get(m.dev_eui);
    if (!d) return;
    const hl = d.health;
    if (!hl.last_seen || m.time > hl.last_seen) hl.last_seen = m.time;
    const v = m.values || {};
    if (v.battery !== undefined) hl.battery = { value: v.battery, unit: '%', time: m.time };
    else if (v.battery_voltage !== undefined && (!hl.battery || hl.battery.unit !== '%'))
        hl.battery = { value: v.battery_voltage, unit: 'V', time: m.time };
    if (v.rssi !== undefined) hl.rssi = v.rssi;
    if (v.snr !== undefined) hl.snr = v.snr;
    const was = hl.status;
    hl.status = 'ok';
    redrawDevice(d);
    if (was !== 'ok') {
        drawSummary();
        announce(`${d.name} : de nouveau en service.`);
    }
}

async function refresh() {
    try {
        const fresh = await readDevices();
        const same = fresh.length === state.devices.size && fresh.every((d) => state.devices.has(d.dev_eui));
        state.devices = new Map(fresh.map((d) => [d.dev_eui, d]));
        drawSummary();
        if (same) fresh.forEach(redrawDevice);
        else drawTable();
    } catch {
        // the next round tries again
    }
}

function liveStatus(text, on) {
    const p = $('[data-live-status]');
    p.textContent = text;
    p.classList.toggle('live-dot', !!on);
}

let stopLive = null;
let pollTimer = null;
function startLive() {
    if (stopLive) stopLive();
    clearInterval(pollTimer);
    const all = state.me.role === 'operator' ? ['lighting'] : (scopeUseCases(state.me) || [...state.useCases.keys()]);
    const followed = state.filters.use_case ? [state.filters.use_case] : all;
    stopLive = followUseCases(followed, (name, data) => { if (name === 'measurement') onMeasurement(data); },
        (open) => liveStatus(open ? 'Dernier message, batterie et signal mis à jour en direct.' : 'Mises à jour en direct interrompues : reconnexion…', open));
    if (!stopLive) {
        pollTimer = setInterval(refresh, POLL_MS);
        liveStatus('Mis à jour toutes les minutes (choisissez un cas d’usage pour le direct).', false);
    }
}

// ---- start ----

function readAddress() {
    const q = new URLSearchParams(location.search);
    for (const k of Object.keys(state.filters)) if (q.has(k)) state.filters[k] = q.get(k);
}

function writeAddress() {
    history.replaceState(null, '', `${location.pathname}${query(state.filters)}`);
}

let announceTimer = null;
function wireFilters() {
    const form = $('[data-filters]');
    for (const k of Object.keys(state.filters)) form.elements[k].value = state.filters[k];
    const apply = () => {
        const before = state.filters.use_case;
        for (const k of Object.keys(state.filters)) state.filters[k] = form.elements[k].value;
        drawTable();
        writeAddress();
        if (before !== state.filters.use_case) startLive();
        clearTimeout(announceTimer);
        announceTimer = setTimeout(() => {
            const n = Number($('[data-devices]').dataset.shown);
            announce(`${n} équipement${n > 1 ? 's' : ''} affiché${n > 1 ? 's' : ''}.`);
        }, 800);
    };
    form.addEventListener('change', apply);
    form.addEventListener('input', apply);
    form.addEventListener('submit', (ev) => { ev.preventDefault(); apply(); });
}

async function main() {
    state.me = await requireSession();
    if (!state.me) return false;
    readAddress();
    const [ucs, devices, dead] = await Promise.all([
        api('/v1/usecases', { auth: true }),
        readDevices(),
        mayReadDeadLetters(state.me) ? readDeadLetters() : Promise.resolve({ error: 'Votre rôle ne donne pas accès aux lettres mortes.' }),
    ]);
    const scope = scopeUseCases(state.me);
    for (const u of ucs.items) if (!scope || scope.includes(u.id)) state.useCases.set(u.id, u.name || label(USE_CASES, u.id));
    const select = $('#f-use-case');
    for (const [id, name] of state.useCases) select.append(h('option', { value: id }, name));
    if (state.filters.use_case && !state.useCases.has(state.filters.use_case)) state.filters.use_case = '';
    state.devices = new Map(devices.map((d) => [d.dev_eui, d]));
    state.deadLetters = dead;
    state.deadCounts = dead.error ? new Map() : countByDevice(dead);
    wireFilters();
    drawSummary();
    drawTable();
    drawDeadLetters(dead, state.devices, null);
    $('[data-dl-all]').addEventListener('click', () => showDeadLetters(null));
    // "il y a 5 min" grows old: the times are rewritten every minute.
    setInterval(() => state.devices.forEach(redrawDevice), 60000);
    startLive();
    return true;
}

main().then((drawn) => { if (drawn) pageReady(true); }, (e) => {
    const box = $('[data-error]');
    box.textContent = errorText(e, 'La lecture des équipements');
    box.hidden = false;
    pageReady(false);
});
