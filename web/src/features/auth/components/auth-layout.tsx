import type { ReactNode } from 'react'
import { Logo } from '@/components/logo'

export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh items-center justify-center bg-[radial-gradient(ellipse_at_top,color-mix(in_oklch,var(--brand),transparent_88%),transparent_60%)] p-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex justify-center">
          <Logo />
        </div>
        {children}
      </div>
    </div>
  )
}
