import type { Context, DurableMessage, Outbox } from '@wecom-bot/core';
import type { FirstAttempt } from './dedupe.js';
import type { WecomInboundMessage } from './xml/parse-message.js';

/** How the channel answers a message received for the first time, through its outbox record when it has one. */
export type FirstAnswer = (message: WecomInboundMessage, context: Context | undefined, durable: DurableMessage | undefined) => Promise<string | undefined>;

/**
 * A callback message received for the first time: recorded in the outbox before it is
 * acknowledged (when there is an outbox and the bot reads the message), then answered. A
 * class, not an object of arrows: keepNames (tsx, the build) renames every arrow it makes in
 * a const or a property, an Object.defineProperty each, and this runs on every callback.
 */
export class FirstCallback implements FirstAttempt {
  readonly record?: () => Promise<boolean>;
  private durable: DurableMessage | undefined;

  constructor(
    key: string,
    private readonly message: WecomInboundMessage,
    private readonly context: Context | undefined,
    outbox: Outbox | undefined,
    private readonly answerWith: FirstAnswer,
  ) {
    // Recorded before the ack: WeCom never retries an acked callback, so only this record can resume it.
    // The XML fields alone: the typed fields are read from them again, and the record is half the size.
    if (context && outbox) this.record = async () => (this.durable = await outbox.accept(key, message.fields, { receiver: context.receiver, isGroup: context.isGroup })) !== undefined;
  }

  answer(): Promise<string | undefined> {
    return this.answerWith(this.message, this.context, this.durable);
  }

  async discard(): Promise<void> {
    await this.durable?.close();
  }
}
