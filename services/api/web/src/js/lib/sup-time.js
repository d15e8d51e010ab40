// sup-time.js - wall-clock times of the metropolis (Europe/Paris) to instants and back, whatever
// the browser's own time zone: the lighting forms and plans speak Paris time, the API UTC.
const TZ = 'Europe/Paris';
const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

// Paris's wall clock at instant 'ms' as {y, mo, d, h, mi, s}.
export function parisClock(ms) {
    const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

// Paris's offset from UTC at instant 'ms', in ms (3600000 in winter).
function offsetAt(ms) {
    const c = parisClock(ms);
    return Date.UTC(c.y, c.mo - 1, c.d, c.h, c.mi, c.s) - Math.floor(ms / 1000) * 1000;
}

// "2026-11-28" and "18:30" in Paris → the instant in ms. A time the clocks skip (spring forward)
// lands an hour later, as a wall clock would show it; a time seen twice (autumn) takes its first.
export function parisToMs(date, time = '00:00') {
    const [y, mo, d] = date.split('-').map(Number);
    const [h, mi] = time.split(':').map(Number);
    const wall = Date.UTC(y, mo - 1, d, h, mi);
    // The offsets in force a day either side: the only ones this wall time can have.
    const before = offsetAt(wall - 86400000);
    const after = offsetAt(wall + 86400000);
    const fits = [wall - before, wall - after].filter((ms) => {
        const c = parisClock(ms);
        return Date.UTC(c.y, c.mo - 1, c.d, c.h, c.mi) === wall;
    });
    return fits.length ? Math.min(...fits) : wall - before;
}

const pad = (n) => String(n).padStart(2, '0');

// The value of an <input type="datetime-local"> for instant 'ms', in Paris time.
export function toLocalInput(ms) {
    const c = parisClock(ms);
    return `${c.y}-${pad(c.mo)}-${pad(c.d)}T${pad(c.h)}:${pad(c.mi)}`;
}

// An <input type="datetime-local"> value read as Paris time → ms, or null.
export function fromLocalInput(value) {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value || '');
    return m ? parisToMs(m[1], m[2]) : null;
}

// Paris's date of instant 'ms' as YYYY-MM-DD.
export function parisDate(ms) {
    const c = parisClock(ms);
    return `${c.y}-${pad(c.mo)}-${pad(c.d)}`;
}
