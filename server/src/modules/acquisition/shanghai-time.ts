// Business days and schedules are Asia/Shanghai (UTC+8, no DST); the database keeps UTC.
const OFFSET_MS = 8 * 3600_000

/** 'YYYY-MM-DD' of the Asia/Shanghai day `at` falls in. */
export function shanghaiDay(at: Date = new Date()): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10)
}

/** The Asia/Shanghai day `n` days before the one `at` falls in. */
export function shanghaiDayMinus(n: number, at: Date = new Date()): string {
  return shanghaiDay(new Date(at.getTime() - n * 86_400_000))
}

/** ISO weekday (1 = Monday … 7 = Sunday) and minutes since midnight, in Asia/Shanghai. */
export function shanghaiClock(at: Date = new Date()): { weekday: number; minutes: number } {
  const local = new Date(at.getTime() + OFFSET_MS)
  const d = local.getUTCDay()
  return { weekday: d === 0 ? 7 : d, minutes: local.getUTCHours() * 60 + local.getUTCMinutes() }
}

export function parseHm(hm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

/** Days from `from` to `to` inclusive ('YYYY-MM-DD'), capped at `max`. */
export function dayRange(from: string, to: string, max = 370): string[] {
  const out: string[] = []
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`) && out.length < max;
    t += 86_400_000
  )
    out.push(new Date(t).toISOString().slice(0, 10))
  return out
}
