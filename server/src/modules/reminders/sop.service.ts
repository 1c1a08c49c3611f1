// Follow-up SOP rules: the admin's rule builder (trigger → a task for the advisor with a script and an
// optional message) and the run that turns rules into tasks. Candidates come from one set-based query
// per rule; each task's key is rule + customer + period, so reruns and parallel instances add nothing:
//   days_after_add  — N days after the add (optionally: no order yet), once per customer. Only adds
//                     whose N-th day fell in the last 7 days count, so a new rule does not flood advisors
//                     with every old customer (and a missed day of runs still catches up).
//   birthday_month  — the customer's birthday month (customer_dates), once per customer per year.
//   segment_entered — the customer is in the segment (tier / RFM group / activity / price sensitivity),
//                     once per customer (the segment tables belong to the segments module).
//   tag_present     — the follow carries the corp tag, once per customer.
import { In, IsNull, type DataSource } from 'typeorm'
import type { SopParams, SopRule, SopRuleInput, CompletionStats } from '@scrm/shared'
import { badRequest, notFound } from '../../lib/errors.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import { ScriptEntity } from '../scripts/script.entity.ts'
import { shanghaiDay } from '../acquisition/shanghai-time.ts'
import { FollowupRuleEntity, parseParams, type FollowupRuleRow } from './reminder.entity.ts'
import { advisorsFor, insertTasks, type NewTask } from './task-store.ts'
import { DAY_MS } from './runout.ts'
import { hasTable, sqlTime } from './sql.ts'

const CATCH_UP_DAYS = 7
const MAX_PER_RULE = 5000
const SEGMENT_COLUMN = {
  tier: 'tier_name',
  rfm: 'rfm_group',
  activity: 'activity',
  price: 'price_sensitivity',
}
const SEGMENT_LABEL = { tier: '会员等级', rfm: 'RFM 分组', activity: '活跃度', price: '价格敏感度' }

export const emptyStats = (): CompletionStats => ({
  total: 0,
  open: 0,
  done: 0,
  dismissed: 0,
  closed: 0,
  rate: null,
})

/** Human description of a rule's trigger (task detail and the admin list). */
export function describeTrigger(trigger: FollowupRuleRow['trigger'], p: SopParams, tagName = ''): string {
  switch (trigger) {
    case 'days_after_add':
      return `添加 ${p.days ?? 0} 天${p.noOrder ? '，还没有下单' : ''}`
    case 'birthday_month':
      return '生日当月'
    case 'segment_entered':
      return `进入分层：${SEGMENT_LABEL[p.dimension ?? 'tier']} = ${p.value ?? ''}`
    case 'tag_present':
      return `带有标签「${tagName || p.tagId}」`
  }
}

export class SopService {
  constructor(private readonly db: DataSource) {}

  private async validate(input: SopRuleInput): Promise<SopParams> {
    const p = input.params
    switch (input.trigger) {
      case 'days_after_add':
        if (p.days === undefined) throw badRequest('bad_rule', 'Days after add: set the number of days')
        return { days: p.days, noOrder: !!p.noOrder }
      case 'birthday_month':
        return {}
      case 'segment_entered':
        if (!p.dimension || !p.value)
          throw badRequest('bad_rule', 'Segment entered: pick a dimension and a value')
        return { dimension: p.dimension, value: p.value }
      case 'tag_present':
        if (!p.tagId || !(await this.db.getRepository(TagEntity).findOneBy({ tagId: p.tagId })))
          throw badRequest('unknown_tag', `Tag ${p.tagId ?? ''} does not exist in this corp`)
        return { tagId: p.tagId }
    }
  }

