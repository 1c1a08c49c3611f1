// Posts a sealed callback to the product like WeCom: 5 s to answer 200, then up to 3 identical retries.
import axios from 'axios'
import { sealCallback } from '../../wecom/crypto.ts'

export interface CallbackTarget {
  /** The product's callback URL, e.g. http://127.0.0.1:3000/wecom/callback */
  url: string
  token: string
  encodingAesKey: string
}

export interface DeliveryAttempt {
  attempt: number
  status?: number
  error?: string
  ms: number
}

export interface DeliveryResult {
  delivered: boolean
  /** No callback target configured: the state changed but nothing was posted. */
  skipped?: boolean
  attempts: DeliveryAttempt[]
  xml: string
  query?: { msg_signature: string; timestamp: string; nonce: string }
}

export interface DeliveryOptions {
  ackTimeoutMs: number
  retries: number
  retryDelayMs: number
  receiveId: string
  agentId?: string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function deliverCallback(
  target: CallbackTarget | undefined,
  xml: string,
  opts: DeliveryOptions,
): Promise<DeliveryResult> {
  if (!target) return { delivered: false, skipped: true, attempts: [], xml }
  // Sealed once: every retry carries the identical query and body, as WeCom's do.
  const sealed = sealCallback(
    { token: target.token, encodingAesKey: target.encodingAesKey, receiveId: opts.receiveId },
    xml,
    {
      agentId: opts.agentId,
    },
  )
  const attempts: DeliveryAttempt[] = []
  for (let attempt = 1; attempt <= opts.retries + 1; attempt++) {
    if (attempt > 1 && opts.retryDelayMs > 0) await sleep(opts.retryDelayMs)
    const started = Date.now()
    try {
      const res = await axios.post(target.url, sealed.body, {
        params: sealed.query,
        headers: { 'content-type': 'text/xml' },
        timeout: opts.ackTimeoutMs,
        validateStatus: () => true,
        responseType: 'text',
        transitional: { clarifyTimeoutError: true },
      })
      attempts.push({ attempt, status: res.status, ms: Date.now() - started })
      if (res.status === 200) return { delivered: true, attempts, xml, query: sealed.query }
    } catch (err) {
      const e = err as { code?: string; message?: string }
      attempts.push({
        attempt,
        error: e.code === 'ETIMEDOUT' ? 'timeout' : (e.code ?? e.message ?? 'error'),
        ms: Date.now() - started,
      })
    }
  }
  return { delivered: false, attempts, xml, query: sealed.query }
}
