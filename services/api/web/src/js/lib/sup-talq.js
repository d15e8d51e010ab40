// sup-talq.js - TALQ control programs and calendars (docs/lighting.md) to and from the plain
// shapes the lighting editor's forms hold, and their summaries in French. Pure: no page access.
// The service's reader is strict (services/lighting/talq_json.c): only known members are sent, and
// what it would refuse is caught here first with a French message.
import { WEEKDAYS } from './sup-labels.js';

export const ID_PATTERN = '[A-Za-z0-9_.:\\-]{1,63}';
export const GROUP_PATTERN = '[a-z0-9][a-z0-9_.\\-]{0,63}';
const ID_RE = new RegExp(`^${ID_PATTERN}$`);
export const GROUP_RE = new RegExp(`^${GROUP_PATTERN}$`);
const OFFSET_MAX = 720;
const RAMP_MAX = 3600;
const MAX_STEPS = 16; // the service's LIGHT_MAX_STEPS is larger; a form past this is a mistake

export class TalqError extends Error {
    constructor(problems) {
        super(problems.join(' '));
        this.problems = problems;
    }
}

const hhmm = (t) => {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t || '');
    return m ? `${m[1].padStart(2, '0')}:${m[2]}` : '';
};
const minutes = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const signed = (n) => (n > 0 ? `+\u202f${n}` : n < 0 ? `−\u202f${-n}` : '');

// ---- programs ----

// A TALQ ControlProgram → {id, keep, period, steps} for the form.
export function programFromTalq(doc) {
    const p = (doc.activePeriods || [])[0] || {};
    const period = p.name === 'AbsoluteActivePeriod'
        ? { kind: 'fixed', start: hhmm(p.startTime), end: hhmm(p.endTime), sunsetOffset: 0, sunriseOffset: 0 }
        : { kind: 'astro', sunsetOffset: p.sunsetOffset || 0, sunriseOffset: p.sunriseOffset || 0, start: '', end: '' };
    const level = (c) => (c && c.state ? c.state.value : 100);
    const ramp = (c) => (c && c.rampToLevelTime !== undefined ? c.rampToLevelTime : '');
    const steps = [
        ...(doc.fixedTimeControls || []).map((s) => ({ at: 'time', time: hhmm(s.startTime), offset: 0, level: level(s.command), ramp: ramp(s.command) })),
        ...(doc.astroClockTimeControls || []).map((s) => ({ at: s.solarEventType === 'sunrise' ? 'sunrise' : 'sunset', time: '', offset: s.offset || 0, level: level(s.command), ramp: ramp(s.command) })),
    ];
    const keep = {};
    for (const k of ['type', 'ownerCMS']) if (doc[k] !== undefined) keep[k] = doc[k];
    return { id: doc.id || '', keep, period, steps };
}

function intIn(v, lo, hi) {
    const n = typeof v === 'number' ? v : v === '' || v === null || v === undefined ? NaN : Number(v);
    return Number.isInteger(n) && n >= lo && n <= hi ? n : null;
}

