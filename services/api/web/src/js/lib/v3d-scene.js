// v3d-scene.js - the three.js scene of the 3D view: the communes as a low relief with their
// borders, the sensors as columns, a camera the mouse, touch and keyboard move (OrbitControls),
// the commune or column under the pointer named. It draws only when something changed (a frame on
// demand, never a loop), so an idle page costs nothing.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { communeAt } from './v3d-geo.js';

const RELIEF_KM = 0.35;      // height of the communes' relief
const COLUMN_SIDE_KM = 0.6;  // a column's width
const COLUMN_LOW_KM = 0.3;   // the height of the scale's bottom (a column never vanishes)
const COLUMN_HIGH_KM = 10;   // the height of the scale's top
const COMMUNE_COLOUR = 0xdce3e8;
const COMMUNE_LIT = 0xf2b44a;
const BORDER_COLOUR = 0x44525c;
const START = { distance: 92, polarDeg: 50 };
const WIDTH_FOV_DEG = 56;    // the view keeps this horizontal angle, so the map fits a phone too

// Whether this browser can draw WebGL 2 (three.js needs it). Asked of a throw-away canvas, so that
// a missing WebGL is a sentence on the page rather than an error in the console.
export function webglAvailable() {
    try {
        const gl = document.createElement('canvas').getContext('webgl2');
        if (!gl) return false;
        const lose = gl.getExtension('WEBGL_lose_context');
        if (lose) lose.loseContext();
        return true;
    } catch {
        return false;
    }
}

function ringPoints(ring) {
    return ring.map(([x, y]) => new THREE.Vector2(x, y));
}

// The communes' relief (one mesh each, to light the one pointed at) and their borders (one line
// set for all), in the world group's frame: x east, y north, z up, in kilometres.
function buildCommunes(world, communes) {
    const meshes = [];
    const border = [];
    for (const c of communes) {
        const shapes = c.polygons.map((poly) => {
            const shape = new THREE.Shape(ringPoints(poly[0]));
            for (const hole of poly.slice(1)) shape.holes.push(new THREE.Path(ringPoints(hole)));
            return shape;
        });
        const mesh = new THREE.Mesh(
            new THREE.ExtrudeGeometry(shapes, { depth: RELIEF_KM, bevelEnabled: false }),
            new THREE.MeshLambertMaterial({ color: COMMUNE_COLOUR }));
        mesh.userData.commune = c;
        world.add(mesh);
        meshes.push(mesh);
        for (const poly of c.polygons)
            for (const ring of poly)
                for (let i = 1; i < ring.length; i++)
                    border.push(ring[i - 1][0], ring[i - 1][1], RELIEF_KM + 0.01, ring[i][0], ring[i][1], RELIEF_KM + 0.01);
    }
    const lines = new THREE.BufferGeometry();
    lines.setAttribute('position', new THREE.Float32BufferAttribute(border, 3));
    world.add(new THREE.LineSegments(lines, new THREE.LineBasicMaterial({ color: BORDER_COLOUR })));
    return meshes;
}

