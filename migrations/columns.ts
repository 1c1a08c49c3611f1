// Column builders shared by migrations, so every migration stays dialect-neutral (MySQL and SQLite).
import type { TableColumnOptions } from 'typeorm'

type Extra = Partial<TableColumnOptions>

export const col = {
  id: (name = 'id'): TableColumnOptions => ({
    name,
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  }),
  str: (name: string, length: number, extra: Extra = {}): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    ...extra,
  }),
  text: (name: string, extra: Extra = {}): TableColumnOptions => ({ name, type: 'text', ...extra }),
  int: (name: string, extra: Extra = {}): TableColumnOptions => ({ name, type: 'integer', ...extra }),
  bool: (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt }),
  // Millisecond precision on MySQL (datetime(3)); SQLite stores the ISO-like string as is.
  time: (name: string, extra: Extra = {}): TableColumnOptions => ({
    name,
    type: 'datetime',
    precision: 3,
    ...extra,
  }),
}
