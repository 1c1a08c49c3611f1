// Callback crypto (接收事件服务器): thin, strict wrapper over the official @wecom/crypto package.
// The package does the AES/SHA1 work; we add what it leaves out: constant-time signature compare,
// strict PKCS#7 (32-byte block) padding and length checks, and the receive-id check.
import { createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto'
import * as wecomCrypto from '@wecom/crypto'

export interface CallbackCryptoConfig {
  token: string
  encodingAesKey: string
  receiveId: string
}

export type CallbackCryptoErrorCode =
  'bad_signature' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'bad_receive_id'

export class CallbackCryptoError extends Error {
  constructor(readonly code: CallbackCryptoErrorCode) {
    super(`callback crypto: ${code}`)
  }
}

export function signCallback(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return wecomCrypto.getSignature(token, timestamp, nonce, encrypt)
}

export function isSignatureValid(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signCallback(token, timestamp, nonce, encrypt), 'utf8')
  const given = Buffer.from(signature.toLowerCase(), 'utf8')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new Error('invalid EncodingAESKey: must decode to 32 bytes')
  return key
}

// CBC lets us decrypt only the last two blocks (IV = the block before them) to check padding cheaply.
function hasValidPadding(key: Buffer, cipher: Buffer): boolean {
  const tailStart = Math.max(0, cipher.length - 32)
  const iv = tailStart === 0 ? key.subarray(0, 16) : cipher.subarray(tailStart - 16, tailStart)
  const decipher = createDecipheriv('aes-256-cbc', key, iv)
  decipher.setAutoPadding(false)
  const tail = Buffer.concat([decipher.update(cipher.subarray(tailStart)), decipher.final()])
  const pad = tail[tail.length - 1]
  if (pad < 1 || pad > 32 || pad > tail.length) return false
  for (let i = tail.length - pad; i < tail.length; i++) if (tail[i] !== pad) return false
  return true
}

/** Decrypts an `Encrypt` / `echostr` payload and checks padding, length and receive id. */
export function decryptPayload(cfg: CallbackCryptoConfig, encrypted: string): string {
  const key = aesKey(cfg.encodingAesKey)
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new CallbackCryptoError('bad_ciphertext')
  const cipher = Buffer.from(encrypted, 'base64')
  if (cipher.length === 0 || cipher.length % 16 !== 0) throw new CallbackCryptoError('bad_ciphertext')
  if (!hasValidPadding(key, cipher)) throw new CallbackCryptoError('bad_padding')
  let out: { message: string; id: string }
  try {
    out = wecomCrypto.decrypt(cfg.encodingAesKey, encrypted)
  } catch {
    throw new CallbackCryptoError('bad_ciphertext')
  }
  // The package slices by the declared length without checking it; a forged length shows up here.
  const declared = Buffer.byteLength(out.message)
  if (declared === 0 && out.id.length === 0) throw new CallbackCryptoError('bad_length')
  if (out.id !== cfg.receiveId) throw new CallbackCryptoError('bad_receive_id')
  return out.message
}

export function encryptPayload(cfg: CallbackCryptoConfig, message: string): string {
  return wecomCrypto.encrypt(cfg.encodingAesKey, message, cfg.receiveId, randomBytes(16))
}

/** Builds the query and XML body of a callback exactly as WeCom sends it (used by the simulator and tests). */
export function sealCallback(
  cfg: CallbackCryptoConfig,
  xml: string,
  opts: { timestamp?: string; nonce?: string; agentId?: string } = {},
): { query: { msg_signature: string; timestamp: string; nonce: string }; body: string } {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE(0))
  const encrypt = encryptPayload(cfg, xml)
  const msg_signature = signCallback(cfg.token, timestamp, nonce, encrypt)
  const body =
    `<xml><ToUserName><![CDATA[${cfg.receiveId}]]></ToUserName>` +
    `<AgentID><![CDATA[${opts.agentId ?? ''}]]></AgentID>` +
    `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
  return { query: { msg_signature, timestamp, nonce }, body }
}

export function jsApiSignature(ticket: string, url: string, nonceStr: string, timestamp: number) {
  return wecomCrypto.getJsApiSignature({ ticket, url, nonceStr, timestamp })
}
