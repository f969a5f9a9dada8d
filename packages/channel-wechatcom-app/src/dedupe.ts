import type { SeenStore } from '@wecom-bot/core';
import type { WecomInboundMessage } from './xml/parse-message.js';

/** How long a message is remembered. WeCom's retries come within ~15 s; replays beyond this are refused by timestamp. */
export const REMEMBER_MS = 10 * 60_000;

/**
 * The messages received, by dedupe key, with the passive answer each got — in the seen
 * store, so a retry that reaches this process after a restart (or another instance) is not
 * answered twice. WeCom retries when our answer did not reach it: the retry must not reach the
 * bot again, and it must get the same answer, or a passive reply given to the first attempt
 * is lost. A retry while the first attempt is still being answered shares its promise.
 */
export class ReceivedMessages {
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly seen: SeenStore,
    private readonly ttlMs = REMEMBER_MS,
  ) {}

  /**
   * The callback answer for `key`: the attempt runs the first time the message is seen; a
   * repeat gets the answer the first attempt got. `onRepeat` says which it was.
   */
  receive(key: string, attempt: FirstAttempt, onRepeat: (answered: boolean) => void): Promise<string | undefined> {
    const running = this.inFlight.get(key);
    if (running) {
      onRepeat(true);
      return running;
    }
    const answer = this.firstOrRepeat(key, attempt, onRepeat);
    this.inFlight.set(key, answer);
    void answer.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    return answer;
  }

  private async firstOrRepeat(key: string, attempt: FirstAttempt, onRepeat: (answered: boolean) => void): Promise<string | undefined> {
    // Recorded before it is marked seen: a crash between the two then leaves a record that is
    // resumed, where the other order would leave a seen mark that turns WeCom's retry away
    // with the message never answered.
    const recorded = attempt.record ? await attempt.record() : true;
    const seen = await this.seen.remember<string>(key, this.ttlMs);
    if (!seen.first || !recorded) {
      // Seen before (its first attempt is over): the record just made is not needed.
      if (recorded) await attempt.discard?.();
      const answer = seen.first ? undefined : seen.answer;
      onRepeat(answer !== undefined);
      return answer;
    }
    const answer = await attempt.answer();
    if (answer !== undefined) await this.seen.setAnswer(key, answer, this.ttlMs);
    return answer;
  }
}

/** What a channel does with a message the first time it comes. */
export interface FirstAttempt {
  /** Records the message where it is answered from after a crash (the outbox); false: an earlier attempt's record is there. */
  record?(): Promise<boolean>;
  /** Drops what `record` wrote, for a message seen before. */
  discard?(): Promise<void>;
  /** The callback answer: undefined when it is acknowledged only. */
  answer(): Promise<string | undefined>;
}

/**
 * MsgId when there is one; events have none, so sender + CreateTime + event name + EventKey
 * (two menu clicks within one second differ only in EventKey; a retry repeats all four).
 */
export function dedupeKey(msg: WecomInboundMessage): string {
  if (msg.msgId) return `id:${msg.msgId}`;
  const eventKey = typeof msg.fields.EventKey === 'string' ? msg.fields.EventKey : '';
  return `ev:${msg.fromUserName}:${msg.createTime}:${msg.event ?? msg.msgType}:${eventKey}`;
}
