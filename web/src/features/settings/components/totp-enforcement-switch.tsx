import { useQuery } from '@tanstack/react-query'
import { settingsQuery, useUpdateSettings } from '../queries'
import { SettingSwitchRow } from './setting-row'

/** Lives in settings (it is a settings field) but is shown inside the two-factor card. */
export function TotpEnforcementSwitch({ totpConfigured }: { totpConfigured: boolean }) {
  const settings = useQuery(settingsQuery())
  const update = useUpdateSettings()
  return (
    <SettingSwitchRow
      id="totp-required"
      title="Require a code at login"
      description={
        totpConfigured
          ? 'Ask for an authenticator code after the password.'
          : 'Set up an authenticator first.'
      }
      checked={settings.data?.totpRequiredOnLogin ?? false}
      disabled={!settings.data || update.isPending || !totpConfigured}
      onCheckedChange={(v) => update.mutate({ totpRequiredOnLogin: v })}
    />
  )
}
