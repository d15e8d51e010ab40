// usecases.js - what each use case shows on the public site: its French name and page, the
// quantities it charts and tables (label, unit, digits, how buckets aggregate), its key figures
// and home-page summary read from its /v1/indicators/X, and how its sensors are coloured on the map.
// A new use case is one more entry here and a page in src/pages/.
import { num } from './format.js';

// The four ranges of the charts; bucket=auto lets the API pick raw, hourly or daily points.
export const RANGES = [
    { id: 'jour', label: 'Jour', title: 'les 24 dernières heures', ms: 86400e3 },
    { id: 'semaine', label: 'Semaine', title: 'les 7 derniers jours', ms: 7 * 86400e3 },
    { id: 'mois', label: 'Mois', title: 'les 30 derniers jours', ms: 30 * 86400e3 },
    { id: 'annee', label: 'Année', title: 'les 12 derniers mois', ms: 365 * 86400e3 },
];

// Device health as the API names it, in words (colour never says it alone).
export const STATES = {
    ok: { label: 'En service', colour: '#1b7a3a' },
    late: { label: 'En retard', colour: '#9a5b00' },
    silent: { label: 'Silencieux', colour: '#b3261e' },
};

const YES_NO = (v) => (v === null || v === undefined ? '–' : v >= 0.5 ? 'Oui' : 'Non');

// Quantities: label, unit (as printed), digits, agg for hour/day buckets, or 'text' for 0/1 values.
const Q = {
    LAeq: { label: 'Niveau équivalent LAeq', unit: 'dB(A)', digits: 1, agg: 'energetic_mean' },
    LAFmax: { label: 'Niveau maximal LAFmax', unit: 'dB(A)', digits: 1, agg: 'max' },
    LAmax: { label: 'Niveau maximal LAmax', unit: 'dB(A)', digits: 1, agg: 'max' },
    LAF: { label: 'Niveau instantané LAF', unit: 'dB(A)', digits: 1, agg: 'energetic_mean' },
    fill_level: { label: 'Remplissage', unit: '%', digits: 0, agg: 'mean' },
    temperature: { label: 'Température', unit: '°C', digits: 1, agg: 'mean' },
    battery: { label: 'Batterie', unit: '%', digits: 0, agg: 'mean' },
    water_level: { label: 'Hauteur d’eau', unit: 'm', digits: 2, agg: 'mean' },
    conductivity: { label: 'Conductivité', unit: 'µS/cm', digits: 0, agg: 'mean' },
    bike_count_in: { label: 'Vélos entrants', unit: '', digits: 0, agg: 'sum' },
    bike_count_out: { label: 'Vélos sortants', unit: '', digits: 0, agg: 'sum' },
    pedestrian_count_in: { label: 'Piétons entrants', unit: '', digits: 0, agg: 'sum' },
    pedestrian_count_out: { label: 'Piétons sortants', unit: '', digits: 0, agg: 'sum' },
    dim_level: { label: 'Niveau d’éclairement', unit: '%', digits: 0, agg: 'mean' },
    power: { label: 'Puissance', unit: 'W', digits: 0, agg: 'mean' },
    energy: { label: 'Énergie (compteur)', unit: 'kWh', digits: 1, agg: 'last' },
    voltage: { label: 'Tension', unit: 'V', digits: 0, agg: 'mean' },
    lamp_on: { label: 'Allumé', unit: '', digits: 0, agg: 'mean', text: YES_NO },
    lamp_failure: { label: 'En défaut', unit: '', digits: 0, agg: 'max', text: YES_NO },
    humidity: { label: 'Humidité', unit: '%', digits: 0, agg: 'mean' },
};

export function quantity(q) {
    return Q[q] || { label: q, unit: '', digits: 2, agg: 'mean' };
}

// "12,5 dB(A)" ("12,5" without the unit, for a column that names it), or the value's word for a
// 0/1 quantity.
export function formatValue(q, v, withItsUnit = true) {
    const d = quantity(q);
    if (d.text) return d.text(v);
    if (v === null || v === undefined) return '–';
    return d.unit && withItsUnit ? `${num(v, d.digits)}\u202f${d.unit}` : num(v, d.digits);
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const known = (xs) => xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x));
const maxBy = (items, f) => items.filter((i) => f(i) !== null && f(i) !== undefined)
    .reduce((best, i) => (best === null || f(i) > f(best) ? i : best), null);
const withU = (v, unit, digits) => (v === null || v === undefined ? '–' : `${num(v, digits)}\u202f${unit}`);

