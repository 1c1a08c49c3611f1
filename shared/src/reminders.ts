// Run-out reminders (周期购), other reminder triggers and follow-up SOP rules/tasks: schemas shared by
// the server routes and the web app.
import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate, PageQuery } from './common.ts'

/** What created a task: a run-out prediction, an overdue regular buyer, expiring member benefits,
 *  a dormant customer, an SOP rule, or a VIP-group invitation (segment_invite, from the member tiers). */
export const TASK_KINDS = ['runout', 'overdue', 'benefit', 'dormant', 'sop', 'invite'] as const
export type TaskKind = (typeof TASK_KINDS)[number]
export const TaskKindSchema = Type.Union([
  Type.Literal('runout'),
  Type.Literal('overdue'),
  Type.Literal('benefit'),
  Type.Literal('dormant'),
  Type.Literal('sop'),
  Type.Literal('invite'),
])

/** open → done / dismissed by the advisor; closed by the system (a new order made it stale). */
export const TASK_STATUSES = ['open', 'done', 'dismissed', 'closed'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]
export const TaskStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('done'),
  Type.Literal('dismissed'),
  Type.Literal('closed'),
])

export const TaskScript = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  kind: Type.String(),
  content: Type.String(),
})
export type TaskScript = Static<typeof TaskScript>

export const FollowupTask = Type.Object({
  id: Type.Integer(),
  kind: TaskKindSchema,
  ruleId: Type.Union([Type.Integer(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  productId: Type.Union([Type.Integer(), Type.Null()]),
  productName: Type.Union([Type.String(), Type.Null()]),
  externalUserId: Type.String(),
  customerName: Type.String(),
  customerAvatar: Type.String(),
  userId: Type.String(),
  advisorName: Type.String(),
  title: Type.String(),
  detail: Type.String(),
  /** The suggested script (tap → into the chat input). */
  script: Type.Union([TaskScript, Type.Null()]),
  /** Why this script was picked (segment fit, price sensitivity). */
  scriptReason: Type.String(),
  /** An optional message written on the SOP rule. */
  message: Type.String(),
  dueAt: NullableIsoDate,
  status: TaskStatusSchema,
  createdAt: IsoDate,
  handledAt: NullableIsoDate,
  closeReason: Type.String(),
})
export type FollowupTask = Static<typeof FollowupTask>

export const RunoutPrediction = Type.Object({
  productId: Type.Integer(),
  productName: Type.String(),
  lastOrderAt: IsoDate,
  /** Predicted run-out (carrying over what was left when they reordered early). */
  runoutAt: IsoDate,
  /** When the advisor is reminded (run-out minus the product's remind_days_before). */
  remindAt: IsoDate,
  /** Days one order's worth lasts for this customer (their own cycle when set). */
  cycleDays: Type.Integer(),
  productCycleDays: Type.Integer(),
  customCycle: Type.Boolean(),
  quantity: Type.Integer(),
})
export type RunoutPrediction = Static<typeof RunoutPrediction>

export const CustomerDates = Type.Object({
  /** 'MM-DD' */
  birthday: Type.Union([Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' }), Type.Null()]),
  /** 'YYYY-MM-DD': when the yearly member benefits expire. */
  benefitExpiresOn: Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Type.Null()]),
})
export type CustomerDates = Static<typeof CustomerDates>

/** The sidebar's tasks section for one customer. */
export const CustomerTasksView = Type.Object({
  tasks: Type.Array(FollowupTask),
  predictions: Type.Array(RunoutPrediction),
  dates: CustomerDates,
})
export type CustomerTasksView = Static<typeof CustomerTasksView>

export const CycleInput = Type.Object({
  /** "Uses it every N days" for one order's worth; null goes back to the product's cycle. */
  cycleDays: Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()]),
})
export type CycleInput = Static<typeof CycleInput>

export const TaskAction = Type.Object({
  action: Type.Union([Type.Literal('done'), Type.Literal('dismissed')]),
})
export type TaskAction = Static<typeof TaskAction>

// ── SOP rules ──

export const SOP_TRIGGERS = ['days_after_add', 'birthday_month', 'segment_entered', 'tag_present'] as const
export type SopTrigger = (typeof SOP_TRIGGERS)[number]
export const SopTriggerSchema = Type.Union([
  Type.Literal('days_after_add'),
  Type.Literal('birthday_month'),
  Type.Literal('segment_entered'),
  Type.Literal('tag_present'),
])

/** Segment dimensions an SOP rule can watch (the segments module computes them). */
export const SOP_SEGMENT_DIMENSIONS = ['tier', 'rfm', 'activity', 'price'] as const
export type SopSegmentDimension = (typeof SOP_SEGMENT_DIMENSIONS)[number]

export const SopParams = Type.Object({
  /** days_after_add: this many days after the add. */
  days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  /** days_after_add: only customers with no order yet. */
  noOrder: Type.Optional(Type.Boolean()),
  /** segment_entered: which segment dimension, and its value (tier name, RFM group, 3d/7d/14d/inactive, low/medium/high). */
  dimension: Type.Optional(
    Type.Union([Type.Literal('tier'), Type.Literal('rfm'), Type.Literal('activity'), Type.Literal('price')]),
  ),
  value: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  /** tag_present: a corp tag id. */
  tagId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})
export type SopParams = Static<typeof SopParams>

export const SopRuleInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  trigger: SopTriggerSchema,
  params: SopParams,
  scriptId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  message: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Boolean(),
})
export type SopRuleInput = Static<typeof SopRuleInput>

