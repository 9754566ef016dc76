export { OverviewDashboard } from './components/overview-dashboard'
export { overviewKeys } from './queries'
