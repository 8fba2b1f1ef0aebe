// Server-sent events over fetch(): EventSource cannot send an Authorization header, so the client reads the
// stream itself. SseParser implements the WHATWG event-stream parsing rules; readEventStream feeds it a response.

export class SseParser {
  #buffer = '';
  #data = [];
  #eventType = '';
  #lastEventId = '';
  #sawBom = false;

  /** The id of the last event dispatched (or set by an id field), for Last-Event-ID on reconnect. */
  get lastEventId() { return this.#lastEventId; }

  /**
   * Feeds decoded text; returns the events it completed, each {type, data, id}.
   * @param {string} text
   * @returns {{type: string, data: string, id: string}[]}
   */
  push(text) {
    if (!this.#sawBom && text.length > 0) {
      this.#sawBom = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#buffer += text;
    const events = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (!match) break;
      // A lone CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line) {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#eventType = '';
        return null;
      }
      const event = { type: this.#eventType || 'message', data: this.#data.join('\n'), id: this.#lastEventId };
      this.#data = [];
      this.#eventType = '';
      return event;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data': this.#data.push(value); break;
      case 'event': this.#eventType = value; break;
      case 'id': if (!value.includes('\0')) this.#lastEventId = value; break;
      default: break; // "retry" and unknown fields: the client keeps its own back-off.
    }
    return null;
  }
}

/**
 * Reads a fetch() Response body as an event stream, calling onEvent for each event, until it ends or signal aborts.
 * @param {Response} response
 * @param {SseParser} parser
 * @param {(event: {type: string, data: string, id: string}) => void} onEvent
 */
export async function readEventStream(response, parser, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
}

/** Back-off before reconnect attempt n (0-based): 1 s, 2 s, 4 s ... capped at 30 s. */
export function reconnectDelay(attempt) {
  return Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
}
