/** A label map (`{ open: '待跟进', … }`) as select options, in the map's order. */
export function labelOptions<K extends string>(
  labels: Readonly<Record<K, string>>,
): { value: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }))
}
