// build.mjs - builds the public site and the supervisor pages into one folder that mue-api serves:
// pages wrapped in their layout, one bundled script per page, one style sheet, the communes' map.
// Usage: node build.mjs OUT_DIR
import { build } from 'esbuild';
import { mkdir, readFile, readdir, rename, rm, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dest = process.argv[2];
// Built beside the destination, then swapped in: mue-api never serves a half-built site.
const out = `${dest}.building-${process.pid}`;
if (!dest) {
    console.error('usage: node build.mjs OUT_DIR');
    process.exit(2);
}

async function filesUnder(dir, ext) {
    const found = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) found.push(...(await filesUnder(p, ext)));
        else if (e.name.endsWith(ext)) found.push(p);
    }
    return found.sort();
}

// A page starts with "<!-- key: value -->" lines (title, description, script, layout); the rest
// is its <main>, or with "template: NAME" what fills {{body}} of src/partials/NAME.html, whose
// other {{key}} take the page's values of the same keys (the use cases' pages share one).
function parsePage(text, file) {
    const meta = {};
    let rest = text;
    for (;;) {
        const m = /^\s*<!--\s*([a-z]+):\s*(.*?)\s*-->\n?/.exec(rest);
        if (!m) break;
        meta[m[1]] = m[2];
        rest = rest.slice(m[0].length);
    }
    for (const k of ['title', 'description', 'script'])
        if (!meta[k]) throw new Error(`${file}: missing <!-- ${k}: ... -->`);
    return { meta, body: rest };
}

// Fills a page template: {{key}} from the page's metadata (our own HTML, not escaped).
function fillTemplate(template, meta, body, file) {
    return template.replace(/^<!--.*?-->\n/, '').replace(/\{\{([a-z]+)\}\}/g, (m, k) => {
        if (k === 'body') return body.trim();
        if (meta[k] === undefined) throw new Error(`${file}: the template needs <!-- ${k}: ... -->`);
        return meta[k];
    });
}

// The URL a page answers at: index.html is its folder, the others drop ".html".
function urlOf(rel) {
    const noExt = '/' + rel.replace(/\.html$/, '');
    return noExt.endsWith('/index') ? noExt.slice(0, -'index'.length) : noExt;
}

function markCurrent(nav, url) {
    return nav.replace(/<a href="([^"]*)"/g, (a, href) =>
        href === url ? `<a href="${href}" aria-current="page"` : a);
}

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

async function buildPages() {
    const layouts = {};
    for (const name of ['public', 'supervision', 'display'])
        layouts[name] = await readFile(join(src, 'partials', `${name}.html`), 'utf8');
    const scripts = new Set();
    for (const file of await filesUnder(join(src, 'pages'), '.html')) {
        const rel = relative(join(src, 'pages'), file);
        const page = parsePage(await readFile(file, 'utf8'), rel);
        const { meta } = page;
        const body = meta.template
            ? fillTemplate(await readFile(join(src, 'partials', `${meta.template}.html`), 'utf8'), meta, page.body, rel)
            : page.body;
        if (!body.includes('id="contenu"')) throw new Error(`${rel}: its <main> needs id="contenu"`);
        const url = urlOf(rel);
        const layout = layouts[meta.layout || 'public'];
        if (!layout) throw new Error(`${rel}: unknown layout ${meta.layout}`);
        scripts.add(meta.script);
        const html = markCurrent(layout, url)
            .replaceAll('{{title}}', escapeAttr(meta.title))
            .replaceAll('{{description}}', escapeAttr(meta.description))
            .replaceAll('{{script}}', meta.script)
            .replaceAll('{{url}}', url)
            .replace('{{body}}', () => body.trim());
        await mkdir(dirname(join(out, rel)), { recursive: true });
        await writeFile(join(out, rel), html);
    }
    return scripts;
}

async function main() {
    await rm(out, { recursive: true, force: true });
    await mkdir(join(out, 'assets', 'geo'), { recursive: true });
    const scripts = await buildPages();
    const entries = [...scripts].map((s) => join(src, 'js', 'pages', `${s}.js`));
    await build({
        entryPoints: entries,
        outdir: join(out, 'assets', 'js'),
        bundle: true,
        minify: true,
        sourcemap: true,
        format: 'esm',
        target: ['es2020'],
        legalComments: 'linked',
        logLevel: 'warning',
    });
    await build({
        entryPoints: [join(src, 'css', 'site.css')],
        outdir: join(out, 'assets'),
        bundle: true,
        minify: true,
        loader: { '.png': 'file', '.svg': 'file' },
        assetNames: 'img/[name]-[hash]',
        logLevel: 'warning',
    });
    const geo = join(here, '..', '..', '..', 'deploy', 'data', 'geo');
    await copyFile(join(geo, 'amp-communes.geojson'), join(out, 'assets', 'geo', 'communes.geojson'));
    await copyFile(join(src, 'favicon.svg'), join(out, 'assets', 'favicon.svg'));
    const old = `${dest}.old-${process.pid}`;
    await rename(dest, old).catch(() => {});
    await rename(out, dest);
    await rm(old, { recursive: true, force: true });
    console.log(`web: ${entries.length} scripts, site in ${dest}`);
}

main().catch(async (e) => {
    await rm(out, { recursive: true, force: true });
    console.error(`web build: ${e.message}`);
    process.exit(1);
});
