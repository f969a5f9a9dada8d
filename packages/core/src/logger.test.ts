import { describe, expect, it } from 'vitest';
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

  it('writes JSON lines when not on a terminal', () => {
    const { logger, lines } = memoryLogger();
    logger.warn({ session: 's1' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, session: 's1', msg: 'hello' });
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
