// uc-counting.js - the counters page's own part: today, yesterday and this year for each counter
// and direction, with a link to its public display page.
import { fill, h, table } from './dom.js';
import { num, when } from './format.js';

const KIND = { bike: 'Vélos', pedestrian: 'Piétons' };

export function counting(section, ctx) {
    const items = [...ctx.indicators.items].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const render = () => fill(section,
        h('h2', {}, 'Les passages de chaque compteur'),
        h('p', {}, 'Les compteurs distinguent les deux sens de passage. « Entrants » et « sortants » sont fixés pour chaque compteur ',
            'selon le sens de l’axe. Chaque compteur a son afficheur public, une page lisible de loin.'),
        items.length === 0 ? h('p', {}, 'Aucun compteur n’est enregistré.') : table('Passages par compteur', [
            { label: 'Compteur', header: true },
            { label: 'Compte' },
            { label: 'Aujourd’hui', num: true },
            { label: 'Dont entrants', num: true },
            { label: 'Dont sortants', num: true },
            { label: 'Hier', num: true },
            { label: 'Depuis le 1er janvier', num: true },
            { label: 'Dernier comptage' },
            { label: 'Afficheur' },
        ], items.map((c) => [
            c.name,
            KIND[c.counts] || '–',
            num(c.total.today, 0),
            num(c.in.today, 0),
            num(c.out.today, 0),
            num(c.total.yesterday, 0),
            num(c.total.year, 0),
            when(c.updated),
            h('a', { href: `/compteur?eui=${encodeURIComponent(c.dev_eui)}`, dataset: { display: c.dev_eui } }, `Afficheur de ${c.name}`),
        ])));
    render();
    return {
        // Each new count adds to today and this year (the API sums the same readings).
        onLive(eui, values, time) {
            const c = items.find((i) => i.dev_eui === eui);
            if (!c) return false;
            let added = false;
            for (const [q, v] of Object.entries(values)) {
                const m = /^(?:bike|pedestrian)_count_(in|out)$/.exec(q);
                if (!m || typeof v !== 'number') continue;
                c[m[1]].today += v;
                c[m[1]].year += v;
                c.total.today += v;
                c.total.year += v;
                added = true;
            }
            if (added) {
                c.updated = time;
                render();
            }
            return added;
        },
    };
}
