// sup-lighting.js - /supervision/eclairage: the street lighting's programs, calendars,
// assignments and overrides (operators and admins edit, a directorate holding lighting reads),
// the preview of a day, the commands sent and yesterday's energy.
import { api, query } from '../lib/api.js';
import { $, $$, h, fill } from '../lib/dom.js';
import { todayLocal } from '../lib/format.js';
import { ROLES, label } from '../lib/sup-labels.js';
import { errorText, lightingAccess, pageReady, requireSession } from '../lib/sup-session.js';
import { drawPrograms, openProgramEditor } from '../lib/sup-programs.js';
import { drawCalendars, openCalendarEditor } from '../lib/sup-calendars.js';
import { drawAssignments, drawOverrides, wireAssignmentForm, wireOverrideForm } from '../lib/sup-overrides.js';
import { wirePlan } from '../lib/sup-plan.js';
import { drawCommands, drawEnergy, wireCommands } from '../lib/sup-lighting-status.js';

const READERS = {
    programs: async (ctx) => { ctx.programs = (await api('/v1/lighting/programs', { auth: true })).programs; },
    calendars: async (ctx) => { ctx.calendars = (await api('/v1/lighting/calendars', { auth: true })).calendars; },
    assignments: async (ctx) => { ctx.assignments = (await api('/v1/lighting/assignments', { auth: true })).assignments; },
    overrides: async (ctx) => { ctx.overrides = (await api(`/v1/lighting/overrides${query({ active: 'true' })}`, { auth: true })).overrides; },
};

// What to redraw when a kind of document changed (lists show each other's links).
const DRAWERS = {
    programs: [drawPrograms, drawCalendars],
    calendars: [drawCalendars, drawPrograms, drawAssignments],
    assignments: [drawAssignments, drawCalendars],
    overrides: [drawOverrides],
};

function drawGroups(ctx) {
    const groups = new Set([...ctx.assignments.map((a) => a.group), ...ctx.overrides.filter((o) => o.group).map((o) => o.group)]);
    fill($('#groupes-connus'), [...groups].sort().map((g) => h('option', { value: g })));
}

async function reload(ctx, parts) {
    await Promise.all(parts.map((p) => READERS[p](ctx)));
    const drawers = new Set(parts.flatMap((p) => DRAWERS[p]));
    for (const draw of drawers) draw(ctx);
    drawGroups(ctx);
}

async function readLamps() {
    const page = await api(`/v1/devices${query({ use_case: 'lighting', limit: 1000 })}`, { auth: true });
    return new Map(page.items.map((d) => [d.dev_eui, d]));
}

function showMode(me, access) {
    const box = $('[data-mode]');
    if (access === 'read') {
        box.textContent = 'Lecture seule : votre clé (direction) permet de consulter la programmation de l’éclairage ; seuls les exploitants et les administrateurs la modifient.';
        box.hidden = false;
        for (const el of $$('[data-write]')) el.hidden = true;
    } else if (access === 'none') {
        box.textContent = `Votre clé (${label(ROLES, me.role)}) ne donne pas accès à l’éclairage public : cette page est réservée aux exploitants de l’éclairage, aux administrateurs et aux directions chargées de l’éclairage.`;
        box.hidden = false;
    }
}

async function main() {
    const me = await requireSession();
    if (!me) return false;
    const access = lightingAccess(me);
    showMode(me, access);
    if (access === 'none') return true;

    const ctx = {
        write: access === 'write',
        programs: [], calendars: [], assignments: [], overrides: [], devices: new Map(),
        reload: (parts) => reload(ctx, parts),
        planChanged: async () => {},
    };
    const [devices] = await Promise.all([readLamps(), ...Object.values(READERS).map((read) => read(ctx))]);
    ctx.devices = devices;
    $('[data-lighting]').hidden = false;
    for (const draw of [drawPrograms, drawCalendars, drawAssignments, drawOverrides]) draw(ctx);
    drawGroups(ctx);

    const showPlan = wirePlan(ctx);
    ctx.planChanged = (group, date) => showPlan(group, date);
    wireCommands(ctx);
    if (ctx.write) {
        wireOverrideForm(ctx);
        wireAssignmentForm(ctx);
        $('[data-program-new]').addEventListener('click', () => openProgramEditor(ctx, null));
        $('[data-calendar-new]').addEventListener('click', () => openCalendarEditor(ctx, null));
    }
    $('#plan-date').value = todayLocal();
    const firstGroup = ctx.assignments[0]?.group || ctx.overrides.find((o) => o.group)?.group;
    await Promise.all([showPlan(firstGroup, null), drawCommands(ctx), drawEnergy()]);
    return true;
}

main().then((drawn) => { if (drawn) pageReady(true); }, (e) => {
    const box = $('[data-error]');
    box.textContent = errorText(e, 'La lecture de la programmation de l’éclairage');
    box.hidden = false;
    pageReady(false);
});
