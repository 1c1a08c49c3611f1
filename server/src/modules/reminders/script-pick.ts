// Which script a reminder suggests: a repurchase-node (复购) script ranked by the scripts library's own
// fit (`fitOf`: node + the customer's segment tags first), and — when segments computed a price
// sensitivity for the customer — a script whose segment tag name or title speaks to that sensitivity
// counts as a segment match (low → professional content, medium → efficacy/origin, high → one promotion).
import { IsNull, type DataSource } from 'typeorm'
import type { FastifyInstance } from 'fastify'
import { fitOf, type Fit } from '../scripts/script.service.ts'
import { ScriptEntity, type ScriptRow } from '../scripts/script.entity.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import { hasTable } from './sql.ts'

export type PriceSensitivity = 'low' | 'medium' | 'high'

// Checked in this order: "低价格敏感" contains "价格敏感", so the low and medium words go first.
const PRICE_WORDS: [PriceSensitivity, string[]][] = [
  ['low', ['低价格敏感', '价格不敏感', '低敏感', '高净值', '专业', '高端']],
  ['medium', ['中价格敏感', '中敏感', '功效', '成分', '产地', '原料']],
  ['high', ['高价格敏感', '价格敏感', '高敏感', '促销', '优惠', '限时', '活动']],
]

/** The price sensitivity a script is written for, read from its segment tag name and title. */
export function priceSignal(text: string): PriceSensitivity | null {
  for (const [level, words] of PRICE_WORDS) if (words.some((w) => text.includes(w))) return level
  return null
}

const RANK: Record<Fit, number> = { node_segment: 0, node: 1, segment: 2, other: 3 }
const PRICE_LABEL: Record<PriceSensitivity, string> = { low: '低', medium: '中', high: '高' }

export interface Pick {
  scriptId: number | null
  reason: string
}

export interface ScriptCandidate {
  row: ScriptRow
  tagName: string
  price: PriceSensitivity | null
}

/** Ranks candidates for one customer: segment fit (price sensitivity counts as a segment match), then use. */
export function pickScript(
  candidates: ScriptCandidate[],
  segmentTagIds: string[],
  price: PriceSensitivity | null,
): { script: ScriptCandidate; fit: Fit; priceMatch: boolean } | null {
  let best: { script: ScriptCandidate; fit: Fit; priceMatch: boolean; rank: number } | null = null
  for (const c of candidates) {
    let fit = fitOf(c.row, { node: 'repurchase', segmentTagIds })
    const priceMatch = !!price && c.price === price
    if (priceMatch && (fit === 'node' || fit === 'other'))
      fit = c.row.node === 'repurchase' ? 'node_segment' : 'segment'
    // A script written for another price sensitivity is a poor fit for this customer.
    const mismatch = !!price && !!c.price && c.price !== price
    const rank = RANK[fit] * 2 + (mismatch ? 1 : 0)
    if (
      !best ||
      rank < best.rank ||
      (rank === best.rank &&
        (c.row.useCount > best.script.row.useCount ||
          (c.row.useCount === best.script.row.useCount && c.row.id < best.script.row.id)))
    )
      best = { script: c, fit, priceMatch, rank }
  }
  return best
}

export class ScriptPicker {
  private cache: ScriptCandidate[] | null = null
  private segmentTable: boolean | null = null

  constructor(
    private readonly app: FastifyInstance,
    private readonly db: DataSource,
  ) {}

  /** Scripts are read once per scan. */
  reset() {
    this.cache = null
    this.segmentTable = null
  }

  private async candidates(): Promise<ScriptCandidate[]> {
    if (this.cache) return this.cache
    const rows = await this.db
      .getRepository(ScriptEntity)
      .createQueryBuilder('s')
      .innerJoin('script_library', 'l', 'l.id = s.library_id AND l.deleted_at IS NULL')
      .where('s.deleted_at IS NULL')
      .andWhere("s.node = 'repurchase'")
      .orderBy('s.id', 'ASC')
      .getMany()
    const tags = await this.db.getRepository(TagEntity).find()
    const tagName = new Map(tags.map((t) => [t.tagId, t.name]))
    this.cache = rows.map((row) => {
      const name = row.segmentTagId ? (tagName.get(row.segmentTagId) ?? '') : ''
      return { row, tagName: name, price: priceSignal(`${name} ${row.title}`) }
    })
    return this.cache
  }

  /** customer_segment.price_sensitivity, when the segments module has computed one. */
  async priceSensitivity(externalUserId: string): Promise<PriceSensitivity | null> {
    if (this.segmentTable === null) this.segmentTable = await hasTable(this.db, 'customer_segment')
    if (!this.segmentTable) return null
    const rows: { p: string | null }[] = await this.db.query(
      'SELECT price_sensitivity AS p FROM customer_segment WHERE external_user_id = ?',
      [externalUserId],
    )
    const p = rows[0]?.p
    return p === 'low' || p === 'medium' || p === 'high' ? p : null
  }

  async pick(userId: string, externalUserId: string): Promise<Pick> {
    const candidates = await this.candidates()
    if (candidates.length === 0) return { scriptId: null, reason: '' }
    const stage = await this.app.customerStage.current.resolve(userId, externalUserId)
    const price = await this.priceSensitivity(externalUserId)
    const best = pickScript(candidates, stage?.segmentTagIds ?? [], price)
    if (!best) return { scriptId: null, reason: '' }
    const parts = ['复购话术']
    if (best.priceMatch) parts.push(`价格敏感度${PRICE_LABEL[price!]}`)
    else if (best.script.row.segmentTagId && (best.fit === 'node_segment' || best.fit === 'segment'))
      parts.push(`匹配分层「${best.script.tagName}」`)
    return { scriptId: best.script.row.id, reason: parts.join(' · ') }
  }
}

export const activeScript = (db: DataSource, id: number) =>
  db.getRepository(ScriptEntity).findOneBy({ id, deletedAt: IsNull() })
