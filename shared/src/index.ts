export * from './errors.js'
export * from './admin/index.js'
