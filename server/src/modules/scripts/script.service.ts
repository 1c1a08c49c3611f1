// The script library (话术库): libraries, scripts by life-path node and segment, the sidebar's ranking,
// usage counts, and image/file scripts by temporary WeCom media id (refreshed before the 3-day expiry).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { In, IsNull, type DataSource } from 'typeorm'
import type {
  ChatMessagePayload,
  CustomerStage,
  RankedScript,
  Script,
  ScriptImport,
  ScriptInput,
  ScriptLibrary,
  ScriptSort,
} from '@scrm/shared'
import { badRequest, notFound } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { inTransaction } from '../../db/transaction.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import { ScriptEntity, ScriptLibraryEntity, ScriptUsageEntity, type ScriptRow } from './script.entity.ts'

/** WeCom drops a temporary media id after 3 days; refresh when less than this is left. */
export const MEDIA_TTL_MS = 3 * 86_400_000
export const MEDIA_REFRESH_MARGIN_MS = 12 * 3_600_000

export type Fit = RankedScript['fit']

/** Ranking key: node and segment match first, then node, then segment, then the rest. */
export function fitOf(script: Pick<ScriptRow, 'node' | 'segmentTagId'>, stage: CustomerStage | null): Fit {
  if (!stage) return 'other'
  const node = script.node === stage.node
  const segment = !!script.segmentTagId && stage.segmentTagIds.includes(script.segmentTagId)
  if (node && segment) return 'node_segment'
  if (node && !script.segmentTagId) return 'node'
  if (segment) return 'segment'
  return 'other'
}
const FIT_RANK: Record<Fit, number> = { node_segment: 0, node: 1, segment: 2, other: 3 }

export interface ListOptions {
  q?: string
  libraryId?: number
  sort?: ScriptSort
  stage?: CustomerStage | null
}

