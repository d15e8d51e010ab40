// counter.js - the bike and pedestrian counters' display page (/compteur?eui=DEVEUI): one
// counter's figures, large, kept current by the live stream and by a refresh every minute (in
// case the stream drops); without an eui, the list of the displays.
import { api } from '../lib/api.js';
import { fill, h } from '../lib/dom.js';
import { live } from '../lib/live.js';
import { buildDisplay } from '../lib/counter-display.js';

const REFRESH_MS = 60000;
const SETTLE_MS = 1500; // a burst of events (both directions) becomes one refresh
const body = document.getElementById('counter-body');
const title = document.getElementById('counter-title');
const ready = (state) => { document.documentElement.dataset.ready = state; };

function message(text, ...more) {
    fill(body, h('p', { class: 'counter-message', role: 'status' }, text), ...more);
}

const listLink = () => h('p', { class: 'counter-message' }, h('a', { href: '/compteur' }, 'Voir la liste des afficheurs'));

// ---- the list ----

async function allCounters() {
    const items = [];
    for (let offset = 0; ; offset += 1000) {
        const page = await api(`/v1/devices?use_case=counting&limit=1000&offset=${offset}`);
        items.push(...page.items);
        if (page.items.length === 0 || items.length >= page.total) return items;
    }
}

async function showList() {
    title.textContent = 'Les afficheurs des compteurs vélos et piétons';
    const counters = await allCounters();
    if (counters.length === 0) {
        message('Aucun compteur vélos ou piétons n’est en service pour le moment.');
        return;
    }
    fill(body,
        h('p', { class: 'counter-intro' }, `${counters.length} compteur${counters.length > 1 ? 's' : ''} en service. Chaque afficheur montre les passages du jour et de l’année, mis à jour en direct.`),
        h('ul', { class: 'counter-list' }, counters.map((c) =>
            h('li', {}, h('a', { href: `/compteur?eui=${encodeURIComponent(c.dev_eui)}` }, c.name || c.dev_eui)))));
}

// ---- one counter ----

async function fetchCounter(eui) {
    const [display, indicators] = await Promise.all([
        api(`/v1/counters/${eui}/display`),
        api('/v1/indicators/counting'),
    ]);
    return { display, indicator: indicators.items.find((c) => c.dev_eui === eui) || null };
}

async function showCounter(eui) {
    let data;
    try {
        data = await fetchCounter(eui);
    } catch (e) {
        if (e.status === 404) {
            unknown();
            return 'error';
        }
        throw e;
    }
    const view = buildDisplay(body, title);
    view.update(data.display, data.indicator);

    let busy = false;
    let timer = null;
    const refresh = async () => {
        if (busy) return;
        busy = true;
        try {
            const d = await fetchCounter(eui);
            view.update(d.display, d.indicator);
        } catch {
            // kept as shown; the next event or the next minute tries again
        } finally {
            busy = false;
        }
    };
    view.setLive(null);
    live({ dev_eui: eui }, (ev, type) => {
        if (type !== 'measurement' || timer) return;
        timer = setTimeout(() => { timer = null; refresh(); }, SETTLE_MS);
    }, (open) => view.setLive(open));
    setInterval(refresh, REFRESH_MS);
    return 'true';
}

function unknown() {
    title.textContent = 'Compteur inconnu';
    message('Ce compteur n’existe pas ou n’est plus en service. Vérifiez l’adresse de l’afficheur.', listLink());
}

async function main() {
    const eui = (new URLSearchParams(window.location.search).get('eui') || '').trim().toLowerCase();
    if (!eui) {
        await showList();
        ready('true');
        return;
    }
    if (!/^[0-9a-f]{16}$/.test(eui)) { // not a DevEUI: no need to ask the API
        unknown();
        ready('error');
        return;
    }
    ready(await showCounter(eui));
}

main().catch((e) => {
    message(`Les comptages n’ont pas pu être chargés (${e.message}). Nouvel essai dans une minute.`);
    ready('error');
    // A display runs unattended: it tries again by itself.
    setTimeout(() => window.location.reload(), REFRESH_MS);
});
