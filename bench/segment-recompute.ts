// Segment recompute at scale on MariaDB/MySQL: a throwaway database migrated like production, filled
// set-based (INSERT … SELECT over a numbers table, no per-row inserts) with 1,000,000 customers and
// follows, 5,000,000 orders and some notes and script sends; then the full recompute (every dimension,
// swap included) is timed, and an incremental recompute of 1,000 customers. Target: full < 60 s.
// Run: cd bench && node --import tsx segment-recompute.ts   (BENCH_CUSTOMERS, BENCH_ORDERS)
import { createDataSource } from '../server/src/db/data-source.ts'
import { SegmentService } from '../server/src/modules/segments/segment.service.ts'
import { TagMirror } from '../server/src/modules/segments/tag-mirror.ts'
import { fmt, throwawayMysql } from './lib.ts'

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000)
const ORDERS = Number(process.env.BENCH_ORDERS ?? 5_000_000)
const TARGET_S = 60

type DataSource = ConstructorParameters<typeof SegmentService>[0]
type FastifyBaseLogger = ConstructorParameters<typeof SegmentService>[2]

const log = {
  info: (...a: unknown[]) => (process.env.BENCH_VERBOSE ? console.log(JSON.stringify(a[0])) : undefined),
  warn: (...a: unknown[]) => console.warn(...a),
  error: (...a: unknown[]) => console.error(...a),
  child: () => log,
} as unknown as FastifyBaseLogger

export async function benchSegmentRecompute(): Promise<void> {
  // BENCH_DB=<mysql url> reruns the recompute on a database a previous BENCH_KEEP=1 run left behind.
  const reuse = process.env.BENCH_DB
  const tmp = reuse ? { url: reuse, drop: async () => undefined } : await throwawayMysql()
  const db = createDataSource(tmp.url, { poolSize: 4 })
  await db.initialize()
  try {
    await db.runMigrations()
    if (!reuse) await generate(db)
    const buyers = Math.floor(CUSTOMERS * 0.7)

    const segments = new SegmentService(db, new TagMirror(db, null as never, 'mysql', log), log)
    const runs: number[] = []
    for (let i = 0; i < 2; i++) {
      const run = await segments.recomputeAll()
      if (run.error) throw new Error(run.error)
      runs.push(run.durationMs! / 1000)
    }
    const [{ n: segs }] = await db.query('SELECT COUNT(*) AS n FROM customer_segment')
    const groups = (await db.query(
      'SELECT rfm_group AS g, COUNT(*) AS n FROM customer_segment GROUP BY rfm_group ORDER BY n DESC',
    )) as { g: string | null; n: string }[]
    const ids = Array.from({ length: 1000 }, (_, i) => `wm${String(i * 997).padStart(8, '0')}`)
    const t0 = performance.now()
    await segments.recomputeCustomers(ids)
    const incMs = performance.now() - t0

    console.log(
      `  data: ${CUSTOMERS.toLocaleString()} customers, ${CUSTOMERS.toLocaleString()} follows, ${ORDERS.toLocaleString()} orders ` +
        `(${buyers.toLocaleString()} buyers), 100,000 notes, 100,000 script sends; generated in ${fmt(genSeconds, 0)} s`,
    )
    console.log(
      `  full recompute (${Number(segs).toLocaleString()} customer_segment rows): ${runs.map((s) => `${fmt(s, 1)} s`).join(', ')} ` +
        `(target < ${TARGET_S} s) ${Math.max(...runs) < TARGET_S ? 'OK' : 'MISSED'}`,
    )
    console.log(`  incremental recompute of 1,000 customers: ${fmt(incMs, 0)} ms`)
    console.log(
      `  RFM groups: ${groups.map((g) => `${g.g ?? '无订单'} ${Number(g.n).toLocaleString()}`).join(', ')}`,
    )
  } finally {
    await db.destroy()
    if (process.env.BENCH_KEEP) console.log(`  kept ${tmp.url}`)
    else await tmp.drop()
  }
}

let genSeconds = 0

