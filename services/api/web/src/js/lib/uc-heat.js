// uc-heat.js - the heat islands page's own part: each sensor's last night, its minimum, whether it
// was a tropical or a heatwave night, and how much warmer than the parks it stayed.
import { fill, h, table } from './dom.js';
import { day, num } from './format.js';
import { settingLabel } from './usecases.js';

const yesNo = (v) => (v === null || v === undefined ? '–' : v ? 'Oui' : 'Non');
const deg = (v) => (v === null || v === undefined ? '–' : num(v, 1));

export function heat(section, ctx) {
    const ind = ctx.indicators;
    const items = [...ind.items].sort((a, b) => (b.island ?? -99) - (a.island ?? -99) || a.name.localeCompare(b.name, 'fr'));
    const night = day(`${ind.night}T12:00:00Z`);
    fill(section,
        h('h2', {}, 'La nuit dernière, capteur par capteur'),
        h('p', {}, 'Un îlot de chaleur est un lieu qui ne se rafraîchit pas la nuit. Chaque capteur relève la température la plus basse ',
            'entre 20 h et 8 h ; l’écart compare ce minimum à celui des parcs, qui servent de référence. ',
            'Une nuit est tropicale quand le minimum reste à 20 °C ou plus ; à 24 °C ou plus, c’est le seuil de canicule des Bouches-du-Rhône.'),
        items.length === 0 ? h('p', {}, 'Aucun capteur n’est enregistré.') : table(`Nuit du ${night} au lendemain`, [
            { label: 'Capteur', header: true },
            { label: 'Lieu' },
            { label: 'Minimum (°C)', num: true },
            { label: 'Écart à la référence (°C)', num: true },
            { label: 'Nuit tropicale' },
            { label: 'Nuit de canicule' },
        ], items.map((i) => [
            i.name.replace(/^Chaleur - /, ''),
            i.reference ? `${settingLabel(i.setting)} (référence)` : settingLabel(i.setting),
            deg(i.tmin),
            i.reference ? 'référence' : deg(i.island),
            yesNo(i.tropical),
            yesNo(i.heatwave_night),
        ])));
    return null;
}
