import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseStringPromise } from 'xml2js'
import { parseFlatXml } from '../src/wecom/flat-xml.ts'
import { eventXml } from './helpers/events.ts'

const viaXml2js = async (xml: string) =>
  (await parseStringPromise(xml, { explicitArray: false, trim: true })).xml

test('the flat fast path reads WeCom events exactly as xml2js does', async () => {
  const samples = [
    eventXml({
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: 'lina',
      ExternalUserID: 'wmABC',
      State: 'ch_12',
      WelcomeCode: 'CODE+/=',
    }),
    eventXml({
      Event: 'change_external_contact',
      ChangeType: 'del_external_contact',
      UserID: 'u',
      ExternalUserID: 'wm',
      Source: 'DELETE_BY_TRANSFER',
    }),
    eventXml({
      Event: 'change_external_tag',
      ChangeType: 'update',
      Id: 'et1',
      TagType: 'tag',
      Name: '  spaced 名字 ]] > ',
    }),
    '<xml>\n  <ToUserName><![CDATA[ww]]></ToUserName>\n  <CreateTime>1403610513</CreateTime>\n  <State></State>\n</xml>\n',
    '<xml><Content><![CDATA[a < b & c]]></Content><Empty><![CDATA[]]></Empty></xml>',
  ]
  for (const xml of samples) assert.deepEqual(parseFlatXml(xml), await viaXml2js(xml), xml)
})

test('anything outside the flat shape is left to xml2js', () => {
  for (const xml of [
    eventXml({ Event: 'change_external_chat', ChangeType: 'update', MemChangeList: ['wmA', 'wmB'] }),
    '<xml><A>x &amp; y</A></xml>',
    '<xml><A/></xml>',
    '<xml><A x="1">v</A></xml>',
    '<xml><!-- c --><A>v</A></xml>',
    '<xml><A>v</A><A>w</A></xml>',
    '<xml><A>v</B></xml>',
    '<root><A>v</A></root>',
    'not xml at all',
  ])
    assert.equal(parseFlatXml(xml), null, xml)
})
