import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Where an ffmpeg candidate came from, in lookup order. */
export type FfmpegSource = 'ffmpeg_path' | 'FFMPEG_PATH' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | 'PATH';

export interface FfmpegCandidate {
  source: FfmpegSource;
  path: string;
}

export interface FfmpegProbe extends FfmpegCandidate {
  /** Ran and listed its encoders. */
  works: boolean;
  /** Can write AMR-NB (libopencore_amrnb): needed for WeCom voice replies. */
  amrEncoder: boolean;
  problem?: string;
}

export interface FfmpegLocation {
  /** The binary to use: the first with an AMR-NB encoder, else the first that runs; undefined if none runs. */
  chosen?: FfmpegProbe;
  probes: FfmpegProbe[];
}

export const FFMPEG_INSTALL_HINT =
  'Install one of: the bundled static build (`pnpm add @ffmpeg-installer/ffmpeg`), ' +
  'your system\'s ffmpeg with AMR support (Debian/Ubuntu: `apt-get install ffmpeg`), ' +
  'or point ffmpeg_path / FFMPEG_PATH at an ffmpeg built with --enable-libopencore-amrnb.';

const require = createRequire(import.meta.url);

/** The candidates in lookup order; a package whose binary is absent is left out. */
export function ffmpegCandidates(configuredPath: string, env: NodeJS.ProcessEnv = process.env): FfmpegCandidate[] {
  const candidates: FfmpegCandidate[] = [];
  if (configuredPath) candidates.push({ source: 'ffmpeg_path', path: configuredPath });
  if (env.FFMPEG_PATH) candidates.push({ source: 'FFMPEG_PATH', path: env.FFMPEG_PATH });
  // ffmpeg-static downloads its binary in an install script, which .npmrc does not run.
  const staticPath = tryRequire<string | null>('ffmpeg-static');
  if (typeof staticPath === 'string' && existsSync(staticPath)) candidates.push({ source: 'ffmpeg-static', path: staticPath });
  const installer = tryRequire<{ path?: string }>('@ffmpeg-installer/ffmpeg');
  if (installer?.path && existsSync(installer.path)) candidates.push({ source: '@ffmpeg-installer/ffmpeg', path: installer.path });
  candidates.push({ source: 'PATH', path: 'ffmpeg' });
  return candidates;
}

/** Runs `-hide_banner -encoders` on each candidate; stops at the first with an AMR-NB encoder. */
export async function locateFfmpeg(configuredPath: string, env: NodeJS.ProcessEnv = process.env): Promise<FfmpegLocation> {
  const probes: FfmpegProbe[] = [];
  for (const candidate of ffmpegCandidates(configuredPath, env)) {
    const probe = await probeFfmpeg(candidate);
    probes.push(probe);
    if (probe.amrEncoder) return { chosen: probe, probes };
  }
  return { chosen: probes.find((p) => p.works), probes };
}

export async function probeFfmpeg(candidate: FfmpegCandidate): Promise<FfmpegProbe> {
  try {
    const encoders = await run(candidate.path, ['-hide_banner', '-encoders']);
    const amrEncoder = /^\s*A\S*\s+\S+.*\(codec amr_nb\)|^\s*A\S*\s+libopencore_amrnb\b/m.test(encoders);
    return { ...candidate, works: true, amrEncoder, problem: amrEncoder ? undefined : 'no AMR-NB encoder (built without libopencore-amrnb)' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : `does not run: ${(error as Error).message.split('\n')[0]}`;
    return { ...candidate, works: false, amrEncoder: false, problem };
  }
}

/** One line for logs and `wecom-bot check`. */
export function describeLocation(location: FfmpegLocation): string {
  const chosen = location.chosen;
  if (chosen?.amrEncoder) return `ffmpeg with an AMR-NB encoder: ${chosen.path} (from ${chosen.source})`;
  const tried = location.probes.map((p) => `${p.source} ${p.path}: ${p.problem ?? 'ok'}`).join('; ');
  const head = chosen
    ? `ffmpeg found (${chosen.path}, from ${chosen.source}) but it has no AMR-NB encoder: voice replies to WeCom cannot be made`
    : 'no working ffmpeg found: voice messages cannot be transcribed and voice replies cannot be made';
  return `${head}. Tried ${tried}. ${FFMPEG_INSTALL_HINT}`;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

function tryRequire<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}
