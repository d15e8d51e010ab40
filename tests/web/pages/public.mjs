// public.mjs - the public pages: the home page (the communes' map with a marker per positioned
// device, a card per use case with the API's counts), each use-case page (its key figures, a chart
// whose table has the series' points, the range switch asking the API for the right period, the
// latest values as the API answers them, downloads that return the data, the keyboard), an API
// failure said in French, and the accessibility statement.
//
// Every test's name starts with "public – " (run them with --only 'public – ').
// Figures are compared with the very answers the page received (its responses are read while it
// loads), or with the API at the same moment when live updates have moved the page since.
import { quantity } from '../../../services/api/web/src/js/lib/usecases.js';

const USE_CASES = [
    { id: 'noise', path: '/bruit', shot: 'bruit' },
    { id: 'waste', path: '/dechets', shot: 'dechets' },
    { id: 'water', path: '/eau', shot: 'eau' },
    { id: 'counting', path: '/comptage', shot: 'comptage' },
    { id: 'lighting', path: '/eclairage', shot: 'eclairage' },
    { id: 'heat', path: '/chaleur', shot: 'chaleur' },
];

// French numbers and dates as the site prints them, spaces of any kind made plain for comparing.
const plain = (s) => String(s).replace(/[\s\u202f\u00a0]+/g, ' ').trim();
const fr = (v, digits = 0) => plain(new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }).format(v));
const frDate = (t) => plain(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(t)));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const DAY = 86400e3;

// Reloads the page and keeps the JSON of every API answer it reads (the live stream aside).
async function reloadReading(t) {
    const bodies = new Map();
    const pending = [];
    const onResponse = (r) => {
        const u = new URL(r.url());
        if (!u.pathname.startsWith('/v1/') || u.pathname === '/v1/live' || r.status() !== 200) return;
        pending.push(r.json().then((j) => bodies.set(u.pathname + u.search, j), () => {}));
    };
    t.page.on('response', onResponse);
    await t.page.reload({ waitUntil: 'load' });
    await t.ready();
    await Promise.all(pending);
    t.page.off('response', onResponse);
    const find = (prefix) => {
        for (const [k, v] of bodies) if (k === prefix || k.startsWith(`${prefix}?`)) return v;
        return null;
    };
    return { bodies, find };
}

// Every device the API lists, through its pages.
async function allDevices(t, useCase) {
    const items = [];
    for (let offset = 0; ; offset += 1000) {
        const page = await t.api(`/v1/devices?limit=1000&offset=${offset}${useCase ? `&use_case=${useCase}` : ''}`);
        items.push(...page.items);
        if (page.items.length === 0 || items.length >= page.total) return items;
    }
}

const liveUpdates = (t) => t.page.evaluate(() => Number(document.documentElement.dataset.liveUpdates || 0));

// A figure the page shows ('[data-figure=id] .figure') against the expected text; when live
// updates moved the page, against the API's answer now.
async function expectFigure(t, id, expected, fresh) {
    const shown = plain(await t.page.textContent(`[data-key-figures] [data-figure="${id}"] .figure`));
    if (shown === plain(expected)) return;
    if ((await liveUpdates(t)) > 0 && fresh) {
        const now = plain(await fresh());
        t.expect(shown === now, `figure ${id}: the page shows "${shown}", the API "${expected}" at load and "${now}" now`);
        return;
    }
    t.expect(false, `figure ${id}: the page shows "${shown}", the API answered "${expected}"`);
}

// The key figures each use case prints, computed here from its indicator.
const FIGURES = {
    noise: (ind) => {
        const top = ind.items.filter((i) => i.lden !== null).sort((a, b) => b.lden - a.lden)[0];
        return { sites: fr(ind.items.length), lden_max: top ? `${fr(top.lden, 1)} dB(A)` : '–' };
    },
    waste: (ind) => ({
        containers: fr(ind.items.length),
        collect_today: fr(ind.summary.collect_today.length),
        full: fr(ind.summary.classes.full),
    }),
    water: (ind) => {
        const order = ['green', 'yellow', 'orange', 'red'];
        const words = { green: 'Vert', yellow: 'Jaune', orange: 'Orange', red: 'Rouge' };
        const worst = ind.items.filter((i) => i.vigilance).sort((a, b) => order.indexOf(b.vigilance) - order.indexOf(a.vigilance))[0];
        return { stations: fr(ind.items.length), vigilance: worst ? words[worst.vigilance] : '–' };
    },
    counting: (ind) => ({
        counters: fr(ind.items.length),
        today: fr(sum(ind.items.map((i) => i.total.today))),
        year: fr(sum(ind.items.map((i) => i.total.year))),
    }),
    lighting: (ind) => ({ devices: fr(ind.devices), faults: fr(ind.lamps_in_fault) }),
    heat: (ind) => {
        const measured = ind.items.filter((i) => i.tmin !== null);
        return { sensors: fr(ind.items.length), tropical: measured.length ? fr(measured.filter((i) => i.tropical).length) : '–' };
    },
};

