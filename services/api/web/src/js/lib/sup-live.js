// sup-live.js - the API's live stream (GET /v1/live) for the supervision. EventSource cannot send
// an Authorization header and a key must never go into a URL (URLs end up in logs), so the
// stream is read with fetch and the Server-Sent Events text is parsed here; it reconnects after a
// pause when the stream ends and stops when the page goes away.
import { apiKey, query } from './api.js';

// Browsers open at most six HTTP/1.1 connections to a host and each stream holds one: a page
// follows at most this many streams, and falls back to polling beyond.
export const MAX_STREAMS = 2;

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60000;

// The Server-Sent Events format (HTML Living Standard, 9.2.6), fed chunk by chunk: lines end in
// CRLF, LF or CR; "field: value" (one space after the colon dropped); a line starting with ':' is
// a comment; a blank line ends the event. Calls onEvent(name, data) for each event with data.
export class SseParser {
    constructor(onEvent) {
        this.onEvent = onEvent;
        this.buffer = '';
        this.reset();
        this.retryMs = null;
    }

    reset() {
        this.name = '';
        this.data = [];
    }

    push(text) {
        this.buffer += text;
        for (;;) {
            const m = /\r\n|\r|\n/.exec(this.buffer);
            // A lone CR at the end may be the first half of a CRLF split between chunks.
            if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) break;
            const line = this.buffer.slice(0, m.index);
            this.buffer = this.buffer.slice(m.index + m[0].length);
            this.line(line);
        }
    }

    line(line) {
        if (line === '') {
            if (this.data.length) this.onEvent(this.name || 'message', this.data.join('\n'));
            this.reset();
            return;
        }
        if (line.startsWith(':')) return;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') this.name = value;
        else if (field === 'data') this.data.push(value);
        else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
        // 'id' and unknown fields: nothing to do (the API sends no ids to resume from).
    }
}

const pause = (ms, signal) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

// Follows GET /v1/live?params with the tab's key. onEvent(name, json) for each event whose data is
// JSON ('measurement', 'alert'); onState(true|false) when the stream opens or drops. Returns a
// stop() function. A 401 or 404 (key revoked, out of scope) stops for good: retrying cannot help.
export function liveStream(params, onEvent, onState = () => {}) {
    const controller = new AbortController();
    const { signal } = controller;
    const stop = () => controller.abort();
    window.addEventListener('pagehide', stop, { once: true });

    (async () => {
        let wait = FIRST_RETRY_MS;
        while (!signal.aborted) {
            const parser = new SseParser((name, data) => {
                let json;
                try { json = JSON.parse(data); } catch { return; } // a malformed event is skipped
                onEvent(name, json);
            });
            try {
                const headers = { Accept: 'text/event-stream' };
                const key = apiKey();
                if (key) headers.Authorization = `Bearer ${key}`;
                const res = await fetch(`/v1/live${query(params)}`, { headers, signal, cache: 'no-store' });
                if (res.status === 401 || res.status === 404) {
                    onState(false);
                    return;
                }
                if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
                onState(true);
                wait = FIRST_RETRY_MS;
                const reader = res.body.getReader();
                const decoder = new TextDecoder();
                for (;;) {
                    const { value, done } = await reader.read();
                    if (done) break;
                    parser.push(decoder.decode(value, { stream: true }));
                }
            } catch {
                // the stream failed or was aborted: below, either stop or retry
            }
            if (signal.aborted) return;
            onState(false);
            await pause(parser.retryMs || wait, signal);
            wait = Math.min(wait * 2, MAX_RETRY_MS);
        }
    })();
    return stop;
}

// Follows several use cases at once (one stream each), when there are at most MAX_STREAMS of
// them. Returns stop(), or null when there are too many (the caller polls instead). onState hears
// true when every stream is open.
export function followUseCases(useCases, onEvent, onState = () => {}) {
    if (!useCases.length || useCases.length > MAX_STREAMS) return null;
    const open = new Set();
    const stops = useCases.map((uc) => liveStream({ use_case: uc }, onEvent, (isOpen) => {
        if (isOpen) open.add(uc);
        else open.delete(uc);
        onState(open.size === useCases.length);
    }));
    return () => stops.forEach((s) => s());
}
