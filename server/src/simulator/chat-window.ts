// The simulated chat window (GET <prefix>/chat): pick an advisor, then one of their customers or
// groups; the chat shows on the left and the product's real sidebar (/sidebar/) on the right, in an
// iframe. This page plays the WeCom client for it: it offers a WeixinJSBridge the framed sidebar adopts
// (same origin only, simulator mode only), answers getContext / getCurExternalContact /
// getCurExternalChat, and puts what the sidebar sends (sendChatMessage) into the chat's input box.
// 工作台 · 我的任务 opens the sidebar outside any chat (entry normal, like the link in a reminder app
// message); openEnterpriseChat from there switches to the 1v1 chat with that customer.
// It only works where the simulator is mounted inside the product (the demo), on the product's origin.
import type { FastifyInstance } from 'fastify'
import type { SimulatedCorp } from './corp.ts'

export function registerChatWindow(app: FastifyInstance, corp: SimulatedCorp): void {
  app.get('/chat', async (_req, reply) => {
    // The product's own origin, where /sidebar/ lives: the callback URL points at it.
    const productOrigin = corp.callback ? new URL(corp.callback.url).origin : ''
    return reply
      .type('text/html; charset=utf-8')
      .send(
        PAGE.replace('__PRODUCT_ORIGIN__', JSON.stringify(productOrigin)).replace(
          '__PREFIX__',
          JSON.stringify(app.prefix),
        ),
      )
  })
}

