// Segments mirrored to WeCom corp tags (in a tag group we own, "SCRM 分层"), so advisors see them in
// WeCom itself. After a recompute the wanted tags of every active follow are diffed against our
// follow_tag mirror into segment_tag_change (one row per follow and tag to add or remove); the queue
// is then applied with mark_tag per follow, in chunks with bounded concurrency under the client's rate
// limit. Each chunk's success is written back (follow_tag updated, queue rows deleted), so a crash
// resumes where it stopped and a rerun with nothing changed makes no call at all.
import type { DataSource, QueryRunner } from 'typeorm'
import {
  ACTIVITY_BANDS,
  ACTIVITY_LABEL,
  PRICE_LABEL,
  PRICE_SENSITIVITIES,
  PURCHASE_LABEL,
  PURCHASE_VALUES,
  RFM_GROUPS,
  RFM_LABEL,
  type SegmentSettings,
  type TagMirrorStatus,
} from '@scrm/shared'
import type { FastifyBaseLogger } from 'fastify'
import type { WeComClient } from '../../wecom/client.ts'
import { serialized } from '../../db/transaction.ts'
import { TagEntity, TagGroupEntity } from '../directory/tag.entity.ts'
import { MemberTierEntity, SegmentTagEntity } from './segment.entity.ts'
import { desiredTagsSelect, insertIgnore, truncate, type Dialect } from './segment-sql.ts'
import { loadSettings, MIRROR_GROUP_NAME, readSetting, writeSetting } from './segment-settings.ts'

const CHUNK_ROWS = 1000
const CONCURRENCY = 8
const MAX_ATTEMPTS = 3

interface WantedTag {
  dimension: string
  value: string
  name: string
}

interface TagGroupAnswer {
  tag_group: { group_id: string; group_name: string; tag: { id: string; name: string }[] }
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
}

