import { describe, expect, it } from 'vitest';
import { createContext, ContextType } from './context.js';
import { Action, definePlugin } from './plugin.js';
import type { HookRun } from './plugin-manager.js';
import { createTestApp } from './testing/index.js';

describe('PluginManager.observer', () => {
  it('is told of every hook run: each plugin with the hook, what it returned, and how the chain ended', async () => {
    const app = createTestApp();
    const runs: HookRun[] = [];
    app.plugins.observer = (run) => runs.push(run);
    await app.plugins.add(definePlugin({ name: 'first', priority: 10, onHandleContext: () => Action.CONTINUE }));
    await app.plugins.add(definePlugin({ name: 'broken', priority: 5, onHandleContext: () => { throw new Error('boom'); } }));
    await app.plugins.add(definePlugin({ name: 'stopper', priority: 1, onHandleContext: () => Action.BREAK_PASS }));
    await app.pipeline.handle(createContext({ type: ContextType.TEXT, content: 'hi', channel: 'recording', senderId: 'alice' }));

    expect(runs.map((r) => [r.hook, r.result])).toEqual([
      ['onReceiveMessage', 'continue'],
      ['onHandleContext', 'break_pass'],
    ]);
    const handle = runs[1]!;
    expect(handle.steps.map(({ plugin, action, failed }) => ({ plugin, action, failed }))).toEqual([
      { plugin: 'first', action: 'continue', failed: undefined },
      { plugin: 'broken', action: 'continue', failed: true },
      { plugin: 'stopper', action: 'break_pass', failed: undefined },
    ]);
    expect(handle.event.context.content).toBe('hi');
    expect(app.recorder.sent).toEqual([]);
  });
});
