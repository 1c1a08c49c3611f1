import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  simulatorClient,
  startCallbackReceiver,
  startSimulator,
  type CallbackReceiver,
  type RunningSimulator,
} from '../src/simulator/index.ts'

describe('simulator: customer groups and join ways', () => {
  let sim: RunningSimulator
  let api: Awaited<ReturnType<typeof simulatorClient>>
  let receiver: CallbackReceiver

  before(async () => {
    sim = await startSimulator({ seed: 'empty', corp: { corpId: 'wwgrouptest0000001' } })
    receiver = await startCallbackReceiver(sim.corp.corpId)
    sim.corp.callback = receiver.target
    sim.corp.addStaff({ userid: 'lina', name: '李娜' })
    sim.corp.addStaff({ userid: 'wangfang', name: '王芳' })
    api = await simulatorClient(sim)
  })
  after(async () => {
    await sim.close()
    await receiver.close()
  })

  test('join way: 200-member cap, auto-created groups named room_base_name+id, with create callbacks', async () => {
    const seedGroup = sim.corp.createGroup('lina', '福利群')
    for (let i = 0; i < 49; i++)
      sim.corp.joinGroup(seedGroup, sim.corp.addCustomer({ name: `老客${i}` }).external_userid, { scene: 1 })
    assert.equal(seedGroup.member_list.length, 50)

    const added = await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
      scene: 2,
      remark: '福利群活码',
      auto_create_room: 1,
      room_base_name: '福利群',
      room_base_id: 10,
      chat_id_list: [seedGroup.chat_id],
      state: 'wx_618',
    })
    assert.equal(added.errcode, 0)
    const configId = added.config_id

    const results = await sim.driver.burst(
      450,
      () => sim.driver.customerJoinsGroupViaJoinWay({ configId }),
      20,
    )
    assert.ok(results.every((r) => r.status === 'fulfilled'))

    const way = (await api.post('/cgi-bin/externalcontact/groupchat/get_join_way', { config_id: configId }))
      .join_way
    assert.equal(way.chat_id_list.length, 3)
    assert.equal(way.room_base_id, 12, 'two groups were created')
    assert.match(way.qr_code, /\/_qr\/join_way\//)

    const groups = []
    for (const chat_id of way.chat_id_list)
      groups.push(
        (await api.post('/cgi-bin/externalcontact/groupchat/get', { chat_id, need_name: 1 })).group_chat,
      )
    assert.deepEqual(
      groups.map((g) => g.name),
      ['福利群', '福利群10', '福利群11'],
    )
    assert.deepEqual(
      groups.map((g) => g.member_list.length),
      [200, 200, 102],
      '50 + 450 joiners + the owner in each new group',
    )
    assert.ok(groups.every((g) => g.owner === 'lina'))
    assert.ok(
      groups[1].member_list
        .filter((m: { type: number; join_scene: number }) => m.type === 2)
        .every((m: { join_scene: number }) => m.join_scene === 3),
    )

    const events = receiver.received.map((r) => r.xml)
    const creates = events.filter((x) => x.includes('<ChangeType><![CDATA[create]]>'))
    assert.equal(creates.length, 2)
    assert.ok(creates[0].includes(`<ChatId><![CDATA[${groups[1].chat_id}]]></ChatId>`))
    const adds = events.filter((x) => x.includes('<UpdateDetail><![CDATA[add_member]]>'))
    assert.equal(adds.length, 450)
    assert.ok(
      adds.every(
        (x) => x.includes('<JoinScene>3</JoinScene>') && x.includes('<MemChangeCnt>1</MemChangeCnt>'),
      ),
    )
  })

  test('without auto_create_room a full join way turns customers away', async () => {
    const g = sim.corp.createGroup('wangfang', '小群')
    sim.corp.options.groupCapacity = 3
    try {
      const { config_id } = await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
        scene: 2,
        auto_create_room: 0,
        chat_id_list: [g.chat_id],
      })
      const outcomes = []
      for (let i = 0; i < 4; i++)
        outcomes.push(await sim.driver.customerJoinsGroupViaJoinWay({ configId: config_id }))
      assert.deepEqual(
        outcomes.map((o) => o.joined),
        [true, true, false, false],
      )
      assert.equal(g.member_list.length, 3)
    } finally {
      sim.corp.options.groupCapacity = 200
    }
  })

  test('join way validation and update_join_way overwriting every field', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => sim.corp.createGroup('lina', `群${i}`).chat_id)
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, chat_id_list: ids }))
        .errcode,
      40058,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
          scene: 2,
          chat_id_list: ['wrnope'],
        })
      ).errcode,
      40050,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
          scene: 2,
          chat_id_list: ids.slice(0, 1),
          state: 's'.repeat(31),
        })
      ).errcode,
      40058,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
          scene: 2,
          chat_id_list: ids.slice(0, 1),
          room_base_name: '名'.repeat(41),
        })
      ).errcode,
      40058,
    )
    const { config_id } = await api.post('/cgi-bin/externalcontact/groupchat/add_join_way', {
      scene: 2,
      chat_id_list: ids.slice(0, 2),
      state: 'old',
      remark: 'r',
      room_base_name: 'A',
      room_base_id: 5,
    })
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/groupchat/update_join_way', {
          config_id,
          scene: 2,
          chat_id_list: ids.slice(2, 3),
        })
      ).errcode,
      0,
    )
    const way = (await api.post('/cgi-bin/externalcontact/groupchat/get_join_way', { config_id })).join_way
    assert.deepEqual(
      [way.chat_id_list, way.state, way.remark, way.room_base_name, way.room_base_id],
      [ids.slice(2, 3), '', '', '', 0],
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/groupchat/del_join_way', { config_id })).errcode,
      0,
    )
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/groupchat/get_join_way', { config_id })).errcode,
      41044,
    )
  })

  test('groupchat/list pages and filters by owner; limit must be 1-1000', async () => {
    assert.equal((await api.post('/cgi-bin/externalcontact/groupchat/list', { limit: 0 })).errcode, 40058)
    assert.equal((await api.post('/cgi-bin/externalcontact/groupchat/list', { limit: 1001 })).errcode, 40058)
    const all: string[] = []
    let cursor = ''
    do {
      const res = await api.post('/cgi-bin/externalcontact/groupchat/list', { limit: 3, cursor })
      all.push(...res.group_chat_list.map((g: { chat_id: string }) => g.chat_id))
      cursor = res.next_cursor
    } while (cursor)
    assert.equal(all.length, [...sim.corp.data.groups.values()].filter((g) => !g.dismissed).length)
    const mine = await api.post('/cgi-bin/externalcontact/groupchat/list', {
      limit: 1000,
      owner_filter: { userid_list: ['wangfang'] },
    })
    assert.equal(mine.group_chat_list.length, 1)
  })

  test('leave, rename, owner change and dismiss send the matching change_external_chat events', async () => {
    const g = sim.corp.createGroup('lina', '测试群')
    const joined = await sim.driver.joinsGroup({ chatId: g.chat_id, scene: 'invite' })
    await sim.driver.joinsGroup({ chatId: g.chat_id, memberId: 'wangfang', scene: 'invite' })
    await sim.driver.leavesGroup({ chatId: g.chat_id, memberId: joined.memberId, removed: true })
    await sim.driver.groupRenamed({ chatId: g.chat_id, name: '新名字' })
    await sim.driver.groupOwnerChanged({ chatId: g.chat_id, newOwner: 'wangfang' })
    await sim.driver.groupDismissed({ chatId: g.chat_id })
    const mine = receiver.received.map((r) => r.xml).filter((x) => x.includes(g.chat_id))
    const detail = (x: string) =>
      /<UpdateDetail><!\[CDATA\[(\w+)/.exec(x)?.[1] ?? /<ChangeType><!\[CDATA\[(\w+)/.exec(x)?.[1]
    assert.deepEqual(mine.map(detail), [
      'add_member',
      'add_member',
      'del_member',
      'change_name',
      'change_owner',
      'dismiss',
    ])
    assert.ok(mine[0].includes('<JoinScene>0</JoinScene>'))
    assert.ok(mine[2].includes('<QuitScene>1</QuitScene>'))
    assert.ok(mine[2].includes(`<MemChangeList><Item><![CDATA[${joined.memberId}]]></Item></MemChangeList>`))
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/groupchat/get', { chat_id: g.chat_id })).errcode,
      40050,
    )
  })
})
