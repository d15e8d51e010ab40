// dom.js - building elements without innerHTML, so that nothing read from the API is ever
// interpreted as markup.

// h('a', {href: '/x', class: 'y'}, 'text', child...) → an element. Attributes whose value is
// null, undefined or false are left out; 'on*' functions become listeners.
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false) continue;
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
}

// Replaces the children of 'el'.
export function fill(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// A table with a caption: columns [{label, num}], rows of cell values (nodes or text).
export function table(caption, columns, rows) {
    return h('div', { class: 'table-wrap' },
        h('table', {},
            h('caption', {}, caption),
            h('thead', {}, h('tr', {}, columns.map((c) =>
                h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
            h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell, i) =>
                i === 0 && columns[0].header
                    ? h('th', { scope: 'row' }, cell)
                    : h('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell)))))));
}

// Announces a message to screen readers through the page's polite live region (made on first use).
export function announce(text) {
    let region = document.getElementById('annonces');
    if (!region) {
        region = h('div', { id: 'annonces', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
        document.body.append(region);
    }
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
}
