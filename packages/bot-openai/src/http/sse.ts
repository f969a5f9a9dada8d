import { StringDecoder } from 'node:string_decoder';

/** One Server-Sent Event: its `event:` name (when given) and its data lines joined by "\n". */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Reads a text/event-stream body as the WHATWG spec does: lines end in LF, CR or CRLF, "data:"
 * lines accumulate, ":" lines are comments, a blank line ends an event. Bytes are decoded as
 * they come, so a character split between two packets stays whole. Push-based (each event
 * handed to `onEvent` as its blank line arrives), which costs less than an async iterator per event.
 */
export class SseDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private data: string[] = [];
  private event: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  write(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    // A CR at the very end may be the first half of a CRLF: it waits for the next chunk.
    const usable = text.endsWith('\r') ? text.length - 1 : text.length;
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(text); match && match.index < usable; match = LINE_END.exec(text)) {
      const line = text.slice(start, match.index);
      start = LINE_END.lastIndex;
      this.line(line);
    }
    this.pending = text.slice(start);
  }

  /** The body ended: an event the stream left without its blank line still counts. */
  end(): void {
    for (const line of `${this.pending}${this.decoder.end()}`.split(LINE_END)) this.line(line);
    this.pending = '';
    this.line('');
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length === 0) return;
      const event = { event: this.event, data: this.data.length === 1 ? this.data[0]! : this.data.join('\n') };
      this.data = [];
      this.event = undefined;
      this.onEvent(event);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (name === 'data') this.data.push(value);
    else if (name === 'event') this.event = value;
  }
}
