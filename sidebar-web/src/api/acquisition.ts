import type {
  AdvisorBody,
  ChannelBody,
  ChannelOut,
  CodeOut,
  GiftBody,
  LostCustomerOut,
  LostQuery,
  StatsQuery,
  StatsReport,
  WelcomeBody,
} from '@scrm/shared'
import { http } from './http'

export type {
  Attachment,
  LostCustomerOut as LostCustomer,
  LostQuery,
  StatRow,
  StatsQuery,
  StatsReport,
} from '@scrm/shared'

export type WelcomeContent = WelcomeBody
export type GiftOffer = GiftBody
export type AdvisorInput = AdvisorBody
export type ChannelInput = ChannelBody
export type ChannelCode = CodeOut
export type Channel = ChannelOut
export type AddCounts = ChannelOut['adds']

export interface Placeholders {
  welcome: Record<string, string>
  remark: Record<string, string>
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

export async function listLost(query: LostQuery): Promise<{ total: number; items: LostCustomerOut[] }> {
  const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
  const { data } = await http.get<{ total: number; items: LostCustomerOut[] }>(`${BASE}/lost`, { params })
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

// WeCom limits welcome texts to 4,000 bytes.
export { byteLength } from '../utils/bytes'

export const emptyWelcome = (): WelcomeContent => ({ text: '', attachments: [] })
export const emptyGift = (): GiftOffer => ({
  enabled: false,
  dailyQuota: 50,
  windowHours: null,
  message: emptyWelcome(),
})
