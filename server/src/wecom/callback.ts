// Verifying, decrypting and parsing one callback. Pure functions: storage is the caller's business.
import { createHash } from 'node:crypto'
import { parseStringPromise } from 'xml2js'
import { CallbackCryptoError, decryptPayload, isSignatureValid, type CallbackCryptoConfig } from './crypto.ts'
import type { CallbackEvent } from './events.ts'
import { parseFlatXml } from './flat-xml.ts'

export class CallbackRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface CallbackParams {
  msg_signature?: string
  timestamp?: string
  nonce?: string
}

// xml2js (sax) does not expand external entities, but a DOCTYPE has no business in a WeCom callback.
const FORBIDDEN_XML = /<!DOCTYPE|<!ENTITY/i

async function parseXml(xml: string): Promise<Record<string, unknown>> {
  if (FORBIDDEN_XML.test(xml)) throw new CallbackRejected('xml_forbidden', 'DOCTYPE/ENTITY not allowed')
  let doc: { xml?: Record<string, unknown> }
  try {
    doc = await parseStringPromise(xml, {
      explicitArray: false,
      trim: true,
      explicitRoot: true,
      async: false,
    })
  } catch {
    throw new CallbackRejected('xml_malformed', 'malformed XML')
  }
  if (!doc || typeof doc.xml !== 'object' || doc.xml === null)
    throw new CallbackRejected('xml_malformed', 'no <xml> root')
  return doc.xml
}

// WeCom's envelope is always the same three elements; reading it with one anchored pattern is exact
// for that shape and far cheaper than a parse. Anything else goes through the full parser.
const CANONICAL_ENVELOPE =
  /^\s*<xml>\s*<ToUserName><!\[CDATA\[[\w-]*\]\]><\/ToUserName>\s*(?:<AgentID><!\[CDATA\[\d*\]\]><\/AgentID>\s*)?<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt>\s*(?:<AgentID><!\[CDATA\[\d*\]\]><\/AgentID>\s*)?<\/xml>\s*$/

async function encryptedPart(body: string): Promise<unknown> {
  const fast = CANONICAL_ENVELOPE.exec(body)
  if (fast) return fast[1]
  return (await parseXml(body)).Encrypt
}

function checkParams(
  p: CallbackParams,
  now: number,
  maxSkewSec: number,
): asserts p is Required<CallbackParams> {
  if (!p.msg_signature || !p.timestamp || !p.nonce)
    throw new CallbackRejected('missing_params', 'msg_signature, timestamp and nonce are required')
  if (!/^\d{1,12}$/.test(p.timestamp)) throw new CallbackRejected('bad_timestamp', 'timestamp must be digits')
  if (maxSkewSec > 0 && Math.abs(now / 1000 - Number(p.timestamp)) > maxSkewSec)
    throw new CallbackRejected('stale_timestamp', 'timestamp outside the accepted window')
}

function openSealed(cfg: CallbackCryptoConfig, p: Required<CallbackParams>, encrypted: string): string {
  if (!isSignatureValid(cfg.token, p.timestamp, p.nonce, encrypted, p.msg_signature))
    throw new CallbackRejected('bad_signature', 'signature mismatch')
  try {
    return decryptPayload(cfg, encrypted)
  } catch (err) {
    if (err instanceof CallbackCryptoError) throw new CallbackRejected(err.code, err.message)
    throw err
  }
}

/** URL verification (GET): returns the plaintext echostr to send back. */
export function verifyUrl(
  cfg: CallbackCryptoConfig,
  p: CallbackParams & { echostr?: string },
  opts: { now?: number; maxSkewSec: number },
): string {
  checkParams(p, opts.now ?? Date.now(), opts.maxSkewSec)
  const { echostr } = p as { echostr?: string }
  if (!echostr) throw new CallbackRejected('missing_params', 'echostr is required')
  return openSealed(cfg, p, echostr)
}

export interface OpenedCallback {
  xml: string
  hash: string
  event: CallbackEvent
}

/** Event delivery (POST): verifies and decrypts the envelope, parses the event inside. */
export async function openCallback(
  cfg: CallbackCryptoConfig,
  p: CallbackParams,
  body: string,
  opts: { now?: number; maxSkewSec: number },
): Promise<OpenedCallback> {
  checkParams(p, opts.now ?? Date.now(), opts.maxSkewSec)
  const encrypted = await encryptedPart(body)
  if (typeof encrypted !== 'string' || !encrypted)
    throw new CallbackRejected('missing_encrypt', 'no <Encrypt> element')
  const xml = openSealed(cfg, p, encrypted)
  if (FORBIDDEN_XML.test(xml)) throw new CallbackRejected('xml_forbidden', 'DOCTYPE/ENTITY not allowed')
  const event = normalizeEvent(parseFlatXml(xml) ?? (await parseXml(xml)))
  // Retries are byte-identical, and there is no MsgId for these events: the hash is the identity.
  const hash = createHash('sha256').update(xml).digest('hex')
  return { xml, hash, event }
}

export async function parseEventXml(xml: string): Promise<CallbackEvent> {
  return normalizeEvent(await parseXml(xml))
}

function normalizeEvent(raw: Record<string, unknown>): CallbackEvent {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'MemChangeList') continue
    if (typeof v === 'string') out[k] = v
  }
  const items = (raw.MemChangeList as { Item?: string | string[] } | undefined)?.Item
  const list = items === undefined ? [] : Array.isArray(items) ? items : [items]
  return {
    ToUserName: '',
    FromUserName: '',
    CreateTime: '0',
    MsgType: '',
    Event: '',
    ChangeType: '',
    ...out,
    MemChangeList: list.filter((x): x is string => typeof x === 'string'),
  } as CallbackEvent
}
