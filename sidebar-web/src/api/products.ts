import { http } from './http'
import type { ChatMessagePayload, Product, ProductInput, SendTarget } from '@scrm/shared'

/** The product library (商品库): sidebar list and one-tap send, and the admin CRUD. */
export type { Product, ProductInput }

export const formatPrice = (cents: number) => `¥${(cents / 100).toFixed(2).replace(/\.00$/, '')}`

export async function fetchProducts(q?: string, scope: 'sidebar' | 'admin' = 'sidebar'): Promise<Product[]> {
  const { data } = await http.get<{ items: Product[] }>(`/api/${scope}/products`, {
    params: { q: q || undefined },
  })
  return data.items
}

/** Records the send and returns the card to put into the chat. */
export async function sendProduct(
  id: number,
  msgtype: 'news' | 'miniprogram',
  target: SendTarget,
): Promise<ChatMessagePayload> {
  const { data } = await http.post<{ message: ChatMessagePayload }>(`/api/sidebar/products/${id}/send`, {
    ...target,
    msgtype,
  })
  return data.message
}

export async function saveProduct(body: ProductInput, id?: number): Promise<Product> {
  const { data } = id
    ? await http.put<Product>(`/api/admin/products/${id}`, body)
    : await http.post<Product>('/api/admin/products', body)
  return data
}
export async function deleteProduct(id: number): Promise<void> {
  await http.delete(`/api/admin/products/${id}`)
}

/** Uploads a product image (WeCom media/uploadimg) and returns its permanent URL. */
export async function uploadProductImage(name: string, base64: string): Promise<string> {
  const { data } = await http.post<{ url: string }>('/api/admin/products/image', { name, base64 })
  return data.url
}
