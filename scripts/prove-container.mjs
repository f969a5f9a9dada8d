#!/usr/bin/env node
// Runs the Dockerfile's instructions in chroots (see prove-container.sh, which makes the Debian
// root and calls this as root), then checks the final stage as the container would run.
// It follows what this Dockerfile uses: ARG (global and per stage), FROM (the Debian base or
// an earlier stage), ENV, WORKDIR, COPY (context with .dockerignore, or --from a stage), RUN,
// USER, and records EXPOSE, VOLUME, HEALTHCHECK, ENTRYPOINT and CMD. Anything else fails.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: { base: { type: 'string' }, work: { type: 'string' } } });
const context = resolve(dirname(new URL(import.meta.url).pathname), '..');
const base = resolve(opts.base);
const work = resolve(opts.work);
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// The host's trust additions, copied into the base by prove-container.sh: Node reads them from
// the system bundle that ca-certificates builds. Not part of the image's own environment.
const hostCa = existsSync(base) && readdirSync(join(base, 'usr/local/share/ca-certificates')).some((f) => f.startsWith('host-'));
const hostEnv = hostCa ? { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' } : {};

// ---- parse ------------------------------------------------------------------------------------
const instructions = readFileSync(join(context, 'Dockerfile'), 'utf8')
  .split('\n')
  .filter((line) => !/^\s*#/.test(line))
  .join('\n')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean)
  .map((line) => {
    const [, op, rest] = /^(\S+)\s+([\s\S]*)$/.exec(line);
    return { op: op.toUpperCase(), rest };
  });

const expand = (text, vars) => text.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, a, dflt, b) => vars[a ?? b] || (dflt ?? ''));
/** `A=1 B` / `A B=2` → [[name, value|undefined]] */
const pairs = (text) => [...text.matchAll(/(\w+)(?:=("[^"]*"|\S*))?/g)].map(([, k, v]) => [k, v?.replace(/^"|"$/g, '')]);

// ---- chroot plumbing ----------------------------------------------------------------------------
const mounted = new Set();
function mountInto(root) {
  for (const [where, args] of [
    ['proc', ['-t', 'proc', 'proc']],
    ['dev', ['--bind', '/dev']],
  ]) {
    const target = join(root, where);
    mkdirSync(target, { recursive: true });
    sh('mount', [...args, target]);
    mounted.add(target);
  }
  cpSync('/etc/resolv.conf', join(root, 'etc/resolv.conf'));
}
function unmountAll() {
  for (const target of [...mounted].reverse()) {
    spawnSync('umount', ['-l', target]);
    mounted.delete(target);
  }
}
process.on('exit', unmountAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function sh(file, args, options = {}) {
  const run = spawnSync(file, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (run.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${run.status ?? run.signal}`);
  return run;
}

function uidOf(root, user) {
  if (/^\d+(:\d+)?$/.test(user)) return user.includes(':') ? user : `${user}:${user}`;
  const line = readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`USER ${user}: no such user in the image`);
  const [, , uid, gid] = line.split(':');
  return `${uid}:${gid}`;
}

/** argv for running `command` (argv) in `root` as the image would: env, user, working directory. */
function chrootArgv(stage, command, extraEnv = {}) {
  const env = { PATH, HOME: stage.user === 'root' ? '/root' : '/data', ...stage.args, ...stage.env, ...extraEnv };
  const inner = ['/usr/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/bin/sh', '-c', 'cd "$0" && exec "$@"', stage.workdir, ...command];
  return ['chroot', ...(stage.user === 'root' ? [] : [`--userspec=${uidOf(stage.root, stage.user)}`]), stage.root, ...inner];
}

function runIn(stage, command, extraEnv = {}, capture = false) {
  mountInto(stage.root);
  try {
    const [file, ...args] = chrootArgv(stage, command, extraEnv);
    const run = spawnSync(file, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
    return run;
  } finally {
    unmountAll();
  }
}

// ---- .dockerignore, for COPY from the context ------------------------------------------------
function rsyncExcludes() {
  const path = join(context, '.dockerignore');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((pattern) => {
      if (pattern.startsWith('!')) throw new Error(`.dockerignore: exceptions (${pattern}) are not emulated here`);
      const p = pattern.replace(/^\//, '');
      // "**/x": at any depth (rsync: a pattern without a slash); otherwise anchored at the root.
      if (p.startsWith('**/') && !p.slice(3).includes('/')) return [`--exclude=${p.slice(3)}`];
      return [`--exclude=/${p}`];
    });
}

// ---- build --------------------------------------------------------------------------------------
const buildArgs = { TARGETARCH: arch() === 'arm64' ? 'arm64' : 'amd64' };
const globalArgs = {};
const stages = new Map();
let stage;
let index = 0;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

for (const { op, rest } of instructions) {
  if (op === 'ARG') {
    for (const [name, value] of pairs(rest)) {
      if (!stage) globalArgs[name] = value ?? '';
      else stage.args[name] = buildArgs[name] ?? globalArgs[name] ?? value ?? '';
    }
    continue;
  }
  if (op === 'FROM') {
    const [image, , name] = expand(rest, globalArgs).split(/\s+/);
    const root = join(work, `${index++}-${name ?? 'final'}`);
    const parent = stages.get(image);
    const expected = `debian:${globalArgs.DEBIAN_RELEASE}-slim`;
    if (!parent && image !== expected) throw new Error(`FROM ${image}: only ${expected} (made by debootstrap) or an earlier stage`);
    console.log(`\n=== FROM ${image}${name ? ` AS ${name}` : ''}  (${root})`);
    sh('cp', ['-a', parent ? parent.root : base, root]);
    stage = { name, root, args: {}, env: { ...(parent?.env ?? {}) }, workdir: parent?.workdir ?? '/', user: parent?.user ?? 'root', meta: {} };
    if (name) stages.set(name, stage);
    continue;
  }
  if (!stage) throw new Error(`${op} before FROM`);
  const vars = { ...stage.args, ...stage.env };
  console.log(`--- ${op} ${rest.length > 150 ? `${rest.slice(0, 150)}…` : rest}`);
  switch (op) {
    case 'ENV':
      for (const [k, v] of pairs(expand(rest, vars))) stage.env[k] = v ?? '';
      break;
    case 'WORKDIR':
      stage.workdir = resolve(stage.workdir, expand(rest, vars));
      mkdirSync(join(stage.root, stage.workdir), { recursive: true });
      break;
    case 'USER':
      stage.user = expand(rest, vars);
      break;
    case 'RUN': {
      const run = runIn(stage, ['/bin/sh', '-c', rest], hostEnv);
      if (run.status !== 0) throw new Error(`RUN failed (${run.status ?? run.signal}) in stage ${stage.name ?? 'final'}`);
      break;
    }
    case 'COPY': {
      const words = expand(rest, vars).split(/\s+/);
      const from = words[0].startsWith('--from=') ? words.shift().slice(7) : undefined;
      const dest = resolve(stage.workdir, words.pop());
      for (const src of words) {
        const target = join(stage.root, dest);
        if (from) {
          const source = join(stages.get(from).root, src);
          mkdirSync(dirname(target), { recursive: true });
          sh('cp', ['-a', '-T', source, target]);
        } else if (src === '.') {
          mkdirSync(target, { recursive: true });
          sh('rsync', ['-a', ...rsyncExcludes(), `${context}/`, `${target}/`]);
        } else {
          mkdirSync(dirname(target), { recursive: true });
          sh('cp', ['-a', '-T', join(context, src), target]);
        }
      }
      break;
    }
    case 'EXPOSE':
    case 'VOLUME':
    case 'HEALTHCHECK':
    case 'ENTRYPOINT':
    case 'CMD':
      stage.meta[op] = rest;
      break;
    default:
      throw new Error(`${op}: not emulated by this script`);
  }
}

// ---- check the final stage as `docker run` would use it -----------------------------------------
const image = stage;
const entrypoint = JSON.parse(image.meta.ENTRYPOINT);
const healthcheck = JSON.parse(image.meta.HEALTHCHECK.slice(image.meta.HEALTHCHECK.indexOf('CMD') + 3).trim());
let failures = 0;
const results = [];
const check = (ok, what, detail = '') => {
  results.push(`${ok ? 'ok' : 'FAILED'}  ${what}${detail ? `\n        ${detail.trim().split('\n').join('\n        ')}` : ''}`);
  if (!ok) failures++;
};

console.log('\n=== checks of the final stage');
const osRelease = readFileSync(join(image.root, 'etc/os-release'), 'utf8').match(/PRETTY_NAME="(.*)"/)[1];
const nodeVersion = runIn(image, ['node', '--version'], {}, true).stdout.trim();
check(/^v24\./.test(nodeVersion), `${osRelease}, node ${nodeVersion}, user ${image.user} (${uidOf(image.root, image.user)}), workdir ${image.workdir}`);

const encoders = runIn(image, ['ffmpeg', '-hide_banner', '-encoders'], {}, true);
const amr = encoders.stdout.split('\n').filter((l) => /amr/i.test(l)).join('\n');
check(/libopencore_amrnb/.test(amr), 'ffmpeg -hide_banner -encoders lists an AMR-NB encoder', amr);
const version = runIn(image, ['ffmpeg', '-hide_banner', '-version'], {}, true).stdout.split('\n')[0];
const encode = runIn(
  image,
  ['sh', '-c', 'ffmpeg -hide_banner -loglevel error -f lavfi -i sine=frequency=440:duration=2 -ar 8000 -ac 1 -c:a libopencore_amrnb -b:a 12.2k -y /tmp/probe.amr && head -c 6 /tmp/probe.amr && rm /tmp/probe.amr'],
  {},
  true,
);
check(encode.status === 0 && encode.stdout.startsWith('#!AMR'), `${version}: encodes a 2 s tone to AMR-NB (#!AMR header)`, encode.stderr);

// chatgpt-on-wechat's variable names, no config.json: the container's usual configuration.
const port = 19898;
const cowEnv = {
  CHANNEL_TYPE: 'wechatcom_app',
  WECHATCOM_CORP_ID: 'ww0123456789abcdef',
  WECHATCOMAPP_AGENT_ID: '1000002',
  WECHATCOMAPP_SECRET: 'app-secret-for-the-container-proof',
  WECHATCOMAPP_TOKEN: 'containerProofToken123',
  WECHATCOMAPP_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  WECHATCOMAPP_PORT: String(port),
  OPEN_AI_API_KEY: 'sk-container-proof-not-a-real-key',
  MODEL: 'gpt-4o-mini',
  SPEECH_RECOGNITION: 'True',
  VOICE_REPLY_VOICE: 'True',
};
// A user's TypeScript plugin in the volume, importing the bot's own @wecom-bot/core.
mkdirSync(join(image.root, 'data/plugins'), { recursive: true });
writeFileSync(
  join(image.root, 'data/plugins/shout.ts'),
  "import { Action, definePlugin, textReply } from '@wecom-bot/core';\nconst answer: string = 'HI';\n" +
    "export default definePlugin({ name: 'shout', onHandleContext(event) { if (event.context.content !== '#shout') return; event.reply = textReply(answer); return Action.BREAK_PASS; } });\n",
);
spawnSync('chown', ['-R', uidOf(image.root, image.user), join(image.root, 'data/plugins')]);
cowEnv.PLUGINS = '["./plugins/shout.ts"]';
const checkRun = runIn(image, [...entrypoint, 'check'], { ...cowEnv, TINI_SUBREAPER: '1' }, true);
check(checkRun.status === 0, `${entrypoint.join(' ')} check (environment variables only) exits ${checkRun.status}`, checkRun.stdout + checkRun.stderr);
check(/user plugin shout loads/.test(checkRun.stdout + checkRun.stderr), 'the TypeScript plugin /data/plugins/shout.ts loads (tsx registered for it)');

// start as the container would (ENTRYPOINT + CMD), probe the HEALTHCHECK, then SIGTERM.
const cmd = JSON.parse(image.meta.CMD);
mountInto(image.root);
try {
  const [file, ...args] = chrootArgv(image, [...entrypoint, ...cmd], { ...cowEnv, TINI_SUBREAPER: '1' });
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((done) => child.on('close', (code, signal) => done(code ?? signal)));
  const deadline = Date.now() + 60_000;
  while (!/WeCom callback ready/.test(log) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
  check(/WeCom callback ready/.test(log), `${[...entrypoint, ...cmd].join(' ')}: the channel listens on ${port}`, /WeCom callback ready/.test(log) ? '' : log);
  const [hfile, ...hargs] = chrootArgv(image, healthcheck, cowEnv);
  const health = spawnSync(hfile, hargs, { encoding: 'utf8' });
  check(health.status === 0, `HEALTHCHECK ${healthcheck.join(' ')} exits ${health.status}`, health.stderr);
  const stateDir = join(image.root, 'data', 'state');
  const owner = existsSync(stateDir) ? spawnSync('stat', ['-c', '%u:%g', stateDir], { encoding: 'utf8' }).stdout.trim() : 'missing';
  check(owner === uidOf(image.root, image.user), `the disk store is under /data/state, owned by ${image.user}`, `owner ${owner}`);
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 20 s'), 20_000))]);
  check(code === 0, `SIGTERM: wecom-bot stops cleanly (exit ${code})`, code === 0 ? '' : log.slice(-2000));
  if (code !== 0) child.kill('SIGKILL');
} finally {
  unmountAll();
}

const size = spawnSync('du', ['-sh', '--exclude=proc', '--exclude=dev', image.root], { encoding: 'utf8' }).stdout.split('\t')[0];
results.push(`note  the final root takes ${size} (the image, uncompressed, before layer sharing)`);
console.log(`\n${results.join('\n')}`);
writeFileSync(join(work, 'result.txt'), `${results.join('\n')}\n`);
if (!process.env.PROVE_KEEP) for (const s of [...stages.values(), image]) rmSync(s.root, { recursive: true, force: true });
console.log(`\n${results.filter((r) => r.startsWith('ok')).length} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
