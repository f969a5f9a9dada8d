import { ReplyWindow, type Context, type MessageHandler } from '@wecom-bot/core';
import type { PendingAnswers } from './pending-answers.js';
import { replyToText } from './reply-text.js';

export interface SyncAnswerOptions {
  /** Time left for this request, in ms. */
  deadlineMs: number;
  placeholder: string;
  followupKeyword: string;
  pending: PendingAnswers;
  /**
   * Hands the Context and its reply window to the pipeline; resolves when it is fully handled.
   * Replies after the deadline go out through the channel's `send`, to PendingAnswers.
   */
  handle: MessageHandler;
}

/** Joins several answers into one response text. */
export const joinAnswers = (answers: readonly string[]): string => answers.join('\n\n');

/**
 * Answers a synchronous request within the deadline: the bot's answer if it is ready, else
 * the placeholder while the work goes on. Answers that finished after an earlier deadline
 * are handed over first; the follow-up keyword only collects them (waiting for unfinished
 * work up to the deadline) instead of asking the bot.
 */
export async function answerInTime(context: Context, pendingKey: string, options: SyncAnswerOptions): Promise<string> {
  const { pending, deadlineMs, placeholder } = options;
  if (context.content.trim() === options.followupKeyword && (await pending.hasWork(pendingKey))) {
    const ready = await pending.waitFor(pendingKey, deadlineMs);
    return ready.length > 0 ? joinAnswers(ready) : placeholder;
  }

  // Any reply, as text, and as many as arrive before the window closes.
  const window = new ReplyWindow({ fit: replyToText });
  pending.begin(pendingKey);
  let finished = false;
  const handled = options.handle(context, window).finally(() => {
    finished = true;
    pending.end(pendingKey);
  });
  const now = await window.closeWhenAnswered(handled, deadlineMs);
  // Taken at the end, not on arrival: an earlier message's answer that missed its own
  // deadline while this one waited (the session runs in order) comes before this answer.
  const earlier = await pending.take(pendingKey);
  // Finished without an answer (a plugin swallowed the message): no placeholder, nothing follows.
  const stillWorking = now.length === 0 && !finished;
  return joinAnswers([...earlier, ...now, ...(stillWorking ? [placeholder] : [])]);
}
