export { ReportsView } from './components/reports-view'
export { reportKeys } from './queries'
