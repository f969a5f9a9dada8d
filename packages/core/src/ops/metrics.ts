import type { Counter, Registry } from 'prom-client';
import { LabelledCounter, PlainHistogram, ReadGauge, renderFamilies, type MetricFamily } from './prometheus-text.js';

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

/** What /metrics answers with (prom-client's Registry.PROMETHEUS_CONTENT_TYPE). */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The app's Prometheus metrics, kept per app (never in a process-wide registry), so two apps
 * in one process (tests) keep separate counts. Channels and the pipeline record through the
 * methods; `/metrics` renders them. They are counted in plain maps (prometheus-text.ts): the
 * hot path pays for a Map update, and prom-client is loaded only on the first scrape, for
 * the process metrics.
 */
export class BotMetrics {
  private readonly callbacks = new LabelledCounter<'channel' | 'result'>('wecom_bot_callbacks_total', 'Platform callbacks by what became of them (answered, acked, repeated, refused).');
  private readonly replies = new LabelledCounter<'channel' | 'type' | 'outcome'>('wecom_bot_replies_total', 'Replies by type and outcome (sent, failed, dropped, error_reply).');
  private readonly latency = new PlainHistogram('wecom_bot_bot_latency_seconds', 'Time from a message received to its reply handed to the channel.', LATENCY_BUCKETS);
  private readonly sendErrors = new LabelledCounter<'channel' | 'errcode'>('wecom_bot_send_errors_total', "Sends the platform refused or that failed, by errcode (the platform's, or how the call failed).");
  private readonly families: readonly MetricFamily[];
  private queueDepthSource: () => number = () => 0;
  private readonly openStreamSources = new Set<() => number>();
  private processMetrics?: Promise<Registry>;

  constructor() {
    this.families = [
      this.callbacks,
      this.replies,
      this.latency,
      this.sendErrors,
      new ReadGauge('wecom_bot_queue_depth', 'Messages in the pipeline: received, not yet fully answered.', () => this.queueDepth),
      new ReadGauge('wecom_bot_open_streams', 'Answers being streamed into a chat bubble now (the AI bot).', () => this.openStreams),
    ];
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

  /** The Prometheus text of every metric, the app's first, then prom-client's process metrics. */
  async render(): Promise<string> {
    // Started on the first scrape, not per app: every collector keeps timers and observers,
    // and a test process assembles many apps that are never scraped.
    this.processMetrics ??= import('prom-client').then(({ Registry, collectDefaultMetrics }) => {
      const registry = new Registry();
      // prom-client counts CPU from when its collector starts, here the first scrape; the
      // counters start from the CPU the process has used so far, so a total is a total.
      const sofar = process.cpuUsage();
      collectDefaultMetrics({ register: registry });
      startCpuCounters(registry, sofar);
      return registry;
    });
    const processText = await (await this.processMetrics).metrics();
    return `${renderFamilies(this.families)}\n${processText}`;
  }

  get contentType(): string {
    return CONTENT_TYPE;
  }
}

/** Adds the CPU used before the collector started to prom-client's process CPU counters. */
function startCpuCounters(registry: Registry, sofar: NodeJS.CpuUsage): void {
  const seconds = { user: sofar.user / 1e6, system: sofar.system / 1e6 };
  const add = (name: string, value: number) => (registry.getSingleMetric(name) as Counter | undefined)?.inc(value);
  add('process_cpu_user_seconds_total', seconds.user);
  add('process_cpu_system_seconds_total', seconds.system);
  add('process_cpu_seconds_total', seconds.user + seconds.system);
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
