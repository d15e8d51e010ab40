// sup-session.js - who is signed in to the supervision: the API key of the tab checked with GET
// /v1/me, the header's "signed in as" line and its logout button, what each role may do, and the
// way back to the sign-in page when there is no key or the API refuses it.
import { api, apiKey, setApiKey, ApiError } from './api.js';
import { $, $$ } from './dom.js';
import { ROLES, label } from './sup-labels.js';

const SIGN_IN = '/supervision/';

// The path to come back to after signing in: only a supervision page of this site (never another
// origin: the parameter is read from the address bar).
export function safeReturnPath(value) {
    if (typeof value !== 'string' || !value.startsWith('/supervision/') || value.startsWith('//')) return null;
    if (/[\\\s]/.test(value)) return null;
    return value;
}

export function signInUrl(reason) {
    const q = new URLSearchParams({ suite: location.pathname + location.search });
    if (reason) q.set('raison', reason);
    return `${SIGN_IN}?${q}`;
}

// The key's use cases as a list: the API gives PostgreSQL's array text ("{waste,water}"), null
// for keys that see every use case.
export function scopeUseCases(me) {
    if (!me || !me.use_cases) return null;
    return me.use_cases.replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/"/g, '').trim()).filter(Boolean);
}

export const mayAct = (me) => ['admin', 'directorate', 'operator'].includes(me.role);
export const mayReadDeadLetters = mayAct;
export const mayReadRules = (me) => ['admin', 'directorate'].includes(me.role);

// 'write' (operators, admins), 'read' (a directorate holding lighting), or 'none'.
export function lightingAccess(me) {
    if (me.role === 'admin' || me.role === 'operator') return 'write';
    if (me.role === 'directorate' && (scopeUseCases(me) || []).includes('lighting')) return 'read';
    return 'none';
}

// The pages a role may use, for the sign-in page's menu.
export function pagesFor(me) {
    const pages = [];
    const alertsWhat = me.role === 'operator' ? 'les alertes de l’éclairage public'
        : me.role === 'directorate' ? 'les alertes de vos cas d’usage' : 'toutes les alertes';
    pages.push({ href: '/supervision/alertes', title: 'Alertes', text: `Consulter, acquitter et résoudre ${alertsWhat}.` });
    if (me.role === 'partner') pages[0].text = 'Consulter les alertes de vos équipements.';
    pages.push({ href: '/supervision/equipements', title: 'Équipements', text: 'Dernier message, batterie, signal et lettres mortes de chaque capteur.' });
    const lighting = lightingAccess(me);
    if (lighting === 'write')
        pages.push({ href: '/supervision/eclairage', title: 'Programmation de l’éclairage', text: 'Programmes, calendriers, dérogations et aperçu d’une journée.' });
    else if (lighting === 'read')
        pages.push({ href: '/supervision/eclairage', title: 'Programmation de l’éclairage (lecture seule)', text: 'Consulter les programmes, calendriers et dérogations.' });
    return pages;
}

// "test-admin (administrateur)".
export const whoText = (me) => `${me.name} (${label(ROLES, me.role)})`;

// Fills the header's session line and wires its logout button; hides the menu entries the role
// may not use.
export function showSession(me) {
    const box = $('[data-session]');
    if (!box) return;
    $('[data-session-who]', box).textContent = `Connecté : ${whoText(me)}`;
    box.hidden = false;
    if (lightingAccess(me) === 'none')
        for (const a of $$('.site-nav a[href="/supervision/eclairage"]')) a.closest('li').hidden = true;
}

export function wireLogout() {
    const button = $('[data-logout]');
    if (!button || button.dataset.wired) return;
    button.dataset.wired = 'true';
    button.addEventListener('click', () => {
        setApiKey(null);
        location.assign(`${SIGN_IN}?raison=deconnexion`);
    });
}

// On a page behind the key: the caller (GET /v1/me), or null after sending the browser to the
// sign-in page (no key, or one the API no longer knows). Other failures are thrown (ApiError, or
// TypeError when the API does not answer).
export async function requireSession() {
    wireLogout();
    if (!apiKey()) {
        location.replace(signInUrl());
        return null;
    }
    try {
        const me = await api('/v1/me', { auth: true });
        showSession(me);
        return me;
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
            setApiKey(null);
            location.replace(signInUrl('expiree'));
            return null;
        }
        throw e;
    }
}

// A French sentence for an error of the API or of the network.
export function errorText(e, what = 'La demande') {
    if (e instanceof ApiError) {
        if (e.status === 401) return 'Votre clé n’est plus acceptée : reconnectez-vous.';
        if (e.status === 403) return 'Votre rôle ne permet pas cette action.';
        if (e.status === 404) return 'Introuvable avec votre clé (supprimé, ou hors de votre périmètre).';
        if (e.status === 503) return `${what} n’a pas abouti : le service n’a pas répondu (${e.message}). Réessayez dans un instant.`;
        return `${what} a été refusée (HTTP ${e.status}) : ${e.message}`;
    }
    return 'L’API ne répond pas : vérifiez la connexion et réessayez.';
}

// Marks the page drawn (the tests wait on it), or failed with a visible message in 'box'.
export function pageReady(ok = true) {
    document.documentElement.dataset.ready = ok ? 'true' : 'error';
}
