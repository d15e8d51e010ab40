// uc-page.js - what the public pages share around the API: reading every page of a list, the
// page's state for those who wait on it (html[data-ready]) and its French error message.
import { api, query } from './api.js';
import { h } from './dom.js';

// Every device (of one use case, or all), following the list's pages.
export async function allDevices(useCase) {
    const items = [];
    for (let offset = 0; ; offset += 1000) {
        const page = await api(`/v1/devices${query({ use_case: useCase, limit: 1000, offset })}`);
        items.push(...page.items);
        if (page.items.length === 0 || items.length >= page.total) return items;
    }
}

// The page has drawn its data.
export function pageReady() {
    const status = document.querySelector('[data-status]');
    if (status) {
        status.textContent = '';
        status.hidden = true;
    }
    document.documentElement.dataset.ready = 'true';
}

// The API failed: a visible French message in the page's status line, and data-ready="error".
export function pageFailed(err) {
    const status = document.querySelector('[data-status]');
    const why = err && err.status ? ` (réponse ${err.status} du serveur)` : '';
    const text = `Les données n’ont pas pu être chargées${why}. Réessayez dans un instant.`;
    if (status) {
        status.hidden = false;
        status.replaceChildren(h('span', { class: 'error' }, text));
    }
    document.documentElement.dataset.ready = 'error';
    // The cause, for those who look at the console; the page itself says it in French.
    console.warn('mue:', err);
}

