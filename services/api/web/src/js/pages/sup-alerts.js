// sup-alerts.js - /supervision/alertes: the alerts inbox (GET /v1/alerts with filters and pages),
// one alert's detail with its actions, and new alerts arriving live at the top of the list.
import { api, query } from '../lib/api.js';
import { $, h, fill, table, announce } from '../lib/dom.js';
import { when } from '../lib/format.js';
import { USE_CASES, label } from '../lib/sup-labels.js';
import { errorText, mayAct, mayReadRules, pageReady, requireSession, scopeUseCases } from '../lib/sup-session.js';
import { liveStream } from '../lib/sup-live.js';
import { severityBadge, stateBadge, valueText } from '../lib/sup-alert-view.js';
import { showAlertDetail } from '../lib/sup-alert-detail.js';

const PAGE = 25;
const FILTERS = ['state', 'use_case', 'severity', 'dev_eui'];

const state = {
    me: null,
    rules: new Map(),
    useCases: new Map(), // id → French name
    filters: { state: 'unresolved', use_case: '', severity: '', dev_eui: '' },
    offset: 0,
    total: 0,
    newIds: new Set(), // alerts that arrived while the page was open
};

const useCaseName = (id) => state.useCases.get(id) || label(USE_CASES, id);

function readAddress() {
    const q = new URLSearchParams(location.search);
    for (const k of FILTERS) if (q.has(k)) state.filters[k] = q.get(k);
    const off = Number(q.get('offset'));
    state.offset = Number.isInteger(off) && off > 0 ? off : 0;
    return q.get('alerte');
}

// The filters and page in the address, so that a view can be bookmarked or shared.
function writeAddress() {
    const params = { ...state.filters, offset: state.offset || '' };
    if (params.state === 'unresolved') params.state = '';
    else if (params.state === '') params.state = 'toutes';
    const id = $('[data-detail]').dataset.alertId;
    if (id) params.alerte = id;
    history.replaceState(null, '', `${location.pathname}${query(params)}`);
}

function apiFilters() {
    const f = { ...state.filters };
    if (f.state === 'toutes') f.state = '';
    return f;
}

function formToFilters() {
    const form = $('[data-filters]');
    for (const k of FILTERS) state.filters[k] = form.elements[k].value.trim();
    state.filters.dev_eui = state.filters.dev_eui.toLowerCase();
}

function filtersToForm() {
    const form = $('[data-filters]');
    for (const k of FILTERS) form.elements[k].value = state.filters[k] === 'toutes' ? '' : state.filters[k];
}

function showError(text) {
    const box = $('[data-error]');
    box.textContent = text || '';
    box.hidden = !text;
}

function row(a) {
    const isNew = state.newIds.has(a.id);
    const open = h('button', { type: 'button', class: 'secondary small', 'data-open-alert': a.id,
        'aria-label': `Détail de l’alerte n° ${a.id}`, onclick: () => openDetail(a.id) }, 'Détail');
    return [
        severityBadge(a.severity),
        h('span', {}, isNew ? h('span', { class: 'badge-new' }, 'Nouvelle') : null, isNew ? ' ' : null,
            a.title || a.rule, h('br'), h('code', { class: 'small' }, a.rule)),
        h('span', {}, a.device || '–', h('br'), h('code', { class: 'small' }, a.dev_eui)),
        useCaseName(a.use_case),
        h('time', { datetime: a.opened_at }, when(a.opened_at)),
        stateBadge(a.state),
        valueText(a, state.rules.get(a.rule)),
        open,
    ];
}

async function loadList() {
    const f = apiFilters();
    const page = await api(`/v1/alerts${query({ ...f, limit: PAGE, offset: state.offset })}`, { auth: true });
    // Past the end after a change (the last alert of the last page resolved): back one page.
    if (page.items.length === 0 && state.offset > 0 && page.total > 0) {
        state.offset = Math.max(0, Math.floor((page.total - 1) / PAGE) * PAGE);
        return loadList();
    }
    state.total = page.total;
    const list = $('[data-list]');
    list.dataset.total = String(page.total);
    if (page.items.length === 0) {
        fill(list, h('p', { class: 'notice', 'data-empty': '' },
            page.total === 0 && f.state === 'unresolved' && !f.use_case && !f.severity && !f.dev_eui
                ? 'Aucune alerte non résolue dans votre périmètre.'
                : 'Aucune alerte ne correspond à ces filtres.'));
    } else {
        const first = state.offset + 1;
        const last = state.offset + page.items.length;
        fill(list, table(`Alertes ${first} à ${last} sur ${page.total}`,
            [{ label: 'Gravité' }, { label: 'Règle' }, { label: 'Équipement' }, { label: 'Cas d’usage' },
                { label: 'Ouverte le' }, { label: 'État' }, { label: 'Valeur / seuil' }, { label: 'Action' }],
            page.items.map(row)));
        const rows = list.querySelectorAll('tbody tr');
        page.items.forEach((a, i) => {
            rows[i].dataset.alertId = String(a.id);
            if (state.newIds.has(a.id)) rows[i].classList.add('row-new');
        });
    }
    const pager = $('[data-pager]');
    pager.hidden = page.total <= PAGE;
    $('[data-page-prev]').disabled = state.offset === 0;
    $('[data-page-next]').disabled = state.offset + PAGE >= page.total;
    fill($('[data-page-info]'), `Page ${Math.floor(state.offset / PAGE) + 1} sur ${Math.max(1, Math.ceil(page.total / PAGE))}`);
    writeAddress();
    return page;
}

async function reload() {
    try {
        await loadList();
        showError('');
    } catch (e) {
        showError(errorText(e, 'La lecture des alertes'));
    }
}

