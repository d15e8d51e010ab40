// uc-noise.js - the noise page's own part: each site's day, evening and night levels and its Lden
// against the limit value, and the hourly profile of the day for a chosen site.
import { fill, h, table } from './dom.js';
import { day, num } from './format.js';
import { timeChart } from './chart.js';
import { LDEN_LIMIT, LNIGHT_LIMIT } from './usecases.js';

const dB = (v) => (v === null || v === undefined ? '–' : num(v, 1));

// The instant at which the clocks of Paris show 'hour':00 on the date 'ymd' (YYYY-MM-DD); the
// offset is read from the time zone rules of the browser, so summer time is right.
export function parisInstant(ymd, hour) {
    const [y, m, d] = ymd.split('-').map(Number);
    const naive = Date.UTC(y, m - 1, d, hour);
    const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    }).formatToParts(new Date(naive));
    const get = (t) => Number(parts.find((p) => p.type === t).value);
    const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    return naive - (shown - naive);
}

function verdict(site) {
    if (site.lden === null) return 'Pas de mesure';
    const over = [];
    if (site.lden >= LDEN_LIMIT) over.push('Lden');
    if (site.lnight !== null && site.lnight >= LNIGHT_LIMIT) over.push('Lnight');
    return over.length ? `Au-delà de la valeur limite (${over.join(', ')})` : 'Sous les valeurs limites';
}

export function noise(section, ctx) {
    const ind = ctx.indicators;
    const sites = [...ind.items].sort((a, b) => (b.lden ?? -1) - (a.lden ?? -1) || a.name.localeCompare(b.name, 'fr'));
    const when_ = day(`${ind.day}T12:00:00Z`);
    const select = h('select', { id: 'choix-site', name: 'site' }, sites.map((s) => h('option', { value: String(s.site_id) }, `${s.name} (${s.commune})`)));
    const profile = h('div', { class: 'chart-box', dataset: { profile: '' } });
    fill(section,
        h('h2', {}, 'Les niveaux de bruit de la journée'),
        h('p', {}, 'Le Lden résume le bruit d’une journée entière en pénalisant le soir (+5 dB) et la nuit (+10 dB). ',
            `Pour le bruit routier, la valeur limite est de ${LDEN_LIMIT} dB(A) en Lden et ${LNIGHT_LIMIT} dB(A) en Lnight. `,
            'Jour : 6 h – 18 h, soirée : 18 h – 22 h, nuit : 22 h – 6 h.'),
        sites.length === 0 ? h('p', {}, 'Aucun site de mesure n’est enregistré.') : table(`Niveaux sonores par site, journée du ${when_}`, [
            { label: 'Site', header: true },
            { label: 'Commune' },
            { label: 'Lday (dB(A))', num: true },
            { label: 'Levening (dB(A))', num: true },
            { label: 'Lnight (dB(A))', num: true },
            { label: 'Lden (dB(A))', num: true },
            { label: 'Valeurs limites' },
        ], sites.map((s) => [s.name, s.commune || '–', dB(s.lday), dB(s.levening), dB(s.lnight), dB(s.lden), verdict(s)])),
        h('h3', {}, 'Profil heure par heure'),
        sites.length ? h('div', { class: 'form-row' }, h('div', {}, h('label', { for: 'choix-site' }, 'Site'), select)) : null,
        profile);

    const drawProfile = () => {
        const site = sites.find((s) => String(s.site_id) === select.value);
        if (!site) return;
        const levels = site.hourly_laeq || [];
        const points = levels.map((v, hr) => [parisInstant(ind.day, hr), v]).filter(([, v]) => v !== null);
        timeChart(profile, { title: `LAeq heure par heure – ${site.name} – ${when_}`, series: [{ label: 'LAeq', unit: 'dB(A)', points }], digits: 1 });
    };
    select.addEventListener('change', drawProfile);
    if (sites.length) drawProfile();
    return null;
}
