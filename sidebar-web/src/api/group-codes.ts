import { http } from './http'

import type {
  GroupCodeDetail,
  GroupCodeInput,
  GroupCodeSummary,
  GroupStats,
  GroupStatsQuery,
  GroupWelcome,
  GroupWelcomeAttachment,
  NearestStores,
  StoreInput,
  StoreItem,
} from '@scrm/shared'

/** Group codes (群活码), their stats, stores by location and the public store landing page. */
export type {
  GroupCodeDetail,
  GroupCodeInput,
  GroupCodeSummary,
  GroupStats,
  GroupStatsQuery,
  GroupWelcome,
  GroupWelcomeAttachment,
  NearestStores,
  StoreInput,
  StoreItem,
}
export type GroupCodePoolItem = GroupCodeDetail['pool'][number]
export type GroupCodeHistoryItem = GroupCodeDetail['history'][number]
export type PublicStore = NearestStores['stores'][number]

const BASE = '/api/admin'

export async function listGroupCodes(): Promise<GroupCodeSummary[]> {
  const { data } = await http.get<{ items: GroupCodeSummary[] }>(`${BASE}/group-codes`)
  return data.items
}

export async function getGroupCode(id: number): Promise<GroupCodeDetail> {
  const { data } = await http.get<GroupCodeDetail>(`${BASE}/group-codes/${id}`)
  return data
}

export async function createGroupCode(body: GroupCodeInput): Promise<GroupCodeDetail> {
  const { data } = await http.post<GroupCodeDetail>(`${BASE}/group-codes`, body)
  return data
}

export async function updateGroupCode(id: number, body: GroupCodeInput): Promise<GroupCodeDetail> {
  const { data } = await http.put<GroupCodeDetail>(`${BASE}/group-codes/${id}`, body)
  return data
}

export async function deleteGroupCode(id: number): Promise<void> {
  await http.delete(`${BASE}/group-codes/${id}`)
}

/** The permanent QR as a PNG (same-origin, admin cookie); used for both <img> and download. */
export const groupCodeQrUrl = (id: number) => `${BASE}/group-codes/${id}/qr.png`

const queryString = (query: object) =>
  new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString()

export async function fetchGroupStats(query: GroupStatsQuery): Promise<GroupStats> {
  const { data } = await http.get<GroupStats>(`${BASE}/group-stats?${queryString(query)}`)
  return data
}

export const groupStatsCsvUrl = (query: GroupStatsQuery) => `${BASE}/group-stats.csv?${queryString(query)}`

export async function listStores(): Promise<StoreItem[]> {
  const { data } = await http.get<{ items: StoreItem[] }>(`${BASE}/stores`)
  return data.items
}

export async function createStore(body: StoreInput): Promise<StoreItem> {
  const { data } = await http.post<StoreItem>(`${BASE}/stores`, body)
  return data
}

export async function updateStore(id: number, body: StoreInput): Promise<StoreItem> {
  const { data } = await http.put<StoreItem>(`${BASE}/stores/${id}`, body)
  return data
}

export async function deleteStore(id: number): Promise<void> {
  await http.delete(`${BASE}/stores/${id}`)
}

/** Public, no login: the closest store within `radiusKm` (default 3) and every store, closest first. */
export async function nearestStores(query: {
  lat: number
  lng: number
  radiusKm?: number
}): Promise<NearestStores> {
  const { data } = await http.get<NearestStores>(`/api/public/stores/nearest?${queryString(query)}`)
  return data
}

/** The public landing page's address, to share as a link or print as a QR. */
export const landingUrl = (origin = window.location.origin) => `${origin}/landing/`