// What a latest-values cell prints for a quantity's value.
function cellText(q, v) {
    const d = quantity(q);
    if (d.text) return d.text(v);
    return v === null || v === undefined ? '–' : fr(v, d.digits);
}

// The chart's data table against the series the page received for it.
async function expectChartMatches(t, series, what) {
    const rows = await t.page.locator('[data-charts] [data-chart] details.data-table tbody tr').count();
    const canvas = await t.page.locator('[data-charts] [data-chart] canvas').count();
    if (series.points.length === 0) {
        const text = await t.page.textContent('[data-charts] [data-chart]');
        t.expect(text.includes('Aucune donnée'), `${what}: an empty series and no sentence says so`);
        return;
    }
    t.expect(canvas > 0, `${what}: no uPlot canvas for ${series.points.length} points`);
    const times = new Set(series.points.map((p) => p[0])).size;
    t.expect(rows === times, `${what}: the chart's table has ${rows} rows, the series ${times} points`);
}

const seriesRequest = (t) => t.page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/series') && r.request().method() === 'GET', { timeout: 15000 });

function useCaseTest(uc) {
    return {
        name: `public – ${uc.path} : chiffres clés, graphique, dernières valeurs et téléchargements comme l’API`,
        path: uc.path, shot: uc.shot, axe: true, phone: true,
        async run(t) {
            const p = t.page;
            const got = await reloadReading(t);
            const ind = got.find(`/v1/indicators/${uc.id}`);
            const latest = got.find(`/v1/usecases/${uc.id}/latest`);
            t.expect(ind && latest, 'the page did not read its indicator and its latest values');

            // Key figures, each as computed here from the indicator the page read.
            const expected = FIGURES[uc.id](ind);
            for (const [id, text] of Object.entries(expected)) {
                await expectFigure(t, id, text, async () => FIGURES[uc.id](await t.api(`/v1/indicators/${uc.id}`))[id]);
            }

            // The latest values: one row per device of the API, each cell its value.
            const rows = await p.$$eval('[data-latest] tbody tr', (trs) => trs.map((tr) => ({
                eui: tr.dataset.eui,
                name: tr.querySelector('th').textContent,
                moved: tr.classList.contains('just-updated'),
                cells: Object.fromEntries([...tr.querySelectorAll('[data-q]')].map((c) => [c.dataset.q, c.textContent])),
            })));
            t.expect(rows.length === latest.total, `${rows.length} rows of latest values, the API has ${latest.total} devices`);
            let compared = 0;
            for (const item of latest.items) {
                const row = rows.find((r) => r.eui === item.dev_eui);
                t.expect(row && row.name === item.name, `no row for ${item.name} (${item.dev_eui})`);
                if (row.moved) continue; // a live update came after the answer
                for (const v of item.values) {
                    if (!(v.quantity in row.cells)) continue;
                    const want = cellText(v.quantity, v.value);
                    t.expect(plain(row.cells[v.quantity]) === want, `${item.name}, ${v.quantity}: the page shows "${row.cells[v.quantity]}", the API ${v.value} ("${want}")`);
                    compared++;
                }
            }
            t.expect(latest.items.every((i) => i.values.length === 0) || compared > 0, 'no value of the latest table was compared');

            // The chart of the first drawing: its table has the series' points.
            const first = [...got.bodies.entries()].find(([k]) => k.includes('/series?'));
            t.expect(first, 'the page drew no series');
            await expectChartMatches(t, first[1], 'first chart');

            // "Semaine": the API is asked for 7 days, and the chart is drawn again with its answer.
            const asked = seriesRequest(t);
            await p.click('[data-charts] button[data-range="semaine"]');
            const res = await asked;
            const from = Date.parse(new URL(res.url()).searchParams.get('from'));
            t.expect(Math.abs(Date.now() - 7 * DAY - from) < 10 * 60e3, `"Semaine" asked from ${new Date(from).toISOString()}, not 7 days ago`);
            const week = await res.json();
            await p.waitForFunction((n) => document.querySelector('[data-chart]').dataset.points === String(n), week.points.length, { timeout: 5000 })
                .catch(() => { throw new Error(`the chart was not drawn again with the ${week.points.length} points of the week`); });
            t.expect(await p.getAttribute('button[data-range="semaine"]', 'aria-pressed') === 'true', '"Semaine" is not pressed');
            t.expect(await p.getAttribute('button[data-range="jour"]', 'aria-pressed') === 'false', '"Jour" is still pressed');
            await expectChartMatches(t, week, 'week chart');

            // Downloads: each link returns the data it names.
            const links = Object.fromEntries(await p.$$eval('[data-downloads] a[download]', (as) => as.map((a) => [a.dataset.download, a.getAttribute('href')])));
            t.expect(links['latest-geojson'] && links['latest-json'], 'the latest values have no GeoJSON or JSON download');
            const geo = await t.api(links['latest-geojson']);
            const positioned = latest.items.filter((i) => i.latitude !== null && i.longitude !== null).length;
            t.expect(geo.type === 'FeatureCollection' && Array.isArray(geo.features), 'the GeoJSON download is not a FeatureCollection');
            t.expect(geo.features.length === positioned, `the GeoJSON has ${geo.features.length} features, the API ${positioned} positioned devices`);
            const json = await t.api(links['latest-json']);
            t.expect(json.use_case === uc.id && json.total === latest.total, `the JSON download holds ${json.total} devices of ${json.use_case}`);
            // The use case's open datasets: each listed, its whole-history CSV served with its rows.
            const open = (await t.api('/v1/opendata/datasets')).items.filter((d) => d.use_case === uc.id && d.access === 'open');
            const listed = await p.$$eval('[data-downloads] [data-opendata]', (li) => li.map((l) => l.dataset.opendata));
            t.expect(listed.join() === open.map((d) => d.id).join(), `the page lists the open datasets ${listed}, the API ${open.map((d) => d.id)}`);
            if (open.length > 0) {
                t.expect(links['opendata-csv'] === `${open.at(-1).url}${open.at(-1).id}.csv`, `the open data CSV link is ${links['opendata-csv']}`);
                const rows = String(await t.api(links['opendata-csv'])).trim().split('\n');
                t.expect(rows.length > 1 && /^(period_start|device_eui),/.test(rows[0]), `the open data CSV starts with "${rows[0]}" and has ${rows.length - 1} rows`);
            }
            if (week.points.length > 0) {
                t.expect(links['series-csv'] && links['series-json'], 'the chosen series has no CSV or JSON download');
                const drawn = new URL(res.url());
                t.expect(links['series-json'] === drawn.pathname + drawn.search, `the series download ${links['series-json']} is not the series on the chart`);
                const csv = String(await t.api(links['series-csv'])).trim().split('\n');
                t.expect(csv[0] === 'time,value', `the CSV starts with "${csv[0]}"`);
                t.expect(csv.length - 1 >= week.points.length && csv.length - 1 <= week.points.length + 5,
                    `the CSV has ${csv.length - 1} rows, the series ${week.points.length} points`);
                t.expect(csv.slice(1).every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z,(-?[\d.e+-]+)?$/.test(l)), 'a CSV row is not "time,value"');
                const js = await t.api(links['series-json']);
                t.expect(Array.isArray(js.points) && js.points.length >= week.points.length, 'the JSON series download has not the points');
            }
        },
    };
}

