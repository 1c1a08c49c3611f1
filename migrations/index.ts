// Every migration, in order. Listed explicitly (not globbed) so the same list works under tsx and tests.
import { Foundation1763900000000 } from './1763900000000-Foundation.ts'
import { Acquisition1764000000000 } from './1764000000000-Acquisition.ts'
import { SidebarContent1764100000000 } from './1764100000000-SidebarContent.ts'
import { Orders1764200000000 } from './1764200000000-Orders.ts'
import { GroupCodes1764300000000 } from './1764300000000-GroupCodes.ts'
import { Segments1764400000000 } from './1764400000000-Segments.ts'
import { Reminders1764500000000 } from './1764500000000-Reminders.ts'
import { Campaigns1764600000000 } from './1764600000000-Campaigns.ts'

export const migrations = [
  Foundation1763900000000,
  Acquisition1764000000000,
  SidebarContent1764100000000,
  Orders1764200000000,
  GroupCodes1764300000000,
  Segments1764400000000,
  Reminders1764500000000,
  Campaigns1764600000000,
]
