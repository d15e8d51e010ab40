// sup-labels.js - the French words of the supervision for the API's codes (roles, severities,
// states, events, reasons), so that a code never reaches the page untranslated.

export const ROLES = {
    admin: 'administrateur',
    directorate: 'direction',
    operator: 'exploitant de l’éclairage',
    partner: 'partenaire',
    public: 'public',
};

export const SEVERITIES = { info: 'Information', warning: 'Avertissement', critical: 'Critique' };

export const ALERT_STATES = { open: 'Ouverte', acknowledged: 'Acquittée', resolved: 'Résolue' };

export const ALERT_EVENTS = {
    opened: 'Ouverture',
    acknowledged: 'Acquittement',
    escalated: 'Escalade',
    resolved: 'Résolution',
};

export const DEVICE_STATES = { ok: 'En service', late: 'En retard', silent: 'Muet' };

export const COMMAND_STATES = {
    pending: 'En attente',
    queued: 'En file d’envoi',
    sent: 'Envoyée',
    acknowledged: 'Prise par l’équipement',
    failed: 'Échec',
    expired: 'Expirée',
    superseded: 'Remplacée',
};

export const OVERRIDE_REASONS = {
    event: 'Événement',
    maintenance: 'Maintenance',
    emergency: 'Urgence',
    other: 'Autre',
};

// Names of the use cases as the registry gives them (GET /v1/usecases), for the pages that do not
// ask it.
export const USE_CASES = {
    noise: 'Bruit',
    waste: 'Points d’apport volontaire',
    water: 'Cours d’eau',
    counting: 'Comptages vélos et piétons',
    heat: 'Îlots de chaleur',
    lighting: 'Éclairage public',
};

// Units of the quantities an alert may watch (docs/quantities.md); others show bare numbers.
export const UNITS = {
    fill_level: '%',
    battery: '%',
    battery_voltage: 'V',
    temperature: '°C',
    LAeq: 'dB(A)',
    water_level: 'm',
    rssi: 'dBm',
    snr: 'dB',
    dim_level: '%',
    schedule_deviation: 'points',
};

export const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

// A code's word, or the code itself when the table does not know it (a newer API).
export const label = (table, code) => (code && table[code]) || code || '–';
