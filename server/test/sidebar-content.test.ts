// The sidebar's customer/group views, the script library and the product library, against the
// simulated corp over real HTTP, on SQLite and MariaDB.
import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { deriveNode } from '../src/modules/sidebar/customer-stage.ts'
import { fitOf, MEDIA_TTL_MS } from '../src/modules/scripts/script.service.ts'
import { ScriptEntity } from '../src/modules/scripts/script.entity.ts'
import { FollowTagEntity } from '../src/modules/directory/follow.entity.ts'
import { CustomerFollowEntity } from '../src/modules/directory/follow.entity.ts'
import { ProductSendEntity } from '../src/modules/products/product.entity.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'

// Files of image scripts go to a throwaway folder, not ./data.
process.env.MEDIA_DIR ??= join(tmpdir(), `scrm-test-media-${process.pid}`)

test('life-path node: new → take-over, untagged → interaction, 30+ days → repurchase', () => {
  const now = Date.parse('2026-11-23T00:00:00Z')
  const daysAgo = (d: number) => new Date(now - d * 86_400_000)
  assert.equal(deriveNode(daysAgo(1), 3, now), 'takeover')
  assert.equal(deriveNode(daysAgo(10), 0, now), 'interaction')
  assert.equal(deriveNode(daysAgo(10), 2, now), 'conversion')
  assert.equal(deriveNode(daysAgo(40), 2, now), 'repurchase')
  const stage = { node: 'conversion' as const, segmentTagIds: ['t1'] }
  assert.equal(fitOf({ node: 'conversion', segmentTagId: 't1' }, stage), 'node_segment')
  assert.equal(fitOf({ node: 'conversion', segmentTagId: null }, stage), 'node')
  assert.equal(fitOf({ node: 'conversion', segmentTagId: 't2' }, stage), 'other')
  assert.equal(fitOf({ node: 'takeover', segmentTagId: 't1' }, stage), 'segment')
  assert.equal(fitOf({ node: 'takeover', segmentTagId: null }, null), 'other')
})

