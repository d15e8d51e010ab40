// lib.mjs - what a page test sees (t): its browser page, opened on test.path and ready, the API
// to compare figures with, the keys, checks, screenshots, the accessibility check and the phone
// check. Every request the page makes is watched: a console error, an uncaught exception, a
// failed request or an HTTP error answer fails the test, unless the test says it expects it.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 375, height: 740 };

export async function makeContext(browser, { base, out, keys, test }) {
    const context = await browser.newContext({
        baseURL: base,
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
        viewport: { width: 1280, height: 900 },
        bypassCSP: true, // lets axe-core be injected; the site's own CSP is tested on its headers
        acceptDownloads: true,
    });
    const page = await context.newPage();
    const problems = [];
    const expected = test.expectErrors || []; // substrings of problems the test provokes on purpose
    const note = (p) => { if (!expected.some((s) => p.includes(s))) problems.push(p); };
    page.on('console', (m) => { if (m.type() === 'error') note(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => note(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => {
        const why = r.failure() ? r.failure().errorText : '';
        if (why.includes('ERR_ABORTED')) return; // a stream or fetch the page itself ended
        note(`request failed: ${r.url()} ${why}`);
    });
    page.on('response', (r) => { if (r.status() >= 400) note(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });

    const t = {
        page, base, keys, test, extraResults: [],

        // The API as a client of it, to compare what the page shows with what the API answers. A
        // GET whose connection fails (a loaded machine) is tried once more; an HTTP error is not.
        async api(path, { key, method = 'GET', body } = {}) {
            const headers = { Accept: 'application/json' };
            if (key) headers.Authorization = `Bearer ${key}`;
            if (body !== undefined) headers['Content-Type'] = 'application/json';
            const send = () => fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
            const res = await send().catch(async (e) => {
                if (method !== 'GET') throw e;
                await new Promise((r) => setTimeout(r, 1000));
                return send();
            });
            const text = await res.text();
            if (!res.ok) throw new Error(`API ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
            return text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
        },

        expect(cond, what) {
            if (!cond) throw new Error(what);
        },

        // Waits until the page's script says it has drawn its data (html[data-ready]).
        // 30 s: a 3D page's first frame compiles its shaders in software (SwiftShader).
        async ready(timeout = 30000) {
            await page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout })
                .catch(() => { throw new Error('the page never set html[data-ready]'); });
            const state = await page.evaluate(() => document.documentElement.dataset.ready);
            if (state !== 'true') throw new Error(`the page reports data-ready="${state}"`);
        },

        async open(path = test.path) {
            if (test.key) {
                const key = keys[test.key];
                if (!key) throw new Error(`no key for ${test.key} (MUE_WEB_KEY_${test.key.toUpperCase()})`);
                await context.addInitScript((k) => sessionStorage.setItem('mue.apiKey', k), key);
            }
            if (!path) return;
            const res = await page.goto(path, { waitUntil: 'load' });
            if (!res || res.status() !== 200) throw new Error(`GET ${path}: ${res ? res.status() : 'no answer'}`);
            if (test.ready !== false) await t.ready();
        },

        async screenshot(name = test.shot) {
            await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
        },

        // axe-core over the page as it is now: no serious or critical violation of WCAG 2.1 A/AA.
        async axe() {
            await page.addScriptTag({ path: AXE });
            const res = await page.evaluate(async () => window.axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            }));
            const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            return bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        },

        // A phone's screen: nothing wider than the screen, a screenshot.
        async phone(name) {
            await page.setViewportSize(PHONE);
            await page.waitForTimeout(300);
            const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            await page.screenshot({ path: join(out, `${name}-telephone.png`), fullPage: true });
            await page.setViewportSize({ width: 1280, height: 900 });
            return over;
        },

        async finish() {
            if (problems.length) throw new Error(problems.slice(0, 5).join(' | '));
            if (test.shot) await t.screenshot();
            if (test.axe) {
                const bad = await t.axe();
                t.extraResults.push([`${test.path} has no serious accessibility violation (axe-core, WCAG 2.1 AA)`,
                    bad.length ? bad.join('; ') : null]);
            }
            if (test.phone) {
                const over = await t.phone(test.shot || test.path.replace(/\W+/g, '_'));
                t.extraResults.push([`${test.path} fits a phone's screen (375 px)`, over > 1 ? `${over} px wider than the screen` : null]);
            }
            if (problems.length) throw new Error(problems.slice(0, 5).join(' | '));
        },

        async screenshotOnFailure() {
            await page.screenshot({ path: join(out, `ECHEC-${test.name.replace(/\W+/g, '_').slice(0, 60)}.png`), fullPage: true });
        },

        async close() {
            await context.close();
        },
    };
    return t;
}
