export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** WeCom sends Unix seconds; we store Dates (UTC). */
export const fromUnix = (s: number | string | undefined | null): Date => new Date(Number(s ?? 0) * 1000)

/**
 * Exponential backoff with "equal jitter": base × 2^(attempt−1), then a random point in its upper
 * half, so retries from many rows or instances spread out instead of arriving together.
 */
export function backoffDelay(baseMs: number, attempt: number): number {
  const ms = baseMs * 2 ** (attempt - 1)
  return Math.round(ms / 2 + Math.random() * (ms / 2))
}
