import { EntitySchema } from 'typeorm'

/** A shop that sends us orders (file import or push API); the API key is stored only as its sha256. */
export interface OrderSourceRow {
  id: number
  name: string
  /** sha256 hex of the API key. */
  apiKeyHash: string
  /** First characters of the key, shown in the console so admins can tell keys apart. */
  apiKeyPrefix: string
  /** JSON: our field -> their column header (file imports). */
  columnMapping: string
  createdAt: Date
  updatedAt: Date
}

export const OrderSourceEntity = new EntitySchema<OrderSourceRow>({
  name: 'OrderSource',
  tableName: 'order_source',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    apiKeyHash: { name: 'api_key_hash', type: 'varchar', length: 64 },
    apiKeyPrefix: { name: 'api_key_prefix', type: 'varchar', length: 12 },
    columnMapping: { name: 'column_mapping', type: 'text' },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
  uniques: [{ name: 'uq_order_source_name', columns: ['name'] }],
})

export type OrderBoundBy = 'mobile' | 'unionid' | 'advisor'
export type OrderStatus = 'paid' | 'refunded'

/** One shop order, unique per source and order number; bound to a customer once we know who bought. */
export interface ShopOrderRow {
  id: number
  sourceId: number
  orderNo: string
  /** The bound customer. */
  externalUserId: string | null
  /** The advisor credited: the follow at binding time. */
  userId: string | null
  boundBy: OrderBoundBy | null
  boundAt: Date | null
  /** Digits only. */
  buyerMobile: string | null
  buyerUnionid: string | null
  buyerName: string
  /** Amount paid. */
  totalCents: number
  discountCents: number
  couponUsed: boolean
  status: OrderStatus
  orderedAt: Date
  createdAt: Date
}

export const ShopOrderEntity = new EntitySchema<ShopOrderRow>({
  name: 'ShopOrder',
  tableName: 'shop_order',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    sourceId: { name: 'source_id', type: 'integer' },
    orderNo: { name: 'order_no', type: 'varchar', length: 64 },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, nullable: true },
    userId: { name: 'user_id', type: 'varchar', length: 64, nullable: true },
    boundBy: { name: 'bound_by', type: 'varchar', length: 16, nullable: true },
    boundAt: { name: 'bound_at', type: 'datetime', nullable: true },
    buyerMobile: { name: 'buyer_mobile', type: 'varchar', length: 32, nullable: true },
    buyerUnionid: { name: 'buyer_unionid', type: 'varchar', length: 64, nullable: true },
    buyerName: { name: 'buyer_name', type: 'varchar', length: 64, default: '' },
    totalCents: { name: 'total_cents', type: 'integer' },
    discountCents: { name: 'discount_cents', type: 'integer', default: 0 },
    couponUsed: { name: 'coupon_used', type: 'boolean', default: false },
    status: { type: 'varchar', length: 16, default: 'paid' },
    orderedAt: { name: 'ordered_at', type: 'datetime' },
    createdAt: { name: 'created_at', type: 'datetime' },
  },
  uniques: [{ name: 'uq_shop_order_no', columns: ['sourceId', 'orderNo'] }],
  indices: [
    { name: 'idx_shop_order_customer', columns: ['externalUserId', 'orderedAt'] },
    { name: 'idx_shop_order_mobile', columns: ['buyerMobile'] },
    { name: 'idx_shop_order_unionid', columns: ['buyerUnionid'] },
    { name: 'idx_shop_order_time', columns: ['orderedAt'] },
  ],
})

/** One line of an order; productId is set when the SKU matches a product in the library. */
export interface ShopOrderItemRow {
  id: number
  orderId: number
  productId: number | null
  sku: string
  productName: string
  quantity: number
  amountCents: number
}

export const ShopOrderItemEntity = new EntitySchema<ShopOrderItemRow>({
  name: 'ShopOrderItem',
  tableName: 'shop_order_item',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    orderId: { name: 'order_id', type: 'integer' },
    productId: { name: 'product_id', type: 'integer', nullable: true },
    sku: { type: 'varchar', length: 64, default: '' },
    productName: { name: 'product_name', type: 'varchar', length: 128 },
    quantity: { type: 'integer' },
    amountCents: { name: 'amount_cents', type: 'integer' },
  },
  indices: [
    { name: 'idx_shop_order_item_order', columns: ['orderId'] },
    { name: 'idx_shop_order_item_product', columns: ['productId'] },
  ],
})

export type OrderImportStatus = 'queued' | 'running' | 'done' | 'failed'

/** One file import run; the counters are what the admin page polls. */
export interface OrderImportRow {
  id: number
  sourceId: number
  fileName: string
  fileKind: 'csv' | 'xlsx'
  status: OrderImportStatus
  fileBytes: number
  /** Bytes of the file consumed so far: the progress bar (row totals are unknown while streaming). */
  bytesRead: number
  rowsRead: number
  ordersInserted: number
  duplicates: number
  rejected: number
  error: string | null
  createdBy: string
  createdAt: Date
  finishedAt: Date | null
}

export const OrderImportEntity = new EntitySchema<OrderImportRow>({
  name: 'OrderImport',
  tableName: 'order_import',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    sourceId: { name: 'source_id', type: 'integer' },
    fileName: { name: 'file_name', type: 'varchar', length: 255 },
    fileKind: { name: 'file_kind', type: 'varchar', length: 8 },
    status: { type: 'varchar', length: 16, default: 'queued' },
    fileBytes: { name: 'file_bytes', type: 'integer', default: 0 },
    bytesRead: { name: 'bytes_read', type: 'integer', default: 0 },
    rowsRead: { name: 'rows_read', type: 'integer', default: 0 },
    ordersInserted: { name: 'orders_inserted', type: 'integer', default: 0 },
    duplicates: { type: 'integer', default: 0 },
    rejected: { type: 'integer', default: 0 },
    error: { type: 'text', nullable: true },
    createdBy: { name: 'created_by', type: 'varchar', length: 64, default: '' },
    createdAt: { name: 'created_at', type: 'datetime' },
    finishedAt: { name: 'finished_at', type: 'datetime', nullable: true },
  },
  indices: [{ name: 'idx_order_import_source', columns: ['sourceId', 'createdAt'] }],
})

/** A rejected row of an import: its row number in the file (header = row 1) and the reason. */
export interface OrderImportRejectRow {
  id: number
  importId: number
  rowNo: number
  orderNo: string
  reason: string
}

export const OrderImportRejectEntity = new EntitySchema<OrderImportRejectRow>({
  name: 'OrderImportReject',
  tableName: 'order_import_reject',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    importId: { name: 'import_id', type: 'integer' },
    rowNo: { name: 'row_no', type: 'integer' },
    orderNo: { name: 'order_no', type: 'varchar', length: 64, default: '' },
    reason: { type: 'varchar', length: 255 },
  },
  indices: [{ name: 'idx_order_import_reject', columns: ['importId', 'rowNo'] }],
})

/** A normalized mobile from a follow's remark_mobiles: the index that binds orders by mobile. */
export interface CustomerMobileRow {
  mobile: string
  externalUserId: string
  userId: string
}

export const CustomerMobileEntity = new EntitySchema<CustomerMobileRow>({
  name: 'CustomerMobile',
  tableName: 'customer_mobile',
  columns: {
    mobile: { type: 'varchar', length: 32, primary: true },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 64, primary: true },
  },
  indices: [{ name: 'idx_customer_mobile_follow', columns: ['externalUserId', 'userId'] }],
})
