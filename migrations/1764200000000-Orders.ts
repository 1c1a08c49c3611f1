import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * Shop orders coming in (issue 8): order sources with their API key and column mapping, orders and
 * their lines, file-import runs with their rejected rows, and a mobile lookup table mirrored from
 * customer_follow.remark_mobiles so binding by mobile is an indexed join instead of a LIKE scan.
 */
export class Orders1764200000000 implements MigrationInterface {
  name = 'Orders1764200000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'order_source',
        columns: [
          col.id(),
          col.str('name', 64),
          col.str('api_key_hash', 64),
          col.str('api_key_prefix', 12),
          col.text('column_mapping'),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_order_source_name', columnNames: ['name'], isUnique: true })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'shop_order',
        columns: [
          col.id(),
          col.int('source_id'),
          col.str('order_no', 64),
          col.str('external_user_id', 64, { isNullable: true }),
          col.str('user_id', 64, { isNullable: true }),
          col.str('bound_by', 16, { isNullable: true }),
          col.time('bound_at', { isNullable: true }),
          col.str('buyer_mobile', 32, { isNullable: true }),
          col.str('buyer_unionid', 64, { isNullable: true }),
          col.str('buyer_name', 64, { default: "''" }),
          col.int('total_cents'),
          col.int('discount_cents', { default: 0 }),
          col.bool('coupon_used', false),
          col.str('status', 16, { default: "'paid'" }),
          col.time('ordered_at'),
          col.time('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_shop_order_no',
            columnNames: ['source_id', 'order_no'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_shop_order_customer',
            columnNames: ['external_user_id', 'ordered_at'],
          }),
          new TableIndex({ name: 'idx_shop_order_mobile', columnNames: ['buyer_mobile'] }),
          new TableIndex({ name: 'idx_shop_order_unionid', columnNames: ['buyer_unionid'] }),
          new TableIndex({ name: 'idx_shop_order_time', columnNames: ['ordered_at'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'shop_order_item',
        columns: [
          col.id(),
          col.int('order_id'),
          col.int('product_id', { isNullable: true }),
          col.str('sku', 64, { default: "''" }),
          col.str('product_name', 128),
          col.int('quantity'),
          col.int('amount_cents'),
        ],
        indices: [
          new TableIndex({ name: 'idx_shop_order_item_order', columnNames: ['order_id'] }),
          new TableIndex({ name: 'idx_shop_order_item_product', columnNames: ['product_id'] }),
        ],
      }),
    )
    await q.addColumn('product', new TableColumn(col.str('sku', 64, { isNullable: true })))
    await q.createIndex('product', new TableIndex({ name: 'idx_product_sku', columnNames: ['sku'] }))

    // One file import run: counters the admin page polls as a progress bar.
    await q.createTable(
      new Table({
        name: 'order_import',
        columns: [
          col.id(),
          col.int('source_id'),
          col.str('file_name', 255),
          col.str('file_kind', 8),
          col.str('status', 16, { default: "'queued'" }),
          col.int('file_bytes', { default: 0 }),
          col.int('bytes_read', { default: 0 }),
          col.int('rows_read', { default: 0 }),
          col.int('orders_inserted', { default: 0 }),
          col.int('duplicates', { default: 0 }),
          col.int('rejected', { default: 0 }),
          col.text('error', { isNullable: true }),
          col.str('created_by', 64, { default: "''" }),
          col.time('created_at'),
          col.time('finished_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'idx_order_import_source', columnNames: ['source_id', 'created_at'] }),
        ],
      }),
    )
    // Rejected rows of an import (row number in the file and why), capped per import by the service.
    await q.createTable(
      new Table({
        name: 'order_import_reject',
        columns: [
          col.id(),
          col.int('import_id'),
          col.int('row_no'),
          col.str('order_no', 64, { default: "''" }),
          col.str('reason', 255),
        ],
        indices: [new TableIndex({ name: 'idx_order_import_reject', columnNames: ['import_id', 'row_no'] })],
      }),
    )
    // Normalized mobiles from customer_follow.remark_mobiles, one row per (mobile, follow).
    await q.createTable(
      new Table({
        name: 'customer_mobile',
        columns: [
          col.str('mobile', 32, { isPrimary: true }),
          col.str('external_user_id', 64, { isPrimary: true }),
          col.str('user_id', 64, { isPrimary: true }),
        ],
        indices: [
          new TableIndex({
            name: 'idx_customer_mobile_follow',
            columnNames: ['external_user_id', 'user_id'],
          }),
        ],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['customer_mobile', 'order_import_reject', 'order_import']) await q.dropTable(t)
    await q.dropIndex('product', 'idx_product_sku')
    await q.dropColumn('product', 'sku')
    for (const t of ['shop_order_item', 'shop_order', 'order_source']) await q.dropTable(t)
  }
}
