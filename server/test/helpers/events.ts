// Builds callback event XML the way WeCom writes it (CDATA fields, FromUserName "sys").
export function eventXml(
  fields: Record<string, string | number | string[]>,
  corpId = 'wwtestcorp0000001',
): string {
  const body = Object.entries({
    ToUserName: corpId,
    FromUserName: 'sys',
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'event',
    ...fields,
  })
    .map(([k, v]) =>
      Array.isArray(v)
        ? `<${k}>${v.map((i) => `<Item><![CDATA[${i}]]></Item>`).join('')}</${k}>`
        : typeof v === 'number'
          ? `<${k}>${v}</${k}>`
          : `<${k}><![CDATA[${v}]]></${k}>`,
    )
    .join('')
  return `<xml>${body}</xml>`
}

let seq = 0
export function addContactXml(extra: Record<string, string> = {}) {
  seq++
  return eventXml({
    Event: 'change_external_contact',
    ChangeType: 'add_external_contact',
    UserID: 'lina',
    ExternalUserID: `wmTEST${seq}_${Date.now()}`,
    State: 'ch_1',
    WelcomeCode: `WELCOME${seq}`,
    ...extra,
  })
}
