// counter.mjs - the counters' display page (/compteur): each counter's today and year as the API
// answers them, its latest count's time, a 1920×1080 screen filled without scrolling; the list
// linking every counter; an unknown or malformed DevEUI answered by a French sentence.
const digits = (s) => String(s).replace(/\D/g, '');

async function counters(t) {
    const res = await t.api('/v1/devices?use_case=counting&limit=1000');
    return res.items;
}

async function display(t, eui) {
    return t.api(`/v1/counters/${eui}/display`);
}

async function waitReady(t, state) {
    await t.page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 20000 });
    const got = await t.page.evaluate(() => document.documentElement.dataset.ready);
    t.expect(got === state, `data-ready="${got}", not "${state}"`);
}

export default [
    {
        name: 'compteur : la liste des afficheurs mène à chaque compteur de l’API',
        path: '/compteur', shot: 'compteur-liste', axe: true, phone: true,
        async run(t) {
            const api = await counters(t);
            const links = await t.page.$$eval('.counter-list a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
            t.expect(links.length === api.length, `${links.length} links, the API has ${api.length} counters`);
            for (const c of api) {
                const link = links.find((l) => l.href === `/compteur?eui=${c.dev_eui}`);
                t.expect(link && link.text === c.name, `no link to ${c.name} (${c.dev_eui})`);
            }
            if (api.length === 0) {
                const text = await t.page.textContent('main');
                t.expect(text.includes('Aucun compteur'), 'no counter and no sentence says so');
            }
            t.expect((await t.page.textContent('h1')).includes('afficheurs'), 'the list has no heading');
        },
    },
    {
        name: 'compteur : chaque afficheur montre le jour et l’année comme l’API, et l’heure du dernier comptage',
        path: '/compteur', shot: 'compteur-afficheur', axe: true, phone: true,
        async run(t) {
            const p = t.page;
            const api = await counters(t);
            t.expect(api.length > 0, 'the API has no counter to show');
            for (const c of api) {
                const before = await display(t, c.dev_eui);
                await p.goto(`/compteur?eui=${c.dev_eui}`);
                await t.ready();
                const shown = await p.evaluate(() => ({
                    title: document.querySelector('h1').textContent,
                    today: document.querySelector('[data-count="today"]').textContent,
                    year: document.querySelector('[data-count="year"]').textContent,
                    updated: document.querySelector('.counter-updated').textContent,
                    datetime: document.querySelector('.counter-updated time').getAttribute('datetime'),
                    directions: [...document.querySelectorAll('.counter-directions')].map((d) => (d.hidden ? null : d.textContent)),
                }));
                const after = await display(t, c.dev_eui);
                const match = (key) => [before, after].some((d) => digits(shown[key]) === String(d[key]));
                t.expect(shown.title === before.name, `${c.dev_eui}: heading "${shown.title}", the API's name "${before.name}"`);
                t.expect(match('today'), `${c.name}: today shows ${shown.today}, the API ${before.today} then ${after.today}`);
                t.expect(match('year'), `${c.name}: the year shows ${shown.year}, the API ${before.year} then ${after.year}`);
                t.expect(/^\d{1,3}( ?[\u202f\u00a0 ]\d{3})*$/.test(shown.year.trim()), `${c.name}: "${shown.year}" is not a French whole number`);
                t.expect(shown.updated.startsWith('Dernière mise à jour'), `${c.name}: "${shown.updated}"`);
                if (before.updated || after.updated) {
                    t.expect([before.updated, after.updated].includes(shown.datetime), `${c.name}: updated ${shown.datetime}, the API ${before.updated}`);
                    t.expect(/\d{2}:\d{2}/.test(shown.updated), `${c.name}: no time in "${shown.updated}"`);
                } else t.expect(shown.updated.includes('aucun comptage'), `${c.name}: never counted, the page says "${shown.updated}"`);
                // By direction: the two directions add up to the total shown.
                for (const [i, key] of [[0, 'today'], [1, 'year']]) {
                    const d = shown.directions[i];
                    if (d === null) continue;
                    const parts = d.split('·').map(digits).map(Number);
                    t.expect(parts.length === 2 && parts[0] + parts[1] === Number(digits(shown[key])), `${c.name}: directions "${d}" do not add up to ${shown[key]}`);
                }
            }
            // A public display's screen: everything on one 1920×1080 screen, nothing to scroll.
            await p.setViewportSize({ width: 1920, height: 1080 });
            await p.waitForTimeout(300);
            const over = await p.evaluate(() => [document.documentElement.scrollWidth - window.innerWidth, document.documentElement.scrollHeight - window.innerHeight]);
            await t.screenshot('compteur-afficheur-1920');
            t.expect(over[0] <= 1 && over[1] <= 1, `on a 1920×1080 screen the display overflows by ${over[0]} × ${over[1]} px`);
            await p.setViewportSize({ width: 1280, height: 900 });
            const live = await p.textContent('.counter-live');
            t.expect(/direct/i.test(live), `the live state says "${live}"`);
        },
    },
    {
        name: 'compteur : un compteur inconnu est annoncé en français',
        path: '/compteur?eui=ffffffffffffff00', ready: false, shot: 'compteur-inconnu', axe: true,
        expectErrors: ['404'],
        async run(t) {
            await waitReady(t, 'error');
            const text = await t.page.textContent('main');
            t.expect(text.includes('Ce compteur n’existe pas'), `the page says: ${text.trim().slice(0, 200)}`);
            t.expect((await t.page.getAttribute('main a', 'href')) === '/compteur', 'no link to the list');
            // A malformed DevEUI is answered the same, without asking the API.
            const asked = [];
            t.page.on('request', (r) => { if (r.url().includes('/v1/')) asked.push(r.url()); });
            await t.page.goto('/compteur?eui=pas-un-eui');
            await waitReady(t, 'error');
            t.expect((await t.page.textContent('main')).includes('Ce compteur n’existe pas'), 'no sentence for a malformed DevEUI');
            t.expect(asked.length === 0, `the page asked the API: ${asked.join(' ')}`);
        },
    },
];
