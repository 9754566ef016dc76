import { Gauge } from 'lucide-react'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { NumberSettingForm, type NumberField } from './number-setting-form'

const percent = (text: string) => {
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100
}

const ceiling = (
  key: 'headroomPrimaryPercent' | 'headroomSecondaryPercent',
  id: string,
  label: string,
): NumberField<typeof key> => ({
  key,
  id,
  label,
  unit: '% used',
  rule: 'From 0 to 100',
  decimal: true,
  isValid: percent,
  fallback: 100,
})

/** Settings → Usage ceilings: the global headroom per window that accounts follow by default. */
export function HeadroomCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Gauge className="size-4 text-muted-foreground" /> Usage ceilings
        </CardTitle>
        <CardDescription>
          Stop routing to an account once a window is this full, until it resets, so some quota
          stays free (for example for your own ChatGPT use). 100 % means no ceiling. An account can
          set its own in its menu on the Accounts page.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <NumberSettingForm
          saveLabel="Save ceilings"
          savedMessage="Usage ceilings saved"
          fields={[
            ceiling('headroomPrimaryPercent', 'headroom-primary', '5-hour window'),
            ceiling('headroomSecondaryPercent', 'headroom-secondary', 'Weekly window'),
          ]}
        />
      </CardContent>
    </Card>
  )
}
