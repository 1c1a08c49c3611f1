// The product library (商品库) and one-tap sends from the sidebar, recorded per customer.
import { In, IsNull, type DataSource } from 'typeorm'
import type { ChatMessagePayload, Product, ProductInput, ProductSend } from '@scrm/shared'
import { badRequest, notFound } from '../../lib/errors.ts'
import { inTransaction } from '../../db/transaction.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { ProductEntity, ProductSendEntity, type ProductRow } from './product.entity.ts'

export const formatYuan = (cents: number) => `¥${(cents / 100).toFixed(2).replace(/\.00$/, '')}`

const out = (r: ProductRow): Product => ({
  id: r.id,
  name: r.name,
  description: r.description,
  priceCents: r.priceCents,
  imageUrl: r.imageUrl,
  link: r.link,
  miniAppId: r.miniAppId,
  miniPage: r.miniPage,
  sku: r.sku ?? null,
  cycleDays: r.cycleDays,
  unitsPerOrder: r.unitsPerOrder,
  remindDaysBefore: r.remindDaysBefore,
  tags: r.tags ? r.tags.split(',') : [],
  sendCount: r.sendCount,
  updatedAt: r.updatedAt.toISOString(),
})

/** WeCom wants the mini-program page path to end with .html. */
export function normalizeMiniPage(page: string | null | undefined): string | null {
  const p = page?.trim()
  if (!p) return null
  const [path, query] = p.split('?')
  const withHtml = path.endsWith('.html') ? path : `${path}.html`
  return query ? `${withHtml}?${query}` : withHtml
}

export class ProductService {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
  ) {}

  /** Uploads a product image with media/uploadimg: WeCom returns a permanent URL for cards. */
  async uploadImage(name: string, base64: string): Promise<string> {
    const bytes = Buffer.from(base64, 'base64')
    if (bytes.length === 0) throw badRequest('empty_image', 'The image is empty')
    if (bytes.length > 2 * 1024 * 1024) throw badRequest('image_too_large', 'Images must be at most 2 MB')
    const form = new FormData()
    form.append('media', new Blob([new Uint8Array(bytes)]), name)
    const res = await this.wecom.post<{ url: string }>('media/uploadimg', form)
    return res.url
  }

  async list(q?: string): Promise<Product[]> {
    const qb = this.db.getRepository(ProductEntity).createQueryBuilder('p').where('p.deleted_at IS NULL')
    const term = q?.trim().replace(/[%_\\]/g, '')
    if (term) qb.andWhere('(p.name LIKE :q OR p.tags LIKE :q OR p.description LIKE :q)', { q: `%${term}%` })
    const rows = await qb.orderBy('p.send_count', 'DESC').addOrderBy('p.id', 'DESC').take(500).getMany()
    return rows.map(out)
  }

  async get(id: number): Promise<Product> {
    const row = await this.db.getRepository(ProductEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!row) throw notFound('Product')
    return out(row)
  }

  async save(input: ProductInput, id?: number): Promise<Product> {
    const repo = this.db.getRepository(ProductEntity)
    if ((input.miniAppId && !input.miniPage) || (!input.miniAppId && input.miniPage))
      throw badRequest('miniprogram_incomplete', 'A mini-program card needs both the appid and the page')
    const tags = (input.tags ?? []).map((t) => t.replace(/,/g, ' ').trim()).filter(Boolean)
    const now = new Date()
    const fields = {
      name: input.name,
      description: input.description ?? '',
      priceCents: input.priceCents,
      imageUrl: input.imageUrl,
      link: input.link,
      miniAppId: input.miniAppId || null,
      miniPage: normalizeMiniPage(input.miniPage),
      sku: input.sku?.trim() || null,
      cycleDays: input.cycleDays ?? null,
      // Reminder settings: left as they are when a client does not send them.
      ...(input.unitsPerOrder !== undefined ? { unitsPerOrder: input.unitsPerOrder } : {}),
      ...(input.remindDaysBefore !== undefined ? { remindDaysBefore: input.remindDaysBefore } : {}),
      tags: [...new Set(tags)].join(','),
      updatedAt: now,
    }
    if (id) {
      const res = await repo.update({ id, deletedAt: IsNull() }, fields)
      if (!res.affected) throw notFound('Product')
      return this.get(id)
    }
    const row = repo.create({ ...fields, sendCount: 0, createdAt: now, deletedAt: null })
    await repo.insert(row)
    return this.get(row.id)
  }

  async remove(id: number): Promise<void> {
    const res = await this.db
      .getRepository(ProductEntity)
      .update({ id, deletedAt: IsNull() }, { deletedAt: new Date() })
    if (!res.affected) throw notFound('Product')
  }

  /** Records the send and returns the card for ww.sendChatMessage. */
  async send(
    id: number,
    msgtype: 'news' | 'miniprogram',
    by: { userId: string; externalUserId?: string; chatId?: string },
  ): Promise<ChatMessagePayload> {
    const row = await this.db.getRepository(ProductEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!row) throw notFound('Product')
    let message: ChatMessagePayload
    if (msgtype === 'miniprogram') {
      if (!row.miniAppId || !row.miniPage)
        throw badRequest('no_miniprogram', `${row.name} has no mini-program page; send it as a link`)
      message = {
        msgtype: 'miniprogram',
        miniprogram: { appid: row.miniAppId, title: row.name, imgUrl: row.imageUrl, page: row.miniPage },
      }
    } else {
      const desc = [formatYuan(row.priceCents), row.description].filter(Boolean).join(' · ')
      message = { msgtype: 'news', news: { link: row.link, title: row.name, desc, imgUrl: row.imageUrl } }
    }
    await inTransaction(this.db, async (m) => {
      await m.getRepository(ProductSendEntity).insert({
        productId: id,
        userId: by.userId,
        externalUserId: by.externalUserId ?? null,
        chatId: by.chatId ?? null,
        msgtype,
        sentAt: new Date(),
      })
      await m.getRepository(ProductEntity).increment({ id }, 'sendCount', 1)
    })
    return message
  }

  /** What this advisor sent this customer, newest first. */
  async sendsTo(userId: string, externalUserId: string): Promise<ProductSend[]> {
    const rows = await this.db
      .getRepository(ProductSendEntity)
      .find({ where: { userId, externalUserId }, order: { id: 'DESC' }, take: 50 })
    const ids = [...new Set(rows.map((r) => r.productId))]
    const products = ids.length ? await this.db.getRepository(ProductEntity).findBy({ id: In(ids) }) : []
    const names = new Map(products.map((p) => [p.id, p.name]))
    return rows.map((r) => ({
      id: r.id,
      productId: r.productId,
      productName: names.get(r.productId) ?? '',
      msgtype: r.msgtype,
      userId: r.userId,
      sentAt: r.sentAt.toISOString(),
    }))
  }
}
