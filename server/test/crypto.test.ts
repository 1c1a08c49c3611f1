import assert from 'node:assert/strict'
import { createCipheriv } from 'node:crypto'
import { test } from 'node:test'
import {
  CallbackCryptoError,
  decryptPayload,
  encryptPayload,
  isSignatureValid,
  jsApiSignature,
  signCallback,
} from '../src/wecom/crypto.ts'
import { JSAPI_VECTOR, SET_A, SET_B } from './helpers/vectors.ts'

test('official set A: URL verification signature and echostr', () => {
  const { get } = SET_A
  assert.equal(signCallback(SET_A.token, get.timestamp, get.nonce, get.echostr), get.msg_signature)
  assert.equal(decryptPayload(SET_A, get.echostr), get.plaintext)
})

test('official set A: event signature and decryption', () => {
  const { post } = SET_A
  assert.ok(isSignatureValid(SET_A.token, post.timestamp, post.nonce, post.encrypt, post.msg_signature))
  assert.equal(decryptPayload(SET_A, post.encrypt), post.plaintext)
})

test('official set B (Go sample): URL verification', () => {
  const { get } = SET_B
  assert.ok(isSignatureValid(SET_B.token, get.timestamp, get.nonce, get.echostr, get.msg_signature))
  assert.equal(decryptPayload(SET_B, get.echostr), get.plaintext)
})

test('official JS-SDK signature vector', () => {
  const s = jsApiSignature(
    JSAPI_VECTOR.ticket,
    JSAPI_VECTOR.url,
    JSAPI_VECTOR.nonceStr,
    JSAPI_VECTOR.timestamp,
  )
  assert.equal(s.signature, JSAPI_VECTOR.signature)
})

test('a changed signature, a wrong receive id and bad ciphertext are all refused', () => {
  const { post } = SET_A
  assert.equal(
    isSignatureValid(
      SET_A.token,
      post.timestamp,
      post.nonce,
      post.encrypt,
      post.msg_signature.replace(/.$/, '0'),
    ),
    false,
  )
  assert.equal(isSignatureValid(SET_A.token, post.timestamp, post.nonce, post.encrypt, 'short'), false)
  assert.throws(
    () => decryptPayload({ ...SET_A, receiveId: 'wwsomeoneelse' }, post.encrypt),
    (e: unknown) => e instanceof CallbackCryptoError && e.code === 'bad_receive_id',
  )
  assert.throws(
    () => decryptPayload(SET_A, 'not base64!'),
    (e: unknown) => e instanceof CallbackCryptoError && e.code === 'bad_ciphertext',
  )
  assert.throws(
    () => decryptPayload(SET_A, Buffer.alloc(20).toString('base64')),
    (e: unknown) => e instanceof CallbackCryptoError && e.code === 'bad_ciphertext',
  )
})

test('bad PKCS#7 padding is detected', () => {
  const key = Buffer.from(`${SET_A.encodingAesKey}=`, 'base64')
  const plain = Buffer.alloc(64, 7) // last byte 7 but the 7 bytes before it are not all 7 → fine; make it invalid:
  plain[63] = 40 // a pad length over 32 is never valid
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  c.setAutoPadding(false)
  const forged = Buffer.concat([c.update(plain), c.final()]).toString('base64')
  assert.throws(
    () => decryptPayload(SET_A, forged),
    (e: unknown) => e instanceof CallbackCryptoError && e.code === 'bad_padding',
  )
})

test('encrypt then decrypt round-trips with our own corp', () => {
  const cfg = { token: 't', encodingAesKey: SET_A.encodingAesKey, receiveId: 'wwmine' }
  const xml = '<xml><Event>change_external_contact</Event><Content>中文 ✓</Content></xml>'
  assert.equal(decryptPayload(cfg, encryptPayload(cfg, xml)), xml)
})
