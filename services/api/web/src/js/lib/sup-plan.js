// sup-plan.js - the preview of a day on the lighting page: a group's lamps and energy (GET
// /v1/lighting/plan?group=), and one lamp's level minute by minute (?dev_eui=) drawn as a chart
// with its table, calendar and overrides included.
import { api, query, ApiError } from './api.js';
import { $, h, fill, table } from './dom.js';
import { day, num, when } from './format.js';
import { timeChart } from './chart.js';
import { errorText } from './sup-session.js';
import { parisToMs } from './sup-time.js';
import { GROUP_RE } from './sup-talq.js';

const kwh = (wh) => (wh === null || wh === undefined ? '–' : `${num(wh / 1000, 2)}\u202fkWh`);

// The levels where they change ("HH:MM") → points for a line that keeps each level until the
// next change (a point one minute before each change holds the previous level).
export function levelPoints(date, levels) {
    const points = [];
    levels.forEach((l, i) => {
        const t = parisToMs(date, l.time);
        if (i > 0) points.push([t - 60000, levels[i - 1].level]);
        points.push([t, l.level]);
    });
    if (levels.length) points.push([parisToMs(date, '23:59'), levels[levels.length - 1].level]);
    return points.sort((a, b) => a[0] - b[0]).filter((p, i, all) => i === 0 || p[0] > all[i - 1][0]);
}

function overridesOfDay(ctx, group, dev, date) {
    const from = parisToMs(date, '00:00');
    const to = from + 86400000;
    return ctx.overrides.filter((o) => (o.group === group || (o.dev_euis || []).includes(dev))
        && Date.parse(o.starts_at) < to && Date.parse(o.expires_at) > from);
}

async function drawLamp(ctx, group, date, dev) {
    const chart = $('[data-plan-chart]');
    const status = $('[data-plan-status]');
    let plan;
    try {
        plan = await api(`/v1/lighting/plan${query({ dev_eui: dev, date })}`, { auth: true });
    } catch (e) {
        fill(chart);
        fill(status, h('p', { class: 'error' }, errorText(e, 'La lecture du plan de la lampe')));
        return;
    }
    const name = ctx.devices.get(dev)?.name || dev;
    const points = levelPoints(date, plan.levels || []);
    timeChart(chart, { title: `Niveau prévu le ${day(parisToMs(date, '12:00'))} : ${name}`, series: [{ label: 'Niveau prévu', unit: '%', points, steps: true }], digits: 0 });
    chart.dataset.lamp = dev;
    chart.dataset.date = date;
    chart.dataset.levels = JSON.stringify(plan.levels || []);
    const overrides = overridesOfDay(ctx, group, dev, date);
    const facts = [
        h('li', {}, `Calendrier : ${plan.calendar || 'aucun'} ; programme du jour : ${plan.program || 'aucun (éteint)'}`),
        h('li', {}, `Coucher du soleil ${plan.sunset || '–'}, lever ${plan.sunrise || '–'} (heure de Paris)`),
        h('li', {}, `Énergie prévue de cette lampe : ${kwh(plan.energy?.planned_wh)} (à pleine puissance du coucher au lever : ${kwh(plan.energy?.full_wh)}, économie ${kwh(plan.energy?.saving_wh)})`),
        ...overrides.map((o) => h('li', { 'data-plan-override': o.id }, `Dérogation : ${o.level}\u202f% du ${when(o.starts_at)} au ${when(o.expires_at)}`)),
    ];
    fill(status, h('ul', { class: 'sup-plan-facts' }, facts));
}

function drawGroup(ctx, plan) {
    const box = $('[data-plan-lamps]');
    const lamps = plan.lamps || [];
    const e = plan.energy || {};
    fill(box,
        h('p', {}, `Groupe ${plan.group} : ${lamps.length} lampe${lamps.length > 1 ? 's' : ''}, énergie prévue ${kwh(e.planned_wh)} le ${day(parisToMs(plan.date, '12:00'))} (économie ${kwh(e.saving_wh)} sur la pleine puissance).`),
        lamps.length ? h('details', { class: 'data-table' }, h('summary', {}, `Les ${lamps.length} lampes du groupe`),
            table(`Lampes du groupe ${plan.group}`, [{ label: 'Lampe', header: true }, { label: 'DevEUI' }, { label: 'Programme' }, { label: 'Énergie prévue', num: true }],
                lamps.map((l) => [ctx.devices.get(l.dev_eui)?.name || l.dev_eui, h('code', {}, l.dev_eui), l.program || 'aucun', kwh(l.energy?.planned_wh)]))) : null);
}

// Wires the preview form; returns show(group?, date?) that fills the form and draws.
export function wirePlan(ctx) {
    const form = $('[data-plan-form]');
    const select = $('#plan-lampe');
    let lastGroup = null;

    async function draw(event) {
        if (event) event.preventDefault();
        const group = form.elements.group.value.trim();
        const date = form.elements.date.value;
        const status = $('[data-plan-status]');
        if (!GROUP_RE.test(group) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
            fill(status, h('p', { class: 'error' }, 'Choisissez un groupe de lampes et une date.'));
            return;
        }
        let plan;
        try {
            plan = await api(`/v1/lighting/plan${query({ group, date })}`, { auth: true });
        } catch (e) {
            fill($('[data-plan-chart]'));
            fill($('[data-plan-lamps]'));
            fill(status, h('p', { class: 'error' }, e instanceof ApiError && e.status === 404
                ? `Aucun groupe de lampes ne s’appelle « ${group} ».` : errorText(e, 'La lecture du plan')));
            return;
        }
        const lamps = (plan.lamps || []).map((l) => l.dev_eui);
        const keep = group === lastGroup && lamps.includes(select.value) ? select.value : lamps[0];
        lastGroup = group;
        fill(select, lamps.map((d) => h('option', { value: d, selected: d === keep }, ctx.devices.get(d)?.name || d)));
        select.disabled = lamps.length === 0;
        drawGroup(ctx, plan);
        if (!lamps.length) {
            fill($('[data-plan-chart]'));
            fill(status, h('p', { class: 'notice' }, 'Ce groupe n’a aucune lampe active.'));
            return;
        }
        await drawLamp(ctx, group, date, keep);
    }
    form.addEventListener('submit', draw);
    select.addEventListener('change', () => drawLamp(ctx, form.elements.group.value.trim(), form.elements.date.value, select.value));

    return async (group, date) => {
        if (group) form.elements.group.value = group;
        if (date) form.elements.date.value = date;
        if (form.elements.group.value) await draw();
    };
}
