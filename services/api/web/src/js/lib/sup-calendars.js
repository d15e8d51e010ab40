// sup-calendars.js - the calendars of the lighting page: their list, and the editor of a
// calendar's ordered rules (weekdays, dates or public holidays → a program) and default program,
// saved with PUT /v1/lighting/calendars/{id}, deleted with DELETE (409 while it is assigned).
import { api, ApiError } from './api.js';
import { $, h, fill, table } from './dom.js';
import { when } from './format.js';
import { WEEKDAYS } from './sup-labels.js';
import { errorText } from './sup-session.js';
import { ID_PATTERN, TalqError, calendarFromTalq, calendarToTalq, rulesText } from './sup-talq.js';
import { busy, confirmInline, field, say } from './sup-ui.js';

const assignedTo = (ctx, id) => ctx.assignments.filter((a) => a.calendar === id).map((a) => a.group);

export function drawCalendars(ctx) {
    const box = $('[data-calendars]');
    if (!ctx.calendars.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' }, 'Aucun calendrier enregistré.'));
        return;
    }
    const cols = [{ label: 'Identifiant', header: true }, { label: 'Règles, dans l’ordre' }, { label: 'Affecté à' }, { label: 'Modifié' }];
    if (ctx.write) cols.push({ label: 'Actions' });
    fill(box, table(`Calendriers (${ctx.calendars.length})`, cols, ctx.calendars.map((c) => {
        const cells = [c.id, rulesText(c), assignedTo(ctx, c.id).join(', ') || 'aucun groupe',
            c.updated_at ? `${when(c.updated_at)}${c.updated_by ? ` par ${c.updated_by}` : ''}` : '–'];
        if (ctx.write) {
            const del = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Supprimer le calendrier ${c.id}` }, 'Supprimer');
            del.addEventListener('click', () => askDelete(ctx, c.id, del));
            cells.push(h('span', { class: 'sup-row-actions' },
                h('button', { type: 'button', class: 'small', 'data-edit-calendar': c.id, 'aria-label': `Modifier le calendrier ${c.id}`,
                    onclick: () => openCalendarEditor(ctx, c) }, 'Modifier'), ' ', del));
        }
        return cells;
    })));
    box.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.calendar = ctx.calendars[i].id; });
}

function askDelete(ctx, id, button) {
    confirmInline($('[data-calendar-list-status]'), `Supprimer définitivement le calendrier ${id} ?`, `Oui, supprimer ${id}`, async () => {
        try {
            await api(`/v1/lighting/calendars/${encodeURIComponent(id)}`, { method: 'DELETE', auth: true });
            await ctx.reload(['calendars']);
            say($('[data-calendar-list-status]'), `Calendrier ${id} supprimé.`, 'ok');
        } catch (e) {
            const groups = assignedTo(ctx, id);
            say($('[data-calendar-list-status]'), e instanceof ApiError && e.status === 409
                ? `Le calendrier ${id} est affecté${groups.length ? ` au groupe ${groups.join(', ')}` : ' à un groupe'} : retirez l’affectation avant de le supprimer.`
                : errorText(e, 'La suppression'), 'error');
        }
    }, button);
}

// ---- the editor ----

const KINDS = [['days', 'Certains jours de la semaine'], ['dates', 'Certaines dates'], ['holiday', 'Les jours fériés'], ['always', 'Tous les jours']];
const OCCURRENCES = [['1', '1er'], ['2', '2e'], ['3', '3e'], ['4', '4e'], ['5', '5e'], ['L', 'dernier']];

function programSelect(ctx, value, withNone) {
    const ids = ctx.programs.map((p) => p.id);
    if (value && !ids.includes(value)) ids.push(value);
    return h('select', {}, withNone ? h('option', { value: '' }, 'aucun (éteint)') : h('option', { value: '' }, '— choisir —'),
        ids.map((id) => h('option', { value: id, selected: id === value }, id)));
}

function checkboxes(legend, prefix, items, set, onChange) {
    return h('fieldset', { class: 'sup-checks' }, h('legend', {}, legend),
        items.map(([value, text]) => {
            const box = h('input', { type: 'checkbox', id: `${prefix}-${value}`, value, checked: set.has(value) });
            box.addEventListener('change', () => { if (box.checked) set.add(value); else set.delete(value); onChange(); });
            return h('span', {}, box, h('label', { for: `${prefix}-${value}` }, text));
        }));
}

function ruleItem(ctx, model, i, redraw) {
    const r = model.rules[i];
    const n = i + 1;
    const p = `cal-regle-${n}`;
    const kind = h('select', {}, KINDS.map(([v, t]) => h('option', { value: v, selected: r.kind === v }, t)));
    const days = checkboxes('Jours', `${p}-jour`, WEEKDAYS.map((d, k) => [k + 1, d]), r.days, () => redraw(false));
    const occ = checkboxes('Seulement ces semaines du mois (facultatif)', `${p}-occ`, OCCURRENCES, r.occurrences, () => redraw(false));
    const dates = h('input', { type: 'text', value: r.dates, size: 30, spellcheck: 'false' });
    const datesField = field(`${p}-dates`, 'Dates', dates, 'JJ/MM séparées par des virgules, une période avec « au » (14/07, 24/12 au 26/12) ; ---JJ pour ce jour de chaque mois');
    const daysBox = h('div', {}, days, occ);
    const show = () => { daysBox.hidden = r.kind !== 'days'; datesField.hidden = r.kind !== 'dates'; };
    kind.addEventListener('change', () => { r.kind = kind.value; show(); redraw(false); });
    dates.addEventListener('input', () => { r.dates = dates.value; redraw(false); });
    const from = h('input', { type: 'text', value: r.startDate, size: 10 });
    const to = h('input', { type: 'text', value: r.endDate, size: 10 });
    from.addEventListener('input', () => { r.startDate = from.value.trim(); redraw(false); });
    to.addEventListener('input', () => { r.endDate = to.value.trim(); redraw(false); });
    const program = programSelect(ctx, r.program, false);
    program.required = true;
    program.addEventListener('change', () => { r.program = program.value; redraw(false); });
    show();
    const move = (delta, label) => {
        const b = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${label} la règle ${n}`, disabled: i + delta < 0 || i + delta >= model.rules.length }, label);
        b.addEventListener('click', () => {
            const [rule] = model.rules.splice(i, 1);
            model.rules.splice(i + delta, 0, rule);
            redraw(true);
            $(`#cal-regle-${n + delta}-type`).focus();
        });
        return b;
    };
    const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Retirer la règle ${n}` }, 'Retirer');
    remove.addEventListener('click', () => {
        model.rules.splice(i, 1);
        redraw(true);
        (document.querySelector(`#cal-regle-${Math.min(n, model.rules.length)}-type`) || $('[data-add-rule]')).focus();
    });
    return h('li', { class: 'sup-rule', 'data-rule': n },
        h('fieldset', {}, h('legend', {}, `Règle ${n}`),
            h('div', { class: 'form-row' }, field(`${p}-type`, 'S’applique', kind), field(`${p}-programme`, 'Programme', program)),
            daysBox, datesField,
            h('div', { class: 'form-row' },
                field(`${p}-debut`, 'Valable du (facultatif)', from, 'JJ/MM ou JJ/MM/AAAA'),
                field(`${p}-fin`, 'au (facultatif)', to, 'JJ/MM ou JJ/MM/AAAA')),
            h('p', { class: 'sup-row-actions' }, move(-1, 'Monter'), ' ', move(1, 'Descendre'), ' ', remove)));
}

