// Test helpers: a WeCom-style API client for the simulator and a callback receiver that checks the
// signature and decrypts with the product's own crypto (so a passing test means the callbacks are real).
import axios, { type AxiosInstance } from 'axios'
import Fastify from 'fastify'
import { decryptPayload, isSignatureValid } from '../wecom/crypto.ts'
import type { CallbackTarget } from './driver/driver.ts'
import type { RunningSimulator } from './standalone.ts'

export const TEST_CALLBACK = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
} as const

/** axios bound to the simulator; `call` fetches a token once and sends it like a product client. */
export async function simulatorClient(sim: RunningSimulator, secret = sim.corp.options.secrets[0]) {
  const http: AxiosInstance = axios.create({ baseURL: sim.url, validateStatus: () => true })
  const token = async () =>
    (await http.get('/cgi-bin/gettoken', { params: { corpid: sim.corp.corpId, corpsecret: secret } })).data
      .access_token as string
  let accessToken = await token()
  return {
    http,
    get accessToken() {
      return accessToken
    },
    async refresh() {
      accessToken = await token()
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async get(path: string, params: Record<string, unknown> = {}): Promise<any> {
      return (await http.get(path, { params: { access_token: accessToken, ...params } })).data
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async post(path: string, body: unknown = {}): Promise<any> {
      return (await http.post(path, body, { params: { access_token: accessToken } })).data
    },
  }
}

export interface ReceivedCallback {
  query: Record<string, string>
  body: string
  xml: string
  signatureValid: boolean
  at: number
}

export interface CallbackReceiver {
  target: CallbackTarget
  received: ReceivedCallback[]
  /** Requests that failed verification (bad signature / ciphertext / receive id). */
  rejected: { query: Record<string, string>; body: string; reason: string }[]
  /** Hold the next `n` requests for `ms` before answering (to play a slow product). */
  stall(n: number, ms: number): void
  close(): Promise<void>
}

export async function startCallbackReceiver(
  receiveId: string,
  cfg = TEST_CALLBACK,
): Promise<CallbackReceiver> {
  const app = Fastify({ forceCloseConnections: true })
  const received: ReceivedCallback[] = []
  const rejected: CallbackReceiver['rejected'] = []
  let stalls = 0
  let stallMs = 0
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.post('/wecom/callback', async (req, reply) => {
    const query = req.query as Record<string, string>
    const body = String(req.body ?? '')
    if (stalls > 0) {
      stalls--
      await new Promise((r) => setTimeout(r, stallMs))
    }
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body)?.[1] ?? ''
    const signatureValid = isSignatureValid(
      cfg.token,
      query.timestamp ?? '',
      query.nonce ?? '',
      encrypt,
      query.msg_signature ?? '',
    )
    if (!signatureValid) {
      rejected.push({ query, body, reason: 'bad_signature' })
      return reply.code(403).send('bad signature')
    }
    try {
      const xml = decryptPayload({ ...cfg, receiveId }, encrypt)
      received.push({ query, body, xml, signatureValid, at: Date.now() })
      return reply.send('success')
    } catch (err) {
      rejected.push({ query, body, reason: (err as Error).message })
      return reply.code(400).send('bad payload')
    }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    target: { url: `http://127.0.0.1:${port}/wecom/callback`, ...cfg },
    received,
    rejected,
    stall(n, ms) {
      stalls = n
      stallMs = ms
    },
    close: () => app.close(),
  }
}
