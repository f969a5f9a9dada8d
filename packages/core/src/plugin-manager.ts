import type { Logger } from './logger.js';
import { Action, HOOK_NAMES, type Disposer, type HookEvent, type HookName, type Plugin, type PluginControl, type PluginHost, type PluginInfo } from './plugin.js';

interface Entry extends PluginInfo {
  dispose?: Disposer;
}

/** One hook's run through the plugins, as an observer sees it (the dev server traces messages with it). */
export interface HookRun {
  hook: HookName;
  event: HookEvent;
  /** Each enabled plugin with the hook, in the order it ran: what it returned, how long it took. */
  steps: Array<{ plugin: string; action: Action; ms: number; failed?: boolean }>;
  result: Action;
}

/**
 * Holds the plugins in priority order and runs a hook through them. A plugin that throws
 * is logged with its name and skipped; the chain goes on.
 */
export class PluginManager implements PluginControl {
  private readonly entries: Entry[] = [];
  /** What every plugin's setup receives; it holds this manager as its plugin list. */
  readonly host: PluginHost;
  /** Optional: told of every hook run, after it ended. Must not throw; nothing waits for it. */
  observer?: (run: HookRun) => void;

  constructor(
    private readonly logger: Logger,
    host: Omit<PluginHost, 'plugins'>,
  ) {
    this.host = { ...host, plugins: this };
  }

  async add(plugin: Plugin, options: { enabled?: boolean; source?: string } = {}): Promise<void> {
    validatePlugin(plugin);
    if (this.entries.some((e) => e.name === plugin.name)) throw new Error(`A plugin named "${plugin.name}" is already loaded.`);
    const entry: Entry = {
      name: plugin.name,
      description: plugin.description ?? '',
      priority: plugin.priority ?? 0,
      enabled: false,
      source: options.source ?? 'builtin',
      plugin,
    };
    this.entries.push(entry);
    // Stable sort: equal priorities keep their load order.
    this.entries.sort((a, b) => b.priority - a.priority);
    if (options.enabled ?? true) await this.enable(plugin.name);
  }

  async remove(name: string): Promise<void> {
    await this.disable(name);
    const index = this.entries.findIndex((e) => e.name === name);
    if (index >= 0) this.entries.splice(index, 1);
  }

  async enable(name: string): Promise<void> {
    const entry = this.get(name);
    if (entry.enabled) return;
    const disposer = await entry.plugin.setup?.(this.host);
    if (typeof disposer === 'function') entry.dispose = disposer;
    entry.enabled = true;
  }

  async disable(name: string): Promise<void> {
    const entry = this.get(name);
    if (!entry.enabled) return;
    entry.enabled = false;
    const dispose = entry.dispose;
    entry.dispose = undefined;
    await dispose?.();
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  list(): PluginInfo[] {
    return this.entries.map(({ dispose: _dispose, ...info }) => ({ ...info }));
  }

  /** Runs one hook through the enabled plugins; returns how the chain ended. */
  async run(hook: HookName, event: HookEvent): Promise<Action> {
    const steps: HookRun['steps'] | undefined = this.observer ? [] : undefined;
    const result = await this.runSteps(hook, event, steps);
    if (steps) this.observer?.({ hook, event, steps, result });
    return result;
  }

  private async runSteps(hook: HookName, event: HookEvent, steps: HookRun['steps'] | undefined): Promise<Action> {
    for (const entry of this.entries) {
      const fn = entry.enabled ? entry.plugin[hook] : undefined;
      if (!fn) continue;
      const started = performance.now();
      let result;
      try {
        result = await fn.call(entry.plugin, event);
      } catch (error) {
        steps?.push({ plugin: entry.name, action: Action.CONTINUE, ms: performance.now() - started, failed: true });
        this.logger.error({ err: error, plugin: entry.name, hook, session: event.context.sessionId }, `plugin ${entry.name} failed in ${hook}; skipped`);
        continue;
      }
      steps?.push({ plugin: entry.name, action: result ?? Action.CONTINUE, ms: performance.now() - started });
      if (result === Action.BREAK || result === Action.BREAK_PASS) {
        this.logger.debug({ plugin: entry.name, hook, action: result }, 'plugin ended the chain');
        return result;
      }
    }
    return Action.CONTINUE;
  }

  async disposeAll(): Promise<void> {
    for (const entry of [...this.entries]) {
      try {
        await this.disable(entry.name);
      } catch (error) {
        this.logger.warn({ err: error, plugin: entry.name }, 'plugin failed to shut down');
      }
    }
  }

  private get(name: string): Entry {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`No plugin named "${name}". Loaded: ${this.entries.map((e) => e.name).join(', ') || 'none'}.`);
    return entry;
  }
}

/** Catches the mistakes a plugin author makes most, with a message that says what to fix. */
function validatePlugin(plugin: Plugin): void {
  if (typeof plugin !== 'object' || plugin === null) throw new Error('A plugin must be an object with a name and hooks.');
  if (typeof plugin.name !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/i.test(plugin.name)) {
    throw new Error(`A plugin needs a "name" made of letters, digits, "-" or "_" (got ${JSON.stringify(plugin.name)}).`);
  }
  if (plugin.priority !== undefined && !Number.isFinite(plugin.priority)) throw new Error(`Plugin ${plugin.name}: "priority" must be a number.`);
  for (const hook of HOOK_NAMES) {
    if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') throw new Error(`Plugin ${plugin.name}: "${hook}" must be a function.`);
  }
  if (!HOOK_NAMES.some((hook) => plugin[hook]) && !plugin.setup) {
    throw new Error(`Plugin ${plugin.name} has no hooks: define at least one of ${HOOK_NAMES.join(', ')}.`);
  }
}
