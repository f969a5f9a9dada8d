import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from './sse.js';

/** The events of a body sent in the given pieces (as TCP may cut it). */
function eventsOf(...pieces: Array<string | Buffer>): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => events.push(event));
  for (const piece of pieces) decoder.write(Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'utf8'));
  decoder.end();
  return events;
}

describe('SseDecoder', () => {
  it('reads data events, whatever the line ends, and skips comments', () => {
    expect(eventsOf('data: a\n\n: keep-alive\n\ndata: b\r\n\r\ndata: c\r\rdata:d\n\n')).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
      { event: undefined, data: 'c' },
      { event: undefined, data: 'd' },
    ]);
  });

  it('joins data lines, keeps the event name, and ends an event the stream left open', () => {
    expect(eventsOf('event: error\ndata: {"x":\ndata: 1}\n\ndata: last')).toEqual([
      { event: 'error', data: '{"x":\n1}' },
      { event: undefined, data: 'last' },
    ]);
  });

  it('keeps a character split between packets whole, and a CRLF split between them one line end', () => {
    const bytes = Buffer.from('data: 你好\r\n\r\ndata: 世界\n\n', 'utf8');
    const cuts = [8, 9, 13, 14, 15];
    const pieces = [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));
    expect(eventsOf(...pieces)).toEqual([
      { event: undefined, data: '你好' },
      { event: undefined, data: '世界' },
    ]);
  });
});
