// uc-waste.js - the waste page's own part: the containers the round should take today (full, or
// full before tomorrow 6 a.m. at their filling rate) and how the containers are spread by fill.
import { fill, h, table } from './dom.js';
import { num, when } from './format.js';
import { USE_CASES } from './usecases.js';

const KIND = { glass: 'Verre', paper: 'Papier', packaging: 'Emballages', emballages: 'Emballages', verre: 'Verre', papier: 'Papier' };

// The kind of waste, from the device's params or its name ("PAV verre Aix-en-Provence 03").
function kindOf(device) {
    const p = (device && device.params) || {};
    if (p.waste && KIND[p.waste]) return KIND[p.waste];
    const m = device ? /^PAV (\S+)/.exec(device.name) : null;
    return m && KIND[m[1].toLowerCase()] ? KIND[m[1].toLowerCase()] : '–';
}

// The fill class as the API draws its lines (h_ind_waste.c).
function classOf(fillLevel) {
    if (fillLevel === null || fillLevel === undefined) return null;
    if (fillLevel < 25) return 'empty';
    if (fillLevel < 50) return 'low';
    if (fillLevel < 75) return 'medium';
    return fillLevel < 90 ? 'high' : 'full';
}

export function waste(section, ctx) {
    const ind = ctx.indicators;
    const byEui = new Map(ind.items.map((i) => [i.dev_eui, i]));
    const render = () => {
        const today = ind.summary.collect_today.map((e) => byEui.get(e)).filter(Boolean)
            .sort((a, b) => (b.fill_level ?? -1) - (a.fill_level ?? -1));
        const classes = USE_CASES.waste.legend;
        const counts = new Map(classes.map((c) => [c.key, 0]));
        for (const i of ind.items) counts.set(i.fill_class || 'unknown', (counts.get(i.fill_class || 'unknown') || 0) + 1);
        fill(section,
            h('h2', {}, 'La tournée du jour'),
            h('p', {}, 'Un conteneur est à collecter aujourd’hui s’il est plein à 90 % ou plus, ou s’il le sera avant demain 6 h ',
                'au rythme où il se remplit depuis sa dernière vidange (sur les 14 derniers jours).'),
            today.length === 0 ? h('p', { dataset: { collect: 'none' } }, 'Aucun conteneur n’est à collecter aujourd’hui.')
                : table(`Conteneurs à collecter aujourd’hui (${today.length})`, [
                    { label: 'Conteneur', header: true },
                    { label: 'Déchets' },
                    { label: 'Commune' },
                    { label: 'Remplissage (%)', num: true },
                    { label: 'Se remplit de (points par jour)', num: true },
                    { label: 'Plein prévu le' },
                ], today.map((i) => [
                    i.name,
                    kindOf(ctx.devices.get(i.dev_eui)),
                    ctx.devices.get(i.dev_eui) ? ctx.communeOf(ctx.devices.get(i.dev_eui)) || '–' : '–',
                    i.fill_level === null ? '–' : num(i.fill_level, 0),
                    i.fill_rate_pct_per_day === null ? '–' : num(i.fill_rate_pct_per_day, 1),
                    i.fill_level !== null && i.fill_level >= 90 ? 'déjà plein' : when(i.predicted_full),
                ])),
            table('Répartition des conteneurs par remplissage', [
                { label: 'Remplissage', header: true },
                { label: 'Conteneurs', num: true },
            ], classes.map((c) => [c.label, num(counts.get(c.key) || 0, 0)])));
    };
    render();
    return {
        // A new reading moves the container's class (the map's colour reads it) and the counts.
        onLive(eui, values, time) {
            const it = byEui.get(eui);
            if (!it || typeof values.fill_level !== 'number') return false;
            it.fill_level = values.fill_level;
            it.time = time;
            it.fill_class = classOf(values.fill_level);
            render();
            return true;
        },
    };
}
