import type { z } from 'zod';
import type { AnyConfigSection, AppConfig } from './section.js';

/** Every key of every section with its default: what `wecom-bot init` writes. */
export function defaultConfig(sections: readonly AnyConfigSection[]): AppConfig {
  const config: AppConfig = {};
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.shape)) {
      const parsed = (schema as z.ZodType).safeParse(undefined);
      config[key] = parsed.success && parsed.data !== undefined ? parsed.data : '';
    }
  }
  return config;
}

/** One line per key: name, default and description, for `wecom-bot check --keys` and the docs. */
export function describeKeys(sections: readonly AnyConfigSection[]): Array<{ key: string; section: string; description: string; secret: boolean }> {
  return sections.flatMap((section) =>
    Object.entries(section.shape).map(([key, schema]) => ({
      key,
      section: section.title,
      description: (schema as z.ZodType).description ?? '',
      secret: section.secrets?.includes(key) ?? false,
    })),
  );
}