export default [
    {
        name: 'public – accueil : la carte dessine les 92 communes et un point par capteur positionné, avec son état',
        path: '/', shot: 'accueil', axe: true, phone: true,
        async run(t) {
            const p = t.page;
            const got = await reloadReading(t);
            const communes = await t.api('/assets/geo/communes.geojson');
            const drawn = await p.locator('[data-map] path.commune').count();
            t.expect(communes.features.length === 92 && drawn === 92, `${drawn} communes drawn, the map has ${communes.features.length}`);

            // The devices the page read, and the API again now: the same fleet.
            const read = [...got.bodies.entries()].filter(([k]) => k.startsWith('/v1/devices?')).flatMap(([, v]) => v.items);
            const now = await allDevices(t);
            t.expect(read.length === now.length, `the page read ${read.length} devices, the API lists ${now.length}`);
            const positioned = read.filter((d) => d.latitude !== null && d.longitude !== null);
            const markers = await p.$$eval('[data-map] path.sensor', (ps) => ps.map((e) => ({ id: e.dataset.sensor, state: e.dataset.state, label: e.getAttribute('aria-label'), tab: e.getAttribute('tabindex') })));
            t.expect(markers.length === positioned.length, `${markers.length} markers, the API has ${positioned.length} positioned devices`);
            for (const d of positioned) {
                const m = markers.find((x) => x.id === d.dev_eui);
                t.expect(m && m.state === d.health.status, `${d.name}: marker state ${m && m.state}, the API ${d.health.status}`);
                t.expect(m.tab === '0' && m.label.startsWith(d.name), `${d.name}: its marker is not reachable by keyboard with its name`);
            }
            // The legend counts the states in words.
            const legend = plain(await p.textContent('[data-map] .map-legend'));
            for (const [state, word] of [['ok', 'En service'], ['late', 'En retard'], ['silent', 'Silencieux']]) {
                const n = positioned.filter((d) => d.health.status === state).length;
                t.expect(legend.includes(`${word} : ${n}`), `the legend does not say "${word} : ${n}" ("${legend}")`);
            }
            // The text alternative: the list has every device.
            const listed = await p.locator('[data-map] .sensor-list tbody tr').count();
            t.expect(listed === read.length, `the list of sensors has ${listed} rows, the API ${read.length} devices`);
        },
    },
    {
        name: 'public – accueil : une carte par usage avec ses capteurs, sa dernière mesure et ses chiffres de l’API',
        path: '/', shot: 'accueil-usages',
        async run(t) {
            const p = t.page;
            const got = await reloadReading(t);
            const ucs = got.find('/v1/usecases');
            t.expect(ucs && ucs.items.length > 0, 'the page read no use case');
            const cards = await p.$$eval('[data-cards] > li', (lis) => lis.map((li) => ({
                id: li.dataset.useCase,
                devices: li.querySelector('[data-figure="devices"] .figure').textContent,
                latest: li.querySelector('[data-figure="latest"]').textContent,
                link: li.querySelector('h3 a') ? li.querySelector('h3 a').getAttribute('href') : null,
                figures: Object.fromEntries([...li.querySelectorAll('dl [data-figure]')].map((d) => [d.dataset.figure, d.querySelector('.figure-value').textContent])),
            })));
            t.expect(cards.length === ucs.items.length, `${cards.length} cards, the API has ${ucs.items.length} use cases`);
            for (const u of ucs.items) {
                const c = cards.find((x) => x.id === u.id);
                t.expect(c, `no card for ${u.id}`);
                t.expect(plain(c.devices) === fr(u.devices), `${u.id}: the card shows ${c.devices} devices, the API ${u.devices}`);
                if (u.latest) t.expect(plain(c.latest).includes(frDate(u.latest)), `${u.id}: the card says "${c.latest}", the API's latest is ${u.latest}`);
                else t.expect(c.latest.includes('Aucune mesure'), `${u.id}: no measurement and the card says "${c.latest}"`);
                const page = USE_CASES.find((x) => x.id === u.id);
                if (page) t.expect(c.link === page.path, `${u.id}: the card links to ${c.link}`);
            }
            // Two figures of the cards, from the indicators the page read.
            const waste = got.find('/v1/indicators/waste');
            const card = (id) => cards.find((c) => c.id === id);
            if (waste && card('waste')) {
                t.expect(plain(card('waste').figures.collect_today) === fr(waste.summary.collect_today.length),
                    `waste: ${card('waste').figures.collect_today} to collect, the API ${waste.summary.collect_today.length}`);
            }
            const counting = got.find('/v1/indicators/counting');
            if (counting && card('counting')) {
                const year = fr(sum(counting.items.map((i) => i.total.year)));
                t.expect(plain(card('counting').figures.year) === year, `counting: ${card('counting').figures.year} this year, the API ${year}`);
            }
        },
    },
    {
        name: 'public – accueil : Entrée sur un capteur de la carte ouvre la page de son usage, ce capteur choisi',
        path: '/',
        async run(t) {
            const p = t.page;
            const marker = p.locator('[data-map] path.sensor').first();
            const eui = await marker.getAttribute('data-sensor');
            const device = await t.api(`/v1/devices/${eui}`);
            const page = USE_CASES.find((u) => u.id === device.use_case);
            await marker.focus();
            await Promise.all([p.waitForURL((u) => u.pathname === page.path), p.keyboard.press('Enter')]);
            t.expect(new URL(p.url()).searchParams.get('capteur') === eui, `the page opened is ${p.url()}`);
            await t.ready();
            t.expect(await p.inputValue('#choix-capteur') === eui, `${page.path} did not choose ${device.name} for its chart`);
        },
    },
    ...USE_CASES.map(useCaseTest),
    {
        name: 'public – /bruit : au clavier, Tab atteint les boutons de période et Entrée les active',
        path: '/bruit',
        async run(t) {
            const p = t.page;
            await p.focus('#choix-capteur');
            let label = null;
            for (let i = 0; i < 8 && label !== 'Mois'; i++) {
                await p.keyboard.press('Tab');
                label = await p.evaluate(() => (document.activeElement && document.activeElement.dataset.range ? document.activeElement.textContent : null));
            }
            t.expect(label === 'Mois', 'Tab from the sensor never reached the "Mois" button');
            const asked = seriesRequest(t);
            await p.keyboard.press('Enter');
            const res = await asked;
            const from = Date.parse(new URL(res.url()).searchParams.get('from'));
            t.expect(Math.abs(Date.now() - 30 * DAY - from) < 10 * 60e3, `"Mois" asked from ${new Date(from).toISOString()}, not 30 days ago`);
            t.expect(await p.getAttribute('button[data-range="mois"]', 'aria-pressed') === 'true', '"Mois" is not pressed after Enter');
            const visible = await p.evaluate(() => {
                const el = document.activeElement;
                return el.dataset.range === 'mois' && getComputedStyle(el).outlineStyle !== 'none';
            });
            t.expect(visible, 'the focused "Mois" button shows no focus outline');
        },
    },
    {
        name: 'public – /eau : Entrée sur une station de la carte la trace dans le graphique',
        path: '/eau',
        async run(t) {
            const p = t.page;
            const markers = p.locator('[data-map] path.sensor');
            const n = await markers.count();
            t.expect(n > 1, `${n} markers on the rivers' map`);
            const current = await p.inputValue('#choix-capteur');
            let target = null;
            for (let i = 0; i < n && !target; i++) {
                const id = await markers.nth(i).getAttribute('data-sensor');
                if (id !== current) target = markers.nth(i);
            }
            const eui = await target.getAttribute('data-sensor');
            // From the map, Tab goes to the sensors, not to the 92 commune outlines.
            await p.focus('[data-map] .map');
            await p.keyboard.press('Tab');
            const next = await p.evaluate(() => document.activeElement.getAttribute('class') || document.activeElement.tagName);
            t.expect(next.includes('sensor'), `Tab from the map went to "${next}", not to a sensor`);
            await target.focus();
            const asked = seriesRequest(t);
            await p.keyboard.press('Enter');
            const res = await asked;
            t.expect(new URL(res.url()).pathname === `/v1/devices/${eui}/series`, `Enter on ${eui} asked ${res.url()}`);
            t.expect(await p.inputValue('#choix-capteur') === eui, 'the sensor chosen is not the marker\'s');
        },
    },
    {
        name: 'public – /dechets : une panne de l’API est dite en français, sans page cassée',
        path: '/dechets', ready: false,
        expectErrors: ['HTTP 503', 'status of 503'],
        async run(t) {
            const p = t.page;
            await p.route('**/v1/indicators/waste*', (route) => route.fulfill({
                status: 503, contentType: 'application/json',
                body: JSON.stringify({ error: 'database_unavailable', reason: 'test' }),
            }));
            await p.reload({ waitUntil: 'load' });
            await p.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 20000 });
            t.expect(await p.evaluate(() => document.documentElement.dataset.ready) === 'error', 'the page does not report data-ready="error"');
            const status = await p.textContent('[data-status]');
            t.expect(await p.isVisible('[data-status]') && status.includes('n’ont pas pu être chargées') && status.includes('503'),
                `the status line says "${status}"`);
        },
    },
    {
        name: 'public – /accessibilite : la déclaration dit l’état de conformité, le contact et les voies de recours',
        path: '/accessibilite', shot: 'accessibilite', axe: true, phone: true,
        async run(t) {
            const p = t.page;
            t.expect((await p.textContent('h1')).includes('Déclaration d’accessibilité'), 'no heading');
            const text = plain(await p.textContent('main'));
            for (const words of ['partiellement conforme', 'RGAA', 'axe-core', 'clavier', 'Défenseur des droits', 'Libre réponse 71120']) {
                t.expect(text.includes(words), `the statement does not say "${words}"`);
            }
            t.expect(await p.locator('main a[href="https://www.defenseurdesdroits.fr/"]').count() === 1, 'no link to the Défenseur des droits');
            const footer = await p.getAttribute('footer a[href="/accessibilite"]', 'aria-current');
            t.expect(footer === 'page', 'the footer link to the statement is not marked as the current page');
        },
    },
];
