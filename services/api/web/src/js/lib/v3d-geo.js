// v3d-geo.js - the communes of the 3D view on a flat map in kilometres around the metropolis'
// centre, and which commune holds a point. Pure (no three.js), so the table of sensors can name
// their commune even where WebGL is missing.
import { inPolygon, inRing } from './geo.js';

const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR = 111.32;

// A local equirectangular projection around (lon0, lat0): over the metropolis' 90 km its error
// stays well below the width of a column, and it keeps east-west and north-south in kilometres.
export function projection(lon0, lat0) {
    const kx = KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
    return (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * KM_PER_DEGREE_LAT];
}

function polygonsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === 'Polygon') return [geometry.coordinates];
    if (geometry.type === 'MultiPolygon') return geometry.coordinates;
    return [];
}

// Twice the signed area and the centroid of a ring of [x, y] points (shoelace formula).
function ringAreaCentroid(ring) {
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += cross;
        cx += (ring[j][0] + ring[i][0]) * cross;
        cy += (ring[j][1] + ring[i][1]) * cross;
    }
    return a === 0 ? { area: 0, x: ring[0][0], y: ring[0][1] } : { area: Math.abs(a / 2), x: cx / (3 * a), y: cy / (3 * a) };
}

// The communes of a GeoJSON FeatureCollection ({code, nom} properties), projected around the
// centre of their bounding box: {centre: [lon, lat], project, communes: [{code, nom, polygons:
// [[outer ring, ...holes]] of [x, y] km, centre: [x, y] of its largest part}]}. Features without
// an area are skipped.
export function loadCommunes(geojson) {
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    const features = (geojson && geojson.features) || [];
    for (const f of features)
        for (const poly of polygonsOf(f.geometry))
            for (const [lon, lat] of poly[0] || []) {
                minLon = Math.min(minLon, lon);
                maxLon = Math.max(maxLon, lon);
                minLat = Math.min(minLat, lat);
                maxLat = Math.max(maxLat, lat);
            }
    if (!Number.isFinite(minLon)) throw new Error('le fond de carte des communes est vide');
    const centre = [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
    const project = projection(centre[0], centre[1]);
    const communes = [];
    for (const f of features) {
        const polygons = polygonsOf(f.geometry)
            .filter((poly) => poly.length > 0 && poly[0].length >= 4)
            .map((poly) => poly.map((ring) => ring.map(([lon, lat]) => project(lon, lat))));
        if (polygons.length === 0) continue;
        const largest = polygons
            .map((poly) => ({ poly, ...ringAreaCentroid(poly[0]) }))
            .sort((a, b) => b.area - a.area)[0];
        communes.push({
            code: String(f.properties && f.properties.code),
            nom: String((f.properties && f.properties.nom) || ''),
            polygons,
            centre: inRing(largest.poly[0], largest.x, largest.y) ? [largest.x, largest.y] : interiorPoint(largest.poly[0], largest.y),
        });
    }
    return { centre, project, communes };
}

// A point surely inside a ring whose centroid falls outside it (a crescent): the middle of the
// widest stretch of the horizontal line at 'y' that lies inside.
function interiorPoint(ring, y) {
    const xs = [];
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y)) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
    xs.sort((a, b) => a - b);
    let best = [ring[0][0], ring[0][0]];
    for (let k = 0; k + 1 < xs.length; k += 2)
        if (xs[k + 1] - xs[k] > best[1] - best[0]) best = [xs[k], xs[k + 1]];
    return [(best[0] + best[1]) / 2, y];
}

// The commune holding the point [x, y] (km), or null (the Étang de Berre is in none).
export function communeAt(communes, x, y) {
    for (const c of communes)
        for (const poly of c.polygons)
            if (inPolygon(poly, x, y)) return c;
    return null;
}
