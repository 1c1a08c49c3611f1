// Event XML exactly as WeCom writes it: strings in CDATA, numbers bare, lists as <Item> children.
export type XmlValue = string | number | string[] | undefined

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`

/** Fields are written in the given order; undefined values are left out. */
export function eventXml(fields: [string, XmlValue][]): string {
  const body = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (Array.isArray(v)) return `<${k}>${v.map((item) => `<Item>${cdata(item)}</Item>`).join('')}</${k}>`
      return `<${k}>${typeof v === 'number' ? v : cdata(v as string)}</${k}>`
    })
    .join('')
  return `<xml>${body}</xml>`
}

export interface EventHead {
  corpId: string
  createTime: number
  event: string
  changeType?: string
}

export function changeEvent(head: EventHead, fields: [string, XmlValue][]): string {
  return eventXml([
    ['ToUserName', head.corpId],
    ['FromUserName', 'sys'],
    ['CreateTime', head.createTime],
    ['MsgType', 'event'],
    ['Event', head.event],
    ['ChangeType', head.changeType],
    ...fields,
  ])
}
