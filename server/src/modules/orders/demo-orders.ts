// Demo orders: one shop source and a few months of orders for the demo customers, bound by mobile or
// unionid like real ones, plus a few that match nobody yet (the "unbound" filter has something to show).
import type { App } from '../../app.ts'

const DAY = 86_400_000

export async function seedDemoOrders(app: App) {
  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM order_source')
  if (Number(n) > 0) return
  const source = await app.orderSources.create('有赞小店')
  // Index the follows' remark mobiles first so the new orders bind as they arrive.
  await app.orders.sweep()

  const products: Array<{ name: string; price: number }> = (
    await app.db.query('SELECT name, price_cents AS p FROM product WHERE deleted_at IS NULL ORDER BY id')
  ).map((r: { name: string; p: number }) => ({ name: r.name, price: Number(r.p) }))
  if (!products.length)
    products.push({ name: '玻尿酸精华 30ml', price: 19900 }, { name: '修护面霜 50g', price: 25900 })

  const buyers: Array<{ e: string; mobiles: string; unionid: string | null; name: string }> =
    await app.db.query(
      `SELECT f.external_user_id AS e, f.remark_mobiles AS mobiles, c.unionid AS unionid, c.name AS name
       FROM customer_follow f JOIN customer c ON c.external_user_id = f.external_user_id
      WHERE f.status = 'active' ORDER BY f.external_user_id, f.user_id`,
    )
  let seed = 7
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % k
  }
  const orders: unknown[] = []
  const seen = new Set<string>()
  let no = 260_001
  for (const b of buyers) {
    if (seen.has(b.e)) continue
    seen.add(b.e)
    const mobile = b.mobiles.split(',')[0] || null
    // Only buyers the shop can match: a remark mobile, or (every other one) the WeChat unionid.
    if (!mobile && !(b.unionid && rand(2) === 0)) continue
    const count = 1 + rand(4)
    for (let i = 0; i < count; i++) {
      const lines = Array.from({ length: 1 + rand(2) }, () => {
        const p = products[rand(products.length)]
        const quantity = 1 + rand(2)
        return { productName: p.name, quantity, amount: (p.price * quantity) / 100 }
      })
      const gross = lines.reduce((s, l) => s + l.amount, 0)
      const discount = rand(3) === 0 ? Math.min(30, Math.floor(gross / 5)) : 0
      orders.push({
        orderNo: `YZ${no++}`,
        orderedAt: new Date(Date.now() - (5 + rand(150)) * DAY - rand(600) * 60_000).toISOString(),
        buyerName: b.name,
        ...(mobile ? { buyerMobile: mobile } : { buyerUnionid: b.unionid }),
        total: Math.round((gross - discount) * 100) / 100,
        discount,
        coupon: discount > 0,
        status: rand(12) === 0 ? 'refunded' : 'paid',
        items: lines,
      })
    }
  }
  for (let i = 0; i < 6; i++)
    orders.push({
      orderNo: `YZ${no++}`,
      orderedAt: new Date(Date.now() - (1 + i * 3) * DAY).toISOString(),
      buyerName: ['周女士', '吴先生', '郑女士'][i % 3],
      buyerMobile: `1590000${String(1000 + i)}`,
      total: products[i % products.length].price / 100,
      items: [
        {
          productName: products[i % products.length].name,
          quantity: 1,
          amount: products[i % products.length].price / 100,
        },
      ],
    })
  for (let i = 0; i < orders.length; i += 1000) await app.orders.push(source.id, orders.slice(i, i + 1000))
  console.log(
    `  Demo orders: ${orders.length} in source 有赞小店 — push API key (shown once): ${source.apiKey}\n`,
  )
}
