// uc-water.js - the rivers page's own part: each station's level against its vigilance
// thresholds (the colour and its word), how fast it rises, and the water's quality.
import { fill, h, table } from './dom.js';
import { num, when } from './format.js';
import { VIGILANCE } from './usecases.js';

const m = (v) => (v === null || v === undefined ? '–' : num(v, 2));

export function vigilanceBadge(key) {
    const k = key && VIGILANCE[key] ? key : 'none';
    return h('span', { class: `badge vigilance-${k}` }, VIGILANCE[k].label);
}

function river(name) {
    const r = /^(\S+) à /.exec(name);
    return r ? r[1] : '–';
}

// The vigilance of a level against a station's thresholds, as the API decides it.
function vigilanceOf(level, t) {
    if (level === null || (t.yellow === null && t.orange === null && t.red === null)) return null;
    if (t.red !== null && level >= t.red) return 'red';
    if (t.orange !== null && level >= t.orange) return 'orange';
    return t.yellow !== null && level >= t.yellow ? 'yellow' : 'green';
}

export function water(section, ctx) {
    const items = [...ctx.indicators.items].sort((a, b) => river(a.name).localeCompare(river(b.name), 'fr') || a.name.localeCompare(b.name, 'fr'));
    const render = () => fill(section,
        h('h2', { id: 'stations-titre' }, 'Niveau des rivières et seuils de vigilance'),
        h('p', {}, 'Chaque station compare la hauteur d’eau mesurée à trois seuils propres à son site. ',
            'Au-delà du seuil jaune, la rivière monte nettement ; au-delà du rouge, le débordement est possible. ',
            'La montée est la variation de la hauteur sur la dernière heure.'),
        items.length === 0 ? h('p', {}, 'Aucune station n’est enregistrée.') : table('Stations de mesure de la Touloubre et de la Cadière', [
            { label: 'Station', header: true },
            { label: 'Rivière' },
            { label: 'Hauteur (m)', num: true },
            { label: 'Seuil jaune (m)', num: true },
            { label: 'Seuil orange (m)', num: true },
            { label: 'Seuil rouge (m)', num: true },
            { label: 'Vigilance' },
            { label: 'Montée (cm/h)', num: true },
            { label: 'Conductivité (µS/cm)', num: true },
            { label: 'Température de l’eau (°C)', num: true },
            { label: 'Mesurée le' },
        ], items.map((s) => [
            s.name,
            river(s.name),
            m(s.water_level),
            m(s.thresholds.yellow),
            m(s.thresholds.orange),
            m(s.thresholds.red),
            vigilanceBadge(s.vigilance),
            s.rise_rate_cm_per_h === null ? '–' : num(s.rise_rate_cm_per_h, 1),
            s.quality ? num(s.quality.conductivity, 0) : '–',
            s.quality ? num(s.quality.temperature, 1) : '–',
            when(s.water_level_time),
        ])),
        h('p', { class: 'hint' }, 'La vigilance officielle des crues est publiée par l’État sur Vigicrues (lien plus bas) ; ',
            'les seuils de cette page sont ceux des stations de la Métropole.'));
    render();

    return {
        // A new level moves its station's row (and, through the indicator, its markers' colour).
        onLive(eui, values, time) {
            const level = items.find((s) => s.level_dev_eui === eui);
            const probe = items.find((s) => s.quality && s.quality.dev_eui === eui);
            if (level && typeof values.water_level === 'number') {
                level.water_level = values.water_level;
                level.water_level_time = time;
                level.vigilance = vigilanceOf(level.water_level, level.thresholds);
            } else if (probe) {
                if (typeof values.conductivity === 'number') probe.quality.conductivity = values.conductivity;
                if (typeof values.temperature === 'number') probe.quality.temperature = values.temperature;
            } else {
                return false;
            }
            render();
            return true;
        },
        chartNote(device, quantity) {
            const p = device.params || {};
            if (quantity !== 'water_level' || typeof p.vigilance_yellow_m !== 'number') return null;
            return `Seuils de vigilance de cette station : jaune ${num(p.vigilance_yellow_m, 2)} m, orange ${num(p.vigilance_orange_m, 2)} m, rouge ${num(p.vigilance_red_m, 2)} m.`;
        },
    };
}
