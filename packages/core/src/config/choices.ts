import { closest, distance } from 'fastest-levenshtein';
import { offerNames, type Integration } from '../integration.js';
import { coreConfigSection } from './core-section.js';
import type { AppConfig } from './section.js';

/** channel_type and bot_type must name something an integration offers; a typo gets a suggestion. */
export function choiceProblems(config: AppConfig, integrations: readonly Integration[]): string[] {
  const chosen = coreConfigSection.read(config);
  const problems: string[] = [];
  const choose = (key: 'channel_type' | 'bot_type', known: string[]) => {
    const value = chosen[key];
    if (known.includes(value)) return;
    const near = known.length > 0 ? closest(value, known) : '';
    const hint = near && distance(value, near) <= 3 ? ` Did you mean "${near}"?` : '';
    problems.push(`${key} "${value}" is not one of ${known.join(', ')}.${hint}`);
  };
  choose('channel_type', offerNames(integrations, 'channels'));
  choose('bot_type', offerNames(integrations, 'bots'));
  return problems;
}
