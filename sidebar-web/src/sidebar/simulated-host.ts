// The demo's simulated chat window (/simulator/chat) frames this page and plays the WeCom client: it
// offers a WeixinJSBridge on the parent window. With `?wecom_host=sim`, and only when our server says
// it runs in simulator mode, the sidebar adopts that bridge and announces WeCom's user agent — both
// before @wecom/jssdk loads, because the SDK reads them once at load. Never in production.
import { http } from '@/api/http'

export const SIM_HOST_FLAG = 'wecom_host'
const WECOM_UA_SUFFIX = 'wxwork/4.1.20 MicroMessenger/7.0.1'

export async function adoptSimulatedHost(): Promise<boolean> {
  if (new URLSearchParams(window.location.search).get(SIM_HOST_FLAG) !== 'sim') return false
  let bridge: unknown
  try {
    // Same-origin parent only; a cross-origin parent throws here.
    bridge =
      window.parent !== window
        ? (window.parent as unknown as { __weComHostBridge?: unknown }).__weComHostBridge
        : undefined
  } catch {
    return false
  }
  if (!bridge) return false
  try {
    const { data } = await http.get<{ simulator: boolean }>('/api/sidebar/host')
    if (!data.simulator) return false
  } catch {
    return false
  }
  const ua = navigator.userAgent
  Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => `${ua} ${WECOM_UA_SUFFIX}` })
  ;(window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = bridge
  return true
}
