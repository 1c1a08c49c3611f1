import { http } from './http'

/** WeCom attachment shapes for welcome messages (send_welcome_msg). */
export type Attachment =
  | { msgtype: 'image'; image: { media_id: string } | { pic_url: string } }
  | { msgtype: 'link'; link: { title: string; url: string; picurl?: string; desc?: string } }
  | {
      msgtype: 'miniprogram'
      miniprogram: { title: string; pic_media_id: string; appid: string; page: string }
    }
  | { msgtype: 'video'; video: { media_id: string } }
  | { msgtype: 'file'; file: { media_id: string } }

export interface WelcomeContent {
  text: string
  attachments: Attachment[]
}

export interface GiftOffer {
  enabled: boolean
  dailyQuota: number
  windowHours: number | null
  message: WelcomeContent
}

export interface AdvisorInput {
  userId: string
  dailyCap: number | null
  weekdays: number[]
  startTime: string
  endTime: string
}

export interface ChannelInput {
  name: string
  groupName: string
  skipVerify: boolean
  advisors: AdvisorInput[]
  tagIds: string[]
  remarkTemplate: string
  memberGroup: string
  shopNick: string
  supervisorUserId: string
  codes: { id?: number; name: string }[]
  welcome: WelcomeContent
  gift: GiftOffer
}

export interface AddCounts {
  today: number
  week: number
  total: number
}

export interface ChannelCode {
  id: number
  name: string
  state: string
  configId: string
  qrUrl: string
  currentUsers: string[]
  adds: AddCounts
}

export interface Channel extends Omit<ChannelInput, 'advisors' | 'codes'> {
  id: number
  advisors: (AdvisorInput & { name: string; onDuty: boolean; addsToday: number })[]
  codes: ChannelCode[]
  giftUsedToday: number
  adds: AddCounts
  staffOnDuty: { userId: string; name: string }[]
  createdAt: string
}

export interface Placeholders {
  welcome: Record<string, string>
  remark: Record<string, string>
}

export interface LostCustomer {
  id: number
  externalUserId: string
  customerName: string
  userId: string
  staffName: string
  reason: 'customer_deleted_staff' | 'staff_deleted_customer'
  channelId: number | null
  channelName: string
  lostAt: string
  addedAt: string | null
  alertStatus: 'pending' | 'sent' | 'failed' | 'disabled'
  alertError: string
  alertedTo: string
}

export interface LostQuery {
  from?: string
  to?: string
  channelId?: number
  userId?: string
  reason?: string
  q?: string
  page: number
  pageSize: number
}

export interface StatRow {
  key: string
  label: string
  channelId: number | null
  adds: number
  losses: number
  net: number
  following: number
  retention: number
}

export interface StatsReport {
  from: string
  to: string
  totals: Omit<StatRow, 'key' | 'label' | 'channelId'>
  byChannel: StatRow[]
  byCode: StatRow[]
  byAdvisor: StatRow[]
  byDay: StatRow[]
  series: { day: string; channelId: number | null; label: string; adds: number; losses: number }[]
}

export interface StatsQuery {
  from?: string
  to?: string
  channelId?: number
}

const BASE = '/api/admin/acquisition'

export async function listChannels(): Promise<Channel[]> {
  const { data } = await http.get<{ items: Channel[] }>(`${BASE}/channels`)
  return data.items
}

export async function createChannel(body: ChannelInput): Promise<Channel> {
  const { data } = await http.post<Channel>(`${BASE}/channels`, body)
  return data
}

export async function updateChannel(id: number, body: ChannelInput): Promise<Channel> {
  const { data } = await http.put<Channel>(`${BASE}/channels/${id}`, body)
  return data
}

export async function deleteChannel(id: number): Promise<void> {
  await http.delete(`${BASE}/channels/${id}`)
}

export async function updateChannelWelcome(
  id: number,
  welcome: WelcomeContent,
  gift: GiftOffer,
): Promise<void> {
  await http.put(`${BASE}/channels/${id}/welcome`, { welcome, gift })
}

export async function fetchDefaultWelcome(): Promise<WelcomeContent> {
  const { data } = await http.get<WelcomeContent>(`${BASE}/welcome/default`)
  return data
}

export async function saveDefaultWelcome(body: WelcomeContent): Promise<void> {
  await http.put(`${BASE}/welcome/default`, body)
}

export async function fetchPlaceholders(): Promise<Placeholders> {
  const { data } = await http.get<Placeholders>(`${BASE}/placeholders`)
  return data
}

export async function listLost(query: LostQuery): Promise<{ total: number; items: LostCustomer[] }> {
  const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
  const { data } = await http.get<{ total: number; items: LostCustomer[] }>(`${BASE}/lost`, { params })
  return data
}

export async function fetchLostAlert(): Promise<{ enabled: boolean; supervisorUserId: string }> {
  const { data } = await http.get<{ enabled: boolean; supervisorUserId: string }>(
    `${BASE}/settings/lost-alert`,
  )
  return data
}

export async function saveLostAlert(body: { enabled: boolean; supervisorUserId: string }): Promise<void> {
  await http.put(`${BASE}/settings/lost-alert`, body)
}

export async function fetchStats(query: StatsQuery): Promise<StatsReport> {
  const { data } = await http.get<StatsReport>(`${BASE}/stats`, { params: query })
  return data
}

export function statsCsvUrl(query: StatsQuery): string {
  const params = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  )
  return `${BASE}/stats.csv?${params}`
}

export const qrDownloadUrl = (code: ChannelCode) => `${code.qrUrl}?download=true`

/** UTF-8 bytes of a string (WeCom limits welcome texts to 4,000 bytes). */
export const byteLength = (s: string) => new TextEncoder().encode(s).length

export const emptyWelcome = (): WelcomeContent => ({ text: '', attachments: [] })
export const emptyGift = (): GiftOffer => ({
  enabled: false,
  dailyQuota: 50,
  windowHours: null,
  message: emptyWelcome(),
})
