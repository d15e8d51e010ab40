// geo.js - plane geometry shared by the map and the 3D view: whether a point lies in a polygon
// (rings of [x, y], the first the outline, the others its holes).

// Whether [x, y] lies inside the ring (even-odd crossing rule).
export function inRing(ring, x, y) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
}

// Inside the outline and in none of its holes (the Étang de Berre is a hole of the metropolis).
export function inPolygon(rings, x, y) {
    return inRing(rings[0], x, y) && !rings.slice(1).some((hole) => inRing(hole, x, y));
}