// A key figure: id (for tests and styling), label, the value as printed, an optional detail.
const fig = (id, label, value, detail) => ({ id, label, value, detail });

// ---- noise ----
const LDEN_LIMIT = 68; // road-traffic limit value of Lden in dB(A) (arrêté du 4 avril 2006)
const LNIGHT_LIMIT = 62;
const NOISE_CLASSES = [
    { key: 'calm', label: 'Lden < 55 dB(A)', colour: '#1b7a3a' },
    { key: 'moderate', label: 'Lden 55 à 65 dB(A)', colour: '#6d6a00' },
    { key: 'loud', label: 'Lden 65 à 68 dB(A)', colour: '#c2410c' },
    { key: 'limit', label: 'Lden ≥ 68 dB(A) (valeur limite)', colour: '#8e1b14' },
    { key: 'none', label: 'Lden non calculé', colour: '#5f6368' },
];

function noiseClass(lden) {
    if (lden === null || lden === undefined) return 'none';
    if (lden < 55) return 'calm';
    if (lden < 65) return 'moderate';
    return lden < LDEN_LIMIT ? 'loud' : 'limit';
}

// ---- waste ----
const WASTE_CLASSES = [
    { key: 'empty', label: 'Moins de 25 %', colour: '#1b7a3a' },
    { key: 'low', label: '25 à 50 %', colour: '#4d7a00' },
    { key: 'medium', label: '50 à 75 %', colour: '#9a5b00' },
    { key: 'high', label: '75 à 90 %', colour: '#c2410c' },
    { key: 'full', label: '90 % et plus (plein)', colour: '#8e1b14' },
    { key: 'unknown', label: 'Pas de mesure', colour: '#5f6368' },
];

// ---- water ----
export const VIGILANCE = {
    green: { label: 'Vert', colour: '#1b7a3a' },
    yellow: { label: 'Jaune', colour: '#f0c419' }, // a shape's fill: its dark outline gives the contrast
    orange: { label: 'Orange', colour: '#c2410c' },
    red: { label: 'Rouge', colour: '#8e1b14' },
    none: { label: 'Sans seuil', colour: '#5f6368' },
};
const VIGILANCE_ORDER = ['green', 'yellow', 'orange', 'red'];

// ---- heat ----
const HEAT_CLASSES = [
    { key: 'reference', label: 'Référence (parc)', colour: '#0b4f6c' },
    { key: 'cool', label: 'Écart < 1 °C', colour: '#1b7a3a' },
    { key: 'warm', label: 'Écart 1 à 2 °C', colour: '#9a5b00' },
    { key: 'hot', label: 'Écart 2 à 3 °C', colour: '#c2410c' },
    { key: 'island', label: 'Écart ≥ 3 °C', colour: '#8e1b14' },
    { key: 'none', label: 'Pas de mesure la nuit dernière', colour: '#5f6368' },
];

function heatClass(item) {
    if (!item) return 'none';
    if (item.reference) return 'reference';
    if (item.island === null || item.island === undefined) return 'none';
    if (item.island < 1) return 'cool';
    if (item.island < 2) return 'warm';
    return item.island < 3 ? 'hot' : 'island';
}

const SETTINGS = { mineral: 'Place minérale', schoolyard: 'Cour d’école', street: 'Rue', park: 'Parc' };
export const settingLabel = (s) => SETTINGS[s] || s || '–';

const classBy = (classes, key) => classes.find((c) => c.key === key) || classes[classes.length - 1];

