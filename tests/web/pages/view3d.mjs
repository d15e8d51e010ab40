// view3d.mjs - the 3D view (/3d): a WebGL frame really drawn, one column per placed sensor with
// a value as the API counts them for every choice of data, the table equal to the API's latest
// values, the keyboard and the buttons moving the camera, every commune named when centred, and
// the table kept when WebGL is missing.

const fr = (digits) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const squash = (s) => String(s).replace(/[\s\u202f\u00a0]+/g, ' ').trim();

// What the page should show for a choice (its <option>'s data): the API's placed devices with a
// value, by dev_eui → {name, value}.
async function expectedColumns(t, opt) {
    const out = new Map();
    if (opt.source === 'counting') {
        const res = await t.api('/v1/indicators/counting');
        for (const c of res.items)
            if (Number.isFinite(c.latitude) && Number.isFinite(c.longitude) && c.total && Number.isFinite(c.total.today))
                out.set(c.dev_eui, { name: c.name, value: c.total.today });
        return out;
    }
    const res = await t.api(`/v1/usecases/${opt.useCase}/latest?quantity=${opt.quantity}`);
    for (const d of res.items) {
        const v = (d.values || []).find((x) => x.quantity === opt.quantity);
        if (Number.isFinite(d.latitude) && Number.isFinite(d.longitude) && v && Number.isFinite(v.value))
            out.set(d.dev_eui, { name: d.name, value: v.value });
    }
    return out;
}

async function options(t) {
    return t.page.$$eval('#v3d-measure option', (os) => os.map((o) => ({ id: o.value, label: o.textContent, ...o.dataset })));
}

async function tableRows(t) {
    return t.page.$$eval('#v3d-table tbody tr', (trs) => trs.map((tr) => ({
        name: tr.querySelector('th').textContent,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
    })));
}

// The drawn canvas as the screen shows it: its share of pixels unlike the background and its
// number of distinct colours (decoded in the page from Playwright's screenshot).
async function canvasPixels(t) {
    const png = await t.page.locator('#v3d-viewport canvas').screenshot();
    return t.page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = new OffscreenCanvas(bitmap.width, bitmap.height);
        const g = c.getContext('2d');
        g.drawImage(bitmap, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        let unlike = 0;
        const [r0, g0, b0] = [d[0], d[1], d[2]]; // a corner: the background
        for (let i = 0; i < d.length; i += 4) {
            colours.add(((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3));
            if (Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) > 24) unlike++;
        }
        return { width: c.width, height: c.height, unlike: unlike / (d.length / 4), colours: colours.size };
    }, png.toString('base64'));
}

const dataOf = (t) => t.page.$eval('#v3d-viewport canvas', (c) => ({ ...c.dataset }));

async function choose(t, id) {
    await t.page.selectOption('#v3d-measure', id);
    await t.page.waitForFunction((m) => document.getElementById('v3d-viewport').dataset.measure === m, id, { timeout: 15000 });
}