// The form's program → a TALQ ControlProgram. Throws TalqError listing what is wrong.
export function programToTalq(m) {
    const problems = [];
    if (!ID_RE.test(m.id || '')) problems.push('L’identifiant est fait de 1 à 63 lettres sans accent, chiffres, « _ », « . », « : » ou « - ».');
    const doc = { ...m.keep, id: m.id };
    if (m.period.kind === 'fixed') {
        const start = hhmm(m.period.start);
        const end = hhmm(m.period.end);
        if (!start || !end) problems.push('La période d’allumage fixe demande une heure de début et une heure de fin.');
        else if (start === end) problems.push('La période d’allumage ne peut pas commencer et finir à la même heure.');
        doc.activePeriods = [{ name: 'AbsoluteActivePeriod', startTime: `${start}:00`, endTime: `${end}:00` }];
    } else {
        const on = intIn(m.period.sunsetOffset, -OFFSET_MAX, OFFSET_MAX);
        const off = intIn(m.period.sunriseOffset, -OFFSET_MAX, OFFSET_MAX);
        if (on === null || off === null) problems.push(`Les décalages au coucher et au lever sont des minutes entières entre −${OFFSET_MAX} et ${OFFSET_MAX}.`);
        doc.activePeriods = [{ name: 'AstroClockActivePeriod', sunsetOffset: on ?? 0, sunriseOffset: off ?? 0 }];
    }
    if (m.steps.length > MAX_STEPS) problems.push(`Au plus ${MAX_STEPS} paliers.`);
    const fixed = [];
    const astro = [];
    m.steps.forEach((s, i) => {
        const n = i + 1;
        const level = intIn(s.level, 0, 100);
        if (level === null) problems.push(`Palier ${n} : le niveau est un pourcentage entier de 0 à 100.`);
        const ramp = s.ramp === '' || s.ramp === null || s.ramp === undefined ? null : intIn(s.ramp, 0, RAMP_MAX);
        if (ramp === null && !(s.ramp === '' || s.ramp === null || s.ramp === undefined))
            problems.push(`Palier ${n} : la rampe est un nombre entier de secondes de 0 à ${RAMP_MAX}.`);
        const command = { state: { name: 'LevelState', value: level ?? 0 } };
        if (ramp !== null) command.rampToLevelTime = ramp;
        if (s.at === 'time') {
            const t = hhmm(s.time);
            if (!t) problems.push(`Palier ${n} : indiquez l’heure (HH:MM).`);
            else fixed.push({ startTime: `${t}:00`, command, n });
        } else {
            const off = intIn(s.offset, -OFFSET_MAX, OFFSET_MAX);
            if (off === null) problems.push(`Palier ${n} : le décalage est un nombre entier de minutes entre −${OFFSET_MAX} et ${OFFSET_MAX}.`);
            astro.push({ offset: off ?? 0, solarEventType: s.at === 'sunrise' ? 'sunrise' : 'sunset', operation: 'Set', command });
        }
    });
    // TALQ wants the fixed steps in strictly increasing time: sorted here, a repeat refused.
    fixed.sort((a, b) => a.startTime.localeCompare(b.startTime));
    for (let i = 1; i < fixed.length; i++)
        if (fixed[i].startTime === fixed[i - 1].startTime)
            problems.push(`Paliers ${fixed[i - 1].n} et ${fixed[i].n} : deux paliers à la même heure (${fixed[i].startTime.slice(0, 5)}).`);
    if (problems.length) throw new TalqError(problems);
    if (fixed.length) doc.fixedTimeControls = fixed.map(({ startTime, command }) => ({ startTime, command }));
    if (astro.length) doc.astroClockTimeControls = astro;
    return doc;
}

export function periodText(doc) {
    const p = (doc.activePeriods || [])[0];
    if (!p) return '–';
    if (p.name === 'AbsoluteActivePeriod') return `de ${hhmm(p.startTime)} à ${hhmm(p.endTime)}`;
    const off = (n, what) => (n ? `${what} ${signed(n)}\u202fmin` : what);
    return `du ${off(p.sunsetOffset, 'coucher du soleil')} au ${off(p.sunriseOffset, 'lever du soleil')}`;
}

export function stepText(s) {
    const where = s.at === 'time' ? s.time
        : `${s.at === 'sunrise' ? 'lever' : 'coucher'}${s.offset ? ` ${signed(Number(s.offset))}\u202fmin` : ''}`;
    return `${where} → ${s.level}\u202f%`;
}

// "23:00 → 50 % ; 05:30 → 100 %", in the order of the day.
export function stepsText(doc) {
    const m = programFromTalq(doc);
    if (!m.steps.length) return '100 % toute la période';
    const fixed = m.steps.filter((s) => s.at === 'time').sort((a, b) => minutes(a.time) - minutes(b.time));
    return [...fixed, ...m.steps.filter((s) => s.at !== 'time')].map(stepText).join(' ; ');
}

// ---- calendars ----

