// Request/response schemas shared by the server (route validation, OpenAPI) and the web app (types).
export * from './common.ts'
export * from './auth.ts'
export * from './inbox.ts'
export * from './directory.ts'
export * from './sidebar.ts'
export * from './sidebar-views.ts'
export * from './acquisition.ts'
