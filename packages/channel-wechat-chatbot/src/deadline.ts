import { contextKey, ctxGet, ctxSet, type Context } from '@wecom-bot/core';
import type { PendingAnswers } from './pending-answers.js';

/**
 * The HTTP response a synchronous request (modes 1 and 2) is waiting for. `send` offers the
 * bot's answer to it; once the deadline has passed it is closed and answers go to
 * PendingAnswers instead, for the user's next request.
 */
export class ReplyTicket {
  private readonly texts: string[] = [];
  private isOpen = true;
  private wake: () => void = () => {};
  /** Resolves at the first offered answer. */
  readonly firstAnswer = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(readonly pendingKey: string) {}

  /** True when the answer will be part of the HTTP response. */
  offer(text: string): boolean {
    if (!this.isOpen) return false;
    this.texts.push(text);
    this.wake();
    return true;
  }

  /** No more answers are taken; returns those that made it. */
  close(): string[] {
    this.isOpen = false;
    return this.texts;
  }
}

const TICKET = contextKey<ReplyTicket>('wechat_chatbot.ticket');

export function ticketOf(context: Context): ReplyTicket | undefined {
  return ctxGet(context, TICKET);
}

export interface SyncAnswerOptions {
  /** Time left for this request, in ms. */
  deadlineMs: number;
  placeholder: string;
  followupKeyword: string;
  pending: PendingAnswers;
  /** Hands the Context to the pipeline; resolves when it is fully handled, never rejects. */
  handle: (context: Context) => Promise<void>;
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
  if (context.content.trim() === options.followupKeyword && pending.hasWork(pendingKey)) {
    const ready = await pending.waitFor(pendingKey, deadlineMs);
    return ready.length > 0 ? joinAnswers(ready) : placeholder;
  }

  const ticket = new ReplyTicket(pendingKey);
  ctxSet(context, TICKET, ticket);
  pending.begin(pendingKey);
  let finished = false;
  const handled = options.handle(context).finally(() => {
    finished = true;
    pending.end(pendingKey);
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
  await Promise.race([ticket.firstAnswer, handled, timedOut]);
  clearTimeout(timer);
  const now = ticket.close();
  // Taken at the end, not on arrival: an earlier message's answer that missed its own
  // deadline while this one waited (the session runs in order) comes before this answer.
  const earlier = pending.take(pendingKey);
  // Finished without an answer (a plugin swallowed the message): no placeholder, nothing follows.
  const stillWorking = now.length === 0 && !finished;
  return joinAnswers([...earlier, ...now, ...(stillWorking ? [placeholder] : [])]);
}
