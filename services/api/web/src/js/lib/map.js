// map.js - the map of the metropolis: Leaflet with no tile layer (the site works offline), the 92
// communes as the base layer, the sensors as circle markers coloured by state or by value with a
// legend in words, reachable with the keyboard; and beside it the list of the same sensors as a
// table, the map's text alternative (RGAA 1.3 / 4.1).
import L from 'leaflet';
import { h, table } from './dom.js';
import { when } from './format.js';
import { inPolygon } from './geo.js';
import { STATES } from './usecases.js';

let communesOnce = null;

// The communes' GeoJSON (properties code INSEE, nom), fetched once per page.
export function loadCommunes() {
    if (!communesOnce) {
        communesOnce = fetch('/assets/geo/communes.geojson').then((r) => {
            if (!r.ok) throw new Error(`carte des communes : HTTP ${r.status}`);
            return r.json();
        });
    }
    return communesOnce;
}

// The commune's name at a position, or null outside the metropolis: waste containers have no
// site, so their commune is found from where they stand.
export function communeAt(communes, lat, lon) {
    if (lat === null || lon === null || lat === undefined || lon === undefined) return null;
    for (const f of communes.features) {
        const g = f.geometry;
        const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
        if (polys.some((p) => inPolygon(p, lon, lat))) return f.properties.nom;
    }
    return null;
}

const stateWord = (st) => (STATES[st] ? STATES[st].label : st);

const STYLE_BY_STATE = {
    ok: { fillOpacity: 0.9, dashArray: null, weight: 2 },
    late: { fillOpacity: 0.55, dashArray: '3 3', weight: 3 },
    silent: { fillOpacity: 0.1, dashArray: null, weight: 3 },
};

