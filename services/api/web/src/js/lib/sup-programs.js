// sup-programs.js - the control programs of the lighting page: their list, and the editor of a
// program's lighting period and dimming steps (a form, with its TALQ JSON shown for experts),
// saved with PUT /v1/lighting/programs/{id}, deleted with DELETE (409 while a calendar uses it).
import { api, ApiError } from './api.js';
import { $, h, fill, table } from './dom.js';
import { when } from './format.js';
import { errorText } from './sup-session.js';
import { ID_PATTERN, TalqError, periodText, programFromTalq, programToTalq, programsOf, stepsText } from './sup-talq.js';
import { busy, confirmInline, field, say } from './sup-ui.js';

const usedBy = (ctx, id) => ctx.calendars.filter((c) => programsOf(c).has(id)).map((c) => c.id);

export function drawPrograms(ctx) {
    const box = $('[data-programs]');
    if (!ctx.programs.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, 'Aucun programme enregistré.'));
        return;
    }
    const cols = [{ label: 'Identifiant', header: true }, { label: 'Période d’allumage' }, { label: 'Paliers' },
        { label: 'Utilisé par' }, { label: 'Modifié' }];
    if (ctx.write) cols.push({ label: 'Actions' });
    fill(box, table(`Programmes (${ctx.programs.length})`, cols, ctx.programs.map((p) => {
        const cells = [p.id, periodText(p), stepsText(p), usedBy(ctx, p.id).join(', ') || 'aucun calendrier',
            p.updated_at ? `${when(p.updated_at)}${p.updated_by ? ` par ${p.updated_by}` : ''}` : '–'];
        if (ctx.write) {
            const del = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Supprimer le programme ${p.id}` }, 'Supprimer');
            del.addEventListener('click', () => askDelete(ctx, p.id, del));
            cells.push(h('span', { class: 'sup-row-actions' },
                h('button', { type: 'button', class: 'small', 'data-edit-program': p.id, 'aria-label': `Modifier le programme ${p.id}`,
                    onclick: () => openProgramEditor(ctx, p) }, 'Modifier'), ' ', del));
        }
        return cells;
    })));
    box.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.program = ctx.programs[i].id; });
}

function askDelete(ctx, id, button) {
    const status = $('[data-program-list-status]');
    confirmInline(status, `Supprimer définitivement le programme ${id} ?`, `Oui, supprimer ${id}`, async () => {
        try {
            await api(`/v1/lighting/programs/${encodeURIComponent(id)}`, { method: 'DELETE', auth: true });
            await ctx.reload(['programs']);
            say($('[data-program-list-status]'), `Programme ${id} supprimé.`, 'ok');
        } catch (e) {
            const cals = usedBy(ctx, id);
            say($('[data-program-list-status]'), e instanceof ApiError && e.status === 409
                ? `Le programme ${id} est utilisé${cals.length ? ` par le calendrier ${cals.join(', ')}` : ' par un calendrier'} : retirez-le du calendrier avant de le supprimer.`
                : errorText(e, 'La suppression'), 'error');
        }
    }, button);
}

// ---- the editor ----

const STEP_KINDS = [['time', 'À une heure fixe'], ['sunset', 'Par rapport au coucher du soleil'], ['sunrise', 'Par rapport au lever du soleil']];

function numberInput(value, min, max, extra = {}) {
    return h('input', { type: 'number', min, max, step: 1, value: value === '' || value === null || value === undefined ? '' : String(value), size: 5, ...extra });
}

function stepItem(model, i, redraw) {
    const s = model.steps[i];
    const n = i + 1;
    const p = `prog-palier-${n}`;
    const kind = h('select', {}, STEP_KINDS.map(([v, t]) => h('option', { value: v, selected: s.at === v }, t)));
    const time = h('input', { type: 'time', value: s.time || '', required: s.at === 'time' });
    const offset = numberInput(s.offset, -720, 720);
    const level = numberInput(s.level, 0, 100, { required: true });
    const ramp = numberInput(s.ramp, 0, 3600);
    const timeField = field(`${p}-heure`, 'Heure', time);
    const offsetField = field(`${p}-decalage`, 'Décalage (min)', offset, 'négatif : avant');
    const showKind = () => { timeField.hidden = s.at !== 'time'; offsetField.hidden = s.at === 'time'; };
    kind.addEventListener('change', () => { s.at = kind.value; time.required = s.at === 'time'; showKind(); redraw(false); });
    time.addEventListener('input', () => { s.time = time.value; redraw(false); });
    offset.addEventListener('input', () => { s.offset = offset.value; redraw(false); });
    level.addEventListener('input', () => { s.level = level.value; redraw(false); });
    ramp.addEventListener('input', () => { s.ramp = ramp.value; redraw(false); });
    showKind();
    const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Retirer le palier ${n}` }, 'Retirer');
    remove.addEventListener('click', () => {
        model.steps.splice(i, 1);
        redraw(true);
        const next = document.querySelector(`#prog-palier-${Math.min(n, model.steps.length)}-moment`) || $('[data-add-step]');
        next.focus();
    });
    return h('li', { class: 'sup-step', 'data-step': n },
        h('fieldset', {}, h('legend', {}, `Palier ${n}`),
            h('div', { class: 'form-row' }, field(`${p}-moment`, 'Moment', kind), timeField, offsetField,
                field(`${p}-niveau`, 'Niveau (%)', level), field(`${p}-rampe`, 'Rampe (s)', ramp, 'facultatif'),
                h('div', { class: 'field' }, remove))));
}

// Opens the editor on program 'doc' (a TALQ document), or on a new one when doc is null.
export function openProgramEditor(ctx, doc) {
    const isNew = !doc;
    const model = programFromTalq(doc || { id: '', activePeriods: [{ name: 'AstroClockActivePeriod', sunsetOffset: 0, sunriseOffset: 0 }],
        fixedTimeControls: [{ startTime: '23:00:00', command: { state: { name: 'LevelState', value: 50 } } },
            { startTime: '05:30:00', command: { state: { name: 'LevelState', value: 100 } } }] });
    const box = $('[data-program-editor]');
    const status = h('p', { class: 'sup-status', 'data-program-status': '' });
    const json = h('pre', { class: 'sup-json', 'data-program-json': '' });
    const steps = h('ol', { class: 'sup-steps', 'data-steps': '' });

    const id = h('input', { type: 'text', value: model.id, required: true, pattern: ID_PATTERN, spellcheck: 'false', autocomplete: 'off', readonly: !isNew, size: 24 });
    id.addEventListener('input', () => { model.id = id.value.trim(); showJson(); });
    const astro = h('input', { type: 'radio', name: 'periode', value: 'astro', checked: model.period.kind === 'astro' });
    const fixed = h('input', { type: 'radio', name: 'periode', value: 'fixed', checked: model.period.kind === 'fixed' });
    const onOff = numberInput(model.period.sunsetOffset, -720, 720);
    const offOff = numberInput(model.period.sunriseOffset, -720, 720);
    const start = h('input', { type: 'time', value: model.period.start });
    const end = h('input', { type: 'time', value: model.period.end });
    const astroFields = h('div', { class: 'form-row' },
        field('prog-decalage-coucher', 'Décalage au coucher (min)', onOff, 'négatif : avant le coucher'),
        field('prog-decalage-lever', 'Décalage au lever (min)', offOff, 'négatif : avant le lever'));
    const fixedFields = h('div', { class: 'form-row' }, field('prog-allumage', 'Allumage à', start), field('prog-extinction', 'Extinction à', end));
    const showPeriod = () => { astroFields.hidden = model.period.kind !== 'astro'; fixedFields.hidden = model.period.kind !== 'fixed'; };
    for (const r of [astro, fixed]) r.addEventListener('change', () => { model.period.kind = r.value; showPeriod(); showJson(); });
    onOff.addEventListener('input', () => { model.period.sunsetOffset = onOff.value; showJson(); });
    offOff.addEventListener('input', () => { model.period.sunriseOffset = offOff.value; showJson(); });
    start.addEventListener('input', () => { model.period.start = start.value; showJson(); });
    end.addEventListener('input', () => { model.period.end = end.value; showJson(); });
    showPeriod();

    function showJson() {
        try {
            json.textContent = JSON.stringify(programToTalq(model), null, 2);
        } catch (e) {
            json.textContent = e instanceof TalqError ? `À corriger : ${e.problems.join(' ')}` : String(e);
        }
    }
    function redraw(all) {
        if (all) fill(steps, model.steps.map((_, i) => stepItem(model, i, redraw)));
        showJson();
    }
    const add = h('button', { type: 'button', class: 'secondary', 'data-add-step': '' }, 'Ajouter un palier');
    add.addEventListener('click', () => {
        model.steps.push({ at: 'time', time: '', offset: 0, level: 100, ramp: '' });
        redraw(true);
        $(`#prog-palier-${model.steps.length}-moment`).focus();
    });

    const form = h('form', { class: 'sup-form sup-editor', 'data-program-form': model.id || 'nouveau', novalidate: true },
        h('h3', { id: 'titre-editeur-programme', tabindex: -1 }, isNew ? 'Nouveau programme' : `Modifier le programme ${model.id}`),
        field('prog-id', 'Identifiant', id, isNew ? 'lettres sans accent, chiffres, _ . : - (par exemple cp-semaine)' : 'l’identifiant d’un programme enregistré ne change pas'),
        h('fieldset', {}, h('legend', {}, 'Période d’allumage'),
            h('div', { class: 'sup-radios' },
                h('span', {}, astro, h('label', { for: 'prog-periode-astro' }, 'Du coucher au lever du soleil')),
                h('span', {}, fixed, h('label', { for: 'prog-periode-fixe' }, 'À heures fixes'))),
            astroFields, fixedFields),
        h('fieldset', {}, h('legend', {}, 'Paliers de gradation'),
            h('p', { class: 'hint' }, 'Pendant la période d’allumage, le dernier palier passé fixe le niveau (avant le premier palier du jour : le dernier de la veille). Sans palier : 100 %.'),
            steps, h('p', {}, add)),
        h('details', { class: 'sup-json-view' }, h('summary', {}, 'Vue JSON (TALQ) pour les experts'), json),
        h('p', { class: 'sup-editor-buttons' }, h('button', { type: 'submit' }, 'Enregistrer le programme'), ' ',
            h('button', { type: 'button', class: 'secondary', onclick: () => { fill(box); $('[data-program-new]')?.focus(); } }, 'Fermer l’éditeur')),
        status);
    astro.id = 'prog-periode-astro';
    fixed.id = 'prog-periode-fixe';
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        let talq;
        try {
            talq = programToTalq(model);
        } catch (e) {
            say(status, `Le programme n’est pas enregistré : ${e.problems ? e.problems.join(' ') : e.message}`, 'error');
            return;
        }
        await busy(form, async () => {
            try {
                const res = await api(`/v1/lighting/programs/${encodeURIComponent(talq.id)}`, { method: 'PUT', auth: true, body: talq });
                await ctx.reload(['programs']);
                openProgramEditor(ctx, res.program);
                say($('[data-program-status]'), `Programme ${talq.id} ${res.created ? 'créé' : 'enregistré'}.`, 'ok');
                ctx.planChanged();
            } catch (e) {
                say(status, e instanceof ApiError && e.status === 400
                    ? `Le programme est refusé par le service d’éclairage : ${e.message}`
                    : errorText(e, 'L’enregistrement'), 'error');
            }
        });
    });
    fill(box, form);
    redraw(true);
    $('#titre-editeur-programme').focus();
}
