// Every migration, in order. Listed explicitly (not globbed) so the same list works under tsx and tests.
import { Foundation1763900000000 } from './1763900000000-Foundation.ts'
import { Acquisition1764000000000 } from './1764000000000-Acquisition.ts'
import { SidebarContent1764100000000 } from './1764100000000-SidebarContent.ts'

export const migrations = [Foundation1763900000000, Acquisition1764000000000, SidebarContent1764100000000]
