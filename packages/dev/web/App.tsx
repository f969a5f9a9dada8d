import { useEffect, useReducer } from 'preact/hooks';
import { connect } from './api.js';
import { ChatList } from './ChatList.js';
import { Conversation } from './Conversation.js';
import { DevPanel } from './DevPanel.js';
import { ChatIcon } from './icons.js';
import { initialState, reduce } from './state.js';

/** The WeCom client's layout: the side bar, the chat list, the open chat; and the developer panel beside it. */
export function App() {
  const [state, dispatch] = useReducer(reduce, initialState);
  useEffect(
    () =>
      connect(
        (event) => dispatch({ type: 'server', event }),
        (connected) => dispatch({ type: 'connected', connected }),
      ),
    [],
  );
  useEffect(() => {
    if (!state.error) return;
    const timer = setTimeout(() => dispatch({ type: 'error', error: undefined }), 6_000);
    return () => clearTimeout(timer);
  }, [state.error]);
  const report = (error: unknown) => dispatch({ type: 'error', error: error instanceof Error ? error.message : String(error) });

  return (
    <div class="shell">
      <nav class="rail">
        <div class="me" title={state.info?.member.name}>{state.info?.member.name.slice(-1) ?? '我'}</div>
        <div class="rail-item active" title="消息">
          <ChatIcon />
        </div>
        <div class={`link-state ${state.connected ? 'up' : 'down'}`} title={state.connected ? 'connected to the dev server' : 'reconnecting…'} />
      </nav>
      <ChatList state={state} dispatch={dispatch} report={report} />
      <Conversation state={state} dispatch={dispatch} report={report} />
      <DevPanel state={state} dispatch={dispatch} report={report} />
      {state.error && (
        <div class="toast" data-testid="toast" onClick={() => dispatch({ type: 'error', error: undefined })}>
          {state.error}
        </div>
      )}
    </div>
  );
}
