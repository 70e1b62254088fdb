import type { Response } from 'express';

/**
 * Headers of every page: its Content-Security-Policy (unless turned off), no MIME sniffing,
 * no referrer to other sites.
 */
export function setSecurityHeaders(res: Response, contentSecurityPolicy: string | false): void {
  if (contentSecurityPolicy) res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}
