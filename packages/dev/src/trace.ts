import type { Context } from '@wecom-bot/core';
import type { HookRun } from '@wecom-bot/core/runtime';
import type { Hub } from './hub.js';
import type { ChatId } from './protocol.js';

/** The id a message is traced by: its platform id, or for events (which have none) sender, time and name, as the stand-ins make it. */
export function traceKey(context: Context): string {
  return context.messageId ?? `${context.senderId}:${context.createdAt}:${context.content}`;
}

/**
 * Turns the plugin manager's hook runs into panel lines: for each message, which hook ran,
 * which plugins had it, what each returned and how long it took, and the bot's turn between
 * onHandleContext and onDecorateReply.
 */
export class PluginTracer {
  private readonly traces = new WeakMap<Context, string>();
  private readonly botSince = new WeakMap<Context, number>();
  private readonly streamShown = new WeakSet<Context>();
  private readonly sending = new Map<ChatId, string>();

  constructor(
    private readonly hub: Hub,
    /** bot_type of each side, to name who answered. */
    private readonly botOf: (chat: ChatId) => string,
  ) {}

  /** The observer for one side's PluginManager. A failure here must never reach a message. */
  observer(chat: ChatId): (run: HookRun) => void {
    return (run) => {
      try {
        this.onRun(chat, run);
      } catch {
        // The panel misses a line; the message goes on.
      }
    };
  }

  /** The message whose reply is on its way out (onSendReply just ran): API calls and frames that name no message belong to it. */
  sendingTrace(chat: ChatId): string | undefined {
    return this.sending.get(chat);
  }

  private onRun(chat: ChatId, run: HookRun): void {
    const { context, reply } = run.event;
    let trace = this.traces.get(context);
    if (!trace) this.traces.set(context, (trace = traceKey(context)));
    // onStreamText runs for every frame of a streamed answer: one line says the plugins saw it.
    if (run.hook === 'onStreamText' && (run.steps.length === 0 || this.streamShown.has(context))) return;
    if (run.hook === 'onStreamText') this.streamShown.add(context);
    if (run.hook === 'onSendReply') this.sending.set(chat, trace);
    const since = this.botSince.get(context);
    if (since !== undefined && run.hook === 'onDecorateReply') {
      this.botSince.delete(context);
      const ms = performance.now() - since - total(run);
      // The reply seen here is already decorated (voice may have made it VOICE): the hook's line says what it became.
      this.hub.record({ chat, kind: 'plugins', title: `bot ${this.botOf(chat)} answered`, ok: true, ms, trace });
    }
    const first = run.hook === 'onReceiveMessage';
    const request = first ? describe(context) : undefined;
    const title = `${run.hook} → ${run.result}${reply ? ` · reply ${reply.type}` : ''}`;
    const steps = run.steps.map((s) => ({ ...s, ms: Math.round(s.ms * 10) / 10 }));
    this.hub.record({ chat, kind: 'plugins', title, ok: !run.steps.some((s) => s.failed), ms: total(run), steps, request, trace });
    if (run.hook === 'onHandleContext' && run.result !== 'break_pass' && !reply) this.botSince.set(context, performance.now());
  }
}

function total(run: HookRun): number {
  return run.steps.reduce((sum, step) => sum + step.ms, 0);
}

function describe(context: Context): string {
  const { type, content, sessionId, senderId, receiver, isGroup, isAt, channel, groupId } = context;
  return JSON.stringify({ channel, type, content, sessionId, senderId, receiver, isGroup, isAt, groupId }, null, 2);
}
