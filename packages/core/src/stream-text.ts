import { Action, type HookEvent } from './plugin.js';
import type { PluginManager } from './plugin-manager.js';
import type { ReplyWindow } from './reply-window.js';

/**
 * The bot's "text so far" on its way into a streaming window: through the plugins'
 * onStreamText (a banned word masked before anyone sees it), one run at a time. Text that
 * arrives while a run is busy waits for the next one, the newest replacing the older: the
 * channel throttles frames anyway, and each frame carries the whole text.
 */
export function streamThroughPlugins(plugins: PluginManager, event: HookEvent, window: ReplyWindow<unknown>): (soFar: string) => void {
  let busy = false;
  let waiting: string | undefined;
  let hidden = false;
  const run = async (text: string): Promise<void> => {
    busy = true;
    const frame: HookEvent = { ...event, streamText: text };
    if ((await plugins.run('onStreamText', frame)) === Action.BREAK_PASS) hidden = true;
    else window.showText(frame.streamText ?? text);
    busy = false;
    const next = waiting;
    waiting = undefined;
    if (next !== undefined && !hidden) void run(next);
  };
  return (soFar) => {
    if (hidden) return;
    if (busy) waiting = soFar;
    else void run(soFar);
  };
}
