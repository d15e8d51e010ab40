// uc-lighting.js - the street lighting page's own part: yesterday's energy and saving of each
// group driven by a calendar, its lamps and those in fault, and how the lamps stand now.
import { fill, h, table } from './dom.js';
import { num } from './format.js';

const kWh = (wh) => (wh === null || wh === undefined ? '–' : num(wh / 1000, 1));

// Lamps report a dimming level; cabinets do not.
const isLamp = (vals) => vals && vals.has('dim_level');

export function lighting(section, ctx) {
    const ind = ctx.indicators;
    const render = () => {
        const lamps = [...ctx.latest.values()].filter(isLamp);
        const lit = lamps.filter((v) => v.has('lamp_on') && v.get('lamp_on').value >= 0.5);
        const dims = lit.map((v) => v.get('dim_level').value).filter((v) => typeof v === 'number');
        fill(section,
            h('h2', {}, 'Les luminaires en ce moment'),
            h('ul', { class: 'facts' },
                h('li', { dataset: { fact: 'lamps' } }, `${num(lamps.length, 0)} luminaires connectés, dont ${num(lit.length, 0)} allumés`),
                h('li', { dataset: { fact: 'dim' } }, dims.length
                    ? `Niveau d’éclairement moyen des luminaires allumés : ${num(dims.reduce((a, b) => a + b, 0) / dims.length, 0)} %`
                    : 'Aucun luminaire allumé'),
                h('li', { dataset: { fact: 'commands' } }, `${num(ind.commands_pending, 0)} commande(s) de programmation en attente d’application`)),
            h('h2', {}, 'Énergie et économies d’hier, par groupe'),
            h('p', {}, 'Les luminaires sont programmés par groupe : allumage au coucher du soleil, abaissement au cœur de la nuit, ',
                'extinction au lever du jour. L’économie compare l’énergie prévue par ce programme à celle d’un éclairage à pleine puissance toute la nuit.'),
            ind.energy === null ? h('p', { class: 'notice' }, 'Le service de l’éclairage n’a pas répondu : l’énergie d’hier n’est pas disponible pour l’instant.') : null,
            ind.groups.length === 0 ? h('p', { dataset: { groups: 'none' } }, 'Aucun groupe de luminaires n’a encore de programme.')
                : table(`Groupes programmés, énergie du ${ind.day.split('-').reverse().join('/')}`, [
                    { label: 'Groupe', header: true },
                    { label: 'Calendrier' },
                    { label: 'Luminaires', num: true },
                    { label: 'En défaut', num: true },
                    { label: 'Énergie prévue (kWh)', num: true },
                    { label: 'À pleine puissance (kWh)', num: true },
                    { label: 'Économie (%)', num: true },
                ], ind.groups.map((g) => [
                    g.title || g.group,
                    g.calendar || '–',
                    num(g.lamps, 0),
                    num(g.lamps_in_fault, 0),
                    g.energy ? kWh(g.energy.planned_wh) : '–',
                    g.energy ? kWh(g.energy.full_wh) : '–',
                    g.energy && g.energy.saving_pct !== null ? num(g.energy.saving_pct, 1) : '–',
                ])));
    };
    render();
    return {
        onLive(eui, values) {
            if ('lamp_on' in values || 'dim_level' in values) render();
            return false;
        },
    };
}