const PAGE = /* html */ `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>模拟聊天窗口 · 企业微信模拟器</title><link rel="icon" href="data:,">
<style>
:root{--g:#07c160;--line:#e3e5e8;--bg:#f4f5f7}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#dfe3e8;color:#222;height:100vh;display:flex;flex-direction:column}
header{background:#2e3238;color:#fff;padding:8px 16px;display:flex;gap:12px;align-items:center}
header h1{font-size:15px;margin:0;font-weight:600}header a{color:#9fe2bf;font-size:13px}header select{padding:3px 6px;border-radius:4px;font:inherit}
.wrap{flex:1;display:grid;grid-template-columns:240px minmax(320px,1fr) 375px;min-height:0}
nav{background:#f0f1f3;border-right:1px solid var(--line);overflow:auto}
nav h2{font-size:12px;color:#888;margin:12px 12px 4px;font-weight:500}
.conv{display:flex;gap:8px;align-items:center;padding:8px 12px;cursor:pointer;border-bottom:1px solid #e8e9eb}
.conv:hover{background:#e6e8eb}.conv.on{background:#d6f2e3}.conv .av{width:34px;height:34px;border-radius:6px;background:#c9d3dd;display:flex;align-items:center;justify-content:center;color:#fff;font-weight:600;flex:none}
.conv.group .av{background:#7fb6e6}.conv small{display:block;color:#888;font-size:11px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:160px}
.chat{display:flex;flex-direction:column;background:#f5f5f5;min-width:0}
.chat .title{padding:10px 16px;border-bottom:1px solid var(--line);background:#fff;font-weight:600}
.msgs{flex:1;overflow:auto;padding:16px;display:flex;flex-direction:column;gap:10px}
.msg{max-width:70%;padding:8px 12px;border-radius:6px;background:#fff;align-self:flex-start;white-space:pre-wrap;word-break:break-word}
.msg.me{align-self:flex-end;background:#a9ea7a}.who{font-size:11px;color:#888;margin-bottom:2px}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;display:flex;gap:8px;min-width:220px;max-width:280px}
.card img{width:48px;height:48px;border-radius:4px;object-fit:cover;background:#eee}.card b{display:block;font-size:13px}.card span{font-size:12px;color:#888}
.card.mini{flex-direction:column}.card.mini .foot{font-size:11px;color:#888;border-top:1px solid var(--line);padding-top:4px}
.input{background:#fff;border-top:1px solid var(--line);padding:10px 16px;min-height:110px;display:flex;flex-direction:column;gap:8px}
.draft{flex:1;border:1px dashed #cfd4da;border-radius:6px;padding:8px;color:#555;min-height:52px}
.draft:empty::before{content:'在右侧侧边栏点「发送」，内容会放到这里（企业微信的输入框），再点发送'; color:#aaa;font-size:12px}
.actions{display:flex;justify-content:flex-end;gap:8px}button{background:var(--g);color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer;font:inherit}
button.sec{background:#fff;color:#333;border:1px solid #ccd}
aside{border-left:1px solid var(--line);background:#fff;display:flex;flex-direction:column}
aside .bar{font-size:12px;color:#888;padding:6px 10px;border-bottom:1px solid var(--line)}
iframe{flex:1;border:0;width:375px}
.empty{margin:auto;color:#888;text-align:center}
.work{display:flex;gap:8px;align-items:center;padding:10px 12px;cursor:pointer;border-bottom:1px solid #e3e5e8;background:#fff;font-weight:600}
.work:hover{background:#eef7f1}.work.on{background:#d6f2e3}.work .av{width:34px;height:34px;border-radius:6px;background:#f5a623;display:flex;align-items:center;justify-content:center;color:#fff;flex:none}
.work small{display:block;color:#888;font-size:11px;font-weight:400}.bridge{font:11px ui-monospace,monospace;color:#666;max-height:90px;overflow:auto;border-top:1px solid var(--line);padding:4px 10px}
</style></head><body>
<header><h1>企业微信 · 模拟聊天窗口</h1>
<label>当前登录成员 <select id="advisor" data-testid="sim-advisor"></select></label>
<a href="./">← 返回模拟器</a><span style="margin-left:auto;font-size:12px;color:#bbb">右侧是产品真实的侧边栏 /sidebar/，本页扮演企业微信客户端（JS-SDK 桥）</span></header>
<div class="wrap">
<nav id="convs"></nav>
<section class="chat"><div class="title" id="title">选择左侧的客户或客户群</div>
<div class="msgs" id="msgs"><div class="empty">选择一个会话后，右侧会打开聊天工具栏（侧边栏）</div></div>
<div class="input"><div class="draft" id="draft" data-testid="sim-draft"></div>
<div class="actions"><button class="sec" onclick="clearDraft()">清空</button><button onclick="sendDraft()" data-testid="sim-send">发送</button></div></div></section>
<aside><div class="bar" id="bar">聊天工具栏</div><iframe id="sidebar" title="侧边栏" data-testid="sim-sidebar"></iframe><div class="bridge" id="bridgeLog"></div></aside>
</div>
<script>
const PRODUCT_ORIGIN = __PRODUCT_ORIGIN__
const PREFIX = __PREFIX__
// The sidebar must be same-origin with this page to use its bridge: move to the product's origin.
if (PRODUCT_ORIGIN && location.origin !== PRODUCT_ORIGIN) location.replace(PRODUCT_ORIGIN + location.pathname + location.search)
const $ = (id) => document.getElementById(id)
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';')
const api = (p) => fetch(PREFIX + '/_control' + p).then((r) => r.json())
let staff = [], customers = [], groups = [], current = null, draft = null
const history = {}  // conversation id → messages
window.__bridgeCalls = []

// ── the WeCom client's side of the JS-SDK ──
window.__weComHostBridge = {
  invoke(name, params, cb) {
    window.__bridgeCalls.push({ name, params })
    logBridge(name, params)
    const ok = (extra) => setTimeout(() => cb(Object.assign({ err_msg: name + ':ok' }, extra || {})), 10)
    if (!current) return setTimeout(() => cb({ err_msg: name + ':fail no conversation' }), 10)
    switch (name) {
      case 'getContext': return ok({ entry: current.kind === 'group' ? 'group_chat_tools' : current.kind === 'normal' ? 'normal' : 'single_chat_tools' })
      case 'getCurExternalContact': return current.kind === 'customer' ? ok({ userId: current.id }) : cb({ err_msg: name + ':fail not a single chat' })
      case 'getCurExternalChat': return current.kind === 'group' ? ok({ chatId: current.id }) : cb({ err_msg: name + ':fail not a group chat' })
      case 'sendChatMessage': if (current.kind === 'normal') return cb({ err_msg: name + ':fail not in a chat' }); setDraft(params); return ok()
      case 'openEnterpriseChat': return openEnterpriseChat(params, ok, (why) => setTimeout(() => cb({ err_msg: name + ':fail ' + why }), 10))
      default: return ok()
    }
  },
  on() {},
  call() {},
}
// WeCom opens the 1v1 chat with the one external contact (joined by ';' by the JS-SDK); here: switch to it.
function openEnterpriseChat(params, ok, fail) {
  const raw = params.externalUserIds || ''
  const ids = (Array.isArray(raw) ? raw : String(raw).split(';')).filter(Boolean)
  if (ids.length !== 1 || String(params.userIds || '')) return fail('only a 1v1 chat with one customer is simulated')
  if (!customers.some((c) => c.external_userid === ids[0])) return fail('not your customer')
  ok()
  setTimeout(() => open('customer', ids[0]), 50)
}
function logBridge(name, params) {
  const keep = Object.assign({}, params); ['signature', 'nonceStr', 'timestamp', 'verifySignature', 'verifyNonceStr', 'verifyTimestamp', 'verifyAppId', 'verifySignType', 'verifySignature'].forEach((k) => delete keep[k])
  const line = document.createElement('div'); line.textContent = '→ ' + name + ' ' + JSON.stringify(keep).slice(0, 160)
  $('bridgeLog').prepend(line)
}

function render(m) {
  if (m.msgtype === 'text') return esc(m.text.content)
  if (m.msgtype === 'news') return '<div class="card"><img src="' + esc(m.news.imgUrl) + '" alt=""><div><b>' + esc(m.news.title) + '</b><span>' + esc(m.news.desc) + '</span></div></div>'
  if (m.msgtype === 'miniprogram') return '<div class="card mini"><b>' + esc(m.miniprogram.title) + '</b><img src="' + esc(m.miniprogram.imgUrl) + '" alt="" style="width:100%;height:120px"><div class="foot">小程序 · ' + esc(m.miniprogram.appid) + '</div></div>'
  if (m.msgtype === 'image') return '[图片] ' + esc(m.image.mediaid.slice(0, 16)) + '…'
  if (m.msgtype === 'file') return '[文件] ' + esc(m.file.mediaid.slice(0, 16)) + '…'
  return esc(JSON.stringify(m))
}
function setDraft(params) {
  const m = { msgtype: params.msgtype }; m[params.msgtype] = params[params.msgtype]
  draft = m; $('draft').innerHTML = render(m)
}
function clearDraft() { draft = null; $('draft').innerHTML = '' }
function sendDraft() {
  if (!draft || !current) return
  history[current.id].push({ me: true, m: draft }); clearDraft(); renderMsgs()
}
function renderMsgs() {
  const list = history[current.id]
  const me = staff.find((s) => s.userid === $('advisor').value)
  $('msgs').innerHTML = list.map((x) => '<div class="msg' + (x.me ? ' me' : '') + '" data-testid="sim-message"><div class="who">' + esc(x.me ? (me ? me.name : '') : x.from) + '</div>' + render(x.m) + '</div>').join('')
  $('msgs').scrollTop = 1e9
}

async function loadAdvisor() {
  const userid = $('advisor').value
  // Who is signed in to "WeCom": the simulated OAuth page lets the sidebar through as this member.
  document.cookie = 'sim_wecom_user=' + encodeURIComponent(userid) + '; path=' + (PREFIX || '/') + '; SameSite=Lax'
  customers = await api('/customers?userid=' + encodeURIComponent(userid))
  groups = (await api('/groups')).filter((g) => g.owner === userid || (g.admin_list || []).some((a) => a.userid === userid))
  const conv = (kind, id, name, sub) => '<div class="conv ' + kind + '" data-kind="' + kind + '" data-id="' + esc(id) + '" data-testid="sim-conv"><span class="av">' + esc(name.slice(0, 1)) + '</span><span>' + esc(name) + '<small>' + esc(sub) + '</small></span></div>'
  $('convs').innerHTML = '<div class="work" id="workbench" data-testid="sim-workbench"><span class="av">✓</span><span>工作台 · 我的任务<small>不在聊天中打开侧边栏（入口 normal）</small></span></div>'
    + '<h2>客户（单聊）</h2>' + customers.map((c) => {
    const f = (c.follow_user || []).find((x) => x.userid === userid) || {}
    return conv('customer', c.external_userid, c.name, f.remark || c.external_userid)
  }).join('') + '<h2>客户群（群聊）</h2>' + groups.map((g) => conv('group', g.chat_id, g.name, g.member_list.length + ' 人')).join('')
  document.querySelectorAll('.conv').forEach((el) => el.addEventListener('click', () => open(el.dataset.kind, el.dataset.id)))
  $('workbench').addEventListener('click', openWorkbench)
  current = null; clearDraft(); $('sidebar').removeAttribute('src'); $('title').textContent = '选择左侧的客户或客户群'
}

// The sidebar outside a chat, as WeCom opens it from the workbench or a reminder app message's link.
function openWorkbench() {
  document.querySelectorAll('.conv').forEach((el) => el.classList.remove('on'))
  $('workbench').classList.add('on')
  current = { kind: 'normal', id: '', name: '工作台' }
  $('title').textContent = '工作台 · 我的任务'
  $('bar').textContent = '应用页面 · normal'
  clearDraft()
  $('msgs').innerHTML = '<div class="empty">右侧是不在聊天中打开的侧边栏（入口 normal）：今天的跟进任务。<br>点任务的「发消息」，会像企业微信一样打开与该客户的单聊。</div>'
  const returnTo = '/sidebar/?wecom_host=sim&tasks=mine'
  $('sidebar').src = '/api/sidebar/auth/start?returnTo=' + encodeURIComponent(returnTo)
}

function open(kind, id) {
  $('workbench').classList.remove('on')
  document.querySelectorAll('.conv').forEach((el) => el.classList.toggle('on', el.dataset.id === id))
  const name = kind === 'group' ? groups.find((g) => g.chat_id === id).name : customers.find((c) => c.external_userid === id).name
  current = { kind, id, name }
  if (!history[id]) history[id] = kind === 'group'
    ? [{ from: '群成员', m: { msgtype: 'text', text: { content: '请问这周有什么活动吗？' } } }]
    : [{ from: name, m: { msgtype: 'text', text: { content: '你好，我最近换季皮肤有点泛红，有什么推荐吗？' } } }]
  $('title').textContent = (kind === 'group' ? '客户群 · ' : '客户 · ') + name
  $('bar').textContent = '聊天工具栏 · ' + (kind === 'group' ? 'group_chat_tools' : 'single_chat_tools')
  clearDraft(); renderMsgs()
  // Through the sidebar's real sign-in (OAuth), back to the sidebar in simulated-host mode.
  const returnTo = '/sidebar/?wecom_host=sim&conv=' + encodeURIComponent(id)
  $('sidebar').src = '/api/sidebar/auth/start?returnTo=' + encodeURIComponent(returnTo)
}

(async () => {
  staff = await api('/staff')
  $('advisor').innerHTML = staff.filter((s) => !s.resigned).map((s) => '<option value="' + esc(s.userid) + '">' + esc(s.name) + '（' + esc(s.userid) + '）</option>').join('')
  $('advisor').addEventListener('change', loadAdvisor)
  await loadAdvisor()
})()
</script></body></html>`
