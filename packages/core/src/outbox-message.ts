import type { PushTarget } from './contracts.js';
import { contextKey, ctxSet, type Context } from './context.js';
import type { Logger } from './logger.js';
import { isTextual, type Reply } from './reply.js';

/**
 * A reply the outbox can keep. Media replies carry Buffers (up to 20 MB) that do not belong
 * in a store: they are sent unrecorded, so a crash while one is sent handles the message again.
 */
export type KeptReply = Extract<Reply, { content: string }> | Extract<Reply, { type: 'NEWS' }>;

/** A reply entry's payload; a message entry turns into one when its first reply is recorded. */
export interface ReplyRecord {
  target: PushTarget;
  reply?: KeptReply;
  /** Sends after a restart: WeCom has no idempotency key, so an unconfirmed reply gets one more. */
  resends?: number;
}

export interface MessageRecord extends ReplyRecord {
  /** What the channel rebuilds the Context from (the decrypted platform message). */
  message: unknown;
  receivedAt: number;
  /** Times it was taken up again after its process died (not OutboxEntry.attempts: each claim renewal counts there). */
  resumes: number;
}

/** Set on a Context whose message the outbox holds: the pipeline's send stage records its replies. */
export const OUTBOX_MESSAGE = contextKey<DurableMessage>('outbox message');

/** What a message's record needs of the outbox (the Outbox class): kept apart so the two files do not import each other. */
export interface OutboxLedger {
  readonly logger: Logger;
  update(id: string, record: ReplyRecord): Promise<boolean>;
  addReply(id: string, record: ReplyRecord): Promise<void>;
  finish(id: string): Promise<void>;
}

/**
 * One accepted message's record, on its Context while the pipeline handles it. Its first kept
 * reply is written into the message's own record (one atomic step: the message is answered
 * from then on, never handled again); later replies get records of their own.
 */
export class DurableMessage {
  private stage: 'received' | 'replying' | 'closed' = 'received';
  private replies = 0;

  constructor(
    private readonly outbox: OutboxLedger,
    readonly id: string,
    private readonly record: MessageRecord,
    private readonly recorded: boolean,
  ) {}

  /** Runs the handling with this record on the Context; the record is done when it resolves. */
  async handle(context: Context, run: (context: Context) => Promise<void>): Promise<void> {
    ctxSet(context, OUTBOX_MESSAGE, this);
    try {
      await run(context);
    } finally {
      await this.close();
    }
  }

  /**
   * Sends `reply` through `send`, recorded first and done once `send` resolves (or throws:
   * a failure is reported, not resumed). False: another instance took this message over and
   * answers it, so this reply is dropped.
   */
  async send(reply: Reply, send: () => Promise<void>): Promise<boolean> {
    const kept = keptReply(reply);
    if (!kept || !this.recorded) {
      await send();
      return true;
    }
    const id = await this.recordReply(kept);
    if (id === false) {
      this.outbox.logger.warn({ id: this.id }, 'another instance took this message over (this process stalled past its claim); its reply is dropped here');
      return false;
    }
    try {
      await send();
    } finally {
      if (id) await this.outbox.finish(id);
    }
    return true;
  }

  /** The handling finished: a message still without a kept reply is done now. */
  async close(): Promise<void> {
    if (this.stage !== 'received') return;
    this.stage = 'closed';
    if (this.recorded) await this.outbox.finish(this.id);
  }

  /** The record's id; false when the message was taken over; undefined when the store failed (sent unrecorded). */
  private async recordReply(reply: KeptReply): Promise<string | false | undefined> {
    const first = this.stage === 'received';
    try {
      if (first) {
        this.stage = 'replying';
        return (await this.outbox.update(this.id, { ...this.record, reply, resends: 0 })) && this.id;
      }
      const id = `${this.id}:r${++this.replies}`;
      await this.outbox.addReply(id, { target: this.record.target, reply, resends: 0 });
      return id;
    } catch (error) {
      // Still unanswered in the store: the message must be done when its handling ends.
      if (first) this.stage = 'received';
      this.outbox.logger.error({ err: error, id: this.id }, 'could not record a reply in the outbox; sending it without crash protection');
      return undefined;
    }
  }
}

/** The reply as the outbox keeps it; undefined for media (see KeptReply). */
function keptReply(reply: Reply): KeptReply | undefined {
  return reply.type === 'NEWS' || isTextual(reply) ? reply : undefined;
}
