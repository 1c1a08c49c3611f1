import { http } from './http'
import type {
  CustomerNote,
  CustomerProfile,
  GroupProfile,
  ProductSend,
  ProfileTagGroup,
  SidebarMe,
} from '@scrm/shared'

/** The sidebar's customer view (1v1 chat) and group view (group chat). */
export type { CustomerNote, CustomerProfile, GroupProfile, ProfileTagGroup, ProductSend }

/** The signed-in advisor, or null when there is no sidebar session yet. */
export async function fetchMe(): Promise<SidebarMe | null> {
  try {
    const { data } = await http.get<SidebarMe>('/api/sidebar/me', { skipAuthRedirect: true })
    return data
  } catch (e) {
    if ((e as { status?: number }).status === 401) return null
    throw e
  }
}

/** Where to go to sign in with WeCom OAuth, coming back to this page. */
export function signInUrl(returnTo: string): string {
  return `/api/sidebar/auth/start?returnTo=${encodeURIComponent(returnTo)}`
}

const enc = encodeURIComponent

export async function fetchCustomer(externalUserId: string): Promise<CustomerProfile> {
  const { data } = await http.get<CustomerProfile>(`/api/sidebar/customers/${enc(externalUserId)}`)
  return data
}

export async function fetchTagGroups(): Promise<ProfileTagGroup[]> {
  const { data } = await http.get<{ items: ProfileTagGroup[] }>('/api/sidebar/tag-groups')
  return data.items
}

export async function addCustomerTag(externalUserId: string, tagId: string): Promise<ProfileTagGroup[]> {
  const { data } = await http.post<{ tagGroups: ProfileTagGroup[] }>(
    `/api/sidebar/customers/${enc(externalUserId)}/tags`,
    { tagId },
  )
  return data.tagGroups
}

export async function removeCustomerTag(externalUserId: string, tagId: string): Promise<ProfileTagGroup[]> {
  const { data } = await http.delete<{ tagGroups: ProfileTagGroup[] }>(
    `/api/sidebar/customers/${enc(externalUserId)}/tags/${enc(tagId)}`,
  )
  return data.tagGroups
}

export async function addCustomerNote(
  externalUserId: string,
  content: string,
  kind: CustomerNote['kind'],
): Promise<CustomerNote> {
  const { data } = await http.post<CustomerNote>(`/api/sidebar/customers/${enc(externalUserId)}/notes`, {
    content,
    kind,
  })
  return data
}

export async function fetchProductSends(externalUserId: string): Promise<ProductSend[]> {
  const { data } = await http.get<{ items: ProductSend[] }>(
    `/api/sidebar/customers/${enc(externalUserId)}/product-sends`,
  )
  return data.items
}

export async function fetchGroup(chatId: string): Promise<GroupProfile> {
  const { data } = await http.get<GroupProfile>(`/api/sidebar/groups/${enc(chatId)}`)
  return data
}
