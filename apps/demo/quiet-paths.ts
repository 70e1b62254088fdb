/** Requests not worth a log line or a trace each: probes, scrapes and static assets. */
export const QUIET_PATHS = /^\/(healthz|readyz|metrics)\b|^\/pushpage\/(static|vendor)\//;
