// live.js - the API's Server-Sent Events (GET /v1/live): calls 'onMeasure' with each new
// measurement's JSON. The browser's EventSource reconnects by itself; 'onState' hears whether the
// stream is open, so a page can say "en direct" only when it is.
export function live(params, onMeasure, onState = () => {}) {
    const q = new URLSearchParams(params).toString();
    const es = new EventSource(`/v1/live${q ? `?${q}` : ''}`);
    es.addEventListener('open', () => onState(true));
    es.addEventListener('error', () => onState(false));
    const handle = (ev) => {
        try { onMeasure(JSON.parse(ev.data), ev.type); } catch { /* a malformed event is skipped */ }
    };
    es.addEventListener('message', handle);
    es.addEventListener('measurement', handle);
    es.addEventListener('alert', handle);
    window.addEventListener('pagehide', () => es.close());
    return es;
}