for (const kind of DATABASE_KINDS) {
  describe(`sidebar customer view, scripts and products [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    let lina: string
    let wangfang: string
    let admin: string
    let linaCustomer: string
    let othersCustomer: string
    let linaGroup: string
    let othersGroup: string

    const api = jsonApi(() => base)

    before(async () => {
      s = await startWithSimulator(kind, { sync: true })
      base = s.base
      lina = await advisorCookie(base, 'lina')
      wangfang = await advisorCookie(base, 'wangfang')
      admin = await adminCookie(s.t.app)
      const customers = [...s.sim.corp.data.customers.values()]
      const onlyFollowedBy = (u: string) =>
        customers.find((c) => c.follows.length === 1 && c.follows[0].userid === u)!.external_userid
      linaCustomer = onlyFollowedBy('lina')
      othersCustomer = onlyFollowedBy('wangfang')
      const groups = [...s.sim.corp.data.groups.values()]
      linaGroup = groups.find((g) => g.owner === 'lina')!.chat_id
      // zhangwei's group: lina is neither owner nor admin there (wangfang's group has lina? no: admins are the next colleague).
      othersGroup = groups.find((g) => g.owner === 'zhangwei')!.chat_id
    })
    after(() => s.close())

    test('customer view: profile with tags by group, groups, and 403 for someone else’s customer', async () => {
      const res = await api(`/api/sidebar/customers/${linaCustomer}`, lina)
      assert.equal(res.status, 200)
      const p = res.body
      const sim = s.sim.corp.data.customers.get(linaCustomer)!
      assert.equal(p.name, sim.name)
      assert.equal(p.remark, sim.follows[0].remark)
      assert.equal(new Date(p.addTime).getTime(), sim.follows[0].createtime * 1000)
      assert.equal(p.state, sim.follows[0].state)
      const tagIds = p.tagGroups
        .flatMap((g: { tags: { tagId: string }[] }) => g.tags.map((t) => t.tagId))
        .sort()
      assert.deepEqual(tagIds, [...sim.follows[0].tag_ids].sort())
      assert.ok(p.tagGroups.every((g: { name: string }) => ['渠道', '肤质', '会员等级'].includes(g.name)))
      const inGroups = [...s.sim.corp.data.groups.values()]
        .filter((g) => g.member_list.some((m) => m.userid === linaCustomer))
        .map((g) => g.chat_id)
        .sort()
      assert.deepEqual(p.groups.map((g: { chatId: string }) => g.chatId).sort(), inGroups)
      assert.ok(['takeover', 'interaction', 'conversion', 'repurchase'].includes(p.stage.node))

      const other = await api(`/api/sidebar/customers/${othersCustomer}`, lina)
      assert.equal(other.status, 403)
      assert.equal(other.body.code, 'not_your_customer')
      for (const [method, path, body] of [
        ['POST', `/api/sidebar/customers/${othersCustomer}/tags`, { tagId: 'x' }],
        ['DELETE', `/api/sidebar/customers/${othersCustomer}/tags/x`, undefined],
        ['GET', `/api/sidebar/customers/${othersCustomer}/notes`, undefined],
        ['POST', `/api/sidebar/customers/${othersCustomer}/notes`, { content: 'hi' }],
        ['GET', `/api/sidebar/scripts?externalUserId=${othersCustomer}`, undefined],
        ['GET', `/api/sidebar/customers/${othersCustomer}/product-sends`, undefined],
      ] as const) {
        const r = await api(path, lina, { method, body })
        assert.equal(r.status, 403, `${method} ${path}`)
      }
      assert.equal((await api(`/api/sidebar/customers/${linaCustomer}`, '')).status, 401)
      assert.equal((await api(`/api/sidebar/customers/${othersCustomer}`, wangfang)).status, 200)
    })

    test('adding and removing a tag calls mark_tag with the right ids and updates the mirror', async () => {
      const sim = s.sim.corp.data.customers.get(linaCustomer)!
      const all = (await api('/api/sidebar/tag-groups', lina)).body.items as {
        name: string
        tags: { tagId: string; name: string }[]
      }[]
      const skin = all.find((g) => g.name === '肤质')!
      const newTag = skin.tags.find((t) => !sim.follows[0].tag_ids.includes(t.tagId))!
      const before = s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag' }).length
      const add = await api(`/api/sidebar/customers/${linaCustomer}/tags`, lina, {
        method: 'POST',
        body: { tagId: newTag.tagId },
      })
      assert.equal(add.status, 200)
      const calls = s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag' })
      assert.equal(calls.length, before + 1)
      assert.deepEqual(calls.at(-1)!.body, {
        userid: 'lina',
        external_userid: linaCustomer,
        add_tag: [newTag.tagId],
      })
      assert.equal(calls.at(-1)!.errcode, 0)
      assert.ok(s.sim.corp.data.customers.get(linaCustomer)!.follows[0].tag_ids.includes(newTag.tagId))
      const mirror = await s.t.app.db
        .getRepository(FollowTagEntity)
        .findOneBy({ userId: 'lina', externalUserId: linaCustomer, tagId: newTag.tagId })
      assert.ok(mirror, 'mirror has the new tag')
      assert.ok(
        add.body.tagGroups.some((g: { tags: { tagId: string }[] }) =>
          g.tags.some((t) => t.tagId === newTag.tagId),
        ),
      )

      const del = await api(`/api/sidebar/customers/${linaCustomer}/tags/${newTag.tagId}`, lina, {
        method: 'DELETE',
      })
      assert.equal(del.status, 200)
      assert.deepEqual(s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag' }).at(-1)!.body, {
        userid: 'lina',
        external_userid: linaCustomer,
        remove_tag: [newTag.tagId],
      })
      assert.equal(
        await s.t.app.db
          .getRepository(FollowTagEntity)
          .countBy({ userId: 'lina', externalUserId: linaCustomer, tagId: newTag.tagId }),
        0,
      )
      const unknown = await api(`/api/sidebar/customers/${linaCustomer}/tags`, lina, {
        method: 'POST',
        body: { tagId: 'etNoSuchTag' },
      })
      assert.equal(unknown.status, 400)
      assert.equal(unknown.body.code, 'unknown_tag')
    })

    test('notes and follow-up records are kept per advisor', async () => {
      const add = await api(`/api/sidebar/customers/${linaCustomer}/notes`, lina, {
        method: 'POST',
        body: { content: '  想要敏感肌试用装 ', kind: 'follow_up' },
      })
      assert.equal(add.status, 201)
      assert.equal(add.body.content, '想要敏感肌试用装')
      const list = await api(`/api/sidebar/customers/${linaCustomer}/notes`, lina)
      assert.deepEqual(
        list.body.items.map((n: { kind: string; content: string }) => [n.kind, n.content]),
        [['follow_up', '想要敏感肌试用装']],
      )
      const empty = await api(`/api/sidebar/customers/${linaCustomer}/notes`, lina, {
        method: 'POST',
        body: { content: '' },
      })
      assert.equal(empty.status, 400)
      const profile = await api(`/api/sidebar/customers/${linaCustomer}`, lina)
      assert.equal(profile.body.notes[0].content, '想要敏感肌试用装')
    })

    test('group view: owner sees customers with tags and member count vs 200; others get 403', async () => {
      const res = await api(`/api/sidebar/groups/${linaGroup}`, lina)
      assert.equal(res.status, 200)
      const g = res.body
      const sim = s.sim.corp.data.groups.get(linaGroup)!
      assert.equal(g.name, sim.name)
      assert.equal(g.role, 'owner')
      assert.equal(g.ownerName, '李娜')
      assert.equal(g.memberCount, sim.member_list.length)
      assert.equal(g.memberCap, 200)
      const externals = sim.member_list
        .filter((m) => m.type === 2)
        .map((m) => m.userid)
        .sort()
      assert.deepEqual(g.customers.map((c: { externalUserId: string }) => c.externalUserId).sort(), externals)
      assert.ok(g.customers.some((c: { tags: unknown[] }) => c.tags.length > 0))
      // The colleague made admin in the seed may open it too.
      const adminUser = sim.admin_list[0].userid
      const asAdmin = await api(`/api/sidebar/groups/${linaGroup}`, await advisorCookie(base, adminUser))
      assert.equal(asAdmin.status, 200)
      assert.equal(asAdmin.body.role, 'admin')
      const denied = await api(`/api/sidebar/groups/${othersGroup}`, lina)
      assert.equal(denied.status, 403)
      assert.equal(denied.body.code, 'not_your_group')
    })

    test('scripts: admin CRUD and import; the sidebar ranks this customer’s node and segment first', async () => {
      const lib = await api('/api/admin/script-libraries', admin, {
        method: 'POST',
        body: { name: '通用话术' },
      })
      assert.equal(lib.status, 201)
      const stage = (await api(`/api/sidebar/customers/${linaCustomer}`, lina)).body.stage as {
        node: string
        segmentTagIds: string[]
      }
      const otherNode = ['takeover', 'interaction', 'conversion', 'repurchase'].find((n) => n !== stage.node)!
      const imported = await api('/api/admin/scripts/import', admin, {
        method: 'POST',
        body: {
          libraryId: lib.body.id,
          items: [
            { title: '别的阶段', content: '别的阶段的话术', node: otherNode },
            { title: '本阶段通用', content: '本阶段通用话术', node: stage.node },
            {
              title: '本阶段本分层',
              content: '本阶段且本分层',
              node: stage.node,
              segmentTagId: stage.segmentTagIds[0],
            },
          ],
        },
      })
      assert.equal(imported.status, 201)
      assert.equal(imported.body.imported, 3)
      const created = await api('/api/admin/scripts', admin, {
        method: 'POST',
        body: { libraryId: lib.body.id, title: '复购提醒', content: '您的精华快用完了吧？', node: otherNode },
      })
      assert.equal(created.status, 201)
      const bad = await api('/api/admin/scripts', admin, {
        method: 'POST',
        body: { libraryId: lib.body.id, title: 'x', content: 'x', node: 'takeover', segmentTagId: 'nope' },
      })
      assert.equal(bad.status, 400)

      const ranked = await api(`/api/sidebar/scripts?externalUserId=${linaCustomer}`, lina)
      assert.equal(ranked.status, 200)
      assert.deepEqual(
        ranked.body.items.slice(0, 2).map((x: { title: string; fit: string }) => [x.title, x.fit]),
        [
          ['本阶段本分层', 'node_segment'],
          ['本阶段通用', 'node'],
        ],
      )
      const search = await api(`/api/sidebar/scripts?q=${encodeURIComponent('精华')}`, lina)
      assert.deepEqual(
        search.body.items.map((x: { title: string }) => x.title),
        ['复购提醒'],
      )

      // Usage: one tap returns the text to send and counts the use; "most used" follows the counts.
      const target = { externalUserId: linaCustomer }
      for (let i = 0; i < 2; i++) {
        const use = await api(`/api/sidebar/scripts/${created.body.id}/use`, lina, {
          method: 'POST',
          body: target,
        })
        assert.equal(use.status, 200)
        assert.deepEqual(use.body.message, { msgtype: 'text', text: { content: '您的精华快用完了吧？' } })
      }
      const mostUsed = await api(`/api/sidebar/scripts?externalUserId=${linaCustomer}&sort=most_used`, lina)
      assert.equal(mostUsed.body.items[0].title, '复购提醒')
      assert.equal(mostUsed.body.items[0].useCount, 2)
      const forbidden = await api(`/api/sidebar/scripts/${created.body.id}/use`, lina, {
        method: 'POST',
        body: { externalUserId: othersCustomer },
      })
      assert.equal(forbidden.status, 403)
      assert.equal(
        (
          await api(`/api/sidebar/scripts/${created.body.id}/use`, lina, {
            method: 'POST',
            body: { chatId: linaGroup },
          })
        ).status,
        200,
      )
      const row = await s.t.app.db.getRepository(ScriptEntity).findOneByOrFail({ id: created.body.id })
      assert.equal(row.useCount, 3)
      const del = await api(`/api/admin/scripts/${created.body.id}`, admin, { method: 'DELETE' })
      assert.equal(del.status, 204)
      assert.equal(
        (await api(`/api/admin/scripts/${created.body.id}`, admin, { method: 'DELETE' })).status,
        404,
      )
    })

    test('image scripts upload with media/upload, and the media id is refreshed before the 3-day expiry', async () => {
      const lib = await api('/api/admin/script-libraries', admin, {
        method: 'POST',
        body: { name: '图片素材' },
      })
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')
      const uploadsBefore = s.sim.corp.calls.list({ path: '/cgi-bin/media/upload' }).length
      const created = await api('/api/admin/scripts', admin, {
        method: 'POST',
        body: {
          libraryId: lib.body.id,
          title: '成分图',
          kind: 'image',
          content: '精华成分表',
          node: 'interaction',
          media: { name: 'ingredients.png', base64: png.toString('base64') },
        },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      const uploads = s.sim.corp.calls.list({ path: '/cgi-bin/media/upload' })
      assert.equal(uploads.length, uploadsBefore + 1)
      assert.equal(uploads.at(-1)!.query.type, 'image')
      const row = await s.t.app.db.getRepository(ScriptEntity).findOneByOrFail({ id: created.body.id })
      assert.ok(row.mediaId && s.sim.corp.data.media.has(row.mediaId))
      const use = await api(`/api/sidebar/scripts/${row.id}/use`, lina, {
        method: 'POST',
        body: { externalUserId: linaCustomer },
      })
      assert.deepEqual(use.body.message, { msgtype: 'image', image: { mediaid: row.mediaId } })
      // Pretend the id is 2.8 days old: the next use uploads the stored file again.
      await s.t.app.db
        .getRepository(ScriptEntity)
        .update({ id: row.id }, { mediaCreatedAt: new Date(Date.now() - MEDIA_TTL_MS + 4 * 3_600_000) })
      const again = await api(`/api/sidebar/scripts/${row.id}/use`, lina, {
        method: 'POST',
        body: { externalUserId: linaCustomer },
      })
      assert.notEqual(again.body.message.image.mediaid, row.mediaId)
      assert.equal(s.sim.corp.calls.list({ path: '/cgi-bin/media/upload' }).length, uploadsBefore + 2)
      const fresh = await s.t.app.db.getRepository(ScriptEntity).findOneByOrFail({ id: row.id })
      assert.equal(fresh.mediaId, again.body.message.image.mediaid)
      assert.ok(Date.now() - fresh.mediaCreatedAt!.getTime() < 3_600_000)
      // The hourly job does the same for every script about to expire, without waiting for a use.
      await s.t.app.db
        .getRepository(ScriptEntity)
        .update({ id: row.id }, { mediaCreatedAt: new Date(Date.now() - MEDIA_TTL_MS + 3_600_000) })
      assert.equal(await s.t.app.scheduler.runNow('script-media-refresh'), true)
      const refreshed = await s.t.app.db.getRepository(ScriptEntity).findOneByOrFail({ id: row.id })
      assert.notEqual(refreshed.mediaId, fresh.mediaId)
      assert.equal(s.sim.corp.calls.list({ path: '/cgi-bin/media/upload' }).length, uploadsBefore + 3)
    })

    test('products: admin CRUD; one tap builds a news or mini-program card and records the send', async () => {
      const created = await api('/api/admin/products', admin, {
        method: 'POST',
        body: {
          name: '修护精华 30ml',
          description: '敏感肌适用',
          priceCents: 29900,
          imageUrl: 'https://img.example.com/serum.png',
          link: 'https://shop.example.com/p/serum',
          miniAppId: 'wx1234567890abcdef',
          miniPage: 'pages/product/index?id=7',
          cycleDays: 45,
          tags: ['精华', '敏感肌'],
        },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      assert.equal(created.body.miniPage, 'pages/product/index.html?id=7')
      const id = created.body.id
      const news = await api(`/api/sidebar/products/${id}/send`, lina, {
        method: 'POST',
        body: { externalUserId: linaCustomer, msgtype: 'news' },
      })
      assert.equal(news.status, 200)
      assert.deepEqual(news.body.message, {
        msgtype: 'news',
        news: {
          link: 'https://shop.example.com/p/serum',
          title: '修护精华 30ml',
          desc: '¥299 · 敏感肌适用',
          imgUrl: 'https://img.example.com/serum.png',
        },
      })
      const mp = await api(`/api/sidebar/products/${id}/send`, lina, {
        method: 'POST',
        body: { externalUserId: linaCustomer, msgtype: 'miniprogram' },
      })
      assert.deepEqual(mp.body.message.miniprogram, {
        appid: 'wx1234567890abcdef',
        title: '修护精华 30ml',
        imgUrl: 'https://img.example.com/serum.png',
        page: 'pages/product/index.html?id=7',
      })
      const sends = await s.t.app.db.getRepository(ProductSendEntity).findBy({ productId: id })
      assert.deepEqual(
        sends.map((x) => [x.userId, x.externalUserId, x.msgtype]),
        [
          ['lina', linaCustomer, 'news'],
          ['lina', linaCustomer, 'miniprogram'],
        ],
      )
      const history = await api(`/api/sidebar/customers/${linaCustomer}/product-sends`, lina)
      assert.deepEqual(
        history.body.items.map((x: { productName: string }) => x.productName),
        ['修护精华 30ml', '修护精华 30ml'],
      )
      const denied = await api(`/api/sidebar/products/${id}/send`, lina, {
        method: 'POST',
        body: { externalUserId: othersCustomer, msgtype: 'news' },
      })
      assert.equal(denied.status, 403)
      assert.equal(await s.t.app.db.getRepository(ProductSendEntity).countBy({ productId: id }), 2)
      const list = await api('/api/admin/products', admin)
      assert.equal(list.body.items.find((p: { id: number }) => p.id === id).sendCount, 2)
      const noMp = await api('/api/admin/products', admin, {
        method: 'POST',
        body: { name: '洁面', priceCents: 9900, imageUrl: '', link: 'https://shop.example.com/p/c' },
      })
      const noMpSend = await api(`/api/sidebar/products/${noMp.body.id}/send`, lina, {
        method: 'POST',
        body: { chatId: linaGroup, msgtype: 'miniprogram' },
      })
      assert.equal(noMpSend.status, 400)
      assert.equal(noMpSend.body.code, 'no_miniprogram')
      assert.equal((await api('/api/admin/products', lina)).status, 401)
      // Product images go to WeCom with media/uploadimg, which answers a permanent URL.
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')
      const img = await api('/api/admin/products/image', admin, {
        method: 'POST',
        body: { name: 'serum.png', base64: png.toString('base64') },
      })
      assert.equal(img.status, 201)
      assert.equal(s.sim.corp.calls.list({ path: '/cgi-bin/media/uploadimg' }).length, 1)
      const served = await fetch(img.body.url)
      assert.equal(served.status, 200)
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), png)
    })

    test('a removed follow closes the customer view', async () => {
      await s.t.app.db
        .getRepository(CustomerFollowEntity)
        .update({ userId: 'wangfang', externalUserId: othersCustomer }, { status: 'removed_by_customer' })
      assert.equal((await api(`/api/sidebar/customers/${othersCustomer}`, wangfang)).status, 403)
    })
  })
}
