// counter-display.js - what a counter's public display shows: its name, today's and this year's
// passages in large figures, by direction when known, and the time of its latest count. Built
// once, then its figures are updated in place (nothing focused is ever replaced).
import { fill, h } from './dom.js';
import { clock, num, todayLocal, when } from './format.js';

const TZ = 'Europe/Paris';
const WORDS = { bike: ['vélo', 'vélos'], pedestrian: ['piéton', 'piétons'] };
const longDay = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: TZ });

// "vélo" or "vélos" as French counts them (0 and 1 take the singular).
export function countWord(kind, n) {
    const w = WORDS[kind] || ['passage', 'passages'];
    return Math.abs(n) >= 2 ? w[1] : w[0];
}

// The time of the latest count: the hour alone when it is today in Paris, else date and hour.
function updatedText(t) {
    if (!t) return null;
    return dayKey.format(new Date(t)) === todayLocal() ? clock(t) : when(t);
}

function figure(key, heading) {
    const value = h('span', { class: 'counter-number', 'data-count': key }, '–');
    const unit = h('span', { class: 'counter-unit' });
    const directions = h('p', { class: 'counter-directions', hidden: true });
    const title = h('h2', {}, heading);
    return { el: h('section', { class: 'counter-figure' }, title, h('p', { class: 'counter-value' }, value, ' ', unit), directions), title, value, unit, directions };
}

// Builds the display into 'body' and names the page after the counter ('title', its <h1>).
// Returns update(display, indicator) where 'display' is GET /v1/counters/{eui}/display's answer
// and 'indicator' the counter's item of GET /v1/indicators/counting (its directions and what it
// counts) or null, and setLive(open) for the stream's state.
export function buildDisplay(body, title) {
    const today = figure('today', 'Aujourd’hui');
    const year = figure('year', 'Depuis le 1er janvier'); // its year is set by update()
    const date = h('p', { class: 'counter-date' });
    const updated = h('time', {});
    const updatedLine = h('p', { class: 'counter-updated' }, 'Dernière mise à jour : ', updated);
    const liveState = h('p', { class: 'counter-live' });
    fill(body,
        date,
        h('div', { class: 'counter-figures' }, today.el, year.el),
        h('div', { class: 'counter-foot' }, updatedLine, liveState,
            h('p', { class: 'counter-brand' }, 'mue · Métropole Aix-Marseille-Provence · ',
                h('a', { href: '/compteur' }, 'Tous les afficheurs'))));

    function setFigure(f, total, inbound, outbound, kind) {
        f.value.textContent = num(total, 0);
        f.unit.textContent = countWord(kind, total);
        if (inbound === null || outbound === null) {
            f.directions.hidden = true;
            return;
        }
        f.directions.textContent = `Sens entrant : ${num(inbound, 0)} · sens sortant : ${num(outbound, 0)}`;
        f.directions.hidden = false;
    }

    function update(d, ind) {
        const kind = ind ? ind.counts : null;
        title.textContent = d.name || `Compteur ${d.dev_eui}`;
        document.title = `${title.textContent} · afficheur · mue`;
        date.textContent = longDay.format(new Date());
        fill(year.title, 'Depuis le 1', h('sup', {}, 'er'), ` janvier ${todayLocal().slice(0, 4)}`);
        setFigure(today, d.today, ind ? ind.in.today : null, ind ? ind.out.today : null, kind);
        setFigure(year, d.year, ind ? ind.in.year : null, ind ? ind.out.year : null, kind);
        const u = updatedText(d.updated);
        updated.textContent = u || 'aucun comptage reçu';
        if (d.updated) updated.setAttribute('datetime', d.updated);
        else updated.removeAttribute('datetime');
    }

    // open: true, false, or null while the stream connects.
    function setLive(open) {
        liveState.textContent = open === null ? 'Connexion au direct…'
            : open ? 'En direct' : 'Liaison en direct interrompue : actualisation chaque minute';
        liveState.classList.toggle('live-dot', open === true);
    }

    return { update, setLive };
}
