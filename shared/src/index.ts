export * from './errors.js'
export * from './admin/index.js'
export * from './client-setup.js'