// Makes the scene in 'viewport' (its canvas appended first) over the communes of v3d-geo.js.
// 'label' is an element shown over the view naming what is pointed at; 'onCamera' hears every
// move of the camera. Returns the view's handle (see the object at the end).
export function createScene(viewport, communes, { label, onCamera = () => {} }) {
    const renderer = new THREE.WebGLRenderer({ antialias: true });
    renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    const canvas = renderer.domElement;
    viewport.prepend(canvas);

    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0xeef3f6);
    scene.add(new THREE.AmbientLight(0xffffff, 1.5));
    const sun = new THREE.DirectionalLight(0xffffff, 2.2);
    sun.position.set(-40, 80, 50);
    scene.add(sun);

    // three.js's y is up: the map is laid in the world group and turned flat, so that the group
    // keeps the map's own frame (x east, y north, z up).
    const world = new THREE.Group();
    world.rotation.x = -Math.PI / 2;
    scene.add(world);
    const communeMeshes = buildCommunes(world, communes);

    const camera = new THREE.PerspectiveCamera(40, 1, 0.1, 2000);
    const polar = (START.polarDeg * Math.PI) / 180;
    camera.position.set(0, START.distance * Math.cos(polar), START.distance * Math.sin(polar));
    const controls = new OrbitControls(camera, canvas);
    controls.enableDamping = false;   // damping needs a frame loop; we draw on demand
    controls.screenSpacePanning = false;
    controls.minDistance = 2;
    controls.maxDistance = 250;
    controls.maxPolarAngle = Math.PI * 0.47;
    controls.target.set(0, 0, 0);
    controls.update();
    controls.saveState();

    let pending = false;
    const draw = () => renderer.render(scene, camera);
    const requestDraw = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
            pending = false;
            draw();
        });
    };
    controls.addEventListener('change', () => {
        requestDraw();
        onCamera();
    });

    const resize = () => {
        const w = Math.max(1, viewport.clientWidth);
        const h = Math.max(1, viewport.clientHeight);
        renderer.setSize(w, h, false);
        camera.aspect = w / h;
        const halfWidth = Math.tan((WIDTH_FOV_DEG * Math.PI) / 360);
        camera.fov = Math.min(75, Math.max(30, (360 / Math.PI) * Math.atan(halfWidth / camera.aspect)));
        camera.updateProjectionMatrix();
        requestDraw();
    };
    new ResizeObserver(resize).observe(viewport);
    resize();

    // ---- the columns ----
    const columnBox = new THREE.BoxGeometry(1, 1, 1).translate(0, 0, 0.5);
    const columnEdges = new THREE.EdgesGeometry(columnBox);
    const edgeMaterial = new THREE.LineBasicMaterial({ color: 0x1e1e1e });
    const columns = new Map(); // dev_eui → {mesh, item}
    let scale = null;

    function shape(col) {
        const v = col.item.value;
        col.mesh.scale.set(COLUMN_SIDE_KM, COLUMN_SIDE_KM, COLUMN_LOW_KM + scale.at(v) * (COLUMN_HIGH_KM - COLUMN_LOW_KM));
        col.mesh.material.color.set(scale.colour(v));
    }

    // Replaces the columns: items [{dev_eui, name, x, y, value, text}] ('text' what the label
    // says of it), drawn on 'newScale'.
    function setColumns(items, newScale) {
        for (const col of columns.values()) {
            world.remove(col.mesh);
            col.mesh.material.dispose();
        }
        columns.clear();
        scale = newScale;
        for (const item of items) {
            const mesh = new THREE.Mesh(columnBox, new THREE.MeshLambertMaterial());
            mesh.add(new THREE.LineSegments(columnEdges, edgeMaterial));
            mesh.position.set(item.x, item.y, RELIEF_KM);
            mesh.userData.column = item;
            const col = { mesh, item };
            shape(col);
            world.add(mesh);
            columns.set(item.dev_eui, col);
        }
        canvas.dataset.columns = String(columns.size);
        requestDraw();
    }

    // A new value for one column; false when no column shows that device.
    function updateColumn(devEui, value, text) {
        const col = columns.get(devEui);
        if (!col) return false;
        col.item.value = value;
        col.item.text = text;
        shape(col);
        requestDraw();
        return true;
    }

    // ---- what is pointed at ----
    let litCommune = null;
    let pointed = null;   // {commune} or {column} under the pointer
    let centred = null;   // the commune at the view's centre, lit while the keyboard drives
    const raycaster = new THREE.Raycaster();

    function light() {
        const want = pointed ? pointed.commune || null : centred;
        if (want === litCommune) return;
        for (const m of communeMeshes)
            m.material.color.set(m.userData.commune === want ? COMMUNE_LIT : COMMUNE_COLOUR);
        litCommune = want;
        if (want) canvas.dataset.lit = want.code;
        else delete canvas.dataset.lit;
        requestDraw();
    }

    function showLabel(text, at) {
        if (!text) {
            label.hidden = true;
            return;
        }
        label.textContent = text;
        label.hidden = false;
        label.classList.toggle('v3d-label-pointer', Boolean(at));
        if (at) {
            const x = Math.min(at.x + 14, viewport.clientWidth - label.offsetWidth - 4);
            const y = Math.min(at.y + 14, viewport.clientHeight - label.offsetHeight - 4);
            label.style.left = `${Math.max(4, x)}px`;
            label.style.top = `${Math.max(4, y)}px`;
        } else {
            label.style.left = '';
            label.style.top = '';
        }
    }

    function pick(x, y) {
        const w = viewport.clientWidth;
        const h = viewport.clientHeight;
        raycaster.setFromCamera(new THREE.Vector2((x / w) * 2 - 1, -(y / h) * 2 + 1), camera);
        const hits = raycaster.intersectObjects([...[...columns.values()].map((c) => c.mesh), ...communeMeshes], false);
        const first = hits.find((hit) => hit.object.userData.column || hit.object.userData.commune);
        if (!first) return null;
        return first.object.userData.column ? { column: first.object.userData.column } : { commune: first.object.userData.commune };
    }

    let pointerAt = null;
    let pickPending = false;
    canvas.addEventListener('pointermove', (ev) => {
        const r = canvas.getBoundingClientRect();
        pointerAt = { x: ev.clientX - r.left, y: ev.clientY - r.top };
        if (pickPending) return;
        pickPending = true;
        requestAnimationFrame(() => {
            pickPending = false;
            if (!pointerAt) return;
            pointed = pick(pointerAt.x, pointerAt.y);
            light();
            showLabel(pointed ? (pointed.column ? pointed.column.text : pointed.commune.nom) : null, pointerAt);
        });
    });
    canvas.addEventListener('pointerleave', () => {
        pointerAt = null;
        pointed = null;
        light();
        showLabel(centred ? centred.nom : null, null);
    });

    // The commune at the view's centre (the controls' target), lit and named; returns it.
    function lightCentre() {
        const t = controls.target;
        centred = communeAt(communes, t.x, -t.z);
        light();
        if (!pointed) showLabel(centred ? `Au centre de la vue : ${centred.nom}` : 'Au centre de la vue : aucune commune', null);
        return centred;
    }

    function forgetCentre() {
        centred = null;
        light();
        if (!pointed) showLabel(null);
    }

    const radians = (deg) => (deg * Math.PI) / 180;

    return {
        canvas,
        setColumns,
        updateColumn,
        lightCentre,
        forgetCentre,
        draw,
        // Camera moves, for the keys and the buttons: degrees, a zoom factor (> 1 comes closer),
        // a pan in pixels of the screen.
        rotate: (deg) => controls.rotateLeft(radians(deg)),
        tilt: (deg) => controls.rotateUp(radians(deg)),
        zoom: (factor) => (factor > 1 ? controls.dollyIn(1 / factor) : controls.dollyOut(factor)),
        pan: (dx, dy) => controls.pan(dx, dy),
        reset: () => controls.reset(),
        // Moves the view's centre onto [x, y] km of the map, coming closer than 'distance' km.
        centreOn(x, y, distance) {
            const offset = camera.position.clone().sub(controls.target);
            if (offset.length() > distance) offset.setLength(distance);
            controls.target.set(x, 0, -y);
            camera.position.copy(controls.target).add(offset);
            controls.update();
        },
        // Where the camera is: azimuth and polar angle in degrees, distance in km.
        camera: () => ({
            azimuth: (controls.getAzimuthalAngle() * 180) / Math.PI,
            polar: (controls.getPolarAngle() * 180) / Math.PI,
            distance: controls.getDistance(),
        }),
    };
}
