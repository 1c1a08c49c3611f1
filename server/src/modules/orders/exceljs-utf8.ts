// exceljs 4.4 decodes each XML chunk of an .xlsx on its own (lib/utils/parse-sax.js), so a Chinese
// character split across two chunks comes out as U+FFFD ('已���款'). Its parser is swapped, before
// exceljs loads, for the same one with a streaming UTF-8 decoder. Import this module before 'exceljs'.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const id = require.resolve('exceljs/lib/utils/parse-sax.js')
const { SaxesParser } = require(require.resolve('saxes', { paths: [id] })) as {
  SaxesParser: new () => {
    on(ev: string, fn: (v: unknown) => void): void
    write(s: string): void
  }
}

const { PassThrough } = require(require.resolve('readable-stream', { paths: [id] })) as {
  PassThrough: new () => AsyncIterable<Buffer | string>
}

async function* parseSax(input: AsyncIterable<Buffer | string> | { pipe(d: unknown): unknown }) {
  // Old-style streams (unzipper's entries) have no async iterator: upgrade them like the original.
  const iterable = (
    'pipe' in input && !(Symbol.asyncIterator in input) ? input.pipe(new PassThrough()) : input
  ) as AsyncIterable<Buffer | string>
  const parser = new SaxesParser()
  const decoder = new TextDecoder('utf-8')
  let error: unknown
  parser.on('error', (err) => (error = err))
  let events: Array<{ eventType: string; value: unknown }> = []
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }))
  parser.on('text', (value) => events.push({ eventType: 'text', value }))
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }))
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    if (error) throw error
    yield events
    events = []
  }
  const rest = decoder.decode()
  if (rest) {
    parser.write(rest)
    if (error) throw error
    yield events
  }
}

// Too late once a reader captured the original: fail loudly rather than corrupt text quietly.
for (const user of [
  'stream/xlsx/workbook-reader.js',
  'stream/xlsx/worksheet-reader.js',
  'xlsx/xform/base-xform.js',
])
  if (require.cache[require.resolve(`exceljs/lib/${user}`)])
    throw new Error(`exceljs was loaded before ${import.meta.url}: import that module first`)
require(id)
require.cache[id]!.exports = parseSax
