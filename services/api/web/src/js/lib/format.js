// format.js - numbers, dates and durations the French way, in the metropolis's time zone.

const TZ = 'Europe/Paris';
const numbers = new Map();

export function num(v, digits = 1) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    let f = numbers.get(digits);
    if (!f) {
        f = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
        numbers.set(digits, f);
    }
    return f.format(v);
}

// "12,5 dB(A)"; the unit after a narrow no-break space.
export function withUnit(v, unit, digits = 1) {
    return unit ? `${num(v, digits)}\u202f${unit}` : num(v, digits);
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, dateStyle: 'long' });
const timeOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });

const asDate = (t) => (t instanceof Date ? t : new Date(t));
export const when = (t) => (t ? dateTime.format(asDate(t)) : '–');
export const day = (t) => (t ? dateOnly.format(asDate(t)) : '–');
export const clock = (t) => (t ? timeOnly.format(asDate(t)) : '–');

const dayMonth = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: '2-digit', month: '2-digit' });
const monthYear = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, month: 'short', year: 'numeric' });

// A chart's tick over a range of 'spanS' seconds: "14:00" within two days, "28/11" within four
// months, "nov. 2026" beyond.
export function axisTime(t, spanS) {
    if (spanS <= 2 * 86400) return clock(t);
    if (spanS <= 120 * 86400) return dayMonth.format(asDate(t));
    return monthYear.format(asDate(t));
}

// "il y a 5 min" for a time in the past.
export function ago(t) {
    if (!t) return 'jamais';
    const s = Math.round((Date.now() - asDate(t).getTime()) / 1000);
    if (s < 60) return 'à l’instant';
    if (s < 3600) return `il y a ${Math.round(s / 60)} min`;
    if (s < 86400) return `il y a ${Math.round(s / 3600)} h`;
    return `il y a ${Math.round(s / 86400)} j`;
}

// Today's date in the metropolis as YYYY-MM-DD.
export function todayLocal() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
}
