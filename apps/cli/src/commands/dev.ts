import { integrations } from '../integrations.js';
import { inspectAppConfig, locateConfig } from '../load.js';
import { loadUserIntegrations } from '../user-integrations.js';

/**
 * `wecom-bot dev`: the configured bot, for real (both WeCom channels, real encryption),
 * against local stand-ins for WeCom, in a page that looks like the WeCom client. Needs no
 * enterprise, no public URL and no key (the echo bot answers then). Runs until Ctrl-C.
 */
export async function devCommand(options: { config?: string; port: number; host: string }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const location = locateConfig(options.config);
  const user = await loadUserIntegrations(location);
  const extra = user.map((u) => u.integration);
  // Nothing configured is fine here: the page is the person at the terminal, as in the demo.
  const inspected = inspectAppConfig(location, extra, true);
  let server;
  try {
    // Loaded here, not at the top: every other command (and --version) would otherwise load the
    // dev server, esbuild and the WeCom stand-ins at each start.
    const { startDevServer } = await import('@wecom-bot/dev');
    server = await startDevServer({
      config: inspected.config,
      problems: inspected.problems,
      integrations: [...integrations, ...extra],
      configPath: inspected.fromFile ? location.path : undefined,
      secretValues: inspected.secretValues,
      host: options.host,
      port: options.port,
    });
  } catch (error) {
    if (error instanceof Error && /cannot listen/.test(error.message)) {
      process.stderr.write(`wecom-bot dev: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const warning of inspected.warnings) out.write(`config: ${warning}\n`);
  for (const note of server.hub.info.notes) out.write(`note: ${note}\n`);
  out.write(
    `\nwecom-bot dev is running: open ${server.url}\n` +
      `  1:1 chat with the self-built app (wechatcom_app) and a group chat with the AI bot (wecom_bot),\n` +
      `  both against local stand-ins for WeCom; the developer panel shows every callback, API call and plugin.\n` +
      `  Ctrl-C stops.\n\n`,
  );
  const signal = await new Promise<string>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve(name));
  });
  out.write(`${signal}: stopping\n`);
  await server.stop();
  return 0;
}
