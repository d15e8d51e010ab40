// sup-deadletters.js - the dead letters of the devices page (GET /v1/deadletters): the latest ones
// counted per device, and listed with their reason, for every device or for one.
import { api, query, ApiError } from './api.js';
import { $, h, fill, table } from './dom.js';
import { num, when } from './format.js';
import { errorText } from './sup-session.js';

const LIMIT_ALL = 500; // read for the counts per device
const LIMIT_SHOWN = 50;

// The stages that refuse messages (the services' STAGE names).
const STAGES = { normalizer: 'Décodage', writer: 'Écriture en base', alerts: 'Moteur d’alertes' };

// Reads the latest dead letters of the caller's scope; {items, scanned, truncated}, or
// {error: text} when they cannot be read (the page goes on without them).
export async function readDeadLetters(devEui) {
    try {
        return await api(`/v1/deadletters${query({ dev_eui: devEui, limit: devEui ? LIMIT_SHOWN : LIMIT_ALL })}`, { auth: true });
    } catch (e) {
        if (e instanceof ApiError && e.status === 503)
            return { error: 'Les lettres mortes ne peuvent pas être lues pour l’instant : le bus de messages ne répond pas.' };
        return { error: errorText(e, 'La lecture des lettres mortes') };
    }
}

// Dead letters per DevEUI (entries without a device are left out).
export function countByDevice(answer) {
    const counts = new Map();
    for (const d of answer.items || []) if (d.dev_eui) counts.set(d.dev_eui, (counts.get(d.dev_eui) || 0) + 1);
    return counts;
}

function deviceCell(d, devices) {
    if (!d.dev_eui) return 'aucun (message sans équipement)';
    const dev = devices.get(d.dev_eui);
    return h('span', {}, dev ? dev.name : 'inconnu de la plateforme', h('br'), h('code', { class: 'small' }, d.dev_eui));
}

// Draws 'answer' into the section; 'devEui' when it is one device's.
export function drawDeadLetters(answer, devices, devEui) {
    const box = $('[data-deadletters]');
    const filter = $('[data-dl-filter]');
    filter.hidden = !devEui;
    if (devEui) {
        const dev = devices.get(devEui);
        fill($('[data-dl-filter-text]'), `Lettres mortes de l’équipement ${dev ? dev.name : ''} (${devEui}).`);
    }
    if (answer.error) {
        fill(box, h('p', { class: 'error' }, answer.error));
        return;
    }
    const items = devEui ? answer.items : answer.items.slice(0, LIMIT_SHOWN);
    const read = `${num(answer.scanned, 0)} entrée${answer.scanned > 1 ? 's' : ''} lue${answer.scanned > 1 ? 's' : ''}${answer.truncated ? ', lecture limitée aux plus récentes' : ''}`;
    box.dataset.count = String(items.length);
    if (!items.length) {
        fill(box, h('p', { class: 'notice', 'data-empty': '' },
            `Aucune lettre morte${devEui ? ' pour cet équipement' : ' dans votre périmètre'} : la plateforme n’a refusé aucun de ces messages (${read}).`));
        return;
    }
    fill(box, table(`Lettres mortes : les ${items.length} plus récentes${devEui ? ' de cet équipement' : ''} (${read})`,
        [{ label: 'Reçue le', header: true }, { label: 'Équipement' }, { label: 'Étape' }, { label: 'Code' },
            { label: 'Raison' }, { label: 'Sujet' }, { label: 'Taille (octets)', num: true }],
        items.map((d) => [
            h('time', { datetime: d.time }, when(d.time)),
            deviceCell(d, devices),
            STAGES[d.stage] || d.stage,
            h('code', {}, d.code),
            d.reason || '–',
            h('code', { class: 'small wrap' }, d.subject || '–'),
            num(d.original_bytes, 0),
        ])));
    box.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.seq = String(items[i].seq); });
}