export class TagMirror {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly dialect: Dialect,
    private readonly log: FastifyBaseLogger,
  ) {}

  private async wanted(settings: SegmentSettings): Promise<WantedTag[]> {
    const out: WantedTag[] = []
    for (const dim of settings.mirrorDimensions) {
      if (dim === 'tier') {
        const tiers = await this.db.getRepository(MemberTierEntity).find({ order: { rank: 'ASC' } })
        for (const t of tiers) out.push({ dimension: 'tier', value: String(t.id), name: t.name })
      }
      if (dim === 'rfm')
        for (const g of RFM_GROUPS) out.push({ dimension: dim, value: g, name: RFM_LABEL[g] })
      if (dim === 'activity')
        for (const a of ACTIVITY_BANDS) out.push({ dimension: dim, value: a, name: ACTIVITY_LABEL[a] })
      if (dim === 'price')
        for (const p of PRICE_SENSITIVITIES) out.push({ dimension: dim, value: p, name: PRICE_LABEL[p] })
      if (dim === 'purchase')
        for (const p of PURCHASE_VALUES) out.push({ dimension: dim, value: p, name: PURCHASE_LABEL[p] })
    }
    return out
  }

  /** Creates (or finds by name, after a crash) the corp tags of every mirrored segment value. */
  async ensureTags(settings: SegmentSettings): Promise<void> {
    const repo = this.db.getRepository(SegmentTagEntity)
    const mapped = new Set((await repo.find()).map((m) => `${m.dimension}:${m.value}`))
    const missing = (await this.wanted(settings)).filter((w) => !mapped.has(`${w.dimension}:${w.value}`))
    if (missing.length === 0) return
    let groupId = await readSetting<string | null>(this.db, 'mirror_group_id', null)
    const existing = new Map<string, string>()
    if (groupId) {
      const res = await this.wecom.post<{ tag_group: TagGroupAnswer['tag_group'][] }>(
        'externalcontact/get_corp_tag_list',
        { group_id: [groupId] },
      )
      const g = res.tag_group.find((x) => x.group_id === groupId)
      if (!g) groupId = null
      else for (const t of g.tag) existing.set(t.name, t.id)
    }
    const toCreate = missing.filter((w) => !existing.has(w.name))
    if (toCreate.length > 0) {
      const res = await this.wecom.post<TagGroupAnswer>('externalcontact/add_corp_tag', {
        ...(groupId ? { group_id: groupId } : { group_name: MIRROR_GROUP_NAME }),
        tag: toCreate.map((w) => ({ name: w.name.slice(0, 30) })),
      })
      groupId = res.tag_group.group_id
      for (const t of res.tag_group.tag) existing.set(t.name, t.id)
    }
    await writeSetting(this.db, 'mirror_group_id', groupId)
    // Our directory mirror learns the new tags at once (API changes produce no callback).
    await this.db
      .getRepository(TagGroupEntity)
      .upsert(
        { groupId: groupId!, name: MIRROR_GROUP_NAME, order: 0, createdAt: new Date(), syncRunId: null },
        ['groupId'],
      )
    for (const w of missing) {
      const tagId = existing.get(w.name.slice(0, 30))
      if (!tagId) continue
      await repo.upsert({ dimension: w.dimension, value: w.value, tagId }, ['dimension', 'value'])
      await this.db
        .getRepository(TagEntity)
        .upsert({ tagId, groupId: groupId!, name: w.name.slice(0, 30), order: 0, createdAt: new Date() }, [
          'tagId',
        ])
    }
  }

  /** A tier was renamed: its corp tag follows. */
  async renameTier(tierId: number, name: string): Promise<void> {
    const m = await this.db
      .getRepository(SegmentTagEntity)
      .findOneBy({ dimension: 'tier', value: String(tierId) })
    if (!m) return
    await this.wecom.post('externalcontact/edit_corp_tag', { id: m.tagId, name: name.slice(0, 30) })
    await this.db.getRepository(TagEntity).update({ tagId: m.tagId }, { name: name.slice(0, 30) })
  }

  /** A tier was deleted: its corp tag goes (WeCom strips it from every customer), and our mirror with it. */
  async dropTier(tierId: number): Promise<void> {
    const repo = this.db.getRepository(SegmentTagEntity)
    const m = await repo.findOneBy({ dimension: 'tier', value: String(tierId) })
    if (!m) return
    await this.wecom.post('externalcontact/del_corp_tag', { tag_id: [m.tagId] }).catch((err) => {
      this.log.warn({ err, tagId: m.tagId }, 'could not delete the corp tag of a deleted tier')
    })
    await this.db.query('DELETE FROM follow_tag WHERE tag_id = ?', [m.tagId])
    await this.db.query('DELETE FROM segment_tag_change WHERE tag_id = ?', [m.tagId])
    await this.db.getRepository(TagEntity).delete({ tagId: m.tagId })
    await repo.delete({ dimension: 'tier', value: String(tierId) })
  }

  /**
   * Rebuilds the change queue for every customer (`q`: the recompute's connection on MySQL) or for
   * the quoted id list `ids`, then applies it.
   */
  async sync(ids?: string, q?: QueryRunner): Promise<{ applied: number; failed: number }> {
    const settings = await loadSettings(this.db)
    if (!settings.mirrorEnabled) return { applied: 0, failed: 0 }
    await this.ensureTags(settings)
    const run = (sql: string) => (q ? q.query(sql) : serialized(this.db, () => this.db.query(sql)))
    const d = this.dialect
    const dims = settings.mirrorDimensions
    const desired = dims.length ? desiredTagsSelect(d, dims, settings, ids) : null
    const activeFollow = `JOIN customer_follow f ON f.user_id = ft.user_id AND f.external_user_id = ft.external_user_id AND f.status = 'active'`
    const removals = (from: string) => `SELECT ft.user_id, ft.external_user_id, ft.tag_id, 'remove', 0
        FROM follow_tag ft JOIN segment_tag m ON m.tag_id = ft.tag_id ${activeFollow}
        LEFT JOIN ${from} d ON d.user_id = ft.user_id AND d.external_user_id = ft.external_user_id AND d.tag_id = ft.tag_id
        WHERE d.tag_id IS NULL${ids ? ` AND ft.external_user_id IN (${ids})` : ''}`
    const additions = (
      from: string,
    ) => `SELECT d.user_id, d.external_user_id, d.tag_id, 'add', 0 FROM ${from} d
        LEFT JOIN follow_tag ft ON ft.user_id = d.user_id AND ft.external_user_id = d.external_user_id AND ft.tag_id = d.tag_id
        WHERE ft.tag_id IS NULL`
    const insertChanges = `${insertIgnore(d)} segment_tag_change (user_id, external_user_id, tag_id, op, attempts) `
    if (!ids) {
      await run(truncate(d, 'segment_tag_desired'))
      if (desired)
        await run(`${insertIgnore(d)} segment_tag_desired (user_id, external_user_id, tag_id) ${desired}`)
      await run(truncate(d, 'segment_tag_change'))
      await run(
        `${insertChanges} ${additions('segment_tag_desired')} UNION ALL ${removals('segment_tag_desired')}`,
      )
    } else {
      await run(`DELETE FROM segment_tag_change WHERE external_user_id IN (${ids})`)
      const from = desired
        ? `(${desired})`
        : `(SELECT user_id, external_user_id, tag_id FROM follow_tag WHERE 1 = 0)`
      await run(`${insertChanges} ${desired ? `${additions(from)} UNION ALL ` : ''}${removals(from)}`)
    }
    return this.apply()
  }

  /** Applies the queued changes with mark_tag; returns how many follows were marked and how many failed. */
  async apply(): Promise<{ applied: number; failed: number }> {
    let applied = 0
    let failed = 0
    for (;;) {
      const rows = (await this.db.query(
        `SELECT user_id AS userId, external_user_id AS externalUserId, tag_id AS tagId, op
           FROM segment_tag_change WHERE attempts < ${MAX_ATTEMPTS}
          ORDER BY user_id, external_user_id LIMIT ${CHUNK_ROWS}`,
      )) as { userId: string; externalUserId: string; tagId: string; op: string }[]
      if (rows.length === 0) break
      const follows = new Map<
        string,
        { userId: string; externalUserId: string; add: string[]; remove: string[] }
      >()
      for (const r of rows) {
        const key = `${r.userId}\n${r.externalUserId}`
        let f = follows.get(key)
        if (!f)
          follows.set(key, (f = { userId: r.userId, externalUserId: r.externalUserId, add: [], remove: [] }))
        ;(r.op === 'add' ? f.add : f.remove).push(r.tagId)
      }
      const ok: typeof rows = []
      const bad: { userId: string; externalUserId: string; error: string }[] = []
      await pool([...follows.values()], CONCURRENCY, async (f) => {
        try {
          await this.wecom.post('externalcontact/mark_tag', {
            userid: f.userId,
            external_userid: f.externalUserId,
            ...(f.add.length ? { add_tag: f.add } : {}),
            ...(f.remove.length ? { remove_tag: f.remove } : {}),
          })
          for (const tagId of f.add) ok.push({ ...f, tagId, op: 'add' })
          for (const tagId of f.remove) ok.push({ ...f, tagId, op: 'remove' })
        } catch (err) {
          bad.push({ ...f, error: String((err as Error)?.message ?? err).slice(0, 250) })
        }
      })
      await this.writeBack(ok)
      for (const b of bad)
        await this.db.query(
          'UPDATE segment_tag_change SET attempts = attempts + 1, last_error = ? WHERE user_id = ? AND external_user_id = ?',
          [b.error, b.userId, b.externalUserId],
        )
      applied += follows.size - bad.length
      failed += bad.length
      if (bad.length) this.log.warn({ failed: bad.length, first: bad[0] }, 'mark_tag failed for some follows')
    }
    if (applied > 0 || failed > 0)
      await writeSetting(this.db, 'mirror_last', { at: new Date(), applied, failed })
    return { applied, failed }
  }

  /** Successful changes: follow_tag follows WeCom, the queue rows go. */
  private writeBack(ok: { userId: string; externalUserId: string; tagId: string; op: string }[]) {
    return serialized(this.db, () => this.writeBackNow(ok))
  }

  private async writeBackNow(ok: { userId: string; externalUserId: string; tagId: string; op: string }[]) {
    for (let i = 0; i < ok.length; i += 300) {
      const part = ok.slice(i, i + 300)
      const triple = (r: (typeof part)[number]) => [r.userId, r.externalUserId, r.tagId]
      const adds = part.filter((r) => r.op === 'add')
      const removes = part.filter((r) => r.op === 'remove')
      const tuples = (n: number) => Array.from({ length: n }, () => '(?, ?, ?)').join(', ')
      if (adds.length)
        await this.db.query(
          `${insertIgnore(this.dialect)} follow_tag (user_id, external_user_id, tag_id) VALUES ${tuples(adds.length)}`,
          adds.flatMap(triple),
        )
      if (removes.length)
        await this.db.query(
          `DELETE FROM follow_tag WHERE (user_id, external_user_id, tag_id) IN (${tuples(removes.length)})`,
          removes.flatMap(triple),
        )
      await this.db.query(
        `DELETE FROM segment_tag_change WHERE (user_id, external_user_id, tag_id) IN (${tuples(part.length)})`,
        part.flatMap(triple),
      )
    }
  }

  async status(): Promise<TagMirrorStatus> {
    const settings = await loadSettings(this.db)
    const [counts] = (await this.db.query(
      `SELECT COUNT(DISTINCT CASE WHEN attempts < ${MAX_ATTEMPTS} THEN ${this.followKey()} END) AS pending,
              COUNT(DISTINCT CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN ${this.followKey()} END) AS failed
         FROM segment_tag_change`,
    )) as { pending: number | string; failed: number | string }[]
    const last = await readSetting<{ at: string; applied: number } | null>(this.db, 'mirror_last', null)
    return {
      enabled: settings.mirrorEnabled,
      dimensions: settings.mirrorDimensions,
      groupId: await readSetting<string | null>(this.db, 'mirror_group_id', null),
      groupName: MIRROR_GROUP_NAME,
      mappedTags: await this.db.getRepository(SegmentTagEntity).count(),
      pending: Number(counts?.pending ?? 0),
      failed: Number(counts?.failed ?? 0),
      lastSyncAt: last ? new Date(last.at).toISOString() : null,
      lastApplied: last?.applied ?? 0,
    }
  }

  private followKey() {
    return this.dialect === 'mysql'
      ? "CONCAT(user_id, '\\n', external_user_id)"
      : 'user_id || char(10) || external_user_id'
  }
}
