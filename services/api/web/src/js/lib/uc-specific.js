// uc-specific.js - the part of each use-case page that only it has, by use case id. Each takes
// its <section data-specific> and the page's context, fills the section, and may return
// {onLive(eui, values, time), chartNote(device, quantity)}; onLive returns true when it changed
// the indicator (the key figures are then drawn again).
import { counting } from './uc-counting.js';
import { heat } from './uc-heat.js';
import { lighting } from './uc-lighting.js';
import { noise } from './uc-noise.js';
import { waste } from './uc-waste.js';
import { water } from './uc-water.js';

export const SPECIFIC = { counting, heat, lighting, noise, waste, water };
