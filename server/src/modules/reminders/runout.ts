// Run-out prediction (周期购), kept as plain arithmetic so it is easy to check and to explain:
//
//   one order line lasts  cycleDays × quantity ÷ unitsPerOrder  days
//     (cycleDays: how long one order's worth — unitsPerOrder units — lasts; the customer's own cycle
//      when the advisor set one, else the product's);
//   purchases are replayed in time order: runout = max(previous runout, purchase date) + days it lasts.
//
// So a customer who reorders before running out carries the leftover stock over (the new supply starts
// when the old one ends); one who reorders after running out starts afresh from the purchase date.
// Refunded orders are not purchases. No cap on stockpiling: three bottles bought at once last three cycles.

export const DAY_MS = 86_400_000

export interface Purchase {
  orderedAt: Date
  quantity: number
}

export interface RunoutResult {
  lastOrderAt: Date
  runoutAt: Date
  /** Units bought in total (for display). */
  quantity: number
}

/** Days one purchase of `quantity` lasts. */
export function daysLasting(cycleDays: number, quantity: number, unitsPerOrder: number): number {
  return (cycleDays * Math.max(0, quantity)) / Math.max(1, unitsPerOrder)
}

export function predictRunout(
  purchases: Purchase[],
  cycleDays: number,
  unitsPerOrder: number,
): RunoutResult | null {
  const sorted = purchases
    .filter((p) => p.quantity > 0)
    .sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime())
  if (sorted.length === 0 || cycleDays <= 0) return null
  let runout = 0
  let quantity = 0
  for (const p of sorted) {
    const start = Math.max(runout, p.orderedAt.getTime())
    runout = start + daysLasting(cycleDays, p.quantity, unitsPerOrder) * DAY_MS
    quantity += p.quantity
  }
  return { lastOrderAt: sorted.at(-1)!.orderedAt, runoutAt: new Date(Math.round(runout)), quantity }
}