// Opens the editor on calendar 'doc', or on a new one when doc is null.
export function openCalendarEditor(ctx, doc) {
    const isNew = !doc;
    const model = calendarFromTalq(doc || { id: '', rules: [] });
    const box = $('[data-calendar-editor]');
    const status = h('p', { class: 'sup-status', 'data-calendar-status': '' });
    const json = h('pre', { class: 'sup-json', 'data-calendar-json': '' });
    const rules = h('ol', { class: 'sup-rules', 'data-rules': '' });
    const programIds = () => ctx.programs.map((p) => p.id);

    const id = h('input', { type: 'text', value: model.id, required: true, pattern: ID_PATTERN, spellcheck: 'false', autocomplete: 'off', readonly: !isNew, size: 24 });
    id.addEventListener('input', () => { model.id = id.value.trim(); showJson(); });
    const def = programSelect(ctx, model.defaultProgram, true);
    def.addEventListener('change', () => { model.defaultProgram = def.value; showJson(); });

    function showJson() {
        try {
            json.textContent = JSON.stringify(calendarToTalq(model, programIds()), null, 2);
        } catch (e) {
            json.textContent = e instanceof TalqError ? `À corriger : ${e.problems.join(' ')}` : String(e);
        }
    }
    function redraw(all) {
        if (all) fill(rules, model.rules.map((_, i) => ruleItem(ctx, model, i, redraw)));
        showJson();
    }
    const add = h('button', { type: 'button', class: 'secondary', 'data-add-rule': '' }, 'Ajouter une règle');
    add.addEventListener('click', () => {
        model.rules.push({ kind: 'days', days: new Set(), occurrences: new Set(), dates: '', startDate: '', endDate: '', program: '' });
        redraw(true);
        $(`#cal-regle-${model.rules.length}-type`).focus();
    });

    const form = h('form', { class: 'sup-form sup-editor', 'data-calendar-form': model.id || 'nouveau', novalidate: true },
        h('h3', { id: 'titre-editeur-calendrier', tabindex: -1 }, isNew ? 'Nouveau calendrier' : `Modifier le calendrier ${model.id}`),
        h('div', { class: 'form-row' },
            field('cal-id', 'Identifiant', id, isNew ? 'lettres sans accent, chiffres, _ . : -' : 'l’identifiant d’un calendrier enregistré ne change pas'),
            field('cal-defaut', 'Programme par défaut', def, 'quand aucune règle ne s’applique')),
        h('fieldset', {}, h('legend', {}, 'Règles, lues dans l’ordre'), rules, h('p', {}, add)),
        h('details', { class: 'sup-json-view' }, h('summary', {}, 'Vue JSON (TALQ) pour les experts'), json),
        h('p', { class: 'sup-editor-buttons' }, h('button', { type: 'submit' }, 'Enregistrer le calendrier'), ' ',
            h('button', { type: 'button', class: 'secondary', onclick: () => { fill(box); $('[data-calendar-new]')?.focus(); } }, 'Fermer l’éditeur')),
        status);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        let talq;
        try {
            talq = calendarToTalq(model, programIds());
        } catch (e) {
            say(status, `Le calendrier n’est pas enregistré : ${e.problems ? e.problems.join(' ') : e.message}`, 'error');
            return;
        }
        await busy(form, async () => {
            try {
                const res = await api(`/v1/lighting/calendars/${encodeURIComponent(talq.id)}`, { method: 'PUT', auth: true, body: talq });
                await ctx.reload(['calendars']);
                openCalendarEditor(ctx, res.calendar);
                say($('[data-calendar-status]'), `Calendrier ${talq.id} ${res.created ? 'créé' : 'enregistré'}.`, 'ok');
                ctx.planChanged();
            } catch (e) {
                say(status, e instanceof ApiError && e.status === 400
                    ? `Le calendrier est refusé par le service d’éclairage : ${e.message}`
                    : errorText(e, 'L’enregistrement'), 'error');
            }
        });
    });
    fill(box, form);
    redraw(true);
    $('#titre-editeur-calendrier').focus();
}
