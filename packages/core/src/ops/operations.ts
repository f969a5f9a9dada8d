import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecretRegistry } from '../secrets.js';
import type { Stores } from '../store/contracts.js';
import { listenOps, serveOps, type OpsServer } from './http.js';
import { BotMetrics, errcodeOf } from './metrics.js';
import { Readiness } from './readiness.js';
import { RecentErrors } from './recent-errors.js';

/** Every wecom-bot package shares one version; core's is the one at hand. */
const VERSION = coreVersion();

/**
 * core's package.json is two folders up from this file in src/ops/, one up from the bundled
 * file in dist/ that carries this code (scripts/build.mjs).
 */
function coreVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@wecom-bot/core' && pkg.version) return pkg.version;
    } catch {
      // not there: the other depth
    }
  }
  throw new Error('@wecom-bot/core: its package.json is not beside its code');
}

export interface OperationsOptions {
  /** Scrubs what /readyz and `#status` show. */
  secrets?: SecretRegistry;
  /** Answers /readyz's "store" check with a read. */
  stores?: Stores;
}

/**
 * What an administrator runs the app by, one per app: the metrics, the readiness checks,
 * the recent errors, and the ops endpoints that show them (`serve` inside a channel's
 * server, `listen` where the channel has none).
 */
export class Operations {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly metrics = new BotMetrics();
  readonly readiness: Readiness;
  readonly recentErrors: RecentErrors;

  constructor(options: OperationsOptions = {}) {
    const redact = (text: string) => options.secrets?.redact(text) ?? text;
    this.readiness = new Readiness(redact);
    this.recentErrors = new RecentErrors(10, redact);
    this.readiness.state('channel', false, 'not started');
    const stores = options.stores;
    if (stores) {
      this.readiness.set('store', async () => {
        await stores.settings.get('ops:readyz');
        return { ready: true, detail: `${stores.description} answers` };
      });
    }
  }

  /** The ops paths on a channel's own server: true when it took the request (see `serveOps`). */
  readonly serve = (req: IncomingMessage, res: ServerResponse): boolean => serveOps(this, req, res);

  /** A server of its own for the ops paths (a channel with no server). */
  listen(options: { port: number; host?: string; portKey?: string }): Promise<OpsServer> {
    return listenOps(this.serve, options);
  }

  /** A send the platform refused or that failed: counted by errcode, and kept for `#status`. */
  sendFailed(channel: string, error: unknown): void {
    this.metrics.sendError(channel, errcodeOf(error));
    this.recentErrors.add(`${channel}: ${error instanceof Error ? error.message : String(error)}`);
  }

  get uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }
}
