import type { App } from '../../app.ts'

/** Demo start: segments for the seeded orders, so 客户分层 and the sidebar show something at once. */
export async function computeDemoSegments(app: App): Promise<void> {
  const [{ orders }] = (await app.db.query('SELECT COUNT(*) AS orders FROM shop_order')) as {
    orders: number | string
  }[]
  const [{ done }] = (await app.db.query('SELECT COUNT(*) AS done FROM customer_segment')) as {
    done: number | string
  }[]
  if (Number(orders) > 0 && Number(done) === 0) await app.segments.recomputeAll()
}
