import { REPORT_BUCKETS, REPORT_GROUPS } from '@codex-lb/shared'
import { Download } from 'lucide-react'
import type { ReactNode } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { reportExportUrl } from '../api'
import {
  BUCKET_LABELS,
  GROUP_LABELS,
  METRICS,
  RANGE_PRESETS,
  rangeQuery,
  reportQueryParams,
  utcDate,
  type Metric,
  type RangePreset,
  type ReportParams,
} from '../params'

/** A custom range starts out as the range shown, so the dates are there to adjust. */
function rangeChange(params: ReportParams, range: RangePreset): Partial<ReportParams> {
  if (range !== 'custom' || params.range === 'custom') return { range }
  return {
    range,
    since: params.since || (rangeQuery(params).since ?? ''),
    until: params.until || utcDate(Date.now()),
  }
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      {children}
    </div>
  )
}

/** Range, bucket, grouping and metric; the CSV link carries the same report parameters. */
export function ReportControls({
  params,
  onChange,
}: {
  params: ReportParams
  onChange: (patch: Partial<ReportParams>) => void
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="grid flex-1 grid-cols-2 gap-3 sm:grid-cols-4 lg:flex-none lg:grid-cols-[12rem_8rem_9rem_9rem]">
        <Field id="report-range" label="Range">
          <NativeSelect
            id="report-range"
            value={params.range}
            onChange={(e) => onChange(rangeChange(params, e.target.value as RangePreset))}
          >
            {RANGE_PRESETS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="report-bucket" label="Per">
          <NativeSelect
            id="report-bucket"
            value={params.bucket}
            onChange={(e) => onChange({ bucket: e.target.value as ReportParams['bucket'] })}
          >
            {REPORT_BUCKETS.map((b) => (
              <option key={b} value={b}>
                {BUCKET_LABELS[b]}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="report-group" label="Group by">
          <NativeSelect
            id="report-group"
            value={params.groupBy}
            onChange={(e) => onChange({ groupBy: e.target.value as ReportParams['groupBy'] })}
          >
            {REPORT_GROUPS.map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="report-metric" label="Chart">
          <NativeSelect
            id="report-metric"
            value={params.metric}
            onChange={(e) => onChange({ metric: e.target.value as Metric })}
          >
            {METRICS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </div>
      {params.range === 'custom' ? (
        <div className="grid grid-cols-2 gap-3">
          <Field id="report-since" label="From (UTC)">
            <Input
              id="report-since"
              type="date"
              value={params.since}
              max={params.until || undefined}
              onChange={(e) => onChange({ since: e.target.value })}
            />
          </Field>
          <Field id="report-until" label="To (UTC)">
            <Input
              id="report-until"
              type="date"
              value={params.until}
              min={params.since || undefined}
              onChange={(e) => onChange({ until: e.target.value })}
            />
          </Field>
        </div>
      ) : null}
      <Button variant="outline" size="sm" className="ml-auto h-9" asChild>
        <a
          href={reportExportUrl(reportQueryParams(params))}
          download
          onClick={(e) => {
            // A preset ends today: read the date again at the click.
            e.currentTarget.href = reportExportUrl(reportQueryParams(params))
          }}
        >
          <Download /> Export CSV
        </a>
      </Button>
    </div>
  )
}
