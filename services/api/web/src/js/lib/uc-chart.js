// uc-chart.js - the chart part of a use-case page: a sensor and a measure to choose, the range as
// four buttons (aria-pressed), the series from GET /v1/devices/{eui}/series?bucket=auto drawn
// with its data table (chart.js), and what was drawn handed on (for the downloads).
import { api, query } from './api.js';
import { announce, h } from './dom.js';
import { num } from './format.js';
import { timeChart } from './chart.js';
import { RANGES, quantity } from './usecases.js';

const AGG_WORDS = {
    mean: 'moyenne', energetic_mean: 'moyenne énergétique', max: 'maximum', min: 'minimum',
    sum: 'total', last: 'dernière valeur', first: 'première valeur', count: 'nombre',
};

// RFC 3339 to the second, as the API reads it.
const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function bucketNote(answer) {
    if (answer.bucket === 'raw') return 'Chaque mesure reçue est tracée.';
    const what = AGG_WORDS[answer.agg] || answer.agg;
    return answer.bucket === 'hour' ? `Une valeur par heure (${what} de l’heure).` : `Une valeur par jour (${what} de la journée, heure de Paris).`;
}

// The measures of the chart list that a device reports (all of them when it reports none yet).
function measuresOf(ctx, eui) {
    const vals = ctx.latest.get(eui);
    const has = ctx.def.chart.filter((q) => vals && vals.has(q));
    return has.length ? has : ctx.def.chart.filter((q) => [...ctx.latest.values()].some((v) => v.has(q)));
}

// Builds the controls in 'box' and draws the first chart. Returns chooseSensor(eui, focus): the
// map's markers call it. onChosen({device, quantity, range, path, points}) follows every drawing.
export async function drawChart(box, ctx, { wanted, onChosen }) {
    const devices = [...ctx.devices.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    if (devices.length === 0) {
        box.replaceChildren(h('p', {}, 'Aucun capteur : pas de graphique à tracer.'));
        onChosen(null);
        return () => {};
    }
    const first = devices.find((d) => measuresOf(ctx, d.dev_eui).some((q) => ctx.latest.get(d.dev_eui) && ctx.latest.get(d.dev_eui).has(q)));
    const state = {
        eui: wanted && ctx.devices.has(wanted) ? wanted : (first || devices[0]).dev_eui,
        quantity: null,
        range: RANGES[0],
        seq: 0,
    };

    const sensorSelect = h('select', { id: 'choix-capteur', name: 'capteur' },
        devices.map((d) => h('option', { value: d.dev_eui }, ctx.communeOf(d) ? `${d.name} (${ctx.communeOf(d)})` : d.name)));
    const measureSelect = h('select', { id: 'choix-mesure', name: 'mesure' });
    const buttons = RANGES.map((r) => h('button', {
        type: 'button', 'aria-pressed': String(r === state.range), dataset: { range: r.id },
        title: `Afficher ${r.title}`,
    }, r.label));
    const chartBox = h('div', { class: 'chart-box', dataset: { chart: '' } });
    const note = h('p', { class: 'hint', dataset: { bucket: '' } });
    const extra = h('p', { class: 'hint', dataset: { chartExtra: '' } });
    box.replaceChildren(
        h('div', { class: 'chart-controls' },
            h('div', { class: 'form-row' },
                h('div', {}, h('label', { for: 'choix-capteur' }, 'Capteur'), sensorSelect),
                h('div', {}, h('label', { for: 'choix-mesure' }, 'Mesure'), measureSelect)),
            h('div', { class: 'range-switch', role: 'group', 'aria-label': 'Période affichée' }, buttons)),
        chartBox, note, extra);

    const fillMeasures = () => {
        const qs = measuresOf(ctx, state.eui);
        if (!qs.includes(state.quantity)) state.quantity = qs[0] || null;
        measureSelect.replaceChildren(...qs.map((q) => h('option', { value: q, selected: q === state.quantity }, quantity(q).label)));
        measureSelect.disabled = qs.length < 2;
    };

    const draw = async () => {
        const seq = ++state.seq;
        const device = ctx.devices.get(state.eui);
        if (!state.quantity) {
            chartBox.replaceChildren(h('p', {}, `${device.name} n’a encore envoyé aucune des mesures de cette page.`));
            note.textContent = '';
            onChosen(null);
            return;
        }
        const q = quantity(state.quantity);
        const path = `/v1/devices/${state.eui}/series${query({
            quantity: state.quantity,
            from: rfc3339(Date.now() - state.range.ms),
            bucket: 'auto',
            agg: q.agg === 'mean' ? null : q.agg,
        })}`;
        chartBox.setAttribute('aria-busy', 'true');
        const answer = await api(path);
        if (seq !== state.seq) return; // a newer choice was made meanwhile
        const points = answer.points.map(([t, v]) => [Date.parse(t), v]);
        const title = `${q.label} – ${device.name} – ${state.range.title}`;
        timeChart(chartBox, { title, series: [{ label: q.label, unit: q.unit, points }], digits: q.digits });
        chartBox.removeAttribute('aria-busy');
        chartBox.dataset.points = String(points.length);
        note.textContent = points.length ? bucketNote(answer) : '';
        const more = ctx.specific && ctx.specific.chartNote ? ctx.specific.chartNote(device, state.quantity) : null;
        extra.textContent = more || '';
        extra.hidden = !more;
        // The first drawing is part of the page; later ones follow a choice and are announced.
        if (seq > 1) announce(points.length
            ? `Graphique mis à jour : ${q.label}, ${device.name}, ${state.range.title}, ${num(points.length, 0)} valeurs.`
            : `Aucune donnée pour ${device.name} sur ${state.range.title}.`);
        onChosen({ device, quantity: state.quantity, range: state.range, path, points });
    };

    // A failed redraw says so where the chart was; the page stays usable.
    const redraw = () => draw().catch((e) => {
        chartBox.removeAttribute('aria-busy');
        chartBox.replaceChildren(h('p', { class: 'error' }, `Le graphique n’a pas pu être chargé (${e.status ? `réponse ${e.status}` : 'réseau'}). Réessayez.`));
    });

    sensorSelect.addEventListener('change', () => {
        state.eui = sensorSelect.value;
        fillMeasures();
        redraw();
        const url = new URL(window.location.href);
        url.searchParams.set('capteur', state.eui);
        window.history.replaceState(null, '', url);
    });
    measureSelect.addEventListener('change', () => {
        state.quantity = measureSelect.value;
        redraw();
    });
    buttons.forEach((b, i) => b.addEventListener('click', () => {
        state.range = RANGES[i];
        buttons.forEach((o) => o.setAttribute('aria-pressed', String(o === b)));
        redraw();
    }));

    sensorSelect.value = state.eui;
    fillMeasures();
    await draw();

    return (eui, focus) => {
        if (!ctx.devices.has(eui)) return;
        sensorSelect.value = eui;
        sensorSelect.dispatchEvent(new Event('change'));
        if (focus) {
            box.scrollIntoView({ block: 'start' });
            sensorSelect.focus({ preventScroll: true });
        }
    };
}
