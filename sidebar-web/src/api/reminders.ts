import { http } from './http'
import type {
  CustomerDates,
  CustomerTasksView,
  FollowupTask,
  MyTasksView,
  ReminderSettings,
  ReminderStats,
  RunoutPrediction,
  ScanResult,
  SopRule,
  SopRuleInput,
  SopTrigger,
  TaskKind,
  TaskPage,
  TaskStatus,
} from '@scrm/shared'

/** Run-out reminders (周期购) and SOP tasks: the sidebar's tasks section and the admin page 提醒与SOP. */
export type {
  CustomerDates,
  CustomerTasksView,
  FollowupTask,
  MyTasksView,
  ReminderSettings,
  ReminderStats,
  RunoutPrediction,
  SopRule,
  SopRuleInput,
  SopTrigger,
  TaskKind,
  TaskStatus,
}

export const KIND_LABEL: Record<TaskKind, string> = {
  runout: '复购提醒',
  overdue: '回购间隔',
  benefit: '权益到期',
  dormant: '沉睡唤醒',
  sop: 'SOP',
  invite: 'VIP 入群',
}
export const STATUS_LABEL: Record<TaskStatus, string> = {
  open: '待跟进',
  done: '已完成',
  dismissed: '已忽略',
  closed: '已失效',
}
export const TRIGGER_LABEL: Record<SopTrigger, string> = {
  days_after_add: '添加后 N 天',
  birthday_month: '生日当月',
  segment_entered: '进入分层',
  tag_present: '带有标签',
}

// ── sidebar ──
export async function fetchCustomerTasks(externalUserId: string): Promise<CustomerTasksView> {
  const { data } = await http.get<CustomerTasksView>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/tasks`,
  )
  return data
}
export async function handleTask(id: number, action: 'done' | 'dismissed'): Promise<FollowupTask> {
  const { data } = await http.post<FollowupTask>(`/api/sidebar/tasks/${id}/handle`, { action })
  return data
}
export async function setCustomerCycle(
  externalUserId: string,
  productId: number,
  cycleDays: number | null,
): Promise<RunoutPrediction[]> {
  const { data } = await http.put<{ predictions: RunoutPrediction[] }>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/cycles/${productId}`,
    { cycleDays },
  )
  return data.predictions
}
export async function setCustomerDates(externalUserId: string, dates: CustomerDates): Promise<CustomerDates> {
  const { data } = await http.put<CustomerDates>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/dates`,
    dates,
  )
  return data
}
export async function fetchMyTasks(): Promise<FollowupTask[]> {
  const { data } = await http.get<{ items: FollowupTask[] }>('/api/sidebar/tasks')
  return data.items
}
/** 我的任务: open tasks plus today's done / dismissed counts. */
export async function fetchMyTaskBoard(): Promise<MyTasksView> {
  const { data } = await http.get<MyTasksView>('/api/sidebar/tasks')
  return data
}
/** One of my tasks in any status (an app message's `?task=<id>` may point at a handled one). */
export async function fetchMyTask(id: number): Promise<FollowupTask> {
  const { data } = await http.get<FollowupTask>(`/api/sidebar/tasks/${id}`)
  return data
}

// ── admin ──
export async function fetchRules(): Promise<SopRule[]> {
  const { data } = await http.get<{ items: SopRule[] }>('/api/admin/reminders/rules')
  return data.items
}
export async function saveRule(body: SopRuleInput, id?: number): Promise<SopRule> {
  const { data } = id
    ? await http.put<SopRule>(`/api/admin/reminders/rules/${id}`, body)
    : await http.post<SopRule>('/api/admin/reminders/rules', body)
  return data
}
export async function deleteRule(id: number): Promise<void> {
  await http.delete(`/api/admin/reminders/rules/${id}`)
}
export async function fetchReminderSettings(): Promise<ReminderSettings> {
  const { data } = await http.get<ReminderSettings>('/api/admin/reminders/settings')
  return data
}
export async function saveReminderSettings(body: ReminderSettings): Promise<ReminderSettings> {
  const { data } = await http.put<ReminderSettings>('/api/admin/reminders/settings', body)
  return data
}
export async function fetchTasks(q: {
  status?: TaskStatus
  kind?: TaskKind
  ruleId?: number
  userId?: string
  page: number
  pageSize: number
}): Promise<TaskPage> {
  const { data } = await http.get<TaskPage>('/api/admin/reminders/tasks', { params: q })
  return data
}
export async function fetchReminderStats(): Promise<ReminderStats> {
  const { data } = await http.get<ReminderStats>('/api/admin/reminders/stats')
  return data
}
export async function runScan(): Promise<ScanResult> {
  const { data } = await http.post<ScanResult>('/api/admin/reminders/scan')
  return data
}
