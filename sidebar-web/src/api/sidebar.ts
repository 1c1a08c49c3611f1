import { http } from './http'

/** What the sidebar needs to register the JS-SDK: the corp and the self-built app's agent id. */
export interface JssdkConfig {
  corpId: string
  agentId: string | number
}

export interface JssdkSignature {
  timestamp: number | string
  nonceStr: string
  signature: string
}

export async function fetchJssdkConfig(): Promise<JssdkConfig> {
  const { data } = await http.get<JssdkConfig>('/api/sidebar/jssdk/config')
  return data
}

/** `type` config → corp jsapi_ticket signature (ww.config); agent → agent ticket (ww.agentConfig). */
export async function fetchJssdkSignature(type: 'config' | 'agent', url: string): Promise<JssdkSignature> {
  const { data } = await http.get<JssdkSignature>('/api/sidebar/jssdk/signature', { params: { type, url } })
  return data
}
