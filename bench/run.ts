// `pnpm bench`: every benchmark in turn, each printing its figures with the target beside them.
import { benchCallbackIngest } from './callback-ingest.ts'
import { benchSidebarProfile } from './sidebar-profile.ts'
import { benchWelcomeBurst } from './welcome-burst.ts'
import { benchSegmentRecompute } from './segment-recompute.ts'
import { benchOrderImport } from './order-import.ts'

const benches: Record<string, () => Promise<unknown>> = {
  'callback-ingest': benchCallbackIngest,
  'welcome-burst': benchWelcomeBurst,
  'segment-recompute': benchSegmentRecompute,
  'order-import': benchOrderImport,
}
const only = process.argv.slice(2)
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue
  console.log(`\n### ${name}`)
  await run()
}
