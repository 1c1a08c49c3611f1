import { http } from './http'
import type {
  CampaignDetail,
  CampaignInput,
  CampaignOptions,
  CampaignStage,
  CampaignSummary,
  ChatMessagePayload,
  SidebarCampaign,
} from '@scrm/shared'

/** Group campaigns (社群活动): admin CRUD, send log and results; the sidebar's group campaigns. */
export type { CampaignDetail, CampaignInput, CampaignOptions, CampaignSummary, SidebarCampaign }

// Kept here rather than imported from @scrm/shared: a value import would pull typebox into the sidebar.
const STAGE_LABELS: Record<CampaignStage, string> = {
  planning: '策划中',
  preparation: '预热中',
  running: '进行中',
  review: '复盘',
}
export const stageLabel = (s: CampaignStage) => STAGE_LABELS[s]
export const stageTagType = (s: CampaignStage): 'info' | 'warning' | 'success' | 'primary' =>
  s === 'running' ? 'success' : s === 'preparation' ? 'warning' : s === 'review' ? 'info' : 'primary'

/** 'MM-DD HH:mm' in Asia/Shanghai, whatever the browser's zone. */
export function shanghaiTime(iso: string, withYear = false): string {
  const s = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString()
  return `${withYear ? `${s.slice(0, 4)}-` : ''}${s.slice(5, 10)} ${s.slice(11, 16)}`
}

/** 'YYYY-MM-DD HH:mm' (Asia/Shanghai wall time) ↔ ISO instant. */
export const fromShanghai = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+08:00`).toISOString()
export const toShanghai = (iso: string) => shanghaiTime(iso, true)

/** 3天4小时 / 2小时5分 / 12分30秒 until `iso`, from `now`. */
export function countdown(iso: string, now: number): string {
  let s = Math.max(0, Math.floor((new Date(iso).getTime() - now) / 1000))
  const d = Math.floor(s / 86400)
  s %= 86400
  const h = Math.floor(s / 3600)
  s %= 3600
  const m = Math.floor(s / 60)
  const sec = s % 60
  if (d) return `${d}天${h}小时`
  if (h) return `${h}小时${m}分`
  return `${m}分${String(sec).padStart(2, '0')}秒`
}

export const messageLabel = (m: { kind: string; offsetMinutes: number }) =>
  m.kind === 'launch' ? '开团消息' : `结束前 ${offsetLabel(m.offsetMinutes)}`

export function offsetLabel(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return [h ? `${h} 小时` : '', m ? `${m} 分钟` : ''].filter(Boolean).join(' ') || '0 分钟'
}

export async function listCampaigns(): Promise<CampaignSummary[]> {
  return (await http.get<{ items: CampaignSummary[] }>('/api/admin/campaigns')).data.items
}
export async function fetchCampaign(id: number): Promise<CampaignDetail> {
  return (await http.get<CampaignDetail>(`/api/admin/campaigns/${id}`)).data
}
export async function fetchCampaignOptions(): Promise<CampaignOptions> {
  return (await http.get<CampaignOptions>('/api/admin/campaigns/options')).data
}
export async function saveCampaign(body: CampaignInput, id?: number): Promise<CampaignDetail> {
  const { data } = id
    ? await http.put<CampaignDetail>(`/api/admin/campaigns/${id}`, body)
    : await http.post<CampaignDetail>('/api/admin/campaigns', body)
  return data
}
export async function deleteCampaign(id: number): Promise<void> {
  await http.delete(`/api/admin/campaigns/${id}`)
}
export async function sendLaunchNow(id: number): Promise<CampaignDetail> {
  return (await http.post<CampaignDetail>(`/api/admin/campaigns/${id}/send-launch`)).data
}
export async function syncCampaignResults(id: number): Promise<CampaignDetail> {
  return (await http.post<CampaignDetail>(`/api/admin/campaigns/${id}/sync-results`)).data
}
export async function uploadCampaignImage(name: string, base64: string): Promise<string> {
  return (await http.post<{ url: string }>('/api/admin/campaigns/image', { name, base64 })).data.url
}

export async function fetchGroupCampaigns(chatId: string): Promise<SidebarCampaign[]> {
  const { data } = await http.get<{ items: SidebarCampaign[] }>(
    `/api/sidebar/groups/${encodeURIComponent(chatId)}/campaigns`,
  )
  return data.items
}
export async function campaignChatMessage(
  chatId: string,
  id: number,
  key: string,
  part: 'text' | 'attachment',
): Promise<ChatMessagePayload> {
  const { data } = await http.post<{ message: ChatMessagePayload }>(
    `/api/sidebar/groups/${encodeURIComponent(chatId)}/campaigns/${id}/message`,
    { key, part },
  )
  return data.message
}
