import { http } from './http'
import type {
  ColumnMapping,
  CustomerOrders,
  ImportPreview,
  ImportReject,
  OrderImport,
  OrderListQuery,
  OrderPage,
  OrderSource,
  OrderSourceWithKey,
  OrderUpload,
  ShopOrder,
} from '@scrm/shared'

/** Orders in (订单): sources and keys, file imports, the order list, and the sidebar's orders section. */
export type {
  ColumnMapping,
  CustomerOrders,
  ImportPreview,
  ImportReject,
  OrderImport,
  OrderPage,
  OrderSource,
  OrderSourceWithKey,
  ShopOrder,
}
export { ORDER_FIELDS, REQUIRED_ORDER_FIELDS, type OrderField } from '@scrm/shared'

export const formatYuan = (cents: number) => `¥${(cents / 100).toFixed(2)}`

export const FIELD_LABEL: Record<string, string> = {
  order_no: '订单号',
  ordered_at: '下单时间',
  buyer_mobile: '买家手机号',
  buyer_unionid: '买家 unionid',
  buyer_name: '买家姓名',
  total: '实付金额',
  discount: '优惠金额',
  coupon: '是否用券',
  status: '订单状态',
  sku: 'SKU',
  product_name: '商品名称',
  quantity: '数量',
  line_amount: '商品金额',
}

export const BOUND_BY_LABEL: Record<string, string> = {
  mobile: '手机号',
  unionid: 'unionid',
  advisor: '导购绑定',
}

const REASONS: Array<[RegExp, string]> = [
  [/^missing order number$/, '缺少订单号'],
  [/^missing order time$/, '缺少下单时间'],
  [/^bad date '(.*)'$/, '日期无法识别：$1'],
  [/^missing (total|discount|line amount)$/, '缺少金额（$1）'],
  [/^bad (total|discount|line amount) '(.*)'$/, '金额无法识别（$1）：$2'],
  [/^negative total (.*)$/, '实付金额为负：$1'],
  [/^negative discount (.*)$/, '优惠金额为负：$1'],
  [/^negative line amount (.*)$/, '商品金额为负：$1'],
  [/^bad quantity '(.*)'$/, '数量无效：$1'],
  [/^unknown status '(.*)'.*$/, '无法识别的订单状态：$1（应为已支付或已退款）'],
  [
    /^duplicate order number (\S+) with different order fields(?: \(first at row (\d+)\))?$/,
    '订单号 $1 重复且内容不同（首次出现在第 $2 行）',
  ],
  [/^order (\S+) has a rejected row (\d+)$/, '订单 $1 的第 $2 行被拒绝，整单未导入'],
  [/^order (\S+) was rejected at an earlier row$/, '订单 $1 在前面的行已被拒绝'],
  [/^unknown columns in the mapping: (.*)$/, '映射中的列在文件中不存在：$1'],
  [/^(.*) longer than (\d+) characters$/, '$1 超过 $2 个字符'],
]

/** The server's reject reasons (English, shared with the push API) in the console's Chinese. */
export function reasonText(reason: string): string {
  for (const [re, zh] of REASONS)
    if (re.test(reason)) return reason.replace(re, zh).replace('（首次出现在第  行）', '')
  return reason
}

// ── sidebar ──

export async function fetchCustomerOrders(externalUserId: string): Promise<CustomerOrders> {
  const { data } = await http.get<CustomerOrders>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/orders`,
  )
  return data
}

export async function bindOrder(externalUserId: string, orderNo: string): Promise<CustomerOrders> {
  const { data } = await http.post<CustomerOrders>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/orders/bind`,
    { orderNo },
  )
  return data
}

// ── admin ──

export async function fetchOrders(q: Partial<OrderListQuery>): Promise<OrderPage> {
  const { data } = await http.get<OrderPage>('/api/admin/orders', { params: q })
  return data
}

export async function fetchOrderSources(): Promise<OrderSource[]> {
  const { data } = await http.get<{ items: OrderSource[] }>('/api/admin/order-sources')
  return data.items
}

export async function createOrderSource(name: string): Promise<OrderSourceWithKey> {
  const { data } = await http.post<OrderSourceWithKey>('/api/admin/order-sources', { name })
  return data
}

export async function rotateOrderSourceKey(id: number): Promise<OrderSourceWithKey> {
  const { data } = await http.post<OrderSourceWithKey>(`/api/admin/order-sources/${id}/rotate-key`)
  return data
}

export async function saveOrderMapping(id: number, mapping: ColumnMapping): Promise<OrderSource> {
  const { data } = await http.put<OrderSource>(`/api/admin/order-sources/${id}/mapping`, { mapping })
  return data
}

/** Multipart upload; `onProgress` gets 0–100 while the browser sends the file. */
export async function uploadOrderFile(file: File, onProgress?: (pct: number) => void): Promise<OrderUpload> {
  const form = new FormData()
  form.append('file', file, file.name)
  const { data } = await http.post<OrderUpload>('/api/admin/orders/uploads', form, {
    timeout: 0,
    onUploadProgress: (e) => onProgress?.(e.total ? Math.round((e.loaded / e.total) * 100) : 0),
  })
  return data
}

export async function previewImport(uploadId: string, sourceId: number): Promise<ImportPreview> {
  const { data } = await http.get<ImportPreview>(`/api/admin/orders/uploads/${uploadId}/preview`, {
    params: { sourceId },
  })
  return data
}

export async function startImport(body: {
  sourceId: number
  uploadId: string
  fileName: string
  mapping: ColumnMapping
}): Promise<OrderImport> {
  const { data } = await http.post<OrderImport>('/api/admin/orders/imports', body)
  return data
}

export async function fetchImport(id: number): Promise<OrderImport> {
  const { data } = await http.get<OrderImport>(`/api/admin/orders/imports/${id}`)
  return data
}

export async function fetchImports(sourceId?: number): Promise<OrderImport[]> {
  const { data } = await http.get<{ items: OrderImport[] }>('/api/admin/orders/imports', {
    params: { sourceId },
  })
  return data.items
}

export async function fetchImportRejects(id: number): Promise<ImportReject[]> {
  const { data } = await http.get<{ items: ImportReject[] }>(`/api/admin/orders/imports/${id}/rejects`)
  return data.items
}
