/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,\s*|$)/gy;
const COMMENT = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$|^#(?! (HELP|TYPE) )/;

/**
 * Parses the Prometheus text format (0.0.4) as a scraper would, strictly: a line that is
 * neither a sample, a HELP/TYPE line, a comment nor blank throws, naming it.
 */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (!COMMENT.test(line)) throw new Error(`not a Prometheus comment line: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, rawLabels = '', rawValue] = match;
    samples.push({ name: name!, labels: parseLabels(rawLabels, line), value: parseValue(rawValue!, line) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
export function promValue(samples: readonly PromSample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function parseLabels(raw: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let read = 0;
  for (let m = LABEL.exec(raw); m; m = LABEL.exec(raw)) {
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    read = LABEL.lastIndex;
  }
  if (read !== raw.length) throw new Error(`bad labels in Prometheus line: ${line}`);
  return labels;
}

/** As Prometheus reads a value (Go's ParseFloat): "NaN", "+Inf" and "-Inf" in any case (prom-client writes "Nan"). */
function parseValue(raw: string, line: string): number {
  const word = raw.toLowerCase();
  if (word === '+inf' || word === 'inf') return Infinity;
  if (word === '-inf') return -Infinity;
  if (word === 'nan') return NaN;
  const value = Number(raw);
  if (Number.isNaN(value)) throw new Error(`bad value in Prometheus line: ${line}`);
  return value;
}