// Draws the map into 'box' (a .map-block element, emptied) and returns {update}.
// options: label (the map's name), sensors [{id, name, lat, lon, state, colour, word,
// details: [text...]}], legend {title, items [{key, label, colour}]} (colours with their words),
// onActivate(sensor) when a marker is clicked or Enter'd, columns for the table beyond name and
// state: [{label, value(sensor)}], fitSensors to frame the sensors rather than the metropolis.
export async function sensorMap(box, { label, sensors, legend, onActivate, columns = [], listTitle, fitSensors = false }) {
    const communes = await loadCommunes();
    const listId = `${box.id || 'carte'}-liste`;
    const mapEl = h('div', {
        class: 'map', role: 'region', 'aria-label': label,
        'aria-describedby': `${listId}-aide`,
    });
    const help = h('p', { id: `${listId}-aide`, class: 'hint' },
        'Carte : déplacez-la avec les flèches et zoomez avec + et − une fois qu’elle a le focus ; ',
        'chaque capteur est atteignable avec la touche Tab. Les mêmes informations sont dans la liste qui suit.');
    const skip = h('a', { class: 'skip-map', href: `#${listId}` }, 'Passer la carte et aller à la liste des capteurs');
    const legendEl = h('div', { class: 'map-legend' });
    const listBox = h('details', { class: 'data-table sensor-list', id: listId });
    box.replaceChildren(skip, help, mapEl, legendEl, listBox);

    const map = L.map(mapEl, {
        renderer: L.svg({ padding: 0.5 }),
        zoomSnap: 0.25,
        attributionControl: false,
        zoomControl: false,
        scrollWheelZoom: false,
        keyboard: true,
    });
    L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer', position: 'topright' }).addTo(map);
    const base = L.geoJSON(communes, {
        style: { className: 'commune', color: '#6b7780', weight: 1, fillColor: '#f7f9fa', fillOpacity: 1 },
        onEachFeature: (f, layer) => layer.bindTooltip(() => h('span', {}, f.properties.nom), { sticky: true, className: 'commune-tip' }),
    }).addTo(map);
    map.fitBounds(base.getBounds(), { padding: [8, 8] });
    // The commune outlines are scenery, not tab stops (the sensors are). Chromium makes an SVG
    // shape with focus listeners (the tooltip's) a tab stop unless its tabindex says otherwise.
    base.eachLayer((l) => {
        const el = l.getElement();
        if (!el) return;
        el.setAttribute('aria-hidden', 'true');
        el.setAttribute('tabindex', '-1');
    });

    const markers = new Map();
    const sensorsLayer = L.featureGroup().addTo(map);
    const tipOf = (s) => h('div', { class: 'sensor-tip' },
        h('strong', {}, s.name), h('br'), s.word, ...(s.details || []).flatMap((d) => [h('br'), d]));
    const place = (s) => {
        if (s.lat === null || s.lon === null || s.lat === undefined || s.lon === undefined) return;
        const m = L.circleMarker([s.lat, s.lon], { radius: 7, className: 'sensor', color: '#1e1e1e' });
        m.bindTooltip(() => tipOf(markers.get(s.id).sensor), { direction: 'top', offset: [0, -6] });
        m.addTo(sensorsLayer);
        const el = m.getElement();
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', onActivate ? 'button' : 'img');
        el.dataset.sensor = s.id;
        if (onActivate) {
            m.on('click', () => onActivate(markers.get(s.id).sensor));
            el.addEventListener('keydown', (e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onActivate(markers.get(s.id).sensor);
                }
            });
        }
        markers.set(s.id, { marker: m, sensor: s });
        style(s.id);
    };
    const style = (id) => {
        const { marker, sensor } = markers.get(id);
        const st = STYLE_BY_STATE[sensor.state] || STYLE_BY_STATE.ok;
        marker.setStyle({ fillColor: sensor.colour, color: sensor.state === 'ok' ? '#1e1e1e' : sensor.colour, ...st });
        const el = marker.getElement();
        el.setAttribute('aria-label', `${sensor.name} : ${sensor.word}`);
        el.dataset.state = sensor.state;
    };
    sensors.forEach(place);
    if (fitSensors && markers.size > 0) map.fitBounds(sensorsLayer.getBounds().pad(0.25), { maxZoom: 12 });

    const drawLegend = () => {
        const counts = new Map();
        for (const { sensor } of markers.values()) counts.set(sensor.legendKey, (counts.get(sensor.legendKey) || 0) + 1);
        legendEl.replaceChildren(
            h('p', { class: 'legend-title' }, legend.title),
            h('ul', { class: 'legend-items' }, legend.items.map((it) => h('li', {},
                h('span', { class: `swatch swatch-${it.shape || 'ok'}`, style: `--swatch: ${it.colour}`, 'aria-hidden': 'true' }),
                `${it.label} : ${counts.get(it.key) || 0}`))),
            h('p', { class: 'hint' }, 'Contour pointillé : capteur en retard ; cercle vide : capteur silencieux.'));
    };
    const drawList = () => {
        const all = [...sensors];
        listBox.replaceChildren(
            h('summary', {}, `${listTitle || 'Liste des capteurs de la carte'} (${all.length})`),
            table(listTitle || 'Capteurs de la carte', [
                { label: 'Capteur', header: true },
                ...columns.map((c) => ({ label: c.label, num: c.num })),
                { label: 'État' },
                { label: 'Dernière mesure' },
                { label: 'Position' },
            ], all.map((s) => [
                s.name,
                ...columns.map((c) => c.value(s)),
                h('span', { class: `state state-${s.state}` }, stateWord(s.state)),
                when(s.lastSeen),
                s.lat === null || s.lat === undefined ? 'non renseignée' : `${s.lat.toFixed(4)}, ${s.lon.toFixed(4)}`,
            ])));
        const rows = listBox.querySelectorAll('tbody tr');
        all.forEach((s, i) => { rows[i].dataset.sensor = s.id; });
    };
    drawLegend();
    drawList();

    return {
        // Replaces what is known of a sensor (state, colour, word, details, lastSeen) in place.
        update(id, changes) {
            const entry = markers.get(id);
            const s = sensors.find((x) => x.id === id);
            if (!s) return;
            Object.assign(s, changes);
            if (entry) {
                entry.sensor = s;
                style(id);
            }
            drawLegend();
            const row = listBox.querySelector(`tr[data-sensor="${CSS.escape(id)}"]`);
            if (row) {
                const cells = row.children;
                const stateCell = cells[1 + columns.length];
                stateCell.replaceChildren(h('span', { class: `state state-${s.state}` }, stateWord(s.state)));
                cells[2 + columns.length].textContent = when(s.lastSeen);
                columns.forEach((c, i) => {
                    const v = c.value(s);
                    cells[1 + i].replaceChildren(v instanceof Node ? v : document.createTextNode(String(v)));
                });
            }
        },
    };
}