export const CompletionStats = Type.Object({
  total: Type.Integer(),
  open: Type.Integer(),
  done: Type.Integer(),
  dismissed: Type.Integer(),
  closed: Type.Integer(),
  /** done ÷ (total − closed), 0..1; null when nothing was handed out yet. */
  rate: Type.Union([Type.Number(), Type.Null()]),
})
export type CompletionStats = Static<typeof CompletionStats>

export const SopRule = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  trigger: SopTriggerSchema,
  params: SopParams,
  scriptId: Type.Union([Type.Integer(), Type.Null()]),
  scriptTitle: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  enabled: Type.Boolean(),
  updatedAt: IsoDate,
  stats: CompletionStats,
})
export type SopRule = Static<typeof SopRule>

export const ReminderSettings = Type.Object({
  /** No customer gets more than one automatic reminder within this many days. */
  quietDays: Type.Integer({ minimum: 0, maximum: 365 }),
  /** No order and no interaction for this many days → dormant. */
  dormantDays: Type.Integer({ minimum: 7, maximum: 3650 }),
  /** Remind this many days before the member benefits expire. */
  benefitDaysBefore: Type.Integer({ minimum: 1, maximum: 90 }),
  /** Send each advisor a daily digest of open tasks. */
  digestEnabled: Type.Boolean(),
})
export type ReminderSettings = Static<typeof ReminderSettings>

export const TaskQuery = Type.Object({
  status: Type.Optional(TaskStatusSchema),
  kind: Type.Optional(TaskKindSchema),
  ruleId: Type.Optional(Type.Integer({ minimum: 1 })),
  userId: Type.Optional(Type.String({ maxLength: 64 })),
  ...PageQuery,
})
export type TaskQuery = Static<typeof TaskQuery>

/** The sidebar's 我的任务: the advisor's open tasks and what they handled today (Asia/Shanghai). */
export const MyTasksView = Type.Object({
  items: Type.Array(FollowupTask),
  doneToday: Type.Integer(),
  dismissedToday: Type.Integer(),
})
export type MyTasksView = Static<typeof MyTasksView>

export const TaskPage = Type.Object({ items: Type.Array(FollowupTask), total: Type.Integer() })
export type TaskPage = Static<typeof TaskPage>

export const CompletionRow = Type.Intersect([
  Type.Object({ key: Type.String(), name: Type.String() }),
  CompletionStats,
])
export type CompletionRow = Static<typeof CompletionRow>

export const ReminderStats = Type.Object({
  byRule: Type.Array(CompletionRow),
  byAdvisor: Type.Array(CompletionRow),
  byKind: Type.Array(CompletionRow),
})
export type ReminderStats = Static<typeof ReminderStats>

export const ScanResult = Type.Object({
  predictions: Type.Integer(),
  reminders: Type.Integer(),
  sopTasks: Type.Integer(),
  /** Tasks created from pending VIP-group invitations. */
  inviteTasks: Type.Integer(),
  messages: Type.Integer(),
})
export type ScanResult = Static<typeof ScanResult>
