// sup-alert-detail.js - one alert in the inbox: its facts, its events (GET /v1/alerts/{id}), and
// the acknowledge and resolve actions with an optional comment (POST .../ack and .../resolve,
// which mue-alerts carries out; 409 when another person was quicker, 503 when it is down).
import { api, ApiError } from './api.js';
import { $, h, fill, table, announce } from './dom.js';
import { when } from './format.js';
import { ALERT_EVENTS, label } from './sup-labels.js';
import { errorText } from './sup-session.js';
import { quantityValue, severityBadge, stateBadge, thresholdText } from './sup-alert-view.js';

const COMMENT_MAX = 2000;

function facts(a, rule, useCaseName) {
    const rows = [
        ['Gravité', severityBadge(a.severity)],
        ['État', stateBadge(a.state)],
        ['Règle', h('span', {}, a.title || a.rule, ' ', h('code', {}, a.rule))],
        ['Équipement', h('span', {}, a.device || '–', ' ', h('code', {}, a.dev_eui))],
        ['Site', a.site || '–'],
        ['Cas d’usage', useCaseName(a.use_case)],
        ['Condition vraie depuis', when(a.since)],
        ['Ouverte le', when(a.opened_at)],
        ['Valeur à l’ouverture', a.value === null ? '–' : quantityValue(a.value, a.quantity)],
        ['Dernière valeur', a.last_value === null ? '–' : quantityValue(a.last_value, a.quantity)],
        ['Pire valeur', a.peak_value === null ? '–' : quantityValue(a.peak_value, a.quantity)],
    ];
    const th = thresholdText(a, rule);
    if (th) rows.push(['Seuil de la règle', th]);
    if (a.message) rows.push(['Message', a.message]);
    if (a.escalated_at) rows.push(['Escaladée le', when(a.escalated_at)]);
    if (a.acknowledged_at)
        rows.push(['Acquittée', `le ${when(a.acknowledged_at)} par ${a.acknowledged_by || '–'}${a.ack_comment ? ` : « ${a.ack_comment} »` : ''}`]);
    if (a.resolved_at)
        rows.push(['Résolue', `le ${when(a.resolved_at)} par ${a.resolved_by === 'auto' ? 'le moteur (retour à la normale)' : a.resolved_by || '–'}${a.resolve_comment ? ` : « ${a.resolve_comment} »` : ''}`]);
    return h('dl', { class: 'sup-facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function events(a) {
    const list = a.events || [];
    if (!list.length) return h('p', {}, 'Aucun événement enregistré.');
    return table(`Historique de l’alerte n° ${a.id} (${list.length} événement${list.length > 1 ? 's' : ''})`,
        [{ label: 'Date', header: true }, { label: 'Événement' }, { label: 'Par' }, { label: 'Commentaire' }, { label: 'Valeur', num: true }],
        list.map((e) => [when(e.at), label(ALERT_EVENTS, e.kind), e.actor || '–', e.comment || '–',
            e.value === null || e.value === undefined ? '–' : quantityValue(e.value, a.quantity)]));
}

// The form of the actions, or a sentence saying why there is none.
function actions(a, me, mayAct, onDone) {
    if (!mayAct) return h('p', { class: 'hint' }, 'Votre rôle permet de consulter les alertes, pas de les traiter.');
    if (a.state === 'resolved') return h('p', { class: 'hint' }, 'Cette alerte est résolue : il n’y a plus rien à faire.');
    const status = h('p', { class: 'sup-action-status', 'data-action-status': '' });
    const comment = h('textarea', { id: 'commentaire', name: 'comment', rows: 3, maxlength: COMMENT_MAX, 'aria-describedby': 'commentaire-aide' });
    const ack = a.state === 'open'
        ? h('button', { type: 'submit', value: 'ack', 'data-action': 'ack' }, 'Acquitter')
        : null;
    const resolve = h('button', { type: 'submit', value: 'resolve', class: ack ? 'secondary' : null, 'data-action': 'resolve' }, 'Résoudre');
    const form = h('form', { class: 'sup-actions', 'data-actions': '' },
        h('h3', {}, 'Traiter l’alerte'),
        h('label', { for: 'commentaire' }, 'Commentaire (facultatif)'),
        h('p', { class: 'hint', id: 'commentaire-aide' },
            'Joint à l’acquittement ou à la résolution, il figure dans l’historique et dans le journal d’audit.'),
        comment,
        h('p', { class: 'sup-action-buttons' }, ack, ' ', resolve),
        status);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const action = ev.submitter && ev.submitter.value === 'ack' ? 'ack' : 'resolve';
        const text = comment.value.trim();
        for (const b of form.querySelectorAll('button')) b.disabled = true;
        status.className = 'sup-action-status';
        status.textContent = action === 'ack' ? 'Acquittement en cours…' : 'Résolution en cours…';
        try {
            const done = await api(`/v1/alerts/${a.id}/${action}`, { method: 'POST', auth: true, body: text ? { comment: text } : {} });
            const msg = `Alerte n° ${a.id} ${action === 'ack' ? 'acquittée' : 'résolue'}${text ? ' avec votre commentaire' : ''}.`;
            announce(msg);
            onDone(done, msg);
        } catch (e) {
            let msg;
            if (e instanceof ApiError && e.status === 409)
                msg = action === 'ack'
                    ? 'Cette alerte est déjà acquittée ou résolue (quelqu’un l’a traitée entre-temps) : son état est mis à jour.'
                    : 'Cette alerte est déjà résolue : son état est mis à jour.';
            else if (e instanceof ApiError && e.status === 503)
                msg = 'Le moteur d’alertes n’a pas répondu : rien n’a changé. Réessayez dans un instant.';
            else msg = errorText(e, action === 'ack' ? 'L’acquittement' : 'La résolution');
            status.className = 'sup-action-status error';
            status.textContent = msg;
            announce(msg);
            for (const b of form.querySelectorAll('button')) b.disabled = false;
            if (e instanceof ApiError && (e.status === 409 || e.status === 404)) onDone(null, msg);
        }
    });
    return form;
}

