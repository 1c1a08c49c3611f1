/** A day as YYYY-MM-DD in Asia/Shanghai (the server counts days there), `offsetDays` from today. */
export const shanghaiDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10)

/** The last `days` Shanghai days, today included, as a date-range picker value. */
export const lastDays = (days: number): [string, string] => [shanghaiDay(1 - days), shanghaiDay()]
