import { randomUUID } from 'node:crypto';
import { cutUtf8 } from './utf8.js';

/** WeCom shows at most this much of one stream; more continues in separate messages. */
export const STREAM_MAX_BYTES = 20_480;

export interface StreamFrame {
  msgtype: 'stream';
  stream: { id: string; finish: boolean; content: string };
}

/** How frames leave: pushed on the long connection, or polled by WeCom in webhook mode. */
export interface StreamSink {
  /** Sends one frame (long connection). Rejects when it cannot be shown (846608 expired, socket lost). */
  push?(frame: StreamFrame): Promise<void>;
  /** Delivers text outside the stream (aibot_send_msg, or response_url), whole: the fallback, once. */
  sendSeparately(markdown: string): Promise<void>;
}

export interface StreamReplyOptions {
  /** Shown at once, until the first words arrive. */
  placeholder: string;
  /** Least time between two frames. */
  intervalMs: number;
  /** When the stream must be closed, as epoch ms (about 5.5 min after the user's message). */
  handOverAt: number;
  /** Closes the stream when the answer goes separately. */
  pointer?: string;
  maxBytes?: number;
  onError?: (error: unknown, what: string) => void;
}

type State = 'streaming' | 'handedOver' | 'finished';

/**
 * One answer shown as it grows in the bubble of the message it answers. Frames carry the
 * whole text so far (WeCom replaces the bubble), throttled to `intervalMs`; a frame still
 * in flight is not queued behind, the next one simply carries more. When the stream cannot
 * carry the answer — past `handOverAt`, a push refused (846608) or lost with the socket, or
 * more than 20,480 bytes — the bubble is closed with a pointer and the answer (or its rest)
 * goes out separately, exactly once.
 */
export class StreamReply {
  readonly id = randomUUID().replace(/-/g, '');
  private state: State = 'streaming';
  private shown: StreamFrame;
  private latest = '';
  private lastPushAt = 0;
  private inFlight: Promise<void> | undefined;
  private delivered = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly handOverTimer: NodeJS.Timeout;
  private markFetched: () => void = () => undefined;
  /** Resolves once a finished frame was asked for (webhook: WeCom's poll took the answer). */
  private readonly fetched = new Promise<void>((resolve) => (this.markFetched = resolve));
  private readonly maxBytes: number;
  private readonly pointer: string;

  constructor(
    private readonly sink: StreamSink,
    private readonly options: StreamReplyOptions,
  ) {
    this.maxBytes = options.maxBytes ?? STREAM_MAX_BYTES;
    this.pointer = options.pointer ?? '（回答较长，完整内容将单独发送。）';
    this.shown = this.frame(options.placeholder, false);
    this.handOverTimer = setTimeout(() => void this.handOver('the stream window is ending'), Math.max(0, options.handOverAt - Date.now()));
    // A stream waiting for a slow answer must not keep a stopping process alive.
    this.handOverTimer.unref();
  }

  /** The first frame (placeholder): the answer to the callback, or the first push. */
  begin(): StreamFrame {
    if (this.sink.push) this.send(this.shown);
    return this.shown;
  }

  /** What the bubble should show now (webhook refresh polls). */
  current(): StreamFrame {
    if (this.shown.stream.finish) this.markFetched();
    return this.shown;
  }

  /**
   * Webhook: true once WeCom's poll has taken the finished frame; false when it did not
   * within its polling window (about 30 s past `handOverAt`), so it never will.
   */
  async whenFetched(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, this.options.handOverAt + 60_000 - Date.now()))));
    timer?.unref();
    try {
      return await Promise.race([this.fetched.then(() => true as const), givenUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer so far. Frames follow at most every `intervalMs`. */
  update(textSoFar: string): void {
    if (this.state !== 'streaming' || textSoFar.trim() === '') return;
    this.latest = textSoFar;
    this.shown = this.frame(cutUtf8(textSoFar, this.maxBytes)[0], false);
    if (!this.sink.push || this.timer || this.inFlight) return;
    const wait = this.lastPushAt + this.options.intervalMs - Date.now();
    if (wait <= 0) this.send(this.shown);
    else this.timer = setTimeout(() => ((this.timer = undefined), this.flush()), wait);
  }

  /** The final answer: closes the bubble with it, or sends it separately when the stream cannot. */
  async finish(finalText: string): Promise<void> {
    this.stopTimers();
    if (this.state === 'finished') return;
    if (this.state === 'handedOver') return this.deliver(finalText);
    this.state = 'finished';
    const [head, rest] = cutUtf8(finalText, this.maxBytes);
    await this.inFlight;
    this.shown = this.frame(head, true);
    if (this.sink.push) {
      try {
        await this.sink.push(this.shown);
      } catch (error) {
        this.options.onError?.(error, 'the final frame was not shown; sending the answer separately');
        return this.deliver(finalText);
      }
    }
    if (rest !== '') await this.deliver(rest);
  }

  private flush(): void {
    if (this.state === 'streaming' && this.shown.stream.content !== '' && !this.inFlight) this.send(this.shown);
  }

  private send(frame: StreamFrame): void {
    const push = this.sink.push;
    if (!push) return;
    this.lastPushAt = Date.now();
    const sent = push(frame).then(
      () => undefined,
      (error: unknown) => {
        this.options.onError?.(error, 'a stream frame was refused; the answer will be sent separately');
        this.state = this.state === 'streaming' ? 'handedOver' : this.state;
      },
    );
    this.inFlight = sent.finally(() => {
      this.inFlight = undefined;
      // Text that arrived while this frame was in flight goes in the next one.
      if (this.state === 'streaming' && this.shown !== frame) this.update(this.latest);
    });
  }

  /** Closes the bubble with a pointer; the answer follows separately when it is finished. */
  private async handOver(why: string): Promise<void> {
    if (this.state !== 'streaming') return;
    this.state = 'handedOver';
    this.stopTimers();
    await this.inFlight;
    const shownSoFar = this.latest === '' ? '' : `${cutUtf8(this.latest, this.maxBytes - Buffer.byteLength(this.pointer) - 2)[0]}\n\n`;
    this.shown = this.frame(`${shownSoFar}${this.pointer}`, true);
    try {
      await this.sink.push?.(this.shown);
    } catch (error) {
      this.options.onError?.(error, `closing the stream (${why}) failed`);
    }
  }

  /** The fallback, at most once per answer. */
  private async deliver(text: string): Promise<void> {
    if (this.delivered) return;
    this.delivered = true;
    this.state = 'finished';
    await this.sink.sendSeparately(text);
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    clearTimeout(this.handOverTimer);
    this.timer = undefined;
  }

  private frame(content: string, finish: boolean): StreamFrame {
    return { msgtype: 'stream', stream: { id: this.id, finish, content } };
  }
}