const detailContext = () => ({
    me: state.me,
    mayAct: mayAct(state.me),
    rules: state.rules,
    useCaseName,
    onChanged: reload,
    onClosed: (id) => {
        writeAddress();
        const button = document.querySelector(`[data-open-alert="${id}"]`);
        if (button) button.focus();
    },
});

async function openDetail(id) {
    await showAlertDetail(id, detailContext());
    writeAddress();
}

// ---- live ----

const matches = (ev) => {
    const f = apiFilters();
    if (f.state === 'unresolved' && ev.state === 'resolved') return false;
    if (f.state && f.state !== 'unresolved' && ev.state !== f.state) return false;
    return (!f.use_case || ev.use_case === f.use_case) && (!f.severity || ev.severity === f.severity)
        && (!f.dev_eui || ev.dev_eui === f.dev_eui);
};

let reloadTimer = null;
let pendingAnnounce = [];
let detailTouched = false;
function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(async () => {
        await reload();
        const news = pendingAnnounce;
        pendingAnnounce = [];
        if (news.length === 1) announce(`Nouvelle alerte : ${news[0]}.`);
        else if (news.length > 1) announce(`${news.length} nouvelles alertes : ${news.join(' ; ')}.`);
        const open = $('[data-detail]').dataset.alertId;
        if (open && detailTouched) await showAlertDetail(open, detailContext(), { focus: false, keepComment: true });
        detailTouched = false;
    }, 400);
}

function onAlert(ev) {
    if (ev.event === 'opened' && matches(ev)) {
        state.newIds.add(ev.alert_id);
        pendingAnnounce.push(`${ev.message || ev.rule} (${useCaseName(ev.use_case)}, ${ev.dev_eui})`);
        if (state.offset > 0) state.offset = 0; // new alerts are at the top
    }
    // The alert shown in detail changed elsewhere: its detail is read again.
    const inDetail = String(ev.alert_id) === $('[data-detail]').dataset.alertId;
    if (inDetail) detailTouched = true;
    // The list is read again when the event can change it: the alert enters it, or is in it.
    const listed = document.querySelector(`[data-list] tr[data-alert-id="${Number(ev.alert_id)}"]`);
    if (matches(ev) || listed || inDetail) scheduleReload();
}

function liveStatus(text, on) {
    const p = $('[data-live-status]');
    p.textContent = text;
    p.classList.toggle('live-dot', !!on);
}

// One stream of every alert event of the key's scope (GET /v1/live?alerts=only); the filters
// are applied here.
function startLive() {
    liveStream({ alerts: 'only' }, (name, data) => { if (name === 'alert') onAlert(data); },
        (open) => liveStatus(open ? 'Nouvelles alertes en direct.' : 'Mises à jour en direct interrompues : reconnexion…', open));
}

// ---- start ----

async function loadContext() {
    const [ucs, rules] = await Promise.all([
        api('/v1/usecases', { auth: true }),
        mayReadRules(state.me) ? api('/v1/alert-rules', { auth: true }) : Promise.resolve({ items: [] }),
    ]);
    const scope = state.me.role === 'operator' ? ['lighting'] : scopeUseCases(state.me);
    for (const u of ucs.items) if (!scope || scope.includes(u.id)) state.useCases.set(u.id, u.name || label(USE_CASES, u.id));
    for (const r of rules.items) state.rules.set(r.name, r);
    const select = $('#f-use-case');
    for (const [id, name] of state.useCases) select.append(h('option', { value: id }, name));
}

function wireForm() {
    const form = $('[data-filters]');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const eui = form.elements.dev_eui;
        if (eui.value.trim() && !/^[0-9a-fA-F]{16}$/.test(eui.value.trim())) {
            showError('Le DevEUI est fait de 16 chiffres hexadécimaux (0-9, a-f).');
            eui.setAttribute('aria-invalid', 'true');
            eui.focus();
            return;
        }
        eui.removeAttribute('aria-invalid');
        formToFilters();
        state.offset = 0;
        await reload();
        announce(`${state.total} alerte${state.total > 1 ? 's' : ''} pour ces filtres.`);
    });
    $('[data-filters-reset]').addEventListener('click', () => {
        state.filters = { state: 'unresolved', use_case: '', severity: '', dev_eui: '' };
        filtersToForm();
        form.requestSubmit();
    });
    $('[data-page-prev]').addEventListener('click', async () => {
        state.offset = Math.max(0, state.offset - PAGE);
        await reload();
        $('[data-list] caption')?.setAttribute('tabindex', '-1');
        $('[data-list] caption')?.focus();
    });
    $('[data-page-next]').addEventListener('click', async () => {
        state.offset += PAGE;
        await reload();
        $('[data-list] caption')?.setAttribute('tabindex', '-1');
        $('[data-list] caption')?.focus();
    });
}

async function main() {
    state.me = await requireSession();
    if (!state.me) return false;
    const wanted = readAddress();
    await loadContext();
    if (state.filters.use_case && !state.useCases.has(state.filters.use_case)) state.filters.use_case = '';
    filtersToForm();
    wireForm();
    if (state.me.role === 'operator')
        fill($('[data-scope]'), 'Les alertes de l’éclairage public (lampes, armoires, programmation), les plus récentes d’abord.');
    await loadList();
    if (wanted && /^\d+$/.test(wanted)) await showAlertDetail(wanted, detailContext(), { focus: false });
    startLive();
    return true;
}

main().then((drawn) => { if (drawn) pageReady(true); }, (e) => {
    showError(errorText(e, 'La lecture des alertes'));
    pageReady(false);
});

