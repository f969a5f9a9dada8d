/** The functions with the most self time in a V8 .cpuprofile (node --cpu-prof); idle time left out. */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where code lives, coarsely: an npm package, a workspace package, node's internals, or V8 (GC, native). */
export function areaOf(url: string, name: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const workspace = /\/work\/main\/((?:packages|apps)\/[^/]+)/.exec(url)?.[1];
  if (workspace) return workspace;
  if (url.startsWith('node:internal/deps/undici')) return 'undici (node fetch)';
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node ');
  return url ? url : name.startsWith('(') ? name : 'native';
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
  /** The callers (nearest first, three deep) it was most often sampled under. */
  via: string;
}

const place = (f: CallFrame) => `${f.url.replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
const short = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${place(f).split('/').slice(-2).join('/')}`;

/**
 * `window`: only samples between these epoch ms, given the epoch ms at which the process was
 * spawned (node starts profiling moments later), so start-up and shutdown stay out.
 */
export function topSelfTime(
  file: string,
  count = 10,
  window?: { from: number; to: number; spawnedAt: number },
): { functions: SelfTime[]; byArea: Array<{ area: string; ms: number; share: number }>; totalMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const callers = (id: number) => {
    const chain: string[] = [];
    for (let p = parentOf.get(id); p !== undefined && chain.length < 3; p = parentOf.get(p)) chain.push(short(byId.get(p)!.callFrame));
    return chain.join(' < ');
  };
  const toProfileUs = (epochMs: number) => profile.startTime + (epochMs - window!.spawnedAt) * 1000;
  const [fromUs, toUs] = window ? [toProfileUs(window.from), toProfileUs(window.to)] : [-Infinity, Infinity];

  const totals = new Map<string, { entry: SelfTime; vias: Map<string, number> }>();
  const areas = new Map<string, number>();
  let all = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    const frame = byId.get(id)?.callFrame;
    if (at < fromUs || at > toUs || !frame || frame.functionName === '(idle)') return;
    all += us;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const key = `${frame.functionName}@${place(frame)}`;
    const total = totals.get(key) ?? { entry: { name: frame.functionName || '(anonymous)', where: place(frame), ms: 0, share: 0, via: '' }, vias: new Map() };
    total.entry.ms += us / 1000;
    const via = callers(id);
    total.vias.set(via, (total.vias.get(via) ?? 0) + us);
    totals.set(key, total);
  });
  const functions = [...totals.values()]
    .map(({ entry, vias }) => ({ ...entry, share: entry.ms / (all / 1000), via: [...vias].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '' }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
  const byArea = [...areas]
    .map(([area, us]) => ({ area, ms: us / 1000, share: us / all }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
  return { functions, byArea, totalMs: all / 1000 };
}
