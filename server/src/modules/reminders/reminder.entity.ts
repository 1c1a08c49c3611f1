import { EntitySchema } from 'typeorm'
import type { SopParams, SopTrigger, TaskKind, TaskStatus } from '@scrm/shared'

/** "Uses it every N days": one customer's own cycle for one product (overrides product.cycle_days). */
export interface CustomerCycleRow {
  externalUserId: string
  productId: number
  cycleDays: number
  updatedBy: string
  updatedAt: Date
}

export const CustomerCycleEntity = new EntitySchema<CustomerCycleRow>({
  name: 'CustomerCycle',
  tableName: 'customer_cycle',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    productId: { name: 'product_id', type: 'integer', primary: true },
    cycleDays: { name: 'cycle_days', type: 'integer' },
    updatedBy: { name: 'updated_by', type: 'varchar', length: 64, default: '' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** Dates per customer the SOP rules and reminders read: birthday, yearly member-benefit expiry. */
export interface CustomerDatesRow {
  externalUserId: string
  birthMonth: number | null
  birthDay: number | null
  /** 'YYYY-MM-DD' (a calendar day in Asia/Shanghai). */
  benefitExpiresOn: string | null
  updatedAt: Date
}

export const CustomerDatesEntity = new EntitySchema<CustomerDatesRow>({
  name: 'CustomerDates',
  tableName: 'customer_dates',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    birthMonth: { name: 'birth_month', type: 'integer', nullable: true },
    birthDay: { name: 'birth_day', type: 'integer', nullable: true },
    benefitExpiresOn: { name: 'benefit_expires_on', type: 'varchar', length: 10, nullable: true },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** The current run-out prediction of one customer and product (recomputed on order changes and daily). */
export interface RunoutPredictionRow {
  externalUserId: string
  productId: number
  lastOrderAt: Date
  runoutAt: Date
  remindAt: Date
  cycleDays: number
  quantity: number
  computedAt: Date
}

export const RunoutPredictionEntity = new EntitySchema<RunoutPredictionRow>({
  name: 'RunoutPrediction',
  tableName: 'runout_prediction',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    productId: { name: 'product_id', type: 'integer', primary: true },
    lastOrderAt: { name: 'last_order_at', type: 'datetime' },
    runoutAt: { name: 'runout_at', type: 'datetime' },
    remindAt: { name: 'remind_at', type: 'datetime' },
    cycleDays: { name: 'cycle_days', type: 'integer' },
    quantity: { type: 'integer' },
    computedAt: { name: 'computed_at', type: 'datetime' },
  },
  indices: [{ name: 'idx_runout_remind', columns: ['remindAt'] }],
})

export interface FollowupRuleRow {
  id: number
  name: string
  trigger: SopTrigger
  /** JSON of SopParams. */
  params: string
  scriptId: number | null
  message: string
  enabled: boolean
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | null
}

export const FollowupRuleEntity = new EntitySchema<FollowupRuleRow>({
  name: 'FollowupRule',
  tableName: 'followup_rule',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    trigger: { name: 'trigger_kind', type: 'varchar', length: 24 },
    params: { type: 'text' },
    scriptId: { name: 'script_id', type: 'integer', nullable: true },
    message: { type: 'varchar', length: 500, default: '' },
    enabled: { type: 'boolean', default: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

export const parseParams = (raw: string): SopParams => {
  try {
    return JSON.parse(raw) as SopParams
  } catch {
    return {}
  }
}

export interface FollowupTaskRow {
  id: number
  kind: TaskKind
  ruleId: number | null
  productId: number | null
  externalUserId: string
  userId: string
  dedupeKey: string
  title: string
  detail: string
  scriptId: number | null
  scriptReason: string
  message: string
  dueAt: Date | null
  status: TaskStatus
  closeReason: string
  createdAt: Date
  handledAt: Date | null
  notifiedAt: Date | null
}

export const FollowupTaskEntity = new EntitySchema<FollowupTaskRow>({
  name: 'FollowupTask',
  tableName: 'followup_task',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    kind: { type: 'varchar', length: 16 },
    ruleId: { name: 'rule_id', type: 'integer', nullable: true },
    productId: { name: 'product_id', type: 'integer', nullable: true },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    dedupeKey: { name: 'dedupe_key', type: 'varchar', length: 160 },
    title: { type: 'varchar', length: 128 },
    detail: { type: 'varchar', length: 500, default: '' },
    scriptId: { name: 'script_id', type: 'integer', nullable: true },
    scriptReason: { name: 'script_reason', type: 'varchar', length: 128, default: '' },
    message: { type: 'varchar', length: 500, default: '' },
    dueAt: { name: 'due_at', type: 'datetime', nullable: true },
    status: { type: 'varchar', length: 12, default: 'open' },
    closeReason: { name: 'close_reason', type: 'varchar', length: 32, default: '' },
    createdAt: { name: 'created_at', type: 'datetime' },
    handledAt: { name: 'handled_at', type: 'datetime', nullable: true },
    notifiedAt: { name: 'notified_at', type: 'datetime', nullable: true },
  },
  uniques: [{ name: 'uq_followup_task_key', columns: ['dedupeKey'] }],
  indices: [
    { name: 'idx_followup_task_user', columns: ['userId', 'status'] },
    { name: 'idx_followup_task_customer', columns: ['externalUserId', 'status'] },
    { name: 'idx_followup_task_rule', columns: ['ruleId', 'status'] },
    { name: 'idx_followup_task_created', columns: ['createdAt'] },
  ],
})

/** One daily digest sent to one advisor (so a rerun the same day sends nothing). */
export interface FollowupDigestRow {
  userId: string
  day: string
  openCount: number
  sentAt: Date
}

export const FollowupDigestEntity = new EntitySchema<FollowupDigestRow>({
  name: 'FollowupDigest',
  tableName: 'followup_digest',
  columns: {
    userId: { name: 'user_id', type: 'varchar', length: 64, primary: true },
    day: { type: 'varchar', length: 10, primary: true },
    openCount: { name: 'open_count', type: 'integer' },
    sentAt: { name: 'sent_at', type: 'datetime' },
  },
})

export interface ReminderSettingRow {
  key: string
  value: string
}

export const ReminderSettingEntity = new EntitySchema<ReminderSettingRow>({
  name: 'ReminderSetting',
  tableName: 'reminder_setting',
  columns: {
    key: { type: 'varchar', length: 64, primary: true },
    value: { type: 'text' },
  },
})

export const reminderEntities = [
  CustomerCycleEntity,
  CustomerDatesEntity,
  RunoutPredictionEntity,
  FollowupRuleEntity,
  FollowupTaskEntity,
  FollowupDigestEntity,
  ReminderSettingEntity,
]
