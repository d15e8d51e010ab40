// chart.js - a time chart (uPlot) with its data as a table beside it, for those who cannot see
// the drawing (RGAA 1.3: a text alternative for every chart).
import uPlot from 'uplot';
import { h, table } from './dom.js';
import { axisTime, num, when } from './format.js';

const PALETTE = ['#0b4f6c', '#c2410c', '#1b7a3a', '#6d28d9', '#9a5b00', '#b3261e'];

// Draws into 'container' (emptied): a figure with the chart and a <details> holding the table.
// series: [{label, unit, points: [[time_ms, value], ...], steps}] sharing one time axis (points
// are aligned by time; a time missing from a series is a gap; 'steps': a level held until the
// next point, as a lamp's dimming is). Returns the uPlot instance, or null
// when there is nothing to draw (a sentence says so instead).
export function timeChart(container, { title, series, digits = 1 }) {
    container.replaceChildren();
    const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const heading = h('figcaption', { class: 'chart-title' }, title);
    if (times.length === 0) {
        container.append(h('figure', {}, heading, h('p', {}, 'Aucune donnée sur cette période.')));
        return null;
    }
    const index = new Map(times.map((t, i) => [t, i]));
    const columns = series.map((s) => {
        const col = new Array(times.length).fill(null);
        for (const [t, v] of s.points) col[index.get(t)] = v;
        return col;
    });
    const plotBox = h('div', { class: 'chart', role: 'img', 'aria-label': `${title} : graphique, les valeurs sont dans le tableau qui suit` });
    const rows = times.map((t, i) => [when(t), ...columns.map((c) => (c[i] === null ? '–' : num(c[i], digits)))]);
    const details = h('details', { class: 'data-table' },
        h('summary', {}, `Tableau des données (${times.length} valeurs)`),
        table(title, [{ label: 'Date', header: true }, ...series.map((s) => ({ label: s.unit ? `${s.label} (${s.unit})` : s.label, num: true }))], rows));
    container.append(h('figure', { class: 'chart-figure' }, heading, plotBox, details));

    const width = () => Math.max(280, plotBox.clientWidth || container.clientWidth || 600);
    const opts = {
        width: width(),
        height: 280,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Europe/Paris'),
        fmtDate: (tpl) => uPlot.fmtDate(tpl, FRENCH_NAMES),
        legend: { live: true },
        cursor: { focus: { prox: 16 } },
        scales: { x: { time: true } },
        // Ticks in the metropolis's time, the French way (24 h, day/month), whatever the range.
        axes: [{ values: (u, splits) => splits.map((v) => axisTime(v * 1000, u.scales.x.max - u.scales.x.min)) },
            { label: series.length === 1 ? series[0].unit || '' : '' }],
        series: [{ label: 'Date', value: (u, v) => (v === null ? '–' : when(v * 1000)) },
            ...series.map((s, i) => ({
                label: s.label,
                stroke: PALETTE[i % PALETTE.length],
                width: 2,
                spanGaps: false,
                paths: s.steps ? uPlot.paths.stepped({ align: 1 }) : undefined,
                points: { show: times.length < 60 },
                value: (u, v) => (v === null ? '–' : `${num(v, digits)}${s.unit ? `\u202f${s.unit}` : ''}`),
            }))],
    };
    const plot = new uPlot(opts, [times.map((t) => t / 1000), ...columns], plotBox);
    new ResizeObserver(() => plot.setSize({ width: width(), height: 280 })).observe(plotBox);
    return plot;
}

const FRENCH_NAMES = {
    MMMM: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    MMM: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
    WWWW: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
    WWW: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
};
