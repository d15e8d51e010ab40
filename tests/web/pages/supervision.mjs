// supervision.mjs - the supervisor pages behind an API key: signing in and out, the alerts inbox
// against GET /v1/alerts (scope, filters, pages), acknowledging in the browser and seeing it in the
// API, news arriving live, the device health against /v1/devices and /v1/deadletters, and the
// lighting editor (an override saved and previewed, a program step changed, a program in use kept,
// the editor refused to a directorate without lighting).

const fr = (digits) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const squash = (s) => String(s).replace(/[\s\u202f\u00a0]+/g, ' ').trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// JSON with sorted keys: the service writes members in its own order.
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x));

// Retries 'check' (which throws on a mismatch) while live data may be moving under it.
async function settle(check, tries = 4, pause = 1500) {
    for (let i = 1; ; i++) {
        try {
            return await check(i);
        } catch (e) {
            if (i >= tries) throw e;
            await sleep(pause);
        }
    }
}

const rowIds = (t) => t.page.$$eval('[data-list] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.alertId)));

async function reloadReady(t) {
    await t.page.reload({ waitUntil: 'load' });
    await t.ready();
}

// An open alert in the scope of 'key'; null when there is none.
async function openAlert(t, key) {
    const page = await t.api('/v1/alerts?state=open&limit=100', { key });
    return page.items.length ? page.items[page.items.length - 1] : null; // the oldest: not the one a person would look at first
}

// The key to act with: the directorate's when it has an open alert, else the admin's.
async function keyWithOpenAlert(t) {
    for (const who of ['directorate', 'admin']) {
        const a = await openAlert(t, t.keys[who]);
        if (a) return { who, key: t.keys[who], alert: a };
    }
    throw new Error('no open alert in any scope: the stack must leave open alerts for the supervision tests (see /tmp/briefs/NEED-supervision.txt)');
}

async function useKey(t, key) {
    // Runs after the test's own init script: this key wins on every page of the test.
    await t.page.context().addInitScript((k) => sessionStorage.setItem('mue.apiKey', k), key);
}

async function lightingGroup(t) {
    const res = await t.api('/v1/lighting/assignments', { key: t.keys.operator });
    const withLamps = res.assignments.find((a) => a.lamps > 0) || res.assignments[0];
    if (!withLamps) throw new Error('no lighting group has a calendar: the stack must assign one (demo: eclairage-istres)');
    return withLamps.group;
}

// Builds calendar 'id' in the editor (three rules, one moved), checks the API's copy and the
// list, then deletes it from the page.
async function makeCalendar(t, id, program) {
    const key = t.keys.operator;
    await t.page.click('[data-calendar-new]');
    await t.page.fill('#cal-id', id);
    await t.page.selectOption('#cal-defaut', program);
    // Rule 1: Monday to Friday; rule 2: two dates and a span; rule 3: public holidays.
    for (let i = 1; i <= 3; i++) await t.page.click('[data-add-rule]');
    for (const d of [1, 2, 3, 4, 5]) await t.page.check(`#cal-regle-1-jour-${d}`);
    await t.page.selectOption('#cal-regle-2-type', 'dates');
    await t.page.fill('#cal-regle-2-dates', '14/07, 24/12 au 26/12');
    await t.page.selectOption('#cal-regle-3-type', 'holiday');
    for (let i = 1; i <= 3; i++) await t.page.selectOption(`#cal-regle-${i}-programme`, program);
    // Holidays first: moved up twice.
    await t.page.click('button[aria-label="Monter la règle 3"]');
    await t.page.click('button[aria-label="Monter la règle 2"]');
    await t.page.click('[data-calendar-form] button[type="submit"]');
    await t.page.locator('[data-calendar-status].sup-status-ok').waitFor({ timeout: 15000 })
        .catch(async () => { throw new Error(`not saved: "${await t.page.locator('[data-calendar-status]').textContent()}"`); });
    const c = (await t.api('/v1/lighting/calendars', { key })).calendars.find((x) => x.id === id);
    const got = canon((c.rules || []).map((r) => r.condition));
    const want = canon([{ type: 'ccHoliday' }, { type: 'ccDay', days: [{ start: 1, end: 5 }] },
        { type: 'ccDate', dates: [{ start: '--07-14' }, { start: '--12-24', end: '--12-26' }] }]);
    t.expect(got === want, `rules ${got}`);
    t.expect(c.defaultProgram === program && c.rules.every((r) => r.program === program), `programs ${JSON.stringify(c)}`);
    const row = squash(await t.page.locator(`[data-calendars] tr[data-calendar="${id}"]`).textContent());
    t.expect(row.includes('les jours fériés') && row.includes('du lundi au vendredi') && row.includes('24/12 au 26/12'), `the list shows "${row}"`);
    await t.page.click(`[data-calendars] tr[data-calendar="${id}"] button[aria-label="Supprimer le calendrier ${id}"]`);
    await t.page.click('.sup-confirm button.danger');
    await t.page.locator('[data-calendar-list-status].sup-status-ok').waitFor({ timeout: 15000 });
    const left = (await t.api('/v1/lighting/calendars', { key })).calendars.map((x) => x.id);
    t.expect(!left.includes(id), `${id} is still in the API`);
}

// Changes a step of program 'id' in the editor, adds one, checks the API's copy and the list,
// then deletes it from the page.
async function editProgram(t, id) {
    const key = t.keys.operator;
    await reloadReady(t);
    await t.page.click(`[data-edit-program="${id}"]`);
    // Step 2 is 23:00 at 50 %: now 22:30 at 40 %, and a third step at sunrise − 15 min.
    t.expect(await t.page.inputValue('#prog-palier-2-heure') === '23:00', 'step 2 is not the program\'s 23:00');
    await t.page.fill('#prog-palier-2-heure', '22:30');
    await t.page.fill('#prog-palier-2-niveau', '40');
    await t.page.click('[data-add-step]');
    await t.page.selectOption('#prog-palier-3-moment', 'sunrise');
    await t.page.fill('#prog-palier-3-decalage', '-15');
    await t.page.fill('#prog-palier-3-niveau', '70');
    await t.page.click('[data-program-form] button[type="submit"]');
    await t.page.locator('[data-program-status].sup-status-ok').waitFor({ timeout: 15000 })
        .catch(async () => { throw new Error(`not saved: "${await t.page.locator('[data-program-status]').textContent()}"`); });
    const p = (await t.api('/v1/lighting/programs', { key })).programs.find((x) => x.id === id);
    const fixed = (p.fixedTimeControls || []).map((s) => [s.startTime.slice(0, 5), s.command.state.value]);
    const astro = (p.astroClockTimeControls || []).map((s) => [s.solarEventType, s.offset, s.command.state.value]);
    t.expect(JSON.stringify(fixed) === JSON.stringify([['05:30', 100], ['22:30', 40]]), `fixed steps ${JSON.stringify(fixed)}`);
    t.expect(JSON.stringify(astro) === JSON.stringify([['sunrise', -15, 70]]), `solar steps ${JSON.stringify(astro)}`);
    const row = squash(await t.page.locator(`[data-programs] tr[data-program="${id}"]`).textContent());
    t.expect(row.includes('22:30 → 40 %') && row.includes('lever − 15 min → 70 %'), `the list shows "${row}"`);
    // Deleted from the page: gone from the API.
    await t.page.click(`[data-programs] tr[data-program="${id}"] button[aria-label="Supprimer le programme ${id}"]`);
    await t.page.click('.sup-confirm button.danger');
    await t.page.locator('[data-program-list-status].sup-status-ok').waitFor({ timeout: 15000 });
    const left = (await t.api('/v1/lighting/programs', { key })).programs.map((x) => x.id);
    t.expect(!left.includes(id), `${id} is still in the API`);
}

// Saves an override in the form, finds it in the API and in the preview, then ends it from the
// page.
async function overrideFromPage(t, group, level, comment) {
    const key = t.keys.operator;
    await t.page.fill('#der-groupe', group);
    await t.page.fill('#der-niveau', String(level));
    await t.page.selectOption('#der-motif', 'maintenance');
    await t.page.fill('#der-commentaire', comment);
    await t.page.click('[data-override-form] button[type="submit"]');
    await t.page.locator('[data-override-status].sup-status-ok').waitFor({ timeout: 15000 })
        .catch(async () => { throw new Error(`no success: "${await t.page.locator('[data-override-status]').textContent()}"`); });
    const list = await t.api('/v1/lighting/overrides?active=true', { key });
    const o = list.overrides.find((x) => x.comment === comment);
    t.expect(o && o.group === group && o.level === level && o.reason === 'maintenance', `API overrides: ${JSON.stringify(list.overrides.slice(0, 3))}`);
    t.expect(await t.page.locator(`[data-overrides] tr[data-override="${o.id}"]`).count() === 1, 'the new override is not listed');
    // The preview is the group's, today, with the override's level in its plan and its table.
    await t.page.waitForFunction((lv) => {
        const c = document.querySelector('[data-plan-chart]');
        return c && c.dataset.levels && JSON.parse(c.dataset.levels).some((l) => l.level === lv);
    }, level, { timeout: 15000 }).catch(() => { throw new Error('the preview never showed the override\'s level'); });
    const lamp = await t.page.locator('[data-plan-chart]').getAttribute('data-lamp');
    const date = await t.page.locator('[data-plan-chart]').getAttribute('data-date');
    const plan = await t.api(`/v1/lighting/plan?dev_eui=${lamp}&date=${date}`, { key });
    const shownLevels = JSON.parse(await t.page.locator('[data-plan-chart]').getAttribute('data-levels'));
    t.expect(JSON.stringify(shownLevels) === JSON.stringify(plan.levels), 'the preview is not the API\'s plan');
    const tableText = await t.page.locator('[data-plan-chart] details table').textContent();
    t.expect(tableText.includes(String(level)), 'the chart\'s table lacks the override\'s level');
    t.expect(await t.page.locator(`[data-plan-override="${o.id}"]`).count() === 1, 'the preview does not name the override');
    // Ended from the page: the API has it cancelled.
    await t.page.click(`[data-cancel-override="${o.id}"]`);
    await t.page.click('.sup-confirm button.danger');
    await t.page.locator('[data-override-list-status].sup-status-ok').waitFor({ timeout: 15000 });
    const all = await t.api('/v1/lighting/overrides', { key });
    const ended = all.overrides.find((x) => x.id === o.id);
    t.expect(ended && ended.cancelled_at, `override ${o.id} not cancelled: ${JSON.stringify(ended)}`);
}

export default [
    // ---- signing in ----
    {
        name: 'supervision : sans clé, chaque page renvoie à la connexion',
        path: '/supervision/alertes', ready: false, shot: 'supervision-connexion', axe: true, phone: true,
        async run(t) {
            await t.page.waitForURL(/\/supervision\/\?suite=/);
            await t.ready();
            const url = new URL(t.page.url());
            t.expect(url.searchParams.get('suite') === '/supervision/alertes', `sent to ${url}`);
            t.expect(await t.page.locator('[data-login-notice]').isVisible(), 'the notice "connectez-vous" is not shown');
            t.expect(await t.page.locator('label[for="cle"]').textContent() === 'Clé d’API', 'the key field has no label');
            t.expect(await t.page.locator('#cle').getAttribute('type') === 'password', 'the key field is not a password field');
            for (const path of ['/supervision/equipements', '/supervision/eclairage']) {
                await t.page.goto(path);
                await t.page.waitForURL(/\/supervision\/\?suite=/);
                const u = new URL(t.page.url());
                t.expect(u.searchParams.get('suite') === path, `${path}: sent to ${u}`);
                await t.ready();
            }
        },
    },
    {
        name: 'supervision : une clé inconnue reçoit l’erreur en français',
        path: '/supervision/?suite=/supervision/alertes', expectErrors: ['401'], axe: true,
        async run(t) {
            await t.page.fill('#cle', `inconnue-${Date.now()}-pas-une-cle-valide`);
            await t.page.click('[data-login-form] button[type="submit"]');
            const err = t.page.locator('[data-login-error]');
            await err.waitFor({ state: 'visible' });
            const text = await err.textContent();
            t.expect(text.includes('Clé inconnue ou révoquée'), `error shown: "${text}"`);
            t.expect(await t.page.locator('#cle').getAttribute('aria-invalid') === 'true', 'the field is not marked invalid');
            t.expect(await t.page.evaluate(() => sessionStorage.getItem('mue.apiKey')) === null, 'the refused key stayed in the tab');
            t.expect(new URL(t.page.url()).pathname === '/supervision/', 'the page left the sign-in');
        },
    },
    {
        name: 'supervision : une API injoignable à la connexion est dite en français',
        path: '/supervision/', expectErrors: ['ERR_CONNECTION_REFUSED', 'Failed to load resource'],
        async run(t) {
            await t.page.route('**/v1/me', (route) => route.abort('connectionrefused'));
            await t.page.fill('#cle', t.keys.admin);
            await t.page.click('[data-login-form] button[type="submit"]');
            const err = t.page.locator('[data-login-error]');
            await err.waitFor({ state: 'visible' });
            const text = await err.textContent();
            t.expect(text.includes('L’API ne répond pas'), `error shown: "${text}"`);
            t.expect(await t.page.evaluate(() => sessionStorage.getItem('mue.apiKey')) === null, 'an unchecked key stayed in the tab');
        },
    },
    {
        name: 'supervision : se connecter ouvre la page demandée, se déconnecter efface la clé',
        path: '/supervision/?suite=/supervision/equipements',
        async run(t) {
            await t.page.fill('#cle', t.keys.admin);
            await t.page.click('[data-login-form] button[type="submit"]');
            // On the path: the sign-in page's own address holds "/supervision/equipements" too
            // (its ?suite=), and matching that let the test read the header before leaving.
            await t.page.waitForURL((u) => u.pathname === '/supervision/equipements');
            await t.ready();
            const me = await t.api('/v1/me', { key: t.keys.admin });
            const who = await t.page.locator('[data-session-who]').textContent();
            t.expect(who.includes(me.name), `header says "${who}", the API says ${me.name}`);
            await t.page.click('[data-logout]');
            await t.page.waitForURL(/raison=deconnexion/);
            await t.ready();
            // Waited for rather than read once: under the sanitizers' slowness the tab was seen
            // navigating still (a context destroyed under page.evaluate).
            await t.page.waitForFunction(() => sessionStorage.getItem('mue.apiKey') === null, null, { timeout: 10000 })
                .catch(() => { throw new Error('the key is still in the tab'); });
            await t.page.locator('[data-sign-in]').waitFor({ state: 'visible', timeout: 10000 })
                .catch(() => { throw new Error('the sign-in form is not shown after logging out'); });
            await t.page.goto('/supervision/alertes');
            await t.page.waitForURL(/\/supervision\/\?suite=/);
            await t.ready();
        },
    },
    {
        name: 'supervision : une direction connectée voit les pages de son rôle',
        path: '/supervision/', key: 'directorate', shot: 'supervision-accueil', axe: true, phone: true,
        async run(t) {
            const me = await t.api('/v1/me', { key: t.keys.directorate });
            t.expect(await t.page.locator('[data-signed-in]').isVisible(), 'the signed-in panel is not shown');
            const links = await t.page.$$eval('[data-pages] a', (as) => as.map((a) => a.getAttribute('href')));
            const lighting = (me.use_cases || '').includes('lighting');
            const want = ['/supervision/alertes', '/supervision/equipements', ...(lighting ? ['/supervision/eclairage'] : [])];
            t.expect(JSON.stringify(links) === JSON.stringify(want), `links ${links} for ${me.role} ${me.use_cases}`);
            const who = await t.page.locator('[data-who]').textContent();
            t.expect(who.includes(me.name) && who.includes('direction'), `"${who}"`);
            const navLighting = await t.page.locator('.site-nav a[href="/supervision/eclairage"]').isVisible();
            t.expect(navLighting === lighting, `the menu's lighting entry visible=${navLighting}`);
        },
    },

    // ---- alerts ----
    {
        name: 'supervision alertes : la direction voit exactement les alertes que l’API lui donne',
        path: '/supervision/alertes', key: 'directorate', shot: 'supervision-alertes', axe: true, phone: true,
        async run(t) {
            const key = t.keys.directorate;
            const me = await t.api('/v1/me', { key });
            const scope = me.use_cases.replace(/[{}]/g, '').split(',');
            await settle(async (i) => {
                if (i > 1) await reloadReady(t);
                const api = await t.api('/v1/alerts?state=unresolved&limit=25&offset=0', { key });
                const total = Number(await t.page.locator('[data-list]').getAttribute('data-total'));
                const ids = await rowIds(t);
                t.expect(total === api.total, `page total ${total}, API ${api.total}`);
                t.expect(JSON.stringify(ids) === JSON.stringify(api.items.map((a) => a.id)), `ids ${ids} vs API ${api.items.map((a) => a.id)}`);
                t.expect(api.items.every((a) => scope.includes(a.use_case)), 'the API gave alerts out of scope');
                if (!api.total) t.expect(await t.page.locator('[data-list] [data-empty]').isVisible(), 'no alert, and no sentence saying so');
            });
            // Every state, one use case: the same as the API's.
            await t.page.selectOption('#f-state', '');
            await t.page.selectOption('#f-use-case', scope[scope.length - 1]);
            await t.page.click('[data-filters] button[type="submit"]');
            await settle(async (i) => {
                if (i > 1) await t.page.click('[data-filters] button[type="submit"]');
                await t.page.waitForFunction(() => !new URL(location.href).searchParams.has('offset'));
                await sleep(300);
                const api = await t.api(`/v1/alerts?use_case=${scope[scope.length - 1]}&limit=25`, { key });
                const total = Number(await t.page.locator('[data-list]').getAttribute('data-total'));
                t.expect(total === api.total, `filtered: page ${total}, API ${api.total}`);
                t.expect(JSON.stringify(await rowIds(t)) === JSON.stringify(api.items.map((a) => a.id)), 'filtered ids differ');
                t.expect(new URL(t.page.url()).searchParams.get('state') === 'toutes', 'the filter is not kept in the address');
                // The next page, when there is one.
                if (api.total > 25) {
                    await t.page.click('[data-page-next]');
                    await t.page.waitForFunction(() => new URL(location.href).searchParams.get('offset') === '25');
                    await sleep(300);
                    const next = await t.api(`/v1/alerts?use_case=${scope[scope.length - 1]}&limit=25&offset=25`, { key });
                    t.expect(JSON.stringify(await rowIds(t)) === JSON.stringify(next.items.map((a) => a.id)), 'page 2 ids differ');
                    await t.page.click('[data-page-prev]');
                }
            });
            // Back to the default view for the screenshots.
            await t.page.click('[data-filters-reset]');
            await sleep(500);
        },
    },
    {
        name: 'supervision alertes : acquitter une alerte ouverte avec un commentaire, l’API le montre',
        path: '/supervision/alertes', key: 'directorate', shot: 'supervision-alerte-detail', axe: true, phone: true,
        async run(t) {
            const { key, alert } = await keyWithOpenAlert(t);
            await useKey(t, key);
            await t.page.goto(`/supervision/alertes?state=open&alerte=${alert.id}`);
            await t.ready();
            const title = await t.page.locator('[data-detail-title]').textContent();
            t.expect(title.includes(`n° ${alert.id}`), `detail title "${title}"`);
            const comment = `Vérifié sur place (test navigateur ${Date.now()})`;
            await t.page.fill('#commentaire', comment);
            await t.page.click('[data-action="ack"]');
            await t.page.locator('[data-detail-message]').waitFor();
            const msg = await t.page.locator('[data-detail-message]').textContent();
            t.expect(msg.includes(`Alerte n° ${alert.id} acquittée`), `message "${msg}"`);
            const after = await t.api(`/v1/alerts/${alert.id}`, { key });
            t.expect(after.state === 'acknowledged', `API state ${after.state}`);
            t.expect(after.ack_comment === comment, `API ack_comment "${after.ack_comment}"`);
            const ev = after.events.find((e) => e.kind === 'acknowledged');
            t.expect(ev && ev.comment === comment, `API events ${JSON.stringify(after.events)}`);
            const shown = await t.page.locator('[data-detail] table').textContent();
            t.expect(shown.includes(comment) && shown.includes('Acquittement'), 'the history in the page lacks the acknowledgement');
            t.expect(await t.page.locator('[data-detail]').getAttribute('data-state') === 'acknowledged', 'the detail does not say acknowledged');
        },
    },
    {
        name: 'supervision alertes : un acquittement fait ailleurs arrive en direct dans la liste',
        path: '/supervision/alertes', key: 'directorate',
        async run(t) {
            const { key, alert } = await keyWithOpenAlert(t);
            await useKey(t, key);
            await t.page.goto(`/supervision/alertes?state=unresolved&use_case=${alert.use_case}&dev_eui=${alert.dev_eui}`);
            await t.ready();
            await t.page.waitForFunction(() => document.querySelector('[data-live-status]').classList.contains('live-dot'), null, { timeout: 15000 })
                .catch(() => { throw new Error('the live stream never opened'); });
            const row = t.page.locator(`[data-list] tr[data-alert-id="${alert.id}"]`);
            t.expect(await row.count() === 1, `alert ${alert.id} is not listed`);
            t.expect(squash(await row.textContent()).includes('Ouverte'), 'the row does not say open');
            await t.api(`/v1/alerts/${alert.id}/ack`, { key, method: 'POST', body: { comment: 'acquittée hors de la page (test du direct)' } });
            await t.page.waitForFunction((id) => {
                const tr = document.querySelector(`[data-list] tr[data-alert-id="${id}"]`);
                return tr && tr.textContent.includes('Acquittée');
            }, alert.id, { timeout: 20000 }).catch(() => { throw new Error('the acknowledgement never reached the page live'); });
        },
    },
    {
        name: 'supervision alertes : une alerte ouverte annoncée par le flux est marquée « Nouvelle » et annoncée',
        path: '/supervision/alertes', key: 'directorate',
        async run(t) {
            const { key, alert: oldest } = await keyWithOpenAlert(t);
            await useKey(t, key);
            const newest = (await t.api('/v1/alerts?state=open&limit=1', { key })).items[0] || oldest;
            // The stream says "opened" for the newest open alert, as the engine would have.
            const event = { alert_id: newest.id, event: 'opened', state: 'open', severity: newest.severity, use_case: newest.use_case,
                dev_eui: newest.dev_eui, rule: newest.rule, message: newest.title, value: newest.value, time: newest.opened_at, actor: 'mue-alerts', comment: '' };
            await t.page.route('**/v1/live**', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream',
                body: `:\n\nevent: measurement\ndata: {"dev_eui":"x"}\n\nevent: alert\r\ndata: ${JSON.stringify(event)}\r\n\r\n` }));
            await t.page.goto('/supervision/alertes?state=open');
            await t.ready();
            const row = t.page.locator(`[data-list] tr[data-alert-id="${newest.id}"]`);
            await t.page.waitForFunction((id) => document.querySelector(`[data-list] tr[data-alert-id="${id}"].row-new`), newest.id, { timeout: 10000 })
                .catch(() => { throw new Error(`alert ${newest.id} was not marked new`); });
            t.expect((await row.textContent()).includes('Nouvelle'), 'the row does not say "Nouvelle"');
            t.expect(Number(await t.page.locator('[data-list] tbody tr').first().getAttribute('data-alert-id')) === newest.id, 'the new alert is not at the top');
            await t.page.waitForFunction(() => (document.getElementById('annonces') || {}).textContent?.startsWith('Nouvelle alerte'), null, { timeout: 5000 })
                .catch(() => { throw new Error('no announcement for screen readers'); });
        },
    },
    {
        name: 'supervision alertes : acquitter une alerte déjà acquittée dit « déjà acquittée »',
        path: '/supervision/alertes', key: 'directorate', expectErrors: ['409'],
        async run(t) {
            const { key, alert } = await keyWithOpenAlert(t);
            await useKey(t, key);
            // The page must not hear of the change: its live stream is answered empty (it retries).
            await t.page.route('**/v1/live**', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body: ':\n\n' }));
            await t.page.goto(`/supervision/alertes?alerte=${alert.id}`);
            await t.ready();
            t.expect(await t.page.locator('[data-action="ack"]').count() === 1, 'no acknowledge button on an open alert');
            await t.api(`/v1/alerts/${alert.id}/ack`, { key, method: 'POST', body: {} });
            await t.page.click('[data-action="ack"]');
            await t.page.locator('[data-detail-message]').waitFor();
            const msg = await t.page.locator('[data-detail-message]').textContent();
            t.expect(msg.includes('déjà acquittée'), `message "${msg}"`);
            t.expect(await t.page.locator('[data-detail]').getAttribute('data-state') === 'acknowledged', 'the detail was not read again');
        },
    },

    // ---- devices ----
    {
        name: 'supervision équipements : le tableau est celui de /v1/devices',
        path: '/supervision/equipements', key: 'directorate', shot: 'supervision-equipements', axe: true, phone: true,
        async run(t) {
            const key = t.keys.directorate;
            const api = await t.api('/v1/devices?limit=1000', { key });
            const shown = Number(await t.page.locator('[data-devices]').getAttribute('data-shown'));
            const rows = await t.page.locator('[data-devices] tbody tr').count();
            t.expect(shown === api.total && rows === api.total, `page ${shown}/${rows} rows, API ${api.total}`);
            const pageEuis = await t.page.$$eval('[data-devices] tbody tr', (trs) => trs.map((tr) => tr.dataset.eui).sort());
            t.expect(JSON.stringify(pageEuis) === JSON.stringify(api.items.map((d) => d.dev_eui).sort()), 'the devices differ from the API\'s');
            // A device's battery, as the API gives it (read again if it reported meanwhile).
            const withBattery = api.items.find((d) => d.health.battery && d.health.battery.unit === '%');
            t.expect(withBattery, 'no device of the scope reports a battery percentage');
            await settle(async () => {
                const now = await t.api(`/v1/devices/${withBattery.dev_eui}`, { key });
                const cell = squash(await t.page.locator(`tr[data-eui="${withBattery.dev_eui}"] [data-col="battery"]`).textContent());
                const want = [withBattery, now].map((d) => squash(`${fr(0).format(d.health.battery.value)} %`));
                t.expect(want.some((w) => cell.startsWith(w)), `battery "${cell}", API ${want}`);
            });
            // The state filter: as many rows as the API has devices in that state.
            for (const st of ['late', 'ok']) {
                await t.page.selectOption('#f-state', st);
                await settle(async () => {
                    const fresh = await t.api('/v1/devices?limit=1000', { key });
                    const want = fresh.items.filter((d) => d.health.status === st).length;
                    const n = Number(await t.page.locator('[data-devices]').getAttribute('data-shown'));
                    const words = await t.page.$$eval('[data-devices] [data-col="state"]', (cs) => [...new Set(cs.map((c) => c.textContent))]);
                    t.expect(Math.abs(n - want) <= 1, `${st}: page ${n}, API ${want}`);
                    t.expect(n === 0 || (words.length === 1 && words[0] === (st === 'ok' ? 'En service' : 'En retard')), `${st}: states shown ${words}`);
                });
            }
            await t.page.selectOption('#f-state', '');
            // The search by DevEUI finds exactly that device.
            await t.page.fill('#f-search', withBattery.dev_eui);
            t.expect(await t.page.locator('[data-devices] tbody tr').count() === 1, 'the search by DevEUI does not give one row');
            await t.page.fill('#f-search', '');
        },
    },
    {
        name: 'supervision équipements : les lettres mortes sont celles de l’API',
        path: '/supervision/equipements', key: 'admin',
        async run(t) {
            const key = t.keys.admin;
            await settle(async (i) => {
                if (i > 1) await reloadReady(t);
                const api = await t.api('/v1/deadletters?limit=500', { key });
                const box = t.page.locator('[data-deadletters]');
                if (!api.items.length) {
                    t.expect(await box.locator('[data-empty]').isVisible(), 'the API has no dead letter and the page does not say so');
                    return;
                }
                const seqs = await t.page.$$eval('[data-deadletters] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.seq)));
                const want = api.items.slice(0, 50).map((d) => d.seq);
                t.expect(JSON.stringify(seqs) === JSON.stringify(want), `dead letters ${seqs.slice(0, 5)}… vs API ${want.slice(0, 5)}…`);
                const first = squash(await box.locator('tbody tr').first().textContent());
                t.expect(first.includes(squash(api.items[0].reason)), `the first reason is not shown: ${first}`);
                // The count per device in the table.
                const counts = new Map();
                for (const d of api.items) if (d.dev_eui) counts.set(d.dev_eui, (counts.get(d.dev_eui) || 0) + 1);
                for (const [eui, n] of counts) {
                    const cell = t.page.locator(`tr[data-eui="${eui}"] [data-col="dead"]`);
                    if (await cell.count()) t.expect(squash(await cell.textContent()) === String(n), `${eui}: ${await cell.textContent()} dead letters shown, API ${n}`);
                }
            });
        },
    },

    // ---- lighting ----
    {
        name: 'supervision éclairage : l’exploitant enregistre une dérogation, l’API l’a et l’aperçu la montre',
        path: '/supervision/eclairage', key: 'operator', shot: 'supervision-eclairage', axe: true, phone: true,
        async run(t) {
            const key = t.keys.operator;
            const group = await lightingGroup(t);
            const level = 11 + (Date.now() % 17); // 11..27: unlike any program's level
            const comment = `test navigateur ${Date.now()}`;
            try {
                await overrideFromPage(t, group, level, comment);
            } finally {
                // Whatever happened, no test override is left dimming the lamps.
                const left = await t.api('/v1/lighting/overrides?active=true', { key }).catch(() => ({ overrides: [] }));
                for (const o of left.overrides.filter((x) => x.comment === comment))
                    await t.api(`/v1/lighting/overrides/${o.id}/cancel`, { key, method: 'POST', body: {} }).catch(() => {});
            }
        },
    },
    {
        name: 'supervision éclairage : l’exploitant change un palier d’un programme, l’API rend le programme changé',
        path: '/supervision/eclairage', key: 'operator',
        async run(t) {
            const key = t.keys.operator;
            const id = `web-test-${Date.now()}`;
            await t.api(`/v1/lighting/programs/${id}`, { key, method: 'PUT', body: {
                id, activePeriods: [{ name: 'AstroClockActivePeriod', sunsetOffset: 0, sunriseOffset: 0 }],
                fixedTimeControls: [{ startTime: '05:30:00', command: { state: { name: 'LevelState', value: 100 } } },
                    { startTime: '23:00:00', command: { state: { name: 'LevelState', value: 50 } } }] } });
            try {
                await editProgram(t, id);
            } finally {
                await t.api(`/v1/lighting/programs/${id}`, { key, method: 'DELETE' }).catch(() => {});
            }
        },
    },
    {
        name: 'supervision éclairage : l’exploitant crée un calendrier de règles, l’API le rend tel quel',
        path: '/supervision/eclairage', key: 'operator',
        async run(t) {
            const key = t.keys.operator;
            const program = (await t.api('/v1/lighting/programs', { key })).programs[0]?.id;
            t.expect(program, 'no program to name in a calendar: the stack must have one (demo: cp-metropole)');
            const id = `web-cal-${Date.now()}`;
            try {
                await makeCalendar(t, id, program);
            } finally {
                // Whatever happened, the stack keeps no test calendar.
                await t.api(`/v1/lighting/calendars/${id}`, { key, method: 'DELETE' }).catch(() => {});
            }
        },
    },
    {
        name: 'supervision éclairage : un programme utilisé par un calendrier n’est pas supprimé (409)',
        path: '/supervision/eclairage', key: 'operator', expectErrors: ['409'],
        async run(t) {
            const key = t.keys.operator;
            const cals = (await t.api('/v1/lighting/calendars', { key })).calendars;
            const used = cals.flatMap((c) => [c.defaultProgram, ...(c.rules || []).map((r) => r.program)]).find(Boolean);
            t.expect(used, 'no calendar names a program: the stack must have one (demo: cal-metropole)');
            await t.page.click(`[data-programs] tr[data-program="${used}"] button[aria-label="Supprimer le programme ${used}"]`);
            await t.page.click('.sup-confirm button.danger');
            const status = t.page.locator('[data-program-list-status].sup-status-error');
            await status.waitFor({ timeout: 15000 });
            const text = await status.textContent();
            t.expect(text.includes('est utilisé'), `message "${text}"`);
            const still = (await t.api('/v1/lighting/programs', { key })).programs.map((x) => x.id);
            t.expect(still.includes(used), `${used} was deleted`);
        },
    },
    {
        name: 'supervision éclairage : une direction sans l’éclairage n’a pas l’éditeur',
        path: '/supervision/eclairage', key: 'directorate', shot: 'supervision-eclairage-refus', axe: true, phone: true,
        async run(t) {
            const me = await t.api('/v1/me', { key: t.keys.directorate });
            t.expect(!(me.use_cases || '').includes('lighting'), `the harness's directorate key holds lighting (${me.use_cases})`);
            let refused = false;
            try { await t.api('/v1/lighting/programs', { key: t.keys.directorate }); } catch { refused = true; }
            t.expect(refused, 'the API lets this directorate read the lighting programs');
            t.expect(await t.page.locator('[data-mode]').isVisible(), 'no sentence saying why there is no editor');
            t.expect(!(await t.page.locator('[data-lighting]').isVisible()), 'the editor is shown');
            t.expect(await t.page.locator('form[data-override-form]:visible, [data-program-form]').count() === 0, 'a lighting form is visible');
            t.expect(!(await t.page.locator('.site-nav a[href="/supervision/eclairage"]').isVisible()), 'the menu still offers the lighting editor');
        },
    },
];
