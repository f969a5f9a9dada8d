import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What became of one platform callback (a message or an event WeCom or the platform delivered). */
export type CallbackResult =
  /** Handed to the pipeline for an answer. */
  | 'answered'
  /** Accepted with nothing to answer (an event, an unsupported type, handled elsewhere). */
  | 'acked'
  /** A retry or repeat of a message already received: not handled again. */
  | 'repeated'
  /** Turned away: a bad signature, a body that cannot be read. */
  | 'refused';

/** What became of one reply. */
export type ReplyOutcome =
  /** Handed to the channel (its reply window or its send), which took it. */
  | 'sent'
  /** The channel's send threw: the user did not get it. */
  | 'failed'
  /** Not sent: it came after the deadline, or another instance took the message over. */
  | 'dropped'
  /** The configured error reply went out instead of an answer. */
  | 'error_reply';

/** Answers take from a fraction of a second (a command) to minutes (a long model answer). */
const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/**
 * The app's Prometheus metrics, in a Registry of its own (never prom-client's global one), so
 * two apps in one process (tests) keep separate counts. Channels and the pipeline record
 * through the methods; `/metrics` renders `registry`.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly callbacks: Counter<'channel' | 'result'>;
  private readonly replies: Counter<'channel' | 'type' | 'outcome'>;
  private readonly latency: Histogram;
  private readonly sendErrors: Counter<'channel' | 'errcode'>;
  private queueDepthSource: () => number = () => 0;
  private readonly openStreamSources = new Set<() => number>();
  private processMetrics = false;

  constructor() {
    const registers = [this.registry];
    this.callbacks = new Counter({ name: 'wecom_bot_callbacks_total', help: 'Platform callbacks by what became of them (answered, acked, repeated, refused).', labelNames: ['channel', 'result'], registers });
    this.replies = new Counter({ name: 'wecom_bot_replies_total', help: 'Replies by type and outcome (sent, failed, dropped, error_reply).', labelNames: ['channel', 'type', 'outcome'], registers });
    this.latency = new Histogram({ name: 'wecom_bot_bot_latency_seconds', help: 'Time from a message received to its reply handed to the channel.', buckets: LATENCY_BUCKETS, registers });
    this.sendErrors = new Counter({ name: 'wecom_bot_send_errors_total', help: 'Sends the platform refused or that failed, by errcode (the platform\'s, or how the call failed).', labelNames: ['channel', 'errcode'], registers });
    // Read at each scrape from who knows the number, so a gauge is never out of step.
    const queue: Gauge = new Gauge({ name: 'wecom_bot_queue_depth', help: 'Messages in the pipeline: received, not yet fully answered.', registers, collect: () => queue.set(this.queueDepth) });
    const streams: Gauge = new Gauge({ name: 'wecom_bot_open_streams', help: 'Answers being streamed into a chat bubble now (the AI bot).', registers, collect: () => streams.set(this.openStreams) });
  }

  callback(channel: string, result: CallbackResult): void {
    this.callbacks.inc({ channel, result });
  }

  reply(channel: string, type: string, outcome: ReplyOutcome, latencyMs?: number): void {
    this.replies.inc({ channel, type, outcome });
    if (latencyMs !== undefined) this.latency.observe(latencyMs / 1000);
  }

  /** A failed platform call; `errcode` as `errcodeOf` reads it from the error. */
  sendError(channel: string, errcode: string): void {
    this.sendErrors.inc({ channel, errcode });
  }

  /** The pipeline says how many messages it holds; read at every scrape. */
  readQueueDepthFrom(source: () => number): void {
    this.queueDepthSource = source;
  }

  /** A channel that streams answers says how many are open; returns a function that stops counting them. */
  readOpenStreamsFrom(source: () => number): () => void {
    this.openStreamSources.add(source);
    return () => this.openStreamSources.delete(source);
  }

  get queueDepth(): number {
    return this.queueDepthSource();
  }

  get openStreams(): number {
    let open = 0;
    for (const source of this.openStreamSources) open += source();
    return open;
  }

  /** The Prometheus text of every metric, prom-client's process metrics included. */
  async render(): Promise<string> {
    // Started on the first scrape, not per app: every collector keeps timers and observers,
    // and a test process assembles many apps that are never scraped.
    if (!this.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      this.processMetrics = true;
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * The errcode label of a failed send: the platform's numeric errcode when the error carries
 * one (WeCom's, the dialogue platform's), else how it failed ("http", "network", a Node code
 * such as "ECONNRESET", the error's class such as "AckTimeoutError"), else "unknown". Never
 * the message: a label's values must stay few.
 */
export function errcodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const { errcode, failure, code, name } = error as { errcode?: unknown; failure?: unknown; code?: unknown; name?: unknown };
  if (typeof errcode === 'number') return String(errcode);
  if (typeof failure === 'string') return failure;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  if (typeof name === 'string' && name !== 'Error' && /^[A-Za-z]{2,40}$/.test(name)) return name;
  return 'unknown';
}
