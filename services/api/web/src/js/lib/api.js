// api.js - calls to mue-api on the same origin. The supervision's API key lives in the tab's
// sessionStorage only (gone when the tab closes) and is sent as a Bearer token.

const KEY_SLOT = 'mue.apiKey';

export function apiKey() {
    return sessionStorage.getItem(KEY_SLOT);
}

export function setApiKey(key) {
    if (key) sessionStorage.setItem(KEY_SLOT, key);
    else sessionStorage.removeItem(KEY_SLOT);
}

export class ApiError extends Error {
    constructor(status, code, reason) {
        super(reason || `HTTP ${status}`);
        this.status = status;
        this.code = code;
    }
}

// GET (or another method with a JSON body) → the parsed JSON answer. Throws ApiError with the
// API's {"error", "reason"} on any status other than 2xx. 'auth' false sends no key even when
// one is stored (the public pages).
export async function api(path, { method = 'GET', body, auth = false, signal } = {}) {
    const headers = { Accept: 'application/json' };
    const key = auth ? apiKey() : null;
    if (key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
        method, headers, signal,
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!res.ok) throw new ApiError(res.status, json && json.error, json && json.reason);
    return json;
}

// A query string from an object, leaving out empty values.
export function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
}
