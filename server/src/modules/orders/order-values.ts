// Turning a shop's text (file cells, pushed JSON) into order values, with the reason when it can't.
import type { ColumnMapping, OrderField } from '@scrm/shared'
import { ORDER_FIELDS } from '@scrm/shared'

export interface OrderLineDraft {
  sku: string
  productName: string
  quantity: number
  amountCents: number
}

/** One order ready to store; amounts in cents, mobile digits only. */
export interface OrderDraft {
  orderNo: string
  orderedAt: Date
  buyerMobile: string | null
  buyerUnionid: string | null
  buyerName: string
  totalCents: number
  discountCents: number
  couponUsed: boolean
  status: 'paid' | 'refunded'
  items: OrderLineDraft[]
}

/** A value that could not be read: the reason goes into the rejected-rows report. */
export class RowError extends Error {}

const SHANGHAI_OFFSET_MS = 8 * 3600_000
const MAX_CENTS = 2_000_000_000 // int column

/**
 * Digits only, without a leading +86/0086: shops write '+86 138-0013-8000', advisors write
 * '13800138000'; both must meet in one index. Null when nothing is left.
 */
export function normalizeMobile(raw: string | null | undefined): string | null {
  if (!raw) return null
  let d = String(raw).replace(/\D+/g, '')
  if (d.length === 15 && d.startsWith('0086')) d = d.slice(4)
  else if (d.length === 13 && d.startsWith('86')) d = d.slice(2)
  if (!d) return null
  return d.slice(0, 32)
}

/** The mobiles of a follow's remark_mobiles (comma-separated, as mirrored from WeCom), normalized. */
export function mobilesOf(remarkMobiles: string): string[] {
  return [
    ...new Set(
      remarkMobiles
        .split(',')
        .map((m) => normalizeMobile(m))
        .filter((m): m is string => !!m),
    ),
  ]
}

/**
 * A shop's timestamp. Wall-clock text without a zone is Asia/Shanghai (that's what Chinese shop
 * exports mean); ISO text with a zone is taken as is; a bare number is an Excel date serial.
 */
export function parseOrderTime(raw: string): Date {
  const s = raw.trim()
  if (!s) throw new RowError('missing order time')
  const wall =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,3})\d*)?)?秒?)?$/.exec(
      s,
    )
  if (wall) {
    const [y, mo, d, h = '0', mi = '0', se = '0', ms = '0'] = wall.slice(1)
    const parts = [y, mo, d, h, mi, se].map(Number)
    const utc = Date.UTC(
      parts[0],
      parts[1] - 1,
      parts[2],
      parts[3],
      parts[4],
      parts[5],
      Number(ms.padEnd(3, '0')),
    )
    const check = new Date(utc)
    // Date.UTC rolls 2026-02-30 over into March; a real date round-trips.
    if (
      check.getUTCFullYear() !== parts[0] ||
      check.getUTCMonth() !== parts[1] - 1 ||
      check.getUTCDate() !== parts[2] ||
      parts[3] > 23 ||
      parts[4] > 59 ||
      parts[5] > 59
    )
      throw new RowError(`bad date '${s.slice(0, 40)}'`)
    return new Date(utc - SHANGHAI_OFFSET_MS)
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s)
    if (Number.isFinite(t)) return new Date(t)
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // Excel serial: days since 1899-12-30 in the sheet's wall clock.
    const wallMs = Math.round((Number(s) - 25569) * 86_400_000)
    return new Date(wallMs - SHANGHAI_OFFSET_MS)
  }
  throw new RowError(`bad date '${s.slice(0, 40)}'`)
}

/** Yuan as text ('¥1,299.00', '1299', '-5') to cents; empty gives `dflt` (or a RowError when required). */
export function parseYuan(raw: string, what: string, dflt?: number): number {
  const s = raw.replace(/[¥￥,\s元]/g, '')
  if (!s) {
    if (dflt === undefined) throw new RowError(`missing ${what}`)
    return dflt
  }
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) throw new RowError(`bad ${what} '${raw.slice(0, 20)}'`)
  const cents = Math.round(Number(s) * 100)
  if (cents < 0) throw new RowError(`negative ${what} ${s}`)
  if (cents > MAX_CENTS) throw new RowError(`${what} too large`)
  return cents
}