async function generate(db: DataSource): Promise<void> {
  const t = (label: string) => {
    const t0 = performance.now()
    return () => {
      const s = (performance.now() - t0) / 1000
      console.log(`  ${label}: ${fmt(s, 1)} s`)
      return s
    }
  }
  const genDone = t('generation total')
  // Numbers 0 … 999,999 from six cross-joined digit tables.
  await db.query('CREATE TABLE bench_digit (d INT PRIMARY KEY)')
  await db.query('INSERT INTO bench_digit VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)')
  await db.query('CREATE TABLE bench_seq (n INT PRIMARY KEY)')
  await db.query(`INSERT INTO bench_seq (n)
      SELECT a.d + 10*b.d + 100*c.d + 1000*d.d + 10000*e.d + 100000*f.d
        FROM bench_digit a, bench_digit b, bench_digit c, bench_digit d, bench_digit e, bench_digit f`)
  const now = new Date()
  const nowLit = `'${now.toISOString().replace('T', ' ').replace('Z', '')}'`
  await db.query(`INSERT INTO staff (user_id, name, avatar, is_follow_user, synced_at)
      SELECT CONCAT('adv', n), CONCAT('顾问', n), '', 1, ${nowLit} FROM bench_seq WHERE n < 20`)
  let step = t(`customers + follows (${CUSTOMERS.toLocaleString()} each)`)
  await db.query(`INSERT INTO customer (external_user_id, name, avatar, type, gender, unionid, corp_name, created_at, updated_at)
      SELECT CONCAT('wm', LPAD(n, 8, '0')), CONCAT('客户', n), '', 1, n % 3, NULL, NULL,
             ${nowLit} - INTERVAL (n % 400) DAY, ${nowLit}
        FROM bench_seq WHERE n < ${CUSTOMERS}`)
  await db.query(`INSERT INTO customer_follow (external_user_id, user_id, remark, description, remark_mobiles, add_time, add_way, state, status, updated_at)
      SELECT CONCAT('wm', LPAD(n, 8, '0')), CONCAT('adv', n % 20), '', '', '', ${nowLit} - INTERVAL (n % 400) DAY - INTERVAL (n % 86400) SECOND,
             1, '', 'active', ${nowLit}
        FROM bench_seq WHERE n < ${CUSTOMERS}`)
  step()
  // Orders: 70% of customers buy; order k goes to customer (k·7919 mod 70%) — about 7 orders each,
  // spread over 400 days, 1 in 5 discounted, 1 in 7 with a coupon, 1 in 50 refunded.
  // Secondary indexes are dropped for the load and rebuilt after (a sorted build, as in a restore).
  step = t(`orders (${ORDERS.toLocaleString()}) incl. index rebuild`)
  const buyers = Math.floor(CUSTOMERS * 0.7)
  const idx = [
    ['idx_shop_order_customer', 'external_user_id, ordered_at'],
    ['idx_shop_order_mobile', 'buyer_mobile'],
    ['idx_shop_order_unionid', 'buyer_unionid'],
    ['idx_shop_order_time', 'ordered_at'],
  ]
  await db.query(`ALTER TABLE shop_order ${idx.map(([name]) => `DROP INDEX ${name}`).join(', ')}`)
  for (let part = 0; part * 1_000_000 < ORDERS; part++) {
    const rows = Math.min(1_000_000, ORDERS - part * 1_000_000)
    await db.query(`INSERT INTO shop_order (source_id, order_no, external_user_id, user_id, bound_by, bound_at, buyer_mobile,
          buyer_unionid, buyer_name, total_cents, discount_cents, coupon_used, status, ordered_at, created_at)
        SELECT 1, LPAD(k, 10, '0'), CONCAT('wm', LPAD((k * 7919) % ${buyers}, 8, '0')), CONCAT('adv', k % 20), 'mobile',
               ${nowLit}, NULL, NULL, '', 1000 + (k * 37) % 50000, CASE WHEN k % 5 = 0 THEN 500 ELSE 0 END, k % 7 = 0,
               CASE WHEN k % 50 = 0 THEN 'refunded' ELSE 'paid' END,
               ${nowLit} - INTERVAL (k % 400) DAY - INTERVAL ((k * 13) % 86400) SECOND, ${nowLit}
          FROM (SELECT n + ${part * 1_000_000} AS k FROM bench_seq WHERE n < ${rows}) s`)
  }
  await db.query(
    `ALTER TABLE shop_order ${idx.map(([name, cols]) => `ADD INDEX ${name} (${cols})`).join(', ')}`,
  )
  step()
  step = t('notes and script sends (100,000 each)')
  await db.query(`INSERT INTO customer_note (external_user_id, user_id, kind, content, created_at)
      SELECT CONCAT('wm', LPAD((n * 13) % ${CUSTOMERS}, 8, '0')), CONCAT('adv', n % 20), 'follow_up', '回访', ${nowLit} - INTERVAL (n % 30) DAY
        FROM bench_seq WHERE n < 100000`)
  await db.query(`INSERT INTO script_usage (script_id, user_id, external_user_id, chat_id, used_at)
      SELECT 1 + n % 20, CONCAT('adv', n % 20), CONCAT('wm', LPAD((n * 17) % ${CUSTOMERS}, 8, '0')), NULL, ${nowLit} - INTERVAL (n % 60) DAY
        FROM bench_seq WHERE n < 100000`)
  step()
  await db.query('DROP TABLE bench_seq')
  await db.query('DROP TABLE bench_digit')
  await db.query('ANALYZE TABLE customer, customer_follow, shop_order, customer_note, script_usage')
  genSeconds = genDone()
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSegmentRecompute()
