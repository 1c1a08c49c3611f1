// Callback ingest on MySQL: wrk (C, keep-alive) posts pre-sealed, distinct callbacks to the server in
// a child process; every 200 is a committed inbox row. Prints callbacks/s and ack latency, and the
// ratio to the raw verify+decrypt+parse rate of one core measured in this same run.
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { openCallback } from '../server/src/wecom/callback.ts'
import { BENCH_CRYPTO, ROOT, fmt, sealedTagEvents, startServer, throwawayMysql } from './lib.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const PORT = '3790'

function ensureWrk() {
  if (spawnSync('which', ['wrk']).status === 0) return
  console.log('installing wrk (Debian package) for the load generator…')
  execFileSync('bash', [
    '-c',
    'apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null)',
  ])
}

async function rawRate(samples: ReturnType<typeof sealedTagEvents>) {
  const t0 = performance.now()
  for (const s of samples) {
    const q = Object.fromEntries(new URL(`http://x${s.path}`).searchParams)
    await openCallback(BENCH_CRYPTO, q, s.body, { maxSkewSec: 0 })
  }
  return samples.length / ((performance.now() - t0) / 1000)
}

/** wrk prints latency like "  99%   12.34ms"; returns milliseconds. */
function wrkLatency(out: string, pct: string): number {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out)
  if (!m) return NaN
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]]
}

export async function benchCallbackIngest() {
  ensureWrk()
  const db = await throwawayMysql()
  // Workers off: this measures the receive → durable write → ack path on its own.
  const server = startServer({ PORT, DATABASE_URL: db.url, WECOM_SIMULATOR: 'true', WORKERS: 'false' })
  try {
    await server.ready
    const events = sealedTagEvents(Math.max(60_000, SECONDS * 6000), `ingest-${Date.now()}-`)
    const file = join(tmpdir(), `scrm-callbacks-${process.pid}.tsv`)
    writeFileSync(file, events.map((e) => `${e.path}\t${e.body}`).join('\n'))
    const wrk = (seconds: number) =>
      execFileSync(
        'wrk',
        [
          '-t2',
          `-c${CONNECTIONS}`,
          `-d${seconds}s`,
          '--latency',
          '-s',
          join(ROOT, 'bench/wrk-callbacks.lua'),
          `http://127.0.0.1:${PORT}`,
          '--',
          file,
          '2',
        ],
        { encoding: 'utf8' },
      )
    wrk(2) // warm-up (JIT, pool)
    const conn = await mysql.createConnection(db.url)
    const count = async () =>
      Number(
        ((await conn.query('SELECT COUNT(*) AS n FROM callback_inbox')) as unknown as [[{ n: number }]])[0][0]
          .n,
      )
    const before = await count()
    const out = wrk(SECONDS)
    const stored = (await count()) - before
    await conn.end()
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
    const rate = requests / SECONDS
    const raw = await rawRate(events.slice(0, 5000))
    console.log(
      `callback ingest — MySQL, ${SECONDS}s, ${CONNECTIONS} connections, wrk and the server sharing this machine's 2 cores`,
    )
    console.log(`  sustained: ${fmt(rate, 0)} callbacks/s (target ≥ 3000); ${non2xx} non-200 answers`)
    console.log(
      `  ack latency: p50 ${fmt(wrkLatency(out, '50'), 2)} ms  p90 ${fmt(wrkLatency(out, '90'), 2)} ms  p99 ${fmt(wrkLatency(out, '99'), 2)} ms (target p99 < 20 ms)`,
    )
    console.log(
      `  raw verify+decrypt+parse on one core: ${fmt(raw, 0)}/s → ingest is ${fmt(rate / raw, 2)}× the raw single-core rate`,
    )
    console.log(
      `  new rows committed during the run: ${stored} (distinct callbacks; replays of the same one are acked and dropped)`,
    )
    return { rate, p99: wrkLatency(out, '99'), raw, non2xx }
  } finally {
    await server.stop()
    await db.drop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCallbackIngest()
