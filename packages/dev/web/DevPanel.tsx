import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatId, DevRecord, FaultName } from '../src/protocol.js';
import { injectFault } from './api.js';
import type { Action, State } from './state.js';

type Kind = DevRecord['kind'] | 'all';

const KINDS: Array<{ kind: Kind; label: string }> = [
  { kind: 'all', label: '全部' },
  { kind: 'callback', label: '回调' },
  { kind: 'api', label: 'API' },
  { kind: 'frame', label: '长连接' },
  { kind: 'plugins', label: '插件' },
  { kind: 'log', label: '日志' },
];

const FAULTS: Array<{ name: FaultName; label: string; title: string }> = [
  { name: '42001', label: '42001 token 过期', title: 'the access token expires: the next API call is refused, the channel refreshes once and retries' },
  { name: '60020', label: '60020 IP 不可信', title: 'the next message/send is refused: the server IP is not in the app\'s trusted IPs' },
  { name: '45009', label: '45009 频率限制', title: 'the next message/send hits the API rate limit: the channel backs off and retries' },
  { name: '846608', label: '846608 流过期', title: 'every open AI-bot stream expires (as after ~6 minutes): the answer goes out by aibot_send_msg' },
];

/** Lines shown at once: the rest stay in memory (and on the server) behind the filters. */
const SHOWN = 300;

function stamp(at: number): string {
  const date = new Date(at);
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function Detail({ record }: { record: DevRecord }) {
  return (
    <div class="detail" data-testid="record-detail">
      {record.steps && (
        <table class="steps">
          <tbody>
            {record.steps.length === 0 && (
              <tr>
                <td colSpan={3} class="muted">no plugin has this hook</td>
              </tr>
            )}
            {record.steps.map((step, i) => (
              <tr key={i} class={step.failed ? 'failed' : ''}>
                <td>{step.plugin}</td>
                <td>{step.failed ? 'threw (skipped)' : step.action}</td>
                <td class="num">{step.ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {record.request && <pre>{record.request}</pre>}
      {record.response && <pre class="answer">{record.response}</pre>}
      {record.trace && <div class="muted">message {record.trace}</div>}
    </div>
  );
}

/**
 * Everything between the page and the bot: each callback (decrypted), each API call and
 * long-connection frame, each hook with the plugins it ran, the bot's turn, and the logs,
 * with timings. Clicking a bubble shows only that message's lines.
 */
export function DevPanel({ state, dispatch, report }: { state: State; dispatch: (action: Action) => void; report: (error: unknown) => void }) {
  const [kind, setKind] = useState<Kind>('all');
  const [side, setSide] = useState<ChatId | 'all'>('all');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const list = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const shown = state.records
    .filter((r) => (kind === 'all' || r.kind === kind) && (side === 'all' || r.chat === side || r.chat === undefined) && (!state.trace || r.trace === state.trace))
    .slice(-SHOWN);
  useEffect(() => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [shown.length, shown.at(-1)?.id]);
  const toggle = (id: string) => {
    const next = new Set(open);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };

  return (
    <section class="panel" data-testid="dev-panel">
      <header class="panel-head">
        <span class="panel-title">开发者面板</span>
        <select value={side} onChange={(e) => setSide(e.currentTarget.value as ChatId | 'all')}>
          <option value="all">两边</option>
          <option value="app">应用 (wechatcom_app)</option>
          <option value="group">群 (wecom_bot)</option>
        </select>
      </header>
      <div class="tabs">
        {KINDS.map((k) => (
          <button key={k.kind} class={`tab ${kind === k.kind ? 'active' : ''}`} data-testid={`tab-${k.kind}`} onClick={() => setKind(k.kind)}>
            {k.label}
          </button>
        ))}
      </div>
      {state.trace && (
        <div class="trace-chip">
          只看消息 {state.trace.slice(0, 24)}… <button onClick={() => dispatch({ type: 'trace', trace: undefined })}>✕</button>
        </div>
      )}
      <div
        class="records"
        ref={list}
        onScroll={(e) => {
          const element = e.currentTarget;
          following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        }}
      >
        {shown.map((record) => (
          <div key={record.id} class={`record ${record.ok ? '' : 'bad'} ${open.has(record.id) ? 'open' : ''}`} data-testid="record" data-kind={record.kind}>
            <div class="record-line" onClick={() => toggle(record.id)}>
              <span class="time">{stamp(record.at)}</span>
              <span class={`kind ${record.kind}`}>{record.kind}</span>
              {record.chat && <span class={`side ${record.chat}`}>{record.chat === 'app' ? '应用' : '群'}</span>}
              <span class="title">{record.title}</span>
              {record.ms !== undefined && <span class="ms">{record.ms < 10 ? record.ms.toFixed(1) : Math.round(record.ms)} ms</span>}
            </div>
            {open.has(record.id) && <Detail record={record} />}
          </div>
        ))}
      </div>
      <footer class="faults">
        <span class="muted">故障注入</span>
        {FAULTS.map((fault) => (
          <button key={fault.name} class="fault" title={fault.title} data-testid={`fault-${fault.name}`} onClick={() => injectFault(fault.name).catch(report)}>
            {fault.label}
          </button>
        ))}
      </footer>
    </section>
  );
}
