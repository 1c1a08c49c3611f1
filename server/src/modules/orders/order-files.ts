// Streaming readers for a shop's export: CSV (UTF-8 or GBK, as Chinese shops export it) and XLSX (the
// first worksheet). Rows come out one at a time as text cells; memory stays flat whatever the file size.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { parse } from 'csv-parse'
import './exceljs-utf8.ts'
import ExcelJS from 'exceljs'

export type FileKind = 'csv' | 'xlsx'

export function kindOf(fileName: string): FileKind | null {
  const ext = fileName.toLowerCase().split('.').pop()
  return ext === 'csv' || ext === 'txt' ? 'csv' : ext === 'xlsx' ? 'xlsx' : null
}

/** Counts the bytes read from the file: the import's progress (row totals are unknown while streaming). */
export interface ByteCounter {
  bytes: number
}

/** GBK when the start of the file is not valid UTF-8 (Excel "save as CSV" on a Chinese Windows). */
async function detectEncoding(path: string): Promise<'utf-8' | 'gb18030'> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(64 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    let end = bytesRead
    // Don't judge a multi-byte character cut at the end of the sample.
    if (end === buf.length) while (end > 0 && (buf[end - 1] & 0xc0) === 0x80) end--
    if (end === buf.length && end > 0 && buf[end - 1] >= 0xc0) end--
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end))
      return 'utf-8'
    } catch {
      return 'gb18030'
    }
  } finally {
    await fh.close()
  }
}

function decoder(encoding: 'gb18030'): Transform {
  const td = new TextDecoder(encoding)
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, td.decode(chunk, { stream: true }))
    },
    flush(cb) {
      cb(null, td.decode())
    },
  })
}

async function* csvRows(path: string, counter: ByteCounter): AsyncGenerator<string[]> {
  const encoding = await detectEncoding(path)
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })
  file.on('data', (c) => (counter.bytes += c.length))
  // Blank lines stay (as empty rows) so row numbers in the report match the file's.
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false })
  const source = encoding === 'utf-8' ? file : file.pipe(decoder(encoding))
  source.on('error', (err: Error) => parser.destroy(err))
  source.pipe(parser)
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield record
  } finally {
    file.destroy()
  }
}

/** A cell as the text a person sees: dates as Asia/Shanghai-less wall time (Excel has no zone). */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 19).replace('T', ' ')
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string }
    if (o.richText) return o.richText.map((r) => r.text).join('')
    if ('result' in o) return cellText(o.result)
    if (o.text !== undefined) return cellText(o.text)
    if (o.error) return ''
    return ''
  }
  return String(v)
}

async function* xlsxRows(path: string, counter: ByteCounter): AsyncGenerator<string[]> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })
  file.on('data', (c) => (counter.bytes += c.length))
  // styles: 'cache' so date-formatted cells come back as Dates rather than serial numbers.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  try {
    for await (const sheet of reader) {
      let expected = 1
      for await (const row of sheet) {
        // Keep row numbers true to the sheet: blank rows are skipped by the reader.
        while (expected < row.number) {
          yield []
          expected++
        }
        expected = row.number + 1
        const values = row.values as unknown[]
        const out: string[] = []
        for (let i = 1; i < values.length; i++) out.push(cellText(values[i]).trim())
        yield out
      }
      break // the first worksheet only
    }
  } finally {
    file.destroy()
  }
}

/** The rows of a file (the header first), each as text cells. */
export function readRows(
  path: string,
  kind: FileKind,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<string[]> {
  return kind === 'csv' ? csvRows(path, counter) : xlsxRows(path, counter)
}

/** The header and the first `n` data rows, for the mapping screen. */
export async function previewRows(
  path: string,
  kind: FileKind,
  n = 20,
): Promise<{ headers: string[]; rows: string[][] }> {
  let headers: string[] | null = null
  const rows: string[][] = []
  const it = readRows(path, kind)
  try {
    for await (const r of it) {
      if (!headers) {
        headers = r.map((h) => h.trim())
        continue
      }
      if (!r.some((c) => c.trim())) continue
      rows.push(r)
      if (rows.length >= n) break
    }
  } finally {
    await it.return(undefined)
  }
  return { headers: headers ?? [], rows }
}
