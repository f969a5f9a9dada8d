import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamReply, type StreamFrame, type StreamSink } from './stream-reply.js';

/** A sink that records frames and separate sends; `refuseAfter` makes pushes fail from then on (846608). */
function recordingSink(options: { refuseFrom?: number } = {}) {
  const frames: StreamFrame['stream'][] = [];
  const separate: string[] = [];
  const sink: StreamSink = {
    push: async (frame) => {
      if (options.refuseFrom !== undefined && frames.length >= options.refuseFrom) throw Object.assign(new Error('stream message update expired'), { errcode: 846608 });
      frames.push({ ...frame.stream });
    },
    sendSeparately: async (text) => void separate.push(text),
  };
  return { sink, frames, separate };
}

const MIN = 60_000;

describe('StreamReply', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('shows the placeholder at once, then the text so far, throttled, with line breaks intact, then finishes', async () => {
    const { sink, frames, separate } = recordingSink();
    const reply = new StreamReply(sink, { placeholder: '思考中…', intervalMs: 400, handOverAt: Date.now() + 5.5 * MIN });
    reply.begin();
    await vi.advanceTimersByTimeAsync(0);
    let text = '';
    for (const piece of ['第一行', '\n', '第二行', '\n\n- 列表'].concat(Array.from({ length: 20 }, (_, i) => String(i)))) {
      text += piece;
      reply.update(text);
      await vi.advanceTimersByTimeAsync(50);
    }
    await reply.finish(`${text}。`);
    expect(frames[0]).toMatchObject({ content: '思考中…', finish: false });
    // 24 pieces over 1.2 s at 400 ms: a handful of frames, not one per piece.
    expect(frames.length).toBeLessThan(8);
    const contents = frames.map((f) => f.content);
    // Cumulative: each frame extends the one before, and the breaks are kept.
    for (let i = 2; i < contents.length; i++) expect(contents[i]!.startsWith(contents[i - 1]!.replace('。', ''))).toBe(true);
    expect(frames.at(-1)).toMatchObject({ content: `第一行\n第二行\n\n- 列表${Array.from({ length: 20 }, (_, i) => i).join('')}。`, finish: true });
    expect(new Set(frames.map((f) => f.id)).size).toBe(1);
    expect(separate).toEqual([]);
  });

  it('an answer that takes 7 minutes: the bubble closes with a pointer at the hand-over, the answer is sent once, separately', async () => {
    const { sink, frames, separate } = recordingSink();
    const reply = new StreamReply(sink, { placeholder: '思考中…', intervalMs: 400, handOverAt: Date.now() + 5.5 * MIN });
    reply.begin();
    reply.update('先说结论：');
    await vi.advanceTimersByTimeAsync(7 * MIN);
    reply.update('先说结论：很长');
    await reply.finish('先说结论：很长的回答');
    await reply.finish('先说结论：很长的回答');
    expect(frames.at(-1)).toMatchObject({ finish: true, content: expect.stringMatching(/^先说结论：\n\n（回答较长/) });
    expect(frames.filter((f) => f.finish)).toHaveLength(1);
    expect(separate).toEqual(['先说结论：很长的回答']);
  });

  it('a refused frame (846608) hands the answer over: sent once, separately', async () => {
    const { sink, separate } = recordingSink({ refuseFrom: 2 });
    const reply = new StreamReply(sink, { placeholder: '…', intervalMs: 10, handOverAt: Date.now() + 5.5 * MIN });
    reply.begin();
    reply.update('a');
    await vi.advanceTimersByTimeAsync(20);
    reply.update('ab');
    await vi.advanceTimersByTimeAsync(20);
    await reply.finish('abc');
    expect(separate).toEqual(['abc']);
  });

  it('more than 20,480 bytes: the bubble shows the first part, the rest follows separately, cut between characters', async () => {
    const { sink, frames, separate } = recordingSink();
    const reply = new StreamReply(sink, { placeholder: '…', intervalMs: 10, handOverAt: Date.now() + 5.5 * MIN });
    const long = '字'.repeat(8000); // 24,000 bytes
    await reply.finish(long);
    expect(Buffer.byteLength(frames.at(-1)!.content)).toBeLessThanOrEqual(20_480);
    expect(frames.at(-1)!.content + separate.join('')).toBe(long);
  });

  it('webhook mode (no push): each poll sees the text so far, then the final frame', async () => {
    const separate: string[] = [];
    const reply = new StreamReply({ sendSeparately: async (t) => void separate.push(t) }, { placeholder: '思考中…', intervalMs: 10, handOverAt: Date.now() + 5.5 * MIN });
    expect(reply.begin().stream).toMatchObject({ content: '思考中…', finish: false });
    reply.update('部分');
    expect(reply.current().stream).toMatchObject({ content: '部分', finish: false });
    await reply.finish('部分答案');
    expect(reply.current().stream).toMatchObject({ content: '部分答案', finish: true });
    expect(separate).toEqual([]);
  });
});
