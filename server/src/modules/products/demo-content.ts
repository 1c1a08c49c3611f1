// Demo content for the sidebar: a script library across the life path and a few products.
// Seeded once (only when both libraries are empty); used by the demo and the browser tests.
import type { App } from '../../app.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import { ProductEntity } from './product.entity.ts'
import { ScriptEntity } from '../scripts/script.entity.ts'
import type { LifeNode } from '@scrm/shared'

/** A small SVG tile as a data URL (the demo has no image host; real products use media/uploadimg URLs). */
function tile(color: string, label: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120">` +
    `<rect width="120" height="120" rx="14" fill="${color}"/>` +
    `<circle cx="60" cy="50" r="22" fill="#fff" fill-opacity=".55"/>` +
    `<text x="60" y="100" font-size="16" text-anchor="middle" fill="#fff" font-family="sans-serif">${label}</text></svg>`
  return `data:image/svg+xml,${svg.replace(/"/g, "'").replace(/[<>#]/g, encodeURIComponent)}`
}

export const DEMO_PRODUCTS = [
  {
    name: '修护精华液 30ml',
    description: '敏感肌友好 · 屏障修护',
    priceCents: 29900,
    color: '#6aa7d8',
    label: 'Serum',
    cycleDays: 45,
    tags: ['精华', '敏感肌'],
    mini: true,
  },
  {
    name: '氨基酸洁面乳 120g',
    description: '温和清洁不紧绷',
    priceCents: 8900,
    color: '#7cc6a4',
    label: 'Cleanser',
    cycleDays: 60,
    tags: ['洁面'],
    mini: false,
  },
  {
    name: '保湿面霜 50g',
    description: '干皮冬季必备',
    priceCents: 19900,
    color: '#e3a36f',
    label: 'Cream',
    cycleDays: 50,
    tags: ['面霜', '干皮'],
    mini: true,
  },
  {
    name: '防晒乳 SPF50 40ml',
    description: '通勤清爽型',
    priceCents: 15900,
    color: '#e07a8f',
    label: 'SPF50',
    cycleDays: 30,
    tags: ['防晒'],
    mini: false,
  },
]

const SCRIPTS: { title: string; content: string; node: LifeNode; segment?: string }[] = [
  {
    title: '新客欢迎',
    content: '您好呀～我是您的专属护肤顾问，之后有任何皮肤问题都可以随时找我，我会一对一帮您看～',
    node: 'takeover',
  },
  {
    title: '了解肤质',
    content: '为了给您更合适的建议，方便说下您平时是偏干、偏油还是容易泛红敏感呢？',
    node: 'takeover',
  },
  {
    title: '敏感肌关怀',
    content: '换季的时候敏感肌容易泛红，这几天建议先停用去角质和高浓度酸类，洁面选温和的氨基酸款哦。',
    node: 'interaction',
    segment: '敏感肌',
  },
  {
    title: '干皮保湿小贴士',
    content: '干皮冬天记得「水+油」一起补：爽肤水后趁湿涂面霜，锁水效果会好很多～',
    node: 'interaction',
    segment: '干皮',
  },
  {
    title: '成分讲解',
    content: '这款精华的核心成分是 5% 积雪草提取物 + 神经酰胺，主要是修护屏障、舒缓泛红，不刺激。',
    node: 'conversion',
  },
  {
    title: '限时活动',
    content: '本周会员日精华第二件半价，活动到周日 24 点，需要的话我先帮您留一份～',
    node: 'conversion',
    segment: '普通会员',
  },
  {
    title: '金卡专属',
    content: '您是我们的金卡会员，这次新品可以优先体验，不参与打折但会多送一份旅行装，您看需要吗？',
    node: 'conversion',
    segment: '金卡',
  },
  {
    title: '用完提醒',
    content: '算下来您的精华差不多快用完啦，最近皮肤状态怎么样？需要的话我帮您安排补货～',
    node: 'repurchase',
  },
  {
    title: '老客回访',
    content: '好久没联系啦，最近皮肤还好吗？我们上了几款新品，也给老客户准备了回购礼，想了解可以跟我说～',
    node: 'repurchase',
  },
]

export async function seedDemoContent(app: App): Promise<void> {
  const db = app.db
  if (
    (await db.getRepository(ScriptEntity).count()) > 0 ||
    (await db.getRepository(ProductEntity).count()) > 0
  )
    return
  const tags = await db.getRepository(TagEntity).find()
  const tagId = (name?: string) => (name ? (tags.find((t) => t.name === name)?.tagId ?? null) : null)
  const general = await app.scripts.saveLibrary({ name: '生命周期话术', order: 0 })
  const segment = await app.scripts.saveLibrary({ name: '分层专属话术', order: 1 })
  for (const s of SCRIPTS) {
    const segmentTagId = tagId(s.segment)
    await app.scripts.save({
      libraryId: segmentTagId ? segment.id : general.id,
      title: s.title,
      content: s.content,
      node: s.node,
      segmentTagId,
    })
  }
  for (const p of DEMO_PRODUCTS) {
    await app.products.save({
      name: p.name,
      description: p.description,
      priceCents: p.priceCents,
      imageUrl: tile(p.color, p.label),
      link: `https://shop.example.com/products/${encodeURIComponent(p.label.toLowerCase())}`,
      miniAppId: p.mini ? 'wx6f1d3a8e2b9c0d47' : null,
      miniPage: p.mini ? `pages/product/detail?sku=${p.label.toLowerCase()}` : null,
      sku: `DEMO-${p.label.toUpperCase()}`,
      cycleDays: p.cycleDays,
      tags: p.tags,
    })
  }
}