// The result of the last action on each alert shown, by id.
const lastResult = new Map();

// Shows alert 'id' in the page's detail section. ctx: {me, mayAct, rules (name → rule),
// useCaseName(id), onChanged()}. 'message' is shown above the facts (the result of an action);
// 'keepComment' keeps what was typed in the comment field (the alert changed elsewhere meanwhile).
// Returns the alert, or null when it could not be read (the section then says why).
export async function showAlertDetail(id, ctx, { focus = true, message = '', keepComment = false } = {}) {
    const section = $('[data-detail]');
    const title = $('[data-detail-title]');
    const body = $('[data-detail-body]');
    section.hidden = false;
    const same = keepComment && section.dataset.alertId === String(id);
    const typed = same ? $('#commentaire')?.value : '';
    // A live refresh of the alert (which may land before or after the action's own answer) keeps
    // the result of the action just taken on screen.
    if (message) lastResult.set(String(id), message);
    const note = message || (keepComment ? lastResult.get(String(id)) || '' : '');
    section.dataset.alertId = String(id);
    let a;
    try {
        a = await api(`/v1/alerts/${encodeURIComponent(id)}`, { auth: true });
    } catch (e) {
        fill(title, `Alerte n° ${id}`);
        fill(body, h('p', { class: 'error' }, errorText(e, 'La lecture de l’alerte')));
        if (focus) title.focus();
        return null;
    }
    const rule = ctx.rules.get(a.rule);
    fill(title, `Alerte n° ${a.id} : ${a.title || a.rule}`);
    const onDone = async (done, msg) => {
        await showAlertDetail(a.id, ctx, { focus: false, message: msg });
        ctx.onChanged();
    };
    fill(body,
        note ? h('p', { class: 'notice', 'data-detail-message': '' }, note) : null,
        facts(a, rule, ctx.useCaseName),
        actions(a, ctx.me, ctx.mayAct, onDone),
        h('h3', {}, 'Historique'),
        events(a),
        h('p', {}, h('button', { type: 'button', class: 'secondary', 'data-detail-close': '', onclick: () => closeDetail(ctx) }, 'Fermer le détail')));
    section.dataset.state = a.state;
    if (typed && $('#commentaire')) $('#commentaire').value = typed;
    if (focus) title.focus();
    return a;
}

export function closeDetail(ctx) {
    const section = $('[data-detail]');
    const id = section.dataset.alertId;
    section.hidden = true;
    delete section.dataset.alertId;
    if (ctx.onClosed) ctx.onClosed(id);
}

