import { Download } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { requestLogsExportUrl } from '../api'
import type { LogFilters } from '../filters'

/**
 * A plain download link: the browser streams the file to disk with the session cookie, so a large
 * export never sits in the page's memory. The relative timeframe is re-read at the click.
 */
export function ExportCsvButton({ filters }: { filters: LogFilters }) {
  return (
    <Button variant="outline" size="sm" asChild>
      <a
        href={requestLogsExportUrl(filters)}
        download
        onClick={(e) => {
          e.currentTarget.href = requestLogsExportUrl(filters)
        }}
      >
        <Download /> Export CSV
      </a>
    </Button>
  )
}
