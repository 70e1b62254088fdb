import type { ManagerOptions, SocketOptions } from 'socket.io-client';

/**
 * How a tab's socket connects and reconnects: websocket only (no sticky sessions needed),
 * quick first retries, and a connection attempt that hangs (a replica starting or stopping
 * behind the load balancer) abandoned after a few seconds and tried again elsewhere.
 */
export function socketOptions(path: string): Partial<ManagerOptions & SocketOptions> {
  return {
    path,
    transports: ['websocket'],
    reconnectionDelay: 300,
    reconnectionDelayMax: 2000,
    randomizationFactor: 0.5,
    timeout: 4000,
  };
}