export function parseQuantity(raw: string): number {
  const s = raw.trim()
  if (!s) return 1
  if (!/^\d+(\.0+)?$/.test(s) || Number(s) < 1 || Number(s) > 1_000_000)
    throw new RowError(`bad quantity '${s.slice(0, 20)}'`)
  return Number(s)
}

const PAID = new Set([
  '',
  'paid',
  '已付款',
  '已支付',
  '支付成功',
  '交易成功',
  '已完成',
  '完成',
  '已发货',
  '待发货',
  '已签收',
])
const REFUNDED = new Set(['refunded', 'refund', '已退款', '退款', '退款成功', '全额退款', '已退货'])

export function parseStatus(raw: string): 'paid' | 'refunded' {
  const s = raw.trim().toLowerCase()
  if (PAID.has(s)) return 'paid'
  if (REFUNDED.has(s)) return 'refunded'
  throw new RowError(`unknown status '${raw.slice(0, 20)}' (expected paid or refunded)`)
}

const NO = new Set(['', '0', '否', 'no', 'n', 'false', '无', '未使用', '-'])

/** A coupon column holds yes/no or the coupon's name; anything but a "no" means a coupon was used. */
export const parseCoupon = (raw: string): boolean => !NO.has(raw.trim().toLowerCase())

export function text(raw: string, what: string, max: number): string {
  const s = raw.trim()
  if (s.length > max) throw new RowError(`${what} longer than ${max} characters`)
  return s
}

/** Headers a typical Chinese shop export uses for each of our fields (first exact match wins). */
const SYNONYMS: Record<OrderField, string[]> = {
  order_no: ['订单号', '订单编号', '主订单编号', '订单id', 'order no', 'orderno', 'order_id'],
  ordered_at: [
    '下单时间',
    '订单创建时间',
    '创建时间',
    '付款时间',
    '支付时间',
    '订单时间',
    'order time',
    'created_at',
  ],
  buyer_mobile: [
    '手机号',
    '买家手机号',
    '收货人手机号',
    '收货人手机',
    '手机',
    '联系电话',
    '联系手机',
    'mobile',
    'phone',
  ],
  buyer_unionid: ['unionid', 'union_id', '买家unionid'],
  buyer_name: ['买家', '买家昵称', '收货人', '收货人姓名', '客户姓名', '姓名', 'buyer', 'name'],
  total: ['实付金额', '订单实付金额', '实付款', '支付金额', '订单金额', '订单总额', 'total', 'amount'],
  discount: ['优惠金额', '订单优惠', '优惠', '折扣金额', 'discount'],
  coupon: ['优惠券', '使用优惠券', '是否使用优惠券', 'coupon'],
  status: ['订单状态', '状态', 'status'],
  sku: ['sku', 'sku编码', '商品编码', '规格编码', '商家编码', '货号'],
  product_name: ['商品名称', '商品', '宝贝标题', '商品标题', 'product', 'product name'],
  quantity: ['数量', '购买数量', '商品数量', 'quantity', 'qty'],
  line_amount: ['商品金额', '商品实付金额', '小计', '商品小计', 'line amount'],
}

/** A first guess at the mapping from a file's headers, for sources without a saved mapping. */
export function guessMapping(headers: string[]): ColumnMapping {
  const byNorm = new Map<string, string>()
  for (const h of headers) {
    const k = h.trim().toLowerCase()
    if (k && !byNorm.has(k)) byNorm.set(k, h)
  }
  const mapping: ColumnMapping = {}
  const used = new Set<string>()
  for (const f of ORDER_FIELDS) {
    for (const name of [f, ...SYNONYMS[f]]) {
      const h = byNorm.get(name.toLowerCase())
      if (h && !used.has(h)) {
        mapping[f] = h
        used.add(h)
        break
      }
    }
  }
  return mapping
}

/** 32-bit FNV-1a: a cheap fingerprint of an order's header fields, to spot a reused order number. */
export function fingerprint(parts: Array<string | number | boolean | null>): number {
  let h = 0x811c9dc5
  const s = parts.map((p) => (p === null ? '\u0000' : String(p))).join('\u0001')
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export const orderFingerprint = (o: OrderDraft) =>
  fingerprint([
    o.orderedAt.getTime(),
    o.buyerMobile,
    o.buyerUnionid,
    o.buyerName,
    o.totalCents,
    o.discountCents,
    o.couponUsed,
    o.status,
  ])
