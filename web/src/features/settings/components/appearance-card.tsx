import { Palette } from 'lucide-react'
import { ThemeToggle } from '@/components/theme-toggle'
import { Card, CardAction, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'

export function AppearanceCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Palette className="size-4 text-muted-foreground" /> Appearance
        </CardTitle>
        <CardDescription>Light, dark, or follow the system. Saved in this browser.</CardDescription>
        <CardAction>
          <ThemeToggle />
        </CardAction>
      </CardHeader>
    </Card>
  )
}
