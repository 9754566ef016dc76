import type { RequestLogAttempt } from '@codex-lb/shared'
import type { ReactNode } from 'react'
import { CopyButton } from '@/components/copy-button'
import { formatDateTime, formatInteger, formatLatency, formatUsd } from '@/lib/format'
import { attemptSource } from './attempt-chain'
import { StatusChip } from './status-chip'

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-3 py-1.5">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  )
}

const none = <span className="text-muted-foreground">–</span>

function apiKeyText(a: RequestLogAttempt): ReactNode {
  if (a.apiKeyName) return a.apiKeyName
  return a.apiKeyId ? <span className="italic">deleted key</span> : none
}

/** The upstream's JSON shown indented; anything else (plain text, a cut-off body) as it came. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

/** Every field the request log keeps for one attempt, and the upstream's error body if any. */
export function AttemptFields({ attempt: a }: { attempt: RequestLogAttempt }) {
  return (
    <div className="space-y-4 text-sm">
      <dl className="divide-y" aria-label="Attempt fields">
        <Field label="Time">{formatDateTime(a.requestedAt)}</Field>
        <Field label="Request ID">
          <span className="flex items-center gap-1">
            <code className="min-w-0 font-mono text-xs break-all">{a.requestId}</code>
            <CopyButton
              value={a.requestId}
              label="Copy request ID"
              size="icon-sm"
              variant="ghost"
            />
          </span>
        </Field>
        <Field label="Account">
          {attemptSource(a)}
          {a.accountAlias && a.accountEmail ? (
            <span className="block text-xs text-muted-foreground">{a.accountEmail}</span>
          ) : null}
        </Field>
        <Field label="API key">{apiKeyText(a)}</Field>
        <Field label="Endpoint">
          <code className="font-mono text-xs">{a.endpoint}</code>
        </Field>
        <Field label="Transport">{a.transport === 'websocket' ? 'WebSocket' : 'HTTP'}</Field>
        <Field label="Model">
          <code className="font-mono text-xs">{a.model}</code>
          {a.reasoningEffort ? (
            <span className="ml-1.5 text-muted-foreground">{a.reasoningEffort}</span>
          ) : null}
        </Field>
        <Field label="Status">
          <span className="flex items-center gap-2">
            <StatusChip status={a.status} />
            {a.httpStatus ? (
              <span className="text-muted-foreground tabular-nums">HTTP {a.httpStatus}</span>
            ) : null}
          </span>
        </Field>
        {a.errorCode || a.errorMessage ? (
          <Field label="Error">
            {a.errorCode ? <code className="block font-mono text-xs">{a.errorCode}</code> : null}
            {a.errorMessage}
          </Field>
        ) : null}
        <Field label="Input tokens">{formatInteger(a.inputTokens)}</Field>
        <Field label="Cached input">{formatInteger(a.cachedInputTokens)}</Field>
        <Field label="Output tokens">{formatInteger(a.outputTokens)}</Field>
        <Field label="Reasoning tokens">{formatInteger(a.reasoningTokens)}</Field>
        <Field label="Cost">{formatUsd(a.costUsd)}</Field>
        <Field label="Latency">{formatLatency(a.latencyMs)}</Field>
        <Field label="Time to first byte">{formatLatency(a.ttfbMs)}</Field>
        <Field label="Client IP">
          {a.clientIp ? <code className="font-mono text-xs">{a.clientIp}</code> : none}
        </Field>
        <Field label="User agent">{a.userAgent ?? none}</Field>
      </dl>
      {a.upstreamErrorBody ? (
        <section aria-label="Upstream error body" className="space-y-1.5">
          <h3 className="text-sm font-medium">
            Upstream error body{' '}
            <span className="font-normal text-muted-foreground">(secrets removed)</span>
          </h3>
          <pre
            data-testid="upstream-error-body"
            className="max-h-72 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap"
          >
            {prettyBody(a.upstreamErrorBody)}
          </pre>
        </section>
      ) : null}
    </div>
  )
}
