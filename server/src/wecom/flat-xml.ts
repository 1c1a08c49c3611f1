// WeCom's event XML is almost always one flat list of <Field>value</Field> under <xml>. Reading that
// exact shape with one sticky pattern is about 20× cheaper than a general parse, and it matters on
// the callback ingest path. Anything outside the shape (nesting, entities, attributes, comments,
// self-closing tags) returns null and the caller falls back to xml2js, the parser of record.
const ROOT = /^\s*<xml>([\s\S]*)<\/xml>\s*$/
const FIELD = /\s*<([A-Za-z][\w]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<&]*))<\/\1>/y

export function parseFlatXml(xml: string): Record<string, string> | null {
  const root = ROOT.exec(xml)
  if (!root) return null
  const body = root[1]
  const out: Record<string, string> = {}
  FIELD.lastIndex = 0
  while (FIELD.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(FIELD.lastIndex))) break
    const m = FIELD.exec(body)
    if (!m) return null
    // A repeated field is an array to xml2js: leave that case to it.
    if (m[1] in out) return null
    out[m[1]] = (m[2] ?? m[3]).trim()
  }
  return out
}
