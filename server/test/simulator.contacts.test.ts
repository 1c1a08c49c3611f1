import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DEMO_IDS, simulatorClient, startSimulator, type RunningSimulator } from '../src/simulator/index.ts'

describe('simulator: customers, tags and contact ways', () => {
  let sim: RunningSimulator
  let api: Awaited<ReturnType<typeof simulatorClient>>

  before(async () => {
    sim = await startSimulator()
    api = await simulatorClient(sim)
  })
  after(() => sim.close())

  test('batch/get_by_user pages with cursor and limit, covering every customer exactly once', async () => {
    const expected = sim.corp.customersOf('lina').length + sim.corp.customersOf('wangfang').length
    assert.ok(expected > 10)
    const seen: string[] = []
    let cursor = ''
    let pages = 0
    do {
      const res = await api.post('/cgi-bin/externalcontact/batch/get_by_user', {
        userid_list: ['lina', 'wangfang'],
        cursor,
        limit: 4,
      })
      assert.equal(res.errcode, 0)
      assert.ok(res.external_contact_list.length <= 4)
      for (const row of res.external_contact_list) {
        assert.match(row.external_contact.external_userid, /^wm/)
        assert.ok(['lina', 'wangfang'].includes(row.follow_info.userid))
        assert.ok(Array.isArray(row.follow_info.tag_id))
        seen.push(`${row.follow_info.userid}:${row.external_contact.external_userid}`)
      }
      cursor = res.next_cursor
      pages++
    } while (cursor)
    assert.equal(seen.length, expected)
    assert.equal(new Set(seen).size, expected)
    assert.equal(pages, Math.ceil(expected / 4))
    const tooMany = await api.post('/cgi-bin/externalcontact/batch/get_by_user', {
      userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`),
    })
    assert.equal(tooMany.errcode, 40058)
    const badCursor = await api.post('/cgi-bin/externalcontact/batch/get_by_user', {
      userid_list: ['lina'],
      cursor: '!!',
    })
    assert.equal(badCursor.errcode, 50100)
  })

  test('get returns follow_user with tags spelled out; mark_tag and remark change it', async () => {
    const id = (await api.get('/cgi-bin/externalcontact/list', { userid: 'zhangwei' })).external_userid[0]
    const tagGroups = (await api.post('/cgi-bin/externalcontact/get_corp_tag_list', {})).tag_group
    assert.deepEqual(
      tagGroups.map((g: { group_name: string }) => g.group_name),
      ['渠道', '肤质', '会员等级'],
    )
    const vip = tagGroups[2].tag[3]
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/mark_tag', {
          userid: 'zhangwei',
          external_userid: id,
          add_tag: [vip.id],
        })
      ).errcode,
      0,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/mark_tag', {
          userid: 'zhangwei',
          external_userid: id,
          add_tag: ['etbogus'],
        })
      ).errcode,
      40068,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/remark', {
          userid: 'zhangwei',
          external_userid: id,
          remark: '老客户',
          remark_mobiles: ['13900000000'],
        })
      ).errcode,
      0,
    )
    const detail = await api.get('/cgi-bin/externalcontact/get', { external_userid: id })
    const follow = detail.follow_user.find((f: { userid: string }) => f.userid === 'zhangwei')
    assert.equal(follow.remark, '老客户')
    assert.deepEqual(follow.remark_mobiles, ['13900000000'])
    assert.ok(
      follow.tags.some(
        (t: { tag_id: string; group_name: string; tag_name: string; type: number }) =>
          t.tag_id === vip.id && t.group_name === '会员等级' && t.tag_name === '黑金' && t.type === 1,
      ),
    )
    assert.equal(
      (await api.get('/cgi-bin/externalcontact/get', { external_userid: 'wmnobody' })).errcode,
      40096,
    )
  })

  test('add/edit/del corp tags', async () => {
    const added = await api.post('/cgi-bin/externalcontact/add_corp_tag', {
      group_name: '购买意向',
      tag: [{ name: '高' }, { name: '低' }],
    })
    assert.equal(added.errcode, 0)
    assert.match(added.tag_group.group_id, /^et/)
    assert.equal(added.tag_group.tag.length, 2)
    const dup = await api.post('/cgi-bin/externalcontact/add_corp_tag', {
      group_id: added.tag_group.group_id,
      tag: [{ name: '高' }],
    })
    assert.equal(dup.errcode, 40071)
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/edit_corp_tag', {
          id: added.tag_group.tag[0].id,
          name: '很高',
        })
      ).errcode,
      0,
    )
    const only = await api.post('/cgi-bin/externalcontact/get_corp_tag_list', {
      tag_id: [added.tag_group.tag[0].id],
    })
    assert.equal(only.tag_group[0].tag[0].name, '很高')
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/del_corp_tag', { group_id: [added.tag_group.group_id] }))
        .errcode,
      0,
    )
    const after = await api.post('/cgi-bin/externalcontact/get_corp_tag_list', {
      group_id: [added.tag_group.group_id],
    })
    assert.deepEqual(after.tag_group, [])
  })

  test('contact way CRUD with WeCom limits and a real PNG qr_code', async () => {
    const state31 = 'x'.repeat(31)
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/add_contact_way', {
          type: 1,
          scene: 2,
          user: ['lina'],
          state: state31,
        })
      ).errcode,
      40058,
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/add_contact_way', { scene: 2, user: ['lina'] })).errcode,
      41037,
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/add_contact_way', { type: 3, scene: 2, user: ['lina'] }))
        .errcode,
      41039,
    )
    const manyUsers = Array.from({ length: 101 }, () => 'lina')
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/add_contact_way', { type: 2, scene: 2, user: manyUsers }))
        .errcode,
      41041,
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['ghost'] }))
        .errcode,
      40003,
    )

    const created = await api.post('/cgi-bin/externalcontact/add_contact_way', {
      type: 2,
      scene: 2,
      user: ['lina', 'wangfang'],
      state: '直播间_618',
      remark: '618 直播',
      skip_verify: false,
    })
    assert.equal(created.errcode, 0)
    assert.match(created.config_id, /^[0-9a-f]{32}$/)
    const png = await api.http.get(created.qr_code, { responseType: 'arraybuffer' })
    assert.equal(png.status, 200)
    assert.equal(png.headers['content-type'], 'image/png')
    assert.deepEqual([...Buffer.from(png.data).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])

    const got = (await api.post('/cgi-bin/externalcontact/get_contact_way', { config_id: created.config_id }))
      .contact_way
    assert.deepEqual(
      [got.type, got.scene, got.state, got.skip_verify, got.user],
      [2, 2, '直播间_618', false, ['lina', 'wangfang']],
    )
    assert.equal(got.qr_code, created.qr_code)

    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/update_contact_way', {
          config_id: created.config_id,
          user: ['liuyang'],
        })
      ).errcode,
      0,
    )
    const updated = (
      await api.post('/cgi-bin/externalcontact/get_contact_way', { config_id: created.config_id })
    ).contact_way
    assert.deepEqual(updated.user, ['liuyang'])
    assert.equal(updated.state, '直播间_618', 'fields left out of update_contact_way keep their value')

    const listed = await api.post('/cgi-bin/externalcontact/list_contact_way', { limit: 2 })
    assert.equal(listed.contact_way.length, 2)
    assert.ok(listed.next_cursor)
    const rest = await api.post('/cgi-bin/externalcontact/list_contact_way', {
      limit: 100,
      cursor: listed.next_cursor,
    })
    const all = [...listed.contact_way, ...rest.contact_way].map((w: { config_id: string }) => w.config_id)
    assert.ok(all.includes(created.config_id) && all.includes(DEMO_IDS.storeContactWay))

    assert.equal(
      (await api.post('/cgi-bin/externalcontact/del_contact_way', { config_id: created.config_id })).errcode,
      0,
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/get_contact_way', { config_id: created.config_id })).errcode,
      41044,
    )
  })

  test('a scan through the driver adds the customer with the way state, visible through the API', async () => {
    const r = await sim.driver.customerScansContactWay({
      configId: DEMO_IDS.liveContactWay,
      customer: { name: '测试客户' },
    })
    assert.equal(r.state, 'demo_live')
    assert.ok(r.delivery.skipped, 'no callback target configured')
    const detail = await api.get('/cgi-bin/externalcontact/get', { external_userid: r.externalUserid })
    assert.equal(detail.external_contact.name, '测试客户')
    assert.equal(detail.follow_user[0].state, 'demo_live')
    assert.equal(detail.follow_user[0].userid, r.userid)
  })

  test('OAuth authorize redirects with code and state; getuserinfo is single use', async () => {
    const res = await api.http.get('/connect/oauth2/authorize', {
      params: {
        appid: sim.corp.corpId,
        redirect_uri: 'http://sidebar.test/entry?x=1',
        response_type: 'code',
        scope: 'snsapi_base',
        agentid: 1000002,
        state: 'abc',
        userid: 'wangfang',
      },
      maxRedirects: 0,
    })
    assert.equal(res.status, 302)
    const location = new URL(res.headers.location)
    assert.equal(location.searchParams.get('state'), 'abc')
    assert.equal(location.searchParams.get('x'), '1')
    const code = location.searchParams.get('code')!
    const who = await api.get('/cgi-bin/auth/getuserinfo', { code })
    assert.deepEqual([who.errcode, who.userid], [0, 'wangfang'])
    assert.equal((await api.get('/cgi-bin/auth/getuserinfo', { code })).errcode, 40029)
    const picker = await api.http.get('/connect/oauth2/authorize', {
      params: {
        appid: sim.corp.corpId,
        redirect_uri: 'http://sidebar.test/',
        response_type: 'code',
        scope: 'snsapi_base',
        state: 's',
      },
    })
    assert.match(picker.data, /李娜/)
  })

  test('media upload (multipart) feeds welcome attachments; tickets are cached', async () => {
    const form = new FormData()
    form.append(
      'media',
      new Blob([Buffer.from('89504e470d0a1a0a0000', 'hex')], { type: 'image/png' }),
      'a.png',
    )
    const up = (
      await api.http.post('/cgi-bin/media/upload', form, {
        params: { access_token: api.accessToken, type: 'image' },
      })
    ).data
    assert.equal(up.errcode, 0)
    assert.equal(up.type, 'image')
    assert.equal(typeof up.created_at, 'string')
    const bad = (
      await api.http.post('/cgi-bin/media/upload', form, {
        params: { access_token: api.accessToken, type: 'gif' },
      })
    ).data
    assert.equal(bad.errcode, 40005)
    const t1 = await api.get('/cgi-bin/get_jsapi_ticket')
    const t2 = await api.get('/cgi-bin/get_jsapi_ticket')
    assert.equal(t1.ticket, t2.ticket)
    assert.equal(t1.expires_in, 7200)
    const agent = await api.get('/cgi-bin/ticket/get', { type: 'agent_config' })
    assert.equal(agent.errcode, 0)
    assert.notEqual(agent.ticket, t1.ticket)
    const msg = await api.post('/cgi-bin/message/send', {
      touser: 'lina|ghost',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: '客户王女士的精华快用完了' },
    })
    assert.equal(msg.errcode, 0)
    assert.equal(msg.invaliduser, 'ghost')
    assert.equal(sim.corp.data.appMessages.at(-1)?.touser[0], 'lina')
  })
})
