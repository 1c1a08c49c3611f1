// The demo page (GET <prefix>/): one self-contained HTML file, no build step, Chinese UI.
import type { FastifyInstance } from 'fastify'
import type { SimulatedCorp } from './corp.ts'

export function registerDemoPage(app: FastifyInstance, _corp: SimulatedCorp): void {
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE))
}

const PAGE = /* html */ `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>企业微信模拟器</title><link rel="icon" href="data:,">
<style>
:root{--g:#07c160;--b:#2b7de9;--bg:#f4f5f7;--line:#e3e5e8}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:var(--bg);color:#222}
header{background:#fff;border-bottom:1px solid var(--line);padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:17px;margin:0}header .tag{background:#eef6ff;color:var(--b);border-radius:4px;padding:1px 8px;font-size:12px}
main{display:grid;grid-template-columns:360px minmax(0,1fr);gap:16px;padding:16px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 10px}label{display:block;font-size:12px;color:#666;margin:8px 0 2px}
input,select{width:100%;padding:6px 8px;border:1px solid #ccd;border-radius:4px;font:inherit}
button{background:var(--g);color:#fff;border:0;border-radius:4px;padding:6px 12px;cursor:pointer;margin:8px 6px 0 0;font:inherit}
button.sec{background:#fff;color:#333;border:1px solid #ccd}button.warn{background:#e8590c}
.quick button{font-size:13px}pre{background:#0f172a;color:#d1fae5;padding:10px;border-radius:6px;overflow:auto;max-height:320px;font-size:12px;margin:0;white-space:pre-wrap;word-break:break-all}
table{width:100%;border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{color:#666;font-weight:500}.ok{color:var(--g)}.bad{color:#d9480f}.mono{font-family:ui-monospace,monospace}
.scroll{max-height:340px;overflow:auto}@media(max-width:900px){main{grid-template-columns:1fr}}
</style></head><body>
<header><h1>企业微信服务端模拟器</h1><a href="chat" style="color:#07c160;font-weight:600">模拟聊天窗口（侧边栏）→</a><span class="tag" id="corp">…</span><span class="tag" id="cb">…</span>
<button class="sec" onclick="resetCorp('demo')">重置为演示企业</button><button class="sec" onclick="resetCorp('empty')">清空企业</button></header>
<main><div>
<section class="quick"><h2>快捷场景</h2>
<label>渠道活码</label><select id="qWay"></select>
<button onclick="quick('customerScansContactWay',{configId:v('qWay')})">客户扫码添加</button>
<button onclick="quickDelete()">客户删除导购</button>
<label>群活码</label><select id="qJoin"></select>
<button onclick="quick('customerJoinsGroupViaJoinWay',{configId:v('qJoin')})">扫码入群</button>
<button class="sec" onclick="quickBurst()">扫码入群 ×50</button>
<br><button class="warn" onclick="addFault({path:'/cgi-bin/*',kind:'errcode',errcode:45009,times:3})">注入故障 45009 ×3</button>
<button class="warn" onclick="addFault({path:'/cgi-bin/*',kind:'http5xx',times:1})">注入 503</button>
</section>
<section><h2>运行场景</h2><select id="sc" onchange="renderParams()"></select><div id="params"></div>
<label>重复次数（burst）</label><input id="repeat" type="number" min="1" placeholder="1">
<button onclick="runScenario()">执行</button></section>
<section><h2>故障注入</h2>
<label>路径（精确，或以 * 结尾为前缀）</label><input id="fPath" value="/cgi-bin/externalcontact/*">
<label>类型</label><select id="fKind"><option value="errcode">errcode</option><option value="http5xx">HTTP 5xx</option><option value="latency">延迟</option><option value="drop">断开连接</option></select>
<label>errcode / 延迟毫秒</label><input id="fVal" value="45009"><label>次数</label><input id="fTimes" type="number" value="1">
<button class="warn" onclick="addFaultForm()">添加</button><button class="sec" onclick="clearFaults()">清除全部</button>
<div id="faults" class="mono"></div></section>
</div><div>
<section><h2>执行结果</h2><pre id="out">选择左侧场景后执行。</pre></section>
<section><h2>回调投递</h2><div class="scroll"><table><thead><tr><th>#</th><th>时间</th><th>事件</th><th>结果</th><th>尝试</th></tr></thead><tbody id="dl"></tbody></table></div></section>
<section><h2>API 调用日志 <input id="logPath" placeholder="按路径过滤，如 /cgi-bin/externalcontact/*" style="width:320px;margin-left:8px"></h2>
<div class="scroll"><table><thead><tr><th>#</th><th>时间</th><th>路径</th><th>errcode</th><th>参数</th></tr></thead><tbody id="log"></tbody></table></div></section>
</div></main>
<script>
const base = location.pathname.replace(/\\/$/, '')
const C = base + '/_control'
const v = (id) => document.getElementById(id).value
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';')
const time = (ms) => new Date(ms).toLocaleTimeString('zh-CN', { hour12: false })
let lists = {}, scenarios = []
async function api(method, path, body) {
  const res = await fetch(C + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(data.message || res.statusText)
  return data
}
function show(x) { document.getElementById('out').textContent = JSON.stringify(x, null, 2) }
async function loadLists() {
  const [info, staff, customers, groups, ways, joins, tags] = await Promise.all(['/', '/staff', '/customers', '/groups', '/contact-ways', '/join-ways', '/tags'].map((p) => api('GET', p)))
  lists = { staff, customers, groups, ways, joins, tags }
  document.getElementById('corp').textContent = 'CorpID ' + info.corpId + ' · 成员 ' + info.counts.staff + ' · 客户 ' + info.counts.customers + ' · 客户群 ' + info.counts.groups
  document.getElementById('cb').textContent = info.callback ? '回调 → ' + info.callback.url : '未配置回调地址（只改状态，不投递）'
  fill('qWay', ways.map((w) => [w.config_id, (w.remark || w.state) + '（' + w.user.join('、') + '）']))
  fill('qJoin', joins.map((w) => [w.config_id, (w.remark || w.state) + '（' + w.chat_id_list.length + ' 个群）']))
}
function fill(id, opts) { const el = document.getElementById(id), cur = el.value; el.innerHTML = opts.map(([val, label]) => '<option value="' + esc(val) + '">' + esc(label) + '</option>').join(''); if (cur) el.value = cur }
function optionsFor(p) {
  const staff = lists.staff.map((s) => [s.userid, s.name]), cust = lists.customers.map((c) => [c.external_userid, c.name])
  return { configId: [...lists.ways.map((w) => [w.config_id, w.remark]), ...lists.joins.map((w) => [w.config_id, w.remark])], userid: staff, owner: staff, newOwner: staff, invitor: staff,
    externalUserid: cust, memberId: [...cust, ...staff], chatId: lists.groups.map((g) => [g.chat_id, g.name]),
    id: lists.tags.flatMap((g) => [[g.group_id, '标签组 ' + g.group_name], ...g.tag.map((t) => [t.id, g.group_name + '/' + t.name])]), groupId: lists.tags.map((g) => [g.group_id, g.group_name]),
    msgid: [], reason: [['customer_refused', '客户拒绝'], ['customer_limit_exceed', '接替成员客户达上限']], scene: [['qr', '扫码'], ['invite', '邀请'], ['link', '链接']],
    source: [['', '（无）'], ['DELETE_BY_TRANSFER', 'DELETE_BY_TRANSFER']], half: [['', '否'], ['true', '是（半添加）']], removed: [['', '自己退群'], ['true', '被移出']] }[p]
}
function renderParams() {
  const s = scenarios.find((x) => x.name === v('sc'))
  document.getElementById('params').innerHTML = s.params.map((p) => {
    const opts = optionsFor(p)
    return '<label>' + p + '</label>' + (opts && opts.length ? '<select data-p="' + p + '"><option value="">（自动）</option>' + opts.map(([a, b]) => '<option value="' + esc(a) + '">' + esc(b) + ' · ' + esc(String(a).slice(0, 12)) + '</option>').join('') + '</select>' : '<input data-p="' + p + '">')
  }).join('')
}
function paramsFromForm() {
  const out = {}
  document.querySelectorAll('#params [data-p]').forEach((el) => { if (el.value !== '') out[el.dataset.p] = el.value === 'true' ? true : el.value })
  return out
}
async function run(name, params, repeat) {
  try { show(await api('POST', '/scenarios/' + name + (repeat > 1 ? '?repeat=' + repeat + '&concurrency=10' : ''), params)) } catch (e) { show({ error: e.message }) }
  await loadLists(); refresh()
}
const runScenario = () => run(v('sc'), paramsFromForm(), Number(v('repeat')) || 1)
const quick = (name, params) => run(name, params)
const quickBurst = () => run('customerJoinsGroupViaJoinWay', { configId: v('qJoin') }, 50)
function quickDelete() {
  const c = lists.customers.find((x) => x.follow_user.some((f) => !f.deleted_by_customer))
  if (!c) return show({ error: '没有可删除的好友关系' })
  const f = c.follow_user.find((x) => !x.deleted_by_customer)
  quick('customerDeletesStaff', { externalUserid: c.external_userid, userid: f.userid })
}
async function addFault(rule) { show(await api('POST', '/faults', rule)); refresh() }
function addFaultForm() {
  const kind = v('fKind'), n = Number(v('fVal'))
  addFault({ path: v('fPath'), kind, times: Number(v('fTimes')) || 1, ...(kind === 'errcode' ? { errcode: n } : kind === 'latency' ? { ms: n } : {}) })
}
async function clearFaults() { await api('DELETE', '/faults'); refresh() }
async function resetCorp(mode) { show(await api('POST', '/reset', { mode })); await loadLists(); renderParams(); refresh() }
async function refresh() {
  const q = v('logPath') ? '?limit=200&path=' + encodeURIComponent(v('logPath')) : '?limit=200'
  const [calls, dels, faults] = await Promise.all([api('GET', '/calls' + q), api('GET', '/deliveries'), api('GET', '/faults')])
  document.getElementById('log').innerHTML = calls.reverse().map((c) => '<tr><td>' + c.seq + '</td><td>' + time(c.time) + '</td><td class="mono">' + esc(c.method + ' ' + c.path) + (c.fault ? ' <b class="bad">[' + c.fault + ']</b>' : '') +
    '</td><td class="' + (c.errcode === 0 ? 'ok' : 'bad') + '">' + (c.errcode ?? 'HTTP ' + c.http_status) + '</td><td class="mono">' + esc(JSON.stringify({ ...c.query, ...(c.body && typeof c.body === 'object' ? c.body : {}) }).slice(0, 160)) + '</td></tr>').join('')
  document.getElementById('dl').innerHTML = dels.slice().reverse().map((d) => '<tr><td>' + d.seq + '</td><td>' + time(d.time) + '</td><td class="mono">' + esc(d.event + ' / ' + (d.changeType || '')) + '</td><td class="' + (d.delivered ? 'ok">已确认' : 'bad">' + (d.skipped ? '未配置' : '失败')) + '</td><td>' +
    d.attempts.map((a) => a.status || a.error).join(' → ') + '</td></tr>').join('')
  document.getElementById('faults').innerHTML = faults.map((f) => esc(f.path + ' ' + f.kind + ' ' + (f.rule.errcode ?? f.rule.ms ?? '') + ' 剩余 ' + f.remaining)).join('<br>') || '（无）'
}
document.getElementById('logPath').addEventListener('input', refresh)
;(async () => {
  scenarios = await api('GET', '/scenarios')
  fill('sc', scenarios.map((s) => [s.name, s.title]))
  await loadLists(); renderParams(); refresh(); setInterval(refresh, 2000)
})()
</script></body></html>`
