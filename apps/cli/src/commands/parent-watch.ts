/**
 * `pnpm start` runs the bot as a grandchild (pnpm → sh → node). A SIGTERM to pnpm — systemd
 * or a container stopping a service started that way — ends pnpm and the shell but never
 * reaches node, which would run on, orphaned, holding its port. So under a package manager's
 * script (it sets npm_lifecycle_event) the parent going away is a stop signal too.
 * Returns a function that stops watching.
 */
export function onParentExit(callback: () => void, env: NodeJS.ProcessEnv = process.env, intervalMs = 250): () => void {
  if (!env.npm_lifecycle_event) return () => undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    // Orphans are re-parented (to init or a subreaper): the pid we started under is gone.
    if (process.ppid === parent) return;
    clearInterval(timer);
    callback();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