const MD_RE = /^--(\d{2})-(\d{2})$/;
const DAY_RE = /^---(\d{2})$/;
const DATED_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// "--07-14" → "14/07"; "---05" → "le 05 du mois"; "2026-07-14" → "14/07/2026".
export function mdText(s) {
    let m = MD_RE.exec(s || '');
    if (m) return `${m[2]}/${m[1]}`;
    m = DAY_RE.exec(s || '');
    if (m) return `le ${m[1]} du mois`;
    m = DATED_RE.exec(s || '');
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
    return s || '';
}

const pad = (n) => String(n).padStart(2, '0');
function validMonthDay(mo, d) {
    const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1];
}

// A date as typed → TALQ's text, or null. 'dated' allows a year (validity bounds).
export function parseMd(text, { dated = false, monthly = false } = {}) {
    const t = (text || '').trim();
    let m = MD_RE.exec(t);
    if (m) return validMonthDay(Number(m[1]), Number(m[2])) ? t : null;
    m = /^(\d{1,2})\/(\d{1,2})$/.exec(t);
    if (m) return validMonthDay(Number(m[2]), Number(m[1])) ? `--${pad(m[2])}-${pad(m[1])}` : null;
    if (monthly) {
        m = DAY_RE.exec(t);
        if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 31 ? t : null;
    }
    if (dated) {
        m = DATED_RE.exec(t) || /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
        if (m) {
            const [y, mo, d] = DATED_RE.test(t) ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
            return validMonthDay(Number(mo), Number(d)) ? `${y}-${pad(mo)}-${pad(d)}` : null;
        }
    }
    return null;
}

// "14/07, 24/12 au 26/12" → [{start, end?}], or null with the bad piece in problems.
export function parseDates(text, problems, where) {
    const spans = [];
    for (const piece of (text || '').split(',').map((s) => s.trim()).filter(Boolean)) {
        const [a, b, extra] = piece.split(/\s+au\s+/);
        const start = parseMd(a, { monthly: true });
        const end = b === undefined ? null : parseMd(b, { monthly: true });
        if (!start || (b !== undefined && !end) || extra !== undefined
            || (end && DAY_RE.test(start) !== DAY_RE.test(end))) {
            problems.push(`${where} : « ${piece} » n’est pas une date comprise (JJ/MM, ou JJ/MM au JJ/MM).`);
            continue;
        }
        spans.push(end ? { start, end } : { start });
    }
    if (!spans.length && !problems.length) problems.push(`${where} : indiquez au moins une date.`);
    return spans;
}

export const datesText = (dates) => (dates || []).map((d) => (d.end ? `${mdText(d.start)} au ${mdText(d.end)}` : mdText(d.start))).join(', ');

// The same dates as the form's field holds them, so that they read back: JJ/MM, or ---JJ for a day
// of every month.
const inputMd = (s) => (DAY_RE.test(s) ? s : mdText(s));
const datesInput = (dates) => (dates || []).map((d) => (d.end ? `${inputMd(d.start)} au ${inputMd(d.end)}` : inputMd(d.start))).join(', ');

// Weekday numbers 1..7 → TALQ's ranges [{start, end?}].
function dayRanges(days) {
    const sorted = [...days].sort((a, b) => a - b);
    const out = [];
    for (const d of sorted) {
        const last = out[out.length - 1];
        if (last && (last.end ?? last.start) === d - 1) last.end = d;
        else out.push({ start: d });
    }
    return out;
}

export function calendarFromTalq(doc) {
    const rules = (doc.rules || []).map((r) => {
        const c = r.condition || {};
        const days = new Set();
        for (const d of c.days || []) for (let i = d.start; i <= (d.end ?? d.start); i++) days.add(i);
        const kind = !r.condition ? 'always' : c.type === 'ccDay' ? 'days' : c.type === 'ccDate' ? 'dates' : c.type === 'ccHoliday' ? 'holiday' : 'always';
        return {
            kind, days, occurrences: new Set(c.occurrences || []), dates: datesInput(c.dates),
            startDate: r.startDate ? mdText(r.startDate) : '', endDate: r.endDate ? mdText(r.endDate) : '',
            program: r.program || '',
        };
    });
    const keep = {};
    if (doc.ownerCMS !== undefined) keep.ownerCMS = doc.ownerCMS;
    return { id: doc.id || '', keep, defaultProgram: doc.defaultProgram || '', rules };
}

