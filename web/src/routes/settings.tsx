import { PageHeader } from '@/components/page-header'
import { PasswordCard, TotpCard } from '@/features/auth'
import {
  ApiAccessCard,
  AppearanceCard,
  ClientSetupCard,
  OverflowCard,
  HeadroomCard,
  ConcurrencyCard,
  RoutingCard,
  TotpEnforcementSwitch,
} from '@/features/settings'

export function SettingsPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Routing, access and security for this server." />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <div className="space-y-6">
          <ClientSetupCard />
          <RoutingCard />
          <HeadroomCard />
          <ConcurrencyCard />
          <OverflowCard />
          <ApiAccessCard />
        </div>
        <div className="space-y-6">
          <PasswordCard />
          <TotpCard
            enforcement={(configured) => <TotpEnforcementSwitch totpConfigured={configured} />}
          />
          <AppearanceCard />
        </div>
      </div>
    </div>
  )
}
