import { EntitySchema } from 'typeorm'

/** A product in the library (商品库): sent from the sidebar as a link card or a mini-program card. */
export interface ProductRow {
  id: number
  name: string
  description: string
  priceCents: number
  imageUrl: string
  link: string
  miniAppId: string | null
  miniPage: string | null
  /** Consumption cycle (消耗周期): days one unit lasts, for run-out reminders. */
  /** The shop's SKU code, which order lines are matched by (else by name). */
  sku: string | null
  cycleDays: number | null
  /** Units one cycle covers (a 3-pack lasts cycleDays when unitsPerOrder is 3); run-out reminders. */
  unitsPerOrder: number
  /** Remind the advisor this many days before the predicted run-out. */
  remindDaysBefore: number
  /** Comma-separated labels. */
  tags: string
  sendCount: number
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | null
}

export const ProductEntity = new EntitySchema<ProductRow>({
  name: 'Product',
  tableName: 'product',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 128 },
    description: { type: 'varchar', length: 255, default: '' },
    priceCents: { name: 'price_cents', type: 'integer' },
    imageUrl: { name: 'image_url', type: 'varchar', length: 512, default: '' },
    link: { type: 'varchar', length: 512 },
    miniAppId: { name: 'mini_app_id', type: 'varchar', length: 64, nullable: true },
    miniPage: { name: 'mini_page', type: 'varchar', length: 256, nullable: true },
    sku: { type: 'varchar', length: 64, nullable: true },
    cycleDays: { name: 'cycle_days', type: 'integer', nullable: true },
    unitsPerOrder: { name: 'units_per_order', type: 'integer', default: 1 },
    remindDaysBefore: { name: 'remind_days_before', type: 'integer', default: 3 },
    tags: { type: 'varchar', length: 1024, default: '' },
    sendCount: { name: 'send_count', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

/** One product sent into a chat (for conversion numbers per customer). */
export interface ProductSendRow {
  id: number
  productId: number
  userId: string
  externalUserId: string | null
  chatId: string | null
  msgtype: string
  sentAt: Date
}

export const ProductSendEntity = new EntitySchema<ProductSendRow>({
  name: 'ProductSend',
  tableName: 'product_send',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    productId: { name: 'product_id', type: 'integer' },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, nullable: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64, nullable: true },
    msgtype: { type: 'varchar', length: 16 },
    sentAt: { name: 'sent_at', type: 'datetime' },
  },
  indices: [
    { name: 'idx_product_send_product', columns: ['productId'] },
    { name: 'idx_product_send_customer', columns: ['externalUserId', 'sentAt'] },
  ],
})
