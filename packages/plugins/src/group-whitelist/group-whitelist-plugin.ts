import { Action, ALL_GROUP, defineConfigSection, definePlugin, type HookEvent, type Plugin, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { containsAny } from '../prefix/match.js';

/** No group by default, not chatgpt-on-wechat's sample names: opening a group is a deliberate choice. */
export const groupWhitelistConfigSection = defineConfigSection({
  title: 'group-whitelist plugin',
  shape: {
    group_name_white_list: z.array(z.string()).default([]).describe('Groups the bot answers in, by name or chat id; ["ALL_GROUP"] for every group; [] for none (the AI bot, whose groups have no names here, then answers in every group it was added to).'),
    group_name_keyword_white_list: z.array(z.string()).default([]).describe('Also answer in groups whose name contains one of these words.'),
  },
});

/**
 * Drops every group message unless the group is listed by name, chat id or a word of its
 * name. A channel that cannot name its groups (the AI bot: it is in a group because someone
 * added it there, and hears only @-messages) is answered everywhere while both lists are
 * empty: an empty list of names it could never match would silence it for good.
 */
export function createGroupWhitelistPlugin(config: SectionConfig<typeof groupWhitelistConfigSection>): Plugin {
  return definePlugin({
    name: 'group-whitelist',
    description: 'Answers only in groups named in group_name_white_list or matching group_name_keyword_white_list.',
    priority: PRIORITY.groupWhitelist,

    onReceiveMessage({ context, host }: HookEvent) {
      if (!context.isGroup) return Action.CONTINUE;
      const name = context.groupName ?? '';
      const list = config.group_name_white_list;
      const unnamedAndOpen = context.groupName === undefined && list.length === 0 && config.group_name_keyword_white_list.length === 0;
      const allowed =
        unnamedAndOpen ||
        list.includes(ALL_GROUP) ||
        (name !== '' && list.includes(name)) ||
        (context.groupId !== undefined && list.includes(context.groupId)) ||
        containsAny(name, config.group_name_keyword_white_list);
      if (allowed) return Action.CONTINUE;
      host.logger.debug({ group: context.groupId, groupName: name }, 'group not in the white list; message dropped');
      return Action.BREAK_PASS;
    },
  });
}
