import {
  BarChart3,
  KeyRound,
  LayoutDashboard,
  Menu,
  ScrollText,
  Settings,
  ShieldCheck,
  Users,
  X,
} from 'lucide-react'
import { useState, type ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { cn } from '@/lib/utils'
import { Logo } from './logo'
import { ThemeToggle } from './theme-toggle'
import { Button } from './ui/button'

const NAV = [
  { href: '/', label: 'Overview', icon: LayoutDashboard },
  { href: '/accounts', label: 'Accounts', icon: Users },
  { href: '/logs', label: 'Request logs', icon: ScrollText },
  { href: '/reports', label: 'Reports', icon: BarChart3 },
  { href: '/api-keys', label: 'API keys', icon: KeyRound },
  { href: '/audit', label: 'Audit log', icon: ShieldCheck },
  { href: '/settings', label: 'Settings', icon: Settings },
] as const

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const [location] = useLocation()
  return (
    <nav className="flex flex-col gap-0.5" aria-label="Main">
      {NAV.map(({ href, label, icon: Icon }) => {
        const active = href === '/' ? location === '/' : location.startsWith(href)
        return (
          <Link
            key={href}
            href={href}
            onClick={onNavigate}
            aria-current={active ? 'page' : undefined}
            className={cn(
              'flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
              active && 'bg-accent text-foreground',
            )}
          >
            <Icon className={cn('size-4', active && 'text-brand')} />
            {label}
          </Link>
        )
      })}
    </nav>
  )
}

/** The frame: sidebar (drawer on small screens) and content. `footer` and `banner` come from features. */
export function AppShell({
  children,
  footer,
  banner,
}: {
  children: ReactNode
  footer?: ReactNode
  banner?: ReactNode
}) {
  const [mobileOpen, setMobileOpen] = useState(false)
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_1fr]">
      <div className="hidden border-r bg-sidebar lg:block">
        <aside className="sticky top-0 flex h-dvh flex-col gap-6 px-3 py-5">
          <Logo className="px-2" />
          <NavLinks />
          <div className="mt-auto flex items-center justify-between gap-2 px-1">
            <ThemeToggle />
            {footer}
          </div>
        </aside>
      </div>

      <header className="sticky top-0 z-40 flex h-14 items-center justify-between border-b bg-background/85 px-4 backdrop-blur lg:hidden">
        <Logo />
        <Button
          variant="ghost"
          size="icon"
          aria-label={mobileOpen ? 'Close menu' : 'Open menu'}
          aria-expanded={mobileOpen}
          onClick={() => setMobileOpen((open) => !open)}
        >
          {mobileOpen ? <X /> : <Menu />}
        </Button>
      </header>
      {mobileOpen ? (
        <div className="fixed inset-x-0 top-14 z-40 space-y-4 border-b bg-background p-3 shadow-lg lg:hidden">
          <NavLinks onNavigate={() => setMobileOpen(false)} />
          <div className="flex items-center justify-between gap-2">
            <ThemeToggle />
            {footer}
          </div>
        </div>
      ) : null}

      <div className="flex min-w-0 flex-col">
        {banner}
        <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  )
}
