export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** WeCom sends Unix seconds; we store Dates (UTC). */
export const fromUnix = (s: number | string | undefined | null): Date => new Date(Number(s ?? 0) * 1000)

export function withJitter(ms: number): number {
  return Math.round(ms / 2 + Math.random() * (ms / 2))
}
