// sup-lighting-status.js - what the lighting has done: the configuration commands sent to the
// controllers with their state (GET /v1/lighting/commands) and yesterday's energy per group
// (GET /v1/lighting/energy, yesterday by default).
import { api, query } from './api.js';
import { $, h, fill, table } from './dom.js';
import { day, num, when } from './format.js';
import { COMMAND_STATES, label } from './sup-labels.js';
import { errorText } from './sup-session.js';
import { parisToMs } from './sup-time.js';

const LIMIT = 50;
const kwh = (wh) => (wh === null || wh === undefined ? 'non mesurée' : `${num(wh / 1000, 2)}\u202fkWh`);

const BAD = new Set(['failed', 'expired']);
const stateCell = (s) => h('span', { class: `cmd-state cmd-${s}${BAD.has(s) ? ' state-silent' : ''}` }, label(COMMAND_STATES, s));

export async function drawCommands(ctx, state = '') {
    const box = $('[data-commands]');
    let res;
    try {
        res = await api(`/v1/lighting/commands${query({ state, limit: LIMIT })}`, { auth: true });
    } catch (e) {
        fill(box, h('p', { class: 'error' }, errorText(e, 'La lecture des commandes')));
        return;
    }
    const list = res.commands || [];
    box.dataset.count = String(list.length);
    if (!list.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, state ? 'Aucune commande dans cet état.' : 'Aucune commande envoyée.'));
        return;
    }
    fill(box, table(`Commandes : les ${list.length} plus récentes${state ? ` (${label(COMMAND_STATES, state).toLowerCase()})` : ''}`,
        [{ label: 'Créée le', header: true }, { label: 'Équipement' }, { label: 'Réglage' }, { label: 'Port', num: true },
            { label: 'État' }, { label: 'Tentatives', num: true }, { label: 'Raison' }, { label: 'Prise le' }],
        list.map((c) => [when(c.created_at),
            h('span', {}, ctx.devices.get(c.dev_eui)?.name || c.dev_eui, h('br'), h('code', { class: 'small' }, c.dev_eui)),
            h('code', {}, c.key), String(c.f_port), stateCell(c.state), String(c.attempts ?? 0), c.reason || '–',
            c.acknowledged_at ? when(c.acknowledged_at) : '–'])));
}

export function wireCommands(ctx) {
    const form = $('[data-commands-form]');
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        drawCommands(ctx, form.elements.state.value);
    });
}

export async function drawEnergy() {
    const box = $('[data-energy]');
    let res;
    try {
        res = await api('/v1/lighting/energy', { auth: true });
    } catch (e) {
        fill(box, h('p', { class: 'error' }, errorText(e, 'La lecture de l’énergie')));
        return;
    }
    const days = res.days || [];
    box.dataset.count = String(days.length);
    if (!days.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, 'Aucun groupe affecté hier : pas d’énergie à montrer.'));
        return;
    }
    const date = days[0].date;
    const total = days.reduce((s, d) => ({ planned: s.planned + (d.planned_wh || 0), full: s.full + (d.full_wh || 0) }), { planned: 0, full: 0 });
    fill(box,
        h('p', {}, `Le ${day(parisToMs(date, '12:00'))} : ${kwh(total.planned)} prévus pour ${kwh(total.full)} à pleine puissance, soit ${total.full ? num(100 * (1 - total.planned / total.full), 0) : '–'}\u202f% d’économie.`),
        table(`Énergie par groupe, le ${day(parisToMs(date, '12:00'))}`,
            [{ label: 'Groupe', header: true }, { label: 'Lampes', num: true }, { label: 'Prévue', num: true }, { label: 'Pleine puissance', num: true },
                { label: 'Économie', num: true }, { label: 'Mesurée', num: true }],
            days.map((d) => [d.group, String(d.lamps), kwh(d.planned_wh), kwh(d.full_wh),
                `${kwh(d.saving_wh)}${d.full_wh ? ` (${num(100 * d.saving_wh / d.full_wh, 0)}\u202f%)` : ''}`, kwh(d.measured_wh)])));
}
