import type { Cluster, Redis } from 'ioredis';
import type { Namespace } from 'socket.io';

/** A Socket.IO adapter (socket.io-adapter's class, as Socket.IO's types give it). */
type Adapter = Namespace['adapter'];

/**
 * Marks every command promise of the client as handled. The adapter sends commands without
 * waiting for them (a broadcast's `PUBLISH`, a dynamic `SSUBSCRIBE`); while Redis is down
 * those fail, and an unhandled rejection would end the process. Callers that wait for a
 * command still get its error.
 */
export function withoutUnhandledRejections(
  client: Redis | Cluster,
  failed: (error: Error) => void,
): void {
  type Send = (...args: Parameters<Cluster['sendCommand']>) => unknown;
  const send = client.sendCommand.bind(client) as Send;
  client.sendCommand = (...args: Parameters<Cluster['sendCommand']>): unknown => {
    const result = send(...args);
    if (result instanceof Promise) result.catch(failed);
    return result;
  };
}

/**
 * The adapter factory, its adapters' `serverSideEmit` made safe. With an acknowledgement, the
 * Redis adapters first count the servers (`PUBSUB NUMSUB`, or `SHARDNUMSUB` on every node of
 * a cluster), and Socket.IO drops the promise of that; while Redis, or one node of the
 * cluster, is down the count fails and the rejection would end the process. The failure goes
 * to the acknowledgement instead, so `serverSideEmitWithAck` (the broadcast probe) rejects.
 */
export function withSafeServerSideEmit<A extends Adapter>(
  factory: (nsp: Namespace) => A,
  failed: (error: Error) => void,
): (nsp: Namespace) => A {
  // a function, not an arrow: Socket.IO calls it with `new`
  return function safeAdapter(nsp: Namespace): A {
    const adapter = factory(nsp);
    const emit = adapter.serverSideEmit.bind(adapter) as (packet: unknown[]) => unknown;
    adapter.serverSideEmit = (packet: unknown[]): void => {
      // the adapter takes the acknowledgement off the packet before it counts
      const ack = packet[packet.length - 1];
      const result = emit(packet);
      if (!(result instanceof Promise)) return;
      result.catch((error: Error) => {
        if (typeof ack === 'function') ack(error, []);
        else failed(error);
      });
    };
    return adapter;
  };
}