// Each use case: page, names, quantities (charted, and the columns of the latest values),
// keyFigures(ind) and summary(ind) from its indicator, and colour(ctx, device) for the map.
export const USE_CASES = {
    noise: {
        page: '/bruit',
        name: 'Bruit',
        sensors: 'sonomètres',
        chart: ['LAeq', 'LAFmax', 'LAmax', 'LAF'],
        table: ['LAeq', 'LAFmax', 'LAmax'],
        keyFigures(ind) {
            const withLden = ind.items.filter((i) => i.lden !== null);
            const top = maxBy(ind.items, (i) => i.lden);
            const night = maxBy(ind.items, (i) => i.lnight);
            return [
                fig('sites', 'Sites de mesure', num(ind.items.length, 0)),
                fig('lden_max', 'Lden le plus élevé', withU(top && top.lden, 'dB(A)', 1), top ? top.name : 'pas encore calculé'),
                fig('lnight_max', 'Lnight le plus élevé', withU(night && night.lnight, 'dB(A)', 1), night ? night.name : 'pas encore calculé'),
                fig('over_limit', 'Sites au-delà de 68 dB(A) Lden', withLden.length ? num(withLden.filter((i) => i.lden >= LDEN_LIMIT).length, 0) : '–',
                    'valeur limite du bruit routier'),
            ];
        },
        summary(ind) {
            const top = maxBy(ind.items, (i) => i.lden);
            return [fig('lden_max', 'Lden le plus élevé hier', withU(top && top.lden, 'dB(A)', 1), top ? top.name : 'pas encore calculé')];
        },
        legend: NOISE_CLASSES,
        legendTitle: 'Lden de la veille du site',
        colour(ctx, d) {
            const site = ctx.indicators.items.find((i) => i.site_id === d.site_id);
            return classBy(NOISE_CLASSES, noiseClass(site ? site.lden : null));
        },
    },
    waste: {
        page: '/dechets',
        name: 'Déchets',
        sensors: 'conteneurs',
        chart: ['fill_level', 'temperature', 'battery'],
        table: ['fill_level', 'battery', 'temperature'],
        keyFigures(ind) {
            const fills = known(ind.items.map((i) => i.fill_level));
            return [
                fig('containers', 'Conteneurs suivis', num(ind.items.length, 0)),
                fig('collect_today', 'À collecter aujourd’hui', num(ind.summary.collect_today.length, 0)),
                fig('full', 'Pleins (90 % et plus)', num(ind.summary.classes.full, 0)),
                fig('mean_fill', 'Remplissage moyen', fills.length ? withU(sum(fills) / fills.length, '%', 0) : '–'),
            ];
        },
        summary(ind) {
            const fills = known(ind.items.map((i) => i.fill_level));
            return [
                fig('collect_today', 'À collecter aujourd’hui', num(ind.summary.collect_today.length, 0)),
                fig('mean_fill', 'Remplissage moyen', fills.length ? withU(sum(fills) / fills.length, '%', 0) : '–'),
            ];
        },
        legend: WASTE_CLASSES,
        legendTitle: 'Remplissage',
        colour(ctx, d) {
            const c = ctx.indicators.items.find((i) => i.dev_eui === d.dev_eui);
            return classBy(WASTE_CLASSES, c && c.fill_class ? c.fill_class : 'unknown');
        },
    },
    water: {
        page: '/eau',
        name: 'Rivières',
        sensors: 'stations',
        chart: ['water_level', 'conductivity', 'temperature'],
        table: ['water_level', 'conductivity', 'temperature'],
        keyFigures(ind) {
            const worst = highestVigilance(ind.items);
            const rising = maxBy(ind.items, (i) => i.rise_rate_cm_per_h);
            const quality = ind.items.filter((i) => i.quality);
            return [
                fig('stations', 'Stations', num(ind.items.length, 0)),
                fig('vigilance', 'Vigilance la plus haute', worst ? VIGILANCE[worst.vigilance].label : '–', worst ? worst.name : 'aucun niveau mesuré'),
                fig('rise', 'Montée la plus rapide', rising ? withU(rising.rise_rate_cm_per_h, 'cm/h', 1) : '–', rising ? rising.name : null),
                fig('quality', 'Stations de qualité', num(quality.length, 0), 'conductivité et température de l’eau'),
            ];
        },
        summary(ind) {
            const worst = highestVigilance(ind.items);
            return [fig('vigilance', 'Vigilance la plus haute', worst ? VIGILANCE[worst.vigilance].label : '–', worst ? worst.name : 'aucun niveau mesuré')];
        },
        legend: Object.entries(VIGILANCE).map(([key, v]) => ({ key, ...v })),
        legendTitle: 'Niveau de vigilance de la station',
        colour(ctx, d) {
            const st = ctx.indicators.items.find((i) => i.site_id === d.site_id);
            const key = st && st.vigilance ? st.vigilance : 'none';
            return { key, ...VIGILANCE[key] };
        },
    },
    counting: {
        page: '/comptage',
        name: 'Vélos et piétons',
        sensors: 'compteurs',
        chart: ['bike_count_in', 'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out'],
        table: ['bike_count_in', 'bike_count_out', 'pedestrian_count_in', 'pedestrian_count_out'],
        keyFigures(ind) {
            const busiest = maxBy(ind.items, (i) => i.total.today);
            return [
                fig('counters', 'Compteurs', num(ind.items.length, 0)),
                fig('today', 'Passages aujourd’hui', num(sum(ind.items.map((i) => i.total.today)), 0)),
                fig('yesterday', 'Passages hier', num(sum(ind.items.map((i) => i.total.yesterday)), 0)),
                fig('year', 'Depuis le 1er janvier', num(sum(ind.items.map((i) => i.total.year)), 0)),
                fig('busiest', 'Le plus fréquenté aujourd’hui', busiest ? num(busiest.total.today, 0) : '–', busiest ? busiest.name : null),
            ];
        },
        summary(ind) {
            return [
                fig('today', 'Passages aujourd’hui', num(sum(ind.items.map((i) => i.total.today)), 0)),
                fig('year', 'Depuis le 1er janvier', num(sum(ind.items.map((i) => i.total.year)), 0)),
            ];
        },
    },
    lighting: {
        page: '/eclairage',
        name: 'Éclairage public',
        sensors: 'armoires et luminaires',
        chart: ['dim_level', 'power', 'energy', 'voltage'],
        table: ['dim_level', 'lamp_on', 'power', 'lamp_failure'],
        keyFigures(ind) {
            const e = ind.energy;
            return [
                fig('devices', 'Armoires et luminaires', num(ind.devices, 0)),
                fig('energy', 'Énergie prévue hier', e && e.planned_wh !== null ? withU(e.planned_wh / 1000, 'kWh', 1) : '–',
                    e ? null : 'service de l’éclairage indisponible'),
                fig('saving', 'Économie hier', e && e.saving_pct !== null ? withU(e.saving_pct, '%', 1) : '–',
                    'par rapport à un éclairage toute la nuit à pleine puissance'),
                fig('faults', 'Luminaires en défaut', num(ind.lamps_in_fault, 0)),
                fig('cabinets_off', 'Armoires sans courant', num(ind.cabinets_without_power, 0)),
            ];
        },
        summary(ind) {
            const e = ind.energy;
            return [
                fig('saving', 'Économie d’énergie hier', e && e.saving_pct !== null ? withU(e.saving_pct, '%', 1) : '–'),
                fig('faults', 'Luminaires en défaut', num(ind.lamps_in_fault, 0)),
            ];
        },
    },
    heat: {
        page: '/chaleur',
        name: 'Îlots de chaleur',
        sensors: 'capteurs de température',
        chart: ['temperature', 'humidity'],
        table: ['temperature', 'humidity'],
        keyFigures(ind) {
            const measured = ind.items.filter((i) => i.tmin !== null);
            const island = maxBy(ind.items.filter((i) => !i.reference), (i) => i.island);
            const warmest = maxBy(ind.items, (i) => i.tmin);
            return [
                fig('sensors', 'Capteurs', num(ind.items.length, 0)),
                fig('tropical', 'Nuits tropicales', measured.length ? num(measured.filter((i) => i.tropical).length, 0) : '–', 'minimum ≥ 20 °C la nuit dernière'),
                fig('heatwave', 'Nuits de canicule', measured.length ? num(measured.filter((i) => i.heatwave_night).length, 0) : '–', 'minimum ≥ 24 °C'),
                fig('island', 'Îlot le plus marqué', withU(island && island.island, '°C', 1), island ? island.name.replace(/^Chaleur - /, '') : 'pas de mesure la nuit dernière'),
                fig('warmest', 'Minimum nocturne le plus haut', withU(warmest && warmest.tmin, '°C', 1), warmest ? warmest.name.replace(/^Chaleur - /, '') : null),
            ];
        },
        summary(ind) {
            const measured = ind.items.filter((i) => i.tmin !== null);
            const island = maxBy(ind.items.filter((i) => !i.reference), (i) => i.island);
            return [
                fig('tropical', 'Nuits tropicales (dernière nuit)', measured.length ? num(measured.filter((i) => i.tropical).length, 0) : '–'),
                fig('island', 'Îlot le plus marqué', withU(island && island.island, '°C', 1)),
            ];
        },
        legend: HEAT_CLASSES,
        legendTitle: 'Écart à la référence la nuit dernière',
        colour(ctx, d) {
            return classBy(HEAT_CLASSES, heatClass(ctx.indicators.items.find((i) => i.dev_eui === d.dev_eui)));
        },
    },
};

function highestVigilance(items) {
    return items.filter((i) => i.vigilance)
        .reduce((w, i) => (w === null || VIGILANCE_ORDER.indexOf(i.vigilance) > VIGILANCE_ORDER.indexOf(w.vigilance) ? i : w), null);
}

export function useCase(id) {
    return USE_CASES[id] || null;
}

export { LDEN_LIMIT, LNIGHT_LIMIT };
