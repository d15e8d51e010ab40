// home.js - the home page: every sensor of the metropolis on the communes' map, coloured by its
// health, and one card per use case (its sensors, its latest measurement, a key figure or two).
import { api } from '../lib/api.js';
import { h, fill } from '../lib/dom.js';
import { num, when, ago } from '../lib/format.js';
import { STATES, USE_CASES } from '../lib/usecases.js';
import { communeAt, loadCommunes, sensorMap } from '../lib/map.js';
import { allDevices, pageFailed, pageReady } from '../lib/uc-page.js';

// An indicator that fails leaves its card without figures, not the page without data.
const indicatorOf = (id) => (USE_CASES[id] ? api(`/v1/indicators/${id}`).catch(() => null) : Promise.resolve(null));

function card(uc, indicator) {
    const def = USE_CASES[uc.id];
    const title = def ? def.name : uc.name;
    const figures = def && indicator ? def.summary(indicator) : [];
    return h('li', { class: 'card uc-card', dataset: { useCase: uc.id } },
        h('h3', {}, def ? h('a', { href: def.page }, title) : title),
        uc.description ? h('p', { class: 'uc-desc' }, uc.description) : null,
        h('p', { class: 'uc-line', dataset: { figure: 'devices' } },
            h('span', { class: 'figure' }, num(uc.devices, 0)), ' ',
            h('span', { class: 'figure-label' }, def ? def.sensors : 'capteurs')),
        h('p', { class: 'uc-latest', dataset: { figure: 'latest' } },
            uc.latest ? ['Dernière mesure : ', h('time', { datetime: uc.latest }, when(uc.latest)), ` (${ago(uc.latest)})`]
                : 'Aucune mesure reçue pour l’instant'),
        figures.length ? h('dl', { class: 'uc-figures' }, figures.map((f) => h('div', { dataset: { figure: f.id } },
            h('dt', {}, f.label), h('dd', {}, h('span', { class: 'figure-value' }, f.value), f.detail ? h('span', { class: 'figure-detail' }, ` – ${f.detail}`) : null))))
            : def ? h('p', { class: 'hint' }, 'Indicateurs indisponibles pour l’instant.') : null,
        def ? h('p', { class: 'uc-more' }, h('a', { href: def.page }, 'Voir les mesures', h('span', { class: 'visually-hidden' }, ` : ${title}`))) : null);
}

async function start() {
    const [ucs, devices, communes] = await Promise.all([api('/v1/usecases'), allDevices(), loadCommunes()]);
    const indicators = await Promise.all(ucs.items.map((u) => indicatorOf(u.id)));
    // In the order of the menu; a use case the site does not know yet comes last.
    const order = Object.keys(USE_CASES);
    const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length);
    const cards = ucs.items.map((u, i) => ({ u, ind: indicators[i] })).sort((a, b) => rank(a.u.id) - rank(b.u.id));
    fill(document.querySelector('[data-cards]'), cards.map(({ u, ind }) => card(u, ind)));

    const nameOf = new Map(ucs.items.map((u) => [u.id, USE_CASES[u.id] ? USE_CASES[u.id].name : u.name]));
    const sensors = devices.map((d) => {
        const st = STATES[d.health.status] ? d.health.status : 'silent';
        return {
            id: d.dev_eui,
            name: d.name,
            lat: d.latitude,
            lon: d.longitude,
            state: st,
            colour: STATES[st].colour,
            legendKey: st,
            word: `${nameOf.get(d.use_case) || d.use_case} – ${STATES[st].label}`,
            details: [`Dernière mesure : ${when(d.health.last_seen)}`],
            lastSeen: d.health.last_seen,
            useCase: d.use_case,
            commune: communeAt(communes, d.latitude, d.longitude),
        };
    });
    await sensorMap(document.querySelector('[data-map]'), {
        label: 'Carte des capteurs de la métropole',
        listTitle: 'Liste des capteurs',
        sensors,
        legend: {
            title: 'État des capteurs',
            items: Object.entries(STATES).map(([key, s]) => ({ key, label: s.label, colour: s.colour, shape: key })),
        },
        columns: [
            { label: 'Usage', value: (s) => nameOf.get(s.useCase) || s.useCase },
            { label: 'Commune', value: (s) => s.commune || '–' },
        ],
        onActivate: (s) => {
            const def = USE_CASES[s.useCase];
            if (def) window.location.assign(`${def.page}?capteur=${encodeURIComponent(s.id)}`);
        },
    });
}

start().then(pageReady, pageFailed);