export default [
    {
        name: '3d : la vue WebGL dessine les communes et une colonne par capteur placé ; le tableau est celui de l’API',
        path: '/3d', shot: 'vue-3d', axe: true, phone: true,
        async run(t) {
            const px = await canvasPixels(t);
            t.expect(px.width > 300 && px.height > 200, `canvas of ${px.width}×${px.height}`);
            t.expect(px.unlike > 0.15 && px.colours >= 12, `the canvas looks empty: ${(px.unlike * 100).toFixed(1)} % of pixels drawn, ${px.colours} colours`);

            const selected = await t.page.$eval('#v3d-measure', (s) => s.value);
            const opt = (await options(t)).find((o) => o.id === selected);
            t.expect(opt.id === 'noise' && opt.quantity === 'LAeq', `the first choice is ${opt.id}/${opt.quantity}`);
            const before = await expectedColumns(t, opt);
            const shown = await dataOf(t);
            const rows = await tableRows(t);
            const after = await expectedColumns(t, opt);
            t.expect(Number(shown.columns) === before.size || Number(shown.columns) === after.size,
                `${shown.columns} columns drawn, the API has ${before.size} placed noise sensors with a LAeq`);
            t.expect(rows.length === Number(shown.columns), `${rows.length} table rows for ${shown.columns} columns`);
            const f = fr(1);
            for (const row of rows) {
                const api = [...before.values(), ...after.values()].filter((x) => x.name === row.name);
                t.expect(api.length > 0, `the table shows "${row.name}", which the API does not have`);
                const value = squash(row.cells[1]);
                t.expect(api.some((x) => squash(f.format(x.value)) === value),
                    `${row.name}: the table shows ${value}, the API ${api.map((x) => f.format(x.value)).join(' then ')}`);
                t.expect(row.cells[0].length > 0, `${row.name} has no commune`);
                t.expect(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/.test(row.cells[2]), `${row.name}: time "${row.cells[2]}"`);
            }
            const marseille = rows.filter((r) => r.cells[0] === 'Marseille').length;
            t.expect(rows.length === 0 || marseille > 0, 'no noise sensor placed in Marseille, where the fleet has most');
            const legend = squash(await t.page.textContent('#v3d-legend'));
            t.expect(legend.includes('dB(A)') && /\d/.test(legend), `legend: ${legend}`);
            const label = await t.page.$eval('#v3d-viewport canvas', (c) => `${c.getAttribute('role')} ${c.getAttribute('aria-label')} ${c.tabIndex}`);
            t.expect(label.startsWith('application Vue 3D') && label.endsWith(' 0'), `canvas: ${label}`);
        },
    },
    {
        name: '3d : chaque donnée proposée montre autant de colonnes et de lignes que l’API a de capteurs placés',
        path: '/3d',
        async run(t) {
            const opts = await options(t);
            t.expect(opts.length >= 6, `${opts.length} choices`);
            for (const opt of [...opts.slice(1), opts[0]]) {
                await choose(t, opt.id);
                const before = await expectedColumns(t, opt);
                const shown = Number((await dataOf(t)).columns);
                const rows = await tableRows(t);
                const after = await expectedColumns(t, opt);
                t.expect(shown === before.size || shown === after.size, `${opt.id}: ${shown} columns, the API has ${before.size}`);
                t.expect(rows.length === shown, `${opt.id}: ${rows.length} rows for ${shown} columns`);
                const names = new Set([...before.values(), ...after.values()].map((x) => x.name));
                t.expect(rows.every((r) => names.has(r.name)), `${opt.id}: a row the API does not have`);
                if (shown === 0) {
                    const note = await t.page.textContent('#v3d-table');
                    t.expect(note.includes('Aucun capteur'), `${opt.id}: nothing shown and no sentence says so`);
                }
                t.expect(new URL(t.page.url()).searchParams.get('mesure') === opt.id, `${opt.id}: the address keeps the choice`);
            }
        },
    },
    {
        name: '3d : le clavier et les boutons déplacent la caméra ; chaque commune centrée est éclairée et nommée',
        path: '/3d',
        async run(t) {
            const p = t.page;
            const cam = async () => {
                const d = await dataOf(t);
                return { azimuth: Number(d.azimuth), polar: Number(d.polar), distance: Number(d.distance), lit: d.lit };
            };
            const start = await cam();
            await p.focus('#v3d-viewport canvas');
            await p.keyboard.press('ArrowLeft');
            const left = await cam();
            t.expect(Math.abs(left.azimuth - start.azimuth) > 5, `ArrowLeft: azimuth ${start.azimuth} → ${left.azimuth}`);
            await p.keyboard.press('ArrowRight');
            await p.keyboard.press('ArrowRight');
            const right = await cam();
            t.expect(Math.sign(right.azimuth - left.azimuth) === -Math.sign(left.azimuth - start.azimuth) && Math.abs(right.azimuth - left.azimuth) > 5,
                `ArrowRight does not turn the other way: azimuth ${start.azimuth} → ${left.azimuth} → ${right.azimuth}`);
            await p.keyboard.press('ArrowUp');
            const up = await cam();
            t.expect(up.polar < right.polar - 2, `ArrowUp: polar ${right.polar} → ${up.polar}`);
            await p.keyboard.press('+');
            const near = await cam();
            t.expect(near.distance < up.distance * 0.9, `+: distance ${up.distance} → ${near.distance}`);
            await p.keyboard.press('-');
            await p.keyboard.press('-');
            const far = await cam();
            t.expect(far.distance > near.distance * 1.2, `-: distance ${near.distance} → ${far.distance}`);
            const scrolled = await p.evaluate(() => window.scrollY);
            await p.keyboard.press('ArrowDown');
            t.expect((await p.evaluate(() => window.scrollY)) === scrolled, 'ArrowDown on the view scrolled the page');
            const label = await p.textContent('#v3d-label');
            t.expect(label.startsWith('Au centre de la vue'), `the label while the keyboard drives: "${label}"`);

            await p.click('button[data-action="reset"]');
            const reset = await cam();
            t.expect(Math.abs(reset.azimuth - start.azimuth) < 0.5 && Math.abs(reset.distance - start.distance) < 0.5,
                `Vue de départ: ${JSON.stringify(reset)} after ${JSON.stringify(start)}`);
            await p.click('button[data-action="in"]');
            const zin = await cam();
            t.expect(zin.distance < reset.distance * 0.9, `Zoom avant: ${reset.distance} → ${zin.distance}`);
            await p.click('button[data-action="out"]');
            await p.click('button[data-action="out"]');
            const zout = await cam();
            t.expect(zout.distance > zin.distance * 1.2, `Zoom arrière: ${zin.distance} → ${zout.distance}`);
            await p.click('button[data-action="left"]');
            t.expect(Math.abs((await cam()).azimuth - zout.azimuth) > 5, 'Tourner à gauche did not turn');
            await p.click('button[data-action="down"]');

            // Communes chosen in the list (all 92 are offered; a dozen spread through the list are
            // tried, Marseille among them) are centred, lit and named.
            const geo = await t.api('/assets/geo/communes.geojson');
            const communes = await p.$$eval('#v3d-commune option', (os) => os.filter((o) => o.value).map((o) => ({ code: o.value, nom: o.textContent })));
            t.expect(communes.length === geo.features.length && communes.length === 92, `${communes.length} communes in the list, ${geo.features.length} on the map`);
            for (const c of communes.filter((x, i) => i % 8 === 0 || x.code === '13055')) {
                await p.selectOption('#v3d-commune', c.code);
                const now = await cam();
                const text = await p.textContent('#v3d-label');
                t.expect(now.lit === c.code && text === `Au centre de la vue : ${c.nom}`, `${c.nom}: lit ${now.lit}, label "${text}"`);
            }
        },
    },
    {
        name: '3d : la vue ne dessine que quand quelque chose change (pas de boucle d’images au repos)',
        path: null,
        async run(t) {
            await t.page.addInitScript(() => {
                window.framesAsked = 0;
                const ask = window.requestAnimationFrame.bind(window);
                window.requestAnimationFrame = (fn) => { window.framesAsked++; return ask(fn); };
            });
            await t.page.goto('/3d');
            await t.ready();
            await t.page.waitForTimeout(1000);
            const settled = await t.page.evaluate(() => window.framesAsked);
            await t.page.waitForTimeout(2000);
            const idle = (await t.page.evaluate(() => window.framesAsked)) - settled;
            t.expect(idle <= 2, `${idle} frames asked in 2 s of rest`);
            await t.page.focus('#v3d-viewport canvas');
            await t.page.keyboard.press('ArrowLeft');
            await t.page.waitForTimeout(300);
            const moved = (await t.page.evaluate(() => window.framesAsked)) - settled - idle;
            t.expect(moved >= 1, 'a key moved the camera but no frame was drawn');
        },
    },
    {
        name: '3d : sans WebGL, la page le dit et garde le tableau des capteurs',
        path: null,
        async run(t) {
            await t.page.addInitScript(() => {
                const get = HTMLCanvasElement.prototype.getContext;
                HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
                    return /webgl/.test(kind) ? null : get.call(this, kind, ...rest);
                };
            });
            await t.page.goto('/3d');
            await t.ready();
            t.expect((await t.page.locator('canvas').count()) === 0, 'a canvas was made without WebGL');
            const notice = await t.page.textContent('.v3d-stage');
            t.expect(notice.includes('WebGL n’est pas disponible'), 'no sentence says WebGL is missing');
            const api = await expectedColumns(t, { useCase: 'noise', quantity: 'LAeq' });
            const rows = await tableRows(t);
            t.expect(rows.length === api.size, `${rows.length} rows, the API has ${api.size} sensors`);
        },
    },
];
