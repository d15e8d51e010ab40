// sup-alert-view.js - how an alert reads on the supervision pages: its severity and state as a
// word with a colour, its value against its rule's threshold.
import { h } from './dom.js';
import { num } from './format.js';
import { ALERT_STATES, SEVERITIES, UNITS, label } from './sup-labels.js';

export const severityBadge = (severity) =>
    h('span', { class: `sev sev-${severity || 'unknown'}` }, label(SEVERITIES, severity));

export const stateBadge = (state) =>
    h('span', { class: `alert-state alert-state-${state || 'unknown'}` }, label(ALERT_STATES, state));

const withUnitOf = (v, quantity) => {
    const unit = UNITS[quantity];
    return unit ? `${num(v, 2)}\u202f${unit}` : num(v, 2);
};

// "≥ 95 %", or null when the rule is unknown or has no single threshold.
export function thresholdText(alert, rule) {
    if (!rule) return null;
    if (rule.threshold === null || rule.threshold === undefined)
        return rule.threshold_param ? 'propre à l’équipement' : null;
    const op = rule.op === 'below' ? '≤' : rule.op === 'above' ? '≥' : '';
    return `${op} ${withUnitOf(rule.threshold, alert.quantity)}`.trim();
}

// "96 % (seuil ≥ 95 %)": the latest value, else the value at opening; '–' when neither.
export function valueText(alert, rule) {
    const v = alert.last_value ?? alert.value;
    const th = thresholdText(alert, rule);
    const value = v === null || v === undefined ? null : withUnitOf(v, alert.quantity);
    if (value && th) return `${value} (seuil ${th})`;
    if (value) return value;
    if (th) return `seuil ${th}`;
    return '–';
}

export const quantityValue = withUnitOf;