export class ScriptService {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly mediaDir: string,
  ) {}

  // ── libraries ──
  async libraries(): Promise<ScriptLibrary[]> {
    const libs = await this.db
      .getRepository(ScriptLibraryEntity)
      .find({ where: { deletedAt: IsNull() }, order: { order: 'ASC', id: 'ASC' } })
    const counts = await this.db
      .getRepository(ScriptEntity)
      .createQueryBuilder('s')
      .select('s.library_id', 'libraryId')
      .addSelect('COUNT(*)', 'n')
      .where('s.deleted_at IS NULL')
      .groupBy('s.library_id')
      .getRawMany<{ libraryId: number; n: number | string }>()
    const byLib = new Map(counts.map((c) => [Number(c.libraryId), Number(c.n)]))
    return libs.map((l) => ({ id: l.id, name: l.name, order: l.order, scriptCount: byLib.get(l.id) ?? 0 }))
  }

  async saveLibrary(input: { name: string; order?: number }, id?: number): Promise<ScriptLibrary> {
    const repo = this.db.getRepository(ScriptLibraryEntity)
    if (id) {
      const lib = await repo.findOneBy({ id, deletedAt: IsNull() })
      if (!lib) throw notFound('Script library')
      await repo.update({ id }, { name: input.name, order: input.order ?? lib.order })
    } else {
      const row = repo.create({
        name: input.name,
        order: input.order ?? 0,
        createdAt: new Date(),
        deletedAt: null,
      })
      await repo.insert(row)
      id = row.id
    }
    return (await this.libraries()).find((l) => l.id === id)!
  }

  async deleteLibrary(id: number): Promise<void> {
    const now = new Date()
    await inTransaction(this.db, async (m) => {
      const res = await m
        .getRepository(ScriptLibraryEntity)
        .update({ id, deletedAt: IsNull() }, { deletedAt: now })
      if (!res.affected) throw notFound('Script library')
      await m.getRepository(ScriptEntity).update({ libraryId: id, deletedAt: IsNull() }, { deletedAt: now })
    })
  }

  // ── scripts ──
  private async out(rows: ScriptRow[]): Promise<Script[]> {
    const libIds = [...new Set(rows.map((r) => r.libraryId))]
    const tagIds = [...new Set(rows.map((r) => r.segmentTagId).filter((t): t is string => !!t))]
    const libs = libIds.length
      ? await this.db.getRepository(ScriptLibraryEntity).findBy({ id: In(libIds) })
      : []
    const tags = tagIds.length ? await this.db.getRepository(TagEntity).findBy({ tagId: In(tagIds) }) : []
    const libName = new Map(libs.map((l) => [l.id, l.name]))
    const tagName = new Map(tags.map((t) => [t.tagId, t.name]))
    return rows.map((r) => ({
      id: r.id,
      libraryId: r.libraryId,
      libraryName: libName.get(r.libraryId) ?? '',
      title: r.title,
      kind: r.kind,
      content: r.content,
      node: r.node,
      segmentTagId: r.segmentTagId,
      segmentTagName: r.segmentTagId ? (tagName.get(r.segmentTagId) ?? null) : null,
      mediaName: r.mediaName,
      mediaCreatedAt: r.mediaCreatedAt?.toISOString() ?? null,
      useCount: r.useCount,
      updatedAt: r.updatedAt.toISOString(),
    }))
  }

  /** Scripts matching the search, ordered by the sort; `recommended` ranks this customer's fit first. */
  async list(opts: ListOptions = {}): Promise<RankedScript[]> {
    const qb = this.db
      .getRepository(ScriptEntity)
      .createQueryBuilder('s')
      .innerJoin('script_library', 'l', 'l.id = s.library_id AND l.deleted_at IS NULL')
      .where('s.deleted_at IS NULL')
    if (opts.libraryId) qb.andWhere('s.library_id = :lib', { lib: opts.libraryId })
    const q = opts.q?.trim().replace(/[%_\\]/g, '')
    if (q) qb.andWhere('(s.title LIKE :q OR s.content LIKE :q)', { q: `%${q}%` })
    const rows = await qb.orderBy('s.id', 'DESC').take(500).getMany()
    const stage = opts.stage ?? null
    const sort = opts.sort ?? 'recommended'
    const scripts = await this.out(rows)
    const fits = new Map(rows.map((r) => [r.id, fitOf(r, stage)]))
    const ranked = scripts.map((s) => ({ ...s, fit: fits.get(s.id)! }))
    const byUse = (a: RankedScript, b: RankedScript) => b.useCount - a.useCount || b.id - a.id
    if (sort === 'most_used') ranked.sort(byUse)
    else if (sort === 'newest') ranked.sort((a, b) => b.id - a.id)
    else ranked.sort((a, b) => FIT_RANK[a.fit] - FIT_RANK[b.fit] || byUse(a, b))
    return ranked
  }

  async get(id: number): Promise<Script> {
    const row = await this.db.getRepository(ScriptEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!row) throw notFound('Script')
    return (await this.out([row]))[0]
  }

  private async checkRefs(libraryId: number, segmentTagId: string | null | undefined): Promise<void> {
    const lib = await this.db
      .getRepository(ScriptLibraryEntity)
      .findOneBy({ id: libraryId, deletedAt: IsNull() })
    if (!lib) throw badRequest('unknown_library', `Script library ${libraryId} does not exist`)
    if (segmentTagId && !(await this.db.getRepository(TagEntity).findOneBy({ tagId: segmentTagId })))
      throw badRequest('unknown_tag', `Tag ${segmentTagId} does not exist in this corp`)
  }

  async save(input: ScriptInput, id?: number): Promise<Script> {
    await this.checkRefs(input.libraryId, input.segmentTagId)
    const kind = input.kind ?? 'text'
    const repo = this.db.getRepository(ScriptEntity)
    const existing = id ? await repo.findOneBy({ id, deletedAt: IsNull() }) : null
    if (id && !existing) throw notFound('Script')
    if (kind === 'text' && !input.content.trim())
      throw badRequest('empty_script', 'A text script needs its text')
    if (kind !== 'text' && !input.media && !existing?.mediaPath)
      throw badRequest('media_required', 'An image or file script needs its file')
    const now = new Date()
    const fields: Partial<ScriptRow> = {
      libraryId: input.libraryId,
      title: input.title,
      kind,
      content: input.content,
      node: input.node,
      segmentTagId: input.segmentTagId ?? null,
      updatedAt: now,
    }
    if (input.media && kind !== 'text') {
      const bytes = Buffer.from(input.media.base64, 'base64')
      if (bytes.length === 0) throw badRequest('media_required', 'The file is empty')
      Object.assign(fields, await this.storeAndUpload(kind, input.media.name, bytes))
    }
    if (kind === 'text')
      Object.assign(fields, { mediaName: null, mediaPath: null, mediaId: null, mediaCreatedAt: null })
    if (existing) {
      await repo.update({ id: existing.id }, fields)
      return this.get(existing.id)
    }
    const row = repo.create({ ...fields, useCount: 0, createdAt: now, deletedAt: null } as ScriptRow)
    await repo.insert(row)
    return this.get(row.id)
  }

  async importMany(input: ScriptImport): Promise<number> {
    await this.checkRefs(input.libraryId, null)
    const tagIds = [...new Set(input.items.map((i) => i.segmentTagId).filter((t): t is string => !!t))]
    const known = tagIds.length ? await this.db.getRepository(TagEntity).findBy({ tagId: In(tagIds) }) : []
    const missing = tagIds.filter((t) => !known.some((k) => k.tagId === t))
    if (missing.length) throw badRequest('unknown_tag', `Unknown tags: ${missing.join(', ')}`)
    const now = new Date()
    await inTransaction(this.db, async (m) => {
      await m.getRepository(ScriptEntity).insert(
        input.items.map((i) => ({
          libraryId: input.libraryId,
          title: i.title,
          kind: 'text' as const,
          content: i.content,
          node: i.node,
          segmentTagId: i.segmentTagId ?? null,
          useCount: 0,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        })),
      )
    })
    return input.items.length
  }

  async remove(id: number): Promise<void> {
    const res = await this.db
      .getRepository(ScriptEntity)
      .update({ id, deletedAt: IsNull() }, { deletedAt: new Date() })
    if (!res.affected) throw notFound('Script')
  }

  // ── media ──
  private async storeAndUpload(kind: 'image' | 'file', name: string, bytes: Buffer) {
    const dir = resolve(this.mediaDir)
    await mkdir(dir, { recursive: true })
    const safe = name.replace(/[^\w.\-]/g, '_').slice(-64)
    const file = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}-${safe}`
    await writeFile(join(dir, file), bytes)
    const uploaded = await this.upload(kind, name, bytes)
    return { mediaName: name, mediaPath: file, ...uploaded }
  }

  private async upload(kind: 'image' | 'file', name: string, bytes: Buffer) {
    const form = new FormData()
    form.append('media', new Blob([new Uint8Array(bytes)]), name)
    const res = await this.wecom.post<{ media_id: string; created_at: string | number }>(
      'media/upload',
      form,
      {
        type: kind,
      },
    )
    return { mediaId: res.media_id, mediaCreatedAt: new Date(Number(res.created_at) * 1000) }
  }

  /** Uploads the file again when its media id has less than the margin left (or none). */
  async freshMediaId(row: ScriptRow, now = Date.now()): Promise<string> {
    if (row.kind === 'text') throw badRequest('not_media', 'A text script has no media')
    const expires = (row.mediaCreatedAt?.getTime() ?? 0) + MEDIA_TTL_MS
    if (row.mediaId && expires - now > MEDIA_REFRESH_MARGIN_MS) return row.mediaId
    if (!row.mediaPath) throw badRequest('media_missing', 'The script has no stored file to upload')
    const bytes = await readFile(join(resolve(this.mediaDir), row.mediaPath))
    const fresh = await this.upload(row.kind, row.mediaName ?? row.mediaPath, bytes)
    await this.db.getRepository(ScriptEntity).update({ id: row.id }, fresh)
    Object.assign(row, fresh)
    return fresh.mediaId
  }

  /** Refreshes every media id about to expire (for a scheduled job). Returns how many were refreshed. */
  async refreshExpiring(now = Date.now()): Promise<number> {
    const rows = await this.db
      .getRepository(ScriptEntity)
      .find({ where: { kind: In(['image', 'file']), deletedAt: IsNull() } })
    let n = 0
    for (const r of rows) {
      const before = r.mediaId
      await this.freshMediaId(r, now)
      if (r.mediaId !== before) n++
    }
    return n
  }

  // ── sending from the sidebar ──
  /** Records one use and returns the message for ww.sendChatMessage. */
  async use(
    id: number,
    by: { userId: string; externalUserId?: string; chatId?: string },
  ): Promise<ChatMessagePayload> {
    const row = await this.db.getRepository(ScriptEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!row) throw notFound('Script')
    let message: ChatMessagePayload
    if (row.kind === 'text') message = { msgtype: 'text', text: { content: row.content } }
    else if (row.kind === 'image')
      message = { msgtype: 'image', image: { mediaid: await this.freshMediaId(row) } }
    else message = { msgtype: 'file', file: { mediaid: await this.freshMediaId(row) } }
    await inTransaction(this.db, async (m) => {
      await m.getRepository(ScriptUsageEntity).insert({
        scriptId: id,
        userId: by.userId,
        externalUserId: by.externalUserId ?? null,
        chatId: by.chatId ?? null,
        usedAt: new Date(),
      })
      await m.getRepository(ScriptEntity).increment({ id }, 'useCount', 1)
    })
    return message
  }
}
