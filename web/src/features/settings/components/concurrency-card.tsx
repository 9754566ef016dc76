import {
  ACCOUNT_MAX_STREAMS_LIMIT,
  ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS,
  DEFAULT_ACCOUNT_MAX_STREAMS,
  DEFAULT_ACCOUNT_QUEUE_WAIT_SECONDS,
} from '@codex-lb/shared'
import { Layers } from 'lucide-react'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { NumberSettingForm } from './number-setting-form'

/** A whole number from 1 to `max`, as the server checks it. */
const wholeUpTo = (max: number) => (text: string) => {
  const n = Number(text.trim())
  return text.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= max
}

/** Settings → Concurrency: streams per account at once, and how long a request waits for one. */
export function ConcurrencyCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Layers className="size-4 text-muted-foreground" /> Concurrency
        </CardTitle>
        <CardDescription>
          How many requests one account serves at once. When every account is at its cap, a request
          waits for a free slot, first come first served, and is then answered 429. An account can
          set its own cap in its menu on the Accounts page.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <NumberSettingForm
          saveLabel="Save limits"
          savedMessage="Concurrency limits saved"
          fields={[
            {
              key: 'accountMaxStreams',
              id: 'account-max-streams',
              label: 'Streams per account',
              unit: 'at once',
              rule: `A whole number from 1 to ${ACCOUNT_MAX_STREAMS_LIMIT}`,
              isValid: wholeUpTo(ACCOUNT_MAX_STREAMS_LIMIT),
              fallback: DEFAULT_ACCOUNT_MAX_STREAMS,
            },
            {
              key: 'accountQueueWaitSeconds',
              id: 'account-queue-wait',
              label: 'Wait for a free slot',
              unit: 'seconds',
              rule: `A whole number from 1 to ${ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS}`,
              isValid: wholeUpTo(ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS),
              fallback: DEFAULT_ACCOUNT_QUEUE_WAIT_SECONDS,
            },
          ]}
        />
      </CardContent>
    </Card>
  )
}
