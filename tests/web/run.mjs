// run.mjs - drives Debian's Chromium (playwright-core) through every page test of pages/*.mjs
// against a running stack, checks each page with axe-core, keeps screenshots, and prints one
// "ok - ..." or "not ok - ...: reason" line per check, then "web: N passed, M failed".
//
// Usage: node run.mjs --base http://127.0.0.1:8080 --out DIR [--only SUBSTRING]
// Keys for the supervision come from MUE_WEB_KEY_ADMIN, MUE_WEB_KEY_DIRECTORATE and
// MUE_WEB_KEY_OPERATOR (a test that needs a missing one fails).
import { chromium } from 'playwright-core';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeContext } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
    (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const base = args.base;
const out = args.out || join(here, 'artifacts');
if (!base) {
    console.error('usage: node run.mjs --base URL --out DIR [--only SUBSTRING]');
    process.exit(2);
}

let passed = 0;
let failed = 0;
const ok = (name) => { passed++; console.log(`ok - web: ${name}`); };
const notOk = (name, why) => { failed++; console.log(`not ok - web: ${name}: ${String(why).replace(/\s+/g, ' ').slice(0, 600)}`); };

async function loadTests() {
    const all = [];
    for (const f of (await readdir(join(here, 'pages'))).filter((f) => f.endsWith('.mjs')).sort()) {
        const mod = await import(join(here, 'pages', f));
        for (const t of mod.default) all.push({ ...t, file: f });
    }
    return all.filter((t) => !args.only || t.name.includes(args.only));
}

async function main() {
    const started = Date.now();
    await mkdir(out, { recursive: true });
    const launch = () => chromium.launch({
        executablePath: process.env.MUE_CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'],
    });
    let browser = await launch();
    const keys = {
        admin: process.env.MUE_WEB_KEY_ADMIN,
        directorate: process.env.MUE_WEB_KEY_DIRECTORATE,
        operator: process.env.MUE_WEB_KEY_OPERATOR,
    };
    try {
        for (const test of await loadTests()) {
            // A browser that died (out of memory, a GPU process crash) fails its test, not the rest.
            if (!browser.isConnected()) browser = await launch();
            let t;
            try {
                t = await makeContext(browser, { base, out, keys, test });
            } catch (e) {
                notOk(test.name, `no browser page: ${e.message}`);
                continue;
            }
            try {
                await t.open();
                await test.run(t);
                await t.finish();
                ok(test.name);
            } catch (e) {
                notOk(test.name, e && e.message ? e.message : e);
                await t.screenshotOnFailure().catch(() => {});
            } finally {
                for (const [name, why] of t.extraResults) (why === null ? ok(name) : notOk(name, why));
                await t.close().catch(() => {});
            }
        }
    } finally {
        await browser.close();
    }
    console.log(`# ${Math.round((Date.now() - started) / 1000)} s in the browser; screenshots in ${out}`);
    console.log(`web: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
    console.log(`not ok - web: the browser runs: ${e.message}`);
    console.log('web: 0 passed, 1 failed');
    process.exit(1);
});
