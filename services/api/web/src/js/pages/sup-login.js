// sup-login.js - /supervision/: signing in with an API key (checked with GET /v1/me), then the
// pages the key's role may use; sends the browser back to the page that asked for the key.
import { api, apiKey, setApiKey, ApiError } from '../lib/api.js';
import { $, h, fill, announce } from '../lib/dom.js';
import { pagesFor, safeReturnPath, scopeUseCases, showSession, whoText, wireLogout, pageReady } from '../lib/sup-session.js';
import { USE_CASES, label } from '../lib/sup-labels.js';

const params = new URLSearchParams(location.search);
const returnTo = safeReturnPath(params.get('suite'));

const NOTICES = {
    expiree: 'Votre clé n’est plus acceptée par l’API : reconnectez-vous avec une clé valide.',
    deconnexion: 'Vous êtes déconnecté : la clé a été effacée de cet onglet.',
};

function showNotice(text) {
    const box = $('[data-login-notice]');
    box.textContent = text;
    box.hidden = !text;
}

function showError(text) {
    const input = $('#cle');
    const box = $('[data-login-error]');
    box.textContent = text;
    box.hidden = !text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
}

function scopeText(me) {
    const ucs = scopeUseCases(me);
    if (me.role === 'operator') return 'Périmètre : l’éclairage public.';
    if (me.role === 'partner') return 'Périmètre : vos équipements.';
    if (!ucs) return 'Périmètre : tous les cas d’usage.';
    return `Périmètre : ${ucs.map((u) => label(USE_CASES, u)).join(', ')}.`;
}

function showSignedIn(me) {
    showSession(me);
    $('[data-sign-in]').hidden = true;
    fill($('[data-who]'), `Vous êtes connecté en tant que ${whoText(me)}. ${scopeText(me)}`);
    fill($('[data-pages]'), pagesFor(me).map((p) =>
        h('li', { class: 'card' }, h('h3', {}, h('a', { href: p.href }, p.title)), h('p', {}, p.text))));
    $('[data-signed-in]').hidden = false;
}

function showSignIn() {
    $('[data-signed-in]').hidden = true;
    $('[data-sign-in]').hidden = false;
}

function signInError(e) {
    if (e instanceof ApiError && e.status === 401)
        return 'Clé inconnue ou révoquée : vérifiez-la, ou demandez-en une nouvelle à l’administrateur.';
    if (e instanceof ApiError)
        return `L’API a refusé la connexion (HTTP ${e.status}) : ${e.message}`;
    return 'L’API ne répond pas : la clé n’a pas pu être vérifiée. Réessayez dans un instant.';
}

async function onSubmit(event) {
    event.preventDefault();
    const input = $('#cle');
    const key = input.value.trim();
    if (!key) {
        showError('Saisissez votre clé d’API.');
        input.focus();
        return;
    }
    const button = $('[data-login-form] button[type="submit"]');
    button.disabled = true;
    showError('');
    setApiKey(key);
    try {
        const me = await api('/v1/me', { auth: true });
        input.value = '';
        if (returnTo) {
            location.assign(returnTo);
            return;
        }
        showNotice('');
        showSignedIn(me);
        announce(`Connecté en tant que ${whoText(me)}.`);
        $('#titre-acces').setAttribute('tabindex', '-1');
        $('#titre-acces').focus();
    } catch (e) {
        setApiKey(null);
        showError(signInError(e));
        announce(signInError(e));
        input.focus();
    } finally {
        button.disabled = false;
    }
}

async function main() {
    wireLogout();
    $('[data-login-form]').addEventListener('submit', onSubmit);
    const reason = params.get('raison');
    showNotice(NOTICES[reason] || (returnTo ? 'Connectez-vous pour ouvrir cette page de la supervision.' : ''));
    if (!apiKey()) {
        showSignIn();
        return true;
    }
    try {
        const me = await api('/v1/me', { auth: true });
        if (returnTo && !reason) {
            location.replace(returnTo);
            return false;
        }
        showSignedIn(me);
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
            setApiKey(null);
            showNotice(NOTICES.expiree);
        } else {
            showNotice(signInError(e));
        }
        showSignIn();
    }
    return true;
}

// Not marked ready while leaving for the page that asked for the key.
main().then((stays) => { if (stays) pageReady(true); }, () => pageReady(false));
