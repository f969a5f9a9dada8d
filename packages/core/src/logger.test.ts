import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { SecretRegistry } from './secrets.js';
import { memoryLogger } from './testing/index.js';

describe('logger', () => {
  it('masks registered secrets wherever they appear: message, fields, error text', () => {
    const secrets = new SecretRegistry();
    secrets.add('sk-live-abcdef123456');
    secrets.add('ACCESS_TOKEN_XYZ');
    const { logger, lines } = memoryLogger(secrets);
    logger.info({ url: 'https://api/x?access_token=ACCESS_TOKEN_XYZ' }, 'calling with key sk-live-abcdef123456');
    logger.error({ err: new Error('bad key sk-live-abcdef123456') }, 'failed');
    const text = lines.join('\n');
    expect(text).not.toContain('sk-live-abcdef123456');
    expect(text).not.toContain('ACCESS_TOKEN_XYZ');
    expect(text).toContain('sk***');
    expect(lines).toHaveLength(2);
  });

  it('writes JSON lines when not on a terminal, with the level by name and an ISO-8601 time', () => {
    const { logger, lines } = memoryLogger();
    const before = Date.now();
    logger.warn({ session: 's1' }, 'hello');
    const entry = JSON.parse(lines[0]!) as { time: string };
    expect(entry).toMatchObject({ level: 'warn', session: 's1', msg: 'hello' });
    expect(entry.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('writes human-readable lines when asked (a terminal), still scrubbed', () => {
    const secrets = new SecretRegistry();
    secrets.add('sk-live-abcdef123456');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ secrets, destination: sink, pretty: true });
    logger.error('key sk-live-abcdef123456 refused');
    const text = lines.join('');
    expect(text).toContain('ERROR');
    expect(text).toContain('refused');
    expect(text).not.toContain('sk-live-abcdef123456');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('ignores values too short to be secrets, which would mask ordinary words', () => {
    const secrets = new SecretRegistry();
    secrets.add('abc');
    expect(secrets.redact('abc def')).toBe('abc def');
  });

  it('masks a secret also as JSON escapes it (quotes, backslashes) and as a URL encodes it', () => {
    const secrets = new SecretRegistry();
    secrets.add('pa"ss\\w/rd+1');
    const { logger, lines } = memoryLogger(secrets);
    logger.info({ body: 'password=pa"ss\\w/rd+1' }, 'in a field');
    logger.info(`posting to /login?pw=${encodeURIComponent('pa"ss\\w/rd+1')}`);
    const text = lines.join('\n');
    expect(text).not.toContain('ss\\\\w');
    expect(text).not.toContain(encodeURIComponent('pa"ss\\w/rd+1'));
    expect(text.match(/pa\*\*\*/g)).toHaveLength(2);
  });
});
