import { defineIntegration } from '@wecom-bot/core';
import { HttpJsonChannel } from './channel.js';
import { CHANNEL_NAME, httpJsonConfigSection } from './config.js';

/**
 * The http-json channel as wecom-bot loads it: name the package (or this folder) in
 * config.json's `integrations` and set `"channel_type": "http_json"`.
 */
export const integration = defineIntegration({
  name: 'http-json',
  config: [httpJsonConfigSection],
  channels: {
    [CHANNEL_NAME]: {
      create: (services) => new HttpJsonChannel(httpJsonConfigSection.read(services.config), services.logger),
      check: (config) => {
        const c = httpJsonConfigSection.read(config);
        return [{ level: 'ok', message: `http-json: POST http://<this host>:${c.http_json_port}${c.http_json_path} with "Authorization: Bearer <http_json_secret>"` }];
      },
    },
  },
});

export default integration;
export { HttpJsonChannel } from './channel.js';
export { httpJsonConfigSection, type HttpJsonConfig } from './config.js';
export type { JsonReply } from './render.js';
