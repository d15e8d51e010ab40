// v3d-measures.js - what the columns of the 3D view can show (one quantity of one use case), how
// each is read from the API, and the scale that turns a value into a height and a colour.
import { api, query } from './api.js';

// The choices offered, in the order of the list. 'quantity' is read from the use case's latest
// values; 'source: counting' reads today's passages from the counting indicators instead (a
// counter's latest value is only its last interval). 'domain' fixes the scale where the quantity
// has natural bounds; otherwise it follows the values shown; 'zero' starts it at 0.
export const MEASURES = [
    { id: 'noise', useCase: 'noise', quantity: 'LAeq', label: 'Bruit : niveau sonore équivalent (LAeq)', unit: 'dB(A)', digits: 1 },
    { id: 'waste', useCase: 'waste', quantity: 'fill_level', label: 'Déchets : remplissage des conteneurs', unit: '%', digits: 0, domain: [0, 100] },
    { id: 'water', useCase: 'water', quantity: 'water_level', label: 'Rivières : hauteur d’eau', unit: 'm', digits: 2, zero: true },
    { id: 'counting', useCase: 'counting', source: 'counting', label: 'Vélos et piétons : passages aujourd’hui', unit: 'passages', digits: 0, zero: true },
    { id: 'heat', useCase: 'heat', quantity: 'temperature', label: 'Îlots de chaleur : température de l’air', unit: '°C', digits: 1 },
    { id: 'lighting', useCase: 'lighting', quantity: 'dim_level', label: 'Éclairage : niveau de gradation des luminaires', unit: '%', digits: 0, domain: [0, 100] },
];

export const measureById = (id) => MEASURES.find((m) => m.id === id) || null;

// The devices of a measure: {shown: [{dev_eui, name, x?, lon, lat, value, time}], unplaced, noValue}
// where 'shown' have a position and a value, 'unplaced' counts those without a position and
// 'noValue' those placed but with no value of the quantity yet.
export async function fetchMeasure(m) {
    let rows;
    if (m.source === 'counting') {
        const res = await api('/v1/indicators/counting');
        rows = res.items.map((c) => ({
            dev_eui: c.dev_eui, name: c.name, lat: c.latitude, lon: c.longitude,
            value: c.total ? c.total.today : null, time: c.updated,
        }));
    } else {
        const res = await api(`/v1/usecases/${encodeURIComponent(m.useCase)}/latest${query({ quantity: m.quantity })}`);
        rows = res.items.map((d) => {
            const v = (d.values || []).find((x) => x.quantity === m.quantity);
            return { dev_eui: d.dev_eui, name: d.name, lat: d.latitude, lon: d.longitude,
                value: v ? v.value : null, time: v ? v.time : null };
        });
    }
    const placed = rows.filter((r) => Number.isFinite(r.lat) && Number.isFinite(r.lon));
    const shown = placed.filter((r) => Number.isFinite(r.value));
    return { shown, unplaced: rows.length - placed.length, noValue: placed.length - shown.length };
}

// A step of 1, 2, 2.5 or 5 times a power of ten, near range/ticks.
function niceStep(range, ticks) {
    const raw = range / ticks;
    const p = 10 ** Math.floor(Math.log10(raw));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

// Viridis: ordered from dark to light, readable by those who do not see red and green apart.
const RAMP = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];

function rgb(hex) {
    const n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rampAt(t) {
    const u = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(u));
    const a = rgb(RAMP[i]);
    const b = rgb(RAMP[i + 1]);
    const k = u - i;
    const c = a.map((v, j) => Math.round(v + (b[j] - v) * k));
    return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export const RAMP_CSS = `linear-gradient(to right, ${RAMP.join(', ')})`;

// The scale of a measure over the values shown: {min, max, ticks, at(v) → 0..1, colour(v) → '#rrggbb'}.
export function scaleFor(m, values) {
    let min;
    let max;
    let step;
    if (m.domain) {
        [min, max] = m.domain;
        step = niceStep(max - min, 4);
    } else {
        const finite = values.filter(Number.isFinite);
        min = finite.length ? Math.min(...finite) : 0;
        max = finite.length ? Math.max(...finite) : 1;
        if (m.zero) min = Math.min(0, min);
        if (max - min < 1e-9) {
            if (m.zero && min === 0) max = 1;
            else { min -= 1; max += 1; }
        }
        step = Math.max(niceStep(max - min, 4), 10 ** -(m.digits || 0)); // no tick finer than shown
        min = Math.floor(min / step) * step;
        max = Math.ceil(max / step) * step;
    }
    // The legend spreads its ticks evenly from min to max: they must divide the range.
    const n = Math.round((max - min) / step);
    const ticks = Math.abs(n * step - (max - min)) < step / 1000
        ? Array.from({ length: n + 1 }, (_, i) => Number((min + i * step).toPrecision(12)))
        : [min, max];
    const at = (v) => Math.min(1, Math.max(0, (v - min) / (max - min)));
    return { min, max, ticks, at, colour: (v) => rampAt(at(v)) };
}
