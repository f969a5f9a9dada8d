import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOn {
  port: number;
  host?: string;
  /** What to change when the port is taken: a config key ("wechatcomapp_port") or an option ("--port"). */
  portKey?: string;
  /** Names the server in the error ("the ops server"). */
  what?: string;
}

/**
 * Starts `server` listening and resolves to the port bound (0 lets the OS pick). A port in use
 * or refused is an Error that names the address and what to change, not a bare EADDRINUSE.
 */
export async function listenOn(server: Server, options: ListenOn): Promise<number> {
  server.listen(options.port, options.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? `: the port is in use; stop the other process or set ${options.portKey ?? 'another port'}` : '';
    throw new Error(`${options.what ?? 'the server'} cannot listen on ${options.host ?? '*'}:${options.port} (${code ?? String(error)})${hint}`, { cause: error });
  }
  return (server.address() as AddressInfo).port;
}
