const DEFAULT_DISCONNECT_TIMEOUT_MS = 20_000;

/**
 * How long Zero keeps accepting writes while it cannot reach the server. Shorter than Zero's 60 s
 * default so the badge says "offline" soon; our outbox keeps writes made after that anyway.
 */
export function parseDisconnectTimeout(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_DISCONNECT_TIMEOUT_MS;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_DISCONNECT_TIMEOUT_MS;
}