  async list(statsByRule: Map<number, CompletionStats> = new Map()): Promise<SopRule[]> {
    const rows = await this.db
      .getRepository(FollowupRuleEntity)
      .find({ where: { deletedAt: IsNull() }, order: { id: 'ASC' } })
    const scriptIds = rows.map((r) => r.scriptId).filter((s): s is number => !!s)
    const scripts = scriptIds.length
      ? await this.db.getRepository(ScriptEntity).findBy({ id: In(scriptIds) })
      : []
    const titles = new Map(scripts.map((s) => [s.id, s.deletedAt ? null : s.title]))
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      trigger: r.trigger,
      params: parseParams(r.params),
      scriptId: r.scriptId,
      scriptTitle: r.scriptId ? (titles.get(r.scriptId) ?? null) : null,
      message: r.message,
      enabled: !!r.enabled,
      updatedAt: r.updatedAt.toISOString(),
      stats: statsByRule.get(r.id) ?? emptyStats(),
    }))
  }

  async save(input: SopRuleInput, id?: number): Promise<number> {
    const params = await this.validate(input)
    if (input.scriptId) {
      const script = await this.db
        .getRepository(ScriptEntity)
        .findOneBy({ id: input.scriptId, deletedAt: IsNull() })
      if (!script) throw badRequest('unknown_script', `Script ${input.scriptId} does not exist`)
    }
    const repo = this.db.getRepository(FollowupRuleEntity)
    const now = new Date()
    const fields = {
      name: input.name.trim(),
      trigger: input.trigger,
      params: JSON.stringify(params),
      scriptId: input.scriptId ?? null,
      message: (input.message ?? '').trim(),
      enabled: input.enabled,
      updatedAt: now,
    }
    if (id) {
      const res = await repo.update({ id, deletedAt: IsNull() }, fields)
      if (!res.affected) throw notFound('Rule')
      return id
    }
    const row = repo.create({ ...fields, createdAt: now, deletedAt: null })
    await repo.insert(row)
    return row.id
  }

  async remove(id: number): Promise<void> {
    const res = await this.db
      .getRepository(FollowupRuleEntity)
      .update({ id, deletedAt: IsNull() }, { deletedAt: new Date(), enabled: false })
    if (!res.affected) throw notFound('Rule')
  }

  /** Creates the tasks every enabled rule calls for now; returns how many were new. */
  async run(now: Date): Promise<number> {
    const rules = await this.db
      .getRepository(FollowupRuleEntity)
      .find({ where: { deletedAt: IsNull(), enabled: true }, order: { id: 'ASC' } })
    let created = 0
    for (const rule of rules) created += await this.runRule(rule, now)
    return created
  }

  private notYet(rule: number) {
    // Rules that fire once per customer: skip customers that already have this rule's task.
    return `NOT EXISTS (SELECT 1 FROM followup_task t WHERE t.rule_id = ${Number(rule)} AND t.external_user_id = %s)`
  }

  async runRule(rule: FollowupRuleRow, now: Date): Promise<number> {
    const p = parseParams(rule.params)
    const db = this.db
    let pairs: { ext: string; userId?: string }[] = []
    let period = 'once'
    if (rule.trigger === 'days_after_add') {
      const days = p.days ?? 0
      const orders = p.noOrder && (await hasTable(db, 'shop_order'))
      pairs = await db.query(
        `SELECT f.external_user_id AS ext, f.user_id AS userId FROM customer_follow f
          WHERE f.status = 'active' AND f.add_time <= ? AND f.add_time > ?
            ${orders ? `AND NOT EXISTS (SELECT 1 FROM shop_order o WHERE o.external_user_id = f.external_user_id AND o.status = 'paid')` : ''}
            AND ${this.notYet(rule.id).replace('%s', 'f.external_user_id')}
          ORDER BY f.add_time, f.id LIMIT ${MAX_PER_RULE}`,
        [
          sqlTime(db, new Date(now.getTime() - days * DAY_MS)),
          sqlTime(db, new Date(now.getTime() - (days + CATCH_UP_DAYS) * DAY_MS)),
        ],
      )
    } else if (rule.trigger === 'birthday_month') {
      const month = Number(shanghaiDay(now).slice(5, 7))
      period = shanghaiDay(now).slice(0, 4)
      pairs = await db.query(
        `SELECT d.external_user_id AS ext FROM customer_dates d WHERE d.birth_month = ? ORDER BY d.external_user_id LIMIT ${MAX_PER_RULE}`,
        [month],
      )
    } else if (rule.trigger === 'segment_entered') {
      if (!p.dimension || !p.value || !(await hasTable(db, 'customer_segment'))) return 0
      const column = SEGMENT_COLUMN[p.dimension]
      pairs = await db.query(
        `SELECT s.external_user_id AS ext FROM customer_segment s WHERE s.${column} = ?
            AND ${this.notYet(rule.id).replace('%s', 's.external_user_id')}
          ORDER BY s.external_user_id LIMIT ${MAX_PER_RULE}`,
        [p.value],
      )
    } else if (rule.trigger === 'tag_present') {
      pairs = await db.query(
        `SELECT f.external_user_id AS ext, f.user_id AS userId FROM follow_tag ft
           JOIN customer_follow f ON f.external_user_id = ft.external_user_id AND f.user_id = ft.user_id AND f.status = 'active'
          WHERE ft.tag_id = ? AND ${this.notYet(rule.id).replace('%s', 'f.external_user_id')}
          ORDER BY f.add_time, f.id LIMIT ${MAX_PER_RULE}`,
        [p.tagId ?? ''],
      )
    }
    if (pairs.length === 0) return 0
    const need = pairs.filter((x) => !x.userId).map((x) => x.ext)
    const advisors = await advisorsFor(db, need)
    const tagName = p.tagId
      ? ((await db.getRepository(TagEntity).findOneBy({ tagId: p.tagId }))?.name ?? '')
      : ''
    const detail = describeTrigger(rule.trigger, p, tagName)
    const seen = new Set<string>()
    const tasks: NewTask[] = []
    for (const x of pairs) {
      const userId = x.userId ?? advisors.get(x.ext)
      if (!userId || seen.has(x.ext)) continue
      seen.add(x.ext)
      tasks.push({
        kind: 'sop',
        ruleId: rule.id,
        externalUserId: x.ext,
        userId,
        dedupeKey: `sop:${rule.id}:${x.ext}:${period}`,
        title: rule.name,
        detail,
        scriptId: rule.scriptId,
        scriptReason: rule.scriptId ? 'SOP 规则指定话术' : '',
        message: rule.message,
        dueAt: now,
      })
    }
    return insertTasks(db, tasks, now)
  }
}
