/** The Socket.IO path both the demo and the baseline serve, so one client talks to either. */
export const SOCKET_PATH = '/pushpage/socket.io';

/** The text of bench message number `seq`. */
export function messageText(seq: number): string {
  return `bench message #${seq}`;
}
