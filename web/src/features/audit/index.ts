export { AuditView } from './components/audit-view'
export { auditKeys } from './queries'
export { actionWords, detailsWords } from './words'
