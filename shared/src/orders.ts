import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

/** Our fields a shop export's columns map onto; one file row is one order line. */
export const ORDER_FIELDS = [
  'order_no',
  'ordered_at',
  'buyer_mobile',
  'buyer_unionid',
  'buyer_name',
  'total',
  'discount',
  'coupon',
  'status',
  'sku',
  'product_name',
  'quantity',
  'line_amount',
] as const
export type OrderField = (typeof ORDER_FIELDS)[number]
/** Fields every import must map. */
export const REQUIRED_ORDER_FIELDS: readonly OrderField[] = ['order_no', 'ordered_at', 'total']

/** Our field -> the column header in their file. */
const header = () => Type.Optional(Type.String({ maxLength: 128 }))
export const ColumnMapping = Type.Object(
  {
    order_no: header(),
    ordered_at: header(),
    buyer_mobile: header(),
    buyer_unionid: header(),
    buyer_name: header(),
    total: header(),
    discount: header(),
    coupon: header(),
    status: header(),
    sku: header(),
    product_name: header(),
    quantity: header(),
    line_amount: header(),
  },
  { additionalProperties: false },
)
export type ColumnMapping = Partial<Record<OrderField, string>>

export const OrderSource = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  apiKeyPrefix: Type.String(),
  mapping: ColumnMapping,
  orderCount: Type.Integer(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
})
export type OrderSource = Static<typeof OrderSource>

/** A new or rotated source: the API key appears here once and is never shown again. */
export const OrderSourceWithKey = Type.Intersect([OrderSource, Type.Object({ apiKey: Type.String() })])
export type OrderSourceWithKey = Static<typeof OrderSourceWithKey>

export const OrderSourceInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) })
export type OrderSourceInput = Static<typeof OrderSourceInput>

export const OrderUpload = Type.Object({
  uploadId: Type.String(),
  fileName: Type.String(),
  fileKind: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  bytes: Type.Integer(),
})
export type OrderUpload = Static<typeof OrderUpload>

export const ImportPreview = Type.Object({
  headers: Type.Array(Type.String()),
  /** The first 20 data rows, cells as text. */
  rows: Type.Array(Type.Array(Type.String())),
  /** The source's saved mapping, or a guess from the headers when none is saved yet. */
  mapping: ColumnMapping,
  mappingSaved: Type.Boolean(),
})
export type ImportPreview = Static<typeof ImportPreview>

export const ImportStart = Type.Object({
  sourceId: Type.Integer({ minimum: 1 }),
  uploadId: Type.String({ pattern: '^[a-f0-9]{32}$' }),
  /** Saved on the source before the import starts. */
  mapping: Type.Optional(ColumnMapping),
})
export type ImportStart = Static<typeof ImportStart>

export const OrderImportStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
])

export const OrderImport = Type.Object({
  id: Type.Integer(),
  sourceId: Type.Integer(),
  fileName: Type.String(),
  fileKind: Type.String(),
  status: OrderImportStatus,
  fileBytes: Type.Integer(),
  bytesRead: Type.Integer(),
  rowsRead: Type.Integer(),
  ordersInserted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDate,
  finishedAt: NullableIsoDate,
})
export type OrderImport = Static<typeof OrderImport>

export const ImportReject = Type.Object({
  rowNo: Type.Integer(),
  orderNo: Type.String(),
  reason: Type.String(),
})
export type ImportReject = Static<typeof ImportReject>

export const OrderItem = Type.Object({
  sku: Type.String(),
  productName: Type.String(),
  productId: Type.Union([Type.Integer(), Type.Null()]),
  quantity: Type.Integer(),
  amountCents: Type.Integer(),
})
export type OrderItem = Static<typeof OrderItem>

export const OrderBoundBy = Type.Union([
  Type.Literal('mobile'),
  Type.Literal('unionid'),
  Type.Literal('advisor'),
])

export const ShopOrder = Type.Object({
  id: Type.Integer(),
  sourceId: Type.Integer(),
  sourceName: Type.String(),
  orderNo: Type.String(),
  orderedAt: IsoDate,
  totalCents: Type.Integer(),
  discountCents: Type.Integer(),
  couponUsed: Type.Boolean(),
  status: Type.String(),
  buyerName: Type.String(),
  buyerMobile: Type.Union([Type.String(), Type.Null()]),
  buyerUnionid: Type.Union([Type.String(), Type.Null()]),
  externalUserId: Type.Union([Type.String(), Type.Null()]),
  customerName: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  boundBy: Type.Union([OrderBoundBy, Type.Null()]),
  boundAt: NullableIsoDate,
  items: Type.Array(OrderItem),
})
export type ShopOrder = Static<typeof ShopOrder>

export const OrderListQuery = Type.Object({
  sourceId: Type.Optional(Type.Integer({ minimum: 1 })),
  bound: Type.Optional(Type.Union([Type.Literal('bound'), Type.Literal('unbound')])),
  /** Inclusive Asia/Shanghai days, 'YYYY-MM-DD'. */
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  /** Order number prefix or buyer mobile digits. */
  q: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
})
export type OrderListQuery = Static<typeof OrderListQuery>

export const OrderPage = Type.Object({ items: Type.Array(ShopOrder), total: Type.Integer() })
export type OrderPage = Static<typeof OrderPage>

/** The sidebar's orders of one customer, newest first, with totals over all of them. */
export const CustomerOrders = Type.Object({
  items: Type.Array(ShopOrder),
  totals: Type.Object({
    count: Type.Integer(),
    paidCents: Type.Integer(),
    refundedCount: Type.Integer(),
    lastOrderAt: NullableIsoDate,
  }),
})
export type CustomerOrders = Static<typeof CustomerOrders>

export const BindOrderInput = Type.Object({ orderNo: Type.String({ minLength: 1, maxLength: 64 }) })
export type BindOrderInput = Static<typeof BindOrderInput>

/** Push API: at most this many orders per request. */
export const PUSH_ORDER_LIMIT = 1000

/**
 * One pushed order (documentation shape; the server checks each order itself so one bad order is
 * reported by its index instead of failing the whole request). Amounts are yuan.
 */
export const PushOrderItem = Type.Object({
  sku: Type.Optional(Type.String({ maxLength: 64 })),
  productName: Type.String({ maxLength: 128 }),
  quantity: Type.Optional(Type.Integer({ minimum: 1 })),
  amount: Type.Optional(Type.Number({ minimum: 0 })),
})
export const PushOrder = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64 }),
  orderedAt: Type.String(),
  buyerMobile: Type.Optional(Type.String()),
  buyerUnionid: Type.Optional(Type.String()),
  buyerName: Type.Optional(Type.String()),
  total: Type.Number({ minimum: 0 }),
  discount: Type.Optional(Type.Number({ minimum: 0 })),
  coupon: Type.Optional(Type.Boolean()),
  status: Type.Optional(Type.Union([Type.Literal('paid'), Type.Literal('refunded')])),
  items: Type.Optional(Type.Array(PushOrderItem)),
})
export type PushOrder = Static<typeof PushOrder>

export const PushResult = Type.Object({
  inserted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      orderNo: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
    }),
  ),
})
export type PushResult = Static<typeof PushResult>
