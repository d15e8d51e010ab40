// sup-overrides.js - overrides and assignments of the lighting page: "level X % for group G from
// ... to ..." (POST /v1/lighting/overrides), the ones in force or to come with their cancel
// button, and which calendar drives each group (PUT/DELETE /v1/lighting/assignments/{group}).
import { api, ApiError } from './api.js';
import { $, h, fill, table } from './dom.js';
import { when } from './format.js';
import { OVERRIDE_REASONS, label } from './sup-labels.js';
import { errorText } from './sup-session.js';
import { GROUP_RE } from './sup-talq.js';
import { fromLocalInput, parisDate, toLocalInput } from './sup-time.js';
import { busy, confirmInline, say } from './sup-ui.js';

const DEFAULT_HOURS = 2;

function target(o) {
    if (o.group) return o.group;
    const n = (o.dev_euis || []).length;
    return `${n} lampe${n > 1 ? 's' : ''} : ${(o.dev_euis || []).join(', ')}`;
}

export function drawOverrides(ctx) {
    const box = $('[data-overrides]');
    const list = ctx.overrides;
    if (!list.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, 'Aucune dérogation en cours ni à venir.'));
        return;
    }
    const cols = [{ label: 'Groupe ou lampes', header: true }, { label: 'Niveau', num: true }, { label: 'Du' }, { label: 'Au' },
        { label: 'Priorité', num: true }, { label: 'Motif' }, { label: 'Commentaire' }, { label: 'Créée par' }];
    if (ctx.write) cols.push({ label: 'Action' });
    fill(box, table(`Dérogations en cours ou à venir (${list.length})`, cols, list.map((o) => {
        const cells = [target(o), `${o.level}\u202f%`, when(o.starts_at), when(o.expires_at), String(o.priority),
            label(OVERRIDE_REASONS, o.reason), o.comment || '–', o.created_by || '–'];
        if (ctx.write) {
            const stop = h('button', { type: 'button', class: 'secondary small', 'data-cancel-override': o.id,
                'aria-label': `Mettre fin à la dérogation ${o.id} (${target(o)}, ${o.level} %)` }, 'Mettre fin');
            stop.addEventListener('click', () => askCancel(ctx, o, stop));
            cells.push(stop);
        }
        return cells;
    })));
    box.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.override = String(list[i].id); });
}

function askCancel(ctx, o, button) {
    confirmInline($('[data-override-list-status]'), `Mettre fin maintenant à la dérogation de ${target(o)} à ${o.level} % ?`, 'Oui, y mettre fin', async () => {
        try {
            await api(`/v1/lighting/overrides/${o.id}/cancel`, { method: 'POST', auth: true, body: {} });
            await ctx.reload(['overrides']);
            say($('[data-override-list-status]'), `Dérogation ${o.id} terminée : les lampes reprennent leur programme.`, 'ok');
            ctx.planChanged(o.group);
        } catch (e) {
            if (e instanceof ApiError && e.status === 409) await ctx.reload(['overrides']);
            say($('[data-override-list-status]'), e instanceof ApiError && e.status === 409
                ? 'Cette dérogation est déjà terminée ou annulée : la liste est mise à jour.'
                : errorText(e, 'L’annulation'), 'error');
        }
    }, button);
}

// Fills the form's times with a sensible default: from now for two hours.
function defaultTimes(form) {
    const now = Math.ceil(Date.now() / 60000) * 60000;
    if (!form.elements.starts.value) form.elements.starts.value = toLocalInput(now);
    if (!form.elements.expires.value) form.elements.expires.value = toLocalInput(now + DEFAULT_HOURS * 3600000);
}

function readOverride(form) {
    const el = form.elements;
    const problems = [];
    const group = el.group.value.trim();
    if (!GROUP_RE.test(group)) problems.push('Le groupe est un nom de groupe (minuscules sans accent, chiffres, _ . -), par exemple eclairage-istres.');
    const level = Number(el.level.value);
    if (el.level.value === '' || !Number.isInteger(level) || level < 0 || level > 100) problems.push('Le niveau est un pourcentage entier de 0 à 100.');
    const starts = fromLocalInput(el.starts.value);
    const expires = fromLocalInput(el.expires.value);
    if (starts === null || expires === null) problems.push('Indiquez la date et l’heure de début et de fin.');
    else if (expires <= starts) problems.push('La fin doit venir après le début.');
    else if (expires <= Date.now()) problems.push('La fin est déjà passée.');
    const priority = el.priority.value === '' ? 0 : Number(el.priority.value);
    if (!Number.isInteger(priority) || priority < -100 || priority > 100) problems.push('La priorité est un entier de −100 à 100.');
    const body = { group, level, expires_at: new Date(expires).toISOString(), reason: el.reason.value, priority };
    // A start in the past or within the minute: from now (the service takes the present).
    if (starts !== null && starts > Date.now() + 60000) body.starts_at = new Date(starts).toISOString();
    if (el.comment.value.trim()) body.comment = el.comment.value.trim();
    return { body, problems, starts };
}

