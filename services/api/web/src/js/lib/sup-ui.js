// sup-ui.js - small form pieces of the supervision's editors: a labelled field, a status line that
// is also announced, and a confirmation asked in the page (no blocking browser dialog).
import { h, fill, announce } from './dom.js';

// A labelled field: <div><label for=id>text</label> input [hint]</div>. 'input' gets the id.
export function field(id, text, input, hint) {
    input.id = id;
    const hintId = hint ? `${id}-aide` : null;
    if (hintId) input.setAttribute('aria-describedby', hintId);
    return h('div', { class: 'field' }, h('label', { for: id }, text), input,
        hint ? h('span', { class: 'hint', id: hintId }, hint) : null);
}

// Writes 'text' in the status element 'el' (kind: 'ok', 'error' or '') and announces it.
export function say(el, text, kind = '') {
    el.className = `sup-status${kind ? ` sup-status-${kind}` : ''}`;
    el.textContent = text;
    if (text) announce(text);
}

// Shows "question [Oui] [Non]" inside 'box'; onYes runs on Oui. Focus goes to Non (the safe
// answer), then back to 'returnFocus' when the question is closed.
export function confirmInline(box, question, yesText, onYes, returnFocus) {
    const close = () => {
        fill(box);
        if (returnFocus && returnFocus.isConnected) returnFocus.focus();
    };
    const no = h('button', { type: 'button', class: 'secondary', onclick: close }, 'Non, garder');
    box.className = 'sup-status';
    const yes = h('button', { type: 'button', class: 'danger', onclick: async () => { fill(box); await onYes(); } }, yesText);
    fill(box, h('div', { class: 'sup-confirm', role: 'group', 'aria-label': 'Confirmation' }, h('p', {}, question), yes, ' ', no));
    no.focus();
}

// Disables every control of 'form' while 'work' runs.
export async function busy(form, work) {
    const controls = [...form.querySelectorAll('button, input, select, textarea')].filter((c) => !c.disabled);
    controls.forEach((c) => { c.disabled = true; });
    try {
        return await work();
    } finally {
        controls.forEach((c) => { c.disabled = false; });
    }
}
