import { describe, expect, it } from 'vitest';
import { plainStart } from './plain-start.js';

describe('plainStart: the command lines that skip yargs', () => {
  it.each([
    [['start'], {}],
    [['start', '--config', 'bot.json'], { config: 'bot.json' }],
    [['start', '-c', 'bot.json'], { config: 'bot.json' }],
    [['start', '--config=a=b.json'], { config: 'a=b.json' }],
    [['--config', 'bot.json', 'start'], { config: 'bot.json' }],
    [['-c', 'start', 'start'], { config: 'start' }],
  ])('%j is a plain start', (argv, expected) => {
    expect(plainStart(argv)).toEqual(expected);
  });

  it.each([
    [[]],
    [['init']],
    [['check', '--live']],
    [['start', '--help']],
    [['start', '-h']],
    [['start', '--version']],
    [['start', 'extra']],
    [['start', 'start']],
    [['start', '--config']],
    [['start', '--config=']],
    [['start', '--config', '-h']],
    [['start', '--config', 'a.json', '--config', 'b.json']],
    [['start', '--live']],
    [['start', '-cbot.json']],
    [['-c', 'start']],
    [['start', '--', 'x']],
  ])('%j is left to yargs', (argv) => {
    expect(plainStart(argv)).toBeUndefined();
  });
});
