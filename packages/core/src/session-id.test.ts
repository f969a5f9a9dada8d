import { describe, expect, it } from 'vitest';
import { createContext, ContextType } from './context.js';
import { resolveSessionId } from './session-id.js';

const inGroup = (senderId: string, groupName: string) =>
  createContext({ type: ContextType.TEXT, content: 'x', channel: 'wechatcom_app', senderId, isGroup: true, groupId: `g-${groupName}`, groupName, receiver: `g-${groupName}` });

describe('resolveSessionId', () => {
  it('gives each user their own session in single chat', () => {
    const alice = createContext({ type: ContextType.TEXT, content: 'x', channel: 'wechatcom_app', senderId: 'alice' });
    const bob = createContext({ type: ContextType.TEXT, content: 'x', channel: 'wechatcom_app', senderId: 'bob' });
    expect(resolveSessionId(alice, [])).not.toBe(resolveSessionId(bob, []));
  });

  it('keeps members of a group apart by default, and apart from their single chat', () => {
    const a = resolveSessionId(inGroup('alice', 'dev'), []);
    expect(a).not.toBe(resolveSessionId(inGroup('bob', 'dev'), []));
    expect(a).not.toBe(resolveSessionId(inGroup('alice', 'ops'), []));
    expect(a).not.toBe(resolveSessionId(createContext({ type: ContextType.TEXT, content: 'x', channel: 'wechatcom_app', senderId: 'alice' }), []));
  });

  it('shares one session per group listed in group_chat_in_one_session, or all with ALL_GROUP', () => {
    expect(resolveSessionId(inGroup('alice', 'dev'), ['dev'])).toBe(resolveSessionId(inGroup('bob', 'dev'), ['dev']));
    expect(resolveSessionId(inGroup('alice', 'ops'), ['dev'])).not.toBe(resolveSessionId(inGroup('bob', 'ops'), ['dev']));
    expect(resolveSessionId(inGroup('alice', 'ops'), ['ALL_GROUP'])).toBe(resolveSessionId(inGroup('bob', 'ops'), ['ALL_GROUP']));
  });
});
