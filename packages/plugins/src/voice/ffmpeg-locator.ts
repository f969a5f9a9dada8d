import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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
  /** The first line of `ffmpeg -version`, shortened ("ffmpeg version 7.1.1 …"), for the chosen one. */
  version?: string;
  problem?: string;
}

export interface FfmpegLocation {
  /** The binary to use: the first with an AMR-NB encoder, else the first that runs; undefined if none runs. */
  chosen?: FfmpegProbe;
  probes: FfmpegProbe[];
  /** ffmpeg_path (or FFMPEG_PATH) named the binary: it alone was tried, with no fallback. */
  configured: boolean;
}

export const FFMPEG_INSTALL_HINT =
  "Install your system's ffmpeg with AMR support (Debian/Ubuntu: `apt-get install ffmpeg libavcodec-extra`; plain ffmpeg has no AMR encoder), " +
  'or point ffmpeg_path at an ffmpeg built with --enable-libopencore-amrnb. ' +
  'The binary in @ffmpeg-installer/ffmpeg (a 2018 build, installed with wecom-bot) is the last resort.';

const require = createRequire(import.meta.url);

/**
 * The candidates in lookup order. A configured binary (ffmpeg_path, else FFMPEG_PATH) is the
 * only one: the admin chose it, and falling back would hide that it is broken. Otherwise a
 * system ffmpeg (current, maintained) comes before the bundled 2018 build.
 */
export function ffmpegCandidates(configuredPath: string, env: NodeJS.ProcessEnv = process.env): FfmpegCandidate[] {
  if (configuredPath) return [{ source: 'ffmpeg_path', path: configuredPath }];
  if (env.FFMPEG_PATH) return [{ source: 'FFMPEG_PATH', path: env.FFMPEG_PATH }];
  const candidates: FfmpegCandidate[] = [];
  // ffmpeg-static downloads its binary in an install script, which .npmrc does not run.
  const staticPath = tryRequire<string | null>('ffmpeg-static');
  if (typeof staticPath === 'string' && existsSync(staticPath)) candidates.push({ source: 'ffmpeg-static', path: staticPath });
  // Resolved here, so the line in `check` names the file that will really run.
  candidates.push({ source: 'PATH', path: findOnPath('ffmpeg', env.PATH) ?? 'ffmpeg' });
  const installer = tryRequire<{ path?: string }>('@ffmpeg-installer/ffmpeg');
  if (installer?.path && existsSync(installer.path)) candidates.push({ source: '@ffmpeg-installer/ffmpeg', path: installer.path });
  return candidates;
}

/** Runs `-hide_banner -encoders` on each candidate; stops at the first with an AMR-NB encoder. */
export async function locateFfmpeg(configuredPath: string, env: NodeJS.ProcessEnv = process.env): Promise<FfmpegLocation> {
  const candidates = ffmpegCandidates(configuredPath, env);
  const configured = candidates[0]?.source === 'ffmpeg_path' || candidates[0]?.source === 'FFMPEG_PATH';
  const probes: FfmpegProbe[] = [];
  let chosen: FfmpegProbe | undefined;
  for (const candidate of candidates) {
    const probe = await probeFfmpeg(candidate);
    probes.push(probe);
    if (probe.amrEncoder) {
      chosen = probe;
      break;
    }
  }
  chosen ??= probes.find((p) => p.works);
  if (chosen) chosen.version = await run(chosen.path, ['-version']).then((out) => shortVersion(out), () => undefined);
  return { chosen, probes, configured };
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

/** One line for logs and `wecom-bot check`: the binary that will really run, and its version. */
export function describeLocation(location: FfmpegLocation): string {
  const chosen = location.chosen;
  const which = (p: FfmpegProbe) => `${p.path} (${p.version ? `${p.version}, ` : ''}from ${p.source})`;
  if (chosen?.amrEncoder) return `voice uses ffmpeg ${which(chosen)}, which has an AMR-NB encoder`;
  if (location.configured) {
    const probe = location.probes[0]!;
    const key = probe.source === 'ffmpeg_path' ? 'ffmpeg_path' : 'the environment variable FFMPEG_PATH';
    const what = probe.works ? `has no AMR-NB encoder: voice replies to WeCom cannot be made` : `cannot be run (${probe.problem ?? 'it fails'}): voice messages cannot be transcribed`;
    return `${key} names ${which(probe)}, which ${what}; no other ffmpeg is tried. Fix or empty ${key}. ${FFMPEG_INSTALL_HINT}`;
  }
  const tried = location.probes.map((p) => `${p.source} ${p.path}: ${p.problem ?? 'ok'}`).join('; ');
  const head = chosen
    ? `voice uses ffmpeg ${which(chosen)}, but it has no AMR-NB encoder: voice replies to WeCom cannot be made`
    : 'no working ffmpeg found: voice messages cannot be transcribed and voice replies cannot be made';
  return `${head}. Tried ${tried}. ${FFMPEG_INSTALL_HINT}`;
}

/** "ffmpeg version 7.1.1-1 Copyright (c) 2000-2025 …" → "ffmpeg 7.1.1-1 of 2025": a git build's version says nothing of its age. */
function shortVersion(output: string): string | undefined {
  const match = /^ffmpeg version (\S+)(?:.*?Copyright \(c\) \d{4}-(\d{4}))?/m.exec(output);
  if (!match) return undefined;
  return `ffmpeg ${match[1]}${match[2] ? ` of ${match[2]}` : ''}`;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

function findOnPath(name: string, searchPath = ''): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function tryRequire<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}