export function calendarToTalq(m, programIds) {
    const problems = [];
    if (!ID_RE.test(m.id || '')) problems.push('L’identifiant est fait de 1 à 63 lettres sans accent, chiffres, « _ », « . », « : » ou « - ».');
    const known = (p) => !programIds || programIds.includes(p);
    const doc = { ...m.keep, id: m.id };
    if (m.defaultProgram) {
        if (!known(m.defaultProgram)) problems.push(`Le programme par défaut « ${m.defaultProgram} » n’existe pas.`);
        doc.defaultProgram = m.defaultProgram;
    }
    doc.rules = m.rules.map((r, i) => {
        const where = `Règle ${i + 1}`;
        const rule = {};
        for (const k of ['startDate', 'endDate']) {
            if (!r[k]) continue;
            const v = parseMd(r[k], { dated: true });
            if (!v) problems.push(`${where} : « ${r[k]} » n’est pas une date de validité comprise (JJ/MM ou JJ/MM/AAAA).`);
            else rule[k] = v;
        }
        if (r.kind === 'days') {
            if (!r.days.size) problems.push(`${where} : cochez au moins un jour de la semaine.`);
            rule.condition = { type: 'ccDay', days: dayRanges(r.days) };
            const occ = ['1', '2', '3', '4', '5', 'L'].filter((o) => r.occurrences.has(o));
            if (occ.length) rule.condition.occurrences = occ;
        } else if (r.kind === 'dates') {
            rule.condition = { type: 'ccDate', dates: parseDates(r.dates, problems, where) };
        } else if (r.kind === 'holiday') {
            rule.condition = { type: 'ccHoliday' };
        }
        if (!r.program) problems.push(`${where} : choisissez le programme à appliquer.`);
        else if (!known(r.program)) problems.push(`${where} : le programme « ${r.program} » n’existe pas.`);
        rule.program = r.program;
        return rule;
    });
    if (problems.length) throw new TalqError(problems);
    return doc;
}

const OCCURRENCE_WORDS = { 1: '1er', 2: '2e', 3: '3e', 4: '4e', 5: '5e', L: 'dernier' };

function daysText(days, occurrences) {
    const list = [...days].sort((a, b) => a - b);
    let text;
    if (list.length === 7) text = 'tous les jours';
    else if (list.length > 2 && list.every((d, i) => i === 0 || d === list[i - 1] + 1))
        text = `du ${WEEKDAYS[list[0] - 1]} au ${WEEKDAYS[list[list.length - 1] - 1]}`;
    else text = list.map((d) => WEEKDAYS[d - 1]).join(', ');
    if (occurrences.size) {
        const occ = ['1', '2', '3', '4', '5', 'L'].filter((o) => occurrences.has(o)).map((o) => OCCURRENCE_WORDS[o]);
        text = `${text} (${occ.join(', ')} du mois)`;
    }
    return text;
}

export function ruleText(r) {
    let what;
    if (r.kind === 'days') what = daysText(r.days, r.occurrences);
    else if (r.kind === 'dates') {
        what = `dates ${r.dates.replace(/---(\d{2})/g, 'le $1 de chaque mois')}`;
    }
    else if (r.kind === 'holiday') what = 'les jours fériés';
    else what = 'tous les jours';
    const valid = r.startDate || r.endDate ? ` (valable${r.startDate ? ` du ${r.startDate}` : ''}${r.endDate ? ` au ${r.endDate}` : ''})` : '';
    return `${what}${valid} → ${r.program}`;
}

export function rulesText(doc) {
    const m = calendarFromTalq(doc);
    const parts = m.rules.map(ruleText);
    parts.push(m.defaultProgram ? `sinon → ${m.defaultProgram}` : 'sinon : éteint');
    return parts.join(' ; ');
}

// The programs a calendar names.
export function programsOf(doc) {
    const ids = new Set((doc.rules || []).map((r) => r.program));
    if (doc.defaultProgram) ids.add(doc.defaultProgram);
    return ids;
}