export function wireOverrideForm(ctx) {
    const form = $('[data-override-form]');
    defaultTimes(form);
    const status = $('[data-override-status]');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const { body, problems, starts } = readOverride(form);
        if (problems.length) {
            say(status, `La dérogation n’est pas enregistrée : ${problems.join(' ')}`, 'error');
            return;
        }
        await busy(form, async () => {
            try {
                const res = await api('/v1/lighting/overrides', { method: 'POST', auth: true, body });
                const o = res.override;
                await ctx.reload(['overrides']);
                say(status, `Dérogation enregistrée : ${o.level} % pour ${o.group} du ${when(o.starts_at)} au ${when(o.expires_at)}.`, 'ok');
                ctx.planChanged(o.group, parisDate(Math.max(starts ?? Date.now(), Date.parse(o.starts_at))));
            } catch (e) {
                say(status, e instanceof ApiError && e.status === 400
                    ? `La dérogation est refusée : ${e.message}`
                    : errorText(e, 'L’enregistrement de la dérogation'), 'error');
            }
        });
    });
}

// ---- assignments ----

export function drawAssignments(ctx) {
    const box = $('[data-assignments]');
    if (!ctx.assignments.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, 'Aucun groupe n’a de calendrier : les lampes gardent leur réglage d’usine.'));
    } else {
        const cols = [{ label: 'Groupe', header: true }, { label: 'Calendrier' }, { label: 'Priorité', num: true }, { label: 'Lampes', num: true }, { label: 'Affecté' }];
        if (ctx.write) cols.push({ label: 'Action' });
        fill(box, table(`Affectations (${ctx.assignments.length})`, cols, ctx.assignments.map((a) => {
            const cells = [a.group, a.calendar, String(a.priority ?? 0), String(a.lamps ?? '–'),
                a.assigned_at ? `${when(a.assigned_at)}${a.assigned_by ? ` par ${a.assigned_by}` : ''}` : '–'];
            if (ctx.write) {
                const del = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Retirer le calendrier du groupe ${a.group}` }, 'Retirer');
                del.addEventListener('click', () => askUnassign(ctx, a.group, del));
                cells.push(del);
            }
            return cells;
        })));
        }
    const select = $('#aff-calendrier');
    const chosen = select.value;
    fill(select, ctx.calendars.map((c) => h('option', { value: c.id, selected: c.id === chosen }, c.id)));
}

function askUnassign(ctx, group, button) {
    confirmInline($('[data-assignment-list-status]'), `Retirer le calendrier du groupe ${group} ? Ses lampes ne recevront plus de programme.`, 'Oui, retirer', async () => {
        try {
            await api(`/v1/lighting/assignments/${encodeURIComponent(group)}`, { method: 'DELETE', auth: true });
            await ctx.reload(['assignments']);
            say($('[data-assignment-list-status]'), `Le groupe ${group} n’a plus de calendrier.`, 'ok');
            ctx.planChanged(group);
        } catch (e) {
            say($('[data-assignment-list-status]'), errorText(e, 'Le retrait'), 'error');
        }
    }, button);
}

export function wireAssignmentForm(ctx) {
    const form = $('[data-assignment-form]');
    const status = $('[data-assignment-status]');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const group = form.elements.group.value.trim();
        const calendar = form.elements.calendar.value;
        const priority = form.elements.priority.value === '' ? 0 : Number(form.elements.priority.value);
        if (!GROUP_RE.test(group) || !calendar || !Number.isInteger(priority) || priority < -100 || priority > 100) {
            say(status, 'Indiquez un groupe (minuscules sans accent, chiffres, _ . -), un calendrier et une priorité entière de −100 à 100.', 'error');
            return;
        }
        await busy(form, async () => {
            try {
                await api(`/v1/lighting/assignments/${encodeURIComponent(group)}`, { method: 'PUT', auth: true, body: { calendar, priority } });
                await ctx.reload(['assignments']);
                say(status, `Le groupe ${group} suit maintenant le calendrier ${calendar}.`, 'ok');
                ctx.planChanged(group);
            } catch (e) {
                say(status, e instanceof ApiError && (e.status === 400 || e.status === 404)
                    ? `L’affectation est refusée : ${e.message}` : errorText(e, 'L’affectation'), 'error');
            }
        });
    });
}
